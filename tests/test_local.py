"""The local front door: requests really reach their backends, as API Gateway would send them.

Every server listens on 127.0.0.1 only; every loop is bounded.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_cdk import App, Duration, Stack, Stage
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.stub import Stubber

from cdk_front_door import (
    PUBLIC,
    Cors,
    HttpApiGateway,
    IamAuth,
    JwtAuth,
    LambdaAuth,
    PutEvent,
    SendMessage,
    Throttle,
)
from cdk_front_door.local.__main__ import Watcher, _Reload, main
from cdk_front_door.local.assembly import (
    LOCAL_ACCOUNT,
    LocalRoute,
    Unsupported,
    describe,
    load_apis,
    private_services,
)
from cdk_front_door.local.aws_calls import AwsCalls
from cdk_front_door.local.jwt_auth import DevIssuer
from cdk_front_door.local.mapping import evaluate
from cdk_front_door.local.payloads import BadResponse, HttpRequest, response_v1, response_v2
from cdk_front_door.local.routing import select_route
from cdk_front_door.testing import TEST_ENV, LocalFrontDoor, snapshot_context
from examples.container_service.app import build as build_container_service
from tests.support import echo_server, inline_function

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "functions" / "hello"
ISSUER = "https://issuer.example.com/"
IAM_KEY, IAM_SECRET = "AKIDLOCALTEST", "local-secret"
ECHO = """\
import json, os

def handler(event, context):
    path = event.get("rawPath", event.get("path"))
    if path == "/raise":
        raise ValueError("boom")
    if path == "/garbage":
        return {"statusCode": "teapot"}
    if path == "/hang":
        import time
        time.sleep(30)
    if path == "/plain":
        return {"answer": 42}
    return {
        "statusCode": 201,
        "headers": {"x-echo": "yes", "access-control-allow-origin": "https://evil.example"},
        "cookies": ["a=1", "b=2"],
        "body": json.dumps({"event": event, "message": os.environ["MESSAGE"],
                            "remaining": context.get_remaining_time_in_millis()}),
    }
"""


AUTHORIZER = """\
calls = 0

def handler(event, context):
    global calls
    calls += 1
    key = event["headers"].get("x-api-key")
    if event.get("type") != "REQUEST" or not event.get("routeArn"):
        return {"isAuthorized": "malformed"}
    if key == "broken":
        return {"isAuthorized": "yes"}
    if "policy" in event["rawPath"]:
        effect = "Allow" if key == "secret" else "Deny"
        return {
            "principalId": "caller",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Action": "execute-api:Invoke",
                    "Effect": effect,
                    "Resource": [event["routeArn"]],
                }],
            },
            "context": {"caller": "policy"},
        }
    return {"isAuthorized": key == "secret", "context": {"caller": "key", "calls": calls}}
"""


def _function(
    stack: Stack, construct_id: str = "Echo", *, timeout: int = 3, code: str = ECHO
) -> lambda_.Function:
    """A Python function with inline ``code``."""
    return inline_function(
        stack,
        construct_id,
        timeout=Duration.seconds(timeout),
        code=code,
        environment={"MESSAGE": "from the template"},
    )


def _authorizer(stack: Stack, construct_id: str) -> lambda_.Function:
    return _function(stack, construct_id, code=AUTHORIZER)


def _stack() -> Stack:
    return Stack(App(context=snapshot_context()), "Local", env=TEST_ENV)


@pytest.fixture(scope="module")
def access_log() -> io.StringIO:
    """Where the module's API writes its access log lines."""
    return io.StringIO()


@pytest.fixture(scope="module")
def local(access_log: io.StringIO) -> Iterator[LocalFrontDoor]:
    stack = _stack()
    echo = _function(stack, timeout=1)
    hello = lambda_.Function(
        stack,
        "Hello",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_asset(str(HELLO)),
    )
    api = HttpApiGateway(
        stack,
        "Api",
        cors=Cors(allow_origins=["https://app.example.com"], max_age=Duration.minutes(5)),
        default_auth=JwtAuth(ISSUER, audience=["api"]),
    )
    for key in ("GET /raise", "GET /garbage", "GET /hang", "GET /plain"):
        api.add_route(key, echo, auth=PUBLIC)
    api.add_route("GET /items/{id}", echo, auth=PUBLIC)
    api.add_route("GET /items/special", hello, auth=PUBLIC)
    api.add_route("ANY /files/{path+}", echo, auth=PUBLIC)
    api.add_route("GET /limited", echo, auth=PUBLIC, throttle=Throttle(rate_limit=1, burst_limit=2))
    api.add_route("GET /me", hello)
    api.add_route("POST /orders", hello, scopes=["orders:write"])
    api.add_route("GET /internal", hello, auth=IamAuth())
    keyed = LambdaAuth(_authorizer(stack, "Keys"), identity_sources=["$request.header.x-api-key"])
    api.add_route("GET /keyed", hello, auth=keyed)
    cached = LambdaAuth(
        _authorizer(stack, "CachedKeys"),
        identity_sources=["$request.header.x-api-key"],
        cache_ttl=Duration.minutes(5),
    )
    api.add_route("GET /cached", hello, auth=cached)
    policy = LambdaAuth(
        _authorizer(stack, "Policy"),
        identity_sources=["$request.header.x-api-key"],
        simple_responses=False,
    )
    api.add_route("GET /policy", hello, auth=policy)
    api.add_route("POST /queue", SendMessage(sqs.Queue(stack, "Queue")), auth=PUBLIC)
    with LocalFrontDoor(
        stack, access_log=access_log, iam_credentials={IAM_KEY: IAM_SECRET}
    ) as front_door:
        yield front_door


