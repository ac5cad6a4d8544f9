"""The typed value checker every construct uses before a value reaches jsii."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import pytest
from aws_cdk import CfnParameter, Duration, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

from cdk_front_door.errors import FrontDoorValidationError, check, check_number
from tests.support import inline_function


@pytest.mark.parametrize(
    ("value", "expected", "message"),
    [
        ("echo hi", list[str], r"command must be a list of strings, got str 'echo hi'"),
        (["echo", 1], Sequence[str], r"command\[1\] must be a string, got int 1"),
        ({"A": 1}, Mapping[str, str], r"command\['A'\] must be a string, got int 1"),
        ({1: "a"}, Mapping[str, str], r"command key 1 must be a string, got int 1"),
        (float("nan"), float, r"command must be a finite number, got nan"),
        (float("inf"), float, r"command must be a finite number, got inf"),
        (float("-inf"), int, r"command must be a whole number, got -inf"),
        (True, float, r"command must be a finite number, got bool True"),
        (10**400, float, r"command must be a finite number, got int 1000000"),
        (1.5, int, r"command must be a whole number, got float 1.5"),
        (3, bool, r"command must be true or false, got int 3"),
        ("ONE_DAY", logs.RetentionDays, r"must be a logs.RetentionDays \(ONE_DAY, "),
        (5, Duration, r"command must be a Duration, got int 5"),
        ("arn:aws:lambda:...", lambda_.IFunction, r"must be a lambda_.IFunction, got str"),
        ("b", Literal["a", "c"], r"command must be one of 'a', 'c', got str 'b'"),
        (["a"], str | None, r"command must be a string or None, got list \['a'\]"),
        ([float("nan")], list[float] | None, r"command\[0\] must be a finite number, got nan"),
    ],
)
def test_fails_when_value_does_not_fit_its_type(
    stack: Stack, value: object, expected: object, message: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack\)"):
        check(stack, "command", value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["echo", "hi"], list[str]),
        (("echo",), Sequence[str]),
        ({"A": "1"}, Mapping[str, str]),
        (1, float),
        (2.5, float),
        (None, int | None),
        (logs.RetentionDays.ONE_DAY, logs.RetentionDays | int),
        ("c", Literal["a", "c"]),
    ],
)
def test_accepts_values_of_their_type(stack: Stack, value: object, expected: object) -> None:
    assert check(stack, "command", value, expected) is value


def test_accepts_functions_aliases_and_versions_as_ifunction(stack: Stack) -> None:
    function = inline_function(stack)
    for value in (function, function.current_version, function.latest_version):
        assert check(stack, "target", value, lambda_.IFunction) is value


def test_accepts_number_tokens_and_never_shows_their_encoded_value(stack: Stack) -> None:
    token = CfnParameter(stack, "Count", type="Number").value_as_number
    assert check(stack, "count", token, int) == token
    check_number(stack, "count", token, minimum=0, maximum=10, whole=True)
    with pytest.raises(FrontDoorValidationError) as raised:
        check(stack, "count", token, str)
    assert "e+289" not in str(raised.value)
    assert "a token" in str(raised.value)


def test_accepts_string_tokens_as_strings(stack: Stack) -> None:
    token = CfnParameter(stack, "Name").value_as_string
    assert check(stack, "name", token, str) == token


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (901, r"delay must be a whole number from 0 to 900 seconds, got 901"),
        (-1, r"delay must be a whole number from 0 to 900 seconds, got -1"),
        (1.5, r"delay must be a whole number, got float 1.5"),
        (math.nan, r"delay must be a whole number, got nan"),
    ],
)
def test_fails_when_number_is_out_of_range(stack: Stack, value: object, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        check_number(stack, "delay", value, minimum=0, maximum=900, whole=True, unit="seconds")


def test_infinities_never_reach_the_jsii_engine(stack: Stack) -> None:
    for value in (float("-inf"), float("inf"), float("nan")):
        with pytest.raises(FrontDoorValidationError):
            check(stack, "rate", value, float)
    # The engine still answers afterwards.
    assert Stack(stack.node.scope, "Another").node.path == "Another"  # type: ignore[arg-type]
