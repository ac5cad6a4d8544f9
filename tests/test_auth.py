from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Aws, CfnElement, Duration, Fn, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Annotations, Match, Template
from constructs import IConstruct

from cdk_front_door import (
    PUBLIC,
    CognitoAuth,
    Cors,
    FrontDoorValidationError,
    GatewayRoute,
    HttpApiGateway,
    IamAuth,
    JwtAuth,
    LambdaAuth,
    Public,
    RouteAuth,
)
from cdk_front_door.auth import DEFAULT_PUBLIC_REASON
from cdk_front_door.testing import snapshot_context
from examples.shared import demo_function
from tests.support import (
    cfn_lint,
    has_one,
    inline_function,
    nag_report,
    new_stack,
    resources_of_type,
    single,
    template_of,
)

ISSUER = "https://auth.example.com/"
JWT = JwtAuth(ISSUER, audience=["https://api.example.com"])
AUTHORIZER = "AWS::ApiGatewayV2::Authorizer"
ROUTE = "AWS::ApiGatewayV2::Route"


def _ref(construct: IConstruct) -> dict[str, str]:
    """A CloudFormation reference to the construct's resource."""
    element = construct.node.default_child
    assert isinstance(element, CfnElement)
    return {"Ref": Stack.of(construct).get_logical_id(element)}


def _has_route(template: Template, route_key: str, properties: dict[str, Any]) -> None:
    """Assert that the template has one route for ``route_key`` and that it has ``properties``."""
    template.has_resource_properties(ROUTE, {"RouteKey": route_key, **properties})
    template.resource_properties_count_is(ROUTE, {"RouteKey": route_key}, 1)


def _routes_by_key(stack: Stack) -> dict[str, dict[str, Any]]:
    routes = resources_of_type(template_of(stack), ROUTE)
    return {route["Properties"]["RouteKey"]: route["Properties"] for route in routes.values()}


def _app_with_route(auth: RouteAuth | None, **gateway: Any) -> App:
    return _app_and_route(auth, **gateway)[0]


def _app_and_route(auth: RouteAuth | None, **gateway: Any) -> tuple[App, GatewayRoute]:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    fn = demo_function(stack, "Fn", message="a")  # passes cdk-nag
    route = HttpApiGateway(stack, "Api", **gateway).add_route("GET /a", fn, auth=auth)
    return app, route


# -- public routes and routes without auth ------------------------------------------------


def test_cdk_nag_reports_a_route_without_authorization() -> None:
    app, route = _app_and_route(None)
    report = nag_report(app)
    assert "AwsSolutions-APIG4" in report
    assert "TestStack/Api/Routes/GET |a" in report


def test_a_route_without_authorization_gets_a_warning(stack: Stack) -> None:
    HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack))
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api/Routes/GET |a",
        Match.string_like_regexp(
            r"route 'GET /a' has no authorization: anyone can call it. Give the gateway a "
            r"default_auth.*\[ack: cdk-front-door:unauthenticated-route\]"
        ),
    )


def test_authorized_and_public_routes_get_no_warning(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    api.add_route("GET /a", inline_function(stack))
    api.add_route("GET /b", inline_function(stack, "Other"), auth=PUBLIC)
    Annotations.from_stack(stack).has_no_warning("*", Match.any_value())


def test_public_route_acknowledges_the_authorization_finding() -> None:
    assert "AwsSolutions-APIG4" not in nag_report(_app_with_route(PUBLIC))


def test_public_route_is_sent_with_authorization_type_none(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", default_auth=JWT).add_route(
        "GET /a", inline_function(stack), auth=PUBLIC
    )
    _has_route(
        Template.from_stack(stack),
        "GET /a",
        {"AuthorizationType": "NONE", "AuthorizerId": Match.absent()},
    )


def test_public_reason_is_recorded_with_the_acknowledgment() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    reason = "status page for uptime monitors"
    route = HttpApiGateway(stack, "Api").add_route(
        "GET /status", inline_function(stack), auth=Public(reason=reason)
    )
    # Acknowledgments cover a construct and everything below it: the route's batch has it.
    entries = [entry.data for scope in route.resource.node.scopes for entry in scope.node.metadata]
    assert any(reason in str(data) and "AwsSolutions-APIG4" in str(data) for data in entries)


def test_public_has_a_documented_default_reason() -> None:
    assert PUBLIC.reason == DEFAULT_PUBLIC_REASON
    assert "auth=PUBLIC" in PUBLIC.reason


# -- JWT and Cognito --------------------------------------------------------------------


def test_jwt_auth_defines_a_jwt_authorizer_reading_the_authorization_header(
    stack: Stack,
) -> None:
    api = HttpApiGateway(stack, "Api")
    route = api.add_route("GET /a", inline_function(stack), auth=JWT)
    template = Template.from_stack(stack)
    has_one(
        template,
        AUTHORIZER,
        {
            "AuthorizerType": "JWT",
            "IdentitySource": ["$request.header.Authorization"],
            "JwtConfiguration": Match.object_equals(
                {"Issuer": ISSUER, "Audience": ["https://api.example.com"]}
            ),
        },
    )
    assert route.authorizer is not None
    _has_route(
        template,
        "GET /a",
        {
            "AuthorizationType": "JWT",
            "AuthorizerId": Match.object_equals(_ref(route.authorizer)),
            "AuthorizationScopes": Match.absent(),
        },
    )
    assert api.authorizers == [route.authorizer]


def test_jwt_auth_accepts_a_query_string_source(stack: Stack) -> None:
    auth = JwtAuth(ISSUER, audience=["api"], identity_source="$request.querystring.token")
    HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack), auth=auth)
    template = Template.from_stack(stack)
    has_one(
        template,
        AUTHORIZER,
        {
            "JwtConfiguration": {"Audience": ["api"]},
            "IdentitySource": ["$request.querystring.token"],
        },
    )


