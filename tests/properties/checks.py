"""What a synthesized case must satisfy: templates that cfn-lint passes, no error annotation,
one integration per distinct target configuration, the values asked for in the template, and
nothing accepted that the README says is refused because it could never work (a route no
client can reach, a CORS origin no browser sends, a URL with an impossible port).

Everything here reads the cloud assembly directory (JSON files): no jsii round trip.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.properties.build import MAIN_STACK, Built, BuiltRoute, Spec, canonical
from tests.support import cfn_lint

LINT_REGIONS = ("us-east-1", "eu-west-1")
INTEGRATION = "AWS::ApiGatewayV2::Integration"
ROUTE = "AWS::ApiGatewayV2::Route"


@dataclass(frozen=True)
class Problem:
    """One way a synthesized case breaks the contract."""

    outcome: str  # annotation_error, lint, wrong_build
    detail: str


@dataclass
class Assembly:
    """The stacks of a synthesized app: templates and error annotations, by stack name."""

    templates: dict[str, dict[str, Any]]
    errors: list[str]


def read_assembly(outdir: str) -> Assembly:
    """Read the templates and error annotations of the cloud assembly in ``outdir``."""
    root = Path(outdir)
    manifest = json.loads((root / "manifest.json").read_text())
    templates: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for name, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template_file = artifact["properties"]["templateFile"]
        templates[name] = json.loads((root / template_file).read_text())
        for path, entries in artifact.get("metadata", {}).items():
            for entry in entries:
                if entry.get("type") == "aws:cdk:error":
                    errors.append(f"{path}: {entry.get('data')}")
    return Assembly(templates=templates, errors=errors)


def problems(spec: Spec, built: Built, assembly: Assembly) -> list[Problem]:
    """Every way the synthesized case breaks the contract; empty when it holds."""
    found = [Problem("annotation_error", error) for error in assembly.errors]
    for name, template in sorted(assembly.templates.items()):
        found += [Problem("lint", f"{name}: {f}") for f in cfn_lint(template, LINT_REGIONS)]
    main = assembly.templates.get(MAIN_STACK, {})
    if built.gateway is not None:
        found += [Problem("wrong_build", d) for d in integration_problems(main, built.routes)]
        found += [Problem("wrong_build", d) for d in gateway_value_problems(spec, main)]
    found += [Problem("wrong_build", d) for d in container_problems(spec, main)]
    found += [Problem("wrong_build", f"accepted {d}") for d in refused_values(spec)]
    return found


# -- integrations ----------------------------------------------------------------------------


def _resources(template: Mapping[str, Any], kind: str) -> dict[str, Any]:
    return {
        logical_id: resource
        for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") == kind
    }


def _refs(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            yield value["Ref"]
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _integration_of_each_route(
    template: Mapping[str, Any], integrations: Mapping[str, Any]
) -> dict[str, str | None]:
    """The logical id of the integration each route key of ``template`` targets; None for a
    route that targets none of ``integrations``."""
    targets: dict[str, str | None] = {}
    for resource in _resources(template, ROUTE).values():
        properties = resource.get("Properties", {})
        used = [ref for ref in _refs(properties.get("Target")) if ref in integrations]
        targets[str(properties.get("RouteKey"))] = used[0] if used else None
    return targets


def integration_problems(template: Mapping[str, Any], routes: Sequence[BuiltRoute]) -> list[str]:
    """Integrations must map one to one onto the distinct configurations routed to: routes to
    equal configurations share one integration, and an integration serves one deployed
    configuration (see :func:`tests.properties.build.target_config`)."""
    integrations = _resources(template, INTEGRATION)
    targets = _integration_of_each_route(template, integrations)
    found: list[str] = []
    by_config: dict[str, set[str]] = {}
    by_integration: dict[str, set[str]] = {}
    for index, route in enumerate(routes):
        if route.route_key not in targets:
            found.append(f"route {route.route_key!r} was added but is not in the template")
            continue
        integration = targets[route.route_key]
        if integration is None:
            found.append(f"route {route.route_key!r} targets no integration of the template")
            continue
        unknown = f"unknown target #{index}"
        by_config.setdefault(route.config or unknown, set()).add(integration)
        by_integration.setdefault(integration, set()).add(route.deployed or unknown)
    for config, shared in sorted(by_config.items()):
        if len(shared) > 1:
            found.append(f"equal target configurations use {len(shared)} integrations: {config}")
    for integration, configs in sorted(by_integration.items()):
        if len(configs) > 1:
            found.append(
                f"integration {integration} is shared by {len(configs)} different target "
                f"configurations: {' / '.join(sorted(configs))}"
            )
    user_keys = {route.route_key for route in routes}
    generated = {i for key, i in targets.items() if key not in user_keys and i is not None}
    extra = set(integrations) - set(by_integration) - generated
    # The CORS preflight function's integration stays when routes of the user replace every
    # preflight route that used it (documented).
    preflight = {i for i in extra if "Preflight" in _path(integrations[i])}
    if len(preflight) == 1:
        extra -= preflight
    if extra:
        found.append(f"integrations no route uses: {sorted(extra)}")
    return found


def _path(resource: Mapping[str, Any]) -> str:
    return str(resource.get("Metadata", {}).get("aws:cdk:path", ""))


# -- values asked for ------------------------------------------------------------------------


def _tag(data: object) -> str | None:
    return data.get("$") if isinstance(data, dict) else None


def _plain_strings(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, str) and "${Token[" not in item for item in value
    )


def _plain_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) < 1e15
    )


def gateway_value_problems(spec: Spec, template: Mapping[str, Any]) -> list[str]:
    """The CORS rules, throttling, detailed metrics and alarms asked for are the ones in the
    template."""
    gateway = spec.get("gateway", {})
    found: list[str] = []
    apis = list(_resources(template, "AWS::ApiGatewayV2::Api").values())
    cors = gateway.get("cors")
    if _tag(cors) == "Cors" and apis:
        found += _cors_problems(cors, apis[0].get("Properties", {}).get("CorsConfiguration", {}))
    stages = list(_resources(template, "AWS::ApiGatewayV2::Stage").values())
    throttle = gateway.get("throttle")
    if _tag(throttle) == "Throttle" and stages:
        settings = stages[0].get("Properties", {}).get("DefaultRouteSettings", {})
        found += _throttle_problems("stage", throttle, settings)
    if gateway.get("detailed_metrics") is True and stages:
        settings = stages[0].get("Properties", {}).get("DefaultRouteSettings", {})
        if settings.get("DetailedMetricsEnabled") is not True:
            found.append(f"detailed_metrics=True became DefaultRouteSettings {settings!r}")
    found += _alarm_problems(gateway.get("alarms"), template)
    for route in spec.get("routes", []):
        if _tag(route.get("throttle")) == "Throttle" and stages and isinstance(route["key"], str):
            key = route["key"].replace("* ", "ANY ", 1)
            route_settings = stages[0].get("Properties", {}).get("RouteSettings", {})
            found += _throttle_problems(
                f"route {key!r}", route["throttle"], route_settings.get(key, {})
            )
    return found


# What each API alarm's description starts with, by the setting of its threshold, and the
# threshold it has by default.
_API_ALARMS = {
    "server_error_rate": ("answered with 5xx (server errors)", 1.0),
    "client_error_rate": ("answered with 4xx (client errors)", 25.0),
    "latency_ms": ("to answer 1 % of its requests (p99)", 3000.0),
    "integration_latency_ms": ("(p99 integration latency)", 2500.0),
}


def _alarm_problems(alarms: object, template: Mapping[str, Any]) -> list[str]:
    """Each API alarm asked for has the threshold asked for; one set to None is not there;
    a dashboard is there when asked for."""
    if alarms is not True and _tag(alarms) != "Alarms":
        return []
    settings: Mapping[str, Any] = alarms if isinstance(alarms, dict) else {}
    descriptions = {
        str(resource.get("Properties", {}).get("AlarmDescription", "")): resource["Properties"]
        for resource in _resources(template, "AWS::CloudWatch::Alarm").values()
    }
    found: list[str] = []
    for name, (words, default) in _API_ALARMS.items():
        given = settings.get(name, default)
        alarm = next((p for text, p in descriptions.items() if words in text), None)
        if given is None and alarm is not None:
            found.append(f"alarms {name}=None still defined an alarm: {alarm!r}")
        elif _plain_number(given) and (
            alarm is None or not math.isclose(float(alarm.get("Threshold", math.nan)), given)
        ):
            found.append(f"alarms {name}={given!r} became {alarm!r}")
    dashboards = _resources(template, "AWS::CloudWatch::Dashboard")
    if settings.get("dashboard") is True and not dashboards:
        found.append("alarms dashboard=True defined no dashboard")
    return found


def _cors_problems(cors: Mapping[str, Any], configuration: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for name, prop, lower in (
        ("allow_origins", "AllowOrigins", False),
        ("allow_headers", "AllowHeaders", True),
        ("expose_headers", "ExposeHeaders", True),
    ):
        if name not in cors:
            continue
        given = cors[name]
        if isinstance(given, str):
            found.append(f"cors {name} was given the string {given!r}, not a list, and accepted")
            continue
        if not _plain_strings(given):
            continue
        expected = sorted({item.lower() if lower else item for item in given})
        actual = sorted({str(item) for item in configuration.get(prop, [])})
        if expected != actual:
            found.append(f"cors {name} {given!r} became {prop} {actual!r}")
    credentials = cors.get("allow_credentials")
    if isinstance(credentials, bool) and bool(configuration.get("AllowCredentials")) != credentials:
        found.append(f"cors allow_credentials={credentials} became {configuration!r}")
    return found


def _throttle_problems(what: str, throttle: Mapping[str, Any], settings: Any) -> list[str]:
    found: list[str] = []
    for name, prop in (
        ("rate_limit", "ThrottlingRateLimit"),
        ("burst_limit", "ThrottlingBurstLimit"),
    ):
        given = throttle.get(name)
        if not isinstance(given, int | float) or not _plain_number(given):
            continue
        actual = settings.get(prop) if isinstance(settings, dict) else None
        if not isinstance(actual, int | float) or not math.isclose(actual, given, rel_tol=1e-9):
            found.append(f"{what} throttle {name}={given!r} became {prop} {actual!r}")
    return found


def _containers(spec: Spec) -> Iterator[Mapping[str, Any]]:
    for service in spec.get("services", {}).values():
        containers = service.get("containers")
        for container in containers if isinstance(containers, list) else []:
            if _tag(container) == "Container":
                yield container
    for job in spec.get("jobs", {}).values():
        if _tag(job.get("container")) == "Container":
            yield job["container"]


def container_problems(spec: Spec, template: Mapping[str, Any]) -> list[str]:
    """Each container's command and environment are the ones given."""
    definitions: dict[str, list[dict[str, Any]]] = {}
    for task in _resources(template, "AWS::ECS::TaskDefinition").values():
        for definition in task.get("Properties", {}).get("ContainerDefinitions", []):
            definitions.setdefault(str(definition.get("Name")), []).append(definition)
    found: list[str] = []
    for container in _containers(spec):
        name = container.get("name")
        for definition in definitions.get(str(name), []):
            found += _container_value_problems(container, definition)
    return found


