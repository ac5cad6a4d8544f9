"""Synth-time benchmark: ``HttpApiGateway`` against the same API hand-written with the L2.

Run from the repository root::

    python -m benchmarks.synth_bench [--routes 10,50,200,400] [--repeats 3]

What is measured
----------------
The same HTTP API is built two ways, each in a fresh ``App`` with one ``Stack``:

* ``front_door``: ``HttpApiGateway(stack, "Api", cors=True)`` and N ``GET`` routes added with
  ``add_route(..., auth=PUBLIC)``, spread round-robin over 4 Lambda functions;
* ``hand_written``: what a careful user writes with aws-cdk-lib's L2 constructs following
  aws-cdk's own best practice: an ``HttpApi`` without its default stage, an ``HttpStage``
  named ``$default`` (auto deploy, throttling, JSON access logs into a log group kept 30
  days), one ``HttpLambdaIntegration`` per function with ``scope_permission_to_route=False``
  reused by every route, and ``add_routes`` per route.

Both use the same plain inline ``lambda_.Function`` (no asset staging), so only the API part
differs. The time is wall-clock time (``time.perf_counter``) of building the constructs plus
``app.synth()``; reading the template back for the counts is not timed. The variants run
alternately in one process (the order flips every repeat so that drift in the jsii kernel
affects both alike), after three untimed warm-up synths of each at that route count.

Why
---
In Python, synth time is dominated by jsii round trips to the Node.js kernel: every construct,
property and method call crosses the process boundary. A library that adds validation and
derived configuration on top of the L2 could easily be slower than the L2 used directly. The
target for cdk_front_door is parity with the hand-written time (a ratio of at most 1.0) at 200
and 400 routes, warm and cold, with every route an ordinary construct in the tree, while
emitting one resource per route and one Lambda permission per function (not per route). The
table shows the times, the ratio ``front_door / hand_written`` per route count, and the
resource, permission, integration and route counts and the template size of each variant.

Where the time goes
-------------------
A ratio says whether, not why. So the build and the synthesis of each variant are also timed
apart at three sizes (no route; one route to each function; 200 routes more), alternating
after warm-up, and the medians split into: the fixed build (functions and API), the first
route to each function (its integration and invoke permission with it), each further route,
and the synthesis with no route and per route (``--breakdown-repeats``, 0 for none).

Cold processes
--------------
The times above are of a warm process, which is what a test suite or a watch loop sees. A
single ``cdk synth`` is a cold process: Python imports aws-cdk-lib, the jsii kernel starts and
loads its modules, and aws-cdk-lib's built-in CloudFormation validation starts its engine. So
the same two apps are also synthesized each in a fresh ``python`` process (``--cold-routes``,
``--cold-repeats``), alternating, once as is and once with ``CDK_VALIDATION=false`` (which
turns that validation off) to show how much of a cold synth is that engine's start. Reported:
the whole process's wall time, and the building plus ``app.synth()`` part of it. Before the
first cold process, the bytecode of ``cdk_front_door`` and of this package is compiled, as pip
does when it installs a wheel: a user's ``cdk synth`` loads the installed library's bytecode
and does not compile it (this checkout is an editable install, and a shell with
``PYTHONDONTWRITEBYTECODE`` set would otherwise compile the library in every process).

Results are printed as markdown tables and written to ``benchmarks/results/synth.json``.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsii
from aws_cdk import App, CfnOutput, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

# What only one variant uses is imported by that variant's build function, so that a cold
# process (see run_cold) imports what that app would and nothing of the other.
if TYPE_CHECKING:
    from aws_cdk import aws_apigateway as apigw_v1

# CloudFormation's limit of resources per stack.
STACK_RESOURCE_LIMIT = 500

DEFAULT_ROUTES = (10, 50, 200, 400)
DEFAULT_REPEATS = 15
DEFAULT_COLD_ROUTES = (200, 400)
DEFAULT_COLD_REPEATS = 8
WARM_UP_SYNTHS = 3
FUNCTIONS = 4
DEFAULT_BREAKDOWN_REPEATS = 15
# Routes added, in the breakdown, after the first route to each function.
BREAKDOWN_FURTHER_ROUTES = 200
RESULTS_FILE = Path(__file__).resolve().parent / "results" / "synth.json"

FUNCTION_CODE = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"
# The same headers and JSON fields HttpApiGateway uses, written out as a user would.
CORS_ALLOW_HEADERS = [
    "authorization",
    "content-type",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-user-agent",
    "x-api-key",
]
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "extendedRequestId": "$context.extendedRequestId",
    "requestTimeEpoch": "$context.requestTimeEpoch",
    "path": "$context.path",
    "domainName": "$context.domainName",
    "userAgent": "$context.identity.userAgent",
    "responseLatency": "$context.responseLatency",
    "integrationStatus": "$context.integration.status",
    "integrationLatency": "$context.integration.latency",
    "integrationRequestId": "$context.integration.requestId",
    "integrationError": "$context.integration.error",
    "integrationErrorMessage": "$context.integrationErrorMessage",
    "errorMessage": "$context.error.message",
    "errorResponseType": "$context.error.responseType",
    "authorizerError": "$context.authorizer.error",
}


# -- the two variants -------------------------------------------------------------------------


def route_path(index: int) -> str:
    """A distinct path per route; every other one has a path parameter."""
    return f"/r{index}/{{id}}" if index % 2 == 0 else f"/r{index}"


def make_functions(stack: Stack) -> list[lambda_.Function]:
    """The Lambda functions behind the routes, identical in both variants."""
    return [
        lambda_.Function(
            stack,
            f"Fn{k}",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(FUNCTION_CODE),
        )
        for k in range(FUNCTIONS)
    ]


def build_front_door(stack: Stack, routes: int) -> None:
    """The API with cdk_front_door."""
    from cdk_front_door import PUBLIC, HttpApiGateway  # noqa: PLC0415 - see TYPE_CHECKING

    functions = make_functions(stack)
    api = HttpApiGateway(stack, "Api", cors=True)
    for i in range(routes):
        api.add_route(f"GET {route_path(i)}", functions[i % FUNCTIONS], auth=PUBLIC)


@jsii.implements(apigwv2.IAccessLogSettings)
class JsonAccessLogSettings:
    """JSON access logs into a log group, as the ``HttpStage`` L2 takes them."""

    def __init__(self, log_group: logs.ILogGroup) -> None:
        from aws_cdk import aws_apigateway as apigw_v1  # noqa: PLC0415 - see TYPE_CHECKING

        self._destination = apigwv2.LogGroupLogDestination(log_group)
        self._format = apigw_v1.AccessLogFormat.custom(
            json.dumps(ACCESS_LOG_FIELDS, separators=(",", ":"))
        )

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw_v1.AccessLogFormat:
        return self._format


def build_hand_written(stack: Stack, routes: int) -> None:
    """The same API with aws-cdk-lib's L2 constructs, following aws-cdk's best practice."""
    from aws_cdk import aws_apigatewayv2_integrations as integrations  # noqa: PLC0415

    functions = make_functions(stack)
    api = apigwv2.HttpApi(
        stack,
        "Api",
        create_default_stage=False,
        cors_preflight=apigwv2.CorsPreflightOptions(
            allow_origins=["*"],
            allow_methods=[apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.OPTIONS],
            allow_headers=CORS_ALLOW_HEADERS,
        ),
    )
    log_group = logs.LogGroup(
        stack,
        "AccessLogs",
        retention=logs.RetentionDays.ONE_MONTH,
        removal_policy=RemovalPolicy.RETAIN,
    )
    stage = apigwv2.HttpStage(
        stack,
        "Stage",
        http_api=api,
        stage_name="$default",
        auto_deploy=True,
        throttle=apigwv2.ThrottleSettings(rate_limit=1000, burst_limit=500),
        access_log_settings=JsonAccessLogSettings(log_group),
    )
    lambda_integrations = [
        integrations.HttpLambdaIntegration(f"Int{k}", function, scope_permission_to_route=False)
        for k, function in enumerate(functions)
    ]
    for i in range(routes):
        api.add_routes(
            path=route_path(i),
            methods=[apigwv2.HttpMethod.GET],
            integration=lambda_integrations[i % FUNCTIONS],
        )
    CfnOutput(stack, "Url", value=stage.url)
    CfnOutput(stack, "Domain", value=f"{api.api_id}.execute-api.{stack.region}.{stack.url_suffix}")


@dataclass(frozen=True)
class Variant:
    name: str
    stack_name: str
    build: Callable[[Stack, int], None]


VARIANTS = (
    Variant("front_door", "FrontDoorBench", build_front_door),
    Variant("hand_written", "HandWrittenBench", build_hand_written),
)


# -- measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateStats:
    resources: int
    permissions: int
    integrations: int
    routes: int
    template_bytes: int

    @classmethod
    def of(cls, template: dict[str, Any]) -> TemplateStats:
        types = [resource["Type"] for resource in template.get("Resources", {}).values()]
        return cls(
            resources=len(types),
            permissions=types.count("AWS::Lambda::Permission"),
            integrations=types.count("AWS::ApiGatewayV2::Integration"),
            routes=types.count("AWS::ApiGatewayV2::Route"),
            template_bytes=len(json.dumps(template, separators=(",", ":"))),
        )


def synth_once(variant: Variant, routes: int) -> tuple[float, TemplateStats]:
    """Build and synthesize one app; return the seconds it took and the template's stats."""
    gc.collect()
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as outdir:
        start = time.perf_counter()
        app = App(outdir=outdir)
        variant.build(Stack(app, variant.stack_name), routes)
        assembly = app.synth()
        seconds = time.perf_counter() - start
        template: dict[str, Any] = assembly.get_stack_by_name(variant.stack_name).template
        return seconds, TemplateStats.of(template)