# -- routing, as HTTP APIs select routes ----------------------------------------------------


def _route(key: str) -> LocalRoute:
    return LocalRoute(key, Unsupported("test"), "NONE", None, (), None)


ROUTES = [
    _route(key)
    for key in (
        "GET /items/{id}",
        "GET /items/special",
        "ANY /items/special",
        "ANY /items/{proxy+}",
        "POST /{proxy+}",
        "$default",
    )
]


@pytest.mark.parametrize(
    ("method", "path", "key", "parameters"),
    [
        ("GET", "/items/special", "GET /items/special", {}),
        ("DELETE", "/items/special", "ANY /items/special", {}),
        ("GET", "/items/42", "GET /items/{id}", {"id": "42"}),
        ("GET", "/items/a%20b", "GET /items/{id}", {"id": "a b"}),
        ("GET", "/items/42/parts", "ANY /items/{proxy+}", {"proxy": "42/parts"}),
        ("POST", "/anything/else", "POST /{proxy+}", {"proxy": "anything/else"}),
        ("GET", "/anything", "$default", {}),
        ("GET", "/items/", "$default", {}),
    ],
)
def test_routes_are_selected_most_specific_first(
    method: str, path: str, key: str, parameters: dict[str, str]
) -> None:
    match = select_route(ROUTES, method, path)
    assert match is not None
    assert (match.route.key, match.parameters) == (key, parameters)


def test_no_route_and_no_default_selects_nothing() -> None:
    assert select_route(ROUTES[:2], "GET", "/other") is None
    assert select_route(ROUTES[:2], "POST", "/items/1") is None


# -- request parameter mapping ----------------------------------------------------------------


def _request(body: bytes, query: str, headers: dict[str, list[str]]) -> HttpRequest:
    return HttpRequest(
        method="POST", path="/p", query=query, headers=headers, body=body,
        source_ip="127.0.0.1", protocol="HTTP/1.1", request_id="r1", time_epoch_ms=0,
        domain="localhost", api_id="Api",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("constant", "constant"),
        ("$request.body", '{"a": {"b": "c", "n": 1}}'),
        ("$request.body.a.b", "c"),
        ("$request.body.a.n", "1"),
        ("$request.body.missing", ""),
        ("$request.header.x-id", "1,2"),
        ("$request.querystring.q", "v"),
        ("$request.path.id", "42"),
        ("$context.requestId", "r1"),
        ("order-${request.path.id}-${request.querystring.q}", "order-42-v"),
    ],
)
def test_parameter_mapping_selects_what_api_gateway_selects(value: str, expected: str) -> None:
    request = _request(b'{"a": {"b": "c", "n": 1}}', "q=v", {"x-id": ["1", "2"]})
    assert evaluate(value, request, {"id": "42"}, {"requestId": "r1"}) == expected


# -- responses, as each payload format version maps them -------------------------------------


def test_a_payload_2_answer_without_status_is_200_json_of_the_whole_answer() -> None:
    response = response_v2({"answer": 42})
    assert (response.status, response.body) == (200, b'{"answer": 42}')
    assert ("content-type", "application/json") in response.headers


def test_a_payload_2_answer_sends_each_cookie_and_decodes_base64() -> None:
    response = response_v2(
        {"statusCode": 200, "cookies": ["a=1", "b=2"], "body": "aGk=", "isBase64Encoded": True}
    )
    assert response.body == b"hi"
    assert [v for k, v in response.headers if k == "set-cookie"] == ["a=1", "b=2"]


