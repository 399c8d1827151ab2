"""`coachbot kb lint [PATH]`: would the bot load this knowledge, and what do drafts still need?

PATH is the knowledge folder (default: the configured one) or one file of it: the file a
trainer just edited is checked in the context of its whole knowledge base (so `related`
ids and quiz topics resolve), and only its own problems are listed.

Exit codes. For the folder: 0 when the bot would load it and serve every topic that is not a
draft, 1 when a served file has a problem. Drafts (topics marked `draft: true`) are listed
with what they still need, but do not fail the folder: a draft is never served and never
stops a start or a reload, so the folder's answer is the bot's. For one file: 1 when that
file has any problem, draft or not, since that is the question the trainer asked.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from coachbot.errors import KnowledgeError
from coachbot.knowledge.fast.bulkload import BulkReader
from coachbot.knowledge.freshness import lint_warnings
from coachbot.knowledge.loader import (
    OUT_OF_SCOPE_FILE,
    QUIZ_FOLDER,
    SYNONYMS_FILE,
    KnowledgeProblems,
    read_knowledge,
)
from coachbot.knowledge.models import DraftTopic, KnowledgeBase
from coachbot.knowledge.yamlsource import Problem, display_path

TOPIC_SUFFIXES = (".yaml", ".yml")


def run(
    path: Path | None,
    knowledge_dir: Path,
    today: date,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Lint `path` (default: `knowledge_dir`), printing as `kb lint` does; the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    target = Path(path) if path is not None else Path(knowledge_dir)
    if target.is_dir():
        return _lint_folder(target, today, out, err)
    return _lint_file(target, today, out, err)


def _load(directory: Path) -> tuple[KnowledgeBase | None, list[Problem], tuple[DraftTopic, ...]]:
    """The knowledge base (None if it has problems), its problems and its drafts."""
    with BulkReader(directory) as reader:  # every core for a big knowledge base
        reader.start()
        try:
            kb = read_knowledge(directory, parse=reader).kb
        except KnowledgeProblems as exc:
            return None, exc.found, exc.drafts
    return kb, [], kb.drafts


def _lint_folder(directory: Path, today: date, out: TextIO, err: TextIO) -> int:
    try:
        kb, problems, drafts = _load(directory)
    except KnowledgeError as exc:  # no topics folder, say: nothing to lint
        print(exc.user_message, file=err)
        return 1
    if kb is None:
        print(KnowledgeError([str(p) for p in problems]).user_message, file=err)
    else:
        for warning in lint_warnings(kb, today):  # stale topics: not a failure
            print(warning, file=err)
    for draft in drafts:
        _print_draft(draft, err)
    if kb is None:
        return 1
    questions = sum(len(t.questions) for t in kb.topics)
    print(
        f"OK: {len(kb.topics)} topics, {questions} example questions, "
        f"{len(kb.synonyms)} synonym groups, {len(kb.out_of_scope)} out-of-scope examples, "
        f"{len(kb.quiz)} quiz items{drafts_note(drafts)}",
        file=out,
    )
    return 0


def _lint_file(path: Path, today: date, out: TextIO, err: TextIO) -> int:
    shown = display_path(path)
    absolute = path.absolute()
    root = knowledge_folder_of(absolute)
    if not absolute.exists():
        print(f"{shown}: no such file or folder", file=err)
        return 1
    if root is None or not _read_by_the_bot(absolute, root):
        print(
            f"{shown}: not a knowledge file; `kb lint` checks a knowledge folder or one of its "
            f"topics/*.yaml, {QUIZ_FOLDER}/*.yaml, {SYNONYMS_FILE} or {OUT_OF_SCOPE_FILE}",
            file=err,
        )
        return 1
    try:
        kb, problems, drafts = _load(root)
    except KnowledgeError as exc:
        print(exc.user_message, file=err)
        return 1
    shown = display_path(absolute)  # as the loader names it
    own = [p for p in problems if p.file == shown]
    for problem in own:
        print(problem, file=err)
    draft = next((d for d in drafts if d.source_file == shown), None)
    if draft is not None:
        _print_draft(draft, err)
    if kb is not None:
        for warning in lint_warnings(kb, today):
            if warning.startswith(f"{shown}:"):
                print(warning, file=err)
    others = len(problems) - len(own)
    if others:
        noun = "problem" if others == 1 else "problems"
        print(f"({others} {noun} in other files: `coachbot kb lint` lists them)", file=err)
    if own or (draft and draft.problems):
        return 1
    state = "a draft with no problems left" if draft else "no problems"
    print(f"OK: {shown}: {state}", file=out)
    return 0


def _print_draft(draft: DraftTopic, err: TextIO) -> None:
    if not draft.problems:
        print(
            f"{draft.source_file}: draft, not served: no problems left; delete its "
            "`draft: true` line to publish it",
            file=err,
        )
        return
    count = len(draft.problems)
    print(
        f"{draft.source_file}: draft, not served; {count} "
        f"{'problem' if count == 1 else 'problems'} to fix before it can go live:",
        file=err,
    )
    for problem in draft.problems:
        print(problem, file=err)


def drafts_note(drafts: tuple[DraftTopic, ...]) -> str:
    """`; 2 draft topics not served: a, b` (nothing without drafts)."""
    if not drafts:
        return ""
    noun = "draft topic" if len(drafts) == 1 else "draft topics"
    return f"; {len(drafts)} {noun} not served: {', '.join(d.id for d in drafts)}"


def knowledge_folder_of(path: Path) -> Path | None:
    """The knowledge folder a file belongs to: the nearest folder above it with `topics/`."""
    for folder in path.parents:
        if (folder / "topics").is_dir():
            return folder
    return None


def _read_by_the_bot(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).parts
    if len(relative) == 1:
        return relative[0] in (SYNONYMS_FILE, OUT_OF_SCOPE_FILE)
    folder, name = relative[0], relative[-1]
    if len(relative) != 2:
        return False
    if folder == "topics":
        return name.endswith(TOPIC_SUFFIXES)
    return folder == QUIZ_FOLDER and name.endswith(".yaml")
