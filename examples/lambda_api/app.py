"""A Lambda-backed JSON API for a browser app on another origin.

Several functions behind one gateway; CORS limited to the app's origins with credentials; a
stricter throttle on the write route; JSON access logs kept 90 days.

    cdk synth --app ".venv/bin/python -m examples.lambda_api.app"
"""

from __future__ import annotations

from aws_cdk import App, Duration, Stack
from constructs import Construct

from cdk_front_door import AccessLogs, Cors, HttpApiGateway, Public, Throttle
from examples.shared import demo_function, synth

CATALOG = Public(reason="the product catalog is public content shown to anonymous shoppers")


class LambdaApiStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        products = demo_function(self, "Products", message="products")
        orders = demo_function(self, "Orders", message="orders", timeout=Duration.seconds(20))

        api = HttpApiGateway(
            self,
            "Api",
            description="Shop API",
            cors=Cors(
                allow_origins=["https://shop.example.com", "http://localhost:3000"],
                allow_credentials=True,
                expose_headers=["X-Request-Id"],
                max_age=Duration.hours(1),
            ),
            access_logs=AccessLogs(retention=90),
            throttle=Throttle(rate_limit=200, burst_limit=100),
        )
        api.add_route("GET /products", products, auth=CATALOG)
        api.add_route("GET /products/{id}", products, auth=CATALOG)
        api.add_route(
            "POST /orders",
            orders,
            auth=Public(reason="orders are placed as guest checkouts, verified by payment"),
            throttle=Throttle(rate_limit=10, burst_limit=20),
        )


def build(app: App) -> Stack:
    return LambdaApiStack(app, "FrontDoorLambdaApi")


if __name__ == "__main__":
    synth(build)