@dataclass(frozen=True)
class VariantResult:
    routes: int
    variant: str
    seconds: list[float]
    stats: TemplateStats

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def max(self) -> float:
        return max(self.seconds)

    def to_json(self) -> dict[str, Any]:
        return {
            "routes": self.routes,
            "variant": self.variant,
            "seconds": self.seconds,
            "min_seconds": self.min,
            "median_seconds": self.median,
            "max_seconds": self.max,
            "template": asdict(self.stats),
        }


@dataclass(frozen=True)
class RatioResult:
    """``front_door / hand_written``: of the medians, and of each pair of runs."""

    routes: int
    median_ratio: float
    pair_ratios: list[float]

    def to_json(self) -> dict[str, Any]:
        return {
            "routes": self.routes,
            "median_ratio": self.median_ratio,
            "min_pair_ratio": min(self.pair_ratios),
            "max_pair_ratio": max(self.pair_ratios),
            "pair_ratios": self.pair_ratios,
        }


def run(route_counts: Sequence[int], repeats: int) -> tuple[list[VariantResult], list[RatioResult]]:
    results: list[VariantResult] = []
    ratios: list[RatioResult] = []
    for routes in route_counts:
        # Untimed synths of this size first, alternating: the jsii kernel's and Python's first
        # runs of a code path are slower, and would be counted against whichever variant
        # exercises more paths that the previous size did not.
        for repeat in range(WARM_UP_SYNTHS):
            for variant in VARIANTS if repeat % 2 == 0 else VARIANTS[::-1]:
                synth_once(variant, routes)
        seconds: dict[str, list[float]] = {variant.name: [] for variant in VARIANTS}
        stats: dict[str, TemplateStats] = {}
        for repeat in range(repeats):
            order = VARIANTS if repeat % 2 == 0 else VARIANTS[::-1]
            for variant in order:
                elapsed, template_stats = synth_once(variant, routes)
                if stats.setdefault(variant.name, template_stats) != template_stats:
                    raise RuntimeError(
                        f"{variant.name} at {routes} routes synthesized different templates: "
                        f"{stats[variant.name]} then {template_stats}"
                    )
                seconds[variant.name].append(elapsed)
        by_name = {
            variant.name: VariantResult(
                routes, variant.name, seconds[variant.name], stats[variant.name]
            )
            for variant in VARIANTS
        }
        results.extend(by_name.values())
        front_door, hand_written = by_name["front_door"], by_name["hand_written"]
        ratios.append(
            RatioResult(
                routes=routes,
                median_ratio=front_door.median / hand_written.median,
                pair_ratios=[
                    fd / hw for fd, hw in zip(front_door.seconds, hand_written.seconds, strict=True)
                ],
            )
        )
    return results, ratios


