"""Alarms that page: what each alarm watches and when it fires, whom it notifies, the
dashboard, detailed route metrics, what they cost, and every bad setting refused at synth."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from aws_cdk import App, CfnParameter, Duration, Environment, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Annotations, Match, Template
from constructs import Construct

from benchmarks.cost import fixed_monthly_cost
from cdk_front_door import (
    PUBLIC,
    Alarms,
    BatchJob,
    Container,
    ContainerService,
    FrontDoorValidationError,
    HttpApiGateway,
    HttpUrl,
    IamAuth,
    RouteTarget,
    SendMessage,
    StartExecution,
    Throttle,
)
from cdk_front_door.targets import BindContext
from cdk_front_door.testing import snapshot_context
from tests.support import inline_function, resources_of_type, single, template_of

ALARM = "AWS::CloudWatch::Alarm"
API = {"Name": "ApiId", "Value": {"Ref": Match.string_like_regexp("^ApiHttpApi")}}
SNS_ACTIONS = {
    "AlarmActions": [{"Ref": Match.string_like_regexp("^ApiAlarmsTopic")}],
    "OKActions": [{"Ref": Match.string_like_regexp("^ApiAlarmsTopic")}],
}
IMAGE = "public.ecr.aws/nginx/nginx:stable"


def stack_in(region: str | None, name: str = "Observed") -> Stack:
    env = None if region is None else Environment(account="123456789012", region=region)
    return Stack(App(context=snapshot_context()), name, env=env)


def observed(stack: Stack, **options: Any) -> HttpApiGateway:
    """A gateway with alarms (the defaults unless given) and one public route to a function."""
    options.setdefault("alarms", True)
    api = HttpApiGateway(stack, "Api", **options)
    api.add_route("GET /hello", inline_function(stack, "Hello"), auth=PUBLIC)
    return api


def alarms_of(stack: Stack) -> dict[str, Any]:
    return resources_of_type(template_of(stack), ALARM)


def alarm_id(stack: Stack, api: HttpApiGateway, path_end: str) -> str:
    """The logical id of the alarm of ``api`` whose construct path ends with ``path_end``."""
    found = [a for a in api.alarms if a.node.path.endswith(path_end)]
    assert len(found) == 1, [a.node.path for a in api.alarms]
    resource = found[0].node.default_child
    assert isinstance(resource, cloudwatch.CfnAlarm)
    return stack.get_logical_id(resource)


def alarm(stack: Stack, api: HttpApiGateway, path_end: str) -> dict[str, Any]:
    """The properties of the alarm of ``api`` whose construct path ends with ``path_end``."""
    logical_id = alarm_id(stack, api, path_end)
    properties: dict[str, Any] = template_of(stack)["Resources"][logical_id]["Properties"]
    return properties


def alarm_template(stack: Stack, api: HttpApiGateway, path_end: str) -> Template:
    """A template of the alarm of ``api`` whose construct path ends with ``path_end`` alone, so
    that no other alarm can satisfy what is asserted of it."""
    logical_id = alarm_id(stack, api, path_end)
    resource = template_of(stack)["Resources"][logical_id]
    return Template.from_json({"Resources": {logical_id: resource}})


def metric_stats(properties: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The metrics of a metric-math alarm, by their id in the expression."""
    return {
        entry["Id"]: entry["MetricStat"] for entry in properties["Metrics"] if "MetricStat" in entry
    }


def expression(properties: dict[str, Any]) -> str:
    return str(next(e["Expression"] for e in properties["Metrics"] if "Expression" in e))


def uses_metric(metric_id: str, metric_stat: dict[str, Any]) -> dict[str, Any]:
    """A pattern of the properties of a metric-math alarm whose metric ``metric_id`` has (at
    least) ``metric_stat``."""
    return {
        "Metrics": Match.array_with(
            [Match.object_like({"Id": metric_id, "MetricStat": metric_stat})]
        )
    }


def service(scope: Construct, construct_id: str = "Site", **options: Any) -> ContainerService:
    return ContainerService(
        scope,
        construct_id,
        containers=[
            Container(
                "web",
                image=ecs.ContainerImage.from_registry(IMAGE),
                port=80,
                health_check=ecs.HealthCheck(command=["CMD-SHELL", "true"]),
            )
        ],
        **options,
    )


def job(scope: Construct) -> BatchJob:
    return BatchJob(
        scope,
        "Report",
        container=Container("report", image=ecs.ContainerImage.from_registry(IMAGE)),
    )


def warnings_of(stack: Stack) -> list[str]:
    return [
        str(message.entry.data)
        for message in App.of(stack).synth().get_stack_by_name(stack.stack_name).messages  # type: ignore[union-attr]
        if message.entry.type == "aws:cdk:warning"
    ]


# -- off by default --------------------------------------------------------------------------


