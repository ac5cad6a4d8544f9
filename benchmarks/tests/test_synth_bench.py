"""The synth benchmark's reporting: cold processes and the tables it prints."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from benchmarks.synth_bench import (
    VARIANTS,
    ColdResult,
    VariantResult,
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
