"""Origin protection: requests that do not come through the gateway's CDN are refused.

Behind a CloudFront distribution the API stays reachable on its own: the execute-api endpoint
(when it is the CDN's origin), or the custom domain the CDN forwards to. A caller who goes there
skips the web ACL, the cache and the security headers. So the distribution sends a secret
header with every request it forwards, and the gateway's public routes are authorized by a
small Lambda ``REQUEST`` authorizer that accepts a request only when that header holds the
secret:

- API Gateway refuses a request without the header with 401, without invoking anything; a
  wrong value is refused with 403 by the authorizer.
- Decisions are cached by the header's value (``cache_ttl``, 5 minutes by default), and
  every request CloudFront forwards carries the same value, so the authorizer runs about
  once per cache period, not per request.
- The secret is a generated Secrets Manager secret (US$0.40 a month). The template holds only
  a dynamic reference to it; CloudFormation gives the value to the distribution. Whoever may
  read the secret (``secretsmanager:GetSecretValue``) or the distribution's configuration
  (``cloudfront:GetDistributionConfig``) can read the value; the authorizer never logs it.
- Rotation without downtime: the authorizer accepts the secret's current and previous values
  (the ``AWSCURRENT`` and ``AWSPREVIOUS`` versions). Put a new value in the secret, then
  raise ``rotation`` and deploy, so that the distribution sends the new value.

Routes whose auth is a JWT, Cognito, Lambda or IAM authorizer keep it (an API Gateway route has
one authorizer): they are not protected, which is warned of at synth time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import TypeVar

from aws_cdk import (
    Acknowledgment,
    Annotations,
    CfnResource,
    Duration,
    RemovalPolicy,
    Validations,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct, IConstruct

from ._functions import own_function
from ._jsii import is_unresolved
from ._metadata import ORIGIN_CHECK
from .auth import MAX_CACHE_TTL_SECONDS, IamAuth, LambdaAuth, Public, RouteAuth
from .errors import FrontDoorValidationError, check, check_number

K = TypeVar("K")

DEFAULT_HEADER = "x-origin-verify"
_HEADER_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_MAX_HEADER_NAME_LENGTH = 64
# Headers CloudFront refuses as origin custom headers, or that API Gateway or the library use.
_RESERVED_HEADERS = frozenset(
    {
        "authorization",
        "cache-control",
        "connection",
        "content-length",
        "cookie",
        "host",
        "if-match",
        "if-modified-since",
        "if-none-match",
        "if-range",
        "if-unmodified-since",
        "max-forwards",
        "origin",
        "pragma",
        "proxy-authorization",
        "proxy-connection",
        "range",
        "referer",
        "request-range",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "via",
        "x-real-ip",
    }
)
_RESERVED_PREFIXES = (
    "x-amz-",
    "x-amzn-",
    "x-edge-",
    "x-forwarded-",
    "x-auth-claim-",
    "x-auth-context-",
)


@dataclass(frozen=True)
class OriginProtection:
    """How the gateway refuses requests that do not come through its CDN.

    :param header_name: the header CloudFront sends with the secret, lower case letters,
        digits and hyphens. Default: ``x-origin-verify``
    :param cache_ttl: how long API Gateway caches the authorizer's decision for one header
        value, 1 to 3600 seconds: the authorizer then runs about once per period, and a
        value that is no longer accepted is still accepted for up to that long. Default:
        5 minutes
    :param rotation: the secret's rotation number. After putting a new value in the secret,
        raise it by one and deploy: the distribution then changes, CloudFormation reads the
        secret again and CloudFront sends the new value, while the authorizer accepts both.
        Default: 1
    """

    _: KW_ONLY
    header_name: str = DEFAULT_HEADER
    cache_ttl: Duration = field(default_factory=lambda: Duration.minutes(5))
    rotation: int = 1


def plan_origin_protection(
    scope: IConstruct, value: object, *, has_cdn: bool
) -> OriginProtection | None:
    """The ``origin_protection`` prop, validated: the protection it stands for, or None.

    None (the default) means protection whenever the gateway has a CDN.
    """
    if value is None:
        return OriginProtection() if has_cdn else None
    if value is False:
        return None
    protection = check(scope, "origin_protection", value, bool | OriginProtection)
    if not has_cdn:
        raise FrontDoorValidationError(
            scope,
            f"origin_protection={protection!r} needs a CDN: it makes the API refuse requests "
            "that do not come through one; add cdn=True, or leave origin_protection out",
        )
    if protection is True:
        return OriginProtection()
    assert isinstance(protection, OriginProtection)
    _validate(scope, protection)
    return protection


def _validate(scope: IConstruct, protection: OriginProtection) -> None:
    name = check(scope, "OriginProtection header_name", protection.header_name, str)
    if (
        not _HEADER_NAME.fullmatch(name)
        or len(name) > _MAX_HEADER_NAME_LENGTH
        or name in _RESERVED_HEADERS
        or name.startswith(_RESERVED_PREFIXES)
    ):
        raise FrontDoorValidationError(
            scope,
            f"OriginProtection header_name {name!r} is not allowed: give 1 to "
            f"{_MAX_HEADER_NAME_LENGTH} lower case letters, digits and hyphens, not a header "
            "CloudFront or API Gateway sets (such as host, authorization, x-amz-*, "
            "x-forwarded-*) nor an identity header (x-auth-claim-*, x-auth-context-*)",
        )
    ttl = check(scope, "OriginProtection cache_ttl", protection.cache_ttl, Duration)
    seconds = ttl.to_seconds(integral=False)
    if not is_unresolved(seconds) and (
        seconds != int(seconds) or not 1 <= seconds <= MAX_CACHE_TTL_SECONDS
    ):
        raise FrontDoorValidationError(
            scope,
            f"OriginProtection cache_ttl of {seconds:g} s is not allowed: give whole seconds "
            f"from 1 to {MAX_CACHE_TTL_SECONDS}",
        )
    check_number(
        scope,
        "OriginProtection rotation",
        protection.rotation,
        minimum=1,
        whole=True,
        needed_at_synth="it names the distribution's configuration",
    )


_AUTHORIZER_CODE = """\
import hmac
import logging
import os
import time

