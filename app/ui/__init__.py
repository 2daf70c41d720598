"""Qt widgets and dialogs. Screens call services only; no SQL in this package."""
