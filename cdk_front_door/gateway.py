"""HttpApiGateway: an API Gateway HTTP API with its own ``$default`` stage, routes and outputs.

Attributes follow one rule everywhere in this library: a single value that is not configured
is ``None``; a list of values that are not configured is an empty list. ``url`` and ``domain``
are always defined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import (
    ArnFormat,
    Aspects,
    Names,
    Stack,
)
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_logs as logs
from constructs import Construct

from ._jsii import node_path, remember_path
from .access_logs import (
    AccessLogs,
    new_log_group,
    stage_access_log_settings,
    validate_access_logs,
)
from .auth import (
    Authorizers,
    CdnAuthWarnings,
    Public,
    RouteAuth,
    invoke_arn_resource,
    route_scopes,
    validate_route_auth,
)
from .cors import (
    AllowedMethods,
    Cors,
    PreflightRoutes,
    check_options_route,
    preflight_options,
    resolve_cors,
)
from .domains import (
    BuiltDomains,
    CustomDomain,
    DomainPlan,
    build_domains,
    cdn_origin,
    claim_domains,
    plan_domains,
    plan_execute_api_endpoint,
)
from .errors import FrontDoorValidationError, check
from .identity import Caller, IdentityHeaders, caller_of, plan_identity_headers
from .integrations import Integrations
from .reach import FrontDoorAttributes, define_outputs
from .routes import (
    GatewayRoute,
    RouteKey,
    RouteSpec,
    RouteTable,
    WarnNearResourceLimit,
    parse_route_key,
)
from .targets import FrontDoor, RouteTargetLike
from .throttle import DEFAULT_THROTTLE, Throttle, validate_throttle

# Modules of features a gateway may not use (custom domains, the CDN) are imported where those
# are defined: each aws-cdk-lib module costs import time on every synth of every app.
if TYPE_CHECKING:
    from aws_cdk import aws_certificatemanager as acm
    from aws_cdk import aws_cloudfront as cloudfront
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_secretsmanager as secretsmanager
    from aws_cdk import aws_sns as sns

    from .alarms import Alarms, GatewayAlarms
    from .cdn import BuiltCdn, Cdn, CdnDomainPlan
    from .origin_protection import OriginGuard, OriginProtection

_MAX_API_NAME_LENGTH = 128
_MAX_DESCRIPTION_LENGTH = 1024


class HttpApiGateway(Construct, FrontDoorAttributes):
    """A production-ready API Gateway HTTP API in one statement.

    It defines the HTTP API and its ``$default`` stage (deployed automatically on every change)
    with JSON access logs kept 30 days, stage throttling, optional CORS, and stack outputs for
    its URL and domain. Add routes with :meth:`add_route`.

    :param scope: the parent construct.
    :param construct_id: the construct id; part of every child's logical id.
    :param api_name: the API's name. Default: - a name made unique from the construct path
    :param description: the API's description. Default: - no description
    :param cors: ``True`` for CORS open to any origin with the methods the routes use, or a
        :class:`Cors` for exact rules. Default: - CORS is not configured (browsers on other
        origins cannot call the API)
    :param access_logs: ``False`` to turn access logs off (cdk-nag then reports it), or an
        :class:`AccessLogs` to choose format, retention or log group. Default: - JSON lines
        in a new log group kept 30 days, retained when the stack is deleted
    :param throttle: the stage's throttling, for every route without its own. Default: -
        ``Throttle(rate_limit=1000, burst_limit=500)``
    :param default_auth: the auth of every route that names none, ``$default`` included:
        a :class:`JwtAuth`, :class:`CognitoAuth`, :class:`LambdaAuth`, :class:`IamAuth` or
        ``PUBLIC``. Default: - routes without ``auth`` are not authorized, each with a
        ``cdk-front-door:unauthenticated-route`` warning and the cdk-nag finding
        AwsSolutions-APIG4
    :param domains: custom domain names, each with an optional base path, hosted zone and
        certificate (see :class:`CustomDomain`); a domain name listed again maps another base
        path. Default: - no custom domain
    :param disable_execute_api_endpoint: whether to turn off the API's own
        ``execute-api`` endpoint, so that clients can only come in through the custom domains
        (and nothing in front of them can be bypassed); ``True`` needs a custom domain that
        is not a wildcard, so that ``url`` and ``domain`` always name an endpoint clients can
        call. Default: - turned off when the gateway has a custom domain that is not a
        wildcard, on otherwise
    :param cdn: ``True`` or a :class:`Cdn` to put a CloudFront distribution in front of the
        API. Default: - no CDN
    :param origin_protection: with a CDN, whether requests that do not come through it are
        refused: CloudFront sends a secret header, which public routes (and the CORS
        preflight routes) check with a cached authorizer; routes with an authorizer of their
        own keep it and are warned of. ``True`` or an :class:`OriginProtection` without a CDN
        is refused. Default: - on with a CDN (US$0.40 a month for the secret), off without
    :param identity_headers: which parts of the caller's verified identity URL and container
        backends receive as request headers: ``x-auth-claim-<claim>`` on routes with JWT or
        Cognito auth, ``x-auth-context-<key>`` on routes with a Lambda authorizer; any such
        header a client sends is removed or overwritten on every route (see
        :class:`IdentityHeaders`); ``False`` forwards and removes nothing. Default: -
        ``IdentityHeaders()``: the claims ``sub`` and ``scope``
    :param ipv6: whether clients may come over IPv6 as well as IPv4: the execute-api
        endpoint and the custom domains are dual-stack (with AAAA records next to the A
        records) and the CDN answers on IPv6; ``False`` makes every one of them IPv4 only.
        Default: true
    :param detailed_metrics: whether the stage publishes CloudWatch metrics per route
        (``ApiId``, ``Stage``, ``Route``) besides those of the whole API; CloudWatch bills
        them as custom metrics (up to six per route that receives requests, US$0.30 each a
        month). Default: false
    :param alarms: ``True`` or an :class:`Alarms` for CloudWatch alarms on the API's error
        rates and latency, on every backend its routes reach (functions, container
        services, jobs, state machines) and on the CDN, notifying a new encrypted SNS topic,
        with an optional dashboard; each alarm bills US$0.10 a month per metric it
        evaluates (see :class:`Alarms`). Default: - no alarms
    :param outputs: whether to define stack outputs for ``url`` and ``domain`` (and for each
        custom domain URL, the CDN's URLs, the CNAME target of domains whose DNS is
        elsewhere, and the ARN of the alarm topic the gateway defines), so that ``cdk
        deploy`` prints them. Default: true
    """

    default_auth: RouteAuth | None
    """The auth of routes that name none; None when there is no default."""

    http_api: apigwv2.HttpApi
    """The underlying ``HttpApi``."""

    log_group: logs.ILogGroup | None
    """The access log group; None when access logs are off."""

    stage: apigwv2.HttpStage
    """The ``$default`` stage: access logs, throttling and route settings live here."""

    domain_names: dict[str, apigwv2.DomainName]
    """The API Gateway domain name of each custom domain, by name."""

    certificates: dict[str, acm.ICertificate]
    """The certificate of each custom domain (given or defined), by domain name."""

    api_mappings: list[apigwv2.ApiMapping]
    """The API mappings of the custom domains, in the order the domains were given."""

    execute_api_domain: str
    """The API's own execute-api host name (disabled when the gateway has custom domains,
    unless ``disable_execute_api_endpoint=False``)."""

    distribution: cloudfront.Distribution | None
    """The CloudFront distribution; None without a CDN."""

    origin_secret: secretsmanager.ISecret | None
    """The secret CloudFront sends to the API as the origin protection header; None without
    origin protection. Grant its read to a Lambda authorizer of your own that should check
    the header too."""

    alarm_topic: sns.ITopic | None
    """The SNS topic the alarms notify (given, or defined by the gateway); None without alarms
    or when they run the given ``actions``."""

    dashboard: cloudwatch.Dashboard | None
    """The CloudWatch dashboard; None unless ``Alarms(dashboard=True)``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        api_name: str | None = None,
        description: str | None = None,
        cors: bool | Cors | None = None,
        access_logs: bool | AccessLogs | None = None,
        throttle: Throttle | None = None,
        default_auth: RouteAuth | None = None,
        domains: Sequence[CustomDomain] | None = None,
        disable_execute_api_endpoint: bool | None = None,
        cdn: bool | Cdn | None = None,
        origin_protection: bool | OriginProtection | None = None,
        identity_headers: IdentityHeaders | bool | None = None,
        ipv6: bool = True,
        detailed_metrics: bool = False,
        alarms: bool | Alarms | None = None,
        outputs: bool = True,
    ) -> None:
        super().__init__(scope, construct_id)
        remember_path(self, scope, construct_id)
        self._stack = Stack.of(self)
        self._region = self._stack.region
        self._front_door_value: FrontDoor | None = None
        plan = _plan(
            self,
            region=self._region,
            api_name=api_name,
            description=description,
            cors=cors,
            access_logs=access_logs,
            throttle=throttle,
            default_auth=default_auth,
            domains=domains,
            disable_execute_api_endpoint=disable_execute_api_endpoint,
            cdn=cdn,
            origin_protection=origin_protection,
            identity_headers=identity_headers,
            ipv6=ipv6,
            detailed_metrics=detailed_metrics,
            alarms=alarms,
            outputs=outputs,
        )
        claim_domains(self, plan.domains, plan.cdn_domains, ipv6=plan.ipv6)
        self._cors = plan.cors
        self._outputs = plan.outputs
        self.default_auth = plan.default_auth
        self.http_api = _new_api(self, plan)
        self._api_id = self.http_api.api_id

        self.stage, self._cfn_stage, self.log_group = _new_stage(self, self.http_api, plan)
        self.execute_api_domain = (
            f"{self._api_id}.execute-api.{self._region}.{self._stack.url_suffix}"
        )
        built_domains = _build_domains(self, plan, self.http_api, self.stage)
        self.domain_names = built_domains.domain_names
        self.certificates = built_domains.certificates
        self.api_mappings = built_domains.api_mappings
        self._custom_domains = built_domains.custom_domains
        self._custom_domain_urls = built_domains.urls
        self._domain, self._url = built_domains.endpoint(self.execute_api_domain)
        self._add_routing(plan)
        self._add_cdn(plan)
        self._alarms = _new_alarms(self, plan, self.http_api, self.distribution)
        self.alarm_topic = None if self._alarms is None else self._alarms.topic
        self.dashboard = None if self._alarms is None else self._alarms.dashboard
        # Warn when the stack nears CloudFormation's limit of resources, once everything is
        # defined: an aspect on the stage, which the app visits with its one resource.
        Aspects.of(self.stage).add(WarnNearResourceLimit(self.stage))
        if plan.outputs:
            define_outputs(self, self.front_door, node_path(self))

    def _add_routing(self, plan: _Plan) -> None:
        """The registries routes are added through: the route table, integrations,
        authorizers, and with CORS the methods it allows."""
        self._routes = RouteTable(
            self, self._api_id, self._cfn_stage, detailed_metrics=plan.detailed_metrics
        )
        self._route_list: list[GatewayRoute] = []
        self._api_arn = self._stack.format_arn(
            service="execute-api", resource=self._api_id, arn_format=ArnFormat.NO_RESOURCE_NAME
        )
        # Every stage, method and path of the API (string work on the token: no round trip).
        self._integrations = Integrations(
            self,
            self.http_api,
            self._api_arn + "/*",
            lambda: self.front_door,
            plan.identity_parameters,
            stack=self._stack,
        )
        self._authorizers = Authorizers(
            self, "Authorizers", self.http_api, self._integrations.allow_authorizer_invoke
        )
        self._cdn_warnings = CdnAuthWarnings(self)
        self._allowed_methods = (
            None if plan.cors is None else AllowedMethods(self.http_api, plan.cors)
        )

    def _add_cdn(self, plan: _Plan) -> None:
        """The CDN and its origin protection, and with CORS the preflight routes (which the
        origin check authorizes too)."""
        self._origin_guard = _new_origin_guard(self, plan)
        self.origin_secret = None if self._origin_guard is None else self._origin_guard.secret
        self._cdn = _new_cdn(
            self,
            plan,
            self._origin_guard,
            self.execute_api_domain,
            lambda: _route_lines(self._route_list, self._stack),
        )
        if self._cdn is not None and self._cdn.invalidation is not None:
            # Invalidate only once the new stage and every route are in place.
            self._cdn.invalidation.node.add_dependency(self.stage, self._routes.scope)
        self.distribution = None if self._cdn is None else self._cdn.distribution
        self._preflight = (
            None
            if plan.cors is None
            else PreflightRoutes(
                self,
                self._routes.scope,
                self._api_id,
                self._integrations,
                authorizer=None if self._origin_guard is None else self._public_authorizer,
            )
        )

    def _public_authorizer(self) -> apigwv2.HttpAuthorizer | None:
        """The authorizer of routes anyone may call: the origin check, if any."""
        if self._origin_guard is None:
            return None
        return self._authorizers.for_auth(self._origin_guard.route_auth(None))

    # -- attributes (the other seven come from FrontDoorAttributes) -------------------------

    @property
    def domain(self) -> str:
        """The host name clients use: the first custom domain that is not a wildcard, or else
        the execute-api host name. Always defined."""
        return self._domain

    @property
    def url(self) -> str:
        """The URL clients use, ending with ``/``: the first of ``custom_domain_urls`` (with
        its base path), or else the execute-api endpoint of the ``$default`` stage. Always
        defined."""
        return self._url

    def _front_door_of(self, attribute: str) -> FrontDoor:
        return self.front_door

    @property
    def front_door(self) -> FrontDoor:
        """How clients reach this gateway: its attributes as one value, which is what targets
        routed from it learn of it."""
        if self._front_door_value is None:
            self._front_door_value = self._new_front_door()
        return self._front_door_value

    def _new_front_door(self) -> FrontDoor:
        cdn = self._cdn
        return FrontDoor(
            domain=self._domain,
            url=self._url,
            custom_domains=tuple(self._custom_domains),
            custom_domain_urls=tuple(self._custom_domain_urls),
            cdn_domain=None if cdn is None else cdn.domain,
            cdn_url=None if cdn is None else f"https://{cdn.domain}/",
            cdn_custom_domains=() if cdn is None else tuple(cdn.custom_domains),
        )

    @property
    def alarms(self) -> list[cloudwatch.Alarm]:
        """The CloudWatch alarms defined so far (the API's and its CDN's, then those of each
        backend as routes reach it); empty without alarms."""
        return [] if self._alarms is None else self._alarms.alarms

    @property
    def routes(self) -> list[GatewayRoute]:
        """The routes added so far, in the order they were added."""
        return list(self._route_list)

    @property
    def authorizers(self) -> list[apigwv2.HttpAuthorizer]:
        """The gateway's authorizers, one per distinct auth, in order of first use; empty when
        there are none."""
        return self._authorizers.all

    @property
    def preflight_routes(self) -> list[apigwv2.CfnRoute]:
        """The public ``OPTIONS`` routes the gateway added so that CORS preflight requests
        reach no authorizer and no backend (see :meth:`add_route`); empty without CORS."""
        return [] if self._preflight is None else self._preflight.routes

    # -- routes ---------------------------------------------------------------------------

    def add_route(
        self,
        route_key: str,
        target: RouteTargetLike,
        *,
        auth: RouteAuth | None = None,
        scopes: Sequence[str] | None = None,
        throttle: Throttle | None = None,
    ) -> GatewayRoute:
        """Send requests matching ``route_key`` to ``target``.

        :param route_key: ``"METHOD /path"`` in API Gateway's syntax (``ANY`` or ``*`` for every
            method, ``{param}`` segments, a final ``{proxy+}``), or ``"$default"`` for requests
            no other route matches.
        :param target: a ``lambda_.IFunction``, an ``https://`` URL, or a target object.
        :param auth: how callers are checked: a :class:`JwtAuth`, :class:`CognitoAuth`,
            :class:`LambdaAuth` or :class:`IamAuth`, or ``PUBLIC`` (``Public(reason=...)``) for
            a route anyone may call. Default: - the gateway's ``default_auth``; without one, no
            authorization, with a ``cdk-front-door:unauthenticated-route`` warning and the
            cdk-nag finding AwsSolutions-APIG4
        :param scopes: the scopes a token needs for this route (any one of them suffices), for
            JWT and Cognito auth only. Default: - the scopes of the route's auth
        :param throttle: this route's own throttling. Default: - the stage's throttling
        :returns: the route. Its construct id depends only on the route key, so adding,
            removing or reordering other routes never changes it.

        With CORS, an ``ANY`` route or ``$default`` gets a public ``OPTIONS`` route for its
        path, answered by a function of the gateway's, unless you add one yourself: see
        :class:`~cdk_front_door.cors.PreflightRoutes` and ``preflight_routes``.
        """
        key = parse_route_key(self, route_key)
        self._routes.check_free(key, route_key)
        route_auth = validate_route_auth(self, auth)
        effective_auth = self.default_auth if route_auth is None else route_auth
        required_scopes = route_scopes(self, key.value, effective_auth, scopes)
        if self._cors is not None:
            public = effective_auth is None or isinstance(effective_auth, Public)
            check_options_route(self, key, None if public else type(effective_auth).__name__)
        route_throttle = _route_throttle(self, key, throttle)
        route_target, target_id = self._integrations.resolve(target)
        route_target.check_route(self, key)
        # Behind a protected CDN a public route is authorized by the origin check.
        checked_auth = (
            effective_auth
            if self._origin_guard is None
            else self._origin_guard.route_auth(effective_auth)
        )
        authorizer = self._authorizers.for_auth(checked_auth)
        if self._cdn is not None:
            self._cdn_warnings.check(effective_auth)
        route_target.routed(self, self.front_door, key, outputs=self._outputs)
        if self._alarms is not None:
            self._alarms.watch(route_target.backend)
        integration, integration_id = self._integrations.integrate(
            route_target, target_id, _caller(effective_auth)
        )
        if self._preflight is not None:
            # The caller's own OPTIONS route replaces the one added for CORS preflight.
            self._preflight.give_way_to(key)
        resource = self._routes.add(
            _route_spec(
                key,
                integration_id,
                auth=effective_auth,
                checked_auth=checked_auth,
                authorizer=authorizer,
                scopes=required_scopes,
                throttle=route_throttle,
            )
        )
        route = GatewayRoute(
            key=key,
            resource=resource,
            target=route_target,
            integration=integration,
            auth=effective_auth,
            throttle=route_throttle,
            scopes=required_scopes,
            authorizer=authorizer,
            # Python string work on a token made once: no jsii round trip per route.
            invoke_arn=self._api_arn
            + invoke_arn_resource("", key.method, None if key.is_default else key.path),
            _gateway=self,
        )
        self._route_list.append(route)
        self._after_route(key)
        return route

    def _after_route(self, key: RouteKey) -> None:
        """Add the preflight routes ``key`` needs, then check the quota and CORS methods."""
        if self._preflight is not None and key.matches_every_method:
            self._preflight.add_for(key, taken=self._routes.taken)
        preflight_count = 0 if self._preflight is None else len(self._preflight.routes)
        self._routes.warn_past_quota(len(self._routes) + preflight_count)
        if self._allowed_methods is not None:
            self._allowed_methods.update(self._routes.methods)


