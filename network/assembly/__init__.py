"""Builds the Flask app: the configure_* steps, template globals, the serving checks."""
