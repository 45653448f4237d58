"""HTTP routes of the front door."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from network.accounts import members
from network.case_studies.access import STRIP, published_stories
from network.community import service as community
from network.fragments import kinds as fragments
from network.i18n import LANGUAGE_COOKIE
from network.main.forms import LanguageForm
from network.posts.feed import public_posts
from network.sharing.service import most_discussed
from network.web.redirects import safe_next

blueprint = Blueprint("main", __name__)

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


@blueprint.get("/")
def index() -> str | Response:
    """Visitors see what the community talks about; members land on their home feed."""
    if current_user.is_authenticated:
        return redirect(url_for("posts.feed.home"))
    front = public_posts(request.args.get("cursor"), size=10)
    stories = [] if request.args.get("cursor") else published_stories(None, STRIP)
    return render_template(
        "main/index.html",
        front=front,
        cards=fragments.post_cards(front.items, front.latest_comments),
        discussed=most_discussed(),
        case_studies=stories,
    )


@blueprint.post("/language")
def choose_language() -> Response:
    """Remember the language in a cookie, and in the account of a signed-in member."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        members.set_language(current_user, form.language.data)
    response = make_response(redirect(safe_next(form.next.data)))
    response.set_cookie(
        LANGUAGE_COOKIE,
        form.language.data,
        max_age=LANGUAGE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=_secure_cookies(),
    )
    return response


@blueprint.get("/terms")
def terms() -> str:
    return _community_page("terms")


@blueprint.get("/privacy")
def privacy() -> str:
    return _community_page("privacy")


def _community_page(which: str) -> str:
    page = getattr(community.profile(), which)
    if not page:
        abort(404)
    return render_template("main/community_page.html", which=which, page=page)


@blueprint.get("/brand.css")
def brand_css() -> Response:
    """The accent colour as a stylesheet: the CSP allows no inline styles."""
    accent = community.profile().accent  # validated as #rrggbb when saved
    response = make_response(f":root {{ --accent: {accent}; }}\n")
    response.mimetype = "text/css"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


def _secure_cookies() -> bool:
    return bool(current_app.config["SESSION_COOKIE_SECURE"])
