"""A Lambda function's worker process: ``python -m cdk_front_door.local._worker DIR HANDLER``.

It imports ``HANDLER`` (``module.function``) from ``DIR`` once, then reads one JSON event per
line from its standard input and writes one JSON line per answer, ``["ok", result]`` or
``["error", text]``, to its standard output. What the function prints goes to standard error.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
import uuid
from typing import IO, Any

LOCAL_ACCOUNT = "000000000000"


class Context:
    """The context object Lambda passes to a Python handler."""

    def __init__(self, name: str, timeout_seconds: float) -> None:
        region = os.environ.get("AWS_REGION", "local")
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:{LOCAL_ACCOUNT}:function:{name}"
        self.memory_limit_in_mb = 128
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _answer(out: IO[str], status: str, value: Any) -> None:
    out.write(json.dumps([status, value]) + "\n")
    out.flush()


def main(code_dir: str, handler: str) -> None:
    out = sys.stdout
    sys.stdout = sys.stderr  # the function's prints are its logs
    sys.path.insert(0, code_dir)
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "function")
    timeout = float(os.environ.get("AWS_LAMBDA_FUNCTION_TIMEOUT", "3"))
    module_name, _, function_name = handler.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except Exception:  # noqa: BLE001 - the function's Init error, answered to every invocation
        failure = "Runtime.ImportModuleError: " + traceback.format_exc()
        _answer(out, "ready", None)
        for _ in sys.stdin:
            _answer(out, "error", failure)
        return
    # The Init phase is over: from here on, the function's own timeout runs.
    _answer(out, "ready", None)
    for line in sys.stdin:
        try:
            result = function(json.loads(line), Context(name, timeout))
            # Lambda sends the answer as JSON: what JSON cannot hold is the function's error.
            text = json.dumps(result)
        except Exception:  # noqa: BLE001 - a function error, answered as Lambda answers it
            _answer(out, "error", traceback.format_exc())
            continue
        out.write(f'["ok", {text}]\n')
        out.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
