"""Run many generated cases of each area without stopping at the first failure, and write
every distinct failure (its outcome, detail and smallest spec seen) as JSON.

The property tests stop at the first failing case of each test, as Hypothesis does; this
survey keeps going, to list the defects that are there at once::

    .venv/bin/python -m tests.properties.survey --examples 200 --out survey.json
    .venv/bin/python -m tests.properties.survey --areas cors,throttle --seed 1

Cases run in the same worker processes as the tests (:mod:`tests.properties.runner`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.properties.runner import PASSING, runner
from tests.properties.strategies import AREAS


def survey_area(area: str, examples: int, random_seed: int | None) -> None:
    """Run ``examples`` generated cases of ``area``, recording every outcome."""

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=(Phase.generate,),
        derandomize=random_seed is None,
        suppress_health_check=tuple(HealthCheck),
    )
    @given(AREAS[area])
    def run(spec: Any) -> None:
        runner().run(area, spec)

    if random_seed is not None:
        run = seed(random_seed)(run)
    run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="cases per area")
    parser.add_argument("--areas", default=",".join(AREAS), help="comma-separated areas")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fixed)")
    parser.add_argument("--out", type=Path, default=Path("survey.json"))
    options = parser.parse_args(argv)
    case_runner = runner()
    started = time.monotonic()
    try:
        for area in options.areas.split(","):
            survey_area(area, options.examples, options.seed)
            print(f"{area}: done after {time.monotonic() - started:.0f} s", flush=True)
    finally:
        case_runner.close()
        case_runner.outcomes.write(options.out)
    print("\n".join(case_runner.outcomes.summary_lines()))
    failed = sum(c for (_, o), c in case_runner.outcomes.counts.items() if o not in PASSING)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
