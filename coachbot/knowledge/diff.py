"""What changed between two versions of the knowledge base, as a trainer wants to hear it.

After a reload the trainer sees topics and quiz items added, removed and edited (any field
changed, named), and synonym and out-of-scope changes, so a typo that silently dropped a
topic is noticed at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from coachbot.knowledge.models import KnowledgeBase, QuizItem, Topic

IGNORED_FIELDS = frozenset({"source_file"})  # where a value was read from is not content


@dataclass(frozen=True)
class TopicEdit:
    topic_id: str
    fields: tuple[str, ...]  # the YAML keys whose values changed

    def __str__(self) -> str:
        return f"{self.topic_id} ({', '.join(self.fields)})"


@dataclass(frozen=True)
class KnowledgeDiff:
    topics_added: tuple[str, ...] = ()
    topics_removed: tuple[str, ...] = ()
    topics_edited: tuple[TopicEdit, ...] = ()
    quiz_added: tuple[str, ...] = ()
    quiz_removed: tuple[str, ...] = ()
    quiz_edited: tuple[str, ...] = ()
    synonyms_added: int = 0  # groups; a group whose terms changed counts once each way
    synonyms_removed: int = 0
    out_of_scope_added: int = 0
    out_of_scope_removed: int = 0

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def summary(self) -> str:
        """One line: "2 topics added, 1 edited; 3 quiz items added", or "no changes"."""
        parts = [
            _counts(
                "topic",
                (len(self.topics_added), len(self.topics_edited), len(self.topics_removed)),
            ),
            _counts(
                "quiz item",
                (len(self.quiz_added), len(self.quiz_edited), len(self.quiz_removed)),
            ),
            _counts("synonym group", (self.synonyms_added, 0, self.synonyms_removed)),
            _counts(
                "out-of-scope example", (self.out_of_scope_added, 0, self.out_of_scope_removed)
            ),
        ]
        return "; ".join(part for part in parts if part) or "no changes"

    def details(self) -> list[str]:
        """One line per kind of change, naming what changed."""
        named = [
            ("Topics added", self.topics_added),
            ("Topics edited", tuple(str(edit) for edit in self.topics_edited)),
            ("Topics removed", self.topics_removed),
            ("Quiz items added", self.quiz_added),
            ("Quiz items edited", self.quiz_edited),
            ("Quiz items removed", self.quiz_removed),
        ]
        return [f"{label}: {', '.join(ids)}" for label, ids in named if ids]


def _counts(noun: str, counts: tuple[int, int, int]) -> str:
    """ "2 topics added, 1 edited" (the noun goes with the first count), or ""."""
    done = [(n, verb) for n, verb in zip(counts, ("added", "edited", "removed"), strict=True) if n]
    if not done:
        return ""
    (first, verb), rest = done[0], done[1:]
    head = f"{first} {noun}{'' if first == 1 else 's'} {verb}"
    return ", ".join([head, *(f"{n} {verb}" for n, verb in rest)])


def diff_knowledge(old: KnowledgeBase, new: KnowledgeBase) -> KnowledgeDiff:
    """Compare two versions; ids are listed in alphabetical order."""
    added, removed, changed = _compare(old.by_id, new.by_id)
    quiz_added, quiz_removed, quiz_changed = _compare(old.quiz_by_id, new.quiz_by_id)
    old_groups = {group.terms for group in old.synonyms}
    new_groups = {group.terms for group in new.synonyms}
    old_examples, new_examples = set(old.out_of_scope), set(new.out_of_scope)
    return KnowledgeDiff(
        topics_added=added,
        topics_removed=removed,
        topics_edited=tuple(
            TopicEdit(topic_id, _changed_fields(old.by_id[topic_id], new.by_id[topic_id]))
            for topic_id in changed
        ),
        quiz_added=quiz_added,
        quiz_removed=quiz_removed,
        quiz_edited=quiz_changed,
        synonyms_added=len(new_groups - old_groups),
        synonyms_removed=len(old_groups - new_groups),
        out_of_scope_added=len(new_examples - old_examples),
        out_of_scope_removed=len(old_examples - new_examples),
    )


def _compare(
    old: Mapping[str, Topic | QuizItem], new: Mapping[str, Topic | QuizItem]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(key for key in set(old) & set(new) if _changed_fields(old[key], new[key]))
    return tuple(added), tuple(removed), tuple(changed)


def _changed_fields(old: Topic | QuizItem, new: Topic | QuizItem) -> tuple[str, ...]:
    return tuple(
        _names(f.name for f in fields(old) if getattr(old, f.name) != getattr(new, f.name))
    )


def _names(names: Iterable[str]) -> Iterable[str]:
    """Field names as the YAML spells them (a quiz item's `answer` is its `correct` flag)."""
    for name in names:
        if name not in IGNORED_FIELDS:
            yield {"answer": "correct", "topic_id": "topic"}.get(name, name)