def test_cognito_auth_trusts_the_pool_issuer_and_only_the_named_clients(stack: Stack) -> None:
    pool = cognito.UserPool(stack, "Pool")
    web = pool.add_client("Web")
    mobile = pool.add_client("Mobile")
    HttpApiGateway(stack, "Api").add_route(
        "GET /a", inline_function(stack), auth=CognitoAuth(pool, clients=[web, mobile])
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Cognito::UserPoolClient", 2)
    has_one(
        template,
        AUTHORIZER,
        {
            "JwtConfiguration": {
                "Audience": Match.array_equals([_ref(web), _ref(mobile)]),
                "Issuer": Match.object_equals(
                    {
                        "Fn::Join": [
                            "",
                            [
                                "https://cognito-idp.us-east-1.",
                                {"Ref": "AWS::URLSuffix"},
                                "/",
                                _ref(pool),
                            ],
                        ]
                    }
                ),
            }
        },
    )


def test_cognito_auth_of_an_imported_pool_uses_the_region_of_its_arn(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_arn(
        stack, "Pool", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc"
    )
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "client123")
    HttpApiGateway(stack, "Api").add_route(
        "GET /a", inline_function(stack), auth=CognitoAuth(pool, clients=[client])
    )
    template = Template.from_stack(stack)
    has_one(
        template,
        AUTHORIZER,
        {
            "JwtConfiguration": Match.object_equals(
                {
                    "Issuer": {
                        "Fn::Join": [
                            "",
                            [
                                "https://cognito-idp.eu-west-1.",
                                {"Ref": "AWS::URLSuffix"},
                                "/eu-west-1_abc",
                            ],
                        ]
                    },
                    "Audience": ["client123"],
                }
            )
        },
    )


def test_route_scopes_replace_the_scopes_of_its_auth(stack: Stack) -> None:
    auth = JwtAuth(ISSUER, audience=["api"], scopes=["orders:read"])
    api = HttpApiGateway(stack, "Api", default_auth=auth)
    fn = inline_function(stack)
    read = api.add_route("GET /orders", fn)
    write = api.add_route("POST /orders", fn, scopes=["orders:write", "admin"])
    anyone = api.add_route("GET /me", fn, scopes=[])
    template = Template.from_stack(stack)
    _has_route(template, "GET /orders", {"AuthorizationScopes": ["orders:read"]})
    _has_route(template, "POST /orders", {"AuthorizationScopes": ["orders:write", "admin"]})
    _has_route(template, "GET /me", {"AuthorizationScopes": Match.absent()})
    assert (read.scopes, write.scopes, anyone.scopes) == (
        ("orders:read",),
        ("orders:write", "admin"),
        (),
    )


# -- Lambda -------------------------------------------------------------------------------


def test_lambda_auth_is_not_cached_and_answers_simply_by_default(stack: Stack) -> None:
    authorizer_fn = inline_function(stack, "AuthFn")
    HttpApiGateway(stack, "Api").add_route(
        "GET /a", inline_function(stack), auth=LambdaAuth(authorizer_fn)
    )
    template = Template.from_stack(stack)
    has_one(
        template,
        AUTHORIZER,
        {
            "AuthorizerType": "REQUEST",
            "AuthorizerResultTtlInSeconds": 0,
            "EnableSimpleResponses": True,
            "AuthorizerPayloadFormatVersion": "2.0",
            "IdentitySource": ["$request.header.Authorization"],
        },
    )
    _has_route(template, "GET /a", {"AuthorizationType": "CUSTOM"})


def test_lambda_auth_with_cache_and_policy_responses(stack: Stack) -> None:
    auth = LambdaAuth(
        inline_function(stack, "AuthFn"),
        identity_sources=["$request.header.X-Api-Key", "$context.sourceIp"],
        cache_ttl=Duration.minutes(5),
        simple_responses=False,
    )
    HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack), auth=auth)
    template = Template.from_stack(stack)
    has_one(
        template,
        AUTHORIZER,
        {
            "AuthorizerResultTtlInSeconds": 300,
            "EnableSimpleResponses": False,
            "AuthorizerPayloadFormatVersion": "2.0",
            "IdentitySource": ["$request.header.X-Api-Key", "$context.sourceIp"],
        },
    )


