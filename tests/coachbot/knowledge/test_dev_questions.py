"""The matcher on the development sets: the figures that tuning is allowed to look at.

Both files in tests/coachbot/knowledge/data/ were written for the quality work, before the
matcher or the knowledge base changed, without copying the topics' own questions. Tuning
looked at dev_questions.yaml (run with `-s` for the per-topic confusion table and every
miss); dev_validation.yaml was only ever read in aggregate, as a check that the tuning
generalises. fresh_check.yaml, written later by someone who had seen only the list of topics,
is read in aggregate too. The held-out set in tests/data/ is only run at checkpoints.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process

from coachbot.ask import AskService
from coachbot.clock import system_clock
from coachbot.knowledge.text import words

DATA = Path(__file__).parent / "data"
DEV = yaml.safe_load((DATA / "dev_questions.yaml").read_text(encoding="utf-8"))
VALIDATION = yaml.safe_load((DATA / "dev_validation.yaml").read_text(encoding="utf-8"))
FRESH = yaml.safe_load((DATA / "fresh_check.yaml").read_text(encoding="utf-8"))
INDIRECT = yaml.safe_load((DATA / "dev_indirect.yaml").read_text(encoding="utf-8"))
SITUATIONS = yaml.safe_load((DATA / "dev_situations.yaml").read_text(encoding="utf-8"))

# Floors the matcher holds (see README "Answer quality"). Measured: dev 91.1% in scope (was
# 81.6% before the quality work) and 100% declined (was 88.6%); validation 81.1% (was 72.7%)
# and 95.0% (was 90.0%). The out-of-scope floors leave room for one or two near misses.
# Since "Which is closest?" (a clarify trades a few unsure right cards for one click on the
# right topic): dev 90.4% right, one click 95.6%; validation 79.5%, one click 86.4%; fresh
# 89.8%, one click 95.8%; dev_indirect (tuned on) 80.2%, one click 91.7%, 12/12 declined.
IN_SCOPE_FLOOR = 0.90
ONE_CLICK_FLOOR = 0.95
OUT_OF_SCOPE_FLOOR = 0.97
VALIDATION_IN_SCOPE_FLOOR = 0.79
VALIDATION_OUT_OF_SCOPE_FLOOR = 0.925
# fresh_check.yaml, first and only run before this floor: 91.2% in scope, 92.3% declined
FRESH_FLOOR = 0.89
INDIRECT_FLOOR = 0.79
INDIRECT_ONE_CLICK_FLOOR = 0.91
# dev_situations.yaml, written before the change it measures: 60.2% right, one click 82.3%,
# 16/18 declined; after the situation cues (synonyms), number words and the out-of-scope word
# share: 80.5% right, one click 93.8%, 16/18 declined (tuned on).
SITUATIONS_FLOOR = 0.80
SITUATIONS_ONE_CLICK_FLOOR = 0.93
SITUATIONS_DECLINED_FLOOR = 0.88


@pytest.fixture(scope="module")
def asks(live_knowledge) -> AskService:
    """The whole ask path, as `coachbot ask --json` answers."""
    return AskService(lambda: live_knowledge, None, system_clock)


def test_the_dev_sets_cover_every_topic_in_many_questions(live_knowledge):
    assert len(DEV["in_scope"]) >= 250
    assert len(DEV["out_of_scope"]) >= 80
    for data, least in ((DEV, 8), (VALIDATION, 4)):
        firsts = Counter(item["topics"][0] for item in data["in_scope"])
        assert set(firsts) == set(live_knowledge.kb.by_id)
        assert min(firsts.values()) >= least
        for item in data["in_scope"]:
            assert set(item["topics"]) <= set(live_knowledge.kb.by_id), item


def test_no_dev_question_was_pasted_into_the_knowledge_base(live_knowledge):
    """Tuning must generalise: a dev question copied into a topic would only measure recall."""
    kb = live_knowledge.kb
    examples = [" ".join(words(q)) for t in kb.topics for q in t.questions]
    examples += [" ".join(words(q)) for q in kb.out_of_scope]
    sets = (DEV, VALIDATION, FRESH, INDIRECT, SITUATIONS)
    dev = [item["q"] for data in sets for item in data["in_scope"]]
    dev += [*DEV["out_of_scope"], *VALIDATION["out_of_scope"], *FRESH["out_of_scope"]]
    dev += [item["q"] for data in (INDIRECT, SITUATIONS) for item in data["out_of_scope"]]
    copied = [
        (question, found[0])
        for question in dev
        if (
            found := process.extractOne(
                " ".join(words(question)), examples, scorer=fuzz.ratio, score_cutoff=90
            )
        )
    ]
    assert copied == []


def test_dev_in_scope_accuracy(asks):
    items = DEV["in_scope"]
    table: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    for item in items:
        result = asks.answer(item["q"])
        expected = item["topics"][0]
        if result.answered and result.topic.id in item["topics"]:
            table[expected]["hit"] += 1
            continue
        got = result.topic.id if result.answered else "(declined)"
        table[expected][got] += 1
        ranked = result.topic or (result.alternatives[0] if result.alternatives else None)
        misses.append((expected, got, ranked.id if ranked else "-", result.confidence, item["q"]))
    correct = sum(row["hit"] for row in table.values())
    print(f"\ndev in-scope: {correct}/{len(items)} = {correct / len(items):.1%}")
    for topic_id in sorted(table, key=lambda t: table[t]["hit"] / table[t].total()):
        row = table[topic_id]
        wrong = ", ".join(f"{k} {n}" for k, n in row.most_common() if k != "hit")
        print(f"  {topic_id:30} {row['hit']:>2}/{row.total():<2} {wrong}")
    for expected, got, ranked, confidence, question in misses:
        print(f"  MISS {expected} -> {got} (first {ranked} {confidence:.3f}): {question}")
    assert correct / len(items) >= IN_SCOPE_FLOOR
    assert _one_click(asks, items) >= ONE_CLICK_FLOOR


def _one_click(asks: AskService, items: list[dict]) -> float:
    """The share of questions where the right card is shown, or offered as a choice."""
    found = 0
    for item in items:
        result = asks.answer(item["q"])
        shown = (result.topic,) if result.answered else result.alternatives
        found += any(t.id in item["topics"] for t in shown)
    return found / len(items)


def test_indirect_and_story_questions_hold(asks):
    """dev_indirect.yaml: situations described rather than named; tuned on, like dev."""
    items = INDIRECT["in_scope"]
    correct = sum(
        result.answered and result.topic.id in item["topics"]
        for item in items
        if (result := asks.answer(item["q"]))
    )
    off = [asks.answer(item["q"]) for item in INDIRECT["out_of_scope"]]
    print(f"\nindirect: in scope {correct}/{len(items)}")
    assert len(items) >= 90 and {item["style"] for item in items} == {"indirect", "story"}
    assert correct / len(items) >= INDIRECT_FLOOR
    assert _one_click(asks, items) >= INDIRECT_ONE_CLICK_FLOOR
    assert not any(r.answered or r.clarify for r in off)


def test_situations_described_rather_than_named_hold(asks):
    """dev_situations.yaml: what the customer did or said, in many industries and voices."""
    items = SITUATIONS["in_scope"]
    correct = sum(
        result.answered and result.topic.id in item["topics"]
        for item in items
        if (result := asks.answer(item["q"]))
    )
    off = [asks.answer(item["q"]) for item in SITUATIONS["out_of_scope"]]
    declined = sum(not (r.answered or r.clarify) for r in off)
    print(f"\nsituations: in scope {correct}/{len(items)}, declined {declined}/{len(off)}")
    firsts = Counter(item["topics"][0] for item in items)
    assert len(items) >= 100 and min(firsts.values()) >= 3 and len(off) >= 15
    assert correct / len(items) >= SITUATIONS_FLOOR
    assert _one_click(asks, items) >= SITUATIONS_ONE_CLICK_FLOOR
    assert declined / len(off) >= SITUATIONS_DECLINED_FLOOR


def test_dev_out_of_scope_is_declined(asks):
    items = DEV["out_of_scope"]
    answered = [(text, asks.answer(text)) for text in items]
    wrongly = [(text, r.topic.id, r.confidence) for text, r in answered if r.answered]
    declined = len(items) - len(wrongly)
    print(f"\ndev out-of-scope declined: {declined}/{len(items)} = {declined / len(items):.1%}")
    for text, topic_id, confidence in wrongly:
        print(f"  ANSWERED {topic_id} {confidence:.3f}: {text}")
    assert declined / len(items) >= OUT_OF_SCOPE_FLOOR


def test_validation_figures_hold(asks):
    """Aggregates only: this set's misses stay unread, so it keeps measuring generalisation."""
    items = VALIDATION["in_scope"]
    correct = 0
    for item in items:
        result = asks.answer(item["q"])
        correct += result.answered and result.topic.id in item["topics"]
    declined = sum(not asks.answer(text).answered for text in VALIDATION["out_of_scope"])
    print(f"\nvalidation: in scope {correct}/{len(items)}, declined {declined}/", end="")
    print(len(VALIDATION["out_of_scope"]))
    assert correct / len(items) >= VALIDATION_IN_SCOPE_FLOOR
    assert declined / len(VALIDATION["out_of_scope"]) >= VALIDATION_OUT_OF_SCOPE_FLOOR


def test_a_fresh_set_written_from_the_topic_list_alone_holds(asks):
    """Aggregates only: the nearest thing here to the held-out set the project is measured on
    elsewhere, which it does not have."""
    items = FRESH["in_scope"]
    correct = sum(
        result.answered and result.topic.id in item["topics"]
        for item in items
        if (result := asks.answer(item["q"]))
    )
    declined = sum(not asks.answer(text).answered for text in FRESH["out_of_scope"])
    print(f"\nfresh: in scope {correct}/{len(items)}, declined {declined}/", end="")
    print(len(FRESH["out_of_scope"]))
    assert len(items) >= 200 and len(FRESH["out_of_scope"]) >= 50
    assert correct / len(items) >= FRESH_FLOOR
    assert declined / len(FRESH["out_of_scope"]) >= FRESH_FLOOR
