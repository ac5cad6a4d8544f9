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

from ._jsii import implements, is_unresolved, node_path
from .errors import FrontDoorValidationError, check, check_number

if TYPE_CHECKING:
    from aws_cdk import aws_cloudfront as cloudfront
    from aws_cdk import aws_ecs as ecs
    from aws_cdk import aws_stepfunctions as sfn

    from .containers import ContainerService

__all__ = ["Alarms", "GatewayAlarms", "plan_alarms"]

_MAX_LATENCY_MS = 30_000  # API Gateway answers an HTTP API request within 30 seconds
_MAX_COUNT = 1_000_000_000
_MAX_EVALUATED_SECONDS = 86_400  # period × evaluation periods: at most a day
_CDN_REGION = "us-east-1"
_RATE_EXPRESSION = "IF(requests >= {minimum}, 100 * FILL({errors}, 0) / requests, 0)"
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
        unit=f"(CloudWatch evaluates at most a day: {most} periods of {_duration(seconds)})",
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


def _duration(seconds: float) -> str:
    """``5 minutes``, ``1 minute``, ``2 hours``."""
    minutes = int(seconds // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours > 1 else ''}"
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def _amount(value: float, unit: str) -> str:
    """A threshold as the description shows it: ``1 %``, ``3000 ms``, or ``the threshold``
    when it is a token."""
    if is_unresolved(value):
        return "the configured threshold"
    return f"{value:g}{unit}"


# -- the alarms of one gateway ---------------------------------------------------------------


@dataclass(frozen=True)
class _Watch:
    """How the alarms of one period look at their metric."""

    evaluation_periods: int
    datapoints_to_alarm: int
    missing: cloudwatch.TreatMissingData


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
        self._builder = _AlarmBuilder(
            config,
            gateway_path=self._gateway_path,
            alarm_actions=alarm_actions,
            ok_actions=ok_actions,
            dashboard=self.dashboard,
        )
        _api_alarms(self._builder, self, http_api)
        if distribution is not None:
            _cdn_alarms(self._builder, self, distribution)

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
        _function_alarms(self._builder, self._backend_scope("Function", function), function)

    def _watch_service(self, service: ContainerService) -> None:
        """Watch a container service in a scope of its own."""
        _service_alarms(self._builder, self._backend_scope("Service", service), service)

    def _watch_executions(
        self, kind: str, backend: IConstruct, machine: sfn.IStateMachine, noun: str
    ) -> None:
        """Watch a state machine's executions (of this stack's region) in a scope of its own."""
        if self._elsewhere(machine):
            return
        scope = self._backend_scope(kind, backend)
        _execution_alarms(self._builder, scope, backend, machine, noun)

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


# -- the alarms of each watched thing --------------------------------------------------------


def _api_alarms(builder: _AlarmBuilder, scope: Construct, http_api: apigwv2.HttpApi) -> None:
    """The alarms and the dashboard row of the API: its error rates and latencies."""
    period, api = builder.period, builder.gateway_path
    requests = http_api.metric_count(period=period, statistic="Sum", label="Requests")
    server = http_api.metric_server_error(period=period, statistic="Sum", label="5xx")
    client = http_api.metric_client_error(period=period, statistic="Sum", label="4xx")
    server_rate = builder.rate(requests, "serverErrors", server, "5xx rate (%)")
    client_rate = builder.rate(requests, "clientErrors", client, "4xx rate (%)")
    latency = http_api.metric_latency(period=period, statistic="p99")
    integration = http_api.metric_integration_latency(period=period, statistic="p99")
    alarms = _api_threshold_alarms(
        builder,
        scope,
        server_rate=server_rate,
        client_rate=client_rate,
        latency=latency,
        integration=integration,
    )
    builder.add_row(
        f"API of {api}",
        [
            builder.graph("Requests and errors", [requests, client, server]),
            builder.graph("Error rates (%)", [client_rate, server_rate]),
            builder.graph(
                "Latency p99 (ms)",
                [_labeled(latency, "Latency"), _labeled(integration, "Integration latency")],
            ),
        ],
        alarms,
    )


def _api_threshold_alarms(
    builder: _AlarmBuilder,
    scope: Construct,
    *,
    server_rate: cloudwatch.IMetric,
    client_rate: cloudwatch.IMetric,
    latency: cloudwatch.IMetric,
    integration: cloudwatch.IMetric,
) -> list[cloudwatch.Alarm | None]:
    """The API's alarms: its error rates, latency and integration latency."""
    config, api = builder.config, builder.gateway_path
    return [
        builder.threshold_alarm(
            scope,
            "ServerErrorRate",
            server_rate,
            config.server_error_rate,
            f"More than {_amount(config.server_error_rate or 0, ' %')} of the requests to "
            f"the API of {api} were answered with 5xx (server errors){builder.when()}, "
            f"counting only periods of at least {config.min_requests} requests. Check the "
            "access logs (status, integrationError, integrationErrorMessage) and the logs "
            "of the backends they name.",
        ),
        builder.threshold_alarm(
            scope,
            "ClientErrorRate",
            client_rate,
            config.client_error_rate,
            f"More than {_amount(config.client_error_rate or 0, ' %')} of the requests to "
            f"the API of {api} were answered with 4xx (client errors){builder.when()}, "
            f"counting only periods of at least {config.min_requests} requests. Check the "
            "access logs (status, routeKey, authorizerError, errorMessage): a client "
            "release calling wrong routes, expired credentials, or throttling (429).",
        ),
        builder.threshold_alarm(
            scope,
            "Latency",
            latency,
            config.latency_ms,
            f"The API of {api} took more than {_amount(config.latency_ms or 0, ' ms')} to "
            f"answer 1 % of its requests (p99){builder.when()}. Check the integration "
            "latency: when it is high too, the backends are slow; otherwise the "
            "authorizers or API Gateway itself.",
        ),
        builder.threshold_alarm(
            scope,
            "IntegrationLatency",
            integration,
            config.integration_latency_ms,
            f"The backends of the API of {api} took more than "
            f"{_amount(config.integration_latency_ms or 0, ' ms')} to answer 1 % of its "
            f"requests (p99 integration latency){builder.when()}. Check the backends: "
            "function durations and cold starts, container CPU and memory, the "
            "databases they call.",
        ),
    ]


def _cdn_alarms(
    builder: _AlarmBuilder, scope: Construct, distribution: cloudfront.Distribution
) -> None:
    """The alarm and the dashboard row of the CDN: its 5xx error rate, seen from us-east-1."""
    config, period = builder.config, builder.period
    path = node_path(distribution)
    # CloudFront publishes its metrics in us-east-1, with the dimension Region=Global,
    # which the distribution's metric methods leave out (aws-cdk#19245): without it a
    # metric names no data.
    dimensions = {"DistributionId": distribution.distribution_id, "Region": "Global"}
    requests = distribution.metric_requests(
        period=period,
        statistic="Sum",
        region=_CDN_REGION,
        dimensions_map=dimensions,
        label="Requests",
    )
    errors = distribution.metric5xx_error_rate(
        period=period,
        statistic="Average",
        region=_CDN_REGION,
        dimensions_map=dimensions,
        label="5xx error rate",
    )
    rate = cloudwatch.MathExpression(
        expression=f"IF(requests >= {config.min_requests}, errors, 0)",
        using_metrics={"requests": requests, "errors": errors},
        period=period,
        label="5xx error rate (%)",
    )
    alarms: list[cloudwatch.Alarm | None] = []
    region = Stack.of(scope).region
    if config.cdn_server_error_rate is not None and region == _CDN_REGION:
        alarms.append(
            builder.threshold_alarm(
                scope,
                "CdnServerErrorRate",
                rate,
                config.cdn_server_error_rate,
                f"More than {_amount(config.cdn_server_error_rate, ' %')} of the requests "
                f"to the CDN of {builder.gateway_path} ({path}) were answered with 5xx"
                f"{builder.when()}, counting only periods of at least "
                f"{config.min_requests} requests. When the API's own 5xx alarm is quiet, "
                "CloudFront cannot reach the API: check the distribution's access logs "
                "(sc-status, x-edge-detailed-result-type) and the origin's domain and "
                "certificate.",
            )
        )
    elif config.cdn_server_error_rate is not None:
        _warn_no_cdn_alarm(scope, builder.gateway_path, region)
    builder.add_row(
        f"CDN of {builder.gateway_path} (metrics of {_CDN_REGION})",
        [builder.graph("Requests", [requests]), builder.graph("5xx error rate (%)", [errors])],
        alarms,
    )


def _warn_no_cdn_alarm(scope: Construct, gateway_path: str, region: str) -> None:
    """Warn that no alarm can watch the CDN from a stack outside us-east-1."""
    where = "is environment-agnostic" if is_unresolved(region) else f"is in {region}"
    Annotations.of(scope).add_warning_v2(
        "cdk-front-door:cdn-alarm-region",
        f"no alarm watches the 5xx error rate of the CDN of {gateway_path}: "
        f"CloudFront publishes its metrics in {_CDN_REGION} only and a CloudWatch alarm "
        f"watches metrics of its own region, but this stack {where}. "
        "Alarms(dashboard=True) graphs them; to be paged, define an alarm on the "
        "distribution's 5xxErrorRate (dimensions DistributionId and Region=Global) in a "
        "stack in us-east-1, or set Alarms(cdn_server_error_rate=None) to silence this "
        "warning",
    )


def _function_alarms(builder: _AlarmBuilder, scope: Construct, function: lambda_.IFunction) -> None:
    """The alarms and the dashboard row of one function: its errors and throttles."""
    config, period, path = builder.config, builder.period, node_path(function)
    errors = function.metric_errors(period=period, statistic="Sum")
    throttles = function.metric_throttles(period=period, statistic="Sum")
    invocations = function.metric_invocations(period=period, statistic="Sum", label="Invocations")
    duration = function.metric_duration(period=period, statistic="p99", label="Duration p99")
    alarms = [
        builder.threshold_alarm(
            scope,
            "Errors",
            errors,
            config.function_errors,
            f"Function {path} failed at least {_amount(config.function_errors or 0, '')} "
            f"times a period{builder.when()}: unhandled exceptions, timeouts or running out "
            "of memory. Check its log group for the errors and its Duration and "
            "memory against their limits.",
            count=True,
        ),
        builder.threshold_alarm(
            scope,
            "Throttles",
            throttles,
            config.function_throttles,
            f"Invocations of function {path} were throttled at least "
            f"{_amount(config.function_throttles or 0, '')} times a period"
            f"{builder.when()}: it reached its reserved concurrency or the "
            "account's concurrency quota. Check ConcurrentExecutions, the function's "
            "reserved concurrency and the account's quota.",
            count=True,
        ),
    ]
    builder.add_row(
        f"Function {path}",
        [
            builder.graph(
                "Invocations, errors, throttles",
                [invocations, _labeled(errors, "Errors"), _labeled(throttles, "Throttles")],
            ),
            builder.graph("Duration p99 (ms)", [duration]),
        ],
        alarms,
    )


def _service_alarms(builder: _AlarmBuilder, scope: Construct, service: ContainerService) -> None:
    """The alarms and the dashboard row of one container service: its tasks, CPU and memory."""
    config, period, path = builder.config, builder.period, node_path(service)
    fargate = service.service
    cpu = fargate.metric_cpu_utilization(period=period, statistic="Average")
    memory = fargate.metric_memory_utilization(period=period, statistic="Average")
    tasks: list[cloudwatch.IMetric] = []
    tasks_alarm = None
    if config.running_tasks:
        tasks, tasks_alarm = _tasks_alarm(builder, scope, service)
    alarms = [
        tasks_alarm,
        builder.threshold_alarm(
            scope,
            "CpuUtilization",
            cpu,
            config.cpu_utilization,
            f"The tasks of container service {path} used more than "
            f"{_amount(config.cpu_utilization or 0, ' %')} of their CPU on average"
            f"{builder.when()}. Check what they are doing (container logs, requests per "
            "second), then give the service more CPU or more tasks.",
        ),
        builder.threshold_alarm(
            scope,
            "MemoryUtilization",
            memory,
            config.memory_utilization,
            f"The tasks of container service {path} used more than "
            f"{_amount(config.memory_utilization or 0, ' %')} of their memory on average"
            f"{builder.when()}: near their limit they are stopped (OutOfMemoryError). "
            "Check the container logs for leaks, then give the service more memory.",
        ),
    ]
    builder.add_row(
        f"Container service {path}",
        [
            builder.graph(
                "CPU and memory utilization (%)",
                [_labeled(cpu, "CPU"), _labeled(memory, "Memory")],
            ),
            *([builder.graph("Running tasks", tasks)] if tasks else []),
        ],
        alarms,
    )


def _tasks_alarm(
    builder: _AlarmBuilder, scope: Construct, service: ContainerService
) -> tuple[list[cloudwatch.IMetric], cloudwatch.Alarm | None]:
    """The alarm on a service's running tasks, and the metrics to graph.

    With Container Insights on the service's cluster, ``ECS/ContainerInsights`` has the
    running and desired task counts: the alarm fires when fewer run than desired.
    Without it (the default: it bills its metrics every month), ``AWS/ECS`` has only the
    utilization metrics, which ECS publishes while at least one task runs: the alarm
    fires when there are none (no sample of CPUUtilization), and only when the service
    is meant to run some."""
    path, period = node_path(service), builder.period
    fargate = service.service
    if _container_insights(service.cluster):
        return _insights_tasks_alarm(builder, scope, service)
    samples = fargate.metric("CPUUtilization", period=period, statistic="SampleCount")
    graphed: list[cloudwatch.IMetric] = [_labeled(samples, "CPU samples (0: no task runs)")]
    if _desired_count(fargate) == 0:
        return graphed, None
    alarm = builder.alarm(
        scope,
        "RunningTasks",
        samples,
        threshold=1,
        comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        watch=_Watch(
            builder.trend.evaluation_periods,
            builder.trend.datapoints_to_alarm,
            cloudwatch.TreatMissingData.BREACHING,
        ),
        description=f"Container service {path} ran no task{builder.when()} (ECS published "
        "no CPU sample of it). Check the service's events and its stopped tasks (stop "
        "reason, exit code) in the ECS console, and the container logs.",
    )
    return graphed, alarm


def _insights_tasks_alarm(
    builder: _AlarmBuilder, scope: Construct, service: ContainerService
) -> tuple[list[cloudwatch.IMetric], cloudwatch.Alarm]:
    """The task alarm of a service whose cluster has Container Insights: fewer running
    tasks than desired."""
    path, period, fargate = node_path(service), builder.period, service.service
    dimensions = {
        "ClusterName": service.cluster.cluster_name,
        "ServiceName": fargate.service_name,
    }
    running, desired = (
        cloudwatch.Metric(
            namespace="ECS/ContainerInsights",
            metric_name=name,
            dimensions_map=dimensions,
            period=period,
            statistic="Average",
            label=label,
        )
        for name, label in (
            ("RunningTaskCount", "Running"),
            ("DesiredTaskCount", "Desired"),
        )
    )
    missing = cloudwatch.MathExpression(
        expression="desired - running",
        using_metrics={"desired": desired, "running": running},
        period=period,
        label="Tasks missing",
    )
    alarm = builder.alarm(
        scope,
        "RunningTasks",
        missing,
        threshold=0,
        comparison=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        watch=builder.trend,
        description=f"Container service {path} ran fewer tasks than its desired "
        f"count{builder.when()}. Check the service's events and its stopped tasks "
        "(stop reason, exit code) in the ECS console, and the container logs.",
    )
    return [running, desired], alarm


def _execution_alarms(
    builder: _AlarmBuilder,
    scope: Construct,
    backend: IConstruct,
    machine: sfn.IStateMachine,
    noun: str,
) -> None:
    """The alarm and the dashboard row of one job or state machine: its failed executions."""
    config, period, path = builder.config, builder.period, node_path(backend)
    started = machine.metric_started(period=period, statistic="Sum", label="Started")
    succeeded = machine.metric_succeeded(period=period, statistic="Sum", label="Succeeded")
    failed = machine.metric_failed(period=period, statistic="Sum", label="Failed")
    timed_out = machine.metric_timed_out(period=period, statistic="Sum", label="Timed out")
    failures = cloudwatch.MathExpression(
        expression="FILL(failed, 0) + FILL(timedOut, 0)",
        using_metrics={"failed": failed, "timedOut": timed_out},
        period=period,
        label="Failed or timed out",
    )
    event = _Watch(1, 1, cloudwatch.TreatMissingData.NOT_BREACHING)
    alarm = builder.threshold_alarm(
        scope,
        "Failures",
        failures,
        config.job_failures,
        f"{_amount(config.job_failures or 0, '')} or more executions of {noun} {path} "
        f"failed or timed out in {builder.period_text}. Check the failed executions' "
        "events in the Step Functions console (the error and cause of the failed "
        "state) and the logs of what they ran.",
        count=True,
        watch=event,
    )
    builder.add_row(
        f"{noun.capitalize()} {path}",
        [builder.graph("Executions", [started, succeeded, failed, timed_out])],
        [alarm],
    )


# -- building blocks -------------------------------------------------------------------------


class _AlarmBuilder:
    """Defines the alarms and dashboard rows of one gateway, with its configuration and actions."""

    def __init__(
        self,
        config: Alarms,
        *,
        gateway_path: str,
        alarm_actions: list[cloudwatch.IAlarmAction],
        ok_actions: list[cloudwatch.IAlarmAction],
        dashboard: cloudwatch.Dashboard | None,
    ) -> None:
        self.config = config
        self.gateway_path = gateway_path
        self.period = config.period
        self.period_text = _duration(config.period.to_seconds())
        evaluation = config.evaluation_periods
        self.trend = _Watch(
            evaluation,
            evaluation if config.datapoints_to_alarm is None else config.datapoints_to_alarm,
            cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        """How the alarms on a trend look at their metric (all but the job alarm)."""
        self.alarm_actions = alarm_actions
        self.ok_actions = ok_actions
        self.dashboard = dashboard
        self.alarms: list[cloudwatch.Alarm] = []
        """Every alarm defined so far, in the order they were defined."""

    def rate(
        self,
        requests: cloudwatch.IMetric,
        errors_id: str,
        errors: cloudwatch.IMetric,
        label: str,
    ) -> cloudwatch.MathExpression:
        """``errors`` (named ``errors_id`` in the expression) in percent of ``requests``; 0
        in a period of fewer than ``min_requests`` requests; no value in a period without
        requests."""
        return cloudwatch.MathExpression(
            expression=_RATE_EXPRESSION.format(minimum=self.config.min_requests, errors=errors_id),
            using_metrics={"requests": requests, errors_id: errors},
            period=self.period,
            label=label,
        )

    def when(self) -> str:
        """`` in 3 of the latest 3 periods of 5 minutes``: when the trend alarms fire."""
        watch = self.trend
        if watch.evaluation_periods == 1:
            return f" in {self.period_text}"
        return (
            f" in {watch.datapoints_to_alarm} of the latest {watch.evaluation_periods} periods "
            f"of {self.period_text}"
        )

    def threshold_alarm(
        self,
        scope: Construct,
        construct_id: str,
        metric: cloudwatch.IMetric,
        threshold: float | None,
        description: str,
        *,
        count: bool = False,
        watch: _Watch | None = None,
    ) -> cloudwatch.Alarm | None:
        """An alarm when ``metric`` is above ``threshold`` (a ``count`` when it reaches it),
        over ``watch`` (default: the trend); none when ``threshold`` is None."""
        if threshold is None:
            return None
        return self.alarm(
            scope,
            construct_id,
            metric,
            threshold=threshold,
            comparison=(
                cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
                if count
                else cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
            ),
            watch=self.trend if watch is None else watch,
            description=description,
        )

    def alarm(
        self,
        scope: Construct,
        construct_id: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        comparison: cloudwatch.ComparisonOperator,
        watch: _Watch,
        description: str,
    ) -> cloudwatch.Alarm:
        """An alarm on ``metric`` that runs the gateway's actions, kept in :attr:`alarms`."""
        alarm = cloudwatch.Alarm(
            scope,
            construct_id,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=watch.evaluation_periods,
            datapoints_to_alarm=watch.datapoints_to_alarm,
            treat_missing_data=watch.missing,
            alarm_description=description[:1024],
        )
        for action in self.alarm_actions:
            alarm.add_alarm_action(action)
        for action in self.ok_actions:
            alarm.add_ok_action(action)
        self.alarms.append(alarm)
        return alarm

    def graph(self, title: str, metrics: Sequence[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
        """A graph of ``metrics``, a third of the dashboard's width."""
        return cloudwatch.GraphWidget(title=title, left=list(metrics), width=8, height=6)

    def add_row(
        self,
        title: str,
        graphs: Sequence[cloudwatch.IWidget],
        alarms: Sequence[cloudwatch.Alarm | None],
    ) -> None:
        """A row of the dashboard, when there is one: a title, the graphs, and the state of
        the alarms."""
        if self.dashboard is None:
            return
        defined = [alarm for alarm in alarms if alarm is not None]
        self.dashboard.add_widgets(
            cloudwatch.TextWidget(markdown=f"### {title}", width=24, height=1)
        )
        row = list(graphs)
        if defined:
            row.append(
                cloudwatch.AlarmStatusWidget(alarms=defined, title="Alarms", width=8, height=6)
            )
        self.dashboard.add_widgets(*row)


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


def _labeled(metric: cloudwatch.Metric, label: str) -> cloudwatch.Metric:
    """``metric`` with a label, for graphs: an alarm on a single metric keeps the plain
    form (``MetricName``, ``Statistic``), which a label would turn into a metric list."""
    return metric.with_(label=label)


def _pascal(part: str) -> str:
    """A construct id part in PascalCase, letters and digits only: ``my-fn`` -> ``MyFn``."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", part))


def _display_name(path: str) -> str:
    """The topic's display name (the sender of its e-mails, at most 100 characters)."""
    text = "Alarms of " + re.sub(r"[^A-Za-z0-9 ._/-]", "-", path)
    return text if len(text) <= 100 else text[:97] + "..."


def _container_insights(cluster: ecs.ICluster) -> bool:
    """Whether ``cluster`` is defined in this app with Container Insights on (an imported
    cluster's setting is unknown: counted as off)."""
    from aws_cdk import aws_ecs as ecs  # noqa: PLC0415 - loaded already, with the service

    if not isinstance(cluster, ecs.Cluster):
        return False
    resource = cluster.node.default_child
    if not isinstance(resource, ecs.CfnCluster):
        return False
    settings = Stack.of(cluster).resolve(resource.cluster_settings) or []
    return any(
        isinstance(setting, dict)
        and setting.get("name") == "containerInsights"
        and setting.get("value") in ("enabled", "enhanced")
        for setting in settings
    )


def _desired_count(service: ecs.FargateService) -> object:
    """The service's desired count as the template says it (a number, or a token's form)."""
    resource = service.node.default_child
    if resource is None:
        return None
    return Stack.of(service).resolve(getattr(resource, "desired_count", None))
