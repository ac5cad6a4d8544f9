from __future__ import annotations

import math

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Match, Template

from cdk_front_door import (
    DEFAULT_THROTTLE,
    PUBLIC,
    FrontDoorValidationError,
    HttpApiGateway,
    Throttle,
)
from tests.support import has_one, inline_function, single, template_of

STAGE = "AWS::ApiGatewayV2::Stage"


def test_stage_is_throttled_by_default(stack: Stack) -> None:
    HttpApiGateway(stack, "Api")
    template = Template.from_stack(stack)
    has_one(
        template,
        STAGE,
        {
            "DefaultRouteSettings": Match.object_equals(
                {"ThrottlingRateLimit": 1000, "ThrottlingBurstLimit": 500}
            )
        },
    )
    assert DEFAULT_THROTTLE == Throttle(rate_limit=1000, burst_limit=500)


def test_stage_throttle_can_be_set(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", throttle=Throttle(rate_limit=12.5, burst_limit=30))
    template = Template.from_stack(stack)
    has_one(
        template,
        STAGE,
        {
            "DefaultRouteSettings": Match.object_equals(
                {"ThrottlingRateLimit": 12.5, "ThrottlingBurstLimit": 30}
            )
        },
    )


def test_whole_float_burst_is_sent_as_an_integer(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", throttle=Throttle(rate_limit=10, burst_limit=20.0))  # type: ignore[arg-type]
    settings = single(template_of(stack), STAGE)["Properties"]["DefaultRouteSettings"]
    assert settings["ThrottlingBurstLimit"] == 20
    assert isinstance(settings["ThrottlingBurstLimit"], int)


def test_route_throttle_becomes_a_route_setting_with_both_limits(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    route = api.add_route(
        "POST /orders", fn, auth=PUBLIC, throttle=Throttle(rate_limit=5, burst_limit=10)
    )
    api.add_route("GET /orders", fn, auth=PUBLIC)
    api.add_route("$default", fn, auth=PUBLIC, throttle=Throttle(rate_limit=1, burst_limit=2))
    template = Template.from_stack(stack)
    has_one(
        template,
        STAGE,
        {
            "RouteSettings": Match.object_equals(
                {
                    "POST /orders": {"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 10},
                    "$default": {"ThrottlingRateLimit": 1, "ThrottlingBurstLimit": 2},
                }
            )
        },
    )
    assert route.throttle == Throttle(rate_limit=5, burst_limit=10)
    # A route setting may only name a route that exists: the stage waits for those routes.
    throttled = {r.logical_id for r in api.routes if r.throttle}
    assert len(throttled) == 2
    assert set(single(template.to_json(), STAGE)["DependsOn"]) == throttled


def test_routes_without_their_own_throttle_add_no_route_settings(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /a", inline_function(stack), auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(STAGE, 1)
    template.has_resource(
        STAGE, {"Properties": {"RouteSettings": Match.absent()}, "DependsOn": Match.absent()}
    )


@pytest.mark.parametrize(
    ("throttle", "message"),
    [
        (Throttle(rate_limit=0, burst_limit=10), r"rate_limit must be .* greater than 0, got 0"),
        (Throttle(rate_limit=-5, burst_limit=10), r"rate_limit must be .* greater than 0, got -5"),
        (Throttle(rate_limit=math.nan, burst_limit=10), r"rate_limit must be .*got nan"),
        (Throttle(rate_limit=True, burst_limit=10), r"rate_limit must be .*got True"),
        (Throttle(rate_limit=10**400, burst_limit=10), r"rate_limit must be .*got 1000000"),
        (Throttle(rate_limit=math.inf, burst_limit=10), r"rate_limit must be .*got inf"),
        (Throttle(rate_limit="10", burst_limit=10), r"rate_limit must be .*got '10'"),  # type: ignore[arg-type]
        (Throttle(rate_limit=10, burst_limit=0), r"burst_limit must be greater than 0, got 0"),
        (Throttle(rate_limit=10, burst_limit=2**31), r"burst_limit 2147483648 is above 2147483647"),
        (Throttle(rate_limit=10, burst_limit=-1), r"burst_limit must be greater than 0, got -1"),
        (Throttle(rate_limit=10, burst_limit=2.5), r"burst_limit must be a whole number .*2\.5"),  # type: ignore[arg-type]
        (Throttle(rate_limit=10, burst_limit="5"), r"burst_limit must be a whole number .*'5'"),  # type: ignore[arg-type]
    ],
)
def test_fails_on_invalid_stage_throttle(stack: Stack, throttle: Throttle, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"^throttle " + message):
        HttpApiGateway(stack, "Api", throttle=throttle)


def test_fails_when_throttle_is_not_a_throttle(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"throttle must be a Throttle\(.*got dict"):
        HttpApiGateway(stack, "Api", throttle={"rate_limit": 1, "burst_limit": 1})  # type: ignore[arg-type]


def test_fails_on_invalid_route_throttle_naming_the_route(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"throttle of route 'GET /a' burst_limit must be greater than 0, got 0",
    ):
        api.add_route(
            "GET /a",
            inline_function(stack),
            auth=PUBLIC,
            throttle=Throttle(rate_limit=1, burst_limit=0),
        )
