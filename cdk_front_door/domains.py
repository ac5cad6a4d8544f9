"""Custom domains for a gateway: certificates, DNS records and API mappings.

``CustomDomain("api.example.com", hosted_zone=zone)`` gives a gateway a regional custom domain
name with TLS 1.2, a DNS-validated ACM certificate in the stack's region (unless one is given),
A and AAAA alias records in the hosted zone, and an API mapping to the gateway's ``$default``
stage, at the root or under a base path. A domain whose DNS is hosted elsewhere takes an
existing certificate and no zone; the gateway then outputs the target name for its CNAME.

Several gateways of one app (in one account and region) may share a domain name, each under a
base path of its own (one of them may take the root): the first gateway to name it defines its
certificate, domain name and records, and each later one only its API mappings onto them.
:func:`claim_domains` refuses what the second deploy would fail on, or what would be ambiguous:
another gateway's CDN domain, overlapping base paths, another zone or certificate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from aws_cdk import CfnOutput, Fn, Stack
from constructs import Construct, IConstruct

from ._jsii import implements, is_unresolved, node_path
from .errors import FrontDoorValidationError, check

# Imported where domains are validated: a gateway without custom domains does not pay for them.
if TYPE_CHECKING:
    from aws_cdk import aws_apigatewayv2 as apigwv2
    from aws_cdk import aws_certificatemanager as acm
    from aws_cdk import aws_route53 as route53

    from .cdn import CdnDomainPlan

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_MAX_DOMAIN_LENGTH = 253
_MAX_CERTIFICATE_NAME_LENGTH = 64
# Characters API Gateway accepts in an API mapping key (base path); levels are separated by '/'.
_BASE_PATH = re.compile(r"[A-Za-z0-9$_.+!*'()-]+(?:/[A-Za-z0-9$_.+!*'()-]+)*")
_ARN_REGION = re.compile(r"^arn:[^:]+:acm:([^:]+):")
# Path segments that clients resolve away before a request is sent (RFC 3986, 5.2.4).
_DOT_SEGMENTS = (".", "..")
# ACM tag values take letters, digits, spaces and these; aws-cdk-lib cuts its Name tag at 255.
_TAG_PUNCTUATION = frozenset("_.:/=+-@")
_MAX_CERTIFICATE_TAG_LENGTH = 255


@dataclass(frozen=True)
class CustomDomain:
    """A custom domain name for a gateway.

    :param domain_name: the fully qualified domain name, lower case, for example
        ``api.example.com``; a leading ``*.`` makes a wildcard domain. Gateways of one app may
        share a name, each with its own base path (see :func:`claim_domains`); a CDN's name
        belongs to that CDN alone.
    :param hosted_zone: the public Route 53 zone the domain is in: the certificate is validated
        and the A and AAAA alias records are created there. Without it the DNS is managed
        elsewhere and ``certificate`` is required. Default: - DNS hosted elsewhere
    :param certificate: an existing ACM certificate in the stack's region that covers the
        domain (for example a wildcard certificate shared by several domains). Default: - a
        DNS-validated certificate for the domain is defined in the stack's region
    :param base_path: the API mapping key: the gateway is served under
        ``https://{domain_name}/{base_path}/``, such as ``v1`` or ``orders/v2``, with no ``.``
        or ``..`` level (clients remove those). Default: - the gateway is served at the root of
        the domain
    """

    domain_name: str
    _: KW_ONLY
    hosted_zone: route53.IHostedZone | None = None
    certificate: acm.ICertificate | None = None
    base_path: str | None = None


@dataclass
class DomainPlan:
    """One custom domain name of a gateway and the base paths it maps, validated.

    :param name: the domain name.
    :param hosted_zone: its hosted zone, if any.
    :param certificate: its existing certificate, if any.
    :param base_paths: the mapped base paths (None for the root), in the order given.
    """

    name: str
    hosted_zone: route53.IHostedZone | None
    certificate: acm.ICertificate | None
    base_paths: list[str | None] = field(default_factory=list)

    @property
    def is_wildcard(self) -> bool:
        """Whether this is a wildcard domain, which has no single URL."""
        return self.name.startswith("*.")

    def url(self, base_path: str | None) -> str:
        """The ``https://`` URL of the gateway under ``base_path`` of this domain, with a
        trailing ``/``."""
        return f"https://{self.name}/" + (f"{base_path}/" if base_path else "")


def plan_domains(scope: IConstruct, domains: object, stack_region: str) -> list[DomainPlan]:
    """Validate the ``domains`` prop and group its entries by domain name."""
    if domains is None:
        return []
    if isinstance(domains, (str, CustomDomain)) or not isinstance(domains, (list, tuple)):
        raise FrontDoorValidationError(
            scope,
            f"domains must be a list of CustomDomain, got {type(domains).__name__} {domains!r}",
        )
    plans: dict[str, DomainPlan] = {}
    for domain in domains:
        validate_domain(scope, domain, stack_region)
        assert isinstance(domain, CustomDomain)
        plan = plans.get(domain.domain_name)
        if plan is None:
            plan = plans[domain.domain_name] = DomainPlan(
                name=domain.domain_name,
                hosted_zone=domain.hosted_zone,
                certificate=domain.certificate,
            )
        elif not _same_zone(plan.hosted_zone, domain.hosted_zone) or (
            plan.certificate is not domain.certificate
        ):
            raise FrontDoorValidationError(
                scope,
                f"domain {domain.domain_name!r} is given twice with different hosted zones or "
                "certificates: a domain name has one of each; list it again only to map "
                "another base path, with the same zone and certificate",
            )
        if domain.base_path in plan.base_paths:
            where = f"base path {domain.base_path!r}" if domain.base_path else "the root"
            raise FrontDoorValidationError(
                scope,
                f"domain {domain.domain_name!r} maps {where} twice: each domain and base path "
                "may be mapped once",
            )
        plan.base_paths.append(domain.base_path)
        if None in plan.base_paths and len(plan.base_paths) > 1:
            keyed = next(path for path in plan.base_paths if path is not None)
            raise FrontDoorValidationError(
                scope,
                f"domain {domain.domain_name!r} maps the gateway both at the root and under "
                f"base path {keyed!r}: the root mapping already serves every path of this "
                "gateway; keep one of them",
            )
    return list(plans.values())


def validate_domain(
    scope: IConstruct, domain: object, certificate_region: str, *, what: str = "domain"
) -> None:
    """Check one :class:`CustomDomain`; its certificate must be in ``certificate_region``."""
    from aws_cdk import aws_certificatemanager as acm  # noqa: PLC0415 - see TYPE_CHECKING
    from aws_cdk import aws_route53 as route53  # noqa: PLC0415

    if not isinstance(domain, CustomDomain):
        raise FrontDoorValidationError(
            scope,
            f"domains must be a list of CustomDomain, found {type(domain).__name__} {domain!r}",
        )
    name = domain.domain_name
    _validate_domain_name(scope, name)
    if domain.hosted_zone is not None and not implements(domain.hosted_zone, route53.IHostedZone):
        raise FrontDoorValidationError(
            scope,
            f"hosted_zone of domain {name!r} must be a route53.IHostedZone, got "
            f"{type(domain.hosted_zone).__name__} {domain.hosted_zone!r} (use "
            "HostedZone.from_hosted_zone_attributes for a zone defined elsewhere)",
        )
    if domain.certificate is not None and not implements(domain.certificate, acm.ICertificate):
        raise FrontDoorValidationError(
            scope,
            f"certificate of domain {name!r} must be an acm.ICertificate, got "
            f"{type(domain.certificate).__name__} {domain.certificate!r} (for an ARN use "
            "acm.Certificate.from_certificate_arn)",
        )
    if domain.hosted_zone is None and domain.certificate is None:
        raise FrontDoorValidationError(
            scope,
            f"domain {name!r} has no hosted_zone and no certificate: give the Route 53 zone "
            "to define a DNS-validated certificate and records, or, for DNS hosted elsewhere, "
            "an existing certificate",
        )
    if domain.certificate is None and len(name) > _MAX_CERTIFICATE_NAME_LENGTH:
        raise FrontDoorValidationError(
            scope,
            f"{what} {name!r} is {len(name)} characters long; ACM certificates take names of "
            f"at most {_MAX_CERTIFICATE_NAME_LENGTH}: give an existing certificate that covers "
            "it (such as a wildcard one)",
        )
    if domain.hosted_zone is not None:
        _validate_in_zone(scope, name, domain.hosted_zone)
    if domain.certificate is not None:
        _validate_certificate_region(scope, name, domain.certificate, certificate_region, what)
    if domain.base_path is not None:
        _validate_base_path(scope, name, domain.base_path)


def _same_zone(first: route53.IHostedZone | None, second: route53.IHostedZone | None) -> bool:
    """Whether two zones are one (the same object, or imported twice with the same id)."""
    if first is None or second is None:
        return first is second
    return first is second or first.hosted_zone_id == second.hosted_zone_id


def _validate_domain_name(scope: IConstruct, name: object) -> None:
    if not isinstance(name, str):
        raise FrontDoorValidationError(
            scope, f"domain name must be a string, got {type(name).__name__} {name!r}"
        )
    if is_unresolved(name):
        raise FrontDoorValidationError(
            scope,
            f"domain name {name!r} is a token: a custom domain must be known at synth time "
            "(it names the certificate, the records and the construct ids)",
        )
    if name != name.lower():
        raise FrontDoorValidationError(
            scope,
            f"domain name {name!r} must be lower case (write {name.lower()!r}): API Gateway "
            "and ACM store names in lower case",
        )
    labels = name.split(".")
    if labels[0] == "*":
        labels = labels[1:]
    valid = (
        len(name) <= _MAX_DOMAIN_LENGTH
        and len(labels) >= 2
        and all(_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()
    )
    if not valid:
        raise FrontDoorValidationError(
            scope,
            f"invalid domain name {name!r}: expected a fully qualified name such as "
            "'api.example.com' (labels of a-z, 0-9 and inner '-', at most 63 characters each, "
            "253 in all, no trailing dot), optionally starting with '*.'",
        )


def _validate_in_zone(scope: IConstruct, name: str, zone: route53.IHostedZone) -> None:
    try:
        zone_name = zone.zone_name
    except RuntimeError as error:  # HostedZone.from_hosted_zone_id: the name is unknown
        raise FrontDoorValidationError(
            scope,
            f"the hosted zone of domain {name!r} was imported by id alone, so its name is "
            "unknown and no record can be placed in it: import it with "
            "HostedZone.from_hosted_zone_attributes(hosted_zone_id=..., zone_name=...)",
        ) from error
    if is_unresolved(zone_name):
        return
    zone_name = zone_name.rstrip(".").lower()
    if name != zone_name and not name.endswith("." + zone_name):
        raise FrontDoorValidationError(
            scope,
            f"domain {name!r} is not inside its hosted zone {zone_name!r}: the domain must be "
            f"the zone's name or end with '.{zone_name}'",
        )


def _validate_certificate_region(
    scope: IConstruct, name: str, certificate: acm.ICertificate, region: str, what: str
) -> None:
    if is_unresolved(region):
        return
    arn = certificate.certificate_arn
    match = None if is_unresolved(arn) else _ARN_REGION.match(arn)
    # A certificate defined in the app has a token ARN; its stack's region is known instead.
    found = match.group(1) if match is not None else certificate.env.region
    if is_unresolved(found) or found == region:
        return
    if match is None:
        arn = certificate.node.path
    if what == "domain":
        reason = (
            f"but the gateway is in {region}: a regional custom domain needs a certificate in "
            "the API's own region"
        )
    else:
        reason = f"but CloudFront takes certificates from {region} only"
    raise FrontDoorValidationError(
        scope, f"certificate {arn!r} of {what} {name!r} is in {found} {reason}"
    )


def _validate_base_path(scope: IConstruct, name: str, base_path: object) -> None:
    if not isinstance(base_path, str) or is_unresolved(base_path):
        if isinstance(base_path, str):
            return
        raise FrontDoorValidationError(
            scope,
            f"base_path of domain {name!r} must be a string, got {type(base_path).__name__}",
        )
    if not _BASE_PATH.fullmatch(base_path):
        raise FrontDoorValidationError(
            scope,
            f"invalid base path {base_path!r} for domain {name!r}: use one or more levels of "
            "a-z, A-Z, 0-9 and $-_.+!*'() separated by '/', with no leading or trailing '/' "
            "(for example 'v1' or 'orders/v2'); leave it unset for the root",
        )
    for segment in base_path.split("/"):
        if segment in _DOT_SEGMENTS:
            raise FrontDoorValidationError(
                scope,
                f"invalid base path {base_path!r} for domain {name!r}: segment {segment!r} is "
                "removed from URLs by clients before they send them, so no request could reach "
                "the mapping; use levels other than '.' and '..'",
            )


def certificate_name(scope: IConstruct, construct_id: str) -> str:
    """The ``Name`` tag of a certificate to be defined as ``construct_id`` in ``scope``.

    aws-cdk-lib tags a certificate with its construct path, which holds the domain name where
    a construct id does; ACM and CloudFormation refuse ``*`` and any character but letters,
    digits, spaces and ``_.:/=+-@`` in a tag value. So ``*`` is written ``wildcard`` and each
    other refused character ``-``: a path ACM takes is the tag unchanged.
    """
    path = f"{node_path(scope)}/{construct_id}".replace("*", "wildcard")
    return "".join(
        char if char in _TAG_PUNCTUATION or unicodedata.category(char)[0] in "LNZ" else "-"
        for char in path
    )[:_MAX_CERTIFICATE_TAG_LENGTH]


DomainKind = Literal["api", "cdn"]
"""``"api"`` for an API Gateway custom domain name, ``"cdn"`` for a CloudFront alias."""


@dataclass(frozen=True)
class DomainClaim:
    """A custom domain name as one gateway, or its CDN, uses it.

    :param name: the domain name.
    :param owner: the construct path of the gateway.
    :param kind: ``"api"`` for a domain of the API, ``"cdn"`` for one of its CDN.
    :param account: the account of the gateway's stack (the same token for every stack
        without one).
    :param region: the region of the gateway's stack (the same token for every stack
        without one).
    :param hosted_zone_id: the id of the hosted zone its records are in; None when its DNS is
        hosted elsewhere.
    :param base_paths: the base paths mapped on it (None for the root); empty for the CDN.
    :param certificate: the certificate given for it; None when the library defines one.
    :param ipv6: whether its domain name is dual stack.
    """

    name: str
    owner: str
    kind: DomainKind
    account: str
    region: str
    hosted_zone_id: str | None
    base_paths: tuple[str | None, ...] = ()
    certificate: acm.ICertificate | None = None
    ipv6: bool = True


@dataclass(frozen=True)
class SharedDomain:
    """A custom domain name an earlier gateway of the app defined, which a later gateway maps
    onto under its own base paths.

    :param owner: the construct path of the gateway that defined it.
    :param domain_name: its API Gateway domain name.
    :param certificate: its certificate.
    """

    owner: str
    domain_name: apigwv2.DomainName
    certificate: acm.ICertificate


class _DomainClaims(Construct):
    """The custom domain names the gateways of one app have claimed: one construct at the
    root of the app, found by its id, which owns the claims."""

    ID = "CdkFrontDoorDomainClaims"

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._claims: dict[str, list[DomainClaim]] = {}
        self._defined: dict[tuple[str, str, str], SharedDomain] = {}

    @classmethod
    def of(cls, scope: IConstruct) -> _DomainClaims:
        """The claims of ``scope``'s app, made on first use."""
        root = scope.node.root
        found = root.node.try_find_child(cls.ID)
        if found is None:
            assert isinstance(root, Construct)
            found = cls(root, cls.ID)
        if not isinstance(found, _DomainClaims):
            raise FrontDoorValidationError(
                scope,
                f"construct id {cls.ID!r} at the root of the app is taken by "
                f"{type(found).__name__}; it is reserved for the custom domains of gateways",
            )
        return found

    def claims_of(self, name: str) -> tuple[DomainClaim, ...]:
        """The claims on ``name`` so far, in the order they were made."""
        return tuple(self._claims.get(name, ()))

    def add(self, claim: DomainClaim) -> None:
        """Record ``claim``; :func:`claim_domains` has checked it."""
        self._claims.setdefault(claim.name, []).append(claim)

    def defined(self, name: str, account: str, region: str) -> SharedDomain | None:
        """The domain name ``name`` a gateway in ``account`` and ``region`` defined; None
        when none did."""
        return self._defined.get((name, account, region))

    def define(self, name: str, account: str, region: str, domain: SharedDomain) -> None:
        """Record that ``domain.owner`` defined the domain name ``name`` there."""
        self._defined.setdefault((name, account, region), domain)


