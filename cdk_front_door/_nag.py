"""cdk-nag acknowledgments of IAM wildcard findings, by their exact finding ids.

cdk-nag reports each wildcard of a policy as its own finding,
``AwsSolutions-IAM5[Resource::<flattened resource>]``, and matches acknowledgments by that
exact id. The flattening here follows cdk-nag's: ``Fn::Join`` is joined, ``Ref`` becomes
``<LogicalId>`` and ``Fn::GetAtt`` becomes ``<LogicalId.Attribute>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import IConstruct


def flatten(reference: Any) -> str:
    """A resolved CloudFormation value as cdk-nag writes it in finding ids."""
    if reference is None:
        return ""
    if isinstance(reference, str):
        return reference.replace("${", "<").replace("}", ">")
    if isinstance(reference, dict):
        for name, flatten_function in _FUNCTIONS.items():
            if name in reference:
                return flatten_function(reference[name])
    return json.dumps(reference, separators=(",", ":"))


def _join(arguments: Any) -> str:
    delimiter, items = arguments
    return str(delimiter).join(flatten(item) for item in items)


def _get_att(arguments: Any) -> str:
    resource, attribute = arguments
    return f"<{flatten(resource)}.{flatten(attribute)}>"


def _ref(name: Any) -> str:
    return f"<{flatten(name)}>"


_FUNCTIONS: dict[str, Callable[[Any], str]] = {
    "Fn::Join": _join,
    "Fn::Sub": flatten,
    "Fn::GetAtt": _get_att,
    "Fn::ImportValue": flatten,
    "Ref": _ref,
}


def wildcard_findings(
    stack: Stack, statements: Iterable[iam.PolicyStatement | dict[str, Any]]
) -> list[str]:
    """The AwsSolutions-IAM5 finding ids the allow statements would raise."""
    findings: list[str] = []
    for statement in statements:
        document = stack.resolve(
            statement.to_statement_json()
            if isinstance(statement, iam.PolicyStatement)
            else statement
        )
        if document.get("Effect") != "Allow":
            continue
        actions = document.get("Action", [])
        resources = document.get("Resource", [])
        for action in actions if isinstance(actions, list) else [actions]:
            if "*" in action:
                findings.append(f"AwsSolutions-IAM5[Action::{action}]")
        for resource in resources if isinstance(resources, list) else [resources]:
            flat = flatten(resource)
            if "*" in flat:
                findings.append(f"AwsSolutions-IAM5[Resource::{flat}]")
    return list(dict.fromkeys(findings))


def acknowledge_wildcards(
    construct: IConstruct,
    statements: Iterable[iam.PolicyStatement | dict[str, Any]],
    reason: str,
) -> None:
    """Acknowledge, on ``construct``, each wildcard finding of ``statements``."""
    findings = wildcard_findings(Stack.of(construct), statements)
    if findings:
        Validations.of(construct).acknowledge(
            *(Acknowledgment(id=finding, reason=reason) for finding in findings)
        )
