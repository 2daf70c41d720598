"""The install: data folder, key slots, credential store, recovery key, setup, backups, self-test."""
