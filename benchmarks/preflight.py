"""CORS preflight requests per browser session, modelled on ``app.py``'s synthesized API.

Run from the repository root::

    python -m benchmarks.preflight

A browser sends a preflight ``OPTIONS`` request before a cross-origin request that is not
"simple" (a JSON body, an ``Authorization`` header, a method other than GET, HEAD or POST...),
and caches the answer per URL and method for the ``Access-Control-Max-Age`` the API sends:
without that header, for 5 seconds (the Fetch standard's default); Chromium caps the value at
2 hours. Where a route takes ``OPTIONS`` for the path (an ``ANY`` route or ``$default``, which
the gateway gives a public ``OPTIONS`` twin), the preflight reaches that route's integration
and, for a Lambda function, is one invocation; elsewhere API Gateway answers it itself.

The session modelled: a single-page app open for 30 minutes calls every route of the API (one
URL per route, path parameters filled in) once every 30 seconds, each call with a JSON body or
an ``Authorization`` header, so that each needs a preflight. Route selection is the local front
door's (``cdk_front_door.local.routing``), the one its tests hold to API Gateway's rules.
Reported: requests reaching API Gateway (calls and preflights) and Lambda invocations caused by
preflights, without ``Access-Control-Max-Age`` (the library's behaviour before the default of
10 minutes) and with the API's own value.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from aws_cdk import App

from cdk_front_door.local.assembly import LambdaIntegration, LocalApi, load_apis
from cdk_front_door.local.routing import select_route
from cdk_front_door.testing import snapshot_context

SESSION_SECONDS = 30 * 60
CALL_INTERVAL_SECONDS = 30
BROWSER_DEFAULT_MAX_AGE = 5  # Fetch standard, when the answer has no Access-Control-Max-Age
CHROMIUM_MAX_AGE_CAP = 2 * 60 * 60

_GREEDY = re.compile(r"\{[^}/]+\+\}")
_PARAMETER = re.compile(r"\{[^}/]+\}")


def preflights_per_url(
    max_age: int,
    *,
    session_seconds: int = SESSION_SECONDS,
    interval_seconds: int = CALL_INTERVAL_SECONDS,
) -> int:
    """Preflights one URL gets in a session that calls it every ``interval_seconds``, when
    the browser keeps an answer ``max_age`` seconds (capped as Chromium caps it)."""
    keep = min(max_age, CHROMIUM_MAX_AGE_CAP)
    preflights = 0
    cached_until = -1.0
    for call in range(0, session_seconds, interval_seconds):
        if call >= cached_until:
            preflights += 1
            cached_until = call + keep
    return preflights


def example_url(route_key: str) -> str:
    """A URL the route takes: path parameters filled in, any path for ``$default``."""
    if route_key == "$default":
        return "/some/page"
    path = route_key.split(" ", 1)[1]
    return _PARAMETER.sub("1", _GREEDY.sub("a/b", path))


@dataclass(frozen=True)
class SessionModel:
    api: str
    routes: int
    calls: int
    max_age: int | None
    preflights_without_max_age: int
    preflights: int
    lambda_preflights_without_max_age: int
    lambda_preflights: int

    @property
    def requests_without_max_age(self) -> int:
        return self.calls + self.preflights_without_max_age

    @property
    def requests(self) -> int:
        return self.calls + self.preflights


def model(api: LocalApi) -> SessionModel:
    """The session of this module's docstring against ``api``."""
    max_age = None if api.cors is None else api.cors.max_age
    calls_per_url = len(range(0, SESSION_SECONDS, CALL_INTERVAL_SECONDS))
    user_routes = [route for route in api.routes if route.method != "OPTIONS"]
    before = after = lambda_before = lambda_after = 0
    for route in user_routes:
        url = example_url(route.key)
        without = preflights_per_url(BROWSER_DEFAULT_MAX_AGE)
        with_max_age = preflights_per_url(BROWSER_DEFAULT_MAX_AGE if max_age is None else max_age)
        before += without
        after += with_max_age
        answered_by = select_route(api.routes, "OPTIONS", url)
        if answered_by is not None and isinstance(answered_by.route.integration, LambdaIntegration):
            lambda_before += without
            lambda_after += with_max_age
    return SessionModel(
        api=f"{api.stack}/{api.name}",
        routes=len(user_routes),
        calls=calls_per_url * len(user_routes),
        max_age=max_age,
        preflights_without_max_age=before,
        preflights=after,
        lambda_preflights_without_max_age=lambda_before,
        lambda_preflights=lambda_after,
    )


def app_apis() -> list[LocalApi]:
    """The HTTP APIs of ``app.py``, synthesized offline."""
    from app import build  # noqa: PLC0415 - the repository root's app, run from there

    with tempfile.TemporaryDirectory(prefix="preflight-") as outdir:
        app = App(outdir=outdir, context=snapshot_context())
        build(app)
        app.synth()
        return load_apis(Path(outdir))


def table(models: Sequence[SessionModel]) -> list[str]:
    lines = [
        "| API | routes | calls | Access-Control-Max-Age | requests | preflights "
        "| Lambda invocations by preflights |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for found in models:
        lines.append(
            f"| {found.api} | {found.routes} | {found.calls} | none (browser default "
            f"{BROWSER_DEFAULT_MAX_AGE} s) | {found.requests_without_max_age} "
            f"| {found.preflights_without_max_age} | {found.lambda_preflights_without_max_age} |"
        )
        lines.append(
            f"| {found.api} | {found.routes} | {found.calls} | {found.max_age} s "
            f"| {found.requests} | {found.preflights} | {found.lambda_preflights} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.preflight", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    models = [model(api) for api in app_apis() if api.cors is not None]
    if args.json:
        print(json.dumps([asdict(found) for found in models], indent=2))
        return 0
    print(
        f"# CORS preflights per browser session: {SESSION_SECONDS // 60} minutes, every route "
        f"called every {CALL_INTERVAL_SECONDS} s with a request that needs a preflight"
    )
    print()
    print("\n".join(table(models)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
