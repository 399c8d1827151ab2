"""The table in coachbot/knowledge/fast/__init__.py names code and tests that exist.

Why: the table is how a reader learns which path is the reference and which tests keep a fast
path equal to it. A renamed function or test would leave it pointing nowhere, so every name in
it is looked up here, every module of the package must have a row, and each reference's
docstring must point back to its fast twin.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from coachbot.knowledge import fast

TESTS = Path(__file__).resolve().parents[1]  # tests/coachbot/knowledge
ROW = re.compile(r"^- `(?P<fast>[\w.]+)` -> `(?P<reference>[\w.:/]+)`$")
TEST = re.compile(r"^  - (?P<file>[\w/]+\.py)::(?P<name>\w+)$")


def rows(doc: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each fast path's reference and the tests (file, function) named under it."""
    found: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    current: list[tuple[str, str]] = []
    for line in doc.splitlines():
        if row := ROW.match(line):
            current = []
            found[row["fast"]] = (row["reference"], current)
        elif test := TEST.match(line):
            current.append((test["file"], test["name"]))
    return found


TABLE = rows(fast.__doc__ or "")


def resolve(name: str) -> object:
    """`name` under coachbot.knowledge: the longest importable module, then its attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module("coachbot.knowledge." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise AssertionError(f"{name} is not under coachbot.knowledge")


def defines(file: str, name: str) -> bool:
    path = TESTS / file
    if not path.is_file():
        return False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        for node in tree.body
    )


def test_the_table_has_rows_and_each_names_tests():
    assert TABLE
    assert all(tests for _, tests in TABLE.values())
    lines = (fast.__doc__ or "").splitlines()
    misread = [line for line in lines if line.startswith("- `") and not ROW.match(line)]
    misread += [
        line for line in lines if "::" in line and not (ROW.match(line) or TEST.match(line))
    ]
    assert not misread, "lines of the table this test cannot read"


@pytest.mark.parametrize("fast_path", sorted(TABLE))
def test_each_named_path_and_test_exists(fast_path: str) -> None:
    reference, tests = TABLE[fast_path]
    resolve(fast_path)
    if "::" in reference:  # a reference kept in a test, not in the product
        assert defines(*reference.split("::")), reference
    else:
        resolve(reference)
    missing = [f"{file}::{name}" for file, name in tests if not defines(file, name)]
    assert not missing, f"{fast_path}: no such test {missing}"


@pytest.mark.parametrize("fast_path", sorted(TABLE))
def test_each_side_names_the_other(fast_path: str) -> None:
    """The fast module names its reference; a reference in the product names its twin."""
    reference, _ = TABLE[fast_path]
    module = inspect.getmodule(resolve(fast_path))
    assert module is not None and reference in (module.__doc__ or ""), module
    if "::" not in reference:
        twin = fast_path.rpartition(".")[0] if fast_path.startswith("fast.") else fast_path
        assert twin in (inspect.getdoc(resolve(reference)) or ""), reference


def test_every_module_of_the_package_has_a_row():
    folder = Path(fast.__file__).parent
    modules = {f"fast.{path.stem}" for path in folder.glob("*.py") if path.stem != "__init__"}
    named = {name for name in TABLE if name.startswith("fast.")}
    assert modules <= {name.rpartition(".")[0] for name in named}
