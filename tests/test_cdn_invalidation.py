"""The CDN invalidation function, run locally: crafted CloudFormation events, a fake AWS SDK,
and a real HTTP server on 127.0.0.1 that receives the answers CloudFormation would."""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
import time
import types
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from cdk_front_door import PUBLIC, Cdn, HttpApiGateway
from cdk_front_door._cdn_invalidation import INVALIDATION_CODE
from tests.support import new_stack, resources_of_type, single, template_of

STACK_ID = (
    "arn:aws:cloudformation:us-east-1:123456789012:stack/Front/5b8e1c40-1d2e-11f0-9f3a-0a1b2c3d4e5f"
)
REQUEST_ID = "0c4b1a2e-7d53-4f0e-9a57-3b1f0f2d8c11"
LOGICAL_ID = "ApiCdnInvalidation5C2B9F1A"
EARLIER_PHYSICAL_ID = "ApiCdnInvalidation5C2B9F1A-from-an-earlier-create"
DISTRIBUTION_ID = "E2QWRUHAPOMQZL"
INVALIDATION_ID = "I2J0I21PCUYOIK"
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:Front-ApiCdnInvalidation"


class CloudFrontError(Exception):
    """What botocore raises for an error CloudFront answers: the code is in ``response``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(
            f"An error occurred ({code}) when calling the CreateInvalidation operation: {message}"
        )
        self.response = {"Error": {"Code": code, "Message": message}}


class FakeConfig:
    """Stands in for ``botocore.config.Config``."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings


@dataclass
class FakeCloudFront:
    """Stands in for boto3 and its CloudFront client; records what it is asked."""

    error: Exception | None = None
    answer: Any = field(
        default_factory=lambda: {"Invalidation": {"Id": INVALIDATION_ID, "Status": "InProgress"}}
    )
    clients: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def client(self, service: str, *, config: FakeConfig) -> FakeCloudFront:
        self.clients.append((service, config.settings))
        return self

    def create_invalidation(self, **request: Any) -> Any:
        self.calls.append(request)
        if self.error is not None:
            raise self.error
        return self.answer


@dataclass(frozen=True)
class Answer:
    """One PUT the response URL received."""

    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        parsed = json.loads(self.body)
        assert isinstance(parsed, dict)
        return parsed


class ResponseServer(HTTPServer):
    """CloudFormation's response URL: records every PUT, answers the statuses queued in
    ``statuses`` first and 200 once they are used up."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _PutHandler)
        self.statuses: list[int] = []
        self.answers: list[Answer] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/cloudformation-response?X-Amz-Signature=abc"


class _PutHandler(BaseHTTPRequestHandler):
    def do_PUT(self) -> None:
        server = self.server
        assert isinstance(server, ResponseServer)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        server.answers.append(Answer(headers, body))
        self.send_response(server.statuses.pop(0) if server.statuses else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # keeps the test output quiet
        pass


class FakeContext:
    """The Lambda context: only the time left matters."""

    def __init__(self, remaining_ms: int) -> None:
        self._deadline = time.monotonic() + remaining_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass
class Function:
    """The function's code loaded as its own module, with the fakes it talks to."""

    module: types.ModuleType
    cloudfront: FakeCloudFront
    server: ResponseServer

    def run(self, event: Any, *, remaining_ms: int = 60_000) -> list[dict[str, Any]]:
        """Invoke the handler; return the bodies the response URL received."""
        assert self.module.handler(event, FakeContext(remaining_ms)) is None
        return [answer.json() for answer in self.server.answers]


def load_code() -> types.ModuleType:
    module = types.ModuleType("index")
    exec(compile(INVALIDATION_CODE, "index.py", "exec"), vars(module))
    return module


def install_sdk(monkeypatch: pytest.MonkeyPatch, cloudfront: FakeCloudFront) -> None:
    boto3 = types.ModuleType("boto3")
    vars(boto3).update(client=cloudfront.client)
    botocore = types.ModuleType("botocore")
    config = types.ModuleType("botocore.config")
    vars(config).update(Config=FakeConfig)
    vars(botocore).update(config=config)
    monkeypatch.setitem(sys.modules, "boto3", boto3)
    monkeypatch.setitem(sys.modules, "botocore", botocore)
    monkeypatch.setitem(sys.modules, "botocore.config", config)


@pytest.fixture
def server() -> Iterator[ResponseServer]:
    server = ResponseServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def function(monkeypatch: pytest.MonkeyPatch, server: ResponseServer) -> Function:
    cloudfront = FakeCloudFront()
    install_sdk(monkeypatch, cloudfront)
    module = load_code()
    vars(module).update(PUT_BACKOFF_S=0.01, PUT_TIMEOUT_S=2.0)
    return Function(module, cloudfront, server)


def cfn_event(request_type: Any, url: str, **changes: Any) -> dict[str, Any]:
    """An event as CloudFormation sends it, with ``changes`` applied."""
    properties = {
        "ServiceToken": SERVICE_TOKEN,
        "ServiceTimeout": "300",
        "DistributionId": DISTRIBUTION_ID,
        "Fingerprint": "4f1c9e",
    }
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": SERVICE_TOKEN,
        "ResponseURL": url,
        "StackId": STACK_ID,
        "RequestId": REQUEST_ID,
        "LogicalResourceId": LOGICAL_ID,
        "ResourceType": "Custom::CdnInvalidation",
        "ResourceProperties": properties,
    }
    if request_type in ("Update", "Delete"):
        event["PhysicalResourceId"] = EARLIER_PHYSICAL_ID
    if request_type == "Update":
        event["OldResourceProperties"] = {**properties, "Fingerprint": "77ab02"}
    event.update(changes)
    return event


def echoed(physical_id: str) -> dict[str, str]:
    """The identifying fields of every answer to a well-formed event."""
    return {
        "PhysicalResourceId": physical_id,
        "StackId": STACK_ID,
        "RequestId": REQUEST_ID,
        "LogicalResourceId": LOGICAL_ID,
    }


def test_create_invalidates_everything_with_the_request_id_as_reference(
    function: Function,
) -> None:
    answers = function.run(cfn_event("Create", function.server.url))
    assert function.cloudfront.calls == [
        {
            "DistributionId": DISTRIBUTION_ID,
            "InvalidationBatch": {
                "CallerReference": REQUEST_ID,
                "Paths": {"Quantity": 1, "Items": ["/*"]},
            },
        }
    ]
    assert answers == [
        {
            "Status": "SUCCESS",
            "Reason": f"invalidation {INVALIDATION_ID} of /* of {DISTRIBUTION_ID} started",
            **echoed(LOGICAL_ID),
            "Data": {"InvalidationId": INVALIDATION_ID},
        }
    ]


def test_cloudfront_call_has_timeouts_and_three_tries_within_the_function_time(
    function: Function,
) -> None:
    function.run(cfn_event("Create", function.server.url), remaining_ms=60_000)
    [(service, settings)] = function.cloudfront.clients
    assert service == "cloudfront"
    assert settings["retries"] == {"mode": "standard", "total_max_attempts": 3}
    per_try = settings["connect_timeout"] + settings["read_timeout"]
    assert 0 < settings["connect_timeout"] <= 5
    # Three tries and botocore's delays (at most 1 s, then 2 s) leave 20 s for the answer.
    assert 3 * per_try + 3 <= 60 - 20 + 0.01


def test_answer_is_a_put_with_an_empty_content_type_and_its_length(function: Function) -> None:
    function.run(cfn_event("Create", function.server.url))
    [answer] = function.server.answers
    assert answer.headers["content-type"] == ""
    assert answer.headers["content-length"] == str(len(answer.body))


