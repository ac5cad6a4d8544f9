"""Values the package computes in Python instead of asking the jsii kernel for them."""

from __future__ import annotations

import pytest
from aws_cdk import App, Duration, Stack, Stage
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import Construct

from cdk_front_door import HttpApiGateway
from cdk_front_door._jsii import (
    duration_millis,
    node_path,
    payload_format_version,
    remember_path,
)
from cdk_front_door.testing import TEST_ENV, snapshot_context
from tests.support import new_stack


@pytest.mark.parametrize(
    "construct_id", ["Api", "a/b", "with\nnewline", "x--y", "Default", "Resource", "ünïcode id"]
)
def test_a_remembered_path_is_the_one_the_constructs_library_builds(construct_id: str) -> None:
    stack = new_stack()
    parent = Construct(stack, "Parent")
    child = Construct(parent, construct_id)
    remember_path(child, parent, construct_id)
    assert node_path(child) == child.node.path


def test_a_remembered_path_below_a_stage_keeps_the_stage() -> None:
    inner = Stack(Stage(App(context=snapshot_context()), "Prod"), "Inner", env=TEST_ENV)
    api = HttpApiGateway(inner, "Api")
    assert node_path(api) == api.node.path == "Prod/Inner/Api"


def test_the_gateway_remembers_its_own_path() -> None:
    stack = new_stack()
    api = HttpApiGateway(Construct(stack, "Group/Part"), "My/Api")
    assert node_path(api) == api.node.path == "TestStack/Group--Part/My--Api"


def test_statics_read_once_are_the_kernels_values() -> None:
    assert duration_millis(29_000).to_milliseconds() == Duration.seconds(29).to_milliseconds()
    assert duration_millis(1500) is duration_millis(1500)
    assert payload_format_version("1.0").version == apigwv2.PayloadFormatVersion.VERSION_1_0.version
    assert payload_format_version("2.0").version == "2.0"
