#!/usr/bin/env python3
"""The flagship front door: what ``make synth`` and ``make deploy`` build.

It grows with the library into a full front door. Today: an HTTP API with CORS, JSON access
logs and throttling, routing to two Lambda functions, an HTTPS service and a container
service on Fargate (every path the functions do not take), behind a CloudFront distribution
whose secret origin header the public routes require, so that nothing goes around it.
Routes are denied by default: the public ones say so, and the rest need an API key, checked
by a Lambda authorizer (``Authorization: Bearer <key>``). No key works until you give the
SHA-256 digest of yours as context ``front_door:api_key_sha256``.
It deploys in any account and region with no domain of its own; with a Route 53 zone, give
the domain in cdk.json's context (or with -c on the command line) and the API is served there
instead::

    "context": {
      "front_door:domain": "api.example.com",
      "front_door:hosted_zone_id": "Z0123456789ABCDEFGHIJ",
      "front_door:hosted_zone_name": "example.com"
    }

cdk-nag's AwsSolutions and Serverless packs run on every synth and fail it on any
unacknowledged finding.
"""

from __future__ import annotations

from aws_cdk import Annotations, App, Stack
from aws_cdk import aws_route53 as route53
from constructs import Construct

from cdk_front_door import (
    PUBLIC,
    CustomDomain,
    HttpApiGateway,
    LambdaAuth,
    Public,
    Throttle,
)
from examples.shared import NO_KEY, api_key_authorizer, demo_function, demo_site, synth


class FrontDoorStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(
            scope, construct_id, description="cdk_front_door flagship: an HTTP front door"
        )
        hello = demo_function(self, "Hello", message="hello from cdk_front_door")
        users = demo_function(self, "Users", message="users")

        # Deny by default: a route that names no auth needs the API key.
        api_key = LambdaAuth(
            api_key_authorizer(
                self,
                key_sha256=str(self.node.try_get_context("front_door:api_key_sha256") or NO_KEY),
                caller="operator",
            )
        )
        self.api = HttpApiGateway(
            self,
            "Api",
            cors=True,
            domains=self._domains_from_context(),
            cdn=True,
            default_auth=api_key,
        )
        # Public routes check the CDN's origin secret; the API-key routes keep their own
        # authorizer, so a key holder may call them without the CDN.
        Annotations.of(self.api).acknowledge_warning(
            "cdk-front-door:origin-unprotected-route",
            "API-key routes serve operators, who need a key; the CDN adds no web ACL here, so "
            "calling them directly skips only its cache and response headers",
        )
        self.api.add_route("GET /admin/users", users)
        self.api.add_route("GET /hello", hello, auth=PUBLIC)
        self.api.add_route(
            "GET /users/{id}",
            users,
            auth=Public(reason="demo data: user profiles here are fictitious and public"),
        )
        self.api.add_route(
            "POST /users",
            users,
            auth=Public(reason="demo sign-up form: anyone may register"),
            throttle=Throttle(rate_limit=5, burst_limit=10),
        )
        site = demo_site(self, "Site")
        website = Public(reason="the demo web site is public content for anonymous visitors")
        self.api.add_route("GET /", site, auth=website)
        self.api.add_route("ANY /{proxy+}", site, auth=website)
        self.api.add_route(
            "GET /ip",
            "https://checkip.amazonaws.com/",
            auth=Public(reason="shows the gateway's egress address; no data of the caller"),
        )

    def _domains_from_context(self) -> list[CustomDomain]:
        keys = ("front_door:domain", "front_door:hosted_zone_id", "front_door:hosted_zone_name")
        domain, zone_id, zone_name = (self.node.try_get_context(key) for key in keys)
        if not (domain or zone_id or zone_name):
            return []
        if not (domain and zone_id and zone_name):
            raise ValueError(f"give all three context values {', '.join(keys)}, or none")
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self, "Zone", hosted_zone_id=zone_id, zone_name=zone_name
        )
        return [CustomDomain(domain, hosted_zone=zone)]


def build(app: App) -> Stack:
    return FrontDoorStack(app, "FrontDoor")


if __name__ == "__main__":
    synth(build)