@dataclass(frozen=True)
class _Plan:
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


def _plan(
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
) -> _Plan:
    """Validate a gateway's props, in the order they are documented, before anything is built."""
    cors_config = resolve_cors(scope, cors)
    auth = validate_route_auth(scope, default_auth, "default_auth")
    log_config = validate_access_logs(scope, access_logs)
    domain_plans = plan_domains(scope, domains, region)
    cdn_config, cdn_domains = None, None
    if cdn is not None and cdn is not False:
        from .cdn import plan_cdn  # noqa: PLC0415 - see TYPE_CHECKING

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
        from .alarms import plan_alarms  # noqa: PLC0415 - see TYPE_CHECKING

        alarm_config = plan_alarms(scope, alarms)
    check(scope, "outputs", outputs, bool)
    return _Plan(
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
    from .origin_protection import plan_origin_protection  # noqa: PLC0415 - see TYPE_CHECKING

    return plan_origin_protection(scope, value, has_cdn=has_cdn)


def _build_domains(
    gateway: Construct, plan: _Plan, http_api: apigwv2.HttpApi, stage: apigwv2.HttpStage
) -> BuiltDomains:
    """The gateway's custom domains (certificates, domain names, records, mappings)."""
    if not plan.domains:
        return BuiltDomains()
    return build_domains(
        gateway,
        "Domains",
        plan.domains,
        http_api=http_api,
        stage=stage,
        ipv6=plan.ipv6,
        outputs=plan.outputs,
    )


def _new_stage(
    gateway: Construct, http_api: apigwv2.HttpApi, plan: _Plan
) -> tuple[apigwv2.HttpStage, apigwv2.CfnStage, logs.ILogGroup | None]:
    """The ``$default`` stage, deployed on every change, with its access logs, throttling and
    detailed metrics; its L1 resource; and the access log group (defined when the gateway
    owns it)."""
    log_config, throttle = plan.access_logs, plan.throttle
    log_group = None
    if log_config is not None:
        log_group = log_config.log_group or new_log_group(gateway, "AccessLogs", log_config)
    stage = apigwv2.HttpStage(
        gateway,
        "Stage",
        http_api=http_api,
        stage_name="$default",
        auto_deploy=True,
        throttle=apigwv2.ThrottleSettings(
            rate_limit=throttle.rate_limit, burst_limit=throttle.burst_limit
        ),
        detailed_metrics_enabled=plan.detailed_metrics or None,
    )
    cfn_stage: apigwv2.CfnStage = stage.node.default_child  # type: ignore[assignment]
    if log_config is not None and log_group is not None:
        # On the L1: the L2 takes the log group's ARN with a trailing ":*" (see there).
        cfn_stage.access_log_settings = stage_access_log_settings(
            Stack.of(gateway), log_group, log_config.format, own=log_config.log_group is None
        )
    return stage, cfn_stage, log_group


def _new_origin_guard(gateway: Construct, plan: _Plan) -> OriginGuard | None:
    """The origin secret and its authorizer, when the gateway's CDN is protected."""
    if plan.origin_protection is None:
        return None
    from .origin_protection import OriginGuard  # noqa: PLC0415 - see TYPE_CHECKING

    return OriginGuard(gateway, "OriginProtection", plan.origin_protection)


def _new_cdn(
    gateway: Construct,
    plan: _Plan,
    guard: OriginGuard | None,
    execute_api_domain: str,
    routes: Callable[[], list[str]],
) -> BuiltCdn | None:
    """The CloudFront distribution in front of the API, when the gateway has one."""
    if plan.cdn is None or plan.cdn_domains is None:
        return None
    from .cdn import build_cdn  # noqa: PLC0415 - see TYPE_CHECKING

    origin_domain, origin_path = cdn_origin(plan.domains)
    return build_cdn(
        Construct(gateway, "Cdn"),
        plan.cdn,
        plan.cdn_domains,
        origin_domain=origin_domain or execute_api_domain,
        origin_path=origin_path,
        routes=routes,
        cors=plan.cors is not None,
        ipv6=plan.ipv6,
        outputs=plan.outputs,
        origin_headers=None if guard is None else guard.origin_headers,
        note=None if guard is None else guard.distribution_note,
    )


def _new_alarms(
    gateway: Construct,
    plan: _Plan,
    http_api: apigwv2.HttpApi,
    distribution: cloudfront.Distribution | None,
) -> GatewayAlarms | None:
    """The alarms (and dashboard) of the API and its CDN, which then watch the backend of
    each route added; None without alarms."""
    if plan.alarms is None:
        return None
    from .alarms import GatewayAlarms  # noqa: PLC0415 - see TYPE_CHECKING

    return GatewayAlarms(
        gateway,
        "Alarms",
        plan.alarms,
        http_api=http_api,
        distribution=distribution,
        outputs=plan.outputs,
    )


def _new_api(scope: Construct, plan: _Plan) -> apigwv2.HttpApi:
    """The HTTP API, named after the construct path unless ``api_name`` is given."""
    return apigwv2.HttpApi(
        scope,
        "HttpApi",
        api_name=plan.api_name
        or Names.unique_resource_name(scope, max_length=_MAX_API_NAME_LENGTH, separator="-"),
        description=plan.description,
        create_default_stage=False,
        cors_preflight=preflight_options(plan.cors),
        disable_execute_api_endpoint=plan.disable_execute_api_endpoint,
        ip_address_type=(
            apigwv2.IpAddressType.DUAL_STACK if plan.ipv6 else apigwv2.IpAddressType.IPV4
        ),
    )


def _route_spec(
    key: RouteKey,
    integration_id: str,
    *,
    auth: RouteAuth | None,
    checked_auth: RouteAuth | None,
    authorizer: apigwv2.HttpAuthorizer | None,
    scopes: tuple[str, ...],
    throttle: Throttle | None,
) -> RouteSpec:
    """What the route's resource says, for a route with ``auth`` (None: not authorized)
    whose authorizer is that of ``checked_auth`` (the origin check for a public route behind
    a protected CDN, else ``auth``)."""
    public = checked_auth is None or isinstance(checked_auth, Public)
    return RouteSpec(
        key=key,
        integration_id=integration_id,
        authorization_type="NONE" if public else checked_auth.authorization_type,  # type: ignore[union-attr]
        authorizer_id=None if authorizer is None else authorizer.authorizer_id,
        scopes=scopes,
        public_reason=auth.reason if isinstance(auth, Public) else None,
        credentials_checked=auth is not None and not isinstance(auth, Public),
        throttle=throttle,
    )


def _route_throttle(scope: Construct, key: RouteKey, throttle: Throttle | None) -> Throttle | None:
    """A route's own throttling, validated; None when the stage's applies."""
    if throttle is None:
        return None
    return validate_throttle(scope, throttle, f"throttle of route {key.value!r}")


def _caller(auth: RouteAuth | None) -> Caller:
    """The kind of caller a route with ``auth`` vouches for, to its backend."""
    public = auth is None or isinstance(auth, Public)
    return caller_of(None if public else auth.authorization_type)  # type: ignore[union-attr]


def _route_lines(routes: Sequence[GatewayRoute], stack: Stack) -> list[str]:
    """The routes and their targets, one line each: the CDN invalidates its cache when they
    change (with ``Cdn(invalidate_on_deploy=True)``)."""
    return sorted(
        f"{route.key.value} {route.target.target_id(stack)} {route.throttle}" for route in routes
    )


def _name_and_description(
    scope: Construct, api_name: object, description: object
) -> tuple[str | None, str | None]:
    """``api_name`` and ``description``, validated."""
    if api_name is not None and (
        not isinstance(api_name, str)
        or not api_name.strip()
        or len(api_name) > _MAX_API_NAME_LENGTH
    ):
        raise FrontDoorValidationError(
            scope,
            f"api_name must be 1 to {_MAX_API_NAME_LENGTH} characters and not blank, got "
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
