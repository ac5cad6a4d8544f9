from __future__ import annotations

import re
from typing import Any, cast

import pytest
from aws_cdk import App, Environment, Fn, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Match, Template
from constructs import Construct

from cdk_front_door import PUBLIC, CustomDomain, FrontDoorValidationError, HttpApiGateway
from cdk_front_door.testing import snapshot_context
from tests.support import (
    cfn_lint,
    deployed,
    has_one,
    inline_function,
    nag_report,
    new_stack,
    resources_of_type,
    template_of,
)

API = "AWS::ApiGatewayV2::Api"
DOMAIN_NAME = "AWS::ApiGatewayV2::DomainName"
MAPPING = "AWS::ApiGatewayV2::ApiMapping"
CERTIFICATE = "AWS::CertificateManager::Certificate"
RECORD = "AWS::Route53::RecordSet"


def zone(
    stack: Stack, name: str = "example.com", zone_id: str = "Z0123456789ABCDEFGHIJ"
) -> route53.IHostedZone:
    return route53.HostedZone.from_hosted_zone_attributes(
        stack, f"Zone-{name}", hosted_zone_id=zone_id, zone_name=name
    )


def imported_certificate(stack: Stack, region: str = "us-east-1") -> acm.ICertificate:
    return acm.Certificate.from_certificate_arn(
        stack, f"Cert-{region}", f"arn:aws:acm:{region}:123456789012:certificate/abc-123"
    )


def records(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["Properties"] for r in resources_of_type(template, RECORD).values()]


def test_domain_gets_certificate_domain_name_mapping_and_alias_records(stack: Stack) -> None:
    example = zone(stack)
    api = HttpApiGateway(
        stack, "Api", domains=[CustomDomain("api.example.com", hosted_zone=example)]
    )
    template = Template.from_stack(stack)
    has_one(
        template,
        CERTIFICATE,
        {
            "DomainName": "api.example.com",
            "ValidationMethod": "DNS",
            "DomainValidationOptions": [
                Match.object_equals(
                    {"DomainName": "api.example.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"}
                )
            ],
        },
    )
    has_one(
        template,
        DOMAIN_NAME,
        {
            "DomainName": "api.example.com",
            "DomainNameConfigurations": [
                Match.object_equals(
                    {
                        "CertificateArn": stack.resolve(
                            api.certificates["api.example.com"].certificate_arn
                        ),
                        "EndpointType": "REGIONAL",
                        "SecurityPolicy": "TLS_1_2",
                        "IpAddressType": "dualstack",
                    }
                )
            ],
        },
    )
    template.resource_count_is(MAPPING, 1)
    template.has_resource(
        MAPPING,
        {
            "Properties": {"Stage": "$default", "ApiMappingKey": Match.absent()},
            "DependsOn": [stack.get_logical_id(api.stage.node.default_child)],  # type: ignore[arg-type]
        },
    )
    domain_name = api.domain_names["api.example.com"]
    alias = {
        "DNSName": stack.resolve(domain_name.regional_domain_name),
        "HostedZoneId": stack.resolve(domain_name.regional_hosted_zone_id),
    }
    template.resource_count_is(RECORD, 2)
    for record_type in ("A", "AAAA"):
        template.has_resource_properties(
            RECORD,
            {
                "Type": record_type,
                "Name": "api.example.com.",
                "AliasTarget": Match.object_equals(alias),
                "HostedZoneId": "Z0123456789ABCDEFGHIJ",
            },
        )


def test_custom_domains_turn_the_execute_api_endpoint_off(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", domains=[CustomDomain("api.example.com", hosted_zone=zone(stack))])
    template = Template.from_stack(stack)
    has_one(template, API, {"DisableExecuteApiEndpoint": True})


def test_execute_api_endpoint_can_be_kept(stack: Stack) -> None:
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.example.com", hosted_zone=zone(stack))],
        disable_execute_api_endpoint=False,
    )
    template = Template.from_stack(stack)
    has_one(template, API, {"DisableExecuteApiEndpoint": False})
    assert deployed(stack, api.url) == "https://api.example.com/"


