"""The one exception type that every bad configuration raises at synth time, and the one typed
value checker that every construct uses before a value reaches jsii or aws-cdk-lib.

``check(scope, "command", value, list[str])`` accepts exactly what the annotation says (a
string is not a list of strings, a bool is not a number, NaN and infinities are not numbers)
and raises :class:`FrontDoorValidationError` naming the parameter, the value and what is
allowed otherwise. CloudFormation tokens are accepted where their type fits: a string token
for ``str``, a number token for ``int`` and ``float``; they are never shown in a message.
"""

from __future__ import annotations

import enum
import math
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeVar, Union, overload

from constructs import IConstruct
from typing_extensions import is_protocol

T = TypeVar("T")


class FrontDoorValidationError(ValueError):
    """An invalid or contradictory configuration, found before anything is created.

    The message names the bad value and what is allowed, and ends with the path of the
    construct that rejected it, so that it can be found in a large app.
    """

    def __init__(self, scope: IConstruct, message: str) -> None:
        self.construct_path = scope.node.path
        self.detail = message
        super().__init__(f"{message} (at {self.construct_path})")


@overload
def check(scope: IConstruct, what: str, value: object, expected: type[T]) -> T: ...
@overload
def check(scope: IConstruct, what: str, value: object, expected: object) -> Any: ...
def check(scope: IConstruct, what: str, value: object, expected: object) -> Any:
    """Return ``value`` when it is of the type ``expected`` describes, else raise
    :class:`FrontDoorValidationError` for ``what`` (the parameter's name, as the user wrote it).

    ``expected`` is a type annotation: ``str``, ``bool``, ``int`` (whole numbers), ``float``
    (finite numbers), an ``Enum``, a class (jsii classes included), a jsii interface (such as
    ``lambda_.IFunction``), ``Literal[...]``, ``list[X]`` or ``Sequence[X]`` (a list or tuple,
    never a string), ``Mapping[K, V]``, or a union of these (``X | None``).
    """
    problem = _problem(what, value, expected)
    if problem is not None:
        raise FrontDoorValidationError(scope, problem)
    return value


def check_number(
    scope: IConstruct,
    what: str,
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
    unit: str = "",
    needed_at_synth: str | None = None,
) -> None:
    """Check a number (a whole number with ``whole``) in ``[minimum, maximum]``. A number token
    passes unchecked, unless ``needed_at_synth`` says what the value is needed for before
    CloudFormation could resolve it: then a token is refused with that reason."""
    check(scope, what, value, int if whole else float)
    assert isinstance(value, int | float)
    if _is_token(value):
        if needed_at_synth is not None:
            raise FrontDoorValidationError(
                scope, f"{what} must be known at synth time ({needed_at_synth}), got a token"
            )
        return
    low = "" if minimum is None else f"{minimum:g}"
    high = "" if maximum is None else f"{maximum:g}"
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        span = (
            f"from {low} to {high}"
            if low and high
            else (f"at least {low}" if low else f"at most {high}")
        )
        kind = "a whole number" if whole else "a number"
        suffix = f" {unit}" if unit else ""
        raise FrontDoorValidationError(
            scope, f"{what} must be {kind} {span}{suffix}, got {_shown(value)}"
        )


def describe(expected: object) -> str:
    """What ``expected`` allows, in words: ``a list of strings``, ``true or false``..."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (Union, types.UnionType):
        parts = [describe(arg) for arg in args if arg is not type(None)]
        text = " or ".join(parts)
        return f"{text} or None" if type(None) in args else text
    if origin is Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    if origin in (list, Sequence, tuple):
        return f"a list of {_plural(describe(args[0]))}" if args else "a list"
    if origin in (dict, Mapping):
        return f"a mapping of {_plural(describe(args[0]))} to {_plural(describe(args[1]))}"
    return _SIMPLE.get(expected, None) or _describe_class(expected)


_SIMPLE: dict[object, str] = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    float: "a finite number",
    type(None): "None",
    object: "anything",
}


def _describe_class(expected: object) -> str:
    name = getattr(expected, "__name__", repr(expected))
    module = getattr(expected, "__module__", "") or ""
    if module.startswith("aws_cdk.aws_"):
        # As aws-cdk-lib's modules are imported by convention: ``aws_ec2 as ec2``.
        alias = module.removeprefix("aws_cdk.aws_")
        name = f"{alias}_.{name}" if alias == "lambda" else f"{alias}.{name}"
    article = _article(name)
    if isinstance(expected, type) and issubclass(expected, enum.Enum):
        members = ", ".join(member.name for member in list(expected)[:8])
        more = ", ..." if len(expected) > 8 else ""
        return f"{article} {name} ({members}{more})"
    return f"{article} {name}"


def _article(name: str) -> str:
    """``a`` or ``an`` before ``name``; a first part without vowels (``s3``, ``sqs``) is
    spelled out letter by letter (an s3.IBucket, an sqs.IQueue)."""
    head = name.split(".", 1)[0].lower()
    if not any(vowel in head for vowel in "aeiou"):
        return "an" if head[:1] in "fhlmnrsx" else "a"
    return "an" if head[:1] in "aeiou" else "a"


def _plural(description: str) -> str:
    """``a string`` -> ``strings``, for element types in list and mapping descriptions."""
    if " or " in description:
        return f"({description})"
    for article in ("a ", "an "):
        if description.startswith(article):
            noun = description[len(article) :]
            head, _, tail = noun.partition(" ")
            return f"{head}s {tail}".rstrip() if not head.endswith("s") else noun
    return description


def _problem(what: str, value: object, expected: object) -> str | None:
    """Why ``value`` does not fit ``expected`` (a sentence), or None when it fits."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (Union, types.UnionType):
        return _union_problem(what, value, expected, args)
    if origin is Literal:
        return None if any(_same(value, arg) for arg in args) else _wrong(what, value, expected)
    if origin in (list, Sequence, tuple):
        return _sequence_problem(what, value, expected, args)
    if origin in (dict, Mapping):
        return _mapping_problem(what, value, expected, args)
    return None if _fits(value, expected) else _wrong(what, value, expected)


