"""Helpers for jsii values: CDK tokens (resolved at deploy time, never validated) and jsii
interfaces.

The checks are done in Python, on the encoded form of tokens and on the interfaces a jsii class
declares, so that validating hundreds of routes costs no round trip to the jsii kernel.
"""

from __future__ import annotations

import functools
import math
import re
import weakref
from typing import Any, Literal

from aws_cdk import Duration, Token
from aws_cdk import aws_apigatewayv2 as apigwv2
from constructs import IConstruct

_STRING_TOKEN_MARKERS = ("${Token[", "#{Token[")
# Number tokens are encoded as very large negative doubles (about -1.888e+289).
_NUMBER_TOKEN_CEILING = -1e288


def is_unresolved(value: Any) -> bool:
    """Whether ``value`` is, or contains, a token that only CloudFormation can resolve."""
    if isinstance(value, str):
        return any(marker in value for marker in _STRING_TOKEN_MARKERS)
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        # NaN and infinities never reach the kernel: jsii cannot serialize them, and its
        # engine does not survive the attempt.
        return math.isfinite(value) and value < _NUMBER_TOKEN_CEILING and Token.is_unresolved(value)
    if isinstance(value, int):
        return False
    return False


def implements(value: object, interface: type) -> bool:
    """Whether a jsii object implements ``interface``, a jsii interface.

    jsii interfaces are protocols without ``isinstance`` support, so the interfaces a class
    declares (and the interfaces those extend) are compared instead. Objects that jsii returns
    through an interface type arrive as a dynamic proxy over several delegates; any delegate
    that implements ``interface`` counts.
    """
    proxy_class = getattr(interface, "__jsii_proxy_class__", None)
    if proxy_class is None:
        return False
    target = proxy_class()
    delegates = getattr(value, "_delegates", None) if _is_dynamic_proxy(value) else None
    for part in delegates or [value]:
        if isinstance(part, target):
            return True
        for declared in getattr(type(part), "__jsii_ifaces__", ()):
            declared_proxy = getattr(declared, "__jsii_proxy_class__", None)
            if declared is interface or (
                declared_proxy is not None and issubclass(declared_proxy(), target)
            ):
                return True
    return False


def _is_dynamic_proxy(value: object) -> bool:
    return type(value).__name__ == "InterfaceDynamicProxy" and type(value).__module__.startswith(
        "jsii."
    )


_PATHS: weakref.WeakKeyDictionary[IConstruct, str] = weakref.WeakKeyDictionary()


def node_path(construct: IConstruct) -> str:
    """``construct.node.path``, read from the jsii kernel once per construct (two round trips)
    and remembered: a construct's path never changes once it exists."""
    try:
        return _PATHS[construct]
    except (KeyError, TypeError):
        path = construct.node.path
    try:
        _PATHS[construct] = path
    except TypeError:  # an object that cannot be weakly referenced: not remembered
        pass
    return path


_ID_SEPARATORS = re.compile("[/\n]")


def remember_path(construct: IConstruct, scope: IConstruct, construct_id: str) -> None:
    """Remember the path of ``construct``, just defined as ``construct_id`` in ``scope``, from
    its scope's, as the constructs library builds it (``/`` or a newline in an id is written
    ``--``): no round trip when it is asked for."""
    parent = node_path(scope)
    own = _ID_SEPARATORS.sub("--", construct_id)
    _PATHS[construct] = f"{parent}/{own}" if parent else own


# jsii values that never change, read from the kernel once per process: each read of a static
# property or call of a static method is a round trip.


@functools.cache
def duration_millis(millis: int) -> Duration:
    """``Duration.millis(millis)``; a Duration is immutable, so one per value is shared."""
    return Duration.millis(millis)


@functools.cache
def payload_format_version(version: Literal["1.0", "2.0"]) -> apigwv2.PayloadFormatVersion:
    """``PayloadFormatVersion.VERSION_1_0`` or ``VERSION_2_0``."""
    if version == "1.0":
        return apigwv2.PayloadFormatVersion.VERSION_1_0
    return apigwv2.PayloadFormatVersion.VERSION_2_0
