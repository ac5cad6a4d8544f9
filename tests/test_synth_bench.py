"""The synth benchmark's derived figures (not its timings, which are never asserted)."""

from __future__ import annotations

from benchmarks.synth_bench import VARIANTS, VariantResult, scale, synth_once


def test_scale_reports_one_resource_per_route_and_the_largest_count_within_500() -> None:
    results = []
    for routes in (10, 30):
        for variant in VARIANTS:
            _, stats = synth_once(variant, routes)
            results.append(VariantResult(routes, variant.name, [0.0], stats))
    found = scale(results)
    assert found is not None
    assert found.resources_per_route == 1
    assert found.permissions_per_function == 1
    assert 0 < found.template_bytes_per_route < 400
    assert found.largest_route_count >= 450
    assert found.resources_at_largest == 500


def test_scale_needs_two_route_counts() -> None:
    _, stats = synth_once(VARIANTS[0], 10)
    assert scale([VariantResult(10, "front_door", [0.0], stats)]) is None
