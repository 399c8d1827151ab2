"""Cold loading of a big knowledge base: topic files parsed, validated and analysed for the
index a chunk at a time, by this process and worker processes side by side.

Why: a start without the compiled cache is YAML, validation and text analysis, one file
after another, all Python; at 10,000 topics that is seconds of one core. Worker processes take
chunks from the front of the file list while this process takes them from the back, so
nobody waits: a worker gets chunks only once it is up, and chunks it has not started yet are
taken back at the end. Each chunk's topics are analysed into index rows where they were read,
so only numbers come back, and the index is built from them (`index`). A small knowledge base
is read here alone, since starting a process costs more than it saves.

Reference: `matcher.Matcher._build_index` for the index (one process, from the topics), and
`loader.read_topic_files` for the outcomes and problems (one file after another).
tests/coachbot/knowledge/fast/test_bulkload.py holds them equal, bit for bit (see this
package's table).
"""

from __future__ import annotations

import ctypes
import dataclasses
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import numpy as np

from coachbot.knowledge.fast.terms import BulkTerms
from coachbot.knowledge.index import Index, TermRows, paused_gc
from coachbot.knowledge.loader import (
    SYNONYMS_FILE,
    Outcome,
    TopicFile,
    TopicSource,
    read_topic_files,
)
from coachbot.knowledge.matcher import card_text
from coachbot.knowledge.models import KnowledgeBase, SynonymGroup, Topic
from coachbot.knowledge.text import Analyzer
from coachbot.knowledge.validator import read_synonyms
from coachbot.knowledge.yamlsource import display_path, knowledge_root, read_node

log = logging.getLogger(__name__)

PARALLEL_FROM = 1_000  # topic files to parse before a worker process earns its start-up
CHUNK_FILES = 200  # small enough that the last chunks leave nobody waiting long
IN_FLIGHT = 4  # chunks queued per worker; a chunk not started yet can still be taken back
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Chunk(NamedTuple):
    """What reading one chunk of topic files gives: outcomes, and the index rows of its topics."""

    outcomes: list[Outcome]
    process: int  # the process whose term numbering the rows use
    first_name: int  # that numbering's number of `names[0]`
    names: list[str]  # the terms it numbered while reading this chunk
    examples: TermRows | None  # each valid topic's title and questions, in file order
    cards: TermRows | None  # each valid topic's card (None: given to an index)


