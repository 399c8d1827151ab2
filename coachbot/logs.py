"""Structured logs: one event per line, as logfmt text or JSON lines, with secrets removed.

Why: operators grep and ship logs line by line, so a multi-line message or a traceback must
not split an event across lines; and a log line must never carry the Discord token or what
users wrote. Every record that reaches the handler passes `RedactingFilter` first:

- the configured secrets (the token) and anything shaped like a Discord token become `[redacted]`,
  in the message, its arguments, the traceback and the stack;
- discord.py's debug records print whole gateway events and HTTP bodies (a submitted debrief
  form, a DM): their payloads are reduced to the event's name and opcode;
- records marked `extra={"private": True}` (errors while handling what a user typed) keep
  the exception's type and where it happened, but not its message, which may quote the text;
- records of other libraries' loggers (aiosqlite, asyncio, discord.py ...) keep only plain
  arguments (numbers, short strings, an exception's type): aiosqlite's debug lines, for one,
  print every SQL statement with its parameters, which hold stored debriefs and agent ids.
  Discord snowflakes (17-20 digits: user ids among them) and interaction or webhook tokens in
  their messages become `[id]` / `[redacted]`.

Besides, `configure` keeps aiosqlite at INFO even when the app logs at DEBUG: two lines per
SQL statement say nothing an operator needs. slack_bolt and slack_sdk stay at INFO too: their
debug lines are whole Slack payloads (a debrief modal's text), formatted before any filter.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

from coachbot.safetext import well_formed

FORMATS = ("text", "json")
REDACTED = "[redacted]"
WITHHELD = "[payload withheld]"
# Discord tokens: base64 user id, a timestamp and an HMAC, dot-separated (JWTs match too).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}")
# What breaks a line for some reader: control characters and unicode line separators.
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "private"}
_MARK = "_coachbot_handler"
# Our own code logs no user text and no agent id by rule (and is tested for it); anything
# else is another library's, whose records are reduced to plain arguments.
OWN_LOGGERS = ("coachbot", "cogs", "slack_adapter")
# Loggers too chatty (and too revealing) below this level, whatever COACHBOT_LOG_LEVEL says.
# slack_bolt and slack_sdk print whole request and response bodies at DEBUG, in messages
# already formatted (a submitted debrief modal, its private_metadata, user ids): never below INFO.
SLACK_LOGGERS = ("slack_bolt", "slack_sdk")
NOISY = {"aiosqlite": logging.INFO, **dict.fromkeys(SLACK_LOGGERS, logging.INFO)}
# A Discord snowflake (user, guild, message ids) and the token part of interaction/webhook URLs.
SNOWFLAKE = re.compile(r"(?<![0-9])[0-9]{17,20}(?![0-9])")
URL_TOKEN = re.compile(r"(/(?:interactions|webhooks)/[^/\s]+/)[^/\s?#]+")
ID = "[id]"


class RedactingFilter(logging.Filter):
    """Removes secrets and user payloads from a record before any formatter sees it."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        # longest first, so a secret that contains another is replaced whole
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO and record.name.split(".", 1)[0] in SLACK_LOGGERS:
            return False  # Bolt sets its loggers' levels itself: the floor is kept here too
        foreign = not _is_own(record.name)
        if foreign:
            record.args = _without_payloads(record.args)
            if not isinstance(record.msg, str):
                record.msg = _summary(record.msg)
        try:
            message = record.getMessage()
        except Exception:  # bad %-args: keep the template rather than lose the event
            message = f"{record.msg} (unformattable arguments)"
        record.msg, record.args = self.redact(message), ()
        if foreign:
            record.msg = _without_ids(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            if getattr(record, "private", False):
                record.exc_text = _private_traceback(record.exc_info)
            elif not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
            if foreign:
                record.exc_text = _without_ids(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key in _extra_keys(record):
            value = getattr(record, key)
            if isinstance(value, str):
                setattr(record, key, self.redact(value))
        return True


def _is_own(name: str) -> bool:
    return any(name == own or name.startswith(own + ".") for own in OWN_LOGGERS)


def _without_ids(text: str) -> str:
    return SNOWFLAKE.sub(ID, URL_TOKEN.sub(rf"\1{REDACTED}", text))


def _without_payloads(args: Any) -> Any:
    """Another library's arguments with payloads (gateway events, HTTP bodies, SQL statements
    with their parameters, objects whose repr shows their data) reduced to a summary."""
    if isinstance(args, dict):  # "%(name)s" style: summarise each value
        return {key: _summary(value) for key, value in args.items()}
    if not isinstance(args, tuple):
        return args
    return tuple(_summary(arg) for arg in args)


def _summary(value: Any) -> Any:
    """A plain value as it is; a gateway event as its name and opcode; anything else withheld
    (an exception as its type: its message may quote what it failed on)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return WITHHELD if value.lstrip()[:1] in ("{", "[") else value
    if isinstance(value, dict):
        kept = {k: value[k] for k in ("op", "t", "s") if isinstance(value.get(k), int | str)}
        return json.dumps(kept) if kept else WITHHELD
    if isinstance(value, BaseException):
        return f"<{type(value).__name__}>"
    return WITHHELD


def _private_traceback(exc_info: Any) -> str:
    """Where it failed and what kind of error, without the message (it may quote user text)."""
    kind, _, tb = exc_info
    frames = "".join(traceback.format_tb(tb))
    return f"Traceback (most recent call last):\n{frames}{kind.__name__}: (message withheld)"


def _extra_keys(record: logging.LogRecord) -> list[str]:
    """Fields given with `extra={...}`: the event's key facts."""
    return [k for k in record.__dict__ if k not in _STANDARD and not k.startswith("_")]


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ts": _timestamp(record),
        "level": record.levelname.lower(),
        "logger": record.name,
        "event": record.getMessage(),
    }
    for key in _extra_keys(record):
        fields[key] = getattr(record, key)
    if record.exc_info and record.exc_info[0] is not None:
        fields["exc_type"] = record.exc_info[0].__name__
    if record.exc_text:
        fields["exc"] = record.exc_text
    if record.stack_info:
        fields["stack"] = record.stack_info
    return fields


def _escape(text: str) -> str:
    return _LINE_BREAKING.sub(lambda m: _ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"), text)


def _logfmt_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    escaped = _escape(text.replace("\\", "\\\\").replace('"', '\\"'))
    if escaped == text and text and not re.search(r'[\s="]', text):
        return text
    return f'"{escaped}"'


class LogfmtFormatter(logging.Formatter):
    """`ts=... level=info logger=coachbot.x event="..." key=value`: one line per event."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        pairs = []
        for key, value in _fields(record).items():
            safe_key = re.sub(r"[^\w.-]", "_", str(key)) or "_"
            pairs.append(f"{safe_key}={_logfmt_value(value)}")
        return well_formed(" ".join(pairs))  # a lone surrogate would fail the write


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the same fields as the text format."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        fields = {
            key: value if isinstance(value, int | float | bool | None) else str(value)
            for key, value in _fields(record).items()
        }
        line = well_formed(json.dumps(fields, ensure_ascii=False))  # encodable, always
        # json escapes control characters but not these, which some readers take as newlines
        return (
            line.replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
            .replace("\x85", "\\u0085")
        )


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of each event (as logging's own last
    resort handler does), so a replaced stderr (tests, daemons) never gets a stale stream."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, value: IO[str]) -> None:
        pass


def remove() -> None:
    """Undo `configure`: its handler off the root logger, warnings back to stderr, the noisy
    loggers' levels back to inherited (tests)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.NOTSET)
    logging.captureWarnings(False)


def level_number(name: str) -> int | None:
    """`DEBUG`, `info`, `30` ... as a logging level; None if it is not one."""
    name = (name or "").strip().upper()
    if name.isdigit():
        return int(name)
    level = logging.getLevelNamesMapping().get(name)
    return level if isinstance(level, int) else None


def configure(
    level: str = "WARNING",
    *,
    log_format: str = "text",
    secrets: Iterable[str | None] = (),
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Send every logger (discord.py's too) through one redacting handler on stderr.

    Called once per process from the entry point; calling it again replaces the handler.
    Unknown levels or formats fall back to WARNING / text, with a warning saying so.
    """
    root = logging.getLogger()
    remove()
    handler: logging.StreamHandler = (
        logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    )
    setattr(handler, _MARK, True)
    handler.addFilter(RedactingFilter(secrets))
    chosen = (log_format or "text").strip().lower()
    handler.setFormatter(JsonFormatter() if chosen == "json" else LogfmtFormatter())
    root.addHandler(handler)
    logging.captureWarnings(True)  # Python's warnings become one-line events too
    number = level_number(level)
    root.setLevel(number if number is not None else logging.WARNING)
    for name, floor in NOISY.items():
        logging.getLogger(name).setLevel(max(floor, root.level))
    log = logging.getLogger(__name__)
    if number is None:
        log.warning("unknown COACHBOT_LOG_LEVEL %r; using WARNING", level)
    if chosen not in FORMATS:
        log.warning("unknown COACHBOT_LOG_FORMAT %r; using text (or json)", log_format)
    return handler
