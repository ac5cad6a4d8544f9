from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, CfnElement, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Match, Template
from constructs import IConstruct

from cdk_front_door import (
    FrontDoorValidationError,
    HttpApiGateway,
    IamAuth,
    PutEvent,
    RouteTargetLike,
    SendMessage,
    StartExecution,
    StopExecution,
)
from cdk_front_door.testing import snapshot_context
from tests.support import (
    API_GATEWAY_PRINCIPAL,
    api_gateway_trust_conditions,
    cfn_lint,
    nag_report,
    new_stack,
    resources_of_type,
    roles_trusting_api_gateway,
    template_of,
)

INTEGRATION = "AWS::ApiGatewayV2::Integration"
ROLE = "AWS::IAM::Role"


def _ref(construct: IConstruct) -> dict[str, str]:
    element = construct.node.default_child
    assert isinstance(element, CfnElement)
    return {"Ref": Stack.of(construct).get_logical_id(element)}


def _machine(stack: Stack, kind: sfn.StateMachineType = sfn.StateMachineType.STANDARD) -> Any:
    return sfn.StateMachine(
        stack,
        f"Machine{kind.name}",
        state_machine_type=kind,
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, f"Pass{kind.name}")),
    )


def _route(stack: Stack, target: RouteTargetLike, route_key: str = "POST /a") -> Template:
    HttpApiGateway(stack, "Api", default_auth=IamAuth()).add_route(route_key, target)
    template = Template.from_stack(stack)
    template.resource_count_is(INTEGRATION, 1)
    return template


def _role_statements(stack: Stack) -> list[dict[str, Any]]:
    roles = resources_of_type(template_of(stack), ROLE)
    integration_roles = [
        role
        for role in roles.values()
        if role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        == {"Service": "apigateway.amazonaws.com"}
    ]
    assert len(integration_roles) == 1
    statements: list[dict[str, Any]] = integration_roles[0]["Properties"]["Policies"][0][
        "PolicyDocument"
    ]["Statement"]
    return statements


def _has_role_statements(template: Template, statements: list[Any]) -> None:
    """The one role API Gateway may assume has one policy, with ``statements``."""
    assert len(roles_trusting_api_gateway(template)) == 1
    template.has_resource_properties(
        ROLE,
        {
            "AssumeRolePolicyDocument": {
                "Statement": [{"Principal": Match.object_equals(API_GATEWAY_PRINCIPAL)}]
            },
            "Policies": [{"PolicyDocument": {"Statement": statements}}],
        },
    )


# -- Step Functions -----------------------------------------------------------------------


def test_start_execution_sends_the_body_as_input_to_one_fixed_machine(stack: Stack) -> None:
    machine = _machine(stack)
    template = _route(stack, StartExecution(machine))
    template.has_resource_properties(
        INTEGRATION,
        {
            "IntegrationType": "AWS_PROXY",
            "IntegrationSubtype": "StepFunctions-StartExecution",
            "PayloadFormatVersion": "1.0",
            "RequestParameters": Match.object_equals(
                {"StateMachineArn": _ref(machine), "Input": "$request.body"}
            ),
        },
    )
    _has_role_statements(
        template,
        [
            Match.object_equals(
                {"Action": "states:StartExecution", "Effect": "Allow", "Resource": _ref(machine)}
            )
        ],
    )


def test_start_execution_takes_its_name_from_a_request_value(stack: Stack) -> None:
    template = _route(
        stack, StartExecution(_machine(stack), name="$request.header.idempotency-key")
    )
    template.has_resource_properties(
        INTEGRATION, {"RequestParameters": {"Name": "$request.header.idempotency-key"}}
    )


def test_start_sync_execution_waits_for_an_express_machine(stack: Stack) -> None:
    machine = _machine(stack, sfn.StateMachineType.EXPRESS)
    template = _route(stack, StartExecution(machine, sync=True))
    template.has_resource_properties(
        INTEGRATION, {"IntegrationSubtype": "StepFunctions-StartSyncExecution"}
    )
    _has_role_statements(template, [Match.object_like({"Action": "states:StartSyncExecution"})])


def test_stop_execution_may_stop_only_executions_of_its_machine(stack: Stack) -> None:
    machine = _machine(stack)
    _route(stack, StopExecution(machine)).has_resource_properties(
        INTEGRATION,
        {
            "IntegrationSubtype": "StepFunctions-StopExecution",
            "RequestParameters": Match.object_equals(
                {"ExecutionArn": "$request.body.executionArn", "Cause": "stopped through the API"}
            ),
        },
    )
    [statement] = _role_statements(stack)
    assert statement["Action"] == "states:StopExecution"
    resource = json.dumps(statement["Resource"])
    assert ":execution:" in resource and resource.endswith(':*"]]}')
    assert json.dumps(_ref(machine)) in resource