def claim_domains(
    scope: Construct,
    plans: Sequence[DomainPlan],
    cdn_plan: CdnDomainPlan | None,
    *,
    ipv6: bool = True,
) -> None:
    """Refuse a custom domain of the gateway ``scope`` (of its API or of its CDN) that another
    gateway of the app already has, then record the gateway's domains.

    Gateways in one account and region may share a custom domain name under distinct base
    paths (an account and region have one API Gateway domain name of each name, which they
    then share); a CDN's name is its own (CloudFront serves an alias from one distribution).
    Gateways in different environments known at synth time may each have a regional domain of
    one name whose DNS is hosted elsewhere (a multi-region API). Every rule about two gateways
    and one name is in ``_conflict``.
    """
    cdn_names = [] if cdn_plan is None else cdn_plan.names
    if not plans and not cdn_names:
        return
    stack = Stack.of(scope)
    owner, account, region = node_path(scope), stack.account, stack.region
    claims = [
        DomainClaim(
            name=plan.name,
            owner=owner,
            kind="api",
            account=account,
            region=region,
            hosted_zone_id=None if plan.hosted_zone is None else plan.hosted_zone.hosted_zone_id,
            base_paths=tuple(plan.base_paths),
            certificate=plan.certificate,
            ipv6=ipv6,
        )
        for plan in plans
    ]
    for name in cdn_names:
        assert cdn_plan is not None
        zone = cdn_plan.zones.get(name)
        claims.append(
            DomainClaim(
                name=name,
                owner=owner,
                kind="cdn",
                account=account,
                region=region,
                hosted_zone_id=None if zone is None else zone.hosted_zone_id,
            )
        )
    registry = _DomainClaims.of(scope)
    for claim in claims:
        for other in registry.claims_of(claim.name):
            reason = _conflict(claim, other)
            if reason is not None:
                raise FrontDoorValidationError(
                    scope,
                    f"{_ROLES[claim.kind]} {claim.name!r} of gateway {claim.owner} is already "
                    f"a {_ROLES[other.kind]} of gateway {other.owner}: {reason}",
                )
    for claim in claims:
        registry.add(claim)


