"""Route authorization: JWT, Cognito, Lambda and IAM authorizers, and deliberately public routes.

Every route is either authorized or deliberately public. ``HttpApiGateway(default_auth=...)``
applies to every route, ``$default`` included, unless the route names another auth or says
``auth=PUBLIC``. A route that ends up with no auth at all is sent as ``NONE`` but keeps the
cdk-nag finding AwsSolutions-APIG4 and gets a ``cdk-front-door:unauthenticated-route`` warning,
so a forgotten authorizer is never silent.

Each distinct auth (same kind and same settings; scopes aside, which belong to routes) becomes
one authorizer per gateway, shared by all its routes. ``IamAuth`` needs no authorizer resource.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, ClassVar

from aws_cdk import Annotations, ArnFormat, Duration, Reference, Stack, Tokenization
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct, IConstruct

from ._jsii import implements, is_unresolved
from .errors import FrontDoorValidationError, check
from .targets import construct_key

# Imported where Cognito auth is validated: other gateways do not pay for the module.
if TYPE_CHECKING:
    from aws_cdk import aws_cognito as cognito

DEFAULT_PUBLIC_REASON = (
    "the route is deliberately public (auth=PUBLIC): it serves anonymous callers"
)
AUTHORIZATION_HEADER = "$request.header.Authorization"
MAX_AUTHORIZERS = 10  # per API (a hard quota)
MAX_CACHE_TTL_SECONDS = 3600

_HEADER = re.compile(r"\$request\.header\.[A-Za-z0-9!#$%&'*+.^_`|~-]+")
_QUERY = re.compile(r"\$request\.querystring\.[A-Za-z0-9._~-]+")
_CONTEXT = re.compile(r"\$context\.[A-Za-z][A-Za-z0-9_.]*")
_STAGE_VARIABLE = re.compile(r"\$stageVariables\.[A-Za-z0-9_]+")
_SCOPE = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")  # RFC 6749 scope-token characters


def _strings(value: object) -> object:
    """A list or tuple as a tuple (so that options compare and hash by value); anything else,
    a string included, unchanged, for validation to report: a string is not a list."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def _pool_identity(pool_id: str) -> tuple[str, str] | None:
    """What a user pool id tells of its pool: ``("id", <id>)`` for a known id, ``("resource",
    <construct path>)`` for a reference to a pool defined in the app; None for another token,
    which might stand for any pool."""
    if not is_unresolved(pool_id):
        return ("id", pool_id)
    reference = Tokenization.reverse(pool_id, fail_concat=False)
    if not isinstance(reference, Reference) or reference.display_name != "Ref":
        return None
    resource = reference.target
    # The L2 UserPool holds its resource as "Resource": name the pool the user defined.
    owner = resource.node.scope if resource.node.id == "Resource" else None
    return ("resource", (owner or resource).node.path)


@dataclass(frozen=True, kw_only=True)
class Public:
    """Marks a route as deliberately open to anonymous callers.

    :param reason: why the route needs no authorization; recorded with the cdk-nag
        acknowledgment. Default: - "the route is deliberately public (auth=PUBLIC): it serves
        anonymous callers"
    """

    reason: str = DEFAULT_PUBLIC_REASON


PUBLIC = Public()
"""A route anyone may call, with the default reason."""


class _Authorized:
    """What every auth that checks callers has: a route authorization type, and (except IAM)
    one shared authorizer per gateway."""

    authorization_type: ClassVar[str]
    kind: ClassVar[str]
    takes_scopes: ClassVar[bool] = False

    @property
    def default_scopes(self) -> tuple[str, ...]:
        return ()

    def validate(self, scope: IConstruct) -> None:
        raise NotImplementedError

    def authorizer_key(self, gateway_stack: Stack) -> str | None:
        """What makes two auths share one authorizer; None when no authorizer is needed."""
        raise NotImplementedError

    def define_authorizer(
        self,
        scope: Construct,
        construct_id: str,
        http_api: apigwv2.HttpApi,
        allow_invoke: Callable[[lambda_.IFunction, str, str], None],
    ) -> apigwv2.HttpAuthorizer:
        raise NotImplementedError


