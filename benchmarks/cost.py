"""Fixed monthly cost of each example, read from its synthesized template.

Run from the repository root::

    python -m benchmarks.cost

"Fixed" means what a stack costs with no traffic at all: resources billed by the hour or the
month. Everything billed per request, per GB or per invocation (API Gateway, Lambda, CloudFront,
S3, CloudWatch Logs ingestion, and the custom metrics of API Gateway's detailed route metrics,
which exist only for routes that receive requests) is 0 at idle and left out. CloudWatch alarms
bill $0.10 a month for each metric they evaluate (an alarm on a metric-math expression for each
metric in it) and dashboards $3 a month each; the free tier (10 alarm metrics and 3 dashboards
per account) is left out, since other stacks of the account may use it. A Secrets Manager
secret (the CDN origin protection's) bills $0.40 a month. Prices are us-east-1
list prices for a 730-hour month. Beside the examples stand the hand-written alternatives users
compare with: aws-cdk-lib's ``ApplicationLoadBalancedFargateService`` with its defaults (a new
VPC with a NAT gateway per availability zone, an internet-facing ALB, an X86_64 task of 0.25
vCPU / 0.5 GB).
"""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from aws_cdk import App, Stack
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as ecs_patterns

from cdk_front_door.testing import snapshot_context
from examples import APPS

HOURS_PER_MONTH = 730
PRICES = {
    "fargate_vcpu_hour_arm": 0.03238,
    "fargate_gb_hour_arm": 0.00356,
    "fargate_vcpu_hour_x86": 0.04048,
    "fargate_gb_hour_x86": 0.004445,
    "public_ipv4_hour": 0.005,
    "nat_gateway_hour": 0.045,
    "alb_hour": 0.0225,
    "hosted_zone_month": 0.50,
    "kms_key_month": 1.00,
    "web_acl_month": 5.00,
    "web_acl_rule_month": 1.00,
    "alarm_metric_month": 0.10,
    "dashboard_month": 3.00,
    "secret_month": 0.40,
}
"""us-east-1 list prices (USD), 2026."""


# Resources billed a flat monthly price each: the item they are listed under, and the price.
_MONTHLY = {
    "AWS::Route53::HostedZone": ("hosted zones", "hosted_zone_month"),
    "AWS::ServiceDiscovery::PrivateDnsNamespace": ("hosted zones", "hosted_zone_month"),
    "AWS::KMS::Key": ("KMS keys", "kms_key_month"),
    "AWS::CloudWatch::Dashboard": ("dashboards", "dashboard_month"),
    "AWS::SecretsManager::Secret": ("secrets", "secret_month"),
}


def fixed_monthly_cost(template: Mapping[str, Any]) -> dict[str, float]:
    """The fixed monthly cost of a template, itemized by what causes it."""
    items: dict[str, float] = {}

    def add(item: str, amount: float) -> None:
        items[item] = round(items.get(item, 0.0) + amount, 2)

    resources: dict[str, Any] = template.get("Resources", {})
    tasks = {
        key: value
        for key, value in resources.items()
        if value["Type"] == "AWS::ECS::TaskDefinition"
    }
    for resource in resources.values():
        kind, props = resource["Type"], resource.get("Properties", {})
        if kind == "AWS::ECS::Service":
            for item, amount in _fargate_service_cost(props, tasks).items():
                add(item, amount)
        elif kind == "AWS::EC2::NatGateway":
            add("NAT gateways", PRICES["nat_gateway_hour"] * HOURS_PER_MONTH)
            add("NAT gateway public IPv4", PRICES["public_ipv4_hour"] * HOURS_PER_MONTH)
        elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            add("load balancer", PRICES["alb_hour"] * HOURS_PER_MONTH)
            if props.get("Scheme") != "internal":
                # an internet-facing ALB holds a public IPv4 address in each of its subnets
                subnets = len(props.get("Subnets", [])) or 2
                add(
                    "load balancer public IPv4",
                    subnets * PRICES["public_ipv4_hour"] * HOURS_PER_MONTH,
                )
        else:
            for item, amount in _monthly_cost(kind, props).items():
                add(item, amount)
    return items