@pytest.mark.parametrize("setting", [None, False])
def test_a_gateway_has_no_alarms_by_default(setting: bool | None) -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=setting, cdn=True)
    api.add_route("GET /hello", inline_function(stack), auth=PUBLIC)
    template = Template.from_stack(stack)
    for kind in (ALARM, "AWS::CloudWatch::Dashboard", "AWS::SNS::Topic", "AWS::KMS::Key"):
        template.resource_count_is(kind, 0)
    assert api.alarms == []
    assert api.alarm_topic is None
    assert api.dashboard is None
    template.resource_count_is("AWS::ApiGatewayV2::Stage", 1)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"DefaultRouteSettings": {"DetailedMetricsEnabled": Match.absent()}},
    )


# -- the API ---------------------------------------------------------------------------------


def test_server_error_rate_alarms_above_1_percent_in_3_of_3_five_minute_periods() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack)
    Template.from_stack(stack).has_resource_properties(
        ALARM,
        {
            **SNS_ACTIONS,
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": 1,
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 3,
            "TreatMissingData": "notBreaching",
            "AlarmDescription": Match.string_like_regexp(
                r"More than 1 % of the requests to the API of Observed/Api were answered with "
                r"5xx .* in 3 of the latest 3 periods of 5 minutes, counting only periods of at "
                r"least 10 requests\. Check the access logs"
            ),
            "Metrics": Match.array_with(
                [
                    Match.object_like(
                        {
                            "Expression": "IF(requests >= 10, 100 * FILL(serverErrors, 0) / "
                            "requests, 0)",
                            "ReturnData": True,
                        }
                    ),
                    Match.object_like(
                        {
                            "Id": "serverErrors",
                            "MetricStat": {
                                "Metric": {
                                    "Namespace": "AWS/ApiGateway",
                                    "MetricName": "5xx",
                                    "Dimensions": [API],
                                },
                                "Period": 300,
                                "Stat": "Sum",
                            },
                            "ReturnData": False,
                        }
                    ),
                ]
            ),
        },
    )
    alarm_template(stack, api, "/Alarms/ServerErrorRate").has_resource_properties(
        ALARM,
        uses_metric("requests", {"Metric": {"MetricName": "Count"}, "Stat": "Sum", "Period": 300}),
    )


def test_client_error_rate_alarms_above_25_percent() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack)
    alarm_template(stack, api, "/Alarms/ClientErrorRate").has_resource_properties(
        ALARM,
        {
            "Threshold": 25,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            **uses_metric("clientErrors", {"Metric": {"MetricName": "4xx"}, "Stat": "Sum"}),
        },
    )
    properties = alarm(stack, api, "/Alarms/ClientErrorRate")
    assert expression(properties) == "IF(requests >= 10, 100 * FILL(clientErrors, 0) / requests, 0)"


@pytest.mark.parametrize(
    ("path_end", "metric_name", "threshold"),
    [
        ("/Alarms/Latency", "Latency", 3000),
        ("/Alarms/IntegrationLatency", "IntegrationLatency", 2500),
    ],
)
def test_latency_alarms_watch_the_p99(path_end: str, metric_name: str, threshold: int) -> None:
    stack = stack_in("us-east-1")
    api = observed(stack)
    Template.from_stack(stack).has_resource_properties(
        ALARM,
        {
            **SNS_ACTIONS,
            "Namespace": "AWS/ApiGateway",
            "MetricName": metric_name,
            "Dimensions": [API],
            "ExtendedStatistic": "p99",
            "Period": 300,
            "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold",
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 3,
            "TreatMissingData": "notBreaching",
        },
    )
    alarm_template(stack, api, path_end).has_resource_properties(
        ALARM, {"Statistic": Match.absent()}
    )


def test_an_idle_api_does_not_alarm() -> None:
    stack = stack_in("us-east-1")
    observed(stack)
    Template.from_stack(stack).all_resources_properties(ALARM, {"TreatMissingData": "notBreaching"})


def test_every_setting_reaches_the_alarms() -> None:
    stack = stack_in("us-east-1")
    api = observed(
        stack,
        alarms=Alarms(
            server_error_rate=2.5,
            client_error_rate=50,
            min_requests=100,
            latency_ms=1000,
            integration_latency_ms=800.5,
            function_errors=1,
            function_throttles=2,
            period=Duration.minutes(1),
            evaluation_periods=5,
            datapoints_to_alarm=4,
        ),
    )
    alarm_template(stack, api, "/Alarms/ServerErrorRate").has_resource_properties(
        ALARM,
        {
            "Threshold": 2.5,
            "EvaluationPeriods": 5,
            "DatapointsToAlarm": 4,
            "AlarmDescription": Match.string_like_regexp(
                "in 4 of the latest 5 periods of 1 minute"
            ),
        },
    )
    server = alarm(stack, api, "/Alarms/ServerErrorRate")
    assert expression(server).startswith("IF(requests >= 100,")
    assert {stat["Period"] for stat in metric_stats(server).values()} == {60}
    for path_end, threshold in (
        ("/Alarms/ClientErrorRate", 50),
        ("/Alarms/Latency", 1000),
        ("/Alarms/IntegrationLatency", 800.5),
        ("/Throttles", 2),
    ):
        alarm_template(stack, api, path_end).has_resource_properties(
            ALARM, {"Threshold": threshold}
        )
    alarm_template(stack, api, "/Errors").has_resource_properties(
        ALARM, {"Threshold": 1, "Period": 60}
    )


