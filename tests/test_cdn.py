from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, Duration, Environment, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template

from cdk_front_door import (
    PUBLIC,
    CacheRule,
    Cdn,
    Cors,
    CustomDomain,
    FrontDoorValidationError,
    HttpApiGateway,
    Waf,
)
from cdk_front_door.testing import snapshot_context
from tests.support import (
    cfn_lint,
    deployed,
    has_one,
    nag_report,
    resources_of_type,
    single,
    template_of,
)

DISTRIBUTION = "AWS::CloudFront::Distribution"
CACHE_POLICY = "AWS::CloudFront::CachePolicy"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
WILDCARD_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/edge"


def stack_in(region: str, app: App | None = None, name: str = "Front") -> Stack:
    return Stack(
        app or App(context=snapshot_context()),
        name,
        env=Environment(account="123456789012", region=region),
    )


def zone(stack: Stack) -> route53.IHostedZone:
    return route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )


def distribution_config(stack: Stack) -> dict[str, Any]:
    config: dict[str, Any] = single(template_of(stack), DISTRIBUTION)["Properties"][
        "DistributionConfig"
    ]
    return config


def test_cdn_true_defines_a_distribution_for_apis(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True)
    template = Template.from_stack(stack)
    has_one(
        template,
        DISTRIBUTION,
        {
            "DistributionConfig": {
                "Origins": [
                    {
                        "DomainName": Match.object_equals(stack.resolve(api.execute_api_domain)),
                        "CustomOriginConfig": Match.object_equals(
                            {
                                "OriginProtocolPolicy": "https-only",
                                "OriginSSLProtocols": ["TLSv1.2"],
                            }
                        ),
                        "OriginPath": Match.absent(),
                    }
                ],
                "DefaultCacheBehavior": {
                    "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                    "CachedMethods": ["GET", "HEAD", "OPTIONS"],
                    "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST,
                    "ResponseHeadersPolicyId": SECURITY_HEADERS,
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "Compress": True,
                },
                "HttpVersion": "http2and3",
                "IPV6Enabled": True,
                "PriceClass": "PriceClass_100",
            }
        },
    )
    config = distribution_config(stack)
    errors = {e["ErrorCode"]: e["ErrorCachingMinTTL"] for e in config["CustomErrorResponses"]}
    assert set(errors) >= {400, 403, 404, 500, 502, 503, 504}
    assert set(errors.values()) == {0}


def test_default_cache_policy_caches_only_what_the_api_allows(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", cdn=True)
    template = Template.from_stack(stack)
    has_one(
        template,
        CACHE_POLICY,
        {
            "CachePolicyConfig": {
                "DefaultTTL": 0,
                "MinTTL": 0,
                "MaxTTL": 86400,
                "ParametersInCacheKeyAndForwardedToOrigin": {
                    "HeadersConfig": Match.object_equals(
                        {"HeaderBehavior": "whitelist", "Headers": ["Authorization"]}
                    ),
                    "QueryStringsConfig": Match.object_equals({"QueryStringBehavior": "all"}),
                    "CookiesConfig": Match.object_equals({"CookieBehavior": "none"}),
                    "EnableAcceptEncodingGzip": True,
                },
            }
        },
    )


def test_attributes_and_outputs_of_the_cdn(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True)
    assert api.distribution is not None
    assert stack.resolve(api.cdn_domain) == stack.resolve(api.distribution.distribution_domain_name)
    assert stack.resolve(api.cdn_url) == {
        "Fn::Join": ["", ["https://", stack.resolve(api.cdn_domain), "/"]]
    }
    assert api.cdn_custom_domains == []
    assert api.cdn_custom_domain_urls == []
    outputs = template_of(stack)["Outputs"]
    assert any(name.startswith("ApiCdnUrl") for name in outputs)
    assert any(name.startswith("ApiCdnDomain") for name in outputs)


def test_no_cdn_by_default(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    assert api.distribution is None
    assert api.cdn_domain is None and api.cdn_url is None
    Template.from_stack(stack).resource_count_is(DISTRIBUTION, 0)


def test_origin_is_the_api_custom_domain_with_its_base_path(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.example.com", hosted_zone=zone(stack), base_path="v1")],
        cdn=True,
    )
    template = Template.from_stack(stack)
    has_one(
        template,
        DISTRIBUTION,
        {
            "DistributionConfig": {
                "Origins": [{"DomainName": "api.example.com", "OriginPath": "/v1"}]
            }
        },
    )


def test_cache_rules_become_behaviors_with_their_own_policies(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        cdn=Cdn(
            cache=[
                CacheRule("/catalog/*", ttl=Duration.minutes(5)),
                CacheRule(
                    "/products/*",
                    ttl=Duration.hours(1),
                    max_ttl=Duration.hours(2),
                    headers=["Accept-Language"],
                    cookies=["currency"],
                    query_strings=["page"],
                ),
            ]
        ),
    )
    template = Template.from_stack(stack)
    has_one(
        template,
        DISTRIBUTION,
        {
            "DistributionConfig": {
                "CacheBehaviors": [
                    {"PathPattern": path, "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST}
                    for path in ["/catalog/*", "/products/*"]
                ]
            }
        },
    )
    for ttl in (300, 3600):
        with_ttl = template.find_resources(
            CACHE_POLICY, {"Properties": {"CachePolicyConfig": {"DefaultTTL": ttl}}}
        )
        assert len(with_ttl) == 1, sorted(with_ttl)
    template.has_resource_properties(
        CACHE_POLICY, {"CachePolicyConfig": {"DefaultTTL": 300, "MinTTL": 0, "MaxTTL": 86400}}
    )
    template.has_resource_properties(
        CACHE_POLICY,
        {
            "CachePolicyConfig": {
                "DefaultTTL": 3600,
                "MaxTTL": 7200,
                "ParametersInCacheKeyAndForwardedToOrigin": {
                    "HeadersConfig": {"Headers": ["Authorization", "Accept-Language"]},
                    "CookiesConfig": Match.object_equals(
                        {"CookieBehavior": "whitelist", "Cookies": ["currency"]}
                    ),
                    "QueryStringsConfig": Match.object_equals(
                        {"QueryStringBehavior": "whitelist", "QueryStrings": ["page"]}
                    ),
                },
            }
        },
    )


def test_security_headers_can_be_turned_off_or_replaced(stack: Stack) -> None:
    HttpApiGateway(stack, "Off", cdn=Cdn(security_headers=False))
    mine = cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_AND_SECURITY_HEADERS
    HttpApiGateway(stack, "Mine", cdn=Cdn(security_headers=mine))
    template = Template.from_stack(stack)
    template.resource_count_is(DISTRIBUTION, 2)
    for policy_id in [Match.absent(), stack.resolve(mine.response_headers_policy_id)]:
        template.has_resource_properties(
            DISTRIBUTION,
            {
                "DistributionConfig": {
                    "DefaultCacheBehavior": {"ResponseHeadersPolicyId": policy_id}
                }
            },
        )


def test_access_logs_go_to_a_hardened_bucket(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cdn=True)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::S3::Bucket", 1)
    template.has_resource(
        "AWS::S3::Bucket",
        {
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        Match.object_equals(
                            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                        )
                    ]
                },
                "PublicAccessBlockConfiguration": Match.object_equals(
                    {
                        "BlockPublicAcls": True,
                        "BlockPublicPolicy": True,
                        "IgnorePublicAcls": True,
                        "RestrictPublicBuckets": True,
                    }
                ),
                "OwnershipControls": {
                    "Rules": [Match.object_equals({"ObjectOwnership": "BucketOwnerPreferred"})]
                },
                "LifecycleConfiguration": {"Rules": [{"ExpirationInDays": 90}]},
            },
            "DeletionPolicy": "Retain",
        },
    )
    template.resource_count_is("AWS::S3::BucketPolicy", 1)
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            }
        },
    )
    assert api.distribution is not None
    has_one(
        template,
        DISTRIBUTION,
        {
            "DistributionConfig": {
                "Logging": {
                    "Bucket": Match.object_equals(
                        {
                            "Fn::GetAtt": [
                                stack.get_logical_id(bucket_resource(api)),
                                "RegionalDomainName",
                            ]
                        }
                    )
                }
            }
        },
    )


def bucket_resource(api: HttpApiGateway) -> Any:
    return api.node.find_child("Cdn").node.find_child("LogsBucket").node.default_child


def test_access_logs_can_go_to_an_existing_bucket_or_be_off(stack: Stack) -> None:
    mine = s3.Bucket.from_bucket_name(stack, "Mine", "my-logs")
    HttpApiGateway(stack, "Existing", cdn=Cdn(access_logs=mine))
    HttpApiGateway(stack, "Off", cdn=Cdn(access_logs=False))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::S3::Bucket", 0)
    template.resource_count_is(DISTRIBUTION, 2)
    for logging in [
        Match.absent(),
        Match.object_equals({"Bucket": "my-logs.s3.us-east-1.amazonaws.com"}),
    ]:
        template.has_resource_properties(DISTRIBUTION, {"DistributionConfig": {"Logging": logging}})


def test_cdk_nag_reports_cdn_access_logs_turned_off() -> None:
    app = App(context=snapshot_context())
    HttpApiGateway(stack_in("us-east-1", app), "Api", cdn=Cdn(access_logs=False))
    assert "AwsSolutions-CFR3" in nag_report(app)


