"""The caller's verified identity, forwarded to HTTP and container backends as headers.

A Lambda function behind a route sees the JWT claims and a Lambda authorizer's context in its
event. A URL or a container service sees only the request, so the gateway forwards the
identity in request headers, through the integration's parameter mapping:

* on a route with JWT or Cognito auth, each claim named in ``claims`` as
  ``x-auth-claim-<claim>`` (``$context.authorizer.claims.<claim>``);
* on a route with a Lambda authorizer, each key named in ``context`` as
  ``x-auth-context-<key>`` (``$context.authorizer.<key>``).

The header names are lower case with ``_`` written ``-`` (proxies such as nginx drop headers
with underscores). Every one of these headers that a route cannot vouch for is removed from the
request, whatever its auth (a public route included), so a client can never send one of its
own: an integration of a backend exists per kind of auth that routes to it (``Targets/<target
id>``, and ``<target id>|%Jwt`` and ``<target id>|%Lambda`` when those forward something),
each with its own mapping (``%`` is escaped in every other part of a target id).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from constructs import IConstruct

from .errors import FrontDoorValidationError

if TYPE_CHECKING:
    from aws_cdk import aws_apigatewayv2 as apigwv2

CLAIM_HEADER_PREFIX = "x-auth-claim-"
CONTEXT_HEADER_PREFIX = "x-auth-context-"
_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")

Caller = Literal["other", "jwt", "lambda"]
"""What vouches for the caller of a route: a JWT authorizer, a Lambda authorizer, or neither
(public and IAM routes)."""


@dataclass(frozen=True, kw_only=True)
class IdentityHeaders:
    """Which parts of the verified identity HTTP and container backends receive as headers.

    :param claims: JWT claims forwarded on routes with :class:`JwtAuth` or
        :class:`CognitoAuth`, each as ``x-auth-claim-<claim>`` (its value as API Gateway gives
        it: a string, a number, or a list written in brackets). Names of 1 to 64 letters,
        digits and ``_``: API Gateway's parameter mappings cannot select other claims (such as
        ``cognito:groups``). Default: ``("sub", "scope")``
    :param context: keys of a Lambda authorizer's context forwarded on routes with
        :class:`LambdaAuth`, each as ``x-auth-context-<key>``, same rules. Default: - none
    """

    claims: Sequence[str] = ("sub", "scope")
    context: Sequence[str] = ()


def plan_identity_headers(
    scope: IConstruct, identity_headers: IdentityHeaders | bool | None
) -> dict[Caller, dict[str, str]]:
    """Validate the ``identity_headers`` prop; return the request parameters of an HTTP
    integration for each kind of caller (empty when nothing is forwarded)."""
    if identity_headers is None or identity_headers is True:
        identity_headers = IdentityHeaders()
    if identity_headers is False:
        return {"other": {}, "jwt": {}, "lambda": {}}
    if not isinstance(identity_headers, IdentityHeaders):
        raise FrontDoorValidationError(
            scope,
            "identity_headers must be True, False or an IdentityHeaders(...), got "
            f"{type(identity_headers).__name__} {identity_headers!r}",
        )
    claims = _headers(scope, "claims", identity_headers.claims, CLAIM_HEADER_PREFIX)
    context = _headers(scope, "context", identity_headers.context, CONTEXT_HEADER_PREFIX)
    removed = {f"remove:header.{header}": "" for header in [*claims.values(), *context.values()]}

    def forwarding(headers: Mapping[str, str], source: str) -> dict[str, str]:
        parameters = dict(removed)
        for name, header in headers.items():
            del parameters[f"remove:header.{header}"]
            parameters[f"overwrite:header.{header}"] = f"${source}{name}"
        return dict(sorted(parameters.items()))

    return {
        "other": dict(sorted(removed.items())),
        "jwt": forwarding(claims, "context.authorizer.claims."),
        "lambda": forwarding(context, "context.authorizer."),
    }


def _headers(scope: IConstruct, what: str, names: object, prefix: str) -> dict[str, str]:
    """The header of each name in ``names`` (the ``identity_headers`` field ``what``)."""
    if isinstance(names, str | bytes) or not isinstance(names, Sequence):
        raise FrontDoorValidationError(
            scope,
            f"identity_headers {what} must be a list of names, got "
            f"{type(names).__name__} {names!r}",
        )
    headers: dict[str, str] = {}
    owners: dict[str, str] = {}
    for name in names:
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise FrontDoorValidationError(
                scope,
                f"identity_headers {what}: {name!r} cannot be forwarded as a header: give "
                "names of 1 to 64 letters, digits and _ (API Gateway's parameter mappings "
                "cannot select other names, such as cognito:groups)",
            )
        header = prefix + name.lower().replace("_", "-")
        if header in owners:
            raise FrontDoorValidationError(
                scope,
                f"identity_headers {what}: {owners[header]!r} and {name!r} would both be sent "
                f"as header {header} (header names ignore case, and _ is written -): forward "
                "one of them",
            )
        owners[header] = name
        headers[name] = header
    return headers


def caller_of(authorization_type: str | None) -> Caller:
    """The kind of caller a route with ``authorization_type`` (None: public) vouches for."""
    if authorization_type == "JWT":
        return "jwt"
    if authorization_type == "CUSTOM":
        return "lambda"
    return "other"


def parameter_mapping(parameters: Mapping[str, str]) -> apigwv2.ParameterMapping | None:
    """``parameters`` as the L2's parameter mapping; None when there are none."""
    if not parameters:
        return None
    from aws_cdk import aws_apigatewayv2 as apigwv2  # noqa: PLC0415 - see TYPE_CHECKING

    mapping = apigwv2.ParameterMapping()
    for key, value in parameters.items():
        mapping.custom(key, value)
    return mapping
