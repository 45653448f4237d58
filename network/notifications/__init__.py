"""Notifications: replies, mentions and announcements, stored, listed, marked read, pushed live."""