def test_without_domains_the_execute_api_endpoint_is_on(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    template = Template.from_stack(stack)
    has_one(template, API, {"DisableExecuteApiEndpoint": False})
    assert api.domain == api.execute_api_domain
    template.resource_count_is(DOMAIN_NAME, 0)


def test_url_and_domain_are_the_first_custom_domain(stack: Stack) -> None:
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("api.example.com", hosted_zone=example, base_path="v1"),
            CustomDomain("www.example.com", hosted_zone=example),
        ],
    )
    assert deployed(stack, api.domain) == "api.example.com"
    assert deployed(stack, api.url) == "https://api.example.com/v1/"
    assert deployed(stack, api.custom_domains) == ["api.example.com", "www.example.com"]
    assert deployed(stack, api.custom_domain_urls) == [
        "https://api.example.com/v1/",
        "https://www.example.com/",
    ]
    assert deployed(stack, api.custom_domain_url) == "https://api.example.com/v1/"
    # Each is the domain name resource's Ref: a stack reading it depends on this one.
    assert stack.resolve(api.domain) == stack.resolve(api.domain_names["api.example.com"].name)
    assert set(api.domain_names) == set(api.certificates) == {"api.example.com", "www.example.com"}
    assert len(api.api_mappings) == 2


def test_each_mapping_url_is_a_stack_output(stack: Stack) -> None:
    example = zone(stack)
    HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("api.example.com", hosted_zone=example, base_path="orders/v2"),
            CustomDomain("www.example.com", hosted_zone=example),
        ],
    )
    values = [deployed(stack, output["Value"]) for output in template_of(stack)["Outputs"].values()]
    # Its own output, the gateway's Url and CustomDomainUrl.
    assert values.count("https://api.example.com/orders/v2/") == 3
    assert values.count("https://www.example.com/") == 1
    assert "api.example.com" in values  # the Domain output
    assert "api.example.com,www.example.com" in values  # CustomDomains
    assert "https://api.example.com/orders/v2/,https://www.example.com/" in values


def test_base_path_becomes_the_mapping_key(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.example.com", hosted_zone=zone(stack), base_path="orders/v2")],
    )
    template = Template.from_stack(stack)
    has_one(template, MAPPING, {"ApiMappingKey": "orders/v2"})


def test_a_domain_listed_again_maps_another_base_path_on_one_domain_name(stack: Stack) -> None:
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("api.example.com", hosted_zone=example, base_path="v1"),
            CustomDomain("api.example.com", hosted_zone=example, base_path="latest"),
        ],
    )
    template = Template.from_stack(stack)
    template.resource_count_is(DOMAIN_NAME, 1)
    template.resource_count_is(CERTIFICATE, 1)
    template.resource_count_is(MAPPING, 2)
    template.has_resource_properties(MAPPING, {"ApiMappingKey": "latest"})
    template.has_resource_properties(MAPPING, {"ApiMappingKey": "v1"})
    assert deployed(stack, api.custom_domains) == ["api.example.com"]
    assert deployed(stack, api.custom_domain_urls) == [
        "https://api.example.com/v1/",
        "https://api.example.com/latest/",
    ]


def test_domains_in_two_zones_get_records_in_their_own_zone(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain(
                "api.example.com", hosted_zone=zone(stack, "example.com", "ZAAAAAAAAAAAAAAAAAAAA")
            ),
            CustomDomain(
                "api.example.org", hosted_zone=zone(stack, "example.org", "ZBBBBBBBBBBBBBBBBBBBB")
            ),
        ],
    )
    by_zone = {(r["HostedZoneId"], r["Name"], r["Type"]) for r in records(template_of(stack))}
    assert by_zone == {
        ("ZAAAAAAAAAAAAAAAAAAAA", "api.example.com.", "A"),
        ("ZAAAAAAAAAAAAAAAAAAAA", "api.example.com.", "AAAA"),
        ("ZBBBBBBBBBBBBBBBBBBBB", "api.example.org.", "A"),
        ("ZBBBBBBBBBBBBBBBBBBBB", "api.example.org.", "AAAA"),
    }


