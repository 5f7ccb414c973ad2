"""The optional CDN: with EnableCdn "true", a CloudFront distribution in front of the HttpApi's
stage that caches the app's public answers, keyed on exactly the query strings each one reads,
and passes everything else through uncached, /me/* with its Authorization header; without it,
no CloudFront at all. Checked on the template SAM's transform makes, against the app's own spec
and the template's routes."""

import re
from fnmatch import fnmatchcase
from typing import Any

import pytest

from infra.gateway.routes import Route, routes_of
from infra.local.intrinsics import Resolver
from tests.support.apps import app_with_fakes
from tests.support.sam_transform import transformed
from tests.support.template import present

BASE = {"CatalogUrl": "https://catalog.example.com"}
CDN = {**BASE, "EnableCdn": "true"}
CDN_TYPES = {"AWS::CloudFront::Distribution", "AWS::CloudFront::CachePolicy"}
# AWS's managed policies, by the ids CloudFormation takes (CloudFront Developer Guide).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
# Every 4xx and 5xx CloudFront can keep, and so can be told to keep for 0 s.
CACHEABLE_ERRORS = {400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504}
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
# A public route: its path, the query parameters it reads, its behaviour, its cache policy.
PublicRoute = tuple[str, set[str], dict[str, Any], dict[str, Any]]


@pytest.fixture(scope="module")
def with_cdn() -> dict[str, Any]:
    result: dict[str, Any] = transformed(CDN)
    return result


@pytest.fixture(scope="module")
def config(with_cdn: dict[str, Any]) -> dict[str, Any]:
    distribution: dict[str, Any] = with_cdn["Resources"]["CdnDistribution"]
    return dict(distribution["Properties"]["DistributionConfig"])


@pytest.fixture(scope="module")
def public_queries() -> dict[str, set[str]]:
    """Each public operation's concrete path and the query parameters it reads, from the app's
    spec: public is what declares If-None-Match (movies.api.public)."""
    found = {}
    for path, methods in app_with_fakes().openapi()["paths"].items():
        for operation in methods.values():
            parameters = operation.get("parameters", [])
            if any(p["name"] == "if-none-match" for p in parameters):
                query = {p["name"] for p in parameters if p["in"] == "query"}
                found[_concrete(path)] = query
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def behaviour_for(config: dict[str, Any], path: str) -> dict[str, Any]:
    """The cache behaviour CloudFront applies to `path`: the first whose pattern matches, in
    order, else the default."""
    for behaviour in config["CacheBehaviors"]:
        if fnmatchcase(path, behaviour["PathPattern"]):
            return dict(behaviour)
    return dict(config["DefaultCacheBehavior"])


def cache_key(with_cdn: dict[str, Any], behaviour: dict[str, Any]) -> dict[str, Any]:
    """The behaviour's own cache policy's cache key settings."""
    policy = with_cdn["Resources"][behaviour["CachePolicyId"]["Ref"]]
    assert policy["Type"] == "AWS::CloudFront::CachePolicy"
    assert policy["Condition"] == "CdnEnabled"
    config: dict[str, Any] = policy["Properties"]["CachePolicyConfig"]
    return config


def test_without_enable_cdn_there_is_no_cloudfront(template: dict[str, Any]) -> None:
    assert template["Parameters"]["EnableCdn"]["Default"] == "false"
    without = transformed(BASE)
    assert not {r["Type"] for r in present(without, BASE).values()} & CDN_TYPES
    resolver = Resolver(without, BASE)
    cdn_outputs = [
        name
        for name, output in without["Outputs"].items()
        if "Condition" not in output or resolver.condition(output["Condition"])
        if "Cdn" in str(output["Value"])
    ]
    assert cdn_outputs == []


def test_with_it_the_distribution_and_its_url(with_cdn: dict[str, Any]) -> None:
    types = [r["Type"] for r in present(with_cdn, CDN).values()]
    assert types.count("AWS::CloudFront::Distribution") == 1
    assert types.count("AWS::CloudFront::CachePolicy") == 3
    output = with_cdn["Outputs"]["CdnUrl"]
    assert Resolver(with_cdn, CDN).condition(output["Condition"])
    assert output["Value"] == {"Fn::Sub": "https://${CdnDistribution.DomainName}/"}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_origin_is_the_http_apis_stage_over_tls_1_2(
    with_cdn: dict[str, Any], config: dict[str, Any], stage: str
) -> None:
    resolver = Resolver(with_cdn, {**CDN, "Stage": stage})
    resolver.created_resource("HttpApi", "abc123")
    [origin] = resolver.resolve(config["Origins"])
    assert origin["DomainName"] == "abc123.execute-api.us-east-1.amazonaws.com"
    # The stage's name is the first path segment of every URL of the API.
    [api_stage] = [
        r for r in with_cdn["Resources"].values() if r["Type"] == "AWS::ApiGatewayV2::Stage"
    ]
    assert resolver.resolve(api_stage["Properties"]["StageName"]) == stage
    assert origin["OriginPath"] == f"/{stage}"
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]


