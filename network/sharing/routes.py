"""The open web's doors: an Atom feed of public posts, sitemap.xml and robots.txt."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from network.sharing import service
from network.sharing.urls import canonical

blueprint = Blueprint("sharing", __name__)


def _xml(template: str, mimetype: str, **context) -> Response:
    response = Response(render_template(template, **context), mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@blueprint.get("/posts.atom")
def atom() -> Response:
    posts = service.public_posts(service.ATOM_ENTRIES)
    return _xml(
        "sharing/atom.xml",
        "application/atom+xml",
        posts=posts,
        updated=posts[0].edited_at or posts[0].created_at if posts else None,
        canonical=canonical,
    )


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    return _xml(
        "sharing/sitemap.xml",
        "application/xml",
        posts=service.public_posts(service.SITEMAP_POSTS),
        members=service.public_profiles(service.SITEMAP_PROFILES),
        canonical=canonical,
    )


@blueprint.get("/robots.txt")
def robots() -> Response:
    lines = [
        "User-agent: *",
        # Private or action pages: nothing for a search engine there.
        *(
            f"Disallow: {path}"
            for path in (
                "/settings",
                "/admin",
                "/api/",
                "/signin",
                "/signup",
                "/signout",
                "/reset",
                "/verify",
                "/setup",
                "/invite",
                "/invitations",
                "/feed",
                "/uploads",
            )
        ),
        "Allow: /",
        f"Sitemap: {canonical('sharing.sitemap')}",
    ]
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
