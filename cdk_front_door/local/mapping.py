"""Request parameter mapping: the values an integration's ``RequestParameters`` select.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html:
a value is a constant, a selection expression (``$request.header.<name>``,
``$request.querystring.<name>``, ``$request.path.<name>``, ``$request.body``,
``$request.body.<JSON path>``, ``$context.<variable>``), or a string with expressions in
``${...}``. Multiple header or query values are joined with commas.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from .payloads import HttpRequest

_INTERPOLATED = re.compile(r"\$\{((?:request|context)\.[^}]+)\}")


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
