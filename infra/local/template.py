"""Read template.yaml: a YAML loader that turns CloudFormation short tags into their long forms."""

from pathlib import Path
from typing import Any

import yaml

from infra.local.processes import ROOT

TEMPLATE = ROOT / "template.yaml"
# Every short tag CloudFormation defines; an unknown tag fails the load instead of passing as data.
SHORT_TAGS = (
    "Ref",
    "Condition",
    "GetAtt",
    "Sub",
    "If",
    "Equals",
    "Not",
    "And",
    "Or",
    "Select",
    "Join",
    "Split",
    "GetAZs",
    "FindInMap",
    "ImportValue",
    "Base64",
    "Cidr",
)


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads `!Ref X` as {"Ref": "X"}, `!GetAtt A.B` as {"Fn::GetAtt": [A, B]}..."""


def _long_form(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
    tag = node.tag[1:]
    # Ref and Condition keep their name; every other tag is a function, Fn::<name>.
    key = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag == "GetAtt":
            value = value.split(".", 1)  # the short form's "Resource.Attribute"
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {key: value}


for _tag in SHORT_TAGS:
    CfnLoader.add_constructor(f"!{_tag}", _long_form)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template at `path` as plain data, intrinsic functions in their long (JSON) form."""
    loaded = yaml.load(path.read_text(), Loader=CfnLoader)  # noqa: S506 (a SafeLoader subclass)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path} is not a CloudFormation template")
    return loaded


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """The template's resources of type `kind` (AWS::SQS::Queue...), by logical id."""
    resources: dict[str, dict[str, Any]] = template.get("Resources", {})
    return {name: res for name, res in resources.items() if res.get("Type") == kind}
