"""Append one example question to a topic file, keeping every comment and line as it was.

Why text insertion rather than a YAML round trip: trainers own these files, and a dump (even
ruamel's round trip) rewraps long lines, requotes strings and moves comments. Here PyYAML's
node positions find the end of the `questions` list and one line is inserted there (or one
item before the `]` of a flow list); the rest of the file is untouched, byte for byte. The
new text is linted with the project's validator, and must read back as the old questions plus
the new one, before it replaces the file atomically (a temporary file in the same folder,
then `os.replace`).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path

import yaml

from coachbot.errors import CoachError, KnowledgeError
from coachbot.knowledge.validator import read_topic
from coachbot.knowledge.yamlsource import (
    NotReadable,
    compose,
    display_path,
    is_inside,
    knowledge_root,
    locate,
    read_file,
)

QUESTIONS = "questions"


def topic_path(directory: Path, topic_id: str) -> Path:
    """The topic's file: `topics/<id>.yaml` (or `.yml`), as the loader names them."""
    topics = Path(directory) / "topics"
    for suffix in (".yaml", ".yml"):
        path = topics / f"{topic_id}{suffix}"
        if os.path.lexists(path):
            return path
    raise CoachError(f"There is no file for topic '{topic_id}' in {display_path(topics)}.")


def append_question(directory: Path, topic_id: str, question: str) -> str:
    """Add `question` at the end of the topic's `questions`; returns the file as shown.

    Raises CoachError (KnowledgeError with `file:line:col` problems when the edit would not
    pass the lint) and leaves the file as it was."""
    path = topic_path(directory, topic_id)
    shown = display_path(path)
    root = knowledge_root(Path(directory))
    try:
        target, _ = locate(path, root)
    except NotReadable as exc:
        raise CoachError(f"{shown} cannot be edited: {exc}.") from exc
    if not is_inside(os.path.realpath(target), root):
        raise CoachError(
            f"{shown} is outside the knowledge folder; only files inside it are edited."
        )
    text, info, problems = read_file(Path(target), shown, root=root)
    if text is None or info is None:
        raise KnowledgeError([str(p) for p in problems])
    before = _topic(text, shown, topic_id)
    new_text = insert_question(text, question)
    after = _topic(new_text, shown, topic_id)
    if after.questions != (*before.questions, " ".join(question.split())):
        raise CoachError(f"{shown}: the question could not be added safely; add it by hand.")
    try:
        _replace(Path(target), new_text, info)
    except OSError as exc:  # a read-only folder, a full disk: the file stays as it was
        raise CoachError(f"{shown} could not be written ({exc.strerror or exc}).") from exc
    return shown


def _topic(text: str, shown: str, stem: str):
    node, problems = compose(text, shown)
    topic = None
    if node is not None:
        topic, problems = read_topic(shown, stem, node)
    if topic is None:
        raise KnowledgeError([str(p) for p in problems])
    return topic


def insert_question(text: str, question: str) -> str:
    """`text` with `question` as the last item of its top-level `questions` list."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # pure Python: marks index characters
    node = next(
        (v for k, v in getattr(root, "value", ()) if getattr(k, "value", None) == QUESTIONS),
        None,
    )
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise CoachError("The topic's 'questions' is not a list with entries; add it by hand.")
    item = json.dumps(" ".join(question.split()), ensure_ascii=False)  # a YAML "…" string
    if node.flow_style:  # [a, b] -> [a, b, "new"]
        end = node.end_mark.index - 1  # the closing bracket
        head = text[:end].rstrip()
        return f"{head}, {item}{text[len(head) : end]}{text[end:]}"
    last = node.value[-1].end_mark
    newline = "\r\n" if "\r\n" in text else "\n"
    if last.column == 0:  # a block scalar ends at the start of the next line
        at = last.index
    else:
        breaks = text.find("\n", last.index)
        at = len(text) if breaks < 0 else breaks + 1
    line = " " * node.start_mark.column + "- " + item + newline
    if at == len(text) and not text.endswith("\n"):
        line = newline + line
    return text[:at] + line + text[at:]


def _replace(target: Path, text: str, info: os.stat_result) -> None:
    """Write `text` to a new file beside `target`, then swap it in with one rename, unless
    the file changed since it was read (a trainer saving by hand wins)."""
    now = os.stat(target)
    if (now.st_size, now.st_mtime_ns) != (info.st_size, info.st_mtime_ns):
        raise CoachError(f"{display_path(target)} changed while it was being edited; try again.")
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(text.encode("utf-8"))
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
