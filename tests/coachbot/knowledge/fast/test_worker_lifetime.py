"""A bulk-load worker dies with the bot: `kill -9` mid-load leaves no process behind.

A bot is started on a cold load of 1,200 topic files, with worker processes, and killed
with SIGKILL while it takes in a worker's first chunk. Its workers must end too (before this,
each stayed for ever, stuck writing to a pipe nobody read, holding 40-70 MB).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE, REPO

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads processes from /proc"
)

# the bot's side: a cold load with one worker, killed from outside as the first chunk comes back
BOT = """
import sys, time
from pathlib import Path
from coachbot.knowledge.fast import bulkload
from coachbot.knowledge.fast.bulkload import BulkReader
from coachbot.knowledge.loader import read_knowledge

if sys.argv[2] == "watchdog":  # as on a system without prctl
    bulkload._kill_when_parent_dies = lambda: False

def killed_here(future):
    print(*reader._pool._processes, flush=True)  # the workers' ids
    time.sleep(3600)  # the test kills this process now

bulkload._result = killed_here
directory = Path(sys.argv[1])
with BulkReader(directory, processes=2) as reader:
    reader.start()
    reader._ready.result(timeout=120)  # the worker is up: it gets chunks
    read_knowledge(directory, parse=reader)
"""


@pytest.fixture(scope="module")
def big_knowledge(tmp_path_factory) -> Path:
    """1,200 topic files: enough for the loader to start workers (PARALLEL_FROM)."""
    target = tmp_path_factory.mktemp("big") / "knowledge"
    (target / "topics").mkdir(parents=True)
    text = (KNOWLEDGE / "topics" / "stay-calm.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^related: .*$", "related: []", text)  # no links to other topics
    for number in range(1200):
        topic_id = f"stay-calm-{number}"
        path = target / "topics" / f"{topic_id}.yaml"
        path.write_text(text.replace("id: stay-calm", f"id: {topic_id}", 1), encoding="utf-8")
    return target


def alive(pid: int) -> bool:
    """Running, or stopped: anything but gone or a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("how", ["prctl", "watchdog"])
def test_workers_end_when_the_bot_is_killed_mid_load(big_knowledge, how):
    bot = subprocess.Popen(
        [sys.executable, "-c", BOT, str(big_knowledge), how],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    workers: list[int] = []
    try:
        line = bot.stdout.readline()
        workers = [int(pid) for pid in line.split()]
        assert workers, "the bot did not get a chunk from a worker"
        assert all(alive(pid) for pid in workers)
        bot.send_signal(signal.SIGKILL)
        bot.wait()
        deadline = time.monotonic() + 60  # a bound on the wait, not a measurement
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in workers if alive(pid)]
        assert left == [], f"workers outlived the bot: {left}"
    finally:
        for pid in workers:  # this test's own processes, if it failed
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        bot.kill()
        bot.wait()