def test_lambda_auth_without_identity_sources_is_allowed_when_not_cached(stack: Stack) -> None:
    auth = LambdaAuth(inline_function(stack, "AuthFn"), identity_sources=[])
    HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack), auth=auth)
    properties = single(template_of(stack), AUTHORIZER)["Properties"]
    assert properties.get("IdentitySource", []) == []


def test_lambda_authorizer_may_be_invoked_for_its_authorizer_only(stack: Stack) -> None:
    authorizer_fn = inline_function(stack, "AuthFn")
    api = HttpApiGateway(stack, "Api")
    route = api.add_route("GET /a", inline_function(stack), auth=LambdaAuth(authorizer_fn))
    template = Template.from_stack(stack)
    assert route.authorizer is not None
    authorizer_ref = _ref(route.authorizer)
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "FunctionName": {"Fn::GetAtt": [_ref(authorizer_fn)["Ref"], "Arn"]},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {
                "Fn::Join": [
                    "",
                    Match.array_with([Match.string_like_regexp("/authorizers/$"), authorizer_ref]),
                ]
            },
        },
    )
    permissions = resources_of_type(template_of(stack), "AWS::Lambda::Permission")
    authorizer_fn_id = _ref(authorizer_fn)["Ref"]
    assert [
        p
        for p in permissions.values()
        if p["Properties"]["FunctionName"]["Fn::GetAtt"][0] == authorizer_fn_id
    ] == [p for p in permissions.values() if "authorizers" in str(p["Properties"]["SourceArn"])]


# -- IAM ----------------------------------------------------------------------------------


def test_iam_auth_needs_no_authorizer(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    route = api.add_route("GET /a", inline_function(stack), auth=IamAuth())
    template = Template.from_stack(stack)
    _has_route(template, "GET /a", {"AuthorizationType": "AWS_IAM"})
    template.resource_count_is(AUTHORIZER, 0)
    assert route.authorizer is None
    assert api.authorizers == []


@pytest.mark.parametrize(
    ("route_key", "resource"),
    [
        ("GET /reports/{id}/pdf", "/*/GET/reports/*/pdf"),
        ("ANY /admin/{proxy+}", "/*/*/admin/*"),
        ("POST /", "/*/POST/"),
        ("$default", "/*"),
    ],
)
def test_grant_invoke_allows_execute_api_invoke_on_the_route(
    stack: Stack, route_key: str, resource: str
) -> None:
    role = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    api = HttpApiGateway(stack, "Api")
    api.add_route(route_key, inline_function(stack), auth=IamAuth()).grant_invoke(role)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::IAM::Policy", 1)
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_equals(
                    [
                        {
                            "Action": "execute-api:Invoke",
                            "Effect": "Allow",
                            "Resource": {
                                "Fn::Join": [
                                    "",
                                    [
                                        "arn:",
                                        {"Ref": "AWS::Partition"},
                                        ":execute-api:us-east-1:123456789012:",
                                        _ref(api.http_api),
                                        resource,
                                    ],
                                ]
                            },
                        }
                    ]
                )
            }
        },
    )


def test_fails_to_grant_invoke_on_a_route_without_iam_auth(stack: Stack) -> None:
    role = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    route = HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack), auth=JWT)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"grant_invoke on route 'GET /a' needs auth=IamAuth\(\), not JwtAuth.*"
        r"\(at TestStack/Api\)",
    ):
        route.grant_invoke(role)


# -- default auth, overrides and sharing ---------------------------------------------------


