"""Every Python block of README.md and docs/*.md runs, and what it builds synthesizes.

Most blocks are written as the body of a stack's ``__init__``: they use ``self`` and names that
stand for the reader's own resources (``api``, ``zone``, ``hello_function``, ``orders_queue``).
Such a block runs in a fresh app, in a stack with a fixed environment that defines each of those
names it uses (and only those: a block that defines ``api`` itself gets none), and the app is then
synthesized. A block that uses none of them is a program of its own: it runs as it is (with the
imports it leaves out), and each ``test_*`` function it defines is called.

A comment on the line before a block changes how it runs:

* ``<!-- snippet: skip (why) -->``: not run; the reason is required;
* ``<!-- snippet: module NAME -->``: it also is module ``NAME`` for the blocks of its file that
  import it (``from app import HelloStack``).
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Duration, Environment, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Template
from constructs import Construct, IConstruct

import cdk_front_door
from cdk_front_door import (
    PUBLIC,
    BatchJob,
    Container,
    ContainerService,
    HttpApiGateway,
    JwtAuth,
)
from cdk_front_door.testing import TEST_ENV, LocalFrontDoor, normalized_template, snapshot_context

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)
_MARKER = re.compile(r"<!--\s*snippet:\s*(.*?)\s*-->")
_SKIP = re.compile(r"skip\s*\((.*)\)\Z", re.S)
_MODULE = re.compile(r"module\s+(\w+)\Z")
_ISSUER = "https://issuer.example.com/"
_IMAGE = "public.ecr.aws/docker/library/nginx:stable"


@dataclass(frozen=True)
class Snippet:
    path: Path
    line: int
    code: str
    marker: str | None

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _snippets(path: Path) -> list[Snippet]:
    text = path.read_text()
    found = []
    for match in _BLOCK.finditer(text):
        before = text[: match.start()].rstrip("\n").rpartition("\n")[2]
        marker = _MARKER.fullmatch(before.strip())
        line = text.count("\n", 0, match.start()) + 1
        found.append(Snippet(path, line, match[1], marker[1] if marker else None))
    return found


SNIPPETS = [snippet for page in PAGES for snippet in _snippets(page)]


def _free_names(code: str) -> set[str]:
    """The names ``code`` reads and never binds (over-approximating what it binds)."""
    bound: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((alias.asname or alias.name).partition(".")[0] for alias in node.names)
    return read - bound - set(dir(builtins))


def _imported_modules(code: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.partition(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
    return names


# -- what the blocks leave out ----------------------------------------------------------------

IMPORTS: dict[str, object] = {
    **{name: getattr(cdk_front_door, name) for name in cdk_front_door.__all__},
    "App": App,
    "Duration": Duration,
    "Stack": Stack,
    "IConstruct": IConstruct,
    "apigwv2": apigwv2,
    "acm": acm,
    "ecs": ecs,
    "iam": iam,
    "lambda_": lambda_,
    "route53": route53,
    "sns": sns,
    "sqs": sqs,
    "sfn": sfn,
}


def _function(scope: Construct, construct_id: str) -> lambda_.Function:
    return lambda_.Function(
        scope,
        construct_id,
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"),
    )


def _service(stack: Stack, construct_id: str) -> ContainerService:
    image = ecs.ContainerImage.from_registry(_IMAGE)
    container = Container("web", image=image, port=80)
    return ContainerService(stack, construct_id, containers=[container])


def _function_named(name: str) -> Callable[[Stack], object]:
    return lambda stack: _function(stack, name.title().replace("_", ""))


# The reader's own resources, each defined in the block's stack when the block uses it.
RESOURCES: dict[str, Callable[[Stack], object]] = {
    "self": lambda stack: stack,
    "api": lambda stack: HttpApiGateway(stack, "Gateway"),
    **{
        name: _function_named(name)
        for name in (
            "hello_function",
            "user_function",
            "products",
            "orders",
            "hooks",
            "stats",
            "health",
            "check_signature",
        )
    },
    "zone": lambda stack: route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    ),
    "partner_certificate": lambda stack: acm.Certificate.from_certificate_arn(
        stack,
        "PartnerCertificate",
        f"arn:aws:acm:{stack.region}:{stack.account}:certificate/12345678-1234-1234-1234-123456789012",
    ),
    "users": lambda stack: JwtAuth(_ISSUER, audience=["api"]),
    "reporting_role": lambda stack: iam.Role(
        stack, "ReportingRole", assumed_by=iam.AccountRootPrincipal()
    ),
    "pager_topic": lambda stack: sns.Topic(stack, "PagerTopic"),
    "orders_queue": lambda stack: sqs.Queue(stack, "OrdersQueue"),
    "workflow": lambda stack: sfn.StateMachine(
        stack,
        "Workflow",
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "Start")),
    ),
    "image": lambda stack: ecs.ContainerImage.from_registry(_IMAGE),
    "orders_service": lambda stack: _service(stack, "OrdersService"),
    "shop": lambda stack: _service(stack, "Shop"),
    "reports": lambda stack: BatchJob(
        stack,
        "Reports",
        container=Container("report", image=ecs.ContainerImage.from_registry(_IMAGE)),
    ),
}


class MyStack(Stack):
    """The reader's own stack: a gateway with one public route."""

    def __init__(
        self, scope: Construct, construct_id: str, *, env: Environment | None = None
    ) -> None:
        super().__init__(scope, construct_id, env=env)
        HttpApiGateway(self, "Api").add_route("GET /hello", _function(self, "Hello"), auth=PUBLIC)