def test_routes_to_one_target_share_one_integration_and_role(stack: Stack) -> None:
    machine = _machine(stack)
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    api.add_route("POST /a", StartExecution(machine))
    api.add_route("POST /b", StartExecution(machine))
    template = Template.from_stack(stack)
    template.resource_count_is(INTEGRATION, 1)
    _has_role_statements(template, [Match.any_value()])


# -- SQS ----------------------------------------------------------------------------------


def test_send_message_sends_the_body_to_one_fixed_queue(stack: Stack) -> None:
    queue = sqs.Queue(stack, "Queue", enforce_ssl=True)
    template = _route(stack, SendMessage(queue))
    template.has_resource_properties(
        INTEGRATION,
        {
            "IntegrationSubtype": "SQS-SendMessage",
            "RequestParameters": Match.object_equals(
                {"QueueUrl": _ref(queue), "MessageBody": "$request.body"}
            ),
        },
    )
    _has_role_statements(
        template,
        [
            Match.object_equals(
                {
                    "Action": "sqs:SendMessage",
                    "Effect": "Allow",
                    "Resource": {"Fn::GetAtt": [_ref(queue)["Ref"], "Arn"]},
                }
            )
        ],
    )


def test_send_message_to_a_fifo_queue_sets_group_and_deduplication(stack: Stack) -> None:
    queue = sqs.Queue(stack, "Queue", fifo=True)
    template = _route(stack, SendMessage(queue, message_group_id="$request.header.x-tenant"))
    template.has_resource_properties(
        INTEGRATION,
        {
            "RequestParameters": {
                "MessageGroupId": "$request.header.x-tenant",
                "MessageDeduplicationId": "$context.requestId",
            }
        },
    )


def test_send_message_attributes_are_string_attributes_from_request_values(
    stack: Stack,
) -> None:
    queue = sqs.Queue(stack, "Queue")
    target = SendMessage(queue, attributes={"tenant": "$request.header.x-tenant", "kind": "order"})
    _route(stack, target).has_resource_properties(
        INTEGRATION,
        {
            "RequestParameters": {
                "MessageAttributes": Match.serialized_json(
                    {
                        "kind": {"DataType": "String", "StringValue": "order"},
                        "tenant": {
                            "DataType": "String",
                            "StringValue": "${request.header.x-tenant}",
                        },
                    }
                )
            }
        },
    )


def test_send_message_to_a_queue_with_its_own_key_may_use_the_key(stack: Stack) -> None:
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    queue = sqs.Queue(stack, "Queue", encryption_master_key=key)
    _has_role_statements(
        _route(stack, SendMessage(queue)),
        [
            Match.any_value(),
            Match.object_equals(
                {
                    "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                    "Effect": "Allow",
                    "Resource": {"Fn::GetAtt": [_ref(key)["Ref"], "Arn"]},
                }
            ),
        ],
    )


# -- EventBridge --------------------------------------------------------------------------


def test_put_event_puts_the_body_as_detail_on_one_fixed_bus(stack: Stack) -> None:
    bus = events.EventBus(stack, "Bus")
    template = _route(
        stack, PutEvent(source="com.example.orders", detail_type="OrderPlaced", event_bus=bus)
    )
    template.has_resource_properties(
        INTEGRATION,
        {
            "IntegrationSubtype": "EventBridge-PutEvents",
            "RequestParameters": Match.object_equals(
                {
                    "Source": "com.example.orders",
                    "DetailType": "OrderPlaced",
                    "Detail": "$request.body",
                    "EventBusName": {"Fn::GetAtt": [_ref(bus)["Ref"], "Arn"]},
                }
            ),
        },
    )
    _has_role_statements(
        template,
        [
            Match.object_like(
                {"Resource": Match.object_equals({"Fn::GetAtt": [_ref(bus)["Ref"], "Arn"]})}
            )
        ],
    )


def test_put_event_defaults_to_the_default_bus(stack: Stack) -> None:
    template = _route(stack, PutEvent(source="com.example.orders", detail_type="OrderPlaced"))
    template.has_resource_properties(
        INTEGRATION, {"RequestParameters": {"EventBusName": Match.absent()}}
    )
    assert json.dumps(_role_statements(stack)[0]["Resource"]).endswith(
        ':events:us-east-1:123456789012:event-bus/default"]]}'
    )


# -- who may assume the integration roles -------------------------------------------------