def test_default_auth_covers_every_route_including_default_and_later_ones(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    api.add_route("GET /a", fn)
    api.add_route("$default", fn)
    api.add_route("ANY /b/{proxy+}", fn)
    routes = _routes_by_key(stack)
    assert {key: route["AuthorizationType"] for key, route in routes.items()} == {
        "GET /a": "JWT",
        "$default": "JWT",
        "ANY /b/{proxy+}": "JWT",
    }
    assert all(route.auth is JWT for route in api.routes)


def test_a_route_auth_replaces_the_default_auth(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    api.add_route("GET /a", fn)
    api.add_route("GET /internal", fn, auth=IamAuth())
    api.add_route("GET /health", fn, auth=PUBLIC)
    assert {key: route["AuthorizationType"] for key, route in _routes_by_key(stack).items()} == {
        "GET /a": "JWT",
        "GET /internal": "AWS_IAM",
        "GET /health": "NONE",
    }


def test_default_auth_public_makes_every_route_deliberately_public() -> None:
    app = _app_with_route(None, default_auth=Public(reason="a public web site of static pages"))
    assert nag_report(app) == ""


def test_routes_with_the_same_auth_settings_share_one_authorizer(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    first = api.add_route("GET /a", fn)
    same = api.add_route(
        "GET /b", fn, auth=JwtAuth(ISSUER, audience=["https://api.example.com"], scopes=["b"])
    )
    api.add_route("GET /c", fn, scopes=["c"])
    Template.from_stack(stack).resource_count_is(AUTHORIZER, 1)
    assert first.authorizer is same.authorizer


def test_distinct_auths_get_one_authorizer_each(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    authorizer_fn = inline_function(stack, "AuthFn")
    api.add_route("GET /a", fn, auth=JWT)
    api.add_route("GET /b", fn, auth=JwtAuth(ISSUER, audience=["other"]))
    api.add_route("GET /c", fn, auth=LambdaAuth(authorizer_fn))
    api.add_route("GET /d", fn, auth=LambdaAuth(authorizer_fn, cache_ttl=Duration.seconds(60)))
    api.add_route("GET /e", fn, auth=LambdaAuth(authorizer_fn))
    Template.from_stack(stack).resource_count_is(AUTHORIZER, 4)


def test_authorizer_ids_do_not_depend_on_route_order() -> None:
    def logical_ids(order: list[str]) -> set[str]:
        stack = new_stack()
        api = HttpApiGateway(stack, "Api")
        fn = inline_function(stack)
        auths = {"a": JWT, "b": JwtAuth("https://other.example.com", audience=["x"])}
        for name in order:
            api.add_route(f"GET /{name}", fn, auth=auths[name])
        return set(resources_of_type(template_of(stack), AUTHORIZER))

    assert logical_ids(["a", "b"]) == logical_ids(["b", "a"])


def test_fails_past_api_gateways_ten_authorizers(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    for index in range(10):
        api.add_route(f"GET /r{index}", fn, auth=JwtAuth(ISSUER, audience=[f"a{index}"]))
    with pytest.raises(
        FrontDoorValidationError,
        match=r"JwtAuth would be authorizer number 11 of this API, but API Gateway allows 10",
    ):
        api.add_route("GET /r10", fn, auth=JwtAuth(ISSUER, audience=["a10"]))


# -- CORS preflight -----------------------------------------------------------------------


def test_cors_gives_an_authorized_any_route_a_public_preflight_route(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    api.add_route("ANY /orders/{proxy+}", inline_function(stack))
    template = Template.from_stack(stack)
    _has_route(template, "OPTIONS /orders/{proxy+}", {"AuthorizationType": "NONE"})
    _has_route(template, "ANY /orders/{proxy+}", {"AuthorizationType": "JWT"})
    routes = _routes_by_key(stack)
    assert routes["OPTIONS /orders/{proxy+}"]["Target"] != routes["ANY /orders/{proxy+}"]["Target"]
    assert [stack.resolve(r.route_key) for r in api.preflight_routes] == [
        "OPTIONS /orders/{proxy+}"
    ]


def test_cors_gives_the_default_route_preflight_routes_for_every_path(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    fn = inline_function(stack)
    api.add_route("$default", fn)
    api.add_route("ANY /{proxy+}", fn)
    template = Template.from_stack(stack)
    _has_route(template, "OPTIONS /{proxy+}", {"AuthorizationType": "NONE"})
    _has_route(template, "OPTIONS /", {"AuthorizationType": "NONE"})
    assert len(api.preflight_routes) == 2


def test_preflight_routes_share_one_function_that_answers_204(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    fn = inline_function(stack)
    api.add_route("ANY /a", fn)
    api.add_route("ANY /b", fn)
    template = Template.from_stack(stack)
    preflight = {"Description": Match.string_like_regexp("preflight")}
    template.resource_properties_count_is("AWS::Lambda::Function", preflight, 1)
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {**preflight, "Code": {"ZipFile": Match.string_like_regexp('"statusCode": 204')}},
    )
    targets = {
        route["Target"]["Fn::Join"][1][1]["Ref"]
        for key, route in _routes_by_key(stack).items()
        if key.startswith("OPTIONS")
    }
    assert len(targets) == 1


@pytest.mark.parametrize("auth", [PUBLIC, None])
def test_cors_gives_public_any_routes_a_preflight_route_too(
    stack: Stack, auth: RouteAuth | None
) -> None:
    HttpApiGateway(stack, "Api", cors=True).add_route("ANY /a", inline_function(stack), auth=auth)
    Template.from_stack(stack).has_resource_properties(ROUTE, {"RouteKey": "OPTIONS /a"})


def test_routes_of_one_method_need_no_preflight_route(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    api.add_route("GET /a", inline_function(stack))
    api.add_route("POST /a/{id}", inline_function(stack, "Other"))
    assert sorted(_routes_by_key(stack)) == ["GET /a", "POST /a/{id}"]
    assert api.preflight_routes == []


def test_without_cors_no_preflight_route_is_added(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", default_auth=JWT).add_route("ANY /a", inline_function(stack))
    assert sorted(_routes_by_key(stack)) == ["ANY /a"]


@pytest.mark.parametrize("options_first", [True, False])
def test_an_options_route_of_your_own_takes_the_place_of_the_preflight_route(
    stack: Stack, options_first: bool
) -> None:
    api = HttpApiGateway(stack, "Api", cors=Cors(allow_origins=["https://app.example.com"]))
    fn = inline_function(stack)
    handler = inline_function(stack, "Options")
    steps: list[tuple[str, lambda_.IFunction, RouteAuth]] = [
        ("OPTIONS /a", handler, PUBLIC),
        ("ANY /a", fn, JWT),
    ]
    for route_key, target, auth in steps if options_first else reversed(steps):
        api.add_route(route_key, target, auth=auth)
    options = _routes_by_key(stack)["OPTIONS /a"]
    handler_integration = next(
        logical_id
        for logical_id in resources_of_type(template_of(stack), "AWS::ApiGatewayV2::Integration")
        if "Options" in logical_id
    )
    assert options["Target"]["Fn::Join"][1][1] == {"Ref": handler_integration}
    assert api.preflight_routes == []


def test_fails_when_an_options_route_would_need_credentials_under_cors(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"route 'OPTIONS /a' would need JwtAuth, but CORS preflight OPTIONS requests "
        r"never carry credentials: pass auth=PUBLIC",
    ):
        api.add_route("OPTIONS /a", inline_function(stack))


def test_preflight_routes_acknowledge_the_authorization_finding() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    api.add_route("ANY /{proxy+}", demo_function(stack, "Fn", message="a"))
    assert nag_report(app) == ""


# -- cdk-nag and cfn-lint -----------------------------------------------------------------


def test_every_kind_of_auth_passes_cdk_nag_and_cfn_lint() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    fn = demo_function(stack, "Fn", message="a")
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "us-east-1_abc")
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "client123")
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    api.add_route("$default", fn)
    api.add_route("GET /cognito", fn, auth=CognitoAuth(pool, clients=[client], scopes=["openid"]))
    api.add_route("GET /lambda", fn, auth=LambdaAuth(demo_function(stack, "AuthFn", message="")))
    api.add_route("GET /iam", fn, auth=IamAuth())
    api.add_route("POST /orders", fn, scopes=["orders:write"])
    assert nag_report(app) == ""
    assert cfn_lint(template_of(stack)) == []


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        (Public(reason=""), r"public route reason '' is too short"),
        (Public(reason="   ok    "), r"public route reason .* is too short"),
        (Public(reason=42), r"public route reason must be a string, got int 42"),  # type: ignore[arg-type]
        (
            Public(reason=Fn.import_value("Why")),
            r"public route reason is a token: it is written for reviewers",
        ),
        ("public", r"auth must be PUBLIC, Public\(reason=...\), JwtAuth, .* got str 'public'"),
        (True, r"auth must be PUBLIC, Public"),
        (
            JwtAuth("http://auth.example.com/", audience=["a"]),
            r"JWT issuer 'http://auth.example.com/' must be an https:// URL",
        ),
        (
            JwtAuth("https://auth.example.com/?x=1", audience=["a"]),
            r"JWT issuer 'https://auth.example.com/\?x=1' must be an https:// URL with no query",
        ),
        (JwtAuth(ISSUER, audience=[]), r"JWT audience \(\) must list at least one non-empty"),
        (JwtAuth(ISSUER, audience=[" "]), r"JWT audience \(' ',\) must list at least one"),
        (
            JwtAuth(ISSUER, audience=["a"], identity_source="header.Authorization"),
            r"JWT identity source 'header.Authorization' is not valid: give one "
            r"\$request.header.<name> or \$request.querystring.<name>",
        ),
        (
            JwtAuth(ISSUER, audience=["a"], identity_source="$context.sourceIp"),
            r"JWT identity source '\$context.sourceIp' is not valid",
        ),
        (
            JwtAuth(ISSUER, audience=["a"], scopes=["orders write"]),
            r"scopes of JwtAuth: 'orders write' is not a scope",
        ),
        (
            JwtAuth(ISSUER, audience=["a"], scopes=["a", "a"]),
            r"scopes of JwtAuth lists a scope twice",
        ),
    ],
)
def test_fails_on_invalid_route_auth(stack: Stack, auth: object, message: str) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Api\)"):
        api.add_route("GET /a", inline_function(stack), auth=auth)  # type: ignore[arg-type]


def _lambda_auth(stack: Stack, **options: Any) -> LambdaAuth:
    return LambdaAuth(inline_function(stack, "AuthFn"), **options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"identity_sources": ["$request.body.token"]},
            r"identity source '\$request.body.token' is not valid: use \$request.header.<name>",
        ),
        ({"identity_sources": ["Authorization"]}, r"identity source 'Authorization' is not valid"),
        (
            {"identity_sources": ["$request.header.A", "$request.header.A"]},
            r"identity_sources lists a value twice",
        ),
        (
            {"cache_ttl": Duration.seconds(3601)},
            r"cache_ttl of 3601 s is not allowed: give whole seconds from 0 \(no cache\) to 3600",
        ),
        ({"cache_ttl": Duration.millis(1500)}, r"cache_ttl of 1.5 s is not allowed"),
        ({"cache_ttl": 60}, r"cache_ttl must be a Duration, got int"),
        (
            {"identity_sources": [], "cache_ttl": Duration.seconds(60)},
            r"cache_ttl of 60 s needs identity_sources with a request value",
        ),
        (
            {"identity_sources": ["$context.sourceIp"], "cache_ttl": Duration.seconds(60)},
            r"cache_ttl of 60 s needs identity_sources with a request value",
        ),
        (
            {"identity_sources": ["$request.header.X-Key", "$request.header.x-key"]},
            r"identity_sources lists a value twice",
        ),
        ({"simple_responses": "yes"}, r"simple_responses must be true or false, got str 'yes'"),
        ({"simple_responses": 1}, r"simple_responses must be true or false, got int 1"),
    ],
)
def test_fails_on_invalid_lambda_auth(stack: Stack, options: dict[str, Any], message: str) -> None:
    auth = _lambda_auth(stack, **options)
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=message):
        api.add_route("GET /a", inline_function(stack), auth=auth)