def test_waf_in_us_east_1_is_defined_in_the_same_stack() -> None:
    stack = stack_in("us-east-1")
    HttpApiGateway(stack, "Api", cdn=Cdn(waf=Waf(rate_limit=500)))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::WAFv2::WebACL", 1)
    template.has_resource_properties(
        "AWS::WAFv2::WebACL",
        {
            "Scope": "CLOUDFRONT",
            "DefaultAction": Match.object_equals({"Allow": {}}),
            "Rules": Match.array_with(
                [
                    Match.object_like(
                        {
                            "Name": "RateLimitPerIp",
                            "Statement": {
                                "RateBasedStatement": Match.object_equals(
                                    {"AggregateKeyType": "IP", "Limit": 500}
                                )
                            },
                        }
                    )
                ]
            ),
        },
    )
    for name in ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]:
        template.has_resource_properties(
            "AWS::WAFv2::WebACL", {"Rules": Match.array_with([Match.object_like({"Name": name})])}
        )
    has_one(
        template,
        DISTRIBUTION,
        {"DistributionConfig": {"WebACLId": {"Fn::GetAtt": [Match.any_value(), "Arn"]}}},
    )


def test_waf_and_certificate_elsewhere_go_to_a_us_east_1_stack() -> None:
    app = App(context=snapshot_context())
    stack = stack_in("eu-west-1", app)
    HttpApiGateway(
        stack,
        "Api",
        cdn=Cdn(waf=True, domains=[CustomDomain("www.example.com", hosted_zone=zone(stack))]),
    )
    edge = app.node.find_child("FrontCdnEdge")
    assert isinstance(edge, Stack)
    assert edge.region == "us-east-1"
    edge_template = Template.from_stack(edge)
    edge_template.resource_count_is("AWS::WAFv2::WebACL", 1)
    edge_template.resource_count_is("AWS::CertificateManager::Certificate", 1)
    edge_template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "www.example.com",
            "DomainValidationOptions": [
                Match.object_equals(
                    {"DomainName": "www.example.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"}
                )
            ],
        },
    )
    main = Template.from_stack(stack)
    main.resource_count_is("AWS::WAFv2::WebACL", 0)
    main.resource_count_is("AWS::CertificateManager::Certificate", 0)
    main.resource_count_is("Custom::CrossRegionExportReader", 1)
    assert cfn_lint(main.to_json()) == [] and cfn_lint(edge_template.to_json()) == []
    assert nag_report(app) == ""


def test_existing_web_acl_is_attached(stack: Stack) -> None:
    arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/front/abc-123"
    HttpApiGateway(stack, "Api", cdn=Cdn(web_acl=arn))
    template = Template.from_stack(stack)
    has_one(template, DISTRIBUTION, {"DistributionConfig": {"WebACLId": arn}})
    template.resource_count_is("AWS::WAFv2::WebACL", 0)


def test_cdn_domains_get_a_certificate_records_and_tls_1_2_2021() -> None:
    stack = stack_in("us-east-1")
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        cdn=Cdn(
            domains=[
                CustomDomain("www.example.com", hosted_zone=example),
                CustomDomain("example.com", hosted_zone=example),
            ]
        ),
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::CertificateManager::Certificate", 1)
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {"DomainName": "www.example.com", "SubjectAlternativeNames": ["example.com"]},
    )
    has_one(
        template,
        DISTRIBUTION,
        {
            "DistributionConfig": {
                "Aliases": ["www.example.com", "example.com"],
                "ViewerCertificate": {
                    "MinimumProtocolVersion": "TLSv1.2_2021",
                    "SslSupportMethod": "sni-only",
                },
            }
        },
    )
    assert api.distribution is not None
    alias = {
        "DNSName": stack.resolve(api.distribution.distribution_domain_name),
        "HostedZoneId": stack.resolve(route53_targets.CloudFrontTarget.get_hosted_zone_id(stack)),
    }
    template.resource_count_is("AWS::Route53::RecordSet", 4)
    for name in ["example.com.", "www.example.com."]:
        for record_type in ["A", "AAAA"]:
            template.has_resource_properties(
                "AWS::Route53::RecordSet",
                {"Name": name, "Type": record_type, "AliasTarget": Match.object_equals(alias)},
            )
    assert deployed(stack, api.cdn_custom_domains) == ["www.example.com", "example.com"]
    assert deployed(stack, api.cdn_custom_domain_urls) == [
        "https://www.example.com/",
        "https://example.com/",
    ]
    # Each names the distribution: a stack reading it depends on this one.
    assert stack.resolve(api.cdn_custom_domains[0]) == {
        "Fn::Select": [0, ["www.example.com", stack.resolve(api.distribution.distribution_id)]]
    }


