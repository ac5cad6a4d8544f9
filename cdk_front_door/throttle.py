"""Request throttling for a gateway's stage and for single routes."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from constructs import IConstruct

from ._jsii import is_unresolved
from .errors import FrontDoorValidationError


@dataclass(frozen=True, kw_only=True)
class Throttle:
    """Token-bucket throttling limits, as API Gateway applies them.

    :param rate_limit: steady-state requests per second (may be fractional), greater than 0.
    :param burst_limit: the bucket size: how many requests may arrive at once, a whole number
        greater than 0.
    """

    rate_limit: float
    burst_limit: int


_MAX_BURST_LIMIT = 2**31 - 1

DEFAULT_THROTTLE = Throttle(rate_limit=1000, burst_limit=500)
"""The stage throttling a gateway gets when none is given: 1,000 requests per second with
bursts of 500. Both are well under the default account quota (10,000 rps, burst 5,000)."""


def _finite(value: float) -> bool:
    """Whether ``value`` is a finite number jsii can send (a double)."""
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return math.isfinite(value)


def validate_throttle(scope: IConstruct, throttle: object, what: str) -> Throttle:
    """Check ``throttle`` and return it. A zero limit would make API Gateway answer every call
    with 429, so limits must be greater than 0; CloudFormation tokens are not checked."""
    if not isinstance(throttle, Throttle):
        raise FrontDoorValidationError(
            scope,
            f"{what} must be a Throttle(rate_limit=..., burst_limit=...), got "
            f"{type(throttle).__name__} {throttle!r}",
        )
    rate, burst = throttle.rate_limit, throttle.burst_limit
    if not is_unresolved(rate):
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not _finite(rate)
            or rate <= 0
        ):
            raise FrontDoorValidationError(
                scope,
                f"{what} rate_limit must be a number of requests per second greater than 0, "
                f"got {rate!r} (a limit of 0 rejects every request with 429)",
            )
    if not is_unresolved(burst):
        if isinstance(burst, bool) or not isinstance(burst, (int, float)):
            raise FrontDoorValidationError(
                scope, f"{what} burst_limit must be a whole number greater than 0, got {burst!r}"
            )
        if isinstance(burst, float) and (not math.isfinite(burst) or not float(burst).is_integer()):
            raise FrontDoorValidationError(
                scope,
                f"{what} burst_limit must be a whole number of requests, got the fraction "
                f"{burst!r}",
            )
        if burst > _MAX_BURST_LIMIT:
            raise FrontDoorValidationError(
                scope,
                f"{what} burst_limit {burst!r} is above {_MAX_BURST_LIMIT}, the largest whole "
                "number API Gateway stores",
            )
        if burst <= 0:
            raise FrontDoorValidationError(
                scope,
                f"{what} burst_limit must be greater than 0, got {burst!r} (a limit of 0 "
                "rejects every request with 429)",
            )
        if isinstance(burst, float):
            return Throttle(rate_limit=rate, burst_limit=int(burst))
    return throttle
