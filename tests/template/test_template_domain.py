"""The optional custom domain: with DomainName, a domain, an API mapping and API_BASE_PATH;
without it, none of them. Checked on the template SAM's transform makes, not only the lint."""

from typing import Any

import pytest

from infra.local.intrinsics import Resolver
from tests.support.sam_transform import transformed
from tests.support.template import present

BASE = {"CatalogUrl": "https://catalog.example.com"}
DOMAIN = {
    **BASE,
    "DomainName": "api.example.com",
    "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc-123",
    "BasePath": "v1",
    "HostedZoneId": "Z123EXAMPLE",
}
DOMAIN_TYPES = {
    "AWS::ApiGatewayV2::DomainName",
    "AWS::ApiGatewayV2::ApiMapping",
    "AWS::Route53::RecordSet",
}


@pytest.fixture(scope="module")
def with_domain() -> dict[str, Any]:
    result: dict[str, Any] = transformed(DOMAIN)
    return result


def test_sam_transforms_the_template_with_and_without_a_domain(
    with_domain: dict[str, Any],
) -> None:
    without = transformed(BASE)
    assert not {r["Type"] for r in present(without, BASE).values()} & DOMAIN_TYPES
    assert {r["Type"] for r in present(with_domain, DOMAIN).values()} >= DOMAIN_TYPES


def test_the_mapping_puts_the_base_path_on_the_http_api_stage(with_domain: dict[str, Any]) -> None:
    resources = with_domain["Resources"]
    [mapping] = [r for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::ApiMapping"]
    props = mapping["Properties"]
    assert props["ApiId"] == {"Ref": "HttpApi"}
    stage = props["Stage"]["Ref"]  # the generated stage resource: the mapping waits for it
    assert resources[stage]["Type"] == "AWS::ApiGatewayV2::Stage"
    assert props["DomainName"] == {"Ref": "ApiDomainName"}
    key = Resolver(with_domain, DOMAIN).resolve(props["ApiMappingKey"])
    assert key == "v1"


def test_the_domain_uses_the_certificate_and_tls_1_2(with_domain: dict[str, Any]) -> None:
    props = Resolver(with_domain, DOMAIN).resolve(
        with_domain["Resources"]["ApiDomainName"]["Properties"]
    )
    [config] = props["DomainNameConfigurations"]
    assert props["DomainName"] == "api.example.com"
    assert config["CertificateArn"] == DOMAIN["CertificateArn"]
    assert (config["EndpointType"], config["SecurityPolicy"]) == ("REGIONAL", "TLS_1_2")


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [(DOMAIN, "v1"), ({**DOMAIN, "BasePath": ""}, ""), ({**BASE, "BasePath": "v1"}, "")],
)
def test_the_function_learns_the_mapping_key(
    template: dict[str, Any], parameters: dict[str, str], expected: str
) -> None:
    env = template["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert Resolver(template, parameters).resolve(env["API_BASE_PATH"]) == expected


def test_a_domain_needs_a_certificate(template: dict[str, Any]) -> None:
    rule = template["Rules"]["CertificateWithDomain"]
    assert rule["RuleCondition"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "DomainName"}, ""]}]}
    [assertion] = rule["Assertions"]
    assert assertion["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]}