def test_none_defines_no_such_alarm() -> None:
    stack = stack_in("us-east-1")
    api = observed(
        stack,
        alarms=Alarms(
            server_error_rate=None,
            client_error_rate=None,
            latency_ms=None,
            integration_latency_ms=None,
            function_errors=None,
        ),
    )
    assert [a.node.path for a in api.alarms] == ["Observed/Api/Alarms/FunctionHello/Throttles"]


def test_a_threshold_may_be_a_number_token() -> None:
    stack = stack_in("us-east-1")
    limit = CfnParameter(stack, "Limit", type="Number", default=2).value_as_number
    api = observed(stack, alarms=Alarms(server_error_rate=limit))
    alarm_template(stack, api, "/Alarms/ServerErrorRate").has_resource_properties(
        ALARM,
        {
            "Threshold": Match.object_equals({"Ref": "Limit"}),
            "AlarmDescription": Match.string_like_regexp(
                "More than the configured threshold of the requests"
            ),
        },
    )


# -- functions -------------------------------------------------------------------------------


def test_a_routed_function_alarms_on_its_errors_and_throttles() -> None:
    stack = stack_in("us-east-1")
    observed(stack)
    function = {"Name": "FunctionName", "Value": {"Ref": Match.string_like_regexp("^Hello")}}
    for metric_name, words in (("Errors", "failed at least 5"), ("Throttles", "were throttled")):
        Template.from_stack(stack).has_resource_properties(
            ALARM,
            {
                **SNS_ACTIONS,
                "Namespace": "AWS/Lambda",
                "MetricName": metric_name,
                "Dimensions": [function],
                "Statistic": "Sum",
                "Period": 300,
                "Threshold": 5,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "EvaluationPeriods": 3,
                "DatapointsToAlarm": 3,
                "TreatMissingData": "notBreaching",
                "AlarmDescription": Match.string_like_regexp(
                    f"[Ff]unction Observed/Hello {words} .* in 3 of the latest 3 periods"
                ),
            },
        )


def test_a_function_behind_several_routes_is_watched_once() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack)
    hello = stack.node.find_child("Hello")
    assert isinstance(hello, lambda_.Function)
    api.add_route("POST /hello", hello, auth=PUBLIC)
    api.add_route("GET /other", inline_function(stack, "Other"), auth=PUBLIC)
    paths = [a.node.path.removeprefix("Observed/Api/Alarms/") for a in api.alarms]
    assert paths == [
        "ServerErrorRate",
        "ClientErrorRate",
        "Latency",
        "IntegrationLatency",
        "FunctionHello/Errors",
        "FunctionHello/Throttles",
        "FunctionOther/Errors",
        "FunctionOther/Throttles",
    ]


def test_each_gateway_routing_to_a_function_watches_it() -> None:
    stack = stack_in("us-east-1")
    function = inline_function(stack)
    for name in ("Public", "Internal"):
        HttpApiGateway(stack, name, alarms=True).add_route("GET /", function, auth=PUBLIC)
    errors = [
        properties
        for properties in (a["Properties"] for a in alarms_of(stack).values())
        if properties.get("MetricName") == "Errors"
    ]
    assert len(errors) == 2
    topics = {e["AlarmActions"][0]["Ref"][:14] for e in errors}
    assert topics == {"PublicAlarmsTo", "InternalAlarms"}


def test_an_alias_is_watched_with_the_metrics_it_gives() -> None:
    stack = stack_in("us-east-1")
    function = inline_function(stack)
    live = lambda_.Alias(stack, "Live", alias_name="live", version=function.current_version)
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("GET /", live, auth=PUBLIC)
    dimensions = alarm(stack, api, "/FunctionLive/Errors")["Dimensions"]
    assert {d["Name"] for d in dimensions} == {"FunctionName", "Resource"}


def test_an_imported_function_is_watched_by_its_name() -> None:
    stack = stack_in("us-east-1")
    imported = lambda_.Function.from_function_arn(
        stack, "Legacy", "arn:aws:lambda:us-east-1:123456789012:function:legacy"
    )
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("GET /", imported, auth=PUBLIC)
    alarm_template(stack, api, "/FunctionLegacy/Errors").has_resource_properties(
        ALARM,
        {"Dimensions": [Match.object_equals({"Name": "FunctionName", "Value": "legacy"})]},
    )


