"""ContainerService: containers on ECS Fargate behind a gateway, with no load balancer.

API Gateway reaches the tasks privately: a VPC Link (one per gateway and VPC) into the VPC,
and Cloud Map service discovery, where the ECS service registers each task with an SRV record
(API Gateway learns the port from it). ``api.add_route("ANY /{proxy+}", service)`` is all it
takes.

By default the service gets a VPC that costs nothing at idle: public subnets only, no NAT
gateway; the tasks have a public IP to pull images and ship logs, and their security group
admits only the VPC Link's security group, on the routed port.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import ClassVar

from aws_cdk import (
    Annotations,
    Duration,
    Stack,
)
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from aws_cdk import aws_servicediscovery as servicediscovery
from constructs import Construct, IConstruct

from ._fargate import (
    Container,
    check_task_options,
    fargate_task,
    idle_free_vpc,
    new_cluster,
    select_task_subnets,
    task_security_group,
    validate_containers,
    validate_fargate_size,
    validate_port,
)
from ._jsii import duration_millis, payload_format_version
from .errors import FrontDoorValidationError, check, check_number
from .identity import parameter_mapping
from .reach import FrontDoorAttributes, Reach
from .routes import RouteKey
from .targets import BindContext, FrontDoor, RouteTarget, construct_key

__all__ = ["MAX_TASKS_PER_SERVICE", "Container", "ContainerService"]

MAX_TASKS_PER_SERVICE = 5000
"""The most tasks one ECS service may run: ECS's "Tasks per service" quota."""


class ContainerService(Construct, FrontDoorAttributes):
    """Containers on ECS Fargate that a gateway reaches through a VPC Link and Cloud Map.

    :param scope: the parent construct.
    :param construct_id: the construct id.
    :param containers: the task's containers: the main one and its sidecars.
    :param cpu: the task's CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384).
        Default: 256 (0.25 vCPU)
    :param memory: the task's memory in MiB, one Fargate allows with ``cpu``. Default: 512
    :param desired_count: how many tasks run, 0 to 5,000 (ECS's "Tasks per service" quota).
        Default: 1
    :param architecture: the CPU architecture of the images. Default: - ARM64 (Graviton:
        about 20 % cheaper than X86_64)
    :param vpc: the VPC to run in. Default: - a new VPC with two public subnets and no NAT
        gateway (nothing in it bills by the hour), with flow logs of rejected traffic kept 30
        days
    :param task_subnets: where the tasks run; tasks in public subnets get a public IP (to
        pull images and send logs without a NAT gateway). Default: - the VPC's private subnets
        with egress when it has them, else its public subnets
    :param link_subnets: where the gateway's VPC Link into the VPC goes (at most one per
        availability zone, in zones VPC Link supports). Default: - the VPC's private subnets
        when it has them, else its isolated ones, else its public ones
    :param port: the container port that routes reach. Default: - the first container port
    :param cluster: the ECS cluster. Default: - a new cluster
    :param container_insights: whether the new cluster has Container Insights (CloudWatch
        metrics per cluster, service and task, billed per metric every month). Default: false
        (cdk-nag's ECS4 is acknowledged with that reason)
    :param log_retention: how long container logs are kept. Default: - 30 days

    Routed from a gateway, the service has that gateway's nine attributes (``domain``,
    ``url``, ``custom_domains``, ... ``cdn_custom_domain_urls``): a service answers every
    route to it, so its URLs are the API's. See :mod:`cdk_front_door.reach` for a service no
    gateway routes to, or several do; each way in also has its stack outputs.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        containers: Sequence[Container],
        cpu: int = 256,
        memory: int = 512,
        desired_count: int = 1,
        architecture: ecs.CpuArchitecture | None = None,
        vpc: ec2.IVpc | None = None,
        task_subnets: ec2.SubnetSelection | None = None,
        link_subnets: ec2.SubnetSelection | None = None,
        port: int | None = None,
        cluster: ecs.ICluster | None = None,
        container_insights: bool = False,
        log_retention: logs.RetentionDays | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        routed_port = _validate(
            self,
            containers=containers,
            cpu=cpu,
            memory=memory,
            desired_count=desired_count,
            port=port,
            architecture=architecture,
            vpc=vpc,
            task_subnets=task_subnets,
            link_subnets=link_subnets,
            cluster=cluster,
            log_retention=log_retention,
        )
        vpc = _given_vpc(self, vpc, cluster)
        self.vpc: ec2.IVpc = vpc or idle_free_vpc(self)
        """The VPC the tasks run in."""
        selection, public = select_task_subnets(self, self.vpc, task_subnets, given_vpc=vpc)
        _check_link_subnets(self, self.vpc, link_subnets)
        self.link_subnets = link_subnets
        """Where the gateways' VPC Links into this VPC go; None for their default choice."""
        self.routed_port = routed_port
        """The container port the gateway's routes reach."""
        if cluster is None:
            cluster = new_cluster(self, self.vpc, container_insights=container_insights)
        self.cluster: ecs.ICluster = cluster
        self.namespace = _private_namespace(self)
        """The private Cloud Map namespace the tasks register in."""
        self.log_group = logs.LogGroup(
            self, "Logs", retention=log_retention or logs.RetentionDays.ONE_MONTH
        )
        """The containers' log group."""
        self.task_definition, definitions = fargate_task(
            self,
            containers=containers,
            cpu=cpu,
            memory=memory,
            architecture=architecture,
            log_group=self.log_group,
        )
        """The Fargate task definition."""
        routed = _routed_container(self, containers, routed_port, definitions)
        self.security_group = task_security_group(
            self, self.vpc, "reached only through the VPC Link of the API"
        )
        """The tasks' security group: ingress only from the VPC Links of the gateways routing
        here, on the routed port."""
        self.service = _fargate_service(self, routed, desired_count, selection, public=public)
        """The ECS service."""
        cloud_map_service = self.service.cloud_map_service
        assert cloud_map_service is not None
        self.cloud_map_service: servicediscovery.IService = cloud_map_service
        """The Cloud Map service (SRV records) the gateway discovers the tasks through."""
        self._reach = Reach(self, per_route=False)

    def as_route_target(self) -> RouteTarget:
        """The target that routes to this service use."""
        return _ServiceTarget(self)

    def port(self, port: int) -> RouteTarget:
        """A target for another port of this service: only the routed port can be reached.

        Cloud Map registers one SRV record (one port) per ECS service, so a second port needs
        its own :class:`ContainerService` (or a reverse proxy in the task).
        """
        if port != self.routed_port:
            raise FrontDoorValidationError(
                self,
                f"port {port} is not the routed port {self.routed_port}: an ECS service "
                "registers one port in Cloud Map, so serve another port as its own "
                "ContainerService (one per port), or route through a proxy container",
            )
        return _ServiceTarget(self)

    @property
    def front_doors(self) -> dict[str, FrontDoor]:
        """The front door of each gateway that routes here, by the gateway's path."""
        return self._reach.front_doors

    def _front_door_of(self, attribute: str) -> FrontDoor | None:
        return self._reach.front_door(attribute)


