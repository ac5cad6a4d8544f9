from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, Environment, Fn, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ssm as ssm
from aws_cdk.assertions import Annotations, Match, Template

from cdk_front_door import (
    PUBLIC,
    Container,
    ContainerService,
    FrontDoorValidationError,
    HttpApiGateway,
)
from cdk_front_door.testing import snapshot_context
from tests.support import cfn_lint, has_one, nag_report, new_stack, resources_of_type, template_of

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:stable")
SERVICE = "AWS::ECS::Service"
TASK_DEFINITION = "AWS::ECS::TaskDefinition"
CLUSTER = "AWS::ECS::Cluster"
DISCOVERY = "AWS::ServiceDiscovery::Service"
NAMESPACE = "AWS::ServiceDiscovery::PrivateDnsNamespace"
INTEGRATION = "AWS::ApiGatewayV2::Integration"
VPC_LINK = "AWS::ApiGatewayV2::VpcLink"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
INGRESS = "AWS::EC2::SecurityGroupIngress"
EGRESS = "AWS::EC2::SecurityGroupEgress"
SUBNET = "AWS::EC2::Subnet"
FLOW_LOG = "AWS::EC2::FlowLog"


def web(port: int | None = 8080, name: str = "web") -> Container:
    return Container(name, image=IMAGE, port=port)


def vpc_with(stack: Stack, name: str, *subnets: ec2.SubnetType, nat_gateways: int = 0) -> ec2.Vpc:
    """A two-zone VPC with one subnet group per type given, named after the type."""
    return ec2.Vpc(
        stack,
        name,
        max_azs=2,
        nat_gateways=nat_gateways,
        subnet_configuration=[
            ec2.SubnetConfiguration(name=kind.name.title().replace("_", ""), subnet_type=kind)
            for kind in subnets
        ],
    )


def routed(stack: Stack, **options: Any) -> tuple[ContainerService, HttpApiGateway]:
    service = ContainerService(
        stack, "App", containers=options.pop("containers", [web()]), **options
    )
    api = HttpApiGateway(stack, "Api")
    api.add_route("ANY /{proxy+}", service, auth=PUBLIC)
    return service, api


def test_service_registers_srv_records_in_a_private_namespace(stack: Stack) -> None:
    routed(stack)
    template = Template.from_stack(stack)
    has_one(
        template,
        DISCOVERY,
        {
            "DnsConfig": {"DnsRecords": Match.array_equals([{"TTL": 10, "Type": "SRV"}])},
            "HealthCheckCustomConfig": Match.object_equals({"FailureThreshold": 1}),
        },
    )
    template.resource_count_is(NAMESPACE, 1)
    has_one(
        template,
        SERVICE,
        {"ServiceRegistries": [Match.object_like({"ContainerName": "web", "ContainerPort": 8080})]},
    )


def test_route_is_a_private_http_proxy_over_the_vpc_link(stack: Stack) -> None:
    service, api = routed(stack)
    template = Template.from_stack(stack)
    template.resource_count_is(VPC_LINK, 1)
    link_id = next(iter(template.find_resources(VPC_LINK)))
    has_one(
        template,
        INTEGRATION,
        {
            "IntegrationType": "HTTP_PROXY",
            "IntegrationMethod": "ANY",
            "ConnectionType": "VPC_LINK",
            "PayloadFormatVersion": "1.0",
            "IntegrationUri": Match.object_equals(
                stack.resolve(service.cloud_map_service.service_arn)
            ),
            "ConnectionId": Match.object_equals({"Ref": link_id}),
        },
    )
    template.has_resource_properties(
        VPC_LINK,
        {
            "SubnetIds": [Match.any_value(), Match.any_value()],
            "SecurityGroupIds": [Match.any_value()],
        },
    )


