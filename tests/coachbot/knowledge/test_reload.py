"""Live reload: validate the whole new version, swap it in whole, or keep the old one."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.knowledge.diff import TopicEdit
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.reload import UNEXPECTED, KnowledgeReloader
from coachbot.settings import Settings
from coachbot.store.database import Database
from tests.knowledge_versions import question, write_version

POSITIONED = re.compile(r"^.+\.yaml:\d+:\d+: .+")


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    return directory


@pytest.fixture
async def app(tmp_path: Path, knowledge_dir: Path, clock) -> AsyncIterator[App]:
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_dir)
    database = await Database.open(settings.database_path)
    application = App(settings, LiveKnowledge.load(knowledge_dir), database, clock)
    yield application
    await application.close()


async def test_a_valid_edit_is_swapped_in_and_the_trainer_sees_what_changed(app, knowledge_dir):
    before = app.knowledge
    write_version(knowledge_dir, "B")

    result = await app.reloader.reload()

    assert result.ok and result.problems == ()
    assert result.version == 2 == app.reloader.version
    assert app.knowledge is not before
    assert {t.id for t in app.knowledge.kb.topics} == {
        "refund-request",
        "late-delivery",
        "angry-caller",
        "cancel-plan",
    }
    changes = result.changes
    assert changes.topics_added == ("cancel-plan",)
    assert changes.topics_removed == ("billing-error",)
    assert (
        TopicEdit("angry-caller", ("title", "summary", "steps", "say", "related"))
        in changes.topics_edited
    )
    assert len(changes.topics_edited) == 3
    assert changes.quiz_added == ("cancel-plan-1",)
    assert changes.quiz_removed == ("billing-error-1",)
    assert changes.quiz_edited == ("angry-caller-1", "late-delivery-1", "refund-request-1")
    answer = await app.asks.ask(question("cancel-plan"))
    assert answer.topic is not None and answer.topic.id == "cancel-plan"


async def test_a_broken_edit_keeps_the_old_version_and_reports_every_problem(app, knowledge_dir):
    before = app.knowledge
    write_version(knowledge_dir, "broken")

    result = await app.reloader.reload()

    assert not result.ok and result.changes is None
    assert app.knowledge is before
    assert result.version == 1 == app.reloader.version
    problems = result.problems
    assert all(POSITIONED.match(p) for p in problems), problems
    assert any("late-delivery.yaml:3:1: YAML syntax error" in p for p in problems), problems
    assert any("angry-caller.yaml:1:1: missing required key 'steps'" in p for p in problems)
    assert len(problems) >= 2
    assert app.reloader.status().last_failure == result
    answer = await app.asks.ask(question("billing-error"))  # still version A
    assert answer.topic is not None and answer.topic.id == "billing-error"

    write_version(knowledge_dir, "B")
    fixed = await app.reloader.reload()
    assert fixed.ok and fixed.version == 2
    assert app.reloader.status().last_failure is None


async def test_status_tells_the_version_when_it_was_loaded_and_the_counts(
    app, knowledge_dir, clock
):
    status = app.reloader.status()
    assert (status.version, status.loaded_at) == (1, clock.now)
    assert (status.topics, status.quiz_items, status.last_failure) == (4, 4, None)


class _GatedLoad:
    """A load that waits for the test to let it finish, counting its calls."""

    def __init__(self, versions: list[LiveKnowledge]) -> None:
        self.versions = versions
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> LiveKnowledge:
        self.calls += 1
        self.started.set()
        assert self.release.wait(10), "the test never released the load"
        self.release.clear()
        return self.versions[min(self.calls, len(self.versions)) - 1]


async def _until(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, 10)
    event.clear()


def _reloader(knowledge_dir: Path, clock, load: _GatedLoad) -> tuple[KnowledgeReloader, list]:
    live = [LiveKnowledge.load(knowledge_dir)]
    reloader = KnowledgeReloader(load, lambda: live[-1], live.append, clock)
    return reloader, live


async def test_reloads_run_one_at_a_time_and_requests_during_one_share_the_next(
    knowledge_dir, clock
):
    first, second = LiveKnowledge.load(knowledge_dir), LiveKnowledge.load(knowledge_dir)
    load = _GatedLoad([first, second])
    reloader, live = _reloader(knowledge_dir, clock, load)

    running = asyncio.create_task(reloader.reload())
    await _until(load.started)
    during = [asyncio.create_task(reloader.reload()) for _ in range(3)]
    await asyncio.sleep(0)
    assert load.calls == 1  # nobody started a second load beside the first
    load.release.set()
    await _until(load.started)  # the one follow-up reload
    load.release.set()
    results = await asyncio.gather(running, *during)

    assert load.calls == 2
    assert results[0].version == 2
    assert {r.version for r in results[1:]} == {3}
    assert len({id(r) for r in results[1:]}) == 1  # one shared result
    assert live[-1] is second


async def test_the_load_runs_off_the_event_loop_so_asks_are_answered_meanwhile(app, knowledge_dir):
    before = app.knowledge
    load = _GatedLoad([LiveKnowledge.load(knowledge_dir)])
    app.reloader._load = load  # gate the real reloader's load
    reloading = asyncio.create_task(app.reloader.reload())
    await _until(load.started)

    answer = await app.asks.ask(question("refund-request"))  # while the load is in progress
    assert answer.topic is before.kb.by_id["refund-request"]

    load.release.set()
    assert (await reloading).ok and app.knowledge is load.versions[0]


async def test_a_caller_that_gives_up_does_not_stop_the_reload(knowledge_dir, clock):
    new = LiveKnowledge.load(knowledge_dir)
    load = _GatedLoad([new])
    reloader, live = _reloader(knowledge_dir, clock, load)
    finished = asyncio.Event()
    reloader.subscribe(lambda result: finished.set())
    caller = asyncio.create_task(reloader.reload())
    await _until(load.started)
    caller.cancel()
    load.release.set()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await asyncio.wait_for(finished.wait(), 10)
    assert reloader.version == 2 and live[-1] is new  # the shielded reload swapped anyway


async def test_an_unexpected_failure_keeps_the_old_version_and_tells_no_details(
    knowledge_dir, clock, caplog
):
    def broken_disk() -> LiveKnowledge:
        raise PermissionError("secret/path/denied")

    live = [LiveKnowledge.load(knowledge_dir)]
    reloader = KnowledgeReloader(broken_disk, lambda: live[-1], live.append, clock)
    with caplog.at_level(logging.ERROR):
        result = await reloader.reload()
    assert not result.ok and result.problems == (UNEXPECTED,)
    assert len(live) == 1
    assert "secret/path" not in " ".join(result.problems)
    assert any(r.exc_info for r in caplog.records)  # the details go to the log


async def test_listeners_hear_every_result_and_a_broken_listener_undoes_nothing(app, knowledge_dir):
    heard = []
    unsubscribe = app.reloader.subscribe(heard.append)
    app.reloader.subscribe(lambda result: 1 / 0)
    write_version(knowledge_dir, "broken")
    failed = await app.reloader.reload()
    write_version(knowledge_dir, "B")
    done = await app.reloader.reload()
    unsubscribe()
    await app.reloader.reload()
    assert heard == [failed, done]
    assert done.ok and app.reloader.version == 3
