from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, CfnElement, Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from cdk_front_door import (
    BatchJob,
    Container,
    FrontDoorValidationError,
    HttpApiGateway,
    IamAuth,
)
from cdk_front_door.testing import snapshot_context
from tests.support import (
    API_GATEWAY_PRINCIPAL,
    api_gateway_trust_conditions,
    cfn_lint,
    nag_report,
    new_stack,
    resources_of_type,
    roles_trusting_api_gateway,
    single,
    template_of,
)

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/busybox:stable")


def _job(stack: Stack, **options: Any) -> BatchJob:
    return BatchJob(
        stack,
        "Resize",
        container=options.pop("container", Container("resize", image=IMAGE)),
        **options,
    )


def _definition(stack: Stack) -> dict[str, Any]:
    machine = single(template_of(stack), "AWS::StepFunctions::StateMachine")["Properties"]
    parts = machine["DefinitionString"]["Fn::Join"][1]
    # Every reference sits inside a JSON string of the definition.
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in parts)
    definition: dict[str, Any] = json.loads(text)
    return definition


def test_a_job_is_a_standard_state_machine_that_runs_its_task_and_waits(stack: Stack) -> None:
    _job(stack)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::StepFunctions::StateMachine", 1)
    template.has_resource_properties(
        "AWS::StepFunctions::StateMachine", {"StateMachineType": "STANDARD"}
    )
    definition = _definition(stack)
    run = definition["States"]["Run"]
    assert run["Resource"].endswith(":states:::ecs:runTask.sync")
    assert run["Parameters"]["LaunchType"] == "FARGATE"
    assert run["TimeoutSeconds"] == 3600
    assert run["Next"] == "Succeeded"
    assert definition["States"]["Failed"]["Type"] == "Fail"


def test_failed_attempts_are_retried_with_backoff_then_fail(stack: Stack) -> None:
    _job(stack, retries=3, timeout=Duration.minutes(10))
    definition = _definition(stack)
    run = definition["States"]["Run"]
    assert run["Retry"] == [
        {
            "ErrorEquals": ["States.TaskFailed", "States.Timeout"],
            "IntervalSeconds": 30,
            "MaxAttempts": 3,
            "BackoffRate": 2,
            "JitterStrategy": "FULL",
        }
    ]
    assert run["Catch"] == [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]
    # four attempts of 600 s, waits of 30 + 60 + 120 s, and 300 s to spare
    assert definition["TimeoutSeconds"] == 4 * 600 + 210 + 300


def test_the_job_gets_its_input_and_execution_in_the_environment(stack: Stack) -> None:
    _job(stack)
    overrides = _definition(stack)["States"]["Run"]["Parameters"]["Overrides"]
    assert overrides["ContainerOverrides"] == [
        {
            "Name": "resize",
            "Environment": [
                {"Name": "JOB_INPUT", "Value.$": "States.JsonToString($)"},
                {"Name": "JOB_EXECUTION_ARN", "Value.$": "$$.Execution.Id"},
            ],
        }
    ]


def test_a_job_runs_on_arm_fargate_in_public_subnets_without_a_nat_gateway(stack: Stack) -> None:
    _job(stack, cpu=1024, memory=2048)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::ECS::TaskDefinition", 1)
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        {"Cpu": "1024", "Memory": "2048", "RuntimePlatform": {"CpuArchitecture": "ARM64"}},
    )
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    network = _definition(stack)["States"]["Run"]["Parameters"]["NetworkConfiguration"]
    assert network["AwsvpcConfiguration"]["AssignPublicIp"] == "ENABLED"
    template.resource_count_is("AWS::EC2::SecurityGroup", 1)
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup", {"SecurityGroupIngress": Match.absent()}
    )


def test_job_and_state_machine_logs_are_kept_30_days(stack: Stack) -> None:
    _job(stack)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::StepFunctions::StateMachine", 1)
    template.has_resource_properties(
        "AWS::StepFunctions::StateMachine",
        {
            "LoggingConfiguration": {"Level": "ALL", "IncludeExecutionData": False},
            "TracingConfiguration": Match.object_equals({"Enabled": True}),
        },
    )
    groups = resources_of_type(template_of(stack), "AWS::Logs::LogGroup")
    job_groups = [g for logical_id, g in groups.items() if logical_id.startswith("Resize")]
    assert [g["Properties"]["RetentionInDays"] for g in job_groups].count(30) >= 2


def test_a_route_to_the_job_starts_an_execution_and_another_stops_one(stack: Stack) -> None:
    job = _job(stack)
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    api.add_route("POST /jobs", job)
    api.add_route("POST /jobs/stop", job.stop_target())
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::ApiGatewayV2::Integration", 2)
    for subtype in ("StepFunctions-StartExecution", "StepFunctions-StopExecution"):
        template.has_resource_properties(
            "AWS::ApiGatewayV2::Integration", {"IntegrationSubtype": subtype}
        )


