"""Route authorization.

A route is either authorized or deliberately public. ``auth=PUBLIC`` (or ``Public(reason=...)``)
marks a route that anyone may call: it is sent with authorization type ``NONE`` and the cdk-nag
finding AwsSolutions-APIG4 ("the API does not implement authorization") is acknowledged on that
route with the given reason. A route with no ``auth`` at all is also sent as ``NONE``, but keeps
the cdk-nag finding and gets a ``cdk-front-door:unauthenticated-route`` warning, so a forgotten
authorizer is never silent.
"""

from __future__ import annotations

from dataclasses import dataclass

from constructs import IConstruct

from .errors import FrontDoorValidationError

DEFAULT_PUBLIC_REASON = (
    "the route is deliberately public (auth=PUBLIC): it serves anonymous callers"
)


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

RouteAuth = Public


def validate_route_auth(scope: IConstruct, auth: object) -> RouteAuth | None:
    """Check a route's ``auth`` option."""
    if auth is None:
        return None
    if not isinstance(auth, Public):
        raise FrontDoorValidationError(
            scope, f"auth must be PUBLIC or Public(reason=...), got {type(auth).__name__} {auth!r}"
        )
    if not isinstance(auth.reason, str) or len(auth.reason.strip()) < 10:
        raise FrontDoorValidationError(
            scope,
            f"public route reason {auth.reason!r} is too short: say in at least 10 characters "
            "why anonymous callers may use the route",
        )
    return auth
