"""Helpers for your own template tests: stable, hash-masked templates for snapshots.

Asset hashes change with the operating system, the Python and Node.js versions and every code
edit, and CDK adds bootstrap and metadata entries that say nothing about your infrastructure.
:func:`normalized_template` removes that noise, so that a snapshot changes only when the
infrastructure does::

    from aws_cdk import App
    from cdk_front_door.testing import TEST_ENV, normalized_template, snapshot_context

    def test_my_stack_matches_snapshot(snapshot):
        app = App(context=snapshot_context())
        stack = MyStack(app, "MyStack", env=TEST_ENV)
        assert normalized_template(stack) == snapshot
"""

from __future__ import annotations

import json
import re
from typing import Any

from aws_cdk import Environment, Stack
from aws_cdk.assertions import Template

TEST_ENV = Environment(account="123456789012", region="us-east-1")
"""A fixed account and region, so that templates do not depend on the machine's settings."""

ASSET_HASH_PLACEHOLDER = "<asset-hash>"
_ASSET_HASH = re.compile(r"[0-9a-f]{64}")
_CURRENT_VERSION_SUFFIX = re.compile(r"(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}")
_METADATA_KEYS = ("aws:cdk:path", "aws:asset:path", "aws:asset:is-bundled", "aws:asset:property")


def snapshot_context(**extra: Any) -> dict[str, Any]:
    """App context for snapshot tests: no asset bundling, no CDK version metadata.

    :param extra: more context entries, which win over these.
    """
    context: dict[str, Any] = {
        "aws:cdk:bundling-stacks": [],
        "aws:cdk:version-reporting": False,
        "@aws-cdk/core:enableAdditionalMetadataCollection": False,
    }
    context.update(extra)
    return context


def normalized_template(stack: Stack) -> dict[str, Any]:
    """The stack's template with asset hashes masked and CDK bookkeeping removed.

    * every 64-hex-digit asset hash becomes ``<asset-hash>`` (in values and logical ids);
    * the hash suffix of Lambda ``CurrentVersion`` logical ids becomes ``<hash>``;
    * the ``CDKMetadata`` resource and condition, the ``BootstrapVersion`` parameter and the
      ``CheckBootstrapVersion`` rule are removed;
    * resource ``Metadata`` entries about CDK paths and assets are removed.
    """
    template: dict[str, Any] = dict(Template.from_stack(stack).to_json())
    resources: dict[str, Any] = template.get("Resources", {})
    resources.pop("CDKMetadata", None)
    for resource in resources.values():
        metadata = resource.get("Metadata")
        if isinstance(metadata, dict):
            for key in _METADATA_KEYS:
                metadata.pop(key, None)
            if not metadata:
                del resource["Metadata"]
    for section, name in (
        ("Parameters", "BootstrapVersion"),
        ("Rules", "CheckBootstrapVersion"),
        ("Conditions", "CDKMetadataAvailable"),
    ):
        entries = template.get(section)
        if isinstance(entries, dict):
            entries.pop(name, None)
            if not entries:
                del template[section]
    text = json.dumps(template, sort_keys=True)
    text = _ASSET_HASH.sub(ASSET_HASH_PLACEHOLDER, text)
    text = _CURRENT_VERSION_SUFFIX.sub(r"\1<hash>", text)
    normalized: dict[str, Any] = json.loads(text)
    return normalized