def test_tasks_admit_only_the_vpc_link_on_the_routed_port(stack: Stack) -> None:
    service, _ = routed(stack)
    template = Template.from_stack(stack)
    group_id = stack.resolve(service.security_group.security_group_id)
    has_one(
        template,
        INGRESS,
        {
            "FromPort": 8080,
            "ToPort": 8080,
            "IpProtocol": "tcp",
            "GroupId": Match.object_equals(group_id),
            "SourceSecurityGroupId": Match.any_value(),
            "CidrIp": Match.absent(),
        },
    )
    template.all_resources_properties(SECURITY_GROUP, {"SecurityGroupIngress": Match.absent()})
    text = json.dumps(template.to_json())
    assert '"CidrIp": "0.0.0.0/0", "Description": "from' not in text
    template.resource_count_is(EGRESS, 1)
    template.has_resource_properties(
        EGRESS, {"DestinationSecurityGroupId": Match.object_equals(group_id)}
    )


def test_default_vpc_has_no_nat_gateway_and_tasks_have_public_ips(stack: Stack) -> None:
    routed(stack)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 0)
    subnets = resources_of_type(template.to_json(), SUBNET).values()
    template.all_resources_properties(
        SUBNET, {"MapPublicIpOnLaunch": True, "AvailabilityZone": Match.absent()}
    )
    # us-east-1 (the test environment): pinned to zone ids that offer VPC Links
    assert [s["Properties"]["AvailabilityZoneId"] for s in subnets] == ["use1-az1", "use1-az2"]
    template.resource_count_is(SERVICE, 1)
    template.has_resource_properties(
        SERVICE, {"NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}}}
    )
    has_one(template, FLOW_LOG, {"TrafficType": "REJECT"})


def test_deploys_are_safe_by_default(stack: Stack) -> None:
    routed(stack)
    template = Template.from_stack(stack)
    has_one(
        template,
        SERVICE,
        {
            "DeploymentConfiguration": {
                "DeploymentCircuitBreaker": Match.object_equals({"Enable": True, "Rollback": True}),
                "MinimumHealthyPercent": 100,
                "MaximumPercent": 200,
            },
            "EnableExecuteCommand": False,
            "LaunchType": "FARGATE",
        },
    )
    has_one(
        template,
        TASK_DEFINITION,
        {
            "Cpu": "256",
            "Memory": "512",
            "RuntimePlatform": {"CpuArchitecture": "ARM64"},
            "ContainerDefinitions": [
                Match.object_like({"StopTimeout": 30, "LogConfiguration": {"LogDriver": "awslogs"}})
            ],
        },
    )
    has_one(
        template,
        CLUSTER,
        {
            "ClusterSettings": Match.array_equals(
                [{"Name": "containerInsights", "Value": "disabled"}]
            )
        },
    )


def test_several_containers_one_routed(stack: Stack) -> None:
    service, _ = routed(
        stack,
        containers=[
            Container("proxy", image=IMAGE, port=8080, environment={"UPSTREAM": "localhost:9000"}),
            Container("app", image=IMAGE, port=9000, command=["serve"], essential=True),
            Container("metrics", image=IMAGE),
        ],
    )
    template = Template.from_stack(stack)
    has_one(
        template,
        TASK_DEFINITION,
        {
            "ContainerDefinitions": [
                Match.object_like({"Name": name}) for name in ("proxy", "app", "metrics")
            ]
        },
    )
    assert service.routed_port == 8080


def test_one_vpc_link_per_gateway_and_vpc(stack: Stack) -> None:
    vpc = ec2.Vpc(
        stack,
        "Shared",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC)
        ],
    )
    first = ContainerService(stack, "First", containers=[web()], vpc=vpc)
    second = ContainerService(stack, "Second", containers=[web(9000)], vpc=vpc)
    api = HttpApiGateway(stack, "Api")
    api.add_route("ANY /a/{proxy+}", first, auth=PUBLIC)
    api.add_route("ANY /b/{proxy+}", second, auth=PUBLIC)
    template = Template.from_stack(stack)
    template.resource_count_is(VPC_LINK, 1)
    template.resource_count_is(INTEGRATION, 2)
    template.resource_count_is(INGRESS, 2)


def test_service_attributes_follow_the_gateway(stack: Stack) -> None:
    service = ContainerService(stack, "App", containers=[web()])
    api = HttpApiGateway(stack, "Api", cdn=True)
    api.add_route("ANY /{proxy+}", service, auth=PUBLIC)
    assert service.url == api.url and service.domain == api.domain
    assert service.cdn_url == api.cdn_url
    assert service.task_definition.node.path == "TestStack/App/TaskDefinition"


