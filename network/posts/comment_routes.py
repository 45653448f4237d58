"""HTTP routes for comments: add, edit, delete, moderate."""

from __future__ import annotations

import contextlib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.exceptions import Conflict, Invalid
from network.permissions import signed_in
from network.posts import access, comments, service
from network.posts.forms import CommentEditForm, CommentForm
from network.web.answers import show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm, show_version

blueprint = Blueprint("comments", __name__)  # posts.comments


def _comment_url(comment) -> str:
    return url_for("posts.show", post_id=comment.post_id, _anchor=f"c{comment.seq}")


@blueprint.post("/posts/<int:post_id>/comments")
@signed_in
@rerenders_form_on_csrf_error
def create(post_id: int) -> Response | tuple[str, int]:
    post = service.post_for_viewer(current_user, post_id)
    form = CommentForm()
    error_status = 422
    if form.validate_on_submit():
        try:
            comment = comments.add_comment(current_user, post_id, form.body.data, key=form.key.data)
        except Invalid as error:
            show_form_error(form, error)
        else:
            return redirect(_comment_url(comment))
    conversation = comments.comments_after(post)
    return render_template(
        "posts/show.html",
        post=post,
        conversation=conversation,
        comment_form=form,
        more_after=None,
        access=access,
        confirm_form=ConfirmForm(formdata=None),
    ), error_status


def _visible_comment(comment_id: int):
    return comments.comment_for_viewer(current_user, comment_id)


@blueprint.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@signed_in
@rerenders_form_on_csrf_error
def edit(comment_id: int) -> Response | str | tuple[str, int]:
    comment, post = _visible_comment(comment_id)
    if not access.can_edit(current_user, comment):
        abort(403)
    if request.method == "GET":
        form = CommentEditForm(formdata=None, obj=comment)
        return render_template("posts/comment_edit.html", form=form, comment=comment, post=post)
    form = CommentEditForm()
    if not form.validate_on_submit():
        return render_template(
            "posts/comment_edit.html", form=form, comment=comment, post=post
        ), 422
    try:
        comment = comments.edit_comment(
            current_user, comment_id, version=form.version.data, body=form.body.data
        )
    except Invalid as error:
        show_form_error(form, error)
        return render_template(
            "posts/comment_edit.html", form=form, comment=comment, post=post
        ), 422
    except Conflict:
        current = comments.load_comment(comment_id)
        show_version(form.version, current.version)
        form.form_errors.append(
            _(
                "Someone changed this comment while you were editing. Your "
                "text is below; the saved text is shown above it."
            )
        )
        return render_template(
            "posts/comment_edit.html", form=form, comment=current, post=post
        ), 409
    return redirect(_comment_url(comment))


@blueprint.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@signed_in
def delete(comment_id: int) -> Response | str:
    comment, post = _visible_comment(comment_id)
    if not access.can_delete(current_user, comment):
        abort(403)
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("posts/comment_delete.html", comment=comment, post=post, form=form)
    comments.delete_comment(current_user, comment_id)
    flash(_("The comment is deleted."), "success")
    return redirect(url_for("posts.show", post_id=post.id))


@blueprint.post("/comments/<int:comment_id>/hide")
@signed_in
def hide(comment_id: int) -> Response:
    return _moderate(comment_id, hide=True)


@blueprint.post("/comments/<int:comment_id>/restore")
@signed_in
def restore(comment_id: int) -> Response:
    return _moderate(comment_id, hide=False)


def _moderate(comment_id: int, hide: bool) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    comment, _post = _visible_comment(comment_id)
    with contextlib.suppress(Conflict):  # already so: the page shows the state
        comments.set_comment_hidden(current_user, comment_id, hide)
    return redirect(_comment_url(comment))