def test_cdn_domain_with_existing_certificate_and_dns_elsewhere() -> None:
    stack = stack_in("eu-west-1")
    certificate = acm.Certificate.from_certificate_arn(stack, "Edge", WILDCARD_ARN)
    HttpApiGateway(
        stack, "Api", cdn=Cdn(domains=[CustomDomain("cdn.partner.net", certificate=certificate)])
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::CertificateManager::Certificate", 0)
    template.resource_count_is("AWS::Route53::RecordSet", 0)
    has_one(
        template,
        DISTRIBUTION,
        {"DistributionConfig": {"ViewerCertificate": {"AcmCertificateArn": WILDCARD_ARN}}},
    )
    assert any("CnameTarget" in name for name in template.to_json()["Outputs"])


def _invalidation(keys: list[str]) -> tuple[Stack, dict[str, Any]]:
    stack = stack_in("us-east-1")
    api = HttpApiGateway(stack, "Api", cdn=Cdn(invalidate_on_deploy=True))
    for key in keys:
        api.add_route(key, "https://example.net/", auth=PUBLIC)
    return stack, single(template_of(stack), "Custom::CdnInvalidation")


def test_invalidation_runs_when_the_routes_change() -> None:
    _, first = _invalidation(["GET /a", "GET /b"])
    _, permuted = _invalidation(["GET /b", "GET /a"])
    _, changed = _invalidation(["GET /a", "GET /c"])
    fingerprint = first["Properties"]["Fingerprint"]
    assert permuted["Properties"]["Fingerprint"] == fingerprint
    assert changed["Properties"]["Fingerprint"] != fingerprint


def test_invalidation_waits_for_the_stage_and_routes_and_uses_the_request_id() -> None:
    stack, resource = _invalidation(["GET /a", "GET /b"])
    template = template_of(stack)
    routes = set(resources_of_type(template, "AWS::ApiGatewayV2::Route"))
    stages = set(resources_of_type(template, "AWS::ApiGatewayV2::Stage"))
    assert routes | stages <= set(resource["DependsOn"])
    functions = [
        f["Properties"]
        for f in resources_of_type(template, "AWS::Lambda::Function").values()
        if "create_invalidation" in f["Properties"]["Code"].get("ZipFile", "")
    ]
    assert len(functions) == 1
    code = functions[0]["Code"]["ZipFile"]
    assert '"CallerReference": event["RequestId"]' in code
    assert '"Items": ["/*"]' in code
    role_id = functions[0]["Role"]["Fn::GetAtt"][0]
    role = resources_of_type(template, "AWS::IAM::Role")[role_id]["Properties"]
    statement = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement == [
        {
            "Action": "cloudfront:CreateInvalidation",
            "Effect": "Allow",
            "Resource": statement[0]["Resource"],
        }
    ]
    assert "distribution/" in json.dumps(statement[0]["Resource"])


def test_invalidation_is_off_by_default(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", cdn=True)
    Template.from_stack(stack).resource_count_is("Custom::CdnInvalidation", 0)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_cdn_with_every_option_passes_cdk_nag_and_cfn_lint(region: str) -> None:
    app = App(context=snapshot_context())
    stack = stack_in(region, app)
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain("api.example.com", hosted_zone=example)],
        cdn=Cdn(
            domains=[CustomDomain("www.example.com", hosted_zone=example)],
            cache=[CacheRule("/catalog/*", ttl=Duration.minutes(5))],
            waf=True,
            geo_restriction=cloudfront.GeoRestriction.allowlist("DE", "FR"),
            invalidate_on_deploy=True,
        ),
    )
    api.add_route("GET /catalog/{id}", "https://example.net/{id}", auth=PUBLIC)
    assert nag_report(app) == ""
    for child in app.node.children:
        if isinstance(child, Stack):
            assert cfn_lint(template_of(child)) == []


def test_default_cdn_passes_cdk_nag() -> None:
    app = App(context=snapshot_context())
    HttpApiGateway(Stack(app, "Agnostic"), "Api", cdn=True)
    assert nag_report(app) == ""


