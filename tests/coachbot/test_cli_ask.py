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