# -- cold processes ---------------------------------------------------------------------------

COLD_SETTINGS: tuple[tuple[str, dict[str, str]], ...] = (
    ("default", {}),
    ("CDK_VALIDATION=false", {"CDK_VALIDATION": "false"}),
)


def cold_child(variant_name: str, routes: int) -> None:
    """In a fresh process: build and synthesize one app, print the seconds it took as JSON."""
    variant = next(variant for variant in VARIANTS if variant.name == variant_name)
    seconds, stats = synth_once(variant, routes)
    print(json.dumps({"seconds": seconds, "routes": stats.routes}))


@dataclass(frozen=True)
class ColdResult:
    routes: int
    variant: str
    setting: str
    process_seconds: list[float]
    synth_seconds: list[float]

    def to_json(self) -> dict[str, Any]:
        return {
            "routes": self.routes,
            "variant": self.variant,
            "setting": self.setting,
            "process_seconds": self.process_seconds,
            "median_process_seconds": statistics.median(self.process_seconds),
            "synth_seconds": self.synth_seconds,
            "median_synth_seconds": statistics.median(self.synth_seconds),
        }


def cold_once(variant: Variant, routes: int, extra_env: dict[str, str]) -> tuple[float, float]:
    """Synthesize one app in a fresh Python process: its wall time and its build + synth."""
    command = [sys.executable, "-m", "benchmarks.synth_bench", "--cold-child"]
    command.append(f"{variant.name}:{routes}")
    start = time.perf_counter()
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        # CDK's default unless the setting says otherwise, whatever this shell has set.
        env={**{k: v for k, v in os.environ.items() if k != "CDK_VALIDATION"}, **extra_env},
    )
    process_seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stderr}")
    child = json.loads(completed.stdout.strip().splitlines()[-1])
    if child["routes"] != routes:
        raise RuntimeError(f"{variant.name} synthesized {child['routes']} routes, not {routes}")
    return process_seconds, float(child["seconds"])


