from __future__ import annotations

import pytest
from aws_cdk import Fn, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk.assertions import Match, Template

from cdk_front_door import (
    PUBLIC,
    BindContext,
    FrontDoor,
    FrontDoorValidationError,
    HttpApiGateway,
    HttpUrl,
    LambdaFunction,
    RouteTarget,
)
from cdk_front_door.targets import to_route_target
from tests.support import has_one, inline_function

INTEGRATION = "AWS::ApiGatewayV2::Integration"


def test_url_route_is_an_http_proxy_with_payload_1(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /ip", "https://checkip.amazonaws.com/", auth=PUBLIC)
    template = Template.from_stack(stack)
    has_one(
        template,
        INTEGRATION,
        {
            "IntegrationType": "HTTP_PROXY",
            "IntegrationUri": "https://checkip.amazonaws.com/",
            "IntegrationMethod": "ANY",
            "PayloadFormatVersion": "1.0",
            "TimeoutInMillis": 29000,
        },
    )
    template.resource_count_is("AWS::Lambda::Permission", 0)


def test_same_url_is_integrated_once(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /a/{proxy+}", "https://example.com/{proxy}", auth=PUBLIC)
    api.add_route("POST /a/{proxy+}", HttpUrl("https://example.com/{proxy}"), auth=PUBLIC)
    Template.from_stack(stack).resource_count_is(INTEGRATION, 1)


def test_named_url_target_may_be_a_token(stack: Stack) -> None:
    url = Fn.import_value("BackendUrl")
    api = HttpApiGateway(stack, "Api")
    api.add_route("ANY /{proxy+}", HttpUrl(url, name="Backend"), auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(INTEGRATION, 1)
    template.has_resource_properties(
        INTEGRATION, {"IntegrationUri": Match.object_equals({"Fn::ImportValue": "BackendUrl"})}
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("http://example.com", r"url target 'http://example.com' must use https://"),
        ("example.com/path", r"url target 'example.com/path' must use https://"),
        ("ftp://example.com", r"must use https://"),
        ("https://", r"url target 'https://' is not a valid absolute URL"),
        ("https://user:pw@example.com", r"is not a valid absolute URL"),
        ("https://example.com/a b", r"contains white space"),
        (
            "https://example.com/{proxy}",
            r"uses \{proxy\} but route 'GET /a' has no such path parameter",
        ),
        ("https://example.com/#frag", r"is not a valid absolute URL"),
        (
            HttpUrl(Fn.import_value("X")),
            r"is a token, which cannot name a construct.*HttpUrl\(url, name=",
        ),
        (
            HttpUrl("https://example.com", name="a/b"),
            r"HttpUrl name must be a non-empty string without '/'",
        ),
        (HttpUrl("https://example.com", name=""), r"HttpUrl name must be a non-empty string"),
        (HttpUrl(42), r"HttpUrl url must be a string, got int"),  # type: ignore[arg-type]
        ("https://example.com:99999/", r"has a port that is not a whole number from 1 to 65535"),
        ("https://example.com:abc/", r"has a port that is not a whole number from 1 to 65535"),
        ("https://example.com:0/", r"has port 0: give a port from 1 to 65535"),
        ("https://example.com/a\x00b", r"contains control or non-ASCII characters"),
        ("https://example.com/\x7f", r"contains control or non-ASCII characters"),
        ("https://bücher.example/", r"contains control or non-ASCII characters.*punycode"),
        (
            f"https://{'a' * 64}.example.com/",
            r"has the host name label 'a{64}': a label is 1 to 63",
        ),
        ("https://-a.example.com/", r"has the host name label '-a'"),
        ("https://a..example.com/", r"has the host name label ''"),
        ("https://a_b.example.com/", r"has the host name label 'a_b'"),
        (f"https://{'a.' * 127}com/", r"has a host name of 257 characters; DNS allows 253"),
        (HttpUrl("https://example.com", name="a\nb"), r"HttpUrl name must be a non-empty string"),
        (HttpUrl("https://example.com", name=["a"]), r"HttpUrl name must be a string or None"),  # type: ignore[arg-type]
    ],
)
def test_fails_on_invalid_url_target(stack: Stack, target: object, message: str) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=message):
        api.add_route("GET /a", target, auth=PUBLIC)  # type: ignore[arg-type]


def test_function_becomes_a_lambda_target(stack: Stack) -> None:
    fn = inline_function(stack)
    target = to_route_target(stack, fn)
    assert isinstance(target, LambdaFunction)
    assert target.function is fn


def test_explicit_lambda_target_shares_the_integration_of_the_bare_function(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    first = api.add_route("GET /a", fn, auth=PUBLIC)
    second = api.add_route("GET /b", LambdaFunction(fn), auth=PUBLIC)
    assert first.integration is second.integration


class _EchoTarget(RouteTarget):
    """A target kind defined outside the library: a mock integration, no backend."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.binds = 0
        self.front_doors: list[FrontDoor] = []

    def target_id(self, gateway_stack: Stack) -> str:
        return f"Echo|{self.name}"

    def bind(self, context: BindContext) -> apigwv2.HttpIntegration:
        self.binds += 1
        self.front_doors.append(context.front_door)
        return apigwv2.HttpIntegration(
            context.scope,
            "Integration",
            http_api=context.http_api,
            integration_type=apigwv2.HttpIntegrationType.HTTP_PROXY,
            integration_uri="https://echo.example.com",
            method=apigwv2.HttpMethod.ANY,
            payload_format_version=apigwv2.PayloadFormatVersion.VERSION_1_0,
        )


class _ServiceLike:
    """Stands for a construct (such as a container service) that can be a target."""

    def __init__(self, target: RouteTarget) -> None:
        self._target = target

    def as_route_target(self) -> RouteTarget:
        return self._target


def test_new_target_kinds_plug_in_without_changes(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    echo = _EchoTarget("one")
    api.add_route("GET /a", echo, auth=PUBLIC)
    api.add_route("GET /b", _ServiceLike(echo), auth=PUBLIC)
    assert echo.binds == 1
    Template.from_stack(stack).resource_count_is(INTEGRATION, 1)
    paths = {c.node.path for c in api.node.find_all()}
    assert "TestStack/Api/Targets/Echo|one/Integration" in paths


def test_a_target_learns_the_front_door_of_each_gateway_routing_to_it(stack: Stack) -> None:
    plain = HttpApiGateway(stack, "Plain")
    behind_cdn = HttpApiGateway(stack, "BehindCdn", cdn=True)
    echo = _EchoTarget("one")
    plain.add_route("GET /a", echo, auth=PUBLIC)
    behind_cdn.add_route("GET /a", echo, auth=PUBLIC)
    assert echo.front_doors == [plain.front_door, behind_cdn.front_door]
    assert echo.front_doors[0] == FrontDoor(domain=plain.domain, url=plain.url)
    assert echo.front_doors[0].cdn_url is None
    assert echo.front_doors[1].cdn_url == behind_cdn.cdn_url is not None
    assert echo.front_doors[1].url == behind_cdn.url


def test_fails_when_as_route_target_returns_something_else(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"_ServiceLike.as_route_target\(\) returned str, not a RouteTarget",
    ):
        api.add_route("GET /a", _ServiceLike("nope"), auth=PUBLIC)  # type: ignore[arg-type]


@pytest.mark.parametrize("target", [None, 3.5, {"url": "https://x"}, object()])
def test_fails_on_unsupported_target_types(stack: Stack, target: object) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"unsupported route target .*lambda_.IFunction, an https:// URL",
    ):
        api.add_route("GET /a", target, auth=PUBLIC)  # type: ignore[arg-type]


def test_url_parameters_may_come_from_a_greedy_route_parameter(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("ANY /files/{key+}", "https://files.example.com/{key}", auth=PUBLIC)
    api.add_route("GET /users/{id}", "https://users.example.com/u/{id}", auth=PUBLIC)
    Template.from_stack(stack).resource_count_is(INTEGRATION, 2)
