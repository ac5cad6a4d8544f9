"""Alarms that page: CloudWatch alarms on a gateway's API, on every backend its routes reach and
on its CDN, an SNS topic they notify, and an optional dashboard of the same metrics.

``HttpApiGateway(alarms=True)`` (or ``alarms=Alarms(...)``) defines :class:`GatewayAlarms`
under the gateway (``<gateway>/Alarms``). The gateway tells it of the backend behind each route
it adds (:attr:`cdk_front_door.targets.RouteTarget.backend`); each backend is watched once,
however many routes reach it:

* the API: its 5xx and 4xx rates (metric math that counts a period with fewer than
  ``min_requests`` requests as 0 %), its p99 latency and p99 integration latency;
* a Lambda function (or alias, version, imported function): its errors and throttles;
* a :class:`~cdk_front_door.containers.ContainerService`: its running tasks (below its desired
  count with Container Insights, none at all without), its CPU and memory utilization;
* a :class:`~cdk_front_door.jobs.BatchJob` or a state machine started by a route: executions
  that failed or timed out;
* the CDN: its 5xx error rate, only in a stack in us-east-1 (CloudFront's metrics are there
  only, and an alarm watches metrics of its own region).

Every alarm treats missing data as not breaching (an idle API never alarms), except the alarm
on a service without Container Insights: ECS publishes no metric for a service without a
running task, so there missing data is what an outage looks like.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import (
    Annotations,
    Arn,
    ArnFormat,
    CfnOutput,
    Duration,
    RemovalPolicy,
    Stack,
)
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct, IConstruct

from ._alarm_definitions import (
    AlarmBuilder,
    api_alarms,
    cdn_alarms,
    duration_text,
    execution_alarms,
    function_alarms,
    service_alarms,
)
from ._jsii import implements, is_unresolved, node_path
from .errors import FrontDoorValidationError, check, check_number

if TYPE_CHECKING:
    from aws_cdk import aws_cloudfront as cloudfront
    from aws_cdk import aws_stepfunctions as sfn

    from .containers import ContainerService

__all__ = ["Alarms", "GatewayAlarms", "plan_alarms"]

_MAX_LATENCY_MS = 30_000  # API Gateway answers an HTTP API request within 30 seconds
_MAX_COUNT = 1_000_000_000
_MAX_EVALUATED_SECONDS = 86_400  # period × evaluation periods: at most a day
_FIXED_IDS = (
    "Topic",
    "TopicKey",
    "TopicArn",
    "Dashboard",
    "ServerErrorRate",
    "ClientErrorRate",
    "Latency",
    "IntegrationLatency",
    "CdnServerErrorRate",
)


@dataclass(frozen=True, kw_only=True)
class Alarms:
    """The alarms of a gateway: what they watch, when they fire, whom they notify.

    Each threshold is the value past which an alarm fires; ``None`` defines no such alarm
    (and bills nothing for it). Every alarm but the job alarm fires when its metric breaches
    in ``datapoints_to_alarm`` of ``evaluation_periods`` periods of ``period``.

    :param server_error_rate: the API's 5xx rate, in percent of its requests, above which it
        alarms (0 to less than 100). Default: 1
    :param client_error_rate: the API's 4xx rate, in percent of its requests, above which it
        alarms (0 to less than 100). Default: 25
    :param min_requests: how many requests a period needs for its error rates to count: a
        period with fewer counts as 0 %, so that one error among two requests at night does
        not page (a whole number, 0 or more, known at synth). Default: 10
    :param latency_ms: the API's p99 latency, in milliseconds, above which it alarms (more
        than 0, at most 30,000). Default: 3000
    :param integration_latency_ms: the p99 latency of the API's backends (integration
        latency), in milliseconds, above which it alarms (more than 0, at most 30,000).
        Default: 2500
    :param function_errors: how many errors of a routed Lambda function in a period make it
        alarm (a whole number, at least 1). Default: 5
    :param function_throttles: how many throttled invocations of a routed Lambda function in
        a period make it alarm (a whole number, at least 1). Default: 5
    :param running_tasks: whether a routed container service alarms when it runs fewer tasks
        than its desired count (with Container Insights on its cluster) or none at all
        (without). Default: true
    :param cpu_utilization: the average CPU utilization of a routed container service's
        tasks, in percent, above which it alarms (more than 0, less than 100). Default: 80
    :param memory_utilization: the average memory utilization of a routed container
        service's tasks, in percent, above which it alarms (more than 0, less than 100).
        Default: 80
    :param job_failures: how many executions of a routed batch job or state machine that
        failed or timed out in one period make it alarm, at once (a failed job is an event,
        not a trend: this alarm needs one period, whatever ``evaluation_periods`` says).
        Default: 1
    :param cdn_server_error_rate: the CDN's 5xx error rate, in percent of its requests (among
        periods with ``min_requests``), above which it alarms (0 to less than 100); defined
        only when the gateway's stack is in us-east-1. Default: 5
    :param period: the length of each period: whole minutes, 1 minute to 1 day.
        Default: - 5 minutes
    :param evaluation_periods: how many of the latest periods an alarm looks at; times
        ``period``, at most one day. Default: 3
    :param datapoints_to_alarm: how many of those periods must breach for the alarm to fire
        (1 to ``evaluation_periods``). Default: - ``evaluation_periods`` (all of them)
    :param topic: the SNS topic the alarms notify when they fire and when they recover; in
        the gateway's region. Not allowed with ``actions``. Default: - a new topic encrypted
        with a new customer-managed KMS key (US$1.00 a month)
    :param actions: the actions of the alarms when they fire (and only then) instead of a
        topic; an empty list defines alarms without actions. Not allowed with ``topic``.
        Default: - notify ``topic``
    :param dashboard: whether to define a CloudWatch dashboard of the same metrics with the
        state of every alarm (US$3.00 a month). Default: false
    """

    server_error_rate: float | None = 1.0
    client_error_rate: float | None = 25.0
    min_requests: int = 10
    latency_ms: float | None = 3000
    integration_latency_ms: float | None = 2500
    function_errors: int | None = 5
    function_throttles: int | None = 5
    running_tasks: bool = True
    cpu_utilization: float | None = 80.0
    memory_utilization: float | None = 80.0
    job_failures: int | None = 1
    cdn_server_error_rate: float | None = 5.0
    period: Duration = Duration.minutes(5)
    evaluation_periods: int = 3
    datapoints_to_alarm: int | None = None
    topic: sns.ITopic | None = None
    actions: Sequence[cloudwatch.IAlarmAction] | None = None
    dashboard: bool = False


# -- validation ------------------------------------------------------------------------------

# Each threshold: its kind and unit. A rate or utilization is a percentage that an alarm on
# "greater than" can only reach below 100; a latency is at most API Gateway's 30 seconds; a
# count is a whole number of at least 1 (the alarms compare with "greater than or equal").
_RATES = ("server_error_rate", "client_error_rate", "cdn_server_error_rate")
_UTILIZATIONS = ("cpu_utilization", "memory_utilization")
_LATENCIES = ("latency_ms", "integration_latency_ms")
_COUNTS = ("function_errors", "function_throttles", "job_failures")


def plan_alarms(scope: IConstruct, alarms: object) -> Alarms | None:
    """Validate the gateway's ``alarms`` prop and return the configuration it stands for:
    ``True`` is ``Alarms()``, ``None`` and ``False`` none."""
    if alarms is None or alarms is False:
        return None
    if alarms is True:
        alarms = Alarms()
    if not isinstance(alarms, Alarms):
        raise FrontDoorValidationError(
            scope,
            f"alarms must be True, False or an Alarms(...), got {type(alarms).__name__} {alarms!r}",
        )
    _validate_thresholds(scope, alarms)
    _validate_evaluation(scope, alarms)
    _validate_notifications(scope, alarms)
    check(scope, "alarms running_tasks", alarms.running_tasks, bool)
    check(scope, "alarms dashboard", alarms.dashboard, bool)
    return alarms


def _validate_thresholds(scope: IConstruct, alarms: Alarms) -> None:
    for name in _RATES + _UTILIZATIONS:
        _validate_percentage(scope, name, getattr(alarms, name))
    for name in _LATENCIES:
        value = getattr(alarms, name)
        if value is None:
            continue
        what = f"alarms {name}"
        check_number(scope, what, value, minimum=0, maximum=_MAX_LATENCY_MS, unit="ms")
        if not is_unresolved(value) and value == 0:
            raise FrontDoorValidationError(
                scope,
                f"{what} must be above 0 ms, got 0: every request takes some time, so the "
                "alarm would always fire; give a higher threshold, or None for no alarm",
            )
    for name in _COUNTS:
        value = getattr(alarms, name)
        if value is not None:
            check_number(scope, f"alarms {name}", value, minimum=1, maximum=_MAX_COUNT, whole=True)
    check_number(
        scope,
        "alarms min_requests",
        alarms.min_requests,
        minimum=0,
        maximum=_MAX_COUNT,
        whole=True,
        needed_at_synth="it is written into the metric-math expressions of the error rates",
    )


def _validate_percentage(scope: IConstruct, name: str, value: object) -> None:
    """A rate or utilization threshold: an alarm on "greater than" fires only below 100 %,
    and a utilization above 0 % is always reached."""
    if value is None:
        return
    what = f"alarms {name}"
    check_number(scope, what, value, minimum=0, maximum=100, unit="%")
    if is_unresolved(value):
        return
    if value == 100:
        raise FrontDoorValidationError(
            scope,
            f"{what} must be below 100 %, got 100: no rate goes above 100 %, so the alarm "
            "could never fire; give a lower threshold, or None for no alarm",
        )
    if name in _UTILIZATIONS and value == 0:
        raise FrontDoorValidationError(
            scope,
            f"{what} must be above 0 %, got 0: every running task uses some, so the alarm "
            "would always fire; give a higher threshold, or None for no alarm",
        )


def _validate_evaluation(scope: IConstruct, alarms: Alarms) -> None:
    """The period, and how many periods are evaluated: CloudWatch evaluates at most a day."""
    period = check(scope, "alarms period", alarms.period, Duration)
    seconds = period.to_seconds(integral=False)
    if is_unresolved(seconds):
        raise FrontDoorValidationError(
            scope,
            "alarms period must be known at synth time (the periods an alarm evaluates may "
            "last a day at most), got a token",
        )
    if seconds % 60 or not 60 <= seconds <= _MAX_EVALUATED_SECONDS:
        raise FrontDoorValidationError(
            scope,
            f"alarms period must be whole minutes from 1 minute to 1 day, got {seconds:g} s",
        )
    most = int(_MAX_EVALUATED_SECONDS // seconds)
    check_number(
        scope,
        "alarms evaluation_periods",
        alarms.evaluation_periods,
        minimum=1,
        maximum=most,
        whole=True,
        unit=f"(CloudWatch evaluates at most a day: {most} periods of {duration_text(seconds)})",
        needed_at_synth="datapoints_to_alarm is checked against it",
    )
    if alarms.datapoints_to_alarm is not None:
        check_number(
            scope,
            "alarms datapoints_to_alarm",
            alarms.datapoints_to_alarm,
            minimum=1,
            maximum=alarms.evaluation_periods,
            whole=True,
            unit=f"(at most evaluation_periods, {alarms.evaluation_periods})",
            needed_at_synth="it is checked against evaluation_periods",
        )


def _validate_notifications(scope: IConstruct, alarms: Alarms) -> None:
    topic = check(scope, "alarms topic", alarms.topic, sns.ITopic | None)
    check(scope, "alarms actions", alarms.actions, Sequence[cloudwatch.IAlarmAction] | None)
    if topic is not None and alarms.actions is not None:
        raise FrontDoorValidationError(
            scope,
            "alarms topic and actions cannot both be given: the alarms notify the topic, or "
            "run the actions; to do both, pass actions=[cloudwatch_actions.SnsAction(topic), "
            "...]",
        )
    if topic is None:
        return
    ours = Stack.of(scope).region
    theirs = _topic_region(topic)
    if theirs is not None and not is_unresolved(ours) and theirs != ours:
        raise FrontDoorValidationError(
            scope,
            f"alarms topic {topic.node.path} is in region {theirs} but the gateway's stack is "
            f"in {ours}: a CloudWatch alarm notifies only topics of its own region; give a "
            f"topic in {ours}",
        )


def _topic_region(topic: sns.ITopic) -> str | None:
    """The topic's region, when it is known at synth time: its stack's, or the one its ARN
    names."""
    region = topic.env.region
    if not is_unresolved(region):
        return region
    arn = topic.topic_arn
    if is_unresolved(arn):
        return None
    named = Arn.split(arn, ArnFormat.NO_RESOURCE_NAME).region
    return None if named is None or is_unresolved(named) else named


# -- the alarms of one gateway ---------------------------------------------------------------


class GatewayAlarms(Construct):
    """The alarms of one gateway, their topic and dashboard (see the module's description).

    Children: ``ServerErrorRate``, ``ClientErrorRate``, ``Latency``, ``IntegrationLatency``,
    ``CdnServerErrorRate``, ``Topic`` and ``TopicKey`` (when no topic or actions are given) and
    ``TopicArn`` (their output), ``Dashboard``, and one scope per watched backend named after
    its kind and construct path (``FunctionOrders``, ``ServiceSite``, ``JobResize``,
    ``StateMachineOrders``), holding its alarms.

    :param gateway: the gateway.
    :param construct_id: this construct's id.
    :param config: the validated configuration (see :func:`plan_alarms`).
    :param http_api: the gateway's HTTP API.
    :param distribution: the gateway's CDN; None without one.
    :param outputs: whether to define a stack output with the ARN of a topic defined here.
    """

    def __init__(
        self,
        gateway: Construct,
        construct_id: str,
        config: Alarms,
        *,
        http_api: apigwv2.HttpApi,
        distribution: cloudfront.Distribution | None,
        outputs: bool,
    ) -> None:
        super().__init__(gateway, construct_id)
        self._gateway_path = node_path(gateway)
        self._stack = Stack.of(gateway)
        self._stack_prefix = node_path(self._stack) + "/"
        self._watched: set[str] = set()
        self._scope_ids: set[str] = set(_FIXED_IDS)
        self.topic: sns.ITopic | None = config.topic
        """The topic the alarms notify; None when they run the given actions instead."""
        if config.topic is None and config.actions is None:
            self.topic = _new_topic(self, self._gateway_path, outputs=outputs)
        alarm_actions: list[cloudwatch.IAlarmAction] = list(config.actions or [])
        ok_actions: list[cloudwatch.IAlarmAction] = []
        if self.topic is not None:
            action = cloudwatch_actions.SnsAction(self.topic)
            alarm_actions, ok_actions = [action], [action]
        self.dashboard: cloudwatch.Dashboard | None = (
            cloudwatch.Dashboard(self, "Dashboard") if config.dashboard else None
        )
        """The dashboard; None unless ``Alarms(dashboard=True)``."""
        self._builder = AlarmBuilder(
            config,
            gateway_path=self._gateway_path,
            alarm_actions=alarm_actions,
            ok_actions=ok_actions,
            dashboard=self.dashboard,
        )
        api_alarms(self._builder, self, http_api)
        if distribution is not None:
            cdn_alarms(self._builder, self, distribution)

    @property
    def alarms(self) -> list[cloudwatch.Alarm]:
        """Every alarm defined so far, in the order they were defined."""
        return list(self._builder.alarms)

    # -- what is watched ---------------------------------------------------------------------

    def watch(self, backend: IConstruct | None) -> None:
        """Watch ``backend`` (what a route's target serves requests with), once however many
        routes reach it: a Lambda function, a container service, a batch job or a state
        machine. Anything else gets a ``cdk-front-door:unwatched-backend`` warning."""
        if backend is None:
            return
        path = node_path(backend)
        if path in self._watched:
            return
        self._watched.add(path)
        if implements(backend, lambda_.IFunction):
            self._watch_function(backend)  # type: ignore[arg-type]
            return
        # A container service or job exists only when its module was imported: importing
        # it here otherwise would cost every other app ECS and Step Functions.
        if "cdk_front_door.containers" in sys.modules:
            from .containers import ContainerService  # noqa: PLC0415 - see above

            if isinstance(backend, ContainerService):
                self._watch_service(backend)
                return
        if "cdk_front_door.jobs" in sys.modules:
            from .jobs import BatchJob  # noqa: PLC0415 - see above

            if isinstance(backend, BatchJob):
                self._watch_executions("Job", backend, backend.state_machine, "job")
                return
        if "aws_cdk.aws_stepfunctions" in sys.modules:
            from aws_cdk import aws_stepfunctions as sfn  # noqa: PLC0415 - see above

            if implements(backend, sfn.IStateMachine):
                machine: sfn.IStateMachine = backend  # type: ignore[assignment]
                self._watch_executions("StateMachine", backend, machine, "state machine")
                return
        Annotations.of(self).add_warning_v2(
            "cdk-front-door:unwatched-backend",
            f"the alarms of {self._gateway_path} cannot watch {path} "
            f"({type(backend).__name__}): they watch Lambda functions, container services, "
            "batch jobs and state machines; define its alarms yourself",
        )

    def _watch_function(self, function: lambda_.IFunction) -> None:
        """Watch a function (of this stack's region) in a scope of its own."""
        if self._elsewhere(function):
            return
        function_alarms(self._builder, self._backend_scope("Function", function), function)

    def _watch_service(self, service: ContainerService) -> None:
        """Watch a container service in a scope of its own."""
        service_alarms(self._builder, self._backend_scope("Service", service), service)

    def _watch_executions(
        self, kind: str, backend: IConstruct, machine: sfn.IStateMachine, noun: str
    ) -> None:
        """Watch a state machine's executions (of this stack's region) in a scope of its own."""
        if self._elsewhere(machine):
            return
        scope = self._backend_scope(kind, backend)
        execution_alarms(self._builder, scope, backend, machine, noun)

    def _backend_scope(self, kind: str, backend: IConstruct) -> Construct:
        """The scope of a backend's alarms: its kind and its path relative to the stack, in
        PascalCase (``FunctionOrders``, ``ServiceApiSite``), with a digest of its path when
        that name is taken."""
        path = node_path(backend)
        relative = path.removeprefix(self._stack_prefix)
        name = kind + "".join(_pascal(part) for part in relative.split("/"))
        if name in self._scope_ids:
            name += hashlib.sha256(path.encode()).hexdigest()[:8]
        self._scope_ids.add(name)
        return Construct(self, name)

    def _elsewhere(self, resource: lambda_.IFunction | sfn.IStateMachine) -> bool:
        """Whether ``resource`` is in another region than the stack (both known), with a
        ``cdk-front-door:alarm-region`` warning: an alarm cannot watch its metrics."""
        theirs, ours = resource.env.region, self._stack.region
        if is_unresolved(theirs) or is_unresolved(ours) or theirs == ours:
            return False
        Annotations.of(self).add_warning_v2(
            "cdk-front-door:alarm-region",
            f"the alarms of {self._gateway_path} cannot watch {node_path(resource)}: it is in "
            f"region {theirs}, this stack in {ours}, and a CloudWatch alarm watches metrics "
            "of its own region; define its alarms in a stack of its region",
        )
        return True


def _new_topic(scope: Construct, gateway_path: str, *, outputs: bool) -> sns.Topic:
    """A topic encrypted with a key of its own: CloudWatch cannot publish to a topic
    encrypted with the AWS-managed SNS key, whose policy cannot be changed."""
    stack = Stack.of(scope)
    key = kms.Key(
        scope,
        "TopicKey",
        description=f"Encrypts the alarm topic of {gateway_path}",
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.DESTROY,
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudWatchAlarmsToPublish",
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
        )
    )
    topic = sns.Topic(
        scope,
        "Topic",
        display_name=_display_name(gateway_path),
        master_key=key,
        enforce_ssl=True,
    )
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudWatchAlarmsToPublish",
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={
                "StringEquals": {"aws:SourceAccount": stack.account},
                "ArnLike": {
                    "aws:SourceArn": stack.format_arn(
                        service="cloudwatch",
                        resource="alarm",
                        resource_name="*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                },
            },
        )
    )
    if outputs:
        CfnOutput(
            scope,
            "TopicArn",
            value=topic.topic_arn,
            description=f"Alarm topic of {gateway_path}: subscribe to it to be paged",
        )
    return topic


def _pascal(part: str) -> str:
    """A construct id part in PascalCase, letters and digits only: ``my-fn`` -> ``MyFn``."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", part))


def _display_name(path: str) -> str:
    """The topic's display name (the sender of its e-mails, at most 100 characters)."""
    text = "Alarms of " + re.sub(r"[^A-Za-z0-9 ._/-]", "-", path)
    return text if len(text) <= 100 else text[:97] + "..."