def test_fails_when_lambda_auth_is_given_no_function(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"LambdaAuth function must be a lambda_"):
        HttpApiGateway(stack, "Api", default_auth=LambdaAuth("my-function"))  # type: ignore[arg-type]


def test_fails_when_cognito_auth_names_no_client(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "us-east-1_abc")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"CognitoAuth needs at least one app client in clients=\[...\]: .*none is "
        r"created for you\) \(at TestStack/Api\)",
    ):
        HttpApiGateway(stack, "Api", default_auth=CognitoAuth(pool, clients=[]))


def test_fails_when_cognito_auth_is_given_something_else_than_a_pool(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"user_pool must be a cognito.IUserPool"):
        HttpApiGateway(stack, "Api", default_auth=CognitoAuth("pool", clients=["c"]))  # type: ignore[arg-type,list-item]


def test_fails_on_an_invalid_default_auth(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"default_auth must be PUBLIC, .* got str 'jwt'"
    ):
        HttpApiGateway(stack, "Api", default_auth="jwt")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("default_auth", "auth", "message"),
    [
        (None, IamAuth(), r"route 'GET /a' has IamAuth, which cannot check scopes \['s'\]"),
        (
            None,
            "lambda",
            r"route 'GET /a' has LambdaAuth, which cannot check scopes \['s'\] \(API Gateway "
            r"accepts authorization scopes only with JWT authorizers\)",
        ),
        (None, None, r"route 'GET /a' has no auth, which cannot check scopes"),
        (JWT, PUBLIC, r"route 'GET /a' is public \(auth=PUBLIC\) and cannot require scopes"),
        (PUBLIC, None, r"route 'GET /a' is public \(auth=PUBLIC\) and cannot require scopes"),
        (IamAuth(), None, r"route 'GET /a' has IamAuth, which cannot check scopes"),
    ],
)
def test_fails_on_scopes_the_route_auth_cannot_check(
    stack: Stack, default_auth: RouteAuth | None, auth: object, message: str
) -> None:
    if auth == "lambda":
        auth = _lambda_auth(stack)
    api = HttpApiGateway(stack, "Api", default_auth=default_auth)
    with pytest.raises(FrontDoorValidationError, match=message):
        api.add_route("GET /a", inline_function(stack), auth=auth, scopes=["s"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        (["a b"], r"scopes of route 'GET /a': 'a b' is not a scope"),
        (['"quoted"'], r"scopes of route 'GET /a': '\"quoted\"' is not a scope"),
        ([""], r"scopes of route 'GET /a': '' is not a scope"),
        (["x", "x"], r"scopes of route 'GET /a' lists a scope twice"),
    ],
)
def test_fails_on_invalid_route_scopes(stack: Stack, scopes: list[str], message: str) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    with pytest.raises(FrontDoorValidationError, match=message):
        api.add_route("GET /a", inline_function(stack), scopes=scopes)