class _JwtKind(_Authorized):
    """What JWT and Cognito auth share: the JWT authorizer type and scopes."""

    authorization_type: ClassVar[str] = "JWT"
    takes_scopes: ClassVar[bool] = True
    scopes: Sequence[str]
    identity_source: str

    @property
    def default_scopes(self) -> tuple[str, ...]:
        return tuple(self.scopes)

    def _jwt_authorizer(
        self,
        scope: Construct,
        construct_id: str,
        http_api: apigwv2.HttpApi,
        *,
        issuer: str,
        audience: list[str],
    ) -> apigwv2.HttpAuthorizer:
        return apigwv2.HttpAuthorizer(
            scope,
            construct_id,
            http_api=http_api,
            type=apigwv2.HttpAuthorizerType.JWT,
            identity_source=[self.identity_source],
            jwt_issuer=issuer,
            jwt_audience=audience,
        )


@dataclass(frozen=True)
class JwtAuth(_JwtKind):
    """Callers present a JSON Web Token from an OpenID Connect issuer; API Gateway checks its
    signature (keys from the issuer's ``/.well-known/openid-configuration``), expiry, issuer
    and audience before the route runs.

    :param issuer: the issuer URL, exactly as in the tokens' ``iss`` claim (Auth0's ends with
        ``/``, Cognito's does not), ``https://`` only.
    :param audience: the accepted audiences; a token must carry one of them in ``aud`` (or, for
        tokens without ``aud`` such as Cognito access tokens, in ``client_id``).
    :param scopes: scopes for routes that use this auth without ``scopes=`` of their own; a
        token needs any one of them in its ``scope`` claim. Default: - no scope is required
    :param identity_source: where the token is read. Default: - the ``Authorization`` header
        (``$request.header.Authorization``), with or without a ``Bearer`` prefix
    """

    issuer: str
    _: KW_ONLY
    audience: Sequence[str]
    scopes: Sequence[str] = ()
    identity_source: str = AUTHORIZATION_HEADER

    kind: ClassVar[str] = "Jwt"

    def __post_init__(self) -> None:
        object.__setattr__(self, "audience", _strings(self.audience))
        object.__setattr__(self, "scopes", _strings(self.scopes))

    def validate(self, scope: IConstruct) -> None:
        issuer = self.issuer
        if not isinstance(issuer, str):
            raise FrontDoorValidationError(
                scope, f"JWT issuer must be an https:// URL, got {type(issuer).__name__}"
            )
        if not is_unresolved(issuer) and not re.fullmatch(r"https://[^\s/?#]+(/[^\s?#]*)?", issuer):
            raise FrontDoorValidationError(
                scope,
                f"JWT issuer {issuer!r} must be an https:// URL with no query or fragment, "
                "exactly as in the tokens' iss claim",
            )
        _validate_audience(scope, self.audience)
        _validate_scopes(scope, self.scopes, "scopes of JwtAuth")
        _validate_jwt_source(scope, self.identity_source)

    def authorizer_key(self, gateway_stack: Stack) -> str:
        # Tokens are resolved: their string form depends on how many tokens exist before.
        issuer, audience = (
            json.dumps(gateway_stack.resolve(value), sort_keys=True)
            for value in (self.issuer, sorted(self.audience))
        )
        return "\n".join(["jwt", issuer, audience, _source_key(self.identity_source)])

    def define_authorizer(
        self,
        scope: Construct,
        construct_id: str,
        http_api: apigwv2.HttpApi,
        allow_invoke: Callable[[lambda_.IFunction, str, str], None],
    ) -> apigwv2.HttpAuthorizer:
        return self._jwt_authorizer(
            scope, construct_id, http_api, issuer=self.issuer, audience=list(self.audience)
        )