class _ServiceTarget(RouteTarget):
    """Routes to a :class:`ContainerService`: ``HTTP_PROXY`` over the gateway's VPC Link to
    the Cloud Map service, payload format 1.0 (what private integrations take)."""

    receives_identity_headers: ClassVar[bool] = True

    def __init__(self, service: ContainerService) -> None:
        self.service = service

    def target_id(self, gateway_stack: Stack) -> str:
        return "Service|" + construct_key(self.service, gateway_stack)

    @property
    def backend(self) -> IConstruct:
        """The container service: its running tasks, CPU and memory are watched."""
        return self.service

    def validate(self, scope: IConstruct) -> None:
        if Stack.of(scope) is not Stack.of(self.service) and (
            Stack.of(scope).node.path != Stack.of(self.service).node.path
        ):
            raise FrontDoorValidationError(
                scope,
                f"container service {self.service.node.path} is in stack "
                f"{Stack.of(self.service).node.path}, the gateway in {Stack.of(scope).node.path}: "
                "the VPC Link's and the tasks' security group rules, which this library defines "
                "next to each group, would reference each other across stacks; define the "
                "gateway and the service in one stack",
            )

    def routed(
        self, gateway: IConstruct, front_door: FrontDoor, route: RouteKey, *, outputs: bool
    ) -> None:
        self.service._reach.add(gateway, front_door, route.value, "", outputs=outputs)

    def bind(self, context: BindContext) -> apigwv2.HttpIntegration:
        if context.vpc_link is None:
            raise FrontDoorValidationError(
                context.gateway, "this gateway cannot make VPC Links for container services"
            )
        link, link_security_group = context.vpc_link(self.service.vpc, self.service.link_subnets)
        port = ec2.Port.tcp(self.service.routed_port)
        self.service.security_group.add_ingress_rule(
            link_security_group, port, f"from the VPC Link of {context.gateway.node.path}"
        )
        link_security_group.add_egress_rule(
            self.service.security_group, port, f"to the tasks of {self.service.node.path}"
        )
        return apigwv2.HttpIntegration(
            context.scope,
            "Integration",
            http_api=context.http_api,
            integration_type=apigwv2.HttpIntegrationType.HTTP_PROXY,
            integration_uri=self.service.cloud_map_service.service_arn,
            method=apigwv2.HttpMethod.ANY,
            connection_type=apigwv2.HttpConnectionType.VPC_LINK,
            connection_id=link.vpc_link_id,
            payload_format_version=payload_format_version("1.0"),
            timeout=duration_millis(29_000),
            parameter_mapping=parameter_mapping(context.request_parameters),
        )


