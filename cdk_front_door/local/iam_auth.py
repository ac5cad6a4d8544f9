"""IAM authorization: requests signed with Signature Version 4, checked against credentials
given locally.

https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html:
a route with IAM authorization needs a request signed with SigV4 for the ``execute-api``
service; an unsigned request or a bad signature is refused with 403. The caller's identity
reaches the integration as ``requestContext.authorizer.iam``. Locally the signature is computed
again with botocore from the secret of the access key given to the server; there is no IAM
policy evaluation (every known key may call every IAM route).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from typing import Any

from .assembly import LOCAL_ACCOUNT
from .payloads import HttpRequest, HttpResponse

_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, ?SignedHeaders=(?P<headers>[^,]+), ?"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


def authorize_iam(
    request: HttpRequest, credentials: Mapping[str, str], url: str
) -> dict[str, Any] | HttpResponse:
    """The ``iam`` authorizer context when ``request`` (sent to ``url``) is signed by one of
    ``credentials`` (secret keys by access key id), else API Gateway's 403."""
    from botocore.auth import SigV4Auth  # noqa: PLC0415 - the local extra is optional
    from botocore.awsrequest import AWSRequest  # noqa: PLC0415
    from botocore.credentials import Credentials  # noqa: PLC0415

    denied = HttpResponse.message(403, "Forbidden")
    match = _AUTHORIZATION.match(",".join(request.headers.get("authorization", [])))
    amz_date = ",".join(request.headers.get("x-amz-date", []))
    if match is None or not amz_date or match["service"] != "execute-api":
        return denied
    secret = credentials.get(match["key"])
    if secret is None:
        return denied
    signed = match["headers"].split(";")
    headers = {name: ",".join(request.headers.get(name, [])) for name in signed}
    aws_request = AWSRequest(method=request.method, url=url, data=request.body, headers=headers)
    aws_request.context["timestamp"] = amz_date
    signer = SigV4Auth(
        Credentials(match["key"], secret, token=headers.get("x-amz-security-token") or None),
        "execute-api",
        match["region"],
    )
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    if not hmac.compare_digest(expected, match["signature"]):
        return denied
    return {
        "iam": {
            "accessKey": match["key"],
            "accountId": LOCAL_ACCOUNT,
            "callerId": match["key"],
            "principalOrgId": None,
            "userArn": f"arn:aws:iam::{LOCAL_ACCOUNT}:user/{match['key']}",
            "userId": match["key"],
            "cognitoIdentity": None,
        }
    }
