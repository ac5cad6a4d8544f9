"""A target's identity is its whole configuration: two targets that differ in any setting
never share an integration, and two configurations under one name are refused, naming both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import CfnParameter, Stack
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from cdk_front_door import (
    PUBLIC,
    BatchJob,
    Container,
    FrontDoorValidationError,
    HttpApiGateway,
    HttpUrl,
    PutEvent,
    SendMessage,
    StartExecution,
    StopExecution,
)
from tests.support import inline_function, new_stack, resources_of_type, template_of


def _machine(scope: Construct, name: str = "Machine") -> sfn.StateMachine:
    return sfn.StateMachine(
        scope,
        name,
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(scope, f"{name}Pass")),
    )


def _job(stack: Stack) -> BatchJob:
    return BatchJob(
        stack,
        "Job",
        container=Container("work", image=ecs.ContainerImage.from_registry("public.ecr.aws/x/y:1")),
    )


# Each case makes two targets that differ in exactly one setting.
PAIRS: dict[str, Callable[[Stack], tuple[Any, Any]]] = {
    "start execution input": lambda s: (
        StartExecution(m := _machine(s)),
        StartExecution(m, input="$request.body.order"),
    ),
    "start execution name": lambda s: (
        StartExecution(m := _machine(s)),
        StartExecution(m, name="$request.header.idempotency-key"),
    ),
    "job and its named start": lambda s: (
        (j := _job(s)),
        j.start_target(name="$request.header.idempotency-key"),
    ),
    "stop execution arn": lambda s: (
        StopExecution(m := _machine(s)),
        StopExecution(m, execution_arn="$request.querystring.arn"),
    ),
    "stop execution cause": lambda s: (
        StopExecution(m := _machine(s)),
        StopExecution(m, cause="cancelled by the customer"),
    ),
    "send message body": lambda s: (
        SendMessage(q := sqs.Queue(s, "Queue")),
        SendMessage(q, body="$request.body.payload"),
    ),
    "send message attributes": lambda s: (
        SendMessage(q := sqs.Queue(s, "Queue"), attributes={"tenant": "$request.header.t"}),
        SendMessage(q, attributes={"tenant": "$request.header.u"}),
    ),
    "send message delay": lambda s: (
        SendMessage(q := sqs.Queue(s, "Queue")),
        SendMessage(q, delay_seconds="30"),
    ),
    "put event detail": lambda s: (
        PutEvent(source="com.example", detail_type="Placed"),
        PutEvent(source="com.example", detail_type="Placed", detail='{"kind":"test"}'),
    ),
    "put event separator in source": lambda s: (
        PutEvent(source="a|b", detail_type="c"),
        PutEvent(source="a", detail_type="b|c"),
    ),
    "put event bus": lambda s: (
        PutEvent(source="com.example", detail_type="Placed"),
        PutEvent(source="com.example", detail_type="Placed", event_bus=events.EventBus(s, "Bus")),
    ),
    "unnamed urls": lambda s: (
        HttpUrl("https://example.com/a"),
        HttpUrl("https://example.com/b"),
    ),
    "url with a bar and url with a slash": lambda s: (
        HttpUrl("https://example.com/x|y"),
        HttpUrl("https://example.com/x/y"),
    ),
    "functions whose ids meet when joined": lambda s: (
        inline_function(Construct(s, "x"), "y"),
        inline_function(s, "x|y"),
    ),
}


def _integrations(stack: Stack) -> dict[str, Any]:
    return resources_of_type(template_of(stack), "AWS::ApiGatewayV2::Integration")


@pytest.mark.parametrize("case", sorted(PAIRS))
def test_targets_that_differ_in_one_setting_get_their_own_integrations(
    stack: Stack, case: str
) -> None:
    first, second = PAIRS[case](stack)
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    one = api.add_route("POST /one", first)
    two = api.add_route("POST /two", second)
    assert one.integration is not two.integration
    assert len(_integrations(stack)) == 2


def test_equal_configurations_share_one_integration(stack: Stack) -> None:
    machine = _machine(stack)
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    one = api.add_route("POST /one", StartExecution(machine, input="$request.body.order"))
    two = api.add_route("POST /two", StartExecution(machine, input="$request.body.order"))
    assert one.integration is two.integration
    assert len(_integrations(stack)) == 1


def test_default_configurations_keep_their_plain_target_ids(stack: Stack) -> None:
    machine = _machine(stack)
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    route = api.add_route("POST /jobs", StartExecution(machine))
    assert route.integration.node.scope is not None
    assert route.integration.node.scope.node.id == "StartExecution|Machine"


def test_settings_other_than_the_default_add_a_digest_to_the_target_id(stack: Stack) -> None:
    machine = _machine(stack)
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    route = api.add_route("POST /jobs", StartExecution(machine, name="$context.requestId"))
    assert route.integration.node.scope is not None
    assert route.integration.node.scope.node.id.startswith("StartExecution|Machine|")


def test_fails_when_two_urls_share_a_name_with_different_urls(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    api.add_route("GET /a", HttpUrl("https://a.example.com", name="backend"))
    with pytest.raises(
        FrontDoorValidationError,
        match=r"targets HttpUrl\('https://a.example.com', name='backend'\) and "
        r"HttpUrl\('https://b.example.com', name='backend'\) share the name 'Url\|backend'",
    ):
        api.add_route("GET /b", HttpUrl("https://b.example.com", name="backend"))


def test_one_name_for_one_url_is_shared(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    one = api.add_route("GET /a", HttpUrl("https://a.example.com", name="backend"))
    two = api.add_route("GET /b", HttpUrl("https://a.example.com", name="backend"))
    assert one.integration is two.integration


def test_token_settings_name_their_integration_by_what_they_resolve_to(stack: Stack) -> None:
    source = CfnParameter(stack, "Source").value_as_string
    detail_type = CfnParameter(stack, "DetailType").value_as_string
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    one = api.add_route("POST /one", PutEvent(source=source, detail_type="Placed"))
    two = api.add_route("POST /two", PutEvent(source="com.example", detail_type=detail_type))
    three = api.add_route("POST /three", PutEvent(source=source, detail_type="Placed"))
    assert one.integration is three.integration
    assert one.integration is not two.integration
    assert one.integration.node.scope is not None
    assert "${Token" not in one.integration.node.scope.node.id
    assert len(_integrations(stack)) == 2


def test_token_inputs_count_in_the_identity_by_what_they_resolve_to() -> None:
    def integration_path(unrelated_tokens: int) -> str:
        stack = new_stack()
        for index in range(unrelated_tokens):  # tokens made first must change nothing
            CfnParameter(stack, f"Unrelated{index}").value_as_string  # noqa: B018
        machine = _machine(stack)
        api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
        route = api.add_route(
            "POST /jobs",
            StartExecution(machine, input=CfnParameter(stack, "Input").value_as_string),
        )
        return str(route.integration.node.path)

    assert integration_path(0) == integration_path(5)


def test_fails_when_a_url_name_is_a_token(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=PUBLIC)
    with pytest.raises(FrontDoorValidationError, match=r"HttpUrl name is a token"):
        api.add_route(
            "GET /a",
            HttpUrl("https://a.example.com", name=CfnParameter(stack, "Name").value_as_string),
        )
