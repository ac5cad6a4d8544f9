"""Builds the sdist and the wheel out of the checkout, and checks what a user would install.

    python tools/check_dist.py dist

1. The files git would commit (tracked, and new ones not ignored) are copied to a temporary
   directory and ``python -m build --no-isolation`` runs there (the sdist, then the wheel from the
   sdist), so that no ``build/`` or ``*.egg-info`` appears in the checkout.
2. ``twine check --strict`` on both.
3. The wheel holds exactly the library's modules, ``py.typed`` and its dist-info, with
   ``LICENSE`` and ``NOTICE``; the sdist, the same and ``README.md``, no tests (MANIFEST.in).
4. The wheel's metadata: name, version (``cdk_front_door.__version__``), Requires-Python,
   License-Expression and the requirements and extras of ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import email.message
import email.parser
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "cdk_front_door"
LICENSE_FILES = ("LICENSE", "NOTICE")


def committed_files() -> list[str]:
    """The checkout's files as a clean checkout of the next commit would have them."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout.decode()
    return sorted({name for name in listing.split("\0") if name and (ROOT / name).is_file()})


def build(files: list[str], outdir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="cdk-front-door-build-") as temporary:
        source = Path(temporary)
        for name in files:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
        command = [sys.executable, "-m", "build", "--no-isolation", "--quiet"]
        subprocess.run([*command, "--outdir", str(outdir), str(source)], check=True)


def package_version() -> str:
    """``__version__`` of the package, read as setuptools reads it: without importing it."""
    tree = ast.parse((ROOT / PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [ast.unparse(target) for target in node.targets] == ["__version__"]
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    raise SystemExit(f"{PACKAGE}/__init__.py assigns no literal __version__")


def compare(what: str, found: set[str], expected: set[str]) -> list[str]:
    problems = [f"{what}: unexpected {name}" for name in sorted(found - expected)]
    return problems + [f"{what}: missing {name}" for name in sorted(expected - found)]


def check_wheel_files(wheel: Path, modules: set[str], version: str) -> list[str]:
    info = f"{PACKAGE}-{version}.dist-info"
    expected = modules | {f"{PACKAGE}/py.typed"}
    expected |= {f"{info}/{name}" for name in ("METADATA", "WHEEL", "RECORD", "top_level.txt")}
    expected |= {f"{info}/licenses/{name}" for name in LICENSE_FILES}
    with zipfile.ZipFile(wheel) as archive:
        problems = compare(wheel.name, set(archive.namelist()), expected)
        for name in LICENSE_FILES:
            if archive.read(f"{info}/licenses/{name}") != (ROOT / name).read_bytes():
                problems.append(f"{wheel.name}: {name} differs from the checkout's")
    return problems


def check_sdist_files(sdist: Path, modules: set[str], version: str) -> list[str]:
    top = f"{PACKAGE}-{version}"
    with tarfile.open(sdist) as archive:
        names = {info.name.removeprefix(f"{top}/") for info in archive if info.isfile()}
    expected = modules | {f"{PACKAGE}/py.typed", *LICENSE_FILES}
    expected |= {"PKG-INFO", "README.md", "pyproject.toml", "MANIFEST.in", "setup.cfg"}
    egg_info = ("PKG-INFO", "SOURCES.txt", "dependency_links.txt", "requires.txt", "top_level.txt")
    expected |= {f"{PACKAGE}.egg-info/{name}" for name in egg_info}
    return compare(sdist.name, names, expected)


def requirements(project: dict[str, Any]) -> set[str]:
    """The Requires-Dist lines ``project`` (the pyproject table) implies, normalized."""
    lines = {str(Requirement(line)) for line in project["dependencies"]}
    for extra, extra_lines in project["optional-dependencies"].items():
        lines |= {str(Requirement(f'{line}; extra == "{extra}"')) for line in extra_lines}
    return lines


def check_metadata(wheel: Path, version: str) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{PACKAGE}-{version}.dist-info/METADATA").decode()
    metadata: email.message.Message = email.parser.Parser().parsestr(text)
    expected = {
        "Name": project["name"],
        "Version": version,
        "Requires-Python": project["requires-python"],
        "License-Expression": project["license"],
        "Description-Content-Type": "text/markdown",
    }
    problems = [
        f"METADATA {field}: {metadata[field]!r}, expected {value!r}"
        for field, value in expected.items()
        if metadata[field] != value
    ]
    found = {str(Requirement(line)) for line in metadata.get_all("Requires-Dist") or []}
    problems += compare("METADATA Requires-Dist", found, requirements(project))
    extras = set(metadata.get_all("Provides-Extra") or [])
    problems += compare("METADATA Provides-Extra", extras, set(project["optional-dependencies"]))
    files = set(metadata.get_all("License-File") or [])
    return problems + compare("METADATA License-File", files, set(LICENSE_FILES))


def main(outdir: Path) -> None:
    files = committed_files()
    build(files, outdir)
    version = package_version()
    wheel = outdir / f"{PACKAGE}-{version}-py3-none-any.whl"
    sdist = outdir / f"{PACKAGE}-{version}.tar.gz"
    built = sorted(path.name for path in outdir.iterdir())
    if built != sorted([wheel.name, sdist.name]):
        raise SystemExit(f"{outdir} holds {built}, expected {wheel.name} and {sdist.name}")
    subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)], check=True
    )
    modules = {name for name in files if name.startswith(f"{PACKAGE}/") and name.endswith(".py")}
    problems = check_wheel_files(wheel, modules, version)
    problems += check_sdist_files(sdist, modules, version)
    problems += check_metadata(wheel, version)
    if problems:
        raise SystemExit("\n".join(["The distribution is not what it should be:", *problems]))
    with zipfile.ZipFile(wheel) as archive:
        count = len(archive.namelist())
    print(
        f"{wheel.name}: {wheel.stat().st_size / 1000:.0f} kB, {count} files; "
        f"{sdist.name}: {sdist.stat().st_size / 1000:.0f} kB; contents and metadata checked"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} OUTDIR")
    main(Path(sys.argv[1]).resolve())
