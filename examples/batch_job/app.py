"""Start a container job from an HTTP route, stop it, and ask for its status.

``POST /jobs`` starts a run of the job (a container on Fargate) with the request body as its
input and answers at once with the execution's ARN; ``POST /jobs/stop`` stops one;
``GET /jobs/status?executionArn=...`` asks a small function for its status (HTTP APIs cannot
read an execution's status themselves). Nothing runs, and nothing bills by the hour, between
jobs: no NAT gateway, no load balancer, no idle task. Routes need AWS-signed requests (IAM)::

    awscurl --service execute-api -X POST -d '{"image": "s3://bucket/cat.png"}' <url>jobs

cdk synth --app ".venv/bin/python -m examples.batch_job.app"
"""

from __future__ import annotations

from aws_cdk import App, Duration, Stack
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from cdk_front_door import BatchJob, Container, HttpApiGateway, IamAuth
from examples.shared import JOB_STATUS_CODE, demo_function, synth


class BatchJobStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        job = BatchJob(
            self,
            "Resize",
            container=Container(
                "resize",
                image=ecs.ContainerImage.from_registry(
                    "public.ecr.aws/docker/library/busybox:stable"
                ),
                command=["sh", "-c", 'echo "resizing $JOB_INPUT"; sleep 30'],
            ),
            cpu=256,
            memory=512,
            timeout=Duration.minutes(15),
            retries=2,
        )
        status = demo_function(self, "JobStatus", message="", code=JOB_STATUS_CODE)
        job.grant_status(status)

        api = HttpApiGateway(self, "Api", default_auth=IamAuth())
        api.add_route("POST /jobs", job)
        api.add_route("POST /jobs/stop", job.stop_target())
        api.add_route("GET /jobs/status", status)


def build(app: App) -> Stack:
    return BatchJobStack(app, "FrontDoorBatchJob")


if __name__ == "__main__":
    synth(build)