def test_every_integration_role_may_be_assumed_for_its_own_api_only(stack: Stack) -> None:
    machine = _machine(stack)
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    api.add_route("POST /jobs", StartExecution(machine))
    api.add_route("POST /jobs/stop", StopExecution(machine))
    api.add_route("POST /orders", SendMessage(sqs.Queue(stack, "Queue")))
    api.add_route("POST /events", PutEvent(source="com.example", detail_type="Thing"))
    template = Template.from_stack(stack)
    assert len(roles_trusting_api_gateway(template)) == 4
    template.resource_properties_count_is(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    Match.exact(
                        {
                            "Action": "sts:AssumeRole",
                            "Condition": api_gateway_trust_conditions(stack, api.http_api.api_id),
                            "Effect": "Allow",
                            "Principal": API_GATEWAY_PRINCIPAL,
                        }
                    )
                ]
            }
        },
        4,
    )


def test_a_target_of_two_gateways_has_a_role_for_each_trusting_its_api_only(
    stack: Stack,
) -> None:
    machine = _machine(stack)
    apis = [HttpApiGateway(stack, name, default_auth=IamAuth()) for name in ("Public", "Admin")]
    for api in apis:
        api.add_route("POST /jobs", StartExecution(machine))
    template = Template.from_stack(stack)
    assert len(roles_trusting_api_gateway(template)) == 2
    for api in apis:
        template.resource_properties_count_is(
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        Match.object_like(
                            {
                                "Condition": Match.exact(
                                    api_gateway_trust_conditions(stack, api.http_api.api_id)
                                )
                            }
                        )
                    ]
                }
            },
            1,
        )


# -- cdk-nag and cfn-lint -----------------------------------------------------------------


def _every_service_target(stack: Stack) -> None:
    machine = _machine(stack)
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    api.add_route("POST /jobs", StartExecution(machine))
    api.add_route("POST /jobs/stop", StopExecution(machine))
    api.add_route(
        "POST /orders", SendMessage(sqs.Queue(stack, "Queue", fifo=True), message_group_id="all")
    )
    api.add_route("POST /events", PutEvent(source="com.example", detail_type="Thing"))


def test_service_targets_raise_no_cdk_nag_finding_of_their_own() -> None:
    app = App(context=snapshot_context())
    _every_service_target(new_stack(app))
    report = nag_report(app)
    assert "TestStack/Api/" not in report, report


def test_service_targets_pass_cfn_lint(stack: Stack) -> None:
    _every_service_target(stack)
    # The state machine and queue here are the test's own; the gateway's resources are checked.
    assert [finding for finding in cfn_lint(template_of(stack)) if "Resources/Api" in finding] == []


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route_key", "message"),
    [
        ("GET /a", r"route 'GET /a' sends the request body to StartExecution, but GET requests"),
        ("HEAD /a", r"HEAD requests carry no body"),
    ],
)
def test_fails_when_a_bodyless_method_would_send_the_body(
    stack: Stack, route_key: str, message: str
) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Api\)"):
        api.add_route(route_key, StartExecution(_machine(stack)))


def test_a_get_route_may_send_a_query_value(stack: Stack) -> None:
    target = StartExecution(_machine(stack), input="$request.querystring.input")
    _route(stack, target, "GET /a").has_resource_properties(
        INTEGRATION, {"RequestParameters": {"Input": "$request.querystring.input"}}
    )