def test_a_function_in_another_region_is_not_watched_and_warned_of() -> None:
    stack = stack_in("us-east-1")
    elsewhere = lambda_.Function.from_function_arn(
        stack, "Far", "arn:aws:lambda:eu-west-1:123456789012:function:far"
    )
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("GET /", elsewhere, auth=PUBLIC)
    assert not [a for a in api.alarms if "Far" in a.node.path]
    Annotations.from_stack(stack).has_warning(
        "/Observed/Api/Alarms",
        Match.string_like_regexp(".*cannot watch Observed/Far: it is in region eu-west-1.*"),
    )


# -- container services ----------------------------------------------------------------------


def test_a_service_without_container_insights_alarms_when_no_task_runs() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("ANY /{proxy+}", service(stack), auth=PUBLIC)
    alarm_template(stack, api, "/ServiceSite/RunningTasks").has_resource_properties(
        ALARM,
        {
            "Namespace": "AWS/ECS",
            "MetricName": "CPUUtilization",
            "Statistic": "SampleCount",
            "ComparisonOperator": "LessThanThreshold",
            "Threshold": 1,
            # ECS publishes nothing for a service without a running task: that is the outage.
            "TreatMissingData": "breaching",
            "AlarmDescription": Match.string_like_regexp(
                "Container service Observed/Site ran no task"
            ),
        },
    )
    properties = alarm(stack, api, "/ServiceSite/RunningTasks")
    assert {d["Name"] for d in properties["Dimensions"]} == {"ClusterName", "ServiceName"}


def test_a_service_with_container_insights_alarms_below_its_desired_count() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("ANY /{proxy+}", service(stack, container_insights=True), auth=PUBLIC)
    properties = alarm(stack, api, "/ServiceSite/RunningTasks")
    assert expression(properties) == "desired - running"
    stats = metric_stats(properties)
    assert {s["Metric"]["Namespace"] for s in stats.values()} == {"ECS/ContainerInsights"}
    template = alarm_template(stack, api, "/ServiceSite/RunningTasks")
    template.has_resource_properties(
        ALARM,
        {
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": 0,
            "TreatMissingData": "notBreaching",
        },
    )
    template.has_resource_properties(
        ALARM, uses_metric("running", {"Metric": {"MetricName": "RunningTaskCount"}})
    )
    template.has_resource_properties(
        ALARM, uses_metric("desired", {"Metric": {"MetricName": "DesiredTaskCount"}})
    )


def test_a_service_meant_to_run_no_task_has_no_task_alarm() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("ANY /{proxy+}", service(stack, desired_count=0), auth=PUBLIC)
    names = [a.node.id for a in api.alarms if "/ServiceSite/" in a.node.path]
    assert names == ["CpuUtilization", "MemoryUtilization"]


@pytest.mark.parametrize("metric_name", ["CPUUtilization", "MemoryUtilization"])
def test_a_service_alarms_on_high_cpu_and_memory(metric_name: str) -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True)
    site = service(stack)
    api.add_route("ANY /{proxy+}", site, auth=PUBLIC)
    api.add_route("GET /", site, auth=PUBLIC)
    Template.from_stack(stack).has_resource_properties(
        ALARM,
        {
            **SNS_ACTIONS,
            "Namespace": "AWS/ECS",
            "MetricName": metric_name,
            "Statistic": "Average",
            "Period": 300,
            "Threshold": 80,
            "ComparisonOperator": "GreaterThanThreshold",
            "EvaluationPeriods": 3,
            "TreatMissingData": "notBreaching",
        },
    )
    assert len([a for a in api.alarms if "/ServiceSite/" in a.node.path]) == 3


def test_running_tasks_false_defines_no_task_alarm() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=Alarms(running_tasks=False))
    api.add_route("ANY /{proxy+}", service(stack), auth=PUBLIC)
    assert not [a for a in api.alarms if a.node.id == "RunningTasks"]


# -- jobs and state machines -----------------------------------------------------------------


def test_a_job_alarms_at_once_on_a_failed_or_timed_out_execution() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True, default_auth=IamAuth())
    report = job(stack)
    api.add_route("POST /reports", report)
    api.add_route("POST /reports/again", report.start_target(name="$request.header.key"))
    api.add_route("POST /reports/stop", report.stop_target())
    failures = [a for a in api.alarms if a.node.path.endswith("/JobReport/Failures")]
    assert len(failures) == 1
    properties = alarm(stack, api, "/JobReport/Failures")
    assert expression(properties) == "FILL(failed, 0) + FILL(timedOut, 0)"
    stats = metric_stats(properties)
    assert {s["Metric"]["Namespace"] for s in stats.values()} == {"AWS/States"}
    assert {s["Stat"] for s in stats.values()} == {"Sum"}
    template = alarm_template(stack, api, "/JobReport/Failures")
    template.has_resource_properties(
        ALARM,
        {
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Threshold": 1,
            # A failed job is an event: one period is enough, whatever evaluation_periods says.
            "EvaluationPeriods": 1,
            "DatapointsToAlarm": 1,
            "TreatMissingData": "notBreaching",
            "AlarmDescription": Match.string_like_regexp(
                "executions of job Observed/Report failed or timed out"
            ),
            **uses_metric("failed", {"Metric": {"MetricName": "ExecutionsFailed"}}),
        },
    )
    template.has_resource_properties(
        ALARM, uses_metric("timedOut", {"Metric": {"MetricName": "ExecutionsTimedOut"}})
    )


