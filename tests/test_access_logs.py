from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import App, Environment, RemovalPolicy, Stack
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Match, Template

from cdk_front_door import AccessLogs, FrontDoorValidationError, HttpApiGateway, LogFormat
from cdk_front_door.access_logs import format_string
from cdk_front_door.testing import TEST_ENV, snapshot_context
from tests.support import has_one, nag_report, new_stack, single, template_of

STAGE = "AWS::ApiGatewayV2::Stage"
LOG_GROUP = "AWS::Logs::LogGroup"
REQUIRED_FIELDS = (
    "$context.requestId",
    "$context.identity.sourceIp",
    "$context.requestTime",
    "$context.httpMethod",
    "$context.routeKey",
    "$context.status",
    "$context.protocol",
    "$context.responseLength",
)


def test_access_logs_default_to_json_with_30_day_retention(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    template = Template.from_stack(stack)
    template.resource_count_is(LOG_GROUP, 1)
    template.has_resource(
        LOG_GROUP,
        {
            "Properties": Match.object_equals({"RetentionInDays": 30}),
            "DeletionPolicy": "Retain",
        },
    )
    assert api.log_group is not None
    has_one(
        template,
        STAGE,
        {
            "AccessLogSettings": {
                "Format": Match.serialized_json(
                    Match.object_like({"requestId": "$context.requestId"})
                ),
                "DestinationArn": Match.object_equals(
                    {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":logs:us-east-1:123456789012:log-group:",
                                stack.resolve(api.log_group.log_group_name),
                            ],
                        ]
                    }
                ),
            }
        },
    )


def test_destination_arn_has_no_trailing_wildcard(stack: Stack) -> None:
    HttpApiGateway(stack, "Api")
    settings = single(template_of(stack), STAGE)["Properties"]["AccessLogSettings"]
    assert ":*" not in json.dumps(settings["DestinationArn"])


@pytest.mark.parametrize("log_format", list(LogFormat))
def test_every_format_has_the_standard_fields(log_format: LogFormat) -> None:
    text = format_string(log_format)
    for field in REQUIRED_FIELDS:
        assert field in text
    assert len(text.encode()) < 3 * 1024  # API Gateway's limit on a format


def test_json_format_is_valid_json_with_integration_debug_fields() -> None:
    fields = json.loads(format_string(LogFormat.JSON))
    for name in (
        "requestId",
        "ip",
        "requestTime",
        "httpMethod",
        "routeKey",
        "status",
        "protocol",
        "responseLength",
        "integrationError",
        "integrationErrorMessage",
        "integrationLatency",
        "integrationStatus",
        "responseLatency",
        "authorizerError",
        "errorMessage",
    ):
        assert name in fields
    assert all(
        isinstance(value, str) and value.startswith("$context.") for value in fields.values()
    )


def test_clf_format_is_the_common_log_format() -> None:
    assert re.fullmatch(
        r'\$context\.identity\.sourceIp - - \[\$context\.requestTime\] "\$context\.httpMethod '
        r'\$context\.routeKey \$context\.protocol" \$context\.status \$context\.responseLength '
        r"\$context\.requestId",
        format_string(LogFormat.CLF),
    )


def test_xml_and_csv_formats_are_well_formed() -> None:
    xml = format_string(LogFormat.XML)
    assert xml.startswith('<request id="$context.requestId">') and xml.endswith("</request>")
    assert "<routeKey>$context.routeKey</routeKey>" in xml
    assert format_string(LogFormat.CSV).split(",") == list(REQUIRED_FIELDS)


@pytest.mark.parametrize("log_format", [LogFormat.CLF, LogFormat.XML, LogFormat.CSV])
def test_format_can_be_chosen(stack: Stack, log_format: LogFormat) -> None:
    HttpApiGateway(stack, "Api", access_logs=AccessLogs(format=log_format))
    template = Template.from_stack(stack)
    template.resource_count_is(STAGE, 1)
    template.has_resource_properties(
        STAGE, {"AccessLogSettings": {"Format": format_string(log_format)}}
    )


@pytest.mark.parametrize(
    ("retention", "days"), [(90, 90), (logs.RetentionDays.ONE_YEAR, 365), (1, 1), (3653, 3653)]
)
def test_retention_can_be_set(stack: Stack, retention: logs.RetentionDays | int, days: int) -> None:
    HttpApiGateway(stack, "Api", access_logs=AccessLogs(retention=retention))
    template = Template.from_stack(stack)
    has_one(template, LOG_GROUP, {"RetentionInDays": days})