@pytest.mark.parametrize(
    ("cdn", "message"),
    [
        ("yes", r"cdn must be True, False or a Cdn\(...\), got str"),
        (
            Cdn(cache=[CacheRule("/a/*", ttl=Duration.hours(2), min_ttl=Duration.hours(3))]),
            r"cache rule '/a/\*' has min_ttl 10800 s, ttl 7200 s and max_ttl 86400 s",
        ),
        (
            Cdn(cache=[CacheRule("/a/*", ttl=Duration.hours(2), max_ttl=Duration.hours(1))]),
            r"CloudFront needs min_ttl <= ttl <= max_ttl",
        ),
        (
            Cdn(cache=[CacheRule("/a/*", ttl=Duration.seconds(0), max_ttl=Duration.seconds(0))]),
            r"has max_ttl 0 s: a rule that caches nothing cannot have a cache key",
        ),
        (
            Cdn(cache=[CacheRule("/a b/*", ttl=Duration.minutes(1))]),
            r"invalid cache rule path '/a b/\*'",
        ),
        (
            Cdn(cache=[CacheRule("/" + "a" * 300, ttl=Duration.minutes(1))]),
            r"invalid cache rule path",
        ),
        (
            Cdn(cache=[CacheRule("*", ttl=Duration.minutes(1))]),
            r"matches every request, which is the default",
        ),
        (
            Cdn(
                cache=[
                    CacheRule("/a/*", ttl=Duration.minutes(1)),
                    CacheRule("a/*", ttl=Duration.minutes(2)),
                ]
            ),
            r"cache rule path 'a/\*' duplicates '/a/\*'",
        ),
        (
            Cdn(cache=[CacheRule(f"/p{i}/*", ttl=Duration.minutes(1)) for i in range(75)]),
            r"cdn has 75 cache rules; CloudFront allows 75 cache behaviors .* at most 74",
        ),
        (
            Cdn(cache=[CacheRule("/a/*", ttl=Duration.minutes(1), headers=["Host"])]),
            r"puts Host in the cache key, which forwards it to API Gateway",
        ),
        (
            Cdn(cache=[CacheRule("/a/*", ttl=Duration.minutes(1), headers=["Accept-Encoding"])]),
            r"puts Accept-Encoding in the cache key, which CloudFront does not allow",
        ),
        (
            Cdn(cache=[CacheRule("/a/*", ttl=Duration.millis(1500))]),
            r"cache rule '/a/\*' ttl must be whole seconds, got 1.5 s",
        ),
        (
            Cdn(
                cache=[
                    CacheRule("/a/*", ttl=Duration.minutes(1), headers=[f"h{i}" for i in range(7)])
                ]
            ),
            r"has 7 headers; at most 6 fit in a CloudFront cache key",
        ),
        (
            Cdn(cache=[CacheRule("/a/*", ttl=60)]),  # type: ignore[arg-type]
            r"cache rule '/a/\*' ttl must be a Duration, got 60",
        ),
        (Cdn(cache="/a/*"), r"cdn cache must be a list of CacheRule"),  # type: ignore[arg-type]
        (
            Cdn(web_acl="arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc"),
            r"has scope REGIONAL in eu-west-1: CloudFront takes only web ACLs of scope CLOUDFRONT",
        ),
        (Cdn(web_acl="my-acl"), r"cdn web_acl 'my-acl' is not a WAFv2 web ACL ARN"),
        (
            Cdn(waf=True, web_acl="arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/b"),
            r"cdn waf and web_acl are both set",
        ),
        (Cdn(waf=Waf(rate_limit=5)), r"waf rate_limit must be a whole number .* from 10 to"),
        (
            Cdn(security_headers="strict"),  # type: ignore[arg-type]
            r"cdn security_headers must be true or false or a cloudfront.IResponseHeadersPolicy, "
            r"got str 'strict'",
        ),
        (
            Cdn(security_headers=0),  # type: ignore[arg-type]
            r"cdn security_headers must be true or false or a cloudfront.IResponseHeadersPolicy, "
            r"got int 0",
        ),
        (
            Cdn(access_logs="bucket"),  # type: ignore[arg-type]
            r"cdn access_logs must be true or false or an s3.IBucket, got str 'bucket'",
        ),
        (
            Cdn(access_logs=1),  # type: ignore[arg-type]
            r"cdn access_logs must be true or false or an s3.IBucket, got int 1",
        ),
        (
            Cdn(invalidate_on_deploy=0),  # type: ignore[arg-type]
            r"cdn invalidate_on_deploy must be true or false, got int 0",
        ),
        (
            Cdn(geo_restriction=["DE"]),  # type: ignore[arg-type]
            r"cdn geo_restriction must be a cloudfront.GeoRestriction or None, got list",
        ),
        (
            Cdn(log_expiration=Duration.hours(12)),
            r"cdn log_expiration must be a whole number of days",
        ),
    ],
)
def test_fails_on_invalid_cdn(stack: Stack, cdn: Any, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", cdn=cdn)


def test_fails_on_a_cdn_certificate_outside_us_east_1() -> None:
    stack = stack_in("eu-west-1")
    certificate = acm.Certificate.from_certificate_arn(
        stack, "Regional", "arn:aws:acm:eu-west-1:123456789012:certificate/regional"
    )
    with pytest.raises(
        FrontDoorValidationError,
        match=r"of cdn domain 'www.example.com' is in eu-west-1 but CloudFront takes certif",
    ):
        HttpApiGateway(
            stack,
            "Api",
            cdn=Cdn(domains=[CustomDomain("www.example.com", certificate=certificate)]),
        )


def test_fails_on_a_cdn_domain_that_is_also_an_api_domain(stack: Stack) -> None:
    example = zone(stack)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"cdn domain 'api.example.com' is also a custom domain of the API",
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[CustomDomain("api.example.com", hosted_zone=example)],
            cdn=Cdn(domains=[CustomDomain("api.example.com", hosted_zone=example)]),
        )


