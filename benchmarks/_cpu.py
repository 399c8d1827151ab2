"""CPU time of the bot processes for `make load`: which core each runs on, and what it costs.

On a shared machine a wall-clock p99 also measures the neighbours; CPU time does not. Linux
only (/proc and sched_setaffinity); elsewhere every figure is None and nothing is pinned.

- `cores(n)`: the cores to pin n bots to, and the ones left for the driver.
- `cpu_seconds(pid)`: CPU the process has used, every thread (nanoseconds from schedstat,
  so that one ask of a few milliseconds is measurable; /proc/<pid>/stat counts 10 ms ticks).
- `CpuSampler`: the busiest stretch of the run, as a share of one core.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path


def _start_cores() -> list[int]:
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return []


# Read once, before `pin(0, ...)` narrows this process to the driver's cores: read again after
# the first run it would leave the next runs one core, shared by the bots and the driver.
_START_CORES = _start_cores()


def available_cores() -> list[int]:
    """The cores this process could use when it started, whatever it was pinned to since."""
    return list(_START_CORES)


def cores(bots: int) -> tuple[list[set[int]], set[int]]:
    """The cores for each bot and for the driver (the fake Discord and the agents): a core of
    its own for each bot (the last ones) and the rest for the driver while there are more
    cores than bots; else the bots spread over every core and the driver is not pinned (it
    then shares the cores with them, and the report says so)."""
    found = available_cores()
    if not found:
        return [set()] * bots, set()
    if len(found) > bots:
        return [{core} for core in found[len(found) - bots :]], set(found[: len(found) - bots])
    return [{found[n % len(found)]} for n in range(bots)], set(found)


def pin(pid: int, chosen: set[int]) -> bool:
    """Pin every thread of `pid` (0: this process) to `chosen`; False where it cannot."""
    if not chosen:
        return False
    pids = [pid or os.getpid()]
    with contextlib.suppress(OSError):
        pids = [int(t) for t in os.listdir(f"/proc/{pids[0]}/task")]
    try:
        for task in pids:
            try:
                os.sched_setaffinity(task, chosen)
            except ProcessLookupError:  # a thread that ended since /proc was listed
                continue
    except (AttributeError, OSError):
        return False
    return True


def affinity(pid: int) -> set[int] | None:
    try:
        return set(os.sched_getaffinity(pid))
    except (AttributeError, OSError):
        return None


def cpu_seconds(pid: int) -> float | None:
    """CPU time of every live thread of `pid` so far (schedstat), None where unknown."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    total = 0
    for task in tasks:
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
    return total / 1e9


@dataclass
class CpuSampler:
    """Samples the processes' CPU every `period` s; `peak(start, end)` is the busiest sample
    between two perf_counter() times, as a share of one core (1.0 = a whole core)."""

    pids: list[int]
    period: float = 0.25
    samples: list[tuple[float, list[float]]] = field(default_factory=list)  # (time, shares)
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        before = [cpu_seconds(pid) for pid in self.pids]
        at = time.perf_counter()  # the clock the interaction records use
        while True:
            await asyncio.sleep(self.period)
            now = [cpu_seconds(pid) for pid in self.pids]
            t = time.perf_counter()
            shares = [
                (b - a) / (t - at) if a is not None and b is not None else 0.0
                for a, b in zip(before, now, strict=True)
            ]
            self.samples.append((t, shares))
            before, at = now, t

    def peak(self, start: float, end: float) -> list[float]:
        """Each process's busiest sample that overlaps [start, end] (zeros when none)."""
        inside = [s for t, s in self.samples if start <= t <= end + self.period]
        return [max(col) for col in zip(*inside, strict=True)] if inside else [0.0] * len(self.pids)
