"""`coachbot kb new`: a template that explains every field and cannot go live untouched."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from coachbot.cli import main
from coachbot.clock import system_clock
from coachbot.errors import InvalidInput, KnowledgeError
from coachbot.knowledge.fields import FIELD_NAMES
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.scaffold import new_topic
from tests.knowledge_versions import write_version

TODAY = date(2026, 11, 23)


def _today() -> date:
    """The day `kb new` writes as reviewed (the system clock's, in UTC)."""
    return system_clock().date()


def configured(directory: Path, tmp_path: Path, monkeypatch) -> Path:
    """`directory` configured as the CLI would find it, from the folder above it."""
    for key in ("COACHBOT_KNOWLEDGE_DIR", "COACHBOT_DATA_DIR"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COACHBOT_KNOWLEDGE_DIR", str(directory))
    monkeypatch.setenv("COACHBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return directory


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch) -> Path:
    """A small knowledge base, configured as the CLI would find it."""
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    return configured(directory, tmp_path, monkeypatch)


def _fill_in(text: str) -> str:
    """What a trainer does: replace each TODO with real words, add enough questions, and
    delete the `draft: true` line to publish the card."""
    text = text.replace("\ndraft: true\n", "\n", 1)
    counter = iter(range(1000))
    text = re.sub(r'"TODO: [^"]*"', lambda m: f'"real words number {next(counter)}"', text)
    more = "".join(f"  - customer asks about the new thing, way {n}\n" for n in range(6))
    return text.replace("\nsummary:", f"\n{more}summary:".replace("\n\n", "\n"), 1)


def test_the_template_declares_the_schema_and_explains_every_field(kb_dir, capsys):
    assert main(["kb", "new", "late-refund"]) == 0
    path = kb_dir / "topics" / "late-refund.yaml"
    assert f"Created {Path('knowledge/topics/late-refund.yaml')}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/topic.schema.json\n")
    lines = text.splitlines()
    for name in FIELD_NAMES:
        [index] = [n for n, line in enumerate(lines) if line.startswith(f"{name}:")]
        assert lines[index - 1].startswith("#"), f"no comment above '{name}'"
    doc = yaml.safe_load(text)
    assert doc["id"] == "late-refund" and doc["reviewed"] == _today()
    assert doc["review_every"] == "6m"


def test_an_untouched_template_is_a_draft_that_lint_lists_naming_each_placeholder(kb_dir, capsys):
    main(["kb", "new", "late-refund"])
    capsys.readouterr()

    assert main(["kb", "lint"]) == 0  # the bot would start: a draft is never served

    out, err = capsys.readouterr()
    assert out.startswith("OK: 4 topics")
    assert out.rstrip().endswith("; 1 draft topic not served: late-refund")
    assert re.search(
        r"^knowledge/topics/late-refund\.yaml: draft, not served; \d+ problems to fix before "
        "it can go live:$",
        err,
        re.MULTILINE,
    ), err
    placeholders = [line for line in err.splitlines() if "is still a TODO placeholder" in line]
    assert len(placeholders) >= 10
    assert all(re.match(r"knowledge/topics/late-refund\.yaml:\d+:\d+: ", p) for p in placeholders)
    assert "'title' is still a TODO placeholder: replace it with real text" in err
    assert "'summary' is still a TODO placeholder" in err
    assert "'questions' needs at least 8 entries, has 3" in err
    assert "'why' in entry 1 is still a TODO placeholder" in err


def test_a_filled_in_template_passes_lint_and_loads(kb_dir, capsys):
    main(["kb", "new", "late-refund", "--title", 'Refund is late: "where is my money?" #2'])
    path = kb_dir / "topics" / "late-refund.yaml"
    path.write_text(_fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()

    assert main(["kb", "lint"]) == 0, capsys.readouterr().err
    topic = LiveKnowledge.load(kb_dir).kb.by_id["late-refund"]
    assert topic.title == 'Refund is late: "where is my money?" #2'
    assert len(topic.questions) == 9
    assert (topic.reviewed, str(topic.review_every)) == (_today(), "6m")


def test_an_existing_id_is_refused_and_the_file_left_alone(kb_dir, capsys):
    path = kb_dir / "topics" / "angry-caller.yaml"
    before = path.read_bytes()
    assert main(["kb", "new", "angry-caller"]) == 1
    err = capsys.readouterr().err
    assert "A topic with the id 'angry-caller' already exists" in err
    assert "Edit that file, or choose another id." in err
    assert path.read_bytes() == before
    (kb_dir / "topics" / "other.yml").write_text("id: other\n")
    with pytest.raises(InvalidInput, match="already exists"):
        new_topic(kb_dir, "other", None, TODAY)


@pytest.mark.parametrize(
    "bad_id",
    ["Stay Calm", "../escape", "a--b", "-a", "a-", "x" * 61, "snake_case", "café", "a/b", " "],
)
def test_an_invalid_id_is_refused_saying_what_an_id_may_contain(kb_dir, bad_id):
    with pytest.raises(InvalidInput) as caught:
        new_topic(kb_dir, bad_id, None, TODAY)
    message = caught.value.user_message
    assert "lowercase letters (a-z) and digits, in words joined by single hyphens" in message
    assert "at most 60 characters" in message
    assert sorted(p.name for p in (kb_dir / "topics").iterdir()) == [
        "angry-caller.yaml",
        "billing-error.yaml",
        "late-delivery.yaml",
        "refund-request.yaml",
    ]
    assert not (kb_dir.parent / "escape.yaml").exists()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("   ", "The title is empty"),
        ("t" * 76, "The title has 76 characters; the limit is 75."),
        ("bell\x07title", "control characters"),
    ],
)
def test_a_bad_title_is_refused(kb_dir, title, message):
    with pytest.raises(InvalidInput, match=message):
        new_topic(kb_dir, "fine-id", title, TODAY)
    assert not (kb_dir / "topics" / "fine-id.yaml").exists()


def test_a_folder_without_topics_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="There is no topics folder"):
        new_topic(tmp_path, "fine-id", None, TODAY)


def test_an_untouched_template_never_goes_live_nor_stops_a_start(kb_dir, clock):
    new_topic(kb_dir, "late-refund", "Refund is late", TODAY)
    kb = LiveKnowledge.load(kb_dir).kb
    assert "late-refund" not in kb.by_id and len(kb.topics) == 4
    [draft] = kb.drafts
    assert draft.id == "late-refund"
    assert draft.problems and all("late-refund.yaml" in p for p in draft.problems)


def test_with_its_draft_line_deleted_too_early_a_template_still_never_goes_live(kb_dir):
    created = new_topic(kb_dir, "late-refund", "Refund is late", TODAY)
    text = created.path.read_text(encoding="utf-8")
    created.path.write_text(text.replace("\ndraft: true\n", "\n", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        LiveKnowledge.load(kb_dir)
    assert all("late-refund.yaml" in p for p in caught.value.problems)


def test_lint_warns_about_stale_topics_but_does_not_fail(kb_dir, capsys):
    path = kb_dir / "topics" / "angry-caller.yaml"
    path.write_text(path.read_text() + "owner: Priya\nreviewed: 2020-01-01\nreview_every: 1y\n")
    assert main(["kb", "lint"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("OK: 4 topics")
    [warning] = err.splitlines()
    assert re.match(
        r"knowledge/topics/angry-caller\.yaml:\d+: warning: topic 'angry-caller'", warning
    )
    assert "last reviewed 2020-01-01, review every 1y" in warning and "(owner: Priya)" in warning


def test_a_hostile_title_stays_one_quoted_title(kb_dir):
    created = new_topic(kb_dir, "x-y", 'evil"\nid: other\t# !!python/object &a *a', TODAY)
    doc = yaml.safe_load(created.path.read_text(encoding="utf-8"))
    assert doc["id"] == "x-y"
    assert doc["title"] == 'evil" id: other # !!python/object &a *a'
