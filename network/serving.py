"""Checks made by the serving entry points (wsgi.py, `flask serve`), never by create_app()."""

from __future__ import annotations

from flask import Flask

from network.config import secret_problem

HOW_TO_SET_THE_KEY = (
    "Fix: run `flask --app network gen-secret` (writes instance/config.py), "
    "or set NETWORK_SECRET_KEY to a random value of at least 32 characters."
)


def problems_before_serving(app: Flask) -> list[str]:
    """Why this app must not serve requests yet (SEC-42); empty when it may."""
    problems: list[str] = []
    if app.debug or app.testing:
        return problems
    problem = secret_problem(app.config.get("SECRET_KEY"))
    if problem:
        problems.append(f"Refusing to serve: {problem}. {HOW_TO_SET_THE_KEY}")
    return problems
