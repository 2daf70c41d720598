"""Case files: the family's people, notes, contact preferences and coded references."""
