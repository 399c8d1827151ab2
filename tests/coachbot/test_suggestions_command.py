"""`coachbot kb suggestions` in the terminal, as a trainer uses it, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.settings import Settings
from coachbot.suggestions import CLARIFY, DECLINE
from tests.coachbot.test_cli import run
from tests.coachbot.test_suggestions import DECLINED, TOPIC

OTHER = "an old man writes to us about the meter daily, call him on 07700 900123"


@pytest.fixture
async def picked(tmp_path: Path, knowledge_copy: Path) -> Path:
    """Agents picked TOPIC for DECLINED twice and for OTHER once (a phone number in it)."""
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_copy)
    app = await App.create(settings)
    try:
        assert app.suggestions is not None
        await app.suggestions.record_pick(DECLINED, TOPIC, DECLINE)
        await app.suggestions.record_pick(DECLINED, TOPIC, CLARIFY)
        await app.suggestions.record_pick(OTHER, TOPIC, CLARIFY)
    finally:
        await app.close()
    return knowledge_copy


def test_a_trainer_lists_accepts_and_rejects_and_the_declined_question_is_answered(
    tmp_path, picked
):
    before = run(["ask", "--json", DECLINED], tmp_path, knowledge=picked)
    assert not json.loads(before.stdout)["answered"]

    listed = run(["kb", "suggestions"], tmp_path, knowledge=picked)

    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("2 suggestions, most picked first.")
    assert any(line.startswith(f"{TOPIC}: ") for line in lines)
    assert lines[lines.index(f"     1  {DECLINED}") + 1].strip() == (
        "picked 2 times: 1 after a clarify, 1 after a decline"
    )
    assert "900123" not in listed.stdout and "[phone]" in listed.stdout

    decided = run(
        ["kb", "suggestions", "--accept", "1", "--reject", "2"], tmp_path, knowledge=picked
    )

    assert decided.returncode == 0, decided.stderr
    assert decided.stdout.splitlines() == [
        f"Accepted 1: added to {Path('knowledge', 'topics', TOPIC + '.yaml')}. "
        "A running bot reloads it on its own (or run /kb reload).",
        "Rejected 2: it will not be proposed again.",
    ]
    after = json.loads(run(["ask", "--json", DECLINED], tmp_path, knowledge=picked).stdout)
    assert after["answered"] and after["topic"] == TOPIC
    assert "No suggestions." in run(["kb", "suggestions"], tmp_path, knowledge=picked).stdout
    assert run(["kb", "lint", str(picked)], tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--accept", "99"], 1, "There is no suggestion 99."),
        (["--accept", "x"], 2, "'x' is not a suggestion number"),
        (["--accept", "1", "--reject", "1"], 2, "Suggestion 1 is both accepted and rejected"),
        (["--topic", "nope"], 1, "There is no topic 'nope'"),
    ],
)
def test_bad_numbers_say_what_is_wrong_and_change_nothing(tmp_path, picked, args, code, message):
    before = (picked / "topics" / f"{TOPIC}.yaml").read_bytes()
    done = run(["kb", "suggestions", *args], tmp_path, knowledge=picked)
    assert done.returncode == code
    assert message in done.stderr and "Traceback" not in done.stderr
    assert (picked / "topics" / f"{TOPIC}.yaml").read_bytes() == before


def test_one_topic_only(tmp_path, picked):
    done = run(["kb", "suggestions", "--topic", "long-wait"], tmp_path, knowledge=picked)
    assert done.returncode == 0 and done.stdout.startswith("No suggestions.")
