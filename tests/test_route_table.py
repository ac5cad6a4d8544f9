"""Routes are ordinary CfnRoute constructs, defined by add_route, with logical ids CDK allocates."""

from __future__ import annotations

import jsii
import pytest
from aws_cdk import App, AspectPriority, Aspects, CfnElement, IAspect, NestedStack, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import Construct, IConstruct

from cdk_front_door import PUBLIC, HttpApiGateway, IamAuth, JwtAuth, Public
from cdk_front_door.testing import TEST_ENV, snapshot_context
from tests.support import inline_function, nag_report, new_stack, resources_of_type, template_of

ROUTE = "AWS::ApiGatewayV2::Route"
JWT = JwtAuth(issuer="https://issuer.example.com", audience=["api"])

TRICKY_KEYS = [
    "GET /",
    "GET /users/{id}",
    "POST /users/{id}/orders/{orderId}",
    "ANY /{proxy+}",
    "$default",
    "GET /a-b_c.d:e",
    "DELETE /Resource/Default/x",
    "GET /api/api/api",
    "PUT /" + "segment/" * 40 + "end",
]


def _logical_id_at(scope_path: list[str], construct_id: str) -> str:
    """The logical id aws-cdk-lib gives a CfnRoute at ``scope_path``/``construct_id`` of a
    stack: what every deployed route's logical id has been, and must stay (a route under a new
    logical id is created before the old one is deleted, and API Gateway refuses the
    duplicate key)."""
    stack = new_stack()
    scope: Construct = stack
    for part in scope_path:
        scope = Construct(scope, part)
    route = apigwv2.CfnRoute(scope, construct_id, api_id="api", route_key="GET /")
    return str(stack.resolve(route.logical_id))


@pytest.mark.parametrize("auth", [JWT, PUBLIC, None], ids=["authorized", "public", "none"])
def test_route_logical_ids_are_those_of_a_route_directly_under_routes(
    stack: Stack, auth: JwtAuth | Public | None
) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    routes = [api.add_route(key, fn, auth=auth) for key in TRICKY_KEYS]
    template = resources_of_type(template_of(stack), ROUTE)
    expected = {_logical_id_at(["Api", "Routes"], key.replace("/", "|")) for key in TRICKY_KEYS}
    assert set(template) == expected
    assert {route.logical_id for route in routes} == expected
    assert {
        logical_id: resource["Properties"]["RouteKey"] for logical_id, resource in template.items()
    } == {route.logical_id: route.route_key for route in routes}