def _container_value_problems(
    container: Mapping[str, Any], definition: Mapping[str, Any]
) -> list[str]:
    found: list[str] = []
    name = container.get("name")
    command = container.get("command")
    if isinstance(command, str):
        found.append(
            f"container {name!r} command was given the string {command!r}, not a list, and "
            f"became Command {definition.get('Command')!r}"
        )
    elif _plain_strings(command) and definition.get("Command") != command:
        found.append(f"container {name!r} command {command!r} became {definition.get('Command')!r}")
    environment = container.get("environment")
    if isinstance(environment, dict) and _tag(environment) is None:
        actual = {e.get("Name"): e.get("Value") for e in definition.get("Environment", [])}
        wrong = {
            k: v for k, v in environment.items() if not isinstance(v, str) or actual.get(k) != v
        }
        if wrong:
            found.append(
                f"container {name!r} environment {canonical(wrong)} became {canonical(actual)}"
            )
    return found


# -- values the README says are refused --------------------------------------------------

_DEFAULT_PORTS = {"http": "80", "https": "443"}
_MAX_LABEL = 63


def refused_values(spec: Spec) -> list[str]:
    """What the spec asks for that can never work, and must therefore have been refused."""
    found: list[str] = []
    gateway = spec.get("gateway", {})
    for route in spec.get("routes", []):
        key = route.get("key")
        if isinstance(key, str) and " /" in key:
            segments = key.partition(" ")[2].split("/")
            if any(segment in (".", "..") for segment in segments):
                found.append(f"route key {key!r}: clients remove '.' and '..' segments")
        found += _url_problems(route.get("target"))
    cors = gateway.get("cors")
    if _tag(cors) == "Cors" and isinstance(cors.get("allow_origins"), list):
        credentials = cors.get("allow_credentials") is True
        for origin in cors["allow_origins"]:
            problem = _origin_problem(origin, credentials) if isinstance(origin, str) else None
            if problem is not None:
                found.append(f"cors origin {origin!r}: {problem}")
    return found


