"""Shared fixtures: the real shipped knowledge base, a real SQLite file per test."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import hypothesis
import pytest

from coachbot import logs
from coachbot.app import App
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from coachbot.store.database import MEMORY, Database
from tests import pg_server

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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pg_server.Server]:
    """A real PostgreSQL server for this session (this xdist worker); skipped, saying how to
    enable it, where the server binaries are missing."""
    reason = pg_server.unavailable()
    if reason:
        pytest.skip(reason)
    with pg_server.running() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: pg_server.Server) -> Iterator[str]:
    """A new, empty database on the session's server for one test, dropped after it."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    pg_server.psql(postgres_server, f"CREATE DATABASE {name}")
    yield postgres_server.url(name)
    pg_server.psql(postgres_server, f"DROP DATABASE {name} WITH (FORCE)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: a store test about SQLite's own files, skipped on PostgreSQL"
    )


def pytest_terminal_summary(terminalreporter) -> None:
    """Say once, at the end, when the store's PostgreSQL tests could not run, and why."""
    reason = pg_server.unavailable()
    if reason:
        terminalreporter.write_line(f"PostgreSQL store tests skipped: {reason}.", yellow=True)


@pytest.fixture
async def app(settings: Settings, live_knowledge: LiveKnowledge, clock: FakeClock):
    database = await Database.open(settings.database_path)
    application = App(settings, live_knowledge, database, clock)
    yield application
    await application.close()


@pytest.fixture
async def memory_database() -> AsyncIterator[Database]:
    """An empty database in memory, for an App in a test that keeps no data."""
    database = await Database.open(MEMORY)
    yield database
    await database.close()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge base, to break on purpose."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("*.md"))
    return target