@pytest.mark.parametrize("answer", [{"statusCode": "teapot"}, {"statusCode": 700}, {"body": "x"}])
def test_a_payload_1_answer_needs_a_valid_status(answer: dict[str, object]) -> None:
    with pytest.raises(BadResponse):
        response_v1(answer)


# -- end to end, over HTTP ------------------------------------------------------------------


def test_a_route_reaches_its_function_with_the_event_api_gateway_sends(
    local: LocalFrontDoor,
) -> None:
    response = local.request(
        "GET",
        "/items/a%20b?x=1&x=2&y=",
        headers={"cookie": "session=s; theme=dark", "user-agent": "tests"},
    )
    assert response.status == 201
    assert response.header("x-echo") == "yes"
    assert response.header("set-cookie") == "a=1, b=2"
    # The headers API Gateway adds, and no others of the server's own (no ``server``).
    names = {name.lower() for name, _ in response.headers} - {"x-echo", "set-cookie"}
    assert names == {"content-length", "date", "apigw-requestid", "connection"}
    body = response.json()
    event = body["event"]
    assert body["message"] == "from the template"
    assert 0 < body["remaining"] <= 1000
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /items/{id}"
    assert event["rawPath"] == "/items/a%20b"
    assert event["pathParameters"] == {"id": "a b"}
    assert event["queryStringParameters"] == {"x": "1,2", "y": ""}
    assert event["cookies"] == ["session=s", "theme=dark"]
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["requestContext"]["http"]["userAgent"] == "tests"
    assert "authorizer" not in event["requestContext"]


def test_an_asset_function_runs_from_its_folder_in_the_assembly(local: LocalFrontDoor) -> None:
    response = local.request("GET", "/items/special")
    assert response.status == 200
    assert response.json()["routeKey"] == "GET /items/special"


def test_a_greedy_route_takes_every_method_and_the_rest_of_the_path(local: LocalFrontDoor) -> None:
    response = local.request("DELETE", "/files/a/b.txt")
    assert response.json()["event"]["pathParameters"] == {"path": "a/b.txt"}


def test_an_answer_without_status_is_sent_as_json(local: LocalFrontDoor) -> None:
    response = local.request("GET", "/plain")
    assert (response.status, response.json()) == (200, {"answer": 42})


def test_no_route_answers_api_gateways_404(local: LocalFrontDoor) -> None:
    response = local.request("GET", "/nowhere")
    assert (response.status, response.json()) == (404, {"message": "Not Found"})


@pytest.mark.parametrize("path", ["/raise", "/garbage", "/hang"])
def test_a_failing_function_answers_500_and_the_server_keeps_serving(
    local: LocalFrontDoor, path: str
) -> None:
    response = local.request("GET", path)
    assert (response.status, response.json()) == (500, {"message": "Internal Server Error"})
    assert local.request("GET", "/items/1").status == 201


