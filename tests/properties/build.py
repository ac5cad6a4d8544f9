"""Turn a generated spec (plain JSON-able data) into a CDK app built with the public API.

A spec describes what to build, never how::

    {
        "env": "us-east-1",                 # the stacks' region; None: environment-agnostic
        "services": {"S0": {...}},          # ContainerService keyword arguments, by id
        "jobs": {"J0": {...}},              # BatchJob keyword arguments, by id
        "gateway": {...},                   # HttpApiGateway keyword arguments
        "routes": [{"key": ..., "target": ..., "auth": ..., "scopes": ..., "throttle": ...}],
    }

Values are JSON values, and tagged objects ``{"$": tag, ...}`` for everything JSON cannot say:

* fixtures, made by the user's own code (functions, zones, queues, tokens, durations, enums);
  a fixture that cannot be made is an error of the spec (:class:`SpecError`), not of the library;
* public classes of the library (``{"$": "Throttle", "rate_limit": ..., "burst_limit": ...}``),
  given exactly the values of the spec, however hostile (NaN, strings for lists, ...);
* ``{"$": "service", "id": "S0"}`` and ``{"$": "job", "id": "J0", "as": "start"}``: the
  ``ContainerService`` and ``BatchJob`` of the spec, and the targets they offer.

:func:`target_config` gives the configuration a target spec stands for, which decides which
routes must share an integration.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jsii
from aws_cdk import (
    App,
    CfnParameter,
    Duration,
    Environment,
    Fn,
    IStableNumberProducer,
    Lazy,
    RemovalPolicy,
    Stack,
    Token,
)
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

import cdk_front_door as fd
from cdk_front_door.testing import snapshot_context

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
MAIN_STACK = "Main"
OTHER_STACK = "Other"

Spec = Any
"""A JSON value: a spec or part of one."""


class SpecError(Exception):
    """The spec asks for something the user's own code cannot build (a harness defect)."""


@dataclass
class BuiltRoute:
    """A route the spec added: its key as API Gateway stores it, its target's configuration
    and what of it the deployed integration depends on (both None for a target the library
    should have refused)."""

    route_key: str
    config: str | None
    deployed: str | None


@dataclass
class Built:
    """The app a spec built, before synthesis."""

    app: App
    stack: Stack
    gateway: Any = None
    routes: list[BuiltRoute] = field(default_factory=list)


# -- fixtures: what the user's own code makes ------------------------------------------------


@jsii.implements(IStableNumberProducer)
class _Number:
    """A number known only at synthesis (``Lazy.number``)."""

    def __init__(self, value: float) -> None:
        self._value = value

    def produce(self) -> float:
        return self._value


def _digest(data: Spec) -> str:
    return hashlib.sha256(canonical(data).encode()).hexdigest()[:8]


