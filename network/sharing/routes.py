"""The open web's doors: an Atom feed of public posts, sitemap.xml and robots.txt."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from network import text_rules
from network.case_studies import access as case_studies
from network.sharing import service
from network.sharing.urls import absolute, canonical

blueprint = Blueprint("sharing", __name__)


def _xml(template: str, mimetype: str, **context) -> Response:
    # Whatever a row holds (even text stored before network.text_rules), the
    # document stays XML 1.0 that every reader can parse.
    document = text_rules.xml_text(render_template(template, **context))
    response = Response(document, mimetype=mimetype)
    response.cache_control.public = True
    # Caches must ask again each time: a withdrawn case study leaves at once (SEC-51).
    response.cache_control.no_cache = True
    return response


@blueprint.get("/posts.atom")
def atom() -> Response:
    posts = service.public_posts(service.ATOM_ENTRIES)
    stories = case_studies.public_stories(service.ATOM_ENTRIES)
    moments = [post.edited_at or post.created_at for post in posts[:1]]
    moments += [story.published_at for story in stories[:1]]
    return _xml(
        "sharing/atom.xml",
        "application/atom+xml",
        posts=posts,
        stories=stories,
        updated=max(moments) if moments else None,
        canonical=canonical,
        absolute=absolute,
    )


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    return _xml(
        "sharing/sitemap.xml",
        "application/xml",
        posts=service.public_posts(service.SITEMAP_POSTS),
        members=service.public_profiles(service.SITEMAP_PROFILES),
        stories=case_studies.public_stories(service.SITEMAP_POSTS),
        canonical=canonical,
        absolute=absolute,
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