def test_a_route_past_its_throttle_gets_429_until_the_bucket_refills(local: LocalFrontDoor) -> None:
    statuses = [local.request("GET", "/limited").status for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert local.request("GET", "/limited").json() == {"message": "Too Many Requests"}
    local.clock.advance(1)
    assert local.request("GET", "/limited").status == 201


def test_a_jwt_route_refuses_a_request_without_a_token(local: LocalFrontDoor) -> None:
    response = local.request("GET", "/me")
    assert (response.status, response.json()) == (401, {"message": "Unauthorized"})
    assert response.header("www-authenticate") == (
        'Bearer scope="" error="invalid_token" error_description="the token is missing"'
    )


def test_a_jwt_route_passes_the_claims_as_strings(local: LocalFrontDoor) -> None:
    token = local.token(groups=["a", "b"], email_verified=True)
    response = local.request("GET", "/me", headers={"authorization": f"Bearer {token}"})
    assert response.status == 200
    jwt_context = response.json()["authorizer"]["jwt"]
    assert jwt_context["scopes"] is None
    claims = jwt_context["claims"]
    assert (claims["iss"], claims["aud"], claims["sub"]) == (ISSUER, "api", "local-user")
    assert (claims["groups"], claims["email_verified"]) == ("[a b]", "true")
    assert claims["exp"].isdigit()


def test_a_route_with_scopes_needs_one_of_them(local: LocalFrontDoor) -> None:
    without = local.request("POST", "/orders", headers={"authorization": local.token()})
    assert (without.status, without.json()) == (403, {"message": "Forbidden"})
    assert 'error="insufficient_scope"' in str(without.header("www-authenticate"))
    token = local.token(scopes=["orders:read", "orders:write"])
    response = local.request("POST", "/orders", headers={"authorization": f"Bearer {token}"})
    assert response.json()["authorizer"]["jwt"]["scopes"] == ["orders:read", "orders:write"]


@pytest.mark.parametrize(
    ("token_of", "description"),
    [
        ("other key", "the token is invalid"),
        ("other audience", "the token has an invalid aud"),
        ("other issuer", "the token has an invalid iss"),
        ("not a token", "the token is invalid"),
    ],
)
def test_a_jwt_route_refuses_a_token_it_cannot_trust(
    local: LocalFrontDoor, token_of: str, description: str
) -> None:
    if token_of == "other key":
        token = DevIssuer([ISSUER]).token(ISSUER, audience="api")
    elif token_of == "other audience":
        token = local.token(audience="web")
    elif token_of == "other issuer":
        token = DevIssuer(["https://else.example.com/"]).token("https://else.example.com/")
    else:
        token = "not-a-token"
    response = local.request("GET", "/me", headers={"authorization": f"Bearer {token}"})
    assert response.status == 401
    assert f'error_description="{description}' in str(response.header("www-authenticate"))


def test_a_token_expires_with_the_clock(local: LocalFrontDoor) -> None:
    token = local.token(expires_in=60)
    headers = {"authorization": f"Bearer {token}"}
    assert local.request("GET", "/me", headers=headers).status == 200
    local.clock.advance(61)
    response = local.request("GET", "/me", headers=headers)
    assert response.status == 401
    assert "the token has expired" in str(response.header("www-authenticate"))


def test_a_preflight_is_answered_with_the_apis_cors_rules(local: LocalFrontDoor) -> None:
    preflight = {"origin": "https://app.example.com", "access-control-request-method": "POST"}
    response = local.request("OPTIONS", "/orders", headers=preflight)
    assert response.status == 204
    assert response.header("access-control-allow-origin") == "https://app.example.com"
    assert response.header("access-control-max-age") == "300"
    # An ANY route: the gateway allows every method.
    assert response.header("access-control-allow-methods") == "*"
    other = local.request(
        "OPTIONS", "/orders", headers={**preflight, "origin": "https://x.example"}
    )
    assert other.status == 204
    assert other.header("access-control-allow-origin") is None


def test_cors_headers_of_the_backend_are_replaced_by_the_apis(local: LocalFrontDoor) -> None:
    allowed = local.request("GET", "/items/1", headers={"origin": "https://app.example.com"})
    assert allowed.header("access-control-allow-origin") == "https://app.example.com"
    other = local.request("GET", "/items/1", headers={"origin": "https://x.example"})
    assert other.header("access-control-allow-origin") is None


def test_a_lambda_authorizer_decides_and_its_context_reaches_the_function(
    local: LocalFrontDoor,
) -> None:
    missing = local.request("GET", "/keyed")
    assert (missing.status, missing.json()) == (401, {"message": "Unauthorized"})
    wrong = local.request("GET", "/keyed", headers={"x-api-key": "guess"})
    assert (wrong.status, wrong.json()) == (403, {"message": "Forbidden"})
    broken = local.request("GET", "/keyed", headers={"x-api-key": "broken"})
    assert (broken.status, broken.json()) == (500, {"message": "Internal Server Error"})
    allowed = local.request("GET", "/keyed", headers={"x-api-key": "secret"})
    assert allowed.status == 200
    assert allowed.json()["authorizer"]["lambda"]["caller"] == "key"


def test_a_lambda_authorizers_answer_is_cached_for_its_ttl(local: LocalFrontDoor) -> None:
    def calls() -> int:
        answer = local.request("GET", "/cached", headers={"x-api-key": "secret"})
        return int(answer.json()["authorizer"]["lambda"]["calls"])

    first = calls()
    assert calls() == first
    local.clock.advance(301)
    assert calls() == first + 1


def test_a_lambda_authorizers_policy_allows_or_denies_the_route(local: LocalFrontDoor) -> None:
    allowed = local.request("GET", "/policy", headers={"x-api-key": "secret"})
    assert allowed.json()["authorizer"]["lambda"] == {"caller": "policy"}
    denied = local.request("GET", "/policy", headers={"x-api-key": "guess"})
    assert denied.status == 403


def _signed(local: LocalFrontDoor, method: str, path: str, key: str, secret: str) -> dict[str, str]:
    """The headers of ``method path`` signed with SigV4 for execute-api, as an AWS SDK signs."""
    request = AWSRequest(method=method, url=local.url.rstrip("/") + path, data=b"")
    SigV4Auth(Credentials(key, secret), "execute-api", "eu-west-1").add_auth(request)
    return dict(request.headers.items())


def test_an_iam_route_needs_a_request_signed_by_a_known_key(local: LocalFrontDoor) -> None:
    unsigned = local.request("GET", "/internal")
    assert (unsigned.status, unsigned.json()) == (403, {"message": "Forbidden"})
    unknown = _signed(local, "GET", "/internal", "AKIDUNKNOWN", "secret")
    assert local.request("GET", "/internal", headers=unknown).status == 403
    wrong_secret = _signed(local, "GET", "/internal", IAM_KEY, "not the secret")
    assert local.request("GET", "/internal", headers=wrong_secret).status == 403
    for_other_path = _signed(local, "GET", "/elsewhere", IAM_KEY, IAM_SECRET)
    assert local.request("GET", "/internal", headers=for_other_path).status == 403
    signed = _signed(local, "GET", "/internal", IAM_KEY, IAM_SECRET)
    response = local.request("GET", "/internal", headers=signed)
    assert response.status == 200
    assert response.json()["authorizer"]["iam"]["accessKey"] == IAM_KEY


def test_a_service_route_answers_with_the_call_it_would_make(local: LocalFrontDoor) -> None:
    response = local.request("POST", "/queue", body='{"order": {"id": 7}}')
    assert response.status == 501
    answer = response.json()
    assert "AWS service integration (SQS-SendMessage)" in answer["message"]
    call = answer["call"]
    assert call["integrationSubtype"] == "SQS-SendMessage"
    assert call["requestParameters"]["MessageBody"] == '{"order": {"id": 7}}'
    assert call["requestParameters"]["QueueUrl"].startswith("local:")


@pytest.fixture
def service_stack() -> Stack:
    stack = _stack()
    api = HttpApiGateway(stack, "Api")
    queue = sqs.Queue(stack, "Orders")
    api.add_route(
        "POST /orders/{id}",
        SendMessage(queue, delay_seconds="5", attributes={"id": "$request.path.id"}),
        auth=PUBLIC,
    )
    api.add_route(
        "POST /events", PutEvent(source="com.example.orders", detail_type="Ordered"), auth=PUBLIC
    )
    return stack


def _stubbed(service: str, region: str | None) -> tuple[Any, Stubber]:
    client = boto3.client(
        service,
        region_name=region or "eu-west-1",
        aws_access_key_id="AKIDSTUB",
        aws_secret_access_key="stub",
    )
    return client, Stubber(client)


def test_a_service_route_makes_the_real_call_with_typed_values(service_stack: Stack) -> None:
    queue_url = "https://sqs.eu-west-1.amazonaws.com/111111111111/orders"
    sqs_client, sqs_stub = _stubbed("sqs", None)
    sqs_stub.add_response(
        "send_message",
        {"MessageId": "m-1", "MD5OfMessageBody": "d41d8cd98f00b204e9800998ecf8427e"},
        {
            "QueueUrl": queue_url,
            "MessageBody": '{"n": 1}',
            "DelaySeconds": 5,
            "MessageAttributes": {"id": {"DataType": "String", "StringValue": "42"}},
        },
    )
    events_client, events_stub = _stubbed("events", None)
    events_stub.add_client_error("put_events", "AccessDeniedException", "no", 400)
    clients = {"sqs": sqs_client, "events": events_client}
    with LocalFrontDoor(service_stack) as local:
        shown = local.request("POST", "/orders/42", body='{"n": 1}').json()
    stand_in = shown["call"]["requestParameters"]["QueueUrl"].removeprefix("local:")
    calls = AwsCalls({stand_in: queue_url}, clients=lambda service, _region: clients[service])
    with sqs_stub, events_stub, LocalFrontDoor(service_stack, aws_calls=calls) as local:
        sent = local.request("POST", "/orders/42", body='{"n": 1}')
        assert (sent.status, sent.json()["MessageId"]) == (200, "m-1")
        refused = local.request("POST", "/events", body="{}")
        assert (refused.status, refused.json()["Code"]) == (400, "AccessDeniedException")
    sqs_stub.assert_no_pending_responses()
    events_stub.assert_no_pending_responses()


def test_a_real_call_needs_a_real_value_for_each_stand_in(service_stack: Stack) -> None:
    calls = AwsCalls({}, clients=lambda service, region: _stubbed(service, region)[0])
    with LocalFrontDoor(service_stack, aws_calls=calls) as local:
        answer = local.request("POST", "/orders/42", body="{}")
    assert answer.status == 501
    assert re.search(
        r"give local:Orders\w+ a real value with --resource Orders\w+=VALUE",
        answer.json()["message"],
    )
    folder = Path(Stage.of(service_stack).synth().directory)  # type: ignore[union-attr]
    assert describe(load_apis(folder), aws_calls=True)[1:] == [
        "  POST /events  -> calls EventBridge-PutEvents on AWS",
        "  POST /orders/{id}  -> calls SQS-SendMessage on AWS (--resource OrdersA9B65338=VALUE)",
    ]


def test_every_request_writes_an_access_log_line_in_the_stages_format(
    local: LocalFrontDoor, access_log: io.StringIO
) -> None:
    local.request("GET", "/nowhere")
    line = json.loads(access_log.getvalue().splitlines()[-1])
    assert (line["httpMethod"], line["path"], line["status"]) == ("GET", "/nowhere", "404")
    assert line["routeKey"] == "-"
    assert line["requestId"]


# -- any app's HTTP API: a hand-written one ---------------------------------------------------


@pytest.fixture
def upstream() -> Iterator[str]:
    with echo_server() as url:
        yield url


def test_a_hand_written_http_api_is_served_from_its_template(upstream: str) -> None:
    stack = _stack()
    api = apigwv2.HttpApi(stack, "HandWritten")
    api.add_routes(
        path="/proxy/{proxy+}",
        methods=[apigwv2.HttpMethod.ANY],
        integration=integrations.HttpUrlIntegration("Upstream", f"{upstream}/{{proxy}}"),
    )
    api.add_routes(
        path="/v1",
        methods=[apigwv2.HttpMethod.GET],
        integration=integrations.HttpLambdaIntegration(
            "V1", _function(stack), payload_format_version=apigwv2.PayloadFormatVersion.VERSION_1_0
        ),
    )
    with LocalFrontDoor(stack) as local:
        proxied = local.request("PUT", "/proxy/a/b?c=d")
        assert proxied.status == 200
        assert proxied.json() == {"path": "/a/b", "query": "c=d", "method": "PUT"}
        assert proxied.header("x-upstream") == "echo"
        v1 = local.request("GET", "/v1?x=1&x=2")
        event = v1.json()["event"]
        assert (event["version"], event["httpMethod"], event["resource"]) == ("1.0", "GET", "/v1")
        assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}