def test_container_service_passes_cdk_nag_and_cfn_lint() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    routed(stack)
    assert cfn_lint(template_of(stack)) == []
    assert nag_report(app) == ""


def test_another_port_needs_its_own_service(stack: Stack) -> None:
    service = ContainerService(stack, "App", containers=[web(8080), web(8081, "admin")])
    assert service.port(8080) is not None
    with pytest.raises(
        FrontDoorValidationError,
        match=r"port 8081 is not the routed port 8080.*its own ContainerService",
    ):
        service.port(8081)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"cpu": 256, "memory": 4096},
            r"invalid memory 4096 MiB for cpu 256: Fargate takes 512, 1024, 2048 MiB",
        ),
        ({"cpu": 300}, r"invalid cpu 300: Fargate takes 256, 512, 1024"),
        ({"desired_count": -1}, r"desired_count must be a whole number from 0 to 5000, got -1"),
        ({"containers": [web(None)]}, r"no container exposes a port"),
        ({"containers": [web(8080)], "port": 9000}, r"no container exposes the routed port 9000"),
        (
            {"containers": [web(8080), web(8080, "other")]},
            r"containers 'web' and 'other' both use port 8080",
        ),
        ({"containers": [web(8080), web(8081)]}, r"two containers are named 'web'"),
        (
            {"containers": [web(70000)]},
            r"port of container 'web' must be a whole number from 1 to 65535, got 70000",
        ),
        ({"containers": [web(0)]}, r"from 1 to 65535, got 0"),
        ({"containers": []}, r"containers is empty"),
        (
            {"containers": [Container("web", image=IMAGE, port=80, essential=False)]},
            r"no container is essential",
        ),
        (
            {
                "containers": [
                    Container("web", image=IMAGE, port=80, essential=False),
                    web(None, "main"),
                ]
            },
            r"the routed container 'web' is not essential",
        ),
        ({"containers": [web(name="bad name")]}, r"invalid container name 'bad name'"),
        (
            {"containers": [Container("x", image="nginx", port=80)]},  # type: ignore[arg-type]
            r"image of container 'x' must be an ecs.ContainerImage",
        ),
    ],
)
def test_fails_on_invalid_service(stack: Stack, options: dict[str, Any], message: str) -> None:
    containers = options.pop("containers", [web()])
    with pytest.raises(FrontDoorValidationError, match=message):
        ContainerService(stack, "App", containers=containers, **options)


@pytest.mark.parametrize(
    ("desired_count", "message"),
    [
        (5001, r"desired_count must be a whole number from 0 to 5000, got 5001"),
        (1_000_000, r"desired_count must be a whole number from 0 to 5000, got 1000000"),
        (2.0, r"desired_count must be a whole number, got float 2\.0"),
        (1.5, r"desired_count must be a whole number, got float 1\.5"),
        (float("nan"), r"desired_count must be a whole number, got nan"),
        (float("inf"), r"desired_count must be a whole number, got inf"),
        (True, r"desired_count must be a whole number, got bool True"),
        ("2", r"desired_count must be a whole number, got str '2'"),
    ],
)
def test_fails_when_desired_count_is_beyond_the_tasks_per_service_quota_or_not_whole(
    stack: Stack, desired_count: object, message: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=message):
        ContainerService(stack, "App", containers=[web()], desired_count=desired_count)  # type: ignore[arg-type]


@pytest.mark.parametrize("desired_count", [0, 5000])
def test_desired_count_may_be_anything_from_0_to_5000(stack: Stack, desired_count: int) -> None:
    ContainerService(stack, "App", containers=[web()], desired_count=desired_count)
    template = Template.from_stack(stack)
    has_one(template, SERVICE, {"DesiredCount": desired_count})


