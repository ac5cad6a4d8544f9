"""Local front door benchmark: requests per second and added latency on loopback.

Run from the repository root::

    python -m benchmarks.local_bench [--requests 400]

A gateway with one public route to a trivial Python function is served by
``cdk_front_door.testing.LocalFrontDoor``; a bounded number of ``GET`` requests is sent over
127.0.0.1 with one client and with 8 concurrent clients (a new connection per request, as the
server answers HTTP/1.0). The clients run in a process of their own, as curl or a browser
would, so they do not share the server's interpreter. The baseline is the same handler called
directly in this process. The function's warm workers (up to 4) take concurrent requests as
Lambda execution environments would.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from typing import Any

from aws_cdk import App, Stack
from aws_cdk import aws_lambda as lambda_

from cdk_front_door import PUBLIC, HttpApiGateway
from cdk_front_door.testing import TEST_ENV, LocalFrontDoor, snapshot_context

CODE = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'pong'}\n"
TIME_LIMIT_SECONDS = 60.0


def _stack() -> Stack:
    stack = Stack(App(context=snapshot_context()), "LocalBench", env=TEST_ENV)
    function = lambda_.Function(
        stack,
        "Ping",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline(CODE),
    )
    HttpApiGateway(stack, "Api").add_route("GET /ping", function, auth=PUBLIC)
    return stack


def _timed(call: Callable[[], object], count: int, deadline: float) -> list[float]:
    """Seconds each of ``count`` calls took, stopping at ``deadline``."""
    times: list[float] = []
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def _get(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/ping")
        answer = connection.getresponse()
        if answer.read() != b"pong" or answer.status != 200:
            raise RuntimeError(f"unexpected answer {answer.status}")
    finally:
        connection.close()


def _load(port: int, clients: int, requests: int, deadline: float) -> tuple[list[float], float]:
    """The seconds each request took, ``clients`` at a time, and the wall time of them all."""
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        batches = list(
            pool.map(
                lambda _: _timed(lambda: _get(port), requests // clients, deadline),
                range(clients),
            )
        )
    return [t for batch in batches for t in batch], time.perf_counter() - start


def _summary(name: str, times: Sequence[float], wall: float, clients: int) -> dict[str, Any]:
    ordered = sorted(times)
    return {
        "case": name,
        "clients": clients,
        "requests": len(times),
        "requests_per_second": len(times) / wall if wall else 0.0,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def run(requests: int) -> list[dict[str, Any]]:
    """Measure the direct call and the local front door with 1 and 8 clients."""
    namespace: dict[str, Any] = {}
    exec(compile(CODE, "index.py", "exec"), namespace)  # noqa: S102 - the benchmark's own code
    handler = namespace["handler"]
    event: dict[str, Any] = {"version": "2.0", "rawPath": "/ping"}
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    start = time.perf_counter()
    direct = _timed(lambda: handler(event, None), requests, deadline)
    results = [_summary("handler called directly", direct, time.perf_counter() - start, 1)]
    with (
        LocalFrontDoor(_stack()) as local,
        ProcessPoolExecutor(1, mp_context=get_context("spawn")) as clients_process,
    ):
        port = int(local.url.rsplit(":", 1)[1].rstrip("/"))
        for clients in (1, 8):
            clients_process.submit(_load, port, clients, 20, deadline).result()  # warm up
            times, wall = clients_process.submit(_load, port, clients, requests, deadline).result()
            results.append(_summary("local front door", times, wall, clients))
    return results


def table(results: Sequence[dict[str, Any]]) -> list[str]:
    lines = [
        "| case | clients | requests | requests/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {r['case']} | {r['clients']} | {r['requests']} | {r['requests_per_second']:.0f} | "
        f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
        for r in results
    )
    direct_p50 = results[0]["p50_ms"]
    added = results[1]["p50_ms"] - direct_p50
    lines.append("")
    lines.append(f"Added latency at p50 with one client: {added:.2f} ms")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.local_bench")
    parser.add_argument("--requests", type=int, default=400, help="requests per case")
    args = parser.parse_args(argv)
    if not 8 <= args.requests <= 10_000:
        parser.error("--requests must be 8 to 10000")
    print("# Local front door: loopback throughput and added latency\n")
    print("\n".join(table(run(args.requests))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
