"""Reading template.yaml in tests: a resource's properties as declared, the resources that exist."""

from typing import Any

from infra.local.intrinsics import Resolver


def properties(template: dict[str, Any], name: str) -> dict[str, Any]:
    """The Properties of resource `name`, intrinsic functions in their long form."""
    declared: dict[str, Any] = template["Resources"][name]["Properties"]
    return declared


def present(template: dict[str, Any], parameters: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The template's resources that exist with `parameters` (conditions resolved)."""
    resolver = Resolver(template, parameters)
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if "Condition" not in resource or resolver.condition(resource["Condition"])
    }