def test_viewers_reach_every_behaviour_over_https_only(config: dict[str, Any]) -> None:
    behaviours = [*config["CacheBehaviors"], config["DefaultCacheBehavior"]]
    assert {b["ViewerProtocolPolicy"] for b in behaviours} == {"https-only"}
    assert {b["TargetOriginId"] for b in behaviours} == {o["Id"] for o in config["Origins"]}


@pytest.fixture(scope="module")
def public(
    with_cdn: dict[str, Any], config: dict[str, Any], public_queries: dict[str, set[str]]
) -> list[PublicRoute]:
    """Each public route, with the behaviour CloudFront gives it and that one's cache policy."""
    found = []
    for path, query in public_queries.items():
        behaviour = behaviour_for(config, path)
        found.append((path, query, behaviour, cache_key(with_cdn, behaviour)))
    return found


def test_each_public_route_is_cached_keyed_on_exactly_the_query_strings_it_reads(
    public: list[PublicRoute],
) -> None:
    assert {path for path, *_ in public} == {"/movies", "/movies/1", "/movies/trending"}
    for path, query, behaviour, key in public:
        strings = key["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"]
        if query:
            assert strings["QueryStringBehavior"] == "whitelist", path
            assert set(strings["QueryStrings"]) == query, path
        else:
            assert strings == {"QueryStringBehavior": "none"}, path
        assert set(behaviour["CachedMethods"]) == {"GET", "HEAD"}
        # The origin's Cache-Control decides how long: nothing is kept that does not say so.
        assert (key["MinTTL"], key["DefaultTTL"]) == (0, 0)
        assert key["MaxTTL"] > 0


def test_no_public_cache_key_holds_authorization_or_cookies(
    public: list[PublicRoute],
) -> None:
    for _, _, behaviour, key in public:
        parameters = key["ParametersInCacheKeyAndForwardedToOrigin"]
        assert parameters["CookiesConfig"] == {"CookieBehavior": "none"}
        headers = {h.lower() for h in parameters["HeadersConfig"].get("Headers", [])}
        assert "authorization" not in headers
        # API Gateway answers CORS by the request's Origin: a cached answer must be per Origin.
        assert "origin" in headers
        assert "OriginRequestPolicyId" not in behaviour


def test_public_answers_are_compressed_at_the_edge(
    public: list[PublicRoute],
) -> None:
    for _, _, behaviour, key in public:
        assert behaviour["Compress"] is True
        assert key["ParametersInCacheKeyAndForwardedToOrigin"]["EnableAcceptEncodingGzip"] is True


def test_every_other_route_is_never_cached_and_gets_every_viewer_header(
    template: dict[str, Any], config: dict[str, Any], public_queries: dict[str, set[str]]
) -> None:
    others: list[Route] = [
        route
        for route in routes_of(template)
        if not (route.method in ("GET", "HEAD") and _concrete(route.path) in public_queries)
    ]
    assert any(route.authorizer for route in others)
    for route in others:
        behaviour = behaviour_for(config, _concrete(route.path))
        assert behaviour["CachePolicyId"] == CACHING_DISABLED, route
        # Authorization included: with caching disabled this policy forwards it too.
        assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER, route
        assert route.method in behaviour["AllowedMethods"], route


def test_me_has_its_own_uncached_behaviour_for_every_method(config: dict[str, Any]) -> None:
    [me] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/me/*"]
    assert me["CachePolicyId"] == CACHING_DISABLED
    assert me["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert set(me["AllowedMethods"]) == ALL_METHODS


def test_no_error_is_cached_at_the_edge(config: dict[str, Any]) -> None:
    errors = config["CustomErrorResponses"]
    assert {e["ErrorCode"] for e in errors} == CACHEABLE_ERRORS
    assert {e["ErrorCachingMinTTL"] for e in errors} == {0}
    assert not any("ResponsePagePath" in e for e in errors)


@pytest.mark.parametrize(
    ("acl", "attached"),
    [("", False), ("arn:aws:wafv2:us-east-1:123456789012:global/webacl/api/abc", True)],
)
def test_a_web_acl_is_attached_only_when_given(
    with_cdn: dict[str, Any], config: dict[str, Any], acl: str, attached: bool
) -> None:
    resolved = Resolver(with_cdn, {**CDN, "CdnWebAclArn": acl}).resolve(config["WebACLId"])
    assert (resolved == acl) is attached
    assert re.fullmatch(with_cdn["Parameters"]["CdnWebAclArn"]["AllowedPattern"], acl)