_ROLES: dict[DomainKind, str] = {"api": "custom domain", "cdn": "cdn domain"}


def _conflict(claim: DomainClaim, other: DomainClaim) -> str | None:
    """Why two gateways cannot both have the domain name of ``claim`` and ``other``; None when
    they can."""
    if claim.kind == "cdn" and other.kind == "cdn":
        return (
            "CloudFront serves an alias from one distribution only, so the second deploy would "
            "fail; give each cdn a domain name of its own"
        )
    if claim.kind != other.kind:
        return "one name can point at CloudFront or at API Gateway, not both"
    if claim.account == other.account and claim.region == other.region:
        return _sharing_conflict(claim, other)
    if claim.hosted_zone_id is not None and claim.hosted_zone_id == other.hosted_zone_id:
        return (
            "both would define its A and AAAA records in the same hosted zone, so the second "
            "deploy would fail; give each gateway a domain name of its own"
        )
    return None


def _sharing_conflict(claim: DomainClaim, other: DomainClaim) -> str | None:
    """Why the gateway of ``claim`` cannot map onto the domain name ``other``'s gateway shares
    with it (one account and region); None when it can."""
    if claim.hosted_zone_id != other.hosted_zone_id or not _same_certificate(
        claim.certificate, other.certificate
    ):
        return (
            "gateways that share a domain name share its one certificate and hosted zone, so "
            f"give {claim.owner} the same hosted_zone and certificate (or none) as {other.owner}"
        )
    if claim.ipv6 != other.ipv6:
        return (
            f"gateways that share a domain name share its IP address type, so give "
            f"{claim.owner} the same ipv6 setting as {other.owner}"
        )
    for mine in claim.base_paths:
        for theirs in other.base_paths:
            if _overlap(mine, theirs):
                return (
                    f"base path {_describe_path(mine)} of {claim.owner} and base path "
                    f"{_describe_path(theirs)} of {other.owner} overlap, so API Gateway could "
                    "not tell their requests apart; give each gateway a base path of its own "
                    "that is not inside another's (one of them may take the root)"
                )
    return None


