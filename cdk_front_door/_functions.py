"""Small Lambda functions the library defines for itself (inline Python, ARM64, 128 MB)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Acknowledgment, CfnElement, CfnResource, Duration, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct


def own_function(
    scope: Construct,
    prefix: str,
    *,
    code: str,
    description: str,
    timeout: Duration,
    statements: Sequence[iam.PolicyStatement] = (),
    acknowledgments: Sequence[Acknowledgment] = (),
    environment: Mapping[str, str] | None = None,
) -> lambda_.Function:
    """A function with its own role (only ``statements`` and its log group), a log group kept
    a month, and the given cdk-nag acknowledgments. Children are ``{prefix}Role``,
    ``{prefix}Logs`` and ``{prefix}Function``."""
    role = iam.Role(
        scope,
        f"{prefix}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=description,
        inline_policies=(
            {prefix: iam.PolicyDocument(statements=list(statements))} if statements else None
        ),
    )
    log_group = logs.LogGroup(scope, f"{prefix}Logs", retention=logs.RetentionDays.ONE_MONTH)
    function = lambda_.Function(
        scope,
        f"{prefix}Function",
        runtime=lambda_.Runtime.PYTHON_3_14,
        architecture=lambda_.Architecture.ARM_64,
        handler="index.handler",
        code=lambda_.Code.from_inline(code),
        memory_size=128,
        timeout=timeout,
        role=role,
        log_group=log_group,
        description=description,
        environment=dict(environment) if environment else None,
    )
    log_group.grant_write(role)
    # aws-cdk-lib makes the function depend on everything under its role; the role itself is
    # already implied by its Role attribute (cfn-lint W3005), so only the role's policy stays.
    policy = role.node.find_child("DefaultPolicy").node.default_child
    function_resource = function.node.default_child
    if isinstance(policy, CfnElement) and isinstance(function_resource, CfnResource):
        function_resource.add_override("DependsOn", [Stack.of(scope).get_logical_id(policy)])
    if acknowledgments:
        Validations.of(function).acknowledge(*acknowledgments)
    return function
