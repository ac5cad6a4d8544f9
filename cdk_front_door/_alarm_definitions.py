"""The alarms and dashboard rows of each thing a gateway's alarms watch, and the builder that
defines them with the gateway's configuration and actions.

:class:`cdk_front_door.alarms.GatewayAlarms` decides what is watched and where each thing's
alarms are defined; the functions here say what watching it means: which metrics, which
thresholds of :class:`~cdk_front_door.alarms.Alarms`, what each alarm's description tells the
person it pages, and the dashboard row beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import Annotations, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from constructs import Construct, IConstruct

from ._jsii import is_unresolved, node_path

if TYPE_CHECKING:
    from aws_cdk import aws_cloudfront as cloudfront
    from aws_cdk import aws_ecs as ecs
    from aws_cdk import aws_stepfunctions as sfn

    from .alarms import Alarms
    from .containers import ContainerService


_CDN_REGION = "us-east-1"
_RATE_EXPRESSION = "IF(requests >= {minimum}, 100 * FILL({errors}, 0) / requests, 0)"


def duration_text(seconds: float) -> str:
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


@dataclass(frozen=True)
class Watch:
    """How the alarms of one period look at their metric."""

    evaluation_periods: int
    datapoints_to_alarm: int
    missing: cloudwatch.TreatMissingData


def api_alarms(builder: AlarmBuilder, scope: Construct, http_api: apigwv2.HttpApi) -> None:
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
    builder: AlarmBuilder,
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


def cdn_alarms(
    builder: AlarmBuilder, scope: Construct, distribution: cloudfront.Distribution
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


def function_alarms(builder: AlarmBuilder, scope: Construct, function: lambda_.IFunction) -> None:
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


def service_alarms(builder: AlarmBuilder, scope: Construct, service: ContainerService) -> None:
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
    builder: AlarmBuilder, scope: Construct, service: ContainerService
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
        watch=Watch(
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
    builder: AlarmBuilder, scope: Construct, service: ContainerService
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


def execution_alarms(
    builder: AlarmBuilder,
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
    event = Watch(1, 1, cloudwatch.TreatMissingData.NOT_BREACHING)
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


class AlarmBuilder:
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
        self.period_text = duration_text(config.period.to_seconds())
        evaluation = config.evaluation_periods
        self.trend = Watch(
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
        watch: Watch | None = None,
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
        watch: Watch,
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


def _labeled(metric: cloudwatch.Metric, label: str) -> cloudwatch.Metric:
    """``metric`` with a label, for graphs: an alarm on a single metric keeps the plain
    form (``MetricName``, ``Statistic``), which a label would turn into a metric list."""
    return metric.with_(label=label)


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
