"""Shared web pieces the routes of every domain use.

Answers to refused forms, error pages, response headers, shared form fields, safe redirects.
"""
