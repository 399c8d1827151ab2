"""Architecture rules that keep the core portable to Slack and others."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_does_not_import_discord():
    code = (
        "import sys, coachbot, coachbot.app, coachbot.cli, coachbot.console;"
        "print('discord' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_sql_outside_the_store():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "coachbot"
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if "store" not in path.parts
        and any(word in path.read_text(encoding="utf-8") for word in ("SELECT ", "INSERT INTO"))
    ]
    assert offenders == []
