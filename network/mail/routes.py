"""The unsubscribe pages: GET shows one button, POST (or RFC 8058 one-click) turns the kind off.

GET changes nothing, so link scanners and previews that open the link do not
unsubscribe anyone. The signed token in the URL is the credential, so the POST
needs neither a session nor a CSRF token: mail clients send the RFC 8058
one-click POST (body `List-Unsubscribe=One-Click`) with no cookie at all.
"""

from __future__ import annotations

import re

from flask import Blueprint, render_template
from markupsafe import Markup, escape

from network.database import write_transaction
from network.extensions import csrf, db
from network.logs import get_logger
from network.mail import preferences
from network.mail import unsubscribe as links
from network.models import Member

blueprint = Blueprint("mail", __name__)
log = get_logger("mail")
_URL = re.compile(r"https?://[^\s<>\"']+")


def _subject(kind: str) -> str:
    from flask_babel import gettext as _

    names = {
        "staff_reply": _("staff replies to your questions and comments"),
        "comment_reply": _("replies to your comments"),
        "mention": _("mentions of you"),
        "consent_request": _("consent requests for case studies"),
        "case_study_published": _("case studies about you being published"),
        "case_study_expiring": _("case studies about you about to expire"),
        "digest": _("the digest"),
    }
    return names.get(kind, kind)


def _found(token: str) -> tuple[links.Unsubscribe, Member] | None:
    named = links.read(token)
    if named is None:
        return None
    member = db.session.get(Member, named.member_id)
    if member is None:
        return None
    return named, member


def _invalid() -> tuple[str, int]:
    return render_template("mail_pages/unsubscribe.html", state="invalid"), 404


@blueprint.get("/mail/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str | tuple[str, int]:
    found = _found(token)
    if found is None:
        return _invalid()
    named, member = found
    done = preferences.mode_for(member, named.kind) == preferences.NEVER
    return render_template(
        "mail_pages/unsubscribe.html",
        state="done" if done else "ask",
        what=_subject(named.kind),
        token=token,
    )


@blueprint.post("/mail/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str) -> str | tuple[str, int]:
    found = _found(token)
    if found is None:
        return _invalid()
    named, member = found
    member_id = member.id
    with write_transaction() as session:
        member = session.get(Member, member_id)
        if member is not None:
            preferences.set_mode(member, named.kind, preferences.NEVER)
    log.info("unsubscribed member=%s kind=%s", member_id, named.kind)
    return render_template("mail_pages/unsubscribe.html", state="done", what=_subject(named.kind))


@blueprint.app_template_filter("mail_paragraphs")
def mail_paragraphs(text: str) -> Markup:
    """Plain text as HTML paragraphs, escaped, with its links made clickable."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", str(text).strip()):
        escaped = str(escape(block))
        linked = _URL.sub(lambda found: f'<a href="{found.group(0)}">{found.group(0)}</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return Markup("\n".join(paragraphs))  # noqa: S704 (escaped above)