def test_a_state_machine_started_by_a_route_alarms_on_failed_executions() -> None:
    stack = stack_in("us-east-1")
    machine = sfn.StateMachine(
        stack, "Orders", definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "P"))
    )
    api = HttpApiGateway(stack, "Api", alarms=Alarms(job_failures=3))
    api.add_route("POST /orders", StartExecution(machine), auth=IamAuth())
    alarm_template(stack, api, "/StateMachineOrders/Failures").has_resource_properties(
        ALARM,
        {
            "Threshold": 3,
            "AlarmDescription": Match.string_like_regexp("state machine Observed/Orders"),
        },
    )


def test_targets_with_nothing_to_watch_add_no_alarm() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True, default_auth=IamAuth())
    api.add_route("GET /url", HttpUrl("https://backend.example.com"))
    api.add_route("POST /queue", SendMessage(sqs.Queue(stack, "Queue", enforce_ssl=True)))
    assert len(api.alarms) == 4


class _BucketTarget(RouteTarget):
    """A target of the user's own whose backend the alarms do not know."""

    def __init__(self, bucket: s3.Bucket) -> None:
        self.bucket = bucket

    def target_id(self, gateway_stack: Stack) -> str:
        return "Bucket"

    @property
    def backend(self) -> Construct:
        return self.bucket

    def bind(self, context: BindContext) -> Any:
        return HttpUrl("https://bucket.example.com").bind(context)


def test_a_backend_the_alarms_do_not_know_is_warned_of() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("GET /files", _BucketTarget(s3.Bucket(stack, "Files")), auth=PUBLIC)
    Annotations.from_stack(stack).has_warning(
        "/Observed/Api/Alarms",
        Match.string_like_regexp(".*cannot watch Observed/Files \\(Bucket\\).*"),
    )


def test_backends_with_names_that_read_alike_get_their_own_scopes() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", alarms=True)
    api.add_route("GET /a", inline_function(stack, "my-fn"), auth=PUBLIC)
    api.add_route("GET /b", inline_function(stack, "MyFn"), auth=PUBLIC)
    scopes = {a.node.scope.node.id for a in api.alarms if a.node.id == "Errors"}  # type: ignore[union-attr]
    assert len(scopes) == 2
    assert "FunctionMyFn" in scopes
    assert all("|" not in scope for scope in scopes)


# -- the CDN ---------------------------------------------------------------------------------


def test_the_cdn_5xx_rate_is_watched_in_us_east_1() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack, cdn=True)
    properties = alarm(stack, api, "/Alarms/CdnServerErrorRate")
    assert expression(properties) == "IF(requests >= 10, errors, 0)"
    errors = metric_stats(properties)["errors"]
    dimensions = {d["Name"]: d["Value"] for d in errors["Metric"]["Dimensions"]}
    assert dimensions["Region"] == "Global"
    assert set(dimensions) == {"DistributionId", "Region"}
    template = alarm_template(stack, api, "/Alarms/CdnServerErrorRate")
    template.has_resource_properties(
        ALARM,
        {
            "Threshold": 5,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            **uses_metric(
                "errors",
                {
                    "Metric": {"Namespace": "AWS/CloudFront", "MetricName": "5xxErrorRate"},
                    "Stat": "Average",
                },
            ),
        },
    )
    template.has_resource_properties(
        ALARM, uses_metric("requests", {"Metric": {"MetricName": "Requests"}})
    )


@pytest.mark.parametrize(("region", "where"), [("eu-west-1", "is in eu-west-1"), (None, "is env")])
def test_the_cdn_is_not_watched_outside_us_east_1_and_a_warning_says_why(
    region: str | None, where: str
) -> None:
    stack = stack_in(region)
    api = observed(stack, cdn=True)
    assert not [a for a in api.alarms if a.node.id == "CdnServerErrorRate"]
    Annotations.from_stack(stack).has_warning(
        "/Observed/Api/Alarms",
        Match.string_like_regexp(
            f".*CloudFront publishes its metrics in us-east-1 only.*this stack {where}.*"
        ),
    )


def test_no_cdn_warning_when_its_alarm_is_turned_off() -> None:
    stack = stack_in("eu-west-1")
    observed(stack, cdn=True, alarms=Alarms(cdn_server_error_rate=None))
    assert not [w for w in warnings_of(stack) if "cdn-alarm-region" in w]


# -- whom the alarms notify ------------------------------------------------------------------


