"""The community itself: its name, tagline and the settings admins change."""
