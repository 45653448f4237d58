"""Reading pages the way a person's browser would: forms, tokens, labels, scripts."""

from __future__ import annotations

from html.parser import HTMLParser


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict[str, str | None]] = []
        self.labels_for: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_handlers: list[str] = []
        self._label_depth = 0
        self.wrapped_controls = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on"):
                self.inline_handlers.append(f"<{tag} {name}>")
        if tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.labels_for.add(attributes["for"] or "")
        elif tag in {"input", "select", "textarea"}:
            attributes["_tag"] = tag
            attributes["_in_label"] = "yes" if self._label_depth else None
            self.inputs.append(attributes)
        elif tag == "script":
            self.scripts.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def csrf_token(html: str) -> str:
    for field in parse(html).inputs:
        if field.get("name") == "csrf_token" and field.get("value"):
            return field["value"] or ""
    raise AssertionError("the page has no CSRF token")


def unlabelled_controls(html: str) -> list[str]:
    """Visible form controls that no <label> names (an accessibility failure)."""
    page = parse(html)
    missing = []
    for field in page.inputs:
        if field.get("type") in {"hidden", "submit", "button"}:
            continue
        named = (
            field.get("id") in page.labels_for
            or field.get("_in_label")
            or field.get("aria-label")
            or field.get("aria-labelledby")
        )
        if not named:
            missing.append(f"<{field['_tag']} name={field.get('name')!r}>")
    return missing


def executable_inline_script(html: str) -> list[str]:
    """Inline scripts or handlers that a strict CSP would block (data blocks are fine)."""
    page = parse(html)
    found = list(page.inline_handlers)
    for script in page.scripts:
        if not script.get("src") and script.get("type") != "application/json":
            found.append(f"<script {script}>")
    return found
