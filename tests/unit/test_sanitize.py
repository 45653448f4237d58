"""SEC-20: Markdown first, bleach after; nothing executable survives; sanitizing is idempotent."""

from __future__ import annotations

import pytest

from network.sanitize import clean_html, plain_text, render_markdown, render_plain
from tests.support.corpus import lines as corpus
from tests.support.markup import executable_markup


def test_no_xss_payload_survives_markdown_or_plain_rendering():
    for payload in corpus("xss-payloads.txt"):
        for rendered in (render_markdown(payload), render_plain(payload, lambda h: "/u/" + h)):
            assert executable_markup(rendered) == [], payload
            assert clean_html(rendered) == rendered, payload  # idempotent


def test_naughty_strings_render_without_error_and_idempotently():
    for line in corpus("naughty-strings.txt"):
        rendered = render_markdown(line)
        assert executable_markup(rendered) == []
        assert clean_html(rendered) == rendered


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java\u200bscript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "<script>alert(1)</script>",
        "<svg onload=alert(1)>",
        "<iframe src=https://evil.example></iframe>",
        "<img src=x onerror=alert(1)>",
        "<math><mtext><script>alert(1)</script></mtext></math>",
        "<style>body{display:none}</style>",
        "<form action=https://evil.example><input name=x></form>",
    ],
)
def test_obfuscated_and_raw_markup_is_refused(source):
    rendered = render_markdown(source)
    assert executable_markup(rendered) == []
    assert "<a href" not in rendered or 'href="http' in rendered


def test_links_keep_safe_schemes_and_get_rel():
    rendered = render_markdown(
        "[site](https://example.com) [mail](mailto:a@example.com) [local](/u/anna) https://bare.example.com/x"
    )
    assert rendered.count('rel="nofollow ugc noopener"') == 4
    assert 'href="https://example.com"' in rendered
    assert 'href="mailto:a@example.com"' in rendered
    assert 'href="/u/anna"' in rendered
    assert 'href="https://bare.example.com/x"' in rendered


def test_images_only_from_this_servers_uploads():
    rendered = render_markdown(
        "![ours](/uploads/AbCdEfGh12345678) ![theirs](https://tracker.example/p.gif)"
    )
    assert '<img src="/uploads/AbCdEfGh12345678" alt="ours">' in rendered
    assert "tracker.example" not in rendered


def test_headings_start_below_the_page_title():
    assert render_markdown("# Big").startswith("<h2>")


def test_comments_are_plain_text_with_links_and_known_mentions():
    rendered = render_plain(
        "Hi @anna and @ghost, see https://example.com\n**not bold**",
        lambda handle: "/u/anna" if handle == "anna" else None,
    )
    assert '<a href="/u/anna" rel="nofollow ugc noopener">@anna</a>' in rendered
    assert "@ghost" in rendered and "/u/ghost" not in rendered
    assert 'href="https://example.com"' in rendered
    assert "**not bold**" in rendered and "<strong>" not in rendered
    assert "<br>" in rendered


def test_plain_text_strips_tags_for_excerpts():
    assert plain_text("<p>Hello <strong>world</strong> &amp; you</p>") == "Hello world & you"
    assert plain_text("<p>" + "word " * 100 + "</p>", limit=20).endswith("…")
