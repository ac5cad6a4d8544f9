"""Property-based tests: whatever a user passes to a public constructor or ``add_route``, the
result is either a FrontDoorValidationError whose message ends with the construct path, or an
app that synthesizes, whose templates pass cfn-lint with no error or warning (us-east-1 and
eu-west-1), whose integrations map one to one onto the distinct target configurations routed
to, and whose template holds the values asked for.

Each case is plain data (:mod:`tests.properties.strategies`) built in a worker process
(:mod:`tests.properties.worker`), so that an input that kills the jsii engine fails its own
case only. ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs many more cases; the outcome counts
are printed at the end of the session.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given

from tests.properties import strategies
from tests.properties.runner import PASSING, explain, runner


def check_contract(area: str, spec: Any) -> None:
    answer = runner().run(area, spec)
    event(f"outcome: {answer['outcome']}")
    assert answer["outcome"] in PASSING, explain(answer, spec)


@given(strategies.gateway_props())
def test_gateway_props_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("gateway", spec)


@given(strategies.cors_specs())
def test_cors_rules_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("cors", spec)


@given(strategies.throttle_specs())
def test_throttles_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("throttle", spec)


@given(strategies.access_logs_specs())
def test_access_logs_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("access_logs", spec)


@given(strategies.domain_specs())
def test_custom_domains_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("domains", spec)


@given(strategies.cdn_specs())
def test_cdn_options_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("cdn", spec)


@given(strategies.auth_specs())
def test_auth_is_rejected_with_the_path_or_deploys(spec: Any) -> None:
    check_contract("auth", spec)


@given(strategies.lambda_specs())
def test_routes_to_functions_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("lambda_targets", spec)


@given(strategies.url_specs())
def test_routes_to_urls_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("url_targets", spec)


@given(strategies.service_target_specs())
def test_routes_to_aws_services_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("service_targets", spec)


@given(strategies.container_specs())
def test_container_services_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("containers", spec)


@given(strategies.job_specs())
def test_batch_jobs_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("batch_jobs", spec)


@given(strategies.alarms_specs())
def test_alarms_are_rejected_with_the_path_or_deploy(spec: Any) -> None:
    check_contract("alarms", spec)