def test_response_url_is_not_logged(function: Function, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        function.run(cfn_event("Create", function.server.url))
    assert REQUEST_ID in caplog.text
    assert "X-Amz-Signature" not in caplog.text


def test_update_invalidates_again_and_keeps_the_physical_id(function: Function) -> None:
    answers = function.run(cfn_event("Update", function.server.url))
    assert [call["InvalidationBatch"]["CallerReference"] for call in function.cloudfront.calls] == [
        REQUEST_ID
    ]
    assert answers[0]["Status"] == "SUCCESS"
    assert answers[0] | echoed(EARLIER_PHYSICAL_ID) == answers[0]


def test_update_without_physical_id_answers_the_id_create_chose(function: Function) -> None:
    event = cfn_event("Update", function.server.url)
    del event["PhysicalResourceId"]
    [answer] = function.run(event)
    assert answer["PhysicalResourceId"] == LOGICAL_ID


@pytest.mark.parametrize(
    "changes",
    [{}, {"ResourceProperties": None}, {"RequestId": 7}, {"StackId": None}],
    ids=["well-formed", "no-properties", "request-id-not-a-string", "no-stack-id"],
)
def test_delete_answers_success_without_calling_cloudfront(
    function: Function, changes: dict[str, Any]
) -> None:
    function.cloudfront.error = CloudFrontError("AccessDenied", "not allowed")
    [answer] = function.run(cfn_event("Delete", function.server.url, **changes))
    assert function.cloudfront.clients == []
    assert function.cloudfront.calls == []
    assert answer["Status"] == "SUCCESS"
    assert answer["PhysicalResourceId"] == EARLIER_PHYSICAL_ID


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_cloudfront_error_answers_failed_with_the_reason(
    function: Function, request_type: str
) -> None:
    function.cloudfront.error = CloudFrontError(
        "TooManyInvalidationsInProgress", "Processing your request will cause you to exceed"
    )
    [answer] = function.run(cfn_event(request_type, function.server.url))
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(
        f"CreateInvalidation of {DISTRIBUTION_ID} failed: TooManyInvalidationsInProgress: "
    )
    assert "Data" not in answer
    expected_id = LOGICAL_ID if request_type == "Create" else EARLIER_PHYSICAL_ID
    assert answer | echoed(expected_id) == answer


def test_error_without_a_service_code_names_its_type(function: Function) -> None:
    function.cloudfront.error = TimeoutError("read timed out")
    [answer] = function.run(cfn_event("Create", function.server.url))
    assert answer["Status"] == "FAILED"
    assert "TimeoutError: read timed out" in answer["Reason"]


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_missing_distribution_answers_success_with_the_error_in_data(
    function: Function, request_type: str
) -> None:
    function.cloudfront.error = CloudFrontError(
        "NoSuchDistribution", "The specified distribution does not exist."
    )
    [answer] = function.run(cfn_event(request_type, function.server.url))
    assert answer["Status"] == "SUCCESS"
    assert "NoSuchDistribution" in answer["Reason"]
    assert answer["Data"] == {"Error": answer["Reason"]}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"ResourceProperties": None}, "ResourceProperties must be an object"),
        ({"ResourceProperties": ["E2QWRUHAPOMQZL"]}, "ResourceProperties must be an object"),
        ({"ResourceProperties": {}}, "ResourceProperties.DistributionId must be"),
        ({"ResourceProperties": {"DistributionId": 42}}, "ResourceProperties.DistributionId"),
        ({"ResourceProperties": {"DistributionId": ""}}, "ResourceProperties.DistributionId"),
        ({"RequestId": None}, "RequestId must be a non-empty string"),
        ({"StackId": ["a"]}, "StackId must be a non-empty string"),
        ({"LogicalResourceId": ""}, "LogicalResourceId must be a non-empty string"),
    ],
)
def test_malformed_event_answers_failed_to_the_response_url(
    function: Function, changes: dict[str, Any], problem: str
) -> None:
    [answer] = function.run(cfn_event("Create", function.server.url, **changes))
    assert function.cloudfront.calls == []
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith(f"malformed event: {problem}")
    assert answer["PhysicalResourceId"]


@pytest.mark.parametrize(
    "event",
    [
        None,
        "Create",
        ["Create"],
        {},
        {"RequestType": "Create", "ResourceProperties": {"DistributionId": DISTRIBUTION_ID}},
        {"RequestType": "Delete", "ResponseURL": None},
        {"RequestType": "Create", "ResponseURL": 17},
        {"RequestType": "Create", "ResponseURL": "file:///etc/passwd"},
    ],
    ids=[
        "none",
        "string",
        "list",
        "empty",
        "no-url",
        "url-none",
        "url-not-a-string",
        "url-not-http",
    ],
)
def test_event_without_response_url_is_logged_and_returns(
    function: Function, caplog: pytest.LogCaptureFixture, event: Any
) -> None:
    with caplog.at_level(logging.INFO):
        assert function.run(event) == []
    assert function.cloudfront.calls == []
    assert "no ResponseURL" in caplog.text


@pytest.mark.parametrize("request_type", ["Replace", "create", None, 3])
def test_unknown_request_type_answers_failed(function: Function, request_type: Any) -> None:
    [answer] = function.run(cfn_event(request_type, function.server.url))
    assert function.cloudfront.calls == []
    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == (
        f"unknown RequestType {request_type!r}: expected Create, Update or Delete"
    )