def test_fails_on_a_cdn_domain_with_a_base_path(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"cdn domain 'www.example.com' has base path 'v1'"
    ):
        HttpApiGateway(
            stack,
            "Api",
            cdn=Cdn(
                domains=[CustomDomain("www.example.com", hosted_zone=zone(stack), base_path="v1")]
            ),
        )


def test_fails_on_cdn_domains_with_different_certificates() -> None:
    stack = stack_in("us-east-1")
    first = acm.Certificate.from_certificate_arn(stack, "First", WILDCARD_ARN)
    second = acm.Certificate.from_certificate_arn(stack, "Second", WILDCARD_ARN + "2")
    with pytest.raises(
        FrontDoorValidationError, match=r"cdn domains must all give the same certificate, or none"
    ):
        HttpApiGateway(
            stack,
            "Api",
            cdn=Cdn(
                domains=[
                    CustomDomain("a.partner.net", certificate=first),
                    CustomDomain("b.partner.net", certificate=second),
                ]
            ),
        )


def test_fails_on_a_cdn_domain_listed_twice(stack: Stack) -> None:
    example = zone(stack)
    entry = CustomDomain("www.example.com", hosted_zone=example)
    with pytest.raises(
        FrontDoorValidationError, match=r"cdn domain 'www.example.com' is listed twice"
    ):
        HttpApiGateway(stack, "Api", cdn=Cdn(domains=[entry, entry]))


def test_fails_when_an_environment_agnostic_stack_needs_a_us_east_1_certificate() -> None:
    stack = Stack(App(context=snapshot_context()), "Agnostic")
    with pytest.raises(
        FrontDoorValidationError,
        match=(
            r"the certificate of the CDN's custom domains must be created in us-east-1, so stack "
            r"Agnostic needs an explicit environment: create it with "
            r"env=Environment\(account=..., region=...\)"
        ),
    ):
        HttpApiGateway(
            stack,
            "Api",
            cdn=Cdn(domains=[CustomDomain("www.example.com", hosted_zone=zone(stack))]),
        )


def test_failed_edge_check_defines_nothing() -> None:
    stack = Stack(App(context=snapshot_context()), "Agnostic")
    with pytest.raises(FrontDoorValidationError, match=r"the CDN's web ACL must be created in"):
        HttpApiGateway(stack, "Api", cdn=Cdn(waf=True))
    assert template_of(stack).get("Resources", {}) == {}


def test_fails_on_a_cdn_domain_zone_with_a_token_id() -> None:
    stack = stack_in("eu-west-1")
    zone_with_token = route53.PublicHostedZone(stack, "Zone", zone_name="example.com")
    with pytest.raises(FrontDoorValidationError, match=r"has an id known only at deploy time"):
        HttpApiGateway(
            stack,
            "Api",
            cdn=Cdn(domains=[CustomDomain("www.example.com", hosted_zone=zone_with_token)]),
        )


def test_cdn_of_an_api_with_only_wildcard_domains_uses_the_execute_api_endpoint(
    stack: Stack,
) -> None:
    wildcard = acm.Certificate.from_certificate_arn(
        stack, "Wildcard", "arn:aws:acm:us-east-1:123456789012:certificate/w"
    )
    api = HttpApiGateway(
        stack, "Api", domains=[CustomDomain("*.example.com", certificate=wildcard)], cdn=True
    )
    template = Template.from_stack(stack)
    has_one(
        template,
        DISTRIBUTION,
        {
            "DistributionConfig": {
                "Origins": [
                    {"DomainName": Match.object_equals(stack.resolve(api.execute_api_domain))}
                ]
            }
        },
    )


def test_fails_when_the_api_has_no_origin_the_cdn_can_reach(stack: Stack) -> None:
    wildcard = acm.Certificate.from_certificate_arn(
        stack, "Wildcard", "arn:aws:acm:us-east-1:123456789012:certificate/w"
    )
    with pytest.raises(
        FrontDoorValidationError, match=r"with only wildcard custom domains .* no endpoint"
    ):
        HttpApiGateway(
            stack,
            "Api",
            domains=[CustomDomain("*.example.com", certificate=wildcard)],
            disable_execute_api_endpoint=True,
            cdn=True,
        )


