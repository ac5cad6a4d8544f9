"""Cross-origin resource sharing (CORS) for a gateway.

Once CORS is configured, API Gateway answers preflight ``OPTIONS`` requests itself, before any
route or authorizer, and adds the CORS headers to every response (it ignores those sent by the
integration).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from aws_cdk import Duration
from constructs import IConstruct

from ._jsii import is_unresolved
from .errors import FrontDoorValidationError

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


@dataclass(frozen=True, kw_only=True)
class Cors:
    """What browsers on other origins may do with the API.

    :param allow_origins: origins allowed to call the API, each ``scheme://host[:port]``, or
        ``["*"]`` for any origin. Default: - any origin (``*``)
    :param allow_methods: methods allowed in cross-origin requests (``*`` for all). Default: -
        the methods used by the gateway's routes, plus ``OPTIONS``; ``*`` once a route takes
        every method (``ANY`` or ``$default``)
    :param allow_headers: request headers allowed in cross-origin requests, sent lower case
        (API Gateway stores them so). Default: - Content-Type, X-Amz-Date, Authorization,
        X-Api-Key, X-Amz-Security-Token, X-Amz-User-Agent
    :param expose_headers: response headers a browser script may read. Default: - none
    :param allow_credentials: whether cookies and authorization headers may be sent; not
        allowed together with the origin ``*``. Default: false
    :param max_age: how long a browser may cache a preflight answer, 0 to 86,400 seconds.
        Default: - the browser's own default (5 seconds in most browsers)
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
        return Cors()
    if not isinstance(cors, Cors):
        raise FrontDoorValidationError(
            scope, f"cors must be True, False or a Cors(...), got {type(cors).__name__} {cors!r}"
        )
    origins = _as_list(scope, "cors allow_origins", cors.allow_origins)
    if not origins:
        raise FrontDoorValidationError(
            scope, "cors allow_origins is empty: give at least one origin, or '*' for any"
        )
    for origin in origins:
        _validate_origin(scope, origin)
    if "*" in origins and len(origins) > 1:
        raise FrontDoorValidationError(
            scope,
            f"cors allow_origins {origins!r} mixes '*' with other origins: use '*' alone "
            "or list the origins",
        )
    if cors.allow_credentials not in (True, False):
        raise FrontDoorValidationError(
            scope, f"cors allow_credentials must be true or false, got {cors.allow_credentials!r}"
        )
    if cors.allow_credentials and "*" in origins:
        raise FrontDoorValidationError(
            scope,
            "cors allow_credentials=True is not allowed with the origin '*': browsers refuse "
            "credentialed responses to any origin; list the allowed origins instead",
        )
    if cors.allow_credentials:
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
    if cors.allow_methods is not None:
        methods = _as_list(scope, "cors allow_methods", cors.allow_methods)
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
    if cors.max_age is not None:
        if not isinstance(cors.max_age, Duration):
            raise FrontDoorValidationError(
                scope, f"cors max_age must be a Duration, got {cors.max_age!r}"
            )
        seconds = cors.max_age.to_seconds()
        if not is_unresolved(seconds) and not 0 <= seconds <= _MAX_AGE_SECONDS:
            raise FrontDoorValidationError(
                scope,
                f"cors max_age must be between 0 and {_MAX_AGE_SECONDS} seconds, got "
                f"{seconds:g} seconds",
            )
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


def _validate_origin(scope: IConstruct, origin: str) -> None:
    if origin == "*" or is_unresolved(origin):
        return
    parts = urlsplit(origin)
    valid = (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not parts.path
        and not parts.query
        and not parts.fragment
        and parts.username is None
        and origin == origin.strip()
    )
    if valid:
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            valid = False
    if not valid:
        raise FrontDoorValidationError(
            scope,
            f"invalid cors origin {origin!r}: an origin is scheme://host[:port] with scheme "
            "http or https and no path, query or trailing slash (for example "
            "'https://app.example.com'), or '*'",
        )
