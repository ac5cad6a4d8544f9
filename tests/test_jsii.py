"""Values the package computes in Python instead of asking the jsii kernel for them."""

from __future__ import annotations

import jsii
import pytest
from aws_cdk import App, Duration, Stack, Stage
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk_front_door import HttpApiGateway
from cdk_front_door._jsii import (
    duration_millis,
    implements,
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


def test_a_value_implements_an_interface_when_it_has_its_members() -> None:
    stack = new_stack()
    function = lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline("x"),
    )
    imported = lambda_.Function.from_function_arn(
        stack, "Imported", "arn:aws:lambda:us-east-1:123456789012:function:f"
    )
    pool = cognito.UserPool.from_user_pool_arn(
        stack, "Pool", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc"
    )
    client = cognito.UserPoolClient.from_user_pool_client_id(stack, "Client", "abc")
    bucket = s3.Bucket(stack, "Bucket")
    assert implements(function, lambda_.IFunction)
    assert implements(imported, lambda_.IFunction)
    # Imported pools and clients arrive as one object for several interfaces.
    assert implements(pool, cognito.IUserPool)
    assert implements(client, cognito.IUserPoolClient)
    assert not implements(pool, cognito.IUserPoolClient)
    assert not implements(client, cognito.IUserPool)
    assert not implements(bucket, lambda_.IFunction)
    assert not implements(function, s3.IBucket)
    assert not implements("arn:aws:lambda:us-east-1:123456789012:function:f", lambda_.IFunction)
    assert not implements(None, lambda_.IFunction)


@jsii.implements(ec2.IConnectable)
class _Connectable:
    """An interface implemented in Python, as users do."""

    @property
    def connections(self) -> ec2.Connections:
        return ec2.Connections()


def test_an_interface_implemented_in_python_is_recognised_and_classes_use_isinstance() -> None:
    assert implements(_Connectable(), ec2.IConnectable)
    assert not implements(object(), ec2.IConnectable)
    assert implements(Duration.seconds(1), Duration)
    assert not implements(1, Duration)
