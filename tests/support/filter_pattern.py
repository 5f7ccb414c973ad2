"""CloudWatch Logs JSON filter patterns, the part the template uses, run on a decoded log line.

`{ ($.status >= 500) && ($.message = "request") }`: terms joined by `&&`, each a field of the
line compared with a quoted string (`=` and `!=`) or a number. As CloudWatch does, a field the
line lacks matches nothing, and a numeric comparison matches numbers only.
"""

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

_TERM = re.compile(r'\(?\s*\$\.(\w+)\s*(=|!=|>=|<=|>|<)\s*("[^"]*"|-?\d+(?:\.\d+)?)\s*\)?')
_NUMERIC: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def _term(text: str, line: Mapping[str, Any]) -> bool:
    found = _TERM.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"not a term this reader knows: {text!r}")
    field, op, literal = found.groups()
    if field not in line:
        return False
    value = line[field]
    if literal.startswith('"'):
        if op not in ("=", "!="):
            raise ValueError(f"strings compare with = or != only: {text!r}")
        return bool(value == literal[1:-1]) == (op == "=")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return _NUMERIC[op](value, float(literal))


def matches(pattern: str, line: Mapping[str, Any]) -> bool:
    """Whether the JSON filter `pattern` selects the log `line`."""
    body = pattern.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise ValueError(f"not a JSON filter pattern: {pattern!r}")
    return all(_term(term, line) for term in body[1:-1].split("&&"))
