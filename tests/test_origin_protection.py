"""Origin protection: behind a CDN, the API refuses requests that do not come through it."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Annotations, Match, Template

from cdk_front_door import (
    PUBLIC,
    Cors,
    CustomDomain,
    HttpApiGateway,
    HttpUrl,
    IamAuth,
    JwtAuth,
    LambdaAuth,
    OriginProtection,
    Public,
    origin_protection,
)
from cdk_front_door.errors import FrontDoorValidationError
from cdk_front_door.local import load_apis
from tests.support import inline_function, new_stack, resources_of_type, template_of

ORIGIN_SOURCE = "$request.header.x-origin-verify"
JWT = JwtAuth("https://issuer.example.com/", audience=["api"])


def _origin_authorizer_id(template: Template) -> str:
    origin_check = {"IdentitySource": [ORIGIN_SOURCE]}
    template.resource_properties_count_is("AWS::ApiGatewayV2::Authorizer", origin_check, 1)
    return next(
        iter(template.find_resources("AWS::ApiGatewayV2::Authorizer", {"Properties": origin_check}))
    )


def _route_keys(template: Template) -> set[str]:
    return {
        route["Properties"]["RouteKey"]
        for route in template.find_resources("AWS::ApiGatewayV2::Route").values()
    }


def _origin(template: Mapping[str, Any]) -> dict[str, Any]:
    distribution = next(iter(resources_of_type(template, "AWS::CloudFront::Distribution").values()))
    origins: list[dict[str, Any]] = distribution["Properties"]["DistributionConfig"]["Origins"]
    assert len(origins) == 1
    return origins[0]


def test_cdn_sends_the_secret_as_a_dynamic_reference_never_the_value(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True)
    api.add_route("GET /a", inline_function(stack), auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SecretsManager::Secret", 1)
    secret_id = next(iter(template.find_resources("AWS::SecretsManager::Secret")))
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "GenerateSecretString": Match.object_equals(
                {"ExcludePunctuation": True, "PasswordLength": 64}
            ),
            "SecretString": Match.absent(),
        },
    )
    template.resource_count_is("AWS::CloudFront::Distribution", 1)
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": {
                "Origins": [
                    {
                        "OriginCustomHeaders": [
                            Match.object_equals(
                                {
                                    "HeaderName": "x-origin-verify",
                                    "HeaderValue": {
                                        "Fn::Join": [
                                            "",
                                            [
                                                "{{resolve:secretsmanager:",
                                                {"Ref": secret_id},
                                                ":SecretString:::}}",
                                            ],
                                        ]
                                    },
                                }
                            )
                        ]
                    }
                ]
            }
        },
    )
    # No output names the secret or its reference.
    assert secret_id not in json.dumps(template.to_json().get("Outputs", {}))
    assert api.origin_secret is not None


def test_public_and_unauthenticated_routes_need_the_origin_header(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True)
    function = inline_function(stack)
    api.add_route("GET /public", function, auth=PUBLIC)
    api.add_route("GET /reason", function, auth=Public(reason="a public page"))
    api.add_route("GET /open", function)  # no auth at all: still warned of
    api.add_route("$default", HttpUrl("https://example.com/"), auth=PUBLIC)
    template = Template.from_stack(stack)
    authorizer_id = _origin_authorizer_id(template)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Authorizer",
        {
            "IdentitySource": [ORIGIN_SOURCE],
            "AuthorizerType": "REQUEST",
            "AuthorizerResultTtlInSeconds": 300,
            "EnableSimpleResponses": True,
            "AuthorizerPayloadFormatVersion": "2.0",
        },
    )
    assert _route_keys(template) == {"GET /public", "GET /reason", "GET /open", "$default"}
    template.all_resources_properties(
        "AWS::ApiGatewayV2::Route",
        {
            "AuthorizationType": "CUSTOM",
            "AuthorizerId": Match.object_equals({"Ref": authorizer_id}),
        },
    )
    Annotations.from_stack(stack).has_warning(
        "*",
        Match.string_like_regexp("route 'GET /open' has no authorization"),
    )


def test_the_authorizer_reads_only_its_secret_and_is_marked_for_local_serving(
    stack: Stack,
) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True)
    api.add_route("GET /a", inline_function(stack), auth=PUBLIC)
    template = Template.from_stack(stack)
    secret_id = next(iter(template.find_resources("AWS::SecretsManager::Secret")))
    template.has_resource(
        "AWS::Lambda::Function",
        {
            "Metadata": {"cdk-front-door:origin-check": "x-origin-verify"},
            "Properties": Match.object_like(
                {
                    "Environment": {
                        "Variables": {
                            "SECRET_ID": {"Ref": secret_id},
                            "HEADER_NAME": "x-origin-verify",
                        }
                    },
                    "MemorySize": 128,
                }
            ),
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "Policies": Match.array_with(
                [
                    {
                        "PolicyName": "Authorizer",
                        "PolicyDocument": {
                            "Statement": [
                                {
                                    "Action": "secretsmanager:GetSecretValue",
                                    "Effect": "Allow",
                                    "Resource": {"Ref": secret_id},
                                }
                            ],
                            "Version": "2012-10-17",
                        },
                    }
                ]
            )
        },
    )


def test_cors_preflight_routes_need_the_origin_header_too(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True, cors=Cors(allow_origins=["https://a.example"]))
    api.add_route("ANY /items/{proxy+}", inline_function(stack), auth=PUBLIC)
    template = Template.from_stack(stack)
    authorizer_id = _origin_authorizer_id(template)
    preflight = {"RouteKey": "OPTIONS /items/{proxy+}"}
    template.resource_properties_count_is("AWS::ApiGatewayV2::Route", preflight, 1)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Route",
        {
            **preflight,
            "AuthorizationType": "CUSTOM",
            "AuthorizerId": Match.object_equals({"Ref": authorizer_id}),
        },
    )


@pytest.mark.parametrize(
    ("auth", "kind", "authorization_type"),
    [
        (JWT, "JwtAuth", "JWT"),
        (IamAuth(), "IamAuth", "AWS_IAM"),
        (None, "LambdaAuth", "CUSTOM"),
    ],
)
def test_routes_with_their_own_authorizer_keep_it_and_are_warned_of_once(
    stack: Stack, auth: Any, kind: str, authorization_type: str
) -> None:
    function = inline_function(stack)
    if auth is None:
        auth = LambdaAuth(inline_function(stack, "AuthFn"))
    api = HttpApiGateway(stack, "Api", cdn=True)
    api.add_route("GET /a", function, auth=auth)
    api.add_route("GET /b", function, auth=auth)
    template = Template.from_stack(stack)
    template.all_resources_properties(
        "AWS::ApiGatewayV2::Route", {"AuthorizationType": authorization_type}
    )
    template.resource_properties_count_is(
        "AWS::ApiGatewayV2::Authorizer", {"IdentitySource": [ORIGIN_SOURCE]}, 0
    )
    warnings = Annotations.from_stack(stack).find_warning(
        "/TestStack/Api", Match.string_like_regexp(f"routes with {kind}.*origin protection")
    )
    assert len(warnings) == 1


def test_no_protection_without_a_cdn_or_when_turned_off() -> None:
    for cdn, protection in ((None, None), (True, False)):
        stack = new_stack()
        api = HttpApiGateway(stack, "Api", cdn=cdn, origin_protection=protection)
        api.add_route("GET /a", inline_function(stack), auth=PUBLIC)
        template = Template.from_stack(stack)
        template.resource_count_is("AWS::SecretsManager::Secret", 0)
        template.resource_count_is("AWS::ApiGatewayV2::Authorizer", 0)
        route = {"RouteKey": "GET /a"}
        template.resource_properties_count_is("AWS::ApiGatewayV2::Route", route, 1)
        template.has_resource_properties(
            "AWS::ApiGatewayV2::Route", {**route, "AuthorizationType": "NONE"}
        )
        assert api.origin_secret is None


def test_origin_header_is_removed_before_url_and_container_backends(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True)
    api.add_route("GET /a", HttpUrl("https://example.com/a"), auth=PUBLIC)
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGatewayV2::Integration",
        {
            "IntegrationType": "HTTP_PROXY",
            "RequestParameters": Match.object_like({"remove:header.x-origin-verify": ""}),
        },
    )


def test_settings_reach_the_header_the_cache_and_the_distribution(stack: Stack) -> None:
    api = HttpApiGateway(
        stack,
        "Api",
        cdn=True,
        origin_protection=OriginProtection(
            header_name="x-from-cdn", cache_ttl=Duration.hours(1), rotation=3
        ),
    )
    api.add_route("GET /a", inline_function(stack), auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::ApiGatewayV2::Authorizer", 1)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Authorizer",
        {"IdentitySource": ["$request.header.x-from-cdn"], "AuthorizerResultTtlInSeconds": 3600},
    )
    assert _origin(template.to_json())["OriginCustomHeaders"][0]["HeaderName"] == "x-from-cdn"
    template.resource_count_is("AWS::CloudFront::Distribution", 1)
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {"DistributionConfig": {"Comment": "TestStack/Api/Cdn (origin secret rotation 3)"}},
    )


def test_a_rotation_changes_the_distribution_and_no_logical_id() -> None:
    def template(rotation: int) -> dict[str, Any]:
        stack = new_stack()
        api = HttpApiGateway(
            stack, "Api", cdn=True, origin_protection=OriginProtection(rotation=rotation)
        )
        api.add_route("GET /a", inline_function(stack), auth=PUBLIC)
        return template_of(stack)

    first, second = template(1), template(2)
    assert set(first["Resources"]) == set(second["Resources"])
    changed = {
        logical_id
        for logical_id, resource in first["Resources"].items()
        if resource != second["Resources"][logical_id]
    }
    assert {first["Resources"][logical_id]["Type"] for logical_id in changed} == {
        "AWS::CloudFront::Distribution"
    }


def test_the_execute_api_endpoint_is_off_behind_a_cdn_on_a_custom_domain(stack: Stack) -> None:
    zone = route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z1", zone_name="example.com"
    )
    domains = [CustomDomain("api.example.com", hosted_zone=zone)]
    HttpApiGateway(stack, "Api", domains=domains, cdn=True)
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGatewayV2::Api", {"DisableExecuteApiEndpoint": True}
    )
    with pytest.raises(
        FrontDoorValidationError,
        match=r"disable_execute_api_endpoint=False is not allowed behind a CDN whose origin is "
        r"a custom domain.*TestStack/Other",
    ):
        HttpApiGateway(
            stack, "Other", domains=domains, cdn=True, disable_execute_api_endpoint=False
        )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: {"origin_protection": True},
            r"origin_protection=True needs a CDN: .*add cdn=True",
        ),
        (
            lambda: {"origin_protection": OriginProtection()},
            r"origin_protection=OriginProtection\(.*\) needs a CDN",
        ),
        (
            lambda: {"cdn": True, "origin_protection": "yes"},
            r"origin_protection must be .*got str 'yes'",
        ),
        (
            lambda: {"cdn": True, "origin_protection": OriginProtection(header_name="Host")},
            r"header_name 'Host' is not allowed: give 1 to 64 lower case letters",
        ),
        (
            lambda: {"cdn": True, "origin_protection": OriginProtection(header_name="x-amz-a")},
            r"header_name 'x-amz-a' is not allowed",
        ),
        (
            lambda: {
                "cdn": True,
                "origin_protection": OriginProtection(header_name="x-auth-claim-sub"),
            },
            r"header_name 'x-auth-claim-sub' is not allowed.*identity header",
        ),
        (
            lambda: {"cdn": True, "origin_protection": OriginProtection(header_name=["x-a"])},  # type: ignore[arg-type]
            r"OriginProtection header_name must be a string, got list",
        ),
        (
            lambda: {
                "cdn": True,
                "origin_protection": OriginProtection(cache_ttl=Duration.seconds(0)),
            },
            r"cache_ttl of 0 s is not allowed: give whole seconds from 1 to 3600",
        ),
        (
            lambda: {
                "cdn": True,
                "origin_protection": OriginProtection(cache_ttl=Duration.hours(2)),
            },
            r"cache_ttl of 7200 s is not allowed",
        ),
        (
            lambda: {"cdn": True, "origin_protection": OriginProtection(cache_ttl=300)},  # type: ignore[arg-type]
            r"OriginProtection cache_ttl must be a Duration, got int",
        ),
        (
            lambda: {"cdn": True, "origin_protection": OriginProtection(rotation=0)},
            r"OriginProtection rotation must be a whole number at least 1, got 0",
        ),
        (
            lambda: {"cdn": True, "origin_protection": OriginProtection(rotation=True)},
            r"OriginProtection rotation must be a whole number, got bool",
        ),
        (
            lambda: {"cdn": True, "origin_protection": OriginProtection(rotation=float("nan"))},  # type: ignore[arg-type]
            r"OriginProtection rotation must be a whole number, got nan",
        ),
    ],
)
def test_fails_on_bad_origin_protection(
    stack: Stack, make: Callable[[], dict[str, Any]], message: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", **make())


def test_the_local_front_door_serves_origin_checked_routes_as_the_cdn_reaches_them(
    tmp_path: Path,
) -> None:
    app = App(outdir=str(tmp_path))
    stack = new_stack(app)
    api = HttpApiGateway(stack, "Api", cdn=True, default_auth=JWT)
    function = inline_function(stack)
    api.add_route("GET /public", function, auth=PUBLIC)
    api.add_route("GET /private", function)
    app.synth()
    (local_api,) = load_apis(tmp_path)
    routes = {route.key: route for route in local_api.routes}
    assert routes["GET /public"].authorization_type == "NONE"
    assert routes["GET /public"].authorizer is None
    assert routes["GET /public"].refused is None
    assert routes["GET /private"].authorization_type == "JWT"


# -- the authorizer function's code, run here with a stand-in for boto3 -----------------------


class _SecretsManager:
    """Answers GetSecretValue from ``values`` (a version stage to its value)."""

    class exceptions:  # noqa: N801 - the shape of a boto3 client
        class ResourceNotFoundException(Exception):  # noqa: N818
            pass

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.calls = 0
        self.failing = False

    def get_secret_value(self, *, SecretId: str, VersionStage: str) -> dict[str, str]:  # noqa: N803
        self.calls += 1
        assert SecretId == "arn:secret"
        if self.failing:
            raise RuntimeError("throttled")
        if VersionStage not in self.values:
            raise self.exceptions.ResourceNotFoundException(VersionStage)
        return {"SecretString": self.values[VersionStage]}


@pytest.fixture
def authorizer(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[dict[str, Any], _SecretsManager]]:
    client = _SecretsManager()
    boto3 = types.ModuleType("boto3")
    boto3.client = lambda service: client  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "boto3", boto3)
    monkeypatch.setenv("SECRET_ID", "arn:secret")
    monkeypatch.setenv("HEADER_NAME", "x-origin-verify")
    namespace: dict[str, Any] = {}
    exec(origin_protection._AUTHORIZER_CODE, namespace)  # noqa: S102 - the function's own code
    yield namespace, client


def _decide(namespace: dict[str, Any], headers: dict[str, str] | None) -> bool:
    answer = namespace["handler"]({"headers": headers}, None)
    assert set(answer) == {"isAuthorized"}
    return bool(answer["isAuthorized"])


def test_authorizer_accepts_the_current_and_previous_values_only(
    authorizer: tuple[dict[str, Any], _SecretsManager],
) -> None:
    namespace, client = authorizer
    client.values = {"AWSCURRENT": "new-value", "AWSPREVIOUS": "old-value"}
    assert _decide(namespace, {"x-origin-verify": "new-value"})
    assert _decide(namespace, {"x-origin-verify": "old-value"})
    assert not _decide(namespace, {"x-origin-verify": "older-value"})
    assert not _decide(namespace, {"x-origin-verify": ""})
    assert not _decide(namespace, {})
    assert not _decide(namespace, None)
    # Read once per minute, not per request.
    assert client.calls == 2


def test_authorizer_accepts_the_only_value_before_the_first_rotation(
    authorizer: tuple[dict[str, Any], _SecretsManager],
) -> None:
    namespace, client = authorizer
    client.values = {"AWSCURRENT": "value"}
    assert _decide(namespace, {"x-origin-verify": "value"})
    assert not _decide(namespace, {"x-origin-verify": "other"})


def test_authorizer_keeps_the_values_it_read_when_the_secret_cannot_be_read(
    authorizer: tuple[dict[str, Any], _SecretsManager],
) -> None:
    namespace, client = authorizer
    client.values = {"AWSCURRENT": "value"}
    assert _decide(namespace, {"x-origin-verify": "value"})
    namespace["READ_AT"][0] = -1e9  # the values are due to be read again
    client.failing = True
    assert _decide(namespace, {"x-origin-verify": "value"})
    namespace["ACCEPTED"].clear()  # a cold start while the secret cannot be read: an error
    namespace["READ_AT"][0] = -1e9
    with pytest.raises(RuntimeError, match="throttled"):
        _decide(namespace, {"x-origin-verify": "value"})