def test_a_wildcard_certificate_can_be_shared_by_several_domains(stack: Stack) -> None:
    example = zone(stack)
    wildcard = acm.Certificate(
        stack,
        "Wildcard",
        domain_name="*.example.com",
        validation=acm.CertificateValidation.from_dns(example),
    )
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("a.example.com", hosted_zone=example, certificate=wildcard),
            CustomDomain(
                "b.example.com", hosted_zone=example, certificate=wildcard, base_path="v1"
            ),
        ],
    )
    template = template_of(stack)
    Template.from_stack(stack).resource_count_is(CERTIFICATE, 1)  # only the user's
    arns = {
        str(d["Properties"]["DomainNameConfigurations"][0]["CertificateArn"])
        for d in resources_of_type(template, DOMAIN_NAME).values()
    }
    assert arns == {str(stack.resolve(wildcard.certificate_arn))}
    assert api.certificates["a.example.com"] is wildcard


def test_wildcard_and_apex_domains_are_accepted(stack: Stack) -> None:
    example = zone(stack)
    HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("*.example.com", hosted_zone=example),
            CustomDomain("example.com", hosted_zone=example),
        ],
    )
    names = {r["Name"] for r in records(template_of(stack))}
    assert names == {"*.example.com.", "example.com."}


def test_domain_with_dns_elsewhere_outputs_its_cname_target(stack: Stack) -> None:
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.partner.net", certificate=imported_certificate(stack))],
    )
    template = Template.from_stack(stack)
    template.resource_count_is(RECORD, 0)
    template.resource_count_is(CERTIFICATE, 0)
    outputs = template.to_json()["Outputs"]
    cname = [o for name, o in outputs.items() if "CnameTarget" in name]
    regional = stack.resolve(api.domain_names["api.partner.net"].regional_domain_name)
    assert [o["Value"] for o in cname] == [regional]


def test_outputs_off_means_no_domain_outputs(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.partner.net", certificate=imported_certificate(stack))],
        outputs=False,
    )
    assert "Outputs" not in template_of(stack)


def test_gateway_with_domains_passes_cdk_nag_and_cfn_lint() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("api.example.com", hosted_zone=example, base_path="v1"),
            CustomDomain("www.example.com", hosted_zone=example),
            CustomDomain("api.partner.net", certificate=imported_certificate(stack)),
        ],
    )
    api.add_route("GET /a", "https://example.net/", auth=PUBLIC)
    assert cfn_lint(template_of(stack)) == []
    assert nag_report(app) == ""


def test_domain_construct_ids_are_stable(stack: Stack) -> None:
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.example.com", hosted_zone=zone(stack), base_path="v1/x")],
    )
    paths = {c.node.path for c in api.node.find_all()}
    assert {
        "TestStack/Api/Domains/api.example.com/Certificate",
        "TestStack/Api/Domains/api.example.com/DomainName",
        "TestStack/Api/Domains/api.example.com/Mapping|v1|x",
        "TestStack/Api/Domains/api.example.com/A",
        "TestStack/Api/Domains/api.example.com/AAAA",
        "TestStack/Api/Domains/api.example.com/Url|v1|x",
    } <= paths


