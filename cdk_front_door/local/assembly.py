"""Reading the HTTP APIs of a synthesized cloud assembly (``cdk.out``) into plain data.

Everything here reads the templates as CloudFormation would receive them, so it works for any
CDK app's HTTP API, built with this library or by hand. Values that only CloudFormation can
resolve (account, region, attributes of other resources) become named local stand-ins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._metadata import ORIGIN_CHECK

# Lambda runtimes the local front door runs, in worker processes: Python and Node.js.
RUNTIMES = ("python3.", "nodejs")
LOCAL_ACCOUNT = "000000000000"
LOCAL_REGION = "local"
# https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
MAX_INTEGRATION_TIMEOUT_MS = 30_000


class AssemblyError(Exception):
    """The cloud assembly cannot be served: missing, broken, or without an HTTP API."""


@dataclass(frozen=True)
class LocalFunction:
    """A Lambda function, as the local front door runs it.

    :param logical_id: its logical id.
    :param runtime: the Lambda runtime, such as ``python3.14``.
    :param handler: ``module.function``.
    :param code_dir: the folder its code is loaded from (an asset folder, or a folder holding
        its inline code).
    :param inline_code: the function's inline code, written as ``index.py`` into a folder of
        the server's own; None for an asset.
    :param environment: its environment variables, with local stand-ins for tokens.
    :param timeout_seconds: its timeout.
    """

    logical_id: str
    runtime: str
    handler: str
    code_dir: Path | None
    inline_code: str | None
    environment: Mapping[str, str]
    timeout_seconds: float


_REQUEST_KEY = re.compile(
    r"^(append|overwrite|remove):(header|querystring)\.(.+)$|^overwrite:path$"
)
_RESPONSE_KEY = re.compile(r"^(append|overwrite|remove):header\.(.+)$|^overwrite:statuscode$")


@dataclass(frozen=True)
class ParameterMappings:
    """An integration's ``RequestParameters`` and ``ResponseParameters`` (by status code)."""

    request: Mapping[str, str] = field(default_factory=dict)
    response: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def problem(self) -> str | None:
        """Why API Gateway would not take these mappings; None when it would."""
        for key in self.request:
            if not _REQUEST_KEY.match(key):
                return f"its request parameter mapping key {key!r} is not one HTTP APIs accept"
        for status, parameters in self.response.items():
            if not status.isdigit():
                return f"its response parameter mapping is keyed by {status!r}, not a status code"
            for key in parameters:
                if not _RESPONSE_KEY.match(key):
                    return f"its response parameter mapping key {key!r} is not one HTTP APIs accept"
        return None


@dataclass(frozen=True)
class LambdaIntegration:
    """An ``AWS_PROXY`` integration with a Lambda function."""

    function: LocalFunction
    payload_version: str
    timeout_ms: int
    mappings: ParameterMappings = ParameterMappings()


@dataclass(frozen=True)
class HttpUrlIntegration:
    """An ``HTTP_PROXY`` integration with a public URL (``{proxy}`` and other path parameters
    filled in from the request)."""

    uri: str
    method: str
    timeout_ms: int
    mappings: ParameterMappings = ParameterMappings()


@dataclass(frozen=True)
class PrivateIntegration:
    """An ``HTTP_PROXY`` integration over a VPC Link with a Cloud Map service (a container
    service): served by the local URL given for ``service``, the logical id of the Cloud Map
    service, with the request's path and query as they came."""

    service: str
    timeout_ms: int
    mappings: ParameterMappings = ParameterMappings()


@dataclass(frozen=True)
class ServiceIntegration:
    """An AWS service integration (``IntegrationSubtype``, such as ``SQS-SendMessage``) with
    its request parameter mapping; not called locally: the route answers with the call it
    would make."""

    subtype: str
    parameters: Mapping[str, str]


@dataclass(frozen=True)
class Unsupported:
    """Something the local front door does not run; the route is not served, and says why."""

    reason: str


Integration = (
    LambdaIntegration | HttpUrlIntegration | PrivateIntegration | ServiceIntegration | Unsupported
)


@dataclass(frozen=True)
class JwtAuthorizer:
    """A JWT authorizer: the token in ``identity_source`` is checked against ``issuer``'s
    keys and ``audience``."""

    name: str
    issuer: str
    audience: tuple[str, ...]
    identity_source: str


@dataclass(frozen=True)
class LambdaAuthorizer:
    """A Lambda (``REQUEST``) authorizer: ``function`` decides, from the request whose
    ``identity_sources`` must all be present, with a simple or an IAM-policy answer, cached
    ``ttl_seconds`` by the identity sources' values."""

    name: str
    function: LocalFunction
    identity_sources: tuple[str, ...]
    ttl_seconds: int
    simple_responses: bool
    payload_version: str


Authorizer = JwtAuthorizer | LambdaAuthorizer


@dataclass(frozen=True)
class OriginCheck:
    """The authorizer of a gateway's origin protection, which lets through only requests
    that carry the CDN's secret ``header``. The local front door stands for the API as the
    CDN reaches it, so its routes are served as public."""

    name: str
    header: str


@dataclass(frozen=True)
class LocalRoute:
    """One route of an HTTP API.

    :param key: the route key, such as ``GET /users/{id}`` or ``$default``.
    :param integration: where requests go.
    :param authorization_type: ``NONE``, ``JWT``, ``CUSTOM`` or ``AWS_IAM``.
    :param authorizer: the JWT or Lambda authorizer; None for other kinds.
    :param scopes: the scopes a token needs (any one of them); empty for none.
    :param refused: why the route is not served locally; None when it is.
    """

    key: str
    integration: Integration
    authorization_type: str
    authorizer: Authorizer | None
    scopes: tuple[str, ...]
    refused: str | None

    @property
    def method(self) -> str:
        return "" if self.key == "$default" else self.key.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return "$default" if self.key == "$default" else self.key.split(" ", 1)[1]


@dataclass(frozen=True)
class LocalCors:
    """An HTTP API's CORS configuration."""

    allow_origins: tuple[str, ...]
    allow_methods: tuple[str, ...]
    allow_headers: tuple[str, ...]
    expose_headers: tuple[str, ...]
    allow_credentials: bool
    max_age: int | None


@dataclass(frozen=True)
class LocalThrottle:
    """A token bucket: ``rate`` requests per second, ``burst`` at once."""

    rate: float
    burst: int


@dataclass(frozen=True)
class LocalApi:
    """One HTTP API and its ``$default`` stage.

    :param stack: the stack it is in.
    :param logical_id: the API's logical id.
    :param name: the API's name.
    :param routes: its routes.
    :param cors: its CORS configuration; None without CORS.
    :param throttle: the stage's throttling; None when unthrottled.
    :param route_throttles: per-route throttling, by route key.
    :param access_log_format: the stage's access log format; None without access logs.
    """

    stack: str
    logical_id: str
    name: str
    routes: tuple[LocalRoute, ...]
    cors: LocalCors | None
    throttle: LocalThrottle | None
    route_throttles: Mapping[str, LocalThrottle] = field(default_factory=dict)
    access_log_format: str | None = None


def load_apis(assembly: Path) -> list[LocalApi]:
    """The HTTP APIs of every stack in the cloud assembly folder ``assembly``."""
    manifest_file = assembly / "manifest.json"
    if not manifest_file.is_file():
        raise AssemblyError(
            f"{assembly} is not a cloud assembly (no manifest.json): synthesize the app first "
            "(cdk synth), or pass its output folder"
        )
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AssemblyError(f"{manifest_file} cannot be read: {error}") from error
    apis: list[LocalApi] = []
    for name, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") == "aws:cloudformation:stack":
            template_file = assembly / artifact.get("properties", {}).get("templateFile", "")
            apis.extend(_stack_apis(assembly, name, template_file))
        elif artifact.get("type") == "cdk:cloud-assembly":  # a Stage's nested assembly
            nested = artifact.get("properties", {}).get("directoryName")
            if nested:
                apis.extend(load_apis(assembly / nested))
    return apis


def _stack_apis(assembly: Path, stack: str, template_file: Path) -> list[LocalApi]:
    try:
        template = json.loads(template_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AssemblyError(f"template {template_file} cannot be read: {error}") from error
    resources: dict[str, Any] = template.get("Resources", {})
    assets = _asset_folders(assembly, template_file)
    apis = []
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::ApiGatewayV2::Api" and (
            properties.get("ProtocolType") == "HTTP"
        ):
            apis.append(_api(stack, logical_id, properties, resources, assets))
    return apis


def _asset_folders(assembly: Path, template_file: Path) -> dict[str, Path]:
    """The folder of each file asset of the stack, by the S3 object key it is published to."""
    assets_file = template_file.with_name(
        template_file.name.replace(".template.json", ".assets.json")
    )
    if not assets_file.is_file():
        return {}
    data = json.loads(assets_file.read_text(encoding="utf-8"))
    folders: dict[str, Path] = {}
    for asset in data.get("files", {}).values():
        source = asset.get("source", {}).get("path")
        for destination in asset.get("destinations", {}).values():
            key = destination.get("objectKey")
            if source and key:
                folders[key] = assembly / source
    return folders


