"""A consumer's tests of consumer_app.py: assertions on the synthesized template."""

from __future__ import annotations

from typing import Any

# The app first: it imports cdk_front_door before aws_cdk (see consumer_app.py).
from consumer_app import HELLO, HelloStack

# isort: split
from aws_cdk import App
from aws_cdk.assertions import Match, Template

from cdk_front_door.testing import TEST_ENV, normalized_template


def synthesized() -> dict[str, Any]:
    return normalized_template(HelloStack(App(), "Hello", env=TEST_ENV))


def test_the_public_route_reaches_the_function() -> None:
    template = Template.from_json(synthesized())
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Route", {"RouteKey": "GET /hello", "AuthorizationType": "NONE"}
    )
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Integration",
        {"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": "2.0"},
    )
    template.has_resource_properties(
        "AWS::Lambda::Function", {"Handler": "index.handler", "Code": {"ZipFile": HELLO}}
    )
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {"Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com"},
    )


def test_the_default_stage_deploys_itself_and_logs_access() -> None:
    template = Template.from_json(synthesized())
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"StageName": "$default", "AutoDeploy": True, "AccessLogSettings": Match.any_value()},
    )
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})
    template.has_output("*", {"Description": "URL of Hello/Api"})
