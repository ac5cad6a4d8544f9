"""JWT authorizers, checked as API Gateway checks them.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html: the
identity source holds the token, optionally prefixed with ``Bearer``; only RSA algorithms; the
``kid`` must name a key of the issuer's JWKS; ``iss`` must be the issuer; ``aud`` must be one of
the audiences (``client_id`` is checked only when there is no ``aud``); ``exp``, ``nbf`` and
``iat`` are checked; the token must carry one of the route's scopes. A failure answers 401
``{"message":"Unauthorized"}`` with a ``www-authenticate`` header
(http-api-troubleshooting-jwt.html). In the Lambda event, claims arrive as strings.

Keys come from a local development issuer (:class:`DevIssuer`, whose tokens
``LocalFrontDoor.token`` mints) or from the issuer's JWKS (OpenID discovery). There is no
fallback: when no key can be found, the request is refused.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .assembly import JwtAuthorizer

_ALGORITHMS = ["RS256", "RS384", "RS512"]


@dataclass(frozen=True)
class Denied:
    """Why a request is refused: its status, and the ``www-authenticate`` header."""

    status: int
    description: str
    error: str = "invalid_token"
    scope: str = ""

    @property
    def header(self) -> str:
        return (
            f'Bearer scope="{self.scope}" error="{self.error}" '
            f'error_description="{self.description}"'
        )


class DevIssuer:
    """A local issuer of development tokens: an RSA key made when the server starts, trusted
    for the issuers it is given (never for any other)."""

    def __init__(self, issuers: Sequence[str], *, clock: Callable[[], float] = time.time) -> None:
        self.issuers = tuple(issuers)
        self._clock = clock
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "local-development"

    def public_key(self) -> Any:
        return self._key.public_key()

    def token(
        self,
        issuer: str,
        *,
        audience: str | None = None,
        scopes: Sequence[str] = (),
        expires_in: float = 3600,
        **claims: Any,
    ) -> str:
        """A token of ``issuer`` (one this issuer stands for), valid ``expires_in`` seconds."""
        if issuer not in self.issuers:
            raise ValueError(
                f"{issuer!r} is not an issuer of the app's JWT authorizers: {list(self.issuers)}"
            )
        now = int(self._clock())
        payload: dict[str, Any] = {"iss": issuer, "iat": now, "exp": now + int(expires_in)}
        payload.setdefault("sub", "local-user")
        if audience is not None:
            payload["aud"] = audience
        if scopes:
            payload["scope"] = " ".join(scopes)
        payload.update(claims)
        return jwt.encode(payload, self._key, algorithm="RS256", headers={"kid": self.kid})


class KeyRing:
    """The signing keys of each issuer: the development issuer's, or the issuer's own JWKS."""

    def __init__(self, dev: DevIssuer | None, *, remote: bool = True) -> None:
        self._dev = dev
        self._remote = remote
        self._clients: dict[str, jwt.PyJWKClient] = {}

    def key(self, issuer: str, kid: str | None) -> Any:
        if self._dev is not None and issuer in self._dev.issuers:
            if kid != self._dev.kid:
                raise jwt.InvalidTokenError("the token's kid is not a key of the issuer")
            return self._dev.public_key()
        if not self._remote:
            raise jwt.InvalidTokenError("the issuer's keys are not available locally")
        client = self._clients.get(issuer)
        if client is None:
            client = self._clients[issuer] = jwt.PyJWKClient(_jwks_uri(issuer), lifespan=7200)
        try:
            return client.get_signing_key(kid or "").key
        except jwt.PyJWKClientError as error:
            raise jwt.InvalidTokenError(f"the issuer's keys cannot be read: {error}") from error


def _jwks_uri(issuer: str) -> str:
    """The JWKS URI of ``issuer``, from its OpenID configuration."""
    from urllib.request import urlopen  # noqa: PLC0415 - only for issuers that are not local

    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with urlopen(url, timeout=5) as response:  # noqa: S310 - the issuer the app names
            return str(json.load(response)["jwks_uri"])
    except (OSError, ValueError, KeyError) as error:
        raise jwt.InvalidTokenError(
            f"the issuer's configuration cannot be read: {error}"
        ) from error


def authorize(
    authorizer: JwtAuthorizer,
    *,
    headers: Mapping[str, list[str]],
    query: Mapping[str, list[str]],
    route_scopes: Sequence[str],
    keys: KeyRing,
    now: float,
) -> dict[str, Any] | Denied:
    """The authorizer context of the event (``{"jwt": {"claims": ..., "scopes": ...}}``), or
    why the request is refused."""
    token = _identity(authorizer.identity_source, headers, query)
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token:
        return Denied(401, "the token is missing")
    claims = _verified_claims(token, authorizer, keys)
    if isinstance(claims, Denied):
        return claims
    problem = _time_problem(claims, now) or _audience_problem(claims, authorizer.audience)
    if problem is not None:
        return Denied(401, problem)
    scopes = _scopes(claims)
    if route_scopes and not set(route_scopes) & set(scopes):
        return Denied(
            403,
            f"expected scopes: {list(route_scopes)}",
            error="insufficient_scope",
            scope=" ".join(route_scopes),
        )
    return {
        "jwt": {
            "claims": {name: _claim_text(value) for name, value in claims.items()},
            "scopes": scopes or None,
        }
    }


def _verified_claims(
    token: str, authorizer: JwtAuthorizer, keys: KeyRing
) -> dict[str, Any] | Denied:
    """The claims of ``token`` once its algorithm, issuer and signature are checked."""
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in _ALGORITHMS:
            return Denied(401, "the token is not signed with an RSA algorithm")
        unverified = jwt.decode(token, options={"verify_signature": False})
        if unverified.get("iss") != authorizer.issuer:
            return Denied(401, "the token has an invalid iss")
        # Times and audience are checked with the server's clock and API Gateway's rules.
        unchecked = ("verify_aud", "verify_exp", "verify_nbf", "verify_iat")
        return dict(
            jwt.decode(
                token,
                keys.key(authorizer.issuer, header.get("kid")),
                algorithms=_ALGORITHMS,
                options=dict.fromkeys(unchecked, False),  # type: ignore[arg-type]
            )
        )
    except jwt.InvalidTokenError as error:
        return Denied(401, f"the token is invalid: {error}")


def _identity(source: str, headers: Mapping[str, list[str]], query: Mapping[str, list[str]]) -> str:
    if source.startswith("$request.header."):
        values = headers.get(source[len("$request.header.") :].lower(), [])
    elif source.startswith("$request.querystring."):
        values = query.get(source[len("$request.querystring.") :], [])
    else:
        values = []
    return ",".join(values).strip()


def _time_problem(claims: Mapping[str, Any], now: float) -> str | None:
    exp, nbf, iat = claims.get("exp"), claims.get("nbf"), claims.get("iat")
    if not isinstance(exp, int | float):
        return "the token has no exp"
    if now >= exp:
        return "the token has expired"
    if isinstance(nbf, int | float) and now < nbf:
        return "the token is not valid yet"
    if isinstance(iat, int | float) and iat > now + 300:
        return "the token was issued in the future"
    return None


def _audience_problem(claims: Mapping[str, Any], audience: Sequence[str]) -> str | None:
    aud = claims.get("aud")
    if aud is not None:
        given = aud if isinstance(aud, list) else [aud]
        return None if set(map(str, given)) & set(audience) else "the token has an invalid aud"
    if claims.get("client_id") in audience:
        return None
    return "the token has no aud, and its client_id is not an audience"


def _scopes(claims: Mapping[str, Any]) -> list[str]:
    scope = claims.get("scope")
    if isinstance(scope, str):
        return scope.split()
    scp = claims.get("scp")
    if isinstance(scp, list):
        return [str(item) for item in scp]
    return []


def _claim_text(value: object) -> str:
    """A claim as the event shows it: strings as they are, arrays as ``[a b]``."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(_claim_text(item) for item in value) + "]"
    return json.dumps(value)