def _union_problem(what: str, value: object, expected: object, args: tuple[Any, ...]) -> str | None:
    if any(_problem(what, value, arg) is None for arg in args):
        return None
    # A value of the right outer shape gets the precise reason of that member.
    for arg in args:
        if _shape_fits(value, arg):
            return _problem(what, value, arg)
    return _wrong(what, value, expected)


def _same(value: object, allowed: object) -> bool:
    return type(value) is type(allowed) and value == allowed


def _sequence_problem(
    what: str, value: object, expected: object, args: tuple[Any, ...]
) -> str | None:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        return _wrong(what, value, expected)
    if args:
        for index, item in enumerate(value):
            problem = _problem(f"{what}[{index}]", item, args[0])
            if problem is not None:
                return problem
    return None


def _mapping_problem(
    what: str, value: object, expected: object, args: tuple[Any, ...]
) -> str | None:
    if not isinstance(value, Mapping):
        return _wrong(what, value, expected)
    key_type, value_type = args if args else (object, object)
    for key, item in value.items():
        problem = _problem(f"{what} key {_shown(key)}", key, key_type)
        if problem is None:
            problem = _problem(f"{what}[{_shown(key)}]", item, value_type)
        if problem is not None:
            return problem
    return None


def _fits_int(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and _is_token(value))


def _fits_float(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        # jsii sends numbers as doubles: a larger whole number would arrive as infinity.
        return abs(value) <= sys.float_info.max
    return _is_token(value) or math.isfinite(value)


_SCALARS: dict[object, Callable[[object], bool]] = {
    object: lambda value: True,
    type(None): lambda value: value is None,
    bool: lambda value: value is True or value is False,
    int: _fits_int,
    float: _fits_float,
}


def _fits(value: object, expected: object) -> bool:
    scalar = _SCALARS.get(expected)
    if scalar is not None:
        return scalar(value)
    if isinstance(expected, type) and is_protocol(expected):  # a jsii interface
        from ._jsii import implements  # noqa: PLC0415 - keeps this module free of aws_cdk

        return implements(value, expected)
    if isinstance(expected, type):
        return isinstance(value, expected)
    raise TypeError(f"check() cannot check values against {expected!r}")


def _shape_fits(value: object, expected: object) -> bool:
    """Whether ``value`` has the outer shape of ``expected`` (a list for a list type...)."""
    origin = typing.get_origin(expected)
    if origin in (list, Sequence, tuple):
        return isinstance(value, list | tuple)
    if origin in (dict, Mapping):
        return isinstance(value, Mapping)
    if expected is float or expected is int:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return False


def _is_token(value: float) -> bool:
    from ._jsii import is_unresolved  # noqa: PLC0415 - keeps this module free of aws_cdk

    return is_unresolved(value)


def _wrong(what: str, value: object, expected: object) -> str:
    if (
        isinstance(value, float)
        and not math.isfinite(value)
        and typing.get_origin(expected) is None
        and expected in (int, float)
    ):
        return f"{what} must be {describe(expected)}, got {_shown(value)}"
    return f"{what} must be {describe(expected)}, got {_kind(value)} {_shown(value)}"


def _kind(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "bool"
    return type(value).__name__


def _shown(value: object) -> str:
    """``repr(value)``, cut short, with tokens written as such (never their encoded form)."""
    from ._jsii import is_unresolved  # noqa: PLC0415 - keeps this module free of aws_cdk

    if isinstance(value, str | int | float) and is_unresolved(value):
        return "a token"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails is still reported
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."
