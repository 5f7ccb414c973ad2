"""The CloudFormation loader's long forms, and the local resolver of intrinsic functions."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.local.aws_env import ACCOUNT_ID, REGION
from infra.local.intrinsics import LOCAL_STACK_NAME, Resolver, references
from infra.local.template import SHORT_TAGS, load_template

SHORT = """
a: !Ref Stage
b: !GetAtt Queue.Arn
c: !GetAtt [Queue, QueueName]
d: !Sub "${AWS::StackName}-${Stage}"
e: !If [IsProd, 1, 2]
f: !Not [!Equals [!Ref Stage, prod]]
g: !Condition IsProd
h: !Select [0, !GetAZs ""]
i: !Join [",", [x, y]]
j: !Split [",", "x,y"]
k: !FindInMap [Map, Key, Value]
l: !And [!Condition IsProd, !Or [!Condition IsProd, !Condition IsProd]]
m: !ImportValue Shared
n: !Base64 text
o: !Cidr [10.0.0.0/16, 2, 8]
"""


def load(tmp_path: Path, text: str) -> dict[str, Any]:
    path = tmp_path / "template.yaml"
    path.write_text(text)
    return load_template(path)


def test_every_short_tag_reads_as_its_long_form(tmp_path: Path) -> None:
    loaded = load(tmp_path, SHORT)
    assert loaded["a"] == {"Ref": "Stage"}
    assert loaded["b"] == {"Fn::GetAtt": ["Queue", "Arn"]}
    assert loaded["c"] == {"Fn::GetAtt": ["Queue", "QueueName"]}
    assert loaded["f"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "Stage"}, "prod"]}]}
    assert loaded["g"] == {"Condition": "IsProd"}
    assert loaded["h"] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    assert loaded["o"] == {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}
    assert loaded["l"]["Fn::And"][1] == {"Fn::Or": [{"Condition": "IsProd"}] * 2}
    # Every tag is read, at the top level or (Equals, GetAZs, Or) inside another.
    nested = {"Equals", "GetAZs", "Or"}
    expected = {t if t in ("Ref", "Condition") else f"Fn::{t}" for t in set(SHORT_TAGS) - nested}
    assert {next(iter(value)) for value in loaded.values()} == expected


def test_an_unknown_tag_fails_the_load(tmp_path: Path) -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        load(tmp_path, "a: !Reference Stage\n")


def resolver(tmp_path: Path) -> Resolver:
    return Resolver(
        load(
            tmp_path,
            """
Parameters:
  Stage: {Type: String, Default: dev}
  Origins: {Type: CommaDelimitedList, Default: "a,b"}
  Url: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
""",
        )
    )


def test_parameters_pseudo_parameters_and_conditions_resolve(tmp_path: Path) -> None:
    local = resolver(tmp_path)
    value = {
        "name": {"Fn::Sub": "${AWS::StackName}-${Stage}-${!Literal}"},
        "arn": {"Fn::Sub": ["arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Q}", {"Q": "q"}]},
        "origins": {"Fn::Join": [";", {"Ref": "Origins"}]},
        "protected": {"Fn::If": ["IsProd", True, False]},
        "dev": {"Fn::And": [{"Condition": "IsDev"}, {"Fn::Or": [{"Condition": "IsProd"}, True]}]},
        "gone": {"Ref": "AWS::NoValue"},
        "list": [1, {"Ref": "AWS::NoValue"}],
        "second": {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::Sub": "movies/${Stage}/x"}]}]},
        "last": {"Fn::Select": ["1", {"Ref": "Origins"}]},
    }
    assert local.resolve(value) == {
        "name": f"{LOCAL_STACK_NAME}-dev-${{Literal}}",
        "arn": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:q",
        "origins": "a;b",
        "protected": False,
        "dev": True,
        "list": [1],
        "second": "dev",
        "last": "b",
    }


def test_created_resources_answer_ref_and_getatt_and_the_rest_is_refused(tmp_path: Path) -> None:
    local = resolver(tmp_path)
    with pytest.raises(LookupError, match=r"Queue\.Arn"):
        local.resolve({"Fn::GetAtt": ["Queue", "Arn"]})
    local.created_resource("Queue", "https://queue", Arn="arn:queue")
    assert local.resolve([{"Ref": "Queue"}, {"Fn::GetAtt": ["Queue", "Arn"]}]) == [
        "https://queue",
        "arn:queue",
    ]
    assert local.resolve({"Fn::Sub": "${Queue.Arn}"}) == "arn:queue"
    with pytest.raises(LookupError, match="Url"):  # no default, no value given
        local.resolve({"Ref": "Url"})
    with pytest.raises(ValueError, match="Fn::ImportValue"):
        local.resolve({"Fn::ImportValue": "Shared"})


def test_references_are_what_a_value_depends_on() -> None:
    value = {
        "a": {"Ref": "One"},
        "b": [{"Fn::GetAtt": ["Two", "Arn"]}],
        "c": {"Fn::Sub": "${Three.Arn}/${AWS::Region}/${!Not}"},
    }
    assert references(value) == {"One", "Two", "Three", "AWS::Region"}