def test_a_new_topic_is_encrypted_with_a_rotated_key_cloudwatch_may_use() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SNS::Topic", 1)
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                            }
                        )
                    ]
                )
            },
        },
    )
    template.has_resource_properties(
        "AWS::SNS::Topic",
        {"KmsMasterKeyId": {"Fn::GetAtt": [Match.string_like_regexp("^ApiAlarmsTopicKey"), "Arn"]}},
    )
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        ),
                        Match.object_like(
                            {
                                "Action": "sns:Publish",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                                "Condition": {
                                    "StringEquals": {"aws:SourceAccount": "123456789012"},
                                    "ArnLike": {"aws:SourceArn": Match.any_value()},
                                },
                            }
                        ),
                    ]
                )
            }
        },
    )
    assert isinstance(api.alarm_topic, sns.Topic)
    template.has_output(
        "*", {"Description": Match.string_like_regexp("^Alarm topic of Observed/Api")}
    )


def test_no_topic_output_without_outputs() -> None:
    stack = stack_in("us-east-1")
    observed(stack, outputs=False)
    assert "Outputs" not in template_of(stack) or not [
        o for o in template_of(stack)["Outputs"].values() if "Alarm topic" in o["Description"]
    ]


def test_a_given_topic_is_notified_and_none_is_made() -> None:
    stack = stack_in("us-east-1")
    topic = sns.Topic.from_topic_arn(stack, "Pager", "arn:aws:sns:us-east-1:123456789012:pager")
    api = observed(stack, alarms=Alarms(topic=topic))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SNS::Topic", 0)
    template.resource_count_is("AWS::KMS::Key", 0)
    template.all_resources_properties(
        ALARM,
        {
            "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:pager"],
            "OKActions": ["arn:aws:sns:us-east-1:123456789012:pager"],
        },
    )
    assert api.alarm_topic is topic


def test_given_actions_run_when_an_alarm_fires_and_no_topic_is_made() -> None:
    stack = stack_in("us-east-1")
    topic = sns.Topic.from_topic_arn(stack, "Pager", "arn:aws:sns:us-east-1:123456789012:pager")
    api = observed(stack, alarms=Alarms(actions=[cloudwatch_actions.SnsAction(topic)]))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SNS::Topic", 0)
    template.all_resources_properties(
        ALARM,
        {
            "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:pager"],
            "OKActions": Match.absent(),
        },
    )
    assert api.alarm_topic is None


def test_no_actions_define_alarms_that_notify_nobody() -> None:
    stack = stack_in("us-east-1")
    observed(stack, alarms=Alarms(actions=[]))
    Template.from_stack(stack).all_resources_properties(ALARM, {"AlarmActions": Match.absent()})


# -- the dashboard and detailed metrics ------------------------------------------------------


def test_the_dashboard_graphs_the_same_metrics_and_the_alarms() -> None:
    stack = stack_in("eu-west-1")
    api = observed(stack, alarms=Alarms(dashboard=True), cdn=True)
    api.add_route("ANY /{proxy+}", service(stack), auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    template.has_resource_properties(
        "AWS::CloudWatch::Dashboard", {"DashboardName": Match.absent()}
    )
    dashboard = single(template.to_json(), "AWS::CloudWatch::Dashboard")["Properties"]
    body = str(stack.resolve(dashboard["DashboardBody"]))
    for text in (
        '"AWS/ApiGateway","Count"',
        "IF(requests >= 10, 100 * FILL(serverErrors, 0) / requests, 0)",
        '"stat":"p99"',
        '"AWS/Lambda","Errors"',
        '"AWS/ECS","CPUUtilization"',
        '"AWS/CloudFront","5xxErrorRate"',
        '"region":"us-east-1"',
        '"type":"alarm"',
        "### Function Observed/Hello",
        "### Container service Observed/Site",
    ):
        assert text in body, text
    assert api.dashboard is not None
    assert api.dashboard.node.path == "Observed/Api/Alarms/Dashboard"


def test_no_dashboard_unless_asked_for() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack)
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Dashboard", 0)
    assert api.dashboard is None


def test_detailed_metrics_are_on_for_the_stage_and_every_throttled_route() -> None:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", detailed_metrics=True)
    fn = inline_function(stack)
    api.add_route("GET /a", fn, auth=PUBLIC)
    api.add_route("POST /a", fn, auth=PUBLIC, throttle=Throttle(rate_limit=5, burst_limit=10))
    Template.from_stack(stack).has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {
            "DefaultRouteSettings": {
                "DetailedMetricsEnabled": True,
                "ThrottlingRateLimit": 1000,
                "ThrottlingBurstLimit": 500,
            },
            # A route's own settings replace the stage's: they say it again.
            "RouteSettings": {
                "POST /a": {
                    "DetailedMetricsEnabled": True,
                    "ThrottlingRateLimit": 5,
                    "ThrottlingBurstLimit": 10,
                }
            },
        },
    )


# -- attributes and cost ---------------------------------------------------------------------


