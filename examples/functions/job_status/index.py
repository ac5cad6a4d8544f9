"""A job status route for the examples: ``GET /jobs/status?executionArn=...``.

HTTP APIs have no integration that reads an execution's status, so a small function does it.
Its role may describe the executions of one job only; any other ARN is answered 404.
"""

import json
from typing import Any

import boto3

_STEP_FUNCTIONS = boto3.client("stepfunctions")


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    arn = (event.get("queryStringParameters") or {}).get("executionArn", "")
    try:
        execution = _STEP_FUNCTIONS.describe_execution(executionArn=arn)
    except Exception:  # an unknown execution, another job's, or a malformed ARN
        return _answer(404, {"message": "no such job"})
    return _answer(
        200,
        {
            "executionArn": arn,
            "status": execution["status"],
            "startDate": execution["startDate"].isoformat(),
            "stopDate": execution["stopDate"].isoformat() if "stopDate" in execution else None,
            "error": execution.get("error"),
        },
    )


def _answer(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }
