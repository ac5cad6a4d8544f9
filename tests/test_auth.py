from __future__ import annotations

import pytest
from aws_cdk import App, Stack

from cdk_front_door import PUBLIC, FrontDoorValidationError, HttpApiGateway, Public
from cdk_front_door.auth import DEFAULT_PUBLIC_REASON
from cdk_front_door.testing import snapshot_context
from tests.support import inline_function, nag_report, new_stack


def _app_with_route(auth: Public | None) -> App:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    fn = inline_function(stack)
    HttpApiGateway(stack, "Api").add_route("GET /a", fn, auth=auth)
    return app


def test_cdk_nag_reports_a_route_without_authorization() -> None:
    report = nag_report(_app_with_route(None))
    assert "AwsSolutions-APIG4" in report
    assert "TestStack/Api/Routes/GET |a" in report


def test_public_route_acknowledges_the_authorization_finding() -> None:
    assert "AwsSolutions-APIG4" not in nag_report(_app_with_route(PUBLIC))


def test_public_reason_is_recorded_with_the_acknowledgment() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    reason = "status page for uptime monitors"
    route = HttpApiGateway(stack, "Api").add_route(
        "GET /status", inline_function(stack), auth=Public(reason=reason)
    )
    entries = [entry.data for entry in route.resource.node.metadata]
    assert any(reason in str(data) and "AwsSolutions-APIG4" in str(data) for data in entries)


def test_public_has_a_documented_default_reason() -> None:
    assert PUBLIC.reason == DEFAULT_PUBLIC_REASON
    assert "auth=PUBLIC" in PUBLIC.reason


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        (Public(reason=""), r"public route reason '' is too short"),
        (Public(reason="   ok    "), r"public route reason .* is too short"),
        ("public", r"auth must be PUBLIC or Public\(reason=...\), got str 'public'"),
        (True, r"auth must be PUBLIC or Public"),
    ],
)
def test_fails_on_invalid_route_auth(stack: Stack, auth: object, message: str) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=message):
        api.add_route("GET /a", inline_function(stack), auth=auth)  # type: ignore[arg-type]
