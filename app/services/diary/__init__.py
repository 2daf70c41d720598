"""The staff diary: appointments, their words and checks, and the diary leaving Confide."""