@dataclass(frozen=True)
class CognitoAuth(_JwtKind):
    """Callers present a token from a Cognito user pool, issued to one of the given app
    clients: a JWT authorizer for the pool, with no app client created behind your back.

    :param user_pool: the user pool that issues the tokens.
    :param clients: the app clients whose tokens are accepted (ID tokens carry the client in
        ``aud``, access tokens in ``client_id``; API Gateway accepts either). Each must be a
        client of ``user_pool``: a client defined in the app for another pool is refused. An
        imported client (``UserPoolClient.from_user_pool_client_id``) names no pool, so it
        cannot be checked.
    :param scopes: scopes for routes that use this auth without ``scopes=`` of their own (they
        are in access tokens only: ``openid``, ``email``, or a resource server's
        ``<identifier>/<scope>``); a token needs any one of them. Default: - no scope is
        required
    :param identity_source: where the token is read. Default: - the ``Authorization`` header
    """

    user_pool: cognito.IUserPool
    _: KW_ONLY
    clients: Sequence[cognito.IUserPoolClient]
    scopes: Sequence[str] = ()
    identity_source: str = AUTHORIZATION_HEADER

    kind: ClassVar[str] = "Cognito"
    # Set once the clients' pools have been compared with user_pool: that reads each client
    # from the jsii kernel, and a gateway validates its auth on every route.
    _pools_checked: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "clients", _strings(self.clients))
        object.__setattr__(self, "scopes", _strings(self.scopes))

    def validate(self, scope: IConstruct) -> None:
        from aws_cdk import aws_cognito as cognito  # noqa: PLC0415 - see TYPE_CHECKING

        if not implements(self.user_pool, cognito.IUserPool):
            raise FrontDoorValidationError(
                scope,
                f"CognitoAuth user_pool must be a cognito.IUserPool, got "
                f"{type(self.user_pool).__name__}",
            )
        clients = self.clients
        if not isinstance(clients, tuple) or not clients:
            raise FrontDoorValidationError(
                scope,
                "CognitoAuth needs at least one app client in clients=[...]: tokens are "
                "accepted only from the clients you name (none is created for you)",
            )
        for client in clients:
            if not implements(client, cognito.IUserPoolClient):
                raise FrontDoorValidationError(
                    scope,
                    f"CognitoAuth clients must be cognito.IUserPoolClient, got "
                    f"{type(client).__name__}",
                )
        _validate_scopes(scope, self.scopes, "scopes of CognitoAuth")
        _validate_jwt_source(scope, self.identity_source)
        if not self._pools_checked:
            self._check_client_pools(scope)
            object.__setattr__(self, "_pools_checked", True)

    def _check_client_pools(self, scope: IConstruct) -> None:
        """Refuse a client defined for another user pool than ``user_pool``: API Gateway would
        refuse every token of it (they name that pool as their issuer). Clients imported by
        id, and pools known only through a token other than a reference to their resource,
        are not checked."""
        from aws_cdk import aws_cognito as cognito  # noqa: PLC0415 - see TYPE_CHECKING

        pool_id = self.user_pool.user_pool_id
        pool = _pool_identity(pool_id)
        for client in self.clients:
            resource = client.node.default_child
            if not isinstance(resource, cognito.CfnUserPoolClient):
                continue  # an imported client: its pool is not known
            client_pool_id = resource.user_pool_id
            if client_pool_id == pool_id:
                continue
            other = _pool_identity(client_pool_id)
            if pool is None or other is None or pool[0] != other[0] or pool == other:
                continue
            raise FrontDoorValidationError(
                scope,
                f"CognitoAuth client {client.node.path} belongs to user pool {other[1]}, not to "
                f"user_pool {self.user_pool.node.path}: the authorizer would refuse every token "
                "of the client; give the pool the client belongs to, or clients of this pool",
            )

    def authorizer_key(self, gateway_stack: Stack) -> str:
        clients = sorted(construct_key(client, gateway_stack) for client in self.clients)
        pool = construct_key(self.user_pool, gateway_stack)
        return "\n".join(["cognito", pool, *clients, _source_key(self.identity_source)])

    def define_authorizer(
        self,
        scope: Construct,
        construct_id: str,
        http_api: apigwv2.HttpApi,
        allow_invoke: Callable[[lambda_.IFunction, str, str], None],
    ) -> apigwv2.HttpAuthorizer:
        stack = Stack.of(scope)
        region = self.user_pool.env.region
        return self._jwt_authorizer(
            scope,
            construct_id,
            http_api,
            issuer=f"https://cognito-idp.{region}.{stack.url_suffix}/{self.user_pool.user_pool_id}",
            audience=[client.user_pool_client_id for client in self.clients],
        )


