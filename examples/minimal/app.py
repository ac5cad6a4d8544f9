"""The smallest front door: one public route to one function.

cdk synth --app ".venv/bin/python -m examples.minimal.app"
"""

from __future__ import annotations

from aws_cdk import App, Stack
from constructs import Construct

from cdk_front_door import PUBLIC, HttpApiGateway
from examples.shared import demo_function, synth


class MinimalStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        hello = demo_function(self, "Hello", message="hello from the minimal front door")
        api = HttpApiGateway(self, "Api")
        api.add_route("GET /hello", hello, auth=PUBLIC)


def build(app: App) -> Stack:
    return MinimalStack(app, "FrontDoorMinimal")


if __name__ == "__main__":
    synth(build)
