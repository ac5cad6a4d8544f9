"""Lambda authorizers, run as API Gateway runs them.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html: a
request missing one of the identity sources gets 401 without invoking the authorizer; the
function receives the request's event with ``type``, ``routeArn`` and ``identitySource``; a
simple answer is ``{"isAuthorized": bool, "context": {...}}``, an IAM-policy answer a
``policyDocument`` whose statements allow or deny ``execute-api:Invoke`` on the route; answers
are cached for the authorizer's TTL by the identity sources' values; an authorizer that fails
or answers in a bad format gives 500. The context reaches the integration as
``requestContext.authorizer.lambda``.
"""

from __future__ import annotations

import fnmatch
import threading
from collections.abc import Callable, Mapping
from typing import Any

from .assembly import LOCAL_ACCOUNT, LOCAL_REGION, LambdaAuthorizer, LocalFunction
from .lambdas import Invocation
from .payloads import HttpRequest, HttpResponse, event_v1, event_v2

Invoke = Callable[[LocalFunction, object], Invocation]


class LambdaAuthorizers:
    """Runs Lambda authorizers through ``invoke``, with each authorizer's cache."""

    def __init__(self, invoke: Invoke) -> None:
        self._invoke = invoke
        self._cache: dict[tuple[str, tuple[str, ...]], tuple[float, dict[str, Any] | None]] = {}
        self._lock = threading.Lock()

    def authorize(
        self,
        authorizer: LambdaAuthorizer,
        request: HttpRequest,
        route_key: str,
        parameters: Mapping[str, str],
        now: float,
    ) -> dict[str, Any] | HttpResponse:
        """The authorizer context of the integration's event, or API Gateway's refusal."""
        values = [_source(source, request, route_key) for source in authorizer.identity_sources]
        if any(not value for value in values):
            return HttpResponse.message(401, "Unauthorized")
        key = (authorizer.name, tuple(values))
        if authorizer.ttl_seconds > 0:
            with self._lock:
                cached = self._cache.get(key)
            if cached is not None and cached[0] > now:
                return _outcome(cached[1])
        arn = (
            f"arn:aws:execute-api:{LOCAL_REGION}:{LOCAL_ACCOUNT}:{request.api_id}/$default/"
            f"{request.method}{request.path}"
        )
        v2 = authorizer.payload_version == "2.0"
        event = (event_v2 if v2 else event_v1)(request, route_key, parameters, None)
        event.update({"type": "REQUEST", "identitySource": values})
        event["routeArn" if v2 else "methodArn"] = arn
        invocation = self._invoke(authorizer.function, event)
        if invocation.error is not None:
            return HttpResponse.message(500, "Internal Server Error")
        decided = _decide(authorizer, invocation.result, arn)
        if isinstance(decided, HttpResponse):
            return decided
        if authorizer.ttl_seconds > 0:
            with self._lock:
                self._cache[key] = (now + authorizer.ttl_seconds, decided)
        return _outcome(decided)


def _outcome(context: dict[str, Any] | None) -> dict[str, Any] | HttpResponse:
    if context is None:
        return HttpResponse.message(403, "Forbidden")
    return {"lambda": context}


def _decide(
    authorizer: LambdaAuthorizer, answer: object, arn: str
) -> dict[str, Any] | None | HttpResponse:
    """The context when the answer allows the request, None when it denies it, or a 500 for
    an answer API Gateway cannot read."""
    bad = HttpResponse.message(500, "Internal Server Error")
    if not isinstance(answer, dict):
        return bad
    context = answer.get("context") or {}
    if not isinstance(context, dict):
        return bad
    if authorizer.simple_responses:
        allowed = answer.get("isAuthorized")
        if not isinstance(allowed, bool):
            return bad
        return context if allowed else None
    statements = (answer.get("policyDocument") or {}).get("Statement")
    if not isinstance(statements, list):
        return bad
    effects = {_effect(statement, arn) for statement in statements if isinstance(statement, dict)}
    return context if "Allow" in effects and "Deny" not in effects else None


def _effect(statement: Mapping[str, Any], arn: str) -> str | None:
    actions = statement.get("Action", [])
    resources = statement.get("Resource", [])
    actions = [actions] if isinstance(actions, str) else actions
    resources = [resources] if isinstance(resources, str) else resources
    if not any(fnmatch.fnmatchcase("execute-api:Invoke", str(a)) for a in actions):
        return None
    if not any(fnmatch.fnmatchcase(arn, str(resource)) for resource in resources):
        return None
    return str(statement.get("Effect"))


def _source(source: str, request: HttpRequest, route_key: str) -> str:
    if source.startswith("$request.header."):
        return ",".join(request.headers.get(source[len("$request.header.") :].lower(), []))
    if source.startswith("$request.querystring."):
        from urllib.parse import parse_qsl  # noqa: PLC0415 - small

        name = source[len("$request.querystring.") :]
        return ",".join(v for k, v in parse_qsl(request.query, keep_blank_values=True) if k == name)
    if source == "$context.routeKey":
        return route_key
    if source == "$context.httpMethod":
        return request.method
    return ""