@dataclass(frozen=True)
class LambdaAuth(_Authorized):
    """A Lambda function decides (a ``REQUEST`` authorizer, payload format 2.0).

    Unlike aws-cdk-lib's ``HttpLambdaAuthorizer`` (which caches decisions for 5 minutes by
    default), results are not cached unless you say so: a cached "allow" outlives a revoked
    key or a logged-out session.

    :param function: the authorizer function. It gets one invoke permission, limited to this
        authorizer.
    :param identity_sources: request values the authorizer needs (``$request.header.<name>``,
        ``$request.querystring.<name>``, ``$context.<variable>``, ``$stageVariables.<name>``);
        a request missing any of them is refused with 401 without invoking the function. With
        a cache they form the cache key. Default: - the ``Authorization`` header
    :param cache_ttl: how long API Gateway caches a decision for the same identity sources,
        0 to 3600 seconds; caching needs a ``$request`` identity source. A cached decision
        holds for every route sharing the authorizer: add ``$context.routeKey`` to the
        identity sources to decide per route. Default: - not cached (0 seconds)
    :param simple_responses: whether the function answers ``{"isAuthorized": bool,
        "context": {...}}`` (True) or an IAM policy document (False). Default: true
    """

    function: lambda_.IFunction
    _: KW_ONLY
    identity_sources: Sequence[str] = (AUTHORIZATION_HEADER,)
    cache_ttl: Duration = field(default_factory=lambda: Duration.seconds(0))
    simple_responses: bool = True

    authorization_type: ClassVar[str] = "CUSTOM"
    kind: ClassVar[str] = "Lambda"

    def __post_init__(self) -> None:
        object.__setattr__(self, "identity_sources", _strings(self.identity_sources))

    def validate(self, scope: IConstruct) -> None:
        if not implements(self.function, lambda_.IFunction):
            raise FrontDoorValidationError(
                scope,
                f"LambdaAuth function must be a lambda_.IFunction, got "
                f"{type(self.function).__name__}",
            )
        sources = check(scope, "LambdaAuth identity_sources", self.identity_sources, Sequence[str])
        for source in sources:
            if not is_unresolved(source) and not any(
                pattern.fullmatch(source)
                for pattern in (_HEADER, _QUERY, _CONTEXT, _STAGE_VARIABLE)
            ):
                raise FrontDoorValidationError(
                    scope,
                    f"identity source {source!r} is not valid: use $request.header.<name>, "
                    "$request.querystring.<name>, $context.<variable> or "
                    "$stageVariables.<name>",
                )
        if len({_source_key(source) for source in sources}) != len(sources):
            raise FrontDoorValidationError(
                scope, f"LambdaAuth identity_sources lists a value twice: {list(sources)}"
            )
        seconds = self.cache_seconds(scope)
        # A token may stand for any TTL: it is held to the rule of a cache that is on.
        cached = seconds is None or seconds > 0
        if cached and not any(source.startswith("$request.") for source in sources):
            shown = "a token" if seconds is None else f"{seconds} s"
            raise FrontDoorValidationError(
                scope,
                f"LambdaAuth cache_ttl of {shown} needs identity_sources with a request "
                "value ($request.header.<name> or $request.querystring.<name>): they are the "
                "cache key, and without one a caller's decision would apply to other callers",
            )
        check(scope, "LambdaAuth simple_responses", self.simple_responses, bool)

    def cache_seconds(self, scope: IConstruct) -> int | None:
        """The cache TTL in whole seconds, checked to be within 0 to 3600; None for a token."""
        ttl = self.cache_ttl
        if not isinstance(ttl, Duration):
            raise FrontDoorValidationError(
                scope, f"LambdaAuth cache_ttl must be a Duration, got {type(ttl).__name__}"
            )
        seconds = ttl.to_seconds(integral=False)
        if is_unresolved(seconds):
            return None
        if seconds != int(seconds) or not 0 <= seconds <= MAX_CACHE_TTL_SECONDS:
            raise FrontDoorValidationError(
                scope,
                f"LambdaAuth cache_ttl of {seconds:g} s is not allowed: give whole seconds "
                f"from 0 (no cache) to {MAX_CACHE_TTL_SECONDS}",
            )
        return int(seconds)

    def authorizer_key(self, gateway_stack: Stack) -> str:
        return "\n".join(
            [
                "lambda",
                construct_key(self.function, gateway_stack),
                *sorted(_source_key(source) for source in self.identity_sources),
                str(self.cache_ttl.to_seconds()),
                str(self.simple_responses),
            ]
        )

    def define_authorizer(
        self,
        scope: Construct,
        construct_id: str,
        http_api: apigwv2.HttpApi,
        allow_invoke: Callable[[lambda_.IFunction, str, str], None],
    ) -> apigwv2.HttpAuthorizer:
        stack = Stack.of(scope)
        authorizer = apigwv2.HttpAuthorizer(
            scope,
            construct_id,
            http_api=http_api,
            type=apigwv2.HttpAuthorizerType.LAMBDA,
            identity_source=list(self.identity_sources),
            authorizer_uri=(
                f"arn:{stack.partition}:apigateway:{self.function.env.region}:lambda:path/"
                f"2015-03-31/functions/{self.function.function_arn}/invocations"
            ),
            payload_format_version=apigwv2.AuthorizerPayloadVersion.VERSION_2_0,
            enable_simple_responses=self.simple_responses,
            results_cache_ttl=self.cache_ttl,
        )
        allow_invoke(
            self.function,
            "Authorizer|" + construct_id,
            stack.format_arn(
                service="execute-api",
                resource=http_api.api_id,
                resource_name=f"authorizers/{authorizer.authorizer_id}",
                arn_format=ArnFormat.SLASH_RESOURCE_NAME,
            ),
        )
        return authorizer


