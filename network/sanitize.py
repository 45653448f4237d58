"""The only module that knows the HTML sanitizer (bleach) and its allow-lists (SEC-20).

User text is stored raw and as HTML made here: Markdown is rendered first
(raw HTML in the source is escaped, never passed through), then bleach keeps
only a small set of tags and attributes.  Templates may mark the result safe;
nothing else.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import partial
from html.parser import HTMLParser

import bleach
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h2",
        "h3",
        "h4",
        "img",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Images only from this server's uploads: no tracking pixels, nothing CSP would block.
_UPLOAD_SRC = re.compile(r"^/uploads/[A-Za-z0-9_-]{8,64}(\.[a-z0-9]{2,5})?$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_MENTION = re.compile(r"(?<![\w@/])@([a-z0-9_]{3,30})\b", re.IGNORECASE)

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(["html_block", "html_inline"])


def _visible(text: str) -> str:
    """The text as a browser resolves a URL: entities decoded, invisible characters gone."""
    decoded = html.unescape(text)
    return "".join(
        ch for ch in decoded if unicodedata.category(ch) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}
    )


def safe_href(value: str) -> bool:
    """A link target we keep: http, https, mailto, or a path on this site."""
    target = _visible(value)
    if not target or target.startswith("//") or "\\" in target:
        return False
    scheme = _SCHEME.match(target)
    if scheme:
        return scheme.group(1).lower() in ALLOWED_PROTOCOLS
    return target.startswith(("/", "#", "?")) or not any(c in target for c in ":")


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        if name == "href":
            return safe_href(value)
        return name in {"title", "rel"}
    if tag == "img":
        if name == "src":
            return bool(_UPLOAD_SRC.match(value))
        return name in {"alt", "title"}
    if tag in {"ol"}:
        return name == "start" and value.isdigit()
    return False


def _set_rel(attrs: dict, new: bool = False) -> dict | None:  # bleach's callback signature
    href_key = (None, "href")
    if href_key not in attrs:
        return attrs
    if not safe_href(attrs[href_key]):
        return None  # unlink: the text stays, the link goes
    attrs[(None, "rel")] = LINK_REL
    return attrs


_CLEAN = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
# Linkifying is a second pass over the cleaned HTML: as a Cleaner filter it
# unescapes one level of entities (bleach issues #130, #422), which would make
# sanitizing twice differ from sanitizing once.
_LINKER = bleach.Linker(callbacks=[_set_rel], parse_email=False)


_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def clean_html(markup: str) -> str:
    """Keep only allowed tags and attributes; links get rel, bare URLs become links."""
    # An image whose source was refused (another host) would only show its alt text.
    return _IMG_WITHOUT_SRC.sub("", _LINKER.linkify(_CLEAN.clean(markup)))


def render_markdown(text: str) -> str:
    """Markdown (CommonMark, raw HTML escaped) turned into sanitized HTML."""
    rendered = _markdown.render(text or "")
    # Headings start at h2: the page's own title is the h1.
    rendered = re.sub(r"<(/?)h1>", r"<\1h2>", rendered)
    rendered = re.sub(r"<(/?)h[56]>", r"<\1h4>", rendered)
    return clean_html(rendered)


def render_plain(text: str, mention_url: Callable[[str], str | None] | None = None) -> str:
    """Plain text (comments): escaped, paragraphs and line breaks kept, links and @mentions made.

    `mention_url(handle)` gives a profile URL for a handle that exists, else None,
    and the mention stays text.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", (text or "").strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph.strip(), quote=True).replace("\n", "<br>\n")
        if mention_url is not None:
            escaped = _MENTION.sub(partial(_mention_link, mention_url), escaped)
        parts.append(f"<p>{escaped}</p>")
    return clean_html("\n".join(parts))


def _mention_link(mention_url: Callable[[str], str | None], match: re.Match[str]) -> str:
    url = mention_url(match.group(1).lower())
    if url is None:
        return match.group(0)
    return f'<a href="{html.escape(url)}" class="mention">@{match.group(1)}</a>'


def mentioned_handles(text: str) -> set[str]:
    """Handles written as @handle in plain text, lower-cased."""
    return {handle.lower() for handle in _MENTION.findall(text or "")}


def plain_text(markup: str, limit: int | None = None) -> str:
    """Text without tags, for excerpts, titles and meta descriptions (then autoescaped).

    The input is HTML this module already sanitized, so a tag stripper is enough;
    parsing it again with bleach cost a millisecond per excerpt on busy pages.
    """
    text = Markup(markup or "").striptags()  # noqa: S704 (sanitized HTML in, plain text out)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value) for name, value in attrs if value]


def attribute_values(markup: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every attribute in sanitized HTML, entities decoded:
    what a page carries beside its text (link addresses, image descriptions)."""
    parser = _Attributes()
    parser.feed(markup or "")
    parser.close()
    return parser.found


def upload_images(markup: str) -> Iterable[str]:
    """The upload paths that sanitized HTML shows (to check ownership or clean up)."""
    return re.findall(r'<img[^>]* src="(/uploads/[^"]+)"', markup or "")