def test_fails_on_a_new_log_bucket_where_cloudfront_delivers_no_logs() -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"cdn access logs cannot go to a new bucket in af-south-1"
    ):
        HttpApiGateway(stack_in("af-south-1"), "Api", cdn=True)


def test_fails_on_a_cdn_certificate_defined_in_another_region() -> None:
    app = App(context=snapshot_context())
    other = stack_in("eu-west-1", app, "Certificates")
    certificate = acm.Certificate(other, "Cert", domain_name="www.example.com")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"certificate 'Certificates/Cert' of cdn domain 'www.example.com' is in eu-west-1",
    ):
        HttpApiGateway(
            stack_in("us-east-1", app),
            "Api",
            cdn=Cdn(domains=[CustomDomain("www.example.com", certificate=certificate)]),
        )


def test_cors_origins_are_in_every_cache_key(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        cors=Cors(allow_origins=["https://a.example.com", "https://b.example.com"]),
        cdn=Cdn(cache=[CacheRule("/a/*", ttl=Duration.minutes(1), headers=["Accept"])]),
    )
    for policy in resources_of_type(template_of(stack), CACHE_POLICY).values():
        key = policy["Properties"]["CachePolicyConfig"]["ParametersInCacheKeyAndForwardedToOrigin"]
        headers = key["HeadersConfig"]["Headers"]
        assert headers[:4] == [
            "Authorization",
            "Origin",
            "Access-Control-Request-Method",
            "Access-Control-Request-Headers",
        ]


def test_rules_with_the_same_settings_share_a_cache_policy(stack: Stack) -> None:
    HttpApiGateway(
        stack,
        "Api",
        cdn=Cdn(
            cache=[
                CacheRule("/a/*", ttl=Duration.minutes(5)),
                CacheRule("/b/*", ttl=Duration.minutes(5)),
                CacheRule("/c/*", ttl=Duration.minutes(6)),
            ]
        ),
    )
    Template.from_stack(stack).resource_count_is(CACHE_POLICY, 3)  # default, 5 min, 6 min


def test_warns_above_the_cache_policy_quota(stack: Stack) -> None:
    rules = [CacheRule(f"/p{i}/*", ttl=Duration.seconds(i + 1)) for i in range(20)]
    HttpApiGateway(stack, "Api", cdn=Cdn(cache=rules))
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api/Cdn",
        Match.string_like_regexp(".*defines 21 cache policies; an account may have 20.*"),
    )


def test_waf_counts_large_bodies_instead_of_blocking_them() -> None:
    stack = stack_in("us-east-1")
    HttpApiGateway(stack, "Api", cdn=Cdn(waf=True))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::WAFv2::WebACL", 1)
    template.has_resource_properties(
        "AWS::WAFv2::WebACL",
        {
            "Rules": Match.array_with(
                [
                    Match.object_like(
                        {
                            "Name": "AWSManagedRulesCommonRuleSet",
                            "Statement": {
                                "ManagedRuleGroupStatement": {
                                    "RuleActionOverrides": [
                                        Match.object_equals(
                                            {
                                                "ActionToUse": {"Count": {}},
                                                "Name": "SizeRestrictions_BODY",
                                            }
                                        )
                                    ]
                                }
                            },
                        }
                    )
                ]
            )
        },
    )
    # The origin protection (on by default) keeps callers from going around the web ACL.
    Annotations.from_stack(stack).has_no_warning("/Front/Api/Cdn", Match.any_value())


def test_waf_warns_of_the_bypass_without_origin_protection() -> None:
    stack = stack_in("us-east-1")
    HttpApiGateway(stack, "Api", cdn=Cdn(waf=True), origin_protection=False)
    Annotations.from_stack(stack).has_warning(
        "/Front/Api/Cdn", Match.string_like_regexp(".*can still be called directly.*")
    )


def test_cdn_certificate_id_changes_with_its_names() -> None:
    def certificate_ids(names: list[str]) -> set[str]:
        stack = stack_in("us-east-1")
        example = zone(stack)
        HttpApiGateway(
            stack,
            "Api",
            cdn=Cdn(domains=[CustomDomain(name, hosted_zone=example) for name in names]),
        )
        return set(resources_of_type(template_of(stack), "AWS::CertificateManager::Certificate"))

    assert certificate_ids(["www.example.com"]) != certificate_ids(
        ["www.example.com", "cdn.example.com"]
    )


def test_default_cdn_raises_no_cdk_warning() -> None:
    app = App(context=snapshot_context())
    HttpApiGateway(Stack(app, "Agnostic"), "Api", cdn=True)
    warnings = [
        message.entry.data
        for stack in app.synth().stacks
        for message in stack.messages
        if message.entry.type == "aws:cdk:warning"
    ]
    assert warnings == []