import boto3

LOG = logging.getLogger()
SECRET_ID = os.environ["SECRET_ID"]
HEADER = os.environ["HEADER_NAME"]
REFRESH_S = 60.0
STAGES = ("AWSCURRENT", "AWSPREVIOUS")
CLIENT = boto3.client("secretsmanager")
ACCEPTED = []
READ_AT = [-REFRESH_S]


def accepted():
    now = time.monotonic()
    if now - READ_AT[0] < REFRESH_S and ACCEPTED:
        return ACCEPTED
    values = []
    try:
        for stage in STAGES:
            try:
                secret = CLIENT.get_secret_value(SecretId=SECRET_ID, VersionStage=stage)
            except CLIENT.exceptions.ResourceNotFoundException:
                continue  # no previous value before the first rotation
            values.append(secret["SecretString"].encode())
    except Exception as error:  # keep the values read last, if any, and try again later
        LOG.error("cannot read the origin secret: %s", type(error).__name__)
        if not ACCEPTED:
            raise
        READ_AT[0] = now
        return ACCEPTED
    ACCEPTED[:] = values
    READ_AT[0] = now
    return ACCEPTED


def handler(event, context):
    given = ((event.get("headers") or {}).get(HEADER) or "").encode()
    return {"isAuthorized": any(hmac.compare_digest(given, value) for value in accepted())}
