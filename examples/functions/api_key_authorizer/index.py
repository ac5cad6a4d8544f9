"""A Lambda authorizer for the examples (simple responses, payload format 2.0).

It accepts a request whose ``Authorization: Bearer <key>`` header carries a key that hashes
(SHA-256) to ``API_KEY_SHA256``, and passes a context to the route's integration, which reads
it as ``event["requestContext"]["authorizer"]["lambda"]``.
"""

import hashlib
import hmac
import os
from typing import Any


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    header = (event.get("headers") or {}).get("authorization", "")
    key = header.removeprefix("Bearer ").strip()
    digest = hashlib.sha256(key.encode()).hexdigest()
    authorized = hmac.compare_digest(digest, os.environ["API_KEY_SHA256"])
    return {
        "isAuthorized": authorized,
        "context": {"caller": os.environ.get("CALLER", "api-key")} if authorized else {},
    }