@dataclass(frozen=True)
class IamAuth(_Authorized):
    """Callers sign requests with AWS Signature Version 4; IAM decides. Grant a role or user
    access to a route with ``route.grant_invoke(grantee)``."""

    authorization_type: ClassVar[str] = "AWS_IAM"
    kind: ClassVar[str] = "Iam"

    def validate(self, scope: IConstruct) -> None:
        return None

    def authorizer_key(self, gateway_stack: Stack) -> None:
        return None


RouteAuth = Public | JwtAuth | CognitoAuth | LambdaAuth | IamAuth
"""Everything ``auth=`` and ``default_auth=`` accept."""

_AUTH_TYPES = (Public, JwtAuth, CognitoAuth, LambdaAuth, IamAuth)


def validate_route_auth(scope: IConstruct, auth: object, what: str = "auth") -> RouteAuth | None:
    """Check an ``auth`` (or ``default_auth``) option."""
    if auth is None:
        return None
    if not isinstance(auth, _AUTH_TYPES):
        raise FrontDoorValidationError(
            scope,
            f"{what} must be PUBLIC, Public(reason=...), JwtAuth, CognitoAuth, LambdaAuth or "
            f"IamAuth, got {type(auth).__name__} {auth!r}",
        )
    if isinstance(auth, Public):
        reason = check(scope, "public route reason", auth.reason, str)
        if is_unresolved(reason):
            raise FrontDoorValidationError(
                scope,
                "public route reason is a token: it is written for reviewers (in the cdk-nag "
                "acknowledgment), not deployed, so give plain text",
            )
        if len(reason.strip()) < 10:
            raise FrontDoorValidationError(
                scope,
                f"public route reason {auth.reason!r} is too short: say in at least 10 "
                "characters why anonymous callers may use the route",
            )
    else:
        auth.validate(scope)
    return auth


