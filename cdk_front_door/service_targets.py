"""AWS service targets: routes that call Step Functions, SQS or EventBridge directly.

API Gateway's first-class AWS service integrations (integration subtypes, payload format 1.0)
need no Lambda function in between. Each target gets its own IAM role that API Gateway
assumes, allowed exactly one action on exactly one resource, and shared by every route of
the gateway that uses the same target. The resource (state machine, queue, event bus) is a
constant of the integration's parameter mapping: callers choose the payload, never the
resource.

Request values are written as in API Gateway's parameter mapping: ``$request.body`` (the whole
body), ``$request.body.<name>`` (a field of a JSON body), ``$request.header.<name>``,
``$request.querystring.<name>``, ``$request.path.<name>``, ``$context.<variable>`` or
``$stageVariables.<name>``; anything not starting with ``$`` is a constant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import ClassVar

from aws_cdk import Arn, ArnFormat, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import IConstruct

from ._jsii import implements, is_unresolved, payload_format_version
from ._nag import acknowledge_wildcards
from .errors import FrontDoorValidationError, check
from .routes import RouteKey
from .targets import (
    BindContext,
    RouteTarget,
    construct_key,
    describe_settings,
    settings_digest,
    value_id_part,
)

_REQUEST_VALUE = re.compile(
    r"\$request\.body(\.[A-Za-z0-9_.\[\]-]+)?"
    r"|\$request\.(header|querystring|path)\.[A-Za-z0-9._~!#$%&'*+^`|-]+"
    r"|\$context\.[A-Za-z][A-Za-z0-9_.]*"
    r"|\$stageVariables\.[A-Za-z0-9_]+"
)
_BODYLESS_METHODS = ("GET", "HEAD", "OPTIONS")
_MAX_SOURCE_LENGTH = 256
_MAX_DETAIL_TYPE_LENGTH = 128
_MAX_MESSAGE_ATTRIBUTES = 10


def _check_value(scope: IConstruct, what: str, value: object) -> str:
    """Check a parameter-mapping value: a request value or a constant."""
    if not isinstance(value, str) or not value:
        raise FrontDoorValidationError(
            scope, f"{what} must be a request value or a constant string, got {value!r}"
        )
    if value.startswith("$") and not is_unresolved(value) and not _REQUEST_VALUE.fullmatch(value):
        raise FrontDoorValidationError(
            scope,
            f"{what} {value!r} is not a request value API Gateway can map: use $request.body, "
            "$request.body.<field>, $request.header.<name>, $request.querystring.<name>, "
            "$request.path.<name>, $context.<variable> or $stageVariables.<name>",
        )
    return value


_INTERPOLATION = re.compile(r"\$\{[^}]*\}")
_MAX_DELAY_SECONDS = 900
_EXECUTION_NAME = re.compile(r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$")


def _is_constant(value: str) -> bool:
    """Whether a mapping value is a constant (not a request value, not a token)."""
    return not value.startswith("$") and not is_unresolved(value)


def _check_json(scope: IConstruct, what: str, value: str, *, object_only: bool) -> None:
    """A constant the service parses as JSON (``${...}`` request values inside it are read
    as placeholders): refused when the service would reject it on every call."""
    if not _is_constant(value):
        return
    try:
        parsed = json.loads(_INTERPOLATION.sub("0", value))
    except ValueError as error:
        raise FrontDoorValidationError(
            scope,
            f"{what} {value!r} is a constant but not JSON ({error}): every call would be "
            "refused; give JSON text or a request value such as '$request.body'",
        ) from error
    if object_only and not isinstance(parsed, dict):
        raise FrontDoorValidationError(
            scope,
            f"{what} {value!r} is a JSON {type(parsed).__name__}, but EventBridge takes a JSON "
            'object as an event\'s detail: give an object such as \'{"kind": "test"}\', or a '
            "request value",
        )


def _interpolated(value: str) -> str:
    """A request value written for use inside a larger string (``${request.header.x}``)."""
    return "${" + value[1:] + "}" if value.startswith("$") else value


class _ServiceTarget(RouteTarget):
    """What the service targets share: the role, the integration, the route checks.

    The integrations are aws-cdk-lib's ``HttpIntegration`` with a role of their own: the
    ``Http*Integration`` classes of aws-apigatewayv2-integrations bind to ``HttpRoute`` L2
    routes only, and grant more than the one action (``grantSendMessages``)."""

    name: str
    subtype: apigwv2.HttpIntegrationSubtype
    action: str
    defaults: ClassVar[Mapping[str, object]] = {}
    """The default of each setting: a target with only defaults keeps the plain id."""

    def resource_key(self, gateway_stack: Stack) -> str:
        """The id part naming the resource called (state machine, queue, event bus)."""
        raise NotImplementedError

    def settings(self) -> dict[str, object]:
        """Every setting but the resource, as given: part of the target's identity."""
        raise NotImplementedError

    def target_id(self, gateway_stack: Stack) -> str:
        return f"{self.name}|{self.resource_key(gateway_stack)}" + settings_digest(
            self.settings(), self.defaults, gateway_stack
        )

    def identity(self, gateway_stack: Stack) -> str:
        return describe_settings(self.name, self.resource_key(gateway_stack), self.settings())

    def parameters(self) -> dict[str, str]:
        """The integration's request parameters (constants and request values)."""
        raise NotImplementedError

    def statements(self, stack: Stack) -> list[iam.PolicyStatement]:
        """What the integration's role may do: one action on one resource."""
        raise NotImplementedError

    def request_values(self) -> list[str]:
        """The request values the parameters read."""
        return [value for value in self.parameters().values() if value.startswith("$")]

    def check_route(self, scope: IConstruct, route: RouteKey) -> None:
        values = [value for value in self.request_values() if value.startswith("$request")]
        if route.method in _BODYLESS_METHODS and any(
            value.startswith("$request.body") for value in values
        ):
            raise FrontDoorValidationError(
                scope,
                f"route {route.value!r} sends the request body to {self.name}, but "
                f"{route.method} requests carry no body: use POST, PUT, PATCH or ANY, or map "
                "query string or header values instead",
            )
        for value in values:
            if value.startswith("$request.path."):
                name = value[len("$request.path.") :]
                if name not in route.parameters:
                    raise FrontDoorValidationError(
                        scope,
                        f"route {route.value!r} has no path parameter {{{name}}} for {value!r}",
                    )

    def bind(self, context: BindContext) -> apigwv2.HttpIntegration:
        statements = self.statements(Stack.of(context.scope))
        role = iam.Role(
            context.scope,
            "Role",
            assumed_by=_gateway_principal(context),
            description=f"Lets {context.gateway.node.path} call {self.action} for its routes",
            inline_policies={
                "Integration": iam.PolicyDocument(statements=statements),
            },
        )
        self.acknowledge(role, statements)
        return apigwv2.HttpIntegration(
            context.scope,
            "Integration",
            http_api=context.http_api,
            integration_type=apigwv2.HttpIntegrationType.AWS_PROXY,
            integration_subtype=self.subtype,
            credentials=apigwv2.IntegrationCredentials.from_role(role),
            payload_format_version=payload_format_version("1.0"),
            parameter_mapping=apigwv2.ParameterMapping.from_object(
                {
                    key: apigwv2.MappingValue.custom(value)
                    for key, value in self.parameters().items()
                }
            ),
        )

    def acknowledge(  # noqa: B027 - optional hook
        self, role: iam.Role, statements: list[iam.PolicyStatement]
    ) -> None:
        """Acknowledge cdk-nag findings the role cannot avoid."""


