"""Log lines: one event per line, key facts as fields, never the token or what users wrote."""

from __future__ import annotations

import functools
import io
import json
import logging
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachbot import logs

TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456"
OTHER_TOKEN = "OTk5OTk5OTk5OTk5OTk5OTk5.Zx_-12.ZYXWVUTSRQPONMLKJIHGFEDCBA98765"
DEBRIEF = "Mrs Hargreaves screamed that her son Tobias would sue us"
AGENT_ID = "1300000000000000111"


class Captured:
    """A logger wired like production (filter + formatter) writing into a buffer."""

    def __init__(self, log_format: str, secrets=(TOKEN,)) -> None:
        self.buffer = io.StringIO()
        self.handler = logging.StreamHandler(self.buffer)
        self.handler.addFilter(logs.RedactingFilter(secrets))
        self.handler.setFormatter(
            logs.JsonFormatter() if log_format == "json" else logs.LogfmtFormatter()
        )

    def logger(self, name: str) -> logging.Logger:
        log = logging.getLogger(name)
        log.addHandler(self.handler)
        log.setLevel(logging.DEBUG)
        log.propagate = False
        return log

    def lines(self) -> list[str]:
        return self.buffer.getvalue().splitlines()

    def close(self) -> None:
        for name in list(logging.Logger.manager.loggerDict):
            logger = logging.getLogger(name)
            if self.handler in logger.handlers:
                logger.removeHandler(self.handler)
                logger.propagate = True
                logger.setLevel(logging.NOTSET)


@pytest.fixture(params=["text", "json"])
def captured(request) -> Iterator[Captured]:
    capture = Captured(request.param)
    yield capture
    capture.close()


def _raise(message: str) -> None:
    raise RuntimeError(message)


def test_the_token_is_redacted_from_the_message_its_arguments_and_extra_fields(captured):
    log = captured.logger("coachbot.test")
    log.warning(f"token is {TOKEN}")
    log.warning("login with %s failed", TOKEN)
    log.warning("headers", extra={"authorization": f"Bot {TOKEN}"})
    log.warning("mapping %(token)s", {"token": TOKEN})

    output = captured.buffer.getvalue()
    assert len(captured.lines()) == 4
    assert TOKEN not in output and TOKEN[:24] not in output
    assert output.count(logs.REDACTED) == 4


def test_the_token_is_redacted_from_tracebacks_and_stacks(captured):
    log = captured.logger("coachbot.test")
    try:
        _raise(f"Improper token has been passed: {TOKEN}")
    except RuntimeError:
        log.exception("login failed")
    log.error("where am I", stack_info=True, extra={"note": TOKEN})

    output = captured.buffer.getvalue()
    assert TOKEN not in output
    assert "RuntimeError" in output and "Improper token has been passed" in output
    assert len(captured.lines()) == 2


def test_anything_shaped_like_a_discord_token_is_redacted_even_if_not_configured(captured):
    captured.logger("coachbot.test").error("someone pasted %s in a question", OTHER_TOKEN)
    assert OTHER_TOKEN not in captured.buffer.getvalue()
    assert logs.REDACTED in captured.buffer.getvalue()


def test_ordinary_dotted_text_is_not_mistaken_for_a_token(captured):
    captured.logger("coachbot.test").info("loaded knowledge/topics/stay-calm.yaml v1.2.3")
    assert "knowledge/topics/stay-calm.yaml v1.2.3" in captured.buffer.getvalue()


def test_a_multi_line_message_and_its_traceback_stay_on_one_line(captured):
    log = captured.logger("cogs.test")
    try:
        _raise("first line\nsecond line\r\nthird\u2028fourth\x85fifth")
    except RuntimeError:
        log.exception("it broke:\nhere\tand there")

    [line] = captured.lines()
    if captured.handler.formatter.__class__ is logs.JsonFormatter:
        event = json.loads(line)
        assert event["event"] == "it broke:\nhere\tand there"
        assert event["exc_type"] == "RuntimeError"
        assert event["exc"].startswith("Traceback") and "second line" in event["exc"]
    else:
        assert 'event="it broke:\\nhere\\tand there"' in line
        assert "exc_type=RuntimeError" in line and "\\u2028" in line and "\\u0085" in line


def test_each_line_names_time_level_and_logger_and_carries_key_facts(captured):
    captured.logger("coachbot.quiz").warning(
        "could not post quiz", extra={"post": 12, "status": 403, "channel": "quiz room"}
    )
    [line] = captured.lines()
    if captured.handler.formatter.__class__ is logs.JsonFormatter:
        event = json.loads(line)
        assert event["level"] == "warning" and event["logger"] == "coachbot.quiz"
        assert event["ts"].endswith("Z") and event["post"] == 12 and event["status"] == 403
        assert event["channel"] == "quiz room"
    else:
        assert line.startswith("ts=") and line.index("ts=") < line.index("level=warning")
        assert "logger=coachbot.quiz" in line and 'event="could not post quiz"' in line
        assert "post=12 status=403" in line and 'channel="quiz room"' in line


