"""Helpers for values that may be CDK tokens: tokens are resolved at deploy time, never validated.

The checks are done in Python on the encoded form of tokens, so that validating hundreds of
route keys costs no round trip to the jsii kernel.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Token

_STRING_TOKEN_MARKERS = ("${Token[", "#{Token[")
# Number tokens are encoded as very large negative doubles (about -1.888e+289).
_NUMBER_TOKEN_CEILING = -1e288


def is_unresolved(value: Any) -> bool:
    """Whether ``value`` is, or contains, a token that only CloudFormation can resolve."""
    if isinstance(value, str):
        return any(marker in value for marker in _STRING_TOKEN_MARKERS)
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value < _NUMBER_TOKEN_CEILING and Token.is_unresolved(value)
    return False
