"""The home feed page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from network.case_studies.access import STRIP, published_stories
from network.fragments import kinds as fragments
from network.permissions import signed_in
from network.posts import feed

blueprint = Blueprint("feed", __name__)  # posts.feed


@blueprint.get("/feed")
@signed_in
def home() -> str:
    page = feed.home_feed(current_user, request.args.get("cursor"))
    stories = [] if request.args.get("cursor") else published_stories(current_user, STRIP)
    cards = fragments.post_cards([*page.pinned, *page.items], page.latest_comments)
    return render_template("posts/feed.html", page=page, cards=cards, case_studies=stories)
