"""Every construct that serves traffic exposes the nine attributes of the front door it is
reached through, as stack outputs too, and a value once read never silently changes."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, CfnOutput, Environment, Stack
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_route53 as route53

from cdk_front_door import (
    PUBLIC,
    BatchJob,
    Cdn,
    Container,
    ContainerService,
    CustomDomain,
    FrontDoorValidationError,
    HttpApiGateway,
)
from cdk_front_door.reach import ATTRIBUTES
from cdk_front_door.testing import snapshot_context
from tests.support import deployed, resources_of_type, template_of

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:stable-alpine")
ENV = Environment(account="123456789012", region="eu-west-1")


def new_stack(app: App | None = None, name: str = "Front") -> Stack:
    return Stack(app or App(context=snapshot_context()), name, env=ENV)


def service(stack: Stack, name: str = "Site") -> ContainerService:
    return ContainerService(stack, name, containers=[Container("web", image=IMAGE, port=80)])


def job(stack: Stack) -> BatchJob:
    return BatchJob(stack, "Report", container=Container("report", image=IMAGE))


def gateway_with_everything(stack: Stack, name: str = "Api") -> HttpApiGateway:
    zone = route53.HostedZone.from_hosted_zone_attributes(
        stack, f"{name}Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )
    return HttpApiGateway(
        stack,
        name,
        domains=[CustomDomain(f"{name.lower()}.example.com", hosted_zone=zone, base_path="v1")],
        cdn=Cdn(domains=[CustomDomain(f"www-{name.lower()}.example.com", hosted_zone=zone)]),
    )


def values(stack: Stack, construct: Any) -> dict[str, object]:
    return {name: deployed(stack, getattr(construct, name)) for name in ATTRIBUTES}


def test_a_service_has_the_nine_attributes_of_the_gateway_that_routes_to_it() -> None:
    stack = new_stack()
    site = service(stack)
    api = gateway_with_everything(stack)
    api.add_route("ANY /{proxy+}", site, auth=PUBLIC)
    api.add_route("GET /", site, auth=PUBLIC)
    assert values(stack, site) == values(stack, api)
    assert values(stack, site)["url"] == "https://api.example.com/v1/"
    assert values(stack, site)["cdn_custom_domain_urls"] == ["https://www-api.example.com/"]


def test_a_jobs_urls_are_those_of_its_start_route() -> None:
    stack = new_stack()
    report = job(stack)
    api = gateway_with_everything(stack)
    api.add_route("POST /reports", report, auth=PUBLIC)
    api.add_route("POST /reports/stop", report.stop_target(), auth=PUBLIC)  # not a way in
    found = values(stack, report)
    assert found["domain"] == "api.example.com"
    assert found["url"] == "https://api.example.com/v1/reports"
    assert found["custom_domains"] == ["api.example.com"]
    assert found["custom_domain_urls"] == ["https://api.example.com/v1/reports"]
    assert found["custom_domain_url"] == "https://api.example.com/v1/reports"
    assert found["cdn_domain"] == deployed(stack, api.cdn_domain)
    assert found["cdn_url"] == deployed(stack, api.cdn_url + "reports")  # type: ignore[operator]
    assert found["cdn_custom_domains"] == ["www-api.example.com"]
    assert found["cdn_custom_domain_urls"] == ["https://www-api.example.com/reports"]


def test_a_job_started_by_a_named_start_target_has_its_urls_too(stack: Stack) -> None:
    report = job(stack)
    api = HttpApiGateway(stack, "Api")
    api.add_route("POST /reports/{day}", report.start_target(name="$request.path.day"))
    assert stack.resolve(report.url) == stack.resolve(api.url + "reports/{day}")


def test_not_routed_a_construct_has_none_and_empty_lists(stack: Stack) -> None:
    for construct in (service(stack), job(stack)):
        for name in ATTRIBUTES:
            assert getattr(construct, name) in (None, []), name
        assert construct.front_doors == {}


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_an_attribute_read_before_the_route_that_sets_it_fails_that_route(
    stack: Stack, attribute: str
) -> None:
    site = service(stack)
    getattr(site, attribute)
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"its {attribute} was read when no gateway routed to it; route 'ANY /{{proxy\+}}' "
        r"of TestStack/Api would change it: add every route to it before reading its "
        r"attributes \(at TestStack/Site\)",
    ):
        api.add_route("ANY /{proxy+}", site, auth=PUBLIC)


def test_more_routes_of_the_same_gateway_change_nothing_a_service_read(stack: Stack) -> None:
    site = service(stack)
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /", site, auth=PUBLIC)
    url = site.url
    api.add_route("ANY /{proxy+}", site, auth=PUBLIC)
    assert site.url == url


def test_a_second_gateway_after_a_read_fails_naming_both(stack: Stack) -> None:
    site = service(stack)
    first, second = HttpApiGateway(stack, "First"), HttpApiGateway(stack, "Second")
    first.add_route("GET /", site, auth=PUBLIC)
    assert site.domain is not None
    with pytest.raises(
        FrontDoorValidationError,
        match=r"its domain was read when through TestStack/First; route 'GET /' of "
        r"TestStack/Second would change it",
    ):
        second.add_route("GET /", site, auth=PUBLIC)


def test_a_service_of_two_gateways_has_no_single_url_but_a_front_door_for_each(
    stack: Stack,
) -> None:
    site = service(stack)
    first, second = HttpApiGateway(stack, "First"), HttpApiGateway(stack, "Second")
    first.add_route("GET /", site, auth=PUBLIC)
    second.add_route("GET /", site, auth=PUBLIC)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"url has no single value: it is reached through TestStack/First and "
        r"TestStack/Second\. Read the attribute of the gateway or route you mean, or "
        r"front_doors, which has each \(at TestStack/Site\)",
    ):
        _ = site.url
    doors = site.front_doors
    assert sorted(doors) == ["TestStack/First", "TestStack/Second"]
    assert stack.resolve(doors["TestStack/Second"].url) == stack.resolve(second.url)


def test_a_job_with_two_start_routes_names_both(stack: Stack) -> None:
    report = job(stack)
    api = HttpApiGateway(stack, "Api")
    api.add_route("POST /reports", report, auth=PUBLIC)
    api.add_route("POST /v2/reports", report, auth=PUBLIC)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"cdn_url has no single value: it is reached through TestStack/Api \(POST "
        r"/reports\) and TestStack/Api \(POST /v2/reports\)",
    ):
        _ = report.cdn_url
    assert sorted(report.front_doors) == [
        "TestStack/Api|POST /reports",
        "TestStack/Api|POST /v2/reports",
    ]


def outputs(stack: Stack) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = template_of(stack).get("Outputs", {})
    return found


def test_every_configured_attribute_is_a_stack_output_naming_its_construct() -> None:
    stack = new_stack()
    site = service(stack)
    api = gateway_with_everything(stack)
    api.add_route("ANY /{proxy+}", site, auth=PUBLIC)
    descriptions = {o["Description"]: deployed(stack, o["Value"]) for o in outputs(stack).values()}
    for subject, construct in (("Front/Api", api), ("Front/Site via Front/Api", site)):
        for label, attribute in (
            ("Domain", "domain"),
            ("URL", "url"),
            ("Custom domains", "custom_domains"),
            ("Custom domain URLs", "custom_domain_urls"),
            ("First custom domain URL", "custom_domain_url"),
            ("CDN domain", "cdn_domain"),
            ("CDN URL", "cdn_url"),
            ("CDN custom domains", "cdn_custom_domains"),
            ("CDN custom domain URLs", "cdn_custom_domain_urls"),
        ):
            value = deployed(stack, getattr(construct, attribute))
            expected = ",".join(value) if isinstance(value, list) else value
            assert descriptions[f"{label} of {subject}"] == expected, (subject, label)


def test_attributes_not_configured_have_no_output(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /", service(stack), auth=PUBLIC)
    assert sorted(o["Description"] for o in outputs(stack).values()) == [
        "Domain of TestStack/Api",
        "Domain of TestStack/Site via TestStack/Api",
        "URL of TestStack/Api",
        "URL of TestStack/Site via TestStack/Api",
    ]


def test_a_stack_reading_a_custom_domain_attribute_deploys_after_the_gateway() -> None:
    app = App(context=snapshot_context())
    producer = new_stack(app, "Producer")
    site = service(producer)
    api = gateway_with_everything(producer)
    api.add_route("ANY /{proxy+}", site, auth=PUBLIC)
    for attribute in ("domain", "url", "custom_domain_url", "cdn_custom_domains"):
        consumer = new_stack(app, f"Reads{attribute.title().replace('_', '')}")
        value = getattr(site, attribute)
        CfnOutput(consumer, "Read", value=value if isinstance(value, str) else value[0])
        app.synth(force=True)
        assert producer in consumer.dependencies, attribute


def test_a_job_in_another_stack_has_its_outputs_under_the_gateway() -> None:
    app = App(context=snapshot_context())
    jobs, front = new_stack(app, "Jobs"), new_stack(app, "Front")
    report = job(jobs)
    api = HttpApiGateway(front, "Api")
    api.add_route("POST /reports", report, auth=PUBLIC)
    app.synth()  # no cycle: only the gateway's stack depends on the job's
    assert jobs in front.dependencies and front not in jobs.dependencies
    # The job's stack exports what the gateway reads from it, and holds no output of its own.
    assert not [o for o in outputs(jobs).values() if " via " in o.get("Description", "")]
    descriptions = {o["Description"]: o["Value"] for o in outputs(front).values()}
    url = descriptions["URL of Jobs/Report via Front/Api POST /reports"]
    assert url == front.resolve(api.url + "reports")


def test_a_gateway_without_outputs_gives_its_targets_none(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", outputs=False)
    site = service(stack)
    api.add_route("GET /", site, auth=PUBLIC)
    api.add_route("POST /reports", job(stack), auth=PUBLIC)
    assert outputs(stack) == {}
    assert site.url is not None


def test_a_refused_route_defines_nothing_for_its_target(stack: Stack) -> None:
    site = service(stack)
    assert site.url is None
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=r"its url was read"):
        api.add_route("GET /", site, auth=PUBLIC)
    assert resources_of_type(template_of(stack), "AWS::ApiGatewayV2::Integration") == {}
    assert resources_of_type(template_of(stack), "AWS::ApiGatewayV2::VpcLink") == {}
