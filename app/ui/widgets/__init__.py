"""Widgets shared by every feature: form fields, tables, times and the clipboard."""
