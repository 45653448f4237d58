"""The front door: the welcome page, the language switch and the health check."""
