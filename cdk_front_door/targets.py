"""Turning what ``add_route`` is given into one shared integration per gateway.

A target is anything :func:`to_route_target` understands:

* a ``lambda_.IFunction``: an ``AWS_PROXY`` integration with payload format 2.0;
* an ``https://`` URL (a plain string, or :class:`HttpUrl` to name it): an ``HTTP_PROXY``
  integration;
* a :class:`RouteTarget`, or any object with an ``as_route_target()`` method returning one.
  This is how other constructs of this library (and yours) become targets without any change
  here.

Each target is integrated once per gateway, under a construct id derived from the target
itself (never from the routes that use it), and shared by all its routes.
"""

from __future__ import annotations

import hashlib
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar, Protocol, runtime_checkable
from urllib.parse import SplitResult, urlsplit

from aws_cdk import Annotations, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from constructs import Construct, IConstruct

from ._jsii import duration_millis, implements, is_unresolved, node_path, payload_format_version
from .errors import FrontDoorValidationError, check
from .identity import parameter_mapping
from .routes import RouteKey

MAX_INTEGRATION_TIMEOUT_SECONDS = 29
"""The longest API Gateway waits for an integration (as aws-cdk-lib enforces it)."""
LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3
LAMBDA_INIT_SECONDS = 10
"""How long Lambda may spend starting a new execution environment (the Init phase), which the
function's own timeout does not include."""
_TIMEOUT_MARGIN_SECONDS = 1
_URL_PARAMETER = re.compile(r"\{([A-Za-z0-9._-]+)\}")


@dataclass(frozen=True)
class FrontDoor:
    """How clients reach a gateway, or one path of it: the attributes it exposes, as values.

    :param domain: the host name clients use.
    :param url: the URL clients use: the gateway's, ending with ``/``, followed by ``path``.
    :param custom_domains: the custom domain names.
    :param custom_domain_urls: ``https://`` URLs of every API mapping, followed by ``path``.
    :param cdn_domain: the CDN's ``*.cloudfront.net`` domain; None without a CDN.
    :param cdn_url: ``https://{cdn_domain}/`` followed by ``path``; None without a CDN.
    :param cdn_custom_domains: the CDN's custom domain names.
    :param path: the path after the gateway's URLs, without its leading ``/`` (see
        :meth:`at`). Default: - none: the gateway's own URLs
    """

    domain: str
    url: str
    custom_domains: tuple[str, ...] = ()
    custom_domain_urls: tuple[str, ...] = ()
    cdn_domain: str | None = None
    cdn_url: str | None = None
    cdn_custom_domains: tuple[str, ...] = ()
    path: str = ""

    @property
    def custom_domain_url(self) -> str | None:
        """The first of ``custom_domain_urls``; None when there is none."""
        return self.custom_domain_urls[0] if self.custom_domain_urls else None

    @property
    def cdn_custom_domain_urls(self) -> list[str]:
        """``https://`` URLs of the CDN's custom domains, ending with ``/``, followed by
        ``path``."""
        return [f"https://{name}/{self.path}" for name in self.cdn_custom_domains]

    def at(self, path: str) -> FrontDoor:
        """The same front door with every URL followed by ``path`` (no leading ``/``), as
        the URLs of one route."""
        if not path:
            return self
        return replace(
            self,
            url=self.url + path,
            custom_domain_urls=tuple(url + path for url in self.custom_domain_urls),
            cdn_url=None if self.cdn_url is None else self.cdn_url + path,
            path=self.path + path,
        )


@dataclass(frozen=True)
class BindContext:
    """What a target needs to integrate itself with one gateway.

    :param gateway: the gateway construct, for warnings.
    :param front_door: how clients reach the gateway.
    :param scope: the construct this target's resources are defined under; its id is the
        target's ``target_id``.
    :param http_api: the gateway's HTTP API.
    :param allow_invoke: grants the gateway the right to invoke a Lambda function; called any
        number of times, it defines one permission per function and gateway.
    :param vpc_link: the gateway's VPC Link into a VPC (in the given subnets, or a default
        choice) and its security group, defined on first use: one per gateway and VPC, shared
        by all targets in that VPC.
    :param request_parameters: for a target whose class sets ``receives_identity_headers``,
        the parameter mapping its HTTP integration must carry: the caller's identity as
        headers, and the removal of those a client might send (see
        :mod:`cdk_front_door.identity`); empty for other targets.
    """

    gateway: IConstruct
    front_door: FrontDoor
    scope: Construct
    http_api: apigwv2.HttpApi
    allow_invoke: Callable[[lambda_.IFunction], None]
    vpc_link: (
        Callable[[ec2.IVpc, ec2.SubnetSelection | None], tuple[apigwv2.VpcLink, ec2.SecurityGroup]]
        | None
    ) = None
    request_parameters: Mapping[str, str] = field(default_factory=dict)


