"""Consent: the register of a case, the printed form, scanned forms and withdrawal."""
