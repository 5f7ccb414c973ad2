"""Reading template.yaml in tests: a resource's properties as declared."""

from typing import Any


def properties(template: dict[str, Any], name: str) -> dict[str, Any]:
    """The Properties of resource `name`, intrinsic functions in their long form."""
    declared: dict[str, Any] = template["Resources"][name]["Properties"]
    return declared
