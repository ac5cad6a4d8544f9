"""The preflight model: how often a browser asks, and which preflights reach a function."""

from __future__ import annotations

import pytest

from benchmarks.preflight import example_url, preflights_per_url


@pytest.mark.parametrize(
    ("max_age", "expected"),
    [
        (0, 60),  # no caching: one preflight per call
        (5, 60),  # the browser default is shorter than the interval between calls
        (30, 60),  # the answer expires just as the next call is made
        (31, 30),  # the answer still holds at the next call, not at the one after
        (600, 3),  # one preflight per 10 minutes of the 30
        (86400, 1),  # capped at 2 hours, longer than the session
    ],
)
def test_one_url_called_every_30_seconds_for_30_minutes(max_age: int, expected: int) -> None:
    assert preflights_per_url(max_age) == expected


def test_a_route_is_called_at_a_url_it_takes() -> None:
    assert example_url("GET /users/{id}") == "/users/1"
    assert example_url("ANY /{proxy+}") == "/a/b"
    assert example_url("$default") == "/some/page"
