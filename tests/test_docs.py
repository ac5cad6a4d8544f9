"""Every optional parameter of the public API documents its default (aws-cdk's awslint rule)."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable
from typing import Any

import pytest

import cdk_front_door
from cdk_front_door import (
    AccessLogs,
    Alarms,
    BatchJob,
    CacheRule,
    Cdn,
    CognitoAuth,
    Container,
    ContainerService,
    Cors,
    CustomDomain,
    HttpApiGateway,
    HttpUrl,
    JwtAuth,
    LambdaAuth,
    Public,
    PutEvent,
    SendMessage,
    StartExecution,
    StopExecution,
    Throttle,
    Waf,
)

_PARAM = re.compile(r":param (\w+):(.*?)(?=\n\s*:param |\n\s*:returns|\Z)", re.S)


def _param_docs(doc: str | None) -> dict[str, str]:
    return {name: " ".join(text.split()) for name, text in _PARAM.findall(doc or "")}


def _optional_parameters(func: Callable[..., Any]) -> list[str]:
    return [
        name
        for name, parameter in inspect.signature(func).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    ]


CALLABLES: list[tuple[str, Callable[..., Any], str | None]] = [
    ("HttpApiGateway", HttpApiGateway.__init__, HttpApiGateway.__doc__),
    ("HttpApiGateway.add_route", HttpApiGateway.add_route, HttpApiGateway.add_route.__doc__),
    ("HttpUrl", HttpUrl.__init__, HttpUrl.__doc__),
    ("ContainerService", ContainerService.__init__, ContainerService.__doc__),
    ("BatchJob", BatchJob.__init__, BatchJob.__doc__),
    ("StartExecution", StartExecution.__init__, StartExecution.__doc__),
    ("StopExecution", StopExecution.__init__, StopExecution.__doc__),
    ("SendMessage", SendMessage.__init__, SendMessage.__doc__),
    ("PutEvent", PutEvent.__init__, PutEvent.__doc__),
]
DATACLASSES = [
    Cors,
    AccessLogs,
    Alarms,
    Public,
    JwtAuth,
    CognitoAuth,
    LambdaAuth,
    Throttle,
    CustomDomain,
    Cdn,
    CacheRule,
    Waf,
    Container,
]
# The one field a reader expects first, as in CustomDomain("api.example.com", ...).
POSITIONAL = {"domain_name", "path_pattern", "name", "issuer", "user_pool", "function"}


@pytest.mark.parametrize(("name", "func", "doc"), CALLABLES, ids=[c[0] for c in CALLABLES])
def test_every_optional_parameter_documents_its_default(
    name: str, func: Callable[..., Any], doc: str | None
) -> None:
    docs = _param_docs(doc)
    for parameter in _optional_parameters(func):
        assert parameter in docs, f"{name}: :param {parameter}: is missing"
        assert "Default:" in docs[parameter], f"{name}: {parameter} does not say its default"
        assert "Default: None" not in docs[parameter], f"{name}: {parameter} says 'None'"


@pytest.mark.parametrize("cls", DATACLASSES, ids=lambda cls: cls.__name__)
def test_every_option_field_is_documented(cls: type) -> None:
    docs = _param_docs(cls.__doc__)
    for field in dataclasses.fields(cls):
        assert field.name in docs, f"{cls.__name__}: :param {field.name}: is missing"
        has_default = field.default is not dataclasses.MISSING
        if has_default:
            assert "Default:" in docs[field.name], f"{cls.__name__}.{field.name} has no default doc"


@pytest.mark.parametrize(("cls"), DATACLASSES, ids=lambda cls: cls.__name__)
def test_option_groups_are_frozen_and_keyword_only(cls: type) -> None:
    params = dataclasses.fields(cls)
    assert all(field.kw_only for field in params if field.name not in POSITIONAL)
    instance_args = {
        field.name: "x"
        for field in params
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    }
    instance = cls(**instance_args)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(instance, params[0].name, 2)


def test_public_names_are_exported_and_documented() -> None:
    for name in cdk_front_door.__all__:
        value = getattr(cdk_front_door, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, f"{name} has no docstring"
