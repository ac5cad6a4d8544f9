"""AWS service integrations called for real, when the user opts in.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html:
each integration subtype is one AWS API action whose request parameters are named as the
action's own; API Gateway calls it with the integration's role and answers with the service's
response. Locally the call is made with boto3 and the credentials of the environment; each
value is converted to the type botocore's model of the action gives it (numbers, lists
given comma-separated, maps and structures given as JSON, blobs as text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .payloads import HttpResponse

SUBTYPES: Mapping[str, tuple[str, str]] = {
    "EventBridge-PutEvents": ("events", "PutEvents"),
    "SQS-SendMessage": ("sqs", "SendMessage"),
    "SQS-ReceiveMessage": ("sqs", "ReceiveMessage"),
    "SQS-DeleteMessage": ("sqs", "DeleteMessage"),
    "SQS-PurgeQueue": ("sqs", "PurgeQueue"),
    "AppConfig-GetConfiguration": ("appconfig", "GetConfiguration"),
    "Kinesis-PutRecord": ("kinesis", "PutRecord"),
    "StepFunctions-StartExecution": ("stepfunctions", "StartExecution"),
    "StepFunctions-StartSyncExecution": ("stepfunctions", "StartSyncExecution"),
    "StepFunctions-StopExecution": ("stepfunctions", "StopExecution"),
}
"""The botocore service and action of each integration subtype API Gateway offers."""

STAND_IN = "local:"


def _default_clients(service: str, region: str | None) -> Any:
    import boto3  # noqa: PLC0415 - only when real calls are asked for

    return boto3.client(service, region_name=region)


@dataclass(frozen=True)
class AwsCalls:
    """Real calls for AWS service integrations.

    :param resources: the real value of each stand-in (``local:<name>``), by name, such as a
        queue's URL for ``local:OrdersQueue1234``.
    :param clients: makes the boto3 client of a service in a region (None: the default one).
    """

    resources: Mapping[str, str]
    clients: Callable[[str, str | None], Any] = _default_clients

    def unresolved(self, parameters: Mapping[str, str]) -> list[str]:
        """The stand-ins in ``parameters`` that have no real value."""
        return sorted(
            {
                value[len(STAND_IN) :]
                for value in parameters.values()
                if value.startswith(STAND_IN) and value[len(STAND_IN) :] not in self.resources
            }
        )

    def call(self, subtype: str, parameters: Mapping[str, str]) -> HttpResponse:
        """Make the call: the service's answer as JSON (200), or its error with its status."""
        from botocore import xform_name  # noqa: PLC0415 - the local extra is optional
        from botocore.exceptions import (  # noqa: PLC0415
            BotoCoreError,
            ClientError,
            ParamValidationError,
        )

        service, action = SUBTYPES[subtype]
        values = {name: self._real(value) for name, value in parameters.items()}
        region = values.pop("Region", None)
        client = self.clients(service, region)
        shape = client.meta.service_model.operation_model(action).input_shape
        try:
            if action == "PutEvents":
                entry = shape.members["Entries"].member
                arguments: dict[str, Any] = {"Entries": [_typed(entry, values)]}
            else:
                arguments = _typed(shape, values)
        except ValueError as error:
            return HttpResponse.message(400, f"Bad Request: {error}")
        try:
            answer = getattr(client, xform_name(action))(**arguments)
        except ClientError as error:
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
            return HttpResponse(
                status,
                [("content-type", "application/json")],
                json.dumps(error.response.get("Error", {})).encode(),
            )
        except ParamValidationError as error:
            return HttpResponse.message(400, f"Bad Request: {error}")
        except BotoCoreError as error:
            return HttpResponse.message(500, f"Internal Server Error: {error}")
        answer.pop("ResponseMetadata", None)
        return HttpResponse(
            200, [("content-type", "application/json")], json.dumps(answer, default=str).encode()
        )

    def _real(self, value: str) -> str:
        if value.startswith(STAND_IN):
            return self.resources.get(value[len(STAND_IN) :], value)
        return value


def _typed(shape: Any, values: Mapping[str, str]) -> dict[str, Any]:
    """``values`` as the types of ``shape``'s members; an unknown name is passed as it is, for
    botocore to refuse with its own message."""
    typed: dict[str, Any] = {}
    for name, value in values.items():
        member = shape.members.get(name)
        kind = None if member is None else member.type_name
        try:
            typed[name] = _convert(kind, value)
        except ValueError as error:
            raise ValueError(f"{name} {value!r} is not a {kind}") from error
    return typed


def _convert(kind: str | None, value: str) -> Any:
    if kind in ("integer", "long"):
        return int(value)
    if kind == "boolean":
        return value.lower() == "true"
    if kind == "list":
        return [part.strip() for part in value.split(",") if part.strip()]
    if kind in ("map", "structure"):
        return json.loads(value)
    if kind == "blob":
        return value.encode()
    return value
