"""The `coachbot` command as a trainer or an outside evaluator uses it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coachbot.version import version
from tests.conftest import KNOWLEDGE


def environment(tmp_path: Path, knowledge: Path = KNOWLEDGE, **env: str) -> dict[str, str]:
    """This process's environment without any CoachBot or Discord settings, plus `env`."""
    chosen = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD", "COACHBOT"))
    }
    chosen.update(
        COACHBOT_DATA_DIR=str(tmp_path / "data"), COACHBOT_KNOWLEDGE_DIR=str(knowledge), **env
    )
    return chosen


def run(args, tmp_path: Path, stdin: str | bytes = "", knowledge: Path = KNOWLEDGE, **env):
    """The command in a child process; bytes in, bytes out when `stdin` is bytes."""
    return subprocess.run(
        [sys.executable, "-m", "coachbot.cli", *args],
        input=stdin,
        capture_output=True,
        text=isinstance(stdin, str),
        cwd=tmp_path,
        env=environment(tmp_path, knowledge, **env),
        timeout=120,
    )


def test_run_without_a_token_opens_the_local_chat_and_exits_on_quit(tmp_path):
    done = run(["run"], tmp_path, stdin="customer keeps screaming at me\nquit\n")
    assert done.returncode == 0, done.stderr
    assert "Steps:" in done.stdout
    assert "DISCORD_TOKEN" in done.stderr  # says how to connect Discord
    assert "Traceback" not in done.stderr


def test_ask_json_reads_one_question_per_line(tmp_path):
    lines = ["customer keeps screaming at me", "", "what's the wifi password", "x" * 10_000]
    lines.append("case closed last week, do i reach out again or leave it")  # a clarify
    done = run(["ask", "--json"], tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(objects) == len(lines)
    for obj, line in zip(objects, lines, strict=True):
        keys = {"question", "answered", "topic", "confidence", "alternatives", "clarify"}
        assert set(obj) == keys
        assert obj["question"] == line
        assert isinstance(obj["confidence"], float) and 0 <= obj["confidence"] <= 1
    assert objects[0]["answered"] and objects[0]["topic"]
    assert not objects[1]["answered"] and objects[1]["topic"] is None
    assert not objects[2]["answered"]
    assert [obj["clarify"] for obj in objects] == [False, False, False, False, True]
    clarify = objects[4]  # "Which is closest?": not answered, no topic, the choices in order
    assert not clarify["answered"] and clarify["topic"] is None
    assert 2 <= len(clarify["alternatives"]) <= 3


def test_ask_with_a_question_prints_the_card(tmp_path):
    done = run(["ask", "caller", "demands", "a", "manager"], tmp_path)
    assert done.returncode == 0 and "Steps:" in done.stdout


def test_topics_lists_them(tmp_path):
    done = run(["topics"], tmp_path)
    assert done.returncode == 0 and "stay-calm" in done.stdout


def test_kb_lint_passes_on_the_shipped_knowledge(tmp_path):
    done = run(["kb", "lint"], tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("OK:")


@pytest.fixture
def broken_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "broken-kb"
    shutil.copytree(KNOWLEDGE, target)
    path = target / "topics" / "stay-calm.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nsteps:", "\nsetps:"), "utf-8")
    (target / "topics" / "bad.yaml").write_text("id: [oops\n", encoding="utf-8")
    return target


def test_kb_lint_reports_every_problem_with_file_and_line_and_exits_1(tmp_path, broken_knowledge):
    done = run(["kb", "lint", str(broken_knowledge)], tmp_path)
    assert done.returncode == 1
    assert "stay-calm.yaml:" in done.stderr and "did you mean 'steps'?" in done.stderr
    assert "bad.yaml:" in done.stderr and "YAML syntax error" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_knowledge_base_stops_the_bot_before_it_touches_anything(
    tmp_path, broken_knowledge
):
    done = run(["run"], tmp_path, stdin="quit\n", knowledge=broken_knowledge)
    assert done.returncode == 1
    assert "stay-calm.yaml:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()


