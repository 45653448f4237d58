"""What changed between two revisions, word by word, for the customer's review page."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from network.case_studies import access, scopes
from network.extensions import db
from network.models import (
    CaseStudyRevision,
)

DIFF_FIELDS = (
    ("title", scopes.FIELD_NAMES["title"]),
    ("challenge", scopes.FIELD_NAMES["challenge"]),
    ("solution", scopes.FIELD_NAMES["solution"]),
    ("results", scopes.FIELD_NAMES["results"]),
    ("quote", scopes.FIELD_NAMES["quote"]),
    ("figures", scopes.FIELD_NAMES["figures"]),
    ("logo", _l("Logo")),
)


def last_approved(case_study_id: int) -> CaseStudyRevision | None:
    """The revision of the customer's most recent consent (whatever became of it)."""
    consent = access.latest_consent(case_study_id)
    return db.session.get(CaseStudyRevision, consent.revision_id) if consent else None


def _words(text: str) -> list[str]:
    return re.findall(r"\S+|\s+", text or "")


def diff_markup(old: str, new: str) -> Markup:
    """Word by word, with <del> and <ins> around escaped text (never the text's own HTML)."""
    before, after = _words(old), _words(new)
    parts: list[Markup] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>%s</del>") % "".join(before[i1:i2]))
        if j2 > j1:
            parts.append(Markup("<ins>%s</ins>") % "".join(after[j1:j2]))
    return Markup("").join(parts)


def _diff_text(revision: CaseStudyRevision, name: str) -> str:
    if name == "figures":
        return "\n".join(
            f"{row.get('label', '')}: {row.get('value', '')} {row.get('unit', '')}".rstrip()
            for row in revision.figures or []
        )
    if name == "logo":
        return revision.logo or ""
    return getattr(revision, name) or ""


def revision_diff(old: CaseStudyRevision, new: CaseStudyRevision) -> list[tuple[Any, Markup]]:
    """The fields that changed between two revisions, each as a marked-up diff."""
    changed = []
    for name, label in DIFF_FIELDS:
        before, after = _diff_text(old, name), _diff_text(new, name)
        if before == after:
            continue
        if name == "logo":
            changed.append((label, escape(_("The logo was changed."))))
        else:
            changed.append((label, diff_markup(before, after)))
    return changed