def _monthly_cost(kind: str, props: Mapping[str, Any]) -> dict[str, float]:
    """The fixed monthly cost of a resource billed by the month, by what causes it."""
    if kind in _MONTHLY:
        item, price = _MONTHLY[kind]
        return {item: PRICES[price]}
    if kind == "AWS::CloudWatch::Alarm":
        return {"CloudWatch alarms": alarm_metrics(props) * PRICES["alarm_metric_month"]}
    if kind == "AWS::WAFv2::WebACL":
        rules = len(props.get("Rules", []))
        return {"web ACL": PRICES["web_acl_month"] + rules * PRICES["web_acl_rule_month"]}
    return {}


def alarm_metrics(props: Mapping[str, Any]) -> int:
    """How many metrics an alarm (its ``props``) evaluates, each billed: its one metric, or
    each metric of its metric-math expression (expressions themselves are free)."""
    metrics = props.get("Metrics")
    if isinstance(metrics, list):
        return sum(1 for entry in metrics if isinstance(entry, dict) and "MetricStat" in entry)
    return 1


def _fargate_service_cost(props: Mapping[str, Any], tasks: Mapping[str, Any]) -> dict[str, float]:
    """The fixed monthly cost of an ECS service's tasks (``props``), whose task definitions
    are ``tasks`` by logical id."""
    count = props.get("DesiredCount", 1)
    if not isinstance(count, int):
        count = 1  # a parameter or other intrinsic: count one task
    reference = props.get("TaskDefinition")
    task_id = reference.get("Ref", "") if isinstance(reference, dict) else ""
    task = tasks.get(task_id, {}).get("Properties", {})
    vcpu = int(task.get("Cpu", "256")) / 1024
    memory_gb = int(task.get("Memory", "512")) / 1024
    suffix = "arm" if task.get("RuntimePlatform", {}).get("CpuArchitecture") == "ARM64" else "x86"
    hourly = (
        vcpu * PRICES[f"fargate_vcpu_hour_{suffix}"]
        + memory_gb * PRICES[f"fargate_gb_hour_{suffix}"]
    )
    items = {f"Fargate tasks ({suffix})": count * hourly * HOURS_PER_MONTH}
    network = props.get("NetworkConfiguration", {}).get("AwsvpcConfiguration", {})
    if network.get("AssignPublicIp") == "ENABLED":
        items["public IPv4 per task"] = count * PRICES["public_ipv4_hour"] * HOURS_PER_MONTH
    return items


def _alb_fargate_defaults(app: App) -> Stack:
    stack = Stack(app, "AlbFargateDefaults")
    ecs_patterns.ApplicationLoadBalancedFargateService(
        stack,
        "Service",
        task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
            image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:stable")
        ),
    )
    return stack


def _templates(build: Callable[[App], Stack]) -> list[tuple[str, Mapping[str, Any]]]:
    app = App(context=snapshot_context())
    build(app)
    assembly = app.synth()
    return [(stack.stack_name, stack.template) for stack in assembly.stacks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, float]]] = []
    builders: list[tuple[str, Callable[[App], Stack]]] = [
        (name, importlib.import_module(name).build) for name in APPS
    ]
    builders.append(("hand-written ApplicationLoadBalancedFargateService", _alb_fargate_defaults))
    for name, build in builders:
        items: dict[str, float] = {}
        for _, template in _templates(build):
            for item, amount in fixed_monthly_cost(template).items():
                items[item] = round(items.get(item, 0.0) + amount, 2)
        rows.append((name, items))
    if args.json:
        print(json.dumps(dict(rows), indent=2))
        return
    print("| app | fixed USD / month | made of |")
    print("|---|---:|---|")
    for name, items in rows:
        total = sum(items.values())
        detail = ", ".join(f"{item} {amount:.2f}" for item, amount in items.items()) or "-"
        print(f"| {name} | {total:.2f} | {detail} |")


if __name__ == "__main__":
    main()
