"""Profiles: the profile page and its editing, avatars, business cards, follows, the directory."""