def test_failed_answers_are_retried_until_delivered(function: Function) -> None:
    function.server.statuses = [500, 503]
    answers = function.run(cfn_event("Create", function.server.url))
    assert len(answers) == 3
    assert answers[0] == answers[1] == answers[2]
    assert answers[2]["Status"] == "SUCCESS"
    assert len(function.cloudfront.calls) == 1


def test_answer_gives_up_in_bounded_time_when_the_server_always_fails(
    function: Function,
) -> None:
    function.server.statuses = [500] * 10
    started = time.monotonic()
    answers = function.run(cfn_event("Create", function.server.url))
    assert time.monotonic() - started < 2
    assert len(answers) == function.module.PUT_ATTEMPTS


def test_answer_gives_up_in_bounded_time_when_nothing_listens(function: Function) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    assert function.run(cfn_event("Create", f"http://127.0.0.1:{port}/response")) == []
    assert time.monotonic() - started < 2
    assert len(function.cloudfront.calls) == 1


def test_answer_goes_out_when_too_little_time_is_left_for_cloudfront(
    function: Function,
) -> None:
    [answer] = function.run(cfn_event("Create", function.server.url), remaining_ms=10_000)
    assert function.cloudfront.calls == []
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("too little time left to call CloudFront")


def test_unexpected_error_still_answers(function: Function) -> None:
    def broken(event: Any) -> str:
        raise KeyError("defect")

    vars(function.module).update(malformed=broken)
    [create] = function.run(cfn_event("Create", function.server.url))
    assert create["Status"] == "FAILED"
    assert create["Reason"] == "unexpected error: KeyError('defect')"


def test_unusual_cloudfront_answer_still_succeeds(function: Function) -> None:
    function.cloudfront.answer = None
    [answer] = function.run(cfn_event("Create", function.server.url))
    assert answer["Status"] == "SUCCESS"
    assert "Data" not in answer


def test_runtime_without_the_sdk_fails_create_and_still_deletes(
    function: Function, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # makes ``import boto3`` fail
    [create] = function.run(cfn_event("Create", function.server.url))
    [_, delete] = function.run(cfn_event("Delete", function.server.url))
    assert create["Status"] == "FAILED"
    assert "boto3" in create["Reason"]
    assert delete["Status"] == "SUCCESS"


def test_long_error_is_truncated_and_the_body_stays_under_4096_bytes(function: Function) -> None:
    function.cloudfront.error = CloudFrontError("InvalidArgument", "é\u0001🙂" * 5000)
    [answer] = function.run(cfn_event("Create", function.server.url))
    [received] = function.server.answers
    assert len(received.body) <= 4096
    assert answer["Status"] == "FAILED"
    assert answer["Reason"].endswith("...")
    assert answer | echoed(LOGICAL_ID) == answer


def test_absurd_ids_still_give_a_body_under_4096_bytes(function: Function) -> None:
    long_id = "\u0001" * 5000
    event = cfn_event("Update", function.server.url, PhysicalResourceId=long_id, StackId=long_id)
    [answer] = function.run(event)
    [received] = function.server.answers
    assert len(received.body) <= 4096
    assert answer["Status"] == "SUCCESS"


def test_code_compiles_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(INVALIDATION_CODE, "index.py", "exec")


def test_custom_resource_gives_up_after_five_minutes_and_its_function_after_one() -> None:
    stack = new_stack()
    api = HttpApiGateway(stack, "Api", cdn=Cdn(invalidate_on_deploy=True))
    api.add_route("GET /a", "https://example.net/", auth=PUBLIC)
    template = template_of(stack)
    functions = {
        logical_id: resource["Properties"]
        for logical_id, resource in resources_of_type(template, "AWS::Lambda::Function").items()
        if resource["Properties"]["Code"].get("ZipFile") == INVALIDATION_CODE
    }
    [(function_id, function)] = functions.items()
    resource = single(template, "Custom::CdnInvalidation")["Properties"]
    assert resource["ServiceToken"] == {"Fn::GetAtt": [function_id, "Arn"]}
    assert resource["ServiceTimeout"] == "300"  # CloudFormation takes the number as text
    assert function["Timeout"] == 60
    code = load_code()
    assert code.DEFAULT_REMAINING_S == function["Timeout"]
    assert code.RESPONSE_RESERVE_S + code.MIN_API_S < function["Timeout"]
