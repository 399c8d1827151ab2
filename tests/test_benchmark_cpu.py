"""make load pins each bot to a core and the driver to the rest, run after run."""

from __future__ import annotations

import os

import pytest

from benchmarks import _cpu

needs_two_cores = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs Linux and at least two usable cores",
)


@needs_two_cores
def test_a_second_run_gets_the_same_cores_after_the_driver_was_pinned() -> None:
    before = os.sched_getaffinity(0)
    try:
        first_bots, first_driver = _cpu.cores(1)
        assert _cpu.pin(0, first_driver)  # what shift_load does before starting the bots
        second_bots, second_driver = _cpu.cores(1)
    finally:
        os.sched_setaffinity(0, before)
    assert (second_bots, second_driver) == (first_bots, first_driver)
    assert not second_bots[0] & second_driver  # the bot keeps a core of its own
