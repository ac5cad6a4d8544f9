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
from typing_extensions import is_protocol

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
    """Whether ``value`` implements ``interface``, a jsii interface or class.

    jsii interfaces are ``typing.Protocol`` classes without ``isinstance`` support, so a value
    implements one when its class has every public member the protocol declares (with those of
    the interfaces it extends), as a static type checker sees it: classes of aws-cdk-lib, the
    proxies of imported resources and a user's own ``@jsii.implements`` classes alike. This
    reads no property (each read is a round trip to the jsii kernel).

    jsii returns some values (many imported resources, such as
    ``UserPoolClient.from_user_pool_client_id``) as one object standing for several
    interfaces, whose class declares none of their members: such a value must have the
    members the interface itself adds to the interfaces it extends, which are read once each.
    """
    if not is_protocol(interface):
        return isinstance(value, interface)
    members = _members(interface)
    if not members:
        return False
    klass: Any = type(value)
    if _declares(klass, interface):
        return True
    return all(_has(value, name) for name in _own_members(interface) or members)


def _has(value: object, name: str) -> bool:
    """Whether ``value`` has the attribute ``name``, read through whatever stands behind it."""
    try:
        getattr(value, name)
    except AttributeError:
        return False
    except Exception:  # noqa: BLE001 - it exists; reading it failed (some are not available on imported resources)
        return True
    return True


@functools.cache
def _members(interface: type) -> frozenset[str]:
    """The public members of a protocol and of the protocols it extends."""
    names: set[str] = set()
    for klass in interface.__mro__:
        if klass is object or klass.__module__ in ("typing", "typing_extensions"):
            continue
        names.update(_own_members(klass))
    return frozenset(names)


@functools.cache
def _own_members(klass: type) -> frozenset[str]:
    """The public members ``klass`` itself defines."""
    return frozenset(name for name in vars(klass) if not name.startswith("_"))


@functools.cache
def _declares(klass: type, interface: type) -> bool:
    """Whether ``klass`` has every member of ``interface``."""
    return all(hasattr(klass, name) for name in _members(interface))


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
