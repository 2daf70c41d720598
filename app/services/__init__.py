"""Domain logic: permission checks and audit records happen here. No Qt import in this package."""