def test_parameter_mappings_change_the_request_and_the_answer(upstream: str) -> None:
    stack = _stack()
    api = apigwv2.HttpApi(stack, "HandWritten")
    mapping = (
        apigwv2.ParameterMapping()
        .overwrite_path(apigwv2.MappingValue.custom("/v2/${request.path.id}"))
        .append_header("x-route", apigwv2.MappingValue.context_variable("routeKey"))
        .overwrite_header("x-token", apigwv2.MappingValue.request_header("authorization"))
        .remove_header("x-secret")
        .overwrite_query_string("page", apigwv2.MappingValue.custom("1"))
        .remove_query_string("debug")
    )
    api.add_routes(
        path="/items/{id}",
        methods=[apigwv2.HttpMethod.GET],
        integration=integrations.HttpUrlIntegration(
            "Upstream", f"{upstream}/ignored", parameter_mapping=mapping
        ),
    )
    integration = next(
        child for child in stack.node.find_all() if isinstance(child, apigwv2.CfnIntegration)
    )
    integration.add_property_override(
        "ResponseParameters",
        {
            "200": {
                "ResponseParameters": [
                    {"Destination": "overwrite:statuscode", "Source": "202"},
                    {"Destination": "append:header.x-was", "Source": "$response.header.x-upstream"},
                    {"Destination": "remove:header.x-upstream", "Source": "''"},
                ]
            }
        },
    )
    with LocalFrontDoor(stack) as local:
        answer = local.request(
            "GET",
            "/items/7?page=3&debug=1&keep=yes",
            headers={"authorization": "Bearer t", "x-secret": "s", "x-route": "client"},
        )
    assert answer.status == 202
    assert answer.header("x-was") == "echo"
    assert answer.header("x-upstream") is None
    sent = answer.json()
    assert sent["path"] == "/v2/7"
    assert sent["query"] == "keep=yes&page=1"
    assert sent["headers"] == {"x-token": "Bearer t", "x-route": "client,GET /items/{id}"}


