"""A tiny handler for the example apps: echoes what API Gateway (payload format 2.0) sent."""

import json
import os
from typing import Any


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    http = event.get("requestContext", {}).get("http", {})
    body = {
        "message": os.environ.get("MESSAGE", "hello"),
        "routeKey": event.get("routeKey"),
        "method": http.get("method"),
        "path": http.get("path"),
        "pathParameters": event.get("pathParameters") or {},
    }
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }
