"""HTTP routes for profile pages, business cards, follows and the member directory."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from network.exceptions import Invalid
from network.permissions import Permission, requires
from network.posts.feed import member_posts
from network.profiles import (
    avatars,
    directory,
    fields,
    follows,
    service,
    settings_routes,
    vcard,
)
from network.web.forms import ConfirmForm

blueprint = Blueprint("profiles", __name__)


def _visible_or_404(handle: str) -> service.ProfileView:
    return service.find_visible(handle, current_user)  # NotFound: the 404 page


def _cursor() -> str | None:
    return request.args.get("cursor") or None


@blueprint.get("/u/<handle>")
def profile(handle: str) -> str:
    view = service.with_counts(_visible_or_404(handle), current_user)
    posts = member_posts(current_user, view.member, _cursor())
    return render_template(
        "profiles/profile.html",
        posts=posts,
        view=view,
        member=view.member,
        profile=view.profile,
        joined_on=format_date(view.member.created_at, "long"),
        avatar_url=avatars.avatar_url,
        avatar_srcset=avatars.avatar_srcset,
        confirm_form=ConfirmForm(formdata=None),
    )


@blueprint.get("/u/<handle>/card.vcf")
def card(handle: str) -> Response:
    view = _visible_or_404(handle)
    response = Response(vcard.card(view.member, view.profile), content_type=vcard.CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{view.member.handle}.vcf"'
    # It may hold an email address or phone number: no shared cache keeps it.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _follow_list(handle: str, which: str) -> str:
    view = _visible_or_404(handle)
    pager = follows.followers_page if which == "followers" else follows.following_page
    page = pager(view.member, current_user, _cursor())
    return render_template(
        "profiles/follow_list.html",
        view=view,
        member=view.member,
        which=which,
        page=page,
        avatar_url=avatars.avatar_url,
    )


@blueprint.get("/u/<handle>/followers")
def followers(handle: str) -> str:
    return _follow_list(handle, "followers")


@blueprint.get("/u/<handle>/following")
def following(handle: str) -> str:
    return _follow_list(handle, "following")


def _change_follow(handle: str, action) -> BaseResponse:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action(current_user, handle)
    return redirect(url_for("profiles.profile", handle=handle.lower()))


@blueprint.post("/u/<handle>/follow")
@requires(Permission.write)
def follow(handle: str) -> BaseResponse:
    return _change_follow(handle, follows.follow)


@blueprint.post("/u/<handle>/unfollow")
@requires(Permission.write)
def unfollow(handle: str) -> BaseResponse:
    return _change_follow(handle, follows.unfollow)


@blueprint.get("/members", endpoint="directory")
def directory_page() -> tuple[str, int]:
    raw_term = request.args.get("q", "")
    staff_only = request.args.get("staff") == "1"
    problem = None
    try:
        term = fields.search_term(raw_term)
        page = directory.search(current_user, term, staff_only=staff_only, cursor=_cursor())
    except Invalid as error:
        problem, term, page = (
            str(error.message),
            raw_term,
            directory.Page(rows=[], next_cursor=None),
        )
    return render_template(
        "profiles/directory.html",
        term=term,
        staff_only=staff_only,
        page=page,
        problem=problem,
        first_page=not _cursor(),
        avatar_url=avatars.avatar_url,
        avatar_srcset=avatars.avatar_srcset,
    ), (422 if problem else 200)


# The package's one blueprint; its other route modules are nested under it (profiles.<name>.*).
blueprint.register_blueprint(settings_routes.blueprint)