def test_a_mapping_key_api_gateway_refuses_is_named_and_not_served(upstream: str) -> None:
    stack = _stack()
    api = apigwv2.HttpApi(stack, "HandWritten")
    api.add_routes(
        path="/items",
        methods=[apigwv2.HttpMethod.GET],
        integration=integrations.HttpUrlIntegration(
            "Upstream",
            upstream,
            parameter_mapping=apigwv2.ParameterMapping().custom("rename:header.x", "y"),
        ),
    )
    with LocalFrontDoor(stack) as local:
        answer = local.request("GET", "/items")
    assert answer.status == 501
    assert "'rename:header.x' is not one HTTP APIs accept" in answer.json()["message"]


def test_access_logs_name_the_caller_an_authorizer_let_in() -> None:
    stack = _stack()
    api = apigwv2.HttpApi(stack, "HandWritten")
    echo = integrations.HttpLambdaIntegration("Echo", _function(stack))
    api.add_routes(
        path="/iam",
        methods=[apigwv2.HttpMethod.GET],
        integration=echo,
        authorizer=authorizers.HttpIamAuthorizer(),
    )
    api.add_routes(
        path="/jwt",
        methods=[apigwv2.HttpMethod.GET],
        integration=echo,
        authorizer=authorizers.HttpJwtAuthorizer("Jwt", ISSUER, jwt_audience=["api"]),
    )
    stage = api.default_stage.node.default_child  # type: ignore[union-attr]
    fields = {
        "caller": "$context.identity.caller",
        "userArn": "$context.identity.userArn",
        "sub": "$context.authorizer.claims.sub",
        "pool": "$context.identity.cognitoIdentityPoolId",
    }
    stage.add_property_override(  # type: ignore[union-attr]
        "AccessLogSettings", {"DestinationArn": "arn:aws:logs:::x", "Format": json.dumps(fields)}
    )
    log = io.StringIO()
    with LocalFrontDoor(stack, access_log=log, iam_credentials={IAM_KEY: IAM_SECRET}) as local:
        signed = _signed(local, "GET", "/iam", IAM_KEY, IAM_SECRET)
        assert local.request("GET", "/iam", headers=signed).status == 201
        token = local.token(audience="api", sub="user-7")
        bearer = {"authorization": f"Bearer {token}"}
        assert local.request("GET", "/jwt", headers=bearer).status == 201
    iam, jwt = (json.loads(line) for line in log.getvalue().splitlines())
    assert iam == {
        "caller": IAM_KEY,
        "userArn": f"arn:aws:iam::{LOCAL_ACCOUNT}:user/{IAM_KEY}",
        "sub": "-",
        "pool": "-",
    }
    assert (jwt["caller"], jwt["sub"]) == ("-", "user-7")