def test_origin_prefers_a_domain_whose_dns_is_in_route_53(stack: Stack) -> None:
    partner = acm.Certificate.from_certificate_arn(
        stack, "Partner", "arn:aws:acm:us-east-1:123456789012:certificate/p"
    )
    HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("api.partner.net", certificate=partner),
            CustomDomain("api.example.com", hosted_zone=zone(stack)),
        ],
        cdn=True,
    )
    template = Template.from_stack(stack)
    template.resource_count_is(DISTRIBUTION, 1)
    template.has_resource_properties(
        DISTRIBUTION, {"DistributionConfig": {"Origins": [{"DomainName": "api.example.com"}]}}
    )


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_wildcard_cdn_domain_certificate_is_tagged_without_a_star_and_passes_cfn_lint(
    region: str,
) -> None:
    app = App(context=snapshot_context())
    stack = stack_in(region, app)
    example = zone(stack)
    api = HttpApiGateway(
        stack,
        "Api",
        domains=[
            CustomDomain("*.example.com", hosted_zone=example),
            CustomDomain("api.example.com", hosted_zone=example),
        ],
        cdn=Cdn(domains=[CustomDomain("*.cdn.example.com", hosted_zone=example)]),
    )
    api.add_route("GET /a", "https://example.net/", auth=PUBLIC)
    stacks = [child for child in app.node.children if isinstance(child, Stack)]
    assert len(stacks) == (1 if region == "us-east-1" else 2)
    certificates: list[dict[str, Any]] = []
    for child in stacks:
        template = template_of(child)
        certificates += resources_of_type(template, "AWS::CertificateManager::Certificate").values()
        assert cfn_lint(template, regions=[child.region]) == [], child.stack_name
    names = {c["Properties"]["DomainName"] for c in certificates}
    assert names == {"*.example.com", "api.example.com", "*.cdn.example.com"}
    tags = [tag["Value"] for c in certificates for tag in c["Properties"]["Tags"]]
    assert len(tags) == 3 and not any("*" in tag for tag in tags)


def _gateway_with(
    app: App, stack_name: str, region: str, *, api: str | None = None, cdn: str | None = None
) -> HttpApiGateway:
    stack = stack_in(region, app, stack_name)
    example = zone(stack)
    return HttpApiGateway(
        stack,
        "Api",
        domains=[CustomDomain(api, hosted_zone=example)] if api else None,
        cdn=Cdn(domains=[CustomDomain(cdn, hosted_zone=example)]) if cdn else None,
    )


@pytest.mark.parametrize(
    ("first", "second", "region", "message"),
    [
        (
            {"cdn": "www.example.com"},
            {"cdn": "www.example.com"},
            "us-east-1",
            r"cdn domain 'www.example.com' of gateway Second/Api is already a cdn domain of "
            r"gateway First/Api: CloudFront serves an alias from one distribution only",
        ),
        (
            {"cdn": "www.example.com"},
            {"cdn": "www.example.com"},
            "eu-west-1",
            r"cdn domain 'www.example.com' of gateway Second/Api is already a cdn domain of "
            r"gateway First/Api: CloudFront serves an alias from one distribution only",
        ),
        (
            {"api": "www.example.com"},
            {"cdn": "www.example.com"},
            "eu-west-1",
            r"cdn domain 'www.example.com' of gateway Second/Api is already a custom domain of "
            r"gateway First/Api: one name can point at CloudFront or at API Gateway, not both",
        ),
        (
            {"cdn": "www.example.com"},
            {"api": "www.example.com"},
            "us-east-1",
            r"custom domain 'www.example.com' of gateway Second/Api is already a cdn domain of "
            r"gateway First/Api: one name can point at CloudFront or at API Gateway, not both",
        ),
    ],
)
def test_fails_when_a_cdn_domain_is_another_gateways_domain(
    first: dict[str, str], second: dict[str, str], region: str, message: str
) -> None:
    app = App(context=snapshot_context())
    _gateway_with(app, "First", "us-east-1", **first)
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at Second/Api\)"):
        _gateway_with(app, "Second", region, **second)
    assert app.node.try_find_child("SecondCdnEdge") is None


def test_cdns_of_two_gateways_may_have_different_domains() -> None:
    app = App(context=snapshot_context())
    first = _gateway_with(app, "First", "us-east-1", api="api.example.com", cdn="www.example.com")
    second = _gateway_with(app, "Second", "eu-west-1", cdn="shop.example.com")
    assert deployed(Stack.of(first), first.cdn_custom_domains) == ["www.example.com"]
    assert deployed(Stack.of(second), second.cdn_custom_domains) == ["shop.example.com"]
