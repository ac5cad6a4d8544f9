"""The synth benchmark's reporting: cold processes and the tables it prints."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from benchmarks.synth_bench import (
    FUNCTIONS,
    VARIANTS,
    Breakdown,
    ColdResult,
    VariantResult,
    breakdown_lines,
    build_and_synth,
    cold_once,
    cold_table,
    compile_bytecode,
    scale,
    synth_once,
)


def test_scale_needs_two_route_counts() -> None:
    _, stats = synth_once(VARIANTS[0], 10)
    assert scale([VariantResult(10, "front_door", [0.0], stats)]) is None


def test_a_cold_synth_runs_in_its_own_process_and_reports_both_times() -> None:
    process_seconds, synth_seconds = cold_once(VARIANTS[0], 3, {"CDK_VALIDATION": "false"})
    # The process also imports aws-cdk-lib and starts the jsii kernel, which the synth does not.
    assert process_seconds > synth_seconds > 0


def test_the_cold_table_gives_each_setting_its_ratio() -> None:
    results = [
        ColdResult(200, "front_door", "default", [2.0, 2.2, 9.0], [1.0, 1.2, 5.0]),
        ColdResult(200, "hand_written", "default", [4.0, 4.4, 4.2], [2.0, 2.0, 2.5]),
        ColdResult(200, "front_door", "off", [1.0], [0.3]),
        ColdResult(200, "hand_written", "off", [2.0], [0.6]),
    ]
    lines = cold_table(results)
    assert lines[2:] == [
        "| 200 | front_door | default | 2.20 | 1.20 |",
        "| 200 | hand_written | default | 4.20 | 2.00 |",
        "| 200 | ratio front_door/hand_written | default | 0.52 | 0.60 |",
        "| 200 | front_door | off | 1.00 | 0.30 |",
        "| 200 | hand_written | off | 2.00 | 0.60 |",
        "| 200 | ratio front_door/hand_written | off | 0.50 | 0.50 |",
    ]


def test_cold_processes_load_the_library_from_compiled_bytecode() -> None:
    compile_bytecode()
    spec = importlib.util.find_spec("cdk_front_door.gateway")
    assert spec is not None
    assert spec.origin is not None
    source = spec.origin
    assert Path(importlib.util.cache_from_source(source)).is_file()


def test_the_breakdown_splits_medians_into_fixed_per_function_and_per_route_parts() -> None:
    further = 100
    medians = {
        0: (0.020, 0.010),
        FUNCTIONS: (0.020 + FUNCTIONS * 0.003, 0.011),
        FUNCTIONS + further: (0.020 + FUNCTIONS * 0.003 + further * 0.0005, 0.060),
    }
    found = Breakdown.of("front_door", medians, further)
    assert found.fixed_build_ms == pytest.approx(20)
    assert found.per_function_ms == pytest.approx(3)
    assert found.per_route_ms == pytest.approx(0.5)
    assert found.fixed_synth_ms == pytest.approx(10)
    assert found.synth_per_route_ms == pytest.approx(50 / (FUNCTIONS + further))


def test_the_breakdown_table_gives_each_part_of_each_variant() -> None:
    lines = breakdown_lines(
        [
            Breakdown("front_door", 22.0, 3.0, 0.5, 10.0, 0.3),
            Breakdown("hand_written", 20.0, 2.5, 0.6, 11.0, 0.25),
        ]
    )
    assert lines[2:] == [
        "| front_door | 22.0 | 3.00 | 0.500 | 10.0 | 0.300 |",
        "| hand_written | 20.0 | 2.50 | 0.600 | 11.0 | 0.250 |",
    ]


def test_build_and_synth_times_the_build_and_the_synth_apart() -> None:
    build, synth = build_and_synth(VARIANTS[0], FUNCTIONS)
    assert build > 0
    assert synth > 0