SLOW = "import time\ndef handler(event, context):\n    time.sleep(2.5)\n    return {}\n"


def test_an_integration_slower_than_its_timeout_answers_503() -> None:
    stack = _stack()
    api = apigwv2.HttpApi(stack, "HandWritten")
    second = Duration.seconds(1)
    slow = _function(stack, "Slow", timeout=10, code=SLOW)
    with echo_server(delay=2.5) as upstream:
        api.add_routes(
            path="/url",
            methods=[apigwv2.HttpMethod.GET],
            integration=integrations.HttpUrlIntegration("Url", upstream, timeout=second),
        )
        api.add_routes(
            path="/function",
            methods=[apigwv2.HttpMethod.GET],
            integration=integrations.HttpLambdaIntegration("Fn", slow, timeout=second),
        )
        with LocalFrontDoor(stack) as local:
            for path in ("/url", "/function"):
                answer = local.request("GET", path)
                assert (answer.status, answer.json()) == (503, {"message": "Service Unavailable"})


def test_unserved_routes_are_named_at_start(tmp_path: Path) -> None:
    stack = _stack()
    api = HttpApiGateway(stack, "Api")
    api.add_route("POST /queue", SendMessage(sqs.Queue(stack, "Queue")), auth=PUBLIC)
    assembly = App.of(stack).synth().directory  # type: ignore[union-attr]
    lines = describe(load_apis(Path(assembly)))
    reason = "an AWS service integration (SQS-SendMessage) is not called locally"
    assert any(line.startswith(f"  POST /queue  NOT SERVED: {reason}") for line in lines)


def test_the_command_refuses_a_folder_that_is_not_an_assembly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--app", str(tmp_path)]) == 2
    assert "is not a cloud assembly (no manifest.json)" in capsys.readouterr().err


def test_a_container_service_is_reached_at_the_local_url_given_for_it(upstream: str) -> None:
    stack = build_container_service(App(context=snapshot_context()))
    assembly = Path(App.of(stack).synth().directory)  # type: ignore[union-attr]
    (service,) = private_services(load_apis(assembly))
    with LocalFrontDoor(assembly) as unmapped:
        response = unmapped.request("GET", "/index.html")
        assert response.status == 503
        assert f"--service {service}=URL" in response.json()["message"]
    with LocalFrontDoor(assembly, services={service: upstream}) as local:
        response = local.request("GET", "/static/app.js?v=2")
        assert response.json() == {"path": "/static/app.js", "query": "v=2", "method": "GET"}
        assert local.request("GET", "/hello").json()["message"] == "hello from a function"


