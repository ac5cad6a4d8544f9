"""Fargate pieces shared by container services and batch jobs: task sizes, containers, the
idle-free VPC and its zones, task subnets, the cluster, the tasks' security group and the task
definition.

:class:`~cdk_front_door.containers.ContainerService` and :class:`~cdk_front_door.jobs.BatchJob`
both build on this module; neither builds on the other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field

from aws_cdk import (
    Acknowledgment,
    Annotations,
    Aws,
    CfnCondition,
    CfnMapping,
    CfnResource,
    Duration,
    Fn,
    Stack,
    Validations,
)
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from ._jsii import implements, is_unresolved
from .errors import FrontDoorValidationError, check, check_number

# Fargate's task sizes: CPU units -> the memory sizes (MiB) allowed with them.
FARGATE_SIZES: dict[int, Sequence[int]] = {
    256: (512, 1024, 2048),
    512: range(1024, 4097, 1024),
    1024: range(2048, 8193, 1024),
    2048: range(4096, 16385, 1024),
    4096: range(8192, 30721, 1024),
    8192: range(16384, 61441, 4096),
    16384: range(32768, 122881, 8192),
}
_CONTAINER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_MAX_PORT = 65535
STOP_TIMEOUT = Duration.seconds(30)
"""How long a container has to finish its requests after SIGTERM before it is killed."""


@dataclass(frozen=True)
class Container:
    """One container of a :class:`ContainerService` task.

    :param name: the container's name, unique in the task (letters, digits, ``-``, ``_``).
    :param image: the image, of any kind (``ecs.ContainerImage.from_registry(...)``,
        ``from_asset(...)``, ``from_ecr_repository(...)``).
    :param port: the TCP port the container listens on. Default: - the container takes no
        traffic (a sidecar)
    :param environment: environment variables. Default: - none
    :param secrets: secrets from Secrets Manager or SSM, as environment variables.
        Default: - none
    :param command: the command, instead of the image's. Default: - the image's command
    :param health_check: the container health check. Default: - none (the task is healthy
        while its essential containers run)
    :param essential: whether the task stops when this container stops. Default: true
    """

    name: str
    _: KW_ONLY
    image: ecs.ContainerImage
    port: int | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, ecs.Secret] = field(default_factory=dict)
    command: Sequence[str] | None = None
    health_check: ecs.HealthCheck | None = None
    essential: bool = True


def validate_containers(scope: IConstruct, containers: object) -> dict[int, str]:
    """Check a task's containers; return the container name of each port."""
    if isinstance(containers, (str, Container)) or not isinstance(containers, (list, tuple)):
        raise FrontDoorValidationError(
            scope, f"containers must be a list of Container, got {type(containers).__name__}"
        )
    if not containers:
        raise FrontDoorValidationError(scope, "containers is empty: give at least one Container")
    names: set[str] = set()
    ports: dict[int, str] = {}
    for container in containers:
        if not isinstance(container, Container):
            raise FrontDoorValidationError(
                scope,
                f"containers must be a list of Container, found {type(container).__name__}",
            )
        _check_container_identity(scope, container)
        if container.name in names:
            raise FrontDoorValidationError(
                scope, f"two containers are named {container.name!r}: names must be unique"
            )
        names.add(container.name)
        _check_container_settings(scope, container)
        if container.port is not None:
            validate_port(scope, f"port of container {container.name!r}", container.port)
            if container.port in ports:
                raise FrontDoorValidationError(
                    scope,
                    f"containers {ports[container.port]!r} and {container.name!r} both use port "
                    f"{container.port}: containers of one task share the network, so each port "
                    "can be used once",
                )
            ports[container.port] = container.name
    essential = [c for c in containers if isinstance(c, Container) and c.essential]
    if not essential:
        raise FrontDoorValidationError(
            scope, "no container is essential: a task needs at least one essential container"
        )
    return ports


def _check_container_identity(scope: IConstruct, container: Container) -> None:
    """A container's name and image."""
    if not isinstance(container.name, str) or not _CONTAINER_NAME.match(container.name):
        raise FrontDoorValidationError(
            scope,
            f"invalid container name {container.name!r}: use 1 to 255 letters, digits, '-' and '_'",
        )
    if not implements(container.image, ecs.ContainerImage) and not isinstance(
        container.image, ecs.ContainerImage
    ):
        raise FrontDoorValidationError(
            scope,
            f"image of container {container.name!r} must be an ecs.ContainerImage (for "
            "example ecs.ContainerImage.from_registry('public.ecr.aws/...')), got "
            f"{type(container.image).__name__}",
        )


