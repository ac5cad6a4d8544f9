"""One domain, several APIs: ``api.example.com/orders`` and ``api.example.com/users``.

Two teams each own a gateway; clients see one domain. The first gateway to name the domain
defines its certificate, API Gateway domain name and A/AAAA records; the second adds only its
API mapping, under a base path of its own. Each API keeps its own routes, throttling, access
logs and authorization, and neither execute-api endpoint is on, so the domain is the only way
in. A third base path overlapping either (``orders/v2``) would fail at synth.

The zone is imported with ``HostedZone.from_hosted_zone_attributes``, so ``cdk synth`` needs no
AWS credentials; give your own in cdk.json or on the command line::

    cdk synth --app ".venv/bin/python -m examples.shared_domain.app" \\
        -c zone_id=Z0123456789ABCDEFGHIJ -c zone_name=example.com
"""

from __future__ import annotations

from aws_cdk import App, Stack
from aws_cdk import aws_route53 as route53
from constructs import Construct

from cdk_front_door import CustomDomain, HttpApiGateway, Public, Throttle
from examples.shared import demo_function, synth


class SharedDomainStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        context = self.node.try_get_context
        zone = route53.HostedZone.from_hosted_zone_attributes(
            self,
            "Zone",
            hosted_zone_id=context("zone_id") or "Z0123456789ABCDEFGHIJ",
            zone_name=context("zone_name") or "example.com",
        )
        domain = f"api.{zone.zone_name}"
        demo = Public(reason="demo data: the orders and users here are fictitious and public")

        orders = HttpApiGateway(
            self,
            "Orders",
            domains=[CustomDomain(domain, hosted_zone=zone, base_path="orders")],
        )
        orders.add_route("GET /", demo_function(self, "ListOrders", message="orders"), auth=demo)
        orders.add_route(
            "GET /{id}", demo_function(self, "GetOrder", message="one order"), auth=demo
        )

        users = HttpApiGateway(
            self,
            "Users",
            domains=[CustomDomain(domain, hosted_zone=zone, base_path="users")],
            throttle=Throttle(rate_limit=100, burst_limit=50),
        )
        users.add_route("GET /{id}", demo_function(self, "GetUser", message="one user"), auth=demo)


def build(app: App) -> Stack:
    return SharedDomainStack(app, "FrontDoorSharedDomain")


if __name__ == "__main__":
    synth(build)