@pytest.mark.parametrize(
    ("first", "own", "generated"),
    [
        ("ANY /orders/{id}", "OPTIONS /orders/{orderId}", "OPTIONS /orders/{id}"),
        ("$default", "OPTIONS /{path+}", "OPTIONS /{proxy+}"),
    ],
)
def test_an_options_route_with_other_parameter_names_replaces_the_preflight_route(
    stack: Stack, first: str, own: str, generated: str
) -> None:
    api = HttpApiGateway(stack, "Api", cors=True, default_auth=JWT)
    api.add_route(first, inline_function(stack))
    assert [stack.resolve(route.route_key) for route in api.preflight_routes][:1] == [generated]
    api.add_route(own, inline_function(stack, "Options"), auth=PUBLIC)
    template = Template.from_stack(stack)
    template.has_resource_properties(ROUTE, {"RouteKey": own})
    template.resource_properties_count_is(ROUTE, {"RouteKey": generated}, 0)


def test_the_route_quota_warning_counts_preflight_routes(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True)
    fn = inline_function(stack)
    for index in range(299):
        api.add_route(f"GET /r{index}", fn, auth=PUBLIC)
    api.add_route("ANY /x", fn, auth=PUBLIC)  # and its preflight route: 301 routes
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api", Match.string_like_regexp(".*more than 300 routes.*")
    )