def _gateway_principal(context: BindContext) -> iam.ServicePrincipal:
    """API Gateway, acting for this gateway's API only (confused-deputy conditions).

    The conditions use the ``IfExists`` operators: API Gateway is not documented to state its
    source when it assumes an integration role, and a deployed API shows that it leaves
    ``aws:SourceAccount`` out, which a plain ``StringEquals`` would turn into a refusal of
    every request. So the conditions hold whenever API Gateway names a source, and never break
    the route. Another account cannot use the role in any case: IAM lets only principals of
    this account pass it to API Gateway (``iam:PassRole``)."""
    stack = Stack.of(context.scope)
    return iam.ServicePrincipal(
        "apigateway.amazonaws.com",
        conditions={
            "StringEqualsIfExists": {"aws:SourceAccount": stack.account},
            "ArnLikeIfExists": {
                "aws:SourceArn": stack.format_arn(
                    service="execute-api",
                    resource=context.http_api.api_id,
                    resource_name="*",
                    arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                )
            },
        },
    )


def _state_machine_type(machine: sfn.IStateMachine) -> sfn.StateMachineType | None:
    """The state machine's type; None when it is imported (unknown at synth)."""
    if isinstance(machine, sfn.StateMachine):
        return machine.state_machine_type
    return None


def _check_state_machine(scope: IConstruct, machine: object, what: str) -> None:
    if not implements(machine, sfn.IStateMachine):
        raise FrontDoorValidationError(
            scope,
            f"{what} needs a stepfunctions.IStateMachine, got {type(machine).__name__}",
        )