def test_routes_still_work_behind_a_domain(stack: Stack) -> None:
    api = HttpApiGateway(
        stack, "Api", domains=[CustomDomain("api.example.com", hosted_zone=zone(stack))]
    )
    api.add_route("GET /a", inline_function(stack), auth=PUBLIC)
    Template.from_stack(stack).resource_count_is("AWS::ApiGatewayV2::Route", 1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "API.example.com",
            r"domain name 'API.example.com' must be lower case \(write 'api.example.com'\)",
        ),
        ("localhost", r"invalid domain name 'localhost': expected a fully qualified name"),
        ("api..example.com", r"invalid domain name 'api..example.com'"),
        ("-api.example.com", r"invalid domain name '-api.example.com'"),
        ("api.example.com.", r"invalid domain name 'api.example.com.'.*no trailing dot"),
        ("api_x.example.com", r"invalid domain name 'api_x.example.com'"),
        ("a." + "b" * 64 + ".com", r"invalid domain name"),
        ("api.example.123", r"invalid domain name 'api.example.123'"),
        ("a.*.example.com", r"invalid domain name 'a.\*.example.com'"),
        ("https://api.example.com", r"invalid domain name 'https://api.example.com'"),
    ],
)
def test_fails_on_invalid_domain_name(stack: Stack, name: str, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", domains=[CustomDomain(name, hosted_zone=zone(stack))])


def test_fails_when_domain_is_not_inside_its_zone(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=r"domain 'api.example.org' is not inside its hosted zone 'example.com'",
    ):
        HttpApiGateway(
            stack, "Api", domains=[CustomDomain("api.example.org", hosted_zone=zone(stack))]
        )


def test_fails_when_domain_only_looks_like_it_is_in_the_zone(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"is not inside its hosted zone 'example.com'"
    ):
        HttpApiGateway(
            stack, "Api", domains=[CustomDomain("api.badexample.com", hosted_zone=zone(stack))]
        )


def test_fails_when_zone_was_imported_by_id_alone(stack: Stack) -> None:
    by_id = route53.HostedZone.from_hosted_zone_id(stack, "ById", "Z0123456789ABCDEFGHIJ")
    with pytest.raises(
        FrontDoorValidationError, match=r"imported by id alone.*from_hosted_zone_attributes"
    ):
        HttpApiGateway(stack, "Api", domains=[CustomDomain("api.example.com", hosted_zone=by_id)])


def test_fails_on_the_same_domain_twice_with_different_certificates(stack: Stack) -> None:
    example = zone(stack)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"domain 'api.example.com' is given twice with different hosted zones or certif",
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[
                CustomDomain("api.example.com", hosted_zone=example, base_path="v1"),
                CustomDomain(
                    "api.example.com",
                    hosted_zone=example,
                    certificate=imported_certificate(stack),
                    base_path="v2",
                ),
            ],
        )


@pytest.mark.parametrize(
    ("base_path", "message"),
    [
        ("v1", r"domain 'api.example.com' maps base path 'v1' twice"),
        (None, r"domain 'api.example.com' maps the root twice"),
    ],
)
def test_fails_on_two_mappings_with_the_same_domain_and_base_path(
    stack: Stack, base_path: str | None, message: str
) -> None:
    example = zone(stack)
    entry = CustomDomain("api.example.com", hosted_zone=example, base_path=base_path)
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", domains=[entry, entry])


def test_fails_on_a_root_mapping_together_with_a_keyed_mapping(stack: Stack) -> None:
    example = zone(stack)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"domain 'api.example.com' maps the gateway both at the root and under base path",
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[
                CustomDomain("api.example.com", hosted_zone=example, base_path="v1"),
                CustomDomain("api.example.com", hosted_zone=example),
            ],
        )


@pytest.mark.parametrize("base_path", ["/v1", "v1/", "", "v 1", "v1//x", "v1?x", "ünï", "v1\n"])
def test_fails_on_invalid_base_path(stack: Stack, base_path: str) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"invalid base path .* for domain 'api.example.com'"
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[CustomDomain("api.example.com", hosted_zone=zone(stack), base_path=base_path)],
        )


@pytest.mark.parametrize(
    ("base_path", "segment"),
    [
        (".", r"'\.'"),
        ("..", r"'\.\.'"),
        ("v1/..", r"'\.\.'"),
        ("./v1", r"'\.'"),
        ("orders/./v2", r"'\.'"),
        ("a/../b", r"'\.\.'"),
    ],
)
def test_fails_when_base_path_has_a_dot_segment(stack: Stack, base_path: str, segment: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"invalid base path '{re.escape(base_path)}' for domain 'api.example.com': segment "
        rf"{segment} is removed from URLs by clients.*use levels other than '\.' and '\.\.'",
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[CustomDomain("api.example.com", hosted_zone=zone(stack), base_path=base_path)],
        )


def test_dots_inside_a_base_path_level_are_allowed(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.example.com", hosted_zone=zone(stack), base_path="v1.2/...")],
    )
    template = Template.from_stack(stack)
    has_one(template, MAPPING, {"ApiMappingKey": "v1.2/..."})


