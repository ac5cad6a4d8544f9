"""Number tokens (CloudFormation parameters, imports) are accepted unvalidated wherever a
number is taken, and a message never shows a token's encoded number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import CfnParameter, Duration, Stack
from aws_cdk import aws_ecs as ecs

from cdk_front_door import (
    PUBLIC,
    AccessLogs,
    BatchJob,
    CacheRule,
    Cdn,
    Container,
    ContainerService,
    Cors,
    FrontDoorValidationError,
    HttpApiGateway,
    LambdaAuth,
    Throttle,
)
from tests.support import inline_function, template_of

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/docker/library/nginx:1.27")


def _number(stack: Stack, name: str = "Number") -> Any:
    return CfnParameter(stack, name, type="Number").value_as_number


def _web(port: Any = 8080) -> Container:
    return Container("web", image=IMAGE, port=port)


ACCEPTED: dict[str, Callable[[Stack], object]] = {
    "stage rate limit": lambda s: HttpApiGateway(
        s, "Api", throttle=Throttle(rate_limit=_number(s), burst_limit=5)
    ),
    "stage burst limit": lambda s: HttpApiGateway(
        s, "Api", throttle=Throttle(rate_limit=5, burst_limit=_number(s))
    ),
    "route throttle": lambda s: HttpApiGateway(s, "Api").add_route(
        "GET /a",
        inline_function(s),
        auth=PUBLIC,
        throttle=Throttle(rate_limit=_number(s), burst_limit=_number(s, "Burst")),
    ),
    "access log retention": lambda s: HttpApiGateway(
        s, "Api", access_logs=AccessLogs(retention=_number(s))
    ),
    "cors max age": lambda s: HttpApiGateway(
        s, "Api", cors=Cors(max_age=Duration.seconds(_number(s)))
    ),
    "cache rule ttl": lambda s: HttpApiGateway(
        s, "Api", cdn=Cdn(cache=[CacheRule(path_pattern="/a/*", ttl=Duration.seconds(_number(s)))])
    ),
    "lambda authorizer cache ttl": lambda s: HttpApiGateway(
        s,
        "Api",
        default_auth=LambdaAuth(
            inline_function(s, "Authorizer"),
            identity_sources=["$request.header.Authorization"],
            cache_ttl=Duration.seconds(_number(s)),
        ),
    ),
    "desired count": lambda s: ContainerService(
        s, "Svc", containers=[_web()], desired_count=_number(s)
    ),
    "cpu and memory": lambda s: ContainerService(
        s, "Svc", containers=[_web()], cpu=_number(s), memory=_number(s, "Memory")
    ),
    "container port": lambda s: ContainerService(s, "Svc", containers=[_web(_number(s))]),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_number_tokens_are_accepted_unvalidated(stack: Stack, case: str) -> None:
    ACCEPTED[case](stack)
    parameters = template_of(stack)["Parameters"]
    assert "Number" in parameters


def test_access_log_retention_token_reaches_the_log_group(stack: Stack) -> None:
    token = _number(stack)
    HttpApiGateway(stack, "Api", access_logs=AccessLogs(retention=token))
    log_groups = [
        resource
        for resource in template_of(stack)["Resources"].values()
        if resource["Type"] == "AWS::Logs::LogGroup"
    ]
    assert [group["Properties"]["RetentionInDays"] for group in log_groups] == [{"Ref": "Number"}]


def test_job_retries_token_is_refused_without_its_encoded_number(stack: Stack) -> None:
    with pytest.raises(
        FrontDoorValidationError,
        match=r"retries must be known at synth time \(the job's overall timeout is computed "
        r"from it\), got a token \(at TestStack/Job\)",
    ) as raised:
        BatchJob(stack, "Job", container=Container("work", image=IMAGE), retries=_number(stack))
    assert "e+289" not in str(raised.value)
