"""Absolute URLs as the world should see them: from NETWORK_PUBLIC_URL when it is set."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def canonical(endpoint: str, **values: Any) -> str:
    """The absolute URL of a page; the public address wins over the request's host."""
    path = url_for(endpoint, **values)
    public = current_app.config["PUBLIC_URL"]
    if public:
        return public + path
    return url_for(endpoint, _external=True, **values)


def absolute(path: str) -> str:
    """An absolute URL for a site path such as /uploads/x.webp."""
    public = current_app.config["PUBLIC_URL"]
    if public:
        return public + path
    return request.url_root.rstrip("/") + path
