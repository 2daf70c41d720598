"""Calls: anonymous or named, and the managed list of topics."""