def _same_certificate(first: acm.ICertificate | None, second: acm.ICertificate | None) -> bool:
    """Whether two certificates are one (the same object, or imported twice by one ARN)."""
    if first is None or second is None or first is second:
        return first is second
    arn = first.certificate_arn
    return not is_unresolved(arn) and arn == second.certificate_arn


def _overlap(first: str | None, second: str | None) -> bool:
    """Whether two base paths (None for the root) would take the same requests: equal, or
    one a level of the other (``orders`` and ``orders/v2``). Only one root is ambiguous: a
    base path takes its requests from the root."""
    if first is None or second is None:
        return first is None and second is None
    mine, theirs = first.split("/"), second.split("/")
    shorter = min(len(mine), len(theirs))
    return mine[:shorter] == theirs[:shorter]


def _describe_path(base_path: str | None) -> str:
    return "(the root)" if base_path is None else repr(base_path)


@dataclass
class BuiltDomains:
    """What :func:`build_domains` defined for a gateway.

    :param domain_names: the API Gateway domain name of each custom domain, by name.
    :param certificates: the certificate of each (given or defined), by domain name.
    :param api_mappings: the API mappings, in the order the domains were given.
    :param names: the domain names, each once, in the order given.
    :param urls: the ``https://`` URL of each mapping, wildcard domains left out; its host is
        the domain name resource's ``Ref`` (see ``references``).
    :param references: each domain name as its domain name resource's ``Ref``, which resolves
        to the name and makes a stack reading it depend on this one.
    """

    domain_names: dict[str, apigwv2.DomainName] = field(default_factory=dict)
    certificates: dict[str, acm.ICertificate] = field(default_factory=dict)
    api_mappings: list[apigwv2.ApiMapping] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)

    @property
    def custom_domains(self) -> list[str]:
        """The domain names, each once, in the order given, as references."""
        return [self.references[name] for name in self.names]

    def endpoint(self, execute_api_domain: str) -> tuple[str, str]:
        """The host name and URL clients use: the first domain that is not a wildcard and
        the first URL, else the execute-api endpoint's."""
        plain = [self.references[name] for name in self.names if not name.startswith("*.")]
        domain = plain[0] if plain else execute_api_domain
        url = self.urls[0] if self.urls else f"https://{execute_api_domain}/"
        return domain, url


