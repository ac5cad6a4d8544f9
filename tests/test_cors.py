from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import CfnParameter, Duration, Stack

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
        "MaxAge": 600,
    }


@pytest.mark.parametrize(
    "cors", [True, Cors(), Cors(allow_origins=["https://app.example.com"], max_age=None)]
)
def test_browsers_cache_preflight_answers_for_ten_minutes_by_default(
    stack: Stack, cors: bool | Cors
) -> None:
    HttpApiGateway(stack, "Api", cors=cors)
    assert cors_of(stack)["MaxAge"] == 600


def test_max_age_zero_makes_browsers_ask_before_every_request(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", cors=Cors(max_age=Duration.seconds(0)))
    assert cors_of(stack)["MaxAge"] == 0


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
            r"cors max_age must be whole seconds between 0 and 86400, got 172800 seconds",
        ),
        (
            Cors(max_age=Duration.seconds(1.5)),
            r"cors max_age must be whole seconds between 0 and 86400, got 1.5 seconds",
        ),
        (
            Cors(max_age=Duration.millis(500)),
            r"cors max_age must be whole seconds between 0 and 86400, got 0.5 seconds",
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


def origin_error(origin: str, detail: str) -> str:
    """The pattern of the message that rejects ``origin``: its name, then ``detail`` (a regex)."""
    return rf"invalid cors origin {re.escape(repr(origin))}: .*{detail}"


def gateway_with_origins(stack: Stack, *origins: str, credentials: bool = False) -> None:
    HttpApiGateway(
        stack, "Api", cors=Cors(allow_origins=list(origins), allow_credentials=credentials)
    )


@pytest.mark.parametrize(
    "origin",
    [
        "https://app.example.com",
        "http://localhost:3000",
        "https://example.com:8443",
        "https://example.com:80",
        "http://example.com:443",
        "http://127.0.0.1:8080",
        "http://[::1]:8080",
        "https://[2001:db8::1]",
        "https://xn--mnchen-3ya.de",
        "https://a-b.c0.example.com",
        "https://" + "a" * 63 + ".example.com",
        "https://*",
        "http://*",
        "https://*:8443",
        "https://*.example.com",
        "https://*.example.co.uk:8443",
    ],
)
def test_origins_as_browsers_send_them_appear_unchanged(stack: Stack, origin: str) -> None:
    gateway_with_origins(stack, origin)
    assert cors_of(stack)["AllowOrigins"] == [origin]


@pytest.mark.parametrize("form", ["{}", "https://{}", "https://{}.example.com"])
def test_origins_with_tokens_are_not_validated(stack: Stack, form: str) -> None:
    origin = CfnParameter(stack, "WebOrigin", default="https://app.example.com").value_as_string
    gateway_with_origins(stack, form.format(origin), credentials=True)
    assert len(cors_of(stack)["AllowOrigins"]) == 1


@pytest.mark.parametrize(
    "origin",
    ["*", "https://*", "http://*", "https://*:8443", "https://*.example.com", "http://*.a.b:81"],
)
def test_fails_when_credentials_are_allowed_for_a_wildcard_origin(
    stack: Stack, origin: str
) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"cors allow_credentials=True is not allowed with the origin "
        rf"{re.escape(repr(origin))}: .*list the exact origins",
    ):
        gateway_with_origins(stack, origin, credentials=True)


@pytest.mark.parametrize(
    "origin", ["example.com", "ftp://example.com", "https:/example.com", "//example.com", "nope"]
)
def test_fails_when_origin_is_not_http_or_https(stack: Stack, origin: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, r"it must start with 'https://' or 'http://'"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "lower"),
    [
        ("HTTPS://app.example.com", "https://app.example.com"),
        ("https://App.Example.com:8443", "https://app.example.com:8443"),
        ("Http://*.Example.com", "http://*.example.com"),
    ],
)
def test_fails_when_origin_has_upper_case(stack: Stack, origin: str, lower: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, rf"lower case; use '{re.escape(lower)}'"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "fixed"),
    [
        ("https://example.com/", "https://example.com"),
        ("http://localhost:3000/", "http://localhost:3000"),
    ],
)
def test_fails_when_origin_has_trailing_slash(stack: Stack, origin: str, fixed: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, rf"without a trailing '/'; use '{re.escape(fixed)}'"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "extra"),
    [
        ("https://example.com/app", "/app"),
        ("https://example.com?x=1", "?x=1"),
        ("https://example.com?", "?"),
        ("https://example.com#", "#"),
        ("https://example.com:8443/#top", "/#top"),
    ],
)
def test_fails_when_origin_has_path_query_or_fragment(
    stack: Stack, origin: str, extra: str
) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, rf"path, query or fragment \({re.escape(repr(extra))}\)"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize("origin", ["https://user@example.com", "https://user:pw@example.com"])
def test_fails_when_origin_has_user_info(stack: Stack, origin: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=origin_error(origin, r"user info")):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "char"),
    [
        (" https://example.com", "' '"),
        ("https://example.com ", "' '"),
        ("https://exa\tmple.com", r"'\\t'"),
        ("https://example.com\n", r"'\\n'"),
        ("https://example.com\x00", r"'\\x00'"),
        ("https://example.com\u200b", r"'\\u200b'"),
        ("https://example.com\xa0", r"'\\xa0'"),
    ],
)
def test_fails_when_origin_has_whitespace_or_control_characters(
    stack: Stack, origin: str, char: str
) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, rf"it contains {char}; whitespace and control characters"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    "origin",
    [
        "https://example.com:",
        "https://example.com:0",
        "https://example.com:08443",
        "https://example.com:65536",
        "https://example.com:99999",
        "https://example.com:https",
        "https://example.com:80:81",
    ],
)
def test_fails_when_origin_port_is_not_1_to_65535(stack: Stack, origin: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, r"a port is a number from 1 to 65535 without leading zeros"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "fixed"),
    [
        ("https://example.com:443", "https://example.com"),
        ("http://localhost:80", "http://localhost"),
        ("https://*.example.com:443", "https://*.example.com"),
        ("https://[::1]:443", "https://[::1]"),
    ],
)
def test_fails_when_origin_has_the_default_port(stack: Stack, origin: str, fixed: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, rf"leave out the default port .*use '{re.escape(fixed)}'"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "detail"),
    [
        ("https://", r"it has no host"),
        ("https://:8443", r"it has no host"),
        ("https://-app.example.com", r"label '-app' is not valid: a label is 1 to 63"),
        ("https://app-.example.com", r"label 'app-' is not valid"),
        ("https://app_1.example.com", r"label 'app_1' is not valid"),
        ("https://a%41.example.com", r"label 'a%41' is not valid"),
        ("https://example.com;x", r"label 'com;x' is not valid"),
        ("https://" + "a" * 64 + ".com", r"label 'a{64}' is not valid"),
        ("https://" + ".".join(["a" * 63] * 4) + ".com", r"259 characters long; at most 253"),
        ("https://app..example.com", r"empty label"),
        ("https://example.com.", r"empty label"),
        ("https://xn--zz.example.com", r"label 'xn--zz' is not valid punycode"),
        ("https://xn--a.example.com", r"label 'xn--a' is not valid punycode"),
    ],
)
def test_fails_when_origin_host_is_not_a_domain_name(
    stack: Stack, origin: str, detail: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=origin_error(origin, detail)):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "punycode"),
    [
        ("https://münchen.de", "https://xn--mnchen-3ya.de"),
        ("https://Bücher.example:8443", "https://xn--bcher-kva.example:8443"),
        ("https://*.bücher.example", "https://*.xn--bcher-kva.example"),
    ],
)
def test_fails_when_origin_host_is_not_ascii(stack: Stack, origin: str, punycode: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, rf"not ASCII: .*punycode.*use '{re.escape(punycode)}'"),
    ):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    ("origin", "detail"),
    [
        ("http://127.1", r"as an IPv4 address, but .*four decimal numbers 0-255"),
        ("http://127.0.0.01", r"as an IPv4 address"),
        ("http://256.0.0.1", r"as an IPv4 address"),
        ("http://0x7f.0.0.1", r"as an IPv4 address"),
        ("http://1.2.3.4.5", r"as an IPv4 address"),
        ("http://[0:0:0:0:0:0:0:1]", r"browsers write this IPv6 address '\[::1\]'"),
        ("http://[::ABCD]", r"browsers write this IPv6 address '\[::abcd\]'"),
        ("http://[fe80::1%eth0]", r"has a zone"),
        ("http://[::1", r"its host is not valid"),
        ("http://[::1]8080", r"host and port are not valid"),
    ],
)
def test_fails_when_origin_ip_address_is_not_written_as_browsers_write_it(
    stack: Stack, origin: str, detail: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=origin_error(origin, detail)):
        gateway_with_origins(stack, origin)


@pytest.mark.parametrize(
    "origin",
    [
        "https://*.com",
        "https://a.*.com",
        "https://*example.com",
        "https://**.example.com",
        "https://*.*.example.com",
        "https://app*.example.com",
        "https://*.app*.example.com",
        "https://example.*",
    ],
)
def test_fails_when_origin_wildcard_is_misplaced(stack: Stack, origin: str) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error(origin, r"misplaced '\*': '\*' may only be the whole host"),
    ):
        gateway_with_origins(stack, origin)


def test_fails_when_origin_wildcard_precedes_an_ip_address(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error("https://*.0.0.1", r"must end in a domain name, not an IP address"),
    ):
        gateway_with_origins(stack, "https://*.0.0.1")


def test_fails_when_origin_is_null(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=origin_error("null", r"any site can arrange.*list the real origins"),
    ):
        gateway_with_origins(stack, "null")


@pytest.mark.parametrize(
    ("origins", "duplicate"),
    [
        (
            ["https://a.example.com", "https://b.example.com", "https://a.example.com"],
            "https://a.example.com",
        ),
        (["*", "*"], "*"),
        (["https://*", "https://*"], "https://*"),
    ],
)
def test_fails_when_origin_is_listed_twice(
    stack: Stack, origins: list[str], duplicate: str
) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=rf"cors allow_origins lists {re.escape(repr(duplicate))} more than once",
    ):
        gateway_with_origins(stack, *origins)
