"""Alarms that page, and a dashboard: a front door that tells you when it is broken.

Two public routes to functions and a route that starts a container job, with every alarm the
gateway offers (the API's 5xx and 4xx rates, its p99 latency and integration latency, each
function's errors and throttles, the job's failed executions), a new encrypted SNS topic they
notify, a dashboard of the same metrics, and per-route metrics on the stage. Subscribe to the
topic to be paged (its ARN is the stack output "Alarm topic of FrontDoorObservability/Api")::

    aws sns subscribe --protocol email --notification-endpoint you@example.com --topic-arn ARN

Fixed cost: about US$5.20 a month (9 alarms evaluating 12 metrics $1.20, the topic's KMS key
$1.00, the dashboard $3.00, free for the first three dashboards of an account); the routes'
detailed metrics bill per route that receives requests.

cdk synth --app ".venv/bin/python -m examples.observability.app"
"""

from __future__ import annotations

from aws_cdk import App, Duration, Stack
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from cdk_front_door import PUBLIC, Alarms, BatchJob, Container, HttpApiGateway, IamAuth
from examples.shared import demo_function, synth


class ObservabilityStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        hello = demo_function(self, "Hello", message="hello from an observed front door")
        orders = demo_function(self, "Orders", message="orders")
        report = BatchJob(
            self,
            "Report",
            container=Container(
                "report",
                image=ecs.ContainerImage.from_registry(
                    "public.ecr.aws/docker/library/busybox:stable"
                ),
                command=["sh", "-c", 'echo "reporting on $JOB_INPUT"'],
            ),
            timeout=Duration.minutes(10),
        )

        api = HttpApiGateway(
            self,
            "Api",
            alarms=Alarms(dashboard=True),
            detailed_metrics=True,
        )
        api.add_route("GET /hello", hello, auth=PUBLIC)
        api.add_route("GET /orders", orders, auth=PUBLIC)
        api.add_route("POST /orders", orders, auth=PUBLIC)
        api.add_route("POST /reports", report, auth=IamAuth())


def build(app: App) -> Stack:
    return ObservabilityStack(app, "FrontDoorObservability")


if __name__ == "__main__":
    synth(build)
