"""The home feed page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from network import page_cache
from network.case_studies.access import STRIP, published_stories
from network.permissions import signed_in
from network.posts import feed

blueprint = Blueprint("feed", __name__)  # posts.feed


@blueprint.get("/feed")
@page_cache.cached
@signed_in
def home() -> str:
    page = feed.home_feed(current_user, request.args.get("cursor"))
    stories = [] if request.args.get("cursor") else published_stories(current_user, STRIP)
    return render_template("posts/feed.html", page=page, case_studies=stories)
