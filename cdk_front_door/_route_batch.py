"""Routes defined in batches: one jsii round trip for any number of ``AWS::ApiGatewayV2::Route``
resources.

In Python every construct costs at least one round trip to the jsii kernel, and with hundreds of
routes those round trips are most of ``cdk synth``'s time. So the gateway collects its routes as
plain data and defines them together, as one ``CfnInclude`` of a small generated template whose
parameters carry the API id, integration targets and authorizer ids (tokens). The result is the
same ``CfnRoute`` L1 resources, with the logical ids CDK would give a ``CfnRoute`` at
``<gateway>/Routes/<route key>``: they depend only on the gateway's path and the route key.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

ROUTE_TYPE = "AWS::ApiGatewayV2::Route"

# The rules of aws-cdk-lib's makeUniqueId (core/lib/private/uniqueid.ts), which Stack uses to
# allocate the logical id of an element from its path below the stack.
_HIDDEN_ID = "Default"
_HIDDEN_FROM_HUMAN_ID = "Resource"
_HASH_LEN = 8
_MAX_HUMAN_LEN = 240
_MAX_ID_LEN = 255
_NON_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")


def unique_id(components: Sequence[str]) -> str:
    """The logical id CDK allocates to an element whose construct ids below its stack are
    ``components``: the alphanumeric characters of the path and 8 hex digits of its MD5."""
    parts = [c for c in components if c != _HIDDEN_ID]
    if not parts:
        raise ValueError("a logical id needs at least one path component")
    if len(parts) == 1:
        candidate = _NON_ALPHANUMERIC.sub("", parts[0])
        if len(candidate) <= _MAX_ID_LEN:
            return candidate
    digest = hashlib.md5("/".join(parts).encode(), usedforsecurity=False).hexdigest()
    human: list[str] = []
    for part in parts:
        # A component that the previous one ends with is left out of the readable part.
        if not human or not human[-1].endswith(part):
            human.append(part)
    readable = "".join(
        _NON_ALPHANUMERIC.sub("", part) for part in human if part != _HIDDEN_FROM_HUMAN_ID
    )
    return readable[:_MAX_HUMAN_LEN] + digest[:_HASH_LEN].upper()


@dataclass(frozen=True)
class RouteSpec:
    """One route, as the properties of its ``AWS::ApiGatewayV2::Route`` resource."""

    logical_id: str
    route_key: str
    target: str
    authorization_type: str
    authorizer_id: str | None
    scopes: tuple[str, ...]


def include_routes(
    scope: Construct, construct_id: str, api_id: str, routes: Sequence[RouteSpec]
) -> cfn_include.CfnInclude:
    """Define ``routes`` of the API ``api_id`` under ``scope`` with one construct.

    Values that may be tokens (the API id, targets, authorizer ids) are template parameters
    replaced by their values, so they resolve like any other reference; the route keys and
    scopes are validated literals.
    """
    parameters: dict[str, str] = {"ApiId": api_id}
    names: dict[str, str] = {}

    def parameter(prefix: str, value: str) -> dict[str, str]:
        name = names.get(value)
        if name is None:
            name = names[value] = f"{prefix}{len(names)}"
            parameters[name] = value
        return {"Ref": name}

    resources: dict[str, Any] = {}
    for route in routes:
        properties: dict[str, Any] = {
            "ApiId": {"Ref": "ApiId"},
            "RouteKey": route.route_key,
            "Target": parameter("Target", route.target),
            "AuthorizationType": route.authorization_type,
        }
        if route.authorizer_id is not None:
            properties["AuthorizerId"] = parameter("Authorizer", route.authorizer_id)
        if route.scopes:
            properties["AuthorizationScopes"] = list(route.scopes)
        resources[route.logical_id] = {"Type": ROUTE_TYPE, "Properties": properties}
    template = {
        "Parameters": {name: {"Type": "String"} for name in parameters},
        "Resources": resources,
    }
    # CfnInclude reads the file while it is constructed; it is not needed afterwards.
    handle, path = tempfile.mkstemp(prefix="cdk-front-door-routes-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            # dumps, not dump: only dumps uses the C encoder. Compact, since Node parses it as
            # YAML, whose time grows with every character.
            file.write(json.dumps(template, separators=(",", ":")))
        return cfn_include.CfnInclude(
            scope,
            construct_id,
            template_file=path,
            parameters=parameters,
            preserve_logical_ids=True,
        )
    finally:
        Path(path).unlink()
