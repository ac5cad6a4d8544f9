"""Cross-origin resource sharing (CORS) for a gateway.

Once CORS is configured, API Gateway answers preflight ``OPTIONS`` requests itself, before any
route or authorizer, and adds the CORS headers to every response (it ignores those sent by the
integration).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aws_cdk import Acknowledgment, Annotations, Duration, Validations
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as lambda_
from constructs import Construct, IConstruct

from ._functions import own_function
from ._jsii import is_unresolved
from .errors import FrontDoorValidationError, check
from .routes import RouteKey
from .targets import LambdaFunction, RouteTarget

if TYPE_CHECKING:
    from .integrations import Integrations

DEFAULT_ALLOW_HEADERS = (
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amz-User-Agent",
)
CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*")
_METHOD_ORDER = {method: index for index, method in enumerate(CORS_METHODS)}
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_MAX_AGE_SECONDS = 86400
DEFAULT_MAX_AGE_SECONDS = 600
"""How long browsers cache a preflight answer unless ``Cors(max_age=...)`` says otherwise."""


@dataclass(frozen=True, kw_only=True)
class Cors:
    """What browsers on other origins may do with the API.

    :param allow_origins: origins allowed to call the API, each written exactly as browsers
        send the ``Origin`` header (or it would never match): ``scheme://host[:port]``, scheme
        ``http`` or ``https``, scheme and host in lower case; the host a domain name (labels of
        1 to 63 letters, digits and hyphens, at most 253 characters; international names in
        punycode, ``xn--``), an IPv4 address or a bracketed IPv6 address as browsers write
        them; a port from 1 to 65535 without leading zeros, and never the scheme's default
        (``:443``, ``:80``); no path, trailing ``/``, query, fragment, user info or whitespace.
        Wildcards: ``*`` alone for any origin; ``https://*`` or ``http://*`` for any origin of
        that scheme; ``https://*.example.com`` for the subdomains of a domain (``*`` as the
        first label only, followed by at least two labels). Rejected: ``null`` (any site can
        make a browser send it), an origin listed twice, and any wildcard together with
        ``allow_credentials``. Default: - any origin (``*``)
    :param allow_methods: methods allowed in cross-origin requests (``*`` for all). Default: -
        the methods used by the gateway's routes, plus ``OPTIONS``; ``*`` once a route takes
        every method (``ANY`` or ``$default``)
    :param allow_headers: request headers allowed in cross-origin requests, sent lower case
        (API Gateway stores them so). Default: - Content-Type, X-Amz-Date, Authorization,
        X-Api-Key, X-Amz-Security-Token, X-Amz-User-Agent
    :param expose_headers: response headers a browser script may read. Default: - none
    :param allow_credentials: whether cookies and authorization headers may be sent; not
        allowed together with a wildcard origin (``*``, ``https://*``,
        ``https://*.example.com``). Default: false
    :param max_age: how long a browser may cache a preflight answer, 0 to 86,400 seconds
        (browsers cap it: Chromium at 2 hours, Firefox at 24 hours). ``Duration.seconds(0)`` makes
        the browser ask before every request that needs a preflight. Default: - 10 minutes
        (:data:`DEFAULT_MAX_AGE_SECONDS`): without it a browser asks again after 5 seconds, which on
        an ``ANY`` or ``$default`` route is one more request and one preflight function call
        per request; with it, a CORS change reaches every browser within 10 minutes
    """

    allow_origins: Sequence[str] = ("*",)
    allow_methods: Sequence[str] | None = None
    allow_headers: Sequence[str] = DEFAULT_ALLOW_HEADERS
    expose_headers: Sequence[str] = ()
    allow_credentials: bool = False
    max_age: Duration | None = None


def resolve_cors(scope: IConstruct, cors: bool | Cors | None) -> Cors | None:
    """Validate the ``cors`` prop and return the configuration it stands for."""
    if cors is None or cors is False:
        return None
    if cors is True:
        cors = Cors()
    if not isinstance(cors, Cors):
        raise FrontDoorValidationError(
            scope, f"cors must be True, False or a Cors(...), got {type(cors).__name__} {cors!r}"
        )
    origins = _check_origins(scope, cors.allow_origins)
    _check_credentials(scope, cors, origins)
    _check_methods(scope, cors.allow_methods)
    for what, headers in (
        ("allow_headers", cors.allow_headers),
        ("expose_headers", cors.expose_headers),
    ):
        for header in _as_list(scope, f"cors {what}", headers):
            if header != "*" and not is_unresolved(header) and not _HEADER_NAME.match(header):
                raise FrontDoorValidationError(
                    scope,
                    f"invalid header name {header!r} in cors {what}: use letters, digits and "
                    "!#$%&'*+.^_`|~- only, or '*'",
                )
    _check_max_age(scope, cors.max_age)
    if cors.max_age is None:
        return replace(cors, max_age=Duration.seconds(DEFAULT_MAX_AGE_SECONDS))
    return cors


def lower_headers(headers: Iterable[str]) -> list[str]:
    """Header names as API Gateway stores them (lower case), so that deploys show no drift."""
    return sorted({header if is_unresolved(header) else header.lower() for header in headers})


def cors_methods(used_methods: Iterable[str], *, credentials: bool = False) -> list[str]:
    """The CORS methods for routes using ``used_methods`` (``ANY`` written ``*``): those plus
    OPTIONS, or ``*`` once a route takes every method; with credentials every method is named,
    because browsers read ``*`` literally for credentialed requests."""
    methods = {"OPTIONS", *used_methods}
    if "*" in methods:
        if not credentials:
            return ["*"]
        methods = set(CORS_METHODS) - {"*"}
    return sorted(methods, key=_METHOD_ORDER.__getitem__)


def _as_list(scope: IConstruct, what: str, value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise FrontDoorValidationError(
            scope, f"{what} must be a list of strings, got {type(value).__name__} {value!r}"
        )
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise FrontDoorValidationError(
                scope, f"{what} must be a list of strings, found {type(item).__name__} {item!r}"
            )
    return items


def _check_origins(scope: IConstruct, value: object) -> list[str]:
    origins = _as_list(scope, "cors allow_origins", value)
    if not origins:
        raise FrontDoorValidationError(
            scope, "cors allow_origins is empty: give at least one origin, or '*' for any"
        )
    seen: set[str] = set()
    for origin in origins:
        _validate_origin(scope, origin)
        if origin in seen:
            raise FrontDoorValidationError(
                scope, f"cors allow_origins lists {origin!r} more than once: list each origin once"
            )
        seen.add(origin)
    if "*" in origins and len(origins) > 1:
        raise FrontDoorValidationError(
            scope,
            f"cors allow_origins {origins!r} mixes '*' with other origins: use '*' alone "
            "or list the origins",
        )
    return origins


def _check_credentials(scope: IConstruct, cors: Cors, origins: list[str]) -> None:
    check(scope, "cors allow_credentials", cors.allow_credentials, bool)
    if not cors.allow_credentials:
        return
    for origin in origins:
        if "*" in origin and not is_unresolved(origin):
            raise FrontDoorValidationError(
                scope,
                f"cors allow_credentials=True is not allowed with the origin {origin!r}: a "
                "wildcard would let every matching site send the user's cookies and read the "
                "answers (browsers refuse '*' with credentials outright); list the exact "
                "origins instead, for example 'https://app.example.com'",
            )
    # Browsers read '*' literally in answers to credentialed requests (Fetch standard).
    for what, values in (
        ("allow_methods", cors.allow_methods or ()),
        ("allow_headers", cors.allow_headers),
        ("expose_headers", cors.expose_headers),
    ):
        if "*" in values:
            raise FrontDoorValidationError(
                scope,
                f"cors {what} '*' is not allowed with allow_credentials=True: browsers read "
                "'*' literally for credentialed requests; list the names",
            )


def _check_methods(scope: IConstruct, value: Sequence[str] | None) -> None:
    if value is None:
        return
    methods = _as_list(scope, "cors allow_methods", value)
    if not methods:
        raise FrontDoorValidationError(
            scope,
            "cors allow_methods is empty: give methods, or leave it unset to derive them "
            "from the routes",
        )
    for method in methods:
        if method not in CORS_METHODS:
            raise FrontDoorValidationError(
                scope,
                f"invalid cors method {method!r}: allowed are {', '.join(CORS_METHODS)} "
                "(upper case; '*' for all)",
            )


def _check_max_age(scope: IConstruct, max_age: object) -> None:
    if max_age is None:
        return
    if not isinstance(max_age, Duration):
        raise FrontDoorValidationError(scope, f"cors max_age must be a Duration, got {max_age!r}")
    seconds = max_age.to_seconds(integral=False)
    if is_unresolved(seconds):
        return
    if not float(seconds).is_integer() or not 0 <= seconds <= _MAX_AGE_SECONDS:
        raise FrontDoorValidationError(
            scope,
            f"cors max_age must be whole seconds between 0 and {_MAX_AGE_SECONDS}, got "
            f"{seconds:g} seconds",
        )


# Origins are compared as browsers serialize the Origin header (RFC 6454, WHATWG URL "ASCII
# serialization of an origin"): scheme://host[:port], lower case, the default port left out.
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AUTHORITY = re.compile(r"(?P<host>\[[^\]]*\]|[^:\[\]]*)(?::(?P<port>.*))?")
_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# A host whose last label is a number is read by browsers as an IPv4 address (WHATWG URL).
_NUMBER_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_PORT = re.compile(r"[1-9][0-9]{0,4}")
_MAX_PORT = 65535
_MAX_DOMAIN_LENGTH = 253
_WILDCARD_HOSTS = (
    "'*' may only be the whole host ('https://*') or the first label of a domain with at "
    "least two more labels ('https://*.example.com')"
)
_NULL_ORIGIN = (
    "browsers send the origin 'null' from sandboxed frames, local files and redirected "
    "requests, which any site can arrange, so allowing it allows everyone; list the real "
    "origins of your web apps, for example 'https://app.example.com'"
)


def _validate_origin(scope: IConstruct, origin: str) -> None:
    if origin == "*" or is_unresolved(origin):
        return
    problem = _origin_problem(origin)
    if problem is not None:
        raise FrontDoorValidationError(
            scope,
            f"invalid cors origin {origin!r}: {problem} (an origin is scheme://host[:port] as "
            "browsers send it, for example 'https://app.example.com', or '*')",
        )


def _origin_problem(origin: str) -> str | None:
    """What keeps ``origin`` from being an origin that a browser sends, or None."""
    problem = _text_problem(origin)
    if problem is not None:
        return problem
    try:
        parts = urlsplit(origin)
    except ValueError as error:  # an unbalanced or invalid bracketed host
        return f"its host is not valid ({error})"
    if not parts.netloc:
        return "it has no host"
    problem = _beyond_origin_problem(origin, parts.netloc)
    if problem is not None:
        return problem
    authority = _AUTHORITY.fullmatch(parts.netloc)
    if authority is None:
        return (
            "its host and port are not valid: write host[:port], an IPv6 address in brackets "
            "('[2001:db8::1]')"
        )
    return _host_and_port_problem(origin.partition(":")[0], authority["host"], authority["port"])


def _text_problem(origin: str) -> str | None:
    """The checks on the raw text, which ``urlsplit`` would alter: it strips surrounding
    whitespace, drops tabs and newlines, and lower-cases the scheme."""
    if origin == "null":
        return _NULL_ORIGIN
    unprintable = next((char for char in origin if char == " " or not char.isprintable()), None)
    if unprintable is not None:
        return f"it contains {unprintable!r}; whitespace and control characters are not allowed"
    scheme, separator, _ = origin.partition("://")
    if not separator or scheme.lower() not in _DEFAULT_PORTS:
        return "it must start with 'https://' or 'http://'"
    return None


def _beyond_origin_problem(origin: str, netloc: str) -> str | None:
    """User info, a path, a query or a fragment: parts of a URL that an origin never has."""
    if "@" in netloc:
        return "it has user info before '@'; an origin never carries a user name or password"
    base = f"{origin.partition(':')[0]}://{netloc}"
    if origin == f"{base}/":
        return f"browsers send an origin without a trailing '/'; use {base!r}"
    if origin != base:
        return (
            f"it has a path, query or fragment ({origin[len(base) :]!r}), which browsers "
            f"never send in an origin; use {base!r}"
        )
    return None


def _host_and_port_problem(scheme: str, host: str, port: str | None) -> str | None:
    if not host:
        return "it has no host"
    if not host.isascii():
        return _punycode_problem(scheme, host, port)
    if host.startswith("["):
        problem = _ipv6_problem(host)
        if problem is not None:
            return problem
    lower = f"{scheme.lower()}://{host.lower()}" + ("" if port is None else f":{port}")
    if scheme != scheme.lower() or host != host.lower():
        return f"browsers send the scheme and host in lower case; use {lower!r}"
    if not host.startswith("["):
        problem = _host_problem(host)
        if problem is not None:
            return problem
    return _port_problem(scheme, host, port)


def _host_problem(host: str) -> str | None:
    """What keeps an ASCII, lower-case ``host`` from being a domain name, an IPv4 address or
    a wildcard that API Gateway reads, or None."""
    if host == "*":
        return None
    if "*" in host:
        return _wildcard_problem(host)
    if _NUMBER_LABEL.fullmatch(host.rpartition(".")[2]):
        return _ipv4_problem(host)
    return _domain_problem(host)


def _wildcard_problem(host: str) -> str | None:
    labels = host.split(".")
    if labels[0] != "*" or any("*" in label for label in labels[1:]) or len(labels) < 3:
        return f"the host {host!r} has a misplaced '*': {_WILDCARD_HOSTS}"
    if _NUMBER_LABEL.fullmatch(labels[-1]):
        return f"the wildcard host {host!r} must end in a domain name, not an IP address"
    return _domain_problem(".".join(labels[1:]))


def _ipv4_problem(host: str) -> str | None:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return (
            f"browsers read the host {host!r} as an IPv4 address, but it is not one as they "
            "write it: four decimal numbers 0-255 without leading zeros, as '192.0.2.1'"
        )
    return None


def _domain_problem(domain: str) -> str | None:
    if len(domain) > _MAX_DOMAIN_LENGTH:
        return (
            f"the domain name is {len(domain)} characters long; at most {_MAX_DOMAIN_LENGTH} "
            "are allowed"
        )
    for label in domain.split("."):
        if not label:
            return f"the host {domain!r} has an empty label: no leading, trailing or double '.'"
        if not _DNS_LABEL.fullmatch(label):
            return (
                f"the host label {label!r} is not valid: a label is 1 to 63 letters, digits "
                "or hyphens, and neither starts nor ends with a hyphen"
            )
        if label.startswith("xn--") and not _is_punycode(label):
            return (
                f"the host label {label!r} is not valid punycode: write the label as "
                "browsers encode it (IDNA)"
            )
    return None


def _is_punycode(label: str) -> bool:
    """Whether an ``xn--`` label decodes to a lower-case, normalized international label, as
    browsers write them."""
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except UnicodeError:
        return False
    return (
        not decoded.isascii()
        and decoded.isprintable()
        and decoded == unicodedata.normalize("NFC", decoded.lower())
    )


def _punycode_problem(scheme: str, host: str, port: str | None) -> str:
    # NFKC folds full-width letters and dots, as browsers do before encoding.
    labels = unicodedata.normalize("NFKC", host.lower()).split(".")
    ascii_host = ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        for label in labels
    )
    advice = "write the host in punycode, with 'xn--' labels"
    if not ascii_host.startswith("[") and _host_problem(ascii_host) is None:
        suggestion = f"{scheme.lower()}://{ascii_host}" + ("" if port is None else f":{port}")
        advice = f"use {suggestion!r}"
    return (
        f"the host {host!r} is not ASCII: browsers send international domain names in "
        f"punycode, so it would never match; {advice}"
    )


def _ipv6_problem(host: str) -> str | None:
    try:
        address = ipaddress.IPv6Address(host[1:-1])
    except ValueError:
        return f"the host {host!r} is not an IPv6 address"
    if address.scope_id is not None:
        return f"the IPv6 host {host!r} has a zone ('%...'), which browsers never send"
    written = f"[{address.compressed}]"
    if host != written:
        return f"browsers write this IPv6 address {written!r}, so {host!r} would never match"
    return None


def _port_problem(scheme: str, host: str, port: str | None) -> str | None:
    if port is None:
        return None
    if not _PORT.fullmatch(port) or int(port) > _MAX_PORT:
        return (
            f"the port {port!r} is not valid: a port is a number from 1 to {_MAX_PORT} "
            "without leading zeros"
        )
    if int(port) == _DEFAULT_PORTS[scheme]:
        return (
            f"browsers leave out the default port :{port} of {scheme}, so it would never "
            f"match; use {f'{scheme}://{host}'!r}"
        )
    return None


class AllowedMethods:
    """Keeps an HTTP API's ``AllowMethods`` equal to the methods its routes take (for CORS
    without ``allow_methods``), written on the L1 API as routes are added: the L2 takes them
    only when the API is defined, before any route exists.

    :param api: the HTTP API.
    :param cors: its CORS rules; nothing is written when they name the methods.
    """

    def __init__(self, api: apigwv2.HttpApi, cors: Cors) -> None:
        self._api = api
        self._cors = cors
        self._written: list[str] | None = None
        self._cfn_api: apigwv2.CfnApi | None = None
        self.update(set())

    def update(self, used_methods: set[str]) -> None:
        """Allow ``used_methods`` (``ANY`` written ``*``), once for each new set."""
        if self._cors.allow_methods is not None:
            return
        methods = cors_methods(used_methods, credentials=self._cors.allow_credentials)
        if methods != self._written:
            self._written = methods
            if self._cfn_api is None:
                self._cfn_api = self._api.node.default_child  # type: ignore[assignment]
            assert self._cfn_api is not None
            self._cfn_api.add_property_override("CorsConfiguration.AllowMethods", methods)


def check_options_route(scope: IConstruct, key: RouteKey, credentials: str | None) -> None:
    """Refuse an ``OPTIONS`` route of a gateway with CORS that needs ``credentials`` (the kind
    of its auth; None for a public route): preflight requests never carry credentials. Warn
    that a public one receives the preflight requests of its path."""
    if key.method != "OPTIONS":
        return
    if credentials is not None:
        raise FrontDoorValidationError(
            scope,
            f"route {key.value!r} would need {credentials}, but CORS preflight OPTIONS requests "
            "never carry credentials: pass auth=PUBLIC, or drop the route and let API Gateway "
            "answer preflight requests",
        )
    Annotations.of(scope).add_warning_v2(
        "cdk-front-door:options-route-with-cors",
        f"route {key.value!r} receives the CORS preflight requests for its path (API Gateway "
        "answers them itself only where no route takes OPTIONS): it must answer them with a "
        "2xx status, without credentials",
    )


def preflight_options(cors: Cors | None) -> apigwv2.CorsPreflightOptions | None:
    """The HTTP API's CORS configuration for ``cors``; None without CORS."""
    if cors is None:
        return None
    return apigwv2.CorsPreflightOptions(
        allow_origins=list(cors.allow_origins),
        allow_methods=(
            None
            if cors.allow_methods is None
            else [apigwv2.CorsHttpMethod["ANY" if m == "*" else m] for m in cors.allow_methods]
        ),
        allow_headers=lower_headers(cors.allow_headers),
        expose_headers=lower_headers(cors.expose_headers) or None,
        allow_credentials=cors.allow_credentials,
        max_age=cors.max_age,
    )


