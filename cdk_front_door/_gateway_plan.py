"""A gateway's props, validated in the order they are documented, with their defaults applied.

Each prop is checked by the module of its feature (``cors.py``, ``auth.py``, ``domains.py``,
``cdn.py`` ...); this module only calls them in order and gathers their answers into one
:class:`GatewayPlan`, before the gateway defines anything. The modules of optional features
(the CDN, origin protection, alarms) are imported only when a gateway uses them: each
aws-cdk-lib module they import costs import time on every synth of every app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from constructs import Construct

from .access_logs import AccessLogs, validate_access_logs
from .auth import RouteAuth, validate_route_auth
from .cors import Cors, resolve_cors
from .domains import CustomDomain, DomainPlan, plan_domains, plan_execute_api_endpoint
from .errors import FrontDoorValidationError, check
from .identity import Caller, IdentityHeaders, plan_identity_headers
from .throttle import DEFAULT_THROTTLE, Throttle, validate_throttle

if TYPE_CHECKING:
    from .alarms import Alarms
    from .cdn import Cdn, CdnDomainPlan
    from .origin_protection import OriginProtection

MAX_API_NAME_LENGTH = 128
_MAX_DESCRIPTION_LENGTH = 1024


@dataclass(frozen=True)
class GatewayPlan:
    """A gateway's props, validated, with their defaults applied."""

    api_name: str | None
    description: str | None
    cors: Cors | None
    access_logs: AccessLogs | None
    throttle: Throttle
    default_auth: RouteAuth | None
    domains: list[DomainPlan]
    disable_execute_api_endpoint: bool
    cdn: Cdn | None
    cdn_domains: CdnDomainPlan | None
    origin_protection: OriginProtection | None
    identity_parameters: dict[Caller, dict[str, str]]
    ipv6: bool
    detailed_metrics: bool
    alarms: Alarms | None
    outputs: bool


def plan_gateway(
    scope: Construct,
    *,
    region: str,
    api_name: object,
    description: object,
    cors: bool | Cors | None,
    access_logs: bool | AccessLogs | None,
    throttle: Throttle | None,
    default_auth: RouteAuth | None,
    domains: Sequence[CustomDomain] | None,
    disable_execute_api_endpoint: bool | None,
    cdn: bool | Cdn | None,
    origin_protection: bool | OriginProtection | None,
    identity_headers: IdentityHeaders | bool | None,
    ipv6: bool,
    detailed_metrics: bool,
    alarms: bool | Alarms | None,
    outputs: bool,
) -> GatewayPlan:
    """Validate a gateway's props, in the order they are documented, before anything is built."""
    cors_config = resolve_cors(scope, cors)
    auth = validate_route_auth(scope, default_auth, "default_auth")
    log_config = validate_access_logs(scope, access_logs)
    domain_plans = plan_domains(scope, domains, region)
    cdn_config, cdn_domains = None, None
    if cdn is not None and cdn is not False:
        from .cdn import plan_cdn  # noqa: PLC0415 - imported when used

        cdn_config, cdn_domains = plan_cdn(scope, cdn, [p.name for p in domain_plans])
    protection = _origin_protection(scope, origin_protection, has_cdn=cdn_config is not None)
    identity_parameters = plan_identity_headers(scope, identity_headers)
    if protection is not None:
        from .origin_protection import without_origin_header  # noqa: PLC0415

        identity_parameters = without_origin_header(identity_parameters, protection)
    endpoint_off = plan_execute_api_endpoint(
        scope, disable_execute_api_endpoint, domain_plans, behind_cdn=cdn_config is not None
    )
    stage_throttle = validate_throttle(
        scope, DEFAULT_THROTTLE if throttle is None else throttle, "throttle"
    )
    name, text = _name_and_description(scope, api_name, description)
    check(scope, "ipv6", ipv6, bool)
    check(scope, "detailed_metrics", detailed_metrics, bool)
    alarm_config = None
    if alarms is not None and alarms is not False:
        from .alarms import plan_alarms  # noqa: PLC0415 - imported when used

        alarm_config = plan_alarms(scope, alarms)
    check(scope, "outputs", outputs, bool)
    return GatewayPlan(
        api_name=name,
        description=text,
        cors=cors_config,
        access_logs=log_config,
        throttle=stage_throttle,
        default_auth=auth,
        domains=domain_plans,
        disable_execute_api_endpoint=endpoint_off,
        cdn=cdn_config,
        cdn_domains=cdn_domains,
        origin_protection=protection,
        identity_parameters=identity_parameters,
        ipv6=ipv6,
        detailed_metrics=detailed_metrics,
        alarms=alarm_config,
        outputs=outputs,
    )


def _origin_protection(
    scope: Construct, value: bool | OriginProtection | None, *, has_cdn: bool
) -> OriginProtection | None:
    """The ``origin_protection`` prop, validated (its module is imported only when used)."""
    if not has_cdn and (value is None or value is False):
        return None
    from .origin_protection import plan_origin_protection  # noqa: PLC0415 - imported when used

    return plan_origin_protection(scope, value, has_cdn=has_cdn)


def _name_and_description(
    scope: Construct, api_name: object, description: object
) -> tuple[str | None, str | None]:
    """``api_name`` and ``description``, validated."""
    if api_name is not None and (
        not isinstance(api_name, str) or not api_name.strip() or len(api_name) > MAX_API_NAME_LENGTH
    ):
        raise FrontDoorValidationError(
            scope,
            f"api_name must be 1 to {MAX_API_NAME_LENGTH} characters and not blank, got "
            f"{api_name!r}",
        )
    if description is not None and (
        not isinstance(description, str) or len(description) > _MAX_DESCRIPTION_LENGTH
    ):
        raise FrontDoorValidationError(
            scope,
            f"description must be a string of at most {_MAX_DESCRIPTION_LENGTH} characters, "
            f"got {type(description).__name__} of length {len(str(description))}",
        )
    return api_name, description
