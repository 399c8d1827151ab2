"""A log line is always encodable: text with lone surrogates (bytes that were not UTF-8)
comes out with U+FFFD instead of a "--- Logging error ---" traceback and a lost event.

The event is logged in a child process: a lone surrogate in a record that pytest's own log
capture keeps would stop pytest-xdist from sending the test's report back to the controller.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

CHILD = """
import io, logging, sys
from coachbot import logs
written = io.BytesIO()
stream = io.TextIOWrapper(written, encoding="utf-8", errors="strict", write_through=True)
logs.configure("INFO", log_format=sys.argv[1], stream=stream)
try:
    logging.getLogger("coachbot.test").warning("asked %s", "bad \\udcff byte")
finally:
    logs.remove()
sys.stdout.buffer.write(written.getvalue())
"""


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_an_event_with_a_lone_surrogate_is_written_with_a_replacement(log_format):
    done = subprocess.run(
        [sys.executable, "-c", CHILD, log_format], capture_output=True, timeout=60, check=True
    )
    line = done.stdout.decode("utf-8")
    assert ("bad \ufffd byte" in line) or ("bad \\ufffd byte" in line)
    assert line.count("\n") == 1
    assert b"Logging error" not in done.stderr
