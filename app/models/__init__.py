"""SQLAlchemy tables, the encrypted storage and the schema migrations."""