def test_discord_debug_payloads_are_reduced_to_the_event_name(captured):
    gateway = captured.logger("discord.gateway")
    http = captured.logger("discord.http")
    form = {"custom_id": "cb:debrief-form:x", "components": [{"value": DEBRIEF}]}
    event = {"op": 0, "t": "INTERACTION_CREATE", "s": 4, "d": {"type": 5, "data": form}}
    gateway.debug("For Shard ID %s: WebSocket Event: %s", 0, event)
    http.debug("%s %s with %s has returned %s", "POST", "/callback", json.dumps(form), 204)
    http.debug("%s %s has received %s", "GET", "/messages", [{"content": DEBRIEF}])

    output = captured.buffer.getvalue()
    assert "Hargreaves" not in output and "Tobias" not in output
    assert "INTERACTION_CREATE" in output and "/callback" in output and "204" in output


def test_a_private_error_keeps_where_it_failed_but_not_its_message(captured):
    log = captured.logger("cogs.errors")
    try:
        _raise(f"could not parse {DEBRIEF!r}")
    except RuntimeError:
        log.error("unhandled error", exc_info=True, extra={"private": True})

    output = captured.buffer.getvalue()
    assert "Hargreaves" not in output
    assert "RuntimeError" in output and "_raise" in output and "message withheld" in output
    assert "private=" not in output and '"private"' not in output


@given(message=st.text(max_size=200), value=st.text(max_size=50))
def test_any_text_makes_exactly_one_line_that_reads_back(message, value):
    for log_format in logs.FORMATS:
        capture = Captured(log_format)
        try:
            capture.logger(f"coachbot.prop.{log_format}").error(message, extra={"v": value})
            [line] = capture.lines()
            if log_format == "json":
                event = json.loads(line)
                assert event["event"] == capture_redacted(message)
                assert event["v"] == capture_redacted(value)
            else:
                assert line.startswith("ts=")
        finally:
            capture.close()


def capture_redacted(text: str) -> str:
    return logs.RedactingFilter([TOKEN]).redact(text)


@pytest.fixture
def restore_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_configure_installs_one_handler_for_every_logger_including_discords(restore_root):
    first = io.StringIO()
    logs.configure("INFO", secrets=[TOKEN], stream=first)
    stream = io.StringIO()
    handler = logs.configure("info", log_format="json", secrets=[TOKEN], stream=stream)

    ours = [h for h in restore_root.handlers if isinstance(h.formatter, logs.JsonFormatter)]
    assert ours == [handler] and restore_root.level == logging.INFO
    assert not any(isinstance(h.formatter, logs.LogfmtFormatter) for h in restore_root.handlers)
    logging.getLogger("discord.client").info("logging in using static token %s", TOKEN)
    event = json.loads(stream.getvalue().splitlines()[-1])
    assert event["logger"] == "discord.client" and TOKEN not in stream.getvalue()
    assert first.getvalue() == ""


def test_configure_falls_back_and_says_so_for_an_unknown_level_or_format(restore_root):
    stream = io.StringIO()
    logs.configure("LOUD", log_format="xml", stream=stream)
    output = stream.getvalue()
    assert restore_root.level == logging.WARNING
    assert "unknown COACHBOT_LOG_LEVEL" in output and "unknown COACHBOT_LOG_FORMAT" in output
    assert output.startswith("ts=")


def test_another_librarys_record_keeps_plain_arguments_but_not_payloads_or_ids(captured):
    """aiosqlite logs each statement as a functools.partial that prints its parameters."""
    statement = functools.partial(print, "INSERT INTO debriefs VALUES (?, ?)", ("abc123", DEBRIEF))
    captured.logger("aiosqlite").debug("executing %s", statement)
    captured.logger("aiosqlite").debug("returning exception %s", ValueError(DEBRIEF))
    captured.logger("discord.state").debug("unknown member ID: %s. Discarding.", AGENT_ID)
    captured.logger("discord.webhook.async_").debug(
        "Webhook ID 1 with POST %s has returned status code %s",
        f"https://discord.com/api/v10/interactions/{AGENT_ID}/aW50ZXJhY3Rpb246MTIz/callback",
        204,
    )
    captured.logger("cogs.debrief").warning("debrief channel of guild %s is gone", AGENT_ID)

    output = captured.buffer.getvalue()
    assert "Hargreaves" not in output and "abc123" not in output
    assert "<ValueError>" in output and "status code 204" in output
    assert "aW50ZXJhY3Rpb246MTIz" not in output and "/interactions/[id]/[redacted]/" in output
    assert output.count(AGENT_ID) == 1  # our own loggers log server ids on purpose
    assert "guild " + AGENT_ID in output


def test_debug_leaves_aiosqlite_at_info_and_remove_gives_its_level_back(restore_root):
    logs.configure("DEBUG", stream=io.StringIO())
    assert logging.getLogger("aiosqlite").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("discord.gateway").getEffectiveLevel() == logging.DEBUG
    logs.remove()
    assert logging.getLogger("aiosqlite").level == logging.NOTSET
