"""After a reload the trainer is told what changed: added, removed, edited, and which fields."""

from __future__ import annotations

from dataclasses import replace

from coachbot.knowledge.diff import KnowledgeDiff, TopicEdit, diff_knowledge
from coachbot.knowledge.models import KnowledgeBase, SynonymGroup


def _edited(kb: KnowledgeBase, topic_id: str, **changes) -> tuple:
    return tuple(replace(t, **changes) if t.id == topic_id else t for t in kb.topics)


def test_the_same_knowledge_has_no_changes(live_knowledge):
    kb = live_knowledge.kb
    same = KnowledgeBase(kb.topics, kb.synonyms, kb.out_of_scope, kb.quiz)
    changes = diff_knowledge(kb, same)
    assert changes == KnowledgeDiff()
    assert changes.empty and changes.summary() == "no changes" and changes.details() == []


def test_added_removed_and_edited_topics_are_named_with_the_changed_fields(live_knowledge):
    kb = live_knowledge.kb
    stay_calm = kb.by_id["stay-calm"]
    topics = _edited(kb, "stay-calm", steps=stay_calm.steps[:3], say=("Take a breath.", "Go on."))
    topics = tuple(t for t in topics if t.id != "long-wait")
    topics += (replace(stay_calm, id="brand-new", title="Brand new"),)
    new = KnowledgeBase(topics, kb.synonyms, kb.out_of_scope, kb.quiz)

    changes = diff_knowledge(kb, new)

    assert changes.topics_added == ("brand-new",)
    assert changes.topics_removed == ("long-wait",)
    assert changes.topics_edited == (TopicEdit("stay-calm", ("steps", "say")),)
    assert changes.summary() == "1 topic added, 1 edited, 1 removed"
    assert changes.details() == [
        "Topics added: brand-new",
        "Topics edited: stay-calm (steps, say)",
        "Topics removed: long-wait",
    ]


def test_freshness_fields_count_as_edits_but_the_file_a_topic_came_from_does_not(live_knowledge):
    kb = live_knowledge.kb
    moved = KnowledgeBase(_edited(kb, "stay-calm", source_file="elsewhere/stay-calm.yaml"))
    owned = KnowledgeBase(_edited(kb, "stay-calm", owner="Priya"))
    base = KnowledgeBase(kb.topics)
    assert diff_knowledge(base, moved).empty
    assert diff_knowledge(base, owned).topics_edited == (TopicEdit("stay-calm", ("owner",)),)


def test_quiz_items_added_removed_and_edited(live_knowledge):
    kb = live_knowledge.kb
    first, second, third, *rest = kb.quiz
    changed = replace(first, answer=(first.answer + 1) % len(first.choices))
    added = replace(second, id="brand-new-1")
    new = KnowledgeBase(kb.topics, kb.synonyms, kb.out_of_scope, (changed, second, added, *rest))

    changes = diff_knowledge(kb, new)

    assert changes.quiz_added == ("brand-new-1",)
    assert changes.quiz_removed == (third.id,)
    assert changes.quiz_edited == (first.id,)
    assert changes.summary() == "1 quiz item added, 1 edited, 1 removed"
    assert f"Quiz items edited: {first.id}" in changes.details()


def test_synonym_and_out_of_scope_changes_are_counted(live_knowledge):
    kb = live_knowledge.kb
    groups = (*kb.synonyms[1:], SynonymGroup(("zzparcel", "zzpackage")))
    examples = (*kb.out_of_scope, "zz test example one", "zz test example two")
    changes = diff_knowledge(kb, KnowledgeBase(kb.topics, groups, examples, kb.quiz))
    assert (changes.synonyms_added, changes.synonyms_removed) == (1, 1)
    assert (changes.out_of_scope_added, changes.out_of_scope_removed) == (2, 0)
    assert changes.summary() == "1 synonym group added, 1 removed; 2 out-of-scope examples added"
