"""The README stays short, and no link in the README or docs/ leaves the repository.

Readers of a clone, a wheel's metadata or an offline copy must be able to follow every link, so
links are relative paths to files that exist, with anchors that exist; outside sites are named
in words or as code text, never linked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README_MAX_LINES = 250

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)((?:(?!\n[ \t]*\n).)+?)\1", re.S)
INLINE_LINK = re.compile(r"\]\(\s*(<[^>]*>|[^\s)]*)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(\S+)", re.M)
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
BARE_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _split(text: str) -> tuple[str, list[str]]:
    """The prose outside fenced code blocks (code spans removed), and the code spans."""
    prose: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)[0] * 3
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None:
            prose.append(line)
    joined = "\n".join(prose)
    spans = [m.group(2).strip() for m in CODE_SPAN.finditer(joined)]
    return CODE_SPAN.sub(" ", joined), spans


def _anchors(text: str) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to '-', repeats numbered."""
    seen: dict[str, int] = {}
    anchors = set()
    prose, _ = _split(text.replace("`", ""))
    for line in prose.splitlines():
        heading = HEADING.match(line)
        if not heading:
            continue
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _target_problem(source: Path, target: str, root: Path) -> str | None:
    target = target.strip("<>")
    if SCHEME.match(target) or target.startswith("//"):
        return "links outside the repository"
    if target.startswith("/"):
        return "is an absolute path; use a path relative to this file"
    path_part, _, anchor = target.partition("#")
    destination = (source.parent / path_part).resolve() if path_part else source
    if not destination.is_relative_to(root):
        return "points outside the repository"
    if not destination.exists():
        return "points to a file that does not exist"
    if (
        anchor
        and destination.suffix == ".md"
        and anchor not in _anchors(destination.read_text(encoding="utf-8"))
    ):
        return f"points to a heading that does not exist in {destination.name}"
    return None


def link_problems(source: Path, root: Path = ROOT) -> list[str]:
    """Every link in a Markdown file that a reader of the repository alone could not follow."""
    text = source.read_text(encoding="utf-8")
    prose, spans = _split(text)
    name = source.relative_to(root).as_posix()
    targets = INLINE_LINK.findall(prose) + REFERENCE.findall(prose)
    problems = [f"{name}: <{url}> links outside the repository" for url in AUTOLINK.findall(prose)]
    rest = REFERENCE.sub(" ", INLINE_LINK.sub(" ", AUTOLINK.sub(" ", prose)))
    problems += [
        f"{name}: {url} becomes a link outside the repository" for url in BARE_URL.findall(rest)
    ]
    for target in targets:
        problem = _target_problem(source, target, root)
        if problem:
            problems.append(f"{name}: ({target}) {problem}")
    for span in spans:  # a path named as code text must not send the reader outside either
        outside = span.startswith("../") and " " not in span
        if outside and not (source.parent / span).resolve().is_relative_to(root):
            problems.append(f"{name}: `{span}` names a path outside the repository")
    return problems


def test_the_readme_reads_in_five_minutes() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines; keep it to {README_MAX_LINES} and move detail to docs/"
    )


def test_no_link_in_the_readme_or_docs_leaves_the_repository() -> None:
    documents = _documents()
    assert len(documents) > 5, "docs/ should hold one subject a file"
    problems = [problem for document in documents for problem in link_problems(document)]
    assert problems == []


def test_the_readme_maps_every_file_in_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [path.name for path in _documents()[1:] if f"](docs/{path.name})" not in readme]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See [the site](https://example.com).", "links outside the repository"),
        ("See <https://example.com>.", "links outside the repository"),
        ("See https://example.com or www.example.com.", "becomes a link outside"),
        ("[mail](mailto:someone@example.com)", "links outside the repository"),
        ("[guide](../../outside.md)", "points outside the repository"),
        ("[guide](/etc/passwd)", "absolute path"),
        ("[guide](missing.md)", "does not exist"),
        ("[guide](other.md#nowhere)", "heading that does not exist"),
        ("[here](#nowhere)", "heading that does not exist"),
        ("[ref]: https://example.com", "links outside the repository"),
        ("Read `../../shared/DESIGN.md` first.", "names a path outside"),
    ],
)
def test_the_checker_catches_each_kind_of_outside_link(
    tmp_path: Path, text: str, expected: str
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "other.md").write_text("# Other\n\n## A `code` heading: yes\n", encoding="utf-8")
    page = folder / "page.md"
    page.write_text(f"# Page\n\n{text}\n", encoding="utf-8")
    problems = link_problems(page, tmp_path)
    assert problems and all(expected in problem for problem in problems), problems


def test_the_checker_accepts_links_inside_and_urls_in_code(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "other.md").write_text("# Other\n\n## A `code` heading: yes\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Read me\n", encoding="utf-8")
    page = folder / "page.md"
    page.write_text(
        "# Page\n\n## Twice\n\n## Twice\n\n"
        "[a](other.md) [b](other.md#a-code-heading-yes) [c](../README.md) [d](#twice-1)\n"
        "The portal (`https://example.com/apps`) is named, not linked.\n\n"
        "```sh\ncurl https://example.com\n```\n",
        encoding="utf-8",
    )
    assert link_problems(page, tmp_path) == []
