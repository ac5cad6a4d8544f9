"""The CDN's cache invalidation: a custom resource whose function invalidates ``/*`` whenever
what the origin serves changes (its fingerprint), so that a deploy never leaves clients with
answers of routes that are gone or changed.
"""

from __future__ import annotations

from collections.abc import Callable

import jsii
from aws_cdk import Acknowledgment, CustomResource, Duration, IStableStringProducer, Lazy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._functions import own_function


@jsii.implements(IStableStringProducer)
class _Fingerprint:
    """Computed at synth time, once every route has been added."""

    def __init__(self, compute: Callable[[], str]) -> None:
        self._compute = compute

    def produce(self) -> str | None:
        return self._compute()


# The function of the invalidation custom resource (see cache_invalidation). Plain standard library
# and the SDK of the Lambda runtime, typed, run locally by tests/test_cdn_invalidation.py.
INVALIDATION_CODE = """\
import json
import logging
import time
import urllib.request
from typing import Any

LOG = logging.getLogger("cdn-invalidation")
LOG.setLevel(logging.INFO)

# Seconds. CloudFront gets what the function has left minus RESPONSE_RESERVE_S, so that the
# answer to CloudFormation always goes out before the function times out.
RESPONSE_RESERVE_S = 20.0
MIN_API_S = 6.0
API_ATTEMPTS = 3
PUT_ATTEMPTS = 4
PUT_TIMEOUT_S = 8.0
PUT_BACKOFF_S = 1.0
SAFETY_S = 0.5
DEFAULT_REMAINING_S = 60.0  # the function's timeout
MAX_REMAINING_S = 900.0  # the longest a function can run
MAX_BODY = 4096  # bytes CloudFormation accepts in a response

Outcome = tuple[str, str, dict[str, str] | None]


def handler(event: Any, context: Any) -> None:
    deadline = time.monotonic() + remaining_seconds(context)
    url = event.get("ResponseURL") if isinstance(event, dict) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        LOG.error("no ResponseURL, so nobody to answer; nothing done: %s", describe(event))
        return
    LOG.info("request %s", describe(event))
    try:
        status, reason, data = outcome(event, deadline)
    except Exception as error:  # a defect must still answer, or the stack waits
        LOG.exception("unexpected error")
        failed = "SUCCESS" if event.get("RequestType") == "Delete" else "FAILED"
        status, reason, data = failed, f"unexpected error: {error!r}", None
    LOG.info("answering %s: %s", status, reason)
    deliver(url, response_body(event, status, reason, data), deadline)


def outcome(event: dict[str, Any], deadline: float) -> Outcome:
    request = event.get("RequestType")
    if request == "Delete":
        # Nothing to undo, and a failed Delete would leave the stack stuck.
        return "SUCCESS", "nothing to delete: an invalidation cannot be undone", None
    if request not in ("Create", "Update"):
        expected = "expected Create, Update or Delete"
        return "FAILED", f"unknown RequestType {clip(repr(request), 100)}: {expected}", None
    problem = malformed(event)
    if problem:
        return "FAILED", f"malformed event: {problem}", None
    return invalidate(event, deadline)


def malformed(event: dict[str, Any]) -> str:
    for key in ("RequestId", "StackId", "LogicalResourceId"):
        if not text(event, key):
            return f"{key} must be a non-empty string"
    properties = event.get("ResourceProperties")
    if not isinstance(properties, dict):
        return "ResourceProperties must be an object"
    distribution = properties.get("DistributionId")
    if not isinstance(distribution, str) or not distribution:
        return "ResourceProperties.DistributionId must be a non-empty string"
    return ""


def invalidate(event: dict[str, Any], deadline: float) -> Outcome:
    distribution = event["ResourceProperties"]["DistributionId"]
    budget = deadline - time.monotonic() - RESPONSE_RESERVE_S
    if budget < MIN_API_S:
        return "FAILED", "too little time left to call CloudFront; raise the timeout", None
    try:
        # Imported here: a runtime without the SDK then answers FAILED (and Delete SUCCESS)
        # instead of failing to start and leaving the stack waiting.
        import boto3
        from botocore.config import Config

        per_try = max(1.0, budget / API_ATTEMPTS - 1.0)  # botocore waits <= 1 s, then <= 2 s
        connect = min(5.0, per_try / 3)
        config = Config(
            connect_timeout=connect,
            read_timeout=per_try - connect,
            retries={"mode": "standard", "total_max_attempts": API_ATTEMPTS},
        )
        answer = boto3.client("cloudfront", config=config).create_invalidation(
            DistributionId=distribution,
            InvalidationBatch={
                # A new reference on every deploy: returning to earlier routes invalidates again.
                "CallerReference": event["RequestId"],
                "Paths": {"Quantity": 1, "Items": ["/*"]},
            },
        )
    except Exception as error:
        code = error_code(error)
        message = f"CreateInvalidation of {distribution} failed: {code}: {error}"
        if code == "NoSuchDistribution":
            # Nothing is left to invalidate; failing would only block a rollback or teardown.
            return "SUCCESS", message, {"Error": clip(message, 500)}
        return "FAILED", message, None
    found = answer.get("Invalidation") if isinstance(answer, dict) else None
    ident = found.get("Id") if isinstance(found, dict) else None
    if not isinstance(ident, str):
        return "SUCCESS", f"invalidated /* of {distribution}", None
    reason = f"invalidation {ident} of /* of {distribution} started"
    return "SUCCESS", reason, {"InvalidationId": ident}


def error_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    details = response.get("Error") if isinstance(response, dict) else None
    code = details.get("Code") if isinstance(details, dict) else None
    return code if isinstance(code, str) else type(error).__name__


def physical_id(event: dict[str, Any]) -> str:
    # Create names the resource after its logical id; later requests echo the id CloudFormation
    # sends, so it never changes (a new one would make CloudFormation delete the old one).
    if event.get("RequestType") != "Create" and text(event, "PhysicalResourceId"):
        return text(event, "PhysicalResourceId")
    return text(event, "LogicalResourceId") or "CdnInvalidation"


def response_body(
    event: dict[str, Any], status: str, reason: str, data: dict[str, str] | None
) -> bytes:
    # The shorter tries are only for a malformed event or a long error of escaped characters.
    for limit in (1000, 200, 40):
        fields: dict[str, Any] = {
            "Status": status,
            "Reason": clip(reason, limit),
            "PhysicalResourceId": clip(physical_id(event), 3 * limit),
            "StackId": clip(text(event, "StackId"), 3 * limit),
            "RequestId": clip(text(event, "RequestId"), 3 * limit),
            "LogicalResourceId": clip(text(event, "LogicalResourceId"), 3 * limit),
        }
        if data and limit == 1000:
            fields["Data"] = data
        body = json.dumps(fields, ensure_ascii=False).encode()
        if len(body) <= MAX_BODY:
            break
    return body


def deliver(url: str, body: bytes, deadline: float) -> bool:
    headers = {"content-type": "", "content-length": str(len(body))}
    for attempt in range(PUT_ATTEMPTS):
        timeout = min(PUT_TIMEOUT_S, deadline - time.monotonic() - SAFETY_S)
        if timeout <= 0:
            break
        request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return True
        except Exception as error:  # HTTP errors, refused connections, timeouts
            LOG.warning("answer %d of %d failed: %s", attempt + 1, PUT_ATTEMPTS, error)
        if attempt + 1 < PUT_ATTEMPTS:
            pause = min(PUT_BACKOFF_S * 2**attempt, deadline - time.monotonic() - 2 * SAFETY_S)
            time.sleep(max(0.0, pause))
    LOG.error("CloudFormation not answered; it fails the resource after its ServiceTimeout")
    return False


def remaining_seconds(context: Any) -> float:
    try:
        remaining = float(context.get_remaining_time_in_millis()) / 1000
    except Exception:  # no Lambda context: assume the function's timeout
        remaining = DEFAULT_REMAINING_S
    return remaining if 0 < remaining <= MAX_REMAINING_S else DEFAULT_REMAINING_S


def text(event: dict[str, Any], key: str) -> str:
    value = event.get(key)
    return value if isinstance(value, str) else ""


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


def describe(event: Any) -> str:
    if not isinstance(event, dict):
        return f"not an object: {clip(repr(event), 200)}"
    keys = ("RequestType", "LogicalResourceId", "PhysicalResourceId", "RequestId", "StackId")
    return clip(repr({key: event.get(key) for key in keys}), 1000)
"""


