"""Access logs for a gateway's stage: formats, retention and the log group."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from ._jsii import implements, is_unresolved
from .errors import FrontDoorValidationError


class LogFormat(Enum):
    """The layout of each access log line.

    Every format has requestId, ip, requestTime, httpMethod, routeKey, status, protocol and
    responseLength; JSON (the default, and the only one CloudWatch Logs Insights and cdk-nag's
    structured-logging rule can parse field by field) adds the integration's status, latency
    and error, the response latency, the error and authorizer messages, the user agent, the path
    and the domain name.
    """

    JSON = "json"
    CLF = "clf"
    XML = "xml"
    CSV = "csv"


# Retention periods CloudWatch Logs accepts, in days.
RETENTION_DAYS: dict[int, logs.RetentionDays] = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}
DEFAULT_RETENTION_DAYS = 30


@dataclass(frozen=True, kw_only=True)
class AccessLogs:
    """Where and how a gateway writes one line per request.

    :param format: the line layout. Default: LogFormat.JSON
    :param retention: how long lines are kept: a number of days CloudWatch Logs accepts (1, 3,
        5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
        3288, 3653) or a ``logs.RetentionDays``. Not allowed with ``log_group``. Default: 30 days
    :param removal_policy: what happens to the log group when it leaves the stack. Not allowed
        with ``log_group``. Default: RemovalPolicy.RETAIN (logs outlive the stack, for audits)
    :param log_group: an existing log group to write to instead of a new one. Default: - a new
        log group is defined
    """

    format: LogFormat = LogFormat.JSON
    retention: logs.RetentionDays | int | None = None
    removal_policy: RemovalPolicy | None = None
    log_group: logs.ILogGroup | None = None


_COMMON_FIELDS = (
    ("requestId", "$context.requestId"),
    ("ip", "$context.identity.sourceIp"),
    ("requestTime", "$context.requestTime"),
    ("httpMethod", "$context.httpMethod"),
    ("routeKey", "$context.routeKey"),
    ("status", "$context.status"),
    ("protocol", "$context.protocol"),
    ("responseLength", "$context.responseLength"),
)
_JSON_EXTRA_FIELDS = (
    ("extendedRequestId", "$context.extendedRequestId"),
    ("requestTimeEpoch", "$context.requestTimeEpoch"),
    ("path", "$context.path"),
    ("domainName", "$context.domainName"),
    ("userAgent", "$context.identity.userAgent"),
    ("responseLatency", "$context.responseLatency"),
    ("integrationStatus", "$context.integration.status"),
    ("integrationLatency", "$context.integration.latency"),
    ("integrationRequestId", "$context.integration.requestId"),
    ("integrationError", "$context.integration.error"),
    ("integrationErrorMessage", "$context.integrationErrorMessage"),
    ("errorMessage", "$context.error.message"),
    ("errorResponseType", "$context.error.responseType"),
    ("authorizerError", "$context.authorizer.error"),
)


def format_string(log_format: LogFormat) -> str:
    """The access log format API Gateway is given for ``log_format``: a plain string."""
    if log_format is LogFormat.JSON:
        return json.dumps(dict(_COMMON_FIELDS + _JSON_EXTRA_FIELDS), separators=(",", ":"))
    if log_format is LogFormat.CLF:
        return (
            '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod '
            '$context.routeKey $context.protocol" $context.status $context.responseLength '
            "$context.requestId"
        )
    if log_format is LogFormat.XML:
        inner = "".join(f"<{name}>{value}</{name}>" for name, value in _COMMON_FIELDS[1:])
        return f'<request id="$context.requestId">{inner}</request>'
    return ",".join(value for _, value in _COMMON_FIELDS)


def validate_access_logs(
    scope: IConstruct, access_logs: bool | AccessLogs | None
) -> AccessLogs | None:
    """Check the ``access_logs`` prop and return the configuration it stands for."""
    if access_logs is None or access_logs is True:
        return AccessLogs()
    if access_logs is False:
        return None
    if not isinstance(access_logs, AccessLogs):
        raise FrontDoorValidationError(
            scope,
            "access_logs must be True, False or an AccessLogs(...), got "
            f"{type(access_logs).__name__} {access_logs!r}",
        )
    if not isinstance(access_logs.format, LogFormat):
        allowed = ", ".join(f"LogFormat.{member.name}" for member in LogFormat)
        raise FrontDoorValidationError(
            scope, f"unknown access log format {access_logs.format!r}: allowed are {allowed}"
        )
    if access_logs.log_group is not None and not implements(access_logs.log_group, logs.ILogGroup):
        raise FrontDoorValidationError(
            scope,
            f"access_logs log_group must be a logs.ILogGroup, got "
            f"{type(access_logs.log_group).__name__} {access_logs.log_group!r} (for a name use "
            "logs.LogGroup.from_log_group_name)",
        )
    if access_logs.removal_policy is not None and not isinstance(
        access_logs.removal_policy, RemovalPolicy
    ):
        raise FrontDoorValidationError(
            scope,
            "access_logs removal_policy must be a RemovalPolicy, got "
            f"{access_logs.removal_policy!r}",
        )
    if access_logs.log_group is not None:
        _validate_log_group_environment(scope, access_logs.log_group)
    if access_logs.log_group is not None and (
        access_logs.retention is not None or access_logs.removal_policy is not None
    ):
        raise FrontDoorValidationError(
            scope,
            "access_logs log_group cannot be combined with retention or removal_policy: those "
            "belong to the log group you pass; set them where it is defined",
        )
    if access_logs.retention is not None:
        retention_days(scope, access_logs.retention)
    return access_logs


def _validate_log_group_environment(scope: IConstruct, log_group: logs.ILogGroup) -> None:
    """API Gateway writes access logs only to a log group of its own account and region."""
    stack = Stack.of(scope)
    for what, theirs, ours in (
        ("account", log_group.env.account, stack.account),
        ("region", log_group.env.region, stack.region),
    ):
        if not is_unresolved(theirs) and not is_unresolved(ours) and theirs != ours:
            raise FrontDoorValidationError(
                scope,
                f"access_logs log_group {log_group.node.path} is in {what} {theirs} but the "
                f"gateway is in {ours}: API Gateway writes access logs only to a log group in "
                "its own account and region",
            )


def retention_days(
    scope: IConstruct, retention: logs.RetentionDays | int | None
) -> logs.RetentionDays:
    """The ``logs.RetentionDays`` for a retention given in days, or as the enum itself."""
    if retention is None:
        return RETENTION_DAYS[DEFAULT_RETENTION_DAYS]
    if isinstance(retention, float) and is_unresolved(retention):
        # Set on the log group's L1 by new_log_group; the L2 takes only the enum.
        return RETENTION_DAYS[DEFAULT_RETENTION_DAYS]
    if isinstance(retention, logs.RetentionDays):
        return retention
    if (
        isinstance(retention, int)
        and not isinstance(retention, bool)
        and retention in RETENTION_DAYS
    ):
        return RETENTION_DAYS[retention]
    allowed = ", ".join(str(days) for days in RETENTION_DAYS)
    raise FrontDoorValidationError(
        scope,
        f"invalid access log retention {retention!r}: CloudWatch Logs accepts {allowed} days, "
        "or a logs.RetentionDays",
    )


def new_log_group(scope: Construct, construct_id: str, config: AccessLogs) -> logs.LogGroup:
    """The access log group the gateway owns, with the configured retention (a number token
    included, which CloudFormation resolves) and removal policy."""
    log_group = logs.LogGroup(
        scope,
        construct_id,
        retention=retention_days(scope, config.retention),
        removal_policy=config.removal_policy,
    )
    if isinstance(config.retention, float) and is_unresolved(config.retention):
        # The L2 takes a RetentionDays only; a token goes on the L1 property.
        cfn_log_group = log_group.node.default_child
        assert isinstance(cfn_log_group, logs.CfnLogGroup)
        cfn_log_group.retention_in_days = config.retention
    return log_group


def stage_access_log_settings(
    stack: Stack, log_group: logs.ILogGroup, log_format: LogFormat, *, own: bool
) -> apigwv2.CfnStage.AccessLogSettingsProperty:
    """The stage's access log settings: ``log_format`` lines into ``log_group``.

    The destination is the log group's plain ARN: ``LogGroupLogDestination`` passes the ``Arn``
    attribute, which ends in ``:*``, and API Gateway stores the ARN without it, so every deploy
    would report drift. A log group the gateway defined (``own``) is in the stack's account and
    region; a given one keeps its own (an imported ARN names them even when the stack is
    environment-agnostic). Set on the L1 stage, the gateway's own group costs three jsii round
    trips instead of the dozen of the L2's destination and format callbacks.
    """
    account = region = None
    if not own:
        env = log_group.env
        account, region = env.account, env.region
    arn = stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name=log_group.log_group_name,
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
        account=account,
        region=region,
    )
    return apigwv2.CfnStage.AccessLogSettingsProperty(
        destination_arn=arn, format=format_string(log_format)
    )
