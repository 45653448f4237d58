"""HTTP routes for posts: write, read, edit, delete, moderate."""

from __future__ import annotations

import contextlib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.exceptions import Conflict, Invalid
from network.permissions import Permission, requires, signed_in
from network.posts import access, comment_routes, comments, feed_routes, service
from network.posts.forms import CommentForm, PostForm
from network.web.answers import show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm, new_key, show_version

blueprint = Blueprint("posts", __name__)


def _editor(form: PostForm, status: int = 200, post=None) -> tuple[str, int]:
    return render_template(
        "posts/editor.html", form=form, post=post, can_announce=access.can_announce(current_user)
    ), status


@blueprint.get("/posts/new")
@requires(Permission.write)
def new() -> tuple[str, int]:
    form = PostForm(formdata=None)
    form.key.data = new_key()
    return _editor(form)


@blueprint.post("/posts")
@requires(Permission.write)
@rerenders_form_on_csrf_error
def create() -> Response | tuple[str, int]:
    form = PostForm()
    if not form.validate_on_submit():
        return _editor(form, 422)
    try:
        post = service.create_post(
            current_user,
            title=form.title.data,
            body=form.body.data,
            visibility=form.visibility.data,
            pinned_until=form.pinned_until.data,
            key=form.key.data,
        )
    except Invalid as error:
        show_form_error(form, error)
        return _editor(form, 422)
    return redirect(url_for("posts.show", post_id=post.id))


@blueprint.get("/posts/<int:post_id>")
def show(post_id: int) -> str:
    post = service.post_for_viewer(current_user, post_id)
    after = request.args.get("after", 0, type=int) or 0
    conversation = comments.comments_after(post, after_seq=max(0, after))
    comment_form = CommentForm(formdata=None)
    comment_form.key.data = new_key()
    return render_template(
        "posts/show.html",
        post=post,
        conversation=conversation,
        comment_form=comment_form,
        more_after=conversation[-1].seq if len(conversation) == comments.MAX_PAGE else None,
        access=access,
        confirm_form=ConfirmForm(formdata=None),
    )


def _owned_post(post_id: int):
    post = service.post_for_viewer(current_user, post_id)
    if not access.can_edit(current_user, post):
        abort(403)
    return post


@blueprint.get("/posts/<int:post_id>/edit")
@signed_in
def edit(post_id: int) -> tuple[str, int]:
    post = _owned_post(post_id)
    form = PostForm(formdata=None, obj=post)
    form.visibility.data = post.visibility.value
    return _editor(form, post=post)


@blueprint.post("/posts/<int:post_id>/edit")
@signed_in
@rerenders_form_on_csrf_error
def update(post_id: int) -> Response | tuple[str, int]:
    post = _owned_post(post_id)
    form = PostForm()
    if not form.validate_on_submit():
        return _editor(form, 422, post=post)
    try:
        service.edit_post(
            current_user,
            post_id,
            version=form.version.data or 0,
            title=form.title.data,
            body=form.body.data,
            visibility=form.visibility.data,
        )
    except Invalid as error:
        show_form_error(form, error)
        return _editor(form, 422, post=post)
    except Conflict:
        # Show what is saved now beside what they typed, with the fresh version.
        current = service.load_post(post_id)
        show_version(form.version, current.version)
        form.form_errors.append(
            _(
                "Someone saved this post while you were editing. Your text "
                "is below; the saved text is shown above it."
            )
        )
        return _editor(form, 409, post=current)
    flash(_("Saved."), "success")
    return redirect(url_for("posts.show", post_id=post_id))


@blueprint.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
@signed_in
def delete(post_id: int) -> Response | str:
    post = service.post_for_viewer(current_user, post_id)
    if not access.can_delete(current_user, post):
        abort(403)
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("posts/confirm_delete.html", post=post, form=form)
    service.delete_post(current_user, post_id)
    flash(_("The post is deleted."), "success")
    return redirect(url_for("posts.feed.home"))


@blueprint.post("/posts/<int:post_id>/hide")
@signed_in
def hide(post_id: int) -> Response:
    return _moderate(post_id, hide=True)


@blueprint.post("/posts/<int:post_id>/restore")
@signed_in
def restore(post_id: int) -> Response:
    return _moderate(post_id, hide=False)


def _moderate(post_id: int, hide: bool) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with contextlib.suppress(Conflict):  # already so: the page shows the state
        service.set_post_hidden(current_user, post_id, hide)
    flash(_("The post is hidden.") if hide else _("The post is visible again."), "success")
    return redirect(url_for("posts.show", post_id=post_id))


# The package's one blueprint; its other route modules are nested under it (posts.<name>.*).
blueprint.register_blueprint(comment_routes.blueprint)
blueprint.register_blueprint(feed_routes.blueprint)
