"""Route selection, as HTTP APIs do it.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html:
"API Gateway tries to match the route that has the most-specific path", in this order: a full
match of method and path; a match with a greedy path variable (``{proxy+}``); the ``$default``
route. "The ANY method matches all methods that you haven't defined for a route." Path
parameters are URL-decoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from .assembly import LocalRoute


@dataclass(frozen=True)
class Match:
    """The route a request selects, and its path parameters (URL-decoded)."""

    route: LocalRoute
    parameters: dict[str, str]


def select_route(routes: Sequence[LocalRoute], method: str, path: str) -> Match | None:
    """The route of ``routes`` that a ``method`` request for ``path`` (as sent, still
    URL-encoded) selects; None when none does (API Gateway answers 404)."""
    segments = path.split("/")[1:] if path != "/" else [""]
    best: tuple[tuple[int, ...], LocalRoute, dict[str, str]] | None = None
    default: LocalRoute | None = None
    for route in routes:
        if route.key == "$default":
            default = route
            continue
        if route.method not in (method, "ANY"):
            continue
        parameters = _match(route.path, segments)
        if parameters is None:
            continue
        rank = _rank(route, method)
        if best is None or rank > best[0]:
            best = (rank, route, parameters)
    if best is not None:
        return Match(best[1], best[2])
    return None if default is None else Match(default, {})


def _match(pattern: str, segments: list[str]) -> dict[str, str] | None:
    parts = pattern.split("/")[1:] if pattern != "/" else [""]
    parameters: dict[str, str] = {}
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            rest = segments[index:]
            if not rest or rest == [""]:
                return None  # a greedy variable matches at least one character
            parameters[part[1:-2]] = unquote("/".join(rest))
            return parameters
        if index >= len(segments):
            return None
        segment = segments[index]
        if part.startswith("{") and part.endswith("}"):
            if not segment:
                return None
            parameters[part[1:-1]] = unquote(segment)
        elif part != unquote(segment):
            return None
    return parameters if len(parts) == len(segments) else None


def _rank(route: LocalRoute, method: str) -> tuple[int, ...]:
    """Higher is more specific: no greedy variable over greedy; then, segment by segment, a
    literal over a parameter; longer paths over shorter ones; the exact method over ``ANY``."""
    parts = route.path.split("/")[1:]
    greedy = bool(parts) and parts[-1].endswith("+}")
    literals = tuple(0 if part.startswith("{") else 1 for part in parts)
    return (0 if greedy else 1, *literals, len(parts), 1 if route.method == method else 0)