def test_authorizer_ids_do_not_depend_on_how_many_tokens_exist() -> None:
    def authorizer_ids(extra_tokens: int) -> set[str]:
        stack = new_stack()
        for index in range(extra_tokens):
            cognito.UserPool(stack, f"Other{index}")
        pool = cognito.UserPool(stack, "Pool")
        client = pool.add_client("Web")
        auth = JwtAuth(ISSUER, audience=[client.user_pool_client_id])
        HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack), auth=auth)
        return set(resources_of_type(template_of(stack), AUTHORIZER))

    assert authorizer_ids(0) == authorizer_ids(3)


def test_lambda_identity_sources_that_differ_in_header_case_share_an_authorizer(
    stack: Stack,
) -> None:
    api = HttpApiGateway(stack, "Api")
    authorizer_fn = inline_function(stack, "AuthFn")
    fn = inline_function(stack)
    api.add_route(
        "GET /a", fn, auth=LambdaAuth(authorizer_fn, identity_sources=["$request.header.X-Key"])
    )
    api.add_route(
        "GET /b", fn, auth=LambdaAuth(authorizer_fn, identity_sources=["$request.header.x-key"])
    )
    assert len(api.authorizers) == 1


def test_warns_that_iam_routes_cannot_be_called_through_the_cdn(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True, default_auth=IamAuth())
    api.add_route("GET /a", inline_function(stack))
    api.add_route("GET /b", inline_function(stack, "Other"))
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api", Match.string_like_regexp(".*SigV4 signs the Host header.*")
    )
    warnings = Annotations.from_stack(stack).find_warning("/TestStack/Api", Match.any_value())
    assert len([w for w in warnings if "iam-behind-cdn" in str(w.entry.data)]) == 1


def test_warns_when_the_cdn_cache_key_misses_an_identity_source(stack: Stack) -> None:
    auth = LambdaAuth(inline_function(stack, "AuthFn"), identity_sources=["$request.header.x-key"])
    api = HttpApiGateway(stack, "Api", cdn=True, default_auth=auth)
    api.add_route("GET /a", inline_function(stack))
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api",
        Match.string_like_regexp(".*the CDN's cache key holds only the Authorization header.*"),
    )


def test_no_cdn_warning_for_tokens_in_the_authorization_header(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True, default_auth=JWT, origin_protection=False)
    api.add_route("GET /a", inline_function(stack))
    Annotations.from_stack(stack).has_no_warning("/TestStack/Api", Match.any_value())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda stack: JwtAuth(42, audience=["a"]),  # type: ignore[arg-type]
            r"JWT issuer must be an https:// URL, got int",
        ),
        (
            lambda stack: CognitoAuth(
                cognito.UserPool.from_user_pool_id(stack, "Pool", "us-east-1_abc"),
                clients=["client123"],  # type: ignore[list-item]
            ),
            r"CognitoAuth clients must be cognito.IUserPoolClient, got str",
        ),
        (
            lambda stack: LambdaAuth(inline_function(stack, "AuthFn"), identity_sources=[1]),  # type: ignore[list-item]
            r"LambdaAuth identity_sources\[0\] must be a string, got int 1",
        ),
    ],
)
def test_fails_on_auth_options_of_the_wrong_type(stack: Stack, make: Any, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Api\)"):
        HttpApiGateway(stack, "Api", default_auth=make(stack))


def _other_pool_in_the_stack(stack: Stack) -> tuple[cognito.IUserPool, cognito.IUserPoolClient]:
    pool = cognito.UserPool(stack, "Pool")
    return pool, cognito.UserPool(stack, "Other").add_client("Web")


def _other_pool_in_another_stack(stack: Stack) -> tuple[cognito.IUserPool, cognito.IUserPoolClient]:
    other_stack = new_stack(stack.node.scope, "Users")  # type: ignore[arg-type]
    client = cognito.UserPool(other_stack, "Other").add_client("Web")
    return cognito.UserPool(stack, "Pool"), client


