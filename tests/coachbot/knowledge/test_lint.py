"""`kb lint`: a trainer checks the folder or the one file just edited; drafts never stop the bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachbot.cli import main
from coachbot.knowledge.live import LiveKnowledge
from tests.coachbot.knowledge.test_scaffold import configured

TOPIC = Path("knowledge/topics/stay-calm.yaml")


@pytest.fixture
def kb(knowledge_copy: Path, tmp_path: Path, monkeypatch) -> Path:
    """The shipped knowledge, configured, with the working folder above it (as a trainer has)."""
    return configured(knowledge_copy, tmp_path, monkeypatch)


def misspell_steps(kb: Path) -> None:
    path = kb / "topics" / "stay-calm.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nsteps:", "\nsetps:", 1), "utf-8")


def test_lint_of_one_good_file_checks_it_in_its_knowledge_base(kb, capsys):
    assert main(["kb", "lint", str(TOPIC)]) == 0
    out, err = capsys.readouterr()
    assert out == f"OK: {TOPIC}: no problems\n"
    assert err == ""


def test_lint_of_one_file_lists_its_own_problems_and_counts_the_others(kb, capsys):
    misspell_steps(kb)
    (kb / "topics" / "long-wait.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    assert main(["kb", "lint", str(TOPIC)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(f"{TOPIC}:") and "unknown key 'setps'" in lines[0]
    assert lines[1] == "(1 problem in other files: `coachbot kb lint` lists them)"
    assert out == ""


def test_lint_of_a_file_that_links_to_a_broken_topic_is_clean(kb, capsys):
    """stay-calm's typo is its own problem, not one of each file that relates to it."""
    misspell_steps(kb)
    related = next(
        path
        for path in sorted((kb / "topics").glob("*.yaml"))
        if "stay-calm" in path.read_text(encoding="utf-8").split("\nrelated:", 1)[1]
    )
    shown = Path("knowledge/topics") / related.name
    assert main(["kb", "lint", str(shown)]) == 0
    out, err = capsys.readouterr()
    assert out == f"OK: {shown}: no problems\n"
    assert err == "(1 problem in other files: `coachbot kb lint` lists them)\n"


def test_lint_of_a_quiz_file_resolves_its_topic(kb, capsys):
    assert main(["kb", "lint", "knowledge/quizzes/stay-calm.yaml"]) == 0
    assert capsys.readouterr().out == "OK: knowledge/quizzes/stay-calm.yaml: no problems\n"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("knowledge/schema/topic.schema.json", "not a knowledge file"),
        ("elsewhere.yaml", "no such file or folder"),
    ],
)
def test_lint_of_something_else_says_what_it_checks(kb, capsys, path, message):
    assert main(["kb", "lint", path]) == 1
    assert message in capsys.readouterr().err


def test_a_new_card_is_a_draft_that_stops_nothing(kb, capsys):
    """`kb new` promises that the bot keeps the knowledge it has; ask and topics still work."""
    assert main(["kb", "new", "late-refund"]) == 0
    capsys.readouterr()
    assert main(["topics"]) == 0
    assert "late-refund" not in capsys.readouterr().out
    assert main(["ask", "customer is shouting at me"]) == 0
    capsys.readouterr()

    assert main(["kb", "lint"]) == 0  # the bot would start: drafts do not fail the folder
    out, err = capsys.readouterr()
    assert "1 draft topic not served: late-refund" in out
    assert "knowledge/topics/late-refund.yaml: draft, not served; " in err
    assert "knowledge/topics/late-refund.yaml:" in err and "TODO placeholder" in err

    assert main(["kb", "lint", "knowledge/topics/late-refund.yaml"]) == 1  # not finished
    assert "TODO placeholder" in capsys.readouterr().err


def test_a_finished_draft_waits_for_its_draft_line_to_go(kb, capsys):
    text = (kb / "topics" / "stay-calm.yaml").read_text(encoding="utf-8")
    (kb / "topics" / "stay-calm.yaml").write_text("draft: true\n" + text, encoding="utf-8")
    live = LiveKnowledge.load(kb)
    assert "stay-calm" not in live.kb.by_id
    assert [d.id for d in live.kb.drafts] == ["stay-calm"] and not live.kb.drafts[0].problems
    assert not [item for item in live.kb.quiz if item.topic_id == "stay-calm"]  # not yet
    assert live.matcher.match("how do I stay calm").topic_id != "stay-calm"

    assert main(["kb", "lint", str(TOPIC)]) == 0
    assert capsys.readouterr().out == f"OK: {TOPIC}: a draft with no problems left\n"


def test_a_draft_too_broken_to_parse_is_still_a_draft(kb):
    (kb / "topics" / "half.yaml").write_text("draft: true\nid: half\ntitle: [\n", "utf-8")
    [draft] = LiveKnowledge.load(kb).kb.drafts
    assert draft.id == "half" and "YAML syntax error" in draft.problems[0]


def test_a_drafts_own_links_are_checked_for_it(kb):
    path = kb / "topics" / "stay-calm.yaml"
    text = path.read_text(encoding="utf-8").replace("related: [", "related: [stay-clam, ", 1)
    path.write_text("draft: true\n" + text, encoding="utf-8")
    [draft] = LiveKnowledge.load(kb).kb.drafts  # the draft's problem does not stop the load
    [problem] = draft.problems
    assert problem.endswith("unknown related topic 'stay-clam' (did you mean 'stay-calm'?)")


def test_draft_must_be_true_or_false(kb):
    path = kb / "topics" / "stay-calm.yaml"
    path.write_text("draft: maybe\n" + path.read_text(encoding="utf-8"), "utf-8")
    with pytest.raises(Exception, match="'draft' must be true or false"):
        LiveKnowledge.load(kb)
