"""make load pins each bot to a core and the driver to the rest, run after run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import _cpu

needs_two_cores = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs Linux and at least two usable cores",
)


CHILD = """
from benchmarks import _cpu
first = _cpu.cores(1)
assert _cpu.pin(0, first[1])  # what shift_load does before starting the bots
second = _cpu.cores(1)
assert second == first, (first, second)
assert not second[0][0] & second[1]  # the bot keeps a core of its own
print("ok")
"""


@needs_two_cores
def test_a_second_run_gets_the_same_cores_after_the_driver_was_pinned() -> None:
    """In a child process: pinning changes the affinity of every thread of the process that
    pins, which must not leak into the test runner."""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_pinning_skips_a_thread_that_ended_meanwhile(monkeypatch) -> None:
    calls = []

    def setaffinity(task: int, chosen: set[int]) -> None:
        calls.append(task)
        if len(calls) == 1:
            raise ProcessLookupError(task)

    monkeypatch.setattr(os, "sched_setaffinity", setaffinity, raising=False)
    monkeypatch.setattr(os, "listdir", lambda path: ["11", "12"])
    assert _cpu.pin(0, {0})
    assert calls == [11, 12]
