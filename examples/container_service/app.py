"""A container service behind the API, with no load balancer and no NAT gateway.

One 0.25 vCPU / 0.5 GB ARM task runs a public nginx image (so ``cdk synth`` needs no Docker);
the API reaches it through a VPC Link and Cloud Map, and a function answers one path of its
own. The VPC has public subnets only: the task has a public IP to pull its image, and its
security group admits only the API's VPC Link, on port 80.

Paths under ``/account/`` need a JWT of your issuer. The tasks never see the token checked
twice: API Gateway verifies it and sends the caller's ``sub``, ``scope`` and ``email`` claims
as the headers ``x-auth-claim-sub``, ``x-auth-claim-scope`` and ``x-auth-claim-email``. A
client's own headers of those names are overwritten there and removed on the public routes,
so the tasks may trust them. Give your issuer and audience in cdk.json's context (or with
-c)::

    "context": {
      "container_service:issuer": "https://your-tenant.eu.auth0.com/",
      "container_service:audience": "https://api.example.com"
    }

    cdk synth --app ".venv/bin/python -m examples.container_service.app"
"""

from __future__ import annotations

from aws_cdk import App, Stack
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from cdk_front_door import (
    Container,
    ContainerService,
    HttpApiGateway,
    IdentityHeaders,
    JwtAuth,
    Public,
)
from examples.shared import demo_function, synth

WEBSITE = Public(reason="the demo web site is public content for anonymous visitors")


class ContainerServiceStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        site = ContainerService(
            self,
            "Site",
            containers=[
                Container(
                    "web",
                    image=ecs.ContainerImage.from_registry(
                        "public.ecr.aws/nginx/nginx:stable-alpine"
                    ),
                    port=80,
                    health_check=ecs.HealthCheck(
                        command=["CMD-SHELL", "wget -q -O /dev/null http://localhost/ || exit 1"]
                    ),
                )
            ],
        )
        api = HttpApiGateway(
            self,
            "Api",
            identity_headers=IdentityHeaders(claims=["sub", "scope", "email"]),
        )
        api.add_route("ANY /{proxy+}", site, auth=WEBSITE)
        api.add_route("GET /", site, auth=WEBSITE)

        def context(key: str, default: str) -> str:
            return str(self.node.try_get_context(f"container_service:{key}") or default)

        accounts = JwtAuth(
            context("issuer", "https://example.eu.auth0.com/"),
            audience=[context("audience", "https://api.example.com")],
        )
        api.add_route("ANY /account/{proxy+}", site, auth=accounts)
        api.add_route(
            "GET /hello",
            demo_function(self, "Hello", message="hello from a function"),
            auth=WEBSITE,
        )


def build(app: App) -> Stack:
    return ContainerServiceStack(app, "FrontDoorContainerService")


if __name__ == "__main__":
    synth(build)
