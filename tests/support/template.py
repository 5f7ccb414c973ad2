"""Reading template.yaml in tests: a resource's properties as declared, edited copies, and the
resources that exist with given parameters."""

import re
from pathlib import Path
from typing import Any

from infra.local.intrinsics import Resolver
from infra.local.template import TEMPLATE


def properties(template: dict[str, Any], name: str) -> dict[str, Any]:
    """The Properties of resource `name`, intrinsic functions in their long form."""
    declared: dict[str, Any] = template["Resources"][name]["Properties"]
    return declared


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of template.yaml with each (pattern, replacement) made exactly once."""
    text = TEMPLATE.read_text()
    for pattern, replacement in changes:
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"{pattern!r} is not in template.yaml exactly once"
    copy = tmp_path / "template.yaml"
    copy.write_text(text)
    return copy


def present(template: dict[str, Any], parameters: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The template's resources that exist with `parameters` (conditions resolved)."""
    resolver = Resolver(template, parameters)
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if "Condition" not in resource or resolver.condition(resource["Condition"])
    }
