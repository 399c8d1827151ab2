"""Trainers see every problem at once, each as file:line:column and a plain sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachbot.errors import KnowledgeError
from coachbot.knowledge import load_knowledge


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return caught.value.problems


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def replace_field(path: Path, key: str, next_key: str, new: str) -> None:
    """Replace a whole top-level field (up to the next key) with `new`."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(f"\n{key}:"), text.index(f"\n{next_key}:")
    path.write_text(text[:start] + "\n" + new + text[end:], encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_the_shipped_knowledge_base_loads(live_knowledge):
    assert len(live_knowledge.kb.topics) >= 32
    assert live_knowledge.kb.synonyms and live_knowledge.kb.out_of_scope


def test_a_misspelt_key_is_reported_once_with_its_position_and_a_suggestion(knowledge_copy):
    """The typo is the one problem: not also a missing 'steps', nor a broken link to the topic
    from each of the six files that relate to it (the topic exists, it has a problem)."""
    path = knowledge_copy / "topics" / "stay-calm.yaml"
    replace_in(path, "\nsteps:", "\nsetps:")
    problems = problems_of(knowledge_copy)
    line = line_of(path, "setps:")
    assert problems == [f"{path}:{line}:1: unknown key 'setps' in a topic (did you mean 'steps'?)"]


def test_a_topic_with_a_problem_still_counts_for_quizzes_about_it(knowledge_copy):
    replace_in(knowledge_copy / "topics" / "stay-calm.yaml", "\ntitle:", "\ntitel:")
    quiz = knowledge_copy / "quizzes" / "stay-calm.yaml"
    assert quiz.exists() and "topic: stay-calm" in quiz.read_text(encoding="utf-8")
    assert [p.split(": ", 1)[1] for p in problems_of(knowledge_copy)] == [
        "unknown key 'titel' in a topic (did you mean 'title'?)"
    ]


def test_a_link_to_a_topic_that_does_not_exist_is_still_reported(knowledge_copy):
    (knowledge_copy / "topics" / "stay-calm.yaml").unlink()
    (knowledge_copy / "quizzes" / "stay-calm.yaml").unlink(missing_ok=True)
    problems = problems_of(knowledge_copy)
    assert problems and all("unknown related topic 'stay-calm'" in p for p in problems)


def test_steps_that_are_not_a_list_of_strings_are_named(knowledge_copy):
    path = knowledge_copy / "topics" / "stay-calm.yaml"
    replace_field(path, "steps", "say", "steps: just breathe")
    line = line_of(path, "steps: just breathe")
    assert f"stay-calm.yaml:{line}:8: 'steps' must be a list of strings" in "\n".join(
        problems_of(knowledge_copy)
    )


def test_every_problem_of_a_run_is_reported_at_once(knowledge_copy):
    replace_in(knowledge_copy / "topics" / "stay-calm.yaml", "\nsteps:", "\nsetps:")
    replace_in(knowledge_copy / "topics" / "long-wait.yaml", "\nsummary:", "\nsummary: ''\nold:")
    (knowledge_copy / "topics" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    problems = problems_of(knowledge_copy)
    files = {p.split(":")[0].rsplit("/", 1)[-1] for p in problems}
    assert {"stay-calm.yaml", "long-wait.yaml", "broken.yaml"} <= files


def test_yaml_syntax_errors_carry_their_position(knowledge_copy):
    path = knowledge_copy / "topics" / "zz-broken.yaml"
    path.write_text("id: zz-broken\ntitle: [not closed\nsummary: x\n", encoding="utf-8")
    (problem,) = [p for p in problems_of(knowledge_copy) if "zz-broken" in p]
    assert "YAML syntax error" in problem
    assert problem.split(":")[1].isdigit() and problem.split(":")[2].isdigit()


def test_duplicate_ids_across_files_are_refused(knowledge_copy):
    source = knowledge_copy / "topics" / "stay-calm.yaml"
    copy = knowledge_copy / "topics" / "stay-calm-copy.yaml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    problems = "\n".join(problems_of(knowledge_copy))
    assert "'id' is 'stay-calm' but the file is named 'stay-calm-copy.yaml'" in problems


def test_unknown_related_ids_point_at_the_entry(knowledge_copy):
    path = knowledge_copy / "topics" / "stay-calm.yaml"
    replace_in(path, "related: [", "related: [stay-clam, ")
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index(
            next(row for row in path.read_text(encoding="utf-8").splitlines() if "stay-clam" in row)
        )
    )
    problems = "\n".join(problems_of(knowledge_copy))
    # the file itself is valid, so it was read without positions; they are found when needed
    assert (
        f"stay-calm.yaml:{line + 1}:11: unknown related topic 'stay-clam' "
        "(did you mean 'stay-calm'?)" in problems
    )


def test_empty_required_fields_are_refused(knowledge_copy):
    replace_field(knowledge_copy / "topics" / "long-wait.yaml", "say", "avoid", "say: []")
    assert any("'say' must not be empty" in p for p in problems_of(knowledge_copy))


def test_a_yaml_bomb_is_refused_without_expanding_it(knowledge_copy):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    (knowledge_copy / "topics" / "bomb.yaml").write_text("\n".join(lines), encoding="utf-8")
    problems = "\n".join(problems_of(knowledge_copy))
    assert "anchors and aliases (& and *) are not allowed here" in problems


def test_a_huge_file_is_refused_with_its_size(knowledge_copy):
    (knowledge_copy / "topics" / "huge.yaml").write_bytes(b"# " + b"x" * 50_000_000)
    problems = "\n".join(problems_of(knowledge_copy))
    assert "huge.yaml:1:1: the file is too large (50.0 MB)" in problems


def test_binary_or_non_utf8_files_are_refused(knowledge_copy):
    (knowledge_copy / "topics" / "latin1.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    assert any("not UTF-8" in p for p in problems_of(knowledge_copy))


def test_an_empty_file_and_a_list_instead_of_a_mapping(knowledge_copy):
    (knowledge_copy / "topics" / "empty.yaml").write_text("", encoding="utf-8")
    (knowledge_copy / "topics" / "listy.yaml").write_text("- a\n- b\n", encoding="utf-8")
    problems = "\n".join(problems_of(knowledge_copy))
    assert "empty.yaml:1:1: the file is empty" in problems
    assert "listy.yaml:1:1: a topic file must be a mapping" in problems


def test_a_missing_topics_folder_is_explained(tmp_path):
    assert "no topics folder here" in problems_of(tmp_path)[0]


def test_synonym_groups_need_two_terms(knowledge_copy):
    (knowledge_copy / "synonyms.yaml").write_text("groups:\n  - [alone]\n", encoding="utf-8")
    assert any("'group 1' needs at least 2 entries" in p for p in problems_of(knowledge_copy))


def test_a_section_too_long_to_show_whole_on_both_platforms_is_named(knowledge_copy):
    """Each step fits its own limit (300), but six of them as the card numbers them pass the
    smaller of Discord's and Slack's section limits (coachbot.limits.CARD_SECTION)."""
    from coachbot import limits
    from coachbot.knowledge.fast.read import read_plain_topic

    path = knowledge_copy / "topics" / "stay-calm.yaml"
    step = "Breathe slowly and answer in a steady voice " + "x" * 230  # 273 characters
    replace_field(path, "steps", "say", "steps:\n" + f"  - {step}\n" * 6)
    shown = 6 * (len(step) + 3) + 5
    assert len(step) <= 300 < limits.CARD_SECTION < shown

    problems = "\n".join(problems_of(knowledge_copy))

    line = line_of(path, "steps:")
    assert (
        f"stay-calm.yaml:{line + 1}:3: 'steps' is {shown} characters as the card shows it; "
        f"the limit is {limits.CARD_SECTION}"
    ) in problems
    assert read_plain_topic(path.read_text(encoding="utf-8"), path.name, path.stem) is None