def build_domains(
    gateway: Construct,
    construct_id: str,
    plans: Sequence[DomainPlan],
    *,
    http_api: apigwv2.IHttpApi,
    stage: apigwv2.IHttpStage,
    ipv6: bool,
    outputs: bool,
) -> BuiltDomains:
    """Define the custom domains of ``plans`` for a gateway, under ``gateway/construct_id``:
    for each domain ``<name>/Certificate`` (unless given), ``<name>/DomainName``, an API
    mapping per base path, A (and with ``ipv6`` AAAA) alias records in its zone (or a CNAME
    target output), and an output per URL. A domain name an earlier gateway of the app
    defined (see :func:`claim_domains`) gets only the mappings and their outputs."""
    scope = Construct(gateway, construct_id)
    built = BuiltDomains()
    registry = _DomainClaims.of(gateway)
    stack = Stack.of(gateway)
    for plan in plans:
        domain_scope = Construct(scope, plan.name)
        shared = registry.defined(plan.name, stack.account, stack.region)
        if shared is None:
            shared = SharedDomain(
                owner=node_path(gateway),
                **_define_domain(domain_scope, plan, ipv6=ipv6, outputs=outputs),
            )
            registry.define(plan.name, stack.account, stack.region, shared)
        built.domain_names[plan.name] = shared.domain_name
        built.certificates[plan.name] = shared.certificate
        built.names.append(plan.name)
        mappings = _map_domain(domain_scope, plan, shared.domain_name, http_api, stage)
        built.api_mappings.extend(mappings)
        reference = shared.domain_name.name
        if shared.owner != node_path(gateway):
            # The name, with a reference to this gateway's mapping too: a stack that reads it
            # deploys after the mapping, not only after the domain name.
            reference = Fn.select(0, [reference, mappings[0].api_mapping_id])
        built.references[plan.name] = reference
        _add_urls(domain_scope, plan, reference, built=built, gateway=gateway, outputs=outputs)
    return built


