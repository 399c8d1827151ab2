"""Shared fixtures: the real shipped knowledge base, a real SQLite file per test."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import hypothesis
import pytest

from coachbot import logs
from coachbot.app import App
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from coachbot.store.database import Database

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
DATA = Path(__file__).resolve().parent / "data"

# Property tests: "ci" (the default) is bounded and reproducible (same examples every run, no
# example database written into the tree); HYPOTHESIS_PROFILE=thorough searches much longer.
hypothesis.settings.register_profile(
    "ci", max_examples=150, deadline=None, derandomize=True, database=None, print_blob=True
)
hypothesis.settings.register_profile(
    "thorough", max_examples=5_000, deadline=None, database=None, print_blob=True
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class FakeClock:
    """A clock that tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def _log_handler_per_test() -> Iterator[None]:
    """`coachbot.cli.main()` installs its log handler on the root logger: one test's call
    must not change where later tests' logs go."""
    level = logging.getLogger().level
    yield
    logs.remove()
    logging.getLogger().setLevel(level)


@pytest.fixture(scope="session")
def live_knowledge() -> LiveKnowledge:
    return LiveKnowledge.load(KNOWLEDGE)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 14, 37, 12, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "data" / "test.sqlite3")
    yield db
    await db.close()


@pytest.fixture
async def app(settings: Settings, live_knowledge: LiveKnowledge, clock: FakeClock):
    database = await Database.open(settings.database_path)
    application = App(settings, live_knowledge, database, clock)
    yield application
    await application.close()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge base, to break on purpose."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("*.md"))
    return target
