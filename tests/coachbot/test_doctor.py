"""`coachbot doctor` says in plain words what is missing or broken, and never the token."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from coachbot import doctor
from coachbot.cli import main
from coachbot.doctor import Status
from coachbot.knowledge.scaffold import new_topic
from coachbot.settings import Settings
from coachbot.store.database import Database, migrations
from tests.conftest import KNOWLEDGE

TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456"


def by_name(checks: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.name: c for c in checks}


@pytest.fixture
def fresh(tmp_path: Path) -> Settings:
    """A first start: no token, no data folder, the bundled knowledge base."""
    return Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)


async def healthy_setup(settings: Settings) -> Settings:
    database = await Database.open(settings.database_path)
    await database.close()
    settings.data_dir.chmod(0o700)
    settings.database_path.chmod(0o600)
    return replace(settings, discord_token=TOKEN)


def test_a_fresh_setup_says_what_is_missing_and_what_will_be_created(fresh, tmp_path):
    checks = by_name(doctor.run_checks(fresh, workdir=tmp_path))

    token = checks["Discord token"]
    assert token.status is Status.WARN
    assert "not set" in token.message and "DISCORD_TOKEN=... in .env" in token.message
    assert checks["Data folder"].status is Status.OK
    assert "will be created" in checks["Data folder"].message
    assert checks["Database"].message.endswith("not created yet: it will be created on first run.")
    assert checks["Knowledge base"].status is Status.OK
    assert doctor.exit_code(list(checks.values())) == 0
    assert not fresh.data_dir.exists()  # the doctor only looks


async def test_a_healthy_setup_is_all_ok_and_the_token_is_never_printed(fresh, tmp_path):
    settings = await healthy_setup(fresh)

    checks = doctor.run_checks(settings, workdir=tmp_path)
    output = doctor.render(checks)

    assert [c.status for c in checks] == [Status.OK] * len(checks), output
    assert output.endswith("All good.") and TOKEN not in output and TOKEN[:10] not in output
    version = len(migrations())
    assert f"integrity ok, schema version {version}" in by_name(checks)["Database"].message


def test_a_corrupted_database_file_fails_with_what_to_do(fresh, tmp_path):
    fresh.data_dir.mkdir(mode=0o700)
    fresh.database_path.write_bytes(b"this is not a database" * 200)

    database = by_name(doctor.run_checks(fresh, workdir=tmp_path))["Database"]

    assert database.status is Status.FAIL
    assert "damaged" in database.message and "coachbot backup" in database.message


async def test_damaged_pages_fail_the_integrity_check(fresh, tmp_path):
    settings = await healthy_setup(fresh)
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.executemany(
            "INSERT INTO asks (day, question, topic_id, confidence, answered)"
            " VALUES (?, ?, ?, ?, ?)",
            [("2026-11-23", f"question {i} " + "x" * 200, None, 0.1, 0) for i in range(400)],
        )
    connection.close()
    data = bytearray(settings.database_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(3, len(data) // page_size, 2):  # scribble over every other page
        data[page * page_size + 8 : page * page_size + 40] = b"\xff" * 32
    settings.database_path.write_bytes(bytes(data))

    database = by_name(doctor.run_checks(settings, workdir=tmp_path))["Database"]

    assert database.status is Status.FAIL, database.message
    assert "restore your latest backup" in database.message


async def test_a_database_newer_than_the_code_fails(fresh, tmp_path):
    settings = await healthy_setup(fresh)
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute(f"PRAGMA user_version = {len(migrations()) + 1}")
    connection.close()

    database = by_name(doctor.run_checks(settings, workdir=tmp_path))["Database"]

    assert database.status is Status.FAIL and "Update CoachBot" in database.message


async def test_an_older_database_is_ok_and_will_be_upgraded(fresh, tmp_path):
    settings = await healthy_setup(fresh)
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute("PRAGMA user_version = 1")
    connection.close()

    database = by_name(doctor.run_checks(settings, workdir=tmp_path))["Database"]

    assert database.status is Status.OK and "upgrades it to" in database.message


UNWRITABLE = Path("/proc/self")  # not writable even by root


@pytest.mark.skipif(not UNWRITABLE.is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("folder", [UNWRITABLE, UNWRITABLE / "coachbot-data"])
def test_a_data_folder_that_cannot_be_written_or_created_fails(folder, tmp_path):
    settings = Settings(data_dir=folder, knowledge_dir=KNOWLEDGE)

    checks = doctor.run_checks(settings, workdir=tmp_path)

    data = by_name(checks)["Data folder"]
    assert data.status is Status.FAIL and "COACHBOT_DATA_DIR" in data.message
    assert doctor.exit_code(checks) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_data_folder_fails(fresh, tmp_path):
    fresh.data_dir.mkdir(mode=0o500)
    try:
        data = by_name(doctor.run_checks(fresh, workdir=tmp_path))["Data folder"]
    finally:
        fresh.data_dir.chmod(0o700)
    assert data.status is Status.FAIL and "not writable" in data.message


async def test_folders_and_files_open_to_everyone_get_a_warning_with_the_fix(fresh, tmp_path):
    settings = await healthy_setup(fresh)
    settings.data_dir.chmod(0o755)
    settings.database_path.chmod(0o644)
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\n")
    (tmp_path / ".env").chmod(0o644)

    checks = by_name(doctor.run_checks(settings, workdir=tmp_path))

    assert checks["Data folder"].status is Status.WARN
    assert f"chmod 700 {settings.data_dir}" in checks["Data folder"].message
    assert checks["Database"].status is Status.WARN and "chmod 600" in checks["Database"].message
    assert checks[".env file"].status is Status.WARN and "chmod 600" in checks[".env file"].message


def test_a_broken_knowledge_base_fails_with_file_and_line(fresh, tmp_path, knowledge_copy):
    topic = knowledge_copy / "topics" / "stay-calm.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("\nsteps:", "\nsetps:"))

    checks = doctor.run_checks(replace(fresh, knowledge_dir=knowledge_copy), workdir=tmp_path)

    knowledge = by_name(checks)["Knowledge base"]
    assert knowledge.status is Status.FAIL
    assert "stay-calm.yaml:" in knowledge.message and "unknown key 'setps'" in knowledge.message
    assert doctor.exit_code(checks) == 1


def test_draft_topics_are_named_as_not_served_and_fail_nothing(fresh, tmp_path, knowledge_copy):
    new_topic(knowledge_copy, "late-refund", None, date(2026, 11, 23))
    new_topic(knowledge_copy, "lost-parcel", None, date(2026, 11, 23))

    checks = doctor.run_checks(replace(fresh, knowledge_dir=knowledge_copy), workdir=tmp_path)

    knowledge = by_name(checks)["Knowledge base"]
    assert knowledge.status is Status.OK
    assert knowledge.message.endswith("; 2 draft topics not served: late-refund, lost-parcel")


@pytest.mark.parametrize("token", ["hunter2-password", "Bot abc.def"])
def test_a_token_of_the_wrong_shape_gets_a_warning_without_showing_it(token):
    check = doctor.check_token(token)
    assert check.status is Status.WARN and "does not look like a bot token" in check.message
    assert token not in check.message


def test_old_python_fails():
    assert doctor.check_python((3, 10, 4)).status is Status.FAIL
    assert doctor.check_python((3, 12, 0)).status is Status.OK


def test_the_command_prints_the_checks_and_exits_by_the_result(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COACHBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACHBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)

    assert main(["doctor"]) == 0
    fine = capsys.readouterr()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "coachbot.sqlite3").write_text("garbage")
    assert main(["doctor"]) == 1
    broken = capsys.readouterr()

    assert "OK    Discord token: set (not shown)" in fine.out
    assert "FAIL  Database:" in broken.out and "1 problem to fix" in broken.out
    assert TOKEN not in fine.out + fine.err + broken.out + broken.err


def test_sharding_is_shown_and_a_mistake_fails_with_the_fix(fresh):
    assert "Discord shards" not in by_name(doctor.run_checks(fresh))  # not sharded: no line

    half = by_name(doctor.run_checks(replace(fresh, shard_count="2", shard_ids="1")))
    assert half["Discord shards"].status is Status.OK
    assert "shard 1 of 2" in half["Discord shards"].message
    assert "other processes" in half["Discord shards"].message

    wrong = by_name(doctor.run_checks(replace(fresh, shard_count="2", shard_ids="2")))
    assert wrong["Discord shards"].status is Status.FAIL
    assert "numbered 0 to 1" in wrong["Discord shards"].message


# ---- Slack ------------------------------------------------------------------------------------

BOT = "xoxb-1111-2222-abcdefABCDEF"
APP = "xapp-1-A0001-3333-0123456789abcdef"
SECRET = "0123456789abcdef0123456789abcdef"


def slack_checks(tmp_path: Path, **env: str) -> dict[str, doctor.Check]:
    settings = Settings.from_env(
        {"COACHBOT_DATA_DIR": str(tmp_path), "COACHBOT_KNOWLEDGE_DIR": str(KNOWLEDGE), **env}
    )
    found = by_name(doctor.run_checks(settings, workdir=tmp_path))
    text = doctor.render(list(found.values()))
    for secret in (BOT, APP, SECRET, *env.values()):
        if secret.startswith(("xox", "xapp")) or len(secret) == 32:
            assert secret not in text  # never a secret, whatever the outcome
    return {name: check for name, check in found.items() if name.startswith("Slack")}


def test_no_slack_settings_no_slack_lines(tmp_path):
    assert slack_checks(tmp_path) == {}


def test_socket_mode_with_the_right_tokens_is_fine(tmp_path):
    found = slack_checks(
        tmp_path,
        SLACK_BOT_TOKEN=BOT,
        SLACK_APP_TOKEN=APP,
        COACHBOT_SLACK_TRAINER_GROUP="@coach-trainers",
    )
    assert {name: c.status for name, c in found.items()} == {
        "Slack bot token": Status.OK,
        "Slack connection": Status.OK,
        "Slack trainers": Status.OK,
    }
    assert "Socket Mode" in found["Slack connection"].message
    assert found["Slack trainers"].message.endswith("the members of @coach-trainers")


def test_http_mode_names_the_port_and_the_path(tmp_path):
    found = slack_checks(
        tmp_path, SLACK_BOT_TOKEN=BOT, SLACK_SIGNING_SECRET=SECRET, COACHBOT_SLACK_PORT="8080"
    )
    assert found["Slack connection"].status is Status.OK
    assert ":8080/slack/events" in found["Slack connection"].message
    assert "Slack port" not in found
    assert "admins and owners only" in found["Slack trainers"].message


@pytest.mark.parametrize(
    ("env", "name", "status", "words"),
    [
        ({"SLACK_APP_TOKEN": APP}, "Slack bot token", Status.FAIL, "SLACK_BOT_TOKEN is not set"),
        (
            {"SLACK_BOT_TOKEN": APP, "SLACK_APP_TOKEN": APP},
            "Slack bot token",
            Status.FAIL,
            "an app-level token, not a bot token",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxp-9-9", "SLACK_APP_TOKEN": APP},
            "Slack bot token",
            Status.FAIL,
            "a user token",
        ),
        ({"SLACK_BOT_TOKEN": BOT}, "Slack connection", Status.FAIL, "neither SLACK_APP_TOKEN"),
        (
            {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": BOT},
            "Slack connection",
            Status.FAIL,
            "it is a bot token, not an app-level token",
        ),
        (
            {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET},
            "Slack connection",
            Status.WARN,
            "Keep only the one you mean",
        ),
        (
            {"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "xoxb-pasted-here"},
            "Slack connection",
            Status.WARN,
            "does not look like a signing secret",
        ),
        (
            {"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET, "COACHBOT_SLACK_PORT": "30o0"},
            "Slack port",
            Status.FAIL,
            "COACHBOT_SLACK_PORT=30o0 is not a port number",
        ),
        (
            {
                "SLACK_BOT_TOKEN": BOT,
                "SLACK_APP_TOKEN": APP,
                "COACHBOT_SLACK_TRAINER_GROUP": "Coach Trainers",
            },
            "Slack trainers",
            Status.WARN,
            "not a user-group handle",
        ),
    ],
)
def test_each_slack_mistake_is_named_with_the_fix(tmp_path, env, name, status, words):
    check = slack_checks(tmp_path, **env)[name]
    assert check.status is status and words in check.message


@pytest.mark.parametrize(
    ("env", "starts"),
    [
        ({}, "starts the local chat"),
        ({"DISCORD_TOKEN": TOKEN}, "starts Discord."),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP}, "starts Slack."),
        (
            {"DISCORD_TOKEN": TOKEN, "SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP},
            "starts Discord and Slack, in one process.",
        ),
    ],
)
def test_the_run_mode_says_what_coachbot_run_starts(tmp_path, env, starts):
    settings = Settings.from_env(
        {"COACHBOT_DATA_DIR": str(tmp_path), "COACHBOT_KNOWLEDGE_DIR": str(KNOWLEDGE), **env}
    )
    output = doctor.render(doctor.run_checks(settings, workdir=tmp_path))

    assert f"OK    Run mode: `coachbot run` {starts}" in output
    if "SLACK_BOT_TOKEN" in env:  # Slack alone is not the local chat
        assert "local chat" not in output