def test_a_desired_count_token_is_not_validated(stack: Stack) -> None:
    count: Any = Token.as_number(Fn.import_value("TaskCount"))
    ContainerService(stack, "App", containers=[web()], desired_count=count)
    template = Template.from_stack(stack)
    template.resource_count_is(SERVICE, 1)
    template.has_resource_properties(
        SERVICE, {"DesiredCount": Match.object_equals({"Fn::ImportValue": "TaskCount"})}
    )


def test_fails_on_a_vpc_without_the_needed_subnets(stack: Stack) -> None:
    vpc = ec2.Vpc(
        stack,
        "Isolated",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    with pytest.raises(FrontDoorValidationError, match=r"the VPC has no subnets for the tasks"):
        ContainerService(
            stack,
            "App",
            containers=[web()],
            vpc=vpc,
            task_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
        )


def test_fails_when_routed_from_a_gateway_in_another_stack() -> None:
    app = App(context=snapshot_context())
    service = ContainerService(new_stack(app, "Services"), "App", containers=[web()])
    api = HttpApiGateway(new_stack(app, "Front"), "Api")
    with pytest.raises(
        FrontDoorValidationError,
        match=r"container service Services/App is in stack Services, the gateway in Front",
    ):
        api.add_route("ANY /{proxy+}", service, auth=PUBLIC)


def test_existing_vpc_with_task_and_link_subnets(stack: Stack) -> None:
    vpc = vpc_with(
        stack,
        "Mine",
        ec2.SubnetType.PUBLIC,
        ec2.SubnetType.PRIVATE_WITH_EGRESS,
        ec2.SubnetType.PRIVATE_ISOLATED,
        nat_gateways=1,
    )
    service = ContainerService(
        stack,
        "App",
        containers=[web()],
        vpc=vpc,
        link_subnets=ec2.SubnetSelection(subnet_group_name="PrivateIsolated"),
    )
    HttpApiGateway(stack, "Api").add_route("ANY /{proxy+}", service, auth=PUBLIC)
    template = Template.from_stack(stack)
    app_subnets = [stack.resolve(s.subnet_id) for s in vpc.private_subnets]
    has_one(
        template,
        SERVICE,
        {
            "NetworkConfiguration": {
                "AwsvpcConfiguration": {
                    "AssignPublicIp": "DISABLED",
                    "Subnets": Match.array_equals(app_subnets),
                }
            }
        },
    )
    link_subnets = [stack.resolve(s.subnet_id) for s in vpc.isolated_subnets]
    has_one(template, VPC_LINK, {"SubnetIds": Match.array_equals(link_subnets)})


def test_fails_when_services_in_one_vpc_ask_for_different_link_subnets(stack: Stack) -> None:
    vpc = vpc_with(stack, "Mine", ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_ISOLATED)
    first = ContainerService(
        stack,
        "First",
        containers=[web()],
        vpc=vpc,
        task_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
    )
    second = ContainerService(
        stack,
        "Second",
        containers=[web()],
        vpc=vpc,
        task_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
        link_subnets=ec2.SubnetSelection(subnet_group_name="PrivateIsolated"),
    )
    api = HttpApiGateway(stack, "Api")
    api.add_route("ANY /a/{proxy+}", first, auth=PUBLIC)
    with pytest.raises(FrontDoorValidationError, match=r"already exists with other subnets"):
        api.add_route("ANY /b/{proxy+}", second, auth=PUBLIC)


def test_namespace_names_are_dns_safe_and_unique_per_service(stack: Stack) -> None:
    first = ContainerService(stack, "Web_Site 1", containers=[web()])
    second = ContainerService(stack, "Other", containers=[web()])
    names = [first.namespace.namespace_name, second.namespace.namespace_name]
    assert names[0].startswith("web-site-1-") and names[0].endswith(".internal")
    assert names[1].startswith("other-")
    assert len(set(names)) == 2


def test_warns_when_the_routed_container_has_no_health_check(stack: Stack) -> None:
    ContainerService(stack, "App", containers=[web()])
    Annotations.from_stack(stack).has_warning(
        "/TestStack/App", Match.string_like_regexp(".*has no health check.*")
    )


def test_no_warning_with_a_health_check(stack: Stack) -> None:
    check = ecs.HealthCheck(command=["CMD-SHELL", "true"])
    ContainerService(
        stack, "App", containers=[Container("web", image=IMAGE, port=80, health_check=check)]
    )
    Annotations.from_stack(stack).has_no_warning("/TestStack/App", Match.any_value())


def test_public_ip_follows_the_selected_subnets(stack: Stack) -> None:
    vpc = ec2.Vpc(
        stack,
        "Mine",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Web", subnet_type=ec2.SubnetType.PUBLIC),
        ],
    )
    ContainerService(
        stack,
        "App",
        containers=[web()],
        vpc=vpc,
        task_subnets=ec2.SubnetSelection(subnet_group_name="Web"),
    )
    template = Template.from_stack(stack)
    template.resource_count_is(SERVICE, 1)
    template.has_resource_properties(
        SERVICE, {"NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}}}
    )


def test_fails_when_cluster_and_vpc_disagree(stack: Stack) -> None:
    def vpc(name: str) -> ec2.Vpc:
        return ec2.Vpc(
            stack,
            name,
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC)
            ],
        )

    cluster = ecs.Cluster(stack, "Cluster", vpc=vpc("A"))
    with pytest.raises(
        FrontDoorValidationError,
        match=r"cluster TestStack/Cluster is in VPC TestStack/A, not in the given vpc TestStack/B",
    ):
        ContainerService(stack, "App", containers=[web()], cluster=cluster, vpc=vpc("B"))


