"""HttpApiGateway: an API Gateway HTTP API with its own ``$default`` stage, routes and outputs.

Attributes follow one rule everywhere in this library: a single value that is not configured
is ``None``; a list of values that are not configured is an empty list. ``url`` and ``domain``
are always defined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aws_cdk import Names, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_logs as logs
from constructs import Construct

from ._gateway_plan import MAX_API_NAME_LENGTH, GatewayPlan, plan_gateway
from ._jsii import node_path, remember_path
from .access_logs import AccessLogs, new_log_group, stage_access_log_settings
from .auth import RouteAuth
from .cors import Cors, preflight_options
from .domains import BuiltDomains, CustomDomain, build_domains, cdn_origin, claim_domains
from .identity import IdentityHeaders
from .reach import FrontDoorAttributes, define_outputs
from .routes import GatewayRoute
from .routing import Router
from .targets import FrontDoor, RouteTargetLike
from .throttle import Throttle

# Modules of features a gateway may not use (custom domains, the CDN) are imported where those
# are defined: each aws-cdk-lib module costs import time on every synth of every app.
if TYPE_CHECKING:
    from aws_cdk import aws_certificatemanager as acm
    from aws_cdk import aws_cloudfront as cloudfront
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_secretsmanager as secretsmanager
    from aws_cdk import aws_sns as sns

    from .alarms import Alarms, GatewayAlarms
    from .cdn import BuiltCdn, Cdn
    from .origin_protection import OriginGuard, OriginProtection


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
        plan = plan_gateway(
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
        self.default_auth = plan.default_auth
        self.http_api = _new_api(self, plan)
        self.stage, cfn_stage, self.log_group = _new_stage(self, self._stack, self.http_api, plan)
        api_id = self.http_api.api_id
        self.execute_api_domain = f"{api_id}.execute-api.{self._region}.{self._stack.url_suffix}"
        built_domains = _build_domains(self, plan, self.http_api, self.stage)
        self.domain_names = built_domains.domain_names
        self.certificates = built_domains.certificates
        self.api_mappings = built_domains.api_mappings
        self._custom_domains = built_domains.custom_domains
        self._custom_domain_urls = built_domains.urls
        self._domain, self._url = built_domains.endpoint(self.execute_api_domain)
        guard = _new_origin_guard(self, plan)
        self.origin_secret = None if guard is None else guard.secret
        self._router = _new_router(
            self,
            self._stack,
            plan,
            api_id=api_id,
            stage=cfn_stage,
            guard=guard,
            front_door=lambda: self.front_door,
        )
        self._cdn = _new_cdn(self, plan, guard, self.execute_api_domain, self._router.route_lines)
        if self._cdn is not None and self._cdn.invalidation is not None:
            # Invalidate only once the new stage and every route are in place.
            self._cdn.invalidation.node.add_dependency(self.stage, self._router.scope)
        self.distribution = None if self._cdn is None else self._cdn.distribution
        self._alarms = _new_alarms(self, plan, self.http_api, self.distribution)
        self.alarm_topic = None if self._alarms is None else self._alarms.topic
        self.dashboard = None if self._alarms is None else self._alarms.dashboard
        if plan.outputs:
            define_outputs(self, self.front_door, node_path(self))

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
        return self._router.routes

    @property
    def authorizers(self) -> list[apigwv2.HttpAuthorizer]:
        """The gateway's authorizers, one per distinct auth, in order of first use; empty when
        there are none."""
        return self._router.authorizers

    @property
    def preflight_routes(self) -> list[apigwv2.CfnRoute]:
        """The public ``OPTIONS`` routes the gateway added so that CORS preflight requests
        reach no authorizer and no backend (see :meth:`add_route`); empty without CORS."""
        return self._router.preflight_routes

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
        route = self._router.add(route_key, target, auth=auth, scopes=scopes, throttle=throttle)
        if self._alarms is not None:
            self._alarms.watch(route.target.backend)
        return route


def _build_domains(
    gateway: Construct, plan: GatewayPlan, http_api: apigwv2.HttpApi, stage: apigwv2.HttpStage
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
    gateway: Construct, stack: Stack, http_api: apigwv2.HttpApi, plan: GatewayPlan
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
            stack, log_group, log_config.format, own=log_config.log_group is None
        )
    return stage, cfn_stage, log_group


def _new_router(
    gateway: HttpApiGateway,
    stack: Stack,
    plan: GatewayPlan,
    *,
    api_id: str,
    stage: apigwv2.CfnStage,
    guard: OriginGuard | None,
    front_door: Callable[[], FrontDoor],
) -> Router:
    """What ``add_route`` hands each route to: the route table, integrations, authorizers
    and, with CORS, the preflight routes."""
    return Router(
        gateway,
        stack=stack,
        http_api=gateway.http_api,
        api_id=api_id,
        stage=stage,
        front_door=front_door,
        cors=plan.cors,
        default_auth=plan.default_auth,
        identity_parameters=plan.identity_parameters,
        detailed_metrics=plan.detailed_metrics,
        origin_guard=guard,
        behind_cdn=plan.cdn is not None,
        outputs=plan.outputs,
    )


def _new_origin_guard(gateway: Construct, plan: GatewayPlan) -> OriginGuard | None:
    """The origin secret and its authorizer, when the gateway's CDN is protected."""
    if plan.origin_protection is None:
        return None
    from .origin_protection import OriginGuard  # noqa: PLC0415 - see TYPE_CHECKING

    return OriginGuard(gateway, "OriginProtection", plan.origin_protection)


def _new_cdn(
    gateway: Construct,
    plan: GatewayPlan,
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
    plan: GatewayPlan,
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


def _new_api(scope: Construct, plan: GatewayPlan) -> apigwv2.HttpApi:
    """The HTTP API, named after the construct path unless ``api_name`` is given."""
    return apigwv2.HttpApi(
        scope,
        "HttpApi",
        api_name=plan.api_name
        or Names.unique_resource_name(scope, max_length=MAX_API_NAME_LENGTH, separator="-"),
        description=plan.description,
        create_default_stage=False,
        cors_preflight=preflight_options(plan.cors),
        disable_execute_api_endpoint=plan.disable_execute_api_endpoint,
        ip_address_type=(
            apigwv2.IpAddressType.DUAL_STACK if plan.ipv6 else apigwv2.IpAddressType.IPV4
        ),
    )
