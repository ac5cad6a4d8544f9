"""One HTTP API served on a loopback port: the request pipeline of API Gateway's ``$default``
stage, in its order (size limit, CORS preflight, throttling, route selection, authorization,
integration, CORS headers, access log).

Rules and their pages:

- 10 MB payloads (http-api-quotas.html) → 413;
- preflight answered by API Gateway when no route takes the request's ``OPTIONS``
  (http-api-cors.html);
- throttling by token buckets before the authorizer and integration run → 429
  ``{"message":"Too Many Requests"}`` (http-api-throttling.html);
- no route → 404 ``{"message":"Not Found"}`` (http-api-develop-routes.html);
- a function error → 500 ``{"message":"Internal Server Error"}``; the integration timeout (at most
  30 s) → 503 ``{"message":"Service Unavailable"}`` (http-api-troubleshooting-lambda.html);
- CORS headers the backend returns are ignored; the API's own are added (http-api-cors.html).
"""

from __future__ import annotations

import errno
import http.client
import json
import logging
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .assembly import (
    HttpUrlIntegration,
    JwtAuthorizer,
    LambdaAuthorizer,
    LambdaIntegration,
    LocalApi,
    LocalCors,
    LocalFunction,
    LocalThrottle,
    PrivateIntegration,
    ServiceIntegration,
)
from .aws_calls import STAND_IN, SUBTYPES, AwsCalls
from .iam_auth import authorize_iam
from .jwt_auth import Denied, KeyRing, authorize
from .lambda_auth import LambdaAuthorizers
from .lambdas import Invocation, LocalLambda
from .mapping import evaluate, map_request, map_response
from .payloads import (
    BadResponse,
    HttpRequest,
    HttpResponse,
    event_v1,
    event_v2,
    response_v1,
    response_v2,
)
from .routing import Match, select_route

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
_HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip


class Clock:
    """The time the server goes by: the real one, or one a test moves (:meth:`advance`)."""

    def __init__(self, start: float | None = None) -> None:
        self._offset = 0.0 if start is None else start - time.time()
        self._frozen_at: float | None = None
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            now = time.time() if self._frozen_at is None else self._frozen_at
            return now + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward (throttle buckets refill, tokens expire)."""
        with self._lock:
            self._offset += seconds

    def freeze(self) -> None:
        """Stop the clock where it is: from now on only :meth:`advance` moves it, so a test
        can empty a throttle bucket however slowly it sends."""
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = time.time()


class _Bucket:
    """A token bucket: ``burst`` tokens, refilled at ``rate`` per second."""

    def __init__(self, throttle: LocalThrottle, now: float) -> None:
        self._rate = throttle.rate
        self._capacity = float(throttle.burst)
        self._tokens = self._capacity
        self._at = now
        self._lock = threading.Lock()

    def take(self, now: float) -> bool:
        with self._lock:
            self._tokens = min(self._capacity, self._tokens + (now - self._at) * self._rate)
            self._at = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False


@dataclass
class _Log:
    """What one request's access log line says."""

    values: dict[str, str]


