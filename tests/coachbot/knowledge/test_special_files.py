"""Only regular files inside the knowledge folder are read, and never more than the limit.

A named pipe would block a load (and every reload after it) forever, a link to /dev/zero
never ends, and a link out of the folder would let the bot read any file its user may read.
Each is refused with a `file:line:col: message` line, as fast as any other problem.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from coachbot.clock import system_clock
from coachbot.errors import KnowledgeError
from coachbot.knowledge import load_knowledge
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.reload import KnowledgeReloader
from coachbot.knowledge.yamlsource import MAX_FILE_BYTES

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def problems_of(directory: Path) -> list[str]:
    """The problems of a load that must end: a load stuck on a pipe fails the test."""
    outcome: list[object] = []

    def load() -> None:
        try:
            load_knowledge(directory)
            outcome.append([])
        except KnowledgeError as exc:
            outcome.append(exc.problems)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(60)  # a guard against hanging the suite, not a measurement
    if thread.is_alive():
        _release_pipes(directory)
        thread.join(60)
        pytest.fail("the load blocked on a named pipe")
    assert outcome, "the load raised something else"
    return outcome[0]  # type: ignore[return-value]


def _release_pipes(directory: Path) -> None:
    """Open every pipe for writing, so that a reader blocked on one goes on."""
    for path in directory.rglob("*"):
        if path.is_fifo():
            with contextlib.suppress(OSError):  # ENXIO: nobody is reading it
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@pytest.fixture
def capped_reads(monkeypatch) -> list[int]:
    """Fails a test as soon as more than the limit is read from anything but a regular file."""
    read, fstat = os.read, os.fstat
    sizes: list[int] = []

    def counted(fd: int, size: int) -> bytes:
        data = read(fd, size)
        if not stat.S_ISREG(fstat(fd).st_mode):
            sizes.append(len(data))
            assert sum(sizes) <= MAX_FILE_BYTES + 1, "read past the 1 MB limit"
        return data

    monkeypatch.setattr(os, "read", counted)
    return sizes


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(knowledge_copy):
    os.mkfifo(knowledge_copy / "topics" / "x.yaml")
    problems = problems_of(knowledge_copy)
    assert problems == [
        f"{knowledge_copy / 'topics' / 'x.yaml'}:1:1: it is a named pipe, not a regular file; "
        "knowledge files must be plain files"
    ]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("where", ["topics/zero.yaml", "synonyms.yaml", "quizzes/zero.yaml"])
def test_a_link_to_an_endless_device_is_refused_unread(knowledge_copy, capped_reads, where):
    path = knowledge_copy / where
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")
    problems = problems_of(knowledge_copy)
    assert problems == [f"{path}:1:1: it is a device, not a regular file; {_PLAIN}"]
    assert capped_reads == []  # not a byte of the device


_PLAIN = "knowledge files must be plain files"


def test_a_file_that_grows_past_the_limit_while_read_is_refused(knowledge_copy, monkeypatch):
    """The size taken when the file was opened does not bound the read: the limit does."""
    stat = os.fstat

    def small(fd: int) -> os.stat_result:
        info = stat(fd)
        return os.stat_result((*info[:6], 10, *info[7:]))  # st_size: 10 bytes, when opened

    big = knowledge_copy / "topics" / "big.yaml"
    big.write_bytes(b"# " + b"x" * (MAX_FILE_BYTES + 100) + b"\n")
    monkeypatch.setattr(os, "fstat", small)
    problems = problems_of(knowledge_copy)
    assert problems == [
        f"{big}:1:1: the file is too large (1.0 MB); knowledge files must be under 1 MB"
    ]


def test_a_link_out_of_the_knowledge_folder_is_refused(knowledge_copy, tmp_path):
    outside = tmp_path / "elsewhere" / "leaked.yaml"
    outside.parent.mkdir()
    shutil.copy(knowledge_copy / "topics" / "stay-calm.yaml", outside)
    (knowledge_copy / "topics" / "stay-calm.yaml").unlink()
    (knowledge_copy / "topics" / "stay-calm.yaml").symlink_to(outside)
    problems = problems_of(knowledge_copy)
    assert problems == [
        f"{knowledge_copy / 'topics' / 'stay-calm.yaml'}:1:1: it is a link to a file outside "
        "the knowledge folder; only files inside the folder are read (copy the file in instead)"
    ]


def test_a_topics_folder_that_links_out_of_the_knowledge_folder_is_refused(
    knowledge_copy, tmp_path
):
    shutil.move(knowledge_copy / "topics", tmp_path / "topics-elsewhere")
    (knowledge_copy / "topics").symlink_to(tmp_path / "topics-elsewhere")
    (problem,) = problems_of(knowledge_copy)
    assert problem.endswith(
        "topics: the folder is a link to a place outside the knowledge "
        "folder; only files inside it are read (move the files in instead)"
    )


def test_a_link_that_stays_inside_the_folder_is_read(knowledge_copy):
    """Links inside the folder are fine (a Kubernetes ConfigMap mounts files as links)."""
    spare = knowledge_copy / "spare"
    spare.mkdir()
    shutil.move(knowledge_copy / "topics" / "stay-calm.yaml", spare / "stay-calm.yaml")
    (knowledge_copy / "topics" / "stay-calm.yaml").symlink_to(spare / "stay-calm.yaml")
    assert load_knowledge(knowledge_copy).topic("stay-calm") is not None


def test_the_cache_never_serves_a_file_that_became_a_link_out(knowledge_copy, tmp_path):
    """The cache keys a file by size and time; a link to a copy has both, and is refused."""
    LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")  # stay-calm is cached
    original = knowledge_copy / "topics" / "stay-calm.yaml"
    outside = tmp_path / "stay-calm.yaml"
    shutil.copy2(original, outside)
    info = original.stat()
    os.utime(outside, ns=(info.st_atime_ns, info.st_mtime_ns))
    original.unlink()
    original.symlink_to(outside)
    with pytest.raises(KnowledgeError) as caught:
        LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")
    assert [p.split(": ", 1)[1] for p in caught.value.problems] == [
        "it is a link to a file outside the knowledge folder; only files inside the folder "
        "are read (copy the file in instead)"
    ]


async def test_a_reload_past_a_named_pipe_ends_and_the_next_one_loads(knowledge_copy):
    live = LiveKnowledge.load(knowledge_copy)
    reloader = KnowledgeReloader(
        lambda: LiveKnowledge.load(knowledge_copy),
        lambda: live,
        lambda new: None,
        system_clock,
    )
    pipe = knowledge_copy / "quizzes" / "x.yaml"
    os.mkfifo(pipe)
    try:
        first = await _bounded(reloader.reload())
    finally:
        _release_pipes(knowledge_copy)
    assert not first.ok
    assert first.problems == (f"{pipe}:1:1: it is a named pipe, not a regular file; {_PLAIN}",)
    pipe.unlink()
    assert (await _bounded(reloader.reload())).ok


async def _bounded(awaitable):
    try:
        return await asyncio.wait_for(awaitable, 60)  # a guard, not a measurement
    except TimeoutError:
        pytest.fail("the reload blocked on a named pipe")