class RouteTarget(ABC):
    """Something routes can send requests to. Subclass it to add a new kind of target."""

    receives_identity_headers: ClassVar[bool] = False
    """Whether the target is an HTTP backend that gets the caller's identity as headers: its
    ``bind`` must then apply ``BindContext.request_parameters`` to its integration, and it is
    bound once per kind of caller that forwards something (see
    :mod:`cdk_front_door.identity`)."""

    @abstractmethod
    def target_id(self, gateway_stack: Stack) -> str:
        """A construct id that names this target and nothing else, stable across synths.

        Two targets with the same id are the same target: the gateway integrates it once. So
        the id is made from the target's whole configuration (see :func:`id_part` and
        :func:`settings_digest`), or from a name the user gave it.
        """

    def identity(self, gateway_stack: Stack) -> str:
        """The target's whole configuration, as text: two targets with one ``target_id`` but
        different identities are refused by the gateway, which names both. Default: - the
        target id (for targets whose id is made from their whole configuration)"""
        return self.target_id(gateway_stack)

    def validate(self, scope: IConstruct) -> None:  # noqa: B027 - optional hook
        """Raise :class:`FrontDoorValidationError` on bad configuration; called before
        ``target_id`` and ``bind``. Default: accepts everything."""

    def routed(  # noqa: B027 - optional hook
        self, gateway: IConstruct, front_door: FrontDoor, route: RouteKey, *, outputs: bool
    ) -> None:
        """Called by ``gateway`` (reached through ``front_door``) for each route it adds to
        this target, once the route has passed the gateway's own checks and before anything
        of it is defined: a target that stands for a construct tells it how it is reached
        (see :mod:`cdk_front_door.reach`), with stack outputs when ``outputs`` (the gateway's
        setting). Default: nothing."""

    def check_route(self, scope: IConstruct, route: RouteKey) -> None:  # noqa: B027
        """Raise :class:`FrontDoorValidationError` when this target cannot serve ``route``;
        called for every route, before anything is defined. Default: serves any route."""

    @property
    def backend(self) -> IConstruct | None:
        """The construct that serves this target's requests, which the gateway's alarms
        watch (see :class:`cdk_front_door.alarms.Alarms`): a Lambda function, a container
        service, a batch job or a state machine; None for targets with nothing to watch.
        Reading it defines nothing. Default: - None"""
        return None

    @abstractmethod
    def bind(self, context: BindContext) -> apigwv2.HttpIntegration:
        """Define the integration (and anything it needs) under ``context.scope``."""


@runtime_checkable
class SupportsRouteTarget(Protocol):
    """An object that can be a route target, such as a container service."""

    def as_route_target(self) -> RouteTarget:
        """The target that routes to this object use."""
        ...


RouteTargetLike = RouteTarget | SupportsRouteTarget | lambda_.IFunction | str
"""Everything ``HttpApiGateway.add_route`` accepts as a target."""


def to_route_target(scope: IConstruct, target: object) -> RouteTarget:
    """Turn a value given to ``add_route`` into a :class:`RouteTarget`."""
    if isinstance(target, RouteTarget):
        return target
    if isinstance(target, SupportsRouteTarget):
        converted = target.as_route_target()
        if not isinstance(converted, RouteTarget):
            raise FrontDoorValidationError(
                scope,
                f"{type(target).__name__}.as_route_target() returned "
                f"{type(converted).__name__}, not a RouteTarget",
            )
        return converted
    if implements(target, lambda_.IFunction):
        return LambdaFunction(target)  # type: ignore[arg-type]
    if isinstance(target, str):
        return HttpUrl(target)
    raise FrontDoorValidationError(
        scope,
        f"unsupported route target {type(target).__name__} {target!r}: give a "
        "lambda_.IFunction, an https:// URL, a RouteTarget, or an object with "
        "as_route_target()",
    )


def id_part(text: str) -> str:
    """``text`` written as one part of a construct id made of parts joined with ``|``:
    ``%`` and ``|`` are percent-encoded, so that joining is one to one (``x|y`` and ``x/y``
    never meet), and ``/`` (not allowed in ids) is written ``%2F``."""
    return text.replace("%", "%25").replace("|", "%7C").replace("/", "%2F")


def construct_key(construct: IConstruct, gateway_stack: Stack) -> str:
    """The construct's path relative to the gateway's stack (absolute when in another stack),
    its ids joined with ``|`` (see :func:`id_part`) so that it can be a construct id."""
    path = node_path(construct)
    prefix = node_path(gateway_stack) + "/"
    if path.startswith(prefix):
        path = path[len(prefix) :]
    return "|".join(id_part(part) for part in path.split("/"))