def _check_message_attributes(scope: IConstruct, attributes: object) -> None:
    """SQS message attributes: a mapping of at most 10 valid names to mapping values."""
    check(scope, "SendMessage attributes", attributes, Mapping[str, object])
    assert isinstance(attributes, Mapping)
    if len(attributes) > _MAX_MESSAGE_ATTRIBUTES:
        raise FrontDoorValidationError(
            scope,
            f"SendMessage has {len(attributes)} attributes; SQS allows {_MAX_MESSAGE_ATTRIBUTES}",
        )
    for name, value in attributes.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,256}", name):
            raise FrontDoorValidationError(
                scope,
                f"message attribute name {name!r} is not valid: letters, digits, _ - . "
                "(at most 256)",
            )
        if name.lower().startswith(("aws.", "amazon.")) or ".." in name or name[0] == ".":
            raise FrontDoorValidationError(
                scope,
                f"message attribute name {name!r} is reserved or malformed: no aws. or "
                "amazon. prefix, no leading or double dot",
            )
        _check_value(scope, f"message attribute {name!r}", value)


class StartExecution(_ServiceTarget):
    """Starts an execution of a state machine (``StepFunctions-StartExecution``) and answers at
    once with its ARN: ``{"executionArn": "arn:…:execution:<machine>:<name>", "startDate":
    1767225600.0}``. With ``sync=True`` (express state machines only) it waits for the result
    instead (``StepFunctions-StartSyncExecution``, at most 29 s) and answers with
    ``{"executionArn", "status", "output", …}``.

    :param state_machine: the state machine to start.
    :param input: the execution's input, a JSON text. Default: - the request body
        (``$request.body``)
    :param name: the execution's name, unique for 90 days among the machine's executions (a
        retried request with the same name starts nothing new). Default: - a name Step
        Functions makes up
    :param sync: whether to wait for the execution's result (express state machines only).
        Default: false
    """

    def __init__(
        self,
        state_machine: sfn.IStateMachine,
        *,
        input: str = "$request.body",  # noqa: A002 - the Step Functions parameter's name
        name: str | None = None,
        sync: bool = False,
    ) -> None:
        self.name = "StartSyncExecution" if sync else "StartExecution"
        self.state_machine = state_machine
        self.input = input
        self.execution_name = name
        self.sync = sync
        self.subtype = (
            apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION
            if sync
            else apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_START_EXECUTION
        )
        self.action = "states:StartSyncExecution" if sync else "states:StartExecution"

    def validate(self, scope: IConstruct) -> None:
        _check_state_machine(scope, self.state_machine, "StartExecution")
        check(scope, "sync", self.sync, bool)
        if self.sync and _state_machine_type(self.state_machine) == sfn.StateMachineType.STANDARD:
            raise FrontDoorValidationError(
                scope,
                f"StartExecution(sync=True) needs an EXPRESS state machine, but "
                f"{self.state_machine.node.path} is STANDARD: start it without sync and read "
                "its result later, or make it EXPRESS",
            )
        _check_value(scope, "StartExecution input", self.input)
        _check_json(scope, "StartExecution input", self.input, object_only=False)
        if self.execution_name is not None:
            _check_value(scope, "StartExecution name", self.execution_name)
            if _is_constant(self.execution_name) and not _EXECUTION_NAME.match(self.execution_name):
                raise FrontDoorValidationError(
                    scope,
                    f"StartExecution name {self.execution_name!r} is not an execution name Step "
                    "Functions accepts: 1 to 80 characters, no white space, control characters "
                    'or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /',
                )

    defaults: ClassVar[Mapping[str, object]] = {"input": "$request.body", "name": None}

    @property
    def backend(self) -> IConstruct:
        """The state machine: its failed and timed-out executions are watched."""
        return self.state_machine

    def resource_key(self, gateway_stack: Stack) -> str:
        return construct_key(self.state_machine, gateway_stack)

    def settings(self) -> dict[str, object]:
        return {"input": self.input, "name": self.execution_name}

    def parameters(self) -> dict[str, str]:
        parameters = {"StateMachineArn": self.state_machine.state_machine_arn, "Input": self.input}
        if self.execution_name is not None:
            parameters["Name"] = self.execution_name
        return parameters

    def statements(self, stack: Stack) -> list[iam.PolicyStatement]:
        return [
            iam.PolicyStatement(
                actions=[self.action], resources=[self.state_machine.state_machine_arn]
            )
        ]