def test_fails_on_link_subnets_the_vpc_does_not_have(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError, match=r"link_subnets select no subnets of the VPC"
    ):
        ContainerService(
            stack,
            "App",
            containers=[web()],
            link_subnets=ec2.SubnetSelection(subnet_group_name="Nope"),
        )


def test_no_ingress_from_anywhere(stack: Stack) -> None:
    routed(stack)
    template = template_of(stack)
    rules = [
        r["Properties"]
        for r in resources_of_type(template, "AWS::EC2::SecurityGroupIngress").values()
    ]
    for group in resources_of_type(template, "AWS::EC2::SecurityGroup").values():
        rules.extend(group["Properties"].get("SecurityGroupIngress", []))
    assert rules and all("CidrIp" not in r and "CidrIpv6" not in r for r in rules)


def test_container_insights_can_be_turned_on() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    ContainerService(stack, "App", containers=[web()], container_insights=True)
    template = Template.from_stack(stack)
    has_one(
        template,
        CLUSTER,
        {
            "ClusterSettings": Match.array_equals(
                [{"Name": "containerInsights", "Value": "enabled"}]
            )
        },
    )


def test_container_insights_off_is_acknowledged_for_cdk_nag() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    service = ContainerService(stack, "App", containers=[web()])
    entries = [str(entry.data) for entry in service.cluster.node.metadata]
    assert any("AwsSolutions-ECS4" in entry and "fixed monthly cost" in entry for entry in entries)


def test_zones_are_chosen_by_region_at_deploy_time_in_an_agnostic_stack() -> None:
    stack = Stack(App(context=snapshot_context()), "Agnostic")
    routed(stack)
    template = template_of(stack)
    subnets = list(resources_of_type(template, "AWS::EC2::Subnet").values())
    condition = next(iter(template["Conditions"]))
    first = subnets[0]["Properties"]
    assert first["AvailabilityZoneId"]["Fn::If"][0] == condition
    assert first["AvailabilityZone"]["Fn::If"][2] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    zones = next(iter(template["Mappings"].values()))
    assert zones["us-east-1"] == {"first": "use1-az1", "second": "use1-az2"}
    assert cfn_lint(template) == []


