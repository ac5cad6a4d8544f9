"""The front door scales as the benchmark reports: one resource per route, one permission per
function, and the largest API that fits in a stack (the benchmark's timings are never
asserted; tests of the benchmark's own reporting are in benchmarks/tests)."""

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
