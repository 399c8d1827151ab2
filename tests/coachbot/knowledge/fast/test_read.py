"""The fast first reading of a topic file either agrees with the node path or stands aside.

The node path (PyYAML nodes and the validator) is the reference: it names every problem with
its position. The fast reading may only ever give the topic the node path would give; for a
file with any problem, or any YAML it could read differently, it must give nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachbot.knowledge.fast.read import read_plain_topic
from coachbot.knowledge.validator import read_topic
from coachbot.knowledge.yamlsource import compose
from tests.conftest import KNOWLEDGE

TOPIC_FILES = sorted((KNOWLEDGE / "topics").glob("*.yaml"))
TEXTS = {path.stem: path.read_text(encoding="utf-8") for path in TOPIC_FILES}


def node_path(text: str, stem: str):
    root, _ = compose(text, f"{stem}.yaml")
    if root is None:
        return None
    return read_topic(f"{stem}.yaml", stem, root)[0]


def assert_agrees(text: str, stem: str) -> None:
    fast = read_plain_topic(text, f"{stem}.yaml", stem)
    if fast is not None:
        topic, related = fast
        assert topic == node_path(text, stem)
        assert related == topic.related


@pytest.mark.parametrize("path", TOPIC_FILES, ids=lambda path: path.stem)
def test_every_shipped_topic_is_read_fast_and_the_same(path: Path) -> None:
    fast = read_plain_topic(TEXTS[path.stem], path.name, path.stem)

    assert fast is not None, "a valid shipped topic should not need the node path"
    assert fast[0] == node_path(TEXTS[path.stem], path.stem)


def with_line(text: str, key: str, line: str) -> str:
    """`text` with the first line starting `key:` replaced."""
    lines = text.splitlines()
    index = next(i for i, old in enumerate(lines) if old.startswith(f"{key}:"))
    lines[index] = line
    return "\n".join(lines) + "\n"


STAY_CALM = TEXTS["stay-calm"]


@pytest.mark.parametrize(
    "line",
    [
        "title: yes",  # YAML 1.1 reads a boolean: the node path says "put it in quotes"
        "title: 1.5",
        "title: ~",
        "title: 2026-01-31",
        "title: !custom Keeping calm",  # a tag the fast parser would drop
        "title: &a Keeping calm",  # an anchor
        "title: TODO write the title",
        "title: ''",
        "title: [a, b]",
        "title: " + "x" * 101,
        "id: another-id",
        "id: Stay-Calm",
        "titel: Keeping calm",
        "title: 'Keeping\x07calm'",
        "title:\tKeeping calm",
        "reviewed: 2026-02-30",  # not a real day
        "reviewed: 2026-1-31",
    ],
)
def test_a_file_with_a_problem_or_an_uncertain_value_is_left_to_the_node_path(line: str) -> None:
    key = "id" if line.startswith("id") else "title"
    text = (
        STAY_CALM + line + "\n" if line.startswith("reviewed") else with_line(STAY_CALM, key, line)
    )

    assert read_plain_topic(text, "stay-calm.yaml", "stay-calm") is None


@pytest.mark.parametrize(
    "extra",
    [
        "title: Twice\n",  # a duplicate key
        "---\nid: stay-calm\n",  # a second document
        "%YAML 1.1\n",
    ],
)
def test_structural_oddities_are_left_to_the_node_path(extra: str) -> None:
    assert read_plain_topic(STAY_CALM + extra, "stay-calm.yaml", "stay-calm") is None


def test_a_byte_order_mark_and_windows_line_ends_read_the_same() -> None:
    text = "\ufeff" + STAY_CALM.replace("\n", "\r\n")

    fast = read_plain_topic(text, "stay-calm.yaml", "stay-calm")

    assert fast is not None
    assert fast[0] == node_path(text, "stay-calm")


@pytest.mark.parametrize("day", ["2026-01-31", "'2026-01-31'"])
def test_a_review_date_and_interval_read_the_same(day: str) -> None:
    text = STAY_CALM + f"reviewed: {day}\nreview_every: 6m\nowner: Team leads\n"

    fast = read_plain_topic(text, "stay-calm.yaml", "stay-calm")

    assert fast is not None
    assert fast[0] == node_path(text, "stay-calm")
    assert str(fast[0].review_every) == "6m"


# characters and snippets that change what YAML means
SNIPPETS = st.sampled_from(
    [
        "\n", " ", "  ", "-", "- ", ":", ": ", "'", '"', "#", " #", "|", ">", "[", "]", "{",
        "}", ",", "?", "!", "&", "*", "%", "@", "`", "\t", "\\", "\\0", "\\x41", "yes", "~",
        "1.5", "TODO", "\ufeff", "\u0085", "\u2028", "\u2029", "é", "\x00", "...", "---", "<<",
    ]
)  # fmt: skip


@given(
    stem=st.sampled_from(sorted(TEXTS)),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 3), SNIPPETS | st.text(max_size=3)),
        min_size=1,
        max_size=3,
    ),
)
def test_a_mutated_file_is_read_the_same_or_left_to_the_node_path(
    stem: str, edits: list[tuple[float, int, str]]
) -> None:
    text = TEXTS[stem]
    for where, cut, snippet in edits:
        at = int(where * len(text))
        text = text[:at] + snippet + text[at + cut :]

    assert_agrees(text, stem)
