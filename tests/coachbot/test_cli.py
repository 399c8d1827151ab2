"""The `coachbot` command as a trainer or an outside evaluator uses it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE


def run(args, tmp_path: Path, stdin: str = "", knowledge: Path = KNOWLEDGE, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD", "COACHBOT"))
    }
    environment.update(
        COACHBOT_DATA_DIR=str(tmp_path / "data"), COACHBOT_KNOWLEDGE_DIR=str(knowledge), **env
    )
    return subprocess.run(
        [sys.executable, "-m", "coachbot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
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
    done = run(["ask", "--json"], tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(objects) == len(lines)
    for obj, line in zip(objects, lines, strict=True):
        assert set(obj) == {"question", "answered", "topic", "confidence", "alternatives"}
        assert obj["question"] == line
        assert isinstance(obj["confidence"], float) and 0 <= obj["confidence"] <= 1
    assert objects[0]["answered"] and objects[0]["topic"]
    assert not objects[1]["answered"] and objects[1]["topic"] is None
    assert not objects[2]["answered"]


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
