"""One bot per data folder, checked with real processes: the lock is the OS's, so a second
process is refused, and a killed holder (SIGKILL) leaves no stale lock behind."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from coachbot.errors import CoachError
from coachbot.instance_lock import holder, one_bot_per_data_folder
from coachbot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
HOLD = """
import sys, time
from pathlib import Path
from coachbot.instance_lock import one_bot_per_data_folder
from coachbot.settings import Settings
settings = Settings(data_dir=Path(sys.argv[1]), knowledge_dir=Path("."))
with one_bot_per_data_folder(settings):
    print("holding", flush=True)
    time.sleep(60)
"""


def _holding(data_dir: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "holding\n"
    return child


def test_a_second_process_on_the_same_folder_is_refused_with_a_clear_message(
    settings: Settings,
):
    child = _holding(settings.data_dir)
    try:
        with pytest.raises(CoachError) as refused, one_bot_per_data_folder(settings):
            pass
        assert holder(settings.data_dir) == child.pid
    finally:
        child.kill()
        child.wait()

    message = refused.value.user_message
    assert f"(process {child.pid}) is already running" in message
    assert str(settings.data_dir) in message and "COACHBOT_MULTI_PROCESS=1" in message


def test_a_killed_bot_leaves_no_stale_lock(settings: Settings):
    child = _holding(settings.data_dir)
    child.send_signal(signal.SIGKILL)
    child.wait()

    assert holder(settings.data_dir) is None
    with one_bot_per_data_folder(settings):
        assert holder(settings.data_dir) is not None  # held (by this process) while it runs
    assert holder(settings.data_dir) is None


def test_multi_process_mode_does_not_lock(settings: Settings):
    child = _holding(settings.data_dir)
    try:
        with one_bot_per_data_folder(replace(settings, multi_process=True)):
            entered = True
    finally:
        child.kill()
        child.wait()
    assert entered


def test_postgresql_is_the_multi_process_mode_and_takes_no_lock(settings: Settings):
    child = _holding(settings.data_dir)
    try:
        postgresql = replace(settings, database_url="postgresql://bot@db.example/coachbot")
        with one_bot_per_data_folder(postgresql):
            entered = True
    finally:
        child.kill()
        child.wait()
    assert entered


def test_the_database_url_is_read_and_never_shown():
    url = "postgresql://bot:s3cret@db.example/coachbot"
    settings = Settings.from_env({"COACHBOT_DATA_DIR": "data", "COACHBOT_DATABASE_URL": url})
    assert settings.database_target == url
    assert "s3cret" not in repr(settings)
    unset = Settings.from_env({"COACHBOT_DATA_DIR": "data"})
    assert unset.database_target == Path("data") / "coachbot.sqlite3"  # as before


def test_the_settings_switches_are_opt_in():
    base = {"COACHBOT_DATA_DIR": "data"}
    assert not Settings.from_env(base).multi_process
    assert not Settings.from_env(base).members_intent
    on = Settings.from_env(
        {**base, "COACHBOT_MULTI_PROCESS": "1", "COACHBOT_MEMBERS_INTENT": "yes"}
    )
    assert on.multi_process and on.members_intent
    assert not Settings.from_env({**base, "COACHBOT_MULTI_PROCESS": "0"}).multi_process


def test_no_lock_file_means_no_bot(tmp_path: Path):
    assert holder(tmp_path / "never-made") is None
    assert not (tmp_path / "never-made").exists()  # doctor's question creates nothing