def _define_domain(
    scope: Construct, plan: DomainPlan, *, ipv6: bool, outputs: bool
) -> dict[str, Any]:
    """The certificate (unless given), domain name and DNS records of ``plan``."""
    from aws_cdk import aws_apigatewayv2 as apigwv2  # noqa: PLC0415 - see TYPE_CHECKING
    from aws_cdk import aws_certificatemanager as acm  # noqa: PLC0415

    certificate = plan.certificate
    if certificate is None:
        assert plan.hosted_zone is not None  # checked by plan_domains
        certificate = acm.Certificate(
            scope,
            "Certificate",
            domain_name=plan.name,
            certificate_name=certificate_name(scope, "Certificate"),
            validation=acm.CertificateValidation.from_dns(plan.hosted_zone),
        )
    domain_name = apigwv2.DomainName(
        scope,
        "DomainName",
        domain_name=plan.name,
        certificate=certificate,
        endpoint_type=apigwv2.EndpointType.REGIONAL,
        security_policy=apigwv2.SecurityPolicy.TLS_1_2,
        ip_address_type=(apigwv2.IpAddressType.DUAL_STACK if ipv6 else apigwv2.IpAddressType.IPV4),
    )
    _dns_records(scope, plan, domain_name, ipv6=ipv6, outputs=outputs)
    return {"domain_name": domain_name, "certificate": certificate}


