"""A consumer's CDK app: an HTTP API with one public route to a Lambda function.

``make dist`` copies this file and ``test_consumer_app.py`` to a temporary directory, installs
the built wheel with its ``node`` extra in a new virtualenv, and runs both there with no Node.js
on PATH: ``python consumer_app.py`` synthesizes into ``cdk.out/``, pytest checks the template.
"""

from __future__ import annotations

# cdk_front_door before aws_cdk: importing it points jsii, which starts with aws_cdk, at the
# Node.js of the node extra.
from cdk_front_door import PUBLIC, HttpApiGateway

# isort: split
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

HELLO = """\
def handler(event, context):
    return {"statusCode": 200, "body": "hello"}
"""


class HelloStack(Stack):
    """One function behind one public route: ``GET /hello``."""

    def __init__(
        self, scope: Construct, construct_id: str, *, env: Environment | None = None
    ) -> None:
        super().__init__(scope, construct_id, env=env)
        hello = lambda_.Function(
            self,
            "Hello",
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="index.handler",
            code=lambda_.Code.from_inline(HELLO),
        )
        self.api = HttpApiGateway(self, "Api")
        self.api.add_route("GET /hello", hello, auth=PUBLIC)


if __name__ == "__main__":
    app = App(outdir="cdk.out")
    HelloStack(app, "Hello")
    app.synth()
