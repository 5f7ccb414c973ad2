"""Entity tags and If-None-Match, as RFC 9110 defines them (sections 8.8.3 and 13.1.2)."""

import hashlib
import re

from starlette.types import Scope

# A list member: optional whitespace, the weak prefix (case-sensitive, "W/"), then the quoted
# opaque-tag, whose characters (etagc) may include a comma: the list is read by its quotes.
_LISTED_TAG = re.compile(rb'(?:^|,)[ \t]*(?:W/)?("[\x21\x23-\x7e\x80-\xff]*")')


def entity_tag(body: bytes, coding: bytes | None = None) -> bytes:
    """A strong tag of the representation `body` is, once `coding` (if any) is applied to it.

    Derived from the unencoded bytes, so that every environment tags the same answer alike; a
    content coding is a different representation and gets a tag of its own (Apache's suffix).
    """
    digest = hashlib.blake2b(body, digest_size=16).hexdigest().encode()
    return b'"' + digest + (b"-" + coding if coding else b"") + b'"'


def if_none_match(scope: Scope) -> bytes | None:
    """The request's If-None-Match field, its lines joined as one list; None if absent."""
    lines = [value for name, value in scope["headers"] if name == b"if-none-match"]
    return b",".join(lines) if lines else None


def none_match_fails(field: bytes, tag: bytes) -> bool:
    """Whether If-None-Match `field` is false for a current representation tagged `tag`: it is
    `*`, or lists `tag` by weak comparison (the opaque tags alike, W/ or not). A field that
    lists no well-formed tag matches nothing."""
    if field.strip() == b"*":
        return True
    return any(listed == tag for listed in _LISTED_TAG.findall(field))