def value_id_part(value: str, gateway_stack: Stack) -> str:
    """:func:`id_part` of a setting's value; a token (which no construct id may hold) is
    written as a digest of what it resolves to, which does not depend on how many tokens the
    app made before it."""
    if not is_unresolved(value):
        return id_part(value)
    return "Token" + _digest(gateway_stack.resolve(value))


def settings_digest(
    settings: Mapping[str, object], defaults: Mapping[str, object], gateway_stack: Stack
) -> str:
    """``""`` when every setting has its default, else ``|`` and a digest of the settings
    that differ: appended to a target's id, it keeps the ids of default configurations (and
    so their logical ids) while two configurations never share an id. Tokens count by what
    they resolve to."""
    changed = {name: value for name, value in settings.items() if value != defaults.get(name)}
    if not changed:
        return ""
    if _holds_token(changed):
        changed = gateway_stack.resolve(changed)
    return "|" + _digest(changed)


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _holds_token(value: object) -> bool:
    if isinstance(value, Mapping):
        return any(_holds_token(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_token(item) for item in value)
    return isinstance(value, str) and is_unresolved(value)


def describe_settings(kind: str, resource: str, settings: Mapping[str, object]) -> str:
    """``Kind(resource, name=value, ...)``, for messages that name a target."""
    listed = ", ".join(f"{name}={value!r}" for name, value in settings.items())
    return f"{kind}({resource}{', ' if listed else ''}{listed})"


class LambdaFunction(RouteTarget):
    """A Lambda function behind routes: an ``AWS_PROXY`` integration, payload format 2.0.

    The integration timeout is the function's timeout plus the 10 seconds a cold start may take
    (Lambda's Init phase, not counted in the function's timeout) plus one second, so that the
    function's own timeout error reaches the caller; it is capped at API Gateway's 29 seconds.
    A function that may run past the cap gets a ``cdk-front-door:lambda-timeout`` warning. An
    alias or version is read through to its function; a function whose timeout is unknown
    (imported) gets the cap.

    :param function: the function requests are sent to.
    """

    def __init__(self, function: lambda_.IFunction) -> None:
        self.function = function

    def target_id(self, gateway_stack: Stack) -> str:
        return "Function|" + construct_key(self.function, gateway_stack)

    @property
    def backend(self) -> IConstruct:
        """The function: its errors and throttles are watched."""
        return self.function

    def bind(self, context: BindContext) -> apigwv2.HttpIntegration:
        seconds = _function_timeout_seconds(self.function)
        timeout = float(MAX_INTEGRATION_TIMEOUT_SECONDS)
        if seconds is not None:
            timeout = min(seconds + LAMBDA_INIT_SECONDS + _TIMEOUT_MARGIN_SECONDS, timeout)
            if seconds + _TIMEOUT_MARGIN_SECONDS > MAX_INTEGRATION_TIMEOUT_SECONDS:
                Annotations.of(context.gateway).add_warning_v2(
                    "cdk-front-door:lambda-timeout",
                    f"function {self.function.node.path} may run for {seconds:g} s but API "
                    f"Gateway answers 503 after {MAX_INTEGRATION_TIMEOUT_SECONDS} s: lower its "
                    f"timeout below {MAX_INTEGRATION_TIMEOUT_SECONDS - _TIMEOUT_MARGIN_SECONDS} "
                    "s, or make long work asynchronous",
                )
        integration = apigwv2.HttpIntegration(
            context.scope,
            "Integration",
            http_api=context.http_api,
            integration_type=apigwv2.HttpIntegrationType.AWS_PROXY,
            integration_uri=self.function.function_arn,
            payload_format_version=payload_format_version("2.0"),
            timeout=duration_millis(round(timeout * 1000)),
        )
        context.allow_invoke(self.function)
        return integration


_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_MAX_HOST_LENGTH = 253


def _url_problem(url: str) -> str | None:
    """Why API Gateway could not call ``url``, or None."""
    if any(character.isspace() for character in url):
        return "contains white space: encode it as %20"
    if not url.isascii() or not url.isprintable():
        return (
            "contains control or non-ASCII characters: percent-encode them, and write "
            "international host names in punycode (xn--...)"
        )
    parts = urlsplit(url)
    if parts.scheme != "https":
        return (
            "must use https:// (API Gateway would send requests, and any credentials in them, "
            "in clear text otherwise)"
        )
    port_problem = _port_problem(parts)
    if port_problem is not None:
        return port_problem
    if not parts.hostname or parts.username is not None or parts.fragment:
        return (
            "is not a valid absolute URL: expected https://host[:port][/path] with no user "
            "name or fragment"
        )
    return _host_problem(parts.hostname)


def _port_problem(parts: SplitResult) -> str | None:
    try:
        port = parts.port
    except ValueError:
        return "has a port that is not a whole number from 1 to 65535"
    if port == 0:
        return "has port 0: give a port from 1 to 65535, or none for 443"
    return None


def _host_problem(host: str) -> str | None:
    """Why ``host`` is not a DNS name or IP address API Gateway can reach, or None."""
    if host.startswith("[") or host.replace(".", "").isdigit():
        return None  # an IP literal: urlsplit has checked its form
    if len(host) > _MAX_HOST_LENGTH:
        return f"has a host name of {len(host)} characters; DNS allows {_MAX_HOST_LENGTH}"
    for label in host.rstrip(".").split("."):
        if not _HOST_LABEL.match(label):
            return (
                f"has the host name label {label!r}: a label is 1 to 63 letters, digits and "
                "hyphens, not starting or ending with a hyphen"
            )
    return None


def _function_timeout_seconds(function: lambda_.IFunction) -> float | None:
    """The configured timeout of ``function`` (read through aliases and versions), or None
    when it cannot be known at synth time."""
    if isinstance(function, lambda_.Alias):
        function = function.version
    if isinstance(function, lambda_.Version):
        function = function.lambda_
    if not isinstance(function, lambda_.Function):
        return None
    timeout = function.timeout
    if timeout is None:
        return float(LAMBDA_DEFAULT_TIMEOUT_SECONDS)
    seconds = timeout.to_seconds(integral=False)
    return None if is_unresolved(seconds) else float(seconds)


class HttpUrl(RouteTarget):
    """An HTTPS endpoint behind routes: an ``HTTP_PROXY`` integration (payload format 1.0)
    that forwards every method, with API Gateway's 29-second timeout.

    :param url: the ``https://`` URL requests are sent to; it may use route parameters, as
        ``https://backend.example.com/{proxy}``.
    :param name: the name the integration's construct id is made from; needed when ``url``
        is a token (an id cannot contain one). Default: - derived from ``url``
    """

    receives_identity_headers: ClassVar[bool] = True

    def __init__(self, url: str, *, name: str | None = None) -> None:
        self.url = url
        self.name = name

    def target_id(self, gateway_stack: Stack) -> str:
        if self.name is not None:
            return "Url|" + id_part(self.name)
        # "/" written as "|", after "%" and "|" are encoded: one to one, and readable.
        return "Url|" + self.url.replace("%", "%25").replace("|", "%7C").replace("/", "|")

    def identity(self, gateway_stack: Stack) -> str:
        return describe_settings("HttpUrl", repr(self.url), {"name": self.name})

    def validate(self, scope: IConstruct) -> None:
        """Reject anything but an absolute ``https://`` URL that API Gateway can call."""
        name = check(scope, "HttpUrl name", self.name, str | None)
        if name is not None and is_unresolved(name):
            raise FrontDoorValidationError(
                scope, "HttpUrl name is a token: it names a construct, so give a plain string"
            )
        if name is not None and (not name or "/" in name or not name.isprintable()):
            raise FrontDoorValidationError(
                scope,
                f"HttpUrl name must be a non-empty string without '/' or control characters, "
                f"got {name!r}",
            )
        url = check(scope, "HttpUrl url", self.url, str)
        if is_unresolved(url):
            if name is None:
                raise FrontDoorValidationError(
                    scope,
                    f"url target {url!r} is a token, which cannot name a construct: wrap "
                    "it as HttpUrl(url, name='...')",
                )
            return
        problem = _url_problem(url)
        if problem is not None:
            raise FrontDoorValidationError(scope, f"url target {url!r} {problem}")

    def check_route(self, scope: IConstruct, route: RouteKey) -> None:
        """Every ``{name}`` in the URL must be a path parameter of each route using it."""
        if is_unresolved(self.url):
            return
        missing = [
            name for name in _URL_PARAMETER.findall(self.url) if name not in route.parameters
        ]
        if missing:
            raise FrontDoorValidationError(
                scope,
                f"url target {self.url!r} uses {', '.join('{' + m + '}' for m in missing)} but "
                f"route {route.value!r} has no such path parameter: give the route "
                "'{" + missing[0] + "}' (or '{" + missing[0] + "+}'), or drop it from the URL",
            )

    def bind(self, context: BindContext) -> apigwv2.HttpIntegration:
        return apigwv2.HttpIntegration(
            context.scope,
            "Integration",
            http_api=context.http_api,
            integration_type=apigwv2.HttpIntegrationType.HTTP_PROXY,
            integration_uri=self.url,
            method=apigwv2.HttpMethod.ANY,
            payload_format_version=payload_format_version("1.0"),
            timeout=duration_millis(MAX_INTEGRATION_TIMEOUT_SECONDS * 1000),
            parameter_mapping=parameter_mapping(context.request_parameters),
        )