"""

_UNPROTECTED = (
    "cdk-front-door:origin-unprotected-route",
    "routes with {kind} keep their own authorizer (an API Gateway route has one), so origin "
    "protection cannot check them: callers with valid credentials can reach them without the "
    "CDN, skipping its web ACL, cache and security headers. Make them PUBLIC to protect them, "
    "or have their authorizer check the {header} header against the gateway's origin_secret",
)


def without_origin_header(
    parameters: Mapping[K, Mapping[str, str]], protection: OriginProtection
) -> dict[K, dict[str, str]]:
    """``parameters`` (an HTTP integration's request parameters for each kind of caller, see
    :func:`cdk_front_door.identity.plan_identity_headers`) with the origin header removed, so
    that URL and container backends never see the secret."""
    removal = {f"remove:header.{protection.header_name}": ""}
    return {
        caller: dict(sorted({**mapping, **removal}.items()))
        for caller, mapping in parameters.items()
    }


class OriginGuard(Construct):
    """The secret CloudFront sends and the authorizer that checks it, for one gateway.

    :param scope: the gateway.
    :param construct_id: this construct's id.
    :param protection: the validated settings.
    """

    def __init__(self, scope: Construct, construct_id: str, protection: OriginProtection) -> None:
        super().__init__(scope, construct_id)
        self._gateway = scope
        self.protection = protection
        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            description=f"Header value CloudFront sends to {scope.node.path}",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True, password_length=64
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )
        Validations.of(self.secret).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SMG4",
                reason="the distribution must send a new value before the old one is refused, "
                "which only a deploy does: rotation puts a new value and raises "
                "OriginProtection.rotation (see docs/cdn.md, origin protection)",
            )
        )
        self._auth: LambdaAuth | None = None
        self._warned: set[str] = set()

    @property
    def origin_headers(self) -> dict[str, str]:
        """The header CloudFront adds to each request it forwards: a dynamic reference to the
        secret, which CloudFormation resolves; the template never holds the value."""
        return {self.protection.header_name: self.secret.secret_value.unsafe_unwrap()}

    @property
    def distribution_note(self) -> str | None:
        """Words the distribution's comment ends with, which change with each rotation (so
        that CloudFormation updates the distribution and reads the secret again); None
        before the first rotation."""
        rotation = self.protection.rotation
        return None if rotation == 1 else f"origin secret rotation {rotation}"

    def route_auth(self, auth: RouteAuth | None) -> RouteAuth | None:
        """The auth whose authorizer a route with ``auth`` uses: the origin check for a
        public route (or one without auth), its own otherwise (warned of once per kind)."""
        if auth is None or isinstance(auth, Public):
            return self._origin_auth()
        kind = type(auth).__name__
        if kind not in self._warned:
            self._warned.add(kind)
            reason = (
                "IamAuth, whose signed requests cannot come through the CDN at all"
                if isinstance(auth, IamAuth)
                else kind
            )
            message = _UNPROTECTED[1].format(kind=reason, header=self.protection.header_name)
            Annotations.of(self._gateway).add_warning_v2(_UNPROTECTED[0], message)
        return auth

    def _origin_auth(self) -> LambdaAuth:
        """The origin check as a Lambda auth, its function defined on first use."""
        if self._auth is None:
            header = self.protection.header_name
            function = own_function(
                self,
                "Authorizer",
                code=_AUTHORIZER_CODE,
                description="Lets through only requests that carry the CDN's origin secret",
                timeout=Duration.seconds(5),
                environment={"SECRET_ID": self.secret.secret_arn, "HEADER_NAME": header},
                statements=[
                    iam.PolicyStatement(
                        actions=["secretsmanager:GetSecretValue"],
                        resources=[self.secret.secret_arn],
                    )
                ],
                acknowledgments=[
                    Acknowledgment(
                        id="Serverless-LambdaDLQ",
                        reason="API Gateway invokes the authorizer synchronously; a "
                        "dead-letter queue only receives failed asynchronous invocations",
                    ),
                    Acknowledgment(
                        id="Serverless-LambdaTracing",
                        reason="the function compares one header with a secret; X-Ray would "
                        "trace nothing of interest",
                    ),
                ],
            )
            resource = function.node.default_child
            assert isinstance(resource, CfnResource)
            resource.add_metadata(ORIGIN_CHECK, header)
            self._auth = LambdaAuth(
                function,
                identity_sources=[f"$request.header.{header}"],
                cache_ttl=self.protection.cache_ttl,
            )
        return self._auth
