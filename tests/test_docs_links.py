"""Every relative link of README.md and docs/*.md leads somewhere: a file of the repository and,
with ``#anchor``, a heading of that page as GitHub names it. Every docs page is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)


def _prose(text: str) -> str:
    """The text outside code blocks."""
    return _FENCE.sub("", text)


def github_anchor(heading: str) -> str:
    """GitHub's anchor of a heading: its text lower case, without punctuation (what is neither
    a letter, a digit, ``_``, ``-`` nor a space), spaces written ``-``."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of a page's headings; a repeated one gets ``-1``, ``-2``, ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for heading in _HEADING.findall(_prose(page.read_text())):
        anchor = github_anchor(heading)
        if anchor in seen:
            seen[anchor] += 1
            anchor = f"{anchor}-{seen[anchor]}"
        else:
            seen[anchor] = 0
        found.add(anchor)
    return found


def links(page: Path) -> list[str]:
    prose = _prose(page.read_text())
    targets: list[str] = _LINK.findall(_CODE.sub("", prose))
    return targets


def _relative(target: str) -> bool:
    return not re.match(r"[a-z][a-z0-9+.-]*:", target)


RELATIVE = [
    (page, target) for page in PAGES for target in links(page) if target and _relative(target)
]


@pytest.mark.parametrize(
    ("page", "target"),
    RELATIVE,
    ids=[f"{page.relative_to(ROOT)}->{target}" for page, target in RELATIVE],
)
def test_relative_link_leads_to_a_file_and_heading(page: Path, target: str) -> None:
    path, _, anchor = target.partition("#")
    destination = (page.parent / path).resolve() if path else page
    assert destination.is_relative_to(ROOT), f"{target} leaves the repository"
    assert destination.exists(), f"{page.name}: {target}: no such file"
    if anchor:
        assert destination.suffix == ".md", f"{page.name}: {target}: an anchor of a non-page"
        assert anchor in anchors(destination), f"{page.name}: {target}: no such heading"


def test_every_docs_page_is_listed_in_the_docs_index_and_the_readme() -> None:
    index = links(ROOT / "docs" / "README.md")
    readme = links(ROOT / "README.md")
    for page in PAGES[1:]:
        if page.name != "README.md":
            assert page.name in index, f"docs/README.md does not link {page.name}"
            assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Custom domains", "custom-domains"),
        ("Containers: ContainerService", "containers-containerservice"),
        ("The caller's identity, for every backend", "the-callers-identity-for-every-backend"),
        (
            "`add_route(route_key, target, *, auth=None) -> GatewayRoute`",
            "add_routeroute_key-target--authnone---gatewayroute",
        ),
        ("[Jobs](jobs.md): BatchJob", "jobs-batchjob"),
    ],
)
def test_anchors_are_named_as_github_names_them(heading: str, anchor: str) -> None:
    assert github_anchor(heading) == anchor


def test_the_links_of_a_page_are_found_outside_code() -> None:
    assert len(RELATIVE) > 50
    assert all("`" not in target for _, target in RELATIVE)
