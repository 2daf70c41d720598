"""Retention, destruction and subject access: what is kept, for how long, and handed over."""
