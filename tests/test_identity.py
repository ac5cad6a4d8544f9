"""The verified identity reaches URL and container backends as headers no client can forge."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Match, Template

from cdk_front_door import (
    PUBLIC,
    FrontDoorValidationError,
    HttpApiGateway,
    HttpUrl,
    IamAuth,
    IdentityHeaders,
    JwtAuth,
    LambdaAuth,
)
from cdk_front_door.local.assembly import load_apis, private_services
from cdk_front_door.testing import LocalFrontDoor, snapshot_context
from examples.container_service.app import build as build_container_example
from tests.support import echo_server, inline_function, resources_of_type, template_of

INTEGRATION = "AWS::ApiGatewayV2::Integration"
ISSUER = "https://issuer.example.com/"
BACKEND = "https://backend.example.com/"


def integrations_by_route(stack: Stack) -> dict[str, dict[str, Any]]:
    """Each route's integration properties, by route key."""
    template = template_of(stack)
    integrations = resources_of_type(template, INTEGRATION)
    found: dict[str, dict[str, Any]] = {}
    for route in resources_of_type(template, "AWS::ApiGatewayV2::Route").values():
        target = route["Properties"]["Target"]["Fn::Join"][1][1]["Ref"]
        found[route["Properties"]["RouteKey"]] = integrations[target]["Properties"]
    return found


def gateway_with_every_kind_of_caller(stack: Stack, **options: Any) -> HttpApiGateway:
    api = HttpApiGateway(stack, "Api", **options)
    authorizer = inline_function(stack, "Authorizer")
    api.add_route("GET /public", BACKEND, auth=PUBLIC)
    api.add_route("GET /jwt", BACKEND, auth=JwtAuth(ISSUER, audience=["api"]))
    api.add_route("GET /jwt-too", BACKEND, auth=JwtAuth(ISSUER, audience=["other"]))
    api.add_route("GET /lambda", BACKEND, auth=LambdaAuth(authorizer))
    api.add_route("GET /iam", BACKEND, auth=IamAuth())
    api.add_route("GET /function", inline_function(stack), auth=JwtAuth(ISSUER, audience=["api"]))
    return api


def test_by_default_jwt_routes_forward_sub_and_scope_and_other_routes_remove_them(
    stack: Stack,
) -> None:
    gateway_with_every_kind_of_caller(stack)
    routes = integrations_by_route(stack)
    removed = {"remove:header.x-auth-claim-scope": "", "remove:header.x-auth-claim-sub": ""}
    assert routes["GET /jwt"]["RequestParameters"] == {
        "overwrite:header.x-auth-claim-scope": "$context.authorizer.claims.scope",
        "overwrite:header.x-auth-claim-sub": "$context.authorizer.claims.sub",
    }
    for key in ("GET /public", "GET /lambda", "GET /iam"):
        assert routes[key]["RequestParameters"] == removed, key
    # A Lambda function gets the claims in its event: no headers.
    assert "RequestParameters" not in routes["GET /function"]


def test_one_integration_per_kind_of_caller_shared_by_its_routes(stack: Stack) -> None:
    gateway_with_every_kind_of_caller(stack)
    urls = {
        logical_id
        for logical_id, integration in resources_of_type(template_of(stack), INTEGRATION).items()
        if integration["Properties"]["IntegrationUri"] == BACKEND
    }
    # Public, IAM and Lambda-authorized callers share one; both JWT authorizers another.
    assert len(urls) == 2
    assert any(re.fullmatch(r"ApiTargetsUrl.*JwtIntegration[0-9A-F]{8}", i) for i in urls), urls


def test_a_lambda_authorizers_context_keys_are_forwarded_on_its_routes(stack: Stack) -> None:
    gateway_with_every_kind_of_caller(
        stack, identity_headers=IdentityHeaders(claims=["email"], context=["tenant_id"])
    )
    routes = integrations_by_route(stack)
    assert routes["GET /lambda"]["RequestParameters"] == {
        "overwrite:header.x-auth-context-tenant-id": "$context.authorizer.tenant_id",
        "remove:header.x-auth-claim-email": "",
    }
    assert routes["GET /jwt"]["RequestParameters"] == {
        "overwrite:header.x-auth-claim-email": "$context.authorizer.claims.email",
        "remove:header.x-auth-context-tenant-id": "",
    }
    assert routes["GET /public"]["RequestParameters"] == {
        "remove:header.x-auth-claim-email": "",
        "remove:header.x-auth-context-tenant-id": "",
    }


