"""Automatic reload: real file writes, seen by watchfiles, settled into one reload per burst."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.watch import KnowledgeWatcher, is_knowledge_file, watching
from coachbot.settings import Settings
from tests.knowledge_versions import question, topic_doc, write_version, write_yaml

WAIT = 10.0  # seconds: an upper bound only; the events normally arrive in well under 1 s


class Recorder:
    """The watcher's callback: remembers each call's paths and wakes the test."""

    def __init__(self) -> None:
        self.calls: list[frozenset[str]] = []
        self.called = asyncio.Event()
        self.hold: asyncio.Event | None = None  # when set to an Event, calls wait for it

    async def __call__(self, changed: frozenset[str]) -> None:
        self.calls.append(changed)
        self.called.set()
        if self.hold is not None:
            await self.hold.wait()

    async def next_call(self) -> frozenset[str]:
        await asyncio.wait_for(self.called.wait(), WAIT)
        self.called.clear()
        return self.calls[-1]


def _names(paths: frozenset[str]) -> set[str]:
    return {Path(p).name for p in paths}


@pytest.fixture
async def folder(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    (directory / "topics").mkdir(parents=True)
    return directory


@pytest.fixture
async def watched(folder: Path) -> AsyncIterator[tuple[KnowledgeWatcher, Recorder]]:
    recorder = Recorder()
    watcher = KnowledgeWatcher(folder, recorder, quiet=0.3)
    watcher.start()
    await asyncio.wait_for(watcher.started(), WAIT)
    yield watcher, recorder
    await watcher.stop()
    assert not watcher.running


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("stay-calm.yaml", True),
        ("stay-calm.yml", True),
        ("topic.schema.json", True),
        (".stay-calm.yaml.swp", False),  # Vim
        ("stay-calm.yaml~", False),  # backups
        (".#stay-calm.yaml", False),  # Emacs lock
        ("#stay-calm.yaml#", False),  # Emacs autosave
        ("4913", False),  # Vim's write test
        ("stay-calm.yaml.tmp", False),
        ("notes.md", False),
        (".hidden.yaml", False),
    ],
)
def test_only_knowledge_files_count(name, counts):
    assert is_knowledge_file(f"/kb/topics/{name}") is counts


async def test_a_saved_file_triggers_a_reload(watched, folder):
    _, recorder = watched
    (folder / "topics" / "new.yaml").write_text("id: new\n")
    assert _names(await recorder.next_call()) == {"new.yaml"}


async def test_a_burst_of_writes_is_settled_into_one_reload(folder):
    recorder = Recorder()
    async with watching(folder, recorder, enabled=True) as watcher:  # the real 1 s quiet
        await asyncio.wait_for(watcher.started(), WAIT)
        for n in range(5):  # further apart than watchfiles groups events by itself (50 ms)
            (folder / "topics" / f"topic-{n}.yaml").write_text(f"id: topic-{n}\n")
            await asyncio.sleep(0.1)
        temporary = folder / "topics" / ".topic-0.yaml.tmp"  # an editor's atomic save
        temporary.write_text("id: topic-0\ntitle: x\n")
        temporary.replace(folder / "topics" / "topic-0.yaml")

        first = await recorder.next_call()
        assert _names(first) == {f"topic-{n}.yaml" for n in range(5)}
        assert len(recorder.calls) == 1

        (folder / "topics" / "later.yaml").write_text("id: later\n")
        assert _names(await recorder.next_call()) == {"later.yaml"}  # nothing left of the burst
        assert len(recorder.calls) == 2


async def test_editor_scratch_files_are_ignored(watched, folder):
    _, recorder = watched
    topics = folder / "topics"
    for scratch in (".a.yaml.swp", "a.yaml~", ".#a.yaml", "notes.txt", "4913"):
        (topics / scratch).write_text("scratch")
    (topics / "a.yaml").write_text("id: a\n")
    assert _names(await recorder.next_call()) == {"a.yaml"}


async def test_a_deleted_file_and_a_file_in_a_subfolder_count(watched, folder):
    _, recorder = watched
    (folder / "quizzes").mkdir()  # watched from now on, as a subfolder
    (folder / "topics" / "gone.yaml").write_text("id: gone\n")
    await recorder.next_call()
    (folder / "topics" / "gone.yaml").unlink()
    (folder / "quizzes" / "gone.yaml").write_text("topic: gone\n")
    assert _names(await recorder.next_call()) == {"gone.yaml"}
    assert {Path(p).parent.name for p in recorder.calls[-1]} == {"topics", "quizzes"}


async def test_edits_made_during_a_reload_cause_one_more(watched, folder):
    _, recorder = watched
    recorder.hold = asyncio.Event()
    (folder / "topics" / "one.yaml").write_text("id: one\n")
    assert _names(await recorder.next_call()) == {"one.yaml"}  # and that reload is still running
    (folder / "topics" / "two.yaml").write_text("id: two\n")
    (folder / "topics" / "three.yaml").write_text("id: three\n")
    await asyncio.sleep(0.5)  # give the events time to arrive while the reload is held
    recorder.hold.set()
    assert _names(await recorder.next_call()) == {"two.yaml", "three.yaml"}
    assert len(recorder.calls) == 2


async def test_a_failing_callback_does_not_end_the_watching(watched, folder, caplog):
    _, recorder = watched

    async def broken(changed: frozenset[str]) -> None:
        await recorder(changed)
        raise RuntimeError("boom")

    watcher = watched[0]
    watcher._on_change = broken
    with caplog.at_level(logging.ERROR):
        (folder / "topics" / "one.yaml").write_text("id: one\n")
        await recorder.next_call()
        (folder / "topics" / "two.yaml").write_text("id: two\n")
        assert _names(await recorder.next_call()) == {"two.yaml"}
    assert "automatic knowledge reload failed" in caplog.text


async def test_a_missing_folder_is_a_warning_not_a_crash(tmp_path, caplog):
    watcher = KnowledgeWatcher(tmp_path / "nowhere", Recorder())
    with caplog.at_level(logging.WARNING):
        watcher.start()
        await asyncio.wait_for(watcher.started(), WAIT)
        await watcher.stop()
    assert "stopped watching" in caplog.text and "/kb reload" in caplog.text


async def test_stop_without_start_and_twice_is_fine(folder):
    watcher = KnowledgeWatcher(folder, Recorder())
    await watcher.stop()
    watcher.start()
    await watcher.stop()
    await watcher.stop()
    assert not watcher.running


async def test_watching_is_off_when_disabled(folder):
    async with watching(folder, Recorder(), enabled=False) as watcher:
        assert watcher is None


async def test_an_edit_goes_live_through_the_app_and_a_broken_one_does_not(
    tmp_path, clock, memory_database
):
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=directory)
    app = App(settings, LiveKnowledge.load(directory), memory_database, clock)
    results = []
    reloaded = asyncio.Event()
    app.reloader.subscribe(lambda result: (results.append(result), reloaded.set()))

    async def reload_after_edit(_changed: frozenset[str]) -> None:
        await app.reloader.reload()

    async with watching(directory, reload_after_edit, enabled=True) as watcher:
        await asyncio.wait_for(watcher.started(), WAIT)
        write_yaml(directory / "topics" / "cancel-plan.yaml", topic_doc("cancel-plan", "A"))
        await asyncio.wait_for(reloaded.wait(), WAIT)
        reloaded.clear()
        assert results[-1].ok and results[-1].changes.topics_added == ("cancel-plan",)
        answer = await app.asks.ask(question("cancel-plan"))
        assert answer.topic is not None and answer.topic.id == "cancel-plan"

        live = app.knowledge
        (directory / "topics" / "cancel-plan.yaml").write_text("id: [broken\n")
        await asyncio.wait_for(reloaded.wait(), WAIT)
        assert not results[-1].ok and "cancel-plan.yaml:" in results[-1].problems[0]
        assert app.knowledge is live