class StopExecution(_ServiceTarget):
    """Stops a running execution of a STANDARD state machine (``StepFunctions-StopExecution``)
    and answers ``{"stopDate": 1767225600.0}``. The role may stop executions of this state
    machine only, whatever ARN a caller sends.

    :param state_machine: the state machine whose executions may be stopped (STANDARD: express
        executions cannot be stopped).
    :param execution_arn: where the execution's ARN is read. Default: - the ``executionArn``
        field of a JSON body (``$request.body.executionArn``), as ``StartExecution`` answered
    :param cause: the cause recorded with the stop. Default: - "stopped through the API"
    """

    name = "StopExecution"
    subtype = apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION
    action = "states:StopExecution"

    def __init__(
        self,
        state_machine: sfn.IStateMachine,
        *,
        execution_arn: str = "$request.body.executionArn",
        cause: str = "stopped through the API",
    ) -> None:
        self.state_machine = state_machine
        self.execution_arn = execution_arn
        self.cause = cause

    def validate(self, scope: IConstruct) -> None:
        _check_state_machine(scope, self.state_machine, "StopExecution")
        if _state_machine_type(self.state_machine) == sfn.StateMachineType.EXPRESS:
            raise FrontDoorValidationError(
                scope,
                f"StopExecution needs a STANDARD state machine, but "
                f"{self.state_machine.node.path} is EXPRESS: Step Functions cannot stop "
                "express executions",
            )
        _check_value(scope, "StopExecution execution_arn", self.execution_arn)
        _check_value(scope, "StopExecution cause", self.cause)

    defaults: ClassVar[Mapping[str, object]] = {
        "execution_arn": "$request.body.executionArn",
        "cause": "stopped through the API",
    }

    def resource_key(self, gateway_stack: Stack) -> str:
        return construct_key(self.state_machine, gateway_stack)

    def settings(self) -> dict[str, object]:
        return {"execution_arn": self.execution_arn, "cause": self.cause}

    def parameters(self) -> dict[str, str]:
        return {"ExecutionArn": self.execution_arn, "Cause": self.cause}

    def statements(self, stack: Stack) -> list[iam.PolicyStatement]:
        machine = Arn.split(self.state_machine.state_machine_arn, ArnFormat.COLON_RESOURCE_NAME)
        executions = stack.format_arn(
            service="states",
            region=machine.region,
            account=machine.account,
            resource="execution",
            resource_name=f"{machine.resource_name}:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        return [iam.PolicyStatement(actions=[self.action], resources=[executions])]

    def acknowledge(self, role: iam.Role, statements: list[iam.PolicyStatement]) -> None:
        acknowledge_wildcards(
            role,
            statements,
            "execution ARNs are made at run time; the wildcard covers only the executions of "
            "this one state machine",
        )


class SendMessage(_ServiceTarget):
    """Sends the request to an SQS queue (``SQS-SendMessage``) and answers with SQS's result:
    ``{"SendMessageResponse": {"SendMessageResult": {"MessageId": "…", …}, …}}``.

    :param queue: the queue. A FIFO queue needs ``message_group_id``.
    :param body: the message body. Default: - the request body (``$request.body``)
    :param message_group_id: the FIFO message group, a request value or a constant (messages
        of one group are delivered in order). Default: - none; required for a FIFO queue
    :param deduplication_id: the FIFO deduplication id: a retried request with the same id
        within 5 minutes is dropped. Default: - the API Gateway request id for a FIFO queue
        (every request is a new message); none for a standard queue
    :param attributes: message attributes, name to request value or constant (String type),
        at most 10. Default: - none
    :param delay_seconds: how long the message stays invisible, a request value or a constant.
        Default: - the queue's delay
    """

    name = "SendMessage"
    subtype = apigwv2.HttpIntegrationSubtype.SQS_SEND_MESSAGE
    action = "sqs:SendMessage"

    def __init__(
        self,
        queue: sqs.IQueue,
        *,
        body: str = "$request.body",
        message_group_id: str | None = None,
        deduplication_id: str | None = None,
        attributes: Mapping[str, str] | None = None,
        delay_seconds: str | None = None,
    ) -> None:
        self.queue = queue
        self.body = body
        self.message_group_id = message_group_id
        self.deduplication_id = deduplication_id
        # Checked (with every other setting) when a route uses the target.
        self.attributes: Mapping[str, str] = {} if attributes is None else attributes
        self.delay_seconds = delay_seconds

    defaults: ClassVar[Mapping[str, object]] = {
        "body": "$request.body",
        "message_group_id": None,
        "deduplication_id": None,
        "attributes": {},
        "delay_seconds": None,
    }

    def resource_key(self, gateway_stack: Stack) -> str:
        return construct_key(self.queue, gateway_stack)

    def settings(self) -> dict[str, object]:
        return {
            "body": self.body,
            "message_group_id": self.message_group_id,
            "deduplication_id": self.deduplication_id,
            "attributes": self.attributes,
            "delay_seconds": self.delay_seconds,
        }

    def _fifo(self) -> bool:
        fifo = self.queue.fifo
        return not is_unresolved(fifo) and bool(fifo)

    def validate(self, scope: IConstruct) -> None:
        if not implements(self.queue, sqs.IQueue):
            raise FrontDoorValidationError(
                scope, f"SendMessage needs an sqs.IQueue, got {type(self.queue).__name__}"
            )
        _check_value(scope, "SendMessage body", self.body)
        fifo = self._fifo()
        if fifo and self.message_group_id is None:
            raise FrontDoorValidationError(
                scope,
                f"queue {self.queue.node.path} is a FIFO queue, which needs a message group: "
                "give SendMessage(message_group_id=...) a request value (for example "
                "'$request.header.x-tenant-id') or a constant",
            )
        if not fifo and (self.message_group_id is not None or self.deduplication_id is not None):
            raise FrontDoorValidationError(
                scope,
                f"queue {self.queue.node.path} is a standard queue: message_group_id and "
                "deduplication_id apply to FIFO queues only",
            )
        for what, value in (
            ("message_group_id", self.message_group_id),
            ("deduplication_id", self.deduplication_id),
            ("delay_seconds", self.delay_seconds),
        ):
            if value is not None:
                _check_value(scope, f"SendMessage {what}", value)
        delay = self.delay_seconds
        if (
            delay is not None
            and _is_constant(delay)
            and not (delay.isascii() and delay.isdigit() and int(delay) <= _MAX_DELAY_SECONDS)
        ):
            raise FrontDoorValidationError(
                scope,
                f"SendMessage delay_seconds {delay!r} is a constant SQS refuses on every call: "
                f"give whole seconds from 0 to {_MAX_DELAY_SECONDS}, or a request value",
            )
        _check_message_attributes(scope, self.attributes)

    def parameters(self) -> dict[str, str]:
        parameters = {"QueueUrl": self.queue.queue_url, "MessageBody": self.body}
        if self._fifo():
            assert self.message_group_id is not None
            parameters["MessageGroupId"] = self.message_group_id
            parameters["MessageDeduplicationId"] = self.deduplication_id or "$context.requestId"
        if self.delay_seconds is not None:
            parameters["DelaySeconds"] = self.delay_seconds
        if self.attributes:
            parameters["MessageAttributes"] = json.dumps(
                {
                    name: {"DataType": "String", "StringValue": _interpolated(value)}
                    for name, value in sorted(self.attributes.items())
                },
                separators=(",", ":"),
            )
        return parameters

    def request_values(self) -> list[str]:
        return [*super().request_values(), *self.attributes.values()]

    def statements(self, stack: Stack) -> list[iam.PolicyStatement]:
        statements = [iam.PolicyStatement(actions=[self.action], resources=[self.queue.queue_arn])]
        key = self.queue.encryption_master_key
        if key is not None:
            # A queue encrypted with a customer managed key: sending needs the key too.
            statements.append(
                iam.PolicyStatement(
                    actions=["kms:GenerateDataKey", "kms:Decrypt"], resources=[key.key_arn]
                )
            )
        return statements


class PutEvent(_ServiceTarget):
    """Puts the request on an EventBridge event bus as one event (``EventBridge-PutEvents``)
    and answers ``{"Entries": [{"EventId": "…"}], "FailedEntryCount": 0}``.

    :param source: the event's source, for rules to match (for example ``com.example.orders``;
        ``aws.`` is reserved).
    :param detail_type: the event's detail type, for rules to match (for example
        ``OrderPlaced``).
    :param event_bus: the bus. Default: - the account's default event bus
    :param detail: the event's detail, a JSON object. Default: - the request body
        (``$request.body``)
    """

    name = "PutEvent"
    subtype = apigwv2.HttpIntegrationSubtype.EVENTBRIDGE_PUT_EVENTS
    action = "events:PutEvents"

    def __init__(
        self,
        *,
        source: str,
        detail_type: str,
        event_bus: events.IEventBus | None = None,
        detail: str = "$request.body",
    ) -> None:
        self.source = source
        self.detail_type = detail_type
        self.event_bus = event_bus
        self.detail = detail

    defaults: ClassVar[Mapping[str, object]] = {"detail": "$request.body"}

    def resource_key(self, gateway_stack: Stack) -> str:
        return "default" if self.event_bus is None else construct_key(self.event_bus, gateway_stack)

    def settings(self) -> dict[str, object]:
        return {"source": self.source, "detail_type": self.detail_type, "detail": self.detail}

    def target_id(self, gateway_stack: Stack) -> str:
        # Source and detail type are required, so they are written out (readable ids).
        return (
            f"PutEvent|{self.resource_key(gateway_stack)}|"
            f"{value_id_part(self.source, gateway_stack)}|"
            f"{value_id_part(self.detail_type, gateway_stack)}"
            + settings_digest({"detail": self.detail}, self.defaults, gateway_stack)
        )

    def validate(self, scope: IConstruct) -> None:
        if self.event_bus is not None and not implements(self.event_bus, events.IEventBus):
            raise FrontDoorValidationError(
                scope, f"PutEvent event_bus must be an events.IEventBus, got {self.event_bus!r}"
            )
        for what, value, limit in (
            ("source", self.source, _MAX_SOURCE_LENGTH),
            ("detail_type", self.detail_type, _MAX_DETAIL_TYPE_LENGTH),
        ):
            if (
                not isinstance(value, str)
                or not value.strip()
                or len(value) > limit
                or (value.startswith("$") and not is_unresolved(value))
            ):
                raise FrontDoorValidationError(
                    scope,
                    f"PutEvent {what} must be a constant of 1 to {limit} characters (rules "
                    f"match on it, so callers do not choose it), got {value!r}",
                )
        if self.source.lower().startswith("aws."):
            raise FrontDoorValidationError(
                scope,
                f"PutEvent source {self.source!r} starts with 'aws.', which EventBridge keeps "
                "for AWS services: use your own, such as 'com.example.orders'",
            )
        _check_value(scope, "PutEvent detail", self.detail)
        _check_json(scope, "PutEvent detail", self.detail, object_only=True)

    def _bus_arn(self, stack: Stack) -> str:
        if self.event_bus is not None:
            return self.event_bus.event_bus_arn
        return stack.format_arn(service="events", resource="event-bus", resource_name="default")

    def parameters(self) -> dict[str, str]:
        parameters = {
            "Source": self.source,
            "DetailType": self.detail_type,
            "Detail": self.detail,
        }
        if self.event_bus is not None:
            parameters["EventBusName"] = self.event_bus.event_bus_arn
        return parameters

    def statements(self, stack: Stack) -> list[iam.PolicyStatement]:
        return [iam.PolicyStatement(actions=[self.action], resources=[self._bus_arn(stack)])]
