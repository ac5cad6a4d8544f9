"""One custom domain for several gateways: one certificate, domain name and set of records,
one API mapping per gateway, each under a base path of its own."""

from __future__ import annotations

from typing import Any, cast

import pytest
from aws_cdk import App, CfnOutput, Environment, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Template

from cdk_front_door import CustomDomain, FrontDoorValidationError, HttpApiGateway
from cdk_front_door.testing import snapshot_context
from tests.support import deployed, resources_of_type, template_of

ENV = Environment(account="123456789012", region="eu-west-1")
DOMAIN = "api.example.com"


def new_stack(app: App | None = None, name: str = "Shop") -> Stack:
    return Stack(app or App(context=snapshot_context()), name, env=ENV)


def zone(stack: Stack) -> route53.IHostedZone:
    found = stack.node.try_find_child("Zone")  # one zone for the stack's gateways
    if found is not None:
        return cast(route53.IHostedZone, found)
    return route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )


def gateway(stack: Stack, name: str, base_path: str | None, **domain: Any) -> HttpApiGateway:
    options = domain or {"hosted_zone": zone(stack)}
    return HttpApiGateway(
        stack, name, domains=[CustomDomain(DOMAIN, base_path=base_path, **options)]
    )


def count(stack: Stack, resource_type: str) -> int:
    return len(resources_of_type(template_of(stack), resource_type))


def test_two_gateways_share_one_domain_name_certificate_and_records() -> None:
    stack = new_stack()
    orders = gateway(stack, "Orders", "orders")
    users = gateway(stack, "Users", "users")
    assert count(stack, "AWS::CertificateManager::Certificate") == 1
    assert count(stack, "AWS::ApiGatewayV2::DomainName") == 1
    assert count(stack, "AWS::Route53::RecordSet") == 2  # A and AAAA
    template = Template.from_stack(stack)
    domain_ref = stack.resolve(orders.domain_names[DOMAIN].name)
    for api, key in ((orders, "orders"), (users, "users")):
        template.has_resource_properties(
            "AWS::ApiGatewayV2::ApiMapping",
            {
                "ApiId": stack.resolve(api.http_api.api_id),
                "DomainName": domain_ref,
                "ApiMappingKey": key,
            },
        )
    assert users.domain_names[DOMAIN] is orders.domain_names[DOMAIN]
    assert deployed(stack, users.url) == "https://api.example.com/users/"
    assert deployed(stack, orders.url) == "https://api.example.com/orders/"
    # Only the custom domain reaches either API.
    template.resource_properties_count_is(
        "AWS::ApiGatewayV2::Api", {"DisableExecuteApiEndpoint": True}, 2
    )


def test_the_gateway_that_defines_the_domain_keeps_its_logical_ids() -> None:
    alone = new_stack()
    gateway(alone, "Orders", "orders")
    shared = new_stack()
    gateway(shared, "Orders", "orders")
    gateway(shared, "Users", "users")
    before = set(template_of(alone)["Resources"])
    after = set(template_of(shared)["Resources"])
    assert before <= after
    added = {template_of(shared)["Resources"][logical_id]["Type"] for logical_id in after - before}
    # The second gateway's own resources, and one mapping: no certificate, domain or record.
    assert "AWS::ApiGatewayV2::ApiMapping" in added
    assert added.isdisjoint(
        {
            "AWS::CertificateManager::Certificate",
            "AWS::ApiGatewayV2::DomainName",
            "AWS::Route53::RecordSet",
        }
    )


def test_one_gateway_may_take_the_root_of_a_shared_domain() -> None:
    stack = new_stack()
    site = gateway(stack, "Site", None)
    orders = gateway(stack, "Orders", "orders")
    assert deployed(stack, site.url) == "https://api.example.com/"
    assert deployed(stack, orders.url) == "https://api.example.com/orders/"


def test_a_gateway_in_another_stack_maps_onto_the_domain_and_deploys_after_it() -> None:
    app = App(context=snapshot_context())
    first, second = new_stack(app, "Orders"), new_stack(app, "Users")
    gateway(first, "Api", "orders")
    gateway(second, "Api", "users")
    app.synth()
    assert count(second, "AWS::ApiGatewayV2::DomainName") == 0
    assert count(second, "AWS::ApiGatewayV2::ApiMapping") == 1
    assert first in second.dependencies


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("orders", "orders", r"base path 'orders' of Shop/B and base path 'orders' of Shop/A"),
        (
            "orders",
            "orders/v2",
            r"base path 'orders/v2' of Shop/B and base path 'orders' of Shop/A overlap",
        ),
        ("v1/orders", "v1", r"base path 'v1' of Shop/B and base path 'v1/orders' of Shop/A"),
        (None, None, r"base path \(the root\) of Shop/B and base path \(the root\) of Shop/A"),
    ],
)
def test_overlapping_base_paths_fail_naming_both(
    first: str | None, second: str | None, message: str
) -> None:
    stack = new_stack()
    gateway(stack, "A", first)
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"custom domain 'api.example.com' of gateway Shop/B is already a custom domain "
        rf"of gateway Shop/A: {message}.*\(at Shop/B\)",
    ):
        gateway(stack, "B", second)


def test_orders_and_orders2_do_not_overlap() -> None:
    stack = new_stack()
    gateway(stack, "A", "orders")
    gateway(stack, "B", "orders2")
    assert count(stack, "AWS::ApiGatewayV2::ApiMapping") == 2


def test_a_shared_domain_has_one_certificate_and_zone() -> None:
    stack = new_stack()
    gateway(stack, "A", "orders")
    certificate = acm.Certificate.from_certificate_arn(
        stack, "Cert", "arn:aws:acm:eu-west-1:123456789012:certificate/other"
    )
    with pytest.raises(
        FrontDoorValidationError,
        match=r"gateways that share a domain name share its one certificate and hosted zone, "
        r"so give Shop/B the same hosted_zone and certificate \(or none\) as Shop/A",
    ):
        gateway(stack, "B", "users", hosted_zone=zone(stack), certificate=certificate)


def test_a_shared_domain_has_one_ip_address_type() -> None:
    stack = new_stack()
    gateway(stack, "A", "orders")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"gateways that share a domain name share its IP address type, so give Shop/B "
        r"the same ipv6 setting as Shop/A",
    ):
        HttpApiGateway(
            stack,
            "B",
            domains=[CustomDomain(DOMAIN, hosted_zone=zone(stack), base_path="users")],
            ipv6=False,
        )


def test_a_stack_reading_the_second_gateways_url_deploys_after_its_mapping() -> None:
    app = App(context=snapshot_context())
    first, second, reader = (new_stack(app, name) for name in ("Orders", "Users", "Reader"))
    gateway(first, "Api", "orders")
    users = gateway(second, "Api", "users")
    CfnOutput(reader, "UsersUrl", value=users.url)
    app.synth()
    assert first in reader.dependencies and second in reader.dependencies
    # The domain name from the first stack, beside the second's own mapping.
    host = second.resolve(users.url)["Fn::Join"][1][1]["Fn::Select"]
    assert host[0] == 0
    assert "Fn::ImportValue" in host[1][0]
    assert host[1][1] == second.resolve(users.api_mappings[0].api_mapping_id)