class FrontDoorApp:
    """The WSGI application that serves ``api``.

    :param keys: where JWT authorizers find signing keys.
    :param clock: the time throttling and token checks go by.
    :param access_log: where access log lines go (the stage's format); None for nowhere.
    :param services: the local URL that stands for each Cloud Map service that private
        integrations reach, by its logical id.
    :param iam_credentials: the secret access key of each access key id that may call IAM
        routes; without any, IAM routes refuse every request (403).
    :param aws_calls: how AWS service integrations are called for real; None: such routes
        answer 501 with the call they would make.
    """

    def __init__(
        self,
        api: LocalApi,
        *,
        keys: KeyRing,
        clock: Callable[[], float],
        access_log: IO[str] | None = None,
        services: Mapping[str, str] | None = None,
        iam_credentials: Mapping[str, str] | None = None,
        aws_calls: AwsCalls | None = None,
    ) -> None:
        self.api = api
        self._aws_calls = aws_calls
        self._services = dict(services or {})
        self._iam_credentials = dict(iam_credentials or {})
        self._keys = keys
        self._clock = clock
        self._access_log = access_log
        self._functions: dict[str, LocalLambda] = {}
        self._functions_lock = threading.Lock()
        self._lambda_authorizers = LambdaAuthorizers(self._invoke_authorizer)
        now = clock()
        self._stage_bucket = None if api.throttle is None else _Bucket(api.throttle, now)
        self._route_buckets = {
            key: _Bucket(throttle, now) for key, throttle in api.route_throttles.items()
        }

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        started = time.monotonic()
        log = _Log({})
        try:
            response = self._handle(request, log)
        except Exception as error:  # noqa: BLE001 - never a traceback to the client
            log.values["error.message"] = f"internal error of the local front door: {error}"
            response = HttpResponse.message(500, "Internal Server Error")
        self._write_log(request, response, log, started)
        out = Response(response.body, status=response.status)
        out.headers.clear()
        for name, value in response.headers:
            out.headers.add(name, value)
        out.headers["content-length"] = str(len(response.body))
        out.headers["apigw-requestid"] = log.values.get("requestId", "")
        return out(environ, start_response)

    # -- the pipeline --------------------------------------------------------------------

    def _handle(self, request: Request, log: _Log) -> HttpResponse:
        now = self._clock()
        request_id = uuid.uuid4().hex[:16]
        log.values["requestId"] = request_id
        length = request.content_length or 0
        if length > MAX_PAYLOAD_BYTES:
            return HttpResponse.message(413, "Request Entity Too Large")
        body = request.get_data(cache=False)
        if len(body) > MAX_PAYLOAD_BYTES:
            return HttpResponse.message(413, "Request Entity Too Large")
        headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        method, path = request.method, request.environ.get("RAW_URI", request.path).split("?")[0]
        origin = ",".join(headers.get("origin", []))
        cors = self.api.cors
        if (
            cors is not None
            and method == "OPTIONS"
            and origin
            and "access-control-request-method" in headers
            and select_route(self.api.routes, "OPTIONS", path) is None
        ):
            return _preflight(cors, origin)
        match = select_route(self.api.routes, method, path)
        log.values["routeKey"] = "-" if match is None else match.route.key
        incoming = HttpRequest(
            method=method,
            path=path,
            query=request.query_string.decode("latin-1"),
            headers=headers,
            body=body,
            source_ip=request.remote_addr or "127.0.0.1",
            protocol=request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            request_id=request_id,
            time_epoch_ms=int(now * 1000),
            domain=request.host.split(":")[0],
            api_id=self.api.logical_id,
        )
        refused = self._refuse(match, incoming, now, log)
        if isinstance(refused, HttpResponse):
            return self._with_cors(refused, origin)
        assert match is not None
        log.values.update(_identity(refused))
        response = self._integrate(match, incoming, refused, log)
        return self._with_cors(response, origin)

    def _refuse(
        self, match: Match | None, request: HttpRequest, now: float, log: _Log
    ) -> HttpResponse | dict[str, Any] | None:
        """API Gateway's answer when the request does not reach an integration (throttled, no
        route, not authorized), else the authorizer context of the event (None without one)."""
        bucket = self._route_buckets.get(log.values["routeKey"], self._stage_bucket)
        if bucket is not None and not bucket.take(now):
            return HttpResponse.message(429, "Too Many Requests")
        if match is None:
            return HttpResponse.message(404, "Not Found")
        if match.route.refused is not None and not isinstance(
            match.route.integration, ServiceIntegration
        ):
            log.values["error.message"] = f"not served locally: {match.route.refused}"
            return HttpResponse.message(501, f"Not served locally: {match.route.refused}")
        authorizer = match.route.authorizer
        if match.route.authorization_type == "AWS_IAM":
            host = ",".join(request.headers.get("host", [])) or request.domain
            url = f"http://{host}{request.path}" + (f"?{request.query}" if request.query else "")
            iam = authorize_iam(request, self._iam_credentials, url)
            if isinstance(iam, HttpResponse):
                log.values["authorizer.error"] = "the request is not signed by a known key"
            return iam
        if isinstance(authorizer, LambdaAuthorizer):
            outcome = self._lambda_authorizers.authorize(
                authorizer, request, match.route.key, match.parameters, now
            )
            if isinstance(outcome, HttpResponse):
                log.values["authorizer.error"] = outcome.body.decode()
            return outcome
        return None if authorizer is None else self._jwt(authorizer, match, request, now, log)

    def _jwt(
        self,
        authorizer: JwtAuthorizer,
        match: Match,
        request: HttpRequest,
        now: float,
        log: _Log,
    ) -> HttpResponse | dict[str, Any]:
        query: dict[str, list[str]] = {}
        for name, value in urllib.parse.parse_qsl(request.query, keep_blank_values=True):
            query.setdefault(name, []).append(value)
        jwt_outcome = authorize(
            authorizer,
            headers=request.headers,
            query=query,
            route_scopes=match.route.scopes,
            keys=self._keys,
            now=now,
        )
        if not isinstance(jwt_outcome, Denied):
            return jwt_outcome
        log.values["authorizer.error"] = jwt_outcome.description
        denied = HttpResponse.message(
            jwt_outcome.status, "Unauthorized" if jwt_outcome.status == 401 else "Forbidden"
        )
        denied.headers.append(("www-authenticate", jwt_outcome.header))
        return denied

    def _integrate(
        self, match: Match, request: HttpRequest, authorizer: Any, log: _Log
    ) -> HttpResponse:
        integration = match.route.integration
        started = time.monotonic()
        try:
            if isinstance(integration, ServiceIntegration):
                return self._service_call(integration, match, request, log)
            if not isinstance(
                integration, LambdaIntegration | HttpUrlIntegration | PrivateIntegration
            ):
                return HttpResponse.message(500, "Internal Server Error")
            # The caller's identity too: a mapping may forward claims or authorizer context.
            context = {**_context(request, match), **_identity(authorizer)}
            # https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
            mapped = map_request(integration.mappings.request, request, match.parameters, context)
            response = self._call(integration, match, mapped, authorizer, log)
            if "integrationErrorMessage" in log.values:
                return response  # API Gateway's own answer: response mappings do not apply
            return map_response(integration.mappings.response, response, context)
        finally:
            log.values["integration.latency"] = str(int((time.monotonic() - started) * 1000))

    def _call(
        self,
        integration: LambdaIntegration | HttpUrlIntegration | PrivateIntegration,
        match: Match,
        request: HttpRequest,
        authorizer: Any,
        log: _Log,
    ) -> HttpResponse:
        if isinstance(integration, LambdaIntegration):
            return self._invoke(integration, match, request, authorizer, log)
        path_mapped = "overwrite:path" in integration.mappings.request
        if isinstance(integration, HttpUrlIntegration):
            uri = integration.uri
            for name, value in match.parameters.items():
                for variable in ("{" + name + "}", "{" + name + "+}"):
                    uri = uri.replace(variable, urllib.parse.quote(value, safe="/"))
            if path_mapped:
                target = urllib.parse.urlsplit(uri)
                uri = f"{target.scheme}://{target.netloc}{request.path}"
            method = request.method if integration.method == "ANY" else integration.method
            return _proxy(uri, method, integration.timeout_ms, request, log)
        base = self._services.get(integration.service)
        if base is None:
            log.values["integrationErrorMessage"] = "the service has no local URL"
            return HttpResponse.message(
                503,
                f"Service Unavailable: give the private integration a local URL with "
                f"--service {integration.service}=URL",
            )
        uri = base.rstrip("/") + request.path
        return _proxy(uri, request.method, integration.timeout_ms, request, log)

    def _service_call(
        self, integration: ServiceIntegration, match: Match, request: HttpRequest, log: _Log
    ) -> HttpResponse:
        """The AWS call of a service integration, its parameters mapped from the request: made
        when real calls are asked for and every value is known, else shown in a 501 answer
        (the request was authorized: nothing else is left out)."""
        context = _context(request, match)
        parameters = {
            name: evaluate(value, request, match.parameters, context)
            for name, value in integration.parameters.items()
        }
        aws = self._aws_calls
        if aws is not None and integration.subtype in SUBTYPES:
            unresolved = aws.unresolved(parameters)
            if not unresolved:
                response = aws.call(integration.subtype, parameters)
                log.values["integration.status"] = str(response.status)
                return response
            reason = "give " + ", ".join(
                f"{STAND_IN}{name} a real value with --resource {name}=VALUE" for name in unresolved
            )
        else:
            reason = str(match.route.refused)
        log.values["error.message"] = f"not served locally: {reason}"
        body = {
            "message": f"Not served locally: {reason}",
            "call": {"integrationSubtype": integration.subtype, "requestParameters": parameters},
        }
        return HttpResponse(
            501, [("content-type", "application/json")], json.dumps(body, indent=2).encode()
        )

    def _invoke(
        self,
        integration: LambdaIntegration,
        match: Match,
        request: HttpRequest,
        authorizer: Any,
        log: _Log,
    ) -> HttpResponse:
        function = self._function(integration.function)
        v2 = integration.payload_version == "2.0"
        event = (event_v2 if v2 else event_v1)(
            request, match.route.key, match.parameters, authorizer
        )
        function_timeout = integration.function.timeout_seconds
        integration_timeout = integration.timeout_ms / 1000
        outcome = function.invoke(event, min(function_timeout, integration_timeout))
        if outcome.timed_out and integration_timeout < function_timeout:
            log.values["integrationErrorMessage"] = "the integration timed out"
            return HttpResponse.message(503, "Service Unavailable")
        if outcome.error is not None:
            log.values["integrationErrorMessage"] = outcome.error.strip().splitlines()[-1][:200]
            log.values["integration.status"] = "200"
            return HttpResponse.message(500, "Internal Server Error")
        log.values["integration.status"] = "200"
        try:
            return (response_v2 if v2 else response_v1)(outcome.result)
        except BadResponse as error:
            log.values["integrationErrorMessage"] = str(error)
            return HttpResponse.message(500, "Internal Server Error")

    def _function(self, function: LocalFunction) -> LocalLambda:
        with self._functions_lock:
            worker = self._functions.get(function.logical_id)
            if worker is None:
                worker = self._functions[function.logical_id] = LocalLambda(function)
            return worker

    def _invoke_authorizer(self, function: LocalFunction, event: object) -> Invocation:
        return self._function(function).invoke(event, function.timeout_seconds)

    def _with_cors(self, response: HttpResponse, origin: str) -> HttpResponse:
        cors = self.api.cors
        if cors is None:
            return response
        # API Gateway ignores CORS headers the backend returns, and adds its own.
        response.headers = [
            (name, value)
            for name, value in response.headers
            if not name.lower().startswith("access-control-")
        ]
        allowed = _allowed_origin(cors, origin)
        if allowed is not None:
            response.headers.append(("access-control-allow-origin", allowed))
            if cors.allow_credentials:
                response.headers.append(("access-control-allow-credentials", "true"))
            if cors.expose_headers:
                response.headers.append(
                    ("access-control-expose-headers", ",".join(cors.expose_headers))
                )
            response.headers.append(("vary", "origin"))
        return response

    def _write_log(
        self, request: Request, response: HttpResponse, log: _Log, started: float
    ) -> None:
        if self._access_log is None or self.api.access_log_format is None:
            return
        now = self._clock()
        values = {
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": str(int(now)),
            "identity.sourceIp": request.remote_addr or "127.0.0.1",
            "identity.userAgent": request.headers.get("user-agent", "-"),
            "httpMethod": request.method,
            "path": request.path,
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "status": str(response.status),
            "responseLength": str(len(response.body)),
            "responseLatency": str(int((time.monotonic() - started) * 1000)),
            "domainName": request.host.split(":")[0],
            "extendedRequestId": log.values.get("requestId", "-"),
            "apiId": self.api.logical_id,
            "stage": "$default",
            **log.values,
        }
        line = _format_log(self.api.access_log_format, values)
        self._access_log.write(line + "\n")
        self._access_log.flush()

    def close(self) -> None:
        """Stop every function's worker."""
        with self._functions_lock:
            for function in self._functions.values():
                function.close()
            self._functions.clear()


def _identity(authorizer: Mapping[str, Any] | None) -> dict[str, str]:
    """The ``$context`` variables of the caller that authorized the request: an IAM caller's
    ``identity.*``, a JWT's ``authorizer.claims.*``, a Lambda authorizer's context as
    ``authorizer.*``. Cognito identity variables stay ``-`` (no identity pool locally).

    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
    """
    if not authorizer:
        return {}
    values: dict[str, str] = {}
    iam = authorizer.get("iam") or {}
    for variable, key in (
        ("accountId", "accountId"),
        ("caller", "callerId"),
        ("user", "userId"),
        ("userArn", "userArn"),
    ):
        if iam.get(key) is not None:
            values[f"identity.{variable}"] = str(iam[key])
    claims = (authorizer.get("jwt") or {}).get("claims") or {}
    values.update({f"authorizer.claims.{name}": str(value) for name, value in claims.items()})
    context = authorizer.get("lambda") or {}
    values.update(
        {
            f"authorizer.{name}": value if isinstance(value, str) else json.dumps(value)
            for name, value in context.items()
        }
    )
    return values


def _context(request: HttpRequest, match: Match) -> dict[str, str]:
    """The ``$context`` variables a parameter mapping may select."""
    return {
        "requestId": request.request_id,
        "routeKey": match.route.key,
        "stage": "$default",
        "apiId": request.api_id,
        "domainName": request.domain,
        "httpMethod": request.method,
        "path": request.path,
        "protocol": request.protocol,
        "identity.sourceIp": request.source_ip,
        "requestTimeEpoch": str(request.time_epoch_ms // 1000),
    }


def _format_log(template: str, values: Mapping[str, str]) -> str:
    """The access log line: each ``$context.<name>`` replaced by its value, ``-`` when none."""
    import re  # noqa: PLC0415 - small

    def value(match: re.Match[str]) -> str:
        text = values.get(match.group(1), "-")
        return text.replace("\\", "\\\\").replace('"', '\\"')

    return re.sub(r"\$context\.([A-Za-z0-9_.]+[A-Za-z0-9_])", value, template)


def _allowed_origin(cors: LocalCors, origin: str) -> str | None:
    if not origin:
        return None
    if "*" in cors.allow_origins:
        return "*" if not cors.allow_credentials else origin
    for allowed in cors.allow_origins:
        if allowed == origin:
            return origin
        if (
            allowed.startswith("https://*.")
            and origin.startswith("https://")
            and origin.endswith(allowed[len("https://*") :])
        ):
            return origin
    return None


def _preflight(cors: LocalCors, origin: str) -> HttpResponse:
    """API Gateway's answer to a preflight request no route takes: 204, with the CORS headers
    when the origin is allowed."""
    response = HttpResponse(204)
    allowed = _allowed_origin(cors, origin)
    if allowed is None:
        return response
    response.headers.append(("access-control-allow-origin", allowed))
    if cors.allow_methods:
        response.headers.append(("access-control-allow-methods", ",".join(cors.allow_methods)))
    if cors.allow_headers:
        response.headers.append(("access-control-allow-headers", ",".join(cors.allow_headers)))
    if cors.allow_credentials:
        response.headers.append(("access-control-allow-credentials", "true"))
    if cors.max_age is not None:
        response.headers.append(("access-control-max-age", str(cors.max_age)))
    response.headers.append(("vary", "origin"))
    return response


def _proxy(uri: str, method: str, timeout_ms: int, request: HttpRequest, log: _Log) -> HttpResponse:
    """Send the request on to ``uri`` (its query added to the request's)."""
    target = urllib.parse.urlsplit(uri)
    path = target.path or "/"
    query = "&".join(part for part in (target.query, request.query) if part)
    connection_class = (
        http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(target.netloc, timeout=timeout_ms / 1000)
    headers = {
        name: ",".join(values)
        for name, values in request.headers.items()
        if name not in _HOP_BY_HOP
    }
    try:
        connection.request(
            method, path + (f"?{query}" if query else ""), request.body or None, headers
        )
        answer = connection.getresponse()
        body = answer.read()
    except TimeoutError:
        log.values["integrationErrorMessage"] = "the integration timed out"
        return HttpResponse.message(503, "Service Unavailable")
    except OSError as error:
        log.values["integrationErrorMessage"] = f"the integration cannot be reached: {error}"
        return HttpResponse.message(500, "Internal Server Error")
    finally:
        connection.close()
    log.values["integration.status"] = str(answer.status)
    return HttpResponse(
        answer.status,
        [
            (name.lower(), value)
            for name, value in answer.getheaders()
            if name.lower() not in _HOP_BY_HOP
        ],
        body,
    )


class _Handler(WSGIRequestHandler):
    """Werkzeug's request handler without the ``server`` header, which API Gateway does not
    send."""

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() != "server":
            super().send_header(keyword, value)


class Serving:
    """``app`` served on ``port`` of 127.0.0.1 in a background thread."""

    def __init__(self, app: FrontDoorApp, port: int = 0) -> None:
        self.app = app
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the access log says it all
        try:
            self._server: BaseWSGIServer = make_server(
                "127.0.0.1", port, app, threaded=True, request_handler=_Handler
            )
        except SystemExit as error:  # Werkzeug exits when the port is taken
            raise OSError(errno.EADDRINUSE, f"port {port} is in use") from error
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)
        self.app.close()
