from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from aws_cdk import App, Duration, Environment, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Annotations, Match, Template

from cdk_front_door import (
    PUBLIC,
    AccessLogs,
    Cors,
    FrontDoorValidationError,
    HttpApiGateway,
    LambdaAuth,
    LogFormat,
    Throttle,
)
from cdk_front_door.testing import snapshot_context
from tests.support import (
    cfn_lint,
    has_one,
    inline_function,
    nag_report,
    new_stack,
    resources_of_type,
    template_of,
)

ROOT = Path(__file__).resolve().parent.parent
PERMISSION = "AWS::Lambda::Permission"
INTEGRATION = "AWS::ApiGatewayV2::Integration"
ROUTE = "AWS::ApiGatewayV2::Route"
API = "AWS::ApiGatewayV2::Api"
STAGE = "AWS::ApiGatewayV2::Stage"


def test_needs_no_argument(stack: Stack) -> None:
    HttpApiGateway(stack, "Api")
    template = Template.from_stack(stack)
    template.resource_count_is(API, 1)
    template.has_resource_properties(
        API, {"ProtocolType": "HTTP", "CorsConfiguration": Match.absent()}
    )
    template.resource_count_is(ROUTE, 0)


def test_defines_its_own_auto_deployed_default_stage(stack: Stack) -> None:
    HttpApiGateway(stack, "Api")
    template = Template.from_stack(stack)
    has_one(template, STAGE, {"StageName": "$default", "AutoDeploy": True})


def test_api_name_defaults_to_a_unique_name_from_the_path(stack: Stack) -> None:
    HttpApiGateway(stack, "Api")
    HttpApiGateway(stack, "Other")
    names = [
        api["Properties"]["Name"] for api in resources_of_type(template_of(stack), API).values()
    ]
    assert len(set(names)) == 2
    assert all(name.startswith("TestStack-") for name in names)


def test_api_name_and_description_are_used(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", api_name="shop", description="Shop API")
    template = Template.from_stack(stack)
    has_one(template, API, {"Name": "shop", "Description": "Shop API"})


@pytest.mark.parametrize("name", ["", "   ", "x" * 129])
def test_fails_on_invalid_api_name(stack: Stack, name: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=r"api_name must be 1 to 128 characters"):
        HttpApiGateway(stack, "Api", api_name=name)


def test_fails_on_a_description_over_1024_characters(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"description must be a string of at most 1024 characters"
    ):
        HttpApiGateway(stack, "Api", description="x" * 1025)


@pytest.mark.parametrize(("outputs", "shown"), [("no", "str 'no'"), (0, "int 0"), (1, "int 1")])
def test_fails_when_outputs_is_not_a_bool(stack: Stack, outputs: object, shown: str) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=rf"outputs must be true or false, got {shown} \(at"
    ):
        HttpApiGateway(stack, "Api", outputs=outputs)  # type: ignore[arg-type]


def test_warns_about_a_function_in_another_account(stack: Stack) -> None:
    fn = lambda_.Function.from_function_arn(
        stack, "Theirs", "arn:aws:lambda:us-east-1:999999999999:function:theirs"
    )
    HttpApiGateway(stack, "Api").add_route("GET /a", fn, auth=PUBLIC)
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api",
        Match.string_like_regexp(".*is in account 999999999999, so no invoke permission.*"),
    )
    Template.from_stack(stack).resource_count_is(PERMISSION, 0)


def test_warns_about_a_function_defined_in_a_stack_of_another_account() -> None:
    app = App(context=snapshot_context())
    theirs = Stack(app, "Theirs", env=Environment(account="999999999999", region="us-east-1"))
    ours = new_stack(app)
    fn = lambda_.Function(
        theirs,
        "Fn",
        function_name="theirs",  # referenced from another account: a physical name
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"),
    )
    HttpApiGateway(ours, "Api").add_route("GET /a", fn, auth=PUBLIC)
    Annotations.from_stack(ours).has_warning(
        "/TestStack/Api",
        Match.string_like_regexp(".*Theirs/Fn is in account 999999999999, so no invoke.*"),
    )


def test_a_function_in_another_stack_of_the_same_account_gets_its_permission() -> None:
    app = App(context=snapshot_context())
    other = new_stack(app, "Other")
    ours = new_stack(app)
    HttpApiGateway(ours, "Api").add_route("GET /a", inline_function(other), auth=PUBLIC)
    Annotations.from_stack(ours).has_no_warning(
        "*", Match.string_like_regexp(".*cross-account-function.*")
    )
    Template.from_stack(ours).resource_count_is(PERMISSION, 1)


def test_warns_that_an_options_route_receives_cors_preflight_requests(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api", cors=True)
    api.add_route("OPTIONS /a", inline_function(stack), auth=PUBLIC)
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api",
        Match.string_like_regexp(".*receives the CORS preflight requests for its path.*"),
    )


def test_url_and_domain_are_the_execute_api_endpoint(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api_ref = {"Ref": stack.get_logical_id(api.http_api.node.default_child)}  # type: ignore[arg-type]
    domain = [api_ref, ".execute-api.us-east-1.", {"Ref": "AWS::URLSuffix"}]
    assert stack.resolve(api.domain) == {"Fn::Join": ["", domain]}
    assert stack.resolve(api.url) == {"Fn::Join": ["", ["https://", *domain, "/"]]}


def test_attributes_that_are_not_configured_are_none_or_empty(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    assert api.custom_domains == []
    assert api.custom_domain_urls == []
    assert api.custom_domain_url is None
    assert api.cdn_domain is None
    assert api.cdn_url is None
    assert api.cdn_custom_domains == []
    assert api.cdn_custom_domain_urls == []
    assert api.routes == []


def test_escape_hatches_are_the_underlying_constructs(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    assert api.http_api.node.path == "TestStack/Api/HttpApi"
    assert api.stage.node.path == "TestStack/Api/Stage"
    assert api.log_group is not None
    assert api.log_group.node.path == "TestStack/Api/AccessLogs"


def test_outputs_url_and_domain(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    template = Template.from_stack(stack)
    for value in (api.url, api.domain):
        template.has_output("*", {"Value": Match.object_equals(stack.resolve(value))})
    assert len(template.find_outputs("*")) == 2


def test_outputs_can_be_turned_off(stack: Stack) -> None:
    HttpApiGateway(stack, "Api", outputs=False)
    Template.from_stack(stack).template_matches({"Outputs": Match.absent()})


def test_lambda_route_uses_proxy_integration_with_payload_2(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    route = api.add_route("GET /hello", fn, auth=PUBLIC)
    template = Template.from_stack(stack)
    has_one(
        template,
        INTEGRATION,
        {
            "IntegrationType": "AWS_PROXY",
            "PayloadFormatVersion": "2.0",
            "IntegrationUri": Match.object_equals(stack.resolve(fn.function_arn)),
        },
    )
    has_one(
        template,
        ROUTE,
        {
            "RouteKey": "GET /hello",
            "Target": Match.object_equals(
                {
                    "Fn::Join": [
                        "",
                        ["integrations/", stack.resolve(route.integration.integration_id)],
                    ]
                }
            ),
        },
    )
    assert route.route_key == "GET /hello"


def test_lambda_permission_covers_the_whole_api_once(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    api.add_route("GET /a", fn, auth=PUBLIC)
    api.add_route("POST /b", fn, auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(PERMISSION, 1)
    api_id = stack.resolve(api.http_api.api_id)
    template.has_resource_properties(
        PERMISSION,
        {
            "Principal": "apigateway.amazonaws.com",
            "Action": "lambda:InvokeFunction",
            "FunctionName": Match.object_equals(stack.resolve(fn.function_arn)),
            "SourceArn": Match.object_equals(
                {
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":execute-api:us-east-1:123456789012:",
                            api_id,
                            "/*",
                        ],
                    ]
                }
            ),
        },
    )


def test_every_lambda_permission_is_for_this_api_in_this_account_only(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    handler, guarded, authorizer = (
        inline_function(stack, name) for name in ("Handler", "Guarded", "Authorizer")
    )
    api.add_route("GET /a", handler, auth=PUBLIC)
    api.add_route("GET /b", guarded, auth=LambdaAuth(authorizer))
    template = Template.from_stack(stack)
    # The execute-api source ARN names the account and the API: no other account's API, and
    # no other API of this account, may invoke the functions. (No SourceAccount: API Gateway
    # is not documented to state it, and a condition on a missing key refuses every call.)
    source = Match.object_like(
        {
            "Fn::Join": [
                "",
                Match.array_with(
                    [
                        Match.string_like_regexp(":execute-api:us-east-1:123456789012:"),
                        stack.resolve(api.http_api.api_id),
                    ]
                ),
            ]
        }
    )
    for function in (handler, guarded, authorizer):
        template.resource_properties_count_is(
            PERMISSION,
            {
                "FunctionName": stack.resolve(function.function_arn),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": source,
                "SourceAccount": Match.absent(),
            },
            1,
        )


def test_two_hundred_routes_on_one_function_make_one_permission_and_integration(
    stack: Stack,
) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    for index in range(200):
        api.add_route(f"GET /items/{index}", fn, auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(PERMISSION, 1)
    template.resource_count_is(INTEGRATION, 1)
    template.resource_count_is(ROUTE, 200)


def test_each_function_gets_its_own_integration_and_permission(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    first, second = inline_function(stack, "First"), inline_function(stack, "Second")
    routes = [
        api.add_route("GET /a", first, auth=PUBLIC),
        api.add_route("GET /b", second, auth=PUBLIC),
        api.add_route("POST /a", first, auth=PUBLIC),
    ]
    template = Template.from_stack(stack)
    template.resource_count_is(PERMISSION, 2)
    template.resource_count_is(INTEGRATION, 2)
    assert routes[0].integration is routes[2].integration
    assert routes[0].integration is not routes[1].integration


def test_each_gateway_gets_its_own_permission_for_a_shared_function(stack: Stack) -> None:
    fn = inline_function(stack)
    for name in ("Public", "Internal"):
        HttpApiGateway(stack, name).add_route("GET /a", fn, auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(PERMISSION, 2)
    permissions = template.find_resources(PERMISSION).values()
    assert len({json.dumps(p["Properties"]["SourceArn"]) for p in permissions}) == 2


def test_function_in_another_stack_can_be_routed() -> None:
    app = App(context=snapshot_context())
    backend = new_stack(app, "Backend")
    fn = inline_function(backend)
    front = new_stack(app, "Front")
    HttpApiGateway(front, "Api").add_route("GET /a", fn, auth=PUBLIC)
    template = Template.from_stack(front)
    template.resource_count_is(PERMISSION, 1)
    template.resource_count_is(INTEGRATION, 1)


@pytest.mark.parametrize(
    ("timeout", "expected_millis"),
    [
        (None, 14000),  # Lambda's default 3 s, plus 10 s of cold start, plus 1 s
        (Duration.seconds(10), 21000),
        (Duration.seconds(17), 28000),
        (Duration.seconds(28), 29000),  # capped
    ],
)
def test_integration_timeout_follows_the_function_timeout(
    stack: Stack, timeout: Duration | None, expected_millis: int
) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /a", inline_function(stack, timeout=timeout), auth=PUBLIC)
    template = Template.from_stack(stack)
    has_one(template, INTEGRATION, {"TimeoutInMillis": expected_millis})
    Annotations.from_stack(stack).has_no_warning("*", Match.string_like_regexp(".*may run for.*"))


@pytest.mark.parametrize(("seconds", "shown"), [(29, "29"), (120, "120")])
def test_warns_when_the_function_may_outlive_the_integration_timeout(
    stack: Stack, seconds: int, shown: str
) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack, timeout=Duration.seconds(seconds))
    api.add_route("GET /a", fn, auth=PUBLIC)
    template = Template.from_stack(stack)
    has_one(template, INTEGRATION, {"TimeoutInMillis": 29000})
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api",
        Match.string_like_regexp(
            f".*may run for {shown} s but API Gateway answers 503 after 29 s.*below 28 s.*"
        ),
    )


def test_alias_timeout_is_read_through_to_its_function(stack: Stack) -> None:
    fn = inline_function(stack, timeout=Duration.minutes(2))
    alias = lambda_.Alias(stack, "Live", alias_name="live", version=fn.current_version)
    HttpApiGateway(stack, "Api").add_route("GET /a", alias, auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(INTEGRATION, 1)
    template.has_resource_properties(
        INTEGRATION, {"IntegrationUri": Match.object_equals(stack.resolve(alias.function_arn))}
    )
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api", Match.string_like_regexp(".*may run for 120 s.*")
    )


def test_imported_function_gets_the_maximum_timeout(stack: Stack) -> None:
    fn = lambda_.Function.from_function_arn(
        stack, "Imported", "arn:aws:lambda:us-east-1:123456789012:function:legacy"
    )
    HttpApiGateway(stack, "Api").add_route("GET /a", fn, auth=PUBLIC)
    template = Template.from_stack(stack)
    has_one(template, INTEGRATION, {"TimeoutInMillis": 29000})
    template.resource_count_is(PERMISSION, 1)
    template.has_resource_properties(
        PERMISSION, {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:legacy"}
    )


def test_routes_without_auth_are_sent_as_none_and_warned_about(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /open", inline_function(stack))
    template = Template.from_stack(stack)
    has_one(template, ROUTE, {"AuthorizationType": "NONE"})
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api/Routes/GET |open",
        Match.string_like_regexp(".*route 'GET /open' has no authorization.*auth=PUBLIC.*"),
    )


def test_public_routes_are_sent_as_none_without_warning(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    route = api.add_route("GET /open", inline_function(stack), auth=PUBLIC)
    assert route.auth is PUBLIC
    template = Template.from_stack(stack)
    has_one(template, ROUTE, {"AuthorizationType": "NONE"})
    Annotations.from_stack(stack).has_no_warning("*", Match.any_value())


def test_routes_are_listed_in_the_order_added(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    for key in ("POST /b", "GET /a", "$default"):
        api.add_route(key, fn, auth=PUBLIC)
    assert [route.route_key for route in api.routes] == ["POST /b", "GET /a", "$default"]


def test_fails_on_duplicate_route_key_naming_both(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    api.add_route("ANY /a", fn, auth=PUBLIC)
    with pytest.raises(FrontDoorValidationError, match=r"route '\* /a' duplicates route 'ANY /a'"):
        api.add_route("* /a", fn, auth=PUBLIC)


def test_fails_on_routes_that_differ_only_in_parameter_names(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    api.add_route("GET /users/{id}", fn, auth=PUBLIC)
    with pytest.raises(
        FrontDoorValidationError,
        match=r"route 'GET /users/\{user_id\}' conflicts with route 'GET /users/\{id\}'",
    ):
        api.add_route("GET /users/{user_id}", fn, auth=PUBLIC)


def test_same_path_with_different_methods_is_allowed(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    for key in ("GET /a", "POST /a", "ANY /a"):
        api.add_route(key, fn, auth=PUBLIC)
    Template.from_stack(stack).resource_count_is(ROUTE, 3)


def test_fails_on_unsupported_target(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=r"unsupported route target int 42"):
        api.add_route("GET /a", 42, auth=PUBLIC)  # type: ignore[arg-type]


def test_a_failed_add_route_defines_nothing(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    with pytest.raises(FrontDoorValidationError, match=r"must use https://"):
        api.add_route("GET /a", "http://insecure.example.com", auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(ROUTE, 0)
    template.resource_count_is(INTEGRATION, 0)
    assert api.routes == []


KEYS = ["GET /a", "POST /a", "GET /b/{id}", "ANY /c/{proxy+}", "$default", "DELETE /d", "GET /ip"]


def _build_in_order(route_keys: list[str]) -> dict[str, object]:
    stack = new_stack()
    api = HttpApiGateway(stack, "Api", cors=True)
    fn = {name: inline_function(stack, name) for name in ("Alpha", "Beta")}
    owner = {key: ("Alpha" if index % 2 else "Beta") for index, key in enumerate(KEYS)}
    for key in route_keys:
        target: object = "https://checkip.amazonaws.com/" if key == "GET /ip" else fn[owner[key]]
        throttle = Throttle(rate_limit=3, burst_limit=6) if key in ("POST /a", "$default") else None
        api.add_route(key, target, auth=PUBLIC, throttle=throttle)  # type: ignore[arg-type]
    return template_of(stack)


def test_route_order_does_not_change_the_template() -> None:
    """The templates are equal as data: resources appear in the order they were added, which
    CloudFormation ignores; every key, value and logical id is the same."""
    reference = json.dumps(_build_in_order(KEYS), sort_keys=True)
    shuffler = random.Random(7)
    for _ in range(3):
        keys = KEYS[:]
        shuffler.shuffle(keys)
        assert json.dumps(_build_in_order(keys), sort_keys=True) == reference


def test_adding_or_removing_a_route_changes_no_other_logical_id() -> None:
    full = _build_in_order(KEYS)["Resources"]
    fewer = _build_in_order([key for key in KEYS if key != "GET /b/{id}"])["Resources"]
    assert isinstance(full, dict) and isinstance(fewer, dict)
    removed = set(full) - set(fewer)
    assert len(removed) == 1
    assert full[removed.pop()]["Properties"]["RouteKey"] == "GET /b/{id}"
    assert set(fewer) <= set(full)


def test_two_synths_are_byte_identical(tmp_path: Path) -> None:
    """Two synths of app.py in separate processes, with different hash seeds, write the same
    bytes: nothing depends on set or dict iteration order."""
    templates = []
    for seed in ("1", "2"):
        outdir = tmp_path / f"out{seed}"
        script = (
            "import app; from aws_cdk import App; "
            "from cdk_front_door.testing import snapshot_context; "
            f"a = App(context=snapshot_context(), outdir={str(outdir)!r}); app.build(a); a.synth()"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", script], check=True, env=env, cwd=ROOT, capture_output=True
        )
        templates.append((outdir / "FrontDoor.template.json").read_bytes())
    assert templates[0] == templates[1]


def test_construct_ids_of_children_are_stable(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    api.add_route("GET /users/{id}", inline_function(stack, "Users"), auth=PUBLIC)
    paths = {child.node.path for child in api.node.find_all()}
    assert {
        "TestStack/Api/HttpApi",
        "TestStack/Api/Stage",
        "TestStack/Api/AccessLogs",
        "TestStack/Api/Targets/Function|Users/Integration",
        "TestStack/Api/Permissions/Users",
        "TestStack/Api/Routes/Default/GET |users|{id}",
        "TestStack/Api/Url",
        "TestStack/Api/Domain",
    } <= paths


def test_template_passes_template_assertions_helper(stack: Stack) -> None:
    HttpApiGateway(stack, "Api").add_route("$default", inline_function(stack), auth=PUBLIC)
    Template.from_stack(stack).has_resource_properties(
        ROUTE, {"RouteKey": "$default", "AuthorizationType": "NONE"}
    )


def test_default_gateway_passes_cdk_nag_and_cfn_lint() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    HttpApiGateway(stack, "Api")
    assert cfn_lint(template_of(stack)) == []
    assert nag_report(app) == ""


def test_gateway_with_every_option_passes_cfn_lint() -> None:
    stack = new_stack()
    api = HttpApiGateway(
        stack,
        "Api",
        api_name="every-option",
        description="every option",
        cors=Cors(
            allow_origins=["https://a.example.com"],
            allow_credentials=True,
            expose_headers=["X-Id"],
            max_age=Duration.minutes(5),
        ),
        access_logs=AccessLogs(format=LogFormat.CSV, retention=7),
        throttle=Throttle(rate_limit=3.5, burst_limit=7),
    )
    # An imported function: aws-cdk-lib's own Function resource is not what is checked here.
    fn = lambda_.Function.from_function_arn(
        stack, "Fn", "arn:aws:lambda:us-east-1:123456789012:function:app"
    )
    api.add_route("GET /a/{id}", fn, auth=PUBLIC, throttle=Throttle(rate_limit=1, burst_limit=1))
    api.add_route("ANY /b/{proxy+}", "https://example.com/{proxy}", auth=PUBLIC)
    api.add_route("$default", fn)
    assert cfn_lint(template_of(stack)) == []


def test_450_routes_fit_in_one_stack_with_one_permission_per_function(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    functions = [inline_function(stack, f"Fn{index}") for index in range(3)]
    for index in range(450):
        api.add_route(f"GET /items/{index}", functions[index % 3], auth=PUBLIC)
    template = Template.from_stack(stack)
    resources = template.to_json()["Resources"]
    assert len(resources) < 500
    template.resource_count_is(PERMISSION, 3)
    template.resource_count_is(ROUTE, 450)
    Annotations.from_stack(stack).has_warning(
        "/TestStack/Api",
        Match.string_like_regexp(".*more than 300 routes, API Gateway's default quota.*"),
    )
    # Near CloudFormation's limit, aws-cdk-lib itself tells the stack's count (from 400).
    Annotations.from_stack(stack).has_info(
        "/TestStack",
        f"Number of resources: {len(resources)} is approaching allowed maximum of 500",
    )


def test_a_stack_past_the_resource_limit_fails_at_synth_naming_the_count() -> None:
    # Two gateways of one stack: every route of both counts.
    stack = Stack(App(), "TestStack")
    fn = inline_function(stack)
    first, second = HttpApiGateway(stack, "First"), HttpApiGateway(stack, "Second")
    for index in range(250):
        first.add_route(f"GET /items/{index}", fn, auth=PUBLIC)
        second.add_route(f"GET /items/{index}", fn, auth=PUBLIC)
    with pytest.raises(
        RuntimeError,
        match=r"Number of resources in stack 'TestStack': 5\d\d is greater than allowed "
        r"maximum of 500: .*AWS::ApiGatewayV2::Route \(500\)",
    ):
        template_of(stack)


def test_no_resource_count_note_well_under_the_limit(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    for index in range(300):
        api.add_route(f"GET /items/{index}", fn, auth=PUBLIC)
    Annotations.from_stack(stack).has_no_info("/TestStack", Match.any_value())


def test_no_route_quota_warning_at_300_routes(stack: Stack) -> None:
    api = HttpApiGateway(stack, "Api")
    fn = inline_function(stack)
    for index in range(300):
        api.add_route(f"GET /items/{index}", fn, auth=PUBLIC)
    Annotations.from_stack(stack).has_no_warning("/TestStack/Api", Match.any_value())
