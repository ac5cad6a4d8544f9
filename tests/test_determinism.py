"""Templates do not depend on the order routes are added in."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn

from cdk_front_door import (
    PUBLIC,
    Cdn,
    HttpApiGateway,
    HttpUrl,
    IamAuth,
    JwtAuth,
    SendMessage,
    StartExecution,
    Throttle,
)
from cdk_front_door.testing import snapshot_context
from tests.support import inline_function, new_stack

ROUTE_COUNT = 8


def _template(order: tuple[int, ...]) -> dict[str, Any]:
    stack = new_stack(App(context=snapshot_context()))
    functions = [inline_function(stack, f"Fn{index}") for index in range(3)]
    queue = sqs.Queue(stack, "Queue", enforce_ssl=True)
    machine = sfn.StateMachine(
        stack,
        "Machine",
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "Pass")),
    )
    api = HttpApiGateway(
        stack,
        "Api",
        cors=True,
        cdn=Cdn(invalidate_on_deploy=True),
        default_auth=JwtAuth(issuer="https://issuer.example.com", audience=["app"]),
    )
    routes: list[tuple[str, Any, dict[str, Any]]] = [
        ("GET /a", functions[0], {}),
        ("POST /b", functions[1], {"auth": PUBLIC}),
        ("ANY /c/{proxy+}", functions[2], {"throttle": Throttle(rate_limit=5, burst_limit=5)}),
        ("POST /queue", SendMessage(queue), {"auth": IamAuth()}),
        ("POST /named", SendMessage(queue, attributes={"k": "$request.header.k"}), {}),
        ("GET /url", HttpUrl("https://example.com"), {"auth": PUBLIC}),
        (
            "POST /jobs",
            StartExecution(machine),
            {"throttle": Throttle(rate_limit=1, burst_limit=1)},
        ),
        ("$default", functions[0], {}),
    ]
    assert len(routes) == ROUTE_COUNT
    for index in order:
        route_key, target, options = routes[index]
        api.add_route(route_key, target, **options)
    return dict(App.of(stack).synth().get_stack_by_name(stack.stack_name).template)  # type: ignore[union-attr]


def _orders() -> list[tuple[int, ...]]:
    every = list(itertools.permutations(range(ROUTE_COUNT)))
    # The identity, its reverse and a spread of others: each order is one full synthesis.
    return [every[0], every[-1], *every[1 :: len(every) // 4]]


@pytest.mark.parametrize("order", _orders()[1:], ids=lambda order: "".join(map(str, order)))
def test_template_is_the_same_whatever_the_order_of_add_route(order: tuple[int, ...]) -> None:
    expected = _template(_orders()[0])
    actual = _template(order)
    # Lists (DependsOn, route settings, CORS methods) included; keys compared as CloudFormation
    # reads them.
    assert json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)


def _invalidation_depends_on(template: dict[str, Any]) -> list[str]:
    (invalidation,) = (
        resource
        for resource in template["Resources"].values()
        if resource["Type"] == "Custom::CdnInvalidation"
    )
    depends_on: list[str] = invalidation["DependsOn"]
    return depends_on


def test_cdn_invalidation_depends_on_every_route_in_one_order_whatever_the_route_order() -> None:
    template = _template(_orders()[-1])
    depends_on = _invalidation_depends_on(template)
    assert depends_on == _invalidation_depends_on(_template(_orders()[0]))
    routes = [
        logical_id
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::ApiGatewayV2::Route"
    ]
    assert set(routes) <= set(depends_on)
