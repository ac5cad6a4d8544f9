"""Every example app and the flagship app.py synthesize, pass cdk-nag and pass cfn-lint."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from cdk_front_door import HttpApiGateway
from cdk_front_door.testing import snapshot_context
from examples import APPS
from tests.support import cfn_lint, nag_report, resources_of_type


def _build(module_name: str) -> tuple[App, Stack]:
    build: Callable[[App], Stack] = importlib.import_module(module_name).build
    app = App(context=snapshot_context())
    return app, build(app)


@pytest.mark.parametrize("module_name", APPS)
def test_example_passes_cdk_nag_with_nothing_unacknowledged(module_name: str) -> None:
    app, _ = _build(module_name)
    assert nag_report(app) == ""


@pytest.mark.parametrize("module_name", APPS)
def test_example_passes_cfn_lint_without_errors_or_warnings(module_name: str) -> None:
    app, _ = _build(module_name)
    for stack in app.node.children:
        if isinstance(stack, Stack):
            template: dict[str, Any] = dict(Template.from_stack(stack).to_json())
            assert cfn_lint(template) == [], stack.stack_name


@pytest.mark.parametrize("module_name", APPS)
def test_example_outputs_the_url_and_domain_of_each_gateway(module_name: str) -> None:
    _, stack = _build(module_name)
    outputs = Template.from_stack(stack).to_json()["Outputs"]
    descriptions = {output["Description"] for output in outputs.values()}
    gateways = [c for c in stack.node.find_all() if isinstance(c, HttpApiGateway)]
    assert gateways, module_name
    for gateway in gateways:
        assert f"URL of {gateway.node.path}" in descriptions
        assert f"Domain of {gateway.node.path}" in descriptions


@pytest.mark.parametrize("module_name", APPS)
def test_example_has_no_unauthenticated_route_warning(module_name: str) -> None:
    app, _ = _build(module_name)
    assembly = app.synth()
    messages = [
        message.entry.data
        for stack in assembly.stacks
        for message in stack.messages
        if message.entry.type == "aws:cdk:warning"
    ]
    assert messages == []


def test_lambda_api_example_throttles_orders_harder_than_the_stage() -> None:
    _, stack = _build("examples.lambda_api.app")
    template = Template.from_stack(stack).to_json()
    stage = next(iter(resources_of_type(template, "AWS::ApiGatewayV2::Stage").values()))
    assert stage["Properties"]["RouteSettings"]["POST /orders"]["ThrottlingRateLimit"] == 10
    assert stage["Properties"]["DefaultRouteSettings"]["ThrottlingRateLimit"] == 200


def _authorization_by_route(template: Mapping[str, Any]) -> dict[str, str]:
    return {
        route["Properties"]["RouteKey"]: route["Properties"]["AuthorizationType"]
        for route in resources_of_type(template, "AWS::ApiGatewayV2::Route").values()
    }


def _authorizer_sources_by_route(template: Mapping[str, Any]) -> dict[str, list[str] | None]:
    """Each route's authorizer's identity sources; None for a route without an authorizer."""
    authorizers = resources_of_type(template, "AWS::ApiGatewayV2::Authorizer")
    sources: dict[str, list[str] | None] = {}
    for route in resources_of_type(template, "AWS::ApiGatewayV2::Route").values():
        reference = route["Properties"].get("AuthorizerId")
        authorizer = None if reference is None else authorizers[reference["Ref"]]
        sources[route["Properties"]["RouteKey"]] = (
            None if authorizer is None else authorizer["Properties"]["IdentitySource"]
        )
    return sources


def test_flagship_app_routes_two_functions_a_url_and_a_container_service() -> None:
    _, stack = _build("app")
    template = Template.from_stack(stack).to_json()
    # Behind the protected CDN every route is authorized: public ones by the origin check.
    assert set(_authorization_by_route(template).values()) == {"CUSTOM"}
    origin = ["$request.header.x-origin-verify"]
    assert _authorizer_sources_by_route(template) == {
        "GET /admin/users": ["$request.header.Authorization"],  # default auth: an API key
        "GET /hello": origin,
        "GET /users/{id}": origin,
        "POST /users": origin,
        "GET /": origin,
        "ANY /{proxy+}": origin,
        "OPTIONS /{proxy+}": origin,  # CORS preflight, answered by the gateway's own function
        "GET /ip": origin,
    }
    # hello, users, the URL, the container service and the preflight function
    assert len(resources_of_type(template, "AWS::ApiGatewayV2::Integration")) == 5
    # one per function, and one for each authorizer (the API key and the origin check)
    assert len(resources_of_type(template, "AWS::Lambda::Permission")) == 5


def test_jwt_auth_example_denies_by_default_and_shares_one_jwt_authorizer() -> None:
    _, stack = _build("examples.jwt_auth.app")
    template = Template.from_stack(stack).to_json()
    assert _authorization_by_route(template) == {
        "GET /me": "JWT",
        "GET /orders": "JWT",
        "POST /orders": "JWT",
        "ANY /account/{proxy+}": "JWT",
        "OPTIONS /account/{proxy+}": "NONE",
        "POST /webhooks/payments": "CUSTOM",
        "GET /internal/stats": "AWS_IAM",
        "GET /health": "NONE",
    }
    authorizers = resources_of_type(template, "AWS::ApiGatewayV2::Authorizer")
    assert sorted(a["Properties"]["AuthorizerType"] for a in authorizers.values()) == [
        "JWT",
        "REQUEST",
    ]


def test_custom_domain_example_covers_every_domain_case() -> None:
    _, stack = _build("examples.custom_domain.app")
    template = Template.from_stack(stack).to_json()
    assert len(resources_of_type(template, "AWS::ApiGatewayV2::DomainName")) == 5
    assert len(resources_of_type(template, "AWS::ApiGatewayV2::ApiMapping")) == 5
    # api and www get their own certificates; shop and admin share the wildcard one
    assert len(resources_of_type(template, "AWS::CertificateManager::Certificate")) == 3
    assert len(resources_of_type(template, "AWS::Route53::RecordSet")) == 8
    api = next(iter(resources_of_type(template, "AWS::ApiGatewayV2::Api").values()))
    assert api["Properties"]["DisableExecuteApiEndpoint"] is True
    assert any("CnameTarget" in name for name in template["Outputs"])


def test_shared_domain_example_maps_two_apis_on_one_domain_name() -> None:
    _, stack = _build("examples.shared_domain.app")
    template = Template.from_stack(stack).to_json()
    assert len(resources_of_type(template, "AWS::ApiGatewayV2::Api")) == 2
    assert len(resources_of_type(template, "AWS::ApiGatewayV2::DomainName")) == 1
    assert len(resources_of_type(template, "AWS::CertificateManager::Certificate")) == 1
    assert len(resources_of_type(template, "AWS::Route53::RecordSet")) == 2
    mappings = resources_of_type(template, "AWS::ApiGatewayV2::ApiMapping").values()
    assert sorted(m["Properties"]["ApiMappingKey"] for m in mappings) == ["orders", "users"]
    assert len({json.dumps(m["Properties"]["ApiId"]) for m in mappings}) == 2


def test_flagship_app_takes_its_domain_from_context() -> None:
    app = App(
        context=snapshot_context(
            **{
                "front_door:domain": "api.example.com",
                "front_door:hosted_zone_id": "Z0123456789ABCDEFGHIJ",
                "front_door:hosted_zone_name": "example.com",
            }
        )
    )
    stack = importlib.import_module("app").build(app)
    template = Template.from_stack(stack).to_json()
    domain = next(iter(resources_of_type(template, "AWS::ApiGatewayV2::DomainName").values()))
    assert domain["Properties"]["DomainName"] == "api.example.com"
    assert nag_report(app) == ""


def test_flagship_app_rejects_a_partial_domain_context() -> None:
    app = App(context=snapshot_context(**{"front_door:domain": "api.example.com"}))
    with pytest.raises(ValueError, match=r"give all three context values"):
        importlib.import_module("app").build(app)


def test_cdn_example_puts_certificate_and_waf_in_us_east_1() -> None:
    app, stack = _build("examples.cdn.app")
    edge = app.node.find_child("FrontDoorCdnCdnEdge")
    assert isinstance(edge, Stack) and edge.region == "us-east-1"
    edge_template = Template.from_stack(edge).to_json()
    assert len(resources_of_type(edge_template, "AWS::WAFv2::WebACL")) == 1
    assert len(resources_of_type(edge_template, "AWS::CertificateManager::Certificate")) == 1
    template = Template.from_stack(stack).to_json()
    distribution = next(iter(resources_of_type(template, "AWS::CloudFront::Distribution").values()))
    config = distribution["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["www.example.com"]
    assert [b["PathPattern"] for b in config["CacheBehaviors"]] == ["/catalog/*", "/products/*"]
    assert config["Origins"][0]["DomainName"] == "api.example.com"


def test_cdn_example_refuses_every_route_to_callers_around_the_cdn() -> None:
    _, stack = _build("examples.cdn.app")
    template = Template.from_stack(stack).to_json()
    api = next(iter(resources_of_type(template, "AWS::ApiGatewayV2::Api").values()))
    assert api["Properties"]["DisableExecuteApiEndpoint"] is True
    sources = _authorizer_sources_by_route(template)
    assert set(sources) == {
        "GET /catalog/{category}",
        "GET /products/{id}",
        "ANY /account/{proxy+}",
    }
    assert set(map(tuple, sources.values())) == {("$request.header.x-origin-verify",)}  # type: ignore[arg-type]
    distribution = next(iter(resources_of_type(template, "AWS::CloudFront::Distribution").values()))
    headers = distribution["Properties"]["DistributionConfig"]["Origins"][0]["OriginCustomHeaders"]
    assert [header["HeaderName"] for header in headers] == ["x-origin-verify"]


def test_flagship_app_has_a_cdn() -> None:
    _, stack = _build("app")
    template = Template.from_stack(stack).to_json()
    assert len(resources_of_type(template, "AWS::CloudFront::Distribution")) == 1


def test_container_service_example_has_no_load_balancer_and_no_nat_gateway() -> None:
    _, stack = _build("examples.container_service.app")
    template = Template.from_stack(stack).to_json()
    assert resources_of_type(template, "AWS::EC2::NatGateway") == {}
    assert resources_of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer") == {}
    assert len(resources_of_type(template, "AWS::ECS::Service")) == 1
    assert len(resources_of_type(template, "AWS::ApiGatewayV2::VpcLink")) == 1


def test_batch_job_example_starts_stops_and_reads_jobs() -> None:
    _, stack = _build("examples.batch_job.app")
    template = Template.from_stack(stack).to_json()
    assert _authorization_by_route(template) == {
        "POST /jobs": "AWS_IAM",
        "POST /jobs/stop": "AWS_IAM",
        "GET /jobs/status": "AWS_IAM",
    }
    assert resources_of_type(template, "AWS::EC2::NatGateway") == {}
    assert len(resources_of_type(template, "AWS::StepFunctions::StateMachine")) == 1
