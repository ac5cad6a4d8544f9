"""Run generated cases in a persistent worker process, and count their outcomes.

One worker (``python -m tests.properties.worker``) is kept alive across cases, since each
start costs a jsii engine start (about 2 s). A case that kills the worker or outlives its
timeout is answered here (``worker_died`` or ``timeout``, with the worker's last stderr
lines), the worker is ended (its whole process group: the worker and its Node.js engine) and
the next case starts a new one. Workers are also retired after a number of cases, to bound
the memory the jsii engine keeps.

Environment: ``FRONT_DOOR_CASE_TIMEOUT`` (seconds per case, default 120),
``FRONT_DOOR_CASES_PER_WORKER`` (default 250), ``FRONT_DOOR_OUTCOMES`` (where the outcome
counts are written as JSON; default ``.pytest_cache/property-outcomes.json``).
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPOSITORY = Path(__file__).resolve().parents[2]
PASSING = frozenset({"rejected", "synthesized"})
"""The outcomes the contract allows: a FrontDoorValidationError naming its construct path,
or an app that synthesizes, passes cfn-lint and maps integrations one to one."""
DEFAULT_CASE_TIMEOUT = 120.0
DEFAULT_START_TIMEOUT = 120.0
DEFAULT_CASES_PER_WORKER = 250
DEFAULT_OUTCOMES = REPOSITORY / ".pytest_cache" / "property-outcomes.json"
_NOISE = ("!!", "b'!!", "Node 20", "Please upgrade")


class WorkerGone(Exception):
    """The worker ended, or did not answer in time."""


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self) -> None:
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        env = dict(os.environ)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.properties.worker"],
            cwd=REPOSITORY,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,  # its own process group: the worker and its engine
        )
        self._buffer = b""
        self.cases = 0

    def wait_ready(self, timeout: float) -> None:
        """Wait for the worker to say it is ready (it has imported aws-cdk-lib)."""
        self._read(time.monotonic() + timeout)

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and return its answer; :class:`WorkerGone` when there is none."""
        assert self._process.stdin is not None
        try:
            self._process.stdin.write((json.dumps(request) + "\n").encode())
            self._process.stdin.flush()
        except OSError as error:
            raise WorkerGone(f"the worker no longer reads requests ({error})") from error
        self.cases += 1
        return self._read(time.monotonic() + timeout)

    def _read(self, deadline: float) -> dict[str, Any]:
        assert self._process.stdout is not None
        descriptor = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerGone("no answer before the timeout")
            ready, _, _ = select.select([descriptor], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                raise WorkerGone(f"the worker exited with status {self._process.wait(10)}")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stderr_tail(self, lines: int = 25) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode(errors="replace")
        kept = [line for line in text.splitlines() if line.strip() and not line.startswith(_NOISE)]
        return "\n".join(kept[-lines:])

    def stop(self) -> None:
        """End the worker: politely (end of input), then its whole process group."""
        if self._process.poll() is None and self._process.stdin is not None:
            try:
                self._process.stdin.close()
                self._process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self._process.poll() is None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._process.wait(timeout=30)
        self._stderr.close()

    def kill(self) -> None:
        """End the worker's process group at once (it hangs or misbehaves)."""
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._process.wait(timeout=30)
        self._stderr.close()


@dataclass
class Outcomes:
    """Outcome counts of the cases run, by area, and one example of each distinct failure."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0

    def record(self, area: str, spec: Any, answer: dict[str, Any]) -> None:
        outcome = str(answer.get("outcome"))
        self.counts[(area, outcome)] += 1
        self.seconds += float(answer.get("seconds", 0.0))
        if outcome in PASSING:
            return
        signature = f"{area}: {answer.get('signature', outcome)}"
        known = self.failures.get(signature)
        if known is None:
            self.failures[signature] = {
                "area": area,
                "outcome": outcome,
                "count": 1,
                "detail": answer.get("detail", ""),
                "spec": spec,
            }
        else:
            known["count"] += 1
            if len(canonical_json(spec)) < len(canonical_json(known["spec"])):
                known["spec"], known["detail"] = spec, answer.get("detail", "")

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_outcome(self) -> Counter[str]:
        result: Counter[str] = Counter()
        for (_, outcome), count in self.counts.items():
            result[outcome] += count
        return result

    def summary_lines(self) -> list[str]:
        lines = [
            f"{self.total} generated cases in {self.seconds:.0f} s of worker time: "
            + ", ".join(f"{o} {c}" for o, c in sorted(self.by_outcome().items()))
        ]
        for area in sorted({area for area, _ in self.counts}):
            counts = {o: c for (a, o), c in self.counts.items() if a == area}
            lines.append(f"  {area}: " + ", ".join(f"{o} {c}" for o, c in sorted(counts.items())))
        if self.failures:
            lines.append(f"{len(self.failures)} distinct failures (area: outcome signature):")
            lines += [
                f"  {signature} (x{entry['count']})"
                for signature, entry in sorted(self.failures.items())
            ]
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "worker_seconds": round(self.seconds, 1),
            "by_outcome": dict(sorted(self.by_outcome().items())),
            "by_area": {
                area: {o: c for (a, o), c in sorted(self.counts.items()) if a == area}
                for area in sorted({area for area, _ in self.counts})
            },
            "failures": [
                {"signature": signature, **entry}
                for signature, entry in sorted(self.failures.items())
            ],
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n")


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


class CaseRunner:
    """Runs cases in one worker at a time, restarting it when it dies, hangs or retires."""

    def __init__(self) -> None:
        self.case_timeout = float(os.environ.get("FRONT_DOOR_CASE_TIMEOUT", DEFAULT_CASE_TIMEOUT))
        self.cases_per_worker = int(
            os.environ.get("FRONT_DOOR_CASES_PER_WORKER", DEFAULT_CASES_PER_WORKER)
        )
        self.outcomes = Outcomes()
        self._worker: Worker | None = None

    def run(self, area: str, spec: Any) -> dict[str, Any]:
        """Run one case and record its outcome."""
        answer = self._ask(spec)
        self.outcomes.record(area, spec, answer)
        return answer

    def _ask(self, spec: Any) -> dict[str, Any]:
        if self._worker is not None and self._worker.cases >= self.cases_per_worker:
            self.close()
        started = time.monotonic()
        try:
            if self._worker is None:
                self._worker = Worker()
                self._worker.wait_ready(DEFAULT_START_TIMEOUT)
            answer = self._worker.ask({"spec": spec}, self.case_timeout)
        except WorkerGone as gone:
            return self._gone(gone, started)
        if answer.get("outcome") == "engine_crash":
            self.close()
        return answer

    def _gone(self, gone: WorkerGone, started: float) -> dict[str, Any]:
        worker, self._worker = self._worker, None
        tail = "" if worker is None else worker.stderr_tail()
        if worker is not None:
            worker.kill()
        timed_out = "timeout" in str(gone)
        outcome = "timeout" if timed_out else "worker_died"
        return {
            "outcome": outcome,
            "detail": f"{gone}; the worker's last output:\n{tail}",
            "signature": outcome,
            "seconds": round(time.monotonic() - started, 3),
        }

    def close(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()


_RUNNER: list[CaseRunner] = []


def runner() -> CaseRunner:
    """The session's case runner, made on first use."""
    if not _RUNNER:
        _RUNNER.append(CaseRunner())
    return _RUNNER[0]


def recorded() -> Outcomes | None:
    """The outcomes of the session's cases; None when no case ran."""
    return _RUNNER[0].outcomes if _RUNNER else None


def outcomes_path() -> Path:
    return Path(os.environ.get("FRONT_DOOR_OUTCOMES", DEFAULT_OUTCOMES))


def finish() -> None:
    """Stop the session's worker and write the outcome counts (when cases ran)."""
    if not _RUNNER:
        return
    case_runner = _RUNNER[0]
    case_runner.close()
    if case_runner.outcomes.total:
        case_runner.outcomes.write(outcomes_path())


def explain(answer: dict[str, Any], spec: Any) -> str:
    """A failure message: the outcome, its detail and the spec that produced it."""
    return (
        f"outcome {answer.get('outcome')} breaks the contract\n{answer.get('detail', '')}\n"
        f"spec: {canonical_json(spec)}"
    )