def test_fails_with_neither_hosted_zone_nor_certificate(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=r"domain 'api.example.com' has no hosted_zone and no certificate",
    ):
        HttpApiGateway(stack, "Api", domains=[CustomDomain("api.example.com")])


def test_fails_on_a_certificate_given_as_a_string(stack: Stack) -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    with pytest.raises(
        FrontDoorValidationError,
        match=r"certificate of domain 'api.example.com' must be an acm.ICertificate, got str",
    ):
        HttpApiGateway(stack, "Api", domains=[CustomDomain("api.example.com", certificate=arn)])  # type: ignore[arg-type]


def test_fails_on_a_hosted_zone_given_as_a_string(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=r"hosted_zone of domain 'api.example.com' must be a route53.IHostedZone, got str",
    ):
        zone_name: Any = "example.com"
        HttpApiGateway(
            stack, "Api", domains=[CustomDomain("api.example.com", hosted_zone=zone_name)]
        )


def test_fails_on_a_certificate_from_another_region(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=r"certificate .* of domain 'api.partner.net' is in eu-west-1 but the gateway is",
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[
                CustomDomain(
                    "api.partner.net", certificate=imported_certificate(stack, "eu-west-1")
                )
            ],
        )


def test_certificate_region_is_not_checked_in_an_environment_agnostic_stack() -> None:
    stack = Stack(App(context=snapshot_context()), "Agnostic")
    HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("api.partner.net", certificate=imported_certificate(stack, "eu-west-1"))
        ],
    )
    Template.from_stack(stack).resource_count_is(DOMAIN_NAME, 1)


def test_fails_on_a_token_domain_name(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"domain name .* is a token"):
        HttpApiGateway(
            stack,
            "Api",
            domains=[
                CustomDomain(Fn.import_value("Name"), certificate=imported_certificate(stack))
            ],
        )


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        ("api.example.com", r"domains must be a list of CustomDomain, got str"),
        (
            ["api.example.com"],
            r"domains must be a list of CustomDomain, found str 'api.example.com'",
        ),
    ],
)
def test_fails_when_domains_is_not_a_list_of_custom_domains(
    stack: Stack, domains: object, message: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", domains=domains)  # type: ignore[arg-type]


def test_fails_when_execute_api_is_disabled_without_domains(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"disable_execute_api_endpoint=True without custom domains"
    ):
        HttpApiGateway(stack, "Api", disable_execute_api_endpoint=True)


def test_fails_when_disable_execute_api_endpoint_is_not_a_bool(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=r"disable_execute_api_endpoint must be true or false or None, got str 'yes'",
    ):
        HttpApiGateway(stack, "Api", disable_execute_api_endpoint="yes")  # type: ignore[arg-type]


def test_failed_domain_validation_defines_nothing() -> None:
    stack = new_stack()
    example = zone(stack)
    with pytest.raises(FrontDoorValidationError, match=r"must be lower case"):
        HttpApiGateway(
            stack,
            "Api",
            domains=[
                CustomDomain("api.example.com", hosted_zone=example),
                CustomDomain("API.example.com", hosted_zone=example),
            ],
        )
    assert template_of(stack).get("Resources", {}) == {}


def test_wildcard_domains_have_no_url(stack: Stack) -> None:
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("*.example.com", hosted_zone=example),
            CustomDomain("api.example.com", hosted_zone=example),
        ],
    )
    assert deployed(stack, api.custom_domains) == ["*.example.com", "api.example.com"]
    assert deployed(stack, api.custom_domain_urls) == ["https://api.example.com/"]
    assert deployed(stack, api.url) == "https://api.example.com/"
    assert deployed(stack, api.domain) == "api.example.com"
    assert not any("*" in str(o["Value"]) for o in template_of(stack)["Outputs"].values())


def test_the_same_zone_imported_twice_is_one_zone(stack: Stack) -> None:
    first = zone(stack)
    second = route53.HostedZone.from_hosted_zone_attributes(
        stack, "Again", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )
    HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("api.example.com", hosted_zone=first, base_path="v1"),
            CustomDomain("api.example.com", hosted_zone=second, base_path="v2"),
        ],
    )
    Template.from_stack(stack).resource_count_is(DOMAIN_NAME, 1)