def compile_bytecode() -> None:
    """Compile the bytecode of the library and of the benchmarks, as ``pip install`` of a
    wheel does for the library."""
    library = importlib.util.find_spec("cdk_front_door")
    if library is None or not library.submodule_search_locations:
        raise RuntimeError("cdk_front_door is not installed")
    for package in (Path(library.submodule_search_locations[0]), Path(__file__).parent):
        if not compileall.compile_dir(package, quiet=1):
            raise RuntimeError(f"could not compile the bytecode of {package}")


def run_cold(route_counts: Sequence[int], repeats: int) -> list[ColdResult]:
    compile_bytecode()
    results: list[ColdResult] = []
    for routes in route_counts:
        for setting, extra_env in COLD_SETTINGS:
            times: dict[str, tuple[list[float], list[float]]] = {
                variant.name: ([], []) for variant in VARIANTS
            }
            for repeat in range(repeats):
                order = VARIANTS if repeat % 2 == 0 else VARIANTS[::-1]
                for variant in order:
                    process_seconds, synth_seconds = cold_once(variant, routes, extra_env)
                    times[variant.name][0].append(process_seconds)
                    times[variant.name][1].append(synth_seconds)
            results.extend(
                ColdResult(routes, name, setting, process, synth)
                for name, (process, synth) in times.items()
            )
    return results


