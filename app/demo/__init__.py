"""The synthetic data generator: demo installs full of fictional families."""
