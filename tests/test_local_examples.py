"""The flagship app and every example, served locally: each route gets real requests, with and
without the credentials it needs, as it would once deployed."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cdk_front_door.local.assembly import (
    HttpUrlIntegration,
    JwtAuthorizer,
    LambdaAuthorizer,
    LocalApi,
    LocalRoute,
    ServiceIntegration,
    load_apis,
    private_services,
)
from cdk_front_door.testing import LocalFrontDoor, LocalResponse, snapshot_context
from examples import APPS
from tests.support import echo_server

KEY, SECRET = "AKIDEXAMPLES", "examples-secret"


def _path(route: LocalRoute) -> str:
    """A path the route matches: parameters filled in, a greedy one with two segments."""
    if route.key == "$default":
        return "/no/other/route/takes/this"
    path = re.sub(r"\{[^}]+\+\}", "any/thing", route.path)
    return re.sub(r"\{[^}]+\}", "value", path)


def _method(route: LocalRoute) -> str:
    return "GET" if route.method in ("", "ANY") else route.method


def _signed(local: LocalFrontDoor, method: str, path: str) -> dict[str, str]:
    request = AWSRequest(method=method, url=local.url.rstrip("/") + path, data=b"")
    SigV4Auth(Credentials(KEY, SECRET), "execute-api", "us-east-1").add_auth(request)
    return dict(request.headers.items())


def _credentials(local: LocalFrontDoor, route: LocalRoute) -> dict[str, str]:
    """Headers that satisfy the route's authorization, where a test can hold them."""
    method, path = _method(route), _path(route)
    if route.authorization_type == "AWS_IAM":
        return _signed(local, method, path)
    if isinstance(route.authorizer, JwtAuthorizer):
        token = local.token(issuer=route.authorizer.issuer, scopes=route.scopes)
        return {"authorization": f"Bearer {token}"}
    return {}


def _check_route(local: LocalFrontDoor, api: LocalApi, route: LocalRoute) -> None:
    method, path = _method(route), _path(route)
    where = f"{api.name} {route.key} ({method} {path})"
    if route.refused is not None and not isinstance(route.integration, ServiceIntegration):
        answer = local.request(method, path)
        assert answer.status == 501, where
        return
    if route.authorization_type != "NONE":
        # Without credentials: refused before the integration, as API Gateway refuses it.
        refused = local.request(method, path)
        assert refused.status in (401, 403), where
    if isinstance(route.authorizer, LambdaAuthorizer):
        # The examples' key authorizer accepts only a key whose hash is configured at deploy.
        wrong = local.request(method, path, headers={"authorization": "Bearer wrong-key"})
        assert wrong.status == 403, where
        return
    answer = local.request(method, path, headers=_credentials(local, route))
    if isinstance(route.integration, ServiceIntegration):
        # Authorized, then the call it would make, never made.
        assert answer.status == 501, where
        assert answer.json()["call"]["integrationSubtype"] == route.integration.subtype, where
        return
    if isinstance(route.integration, HttpUrlIntegration):
        # A public URL: reached for real when the machine has internet, else 500 as API
        # Gateway answers an unreachable backend; never a refusal.
        assert answer.status not in (401, 403, 404, 501), where
        return
    # The function answered: whatever it says (a function that calls AWS answers without
    # it), never API Gateway's own refusal or error.
    assert answer.status < 500, (where, answer.status, answer.text)
    assert answer.status not in (401, 403, 501), where
    assert answer.text != '{"message":"Not Found"}', where


def _preflight(local: LocalFrontDoor, api: LocalApi) -> None:
    cors = api.cors
    if cors is None or not cors.allow_origins:
        return
    origin = cors.allow_origins[0].replace("*", "app")
    route = next(r for r in api.routes if r.key != "$default")
    answer: LocalResponse = local.request(
        "OPTIONS",
        _path(route),
        headers={"origin": origin, "access-control-request-method": "GET"},
    )
    assert 200 <= answer.status < 300, (api.name, answer.status)
    assert answer.header("access-control-allow-origin") in (origin, "*"), api.name


def _throttled(local: LocalFrontDoor, api: LocalApi) -> None:
    """Past each bucket's burst, with the clock stopped: 429, before any authorizer runs."""
    local.clock.freeze()
    local.clock.advance(60)  # every bucket full again
    routes = {route.key: route for route in api.routes}
    buckets = [
        (key, _method(routes[key]), _path(routes[key]), throttle)
        for key, throttle in api.route_throttles.items()
    ]
    if api.throttle is not None:
        buckets.append(("the stage", "GET", "/no-route-has-this-path/ever", api.throttle))
    for name, method, path, throttle in buckets:
        answers = [local.request(method, path).status for _ in range(throttle.burst + 1)]
        assert 429 not in answers[:-1], (api.name, name)
        assert answers[-1] == 429, (api.name, name)
        assert local.request(method, path).json() == {"message": "Too Many Requests"}


@pytest.mark.parametrize("module_name", APPS)
def test_every_route_of_the_app_answers_as_it_would_deployed(module_name: str) -> None:
    build: Callable[[App], Stack] = importlib.import_module(module_name).build
    app = App(context=snapshot_context())
    build(app)
    assembly = Path(app.synth().directory)
    apis = load_apis(assembly)
    assert apis, module_name
    with echo_server() as upstream:
        for api in apis:
            services = dict.fromkeys(private_services([api]), upstream)
            with LocalFrontDoor(
                assembly, api=api.logical_id, services=services, iam_credentials={KEY: SECRET}
            ) as local:
                for route in api.routes:
                    _check_route(local, api, route)
                _preflight(local, api)
                missing = local.request("GET", "/no-route-has-this-path/ever")
                default = any(route.key == "$default" for route in api.routes)
                greedy_root = any(route.path.startswith("/{") for route in api.routes)
                if not default and not greedy_root:
                    assert missing.status == 404, api.name
                _throttled(local, api)
