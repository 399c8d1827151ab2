"""A log line is always encodable: text with lone surrogates (bytes that were not UTF-8)
comes out with U+FFFD instead of a "--- Logging error ---" traceback and a lost event."""

from __future__ import annotations

import io
import logging

import pytest

from coachbot import logs


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_an_event_with_a_lone_surrogate_is_written_with_a_replacement(log_format, capsys):
    written = io.BytesIO()
    stream = io.TextIOWrapper(written, encoding="utf-8", errors="strict", write_through=True)
    logs.configure("INFO", log_format=log_format, stream=stream)
    try:
        logging.getLogger("coachbot.test").warning("asked %s", "bad \udcff byte")
    finally:
        logs.remove()
    line = written.getvalue().decode("utf-8")
    assert "bad \ufffd byte" in line and line.count("\n") == 1
    assert "Logging error" not in capsys.readouterr().err
