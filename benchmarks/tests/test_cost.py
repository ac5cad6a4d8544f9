"""The fixed-cost calculator of benchmarks/cost.py counts what bills by the hour or month."""

from __future__ import annotations

from benchmarks.cost import HOURS_PER_MONTH, PRICES, alarm_metrics, fixed_monthly_cost


def test_serverless_resources_cost_nothing_at_idle() -> None:
    template = {
        "Resources": {
            "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {}},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
        }
    }
    assert fixed_monthly_cost(template) == {}


def test_fargate_task_with_public_ip_and_nat_gateway_are_counted() -> None:
    template = {
        "Resources": {
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {
                    "Cpu": "512",
                    "Memory": "1024",
                    "RuntimePlatform": {"CpuArchitecture": "ARM64"},
                },
            },
            "Service": {
                "Type": "AWS::ECS::Service",
                "Properties": {
                    "DesiredCount": 2,
                    "TaskDefinition": {"Ref": "Task"},
                    "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}},
                },
            },
            "Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {}},
        }
    }
    items = fixed_monthly_cost(template)
    hourly = 0.5 * PRICES["fargate_vcpu_hour_arm"] + 1 * PRICES["fargate_gb_hour_arm"]
    assert items["Fargate tasks (arm)"] == round(2 * hourly * HOURS_PER_MONTH, 2)
    assert items["public IPv4 per task"] == round(2 * PRICES["public_ipv4_hour"] * 730, 2)
    assert items["NAT gateways"] == round(PRICES["nat_gateway_hour"] * 730, 2)


def test_web_acl_costs_per_rule() -> None:
    template = {
        "Resources": {"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Rules": [{}, {}, {}]}}}
    }
    assert fixed_monthly_cost(template) == {"web ACL": 8.0}


def test_service_with_an_unknown_count_and_task_counts_one_default_task() -> None:
    template = {
        "Resources": {
            "Service": {
                "Type": "AWS::ECS::Service",
                "Properties": {
                    "DesiredCount": {"Ref": "Count"},
                    "TaskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/x:1",
                },
            }
        }
    }
    assert set(fixed_monthly_cost(template)) == {"Fargate tasks (x86)"}


def test_an_alarm_bills_for_each_metric_it_evaluates() -> None:
    single = {"MetricName": "Errors", "Namespace": "AWS/Lambda", "Statistic": "Sum"}
    math = {
        "Metrics": [
            {"Id": "expr_1", "Expression": "100 * errors / requests", "ReturnData": True},
            {"Id": "requests", "MetricStat": {"Metric": {"MetricName": "Count"}}},
            {"Id": "errors", "MetricStat": {"Metric": {"MetricName": "5xx"}}},
        ]
    }
    assert alarm_metrics(single) == 1
    assert alarm_metrics(math) == 2
    template = {
        "Resources": {
            "Errors": {"Type": "AWS::CloudWatch::Alarm", "Properties": single},
            "Rate": {"Type": "AWS::CloudWatch::Alarm", "Properties": math},
        }
    }
    assert fixed_monthly_cost(template) == {"CloudWatch alarms": round(3 * 0.10, 2)}


def test_a_dashboard_costs_3_dollars_and_a_key_1_dollar() -> None:
    template = {
        "Resources": {
            "Dashboard": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {}},
            "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
        }
    }
    assert fixed_monthly_cost(template) == {"dashboards": 3.0, "KMS keys": 1.0}


def test_a_secret_costs_40_cents() -> None:
    template = {"Resources": {"Secret": {"Type": "AWS::SecretsManager::Secret"}}}
    assert fixed_monthly_cost(template) == {"secrets": 0.4}