def test_fails_on_a_name_too_long_for_a_certificate(stack: Stack) -> None:
    name = "a" * 60 + ".example.com"
    with pytest.raises(
        FrontDoorValidationError,
        match=r"is 72 characters long; ACM certificates take names of at most 64",
    ):
        HttpApiGateway(stack, "Api", domains=[CustomDomain(name, hosted_zone=zone(stack))])


def test_fails_on_a_certificate_defined_in_another_region() -> None:
    app = App(context=snapshot_context())
    other = Stack(app, "Virginia", env=Environment(account="123456789012", region="us-east-1"))
    certificate = acm.Certificate(other, "Cert", domain_name="api.example.com")
    stack = Stack(app, "Ireland", env=Environment(account="123456789012", region="eu-west-1"))
    with pytest.raises(
        FrontDoorValidationError,
        match=r"certificate 'Virginia/Cert' of domain 'api.example.com' is in us-east-1 but the",
    ):
        HttpApiGateway(
            stack, "Api", domains=[CustomDomain("api.example.com", certificate=certificate)]
        )


# -- certificates of wildcard domains ----------------------------------------------------


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_wildcard_domain_certificate_is_tagged_without_a_star_and_passes_cfn_lint(
    region: str,
) -> None:
    stack = Stack(
        App(context=snapshot_context()),
        "TestStack",
        env=Environment(account="123456789012", region=region),
    )
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("*.example.com", hosted_zone=example),
            CustomDomain("api.example.com", hosted_zone=example),
        ],
    )
    api.add_route("GET /a", "https://example.net/", auth=PUBLIC)
    template = template_of(stack)
    certificates = resources_of_type(template, CERTIFICATE).values()
    tags = {
        c["Properties"]["DomainName"]: {t["Key"]: t["Value"] for t in c["Properties"]["Tags"]}
        for c in certificates
    }
    assert tags == {
        "*.example.com": {"Name": "TestStack/Api/Domains/wildcard.example.com/Certificate"},
        "api.example.com": {"Name": "TestStack/Api/Domains/api.example.com/Certificate"},
    }
    assert cfn_lint(template, regions=[region]) == []


def test_certificate_name_writes_characters_acm_refuses_in_tags_as_dashes() -> None:
    stack = new_stack()
    api = HttpApiGateway(
        Construct(stack, "Front|Door"),
        "Api(v2)",
        domains=[CustomDomain("*.example.com", hosted_zone=zone(stack))],
    )
    certificate = api.certificates["*.example.com"]
    assert certificate.node.path == "TestStack/Front|Door/Api(v2)/Domains/*.example.com/Certificate"
    name = "TestStack/Front-Door/Api-v2-/Domains/wildcard.example.com/Certificate"
    template = Template.from_stack(stack)
    template.resource_count_is(CERTIFICATE, 1)
    template.has_resource_properties(
        CERTIFICATE, {"Tags": [Match.object_equals({"Key": "Name", "Value": name})]}
    )
    assert cfn_lint(template.to_json()) == []


# -- one domain name, one gateway ----------------------------------------------------------


def _stack(app: App, name: str, region: str | None = "us-east-1") -> Stack:
    env = None if region is None else Environment(account="123456789012", region=region)
    return Stack(app, name, env=env)


def _gateway(
    stack: Stack,
    construct_id: str,
    name: str = "api.example.com",
    *,
    dns_elsewhere: bool = False,
) -> HttpApiGateway:
    if dns_elsewhere:
        certificate = acm.Certificate.from_certificate_arn(
            stack, f"{construct_id}Cert", f"arn:aws:acm:{stack.region}:123456789012:certificate/a"
        )
        domain = CustomDomain(name, certificate=certificate)
    else:
        found = stack.node.try_find_child("Zone-example.com")  # one zone for the stack's gateways
        example = zone(stack) if found is None else cast(route53.IHostedZone, found)
        domain = CustomDomain(name, hosted_zone=example)
    return HttpApiGateway(stack, construct_id, domains=[domain])


