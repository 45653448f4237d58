"""The fragment kinds: what each key is made of, and the macro that renders it.

Every key holds every column its fragment shows, directly or through a
number that moves whenever they change (a post's and a comment's `version`
moves on every edit, delete, hide and restore; a comment's `n` on every
change to it; a post's `last_n` on every change to its conversation). A
member has no version: the author fields a fragment shows (handle, name,
role, avatar) are in its key themselves, so a rename or a new picture makes
new keys with nothing to remember to bump. Creation and edit times are in
the keys too, so a database restored from a backup (whose ids and versions
come round again with other texts) never meets an older fragment. Long keys are digested (BLAKE2b),
the same in every process, so Redis can share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import blake2b
from typing import Any

from flask import current_app
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup

from network.fragments import rendered

POST_CARD = "post"
POST_HEAD = "post_page"
COMMENT = "comment"
CASE_STUDY = "case_study"


def digest(parts: Iterable[Any]) -> str:
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return blake2b(text.encode(), digest_size=12).hexdigest()


def _author(member: Any) -> tuple[Any, ...]:
    return (member.id, member.handle, member.display_name, member.role.value, member.avatar)


def post_card_key(post: Any, latest: Sequence[Any] | None) -> str:
    parts: list[Any] = [
        post.version,
        post.state.value,
        post.visibility.value,
        post.is_announcement,
        post.comment_count,
        post.last_n,
        post.created_at,
        post.edited_at,
        *_author(post.author),
    ]
    for comment in latest or ():
        parts += (comment.id, comment.n, comment.version, comment.state.value)
        parts += _author(comment.author)
    return f"{post.id}.{post.version}.{digest(parts)}"


def post_head_key(post: Any) -> str:
    parts = [
        post.version,
        post.state.value,
        post.visibility.value,
        post.is_announcement,
        post.created_at,
        post.edited_at,
        *_author(post.author),
    ]
    return f"{post.id}.{post.version}.{digest(parts)}"


def comment_key(comment: Any) -> str:
    parts = [comment.n, comment.version, comment.state.value, comment.created_at, comment.edited_at]
    return f"{comment.id}.{comment.version}.{digest([*parts, *_author(comment.author)])}"


def case_study_key(story: Any) -> str:
    parts = [
        story.revision_number,
        story.revision_hash,
        story.audience,
        story.title,
        story.customer_name,
        story.company,
        sorted((str(name), str(value)) for name, value in (story.scopes or {}).items()),
    ]
    return f"{story.id}.{story.revision_number}.{digest(parts)}"


def _macro(template: str, name: str) -> Any:
    """A macro of `template`, made without the request's context.

    Its macros see the environment's globals and filters and the words
    below, never current_user, a form or a CSRF token, so a viewer's parts
    cannot get in. Made once per page and kind (a few tens of microseconds).
    """
    module = current_app.jinja_env.get_template(template).make_module(_words())
    return getattr(module, name)


def _words() -> dict[str, Any]:
    """gettext and ngettext for templates, bound to this request's catalogue once.

    They behave as Flask-Babel's (Jinja's "newstyle" gettext: autoescaped,
    always %-formatted), but look the catalogue up once per page instead of
    on every call, which cost a quarter of a post card.
    """
    translations = get_translations()
    singular, plural = translations.ugettext, translations.ungettext

    @pass_context
    def gettext(context: Any, string: str, **variables: Any) -> str:
        text = singular(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (a catalogue string, escaped as Jinja's own)
        return text % variables

    @pass_context
    def ngettext(context: Any, one: str, many: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = plural(one, many, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (a catalogue string, escaped as Jinja's own)
        return text % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def post_cards(posts: Sequence[Any], latest: dict[int, list[Any]]) -> dict[int, Markup]:
    """Cards of these posts (the feed, the front page), by post id."""
    card = _macro("posts/_post.html", "post_card")
    html = rendered(
        POST_CARD,
        posts,
        lambda post: post_card_key(post, latest.get(post.id)),
        lambda post: card(post, latest.get(post.id)),
    )
    return {post.id: fragment for post, fragment in zip(posts, html, strict=True)}


def post_head(post: Any) -> Markup:
    """The post page's header and text, without its actions."""
    head = _macro("posts/_post.html", "post_head")
    return rendered(POST_HEAD, [post], post_head_key, head)[0]


def comments(conversation: Sequence[Any], may_moderate: bool) -> dict[int, Markup]:
    """The shown part of each comment whose text this viewer may read, by comment id.

    Deleted comments, and hidden ones for anyone but a moderator, are not
    looked up at all: the page shows their tombstone.
    """
    shown = [
        comment
        for comment in conversation
        if comment.state.value == "visible" or (may_moderate and comment.state.value == "hidden")
    ]
    content = _macro("posts/_comment_content.html", "comment_content")
    html = rendered(COMMENT, shown, comment_key, content)
    return {comment.id: fragment for comment, fragment in zip(shown, html, strict=True)}


def comment_actions(
    conversation: Sequence[Any], access: Any, viewer: Any
) -> dict[int, tuple[bool, bool]]:
    """(may edit, may delete) per comment id for this viewer: their own links, never cached.

    `access` is posts/access.py, which the page passes in (the rules live
    there; this layer is below it). Asked once per page, in Python, instead of
    through the template's call machinery twice per comment.
    """
    viewer = getattr(viewer, "_get_current_object", lambda: viewer)()
    return {
        comment.id: (access.can_edit(viewer, comment), access.can_delete(viewer, comment))
        for comment in conversation
    }


def case_study_cards(stories: Sequence[Any]) -> list[Markup]:
    """Cards of published stories already filtered for this viewer (access.published_stories)."""
    card = _macro("case_studies/_card.html", "card")
    return rendered(CASE_STUDY, stories, case_study_key, card)