def build(app: App) -> Stack:
    """The reader's app of the LocalFrontDoor example: a public health check, and orders for
    callers whose token has the ``orders:write`` scope."""
    stack = Stack(app, "Orders", env=TEST_ENV)
    api = HttpApiGateway(stack, "Api", default_auth=JwtAuth(_ISSUER, audience=["api"]))
    api.add_route("GET /health", _function(stack, "Health"), auth=PUBLIC)
    api.add_route("POST /orders", _function(stack, "Orders"), scopes=["orders:write"])
    return stack


PROGRAM_NAMES: dict[str, object] = {
    "MyStack": MyStack,
    "build": build,
    "LocalFrontDoor": LocalFrontDoor,
    "normalized_template": normalized_template,
}


class _AnySnapshot:
    """syrupy's ``snapshot`` for a block that compares a template with it: equal to any
    normalized template (a block's snapshot has never been recorded)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dict) and "Resources" in other

    __hash__ = None  # type: ignore[assignment]


# -- running a block ----------------------------------------------------------------------------


def _run_tests(namespace: dict[str, Any]) -> None:
    for name, value in list(namespace.items()):
        if name.startswith("test_") and isinstance(value, types.FunctionType):
            arguments = value.__code__.co_varnames[: value.__code__.co_argcount]
            value(**{argument: _AnySnapshot() for argument in arguments if argument == "snapshot"})


def _run_program(snippet: Snippet, namespace: dict[str, Any]) -> None:
    free = _free_names(snippet.code)
    unknown = free - IMPORTS.keys() - PROGRAM_NAMES.keys()
    assert not unknown, f"{snippet.id} uses {sorted(unknown)}: define them in {__name__}"
    namespace.update({name: {**IMPORTS, **PROGRAM_NAMES}[name] for name in free})
    exec(compile(snippet.code, snippet.id, "exec"), namespace)  # the code of the docs
    _run_tests(namespace)


def _run_in_stack(snippet: Snippet) -> None:
    free = _free_names(snippet.code)
    unknown = free - IMPORTS.keys() - RESOURCES.keys()
    assert not unknown, f"{snippet.id} uses {sorted(unknown)}: define them in {__name__}"
    app = App(context=snapshot_context())
    stack = Stack(app, "Snippet", env=TEST_ENV)
    namespace: dict[str, Any] = {"__name__": "snippet"}
    for name in sorted(free):
        namespace[name] = IMPORTS[name] if name in IMPORTS else RESOURCES[name](stack)
    exec(compile(snippet.code, snippet.id, "exec"), namespace)  # the code of the docs
    app.synth()
    assert Template.from_stack(stack).to_json()["Resources"]


@pytest.fixture
def modules(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[None]:
    """The blocks of the snippet's page marked as modules, importable while it runs."""
    snippet: Snippet = request.node.callspec.params["snippet"]
    imported = _imported_modules(snippet.code)
    for other in _snippets(snippet.path):
        module = _MODULE.fullmatch(other.marker or "")
        if module is not None and module[1] in imported:
            namespace: dict[str, Any] = {"__name__": module[1]}
            _run_program(other, namespace)
            value = types.ModuleType(module[1])
            value.__dict__.update(namespace)
            monkeypatch.setitem(sys.modules, module[1], value)
    yield


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
@pytest.mark.usefixtures("modules")
def test_docs_python_block_runs_and_synthesizes(snippet: Snippet) -> None:
    skip = _SKIP.fullmatch(snippet.marker or "")
    if skip is not None:
        assert skip[1].strip(), f"{snippet.id}: a skipped block says why"
        pytest.skip(skip[1])
    assert snippet.marker is None or _MODULE.fullmatch(snippet.marker), snippet.marker
    if _free_names(snippet.code) & RESOURCES.keys():
        _run_in_stack(snippet)
    else:
        _run_program(snippet, {"__name__": "snippet"})


def test_the_docs_have_python_blocks_to_run() -> None:
    assert len(SNIPPETS) >= 20