def cold_table(results: Sequence[ColdResult]) -> list[str]:
    lines = [
        "| N | variant | setting | median process s | median build + synth s |",
        "|---:|---|---|---:|---:|",
    ]
    medians: dict[tuple[int, str, str], tuple[float, float]] = {}
    for result in results:
        process = statistics.median(result.process_seconds)
        synth = statistics.median(result.synth_seconds)
        medians[result.routes, result.setting, result.variant] = (process, synth)
        lines.append(
            f"| {result.routes} | {result.variant} | {result.setting} | {process:.2f} "
            f"| {synth:.2f} |"
        )
        hand_written = medians.get((result.routes, result.setting, "hand_written"))
        front_door = medians.get((result.routes, result.setting, "front_door"))
        if result.variant == VARIANTS[-1].name and hand_written and front_door:
            lines.append(
                f"| {result.routes} | ratio front_door/hand_written | {result.setting} "
                f"| {front_door[0] / hand_written[0]:.2f} | {front_door[1] / hand_written[1]:.2f} |"
            )
    return lines


# -- where the time goes ---------------------------------------------------------------------


def build_and_synth(variant: Variant, routes: int) -> tuple[float, float]:
    """Build one app's API (after its ``App`` and ``Stack``) and synthesize it: the seconds of
    each."""
    gc.collect()
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as outdir:
        app = App(outdir=outdir)
        stack = Stack(app, variant.stack_name)
        start = time.perf_counter()
        variant.build(stack, routes)
        built = time.perf_counter()
        app.synth()
        return built - start, time.perf_counter() - built


@dataclass(frozen=True)
class Breakdown:
    """One variant's time in parts, in milliseconds, from medians of warm synths of 0,
    ``FUNCTIONS`` (the first route to each function) and ``FUNCTIONS +
    BREAKDOWN_FURTHER_ROUTES`` routes.

    :param fixed_build_ms: building with no route: the functions and the API.
    :param per_function_ms: the first route to each function, each (its integration and
        invoke permission, with the route).
    :param per_route_ms: each further route.
    :param fixed_synth_ms: ``app.synth()`` with no route.
    :param synth_per_route_ms: ``app.synth()``, each route more.
    """

    variant: str
    fixed_build_ms: float
    per_function_ms: float
    per_route_ms: float
    fixed_synth_ms: float
    synth_per_route_ms: float

    @classmethod
    def of(cls, variant: str, medians: dict[int, tuple[float, float]], further: int) -> Breakdown:
        """From the median (build, synth) seconds at 0, ``FUNCTIONS`` and ``FUNCTIONS +
        further`` routes."""
        (build0, synth0), (build_f, _) = medians[0], medians[FUNCTIONS]
        build_n, synth_n = medians[FUNCTIONS + further]
        return cls(
            variant=variant,
            fixed_build_ms=build0 * 1000,
            per_function_ms=(build_f - build0) * 1000 / FUNCTIONS,
            per_route_ms=(build_n - build_f) * 1000 / further,
            fixed_synth_ms=synth0 * 1000,
            synth_per_route_ms=(synth_n - synth0) * 1000 / (FUNCTIONS + further),
        )


def run_breakdown(repeats: int, further: int = BREAKDOWN_FURTHER_ROUTES) -> list[Breakdown]:
    """Each variant's :class:`Breakdown`, from alternating warm synths of each size."""
    sizes = (0, FUNCTIONS, FUNCTIONS + further)
    for repeat in range(WARM_UP_SYNTHS):
        for variant in VARIANTS if repeat % 2 == 0 else VARIANTS[::-1]:
            for routes in sizes:
                build_and_synth(variant, routes)
    samples: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for repeat in range(repeats):
        for variant in VARIANTS if repeat % 2 == 0 else VARIANTS[::-1]:
            for routes in sizes:
                samples.setdefault((variant.name, routes), []).append(
                    build_and_synth(variant, routes)
                )
    breakdowns = []
    for variant in VARIANTS:
        medians = {
            routes: (
                statistics.median(build for build, _ in samples[variant.name, routes]),
                statistics.median(synth for _, synth in samples[variant.name, routes]),
            )
            for routes in sizes
        }
        breakdowns.append(Breakdown.of(variant.name, medians, further))
    return breakdowns


