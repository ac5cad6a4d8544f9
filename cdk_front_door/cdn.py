"""CloudFront in front of a gateway, with defaults that are right for APIs.

* Origin: the gateway's custom domain when it has one (with its base path), its execute-api
  domain otherwise; HTTPS only, TLS 1.2.
* The managed AllViewerExceptHostHeader origin request policy: every viewer header, query
  string and cookie reaches the API except ``Host`` (API Gateway answers 403 to a foreign Host).
* All seven methods allowed; GET, HEAD and OPTIONS cacheable. The default cache policy caches
  nothing unless the origin sends ``Cache-Control`` (default TTL 0, max 1 day), and puts
  ``Authorization`` and every query string in the cache key, so that an authenticated answer is
  never served to anyone else. :class:`CacheRule` adds per-path behaviors with their own TTLs and
  cache key (``Authorization`` always in it).
* Compression, HTTP/2 and HTTP/3, IPv6; viewers redirected to HTTPS; the managed security
  headers policy (HSTS, nosniff, frame options, referrer policy).
* Access logs in a hardened S3 bucket; optional WAF; custom domains with a us-east-1
  certificate (see :mod:`cdk_front_door.cdn` ``Cdn.domains``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass

from aws_cdk import (
    Acknowledgment,
    Annotations,
    CfnOutput,
    CustomResource,
    Duration,
    Environment,
    Fn,
    RemovalPolicy,
    Stack,
    Validations,
)
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct, IConstruct

from ._cdn_invalidation import cache_invalidation
from ._jsii import is_unresolved
from .domains import CustomDomain, certificate_name, validate_domain
from .errors import FrontDoorValidationError, check

MAX_CACHE_RULES = 74
"""CloudFront allows 75 cache behaviors per distribution (a quota); the default one is one."""
_MAX_KEY_ITEMS = 10  # headers, cookies or query strings in one cache policy's key
CORS_KEY_HEADERS = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
"""Added to every cache key when the gateway has CORS, so that one origin's CORS answer is
never served to another."""
_MAX_RULE_HEADERS = _MAX_KEY_ITEMS - 1 - len(CORS_KEY_HEADERS)
# Headers CloudFront refuses in a cache key (Accept-Encoding has its own switch) or that
# would break the origin (Host makes API Gateway answer 403).
_FORBIDDEN_KEY_HEADERS = frozenset(
    {
        "accept-encoding", "connection", "expect", "host", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "via",
    }
)  # fmt: skip
_CACHE_POLICY_QUOTA = 20  # custom cache policies per account, by default
_ERROR_STATUSES = (400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504)
_QUERY_STRING_NAME = re.compile(r"^[^\s&=#]+$")
# Regions where CloudFront does not deliver standard logs to a bucket.
LOG_BUCKET_REGIONS_WITHOUT_DELIVERY = frozenset(
    {
        "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
        "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
        "me-central-1", "me-south-1",
    }
)  # fmt: skip
_PATH_PATTERN = re.compile(r"^/?[A-Za-z0-9_\-.*$/~\"'@:+?&]+$")
_MAX_PATH_PATTERN_LENGTH = 255
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_WEB_ACL_ARN = re.compile(r"^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):\d{12}:(global|regional)/webacl/.+$")
DEFAULT_LOG_EXPIRATION = Duration.days(90)
DEFAULT_MAX_TTL = Duration.days(1)
DEFAULT_WAF_RATE_LIMIT = 2000
_MIN_WAF_RATE_LIMIT = 10
_MAX_WAF_RATE_LIMIT = 2_000_000_000


@dataclass(frozen=True)
class CacheRule:
    """A path pattern the CDN caches on its own terms (a CloudFront cache behavior).

    ``CacheRule("/catalog/*", ttl=Duration.minutes(5))`` caches catalog answers for five
    minutes unless the API says otherwise with ``Cache-Control``.

    :param path_pattern: the CloudFront path pattern, such as ``/catalog/*`` or ``/products/*.json``
        (``*`` and ``?`` are wildcards), at most 255 characters.
    :param ttl: how long an answer without ``Cache-Control`` is cached (the default TTL).
    :param min_ttl: the shortest time an answer is cached, whatever ``Cache-Control`` says.
        Default: - 0 seconds
    :param max_ttl: the longest time an answer is cached, whatever ``Cache-Control`` says.
        Default: - the larger of ``ttl`` and one day
    :param headers: request headers that vary the answer, added to the cache key next to
        ``Authorization`` (and, with CORS, ``Origin`` and the preflight headers), which are
        always in it; at most 6. Default: - no other header
    :param cookies: cookies that vary the answer, in the cache key; ``["*"]`` for all.
        Default: - no cookie in the cache key
    :param query_strings: query string parameters in the cache key. Default: - all of them
    """

    path_pattern: str
    _: KW_ONLY
    ttl: Duration
    min_ttl: Duration | None = None
    max_ttl: Duration | None = None
    headers: Sequence[str] = ()
    cookies: Sequence[str] = ()
    query_strings: Sequence[str] | None = None


@dataclass(frozen=True, kw_only=True)
class Waf:
    """A web ACL for the CDN: the AWS managed common and known-bad-inputs rule groups and a
    per-IP rate rule. It bills by the month (about $8 plus $0.60 per million requests).

    :param rate_limit: requests one IP address may make in 5 minutes before it is blocked,
        10 to 2,000,000,000. Default: 2000
    """

    rate_limit: int = DEFAULT_WAF_RATE_LIMIT


@dataclass(frozen=True, kw_only=True)
class Cdn:
    """A CloudFront distribution in front of a gateway.

    :param domains: custom domain names for the distribution, each in a hosted zone (A and AAAA
        alias records are made there) or with DNS elsewhere (the distribution's domain is then
        an output, for a CNAME). They share one certificate in us-east-1: give it as their
        ``certificate`` (the same one for all), or it is defined and DNS-validated. No base
        path. Default: - the distribution's own ``*.cloudfront.net`` domain only
    :param cache: per-path cache rules, at most 74. Default: - nothing cached unless the API
        sends ``Cache-Control``
    :param security_headers: ``False`` to add no headers, or a response headers policy of your
        own. Default: - the managed SecurityHeadersPolicy (HSTS, nosniff, frame options,
        referrer policy)
    :param access_logs: ``False`` to turn CloudFront's access logs off (cdk-nag then reports
        it), or an existing bucket (with ACLs enabled) to write them to. Default: - a new
        encrypted, TLS-only, private bucket whose logs expire after ``log_expiration``
    :param log_expiration: how long access logs are kept in the new bucket. Default: 90 days
    :param waf: ``True`` or a :class:`Waf` to define a web ACL (it bills by the month). Not
        allowed with ``web_acl``. Default: false
    :param web_acl: the ARN of an existing WAFv2 web ACL of scope CLOUDFRONT (global, in
        us-east-1). Default: - no web ACL
    :param geo_restriction: countries to allow or deny. Default: - every country
    :param price_class: the edge locations used. Default: PriceClass.PRICE_CLASS_100 (North
        America, Europe and Israel: the cheapest; viewers elsewhere are served from there)
    :param invalidate_on_deploy: whether to invalidate the whole cache (``/*``) after each
        deploy that changes the gateway's routes or the CDN's cache rules. Default: false
    """

    domains: Sequence[CustomDomain] = ()
    cache: Sequence[CacheRule] = ()
    security_headers: bool | cloudfront.IResponseHeadersPolicy = True
    access_logs: bool | s3.IBucket = True
    log_expiration: Duration = DEFAULT_LOG_EXPIRATION
    waf: bool | Waf = False
    web_acl: str | None = None
    geo_restriction: cloudfront.GeoRestriction | None = None
    price_class: cloudfront.PriceClass = cloudfront.PriceClass.PRICE_CLASS_100
    invalidate_on_deploy: bool = False


def resolve_cdn(scope: IConstruct, cdn: bool | Cdn | None) -> Cdn | None:
    """Validate the ``cdn`` prop and return the configuration it stands for."""
    if cdn is None or cdn is False:
        return None
    if cdn is True:
        cdn = Cdn()
    if not isinstance(cdn, Cdn):
        raise FrontDoorValidationError(
            scope, f"cdn must be True, False or a Cdn(...), got {type(cdn).__name__} {cdn!r}"
        )
    _validate_cache_rules(scope, cdn.cache)
    _validate_waf(scope, cdn)
    check(
        scope,
        "cdn security_headers",
        cdn.security_headers,
        bool | cloudfront.IResponseHeadersPolicy,
    )
    check(scope, "cdn access_logs", cdn.access_logs, bool | s3.IBucket)
    check(scope, "cdn geo_restriction", cdn.geo_restriction, cloudfront.GeoRestriction | None)
    if not isinstance(cdn.log_expiration, Duration):
        raise FrontDoorValidationError(
            scope, f"cdn log_expiration must be a Duration, got {cdn.log_expiration!r}"
        )
    days = cdn.log_expiration.to_days(integral=False)
    if not is_unresolved(days) and (days < 1 or not float(days).is_integer()):
        raise FrontDoorValidationError(
            scope,
            f"cdn log_expiration must be a whole number of days, at least 1, got {days:g} days",
        )
    if not isinstance(cdn.price_class, cloudfront.PriceClass):
        raise FrontDoorValidationError(
            scope, f"cdn price_class must be a cloudfront.PriceClass, got {cdn.price_class!r}"
        )
    region = Stack.of(scope).region
    if cdn.access_logs is True and region in LOG_BUCKET_REGIONS_WITHOUT_DELIVERY:
        raise FrontDoorValidationError(
            scope,
            f"cdn access logs cannot go to a new bucket in {region}: CloudFront does not "
            "deliver standard logs to buckets in that region; pass a bucket in another region "
            "as Cdn(access_logs=...), or access_logs=False",
        )
    check(scope, "cdn invalidate_on_deploy", cdn.invalidate_on_deploy, bool)
    return cdn


def _validate_cache_rules(scope: IConstruct, rules: object) -> None:
    if isinstance(rules, (str, CacheRule)) or not isinstance(rules, (list, tuple)):
        raise FrontDoorValidationError(
            scope, f"cdn cache must be a list of CacheRule, got {type(rules).__name__} {rules!r}"
        )
    if len(rules) > MAX_CACHE_RULES:
        raise FrontDoorValidationError(
            scope,
            f"cdn has {len(rules)} cache rules; CloudFront allows {MAX_CACHE_RULES + 1} cache "
            f"behaviors per distribution, one of them the default: at most {MAX_CACHE_RULES}",
        )
    seen: dict[str, str] = {}
    for rule in rules:
        if not isinstance(rule, CacheRule):
            raise FrontDoorValidationError(
                scope,
                f"cdn cache must be a list of CacheRule, found {type(rule).__name__} {rule!r}",
            )
        pattern = rule.path_pattern
        _validate_path_pattern(scope, pattern)
        normalized = pattern.lstrip("/")
        if normalized in seen:
            raise FrontDoorValidationError(
                scope,
                f"cache rule path {pattern!r} duplicates {seen[normalized]!r}: CloudFront "
                "matches each path pattern once",
            )
        seen[normalized] = pattern
        _validate_ttls(scope, rule)
        _validate_key(scope, rule)


def _validate_path_pattern(scope: IConstruct, pattern: object) -> None:
    if not isinstance(pattern, str) or is_unresolved(pattern):
        raise FrontDoorValidationError(
            scope, f"cache rule path must be a plain string, got {pattern!r}"
        )
    if pattern.lstrip("/") in ("*", ""):
        raise FrontDoorValidationError(
            scope,
            f"cache rule path {pattern!r} matches every request, which is the default behavior: "
            "use a narrower pattern such as '/catalog/*'",
        )
    if len(pattern) > _MAX_PATH_PATTERN_LENGTH or not _PATH_PATTERN.match(pattern):
        raise FrontDoorValidationError(
            scope,
            f"invalid cache rule path {pattern!r}: CloudFront accepts at most 255 of "
            "A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & and the wildcards * and ?",
        )


def _seconds(scope: IConstruct, rule: CacheRule, what: str, value: object) -> float | None:
    if not isinstance(value, Duration):
        raise FrontDoorValidationError(
            scope, f"cache rule {rule.path_pattern!r} {what} must be a Duration, got {value!r}"
        )
    seconds = value.to_seconds(integral=False)
    if is_unresolved(seconds):
        return None
    if not float(seconds).is_integer():
        raise FrontDoorValidationError(
            scope,
            f"cache rule {rule.path_pattern!r} {what} must be whole seconds, got {seconds:g} s",
        )
    return float(seconds)


def _validate_ttls(scope: IConstruct, rule: CacheRule) -> None:
    ttl = _seconds(scope, rule, "ttl", rule.ttl)
    low = 0.0 if rule.min_ttl is None else _seconds(scope, rule, "min_ttl", rule.min_ttl)
    high = (
        max(ttl or 0.0, DEFAULT_MAX_TTL.to_seconds())
        if rule.max_ttl is None
        else _seconds(scope, rule, "max_ttl", rule.max_ttl)
    )
    if ttl is None or low is None or high is None:
        return
    if not low <= ttl <= high:
        raise FrontDoorValidationError(
            scope,
            f"cache rule {rule.path_pattern!r} has min_ttl {low:g} s, ttl {ttl:g} s and max_ttl "
            f"{high:g} s: CloudFront needs min_ttl <= ttl <= max_ttl",
        )
    if high < 1:
        raise FrontDoorValidationError(
            scope,
            f"cache rule {rule.path_pattern!r} has max_ttl {high:g} s: a rule that caches "
            "nothing cannot have a cache key (CloudFront rejects it); give max_ttl at least 1 s",
        )


def _validate_key(scope: IConstruct, rule: CacheRule) -> None:
    for what, values, limit, pattern in (
        ("headers", rule.headers, _MAX_RULE_HEADERS, _HEADER_NAME),
        ("cookies", rule.cookies, _MAX_KEY_ITEMS, _HEADER_NAME),
        ("query_strings", rule.query_strings or (), _MAX_KEY_ITEMS, _QUERY_STRING_NAME),
    ):
        if isinstance(values, str) or not isinstance(values, (list, tuple)):
            raise FrontDoorValidationError(
                scope,
                f"cache rule {rule.path_pattern!r} {what} must be a list of names, got {values!r}",
            )
        if len(values) > limit:
            raise FrontDoorValidationError(
                scope,
                f"cache rule {rule.path_pattern!r} has {len(values)} {what}; at most {limit} fit "
                "in a CloudFront cache key next to the ones always there",
            )
        for value in values:
            if what == "cookies" and value == "*" and len(values) == 1:
                continue
            if not isinstance(value, str) or not pattern.match(value):
                raise FrontDoorValidationError(
                    scope, f"cache rule {rule.path_pattern!r} has an invalid {what} name {value!r}"
                )
    for header in rule.headers:
        if header.lower() in _FORBIDDEN_KEY_HEADERS:
            raise FrontDoorValidationError(
                scope,
                f"cache rule {rule.path_pattern!r} puts {header} in the cache key, which "
                + (
                    "forwards it to API Gateway, which then answers 403"
                    if header.lower() == "host"
                    else "CloudFront does not allow (Accept-Encoding is always handled, as gzip "
                    "and brotli)"
                ),
            )


def _validate_waf(scope: IConstruct, cdn: Cdn) -> None:
    if cdn.waf is not True and cdn.waf is not False and not isinstance(cdn.waf, Waf):
        raise FrontDoorValidationError(
            scope, f"cdn waf must be True, False or a Waf(...), got {cdn.waf!r}"
        )
    if isinstance(cdn.waf, Waf):
        limit = cdn.waf.rate_limit
        if (
            isinstance(limit, bool)
            or not isinstance(limit, int)
            or not _MIN_WAF_RATE_LIMIT <= limit <= _MAX_WAF_RATE_LIMIT
        ):
            raise FrontDoorValidationError(
                scope,
                f"waf rate_limit must be a whole number of requests per 5 minutes from "
                f"{_MIN_WAF_RATE_LIMIT} to {_MAX_WAF_RATE_LIMIT}, got {limit!r}",
            )
    if cdn.web_acl is None:
        return
    if cdn.waf is not False:
        raise FrontDoorValidationError(
            scope,
            "cdn waf and web_acl are both set: give an existing web ACL or let one be defined, "
            "not both",
        )
    if not isinstance(cdn.web_acl, str):
        raise FrontDoorValidationError(
            scope, f"cdn web_acl must be a web ACL ARN string, got {cdn.web_acl!r}"
        )
    if is_unresolved(cdn.web_acl):
        return
    match = _WEB_ACL_ARN.match(cdn.web_acl)
    if match is None:
        raise FrontDoorValidationError(
            scope,
            f"cdn web_acl {cdn.web_acl!r} is not a WAFv2 web ACL ARN "
            "(arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)",
        )
    region, scope_name = match.groups()
    if scope_name != "global" or region != "us-east-1":
        raise FrontDoorValidationError(
            scope,
            f"cdn web_acl {cdn.web_acl!r} has scope {scope_name.upper()} in {region}: "
            "CloudFront takes only web ACLs of scope CLOUDFRONT, which live in us-east-1 "
            "(ARN ':global/webacl/')",
        )


EDGE_REGION = "us-east-1"
"""Where CloudFront's certificates and web ACLs must be."""


@dataclass
class CdnDomainPlan:
    """The CDN's custom domains, validated: one certificate for all of them.

    :param names: the domain names, in the order given.
    :param zones: the hosted zone of each name that has one.
    :param certificate: the certificate given for them, if any.
    """

    names: list[str]
    zones: dict[str, route53.IHostedZone]
    certificate: acm.ICertificate | None


def plan_cdn_domains(
    scope: IConstruct, domains: object, api_domains: Sequence[str]
) -> CdnDomainPlan:
    """Validate ``Cdn(domains=...)``: the rules of API domains, plus one shared us-east-1
    certificate, no base path and no name that is also an API domain."""
    if isinstance(domains, (str, CustomDomain)) or not isinstance(domains, (list, tuple)):
        raise FrontDoorValidationError(
            scope,
            f"cdn domains must be a list of CustomDomain, got {type(domains).__name__} {domains!r}",
        )
    plan = CdnDomainPlan(names=[], zones={}, certificate=None)
    certificates: list[acm.ICertificate | None] = []
    for domain in domains:
        validate_domain(scope, domain, EDGE_REGION, what="cdn domain")
        assert isinstance(domain, CustomDomain)
        name = domain.domain_name
        if domain.base_path is not None:
            raise FrontDoorValidationError(
                scope,
                f"cdn domain {name!r} has base path {domain.base_path!r}: a distribution's "
                "domain serves every path; use a cache rule or an API domain base path instead",
            )
        if name in plan.names:
            raise FrontDoorValidationError(scope, f"cdn domain {name!r} is listed twice")
        if name in api_domains:
            raise FrontDoorValidationError(
                scope,
                f"cdn domain {name!r} is also a custom domain of the API: one name can point "
                "at CloudFront or at API Gateway, not both",
            )
        plan.names.append(name)
        if domain.hosted_zone is not None:
            plan.zones[name] = domain.hosted_zone
        certificates.append(domain.certificate)
    given = [certificate for certificate in certificates if certificate is not None]
    if given and (len(given) != len(certificates) or any(c is not given[0] for c in given)):
        raise FrontDoorValidationError(
            scope,
            "cdn domains must all give the same certificate, or none: a distribution has one "
            "certificate, which must cover every one of its domain names",
        )
    plan.certificate = given[0] if given else None
    return plan


@dataclass
class BuiltCdn:
    """What :func:`build_cdn` defined.

    :param distribution: the CloudFront distribution.
    :param domain: its ``*.cloudfront.net`` domain name.
    :param custom_domains: its custom domain names, each a token that names the distribution
        (so that another stack reading one depends on this one) but resolves to the name.
    :param certificate: the certificate of the custom domains, if any.
    :param web_acl_arn: the ARN of its web ACL, if any.
    :param log_bucket: the bucket its access logs go to, if any.
    :param invalidation: the custom resource that invalidates the cache, if any.
    """

    distribution: cloudfront.Distribution
    domain: str
    custom_domains: list[str]
    certificate: acm.ICertificate | None
    web_acl_arn: str | None
    log_bucket: s3.IBucket | None
    invalidation: CustomResource | None


def build_cdn(
    scope: Construct,
    config: Cdn,
    plan: CdnDomainPlan,
    *,
    origin_domain: str,
    origin_path: str | None,
    routes: Callable[[], list[str]],
    cors: bool,
    ipv6: bool,
    outputs: bool,
    origin_headers: Mapping[str, str] | None = None,
    note: str | None = None,
) -> BuiltCdn:
    """Define the distribution and everything around it under ``scope`` (the gateway's ``Cdn``
    construct); certificates and web ACLs go to us-east-1 (see :func:`edge_scope`).

    The distribution knows its origin only as ``origin_domain``, ``origin_path`` and the
    ``origin_headers`` it sends there (the origin protection's secret), and the routes behind
    it only as ``routes``, which gives one line per route when the app is synthesized (the
    cache is invalidated when they or the cache rules change). ``note`` ends the
    distribution's comment.
    """
    certificate = plan.certificate
    if plan.names and certificate is None:
        certificate = _edge_certificate(scope, plan)
    web_acl_arn = config.web_acl
    if config.waf is not False:
        web_acl_arn = _web_acl(scope, config.waf if isinstance(config.waf, Waf) else Waf())
    log_bucket = _access_log_bucket(scope, config)
    origin = origins.HttpOrigin(
        origin_domain,
        protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
        origin_path=f"/{origin_path}" if origin_path else None,
        custom_headers=dict(origin_headers) if origin_headers else None,
    )
    default_behavior, additional = _behaviors(scope, config, origin, cors=cors)
    distribution = _distribution(
        scope,
        config,
        plan,
        default_behavior=default_behavior,
        additional=additional,
        certificate=certificate,
        web_acl_arn=web_acl_arn,
        log_bucket=log_bucket,
        ipv6=ipv6,
        note=note,
    )
    _acknowledge_cloudfront_rules(distribution, config, plan)
    if web_acl_arn is not None and not origin_headers:
        Annotations.of(scope).add_warning_v2(
            "cdk-front-door:waf-bypass",
            "the web ACL filters requests that come through CloudFront; the API's own domain "
            "(the CDN's origin) can still be called directly, without it",
        )

    _dns_records(scope, distribution, plan, ipv6=ipv6, outputs=outputs)
    invalidation = (
        cache_invalidation(scope, distribution, lambda: _fingerprint(routes(), config.cache))
        if config.invalidate_on_deploy
        else None
    )
    return BuiltCdn(
        distribution=distribution,
        domain=distribution.distribution_domain_name,
        custom_domains=_naming_distribution(plan.names, distribution),
        certificate=certificate,
        web_acl_arn=web_acl_arn,
        log_bucket=log_bucket,
        invalidation=invalidation,
    )


def _behaviors(
    scope: Construct, config: Cdn, origin: cloudfront.IOrigin, *, cors: bool
) -> tuple[cloudfront.BehaviorOptions, dict[str, cloudfront.BehaviorOptions]]:
    """The default behavior and one per cache rule, by path pattern, with their cache policies."""
    headers_policy = _response_headers_policy(config)

    def behavior(cache_policy: cloudfront.ICachePolicy) -> cloudfront.BehaviorOptions:
        return cloudfront.BehaviorOptions(
            origin=origin,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            cache_policy=cache_policy,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            response_headers_policy=headers_policy,
            compress=True,
        )

    key_headers = ["Authorization", *(CORS_KEY_HEADERS if cors else ())]
    policies = _CachePolicies(scope, key_headers)
    default_policy = policies.get(
        CacheRule("(default)", ttl=Duration.seconds(0)),
        comment="caches only what the API allows with Cache-Control",
    )
    additional = {rule.path_pattern: behavior(policies.get(rule)) for rule in config.cache}
    if policies.count > _CACHE_POLICY_QUOTA:
        Annotations.of(scope).add_warning_v2(
            "cdk-front-door:cache-policy-quota",
            f"the CDN defines {policies.count} cache policies; an account may have "
            f"{_CACHE_POLICY_QUOTA} by default: give rules with the same settings the same "
            "TTLs and keys (they then share a policy), or ask for a higher quota",
        )
    return behavior(default_policy), additional


def _distribution(
    scope: Construct,
    config: Cdn,
    plan: CdnDomainPlan,
    *,
    default_behavior: cloudfront.BehaviorOptions,
    additional: dict[str, cloudfront.BehaviorOptions],
    certificate: acm.ICertificate | None,
    web_acl_arn: str | None,
    log_bucket: s3.IBucket | None,
    ipv6: bool,
    note: str | None,
) -> cloudfront.Distribution:
    """The distribution itself: HTTP/2 and 3, the plan's names, API errors never cached."""
    return cloudfront.Distribution(
        scope,
        "Distribution",
        comment=_comment(scope.node.path, note),
        default_behavior=default_behavior,
        additional_behaviors=additional or None,
        domain_names=plan.names or None,
        certificate=certificate,
        # Only with a certificate of ours: the default one's policy is fixed by CloudFront.
        minimum_protocol_version=(
            cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate is not None else None
        ),
        http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        enable_ipv6=ipv6,
        price_class=config.price_class,
        geo_restriction=config.geo_restriction,
        enable_logging=log_bucket is not None,
        log_bucket=log_bucket,
        web_acl_id=web_acl_arn,
        # CloudFront caches error answers for 10 s by default; an API's errors are not cached.
        error_responses=[
            cloudfront.ErrorResponse(http_status=status, ttl=Duration.seconds(0))
            for status in _ERROR_STATUSES
        ],
    )


def _comment(path: str, note: str | None) -> str:
    """The distribution's comment: the construct path (cut to fit 128 characters), then
    ``note`` in parentheses."""
    if note is None:
        return path[:128]
    suffix = f" ({note})"
    return path[: 128 - len(suffix)] + suffix


def _naming_distribution(names: Sequence[str], distribution: cloudfront.Distribution) -> list[str]:
    """Each of ``names`` as ``Fn::Select [0, [name, Ref distribution]]``: the name, with a
    reference to the distribution that a stack reading it turns into a dependency."""
    if not names:
        return []
    distribution_id = distribution.distribution_id
    return [Fn.select(0, [name, distribution_id]) for name in names]


def _fingerprint(routes: Sequence[str], rules: Sequence[CacheRule]) -> str:
    """A digest of what the origin serves (``routes``, one line each) and of the cache
    ``rules``: the cache is invalidated when it changes."""
    lines = list(routes)
    lines.extend(
        " ".join(
            str(value)
            for value in (
                rule.path_pattern,
                rule.ttl.to_seconds(),
                rule.min_ttl and rule.min_ttl.to_seconds(),
                rule.max_ttl and rule.max_ttl.to_seconds(),
                list(rule.headers),
                list(rule.cookies),
                rule.query_strings and list(rule.query_strings),
            )
        )
        for rule in rules
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


def _access_log_bucket(scope: Construct, config: Cdn) -> s3.IBucket | None:
    """The bucket of the CDN's access logs: a new one for ``True``; None when they are off."""
    if config.access_logs is True:
        return _log_bucket(scope, config.log_expiration)
    if config.access_logs is False:
        return None
    return config.access_logs


def _response_headers_policy(config: Cdn) -> cloudfront.IResponseHeadersPolicy | None:
    """CloudFront's managed security headers for ``True``, the given policy, or None."""
    if config.security_headers is True:
        return cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS
    if config.security_headers is False:
        return None
    return config.security_headers


def _dns_records(
    scope: Construct,
    distribution: cloudfront.Distribution,
    plan: CdnDomainPlan,
    *,
    ipv6: bool,
    outputs: bool,
) -> None:
    """A (and with ``ipv6`` AAAA) alias records for the CDN's domains in Route 53; for the
    others, with ``outputs``, a stack output naming the CNAME target."""
    target = route53.RecordTarget.from_alias(route53_targets.CloudFrontTarget(distribution))
    for name, zone in plan.zones.items():
        route53.ARecord(scope, f"{name}|A", zone=zone, record_name=name, target=target)
        if ipv6:
            route53.AaaaRecord(scope, f"{name}|AAAA", zone=zone, record_name=name, target=target)
    if not outputs:
        return
    for name in plan.names:
        if name not in plan.zones:
            CfnOutput(
                scope,
                f"CnameTarget|{name}",
                value=distribution.distribution_domain_name,
                description=f"CNAME target for {name}: its DNS is hosted outside Route 53",
            )


class _CachePolicies:
    """One cache policy per distinct set of settings, shared by the rules that have it, with a
    construct id made from the settings (so reordering rules replaces nothing)."""

    def __init__(self, scope: Construct, key_headers: list[str]) -> None:
        self._scope = scope
        self._key_headers = key_headers
        self._policies: dict[str, cloudfront.CachePolicy] = {}

    @property
    def count(self) -> int:
        return len(self._policies)

    def get(self, rule: CacheRule, comment: str | None = None) -> cloudfront.CachePolicy:
        ttl = rule.ttl
        max_ttl = rule.max_ttl
        if max_ttl is None:
            max_ttl = ttl if ttl.to_seconds() > DEFAULT_MAX_TTL.to_seconds() else DEFAULT_MAX_TTL
        min_ttl = rule.min_ttl or Duration.seconds(0)
        lowered = {header.lower() for header in self._key_headers}
        headers = [*self._key_headers, *(h for h in rule.headers if h.lower() not in lowered)]
        settings = json.dumps(
            [
                ttl.to_seconds(),
                min_ttl.to_seconds(),
                max_ttl.to_seconds(),
                headers,
                list(rule.cookies),
                None if rule.query_strings is None else list(rule.query_strings),
            ]
        )
        found = self._policies.get(settings)
        if found is not None:
            return found
        if list(rule.cookies) == ["*"]:
            cookies = cloudfront.CacheCookieBehavior.all()
        elif rule.cookies:
            cookies = cloudfront.CacheCookieBehavior.allow_list(*rule.cookies)
        else:
            cookies = cloudfront.CacheCookieBehavior.none()
        if rule.query_strings is None:
            query = cloudfront.CacheQueryStringBehavior.all()
        elif rule.query_strings:
            query = cloudfront.CacheQueryStringBehavior.allow_list(*rule.query_strings)
        else:
            query = cloudfront.CacheQueryStringBehavior.none()
        digest = hashlib.sha256(settings.encode()).hexdigest()[:8]
        policy = cloudfront.CachePolicy(
            self._scope,
            f"CachePolicy{digest}",
            comment=f"{self._scope.node.path}: {comment or rule.path_pattern}"[:128],
            default_ttl=ttl,
            min_ttl=min_ttl,
            max_ttl=max_ttl,
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list(*headers),
            query_string_behavior=query,
            cookie_behavior=cookies,
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        self._policies[settings] = policy
        return policy


def _log_bucket(scope: Construct, expiration: Duration) -> s3.Bucket:
    bucket = s3.Bucket(
        scope,
        "LogsBucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        # CloudFront standard logging writes with an ACL, which needs ACLs enabled.
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        lifecycle_rules=[
            s3.LifecycleRule(
                expiration=expiration,
                abort_incomplete_multipart_upload_after=Duration.days(1),
            )
        ],
        removal_policy=RemovalPolicy.RETAIN,
    )
    Validations.of(bucket).acknowledge(
        Acknowledgment(
            id="AwsSolutions-S1",
            reason="this bucket holds CloudFront access logs; logging access to it would need "
            "yet another bucket, and so on",
        )
    )
    return bucket


def check_edge_needs(scope: IConstruct, config: Cdn, plan: CdnDomainPlan) -> None:
    """Fail before anything is defined when the us-east-1 resources the CDN needs cannot be
    placed: an environment-agnostic stack, or a CDN domain zone whose id is a token."""
    needs_certificate = bool(plan.names) and plan.certificate is None
    if not needs_certificate and config.waf is False:
        return
    stack = Stack.of(scope)
    why = (
        "the certificate of the CDN's custom domains" if needs_certificate else "the CDN's web ACL"
    )
    if is_unresolved(stack.region) or is_unresolved(stack.account):
        raise FrontDoorValidationError(
            scope,
            f"{why} must be created in us-east-1, so stack {stack.node.path} needs an explicit "
            "environment: create it with env=Environment(account=..., region=...)",
        )
    if needs_certificate and stack.region != EDGE_REGION:
        for name, zone in plan.zones.items():
            if is_unresolved(zone.hosted_zone_id):
                raise FrontDoorValidationError(
                    scope,
                    f"the hosted zone of cdn domain {name!r} has an id known only at deploy "
                    "time; the certificate is validated from us-east-1, so import the zone "
                    "with HostedZone.from_hosted_zone_attributes(hosted_zone_id='Z...', "
                    "zone_name=...)",
                )


def edge_scope(scope: Construct, why: str) -> Construct:
    """A construct in us-east-1 for ``scope``'s certificates and web ACLs: ``scope`` itself
    when its stack is there, else a construct in a sibling stack in us-east-1 (created once per
    stack), referenced across regions."""
    stack = Stack.of(scope)
    if is_unresolved(stack.region) or is_unresolved(stack.account):
        raise FrontDoorValidationError(
            scope,
            f"{why} must be created in us-east-1, so stack {stack.node.path} needs an explicit "
            "environment: create it with env=Environment(account=..., region=...)",
        )
    if stack.region == EDGE_REGION:
        return scope
    parent = stack.node.scope
    assert isinstance(parent, Construct)
    edge_id = f"{stack.node.id}CdnEdge"
    edge = parent.node.try_find_child(edge_id)
    if edge is None:
        edge = Stack(
            parent,
            edge_id,
            env=Environment(account=stack.account, region=EDGE_REGION),
            cross_region_references=True,
            description=f"us-east-1 certificates and web ACLs for the CDN of {stack.stack_name}",
        )
    assert isinstance(edge, Stack)
    # No '|' here: certificates are tagged with their construct path, and tags do not take it.
    key = scope.node.path.replace("/", "-")
    found = edge.node.try_find_child(key)
    return found if isinstance(found, Construct) else Construct(edge, key)


def _edge_certificate(scope: Construct, plan: CdnDomainPlan) -> acm.ICertificate:
    edge = edge_scope(scope, "the certificate of the CDN's custom domains")
    zones: dict[str, route53.IHostedZone] = {}
    for index, name in enumerate(plan.names):
        zone = plan.zones[name]
        if edge is not scope:
            zone_id = zone.hosted_zone_id
            if is_unresolved(zone_id):
                raise FrontDoorValidationError(
                    scope,
                    f"the hosted zone of cdn domain {name!r} has an id known only at deploy time; "
                    "the certificate is validated from us-east-1, so import the zone with "
                    "HostedZone.from_hosted_zone_attributes(hosted_zone_id='Z...', zone_name=...)",
                )
            zone = route53.HostedZone.from_hosted_zone_attributes(
                edge, f"Zone{index}", hosted_zone_id=zone_id, zone_name=zone.zone_name
            )
        zones[name] = zone
    # The id changes with the names: a certificate for other names is a new resource, with a new
    # cross-region export, rather than an in-place replacement behind the same export.
    digest = hashlib.sha256(",".join(sorted(plan.names)).encode()).hexdigest()[:8]
    return acm.Certificate(
        edge,
        f"Certificate{digest}",
        domain_name=plan.names[0],
        subject_alternative_names=plan.names[1:] or None,
        certificate_name=certificate_name(edge, f"Certificate{digest}"),
        validation=acm.CertificateValidation.from_dns_multi_zone(zones),
    )


def _web_acl(scope: Construct, waf: Waf) -> str:
    edge = edge_scope(scope, "the CDN's web ACL")
    metric = re.sub(r"[^A-Za-z0-9]", "", scope.node.path)[:100] or "FrontDoor"

    def visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
        return wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True,
            metric_name=f"{metric}{name}"[:128],
            sampled_requests_enabled=True,
        )

    def managed(
        name: str, priority: int, count: Sequence[str] = ()
    ) -> wafv2.CfnWebACL.RuleProperty:
        return wafv2.CfnWebACL.RuleProperty(
            name=name,
            priority=priority,
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS",
                    name=name,
                    rule_action_overrides=[
                        wafv2.CfnWebACL.RuleActionOverrideProperty(
                            name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                        )
                        for rule in count
                    ]
                    or None,
                )
            ),
            visibility_config=visibility(name),
        )

    # WAFv2 has no L2 construct.
    acl = wafv2.CfnWebACL(
        edge,
        "WebAcl",
        scope="CLOUDFRONT",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=visibility("WebAcl"),
        rules=[
            wafv2.CfnWebACL.RuleProperty(
                name="RateLimitPerIp",
                priority=0,
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=waf.rate_limit, aggregate_key_type="IP"
                    )
                ),
                visibility_config=visibility("RateLimitPerIp"),
            ),
            # API requests often carry bodies over the rule group's 8 KB limit: count, not block.
            managed("AWSManagedRulesCommonRuleSet", 1, count=["SizeRestrictions_BODY"]),
            managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
        ],
    )
    return acl.attr_arn


def _acknowledge_cloudfront_rules(
    distribution: cloudfront.Distribution, config: Cdn, plan: CdnDomainPlan
) -> None:
    acknowledgments = []
    if config.geo_restriction is None:
        acknowledgments.append(
            Acknowledgment(
                id="AwsSolutions-CFR1",
                reason="serving every country is the user's choice; pass "
                "Cdn(geo_restriction=...) to allow or deny countries",
            )
        )
    if config.waf is False and config.web_acl is None:
        acknowledgments.append(
            Acknowledgment(
                id="AwsSolutions-CFR2",
                reason="a web ACL bills by the month, so it is opt-in: Cdn(waf=True) defines "
                "one, Cdn(web_acl=...) attaches yours",
            )
        )
    if not plan.names:
        acknowledgments.append(
            Acknowledgment(
                id="AwsSolutions-CFR4",
                reason="without a custom domain the distribution serves the default "
                "*.cloudfront.net certificate, whose minimum TLS version CloudFront fixes; "
                "with Cdn(domains=...) it is TLSv1.2_2021",
            )
        )
    if acknowledgments:
        Validations.of(distribution).acknowledge(*acknowledgments)


def plan_cdn(
    scope: Construct, cdn: bool | Cdn, domain_names: Sequence[str]
) -> tuple[Cdn | None, CdnDomainPlan | None]:
    """The CDN's configuration and domains, validated (``domain_names``: the API's custom
    domains, which the CDN's may not repeat); (None, None) when ``cdn`` turns it off."""
    cdn_config = resolve_cdn(scope, cdn)
    if cdn_config is None:
        return None, None
    cdn_domains = plan_cdn_domains(scope, cdn_config.domains, domain_names)
    check_edge_needs(scope, cdn_config, cdn_domains)
    return cdn_config, cdn_domains
