"""Routes are defined in batches, yet behave as if each were a CfnRoute of its own."""

from __future__ import annotations

import tempfile
from pathlib import Path

import jsii
import pytest
from aws_cdk import App, AspectPriority, Aspects, IAspect, NestedStack, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct, IConstruct

from cdk_front_door import PUBLIC, HttpApiGateway, IamAuth, JwtAuth, Public
from cdk_front_door._route_batch import unique_id
from cdk_front_door.testing import snapshot_context
from tests.support import inline_function, new_stack, resources_of_type, template_of

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


def _cdk_logical_id(scope_path: list[str], construct_id: str) -> str:
    """The logical id aws-cdk-lib allocates to a CfnRoute at ``scope_path``/``construct_id``."""
    stack = new_stack()
    scope: Construct = stack
    for part in scope_path:
        scope = Construct(scope, part)
    route = apigwv2.CfnRoute(scope, construct_id, api_id="api", route_key="GET /")
    return str(stack.resolve(route.logical_id))


@pytest.mark.parametrize("route_key", TRICKY_KEYS)
def test_logical_ids_are_those_cdk_gives_a_route_at_the_same_path(route_key: str) -> None:
    for scope_path in (["Api", "Routes"], ["Default", "Api", "Routes"], ["Resource", "Routes"]):
        construct_id = route_key.replace("/", "|")
        assert unique_id([*scope_path, construct_id]) == _cdk_logical_id(scope_path, construct_id)


def test_a_single_path_component_is_used_as_it_is() -> None:
    assert unique_id(["Api"]) == _cdk_logical_id([], "Api") == "Api"


def test_route_resources_have_the_logical_ids_of_their_routes(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    routes = [api.add_route(key, fn) for key in TRICKY_KEYS]
    template = resources_of_type(template_of(stack), ROUTE)
    assert {
        logical_id: resource["Properties"]["RouteKey"] for logical_id, resource in template.items()
    } == {route.logical_id: route.route_key for route in routes}
    for route in routes:
        assert isinstance(route.resource, apigwv2.CfnRoute)
        assert stack.resolve(route.resource.logical_id) == route.logical_id
        assert stack.resolve(route.resource.route_key) == route.route_key


def test_a_gateway_in_a_nested_stack_names_routes_from_the_nested_stack(stack: Stack) -> None:
    nested = NestedStack(stack, "Nested")
    route = HttpApiGateway(nested, "Api").add_route("GET /a", inline_function(nested), auth=PUBLIC)
    assert route.logical_id == unique_id(["Api", "Routes", "GET |a"])
    assert nested.resolve(route.resource.logical_id) == route.logical_id


def test_routes_are_defined_together_when_the_app_is_synthesized(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    for i in range(5):
        api.add_route(f"GET /r{i}", fn)
    routes_scope = api.node.find_child("Routes")
    assert routes_scope.node.children == []
    template_of(stack)
    batches = routes_scope.node.children
    assert [batch.node.id for batch in batches] == ["Batch1"]
    assert isinstance(batches[0], cfn_include.CfnInclude)
    assert sorted(
        child.node.id for child in batches[0].node.children if isinstance(child, apigwv2.CfnRoute)
    ) == sorted(route.logical_id for route in api.routes)


def test_reading_a_resource_defines_the_routes_added_so_far(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    first = api.add_route("GET /a", fn)
    second = api.add_route("GET /b", fn)
    assert first.resource.node.scope is second.resource.node.scope
    assert first.resource.node.path.startswith("TestStack/Api/Routes/Batch1/")
    third = api.add_route("GET /c", fn)
    template = resources_of_type(template_of(stack), ROUTE)
    assert third.resource.node.path == f"TestStack/Api/Routes/Batch2/{third.logical_id}"
    assert set(template) == {first.logical_id, second.logical_id, third.logical_id}


def test_public_routes_are_batched_by_reason_and_acknowledged_there(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    authorized = api.add_route("GET /private", fn)
    status = api.add_route("GET /status", fn, auth=Public(reason="uptime monitors"))
    health = api.add_route("GET /health", fn, auth=Public(reason="uptime monitors"))
    docs = api.add_route("GET /docs", fn, auth=PUBLIC)
    template_of(stack)
    batch_of = {
        route.route_key: route.resource.node.scope for route in (authorized, status, health, docs)
    }
    assert batch_of["GET /status"] is batch_of["GET /health"]
    assert len({id(batch) for batch in batch_of.values()}) == 3

    def acknowledged(batch: IConstruct | None) -> list[str]:
        assert batch is not None
        return [str(entry.data) for entry in batch.node.metadata if "APIG4" in str(entry.data)]

    assert acknowledged(batch_of["GET /private"]) == []
    assert "uptime monitors" in acknowledged(batch_of["GET /status"])[0]
    assert PUBLIC.reason in acknowledged(batch_of["GET /docs"])[0]


def test_route_parameters_leave_no_trace_in_the_template(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    fn = inline_function(stack)
    api.add_route("GET /a", fn, scopes=["read"])
    api.add_route("POST /a", inline_function(stack, "Other"), auth=IamAuth())
    template = template_of(stack)
    assert "Parameters" not in template or set(template["Parameters"]) == {"BootstrapVersion"}
    routes = resources_of_type(template, ROUTE)
    by_key = {r["Properties"]["RouteKey"]: r["Properties"] for r in routes.values()}
    assert by_key["GET /a"]["AuthorizationScopes"] == ["read"]
    assert by_key["GET /a"]["AuthorizerId"] == {
        "Ref": next(iter(resources_of_type(template, "AWS::ApiGatewayV2::Authorizer")))
    }
    assert by_key["POST /a"]["AuthorizationType"] == "AWS_IAM"
    assert "AuthorizerId" not in by_key["POST /a"]
    api_id = next(iter(resources_of_type(template, "AWS::ApiGatewayV2::Api")))
    assert all(props["ApiId"] == {"Ref": api_id} for props in by_key.values())
    assert all(props["Target"]["Fn::Join"][1][0] == "integrations/" for props in by_key.values())


def test_no_template_file_is_left_behind(stack: Stack) -> None:
    before = set(Path(tempfile.gettempdir()).glob("cdk-front-door-routes-*"))
    api = HttpApiGateway(stack, "Api", default_auth=JWT)
    api.add_route("GET /a", inline_function(stack))
    template_of(stack)
    assert set(Path(tempfile.gettempdir()).glob("cdk-front-door-routes-*")) == before


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
    app.synth()
    assert sorted(counter.route_keys) == ["GET /r0", "GET /r1", "GET /r2"]
