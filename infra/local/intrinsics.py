"""Resolve a template's intrinsic functions for the local stack, as CloudFormation would."""

import re
from typing import Any

from infra.local.aws_env import ACCOUNT_ID, REGION

# AWS::StackName of the local stack (samconfig.toml names the deployed ones movie-api-<env>).
LOCAL_STACK_NAME = "movie-api-local"
_NO_VALUE = object()  # Ref AWS::NoValue: the property is left out
_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class Resolver:
    """Turns Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If and the condition
    functions into values.

    Parameters take their template defaults unless given; Ref and Fn::GetAtt of a resource answer
    what `created` says once the resource exists locally. Any other function is refused.
    """

    def __init__(self, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        self.conditions: dict[str, Any] = template.get("Conditions", {})
        self.values: dict[str, Any] = {
            "AWS::StackName": LOCAL_STACK_NAME,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": _NO_VALUE,
        }
        for name, spec in template.get("Parameters", {}).items():
            if "Default" in spec:
                default = spec["Default"]
                is_list = spec.get("Type") == "CommaDelimitedList"
                self.values[name] = default.split(",") if is_list else default
        self.values.update(parameters or {})
        self.created: dict[tuple[str, str], str] = {}  # (logical id, "Ref" or attribute) -> value

    def created_resource(self, name: str, ref: str, **attributes: str) -> None:
        """Record what Ref and Fn::GetAtt of the resource `name` answer from now on."""
        self.created[(name, "Ref")] = ref
        self.created.update({(name, attribute): v for attribute, v in attributes.items()})

    def resolve(self, value: Any) -> Any:
        """`value` with every intrinsic function replaced by its value."""
        if isinstance(value, list):
            return [v for v in map(self.resolve, value) if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            [(key, argument)] = value.items()
            if key in ("Ref", "Condition") or key.startswith("Fn::"):
                return self._function(key, argument)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def condition(self, name: str) -> bool:
        """The value of the template's condition `name`."""
        return bool(self.resolve(self.conditions[name]))

    def _function(self, key: str, argument: Any) -> Any:
        match key:
            case "Ref":
                return self._lookup(argument, "Ref")
            case "Fn::GetAtt":
                name, attribute = argument
                return self._lookup(name, attribute)
            case "Fn::Sub":
                return self._sub(*argument) if isinstance(argument, list) else self._sub(argument)
            case "Fn::Join":
                separator, items = argument
                return separator.join(str(item) for item in self.resolve(items))
            case "Fn::Select":
                index, items = argument
                return self.resolve(items)[int(self.resolve(index))]
            case "Fn::Split":
                separator, text = argument
                return str(self.resolve(text)).split(separator)
            case "Fn::If":
                name, if_true, if_false = argument
                return self.resolve(if_true if self.condition(name) else if_false)
            case "Condition":
                return self.condition(argument)
            case "Fn::Equals":
                left, right = self.resolve(argument)
                return str(left) == str(right)
            case "Fn::Not":
                return not self.resolve(argument[0])
            case "Fn::And":
                return all(self.resolve(argument))
            case "Fn::Or":
                return any(self.resolve(argument))
        raise ValueError(f"{key} is not resolved for the local stack: resolve it in {__name__}")

    def _lookup(self, name: str, attribute: str) -> Any:
        if attribute == "Ref" and name in self.values:
            return self.values[name]
        if (name, attribute) not in self.created:
            what = name if attribute == "Ref" else f"{name}.{attribute}"
            raise LookupError(f"{what} has no local value (a parameter default, or created first)")
        return self.created[(name, attribute)]

    def _sub(self, text: str, variables: dict[str, Any] | None = None) -> str:
        local = {name: self.resolve(value) for name, value in (variables or {}).items()}

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):  # ${!Literal} is the text ${Literal}
                return "${" + name[1:] + "}"
            if name in local:
                return str(local[name])
            resource, _, attribute = name.partition(".")
            return str(self._lookup(resource, attribute or "Ref"))

        return _SUB_VARIABLE.sub(substitute, text)


def references(value: Any) -> set[str]:
    """The names `value` refers to by Ref, Fn::GetAtt or Fn::Sub: what it depends on."""
    if isinstance(value, list):
        return set().union(*map(references, value))
    if not isinstance(value, dict):
        return set()
    found = set().union(*map(references, value.values()))
    if isinstance(ref := value.get("Ref"), str):
        found.add(ref)
    if isinstance(get_att := value.get("Fn::GetAtt"), list):
        found.add(get_att[0])
    if "Fn::Sub" in value:
        text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
        names = _SUB_VARIABLE.findall(text)
        found |= {name.split(".")[0] for name in names if not name.startswith("!")}
    return found