def _origin_problem(origin: str, credentials: bool) -> str | None:
    """Why no browser ever sends ``origin`` (or, with credentials, why it must not be
    allowed); None when it is fine or a token."""
    if "${Token[" in origin or (origin == "*" and not credentials):
        return None
    scheme, separator, rest = origin.partition("://")
    host, port = _host_and_port(rest)
    checks: list[tuple[bool, str]] = [
        (origin == "*", "'*' with credentials"),
        (
            any(char.isspace() or not char.isprintable() for char in origin),
            "white space or a control character",
        ),
        (not separator or scheme.lower() not in _DEFAULT_PORTS, "not http:// or https://"),
        (
            any(char in rest for char in "/?#"),
            "a path, query, fragment or trailing '/', which browsers never send",
        ),
        (origin != origin.lower(), "upper case, but browsers send origins in lower case"),
        ("*" in rest and credentials, "a wildcard origin with credentials"),
        ("@" in rest, "user info, which an origin never has"),
        (port is not None and not _valid_port(port), f"the port {port!r}"),
        (port == _DEFAULT_PORTS.get(scheme), "the default port, which browsers leave out"),
    ]
    problem = next((message for failed, message in checks if failed), None)
    return problem or _host_problem(host)


def _valid_port(port: str) -> bool:
    return port.isdigit() and not port.startswith("0") and 1 <= int(port) <= 65535


