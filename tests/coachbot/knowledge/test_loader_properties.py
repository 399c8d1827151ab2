"""Whatever a trainer saves, the loader answers with KnowledgeError and positioned problems.

A half-saved file, a paste with tabs, a YAML bomb, random bytes: the bot must refuse them with
`file:line:column: message` lines, never crash with another exception (which would print a
traceback instead of telling the trainer what to fix).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachbot.errors import KnowledgeError
from coachbot.knowledge.loader import read_knowledge
from tests.conftest import KNOWLEDGE

POSITIONED = re.compile(r"^(?P<file>.+?):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): \S")
# One topic on its own: its `related` links would point at topics that are not there.
VALID_TOPIC = re.sub(
    r"(?m)^related:.*$",
    "related: []",
    (KNOWLEDGE / "topics" / "stay-calm.yaml").read_text(encoding="utf-8"),
)
VALID_QUIZ = (KNOWLEDGE / "quizzes" / "stay-calm.yaml").read_text(encoding="utf-8")
VALID_SYNONYMS = "groups:\n  - [yell, scream, shout]\n  - [refund, money back]\n"

# Where the fuzzed text goes: the topic file itself, or one of the optional files beside it.
TARGETS = ("topics/stay-calm.yaml", "synonyms.yaml", "out_of_scope.yaml", "quizzes/quiz.yaml")
ODD_SNIPPETS = (
    "\t",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object:os.system ",
    "!!binary ",
    "99999999999999999999999999999999999999",
    "1e999",
    "-.inf",
    ".nan",
    "~",
    "? ",
    "- ",
    ": ",
    "{",
    "]",
    "'",
    '"',
    "|",
    ">-",
    "---",
    "...",
    "%YAML 1.1",
    "\ufeff",
    "\u202e",
    "\x00",
    "\x85",
    "\u2028",
    "\U0001f600",
    "id: stay-calm",
    "related: [stay-calm, nope]",
    "questions: []",
)


@contextmanager
def knowledge_dir() -> Iterator[Path]:
    """A knowledge folder with a valid topic (Hypothesis cannot share pytest's tmp_path)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "topics").mkdir()
        (root / "quizzes").mkdir()
        (root / "topics" / "stay-calm.yaml").write_text(VALID_TOPIC, encoding="utf-8")
        yield root


def assert_refused_or_loaded(root: Path) -> None:
    """The one allowed outcome besides loading: KnowledgeError, each problem positioned."""
    try:
        read_knowledge(root)
    except KnowledgeError as error:
        assert error.problems, "a KnowledgeError must list its problems"
        for problem in error.problems:
            assert POSITIONED.match(problem), f"problem without file:line:column: {problem!r}"
            assert "Traceback" not in problem


def write(root: Path, target: str, content: str | bytes) -> None:
    path = root / target
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")  # lone surrogates: bad UTF-8
    path.write_bytes(content)


# ---- strategies --------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["id", "title", "tags", "questions", "summary", "steps", "say", "avoid"]),
)
keys = st.one_of(
    st.sampled_from(
        "id title tags questions summary steps say avoid phrase why related sources tip groups"
        " examples topic items choices".split()
    ),
    st.text(max_size=12),
    st.integers(),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    """A valid file after a few edits a hurried trainer (or a bad merge) might make."""
    lines = base.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not lines:
            lines = [""]
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "swap", "insert", "splice", "cut", "indent"])
        )
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "insert":
            snippet = draw(st.sampled_from(ODD_SNIPPETS) | st.text(max_size=30))
            lines.insert(index, snippet + draw(st.sampled_from(["\n", "", "\r\n"])))
        elif action == "splice":
            line = lines[index]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            snippet = draw(st.sampled_from(ODD_SNIPPETS) | st.text(max_size=10))
            lines[index] = line[:at] + snippet + line[at:]
        elif action == "cut":  # a half-saved file
            lines = lines[:index]
            if lines:
                lines[-1] = lines[-1][: draw(st.integers(min_value=0, max_value=len(lines[-1])))]
        else:
            lines[index] = draw(st.sampled_from(["\t", "  ", " ", ""])) + lines[index].lstrip()
    return "".join(lines)


def dumped(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=None)


any_text = st.one_of(
    st.text(max_size=400),
    documents.map(dumped),
    documents.map(lambda value: yaml.safe_dump(value, allow_unicode=False)),
    mutated(VALID_TOPIC),
    mutated(VALID_QUIZ),
    mutated(VALID_SYNONYMS),
)
fuzz = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---- properties --------------------------------------------------------------------------


@fuzz
@given(target=st.sampled_from(TARGETS), text=any_text)
def test_any_text_in_any_knowledge_file_is_loaded_or_refused_with_positions(target, text):
    with knowledge_dir() as root:
        write(root, target, text)
        assert_refused_or_loaded(root)


@fuzz
@given(target=st.sampled_from(TARGETS), data=st.binary(max_size=600))
def test_random_bytes_are_refused_with_a_position(target, data):
    with knowledge_dir() as root:
        write(root, target, data)
        assert_refused_or_loaded(root)


@fuzz
@given(text=mutated(VALID_TOPIC), extra=st.sampled_from(ODD_SNIPPETS))
def test_a_mutated_topic_beside_a_valid_one_never_crashes_the_load(text, extra):
    with knowledge_dir() as root:
        (root / "topics" / "second.yaml").write_text(extra + "\n" + text, encoding="utf-8")
        assert_refused_or_loaded(root)


@fuzz
@given(depth=st.integers(min_value=1, max_value=400), fanout=st.integers(min_value=1, max_value=9))
def test_yaml_bombs_and_deep_nesting_are_refused_with_a_position(depth, fanout):
    bomb = "a: &a [x, x]\n" + "".join(
        f"{chr(98 + i % 20)}{i}: &{chr(98 + i % 20)}{i} [{', '.join(['*a'] * fanout)}]\n"
        for i in range(min(depth, 30))
    )
    nested = "id: " + "[" * depth + "]" * depth + "\n"
    for text in (bomb, nested, "x: " + "{a: " * depth + "1" + "}" * depth):
        with knowledge_dir() as root:
            write(root, "topics/stay-calm.yaml", text)
            assert_refused_or_loaded(root)


def test_the_unmutated_files_load(tmp_path):
    """The strategies start from valid files: otherwise 'refused' would prove nothing."""
    shutil.copytree(KNOWLEDGE, tmp_path / "kb", ignore=shutil.ignore_patterns("*.md"))
    assert read_knowledge(tmp_path / "kb").kb.topics
    with knowledge_dir() as root:
        write(root, "quizzes/quiz.yaml", VALID_QUIZ)
        write(root, "synonyms.yaml", VALID_SYNONYMS)
        loaded = read_knowledge(root).kb
        assert [t.id for t in loaded.topics] == ["stay-calm"] and loaded.quiz and loaded.synonyms
