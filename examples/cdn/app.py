"""A CDN in front of the API: a custom domain on CloudFront, per-path caching and a WAF.

The pattern big API sites use: the catalog is cached for 5 minutes, product pages for an hour,
and everything else (the account, the cart) is never cached unless the API says so with
Cache-Control. ``Authorization`` is always part of the cache key, so one user's answer is never
served to another. ``www.example.com`` points at CloudFront and ``api.example.com`` at API
Gateway (the CDN's origin); the execute-api endpoint is off. Every route is public, so
every route requires the secret header CloudFront sends (origin protection, on by default):
nobody reaches the API around the web ACL and the cache.

The stack needs an explicit environment because the CDN's certificate and web ACL live in
us-east-1 (in a sibling stack, ``FrontDoorCdnCdnEdge``, when the stack is elsewhere)::

    cdk synth --app ".venv/bin/python -m examples.cdn.app" \\
        -c account=111111111111 -c region=eu-west-1 \\
        -c zone_id=Z0123456789ABCDEFGHIJ -c zone_name=example.com
"""

from __future__ import annotations

from aws_cdk import App, Duration, Environment, Stack
from aws_cdk import aws_route53 as route53
from constructs import Construct

from cdk_front_door import PUBLIC, CacheRule, Cdn, CustomDomain, HttpApiGateway, Waf
from examples.shared import demo_function, synth


class CdnStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, env: Environment) -> None:
        super().__init__(scope, construct_id, env=env)
        context = self.node.try_get_context
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self,
            "Zone",
            hosted_zone_id=context("zone_id") or "Z0123456789ABCDEFGHIJ",
            zone_name=context("zone_name") or "example.com",
        )
        catalog = demo_function(self, "Catalog", message="catalog")
        account = demo_function(self, "Account", message="account")

        api = HttpApiGateway(
            self,
            "Api",
            domains=[CustomDomain(f"api.{zone.zone_name}", hosted_zone=zone)],
            cdn=Cdn(
                domains=[CustomDomain(f"www.{zone.zone_name}", hosted_zone=zone)],
                cache=[
                    CacheRule("/catalog/*", ttl=Duration.minutes(5)),
                    CacheRule("/products/*", ttl=Duration.hours(1), headers=["Accept-Language"]),
                ],
                waf=Waf(rate_limit=1000),
            ),
        )
        for route in ("GET /catalog/{category}", "GET /products/{id}"):
            api.add_route(route, catalog, auth=PUBLIC)
        api.add_route(
            "ANY /account/{proxy+}",
            account,
            auth=PUBLIC,  # the demo function answers anonymously; a real one takes auth=JwtAuth
        )


def build(app: App) -> Stack:
    context = app.node.try_get_context
    # The certificate and web ACL reach this stack through cross-region references; say how
    # strong they are (as cdk.json does for `cdk synth`), which CDK otherwise warns about.
    if context("@aws-cdk/core:defaultCrossStackReferences") is None:
        app.node.set_context("@aws-cdk/core:defaultCrossStackReferences", "strong")
    env = Environment(
        account=context("account") or "123456789012", region=context("region") or "eu-west-1"
    )
    return CdnStack(app, "FrontDoorCdn", env=env)


if __name__ == "__main__":
    synth(build)
