"""Dual stack by default: the execute-api endpoint, custom domains and the CDN answer over
IPv4 and IPv6, and ``ipv6=False`` makes all of them IPv4 only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Match, Template

from cdk_front_door import Cdn, CustomDomain, FrontDoorValidationError, HttpApiGateway
from cdk_front_door.testing import snapshot_context
from tests.support import resources_of_type, template_of

RECORD = "AWS::Route53::RecordSet"


def stack_with_domains(ipv6: bool | None) -> Stack:
    stack = Stack(
        App(context=snapshot_context()),
        "Dual",
        env=Environment(account="123456789012", region="eu-west-1"),
    )
    zone = route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )
    options: dict[str, Any] = {} if ipv6 is None else {"ipv6": ipv6}
    HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.example.com", hosted_zone=zone)],
        cdn=Cdn(domains=[CustomDomain("www.example.com", hosted_zone=zone)]),
        **options,
    )
    return stack


def record_types(stack: Stack) -> list[tuple[str, str]]:
    return sorted(
        (r["Properties"]["Name"], r["Properties"]["Type"])
        for r in resources_of_type(template_of(stack), RECORD).values()
    )


def test_by_default_the_api_its_domains_and_the_cdn_answer_over_ipv6() -> None:
    stack = stack_with_domains(None)
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::ApiGatewayV2::Api", {"IpAddressType": "dualstack"})
    template.has_resource_properties(
        "AWS::ApiGatewayV2::DomainName",
        {"DomainNameConfigurations": [Match.object_like({"IpAddressType": "dualstack"})]},
    )
    template.has_resource_properties(
        "AWS::CloudFront::Distribution", {"DistributionConfig": {"IPV6Enabled": True}}
    )
    assert record_types(stack) == [
        ("api.example.com.", "A"),
        ("api.example.com.", "AAAA"),
        ("www.example.com.", "A"),
        ("www.example.com.", "AAAA"),
    ]


def test_ipv6_false_makes_every_endpoint_ipv4_only_with_no_aaaa_record() -> None:
    stack = stack_with_domains(False)
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::ApiGatewayV2::Api", {"IpAddressType": "ipv4"})
    template.has_resource_properties(
        "AWS::ApiGatewayV2::DomainName",
        {"DomainNameConfigurations": [Match.object_like({"IpAddressType": "ipv4"})]},
    )
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {"DistributionConfig": {"IPV6Enabled": False}},
    )
    assert record_types(stack) == [("api.example.com.", "A"), ("www.example.com.", "A")]
    template.resource_properties_count_is(RECORD, {"Type": "AAAA"}, 0)


def test_a_gateway_without_domains_is_dual_stack(stack: Stack) -> None:
    HttpApiGateway(stack, "Api")
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGatewayV2::Api", {"IpAddressType": "dualstack", "Name": Match.any_value()}
    )


@pytest.mark.parametrize("value", ["false", 0, None, 1.0])
def test_ipv6_must_be_a_bool(stack: Stack, value: object) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"ipv6 must be true or false, got \w+ {re.escape(repr(value))} "
        r"\(at TestStack/Api\)",
    ):
        HttpApiGateway(stack, "Api", ipv6=value)  # type: ignore[arg-type]
