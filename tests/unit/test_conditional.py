"""Entity tags and If-None-Match read as RFC 9110 says: `*`, lists, weak comparison."""

import re

import pytest

from movies.api.middleware.conditional import entity_tag, if_none_match, none_match_fails

TAG = entity_tag(b'{"id": 1}')


def test_a_tag_is_strong_and_depends_on_the_bytes_only() -> None:
    assert re.fullmatch(rb'"[0-9a-f]{32}"', TAG)
    assert entity_tag(b'{"id": 1}') == TAG
    assert entity_tag(b'{"id": 2}') != TAG


def test_a_content_coding_is_another_representation_with_its_own_tag() -> None:
    zipped = entity_tag(b'{"id": 1}', b"gzip")
    assert zipped == TAG[:-1] + b'-gzip"'


@pytest.mark.parametrize(
    "field",
    [
        b"*",
        b"  *  ",
        TAG,
        b"W/" + TAG,  # weak comparison: the prefix does not count
        b'"other", ' + TAG,
        b'W/"other",' + TAG + b' , "more"',
        b'"a,b", ' + TAG,  # a comma inside a tag belongs to it
        b'"x", , ' + TAG,  # empty list members are allowed
    ],
)
def test_the_condition_fails_for_star_or_a_listed_tag(field: bytes) -> None:
    assert none_match_fails(field, TAG)


@pytest.mark.parametrize(
    "field",
    [
        b"",
        b'"other"',
        TAG.strip(b'"'),  # unquoted: no tag at all
        b"w/" + TAG,  # the weak prefix is case-sensitive
        b'"a' + TAG,  # the tag is inside another one
        b"**",
        TAG[:-1] + b'-gzip"',  # the gzip representation's tag names that one only
    ],
)
def test_the_condition_holds_for_anything_else(field: bytes) -> None:
    assert not none_match_fails(field, TAG)


def test_several_header_lines_are_one_list() -> None:
    scope = {"headers": [(b"if-none-match", b'"a"'), (b"accept", b"*/*"), (b"if-none-match", TAG)]}
    field = if_none_match(scope)
    assert field is not None
    assert none_match_fails(field, TAG)
    assert if_none_match({"headers": [(b"accept", b"*/*")]}) is None
