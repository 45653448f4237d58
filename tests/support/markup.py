"""Finding executable markup in HTML, the way the corpus README describes it (SEC-20)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "base",
    "meta",
    "svg",
    "math",
    "style",
    "form",
    "noscript",
    "frame",
    "frameset",
    "applet",
    "link",
    "input",
    "button",
    "textarea",
    "img_",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "srcset",
}
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|livescript|mocha)\s*:", re.IGNORECASE)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            if name in URL_ATTRIBUTES:
                visible = "".join(
                    ch for ch in html.unescape(value) if ch.isprintable() and not ch.isspace()
                )
                if BAD_SCHEME.match(visible):
                    self.found.append(f"<{tag} {name}={value!r}>")
                if tag == "img" and name == "src" and not value.startswith("/uploads/"):
                    self.found.append(f"<img src={value!r}> from elsewhere")
            if name == "style" and re.search(r"expression\(|behavior:|url\(", value, re.I):
                self.found.append(f"<{tag} style={value!r}>")

    handle_startendtag = handle_starttag


def executable_markup(markup: str) -> list[str]:
    finder = _Finder()
    finder.feed(markup)
    finder.close()
    return finder.found