def test_fails_when_a_request_value_names_a_missing_path_parameter(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    with pytest.raises(
        FrontDoorValidationError, match=r"route 'POST /a' has no path parameter \{job\}"
    ):
        api.add_route("POST /a", StartExecution(_machine(stack), name="$request.path.job"))


def test_fails_when_a_fifo_queue_has_no_message_group(stack: Stack) -> None:
    queue = sqs.Queue(stack, "Queue", fifo=True)
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    with pytest.raises(
        FrontDoorValidationError,
        match=r"queue TestStack/Queue is a FIFO queue, which needs a message group: give "
        r"SendMessage\(message_group_id=...\)",
    ):
        api.add_route("POST /a", SendMessage(queue))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda stack: StopExecution(_machine(stack, sfn.StateMachineType.EXPRESS)),
            r"StopExecution needs a STANDARD state machine, but .* is EXPRESS",
        ),
        (
            lambda stack: StartExecution(_machine(stack), sync=True),
            r"StartExecution\(sync=True\) needs an EXPRESS state machine, but .* is STANDARD",
        ),
        (
            lambda stack: StartExecution("machine"),  # type: ignore[arg-type]
            r"StartExecution needs a stepfunctions",
        ),
        (
            lambda stack: StartExecution(_machine(stack), sync="yes"),  # type: ignore[arg-type]
            r"sync must be true or false, got str 'yes'",
        ),
        (
            lambda stack: SendMessage("orders"),  # type: ignore[arg-type]
            r"SendMessage needs an sqs.IQueue, got str",
        ),
        (
            lambda stack: StartExecution(_machine(stack), input="$request.bodyy"),
            r"StartExecution input '\$request.bodyy' is not a request value",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), message_group_id="g"),
            r"is a standard queue: message_group_id and deduplication_id apply to FIFO",
        ),
        (
            lambda stack: SendMessage(
                sqs.Queue(stack, "Q"), attributes={f"a{i}": "x" for i in range(11)}
            ),
            r"SendMessage has 11 attributes; SQS allows 10",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), attributes={"aws.x": "x"}),
            r"message attribute name 'aws.x' is reserved",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), attributes={"a b": "x"}),
            r"message attribute name 'a b' is not valid",
        ),
        (
            lambda stack: PutEvent(source="aws.orders", detail_type="X"),
            r"PutEvent source 'aws.orders' starts with 'aws.'",
        ),
        (
            lambda stack: PutEvent(source="", detail_type="X"),
            r"PutEvent source must be a constant of 1 to 256 characters",
        ),
        (
            lambda stack: PutEvent(source="com.x", detail_type="$request.header.type"),
            r"PutEvent detail_type must be a constant .* callers do not choose it",
        ),
        (
            lambda stack: PutEvent(source="com.x", detail_type="X", event_bus="bus"),  # type: ignore[arg-type]
            r"PutEvent event_bus must be an events.IEventBus",
        ),
    ],
)
def test_fails_on_invalid_service_targets(stack: Stack, make: Any, message: str) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    with pytest.raises(FrontDoorValidationError, match=message):
        api.add_route("POST /a", make(stack))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda stack: PutEvent(source="com.x", detail_type="X", detail="[1, 2]"),
            r"PutEvent detail '\[1, 2\]' is a JSON list, but EventBridge takes a JSON object",
        ),
        (
            lambda stack: PutEvent(source="com.x", detail_type="X", detail="not json"),
            r"PutEvent detail 'not json' is a constant but not JSON",
        ),
        (
            lambda stack: StartExecution(_machine(stack), input="{'a': 1}"),
            r"StartExecution input \"\{'a': 1\}\" is a constant but not JSON",
        ),
        (
            lambda stack: StartExecution(_machine(stack), name="nightly run"),
            r"StartExecution name 'nightly run' is not an execution name Step Functions accepts",
        ),
        (
            lambda stack: StartExecution(_machine(stack), name="x" * 81),
            r"StartExecution name 'x{20,}.* is not an execution name",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), delay_seconds="901"),
            r"SendMessage delay_seconds '901' is a constant SQS refuses on every call: give "
            r"whole seconds from 0 to 900",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), delay_seconds="-1"),
            r"SendMessage delay_seconds '-1' is a constant SQS refuses",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), delay_seconds="1.5"),
            r"SendMessage delay_seconds '1.5' is a constant SQS refuses",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), attributes="tenant"),  # type: ignore[arg-type]
            r"SendMessage attributes must be a mapping of strings to anything, got str 'tenant'",
        ),
        (
            lambda stack: SendMessage(sqs.Queue(stack, "Q"), attributes={"tenant": 1}),  # type: ignore[dict-item]
            r"message attribute 'tenant' must be a request value or a constant string, got 1",
        ),
    ],
)
def test_fails_on_constants_the_service_refuses_on_every_call(
    stack: Stack, make: Any, message: str
) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Api\)"):
        api.add_route("POST /a", make(stack))


@pytest.mark.parametrize(
    "make",
    [
        lambda stack: PutEvent(source="com.x", detail_type="X", detail='{"kind": "test"}'),
        lambda stack: PutEvent(
            source="com.x", detail_type="X", detail='{"id": "${request.path.id}"}'
        ),
        lambda stack: StartExecution(_machine(stack), input='{"order": ${request.body.order}}'),
        lambda stack: StartExecution(_machine(stack), name="nightly-2026"),
        lambda stack: SendMessage(sqs.Queue(stack, "Q"), delay_seconds="900"),
        lambda stack: SendMessage(sqs.Queue(stack, "Q"), delay_seconds="$request.header.delay"),
    ],
)
def test_constants_the_service_accepts_synthesize(stack: Stack, make: Any) -> None:
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    api.add_route("POST /a/{id}", make(stack))
    Template.from_stack(stack).resource_count_is(INTEGRATION, 1)