def _validate(
    scope: IConstruct,
    *,
    containers: object,
    cpu: object,
    memory: object,
    desired_count: object,
    port: object,
    architecture: object,
    vpc: object,
    task_subnets: object,
    link_subnets: object,
    cluster: object,
    log_retention: object,
) -> int:
    """Check the service's props; return the routed port (the first container port unless given)."""
    check_task_options(
        scope,
        architecture=architecture,
        vpc=vpc,
        task_subnets=task_subnets,
        cluster=cluster,
        log_retention=log_retention,
    )
    check(scope, "link_subnets", link_subnets, ec2.SubnetSelection | None)
    ports = validate_containers(scope, containers)
    validate_fargate_size(scope, cpu, memory)
    check_number(
        scope, "desired_count", desired_count, minimum=0, maximum=MAX_TASKS_PER_SERVICE, whole=True
    )
    if port is None:
        if not ports:
            raise FrontDoorValidationError(
                scope,
                "no container exposes a port: give the container that serves requests a port",
            )
        return next(iter(ports))
    validate_port(scope, "port", port)
    assert isinstance(port, int)
    if port not in ports:
        raise FrontDoorValidationError(
            scope,
            f"no container exposes the routed port {port}: the containers expose "
            f"{sorted(ports) or 'no port'}",
        )
    return port


def _given_vpc(
    scope: IConstruct, vpc: ec2.IVpc | None, cluster: ecs.ICluster | None
) -> ec2.IVpc | None:
    """The VPC given for the tasks: ``vpc``, else the cluster's, which must be the same."""
    if cluster is not None and vpc is None:
        return cluster.vpc
    if cluster is not None and vpc is not None and cluster.vpc.node.path != vpc.node.path:
        raise FrontDoorValidationError(
            scope,
            f"cluster {cluster.node.path} is in VPC {cluster.vpc.node.path}, not in the "
            f"given vpc {vpc.node.path}: the tasks run in the cluster's VPC; give one VPC",
        )
    return vpc


def _check_link_subnets(
    scope: IConstruct, vpc: ec2.IVpc, link_subnets: ec2.SubnetSelection | None
) -> None:
    """Check that ``link_subnets``, when given, select subnets of ``vpc``."""
    if link_subnets is None:
        return
    try:
        vpc.select_subnets(
            subnet_type=link_subnets.subnet_type,
            subnet_group_name=link_subnets.subnet_group_name,
            subnets=link_subnets.subnets,
        )
    except RuntimeError as error:
        raise FrontDoorValidationError(
            scope, f"link_subnets select no subnets of the VPC ({error})"
        ) from error


def _private_namespace(service: ContainerService) -> servicediscovery.PrivateDnsNamespace:
    """The private Cloud Map namespace, in the service's VPC, that its tasks register in."""
    return servicediscovery.PrivateDnsNamespace(
        service,
        "Namespace",
        name=_namespace_name(service),
        vpc=service.vpc,
        description=f"Service discovery for {service.node.path}",
    )


def _routed_container(
    scope: IConstruct,
    containers: Sequence[Container],
    routed_port: int,
    definitions: dict[str, ecs.ContainerDefinition],
) -> ecs.ContainerDefinition:
    """Check the routed container (essential, with a health check); return its definition."""
    routed_container = next(c for c in containers if c.port == routed_port)
    if not routed_container.essential:
        raise FrontDoorValidationError(
            scope,
            f"the routed container {routed_container.name!r} is not essential: the task "
            "would keep running (and registered) after the container serving requests stops",
        )
    if routed_container.health_check is None:
        Annotations.of(scope).add_warning_v2(
            "cdk-front-door:no-health-check",
            f"container {routed_container.name!r} has no health check, so a new task counts "
            "as healthy once it starts, before it listens: during a deploy the old task may "
            "stop first. Give it a health_check",
        )
    return definitions[routed_container.name]


def _fargate_service(
    service: ContainerService,
    routed: ecs.ContainerDefinition,
    desired_count: int,
    subnets: ec2.SubnetSelection,
    *,
    public: bool,
) -> ecs.FargateService:
    """The ECS service: rolling deploys rolled back on failure, tasks registered in Cloud Map."""
    return ecs.FargateService(
        service,
        "Service",
        cluster=service.cluster,
        task_definition=service.task_definition,
        desired_count=desired_count,
        assign_public_ip=public,
        vpc_subnets=subnets,
        security_groups=[service.security_group],
        circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
        min_healthy_percent=100,
        max_healthy_percent=200,
        enable_execute_command=False,
        cloud_map_options=ecs.CloudMapOptions(
            cloud_map_namespace=service.namespace,
            dns_record_type=servicediscovery.DnsRecordType.SRV,
            dns_ttl=Duration.seconds(10),
            container=routed,
            container_port=service.routed_port,
        ),
    )


def _namespace_name(service: Construct) -> str:
    """A DNS name for the service's private namespace: its construct id, made DNS-safe, and
    a hash of its path, so that two services (or two apps) in one VPC never share a name."""
    label = re.sub(r"[^a-z0-9-]+", "-", service.node.id.lower()).strip("-")[:40] or "service"
    digest = hashlib.sha256(service.node.path.encode()).hexdigest()[:8]
    return f"{label}-{digest}.internal"