_MAX_HEALTH_CHECK_RETRIES = 10  # ECS's limit
_ENVIRONMENT_NAME = re.compile(r"^[^=\s\x00-\x1f\x7f]{1,255}$")


def _check_container_settings(scope: IConstruct, container: Container) -> None:
    """The types of a container's settings, and names its environment can hold."""
    of = f"of container {container.name!r}"
    environment = check(scope, f"environment {of}", container.environment, Mapping[str, str])
    secrets = check(scope, f"secrets {of}", container.secrets, Mapping[str, ecs.Secret])
    for name in [*environment, *secrets]:
        if not _ENVIRONMENT_NAME.match(name):
            raise FrontDoorValidationError(
                scope,
                f"environment variable name {name!r} {of} is not valid: 1 to 255 characters "
                "without '=', white space or control characters",
            )
    both = sorted(set(environment) & set(secrets))
    if both:
        raise FrontDoorValidationError(
            scope,
            f"{', '.join(map(repr, both))} {of} is both in environment and in secrets: a "
            "variable has one value; keep it in one of them",
        )
    command = check(scope, f"command {of}", container.command, Sequence[str] | None)
    if command is not None and not command:
        raise FrontDoorValidationError(
            scope,
            f"command {of} is empty: give the program and its arguments as a list, such as "
            "['python', 'app.py'], or leave it unset to use the image's",
        )
    health_check = check(
        scope, f"health_check {of}", container.health_check, ecs.HealthCheck | None
    )
    if health_check is not None:
        # A struct built in Python: its numbers have not met jsii yet (NaN would stop it).
        check(scope, f"health_check command {of}", health_check.command, Sequence[str])
        if health_check.retries is not None:
            check_number(
                scope,
                f"health_check retries {of}",
                health_check.retries,
                minimum=1,
                maximum=_MAX_HEALTH_CHECK_RETRIES,
                whole=True,
            )
    check(scope, f"essential {of}", container.essential, bool)


def check_task_options(
    scope: IConstruct,
    *,
    architecture: object,
    vpc: object,
    task_subnets: object,
    cluster: object,
    log_retention: object,
) -> None:
    """The types of the options services and jobs share."""
    check(scope, "architecture", architecture, ecs.CpuArchitecture | None)
    check(scope, "vpc", vpc, ec2.IVpc | None)
    check(scope, "task_subnets", task_subnets, ec2.SubnetSelection | None)
    check(scope, "cluster", cluster, ecs.ICluster | None)
    check(scope, "log_retention", log_retention, logs.RetentionDays | None)


def validate_fargate_size(scope: IConstruct, cpu: object, memory: object) -> None:
    """Check a CPU and memory pair Fargate offers; tokens are not checked."""
    if is_unresolved(cpu) or is_unresolved(memory):
        check(scope, "cpu", cpu, int)
        check(scope, "memory", memory, int)
        return
    if isinstance(cpu, bool) or cpu not in FARGATE_SIZES:
        raise FrontDoorValidationError(
            scope,
            f"invalid cpu {cpu!r}: Fargate takes {', '.join(str(c) for c in FARGATE_SIZES)}",
        )
    assert isinstance(cpu, int)
    allowed = FARGATE_SIZES[cpu]
    if isinstance(memory, bool) or not isinstance(memory, int) or memory not in allowed:
        described = (
            ", ".join(str(size) for size in allowed)
            if not isinstance(allowed, range)
            else f"{allowed.start} to {allowed.stop - 1} in steps of {allowed.step}"
        )
        raise FrontDoorValidationError(
            scope, f"invalid memory {memory!r} MiB for cpu {cpu}: Fargate takes {described} MiB"
        )


def validate_port(scope: IConstruct, what: str, port: object) -> None:
    if isinstance(port, float) and is_unresolved(port):
        return
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= _MAX_PORT:
        raise FrontDoorValidationError(
            scope, f"{what} must be a whole number from 1 to {_MAX_PORT}, got {port!r}"
        )


