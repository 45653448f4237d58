"""Uploads: pictures checked by content, re-encoded without metadata, served under random names."""
