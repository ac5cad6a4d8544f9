"""Builds the API reference (``make docs``): pdoc's HTML for the public modules of cdk_front_door.

    python docs/reference.py build/docs

Every module of the package whose name does not start with ``_`` gets a page (``local`` and its
modules included), written from the docstrings (reST fields, ``:param x:``). pdoc writes
self-contained pages: nothing is fetched while building or reading them.

The build fails on any warning pdoc gives (a module that does not import, an annotation it cannot
read, an include it cannot find) and on every cross-reference in a docstring the reference shows
(``:class:`Cdn```, ``:meth:`add_route```) that is not a link: a name that means nothing where the
docstring is, or that names something the reference does not show (private or undocumented).

pdoc links a name it finds in the docstring's own module or written in full; this build also links
a name the module imports (``:class:`Cors``` in ``gateway.py``, which imports ``Cors``), as Python
resolves it there.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import types
import warnings
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pdoc
import pdoc.doc
import pdoc.render
import pdoc.render_helpers
from jinja2.runtime import Context
from markupsafe import Markup

PACKAGE = "cdk_front_door"
# pdoc's own pattern for reST cross-references (pdoc.docstrings.rst).
_REFERENCE = re.compile(r"(?::py)?:(mod|func|data|const|class|meth|attr|exc|obj):`([^`]+)`")
# A name in code that pdoc left without a link.
_UNLINKED = re.compile(r"<code>((?!\d)\w+(?:\.(?!\d)\w+)*)(\(\))?</code>")
_HREF = re.compile(r'<a href="([^"]*)">')
_pdoc_linkify = pdoc.render_helpers.linkify


def public_modules(package: str = PACKAGE) -> list[str]:
    """The package and each of its modules and subpackages whose names do not start with ``_``.

    Each is imported here, and the names the package exports are resolved (it imports them when
    first used): pdoc imports modules with subprocesses suppressed, and jsii starts Node.js.
    """
    root = importlib.import_module(package)
    for name in root.__all__:
        getattr(root, name)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, f"{package}."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            importlib.import_module(info.name)
            names.append(info.name)
    return names


def _python_target(module: types.ModuleType, namespace: str, name: str) -> Any:
    """What ``name`` means in a docstring of ``namespace`` (a qualified name) in ``module``, as
    Python resolves it there; None if nothing.

    Where a name is looked up, in order: the object, each object around it, the module, the
    modules of the classes it inherits from (a method without a docstring shows its base's), and
    the package's exports.
    """
    scopes: list[Any] = [module]
    bases: list[Any] = []
    scope: Any = module
    for part in filter(None, namespace.split(".")):
        scope = getattr(scope, part, None)
        scopes.insert(0, scope)
        if isinstance(scope, type):
            bases += [sys.modules[base.__module__] for base in scope.__mro__[1:]]
    scopes += [*bases, importlib.import_module(PACKAGE)]
    first, *rest = name.split(".")
    value = next((getattr(s, first) for s in scopes if hasattr(s, first)), sys.modules.get(first))
    for part in rest:
        value = getattr(value, part, None)
    if isinstance(value, property):
        value = value.fget
    if isinstance(value, cached_property):
        value = value.func
    return value


def _full_name(value: Any) -> str | None:
    if isinstance(value, types.ModuleType):
        return value.__name__
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if isinstance(module, str) and module.startswith(PACKAGE) and isinstance(qualname, str):
        return f"{module}.{qualname}"
    return None


def linkify(context: Context, code: str, namespace: str = "", shorten: bool = True) -> Markup:
    """pdoc's ``linkify``, which also links names the module imports from the package."""
    linked = _pdoc_linkify(context, code, namespace=namespace, shorten=shorten)
    module: pdoc.doc.Module = context["module"]

    def link(match: re.Match[str]) -> str:
        full_name = _full_name(_python_target(module.obj, namespace, match[1]))
        if full_name is None or full_name == match[1]:
            return match[0]
        href = _HREF.search(_pdoc_linkify(context, f"<code>{full_name}</code>"))
        if href is None:
            return match[0]
        return f'<code><a href="{href[1]}">{match[1]}{match[2] or ""}</a></code>'

    return Markup(_UNLINKED.sub(link, linked))


linkify.jinja_pass_arg = _pdoc_linkify.jinja_pass_arg  # type: ignore[attr-defined]


def _is_public(doc: pdoc.doc.Doc[Any], module: pdoc.doc.Module) -> bool:
    """pdoc's default rule (templates/default/module.html.jinja2, ``is_public``)."""
    if doc.name == "__init__":
        return bool(doc.docstring)
    exported = getattr(module.obj, "__all__", None)
    if exported is not None and doc.qualname in exported:
        return True
    return not doc.name.startswith("_")


def _shown(module: pdoc.doc.Module) -> Iterator[pdoc.doc.Doc[Any]]:
    """The module and each member of it its page shows, with a docstring written there."""
    yield module
    members: list[pdoc.doc.Doc[Any]] = list(module.members.values())
    while members:
        doc = members.pop()
        if doc.taken_from[0] != module.modulename or not _is_public(doc, module):
            continue
        yield doc
        if isinstance(doc, pdoc.doc.Class):
            members.extend(doc.own_members)


def broken_references(modules: dict[str, pdoc.doc.Module]) -> list[str]:
    """Each cross-reference in a docstring the reference shows that does not become a link."""
    problems = []
    for module in modules.values():
        context = pdoc.render.env.from_string("").new_context(
            {
                "module": module,
                "all_modules": modules,
                "is_public": lambda doc, module=module: "true" if _is_public(doc, module) else "",
            }
        )
        for doc in _shown(module):
            namespace = doc.qualname  # as pdoc's templates linkify a docstring
            for kind, target in _REFERENCE.findall(doc.docstring):
                name = target.lstrip("~").removesuffix("()")
                if "<a " in linkify(context, f"<code>{name}</code>", namespace=namespace):
                    continue
                where = f"{doc.fullname}: :{kind}:`{target}`"
                if _python_target(module.obj, namespace, name) is None:
                    problems.append(f"{where} names nothing")
                else:
                    problems.append(
                        f"{where} names something the reference does not show (private or "
                        f"undocumented): write ``{name}`` instead"
                    )
    return problems


def build(output: Path) -> list[str]:
    """Write the reference into ``output``; return the problems found (none: it is complete)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pdoc.render.configure(docformat="restructuredtext", show_source=False)
        pdoc.render.env.filters["linkify"] = linkify
        names = public_modules()
        modules = {name: pdoc.doc.Module.from_name(name) for name in names}
        problems = broken_references(modules)
        if not problems:
            pdoc.pdoc(*names, output_directory=output)
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python docs/reference.py OUTPUT_DIR", file=sys.stderr)
        return 2
    output = Path(argv[0])
    problems = build(output)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    pages = sorted(output.rglob("*.html"))
    print(f"API reference: {len(pages)} pages in {output}/ (open {output}/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