_INVALIDATION_TIMEOUT = Duration.minutes(1)  # DEFAULT_REMAINING_S in the code above
_INVALIDATION_SERVICE_TIMEOUT = Duration.minutes(5)
"""How long CloudFormation waits for an answer (one hour by default): a function that cannot
answer at all fails the resource after five minutes, well past the function's one."""


def cache_invalidation(
    scope: Construct, distribution: cloudfront.Distribution, fingerprint: Callable[[], str]
) -> CustomResource:
    """A custom resource that invalidates ``/*`` whenever ``fingerprint`` changes.

    Its function uses the request id as the invalidation's caller reference, so that returning
    to an earlier set of routes invalidates again. It answers CloudFormation on every path:

    * Create and Update start the invalidation and answer SUCCESS. When CloudFront refuses
      (after three tries) they answer FAILED with CloudFront's error as the reason, so that a
      deploy whose cache cannot be invalidated is visible and rolls back; except when the
      distribution no longer exists (``NoSuchDistribution``): nothing is left to invalidate,
      so the answer is SUCCESS with the error in the reason and in ``Data.Error``.
    * Delete answers SUCCESS without calling CloudFront: an invalidation cannot be undone, and
      a failed Delete would block a rollback or the stack's deletion.
    * An unknown request type or a malformed event answers FAILED (a Delete still SUCCESS); an
      event without a response URL can only be logged.
    * The physical id is the logical id on Create and echoed afterwards: it never changes, so
      CloudFormation never deletes a replaced one.
    * CloudFront gets the function's minute less 20 seconds kept for the answer, which is tried
      four times with backoff; ``ServiceTimeout`` fails the resource after five minutes (not
      an hour) if the function cannot answer at all.

    A rollback sends an Update with the earlier properties, which the function cannot tell
    from a deploy: it invalidates again, which is right since the earlier routes return. If
    CloudFront still refuses, the rollback fails too; ``aws cloudformation
    continue-update-rollback --resources-to-skip`` with the resource's logical id skips it.
    """
    function = own_function(
        scope,
        "Invalidation",
        code=INVALIDATION_CODE,
        description="Invalidates the CDN cache after a deploy that changes the routes",
        timeout=_INVALIDATION_TIMEOUT,
        statements=[
            iam.PolicyStatement(
                actions=["cloudfront:CreateInvalidation"],
                resources=[distribution.distribution_arn],
            )
        ],
        acknowledgments=[
            Acknowledgment(
                id="Serverless-LambdaDLQ",
                reason="CloudFormation invokes this custom resource function and learns its "
                "outcome from the response URL (or times it out); a dead-letter queue would "
                "hold nothing to act on",
            ),
            Acknowledgment(
                id="Serverless-LambdaTracing",
                reason="a one-call custom resource function that runs once per deploy; X-Ray "
                "would need wildcard permissions for no insight",
            ),
        ],
    )
    return CustomResource(
        scope,
        "Invalidation",
        service_token=function.function_arn,
        resource_type="Custom::CdnInvalidation",
        service_timeout=_INVALIDATION_SERVICE_TIMEOUT,
        properties={
            "DistributionId": distribution.distribution_id,
            "Fingerprint": Lazy.string(_Fingerprint(fingerprint)),
        },
    )
