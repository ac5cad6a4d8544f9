"""Request parameter mapping: the values an integration's ``RequestParameters`` select.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html:
a value is a constant, a selection expression (``$request.header.<name>``,
``$request.querystring.<name>``, ``$request.path.<name>``, ``$request.body``,
``$request.body.<JSON path>``, ``$context.<variable>``), or a string with expressions in
``${...}``. Multiple header or query values are joined with commas.

Request parameters change the request an HTTP, private or Lambda integration receives
(``append|overwrite|remove:header.<name>``, ``append|overwrite|remove:querystring.<name>``,
``overwrite:path``); response parameters, keyed by the integration's status code, change its
answer (``append|overwrite|remove:header.<name>``, ``overwrite:statuscode``) with values from
``$response.header.<name>``, ``$response.body.<JSON path>``, ``$context.<variable>`` or
constants.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .payloads import HttpRequest, HttpResponse

_INTERPOLATED = re.compile(r"\$\{((?:request|context|response)\.[^}]+)\}")


def map_request(
    parameters: Mapping[str, str],
    request: HttpRequest,
    path_parameters: Mapping[str, str],
    context: Mapping[str, str],
) -> HttpRequest:
    """The request as the integration receives it once ``parameters`` are applied; every
    value is selected from the request as the client sent it."""
    if not parameters:
        return request
    headers = {name: list(values) for name, values in request.headers.items()}
    query = parse_qsl(request.query, keep_blank_values=True)
    path = request.path
    for key, value in parameters.items():
        mapped = evaluate(value, request, path_parameters, context)
        if key == "overwrite:path":
            path = mapped if mapped.startswith("/") else "/" + mapped
            continue
        action, _, target = key.partition(":")
        kind, _, name = target.partition(".")
        if kind == "header":
            name = name.lower()
            kept = [] if action != "append" else headers.get(name, [])
            headers[name] = [*kept, mapped] if action != "remove" else []
            if not headers[name]:
                del headers[name]
        else:
            kept_query = [(k, v) for k, v in query if k != name or action == "append"]
            query = kept_query + ([(name, mapped)] if action != "remove" else [])
    return replace(request, path=path, headers=headers, query=urlencode(query))


def map_response(
    parameters: Mapping[str, Mapping[str, str]],
    response: HttpResponse,
    context: Mapping[str, str],
) -> HttpResponse:
    """``response`` once the response parameters for its status code are applied."""
    selected = parameters.get(str(response.status))
    if not selected:
        return response
    headers = list(response.headers)
    status = response.status
    for key, value in selected.items():
        mapped = _response_value(value, response, context)
        if key == "overwrite:statuscode":
            if mapped.isdigit():
                status = int(mapped)
            continue
        action, _, target = key.partition(":")
        name = target.partition(".")[2].lower()
        if action != "append":
            headers = [(n, v) for n, v in headers if n.lower() != name]
        if action != "remove":
            headers.append((name, mapped))
    return HttpResponse(status, headers, response.body)


def _response_value(value: str, response: HttpResponse, context: Mapping[str, str]) -> str:
    def select(expression: str) -> str:
        source, _, name = expression.partition(".")
        if source == "context":
            return context.get(name, "")
        if source != "response":
            return ""
        kind, _, rest = name.partition(".")
        if kind == "header":
            return ",".join(v for n, v in response.headers if n.lower() == rest.lower())
        if kind == "body":
            text = response.body.decode("utf-8", errors="replace")
            return _json_path(text, rest) if rest else text
        return ""

    if value.startswith(("$response.", "$context.")) and " " not in value:
        return select(value[1:])
    return _INTERPOLATED.sub(lambda m: select(m.group(1)), value)


def evaluate(
    value: str, request: HttpRequest, parameters: Mapping[str, str], context: Mapping[str, str]
) -> str:
    """``value`` with its selection expressions replaced by what the request holds."""
    if value.startswith(("$request.", "$context.")) and " " not in value:
        return _select(value[1:], request, parameters, context)
    return _INTERPOLATED.sub(lambda m: _select(m.group(1), request, parameters, context), value)


def _select(
    expression: str, request: HttpRequest, parameters: Mapping[str, str], context: Mapping[str, str]
) -> str:
    source, _, name = expression.partition(".")
    if source == "context":
        return context.get(name, "")
    kind, _, rest = name.partition(".")
    if kind == "path" and not rest:
        return request.path
    if kind == "body":
        text = request.body.decode("utf-8", errors="replace")
        return _json_path(text, rest) if rest else text
    values = {
        "header": request.headers.get(rest.lower(), []),
        "querystring": [
            v for k, v in parse_qsl(request.query, keep_blank_values=True) if k == rest
        ],
        "path": [parameters[rest]] if rest in parameters else [],
    }.get(kind, [])
    return ",".join(values)


def _json_path(text: str, path: str) -> str:
    try:
        value: Any = json.loads(text)
    except ValueError:
        return ""
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return ""
    return value if isinstance(value, str) else json.dumps(value)