def route_scopes(
    scope: IConstruct, route: str, auth: RouteAuth | None, scopes: object
) -> tuple[str, ...]:
    """The scopes a route requires: its own ``scopes=``, else its auth's default scopes."""
    if scopes is None:
        return auth.default_scopes if isinstance(auth, _JwtKind) else ()
    if isinstance(auth, Public):
        raise FrontDoorValidationError(
            scope,
            f"route {route!r} is public (auth=PUBLIC) and cannot require scopes {scopes!r}: "
            "scopes need a token, so drop them or give the route a JwtAuth or CognitoAuth",
        )
    if auth is None or not auth.takes_scopes:
        kind = "no auth" if auth is None else type(auth).__name__
        raise FrontDoorValidationError(
            scope,
            f"route {route!r} has {kind}, which cannot check scopes {scopes!r} (API Gateway "
            "accepts authorization scopes only with JWT authorizers): use JwtAuth or "
            "CognitoAuth, or check permissions in your authorizer",
        )
    normalized = _strings(scopes)
    _validate_scopes(scope, normalized, f"scopes of route {route!r}")
    assert isinstance(normalized, tuple)
    return normalized


class Authorizers:
    """The authorizers of one gateway: one per distinct auth (kind and settings, scopes
    aside), shared by its routes, defined on first use under ``<gateway>/<construct_id>``, at
    most :data:`MAX_AUTHORIZERS` (API Gateway's quota per API).

    :param gateway: the gateway the authorizers belong to.
    :param construct_id: the id of the construct that holds them, made on first use.
    :param http_api: the gateway's HTTP API.
    :param allow_invoke: grants API Gateway the right to invoke an authorizer's function.
    """

    def __init__(
        self,
        gateway: Construct,
        construct_id: str,
        http_api: apigwv2.HttpApi,
        allow_invoke: Callable[[lambda_.IFunction, str, str], None],
    ) -> None:
        self._gateway = gateway
        self._construct_id = construct_id
        self._http_api = http_api
        self._allow_invoke = allow_invoke
        self._scope: Construct | None = None
        self._by_key: dict[str, apigwv2.HttpAuthorizer] = {}
        self._stack: Stack | None = None  # asked of the kernel once, for the first auth

    @property
    def all(self) -> list[apigwv2.HttpAuthorizer]:
        """The authorizers in order of first use; empty when there are none."""
        return list(self._by_key.values())

    def for_auth(self, auth: RouteAuth | None) -> apigwv2.HttpAuthorizer | None:
        """The authorizer for ``auth``, defined on first use; None when ``auth`` needs none."""
        if auth is None or isinstance(auth, Public):
            return None
        if self._stack is None:
            self._stack = Stack.of(self._gateway)
        key = auth.authorizer_key(self._stack)
        if key is None:
            return None
        authorizer = self._by_key.get(key)
        if authorizer is None:
            if len(self._by_key) == MAX_AUTHORIZERS:
                raise FrontDoorValidationError(
                    self._gateway,
                    f"{type(auth).__name__} would be authorizer number "
                    f"{MAX_AUTHORIZERS + 1} of this API, but API Gateway allows "
                    f"{MAX_AUTHORIZERS}: routes with the same auth settings share one "
                    "authorizer (scopes aside), so reuse auth objects or settings",
                )
            if self._scope is None:
                self._scope = Construct(self._gateway, self._construct_id)
            authorizer = auth.define_authorizer(
                self._scope, authorizer_id(auth.kind, key), self._http_api, self._allow_invoke
            )
            self._by_key[key] = authorizer
        return authorizer


def authorizer_id(kind: str, key: str) -> str:
    """A construct id for the authorizer of ``key``: stable while its settings are."""
    return f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def invoke_arn_resource(api_id: str, method: str, path: str | None) -> str:
    """The ``execute-api`` resource of a route, for IAM policies: ``{api}/*/{METHOD}/{path}``
    with ``*`` for ANY and for every path parameter, and everything for ``$default``."""
    if path is None:
        return f"{api_id}/*"
    segments = ["*" if part.startswith("{") else part for part in path.strip("/").split("/")]
    return f"{api_id}/*/{'*' if method == 'ANY' else method}/{'/'.join(segments)}"