def test_the_alarms_attribute_is_a_copy() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack)
    api.alarms.clear()
    assert len(api.alarms) == 6


def test_alarms_cost_10_cents_a_month_per_metric_they_evaluate() -> None:
    stack = stack_in("us-east-1")
    api = observed(stack, alarms=Alarms(dashboard=True))
    api.add_route("ANY /{proxy+}", service(stack), auth=PUBLIC)
    api.add_route("POST /reports", job(stack), auth=IamAuth())
    cost = fixed_monthly_cost(template_of(stack))
    # API 6 metrics, a function 2, a service 3, a job 2.
    assert cost["CloudWatch alarms"] == round(13 * 0.10, 2)
    assert cost["dashboards"] == 3.00
    assert cost["KMS keys"] == 1.00


# -- bad settings ----------------------------------------------------------------------------

_NAN = math.nan


@pytest.mark.parametrize(
    ("alarms", "message"),
    [
        ("yes", r"alarms must be True, False or an Alarms\(\.\.\.\), got str 'yes'"),
        (1, r"alarms must be True, False or an Alarms\(\.\.\.\), got int 1"),
        (Alarms(server_error_rate=100), r"server_error_rate must be below 100 %, got 100"),
        (Alarms(server_error_rate=-1), r"server_error_rate must be a number from 0 to 100 %"),
        (Alarms(client_error_rate=_NAN), r"client_error_rate must be a finite number, got nan"),
        (Alarms(client_error_rate=math.inf), r"client_error_rate must be a finite number, got inf"),
        (Alarms(server_error_rate=True), r"server_error_rate must be a finite number, got bool"),
        (Alarms(server_error_rate="1"), r"server_error_rate must be a finite number, got str"),  # type: ignore[arg-type]
        (Alarms(server_error_rate=[1]), r"server_error_rate must be a finite number, got list"),  # type: ignore[arg-type]
        (Alarms(cdn_server_error_rate=101), r"cdn_server_error_rate must be a number from 0 to"),
        (Alarms(cpu_utilization=0), r"cpu_utilization must be above 0 %, got 0"),
        (Alarms(memory_utilization=100), r"memory_utilization must be below 100 %, got 100"),
        (Alarms(latency_ms=0), r"latency_ms must be above 0 ms, got 0"),
        (Alarms(latency_ms=30_001), r"latency_ms must be a number from 0 to 30000 ms"),
        (Alarms(integration_latency_ms=-_NAN), r"integration_latency_ms must be a finite number"),
        (Alarms(integration_latency_ms=10**400), r"integration_latency_ms must be a finite"),
        (Alarms(function_errors=0), r"function_errors must be a whole number from 1 to"),
        (Alarms(function_throttles=1.5), r"function_throttles must be a whole number, got float"),  # type: ignore[arg-type]
        (Alarms(job_failures=True), r"job_failures must be a whole number, got bool True"),
        (Alarms(min_requests=-1), r"min_requests must be a whole number from 0 to"),
        (Alarms(min_requests=None), r"min_requests must be a whole number, got None"),  # type: ignore[arg-type]
        (Alarms(period=Duration.seconds(30)), r"period must be whole minutes .* got 30 s"),
        (Alarms(period=Duration.seconds(90)), r"period must be whole minutes .* got 90 s"),
        (Alarms(period=Duration.days(2)), r"period must be whole minutes .* got 172800 s"),
        (Alarms(period=300), r"alarms period must be a Duration, got int 300"),  # type: ignore[arg-type]
        (Alarms(evaluation_periods=0), r"evaluation_periods must be a whole number from 1 to 288"),
        (Alarms(evaluation_periods=289), r"evaluation_periods .* 288 periods of 5 minutes"),
        (
            Alarms(period=Duration.hours(1), evaluation_periods=25),
            r"evaluation_periods must be a whole number from 1 to 24 .* 24 periods of 1 hour",
        ),
        (Alarms(evaluation_periods=True), r"evaluation_periods must be a whole number, got bool"),
        (Alarms(datapoints_to_alarm=4), r"datapoints_to_alarm must be .* from 1 to 3 .*got 4"),
        (Alarms(datapoints_to_alarm=0), r"datapoints_to_alarm must be a whole number from 1"),
        (Alarms(running_tasks=1), r"alarms running_tasks must be true or false, got int 1"),  # type: ignore[arg-type]
        (Alarms(dashboard="yes"), r"alarms dashboard must be true or false, got str 'yes'"),  # type: ignore[arg-type]
        (
            Alarms(topic="arn:aws:sns:us-east-1:123456789012:pager"),  # type: ignore[arg-type]
            r"alarms topic must be an sns\.ITopic or None, got str",
        ),
        (
            Alarms(actions="arn:aws:sns:us-east-1:123456789012:pager"),  # type: ignore[arg-type]
            r"alarms actions must be a list of cloudwatch\.IAlarmActions or None, got str",
        ),
    ],
)
def test_fails_on_a_bad_setting(alarms: object, message: str) -> None:
    stack = stack_in("us-east-1")
    with pytest.raises(FrontDoorValidationError, match=message) as caught:
        HttpApiGateway(stack, "Api", alarms=alarms)  # type: ignore[arg-type]
    assert str(caught.value).endswith("(at Observed/Api)")