def test_removal_policy_can_be_set(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", access_logs=AccessLogs(removal_policy=RemovalPolicy.DESTROY))
    template = Template.from_stack(stack)
    template.resource_count_is(LOG_GROUP, 1)
    template.has_resource(LOG_GROUP, {"DeletionPolicy": "Delete"})


def test_existing_log_group_is_used(stack: Stack) -> None:
    mine = logs.LogGroup(stack, "Mine", retention=logs.RetentionDays.ONE_WEEK)
    api = HttpApiGateway(stack, "Api", access_logs=AccessLogs(log_group=mine))
    template = Template.from_stack(stack)
    template.resource_count_is(LOG_GROUP, 1)
    assert api.log_group is mine
    has_one(
        template,
        STAGE,
        {
            "AccessLogSettings": {
                "DestinationArn": {
                    "Fn::Join": [
                        Match.any_value(),
                        Match.array_with([Match.object_equals(stack.resolve(mine.log_group_name))]),
                    ]
                }
            }
        },
    )


def test_access_logs_can_be_turned_off(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", access_logs=False)
    template = Template.from_stack(stack)
    template.resource_count_is(LOG_GROUP, 0)
    has_one(template, STAGE, {"AccessLogSettings": Match.absent()})
    assert api.log_group is None


def test_cdk_nag_reports_access_logs_turned_off() -> None:
    app = App(context=snapshot_context())
    HttpApiGateway(new_stack(app), "Api", access_logs=False)
    report = nag_report(app)
    assert "AwsSolutions-APIG1" in report
    assert "Serverless-APIGWAccessLogging" in report


def test_cdk_nag_reports_non_json_format_as_unstructured() -> None:
    app = App(context=snapshot_context())
    HttpApiGateway(new_stack(app), "Api", access_logs=AccessLogs(format=LogFormat.CLF))
    assert "Serverless-APIGWStructuredLogging" in nag_report(app)


@pytest.mark.parametrize(
    ("access_logs", "message"),
    [
        (
            AccessLogs(retention=31),
            r"invalid access log retention 31: CloudWatch Logs accepts 1, 3",
        ),
        (AccessLogs(retention=0), r"invalid access log retention 0"),
        (AccessLogs(retention="30"), r"invalid access log retention '30'"),  # type: ignore[arg-type]
        (AccessLogs(retention=True), r"invalid access log retention True"),
        (
            AccessLogs(format="yaml"),  # type: ignore[arg-type]
            r"unknown access log format 'yaml': allowed are LogFormat.JSON, LogFormat.CLF",
        ),
        (AccessLogs(format="json"), r"unknown access log format 'json'"),  # type: ignore[arg-type]
        ("json", r"access_logs must be True, False or an AccessLogs"),
    ],
)
def test_fails_on_invalid_access_logs(stack: Stack, access_logs: AccessLogs, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", access_logs=access_logs)


@pytest.mark.parametrize("extra", [{"retention": 30}, {"removal_policy": RemovalPolicy.DESTROY}])
def test_fails_when_log_group_is_combined_with_its_settings(
    stack: Stack, extra: dict[str, object]
) -> None:
    mine = logs.LogGroup(stack, "Mine")
    with pytest.raises(
        FrontDoorValidationError, match=r"access_logs log_group cannot be combined with retention"
    ):
        HttpApiGateway(stack, "Api", access_logs=AccessLogs(log_group=mine, **extra))  # type: ignore[arg-type]


def test_failed_validation_defines_no_resources() -> None:
    stack = new_stack()
    with pytest.raises(FrontDoorValidationError, match=r"invalid access log retention 31"):
        HttpApiGateway(stack, "Api", access_logs=AccessLogs(retention=31))
    assert template_of(stack).get("Resources", {}) == {}


@pytest.mark.parametrize(
    ("env", "arn"),
    [
        (TEST_ENV, "arn:aws:logs:us-east-1:123456789012:log-group:central"),
        # In an environment-agnostic stack the ARN's own account and region still stand.
        (None, "arn:aws:logs:eu-west-1:210987654321:log-group:central"),
    ],
)
def test_imported_log_group_arn_keeps_its_own_account_and_region(
    env: Environment | None, arn: str
) -> None:
    stack = Stack(App(context=snapshot_context()), "Logs", env=env)
    imported = logs.LogGroup.from_log_group_arn(stack, "Central", arn)
    HttpApiGateway(stack, "Api", access_logs=AccessLogs(log_group=imported))
    template = Template.from_stack(stack)
    has_one(
        template,
        STAGE,
        {
            "AccessLogSettings": {
                "DestinationArn": Match.object_equals(
                    {
                        "Fn::Join": [
                            "",
                            ["arn:", {"Ref": "AWS::Partition"}, arn.removeprefix("arn:aws")],
                        ]
                    }
                )
            }
        },
    )


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        (
            "arn:aws:logs:eu-west-1:123456789012:log-group:x",
            r"is in region eu-west-1 but the gateway is in us-east-1",
        ),
        (
            "arn:aws:logs:us-east-1:999999999999:log-group:x",
            r"is in account 999999999999 but the gateway is in 123456789012",
        ),
    ],
)
def test_fails_on_a_log_group_in_another_environment(stack: Stack, arn: str, message: str) -> None:
    imported = logs.LogGroup.from_log_group_arn(stack, "Elsewhere", arn)
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", access_logs=AccessLogs(log_group=imported))


def test_fails_on_a_log_group_given_as_a_string(stack: Stack) -> None:
    name: Any = "my-log-group"
    with pytest.raises(
        FrontDoorValidationError, match=r"access_logs log_group must be a logs.ILogGroup, got str"
    ):
        HttpApiGateway(stack, "Api", access_logs=AccessLogs(log_group=name))
    assert template_of(stack).get("Resources", {}) == {}


def test_fails_on_a_removal_policy_given_as_a_string(stack: Stack) -> None:
    policy: Any = "destroy"
    with pytest.raises(
        FrontDoorValidationError,
        match=r"access_logs removal_policy must be a RemovalPolicy, got 'destroy'",
    ):
        HttpApiGateway(stack, "Api", access_logs=AccessLogs(removal_policy=policy))


def test_the_gateways_own_log_group_is_in_the_stacks_account_and_region() -> None:
    stack = Stack(App(context=snapshot_context()), "Agnostic")
    HttpApiGateway(stack, "Api")
    template = Template.from_stack(stack)
    template.resource_count_is(STAGE, 1)
    for reference in ({"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}):
        template.has_resource_properties(
            STAGE,
            {
                "AccessLogSettings": {
                    "DestinationArn": {
                        "Fn::Join": [
                            Match.any_value(),
                            Match.array_with([Match.object_equals(reference)]),
                        ]
                    }
                }
            },
        )
    settings = single(template_of(stack), STAGE)["Properties"]["AccessLogSettings"]
    parts = stack.resolve(settings["DestinationArn"])["Fn::Join"][1]
    assert ":*" not in str(parts)