def available_cores() -> int:
    """Cores this process may run on: its CPU affinity, and a container's CPU quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    quota = cpu_quota()
    return max(1, cores if quota is None else min(cores, quota))


def cpu_quota(cgroup: Path = Path("/sys/fs/cgroup")) -> int | None:
    """Whole cores a cgroup allows (a container's `--cpus`), rounded down; None: no limit."""
    try:  # cgroup v2: "max 100000", or "<quota> <period>" in microseconds
        quota, period = (cgroup / "cpu.max").read_text().split()
    except (OSError, ValueError):
        try:  # cgroup v1
            quota = (cgroup / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (cgroup / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    try:
        return None if quota in ("max", "-1") else int(quota) // int(period)
    except (ValueError, ZeroDivisionError):
        return None


class BulkReader:
    """The loader's `parse` (see `read_knowledge`), keeping index rows for `index`.

    `processes` is how many processes may read at once, this one included (default: one per
    available core). Use it as a context manager: `start` may start worker processes early,
    and leaving the block stops them.
    """

    def __init__(self, directory: Path, *, processes: int | None = None) -> None:
        self.directory = Path(directory)
        self.processes = available_cores() if processes is None else max(processes, 1)
        self.synonyms: tuple[SynonymGroup, ...] | None = None  # as read for the analysis
        self._terms: BulkTerms | None = None  # this process's numbering
        self._chunks: list[Chunk] = []
        self._pool: ProcessPoolExecutor | None = None
        self._ready: Future | None = None  # done once a worker has started

    def __enter__(self) -> BulkReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers now if the topics folder is big, so they are ready by the time
        the loader has listed the files (it will parse them all: there is no cache)."""
        if self.processes > 1 and _count_topic_files(self.directory) >= PARALLEL_FROM:
            self._start_pool()

    def close(self) -> None:
        """Stop the workers. Waits for them only if one started: a worker still booting has
        nothing this process needs, and ends on its own once it is up (or with this process)."""
        if self._pool is not None:
            started = self._ready is not None and self._ready.done()
            self._pool.shutdown(wait=started, cancel_futures=True)
            self._pool = self._ready = None

    def __call__(self, sources: list[TopicSource]) -> list[Outcome]:
        if not sources:  # all from the compiled cache
            self.close()
            return []
        chunks = [sources[i : i + CHUNK_FILES] for i in range(0, len(sources), CHUNK_FILES)]
        if self.processes > 1 and len(sources) >= PARALLEL_FROM:
            self._chunks = self._with_workers(chunks)
        else:
            terms = self._own_terms()
            self._chunks = [_read_chunk(chunk, terms) for chunk in chunks]
        self.close()
        return [outcome for chunk in self._chunks for outcome in chunk.outcomes]

    @property
    def chunks_from_workers(self) -> int:
        """How many chunks of the last `parse` worker processes read."""
        return sum(chunk.process != os.getpid() for chunk in self._chunks)

    def index(self, kb: KnowledgeBase) -> Index | None:
        """The matcher's index of `kb` from the rows read, or None unless every topic of `kb`
        was read here (some came from the compiled cache, say) with the same synonyms.

        The rows go into the index (to spare memory), so there is one index per read."""
        read = [
            e.topic for chunk in self._chunks for e, _ in chunk.outcomes if type(e) is TopicFile
        ]
        if (
            any(chunk.examples is None for chunk in self._chunks)  # given to an index before
            or len(read) != len(kb.topics)
            or any(a is not b for a, b in zip(read, kb.topics, strict=True))
            or kb.synonyms != (self.synonyms or ())
        ):
            return None
        numbers: dict[str, int] = {}

        def number(term: str) -> int:
            return numbers.setdefault(term, len(numbers))

        # one numbering for all: each process's own numbers mapped into it
        names: dict[int, list[str]] = {}
        for chunk in sorted(self._chunks, key=lambda chunk: chunk.first_name):
            known = names.setdefault(chunk.process, [""])
            if len(known) != chunk.first_name:
                return None  # cannot happen: each process numbers on from its last chunk
            known += chunk.names
        mapped = {
            process: np.fromiter(map(number, terms), dtype=np.int64, count=len(terms))
            for process, terms in names.items()
        }
        # the out-of-scope examples are the last owner's rows
        here = BulkTerms(Analyzer.from_synonyms(kb.synonyms))
        out_of_scope = TermRows.of(here.rows(kb.out_of_scope))
        here_numbers = np.fromiter(map(number, here.names), dtype=np.int64, count=len(here.names))
        examples = [(chunk.examples, mapped[chunk.process]) for chunk in self._chunks]
        examples.append((out_of_scope, here_numbers))
        cards = [(chunk.cards, mapped[chunk.process]) for chunk in self._chunks]
        example_rows, card_rows = TermRows.joined(examples), TermRows.joined(cards)
        # the chunks' rows are in those now: let them go before the index needs the memory
        del examples, cards, out_of_scope
        self._chunks = [chunk._replace(examples=None, cards=None) for chunk in self._chunks]
        oos = len(kb.topics)
        rows_per_owner = [1 + len(topic.questions) for topic in kb.topics]
        owners = np.repeat(np.arange(oos + 1), [*rows_per_owner, len(kb.out_of_scope)])
        return Index.from_rows(example_rows, owners, card_rows, oos + 1, list(numbers))

    def _own_terms(self) -> BulkTerms:
        if self._terms is None:
            if self.synonyms is None:
                self.synonyms = _synonyms(self.directory)
            self._terms = BulkTerms(Analyzer.from_synonyms(self.synonyms))
        return self._terms

    def _start_pool(self) -> ProcessPoolExecutor | None:
        """The worker processes, booting (None if this system cannot start any)."""
        if self._pool is None and self.processes > 1:
            terms = self._own_terms()
            try:
                self._pool = ProcessPoolExecutor(
                    self.processes - 1,
                    mp_context=multiprocessing.get_context(start_method()),
                    initializer=_start_worker,
                    initargs=(terms.analyzer, os.getpid()),
                )
                # workers start on demand: demand one now; done once a worker is up
                self._ready = self._pool.submit(int)
            except (OSError, ValueError, NotImplementedError, RuntimeError) as exc:
                log.info("reading the knowledge base in one process: %s", exc)
                self.close()
                self.processes = 1
        return self._pool

    def _with_workers(self, chunks: list[list[TopicSource]]) -> list[Chunk]:
        """Workers take chunks from the front, this process from the back."""
        terms, pool = self._own_terms(), self._start_pool()
        done: list[Chunk | None] = [None] * len(chunks)
        pending: dict[Future, int] = {}
        front, back = 0, len(chunks)
        try:
            while front < back:
                # (nothing for a worker that has not started: this process would wait for it)
                while (
                    pool
                    and self._ready
                    and self._ready.done()
                    and front < back
                    and len(pending) < IN_FLIGHT * (self.processes - 1)
                ):
                    pending[pool.submit(_work, chunks[front])] = front
                    front += 1
                if front < back:
                    back -= 1
                    done[back] = _read_chunk(chunks[back], terms)
                for future in [future for future in pending if future.done()]:
                    done[pending.pop(future)] = _result(future)
            # what the workers have not started yet is quicker done here
            for future in sorted(pending, key=pending.__getitem__, reverse=True):
                if future.cancel():
                    slot = pending.pop(future)
                    done[slot] = _read_chunk(chunks[slot], terms)
            for future, slot in pending.items():
                done[slot] = _result(future)
        except BrokenProcessPool:  # a worker died: this process reads what is left
            pass
        lost = done.count(None)
        if lost:
            log.warning("a knowledge worker process stopped; reading on here (%d chunks)", lost)
        return [
            chunk if chunk is not None else _read_chunk(chunks[slot], terms)
            for slot, chunk in enumerate(done)
        ]


def start_method() -> str:
    """How to start a worker: a fork is ready at once and shares what this process has
    imported, but forking a process with other threads running can leave the child stuck on
    a lock one of them held (a reload runs in a thread, say); then a fresh interpreter."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _result(future: Future) -> Chunk | None:
    """A worker's chunk; None if its process died (the chunk is then read here)."""
    try:
        packed = future.result()
    except BrokenProcessPool:
        return None
    outcomes = [
        (TopicFile(*entry[:3], Topic(*entry[3]), entry[4]) if type(entry) is tuple else entry, p)
        for entry, p in packed.outcomes
    ]
    return packed._replace(outcomes=outcomes)


def _read_chunk(sources: Sequence[TopicSource], terms: BulkTerms) -> Chunk:
    outcomes = read_topic_files(list(sources))
    topics: list[Topic] = [entry.topic for entry, _ in outcomes if type(entry) is TopicFile]
    first = len(terms.names)
    # the matcher's rows (Matcher._build_index): title and questions, then the card
    examples = [text for topic in topics for text in (topic.title, *topic.questions)]
    example_rows = TermRows.of_entries(*terms.flat(examples))
    card_rows = TermRows.of_entries(*terms.flat(map(card_text, topics)))
    return Chunk(outcomes, os.getpid(), first, terms.names[first:], example_rows, card_rows)


_worker_terms: BulkTerms | None = None  # a worker process's numbering, across its chunks


def _start_worker(analyzer: Analyzer, parent: int) -> None:
    global _worker_terms
    die_with_parent(parent)
    _worker_terms = BulkTerms(analyzer)


def die_with_parent(parent: int) -> None:
    """End this worker when the process that started it ends, however it ends.

    Why: a bot killed with SIGKILL mid-load leaves its workers behind otherwise, each stuck
    for ever writing to a pipe nobody reads (it holds the other end itself), with the memory
    of the topics it read. On Linux the kernel sends SIGKILL when the parent goes (strictly:
    when the thread that started the worker ends; the loading thread outlives its workers);
    elsewhere a thread looks at the parent once a second.
    """
    if not _kill_when_parent_dies():
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it was gone before the kernel was asked to tell
        os._exit(1)


def _kill_when_parent_dies() -> bool:
    """prctl(PR_SET_PDEATHSIG, SIGKILL); False where there is no such call."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent: int, interval: float = 1.0) -> None:
    """The portable way: once the parent is gone, this process is adopted by another one."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _work(sources: list[TopicSource]) -> Chunk:
    """A chunk, read in a worker process; its topics as plain tuples, which pickle in a
    third of the time dataclasses take (`_result` makes them topics again)."""
    assert _worker_terms is not None, "started by _start_worker"
    with paused_gc():
        chunk = _read_chunk(sources, _worker_terms)
        fields = attrgetter(*(field.name for field in dataclasses.fields(Topic)))
        outcomes = [  # (a draft or None as it is)
            (
                (e.name, e.size, e.mtime_ns, fields(e.topic), e.related)
                if type(e) is TopicFile
                else e,
                problems,
            )
            for e, problems in chunk.outcomes
        ]
        return chunk._replace(outcomes=outcomes)


def _count_topic_files(directory: Path) -> int:
    try:
        with os.scandir(directory / "topics") as entries:
            return sum(entry.name.endswith((".yaml", ".yml")) for entry in entries)
    except OSError:
        return 0


def _synonyms(directory: Path) -> tuple[SynonymGroup, ...]:
    """The synonym groups, as the loader will read them (it reports any problem)."""
    path = directory / SYNONYMS_FILE
    if not path.is_file():
        return ()
    root, _ = read_node(path, root=knowledge_root(directory))
    if root is None:
        return ()
    groups, _ = read_synonyms(display_path(path), root)
    return groups