def test_fails_when_an_action_is_not_an_alarm_action() -> None:
    stack = stack_in("us-east-1")
    topic = sns.Topic(stack, "Pager")
    with pytest.raises(FrontDoorValidationError, match=r"alarms actions\[0\] must be a cloud"):
        HttpApiGateway(stack, "Api", alarms=Alarms(actions=[topic]))  # type: ignore[list-item]


def test_fails_when_both_topic_and_actions_are_given() -> None:
    stack = stack_in("us-east-1")
    topic = sns.Topic(stack, "Pager")
    with pytest.raises(FrontDoorValidationError, match="topic and actions cannot both be given"):
        HttpApiGateway(
            stack,
            "Api",
            alarms=Alarms(topic=topic, actions=[cloudwatch_actions.SnsAction(topic)]),
        )


def test_fails_when_an_imported_topic_is_in_another_region() -> None:
    stack = stack_in("us-east-1")
    topic = sns.Topic.from_topic_arn(stack, "Pager", "arn:aws:sns:eu-west-1:123456789012:pager")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"alarms topic Observed/Pager is in region eu-west-1 but the gateway's stack is in "
        r"us-east-1: a CloudWatch alarm notifies only topics of its own region",
    ):
        HttpApiGateway(stack, "Api", alarms=Alarms(topic=topic))


def test_fails_when_a_topic_of_another_stack_is_in_another_region() -> None:
    stack = stack_in("us-east-1")
    app = App.of(stack)
    assert app is not None
    other = Stack(app, "Paging", env=Environment(account="123456789012", region="eu-west-1"))
    with pytest.raises(FrontDoorValidationError, match=r"Paging/Pager is in region eu-west-1"):
        HttpApiGateway(stack, "Api", alarms=Alarms(topic=sns.Topic(other, "Pager")))


def test_a_topic_of_unknown_region_is_accepted() -> None:
    stack = stack_in(None)
    topic = sns.Topic.from_topic_arn(stack, "Pager", "arn:aws:sns:eu-west-1:123456789012:pager")
    assert HttpApiGateway(stack, "Api", alarms=Alarms(topic=topic)).alarm_topic is topic


def test_fails_when_min_requests_is_a_token() -> None:
    stack = stack_in("us-east-1")
    minimum = CfnParameter(stack, "Minimum", type="Number", default=10).value_as_number
    with pytest.raises(
        FrontDoorValidationError, match=r"min_requests must be known at synth time \(it is written"
    ):
        HttpApiGateway(stack, "Api", alarms=Alarms(min_requests=minimum))  # type: ignore[arg-type]


def test_fails_when_the_period_is_a_token() -> None:
    stack = stack_in("us-east-1")
    seconds = CfnParameter(stack, "Seconds", type="Number", default=300).value_as_number
    with pytest.raises(FrontDoorValidationError, match=r"alarms period must be known at synth"):
        HttpApiGateway(stack, "Api", alarms=Alarms(period=Duration.seconds(seconds)))


@pytest.mark.parametrize("value", [1, "yes", None, _NAN])
def test_fails_when_detailed_metrics_is_not_a_bool(value: object) -> None:
    stack = stack_in("us-east-1")
    with pytest.raises(
        FrontDoorValidationError, match=r"detailed_metrics must be true or false, got"
    ):
        HttpApiGateway(stack, "Api", detailed_metrics=value)  # type: ignore[arg-type]


# -- the example -----------------------------------------------------------------------------


def test_observability_example_watches_its_functions_and_job_with_a_dashboard() -> None:
    from examples.observability.app import build  # noqa: PLC0415 - one example's build

    stack = build(App(context=snapshot_context()))
    template = Template.from_stack(stack)
    scopes = {
        re.sub(r"[0-9A-F]{8}$", "", logical_id).removeprefix("ApiAlarms")
        for logical_id in resources_of_type(template.to_json(), ALARM)
    }
    assert scopes == {
        "ServerErrorRate",
        "ClientErrorRate",
        "Latency",
        "IntegrationLatency",
        "FunctionHelloErrors",
        "FunctionHelloThrottles",
        "FunctionOrdersErrors",
        "FunctionOrdersThrottles",
        "JobReportFailures",
    }
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    template.resource_count_is("AWS::ApiGatewayV2::Stage", 1)
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage", {"DefaultRouteSettings": {"DetailedMetricsEnabled": True}}
    )
    assert fixed_monthly_cost(template.to_json()) == {
        "KMS keys": 1.00,
        "CloudWatch alarms": 1.20,
        "dashboards": 3.00,
    }
