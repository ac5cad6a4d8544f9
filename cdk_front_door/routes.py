"""Route keys: parsing, validation and the stable construct ids derived from them.

A route key uses API Gateway's own syntax, ``"METHOD /path"``: the method is one of
:data:`METHODS` (``*`` is accepted as an alias of ``ANY``), the path starts with ``/`` and its
segments are literals (not ``.`` or ``..``, which clients remove), ``{param}`` or, as the last
segment only, a greedy ``{name+}``. The special key ``$default`` catches every request that no
other route matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs import IConstruct

from .errors import FrontDoorValidationError

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

    @property
    def value(self) -> str:
        """The key exactly as API Gateway stores it, for example ``GET /users/{id}``."""
        return DEFAULT_ROUTE_KEY if self.is_default else f"{self.method} {self.path}"

    @property
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
            match = _PARAM_SEGMENT.match(segment)
            if match is None:
                raise fail(
                    f"malformed parameter segment {segment!r}: a parameter fills a whole segment, "
                    "as '{name}' or, last, '{name+}', with a name of letters, digits and ._-"
                )
            name, greedy = match.groups()
            if greedy and index != len(segments) - 1:
                raise fail(f"greedy parameter {segment!r} must be the last segment of the path")
            if name in names:
                raise fail(f"parameter {name!r} appears more than once")
            names.add(name)
        else:
            problem = _literal_problem(segment)
            if problem is not None:
                raise fail(problem)


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
