"""A front door for an existing HTTPS service: every request is proxied to it.

The gateway adds access logs and throttling in front of a backend it does not own: the
``ANY /{proxy+}`` route takes every method on every path below the root, and ``{proxy}`` in the
URL passes the path on.

    cdk synth --app ".venv/bin/python -m examples.http_proxy.app"
"""

from __future__ import annotations

from aws_cdk import App, Stack
from constructs import Construct

from cdk_front_door import HttpApiGateway, HttpUrl, Public, Throttle
from examples.shared import synth

PROXY = Public(reason="the proxied service authenticates its own callers")


class HttpProxyStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        api = HttpApiGateway(self, "Api", throttle=Throttle(rate_limit=50, burst_limit=100))
        backend = HttpUrl("https://api.example.com/v2/{proxy}", name="Backend")
        api.add_route("ANY /{proxy+}", backend, auth=PROXY)
        api.add_route("GET /ip", "https://checkip.amazonaws.com/", auth=PROXY)


def build(app: App) -> Stack:
    return HttpProxyStack(app, "FrontDoorHttpProxy")


if __name__ == "__main__":
    synth(build)
