"""Several processes on one database (two Apps, as two processes would hold): a knowledge
reload in one reaches the other, and they share one ask allowance. One process on its own
SQLite file keeps everything in its memory, as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.knowledge.live import LiveKnowledge
from coachbot.ratelimit import ASK
from coachbot.settings import Settings
from coachbot.store.database import Database
from tests.knowledge_versions import write_version


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """The knowledge folder every process reads (shared storage, or the same checkout)."""
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    return directory


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_settings(request, tmp_path: Path, knowledge_dir: Path) -> Settings:
    """PostgreSQL, or one SQLite file with COACHBOT_MULTI_PROCESS=1."""
    if request.param == "sqlite":
        return Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_dir, multi_process=True)
    url = request.getfixturevalue("postgres_url")
    return Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_dir, database_url=url)


async def _app(settings: Settings, clock) -> App:
    database = await Database.open(settings.database_target)
    app = App(settings, LiveKnowledge.load(settings.knowledge_dir), database, clock)
    if app.knowledge_sync is not None:
        await app.knowledge_sync.start(poll=False)  # the test polls by hand
    return app


@pytest.fixture
async def two_apps(shared_settings: Settings, clock) -> AsyncIterator[tuple[App, App]]:
    first, second = await _app(shared_settings, clock), await _app(shared_settings, clock)
    yield first, second
    await first.close()
    await second.close()


def _topics(app: App) -> set[str]:
    return set(app.knowledge.kb.by_id)


async def test_a_reload_in_one_process_is_picked_up_by_the_other(two_apps, knowledge_dir):
    first, second = two_apps
    write_version(knowledge_dir, "B")

    result = await first.reloader.reload()  # /kb reload in the first process
    await first.knowledge_sync.settled()
    followed = await second.knowledge_sync.poll_once()

    assert result.ok and "cancel-plan" in _topics(first)
    assert followed is not None and followed.ok
    assert "cancel-plan" in _topics(second) and "billing-error" not in _topics(second)


async def test_a_process_that_follows_does_not_make_the_first_reload_again(two_apps, knowledge_dir):
    first, second = two_apps
    write_version(knowledge_dir, "B")
    await first.reloader.reload()
    await first.knowledge_sync.settled()
    await second.knowledge_sync.poll_once()
    await second.knowledge_sync.settled()

    assert await first.knowledge_sync.poll_once() is None  # nothing new for the first
    assert await second.knowledge_sync.poll_once() is None  # and nothing again for the second
    assert first.reloader.version == 2 and second.reloader.version == 2


async def test_two_processes_share_one_ask_allowance(two_apps):
    first, second = two_apps
    answers = [await app.ask_limits.hit("discord:1") for app in (first, second) * 3]

    assert answers[: ASK.rate] == [0.0] * ASK.rate
    assert answers[ASK.rate] > 0  # the sixth question, whichever process it reaches


async def test_one_process_on_its_sqlite_file_keeps_limits_and_reloads_in_memory(
    tmp_path, knowledge_dir, clock
):
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_dir)
    app = await _app(settings, clock)
    try:
        await app.ask_limits.hit("discord:1")
        await app.reloader.reload()

        assert app.knowledge_sync is None
        assert await app.database.fetch("SELECT COUNT(*) FROM rate_hits") == [(0,)]
        assert await app.database.fetch(
            "SELECT COUNT(*) FROM meta WHERE key = 'knowledge_version'"
        ) == [(0,)]
    finally:
        await app.close()