def _mapping_id(base_path: str | None) -> str:
    return "Mapping|" + (base_path.replace("/", "|") if base_path else "(root)")


def _map_domain(
    scope: Construct,
    plan: DomainPlan,
    domain_name: apigwv2.DomainName,
    http_api: apigwv2.IHttpApi,
    stage: apigwv2.IHttpStage,
) -> list[apigwv2.ApiMapping]:
    """The gateway's API mappings on ``domain_name``, one per base path of ``plan``."""
    from aws_cdk import aws_apigatewayv2 as apigwv2  # noqa: PLC0415 - see TYPE_CHECKING

    return [
        apigwv2.ApiMapping(
            scope,
            _mapping_id(base_path),
            api=http_api,
            domain_name=domain_name,
            api_mapping_key=base_path,
            stage=stage,
        )
        for base_path in plan.base_paths
    ]


def _add_urls(
    scope: Construct,
    plan: DomainPlan,
    reference: str,
    *,
    built: BuiltDomains,
    gateway: Construct,
    outputs: bool,
) -> None:
    """The URL of each mapping of ``plan`` (host ``reference``), with an output of each."""
    if plan.is_wildcard:
        return  # a wildcard domain has no single URL
    for base_path in plan.base_paths:
        url = f"https://{reference}/" + (f"{base_path}/" if base_path else "")
        built.urls.append(url)
        if outputs:
            CfnOutput(
                scope,
                _mapping_id(base_path).replace("Mapping", "Url", 1),
                value=url,
                description=f"URL of {node_path(gateway)} at {plan.url(base_path)}",
            )


