"""Pieces the example apps share: a cdk-nag-clean demo function and the cdk-nag checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aws_cdk import Acknowledgment, App, CfnResource, Duration, Stack, Validations
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import Construct

from cdk_front_door import Container, ContainerService

HELLO_CODE = Path(__file__).parent / "functions" / "hello"
API_KEY_AUTHORIZER_CODE = Path(__file__).parent / "functions" / "api_key_authorizer"
JOB_STATUS_CODE = Path(__file__).parent / "functions" / "job_status"
NO_KEY = "0" * 64
"""A SHA-256 digest no key hashes to: an API-key authorizer given it refuses every call."""


def add_nag_checks(app: App) -> None:
    """Run the cdk-nag AwsSolutions and Serverless packs on every stack of ``app`` at synth."""
    Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))


def synth(build: Callable[[App], Stack]) -> None:
    """Synthesize the app that ``build`` defines, failing on any unacknowledged cdk-nag finding."""
    app = App()
    build(app)
    add_nag_checks(app)
    app.synth()


def demo_function(
    scope: Construct,
    construct_id: str,
    *,
    message: str,
    timeout: Duration | None = None,
    code: Path = HELLO_CODE,
    environment: dict[str, str] | None = None,
) -> lambda_.Function:
    """A small Python function set up the way cdk-nag expects.

    Its own log group (30 days), a role that may only write to that log group and send X-Ray
    traces, ARM64, the latest Python runtime, explicit memory and timeout, active tracing.
    Its code is the echoing handler in ``functions/hello`` unless ``code`` names another
    folder.
    """
    log_group = logs.LogGroup(scope, f"{construct_id}Logs", retention=logs.RetentionDays.ONE_MONTH)
    role = iam.Role(
        scope,
        f"{construct_id}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Runs the {construct_id} function",
    )
    function = lambda_.Function(
        scope,
        construct_id,
        runtime=lambda_.Runtime.PYTHON_3_14,
        architecture=lambda_.Architecture.ARM_64,
        handler="index.handler",
        code=lambda_.Code.from_asset(str(code)),
        memory_size=256,
        timeout=timeout or Duration.seconds(10),
        role=role,
        log_group=log_group,
        tracing=lambda_.Tracing.ACTIVE,
        environment={"MESSAGE": message, **(environment or {})},
    )
    log_group.grant_write(role)
    # aws-cdk-lib makes the function depend on everything under its role; the dependency on the
    # role itself is already implied by the function's Role attribute (cfn-lint W3005), so only
    # the one on the role's policy is kept.
    policy = role.node.find_child("DefaultPolicy").node.default_child
    function_resource = function.node.default_child
    assert isinstance(policy, CfnResource) and isinstance(function_resource, CfnResource)
    function_resource.add_override("DependsOn", [Stack.of(scope).get_logical_id(policy)])
    Validations.of(role).acknowledge(
        Acknowledgment(
            id="AwsSolutions-IAM5[Resource::*]",
            reason="xray:PutTraceSegments and xray:PutTelemetryRecords, added for active "
            "tracing, support no resource-level permissions",
        )
    )
    Validations.of(function).acknowledge(
        Acknowledgment(
            id="Serverless-LambdaDLQ",
            reason="API Gateway invokes the function synchronously and receives its errors; "
            "a dead-letter queue only applies to asynchronous invocations",
        )
    )
    return function


def api_key_authorizer(scope: Construct, *, key_sha256: str, caller: str) -> lambda_.Function:
    """The example API-key authorizer function (``functions/api_key_authorizer``): accepts a
    request whose ``Authorization: Bearer <key>`` hashes to ``key_sha256``."""
    return demo_function(
        scope,
        "ApiKeyAuthorizer",
        message="",
        code=API_KEY_AUTHORIZER_CODE,
        environment={"API_KEY_SHA256": key_sha256, "CALLER": caller},
    )


def demo_site(scope: Construct, construct_id: str) -> ContainerService:
    """A public nginx image (no Docker needed to synthesize) on one small ARM task, with a
    health check, so that deploys wait for the new task to answer."""
    return ContainerService(
        scope,
        construct_id,
        containers=[
            Container(
                "web",
                image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:stable-alpine"),
                port=80,
                health_check=ecs.HealthCheck(
                    command=["CMD-SHELL", "wget -q -O /dev/null http://localhost/ || exit 1"]
                ),
            )
        ],
    )