# Availability zone ids where HTTP API VPC Links (and Fargate) are offered, by region: the
# first two are used. Zone names map to different zones in each account, so subnets there are
# pinned by id. Elsewhere the region's first two zones are used.
VPC_LINK_ZONE_IDS: dict[str, tuple[str, str]] = {
    "us-east-1": ("use1-az1", "use1-az2"),
    "us-east-2": ("use2-az1", "use2-az2"),
    "us-west-1": ("usw1-az1", "usw1-az3"),
    "us-west-2": ("usw2-az1", "usw2-az2"),
    "ap-east-1": ("ape1-az2", "ape1-az3"),
    "ap-south-1": ("aps1-az1", "aps1-az2"),
    "ap-northeast-2": ("apne2-az1", "apne2-az2"),
    "ap-southeast-1": ("apse1-az1", "apse1-az2"),
    "ap-southeast-2": ("apse2-az1", "apse2-az2"),
}


def idle_free_vpc(scope: Construct) -> ec2.Vpc:
    """A VPC with two public subnets and no NAT gateway, flow logs of rejected traffic kept 30
    days, in zones that offer VPC Links (see :data:`VPC_LINK_ZONE_IDS`)."""
    vpc = ec2.Vpc(
        scope,
        "Vpc",
        # Resolved by CloudFormation: no look-up (and no credentials) at synth time, and no
        # availability zone written into the template.
        availability_zones=[Fn.select(index, Fn.get_azs()) for index in range(2)],
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24)
        ],
    )
    _pin_zones(scope, vpc)
    flow_logs = logs.LogGroup(scope, "FlowLogs", retention=logs.RetentionDays.ONE_MONTH)
    vpc.add_flow_log(
        "FlowLog",
        destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
        traffic_type=ec2.FlowLogTrafficType.REJECT,
    )
    return vpc


def _pin_zones(scope: Construct, vpc: ec2.Vpc) -> None:
    """Put the VPC's subnets in zones VPC Link supports, by zone id, in the regions known to
    :data:`VPC_LINK_ZONE_IDS` (decided at deploy time when the stack's region is a token)."""
    stack = Stack.of(scope)
    subnets = [subnet.node.default_child for subnet in vpc.public_subnets]
    if is_unresolved(stack.region):
        mapping = CfnMapping(
            scope,
            "VpcLinkZones",
            mapping={
                region: {"first": a, "second": b} for region, (a, b) in VPC_LINK_ZONE_IDS.items()
            },
        )
        known = CfnCondition(
            scope,
            "VpcLinkZonesKnown",
            expression=Fn.condition_or(
                *(Fn.condition_equals(Aws.REGION, region) for region in VPC_LINK_ZONE_IDS)
            ),
        )
        for index, subnet in enumerate(subnets):
            if not isinstance(subnet, CfnResource):
                continue
            key = ("first", "second")[index]
            subnet.add_property_override(
                "AvailabilityZoneId",
                Fn.condition_if(
                    known.logical_id, mapping.find_in_map(Aws.REGION, key), Aws.NO_VALUE
                ),
            )
            subnet.add_property_override(
                "AvailabilityZone",
                Fn.condition_if(known.logical_id, Aws.NO_VALUE, Fn.select(index, Fn.get_azs())),
            )
            Validations.of(subnet).acknowledge(
                Acknowledgment(
                    id="CloudFormation-Validate::F3020",
                    reason="AvailabilityZone and AvailabilityZoneId sit behind opposite "
                    "branches of one condition: CloudFormation only ever sees one of them",
                )
            )
        return
    zone_ids = VPC_LINK_ZONE_IDS.get(stack.region)
    if zone_ids is None:
        return
    for subnet, zone_id in zip(subnets, zone_ids, strict=False):
        if isinstance(subnet, CfnResource):
            subnet.add_property_deletion_override("AvailabilityZone")
            subnet.add_property_override("AvailabilityZoneId", zone_id)


