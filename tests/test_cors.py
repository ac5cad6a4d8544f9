from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Duration, Stack

from cdk_front_door import PUBLIC, Cors, FrontDoorValidationError, HttpApiGateway
from tests.support import inline_function, single, template_of

DEFAULT_HEADERS = [
    "authorization",
    "content-type",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-user-agent",
    "x-api-key",
]


def cors_of(stack: Stack) -> dict[str, Any]:
    config: dict[str, Any] = single(template_of(stack), "AWS::ApiGatewayV2::Api")["Properties"][
        "CorsConfiguration"
    ]
    return config


def test_cors_true_allows_any_origin_default_headers_and_route_methods(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True)
    fn = inline_function(stack)
    api.add_route("GET /a", fn, auth=PUBLIC)
    api.add_route("DELETE /a", fn, auth=PUBLIC)
    api.add_route("POST /b", fn, auth=PUBLIC)
    assert cors_of(stack) == {
        "AllowOrigins": ["*"],
        "AllowHeaders": DEFAULT_HEADERS,
        "AllowMethods": ["GET", "POST", "DELETE", "OPTIONS"],
        "AllowCredentials": False,
    }


def test_cors_methods_are_options_alone_before_any_route(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", cors=True)
    assert cors_of(stack)["AllowMethods"] == ["OPTIONS"]


@pytest.mark.parametrize("catch_all", ["ANY /files/{proxy+}", "* /x", "$default"])
def test_cors_methods_become_star_once_a_route_takes_every_method(
    stack: Stack, catch_all: str
) -> None:
    api = HttpApiGateway(stack, "Api", cors=True)
    fn = inline_function(stack)
    api.add_route("GET /a", fn, auth=PUBLIC)
    api.add_route(catch_all, fn, auth=PUBLIC)
    api.add_route("PUT /c", fn, auth=PUBLIC)
    assert cors_of(stack)["AllowMethods"] == ["*"]


def test_no_cors_configuration_by_default(stack: Stack) -> None:
    HttpApiGateway(stack, "Api")
    props = single(template_of(stack), "AWS::ApiGatewayV2::Api")["Properties"]
    assert "CorsConfiguration" not in props


def test_cors_false_configures_nothing(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", cors=False)
    props = single(template_of(stack), "AWS::ApiGatewayV2::Api")["Properties"]
    assert "CorsConfiguration" not in props


def test_cors_object_sets_every_field_with_lower_case_headers(stack: Stack) -> None:
    api = HttpApiGateway(
        stack,
        "Api",
        cors=Cors(
            allow_origins=["https://app.example.com", "http://localhost:3000"],
            allow_methods=["GET", "PUT", "DELETE"],
            allow_headers=["X-Custom", "Content-Type"],
            expose_headers=["X-Request-Id"],
            allow_credentials=True,
            max_age=Duration.hours(2),
        ),
    )
    api.add_route("POST /a", inline_function(stack), auth=PUBLIC)
    assert cors_of(stack) == {
        "AllowOrigins": ["https://app.example.com", "http://localhost:3000"],
        "AllowMethods": ["GET", "PUT", "DELETE"],
        "AllowHeaders": ["content-type", "x-custom"],
        "ExposeHeaders": ["x-request-id"],
        "AllowCredentials": True,
        "MaxAge": 7200,
    }


def test_cors_object_without_methods_derives_them_from_routes(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=Cors(allow_origins=["https://a.example.com"]))
    api.add_route("PATCH /a", inline_function(stack), auth=PUBLIC)
    assert cors_of(stack)["AllowMethods"] == ["PATCH", "OPTIONS"]


@pytest.mark.parametrize(
    ("cors", "message"),
    [
        (
            Cors(allow_credentials=True),
            r"cors allow_credentials=True is not allowed with the origin '\*'",
        ),
        (Cors(allow_origins=["example.com"]), r"invalid cors origin 'example.com'"),
        (
            Cors(allow_origins=["https://example.com/"]),
            r"invalid cors origin 'https://example.com/'",
        ),
        (Cors(allow_origins=["ftp://example.com"]), r"invalid cors origin 'ftp://example.com'"),
        (Cors(allow_origins=["https://example.com:99999"]), r"invalid cors origin"),
        (Cors(allow_origins=["https://example.com/app"]), r"invalid cors origin"),
        (Cors(allow_origins=["*", "https://a.example.com"]), r"mixes '\*' with other origins"),
        (Cors(allow_origins=[]), r"cors allow_origins is empty"),
        (Cors(allow_origins="https://a.example.com"), r"cors allow_origins must be a list"),
        (Cors(allow_methods=["FETCH"]), r"invalid cors method 'FETCH'.*GET, POST"),
        (Cors(allow_methods=["ANY"]), r"invalid cors method 'ANY'.*'\*' for all"),
        (Cors(allow_methods=[]), r"cors allow_methods is empty"),
        (
            Cors(allow_headers=["Bad Header"]),
            r"invalid header name 'Bad Header' in cors allow_headers",
        ),
        (Cors(expose_headers=["x:y"]), r"invalid header name 'x:y' in cors expose_headers"),
        (
            Cors(max_age=Duration.days(2)),
            r"cors max_age must be between 0 and 86400 seconds, got 172800",
        ),
        (Cors(max_age=30), r"cors max_age must be a Duration, got 30"),  # type: ignore[arg-type]
        (Cors(allow_credentials="yes"), r"cors allow_credentials must be true or false"),  # type: ignore[arg-type]
    ],
)
def test_fails_on_invalid_cors(stack: Stack, cors: Cors, message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        HttpApiGateway(stack, "Api", cors=cors)


def test_fails_when_cors_is_not_a_bool_or_cors(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"cors must be True, False or a Cors"):
        HttpApiGateway(stack, "Api", cors={"allow_origins": ["*"]})  # type: ignore[arg-type]


def test_cors_error_names_the_gateway_path(stack: Stack) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"\(at TestStack/Api\)$"):
        HttpApiGateway(stack, "Api", cors=Cors(allow_origins=["nope"]))


@pytest.mark.parametrize("catch_all", ["ANY /a", "$default"])
def test_credentialed_cors_names_every_method_instead_of_star(stack: Stack, catch_all: str) -> None:
    api = HttpApiGateway(
        stack, "Api", cors=Cors(allow_origins=["https://a.example.com"], allow_credentials=True)
    )
    api.add_route(catch_all, inline_function(stack), auth=PUBLIC)
    assert cors_of(stack)["AllowMethods"] == [
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
    ]


@pytest.mark.parametrize("what", ["allow_methods", "allow_headers", "expose_headers"])
def test_fails_on_star_with_credentials(stack: Stack, what: str) -> None:
    cors = Cors(allow_origins=["https://a.example.com"], allow_credentials=True, **{what: ["*"]})  # type: ignore[arg-type]
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"cors {what} '\*' is not allowed with allow_credentials=True",
    ):
        HttpApiGateway(stack, "Api", cors=cors)