def _host_and_port(authority: str) -> tuple[str, str | None]:
    if authority.startswith("["):
        host, _, rest = authority.partition("]")
        return host + "]", rest[1:] if rest.startswith(":") else None
    host, separator, port = authority.rpartition(":")
    return (host, port) if separator else (authority, None)


def _host_problem(host: str) -> str | None:
    if not host:
        return "no host"
    if not host.isascii():
        return "a host that is not ASCII (browsers send punycode)"
    if not host.startswith("[") and any(
        not label or len(label) > _MAX_LABEL for label in host.split(".")
    ):
        return "an empty or over-long (more than 63 characters) host label"
    return None


def _url_problems(target: object) -> list[str]:
    """A URL target with control characters or an impossible port."""
    url = target.get("url") if isinstance(target, dict) and _tag(target) == "HttpUrl" else target
    if not isinstance(url, str) or "${Token[" in url or not url.startswith("https://"):
        return []
    if any(not char.isprintable() for char in url):
        return [f"url target {url!r}: a control character"]
    authority = url[len("https://") :].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host, port = _host_and_port(authority.rpartition("@")[2])
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        return [f"url target {url!r}: the port {port!r}"]
    problem = _host_problem(host)
    return [] if problem is None else [f"url target {url!r}: {problem}"]
