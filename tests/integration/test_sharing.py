"""Attract: link previews, Atom, sitemap and robots show public content only (issue 8)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.support.content import make_comment, make_post

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def posts(app, customer, employee, moderator):
    public = make_post(app, customer, title="Public how-to", body="Everyone may read this.")
    members = make_post(
        app, customer, title="Members secret", body="Only for members.", visibility="members"
    )
    hidden = make_post(app, employee, title="Hidden one", body="Moderated away.")
    from network.extensions import db
    from network.models import Member
    from network.posts import service

    with app.app_context():
        service.set_post_hidden(db.session.get(Member, moderator.id), hidden.id, True)
    return {"public": public, "members": members, "hidden": hidden}


def meta(page: str, name: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', page)
    return found.group(1) if found else None


def test_public_posts_carry_link_previews_and_a_canonical_url(app, client, posts):
    app.config["PUBLIC_URL"] = "https://community.example.com"
    page = client.get(f"/posts/{posts['public'].id}").get_data(as_text=True)
    assert meta(page, "og:title") == "Public how-to"
    assert meta(page, "og:description") == "Everyone may read this."
    assert meta(page, "twitter:card") in {"summary", "summary_large_image"}
    assert (
        f'<link rel="canonical" href="https://community.example.com/posts/{posts["public"].id}">'
        in page
    )


def test_members_only_posts_never_reach_previews(app, client, customer, as_member, posts):
    # Even a member's own view of it carries no preview tags, only noindex.
    page = as_member(customer).get(f"/posts/{posts['members'].id}").get_data(as_text=True)
    assert meta(page, "og:title") is None and meta(page, "og:description") is None
    assert "Only for members." not in re.sub(r'<div class="prose">.*?</div>', "", page, flags=re.S)
    assert '<meta name="robots" content="noindex">' in page
    assert client.get(f"/posts/{posts['members'].id}").status_code == 404


def test_profiles_share_only_when_public(app, client, customer, intruder, as_member):
    page = client.get("/u/carla").get_data(as_text=True)
    assert meta(page, "og:title") == "Carla Customer (@carla)"
    from network.database import write_transaction
    from network.models.profile import Profile, ProfileVisibility

    with app.app_context(), write_transaction() as session:
        session.merge(Profile(member_id=intruder.id, visibility=ProfileVisibility.members))
    assert client.get("/u/ivan").status_code == 404
    members_view = as_member(customer).get("/u/ivan").get_data(as_text=True)
    assert meta(members_view, "og:title") is None


def test_the_atom_feed_holds_public_posts_only(app, client, customer, posts):
    response = client.get("/posts.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Public how-to"]
    assert b"Members secret" not in response.data and b"Hidden one" not in response.data
    content = feed.find(f"{ATOM}entry").find(f"{ATOM}content").text
    assert content.startswith("<p>Everyone may read this.")


def test_the_sitemap_lists_public_posts_and_profiles_only(app, client, posts, customer):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.data)
    locations = [url.find(f"{SITEMAP}loc").text for url in root.iter(f"{SITEMAP}url")]
    assert any(loc.endswith(f"/posts/{posts['public'].id}") for loc in locations)
    assert not any(loc.endswith(f"/posts/{posts['members'].id}") for loc in locations)
    assert not any(loc.endswith(f"/posts/{posts['hidden'].id}") for loc in locations)
    assert any(loc.endswith("/u/carla") for loc in locations)


def test_robots_points_to_the_sitemap_and_keeps_private_pages_out(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in text
    assert "Disallow: /settings" in text and "Disallow: /admin" in text


def test_the_front_page_invites_visitors_and_shows_what_is_discussed(
    app, client, customer, employee, posts, as_member
):
    busy = make_post(app, customer, title="Busy thread")
    for index in range(3):
        make_comment(app, employee, busy, f"answer {index}")
    make_comment(app, employee, posts["public"], "one answer")
    page = client.get("/").get_data(as_text=True)
    assert "Join the community" in page
    strip = page.split('id="discussed-title"')[1].split("</section>")[0]
    assert strip.index("Busy thread") < strip.index("Public how-to")
    assert "Members secret" not in page
    assert as_member(customer).get("/").headers["Location"] == "/feed"