def _refs(value: object) -> list[str]:
    """The logical ids ``value`` refers to (``Ref`` and ``Fn::GetAtt``), in order."""
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            return [value["Ref"]]
        if "Fn::GetAtt" in value and isinstance(value["Fn::GetAtt"], list):
            return [str(value["Fn::GetAtt"][0])]
        return [ref for item in value.values() for ref in _refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


def _belongs(properties: Mapping[str, Any], api_id: str) -> bool:
    return _refs(properties.get("ApiId")) == [api_id]


def _api(
    stack: str,
    api_id: str,
    properties: Mapping[str, Any],
    resources: Mapping[str, Any],
    assets: Mapping[str, Path],
) -> LocalApi:
    of_api = {
        logical_id: resource
        for logical_id, resource in resources.items()
        if resource.get("Type", "").startswith("AWS::ApiGatewayV2::")
        and _belongs(resource.get("Properties", {}), api_id)
    }
    integrations = {
        logical_id: _integration(resource["Properties"], resources, assets)
        for logical_id, resource in of_api.items()
        if resource["Type"] == "AWS::ApiGatewayV2::Integration"
    }
    authorizers = {
        logical_id: _authorizer(logical_id, resource["Properties"], resources, assets)
        for logical_id, resource in of_api.items()
        if resource["Type"] == "AWS::ApiGatewayV2::Authorizer"
    }
    routes = tuple(
        _route(resource["Properties"], integrations, authorizers)
        for resource in of_api.values()
        if resource["Type"] == "AWS::ApiGatewayV2::Route"
    )
    stage: Mapping[str, Any] = next(
        (
            resource["Properties"]
            for resource in of_api.values()
            if resource["Type"] == "AWS::ApiGatewayV2::Stage"
            and resource["Properties"].get("StageName") == "$default"
        ),
        {},
    )
    return LocalApi(
        stack=stack,
        logical_id=api_id,
        name=str(properties.get("Name", api_id)),
        routes=routes,
        cors=_cors(properties.get("CorsConfiguration")),
        throttle=_throttle(stage.get("DefaultRouteSettings")),
        route_throttles={
            key: throttle
            for key, settings in stage.get("RouteSettings", {}).items()
            if (throttle := _throttle(settings)) is not None
        },
        access_log_format=stage.get("AccessLogSettings", {}).get("Format"),
    )


def _integration(
    properties: Mapping[str, Any], resources: Mapping[str, Any], assets: Mapping[str, Path]
) -> Integration:
    kind = properties.get("IntegrationType")
    timeout = int(properties.get("TimeoutInMillis", MAX_INTEGRATION_TIMEOUT_MS))
    if kind in ("AWS_PROXY", "HTTP_PROXY") and "IntegrationSubtype" not in properties:
        mappings = _mappings(properties)
        problem = mappings.problem()
        if problem is not None:
            return Unsupported(problem)
        if kind == "HTTP_PROXY":
            return _http_integration(properties, timeout, mappings)
        return _lambda_integration(properties, resources, assets, timeout, mappings)
    subtype = properties.get("IntegrationSubtype")
    if kind == "AWS_PROXY" and isinstance(subtype, str):
        return ServiceIntegration(
            subtype=subtype,
            parameters={
                str(name): stand_in(value)
                for name, value in properties.get("RequestParameters", {}).items()
            },
        )
    return Unsupported(f"its {kind} integration is not run locally")


def _mappings(properties: Mapping[str, Any]) -> ParameterMappings:
    """The integration's parameter mappings, response ones in either shape CloudFormation
    takes (``{"200": {"ResponseParameters": [{"Destination", "Source"}]}}`` or the API's
    ``{"200": {"overwrite:statuscode": "..."}}``)."""
    response: dict[str, dict[str, str]] = {}
    for status, entry in properties.get("ResponseParameters", {}).items():
        listed = entry.get("ResponseParameters") if isinstance(entry, dict) else None
        pairs = (
            [(item.get("Destination"), item.get("Source")) for item in listed]
            if isinstance(listed, list)
            else list(entry.items())
        )
        response[str(status)] = {str(key): stand_in(value) for key, value in pairs}
    return ParameterMappings(
        request={
            str(key): stand_in(value)
            for key, value in properties.get("RequestParameters", {}).items()
        },
        response=response,
    )


def _http_integration(
    properties: Mapping[str, Any], timeout: int, mappings: ParameterMappings
) -> Integration:
    uri = properties.get("IntegrationUri")
    if properties.get("ConnectionType", "INTERNET") != "INTERNET":
        refs = _refs(uri)
        if not refs:
            return Unsupported("its private integration names no Cloud Map service")
        return PrivateIntegration(service=refs[0], timeout_ms=timeout, mappings=mappings)
    if not isinstance(uri, str):
        return Unsupported("its URL is only known once deployed")
    return HttpUrlIntegration(
        uri=uri,
        method=str(properties.get("IntegrationMethod", "ANY")),
        timeout_ms=timeout,
        mappings=mappings,
    )


def _lambda_integration(
    properties: Mapping[str, Any],
    resources: Mapping[str, Any],
    assets: Mapping[str, Path],
    timeout: int,
    mappings: ParameterMappings,
) -> Integration:
    refs = [ref for ref in _refs(properties.get("IntegrationUri")) if ref in resources]
    function = resources.get(refs[0]) if refs else None
    if function is None or function.get("Type") != "AWS::Lambda::Function":
        return Unsupported("its Lambda function is not defined in the same stack")
    local = _function(refs[0], function["Properties"], assets)
    if isinstance(local, Unsupported):
        return local
    return LambdaIntegration(
        function=local,
        payload_version=str(properties.get("PayloadFormatVersion", "2.0")),
        timeout_ms=timeout,
        mappings=mappings,
    )


def _function(
    logical_id: str, properties: Mapping[str, Any], assets: Mapping[str, Path]
) -> LocalFunction | Unsupported:
    runtime = str(properties.get("Runtime", ""))
    if properties.get("PackageType") == "Image" or not runtime.startswith(RUNTIMES):
        return Unsupported(
            f"function {logical_id} runs {runtime or 'a container image'}; the local front door "
            "runs Python and Node.js functions"
        )
    code = properties.get("Code", {})
    inline = code.get("ZipFile")
    folder = None
    if not isinstance(inline, str):
        inline = None
        folder = assets.get(str(code.get("S3Key")))
        if folder is None or not folder.is_dir():
            return Unsupported(f"the code of function {logical_id} is not in the assembly")
    variables = properties.get("Environment", {}).get("Variables", {})
    return LocalFunction(
        logical_id=logical_id,
        runtime=runtime,
        handler=str(properties.get("Handler", "index.handler")),
        code_dir=folder,
        inline_code=inline,
        environment={name: stand_in(value) for name, value in variables.items()},
        timeout_seconds=float(properties.get("Timeout", 3)),
    )


def stand_in(value: object) -> str:
    """A value as the local front door sees it: strings as they are, references to other
    resources and pseudo parameters as named stand-ins (``local:<logical id>``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, dict) and len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Ref":
            return {
                "AWS::Region": LOCAL_REGION,
                "AWS::AccountId": LOCAL_ACCOUNT,
                "AWS::Partition": "aws",
                "AWS::URLSuffix": "amazonaws.com",
            }.get(str(argument), f"local:{argument}")
        if function == "Fn::GetAtt" and isinstance(argument, list):
            return f"local:{'.'.join(str(part) for part in argument)}"
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            separator, parts = argument
            if isinstance(parts, list):
                return str(separator).join(stand_in(part) for part in parts)
    return f"local:{json.dumps(value, sort_keys=True)}"


def _route(
    properties: Mapping[str, Any],
    integrations: Mapping[str, Integration],
    authorizers: Mapping[str, Authorizer | OriginCheck | Unsupported],
) -> LocalRoute:
    key = str(properties["RouteKey"])
    targets = [ref for ref in _refs(properties.get("Target")) if ref in integrations]
    integration: Integration = (
        integrations[targets[0]] if targets else Unsupported("it has no integration")
    )
    kind = str(properties.get("AuthorizationType", "NONE"))
    authorizer: Authorizer | None = None
    refused = integration.reason if isinstance(integration, Unsupported) else None
    if isinstance(integration, ServiceIntegration):
        refused = (
            f"an AWS service integration ({integration.subtype}) is not called locally; the "
            "route answers with the call it would make"
        )
    if kind in ("JWT", "CUSTOM"):
        ids = [ref for ref in _refs(properties.get("AuthorizerId")) if ref in authorizers]
        found = authorizers[ids[0]] if ids else Unsupported("its authorizer is not in the stack")
        if isinstance(found, Unsupported):
            refused = found.reason
        elif isinstance(found, OriginCheck):
            kind = "NONE"  # served as the CDN reaches it: with the origin secret
        else:
            authorizer = found
    return LocalRoute(
        key=key,
        integration=integration,
        authorization_type=kind,
        authorizer=authorizer,
        scopes=tuple(str(scope) for scope in properties.get("AuthorizationScopes", [])),
        refused=refused,
    )


def _authorizer(
    logical_id: str,
    properties: Mapping[str, Any],
    resources: Mapping[str, Any],
    assets: Mapping[str, Path],
) -> Authorizer | OriginCheck | Unsupported:
    sources = tuple(str(source) for source in properties.get("IdentitySource", []))
    name = str(properties.get("Name", logical_id))
    if properties.get("AuthorizerType") == "JWT":
        configuration = properties.get("JwtConfiguration", {})
        issuer = configuration.get("Issuer")
        if not isinstance(issuer, str) or not sources:
            return Unsupported(f"its JWT authorizer {name} has no literal issuer")
        return JwtAuthorizer(
            name=name,
            issuer=issuer,
            audience=tuple(str(item) for item in configuration.get("Audience", [])),
            identity_source=sources[0],
        )
    refs = [ref for ref in _refs(properties.get("AuthorizerUri")) if ref in resources]
    function = resources.get(refs[0]) if refs else None
    if function is None or function.get("Type") != "AWS::Lambda::Function":
        return Unsupported(f"the function of its Lambda authorizer {name} is not in the stack")
    if ORIGIN_CHECK in function.get("Metadata", {}):
        return OriginCheck(name=name, header=str(function["Metadata"][ORIGIN_CHECK]))
    local = _function(refs[0], function["Properties"], assets)
    if isinstance(local, Unsupported):
        return Unsupported(f"its Lambda authorizer {name} cannot run: {local.reason}")
    return LambdaAuthorizer(
        name=name,
        function=local,
        identity_sources=sources,
        ttl_seconds=int(properties.get("AuthorizerResultTtlInSeconds", 0)),
        simple_responses=bool(properties.get("EnableSimpleResponses", False)),
        payload_version=str(properties.get("AuthorizerPayloadFormatVersion", "2.0")),
    )


def _cors(configuration: object) -> LocalCors | None:
    if not isinstance(configuration, dict):
        return None

    def strings(name: str) -> tuple[str, ...]:
        return tuple(str(item) for item in configuration.get(name, []))

    max_age = configuration.get("MaxAge")
    return LocalCors(
        allow_origins=strings("AllowOrigins"),
        allow_methods=strings("AllowMethods"),
        allow_headers=strings("AllowHeaders"),
        expose_headers=strings("ExposeHeaders"),
        allow_credentials=bool(configuration.get("AllowCredentials", False)),
        max_age=int(max_age) if isinstance(max_age, int) else None,
    )


def _throttle(settings: object) -> LocalThrottle | None:
    if not isinstance(settings, dict):
        return None
    rate, burst = settings.get("ThrottlingRateLimit"), settings.get("ThrottlingBurstLimit")
    if not isinstance(rate, int | float) or not isinstance(burst, int):
        return None
    return LocalThrottle(rate=float(rate), burst=burst)


def describe(apis: Sequence[LocalApi], *, aws_calls: bool = False) -> list[str]:
    """What is served and what is not, one line each, for printing at start; with
    ``aws_calls``, AWS service integrations say the call they make and the stand-ins that
    need a real value."""
    lines = []
    for api in apis:
        lines.append(f"{api.stack}/{api.name}:")
        for route in sorted(api.routes, key=lambda r: r.key):
            note = "" if route.refused is None else f"  NOT SERVED: {route.refused}"
            integration = route.integration
            if isinstance(integration, PrivateIntegration):
                note = f"  -> --service {integration.service}=URL"
            if aws_calls and isinstance(integration, ServiceIntegration):
                needed = sorted(
                    {
                        f"--resource {value[len('local:') :]}=VALUE"
                        for value in integration.parameters.values()
                        if value.startswith("local:")
                    }
                )
                note = f"  -> calls {integration.subtype} on AWS" + (
                    f" ({', '.join(needed)})" if needed else ""
                )
            lines.append(f"  {route.key}{note}")
    return lines


def private_services(apis: Sequence[LocalApi]) -> list[str]:
    """The names of the Cloud Map services the APIs' private integrations reach."""
    return sorted(
        {
            route.integration.service
            for api in apis
            for route in api.routes
            if isinstance(route.integration, PrivateIntegration)
        }
    )
