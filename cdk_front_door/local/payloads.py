"""The Lambda event of each payload format version, and how a function's answer becomes the
HTTP response.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .assembly import LOCAL_ACCOUNT

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")


@dataclass(frozen=True)
class HttpRequest:
    """A request as the local front door received it.

    :param headers: header names in lower case, each with its values in order.
    :param query: the raw query string, without ``?``.
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, list[str]]
    body: bytes
    source_ip: str
    protocol: str
    request_id: str
    time_epoch_ms: int
    domain: str
    api_id: str


@dataclass
class HttpResponse:
    """What the client receives: a status, headers (several values for one name kept apart)
    and a body."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @staticmethod
    def message(status: int, message: str) -> HttpResponse:
        """API Gateway's own answer, such as 404 ``{"message":"Not Found"}``."""
        return HttpResponse(
            status,
            [("content-type", "application/json")],
            json.dumps({"message": message}, separators=(",", ":")).encode(),
        )


def _is_text(headers: Mapping[str, list[str]]) -> bool:
    content_type = ",".join(headers.get("content-type", []))
    return not content_type or content_type.startswith(_TEXT_TYPES) or "charset" in content_type


def _body(request: HttpRequest) -> tuple[str | None, bool]:
    if not request.body:
        return None, False
    if _is_text(request.headers):
        try:
            return request.body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(request.body).decode("ascii"), True


def _query(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl  # noqa: PLC0415 - small, used per request

    return parse_qsl(query, keep_blank_values=True)


def _request_time(epoch_ms: int) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch_ms / 1000))


def event_v2(
    request: HttpRequest,
    route_key: str,
    parameters: Mapping[str, str],
    authorizer: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The payload format 2.0 event: duplicate headers and query strings joined with commas,
    cookies in their own field."""
    headers = {
        name: ",".join(values) for name, values in request.headers.items() if name != "cookie"
    }
    query: dict[str, list[str]] = {}
    for name, value in _query(request.query):
        query.setdefault(name, []).append(value)
    body, encoded = _body(request)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": LOCAL_ACCOUNT,
            "apiId": request.api_id,
            "domainName": request.domain,
            "domainPrefix": request.domain.split(".", 1)[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.protocol,
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request.request_id,
            "routeKey": route_key,
            "stage": "$default",
            "time": _request_time(request.time_epoch_ms),
            "timeEpoch": request.time_epoch_ms,
        },
        "isBase64Encoded": encoded,
    }
    cookies = [
        cookie.strip()
        for value in request.headers.get("cookie", [])
        for cookie in value.split(";")
        if cookie.strip()
    ]
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = {name: ",".join(v) for name, v in query.items()}
    if parameters:
        event["pathParameters"] = dict(parameters)
    if authorizer is not None:
        event["requestContext"]["authorizer"] = authorizer
    if body is not None:
        event["body"] = body
    return event


def event_v1(
    request: HttpRequest,
    route_key: str,
    parameters: Mapping[str, str],
    authorizer: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The payload format 1.0 event (the shape of REST APIs' proxy integration)."""
    query: dict[str, list[str]] = {}
    for name, value in _query(request.query):
        query.setdefault(name, []).append(value)
    body, encoded = _body(request)
    resource = route_key.split(" ", 1)[1] if " " in route_key else "$default"
    return {
        "version": "1.0",
        "resource": resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": {name: values[-1] for name, values in request.headers.items()},
        "multiValueHeaders": {name: list(values) for name, values in request.headers.items()},
        "queryStringParameters": {name: v[-1] for name, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "requestContext": {
            "accountId": LOCAL_ACCOUNT,
            "apiId": request.api_id,
            "domainName": request.domain,
            "domainPrefix": request.domain.split(".", 1)[0],
            "extendedRequestId": request.request_id,
            "httpMethod": request.method,
            "identity": {
                "sourceIp": request.source_ip,
                "userAgent": ",".join(request.headers.get("user-agent", [])),
            },
            "path": request.path,
            "protocol": request.protocol,
            "requestId": request.request_id,
            "requestTime": _request_time(request.time_epoch_ms),
            "requestTimeEpoch": request.time_epoch_ms,
            "resourcePath": resource,
            "routeKey": route_key,
            "stage": "$default",
            **({"authorizer": authorizer} if authorizer is not None else {}),
        },
        "pathParameters": dict(parameters) or None,
        "stageVariables": None,
        "body": body,
        "isBase64Encoded": encoded,
    }


class BadResponse(Exception):
    """The function's answer is not one API Gateway accepts (it answers 500)."""


def response_v2(result: object) -> HttpResponse:
    """The HTTP response for a payload 2.0 function's answer. Without ``statusCode`` API
    Gateway assumes 200, ``content-type: application/json`` and the whole answer as the body."""
    if not (isinstance(result, dict) and "statusCode" in result):
        body = result if isinstance(result, str) else json.dumps(result)
        return HttpResponse(200, [("content-type", "application/json")], body.encode())
    response = _mapped(result, multi_value=False)
    cookies = result.get("cookies") or []
    if not isinstance(cookies, list):
        raise BadResponse("cookies must be a list of strings")
    response.headers.extend(("set-cookie", str(cookie)) for cookie in cookies)
    return response


def response_v1(result: object) -> HttpResponse:
    """The HTTP response for a payload 1.0 function's answer, which must have a
    ``statusCode``."""
    if not (isinstance(result, dict) and "statusCode" in result):
        raise BadResponse("a payload 1.0 answer needs a statusCode")
    return _mapped(result, multi_value=True)


def _mapped(result: Mapping[str, Any], *, multi_value: bool) -> HttpResponse:
    status = result.get("statusCode")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise BadResponse(f"statusCode {status!r} is not an HTTP status")
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name).lower(), str(value)))
    if multi_value:
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers.extend((str(name).lower(), str(value)) for value in values)
    body = result.get("body")
    if body is None:
        data = b""
    elif result.get("isBase64Encoded"):
        try:
            data = base64.b64decode(str(body), validate=True)
        except ValueError as error:
            raise BadResponse("isBase64Encoded is true, but the body is not base64") from error
    else:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
    return HttpResponse(status, headers, data)