_APIG4 = "AwsSolutions-APIG4"
_PREFLIGHT_CODE = """\
def handler(event, context):
    return {"statusCode": 204}
"""


class PreflightRoutes:
    """The public ``OPTIONS`` routes of a gateway with CORS.

    API Gateway answers a preflight request itself unless a route takes ``OPTIONS`` for its
    path (an ``ANY`` route or ``$default``): the request would then reach that route's
    authorizer, which refuses it (preflight requests carry no credentials), and its backend.
    So for such a route a public ``OPTIONS`` route for the same path is added (``OPTIONS
    /{proxy+}`` and ``OPTIONS /`` for ``$default``), sent to a small function (child
    ``Preflight...`` of the gateway) that answers 204; API Gateway adds the CORS headers. A
    route of the user's own for that path takes its place.

    :param gateway: the gateway, parent of the preflight function.
    :param routes_scope: where the routes are defined (ids from their route keys).
    :param api_id: the HTTP API's id.
    :param integrations: the gateway's integrations, which integrate the preflight function.
    :param authorizer: gives the authorizer of routes anyone may call, if any (the CDN's
        origin check): preflight requests that come through the CDN carry what it checks.
    """

    def __init__(
        self,
        gateway: Construct,
        routes_scope: Construct,
        api_id: str,
        integrations: Integrations,
        *,
        authorizer: Callable[[], apigwv2.HttpAuthorizer | None] | None = None,
    ) -> None:
        self._gateway = gateway
        self._authorizer = authorizer
        self._routes_scope = routes_scope
        self._api_id = api_id
        self._integrations = integrations
        self._target: RouteTarget | None = None
        self._routes: dict[str, tuple[RouteKey, apigwv2.CfnRoute]] = {}

    @property
    def routes(self) -> list[apigwv2.CfnRoute]:
        """The preflight routes in place; empty when there are none."""
        return [resource for _, resource in self._routes.values()]

    def add_for(self, key: RouteKey, *, taken: Callable[[str], bool]) -> None:
        """Add the preflight routes for ``key``, a route that takes every method, except for
        paths whose ``OPTIONS`` shape ``taken`` says a route already has."""
        for path in ["/{proxy+}", "/"] if key.is_default else [key.path]:
            preflight = RouteKey(method="OPTIONS", path=path)
            if taken(preflight.shape) or preflight.shape in self._routes:
                continue
            authorizer = None if self._authorizer is None else self._authorizer()
            resource = apigwv2.CfnRoute(
                self._routes_scope,
                preflight.construct_id,
                api_id=self._api_id,
                route_key=preflight.value,
                target=f"integrations/{self._integration_id()}",
                authorization_type="NONE" if authorizer is None else "CUSTOM",
                authorizer_id=None if authorizer is None else authorizer.authorizer_id,
            )
            Validations.of(resource).acknowledge(
                Acknowledgment(
                    id=_APIG4,
                    reason="CORS preflight requests never carry credentials (Fetch standard); "
                    "this route only answers them with the gateway's CORS rules and reaches "
                    "no backend",
                )
            )
            self._routes[preflight.shape] = (preflight, resource)

    def give_way_to(self, key: RouteKey) -> None:
        """Remove the preflight route a route of the user's own with ``key`` replaces."""
        replaced = self._routes.pop(key.shape, None)
        if replaced is not None:
            self._routes_scope.node.try_remove_child(replaced[0].construct_id)

    def _integration_id(self) -> str:
        if self._target is None:
            self._target = LambdaFunction(self._function())
        target_id = self._target.target_id(self._integrations.stack)
        return self._integrations.integrate(self._target, target_id)[1]

    def _function(self) -> lambda_.Function:
        return own_function(
            self._gateway,
            "Preflight",
            code=_PREFLIGHT_CODE,
            description="Answers CORS preflight requests; API Gateway adds the CORS headers",
            timeout=Duration.seconds(3),
            acknowledgments=[
                Acknowledgment(
                    id="Serverless-LambdaDLQ",
                    reason="API Gateway invokes the function synchronously; a dead-letter "
                    "queue only receives failed asynchronous invocations",
                ),
                Acknowledgment(
                    id="Serverless-LambdaTracing",
                    reason="the function returns a constant 204 response; X-Ray would trace "
                    "nothing of interest",
                ),
            ],
        )
