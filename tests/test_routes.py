from __future__ import annotations

import pytest
from aws_cdk import Stack

from cdk_front_door import FrontDoorValidationError
from cdk_front_door.routes import RouteKey, parse_route_key


@pytest.mark.parametrize(
    ("route_key", "method", "path"),
    [
        ("GET /users", "GET", "/users"),
        ("GET /", "GET", "/"),
        ("POST /users/{id}/orders", "POST", "/users/{id}/orders"),
        ("ANY /{proxy+}", "ANY", "/{proxy+}"),
        ("* /files/{key+}", "ANY", "/files/{key+}"),
        ("DELETE /v1.2/items_x/{item_id}", "DELETE", "/v1.2/items_x/{item_id}"),
        ("OPTIONS /a:b.c_d-e", "OPTIONS", "/a:b.c_d-e"),
        ("GET /users/{user-id}/{v1.x}", "GET", "/users/{user-id}/{v1.x}"),
    ],
)
def test_parses_valid_route_keys(stack: Stack, route_key: str, method: str, path: str) -> None:
    key = parse_route_key(stack, route_key)
    assert (key.method, key.path) == (method, path)
    assert key.value == f"{method} {path}"


def test_star_is_an_alias_of_any(stack: Stack) -> None:
    assert parse_route_key(stack, "* /a") == parse_route_key(stack, "ANY /a")


def test_parses_default_route(stack: Stack) -> None:
    key = parse_route_key(stack, "$default")
    assert key.is_default
    assert key.value == "$default"
    assert key.matches_every_method


def test_construct_ids_have_no_slash_and_are_one_to_one(stack: Stack) -> None:
    keys = ["GET /a-b", "GET /a/b", "GET /a--b", "GET /a_b", "$default"]
    ids = [parse_route_key(stack, key).construct_id for key in keys]
    assert all("/" not in construct_id for construct_id in ids)
    assert len(set(ids)) == len(ids)


def test_shape_ignores_parameter_names(stack: Stack) -> None:
    first = parse_route_key(stack, "GET /users/{id}/{rest+}")
    second = parse_route_key(stack, "GET /users/{user_id}/{path+}")
    assert first.shape == second.shape
    assert first.value != second.value


def test_route_key_is_immutable() -> None:
    key = RouteKey(method="GET", path="/a")
    with pytest.raises(AttributeError):
        key.method = "POST"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("route_key", "message"),
    [
        ("FETCH /users", r"invalid method 'FETCH'.*allowed methods are ANY, GET, POST"),
        ("get /users", r"invalid method 'get'.*in upper case"),
        ("GET users", r"path must start with '/', got 'users'"),
        ("GET /{proxy+}/more", r"greedy parameter '\{proxy\+\}' must be the last segment"),
        ("GET /users/{id", r"malformed parameter segment '\{id'"),
        ("GET /users/id}", r"malformed parameter segment 'id\}'"),
        ("GET /users/{}", r"malformed parameter segment '\{\}'"),
        ("GET /users/x{id}", r"malformed parameter segment 'x\{id\}'"),
        ("GET /users/{id!}", r"malformed parameter segment '\{id!\}'"),
        ("GET /a@b", r"segment 'a@b' has a character that is not allowed"),
        ("GET /a,b", r"segment 'a,b' has a character that is not allowed"),
        ("GET $default", r"'\$default' takes no method"),
        ("/users", r"expected '<method> <path>'"),
        ("GET  /users", r"expected '<method> <path>'"),
        ("GET /users extra", r"expected '<method> <path>'"),
        ("", r"expected '<method> <path>'"),
        ("GET /a//b", r"empty segment"),
        ("GET /a/", r"must not end with '/'"),
        ("GET /a b", r"expected '<method> <path>'"),
        ("GET /a?b=1", r"segment 'a\?b=1' has a character that is not allowed"),
        ("GET /{id}/{id}", r"parameter 'id' appears more than once"),
        ("GET /" + "a" * 1100, r"at most 1024 are allowed"),
    ],
)
def test_fails_on_invalid_route_key(stack: Stack, route_key: str, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        parse_route_key(stack, route_key)


@pytest.mark.parametrize(
    ("route_key", "segment"),
    [
        ("GET /.", r"'\.'"),
        ("GET /..", r"'\.\.'"),
        ("GET /a/../b", r"'\.\.'"),
        ("GET /a/./b", r"'\.'"),
        ("ANY /files/../{proxy+}", r"'\.\.'"),
        ("GET /{id}/..", r"'\.\.'"),
    ],
)
def test_fails_when_path_has_a_dot_segment(stack: Stack, route_key: str, segment: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"invalid path in route key .*: segment {segment} is removed from URLs by clients"
        r".*use segments other than '\.' and '\.\.'",
    ):
        parse_route_key(stack, route_key)


def test_dots_inside_a_segment_are_allowed(stack: Stack) -> None:
    for route_key in ("GET /a.b", "GET /.well-known/x", "GET /...", "GET /v1..2"):
        assert parse_route_key(stack, route_key).value == route_key


def test_fails_when_route_key_is_not_a_string(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"route key must be a string.*got int 42"):
        parse_route_key(stack, 42)  # type: ignore[arg-type]


def test_error_message_ends_with_the_construct_path(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError) as info:
        parse_route_key(stack, "GET nope")
    assert str(info.value).endswith("(at TestStack)")
    assert info.value.construct_path == "TestStack"
    assert isinstance(info.value, ValueError)