def canonical(data: Spec) -> str:
    """One text for equal specs (NaN and infinities written as JSON5 does)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _environment(region: str | None, account: str = ACCOUNT) -> Environment | None:
    return None if region is None else Environment(account=account, region=region)


def _lint_clean_function(scope: Construct, construct_id: str, timeout: int | None) -> Any:
    """A small inline function whose template passes cfn-lint: its role is its own, and the
    DependsOn that its Role attribute already implies (W3005) is removed."""
    role = iam.Role(
        scope,
        f"{construct_id}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
    )
    function = lambda_.Function(
        scope,
        construct_id,
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"),
        timeout=None if timeout is None else Duration.seconds(timeout),
        role=role,
    )
    resource = function.node.default_child
    assert isinstance(resource, lambda_.CfnFunction)
    resource.add_deletion_override("DependsOn")
    return function


class Builder:
    """Builds one spec; fixtures are made once per distinct fixture spec."""

    def __init__(self, spec: Spec, outdir: str | None = None) -> None:
        self.spec = spec
        self.region: str | None = spec.get("env")
        self.app = App(context=snapshot_context(), outdir=outdir)
        self.stack = Stack(self.app, MAIN_STACK, env=_environment(self.region))
        self._other: Stack | None = None
        self._fixtures: dict[str, Any] = {}
        self._services: dict[str, Any] = {}
        self._jobs: dict[str, Any] = {}

    # The value of a spec: plain JSON as is, tagged objects built.
    def value(self, data: Spec) -> Any:
        if isinstance(data, list):
            return [self.value(item) for item in data]
        if not isinstance(data, dict):
            return data
        tag = data.get("$")
        if tag is None:
            return {key: self.value(item) for key, item in data.items()}
        if tag in _FIXTURES:
            return self.fixture(data)
        make = _LIBRARY.get(tag)
        if make is None:
            raise SpecError(f"unknown tag {tag!r}")
        return make(self, data)

    def fixture(self, data: Mapping[str, Any]) -> Any:
        key = canonical(data)
        if key not in self._fixtures:
            try:
                self._fixtures[key] = _FIXTURES[data["$"]](self, data)
            except SpecError:
                raise
            except Exception as error:
                raise SpecError(f"fixture {key} could not be made: {error!r}") from error
        return self._fixtures[key]

    def other_stack(self) -> Stack:
        if self._other is None:
            self._other = Stack(self.app, OTHER_STACK, env=_environment(self.region))
        return self._other

    def fixture_id(self, data: Mapping[str, Any]) -> str:
        return f"{data['$'].title().replace('_', '')}{_digest(data)}"

    def kwargs(self, data: Mapping[str, Any], *skip: str) -> dict[str, Any]:
        return {k: self.value(v) for k, v in data.items() if k != "$" and k not in skip}

    def service(self, service_id: str) -> Any:
        if service_id not in self._services:
            options = self.spec.get("services", {}).get(service_id)
            if options is None:
                raise SpecError(f"no service {service_id!r} in the spec")
            self._services[service_id] = fd.ContainerService(
                self.stack, service_id, **self.kwargs(options)
            )
        return self._services[service_id]

    def job(self, job_id: str) -> Any:
        if job_id not in self._jobs:
            options = self.spec.get("jobs", {}).get(job_id)
            if options is None:
                raise SpecError(f"no job {job_id!r} in the spec")
            self._jobs[job_id] = fd.BatchJob(self.stack, job_id, **self.kwargs(options))
        return self._jobs[job_id]


def _function(b: Builder, data: Mapping[str, Any]) -> Any:
    construct_id = data["id"]
    kind = data.get("kind", "function")
    stack = b.other_stack() if data.get("stack") == "other" else b.stack
    scope: Construct = stack
    if data.get("parent"):
        found = stack.node.try_find_child(data["parent"])
        scope = found if isinstance(found, Construct) else Construct(stack, data["parent"])
    if kind in ("imported", "foreign"):
        account = OTHER_ACCOUNT if kind == "foreign" else ACCOUNT
        region = b.region or "us-east-1"
        name = re.sub(r"[^A-Za-z0-9_-]", "-", construct_id)
        arn = f"arn:aws:lambda:{region}:{account}:function:{name}"
        return lambda_.Function.from_function_arn(scope, construct_id, arn)
    function = _lint_clean_function(scope, construct_id, data.get("timeout"))
    if kind == "alias":
        return lambda_.Alias(function, "Live", alias_name="live", version=function.current_version)
    if kind == "version":
        return function.current_version
    return function


def _zone(b: Builder, data: Mapping[str, Any]) -> Any:
    if data.get("by_id"):
        return route53.HostedZone.from_hosted_zone_id(b.stack, b.fixture_id(data), data["by_id"])
    return route53.HostedZone.from_hosted_zone_attributes(
        b.stack,
        b.fixture_id(data),
        hosted_zone_id=data.get("zone_id", "Z0123456789ABCDEFGHIJ"),
        zone_name=data["name"],
    )


def _certificate(b: Builder, data: Mapping[str, Any]) -> Any:
    region = data.get("region") or b.region or "us-east-1"
    arn = f"arn:aws:acm:{region}:{data.get('account', ACCOUNT)}:certificate/{_digest(data)}"
    return acm.Certificate.from_certificate_arn(b.stack, b.fixture_id(data), arn)


def _log_group(b: Builder, data: Mapping[str, Any]) -> Any:
    if data.get("kind") == "new":
        return logs.LogGroup(
            b.stack,
            b.fixture_id(data),
            retention=logs.RetentionDays.ONE_WEEK,
            removal_policy=RemovalPolicy.DESTROY,
        )
    region = data.get("region") or b.region or "us-east-1"
    account = data.get("account", ACCOUNT)
    arn = f"arn:aws:logs:{region}:{account}:log-group:access-{_digest(data)}:*"
    return logs.LogGroup.from_log_group_arn(b.stack, b.fixture_id(data), arn)


def _bucket(b: Builder, data: Mapping[str, Any]) -> Any:
    if data.get("kind") == "imported":
        return s3.Bucket.from_bucket_name(b.stack, b.fixture_id(data), f"logs-{_digest(data)}")
    return s3.Bucket(
        b.stack,
        b.fixture_id(data),
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
    )


def _machine(b: Builder, data: Mapping[str, Any]) -> Any:
    kind = data.get("type", "STANDARD")
    if kind == "imported":
        region = b.region or "us-east-1"
        arn = f"arn:aws:states:{region}:{ACCOUNT}:stateMachine:{data['id']}"
        return sfn.StateMachine.from_state_machine_arn(b.stack, data["id"], arn)
    machine = sfn.StateMachine(
        b.stack,
        data["id"],
        state_machine_type=sfn.StateMachineType[kind],
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(b.stack, f"{data['id']}Pass")),
    )
    # Its DependsOn on its role repeats what its RoleArn implies (cfn-lint W3005).
    resource = machine.node.default_child
    assert isinstance(resource, sfn.CfnStateMachine)
    resource.add_deletion_override("DependsOn")
    return machine


def _queue(b: Builder, data: Mapping[str, Any]) -> Any:
    key = None
    if data.get("kms"):
        key = kms.Key(
            b.stack,
            f"{data['id']}Key",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.DESTROY,
        )
    return sqs.Queue(
        b.stack,
        data["id"],
        fifo=True if data.get("fifo") else None,
        encryption=sqs.QueueEncryption.KMS if key is not None else None,
        encryption_master_key=key,
        enforce_ssl=True,
    )


def _topic(b: Builder, data: Mapping[str, Any]) -> Any:
    """An SNS topic: a new one in the main stack, or one imported by ARN (in the stack's
    region unless ``region`` says another)."""
    if data.get("kind") == "new":
        return sns.Topic(b.stack, b.fixture_id(data), enforce_ssl=True)
    region = data.get("region") or b.region or "us-east-1"
    arn = f"arn:aws:sns:{region}:{ACCOUNT}:alarms-{_digest(data)}"
    return sns.Topic.from_topic_arn(b.stack, b.fixture_id(data), arn)


def _sns_action(b: Builder, data: Mapping[str, Any]) -> Any:
    return cloudwatch_actions.SnsAction(b.fixture(data["topic"]))


def _bus(b: Builder, data: Mapping[str, Any]) -> Any:
    return events.EventBus(b.stack, data["id"])


def _user_pool(b: Builder, data: Mapping[str, Any]) -> Any:
    region = b.region or "us-east-1"
    return cognito.UserPool.from_user_pool_id(b.stack, data["id"], f"{region}_{data['id']}")


def _pool_client(b: Builder, data: Mapping[str, Any]) -> Any:
    return cognito.UserPoolClient.from_user_pool_client_id(
        b.stack, data["id"], f"client{_digest(data)}"
    )


def _image(b: Builder, data: Mapping[str, Any]) -> Any:
    return ecs.ContainerImage.from_registry(data.get("name", "public.ecr.aws/nginx/nginx:stable"))


def _health_check(b: Builder, data: Mapping[str, Any]) -> Any:
    seconds = {
        name: Duration.seconds(data[name])
        for name in ("interval", "timeout", "start_period")
        if name in data
    }
    return ecs.HealthCheck(
        command=data.get("command", ["CMD-SHELL", "true"]),
        retries=b.value(data.get("retries")),
        **seconds,
    )


def _vpc(b: Builder, data: Mapping[str, Any]) -> Any:
    kinds = [ec2.SubnetType[name] for name in data.get("subnets", ["PUBLIC"])]
    return ec2.Vpc(
        b.stack,
        data["id"],
        # Resolved by CloudFormation: no zone name hard-coded in the template (cfn-lint W3010).
        availability_zones=[Fn.select(index, Fn.get_azs()) for index in range(2)],
        nat_gateways=1 if ec2.SubnetType.PRIVATE_WITH_EGRESS in kinds else 0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name=kind.name.title().replace("_", ""), subnet_type=kind)
            for kind in kinds
        ],
    )


def _subnets(b: Builder, data: Mapping[str, Any]) -> Any:
    return ec2.SubnetSelection(subnet_type=ec2.SubnetType[data["type"]])


def _cluster(b: Builder, data: Mapping[str, Any]) -> Any:
    return ecs.Cluster(b.stack, b.fixture_id(data), vpc=b.fixture(data["vpc"]))


def _string_token(b: Builder, data: Mapping[str, Any]) -> Any:
    if data.get("via") == "import":
        return Fn.import_value(b.fixture_id(data))
    return CfnParameter(
        b.stack, b.fixture_id(data), type="String", default=data.get("default", "value")
    ).value_as_string


def _number_token(b: Builder, data: Mapping[str, Any]) -> Any:
    value = data.get("value", 1)
    via = data.get("via", "lazy")
    if via == "lazy":
        return Lazy.number(_Number(value))
    parameter = CfnParameter(b.stack, b.fixture_id(data), type="Number", default=value)
    if via == "as_number":
        return Token.as_number(parameter.value)
    return parameter.value_as_number


def _duration(b: Builder, data: Mapping[str, Any]) -> Any:
    amount = data["amount"]
    if isinstance(amount, dict):
        amount = b.fixture(amount)
    unit: Callable[[float], Duration] = getattr(Duration, data.get("unit", "seconds"))
    return unit(amount)


_ENUMS: dict[str, Callable[[str], Any]] = {
    "LogFormat": lambda name: fd.LogFormat[name],
    "RemovalPolicy": lambda name: getattr(RemovalPolicy, name),
    "RetentionDays": lambda name: getattr(logs.RetentionDays, name),
    "PriceClass": lambda name: getattr(cloudfront.PriceClass, name),
    "CpuArchitecture": lambda name: getattr(ecs.CpuArchitecture, name),
}


def _enum(b: Builder, data: Mapping[str, Any]) -> Any:
    return _ENUMS[data["type"]](data["name"])


def _geo(b: Builder, data: Mapping[str, Any]) -> Any:
    codes = data.get("codes", ["US"])
    if data.get("kind") == "denylist":
        return cloudfront.GeoRestriction.denylist(*codes)
    return cloudfront.GeoRestriction.allowlist(*codes)


def _headers_policy(b: Builder, data: Mapping[str, Any]) -> Any:
    return cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS


_FIXTURES: dict[str, Callable[[Builder, Mapping[str, Any]], Any]] = {
    "function": _function,
    "zone": _zone,
    "certificate": _certificate,
    "log_group": _log_group,
    "bucket": _bucket,
    "machine": _machine,
    "queue": _queue,
    "bus": _bus,
    "topic": _topic,
    "sns_action": _sns_action,
    "user_pool": _user_pool,
    "pool_client": _pool_client,
    "image": _image,
    "health_check": _health_check,
    "vpc": _vpc,
    "subnets": _subnets,
    "cluster": _cluster,
    "string_token": _string_token,
    "number_token": _number_token,
    "duration": _duration,
    "enum": _enum,
    "geo": _geo,
    "headers_policy": _headers_policy,
}


# -- the library's public classes, given the spec's values as they are ----------------------


def _call(name: str, *positional: str) -> Callable[[Builder, Mapping[str, Any]], Any]:
    def make(b: Builder, data: Mapping[str, Any]) -> Any:
        cls = getattr(fd, name)
        args = [b.value(data[p]) for p in positional if p in data]
        return cls(*args, **b.kwargs(data, *positional))

    return make


def _service(b: Builder, data: Mapping[str, Any]) -> Any:
    service = b.service(data["id"])
    if "port" in data:
        return service.port(b.value(data["port"]))
    return service


def _job(b: Builder, data: Mapping[str, Any]) -> Any:
    job = b.job(data["id"])
    use = data.get("as", "self")
    if use == "start":
        return job.start_target(**b.kwargs(data, "id", "as"))
    if use == "stop":
        return job.stop_target(**b.kwargs(data, "id", "as"))
    return job


_LIBRARY: dict[str, Callable[[Builder, Mapping[str, Any]], Any]] = {
    "Throttle": _call("Throttle"),
    "DEFAULT_THROTTLE": lambda b, data: fd.DEFAULT_THROTTLE,
    "Cors": _call("Cors"),
    "IdentityHeaders": _call("IdentityHeaders"),
    "AccessLogs": _call("AccessLogs"),
    "Alarms": _call("Alarms"),
    "CustomDomain": _call("CustomDomain", "domain_name"),
    "Cdn": _call("Cdn"),
    "CacheRule": _call("CacheRule", "path_pattern"),
    "Waf": _call("Waf"),
    "OriginProtection": _call("OriginProtection"),
    "PUBLIC": lambda b, data: fd.PUBLIC,
    "Public": _call("Public"),
    "IamAuth": _call("IamAuth"),
    "JwtAuth": _call("JwtAuth", "issuer"),
    "CognitoAuth": _call("CognitoAuth", "user_pool"),
    "LambdaAuth": _call("LambdaAuth", "function"),
    "HttpUrl": _call("HttpUrl", "url"),
    "LambdaFunction": _call("LambdaFunction", "function"),
    "StartExecution": _call("StartExecution", "state_machine"),
    "StopExecution": _call("StopExecution", "state_machine"),
    "SendMessage": _call("SendMessage", "queue"),
    "PutEvent": _call("PutEvent"),
    "Container": _call("Container", "name"),
    "service": _service,
    "job": _job,
}


# -- the whole app ---------------------------------------------------------------------------


def normalized_route_key(route_key: object) -> str | None:
    """The key as API Gateway stores it (``*`` is ``ANY``); None when it is not a string."""
    if not isinstance(route_key, str):
        return None
    method, _, path = route_key.partition(" ")
    return route_key if not path else f"{'ANY' if method == '*' else method} {path}"


def build(spec: Spec, outdir: str | None = None) -> Built:
    """Build the app a spec describes: its services and jobs, the gateway, then each route.

    Raises what the library raises; :class:`SpecError` when the spec itself is broken.
    """
    b = Builder(spec, outdir)
    built = Built(app=b.app, stack=b.stack)
    for service_id in spec.get("services", {}):
        b.service(service_id)
    for job_id in spec.get("jobs", {}):
        b.job(job_id)
    if "gateway" not in spec:
        return built
    built.gateway = fd.HttpApiGateway(b.stack, "Api", **b.kwargs(spec["gateway"]))
    for route in spec.get("routes", []):
        key = b.value(route["key"])
        target = b.value(route["target"])
        options = {
            name: b.value(route[name]) for name in ("auth", "scopes", "throttle") if name in route
        }
        built.gateway.add_route(key, target, **options)
        route_key = normalized_route_key(key)
        if route_key is not None:
            config, deployed = target_config(route["target"])
            built.routes.append(BuiltRoute(route_key, config, deployed))
    return built


# -- target configurations -------------------------------------------------------------------

_DEFAULT_BODY = "$request.body"
_DEFAULT_EXECUTION_ARN = "$request.body.executionArn"
_DEFAULT_CAUSE = "stopped through the API"
_REQUEST_ID = "$context.requestId"


def _flag(value: object) -> object:
    """``True``/``False`` for values equal to them (``1 == True``), anything else as it is."""
    if isinstance(value, bool | int | float) and value in (True, False):
        return bool(value)
    return value


def _start(machine: Spec, target: Mapping[str, Any]) -> list[Any]:
    return [
        "start",
        machine,
        target.get("input", _DEFAULT_BODY),
        target.get("name"),
        _flag(target.get("sync", False)),
    ]


def _stop(machine: Spec, target: Mapping[str, Any]) -> list[Any]:
    return [
        "stop",
        machine,
        target.get("execution_arn", _DEFAULT_EXECUTION_ARN),
        target.get("cause", _DEFAULT_CAUSE),
    ]


def _send(target: Mapping[str, Any]) -> list[Any]:
    queue = target.get("queue")
    fifo = isinstance(queue, dict) and bool(queue.get("fifo"))
    deduplication = target.get("deduplication_id")
    attributes = target.get("attributes") or {}
    return [
        "sqs",
        queue,
        target.get("body", _DEFAULT_BODY),
        target.get("message_group_id"),
        _REQUEST_ID if fifo and deduplication is None else deduplication,
        sorted(attributes.items()) if isinstance(attributes, dict) else attributes,
        target.get("delay_seconds"),
    ]


def _job_config(target: Mapping[str, Any]) -> list[Any]:
    machine = {"job": target.get("id")}
    use = target.get("as", "self")
    if use == "stop":
        return _stop(
            machine, {"execution_arn": target.get("execution_arn", _DEFAULT_EXECUTION_ARN)}
        )
    return _start(machine, {"name": target.get("name")} if use == "start" else {})


def _function_config(function: Spec) -> list[Any]:
    return ["lambda", function]


def _config_of(target: Spec) -> list[Any] | None:
    """The configuration a target spec stands for, as data."""
    if isinstance(target, str):
        return ["url", target, None]
    tag = target.get("$") if isinstance(target, dict) else None
    configs: dict[str, Callable[[], list[Any]]] = {
        "function": lambda: _function_config(target),
        "LambdaFunction": lambda: _function_config(target.get("function")),
        "HttpUrl": lambda: ["url", target.get("url"), target.get("name")],
        "StartExecution": lambda: _start(target.get("state_machine"), target),
        "StopExecution": lambda: _stop(target.get("state_machine"), target),
        "SendMessage": lambda: _send(target),
        "PutEvent": lambda: [
            "events",
            target.get("event_bus"),
            target.get("source"),
            target.get("detail_type"),
            target.get("detail", _DEFAULT_BODY),
        ],
        "service": lambda: ["service", target.get("id")],
        "job": lambda: _job_config(target),
    }
    make = configs.get(tag) if isinstance(tag, str) else None
    return None if make is None else make()


def target_config(target: Spec) -> tuple[str | None, str | None]:
    """The configuration of a target, and the part of it that the deployed integration depends
    on, as canonical texts. Two targets with equal configurations must share one integration;
    two whose deployed parts differ never may (an ``HttpUrl``'s name only names its
    integration: two names for one URL may have one integration or two). None for targets
    that are not targets at all (the library must refuse them)."""
    config = _config_of(target)
    if config is None:
        return None, None
    deployed = config[:2] if config[0] == "url" else config
    return canonical(config), canonical(deployed)