def _dns_records(
    scope: Construct,
    plan: DomainPlan,
    domain_name: apigwv2.DomainName,
    *,
    ipv6: bool,
    outputs: bool,
) -> None:
    """A (and with ``ipv6`` AAAA) alias records in the domain's zone, or else an output of
    the CNAME target."""
    from aws_cdk import aws_route53 as route53  # noqa: PLC0415 - see TYPE_CHECKING
    from aws_cdk import aws_route53_targets as route53_targets  # noqa: PLC0415

    if plan.hosted_zone is not None:
        target = route53.RecordTarget.from_alias(
            route53_targets.ApiGatewayv2DomainProperties(
                domain_name.regional_domain_name, domain_name.regional_hosted_zone_id
            )
        )
        route53.ARecord(scope, "A", zone=plan.hosted_zone, record_name=plan.name, target=target)
        if ipv6:
            route53.AaaaRecord(
                scope, "AAAA", zone=plan.hosted_zone, record_name=plan.name, target=target
            )
    elif outputs:
        CfnOutput(
            scope,
            "CnameTarget",
            value=domain_name.regional_domain_name,
            description=f"CNAME target for {plan.name}: its DNS is hosted outside Route 53",
        )


def plan_execute_api_endpoint(
    scope: Construct,
    disable: bool | None,
    domain_plans: Sequence[DomainPlan],
    *,
    behind_cdn: bool = False,
) -> bool:
    """Whether to turn the execute-api endpoint off: ``disable``, validated, or by default
    when a custom domain is not a wildcard. ``url`` and ``domain`` name one endpoint clients
    can call: such a domain, or else the execute-api endpoint, which then stays on. Behind
    a CDN whose origin is such a domain (``behind_cdn``), it is always off: it would be a way
    around the CDN."""
    check(scope, "disable_execute_api_endpoint", disable, bool | None)
    plain_domain = any(not plan.is_wildcard for plan in domain_plans)
    if disable is None:
        return plain_domain
    if behind_cdn and plain_domain and not disable:
        raise FrontDoorValidationError(
            scope,
            "disable_execute_api_endpoint=False is not allowed behind a CDN whose origin is a "
            "custom domain: the execute-api endpoint would let callers around the CDN (its "
            "web ACL, cache and origin protection); leave it out",
        )
    if disable and not domain_plans:
        raise FrontDoorValidationError(
            scope,
            "disable_execute_api_endpoint=True without custom domains would leave the API "
            "unreachable: add domains, or keep the execute-api endpoint",
        )
    if disable and not plain_domain:
        raise FrontDoorValidationError(
            scope,
            "disable_execute_api_endpoint=True with only wildcard custom domains "
            f"({', '.join(plan.name for plan in domain_plans)}) leaves url and domain no "
            "endpoint to name: add a custom domain that is not a wildcard, or keep the "
            "execute-api endpoint",
        )
    return disable


def cdn_origin(plans: Sequence[DomainPlan]) -> tuple[str | None, str | None]:
    """The CDN origin: the first API custom domain CloudFront can reach (not a wildcard),
    with its base path, else the execute-api domain (None stands for it; it is on whenever
    no custom domain is plain, see ``disable_execute_api_endpoint``)."""
    reachable = [plan for plan in plans if not plan.is_wildcard]
    # A domain whose records are in Route 53 is known to resolve; one hosted elsewhere may not.
    reachable.sort(key=lambda plan: plan.hosted_zone is None)
    for plan in reachable:
        return plan.name, plan.base_paths[0]
    return None, None