def _another_imported_pool(stack: Stack) -> tuple[cognito.IUserPool, cognito.IUserPoolClient]:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "us-east-1_abc")
    other = cognito.UserPool.from_user_pool_id(stack, "Other", "us-east-1_xyz")
    return pool, other.add_client("Web")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            _other_pool_in_the_stack,
            r"CognitoAuth client TestStack/Other/Web belongs to user pool TestStack/Other, not to "
            r"user_pool TestStack/Pool: the authorizer would refuse every token of the client",
        ),
        (
            _other_pool_in_another_stack,
            r"CognitoAuth client Users/Other/Web belongs to user pool Users/Other, not to "
            r"user_pool TestStack/Pool",
        ),
        (
            _another_imported_pool,
            r"CognitoAuth client TestStack/Other/Web belongs to user pool us-east-1_xyz, not to "
            r"user_pool TestStack/Pool",
        ),
    ],
)
def test_fails_when_a_cognito_client_belongs_to_another_user_pool(
    stack: Stack, make: Any, message: str
) -> None:
    pool, client = make(stack)
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Api\)"):
        HttpApiGateway(stack, "Api", default_auth=CognitoAuth(pool, clients=[client]))


def test_fails_when_a_route_names_a_cognito_client_of_another_user_pool(stack: Stack) -> None:
    pool, client = _other_pool_in_the_stack(stack)
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=r"belongs to user pool TestStack/Other"):
        api.add_route("GET /a", inline_function(stack), auth=CognitoAuth(pool, clients=[client]))
    assert api.routes == []


def test_cognito_clients_of_the_pool_itself_are_accepted_however_it_is_referenced(
    stack: Stack,
) -> None:
    pool = cognito.UserPool(stack, "Pool")
    client = pool.add_client("Web")
    # The same pool imported by its id, and a pool imported by id with a client added to it.
    same = cognito.UserPool.from_user_pool_id(stack, "Same", pool.user_pool_id)
    imported = cognito.UserPool.from_user_pool_id(stack, "Imported", "us-east-1_abc")
    again = cognito.UserPool.from_user_pool_id(stack, "Again", "us-east-1_abc")
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    api.add_route("GET /a", fn, auth=CognitoAuth(same, clients=[client]))
    api.add_route("GET /b", fn, auth=CognitoAuth(again, clients=[imported.add_client("M")]))
    assert len(api.authorizers) == 2


def test_an_imported_cognito_client_is_not_checked(stack: Stack) -> None:
    """An imported client names no user pool, so it cannot be compared with the given one."""
    pool = cognito.UserPool(stack, "Pool")
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "client123")
    api = HttpApiGateway(stack, "Api", default_auth=CognitoAuth(pool, clients=[client]))
    api.add_route("GET /a", inline_function(stack))
    assert len(api.authorizers) == 1


def test_a_pool_known_only_through_another_token_is_not_checked(stack: Stack) -> None:
    """A pool imported from a token ARN may be any pool: its clients are not compared with it."""
    defined = cognito.UserPool(stack, "Defined")
    pool = cognito.UserPool.from_user_pool_arn(stack, "Pool", defined.user_pool_arn)
    client = cognito.UserPool(stack, "Other").add_client("Web")
    api = HttpApiGateway(stack, "Api", default_auth=CognitoAuth(pool, clients=[client]))
    api.add_route("GET /a", inline_function(stack))
    assert len(api.authorizers) == 1


def test_a_pool_id_made_of_tokens_and_text_is_not_checked(stack: Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", f"{Aws.REGION}_abc")
    client = cognito.UserPool(stack, "Other").add_client("Web")
    api = HttpApiGateway(stack, "Api", default_auth=CognitoAuth(pool, clients=[client]))
    api.add_route("GET /a", inline_function(stack))
    assert len(api.authorizers) == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda fn: JwtAuth(ISSUER, audience="api"),
            r"JwtAuth audience must be a list of strings, got str 'api'",
        ),
        (
            lambda fn: JwtAuth(ISSUER, audience=["api"], scopes="orders:read"),
            r"scopes of JwtAuth must be a list of strings, got str 'orders:read'",
        ),
        (
            lambda fn: LambdaAuth(fn, identity_sources="$request.header.Authorization"),
            r"LambdaAuth identity_sources must be a list of strings, got str",
        ),
        (
            lambda fn: JwtAuth(ISSUER, audience=[1]),  # type: ignore[list-item]
            r"JwtAuth audience\[0\] must be a string, got int 1",
        ),
    ],
)
def test_fails_when_a_string_is_given_where_a_list_belongs(
    stack: Stack, make: Any, message: str
) -> None:
    auth = make(inline_function(stack, "Authorizer"))
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Api\)"):
        HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack), auth=auth)


def test_fails_when_route_scopes_are_a_string(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JwtAuth(ISSUER, audience=["api"]))
    with pytest.raises(
        FrontDoorValidationError,
        match=r"scopes of route 'GET /a' must be a list of strings, got str 'orders:read'",
    ):
        api.add_route("GET /a", inline_function(stack), scopes="orders:read")