def select_task_subnets(
    scope: IConstruct,
    vpc: ec2.IVpc,
    task_subnets: ec2.SubnetSelection | None,
    *,
    given_vpc: ec2.IVpc | None,
) -> tuple[ec2.SubnetSelection, bool]:
    """Where tasks run, and whether those subnets are all public (tasks then need a public IP
    to pull images and send logs): ``task_subnets``, else a given VPC's private subnets with
    egress, else the public subnets."""
    if task_subnets is None and given_vpc is not None and given_vpc.private_subnets:
        task_subnets = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    selection = task_subnets or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)
    try:
        chosen = vpc.select_subnets(
            subnet_type=selection.subnet_type,
            subnet_group_name=selection.subnet_group_name,
            subnets=selection.subnets,
            availability_zones=selection.availability_zones,
            one_per_az=selection.one_per_az,
        )
    except RuntimeError as error:
        raise FrontDoorValidationError(
            scope,
            f"the VPC has no subnets for the tasks ({error}); give task_subnets that exist, "
            "or a VPC with public subnets",
        ) from error
    if not chosen.subnet_ids:
        raise FrontDoorValidationError(
            scope,
            "the VPC has no subnets for the tasks: give task_subnets that exist, or a VPC "
            "with public subnets",
        )
    public_ids = {subnet.subnet_id for subnet in vpc.public_subnets}
    return selection, all(subnet_id in public_ids for subnet_id in chosen.subnet_ids)


def new_cluster(scope: Construct, vpc: ec2.IVpc, *, container_insights: object) -> ecs.Cluster:
    """An ECS cluster, child ``Cluster``, with Container Insights only when asked for."""
    check(scope, "container_insights", container_insights, bool)
    cluster = ecs.Cluster(
        scope,
        "Cluster",
        vpc=vpc,
        container_insights_v2=(
            ecs.ContainerInsights.ENABLED if container_insights else ecs.ContainerInsights.DISABLED
        ),
    )
    if not container_insights:
        Validations.of(cluster).acknowledge(
            Acknowledgment(
                id="AwsSolutions-ECS4",
                reason="Container Insights bills CloudWatch metrics for every cluster, "
                "service and task, a fixed monthly cost; it is one switch away: "
                "container_insights=True",
            )
        )
    return cluster


def task_security_group(scope: Construct, vpc: ec2.IVpc, inbound: str) -> ec2.SecurityGroup:
    """The tasks' security group, child ``SecurityGroup``; its description says what comes in."""
    return ec2.SecurityGroup(
        scope,
        "SecurityGroup",
        vpc=vpc,
        description=f"Tasks of {scope.node.path} - {inbound}",
        allow_all_outbound=True,
    )


def add_containers(
    task_definition: ecs.TaskDefinition,
    containers: Sequence[Container],
    log_group: logs.ILogGroup,
) -> dict[str, ecs.ContainerDefinition]:
    """Add ``containers`` to the task definition, logging to ``log_group``; return each
    container's definition by name."""
    definitions = {}
    for container in containers:
        definitions[container.name] = task_definition.add_container(
            container.name,
            image=container.image,
            port_mappings=(
                [ecs.PortMapping(container_port=container.port)]
                if container.port is not None
                else None
            ),
            environment=dict(container.environment) or None,
            secrets=dict(container.secrets) or None,
            command=list(container.command) if container.command is not None else None,
            health_check=container.health_check,
            essential=container.essential,
            stop_timeout=STOP_TIMEOUT,
            logging=ecs.LogDriver.aws_logs(stream_prefix=container.name, log_group=log_group),
        )
    return definitions


def fargate_task(
    scope: Construct,
    *,
    containers: Sequence[Container],
    cpu: int,
    memory: int,
    architecture: ecs.CpuArchitecture | None,
    log_group: logs.ILogGroup,
) -> tuple[ecs.FargateTaskDefinition, dict[str, ecs.ContainerDefinition]]:
    """A Fargate task definition, child ``TaskDefinition`` (ARM64 unless told), with
    ``containers``; warns when asset images would be built for another platform."""
    architecture = architecture or ecs.CpuArchitecture.ARM64
    task_definition = ecs.FargateTaskDefinition(
        scope,
        "TaskDefinition",
        cpu=cpu,
        memory_limit_mib=memory,
        runtime_platform=ecs.RuntimePlatform(
            cpu_architecture=architecture,
            operating_system_family=ecs.OperatingSystemFamily.LINUX,
        ),
    )
    if (
        any(isinstance(c.image, ecs.AssetImage) for c in containers)
        and architecture == ecs.CpuArchitecture.ARM64
    ):
        Annotations.of(scope).add_warning_v2(
            "cdk-front-door:asset-platform",
            "the tasks run on ARM64: build asset images with "
            "platform=ecr_assets.Platform.LINUX_ARM64, or pass architecture=X86_64",
        )
    return task_definition, add_containers(task_definition, containers, log_group)