def test_kb_check_reports_a_hit_rate_per_topic(tmp_path):
    done = run(["kb", "check", "--threshold", "0"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "stay-calm" in done.stdout and "ranked first" in done.stdout


def test_kb_check_fails_under_its_threshold(tmp_path):
    assert run(["kb", "check", "--threshold", "1.01"], tmp_path).returncode == 1


BAD_BYTES = [
    b"customer keeps screaming at me",
    b"bad \xff byte",  # not UTF-8 at all
    b"lone \xed\xa0\x80 surrogate",  # an encoded surrogate: not valid UTF-8 either
    b"half \xe2\x80",  # a character cut short
    b"latin-1 caf\xe9 r\xe9clamation",
    b"",
    b"nul \x00 byte",
    b"customer crying on the phone",
]
LOCALES = [
    {"LC_ALL": "C"},
    {"LC_ALL": "C.UTF-8"},
    {"LC_ALL": "C", "PYTHONUTF8": "0"},
    {"PYTHONIOENCODING": "utf-8"},
    {"PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "latin-1"},
]


@pytest.mark.parametrize("locale", LOCALES, ids=lambda env: " ".join(env.values()))
def test_ask_json_gives_one_line_per_input_line_whatever_the_bytes(tmp_path, locale):
    done = run(["ask", "--json"], tmp_path, stdin=b"\n".join(BAD_BYTES) + b"\n", **locale)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["question"] for o in objects] == [
        line.decode("utf-8", errors="replace") for line in BAD_BYTES
    ]
    assert objects[0]["answered"] and objects[-1]["answered"]  # the lines after bad ones too
    with sqlite3.connect(tmp_path / "data" / "coachbot.sqlite3") as db:
        logged = [q for (q,) in db.execute("SELECT question FROM asks ORDER BY id")]
    assert "bad \ufffd byte" in logged


def test_ask_json_drops_windows_line_endings(tmp_path):
    done = run(["ask", "--json"], tmp_path, stdin="customer keeps screaming at me\r\nthanks\r\n")
    questions = [json.loads(line)["question"] for line in done.stdout.splitlines()]
    assert questions == ["customer keeps screaming at me", "thanks"]
    assert json.loads(done.stdout.splitlines()[0])["answered"]


@pytest.mark.parametrize("as_json", [False, True])
def test_ask_with_bytes_that_are_not_utf8_in_the_arguments_still_answers(tmp_path, as_json):
    args = ["ask", *(["--json"] if as_json else []), b"customer \xff keeps screaming at me"]
    done = run(args, tmp_path, stdin=b"", LC_ALL="C.UTF-8")
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert (b'"answered": true' if as_json else b"Steps:") in done.stdout


@pytest.mark.parametrize(
    "locale", LOCALES[:2] + LOCALES[3:5], ids=lambda env: " ".join(env.values())
)
def test_the_chat_takes_bad_bytes_in_a_question_and_in_a_debrief(tmp_path, locale):
    typed = [
        b"customer \xff keeps screaming at me",
        b"debrief",
        b"Mrs \xed\xa0\x80 Olsen yelled about a refund \xff",
        b"skip",
        b"skip",
        b"skip",
        b"yes",
        b"quit",
    ]
    done = run(["chat"], tmp_path, stdin=b"\n".join(typed) + b"\n", **locale)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert b"Steps:" in done.stdout and b"Deletion code:" in done.stdout
    assert done.stdout.rstrip().endswith(b"Bye. Good luck out there.")


def test_version_comes_from_the_installed_package(tmp_path):
    done = run(["--version"], tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"coachbot {version()}"
    assert version()[0].isdigit() and "not installed" not in version()  # installed in the venv


def test_doctor_says_which_version_it_checks(tmp_path):
    done = run(["doctor"], tmp_path)
    assert done.stdout.splitlines()[0] == f"CoachBot {version()}"