def test_a_route_is_a_cfn_route_in_the_tree_as_soon_as_it_is_added(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    private = api.add_route("GET /private", fn)
    public = api.add_route("GET /health", fn, auth=PUBLIC)
    assert isinstance(private.resource, apigwv2.CfnRoute)
    assert private.resource.node.path == "TestStack/Api/Routes/GET |private"
    # Public routes share one scope, whose id CDK leaves out of logical ids.
    assert public.resource.node.path == "TestStack/Api/Routes/Default/GET |health"
    assert stack.resolve(private.resource.route_key) == "GET /private"
    assert stack.resolve(public.resource.authorization_type) == "NONE"


def test_a_gateway_in_a_nested_stack_names_routes_from_the_nested_stack(stack: Stack) -> None:
    nested = NestedStack(stack, "Nested")
    route = HttpApiGateway(nested, "Api").add_route("GET /a", inline_function(nested), auth=PUBLIC)
    assert route.logical_id == _logical_id_at(["Api", "Routes"], "GET |a")
    assert route.resource.node.path == "TestStack/Nested/Api/Routes/Default/GET |a"


class _PrefixedStack(Stack):
    """A stack that allocates logical ids of its own, as users do to keep imported names."""

    def _allocate_logical_id(self, cfn_element: CfnElement) -> str:
        return "My" + super()._allocate_logical_id(cfn_element)


def test_a_stacks_own_logical_id_allocation_applies_to_routes() -> None:
    stack = _PrefixedStack(App(context=snapshot_context()), "TestStack", env=TEST_ENV)
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    route = api.add_route("GET /a", inline_function(stack))
    public = api.add_route("GET /b", inline_function(stack, "Other"), auth=PUBLIC)
    routes = resources_of_type(template_of(stack), ROUTE)
    assert set(routes) == {route.logical_id, public.logical_id}
    assert all(logical_id.startswith("MyApiRoutes") for logical_id in routes)


def test_an_overridden_logical_id_is_the_routes_logical_id(stack: Stack) -> None:
    route = HttpApiGateway(stack, "Api").add_route("GET /a", inline_function(stack), auth=PUBLIC)
    route.resource.override_logical_id("LegacyGetA")
    assert route.logical_id == "LegacyGetA"
    assert set(resources_of_type(template_of(stack), ROUTE)) == {"LegacyGetA"}


def _apig4_reasons(construct: IConstruct) -> list[str]:
    return [
        str(entry.data)
        for entry in construct.node.metadata
        if "AwsSolutions-APIG4" in str(entry.data)
    ]


def test_public_routes_share_one_acknowledgment_and_another_reason_has_its_own(
    stack: Stack,
) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    private = api.add_route("GET /private", fn)
    health = api.add_route("GET /health", fn, auth=PUBLIC)
    docs = api.add_route("GET /docs", fn, auth=PUBLIC)
    status = api.add_route("GET /status", fn, auth=Public(reason="uptime monitors"))
    group = health.resource.node.scope
    assert group is not None
    assert docs.resource.node.scope is group is status.resource.node.scope
    assert [PUBLIC.reason in reason for reason in _apig4_reasons(group)] == [True]
    assert _apig4_reasons(health.resource) == _apig4_reasons(docs.resource) == []
    assert ["uptime monitors" in reason for reason in _apig4_reasons(status.resource)] == [True]
    routes_scope = private.resource.node.scope
    assert routes_scope is not None
    assert _apig4_reasons(private.resource) == _apig4_reasons(routes_scope) == []


def test_cdk_nag_reports_the_unauthorized_route_and_not_the_public_ones() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    api.add_route("GET /health", fn, auth=PUBLIC)
    api.add_route("GET /status", fn, auth=Public(reason="uptime monitors"))
    api.add_route("GET /open", fn)
    report = nag_report(app)
    apig4 = [line for line in report.splitlines() if "Routes/" in line]
    assert any("TestStack/Api/Routes/GET |open" in line for line in apig4)
    assert not any("health" in line or "status" in line for line in apig4)


def test_route_properties_are_written_as_given(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    api.add_route("GET /a", fn, scopes=["read"])
    api.add_route("POST /a", inline_function(stack, "Other"), auth=IamAuth())
    template = template_of(stack)
    routes = resources_of_type(template, ROUTE)
    by_key = {r["Properties"]["RouteKey"]: r["Properties"] for r in routes.values()}
    assert by_key["GET /a"]["AuthorizationScopes"] == ["read"]
    assert by_key["GET /a"]["AuthorizationType"] == "JWT"
    assert by_key["GET /a"]["AuthorizerId"] == {
        "Ref": next(iter(resources_of_type(template, "AWS::ApiGatewayV2::Authorizer")))
    }
    assert by_key["POST /a"]["AuthorizationType"] == "AWS_IAM"
    assert "AuthorizerId" not in by_key["POST /a"]
    assert "AuthorizationScopes" not in by_key["POST /a"]
    api_id = next(iter(resources_of_type(template, "AWS::ApiGatewayV2::Api")))
    assert all(props["ApiId"] == {"Ref": api_id} for props in by_key.values())
    assert all(props["Target"]["Fn::Join"][1][0] == "integrations/" for props in by_key.values())


@jsii.implements(IAspect)
class _RouteCounter:
    def __init__(self) -> None:
        self.route_keys: list[str] = []

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, apigwv2.CfnRoute):
            self.route_keys.append(str(node.route_key))


@pytest.mark.parametrize("stabilization", [False, True])
@pytest.mark.parametrize("priority", [AspectPriority.MUTATING, AspectPriority.DEFAULT])
def test_the_apps_own_aspects_see_every_route(stabilization: bool, priority: float) -> None:
    app = App(context=snapshot_context(**{"@aws-cdk/core:aspectStabilization": stabilization}))
    stack = new_stack(app)
    counter = _RouteCounter()
    Aspects.of(app).add(counter, priority=priority)
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    for i in range(3):
        api.add_route(f"GET /r{i}", fn)
    api.add_route("GET /health", fn, auth=PUBLIC)
    app.synth()
    assert sorted(counter.route_keys) == ["GET /health", "GET /r0", "GET /r1", "GET /r2"]
