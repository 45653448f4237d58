"""The JSON API, version 1: bearer tokens, JSON in and out, described by openapi.py."""
