"""`coachbot debrief scrub` as an outside evaluator runs it: stdin in, stdout out, exit 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import KNOWLEDGE

SECRETS = [
    "jane.doe@example.com",
    "020 7946 0958",
    "4111 1111 1111 1111",
    "GB82 WEST 1234 5698 7654 32",
    "192.168.1.10",
    "Priyanka",
    "221B Baker Street",
    "078-05-1120",
    "QX7T2M",
]
DEBRIEF = (
    "Hi Priyanka, mail jane.doe@example.com or call 020 7946 0958. She paid £40 with "
    "4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, from 192.168.1.10, lives at "
    "221B Baker Street, SSN 078-05-1120, booking ref QX7T2M, on the Premium Plus plan."
)


def scrub_cli(args: list[str], stdin: str | bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD", "COACHBOT"))
    }
    environment.update(
        COACHBOT_DATA_DIR=str(tmp_path / "data"), COACHBOT_KNOWLEDGE_DIR=str(KNOWLEDGE)
    )
    return subprocess.run(
        [sys.executable, "-m", "coachbot.cli", "debrief", "scrub", *args],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        capture_output=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )


def test_plain_scrub_prints_only_the_scrubbed_text(tmp_path):
    done = scrub_cli([], DEBRIEF + "\n", tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert out.endswith("\n") and out.count("\n") == 1
    assert "Hi [name]" in out and "[email]" in out and "[phone]" in out and "[card]" in out
    assert "£40" in out and "Premium Plus plan" in out
    for secret in SECRETS:
        assert secret not in out


def test_json_gives_text_and_counts_and_never_the_removed_values(tmp_path):
    done = scrub_cli(["--json"], DEBRIEF, tmp_path)
    assert done.returncode == 0, done.stderr
    raw = done.stdout.decode("utf-8")
    obj = json.loads(raw)
    assert set(obj) == {"text", "redactions"}
    assert obj["redactions"] == {
        "name": 1,
        "email": 1,
        "phone": 1,
        "card": 1,
        "iban": 1,
        "ip": 1,
        "address": 1,
        "id-number": 1,
        "account": 1,
    }
    for secret in SECRETS:
        assert secret not in raw
        assert secret not in obj["text"]


def test_each_line_gives_one_output_line_per_input_line(tmp_path):
    lines = ["Hi Tom, call 555-123-4567", "", "   ", "refund of $40 after 3 days", "x" * 5000]
    done = scrub_cli(["--each-line"], "\n".join(lines) + "\n", tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8").split("\n")
    assert out[-1] == ""
    assert out[:-1] == [
        "Hi [name], call [phone]",
        "",
        "   ",
        "refund of $40 after 3 days",
        "x" * 5000,
    ]


def test_each_line_json_gives_one_object_per_input_line(tmp_path):
    lines = ["jane@example.com", "", "nothing to hide", "Mr Smith\tand 4242 4242 4242 4242"]
    done = scrub_cli(["--each-line", "--json"], "\r\n".join(lines) + "\r\n", tmp_path)
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert objects == [
        {"text": "[email]", "redactions": {"email": 1}},
        {"text": "", "redactions": {}},
        {"text": "nothing to hide", "redactions": {}},
        {"text": "Mr [name]\tand [card]", "redactions": {"card": 1, "name": 1}},
    ]


def test_empty_input(tmp_path):
    assert scrub_cli([], "", tmp_path).stdout == b"\n"
    assert json.loads(scrub_cli(["--json"], "", tmp_path).stdout) == {"text": "", "redactions": {}}
    assert scrub_cli(["--each-line"], "", tmp_path).stdout == b""
    assert scrub_cli(["--each-line"], "\n\n", tmp_path).stdout == b"\n\n"


def test_hostile_input_exits_cleanly(tmp_path):
    nasty = "@everyone <@123456789012345678> **bold** \x00\x1b[31m ✓ 😀 \u2028 " + "1 " * 3000
    done = scrub_cli(["--each-line"], nasty.encode("utf-8") + b"\xff\xfe bad bytes\n", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b"\n") == 1  # a line separator inside the line does not split it
    assert b"Traceback" not in done.stderr
    assert b"<@123456789012345678>" not in done.stdout
