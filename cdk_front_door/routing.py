"""Router: what one gateway does for each route, from its key to its ``CfnRoute``.

:meth:`cdk_front_door.HttpApiGateway.add_route` hands every route here. The router composes
the registries a route is built from, each of which owns its own state:

- :class:`~cdk_front_door.routes.RouteTable`: clashes, the quota, the ``CfnRoute``
  constructs and per-route throttling;
- :class:`~cdk_front_door.integrations.Integrations`: targets into shared integrations and
  invoke permissions;
- :class:`~cdk_front_door.auth.Authorizers`: one authorizer per distinct auth;
- with CORS, :class:`~cdk_front_door.cors.PreflightRoutes` and
  :class:`~cdk_front_door.cors.AllowedMethods`;
- behind a CDN, :class:`~cdk_front_door.auth.CdnAuthWarnings`, and with origin protection
  the origin check that authorizes every public route.

Data flows one way: the gateway gives the router what it built before (API, stage, origin
check) and a way to ask for its front door; the router never reads the gateway's fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import Construct

from .auth import (
    Authorizers,
    CdnAuthWarnings,
    Public,
    RouteAuth,
    invoke_arn_resource,
    route_scopes,
    validate_route_auth,
)
from .cors import AllowedMethods, Cors, PreflightRoutes, check_options_route
from .identity import Caller, caller_of
from .integrations import Integrations
from .routes import GatewayRoute, RouteKey, RouteSpec, RouteTable, parse_route_key
from .targets import FrontDoor, RouteTargetLike
from .throttle import Throttle, validate_throttle

if TYPE_CHECKING:
    from .origin_protection import OriginGuard


class Router:
    """The routes of one gateway and everything they are built from.

    :param gateway: the gateway: the parent of every construct the router defines, and the
        construct its errors and warnings name.
    :param stack: the gateway's stack.
    :param http_api: the gateway's HTTP API.
    :param api_id: its id (read once by the gateway: each read is a round trip to the jsii
        kernel).
    :param stage: the ``$default`` stage's L1, whose route settings hold per-route
        throttling.
    :param front_door: gives how clients reach the gateway, told to each target routed.
    :param cors: the gateway's CORS rules; None without CORS.
    :param default_auth: the auth of routes that name none; None when there is none.
    :param identity_parameters: what URL and container backends receive of each kind of
        caller (see :func:`cdk_front_door.identity.plan_identity_headers`).
    :param detailed_metrics: whether the stage publishes per-route metrics.
    :param origin_guard: the CDN's origin check, which authorizes public routes; None
        without origin protection.
    :param behind_cdn: whether a CDN is in front of the gateway.
    :param outputs: whether targets may define stack outputs of their own.
    """

    def __init__(
        self,
        gateway: Construct,
        *,
        stack: Stack,
        http_api: apigwv2.HttpApi,
        api_id: str,
        stage: apigwv2.CfnStage,
        front_door: Callable[[], FrontDoor],
        cors: Cors | None,
        default_auth: RouteAuth | None,
        identity_parameters: dict[Caller, dict[str, str]],
        detailed_metrics: bool,
        origin_guard: OriginGuard | None,
        behind_cdn: bool,
        outputs: bool,
    ) -> None:
        self._gateway = gateway
        self._stack = stack
        self._front_door = front_door
        self._cors = cors
        self._default_auth = default_auth
        self._origin_guard = origin_guard
        self._outputs = outputs
        self._table = RouteTable(gateway, api_id, stage, detailed_metrics=detailed_metrics)
        self._routes: list[GatewayRoute] = []
        # Every stage, method and path of the API (string work on the token: no round trip).
        self._api_arn = self._stack.format_arn(
            service="execute-api", resource=api_id, arn_format=ArnFormat.NO_RESOURCE_NAME
        )
        self._integrations = Integrations(
            gateway,
            http_api,
            self._api_arn + "/*",
            front_door,
            identity_parameters,
            stack=self._stack,
        )
        self._authorizers = Authorizers(
            gateway, "Authorizers", http_api, self._integrations.allow_authorizer_invoke
        )
        self._cdn_warnings = CdnAuthWarnings(gateway) if behind_cdn else None
        self._allowed_methods = None if cors is None else AllowedMethods(http_api, cors)
        self._preflight = (
            None
            if cors is None
            else PreflightRoutes(
                gateway,
                self._table.scope,
                api_id,
                self._integrations,
                authorizer=None if origin_guard is None else self._public_authorizer,
            )
        )

    @property
    def scope(self) -> Construct:
        """The construct every route is defined under; a dependency on it is one on every
        route."""
        return self._table.scope

    @property
    def routes(self) -> list[GatewayRoute]:
        """The routes added so far, in the order they were added."""
        return list(self._routes)

    @property
    def authorizers(self) -> list[apigwv2.HttpAuthorizer]:
        """The authorizers, one per distinct auth, in order of first use."""
        return self._authorizers.all

    @property
    def preflight_routes(self) -> list[apigwv2.CfnRoute]:
        """The CORS preflight routes in place; empty without CORS."""
        return [] if self._preflight is None else self._preflight.routes

    def route_lines(self) -> list[str]:
        """The routes and their targets, one sorted line each: what a CDN's cache
        invalidation follows."""
        return sorted(
            f"{route.key.value} {route.target.target_id(self._stack)} {route.throttle}"
            for route in self._routes
        )

    def add(
        self,
        route_key: str,
        target: RouteTargetLike,
        *,
        auth: RouteAuth | None,
        scopes: Sequence[str] | None,
        throttle: Throttle | None,
    ) -> GatewayRoute:
        """Check the route, then define it with its integration and authorizer (see
        :meth:`cdk_front_door.HttpApiGateway.add_route`)."""
        gateway = self._gateway
        key = parse_route_key(gateway, route_key)
        self._table.check_free(key, route_key)
        route_auth = validate_route_auth(gateway, auth)
        effective_auth = self._default_auth if route_auth is None else route_auth
        required_scopes = route_scopes(gateway, key.value, effective_auth, scopes)
        if self._cors is not None:
            public = effective_auth is None or isinstance(effective_auth, Public)
            check_options_route(gateway, key, None if public else type(effective_auth).__name__)
        route_throttle = _route_throttle(gateway, key, throttle)
        route_target, target_id = self._integrations.resolve(target)
        route_target.check_route(gateway, key)
        # Behind a protected CDN a public route is authorized by the origin check.
        checked_auth = (
            effective_auth
            if self._origin_guard is None
            else self._origin_guard.route_auth(effective_auth)
        )
        authorizer = self._authorizers.for_auth(checked_auth)
        if self._cdn_warnings is not None:
            self._cdn_warnings.check(effective_auth)
        route_target.routed(gateway, self._front_door(), key, outputs=self._outputs)
        integration, integration_id = self._integrations.integrate(
            route_target, target_id, _caller(effective_auth)
        )
        if self._preflight is not None:
            # The caller's own OPTIONS route replaces the one added for CORS preflight.
            self._preflight.give_way_to(key)
        resource = self._table.add(
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
            _gateway=gateway,
        )
        self._routes.append(route)
        self._after_route(key)
        return route

    def _after_route(self, key: RouteKey) -> None:
        """Add the preflight routes ``key`` needs, then check the quota and CORS methods."""
        if self._preflight is not None and key.matches_every_method:
            self._preflight.add_for(key, taken=self._table.taken)
        preflight_count = 0 if self._preflight is None else len(self._preflight.routes)
        self._table.warn_past_quota(len(self._table) + preflight_count)
        if self._allowed_methods is not None:
            self._allowed_methods.update(self._table.methods)

    def _public_authorizer(self) -> apigwv2.HttpAuthorizer | None:
        """The authorizer of routes anyone may call: the origin check, if any."""
        if self._origin_guard is None:
            return None
        return self._authorizers.for_auth(self._origin_guard.route_auth(None))


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
