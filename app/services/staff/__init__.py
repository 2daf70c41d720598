"""Staff accounts and the confidentiality agreement each person accepts."""
