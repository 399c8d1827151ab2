"""`coachbot ask` speaks like a one-shot command, and `ask --json` keeps its contract for
input that is not a question."""

from __future__ import annotations

import json

from tests.coachbot.test_cli import run


def test_ask_json_answers_non_questions_like_greetings(tmp_path):
    lines = ["hi", "no", "yes", "question", "clear", "/ask", "!help", "exit", "test"]
    done = run(["ask", "--json"], tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["question"] for o in objects] == lines
    for obj in objects:
        assert (obj["answered"], obj["topic"], obj["alternatives"]) == (False, None, [])
        assert obj["confidence"] == 0.0


def test_ask_json_reads_past_mentions_and_lists_no_topics_for_an_off_topic_question(tmp_path):
    lines = ["@everyone customer keeps screaming at me", "what is the capital of France"]
    done = run(["ask", "--json"], tmp_path, stdin="\n".join(lines) + "\n")
    mention, france = (json.loads(line) for line in done.stdout.splitlines())
    assert mention["question"] == lines[0]  # each line comes back as it was given
    assert mention["answered"] and mention["topic"] == "stay-calm"
    assert not france["answered"] and france["alternatives"] == []


def test_one_shot_replies_name_commands_to_run_not_chat_words(tmp_path):
    topics = run(["ask", "topics"], tmp_path)
    assert "`coachbot topics`" in topics.stdout and "Steps:" not in topics.stdout
    hello = run(["ask", "hi"], tmp_path)
    assert 'coachbot ask "' in hello.stdout
    assert "quiz (a practice question)" not in hello.stdout  # the chat's own commands
    declined = run(["ask", "customer is screaming at me about my payroll"], tmp_path)
    assert "coachbot ask <topic id>" in declined.stdout
    assert "type a topic id" not in declined.stdout
    nothing_near = run(["ask", "what is the capital of France"], tmp_path)
    assert "Run `coachbot topics`" in nothing_near.stdout
    opened = run(["ask", "stay-calm"], tmp_path)  # what a decline tells you to run
    assert "Steps:" in opened.stdout and "Topic: stay-calm" in opened.stdout
    no = run(["ask", "no"], tmp_path)
    assert "doesn't look like a question" in no.stdout and "Steps:" not in no.stdout


def test_ask_json_writes_the_ask_log_in_batches_and_all_of_it_at_the_end(tmp_path, monkeypatch):
    import io
    import os
    import sqlite3
    import sys

    from coachbot import cli
    from coachbot.store.database import SQLiteDatabase
    from tests.coachbot.test_cli import environment

    writes: list[int] = []
    real_execute, real_executemany = SQLiteDatabase.execute, SQLiteDatabase.executemany

    async def execute(self, sql, params=()):
        if sql.startswith("INSERT INTO asks"):
            writes.append(1)
        return await real_execute(self, sql, params)

    async def executemany(self, sql, rows):
        if sql.startswith("INSERT INTO asks"):
            writes.append(len(rows))
        await real_executemany(self, sql, rows)

    monkeypatch.setattr(SQLiteDatabase, "execute", execute)
    monkeypatch.setattr(SQLiteDatabase, "executemany", executemany)
    for key in [k for k in os.environ if k.startswith(("DISCORD", "COACHBOT"))]:
        monkeypatch.delenv(key)
    for key, value in environment(tmp_path).items():
        if key.startswith("COACHBOT"):
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    lines = ["customer keeps screaming at me", "customer wants a refund"] * 30
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))

    assert cli.main(["ask", "--json"]) == 0

    assert sum(writes) == len(lines) and len(writes) <= 2  # not one write per line
    with sqlite3.connect(tmp_path / "data" / "coachbot.sqlite3") as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM asks").fetchone()
    assert count == len(lines)


def test_ctrl_c_ends_ask_json_and_keeps_every_answered_question_in_the_log(tmp_path):
    import signal
    import sqlite3
    import subprocess
    import sys

    from tests.coachbot.test_cli import environment

    process = subprocess.Popen(
        [sys.executable, "-m", "coachbot.cli", "ask", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment(tmp_path),
    )
    questions = ["customer keeps screaming at me", "how do I configure the VPN"]
    try:
        for question in questions:  # each answered before the next is typed
            process.stdin.write(f"{question}\n".encode())
            process.stdin.flush()
            assert json.loads(process.stdout.readline())["question"] == question
        process.send_signal(signal.SIGINT)  # input still open: the agent presses Ctrl+C
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130 and b"Traceback" not in err
    with sqlite3.connect(tmp_path / "data" / "coachbot.sqlite3") as connection:
        logged = [row[0] for row in connection.execute("SELECT question FROM asks ORDER BY id")]
    assert logged == questions
