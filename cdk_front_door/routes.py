"""Routes: parsing and validating route keys, and the route table of one HTTP API.

A route key uses API Gateway's own syntax, ``"METHOD /path"``: the method is one of
:data:`METHODS` (``*`` is accepted as an alias of ``ANY``), the path starts with ``/`` and its
segments are literals (not ``.`` or ``..``, which clients remove), ``{param}`` or, as the last
segment only, a greedy ``{name+}``. The special key ``$default`` catches every request that no
other route matches.

The :class:`RouteTable` owns a gateway's routes: it refuses clashes, warns past the routes
quota, and defines each route as an ``AWS::ApiGatewayV2::Route`` at ``<gateway>/Routes/<key>``
as soon as it is added, so that logical ids, aspects, cdk-nag and ``allocate_logical_id``
overrides see ordinary ``CfnRoute`` constructs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from aws_cdk import Acknowledgment, Annotations, Stack, Validations
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import Construct, IConstruct

from .errors import FrontDoorValidationError
from .throttle import Throttle

if TYPE_CHECKING:
    from aws_cdk import aws_iam as iam

    from .auth import RouteAuth
    from .targets import RouteTarget

DEFAULT_ROUTE_KEY = "$default"
METHODS = ("ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_METHOD_ALIASES = {"*": "ANY"}
# The characters API Gateway accepts in a path part (as for REST API resources): other
# characters are rejected at deploy with "one or more path parts appear to be invalid".
_LITERAL_SEGMENT = re.compile(r"^[A-Za-z0-9._:-]+$")
_PARAM_SEGMENT = re.compile(r"^\{([A-Za-z0-9._-]+)(\+?)\}$")
_MAX_PATH_LENGTH = 1024
# Path segments that clients resolve away before a request is sent (RFC 3986, 5.2.4).
_DOT_SEGMENTS = (".", "..")
ROUTES_QUOTA = 300  # routes per API, by default (raisable)
_APIG4 = "AwsSolutions-APIG4"


@dataclass(frozen=True)
class RouteKey:
    """A parsed, normalized route key.

    :param method: the HTTP method, ``ANY`` for every method; empty for ``$default``.
    :param path: the path, or ``$default``.
    """

    method: str
    path: str

    @property
    def is_default(self) -> bool:
        """Whether this is the ``$default`` catch-all route."""
        return self.path == DEFAULT_ROUTE_KEY

    @cached_property
    def value(self) -> str:
        """The key exactly as API Gateway stores it, for example ``GET /users/{id}``."""
        return DEFAULT_ROUTE_KEY if self.is_default else f"{self.method} {self.path}"

    @cached_property
    def shape(self) -> str:
        """The key with parameter names erased: two routes with one shape conflict."""
        if self.is_default:
            return DEFAULT_ROUTE_KEY
        segments = [
            "{+}" if seg.endswith("+}") else "{}" if seg.startswith("{") else seg
            for seg in self.path.split("/")
        ]
        return f"{self.method} {'/'.join(segments)}"

    @property
    def construct_id(self) -> str:
        """A construct id that depends only on this key.

        ``/`` is not allowed in construct ids, so it is written as ``|``, a character that
        cannot occur in a valid path: the mapping is one to one.
        """
        return self.value.replace("/", "|")

    @property
    def parameters(self) -> list[str]:
        """The names of the path parameters, greedy ones without their ``+``."""
        if self.is_default:
            return []
        return [
            segment[1:-1].rstrip("+") for segment in self.path.split("/") if segment.startswith("{")
        ]

    @property
    def matches_every_method(self) -> bool:
        """Whether requests of every method can reach this route."""
        return self.is_default or self.method == "ANY"


def parse_route_key(scope: IConstruct, route_key: str) -> RouteKey:
    """Parse and validate ``route_key``, raising :class:`FrontDoorValidationError` when invalid."""
    if not isinstance(route_key, str):
        raise FrontDoorValidationError(
            scope,
            f"route key must be a string like 'GET /path', got {type(route_key).__name__} "
            f"{route_key!r}",
        )
    if route_key == DEFAULT_ROUTE_KEY:
        return RouteKey(method="", path=DEFAULT_ROUTE_KEY)
    parts = route_key.split(" ")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise FrontDoorValidationError(
            scope,
            f"invalid route key {route_key!r}: expected '<method> <path>' separated by a "
            "single space (for example 'GET /users/{id}'), or '$default'",
        )
    method, path = parts
    if path == DEFAULT_ROUTE_KEY:
        raise FrontDoorValidationError(
            scope,
            f"invalid route key {route_key!r}: '$default' takes no method; write '$default' "
            "alone to catch every method and path",
        )
    method = _METHOD_ALIASES.get(method, method)
    if method not in METHODS:
        raise FrontDoorValidationError(
            scope,
            f"invalid method {parts[0]!r} in route key {route_key!r}: allowed methods are "
            f"{', '.join(METHODS)} and '*' (an alias of ANY), in upper case",
        )
    _validate_path(scope, route_key, path)
    return RouteKey(method=method, path=path)


def _validate_path(scope: IConstruct, route_key: str, path: str) -> None:
    def fail(reason: str) -> FrontDoorValidationError:
        return FrontDoorValidationError(scope, f"invalid path in route key {route_key!r}: {reason}")

    if not path.startswith("/"):
        raise fail(f"path must start with '/', got {path!r}")
    if len(path) > _MAX_PATH_LENGTH:
        raise fail(f"path is {len(path)} characters long; at most {_MAX_PATH_LENGTH} are allowed")
    if path == "/":
        return
    if path.endswith("/"):
        raise fail("path must not end with '/' (only the root path '/' may)")
    segments = path[1:].split("/")
    names: set[str] = set()
    for index, segment in enumerate(segments):
        if "{" in segment or "}" in segment:
            problem = _parameter_problem(segment, last=index == len(segments) - 1, seen=names)
        else:
            problem = _literal_problem(segment)
        if problem is not None:
            raise fail(problem)


def _parameter_problem(segment: str, *, last: bool, seen: set[str]) -> str | None:
    """Why ``segment``, a parameter segment, is not allowed; None when it is (its name is then
    added to ``seen``, the names of the path's earlier parameters)."""
    match = _PARAM_SEGMENT.match(segment)
    if match is None:
        return (
            f"malformed parameter segment {segment!r}: a parameter fills a whole segment, "
            "as '{name}' or, last, '{name+}', with a name of letters, digits and ._-"
        )
    name, greedy = match.groups()
    if greedy and not last:
        return f"greedy parameter {segment!r} must be the last segment of the path"
    if name in seen:
        return f"parameter {name!r} appears more than once"
    seen.add(name)
    return None


def _literal_problem(segment: str) -> str | None:
    """Why ``segment``, a path segment that is not a parameter, is not allowed; None when it
    is."""
    if not segment:
        return "path has an empty segment ('//')"
    if segment in _DOT_SEGMENTS:
        return (
            f"segment {segment!r} is removed from URLs by clients before they send them, so no "
            "request could reach the route; use segments other than '.' and '..'"
        )
    if not _LITERAL_SEGMENT.match(segment):
        return (
            f"segment {segment!r} has a character that is not allowed: use letters, digits and ._:-"
        )
    return None


@dataclass(frozen=True)
class RouteSpec:
    """What one route's ``AWS::ApiGatewayV2::Route`` resource says, and how it is checked.

    :param key: the route key.
    :param integration_id: the id of the integration requests are sent to.
    :param authorization_type: ``NONE``, ``JWT``, ``CUSTOM`` or ``AWS_IAM``.
    :param authorizer_id: the authorizer's id, for ``JWT`` and ``CUSTOM``.
    :param scopes: the scopes a token needs (any one of them); empty for none.
    :param public_reason: why anyone may call the route (``Public``), acknowledged for cdk-nag;
        None for a route that is authorized, or not authorized by mistake (which is warned of).
    :param credentials_checked: whether the route's auth checks the caller's credentials (a
        public route behind a protected CDN is authorized, yet anyone may call it through
        the CDN).
    :param throttle: the route's own throttling; None when the stage's applies.
    """

    key: RouteKey
    integration_id: str
    authorization_type: str
    authorizer_id: str | None = None
    scopes: tuple[str, ...] = ()
    public_reason: str | None = None
    credentials_checked: bool = False
    throttle: Throttle | None = None


class RouteTable:
    """The routes of one HTTP API, defined under the child ``Routes`` of ``owner``.

    :param owner: the gateway; clashes and quota warnings name it.
    :param api_id: the HTTP API's id.
    :param stage: the stage whose ``RouteSettings`` hold per-route throttling.
    :param detailed_metrics: whether the stage has detailed route metrics: a route's own
        settings replace the stage's default ones, so they say it again.
    """

    def __init__(
        self,
        owner: Construct,
        api_id: str,
        stage: apigwv2.CfnStage,
        *,
        detailed_metrics: bool = False,
    ) -> None:
        self._owner = owner
        self._detailed_metrics = detailed_metrics
        self._api_id = api_id
        self._stage = stage
        self.scope = Construct(owner, "Routes")
        """The construct every route is defined under; a dependency on it is one on every
        route."""
        self._public: Construct | None = None
        self._public_reason: str | None = None
        self._keys: dict[str, RouteKey] = {}
        self._methods: set[str] = set()
        self._settings: dict[str, dict[str, float | bool]] = {}
        self._quota_warned = False

    @property
    def methods(self) -> set[str]:
        """The methods the routes take, ``ANY`` and ``$default`` written ``*``."""
        return set(self._methods)

    def taken(self, shape: str) -> bool:
        """Whether a route of this ``shape`` (see :attr:`RouteKey.shape`) exists."""
        return shape in self._keys

    def check_free(self, key: RouteKey, route_key: str) -> None:
        """Refuse ``key`` (written ``route_key`` by the caller) when a route of its shape
        exists, naming both."""
        clash = self._keys.get(key.shape)
        if clash is None:
            return
        raise FrontDoorValidationError(
            self._owner,
            f"route {route_key!r} "
            + (
                f"duplicates route {clash.value!r}"
                if clash.value == key.value
                else f"conflicts with route {clash.value!r}: only the parameter names "
                "differ, and API Gateway cannot tell them apart"
            )
            + "; each method and path may be routed once",
        )

    def add(self, spec: RouteSpec) -> apigwv2.CfnRoute:
        """Define the route ``spec`` describes, which :meth:`check_free` has let through.

        An L1 route: the ``HttpRoute`` L2 defines a shared integration under the first route
        that binds it (so its logical id would depend on the order of routes) and costs
        several jsii round trips per route.
        """
        key = spec.key
        self.check_free(key, key.value)
        resource = apigwv2.CfnRoute(
            self.scope if spec.public_reason is None else self._public_scope(spec.public_reason),
            key.construct_id,
            api_id=self._api_id,
            route_key=key.value,
            target=f"integrations/{spec.integration_id}",
            authorization_type=spec.authorization_type,
            authorizer_id=spec.authorizer_id,
            authorization_scopes=list(spec.scopes) or None,
        )
        self._keys[key.shape] = key
        self._methods.add("*" if key.matches_every_method else key.method)
        if spec.public_reason is not None:
            if spec.public_reason != self._public_reason:
                # The closest acknowledgment applies: this route's own, with its reason.
                acknowledgment = Acknowledgment(id=_APIG4, reason=spec.public_reason)
                Validations.of(resource).acknowledge(acknowledgment)
        elif not spec.credentials_checked:
            Annotations.of(resource).add_warning_v2(
                "cdk-front-door:unauthenticated-route",
                f"route {key.value!r} has no authorization: anyone can call it. Give the "
                "gateway a default_auth, the route an auth, or pass auth=PUBLIC if that is "
                "intended",
            )
        if spec.throttle is not None:
            # RouteSettings is typed as plain JSON, so keys are written as CloudFormation's.
            self._settings[key.value] = {
                "ThrottlingRateLimit": spec.throttle.rate_limit,
                "ThrottlingBurstLimit": spec.throttle.burst_limit,
            }
            if self._detailed_metrics:
                self._settings[key.value]["DetailedMetricsEnabled"] = True
            # RouteSettings is not in the HttpStage L2; a setting may only name a route that
            # exists, so the stage waits for the route.
            self._stage.route_settings = dict(sorted(self._settings.items()))
            self._stage.node.add_dependency(resource)
        return resource

    def _public_scope(self, reason: str) -> Construct:
        """The construct public routes are defined under, made with the first public route.

        Its id is ``Default``, which CDK leaves out of logical ids, so a public route's
        logical id is the one it would have directly under ``Routes``. It acknowledges
        cdk-nag's AwsSolutions-APIG4 once, with the reason of the first public route: one
        acknowledgment for every route with that reason instead of one per route.
        """
        if self._public is None:
            self._public = Construct(self.scope, "Default")
            self._public_reason = reason
            Validations.of(self._public).acknowledge(Acknowledgment(id=_APIG4, reason=reason))
        return self._public

    def warn_past_quota(self, count: int) -> None:
        """Warn, once, when the API's ``count`` routes (with those defined elsewhere, such as
        preflight routes) pass API Gateway's default quota."""
        if self._quota_warned or count <= ROUTES_QUOTA:
            return
        self._quota_warned = True
        Annotations.of(self._owner).add_warning_v2(
            "cdk-front-door:routes-quota",
            f"the gateway has more than {ROUTES_QUOTA} routes, API Gateway's default quota "
            "per API: ask AWS for more (it can be raised) before deploying, or split the API",
        )

    def __len__(self) -> int:
        return len(self._keys)


@dataclass(frozen=True)
class GatewayRoute:
    """A route added with :meth:`cdk_front_door.HttpApiGateway.add_route`.

    :param key: the parsed route key.
    :param resource: the route's ``AWS::ApiGatewayV2::Route`` resource, at
        ``<gateway>/Routes/<route key with / written |>``.
    :param target: the target the route sends requests to.
    :param integration: the integration, shared with every other route to the same target
        (for a URL or container target, every other one whose auth forwards the same
        identity headers).
    :param auth: how the route is authorized (its own ``auth``, else the gateway's
        ``default_auth``); None when it is not (a warning says so).
    :param throttle: the route's own throttling; None when the stage's applies.
    :param scopes: the scopes a token needs (any one of them); empty when none is required.
    :param authorizer: the authorizer the route uses, shared with every route of the same
        auth; None for public, IAM and unauthorized routes.
    :param invoke_arn: the ``execute-api`` ARN IAM policies use for this route: ``*`` stands
        for the stage, for ``ANY`` and for each path parameter.
    """

    key: RouteKey
    resource: apigwv2.CfnRoute
    target: RouteTarget
    integration: apigwv2.HttpIntegration
    auth: RouteAuth | None
    throttle: Throttle | None
    scopes: tuple[str, ...]
    authorizer: apigwv2.HttpAuthorizer | None
    invoke_arn: str
    _gateway: Construct = field(repr=False, compare=False)

    @property
    def route_key(self) -> str:
        """The route key as API Gateway stores it, for example ``GET /users/{id}``."""
        return self.key.value

    @property
    def logical_id(self) -> str:
        """The logical id of :attr:`resource`: CDK's, from the gateway's path and the route
        key (so adding, removing or reordering other routes never changes it), unless
        overridden."""
        return str(Stack.of(self.resource).resolve(self.resource.logical_id))

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Allow ``grantee`` (a role, user or anything with a principal) to call this route;
        the route must use ``IamAuth()``. A path parameter in the policy is ``*``, which IAM
        also matches across ``/``, so a grant on ``GET /files/{id}`` covers ``GET /files/a/b``
        too if such a route exists; a grant on ``$default`` covers every method and path."""
        from .auth import grant_invoke  # noqa: PLC0415 - auth builds on this module

        return grant_invoke(grantee, self.invoke_arn, self._gateway, self.key.value, self.auth)
