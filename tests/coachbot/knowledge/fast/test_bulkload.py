"""Reading a big knowledge base with worker processes changes nothing but the time it takes.

fast/bulkload.py spreads the topic files over worker processes beside this one, a chunk at a
time, and builds the index from the rows they analysed. Here every knowledge base counts as
big and chunks hold 3 files, so the shipped one is spread too; topics, every problem and the
index must come out exactly as when one process reads everything.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import threading
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest

from coachbot.errors import KnowledgeError
from coachbot.knowledge import load_knowledge
from coachbot.knowledge.fast import bulkload
from coachbot.knowledge.fast.bulkload import BulkReader
from coachbot.knowledge.index import Index
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.loader import read_knowledge
from coachbot.knowledge.matcher import Matcher
from coachbot.knowledge.models import KnowledgeBase, SynonymGroup
from tests.conftest import KNOWLEDGE


@pytest.fixture
def spread(monkeypatch) -> None:
    """Every knowledge base is read by a worker too, 3 files a chunk. So that the worker
    surely reads some on any machine, it is up before the first chunk is handed out, and it
    keeps the chunks it was given (this process would take back those not started yet)."""
    monkeypatch.setattr(bulkload, "PARALLEL_FROM", 1)
    monkeypatch.setattr(bulkload, "CHUNK_FILES", 3)
    monkeypatch.setattr(Future, "cancel", lambda future: False)
    start_pool = BulkReader._start_pool

    def start_pool_and_wait(reader: BulkReader):
        pool = start_pool(reader)
        if reader._ready is not None:
            reader._ready.result(timeout=120)
        return pool

    monkeypatch.setattr(BulkReader, "_start_pool", start_pool_and_wait)


def read(directory: Path, processes: int) -> tuple[KnowledgeBase, Index | None, BulkReader]:
    with BulkReader(directory, processes=processes) as reader:
        reader.start()
        kb = read_knowledge(directory, parse=reader).kb
        return kb, reader.index(kb), reader


def problems(directory: Path, processes: int) -> tuple[list[str], int]:
    """The problems reported, and how many chunks a worker read."""
    with BulkReader(directory, processes=processes) as reader:
        reader.start()
        with pytest.raises(KnowledgeError) as caught:
            read_knowledge(directory, parse=reader)
    return caught.value.problems, reader.chunks_from_workers


def same_index(a: Index, b: Index) -> bool:
    left, right = a.to_arrays(), b.to_arrays()
    return a.vocabulary == b.vocabulary and all(
        left[name].dtype == right[name].dtype and np.array_equal(left[name], right[name])
        for name in left
    )


@pytest.mark.parametrize("start", ["as chosen", "spawn"])
def test_a_worker_reads_the_same_topics_and_the_index_is_the_matchers_own(
    spread, monkeypatch, start
):
    """A worker as `start_method` starts it (forked, unless threads run), or a fresh
    interpreter."""
    if start == "spawn":
        monkeypatch.setattr(bulkload, "start_method", lambda: "spawn")
    alone, alone_index, _ = read(KNOWLEDGE, processes=1)
    kb, index, reader = read(KNOWLEDGE, processes=2)
    assert reader.chunks_from_workers > 0
    assert kb == alone
    assert [t.source_file for t in kb.topics] == [t.source_file for t in alone.topics]
    own = Matcher(kb).index  # built from the texts, one process, as before bulkload existed
    assert alone_index is not None and index is not None
    assert same_index(alone_index, own) and same_index(index, own)


def test_every_problem_is_reported_as_one_process_reports_it(spread, knowledge_copy):
    topics = knowledge_copy / "topics"
    (topics / "aaa-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (topics / "empty.yaml").write_text("", encoding="utf-8")
    (topics / "latin1.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    shutil.copy(topics / "stay-calm.yaml", topics / "zz-stay-calm-again.yaml")
    stay_calm = topics / "stay-calm.yaml"
    text = stay_calm.read_text(encoding="utf-8").replace("steps:", "setps:", 1)
    stay_calm.write_text(text.replace("related:", "related:\n  - no-such-topic", 1), "utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    expected = caught.value.problems
    assert len(expected) >= 6
    spread_out, chunks_from_workers = problems(knowledge_copy, processes=2)
    assert chunks_from_workers > 0
    assert spread_out == expected
    assert problems(knowledge_copy, processes=1) == (expected, 0)


def _die(sources):
    """Stands in for bulkload._work in a worker: the process ends without a word."""
    os._exit(3)


def test_a_worker_that_dies_leaves_its_chunks_to_this_process(spread, monkeypatch, caplog):
    monkeypatch.setattr(bulkload, "_work", _die)
    with caplog.at_level(logging.WARNING, logger="coachbot.knowledge.fast.bulkload"):
        kb, index, reader = read(KNOWLEDGE, processes=2)
    assert reader.chunks_from_workers == 0
    assert kb == load_knowledge(KNOWLEDGE)
    assert index is not None and same_index(index, Matcher(kb).index)
    assert "reading on here" in caplog.text


def test_without_processes_this_one_reads_alone(spread, monkeypatch):
    def no_processes(*args, **kwargs):
        raise OSError("processes are not allowed here")

    monkeypatch.setattr(bulkload, "ProcessPoolExecutor", no_processes)
    kb, index, reader = read(KNOWLEDGE, processes=2)
    assert reader.chunks_from_workers == 0
    assert kb == load_knowledge(KNOWLEDGE)
    assert index is not None and same_index(index, Matcher(kb).index)


def test_a_small_knowledge_base_starts_no_process(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a worker process was started for a small knowledge base")

    monkeypatch.setattr(bulkload, "ProcessPoolExecutor", refuse)
    with BulkReader(KNOWLEDGE, processes=8) as reader:
        reader.start()
        LiveKnowledge.load(KNOWLEDGE)
        assert read_knowledge(KNOWLEDGE, parse=reader).kb.topics


def test_no_index_unless_every_topic_was_read_here_with_the_same_synonyms():
    kb, index, reader = read(KNOWLEDGE, processes=1)
    assert index is not None
    fewer = KnowledgeBase(topics=kb.topics[1:], synonyms=kb.synonyms)
    assert reader.index(fewer) is None
    other = KnowledgeBase(topics=kb.topics, synonyms=(SynonymGroup(("yell", "shout")),))
    assert reader.index(other) is None


def test_a_cold_start_and_a_start_through_the_cache_agree(spread, knowledge_copy, tmp_path):
    cold = LiveKnowledge.load(knowledge_copy)
    writing = LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")
    assert cold.kb == writing.kb
    assert same_index(cold.matcher.index, writing.matcher.index)


def test_a_fork_only_while_no_other_thread_runs(monkeypatch):
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert bulkload.start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert bulkload.start_method() == "spawn"


@pytest.mark.parametrize(
    ("files", "cores"),
    [
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu.max": "150000 100000\n"}, 1),
        ({"cpu.max": "400000 100000\n"}, 4),
        ({"cpu.max": "50000 100000\n"}, 0),
        ({"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 2),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu.max": "garbage"}, None),
        ({}, None),
    ],
)
def test_a_containers_cpu_quota_is_respected(tmp_path, files, cores):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert bulkload.cpu_quota(tmp_path) == cores


def test_under_a_quota_of_less_than_two_cores_no_worker_is_started(monkeypatch):
    monkeypatch.setattr(bulkload, "cpu_quota", lambda: 1)
    assert bulkload.available_cores() == 1
    monkeypatch.setattr(bulkload, "cpu_quota", lambda: 0)
    assert bulkload.available_cores() == 1


def test_this_process_does_not_wait_for_a_worker_still_starting(monkeypatch):
    """Not for a chunk, and not when it closes the pool either: the worker is held back until
    the load has returned. (Once it stopped the pool by waiting for the worker to boot, which
    here meant waiting out the worker's 120 s hold on every run.)"""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        pytest.skip("the held-back worker is a fork, and forking needs a single thread")
    context = multiprocessing.get_context("fork")
    gate, waited_out = context.Event(), context.Event()
    start_worker = bulkload._start_worker

    def held_back(*args):
        if not gate.wait(60):  # only if this process waits for the worker: a failure
            waited_out.set()
        start_worker(*args)

    monkeypatch.setattr(bulkload, "_start_worker", held_back)
    monkeypatch.setattr(bulkload, "start_method", lambda: "fork")
    monkeypatch.setattr(bulkload, "PARALLEL_FROM", 1)
    monkeypatch.setattr(bulkload, "CHUNK_FILES", 3)
    try:
        with BulkReader(KNOWLEDGE, processes=2) as reader:
            reader.start()
            kb = read_knowledge(KNOWLEDGE, parse=reader).kb
        assert reader.chunks_from_workers == 0  # nothing was left waiting for it
        assert not waited_out.is_set(), "closing the pool waited for the worker to start"
    finally:
        gate.set()  # the worker may start now, and end
    assert kb == load_knowledge(KNOWLEDGE)
