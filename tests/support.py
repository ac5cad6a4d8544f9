"""Shared helpers for the tests: stacks, functions, synthesis with cdk-nag, cfn-lint."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import cfnlint.api
from aws_cdk import App, Duration, Stack, Validations
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import Construct
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from cdk_front_door.testing import TEST_ENV, snapshot_context


def new_stack(app: App | None = None, name: str = "TestStack") -> Stack:
    """A stack in a fresh app with a fixed environment and no bundling."""
    return Stack(app or App(context=snapshot_context()), name, env=TEST_ENV)


def inline_function(
    scope: Construct,
    construct_id: str = "Fn",
    *,
    timeout: Duration | None = None,
    code: str = "def handler(event, context):\n    return {}\n",
    environment: Mapping[str, str] | None = None,
) -> lambda_.Function:
    """A minimal Python function with inline ``code`` (no asset)."""
    return lambda_.Function(
        scope,
        construct_id,
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline(code),
        timeout=timeout,
        environment=dict(environment) if environment else None,
    )


def template_of(stack: Stack) -> dict[str, Any]:
    return dict(Template.from_stack(stack).to_json())


def resources_of_type(template: Mapping[str, Any], resource_type: str) -> dict[str, Any]:
    return {
        logical_id: resource
        for logical_id, resource in template.get("Resources", {}).items()
        if resource["Type"] == resource_type
    }


def has_one(template: Template, resource_type: str, properties: Mapping[str, Any]) -> None:
    """Assert that ``template`` has exactly one resource of ``resource_type`` and that it has
    ``properties`` (matched as ``Template.has_resource_properties`` matches them), so that no
    other resource of that type can satisfy the assertion."""
    template.resource_count_is(resource_type, 1)
    template.has_resource_properties(resource_type, properties)


def single(template: Mapping[str, Any], resource_type: str) -> dict[str, Any]:
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.values()))


def nag_report(app: App) -> str:
    """Synthesize ``app`` with the cdk-nag AwsSolutions and Serverless packs; return the
    validation report ("" when there is no unacknowledged finding)."""
    Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    try:
        app.synth()
    except RuntimeError as error:  # jsii surfaces the validation failure as RuntimeError
        if "ValidationFailed" not in str(error):
            raise
        return str(error)
    return ""


# aws-cdk-lib defines the providers of cross-region references while it synthesizes, after
# every construct of the app has run, so nothing here can change them: their DependsOn on their
# own role repeats the dependency of their Role attribute (cfn-lint W3005). Listed in
# docs/cdk-nag.md.
_CDK_INTERNAL_W3005 = (
    "Resources/CustomCrossRegionExportReaderCustomResourceProviderHandler",
    "Resources/CustomCrossRegionExportWriterCustomResourceProviderHandler",
)


def cfn_lint(template: Mapping[str, Any], regions: Sequence[str] = ("us-east-1",)) -> list[str]:
    """cfn-lint errors and warnings for ``template`` in each of ``regions`` (informational
    matches are not kept)."""
    matches = cfnlint.api.lint(json.dumps(template), regions=list(regions))
    found = []
    for match in matches:
        where = "/".join(str(p) for p in match.path)
        if match.rule.id[0] not in "EW":
            continue
        if match.rule.id == "W3005" and where.startswith(_CDK_INTERNAL_W3005):
            continue
        found.append(f"{match.rule.id} {match.message} at {where}")
    return found


API_GATEWAY_PRINCIPAL = {"Service": "apigateway.amazonaws.com"}


def api_gateway_trust_conditions(stack: Stack, api_id: str) -> dict[str, Any]:
    """The trust conditions of a role API Gateway may assume for the API ``api_id`` only, in
    the test environment's account and region."""
    return {
        "StringEqualsIfExists": {"aws:SourceAccount": "123456789012"},
        "ArnLikeIfExists": {
            "aws:SourceArn": {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":execute-api:us-east-1:123456789012:",
                        stack.resolve(api_id),
                        "/*",
                    ],
                ]
            }
        },
    }


def roles_trusting_api_gateway(template: Template) -> Mapping[str, Any]:
    """The roles whose trust policy names API Gateway, by logical id."""
    roles: Mapping[str, Any] = template.find_resources(
        "AWS::IAM::Role",
        {
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": Match.array_with(
                        [Match.object_like({"Principal": API_GATEWAY_PRINCIPAL})]
                    )
                }
            }
        },
    )
    return roles


@contextlib.contextmanager
def echo_server(delay: float = 0) -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 that answers each request with its method, path and
    query (and its ``x-`` headers, when there are any) as JSON, with an ``x-upstream: echo``
    header, after ``delay`` seconds; yields its base URL."""

    @Request.application
    def echo(request: Request) -> Response:
        time.sleep(delay)
        body: dict[str, object] = {
            "path": request.path,
            "query": request.query_string.decode(),
            "method": request.method,
        }
        mapped = {name.lower(): value for name, value in request.headers if name.startswith("X-")}
        if mapped:
            body["headers"] = mapped
        answer = Response(json.dumps(body), content_type="application/json")
        answer.headers["x-upstream"] = "echo"
        return answer

    with serve(echo) as url:
        yield url


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """The WSGI ``app`` served on a free port of 127.0.0.1 in a background thread; yields its
    base URL (no trailing ``/``)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def deployed(stack: Stack, value: object) -> object:
    """``value`` as CloudFormation will resolve it once ``stack`` is deployed, where the
    template tells: ``Ref`` of a domain name (its ``DomainName``), ``Fn::Join`` and
    ``Fn::Select``; any other reference is left as it is."""
    resources: Mapping[str, Any] = template_of(stack).get("Resources", {})

    def ref(node: dict[str, Any], name: str) -> object:
        resource = resources.get(name, {})
        if resource.get("Type") == "AWS::ApiGatewayV2::DomainName":
            return resource["Properties"]["DomainName"]
        return node

    def join(node: dict[str, Any], arguments: list[Any]) -> object:
        parts = [evaluate(part) for part in arguments[1]]
        if all(isinstance(part, str) for part in parts):
            return str(arguments[0]).join(str(part) for part in parts)
        return node

    def select(node: dict[str, Any], arguments: list[Any]) -> object:
        options = evaluate(arguments[1])
        return evaluate(options[arguments[0]]) if isinstance(options, list) else node

    functions: dict[str, Callable[[dict[str, Any], Any], object]] = {
        "Ref": ref,
        "Fn::Join": join,
        "Fn::Select": select,
    }

    def evaluate(node: object) -> object:
        if isinstance(node, list):
            return [evaluate(item) for item in node]
        if isinstance(node, dict) and len(node) == 1:
            [(function, arguments)] = node.items()
            if function in functions:
                return functions[function](node, arguments)
        return node

    return evaluate(stack.resolve(value))
