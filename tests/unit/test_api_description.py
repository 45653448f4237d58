"""The OpenAPI document is gathered from the parts that describe themselves; a name defined twice
is a mistake the document refuses, never a silent override (issue 17)."""

from __future__ import annotations

import pytest

from network.api import comments, me, openapi, posts, spec


def test_each_part_describes_its_own_paths_and_the_document_holds_them_all():
    paths = openapi.document(["en"])["paths"]
    for part in openapi.PARTS:
        assert part.PATHS and part.PATHS.keys() <= paths.keys(), part.__name__
    assert "/openapi.json" in paths


def test_every_named_schema_a_part_refers_to_is_in_the_document():
    document = openapi.document(["en", "ru"])
    named = document["components"]["schemas"]
    assert named["MeChanges"]["properties"]["language"]["enum"] == ["en", "ru"]
    assert named["Member"] is spec.MEMBER and named["Post"] is posts.POST
    text = repr(document)
    for reference in set(text.split("#/components/schemas/")[1:]):
        assert reference.split("'")[0] in named


def test_a_path_defined_twice_is_refused(monkeypatch):
    monkeypatch.setattr(comments, "PATHS", {**comments.PATHS, "/posts": posts.PATHS["/posts"]})
    with pytest.raises(ValueError, match="path defined twice: /posts"):
        openapi.document(["en"])


def test_a_schema_name_defined_twice_is_refused(monkeypatch):
    monkeypatch.setattr(me, "SCHEMAS", {**me.SCHEMAS, "Post": posts.POST})
    with pytest.raises(ValueError, match="schema defined twice: Post"):
        openapi.document(["en"])


def test_merging_keeps_every_entry_of_parts_that_do_not_overlap():
    assert openapi.merged("path", [{"/a": 1}, {"/b": 2}, {}]) == {"/a": 1, "/b": 2}
