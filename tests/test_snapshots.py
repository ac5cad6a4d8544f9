"""Whole-template snapshots: a regression net behind the behaviour tests, never a substitute.

At most two per construct: each construct with its defaults and with every option set (the
gateway's includes its domains and CDN). Everything a snapshot shows is also asserted by a
behaviour test that names it.

Update with ``.venv/bin/pytest tests/test_snapshots.py --snapshot-update`` only after reading
the diff and deciding the new template is right.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Duration, Environment, RemovalPolicy, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from cdk_front_door import (
    PUBLIC,
    AccessLogs,
    Alarms,
    CacheRule,
    Cdn,
    Container,
    ContainerService,
    Cors,
    CustomDomain,
    HttpApiGateway,
    HttpUrl,
    IamAuth,
    IdentityHeaders,
    JwtAuth,
    LambdaAuth,
    LogFormat,
    Public,
    Throttle,
    Waf,
)
from cdk_front_door.testing import normalized_template, snapshot_context
from examples.batch_job.app import build as build_batch_job
from examples.shared import HELLO_CODE
from tests.support import new_stack


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


def test_gateway_with_all_defaults(snapshot_json: SnapshotAssertion) -> None:
    stack = new_stack(App(context=snapshot_context()))
    HttpApiGateway(stack, "Api")
    assert normalized_template(stack) == snapshot_json


def test_gateway_with_every_option(snapshot_json: SnapshotAssertion) -> None:
    """Every prop of the gateway and of its CDN, a domain in a zone and one whose DNS is
    elsewhere, and a route of each kind of auth and target."""
    app = App(context=snapshot_context())
    stack = Stack(app, "EveryOption", env=Environment(account="123456789012", region="eu-west-1"))
    zone = route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )
    partner = acm.Certificate.from_certificate_arn(
        stack, "Partner", "arn:aws:acm:eu-west-1:123456789012:certificate/partner"
    )
    function = lambda_.Function(
        stack,
        "Handler",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_asset(str(HELLO_CODE)),
        timeout=Duration.seconds(15),
    )
    api = HttpApiGateway(
        stack,
        "Api",
        api_name="all-options",
        description="Every option set",
        cors=Cors(
            allow_origins=["https://app.example.com"],
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
            expose_headers=["X-Request-Id"],
            allow_credentials=True,
            max_age=Duration.minutes(10),
        ),
        access_logs=AccessLogs(
            format=LogFormat.XML, retention=90, removal_policy=RemovalPolicy.DESTROY
        ),
        throttle=Throttle(rate_limit=50, burst_limit=25),
        default_auth=JwtAuth(
            "https://auth.example.com/", audience=["api", "web"], scopes=["items:read"]
        ),
        domains=[
            CustomDomain("api.example.com", hosted_zone=zone, base_path="v1"),
            CustomDomain("api.partner.net", certificate=partner),
        ],
        disable_execute_api_endpoint=True,
        cdn=Cdn(
            domains=[CustomDomain("www.example.com", hosted_zone=zone)],
            cache=[
                CacheRule("/catalog/*", ttl=Duration.minutes(5)),
                CacheRule(
                    "/products/*",
                    ttl=Duration.hours(1),
                    max_ttl=Duration.days(2),
                    headers=["Accept-Language"],
                    cookies=["currency"],
                    query_strings=["page"],
                ),
            ],
            waf=Waf(rate_limit=300),
            geo_restriction=cloudfront.GeoRestriction.denylist("KP"),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            log_expiration=Duration.days(30),
            invalidate_on_deploy=True,
        ),
        identity_headers=IdentityHeaders(claims=["sub", "email"], context=["tenant"]),
        ipv6=False,
        detailed_metrics=True,
        alarms=Alarms(dashboard=True),
        outputs=True,
    )
    api.add_route("DELETE /items/{id}", function, scopes=["items:admin"])
    api.add_route("GET /internal", function, auth=IamAuth())
    api.add_route(
        "POST /hooks",
        HttpUrl("https://hooks.example.net/in"),
        auth=LambdaAuth(
            function,
            identity_sources=["$request.header.x-api-key"],
            cache_ttl=Duration.minutes(5),
            simple_responses=False,
        ),
    )
    reason = Public(reason="snapshot of a public route")
    api.add_route("GET /items/{id}", function, auth=reason)
    api.add_route(
        "POST /items", function, auth=reason, throttle=Throttle(rate_limit=2, burst_limit=4)
    )
    api.add_route("GET /catalog/{id}", "https://catalog.example.net/{id}", auth=reason)
    api.add_route("ANY /proxy/{proxy+}", HttpUrl("https://backend.example.com/{proxy}"))
    api.add_route("$default", function)
    edge = app.node.find_child("EveryOptionCdnEdge")
    assert isinstance(edge, Stack)
    assert {
        "main": normalized_template(stack),
        "edge": normalized_template(edge),
    } == snapshot_json


def test_container_service_behind_a_gateway(snapshot_json: SnapshotAssertion) -> None:
    stack = new_stack(App(context=snapshot_context()))
    service = ContainerService(
        stack,
        "App",
        containers=[
            Container(
                "web",
                image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:stable"),
                port=80,
            )
        ],
    )
    HttpApiGateway(stack, "Api").add_route("ANY /{proxy+}", service, auth=PUBLIC)
    assert normalized_template(stack) == snapshot_json


def test_container_service_with_every_option(snapshot_json: SnapshotAssertion) -> None:
    stack = new_stack(App(context=snapshot_context()))
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=2,
        nat_gateways=1,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC),
            ec2.SubnetConfiguration(name="App", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            ec2.SubnetConfiguration(name="Link", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        ],
    )
    image = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:stable-alpine")
    service = ContainerService(
        stack,
        "App",
        containers=[
            Container(
                "proxy",
                image=image,
                port=8080,
                environment={"UPSTREAM": "127.0.0.1:9000"},
                command=["nginx", "-g", "daemon off;"],
                health_check=ecs.HealthCheck(command=["CMD-SHELL", "true"]),
            ),
            Container("app", image=image, port=9000, essential=False),
        ],
        cpu=1024,
        memory=2048,
        desired_count=2,
        architecture=ecs.CpuArchitecture.X86_64,
        vpc=vpc,
        task_subnets=ec2.SubnetSelection(subnet_group_name="App"),
        link_subnets=ec2.SubnetSelection(subnet_group_name="Link"),
        port=8080,
        container_insights=True,
        log_retention=logs.RetentionDays.THREE_MONTHS,
    )
    HttpApiGateway(stack, "Api").add_route("ANY /{proxy+}", service, auth=PUBLIC)
    assert normalized_template(stack) == snapshot_json


def test_batch_job_example(snapshot_json: SnapshotAssertion) -> None:
    assert normalized_template(build_batch_job(App(context=snapshot_context()))) == snapshot_json