def breakdown_lines(breakdowns: Sequence[Breakdown]) -> list[str]:
    lines = [
        "| variant | build, no route | first route to a function, each | each further route "
        "| synth, no route | synth, each route |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {b.variant} | {b.fixed_build_ms:.1f} | {b.per_function_ms:.2f} "
        f"| {b.per_route_ms:.3f} | {b.fixed_synth_ms:.1f} | {b.synth_per_route_ms:.3f} |"
        for b in breakdowns
    )
    return lines


# -- reporting --------------------------------------------------------------------------------


def node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return "not found"
    completed = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    return completed.stdout.strip() or "unknown"


def environment(repeats: int) -> dict[str, str | int]:
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "node": node_version(),
        "aws_cdk_lib": importlib.metadata.version("aws-cdk-lib"),
        "functions": FUNCTIONS,
        "repeats": repeats,
    }


def table(results: Sequence[VariantResult], ratios: Sequence[RatioResult]) -> list[str]:
    lines = [
        "| N | variant | min s | median s | max s | resources | permissions | integrations "
        "| routes | template KB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for ratio in ratios:
        for result in results:
            if result.routes != ratio.routes:
                continue
            s = result.stats
            lines.append(
                f"| {result.routes} | {result.variant} | {result.min:.3f} | {result.median:.3f} "
                f"| {result.max:.3f} | {s.resources} | {s.permissions} | {s.integrations} "
                f"| {s.routes} | {s.template_bytes / 1024:.1f} |"
            )
        lines.append(
            f"| {ratio.routes} | ratio front_door/hand_written | {min(ratio.pair_ratios):.2f} "
            f"| {ratio.median_ratio:.2f} | {max(ratio.pair_ratios):.2f} | | | | | |"
        )
    return lines


@dataclass(frozen=True)
class Scale:
    """What one more route costs with ``HttpApiGateway``, and how many fit in one stack."""

    resources_per_route: float
    template_bytes_per_route: float
    permissions_per_function: float
    largest_route_count: int
    resources_at_largest: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def scale(results: Sequence[VariantResult]) -> Scale | None:
    """Per-route costs from the smallest and largest route counts measured, and the largest
    route count whose stack stays within CloudFormation's limit, checked by synthesizing it."""
    ours = sorted(
        (result for result in results if result.variant == "front_door"), key=lambda r: r.routes
    )
    if len(ours) < 2 or ours[0].routes == ours[-1].routes:
        return None
    low, high = ours[0], ours[-1]
    added = high.routes - low.routes
    per_route = (high.stats.resources - low.stats.resources) / added
    fixed = low.stats.resources - per_route * low.routes
    largest = int((STACK_RESOURCE_LIMIT - fixed) // per_route)
    _, stats = synth_once(VARIANTS[0], largest)
    if stats.resources > STACK_RESOURCE_LIMIT or stats.resources + per_route <= (
        STACK_RESOURCE_LIMIT
    ):
        raise RuntimeError(
            f"{largest} routes synthesized {stats.resources} resources, which is not the "
            f"largest count within {STACK_RESOURCE_LIMIT}"
        )
    return Scale(
        resources_per_route=per_route,
        template_bytes_per_route=(high.stats.template_bytes - low.stats.template_bytes) / added,
        permissions_per_function=high.stats.permissions / FUNCTIONS,
        largest_route_count=largest,
        resources_at_largest=stats.resources,
    )


def scale_lines(found: Scale) -> list[str]:
    return [
        "| HttpApiGateway | value |",
        "|---|---:|",
        f"| resources per added route | {found.resources_per_route:g} |",
        f"| template bytes per added route | {found.template_bytes_per_route:.0f} |",
        f"| Lambda permissions per function | {found.permissions_per_function:g} |",
        f"| largest route count within {STACK_RESOURCE_LIMIT} resources ({FUNCTIONS} "
        f"functions) | {found.largest_route_count} ({found.resources_at_largest} resources) |",
    ]


def route_counts_arg(value: str) -> list[int]:
    try:
        counts = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated route counts like 10,50, got {value!r}"
        ) from None
    if not counts or any(count < 1 for count in counts):
        raise argparse.ArgumentTypeError(f"route counts must be 1 or more, got {value!r}")
    return counts


def whole_number_arg(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected {minimum} or more, got {number}")
        return number

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synth_bench",
        description="Synth time of HttpApiGateway against the same API hand-written with the L2.",
    )
    parser.add_argument(
        "--routes",
        type=route_counts_arg,
        default=list(DEFAULT_ROUTES),
        help="comma-separated route counts (default: %(default)s)",
    )
    parser.add_argument(
        "--repeats",
        type=whole_number_arg(1),
        default=DEFAULT_REPEATS,
        help="timed synths per variant and route count (default: %(default)s)",
    )
    parser.add_argument(
        "--cold-routes",
        type=route_counts_arg,
        default=list(DEFAULT_COLD_ROUTES),
        help="route counts synthesized in fresh processes (default: %(default)s)",
    )
    parser.add_argument(
        "--cold-repeats",
        type=whole_number_arg(0),
        default=DEFAULT_COLD_REPEATS,
        help="fresh-process synths per variant, setting and route count; 0 for none "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--breakdown-repeats",
        type=whole_number_arg(0),
        default=DEFAULT_BREAKDOWN_REPEATS,
        help="warm synths per variant and size for the breakdown of where the time goes; 0 "
        "for none (default: %(default)s)",
    )
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_child:
        variant_name, _, routes_text = args.cold_child.partition(":")
        cold_child(variant_name, int(routes_text))
        return 0
    route_counts: list[int] = args.routes
    repeats: int = args.repeats
    cold_routes: list[int] = args.cold_routes
    cold_repeats: int = args.cold_repeats
    breakdown_repeats: int = args.breakdown_repeats

    env = environment(repeats)
    results, ratios = run(route_counts, repeats)
    breakdowns = run_breakdown(breakdown_repeats) if breakdown_repeats else []
    cold = run_cold(cold_routes, cold_repeats) if cold_repeats else []

    print("# Synth benchmark: cdk_front_door vs hand-written aws-cdk-lib L2")
    print()
    print(f"- date: {env['date_utc']}")
    print(f"- platform: {env['platform']}")
    print(f"- python: {env['python']}")
    print(f"- node: {env['node']}")
    print(f"- aws-cdk-lib: {env['aws_cdk_lib']}")
    print(
        f"- {repeats} timed synth(s) per variant and N, alternating; {FUNCTIONS} Lambda "
        "functions; seconds of construct building + app.synth()"
    )
    print()
    print("\n".join(table(results, ratios)))
    found = scale(results)
    if found is not None:
        print()
        print("\n".join(scale_lines(found)))
    if breakdowns:
        print()
        print(
            f"Where the time goes: ms, medians of {breakdown_repeats} warm synths per variant "
            f"of 0, {FUNCTIONS} and {FUNCTIONS + BREAKDOWN_FURTHER_ROUTES} routes, alternating"
        )
        print()
        print("\n".join(breakdown_lines(breakdowns)))
    if cold:
        print()
        print(
            f"Fresh process per synth ({cold_repeats} per variant and setting, alternating): "
            "wall time of the whole process, and of building + app.synth() in it"
        )
        print()
        print("\n".join(cold_table(cold)))

    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(
        json.dumps(
            {
                "environment": env,
                "results": [result.to_json() for result in results],
                "ratios": [ratio.to_json() for ratio in ratios],
                "scale": None if found is None else found.to_json(),
                "breakdown": [asdict(b) for b in breakdowns],
                "cold": [result.to_json() for result in cold],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
