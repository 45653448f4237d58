"""What a revision says: its fields checked and rendered, and the hash consent binds to."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from network import sanitize, text_rules
from network.exceptions import Invalid

MAX_TITLE = 200
MAX_PROSE = 20_000
MAX_QUOTE = 2_000
MAX_FIGURES = 12
MAX_FIGURE_PART = 60
PROSE = ("challenge", "solution", "results")
FIELD_LABELS = {
    "title": _l("Title"),
    "challenge": _l("Challenge"),
    "solution": _l("Solution"),
    "results": _l("Results"),
    "quote": _l("Quote"),
    "figures": _l("Figures"),
}


@dataclass(frozen=True)
class Draft:
    """A revision's content as staff typed it (the form or the API)."""

    title: str
    challenge: str
    solution: str
    results: str
    quote: str = ""
    figures: list[dict[str, str]] = field(default_factory=list)
    logo: str | None = None  # an upload name


def _text(value: Any, name: str, limit: int, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_l("Write text here."), field=name)
    # The title and the figures are single lines (the title heads feeds and cards).
    rule = {"title": text_rules.title, "figures": text_rules.line}.get(name, text_rules.body)
    value = rule(value, name, FIELD_LABELS.get(name, name)).strip()
    if required and not value:
        raise Invalid(_l("Write something first."), field=name)
    if len(value) > limit:
        raise Invalid(_l("Use at most %(max)d characters.", max=limit), field=name)
    return value


def _figures(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(_l("Figures are a list of label, value and unit."), field="figures")
    if len(value) > MAX_FIGURES:
        raise Invalid(_l("Use at most %(max)d figures.", max=MAX_FIGURES), field="figures")
    figures = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"label", "value", "unit"}:
            raise Invalid(_l("Figures are a list of label, value and unit."), field="figures")
        row = {
            part: " ".join(
                _text(item.get(part), "figures", MAX_FIGURE_PART, required=False).split()
            )
            for part in ("label", "value", "unit")
        }
        if not any(row.values()):
            continue  # an empty row of the form
        if not row["label"] or not row["value"]:
            raise Invalid(_l("Each figure needs a label and a value."), field="figures")
        figures.append(row)
    return figures


def clean(draft: Draft) -> dict[str, Any]:
    """The revision's columns: checked, Markdown rendered and sanitized, and hashed."""
    values: dict[str, Any] = {
        "title": " ".join(_text(draft.title, "title", MAX_TITLE).split()),
        "quote": _text(draft.quote, "quote", MAX_QUOTE, required=False),
        "figures": _figures(draft.figures),
        "logo": draft.logo or None,
    }
    for name in PROSE:
        text = _text(getattr(draft, name), name, MAX_PROSE)
        values[name] = text
        values[f"{name}_html"] = sanitize.render_markdown(text)
    values["content_hash"] = content_hash(values)
    return values


def content_hash(values: dict[str, Any]) -> str:
    """sha256 over everything a reader can see of the revision, in a canonical form."""
    shown = {name: values.get(name) for name in ("title", *PROSE, "quote", "figures", "logo")}
    canonical = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def as_draft(revision: Any) -> Draft:
    """A stored revision as a Draft (to edit it, or to compare two)."""
    return Draft(
        title=revision.title,
        challenge=revision.challenge,
        solution=revision.solution,
        results=revision.results,
        quote=revision.quote,
        figures=list(revision.figures or []),
        logo=revision.logo,
    )
