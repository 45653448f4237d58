"""What operators run and watch: readiness, metrics, backup and restore."""