def grant_invoke(
    grantee: iam.IGrantable, resource_arn: str, scope: IConstruct, route: str, auth: object
) -> iam.Grant:
    """Allow ``grantee`` to call an IAM-authorized route."""
    if not isinstance(auth, IamAuth):
        raise FrontDoorValidationError(
            scope,
            f"grant_invoke on route {route!r} needs auth=IamAuth(), not "
            f"{type(auth).__name__ if auth is not None else 'no auth'}: IAM policies are "
            "checked only on IAM-authorized routes",
        )
    return iam.Grant.add_to_principal(
        grantee=grantee, actions=["execute-api:Invoke"], resource_arns=[resource_arn]
    )


def _source_key(source: str) -> str:
    """An identity source as API Gateway compares it: header names ignore case."""
    prefix = "$request.header."
    return prefix + source[len(prefix) :].lower() if source.startswith(prefix) else source


def _validate_audience(scope: IConstruct, audience: object) -> None:
    check(scope, "JwtAuth audience", audience, Sequence[str])
    if (
        not isinstance(audience, tuple)
        or not audience
        or not all(isinstance(a, str) and a.strip() for a in audience)
    ):
        raise FrontDoorValidationError(
            scope,
            f"JWT audience {audience!r} must list at least one non-empty audience: API "
            "Gateway accepts a token only if its aud (or client_id) is one of them",
        )


def _validate_scopes(scope: IConstruct, scopes: object, what: str) -> None:
    check(scope, what, scopes, Sequence[str])
    assert isinstance(scopes, Sequence)
    for item in scopes:
        if not isinstance(item, str) or (not is_unresolved(item) and not _SCOPE.fullmatch(item)):
            raise FrontDoorValidationError(
                scope,
                f"{what}: {item!r} is not a scope: one word of printable characters, no "
                "spaces, quotes or backslashes (for example 'orders:write')",
            )
    if len(set(scopes)) != len(scopes):
        raise FrontDoorValidationError(scope, f"{what} lists a scope twice: {list(scopes)}")


def _validate_jwt_source(scope: IConstruct, source: object) -> None:
    if not isinstance(source, str) or not (_HEADER.fullmatch(source) or _QUERY.fullmatch(source)):
        raise FrontDoorValidationError(
            scope,
            f"JWT identity source {source!r} is not valid: give one "
            "$request.header.<name> or $request.querystring.<name>",
        )


def cdn_auth_warning(auth: RouteAuth | None) -> tuple[str, str] | None:
    """The warning (its id and message) about what a CDN in front changes for routes with
    ``auth``; None when it changes nothing."""
    if isinstance(auth, IamAuth):
        return (
            "cdk-front-door:iam-behind-cdn",
            "IAM-authorized routes cannot be called through the CDN: SigV4 signs the Host "
            "header, which CloudFront replaces. Signed requests must go to the API's own "
            "URL (url), not cdn_url",
        )
    if not isinstance(auth, LambdaAuth | JwtAuth | CognitoAuth):
        return None
    sources = auth.identity_sources if isinstance(auth, LambdaAuth) else (auth.identity_source,)
    if all(source.lower() == AUTHORIZATION_HEADER.lower() for source in sources):
        return None
    return (
        "cdk-front-door:cdn-identity-source",
        f"{type(auth).__name__} reads identity sources {list(sources)}, but the CDN's cache "
        "key holds only the Authorization header (and the query strings of its rules): a "
        "cache rule with a TTL on these routes would serve a cached answer to callers without "
        "credentials. Keep such routes out of cache rules, or read credentials from the "
        "Authorization header",
    )


class CdnAuthWarnings:
    """Warns, once per kind, of what the CDN in front of ``scope`` (a gateway) changes for the
    auth of its routes (see :func:`cdn_auth_warning`)."""

    def __init__(self, scope: IConstruct) -> None:
        self._scope = scope
        self._given: set[str] = set()

    def check(self, auth: RouteAuth | None) -> None:
        warning = cdn_auth_warning(auth)
        if warning is not None and warning[0] not in self._given:
            self._given.add(warning[0])
            Annotations.of(self._scope).add_warning_v2(*warning)