@pytest.mark.parametrize("off", [False, IdentityHeaders(claims=[], context=[])])
def test_nothing_forwarded_means_one_integration_and_no_mapping(stack: Stack, off: Any) -> None:
    gateway_with_every_kind_of_caller(stack, identity_headers=off)
    template = Template.from_stack(stack)
    template.resource_properties_count_is(INTEGRATION, {"IntegrationUri": BACKEND}, 1)
    template.resource_properties_count_is(INTEGRATION, {"RequestParameters": Match.any_value()}, 0)


def test_a_named_url_target_keeps_its_name_with_the_caller_kind(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route(
        "GET /a", HttpUrl(BACKEND, name="Backend"), auth=JwtAuth(ISSUER, audience=["api"])
    )
    api.add_route("GET /b", HttpUrl(BACKEND, name="Backend"), auth=PUBLIC)
    assert {child.node.id for child in api.node.find_child("Targets").node.children} == {
        "Url|Backend",
        "Url|Backend|%Jwt",
    }


@pytest.mark.parametrize(
    ("identity_headers", "message"),
    [
        (
            IdentityHeaders(claims=["cognito:groups"]),
            r"identity_headers claims: 'cognito:groups' cannot be forwarded as a header: give "
            r"names of 1 to 64 letters, digits and _",
        ),
        (
            IdentityHeaders(claims=["sub", "Sub"]),
            r"identity_headers claims: 'sub' and 'Sub' would both be sent as header "
            r"x-auth-claim-sub",
        ),
        (
            IdentityHeaders(context=["tenant_id", "tenant-id"]),
            r"identity_headers context: 'tenant-id' cannot be forwarded as a header",
        ),
        (
            IdentityHeaders(claims="sub"),
            r"identity_headers claims must be a list of names, got str 'sub'",
        ),
        (IdentityHeaders(claims=[""]), r"identity_headers claims: '' cannot be forwarded"),
        (IdentityHeaders(claims=["sub\n"]), r"identity_headers claims: 'sub\\n' cannot be"),
        (IdentityHeaders(claims=["x" * 65]), r"identity_headers claims: 'x{65}' cannot be"),
        (IdentityHeaders(context=[None]), r"identity_headers context: None cannot be forwarded"),  # type: ignore[list-item]
        (
            {"claims": ["sub"]},
            r"identity_headers must be True, False or an IdentityHeaders\(...\), got dict",
        ),
    ],
)
def test_bad_identity_headers_are_refused(
    stack: Stack, identity_headers: Any, message: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Api\)"):
        HttpApiGateway(stack, "Api", identity_headers=identity_headers)


def test_the_container_example_receives_the_verified_claims_never_a_clients_own() -> None:
    app = App(context=snapshot_context())
    build_container_example(app)
    assembly = Path(app.synth().directory)
    services = dict.fromkeys(private_services(load_apis(assembly)))
    forged = {"x-auth-claim-sub": "admin", "x-auth-claim-email": "admin@example.com"}
    with echo_server() as upstream:
        with LocalFrontDoor(assembly, services=dict.fromkeys(services, upstream)) as local:
            token = local.token(sub="user-7", email="user7@example.com", scopes=["profile"])
            signed_in = local.request(
                "GET", "/account/orders", headers={"authorization": f"Bearer {token}", **forged}
            )
            assert signed_in.status == 200, signed_in.text
            assert signed_in.json()["headers"] == {
                "x-auth-claim-sub": "user-7",
                "x-auth-claim-email": "user7@example.com",
                "x-auth-claim-scope": "profile",
            }
            anonymous = local.request("GET", "/index.html", headers=forged)
            assert anonymous.status == 200, anonymous.text
            assert "headers" not in anonymous.json()  # no x- header reached the tasks
            without_token = local.request("GET", "/account/orders", headers=forged)
            assert without_token.status == 401