def test_the_command_refuses_an_unknown_service_name(capsys: pytest.CaptureFixture[str]) -> None:
    stack = build_container_service(App(context=snapshot_context()))
    assembly = App.of(stack).synth().directory  # type: ignore[union-attr]
    assert main(["--app", assembly, "--service", "Nope=http://127.0.0.1:1"]) == 2
    assert "NAME one of SiteServiceCloudmapService" in capsys.readouterr().err


def test_the_watcher_sees_a_change_below_its_paths_and_not_in_build_output(
    tmp_path: Path,
) -> None:
    (tmp_path / "cdk.out").mkdir()
    code = tmp_path / "handler.py"
    code.write_text("v1", encoding="utf-8")
    watcher = Watcher([tmp_path])
    assert not watcher.changed()
    (tmp_path / "cdk.out" / "template.json").write_text("{}", encoding="utf-8")
    assert not watcher.changed()
    code.write_text("v2 is longer", encoding="utf-8")
    os.utime(code, ns=(0, 10**9))
    assert watcher.changed()
    assert not watcher.changed()
    (tmp_path / "new.py").write_text("", encoding="utf-8")
    assert watcher.changed()


def test_a_failed_synth_keeps_what_is_served(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reload = _Reload(Watcher([tmp_path]), [sys.executable, "-c", "raise SystemExit(1)"], tmp_path)
    assert reload.synthesize() is None
    assert "failed; still serving" in capsys.readouterr().err


def test_a_synth_that_succeeds_gives_the_new_apis(tmp_path: Path) -> None:
    stack = _stack()
    HttpApiGateway(stack, "Api").add_route("GET /a", _function(stack), auth=PUBLIC)
    built = Path(App.of(stack).synth().directory)  # type: ignore[union-attr]
    copy = f"import shutil; shutil.copytree({str(built)!r}, {str(tmp_path / 'out')!r})"
    reload = _Reload(Watcher([tmp_path]), [sys.executable, "-c", copy], tmp_path / "out")
    apis = reload.synthesize()
    assert apis is not None
    assert [route.key for route in apis[0].routes] == ["GET /a"]


NODE_HANDLERS = {
    "async": "exports.handler = async (event) => ({ statusCode: 200, body: event.rawPath });",
    "callback": (
        "exports.handler = (event, context, callback) => "
        "callback(null, { statusCode: 202, body: String(context.getRemainingTimeInMillis() > 0) });"
    ),
    "throws": "exports.handler = async () => { throw new Error('boom'); };",
}


def test_node_functions_run_with_the_projects_node() -> None:
    stack = _stack()
    api = HttpApiGateway(stack, "Api")
    for name, code in NODE_HANDLERS.items():
        function = lambda_.Function(
            stack,
            f"Node{name}",
            runtime=lambda_.Runtime.NODEJS_22_X,
            handler="index.handler",
            code=lambda_.Code.from_inline(code),
        )
        api.add_route(f"GET /{name}", function, auth=PUBLIC)
    with LocalFrontDoor(stack) as local:
        answer = local.request("GET", "/async")
        assert (answer.status, answer.text) == (200, "/async")
        answer = local.request("GET", "/callback")
        assert (answer.status, answer.text) == (202, "true")
        assert local.request("GET", "/throws").status == 500


def _assembly() -> str:
    stack = _stack()
    HttpApiGateway(stack, "Api").add_route("GET /a", _function(stack), auth=PUBLIC)
    return str(App.of(stack).synth().directory)  # type: ignore[union-attr]


def test_the_command_refuses_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--app", _assembly(), "--port", str(port)]) == 2
    assert f"port {port} is in use: pass --port" in capsys.readouterr().err


def test_the_command_refuses_an_iam_key_without_its_secret(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--app", _assembly(), "--iam-key", "AKIDONLY"]) == 2
    assert "--iam-key expects ACCESS_KEY_ID:SECRET" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--resource", "Queue=https://q"], "--resource is only used with --aws"),
        (["--aws", "--resource", "Queue"], "--resource expects NAME=VALUE"),
        (["--watch", "."], "--watch needs --synth"),
    ],
)
def test_the_command_refuses_options_that_do_not_fit(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--app", _assembly(), *options]) == 2
    assert message in capsys.readouterr().err


def test_the_node_worker_script_is_removed_when_the_process_exits() -> None:
    code = (
        "from cdk_front_door.local._node_worker import script\n"
        "path = script()\n"
        "assert path.is_file()\n"
        "print(path.parent)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    folder = Path(done.stdout.strip())
    assert folder.name.startswith("cdk-front-door-node-")
    assert not folder.exists()
