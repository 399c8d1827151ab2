"""The composition root: every service is always there, whatever the command needs."""

from __future__ import annotations

from coachbot.app import App
from coachbot.console import LOCAL_AGENT
from tests.coachbot.test_cli import run

SERVICES = (
    "asks",
    "reloader",
    "freshness",
    "meta",
    "feedback",
    "quiz",
    "debriefs",
    "insights",
    "personal",
    "suggestions",
)


async def test_an_app_in_memory_has_every_service_and_leaves_no_database(
    settings, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = await App.create(settings, in_memory=True)
    try:
        assert all(getattr(app, name) is not None for name in SERVICES)
        question = await app.quiz.practice_next(LOCAL_AGENT)  # works, and is forgotten
        assert question.item is not None
    finally:
        await app.close()
    await app.close()  # a second close does nothing
    assert not settings.database_path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no file named :memory:


def test_topics_lists_without_creating_the_database(tmp_path):
    done = run(["topics"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "data" / "coachbot.sqlite3").exists()