def test_grant_status_allows_describing_the_jobs_executions_only(stack: Stack) -> None:
    job = _job(stack)
    role = iam.Role(stack, "Reader", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    job.grant_status(role)
    policies = resources_of_type(template_of(stack), "AWS::IAM::Policy")
    policy = next(p for logical_id, p in policies.items() if logical_id.startswith("Reader"))
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "states:DescribeExecution"
    assert ":execution:" in json.dumps(statement["Resource"])


def _task_watching_statements(stack: Stack) -> list[dict[str, Any]]:
    """Every policy statement of the stack that allows ecs:StopTask or ecs:DescribeTasks."""
    return [
        statement
        for policy in resources_of_type(template_of(stack), "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if {"ecs:StopTask", "ecs:DescribeTasks"}.intersection(
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    ]


def _watches_tasks_of(stack: Stack, job: BatchJob, cluster_arn: object) -> None:
    statement = {
        "Action": ["ecs:StopTask", "ecs:DescribeTasks"],
        "Condition": {"ArnEquals": {"ecs:cluster": cluster_arn}},
        "Effect": "Allow",
        "Resource": "*",
    }
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [stack.resolve(job.state_machine.role.role_name)],
            "PolicyDocument": {"Statement": Match.array_with([Match.exact(statement)])},
        },
    )
    assert _task_watching_statements(stack) == [statement]


def test_the_state_machine_may_stop_and_describe_tasks_of_the_jobs_cluster_only(
    stack: Stack,
) -> None:
    job = _job(stack)
    cluster = job.cluster.node.default_child
    assert isinstance(cluster, CfnElement)
    _watches_tasks_of(stack, job, {"Fn::GetAtt": [stack.get_logical_id(cluster), "Arn"]})


def test_a_job_on_your_cluster_may_stop_and_describe_tasks_of_that_cluster_only(
    stack: Stack,
) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=0)
    cluster = ecs.Cluster.from_cluster_attributes(stack, "Jobs", cluster_name="jobs", vpc=vpc)
    job = _job(stack, cluster=cluster)
    Template.from_stack(stack).resource_count_is("AWS::ECS::Cluster", 0)
    _watches_tasks_of(
        stack,
        job,
        {
            "Fn::Join": [
                "",
                ["arn:", {"Ref": "AWS::Partition"}, ":ecs:us-east-1:123456789012:cluster/jobs"],
            ]
        },
    )


def test_the_jobs_start_and_stop_roles_may_be_assumed_for_its_api_only(stack: Stack) -> None:
    job = _job(stack)
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    api.add_route("POST /jobs", job)
    api.add_route("POST /jobs/stop", job.stop_target())
    template = Template.from_stack(stack)
    assert len(roles_trusting_api_gateway(template)) == 2
    template.resource_properties_count_is(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    Match.exact(
                        {
                            "Action": "sts:AssumeRole",
                            "Condition": api_gateway_trust_conditions(stack, api.http_api.api_id),
                            "Effect": "Allow",
                            "Principal": API_GATEWAY_PRINCIPAL,
                        }
                    )
                ]
            }
        },
        2,
    )


def test_a_job_passes_cdk_nag_and_cfn_lint() -> None:
    app = App(context=snapshot_context())
    stack = new_stack(app)
    job = _job(stack)
    api = HttpApiGateway(stack, "Api", default_auth=IamAuth())
    api.add_route("POST /jobs", job)
    api.add_route("POST /jobs/stop", job.stop_target())
    assert nag_report(app) == ""
    assert cfn_lint(template_of(stack)) == []


def test_a_job_in_your_vpc_runs_in_its_private_subnets(stack: Stack) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    _job(stack, vpc=vpc)
    machine = single(template_of(stack), "AWS::StepFunctions::StateMachine")["Properties"]
    references = [
        part["Ref"]
        for part in machine["DefinitionString"]["Fn::Join"][1]
        if isinstance(part, dict) and "Ref" in part and "Subnet" in part["Ref"]
    ]
    assert references and all("Private" in ref for ref in references)
    network = _definition(stack)["States"]["Run"]["Parameters"]["NetworkConfiguration"]
    assert "AssignPublicIp" not in network["AwsvpcConfiguration"]  # ECS's default: none


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cpu": 300}, r"invalid cpu 300: Fargate takes 256, 512"),
        ({"memory": 4096}, r"invalid memory 4096 MiB for cpu 256"),
        ({"timeout": Duration.seconds(30)}, r"timeout of 30 s is not allowed: give whole"),
        ({"timeout": Duration.days(400)}, r"timeout of 3.456e\+07 s is not allowed"),
        ({"timeout": Duration.millis(90500)}, r"timeout of 90.5 s is not allowed"),
        ({"timeout": 60}, r"timeout must be a Duration or None, got int 60"),
        ({"retries": -1}, r"retries must be a whole number from 0 to 10, got -1"),
        ({"retries": 11}, r"retries must be a whole number from 0 to 10, got 11"),
        ({"retries": True}, r"retries must be a whole number, got bool True"),
        (
            {"container": Container("web", image=IMAGE, port=80)},
            r"job container 'web' has port 80, but a job takes no traffic",
        ),
        ({"container": "busybox"}, r"container must be a Container, got str"),
        ({"vpc": "vpc-1"}, r"vpc must be an ec2.IVpc or None, got str 'vpc-1'"),
    ],
)
def test_fails_on_invalid_job_settings(stack: Stack, options: dict[str, Any], message: str) -> None:
    with pytest.raises(FrontDoorValidationError, match=message + r".*\(at TestStack/Resize\)"):
        _job(stack, **options)