ROOTS_OVERLAP = (
    r"base path \(the root\) of .*/Second and base path \(the root\) of TestStack/First "
    r"overlap, so API Gateway could not tell their requests apart"
)


@pytest.mark.parametrize(
    ("second_stack", "dns_elsewhere", "first", "reason"),
    [
        ("TestStack", False, "TestStack/First", ROOTS_OVERLAP),
        ("Other", False, "TestStack/First", ROOTS_OVERLAP),
        ("Other", True, "TestStack/First", ROOTS_OVERLAP),
        (
            "Ireland",
            False,
            "TestStack/First",
            r"both would define its A and AAAA records in the.*second deploy would fail",
        ),
    ],
)
def test_fails_when_two_gateways_claim_the_same_domain(
    second_stack: str, dns_elsewhere: bool, first: str, reason: str
) -> None:
    app = App(context=snapshot_context())
    stack = _stack(app, "TestStack")
    _gateway(stack, "First", dns_elsewhere=dns_elsewhere)
    if second_stack == "TestStack":
        other = stack
    else:
        other = _stack(app, second_stack, "eu-west-1" if second_stack == "Ireland" else "us-east-1")
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"custom domain 'api.example.com' of gateway {second_stack}/Second is already a "
        rf"custom domain of gateway {first}: {reason}.*\(at {second_stack}/Second\)",
    ):
        _gateway(other, "Second", dns_elsewhere=dns_elsewhere)
    Template.from_stack(stack).resource_count_is(DOMAIN_NAME, 1)
    if other is not stack:
        Template.from_stack(other).resource_count_is(DOMAIN_NAME, 0)


def test_fails_when_two_environment_agnostic_gateways_claim_the_same_domain() -> None:
    app = App(context=snapshot_context())
    _gateway(_stack(app, "A", None), "First", dns_elsewhere=True)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"custom domain 'api.example.com' of gateway B/Second is already a custom domain "
        r"of gateway A/First",
    ):
        _gateway(_stack(app, "B", None), "Second", dns_elsewhere=True)


def test_gateways_in_two_regions_may_share_a_domain_whose_dns_is_elsewhere() -> None:
    app = App(context=snapshot_context())
    first = _gateway(_stack(app, "Virginia"), "Api", dns_elsewhere=True)
    second = _gateway(_stack(app, "Ireland", "eu-west-1"), "Api", dns_elsewhere=True)
    assert deployed(Stack.of(first), first.custom_domains) == ["api.example.com"]
    assert deployed(Stack.of(second), second.custom_domains) == ["api.example.com"]


def test_gateways_in_one_app_may_have_different_domains() -> None:
    app = App(context=snapshot_context())
    stack = _stack(app, "TestStack")
    _gateway(stack, "First", "api.example.com")
    _gateway(stack, "Second", "www.example.com")
    _gateway(_stack(app, "Other"), "Third", "*.example.com")
    Template.from_stack(stack).resource_count_is(DOMAIN_NAME, 2)


def test_the_same_domain_in_two_apps_is_not_a_conflict() -> None:
    for _ in range(2):
        app = App(context=snapshot_context())
        _gateway(_stack(app, "TestStack"), "Api")


# -- url and domain always name an endpoint clients can call --------------------------------


def test_only_wildcard_domains_keep_the_execute_api_endpoint_that_url_names(stack: Stack) -> None:
    api = HttpApiGateway(
        stack, "Api", domains=[CustomDomain("*.example.com", hosted_zone=zone(stack))]
    )
    assert api.custom_domain_urls == []
    assert api.url == f"https://{api.execute_api_domain}/"
    assert api.domain == api.execute_api_domain
    template = Template.from_stack(stack)
    has_one(template, API, {"DisableExecuteApiEndpoint": False})


def test_fails_when_only_wildcard_domains_and_the_execute_api_endpoint_is_off(
    stack: Stack,
) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=r"disable_execute_api_endpoint=True with only wildcard custom domains "
        r"\(\*\.example\.com\) leaves url and domain no endpoint to name.*\(at TestStack/Api\)",
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[CustomDomain("*.example.com", hosted_zone=zone(stack))],
            disable_execute_api_endpoint=True,
        )
