"""Deny by default: every route needs a JWT unless it says otherwise.

The gateway's ``default_auth`` is a JWT authorizer for any OpenID Connect issuer (Auth0, Okta,
Entra ID, Cognito, ...), so a route added later without a thought is protected too. Routes
that need more or less say so: a scope for writes, an API key checked by a Lambda authorizer
for a webhook, AWS signatures (IAM) for an internal route, and a deliberately public health
check. Browsers on the web app's origin can call the API: CORS preflight requests reach no
authorizer. Give your issuer and audience in cdk.json's context (or with -c)::

    "context": {
      "jwt_auth:issuer": "https://your-tenant.eu.auth0.com/",
      "jwt_auth:audience": "https://api.example.com",
      "jwt_auth:web_origin": "https://app.example.com",
      "jwt_auth:api_key_sha256": "<sha256 hex digest of the webhook's API key>"
    }

cdk synth --app ".venv/bin/python -m examples.jwt_auth.app"
"""

from __future__ import annotations

from aws_cdk import App, Stack
from constructs import Construct

from cdk_front_door import (
    Cors,
    HttpApiGateway,
    IamAuth,
    JwtAuth,
    LambdaAuth,
    Public,
)
from examples.shared import NO_KEY, api_key_authorizer, demo_function, synth


class JwtAuthStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

        def context(key: str, default: str) -> str:
            return str(self.node.try_get_context(f"jwt_auth:{key}") or default)

        users = JwtAuth(
            context("issuer", "https://example.eu.auth0.com/"),
            audience=[context("audience", "https://api.example.com")],
        )
        api = HttpApiGateway(
            self,
            "Api",
            default_auth=users,
            cors=Cors(
                allow_origins=[context("web_origin", "https://app.example.com")],
                allow_headers=["authorization", "content-type"],
            ),
        )
        me = demo_function(self, "Me", message="your token's claims are under authorizer.jwt")
        orders = demo_function(self, "Orders", message="orders")
        account = demo_function(self, "Account", message="account")

        api.add_route("GET /me", me)  # any valid token
        api.add_route("GET /orders", orders)
        api.add_route("POST /orders", orders, scopes=["orders:write"])  # a token with the scope
        api.add_route("ANY /account/{proxy+}", account)  # preflight answered without a token

        api_key = LambdaAuth(  # reads the key from the Authorization header
            api_key_authorizer(
                self,
                key_sha256=context("api_key_sha256", NO_KEY),
                caller="payments-provider",
            )
        )
        webhooks = demo_function(self, "Webhooks", message="payment event received")
        api.add_route("POST /webhooks/payments", webhooks, auth=api_key)

        api.add_route("GET /internal/stats", orders, auth=IamAuth())  # signed AWS requests
        api.add_route(
            "GET /health",
            demo_function(self, "Health", message="ok"),
            auth=Public(reason="uptime monitors check the health route without credentials"),
        )


def build(app: App) -> Stack:
    return JwtAuthStack(app, "FrontDoorJwtAuth")


if __name__ == "__main__":
    synth(build)