def test_unknown_regions_keep_the_first_two_zones() -> None:
    stack = Stack(
        App(context=snapshot_context()),
        "Elsewhere",
        env=Environment(account="123456789012", region="eu-west-1"),
    )
    routed(stack)
    subnets = resources_of_type(template_of(stack), "AWS::EC2::Subnet").values()
    assert all("Fn::GetAZs" in json.dumps(s["Properties"]["AvailabilityZone"]) for s in subnets)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"command": "echo hi"},
            r"command of container 'web' must be a list of strings or None, got str 'echo hi'",
        ),
        ({"command": ["echo", 1]}, r"command of container 'web'\[1\] must be a string, got int 1"),
        ({"command": []}, r"command of container 'web' is empty"),
        (
            {"environment": {"A": 1}},
            r"environment of container 'web'\['A'\] must be a string, got int 1",
        ),
        (
            {"environment": [("A", "1")]},
            r"environment of container 'web' must be a mapping of strings",
        ),
        (
            {"environment": {"": "x"}},
            r"environment variable name '' of container 'web' is not valid",
        ),
        ({"environment": {"A=B": "x"}}, r"environment variable name 'A=B' of container 'web'"),
        (
            {"secrets": {"TOKEN": "arn:aws:secretsmanager:..."}},
            r"secrets of container 'web'\['TOKEN'\] must be an ecs.Secret",
        ),
        (
            {"health_check": ["CMD", "true"]},
            r"health_check of container 'web' must be an ecs.HealthCheck or None",
        ),
        (
            {"essential": "yes"},
            r"essential of container 'web' must be true or false, got str 'yes'",
        ),
    ],
)
def test_fails_on_container_settings_of_the_wrong_shape(
    stack: Stack, settings: dict[str, Any], message: str
) -> None:
    container = Container("web", image=IMAGE, port=8080, **settings)
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/App\)"):
        ContainerService(stack, "App", containers=[container])


def test_fails_when_a_variable_is_both_in_environment_and_secrets(stack: Stack) -> None:
    secret = ecs.Secret.from_ssm_parameter(
        ssm.StringParameter.from_string_parameter_name(stack, "Param", "/app/token")
    )
    container = Container(
        "web", image=IMAGE, port=8080, environment={"TOKEN": "x"}, secrets={"TOKEN": secret}
    )
    with pytest.raises(FrontDoorValidationError, match=r"'TOKEN' of container 'web' is both in"):
        ContainerService(stack, "App", containers=[container])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"architecture": "ARM64"},
            r"architecture must be an ecs.CpuArchitecture or None, got str",
        ),
        ({"task_subnets": "public"}, r"task_subnets must be an ec2.SubnetSelection or None"),
        ({"link_subnets": ["subnet-1"]}, r"link_subnets must be an ec2.SubnetSelection or None"),
        ({"cluster": "default"}, r"cluster must be an ecs.ICluster or None, got str 'default'"),
        (
            {"log_retention": 30},
            r"log_retention must be a logs.RetentionDays \(.*\) or None, got int 30",
        ),
        ({"container_insights": "yes"}, r"container_insights must be true or false"),
    ],
)
def test_fails_on_service_options_of_the_wrong_type(
    stack: Stack, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/App\)"):
        ContainerService(stack, "App", containers=[web()], **options)


def test_command_list_reaches_the_task_definition_unchanged(stack: Stack) -> None:
    container = Container("web", image=IMAGE, port=8080, command=["echo", "hi"])
    ContainerService(stack, "App", containers=[container])
    template = Template.from_stack(stack)
    has_one(
        template,
        TASK_DEFINITION,
        {"ContainerDefinitions": [Match.object_like({"Command": ["echo", "hi"]})]},
    )


@pytest.mark.parametrize(
    ("retries", "message"),
    [
        (float("nan"), r"health_check retries of container 'web' must be a whole number, got nan"),
        (float("inf"), r"health_check retries of container 'web' must be a whole number, got inf"),
        (0, r"health_check retries of container 'web' must be a whole number from 1 to 10, got 0"),
        (11, r"health_check retries of container 'web' must be a whole number from 1 to 10"),
    ],
)
def test_fails_on_health_check_retries_ecs_refuses_before_jsii_sees_them(
    stack: Stack, retries: float, message: str
) -> None:
    check = ecs.HealthCheck(command=["CMD", "true"], retries=retries)
    container = Container("web", image=IMAGE, port=8080, health_check=check)
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/App\)"):
        ContainerService(stack, "App", containers=[container])
    # The engine still answers.
    ContainerService(stack, "Other", containers=[web()])
