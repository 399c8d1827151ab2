"""The wheel carries everything CoachBot reads at run time, and an install finds its bundled
knowledge base from any folder. (`make wheel-check` goes further: a new venv, from the locks.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from setuptools import find_packages

from coachbot.settings import CHECKOUT_KNOWLEDGE, bundled_knowledge

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
# every package in the checkout but the tests' and the benchmarks' belongs in the wheel
PACKAGES = find_packages(str(REPO), exclude=["tests", "tests.*", "benchmarks", "benchmarks.*"])
SOURCES = {"pyproject.toml", "setup.py", "README.md", "knowledge"} | {
    name.partition(".")[0] for name in PACKAGES
}
LOCKS = REPO / "requirements"


def _pins(lock: Path) -> dict[str, set[str]]:
    """Each package in a uv lock and its versions (one per Python where they differ)."""
    pins: dict[str, set[str]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, rest = line.partition("==")
            pins.setdefault(canonicalize_name(name), set()).add(rest.split(";")[0].strip(" \\"))
    return pins


@pytest.mark.parametrize(("lock", "extras"), [("run.lock", []), ("dev.lock", ["dev"])])
def test_the_locks_pin_versions_that_pyproject_allows(lock: str, extras: list[str]) -> None:
    project = PYPROJECT["project"]
    wanted = [
        *project["dependencies"],
        *(r for e in extras for r in project["optional-dependencies"][e]),
    ]
    build = (LOCKS / "build.in").read_text(encoding="utf-8").splitlines()
    wanted += [line for line in build if line.strip() and not line.startswith("#")]
    pins = _pins(LOCKS / lock)
    for requirement in map(Requirement, wanted):
        versions = pins.get(canonicalize_name(requirement.name), set())
        allowed = {v for v in versions if requirement.specifier.contains(v, prereleases=True)}
        assert versions and allowed == versions, f"{requirement} vs {versions}: run make lock"


def test_an_installed_package_reads_its_own_copy(tmp_path: Path) -> None:
    (tmp_path / "_knowledge" / "topics").mkdir(parents=True)
    assert bundled_knowledge(tmp_path) == tmp_path / "_knowledge"


def test_a_checkout_reads_the_top_level_folder(tmp_path: Path) -> None:
    assert bundled_knowledge(tmp_path) == CHECKOUT_KNOWLEDGE == REPO / "knowledge"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a clean copy of the sources, so no build/ folder lands in the checkout, and
    without network: the dev lock holds setuptools."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*command, "--quiet", "--wheel-dir", str(work / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = (work / "dist").glob("coachbot-*.whl")
    return built


def test_the_wheel_carries_the_knowledge_base_and_the_adapter(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    knowledge = {
        f"coachbot/_knowledge/{path.relative_to(REPO / 'knowledge').as_posix()}"
        for path in (REPO / "knowledge").rglob("*")
        if path.is_file()
    }
    assert knowledge, "the checkout has no knowledge files"
    assert knowledge <= names, sorted(knowledge - names)[:5]
    assert "coachbot/store/migrations/0001_asks.sql" in names


def test_the_wheel_carries_every_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        path.relative_to(REPO).as_posix()
        for package in PACKAGES
        for path in (REPO / package.replace(".", "/")).glob("*.py")
    }
    assert {"cogs/_bot.py", "coachbot/settings.py"} <= modules
    missing = sorted(modules - names)
    assert not missing, f"{missing[:5]}: setup.py's find_packages leaves them out"


def test_the_unpacked_wheel_answers_from_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "COACHBOT_DATA_DIR": str(tmp_path / "data")}
    env.pop("COACHBOT_KNOWLEDGE_DIR", None)
    run = subprocess.run(
        [sys.executable, "-m", "coachbot.cli", "ask", "customer keeps yelling"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Stay calm" in run.stdout
    found = subprocess.run(
        [sys.executable, "-c", "from coachbot.settings import BUNDLED_KNOWLEDGE as k; print(k)"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()) == site / "coachbot" / "_knowledge"
