from __future__ import annotations

import json
import re

from aws_cdk import App, Stack
from aws_cdk import aws_lambda as lambda_

from cdk_front_door import PUBLIC, HttpApiGateway
from cdk_front_door.testing import (
    ASSET_HASH_PLACEHOLDER,
    TEST_ENV,
    normalized_template,
    snapshot_context,
)
from examples.shared import HELLO_CODE
from tests.support import template_of

_HASH = re.compile(r"[0-9a-f]{64}")


def _stack_with_asset(app: App) -> Stack:
    stack = Stack(app, "Snap", env=TEST_ENV)
    fn = lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_asset(str(HELLO_CODE)),
    )
    fn.current_version  # noqa: B018 - defines the version resource, whose id embeds a hash
    HttpApiGateway(stack, "Api").add_route("GET /a", fn, auth=PUBLIC)
    return stack


def test_raw_template_has_asset_hashes_and_bootstrap_entries() -> None:
    template = template_of(_stack_with_asset(App(context=snapshot_context())))
    assert _HASH.search(json.dumps(template))
    assert "BootstrapVersion" in template["Parameters"]


def test_normalized_template_masks_hashes_and_drops_bookkeeping() -> None:
    template = normalized_template(_stack_with_asset(App(context=snapshot_context())))
    text = json.dumps(template)
    assert not _HASH.search(text)
    assert ASSET_HASH_PLACEHOLDER in text
    assert "Parameters" not in template
    assert "Rules" not in template
    assert "CDKMetadata" not in template["Resources"]
    assert "aws:asset:path" not in text
    assert any(re.search(r"CurrentVersion[0-9A-F]{8}<hash>$", key) for key in template["Resources"])


def test_normalized_template_is_the_same_for_two_synths() -> None:
    first = normalized_template(_stack_with_asset(App(context=snapshot_context())))
    second = normalized_template(_stack_with_asset(App(context=snapshot_context())))
    assert first == second


def test_normalized_template_keeps_the_infrastructure() -> None:
    stack = _stack_with_asset(App(context=snapshot_context()))
    raw = template_of(stack)["Resources"]
    normalized = normalized_template(stack)["Resources"]
    assert {r["Type"] for r in raw.values()} == {r["Type"] for r in normalized.values()}


def test_snapshot_context_turns_off_bundling_and_version_reporting() -> None:
    context = snapshot_context(extra_key="value")
    assert context["aws:cdk:bundling-stacks"] == []
    assert context["aws:cdk:version-reporting"] is False
    assert context["extra_key"] == "value"
    assert snapshot_context(**{"aws:cdk:bundling-stacks": ["*"]})["aws:cdk:bundling-stacks"] == [
        "*"
    ]
