"""SEC-08: `next` only ever leads to a path on this site."""

import pytest

from network.web.redirects import safe_next

HOSTILE = [
    "//evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "https:evil.com",
    "https://evil.com/",
    "http://evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%2F%2Fevil.com",
    "%252F%252Fevil.com",
    "/%2F/evil.com",
    "/%5Cevil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    " //evil.com",
    "data:text/html,<script>alert(1)</script>",
    "evil.com",
    "",
    None,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_land_on_the_front_page(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", "/u/anna", "/posts/3?page=2#c-9", "/search?q=a%20b"])
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target) == target


def test_the_fallback_can_be_chosen():
    assert safe_next("//evil.com", default="/feed") == "/feed"
