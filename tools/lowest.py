"""The lowest versions pyproject.toml allows, for ``make lowest`` to test them.

    python tools/lowest.py FOLDER

writes ``FOLDER/constraints.txt``: ``name==lower`` for every requirement of the library and of
its ``local`` and ``node`` extras (each must have a ``>=`` lower bound), and
``FOLDER/requirements.txt``: requirements-dev.txt without those names, so that the development
tools keep their pins and pip resolves everything else against the lower bounds.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("local", "node")


def lower_bounds() -> dict[str, str]:
    """Each requirement's name and its ``>=`` version."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + [
        line for extra in EXTRAS for line in project["optional-dependencies"][extra]
    ]
    bounds: dict[str, str] = {}
    for line in lines:
        requirement = Requirement(line)
        lower = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(lower) != 1:
            raise SystemExit(f"pyproject.toml: {line!r} needs one lower bound (>=)")
        bounds[canonicalize_name(requirement.name)] = lower[0]
    return bounds


def main(folder: Path) -> None:
    bounds = lower_bounds()
    folder.mkdir(parents=True, exist_ok=True)
    constraints = [f"{name}=={version}" for name, version in sorted(bounds.items())]
    (folder / "constraints.txt").write_text("\n".join(constraints) + "\n", encoding="utf-8")
    development = [
        line
        for line in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
        and not line.lstrip().startswith("#")
        and canonicalize_name(Requirement(line).name) not in bounds
    ]
    (folder / "requirements.txt").write_text("\n".join(development) + "\n", encoding="utf-8")
    print("lowest versions: " + ", ".join(constraints))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} FOLDER")
    main(Path(sys.argv[1]))
