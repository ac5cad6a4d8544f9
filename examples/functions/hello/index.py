"""A tiny handler for the example apps: echoes what API Gateway (payload format 2.0) sent,
including what the route's authorizer found out about the caller (JWT claims and scopes,
a Lambda authorizer's context, or the IAM identity)."""

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
        "authorizer": event.get("requestContext", {}).get("authorizer") or {},
    }
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }
