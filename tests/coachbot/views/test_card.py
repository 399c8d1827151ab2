"""The card view model: what an answer shows, decided once for every adapter."""

from __future__ import annotations

import re

from coachbot import actions, limits
from coachbot.ask import AskKind, AskResult
from coachbot.knowledge.models import AvoidPhrase, Topic
from coachbot.views.card import (
    CHOICES_SHOWN,
    CLARIFY_TEXT,
    DECLINED_TEXT,
    NONE_OF_THESE,
    CardView,
    ChoicesView,
    CommandNames,
    ReplyView,
    ask_view,
    card_view,
    needs_token,
)

SLACK = CommandNames(ask="/coach", topics="/coach topics", tip="/coach tip", help="/coach help")


def _huge_topic() -> Topic:
    long = "word " * 2_000
    return Topic(
        id="huge",
        title="T" * 400,
        tags=("x",),
        questions=("q",),
        summary=long,
        steps=tuple(long for _ in range(6)),
        say=tuple(long for _ in range(5)),
        avoid=tuple(AvoidPhrase(long, long) for _ in range(3)),
        related=(),
        sources=tuple(f"source-{n}.md" for n in range(100)),
        tip=long,
    )


def _result(kind: AskKind, topic=None, alternatives=(), related=(), question="q") -> AskResult:
    return AskResult(question, kind, topic, 0.9, tuple(alternatives), tuple(related))


def _ids(view) -> list[str]:
    return [a.id for a in view.actions]


def test_a_card_answer_shows_its_sections_in_order_and_its_buttons(live_knowledge):
    kb = live_knowledge.kb
    topic = next(t for t in kb.topics if len(t.related) >= 1)
    related = tuple(kb.by_id[r] for r in topic.related if r in kb.by_id)
    view = ask_view(_result(AskKind.CARD, topic, related=related), shareable=True, token="tok12345")

    assert isinstance(view, CardView)
    assert (view.title, view.summary) == (topic.title, topic.summary)
    assert [s.name for s in view.sections] == ["Steps", "Say", "Avoid"]
    assert view.steps.lines[0] == f"1. {topic.steps[0]}" and view.say.lines[0].startswith("✅")
    assert [a.label for a in view.actions[:3]] == ["Share in channel", "Helpful", "Not helpful"]
    assert view.actions[1].id == actions.vote(topic.id, True)  # Helpful needs no token
    assert view.actions[2].id == f"cb:vote:{topic.id}:0:tok12345"
    opens = view.actions[3:]
    assert 1 <= len(opens) <= 3 and all(a.row == 1 for a in opens)
    assert [a.label for a in opens] == [t.title for t in related[:3]]
    assert all(a.id.endswith(":tok12345") for a in opens)
    assert all(actions.is_known(i) and len(i) <= limits.BOTH.action_id for i in _ids(view))


def test_a_public_card_has_no_share_button_and_no_token_without_one(live_knowledge):
    topic = live_knowledge.kb.by_id["stay-calm"]
    view = card_view(topic, live_knowledge.kb.by_id, shareable=False)
    assert actions.share(topic.id) not in _ids(view)
    assert not any(i.endswith(":") for i in _ids(view))
    assert view.footer.startswith("Card: stay-calm")


def test_a_huge_card_is_clipped_to_the_content_limits_on_whole_lines():
    view = card_view(_huge_topic(), {}, shareable=False)
    assert len(view.title) <= limits.CARD_TITLE
    assert all(0 < len(s.text) <= limits.CARD_SECTION for s in view.sections)
    assert view.summary.endswith("…") and view.tip is not None and len(view.tip) <= 300
    total = len(view.title) + len(view.summary) + len(view.tip) + len(view.footer)
    total += sum(len(s.name) + len(s.text) for s in view.sections) + len("Tip")
    assert total <= 6000  # Discord's embed total, the tighter of the two platforms


def test_a_clarify_offers_every_choice_then_none_of_these(live_knowledge):
    offered = live_knowledge.kb.topics[:3]
    view = ask_view(_result(AskKind.CLARIFY, alternatives=offered), shareable=True, token="t" * 8)
    assert isinstance(view, ChoicesView) and view.text == CLARIFY_TEXT and view.via == "c"
    assert [a.label for a in view.actions] == [t.title for t in offered] + [NONE_OF_THESE]
    assert view.actions[-1].id == actions.choose("c", None, "t" * 8) and view.actions[-1].row == 1


def test_a_decline_offers_the_closest_topics_then_browsing(live_knowledge):
    closest = live_knowledge.kb.topics[:5]
    view = ask_view(_result(AskKind.DECLINED, alternatives=closest), shareable=True)
    assert isinstance(view, ChoicesView) and view.text == DECLINED_TEXT and view.via == "d"
    assert len(view.actions) == CHOICES_SHOWN + 1
    assert view.actions[-1].id == actions.topics(0, "")
    nothing = ask_view(_result(AskKind.DECLINED), shareable=True, commands=SLACK)
    assert "`/coach topics`" in nothing.text and _ids(nothing) == [actions.topics(0, "")]


def test_other_answers_are_one_line_naming_the_platforms_commands():
    for kind in (AskKind.HELP, AskKind.EMPTY, AskKind.TOO_LONG, AskKind.NOT_A_QUESTION):
        view = ask_view(_result(kind), shareable=True)
        assert isinstance(view, ReplyView) and view.text
    command = ask_view(_result(AskKind.COMMAND, question="`clear`"), shareable=True, commands=SLACK)
    assert "'clear'" in command.text and "`/coach topics`" in command.text
    assert "`/coach`" in ask_view(_result(AskKind.HELP), shareable=True, commands=SLACK).text


def test_a_token_is_needed_only_where_a_click_can_record_a_pick(live_knowledge):
    topic = live_knowledge.kb.by_id["stay-calm"]
    assert needs_token(_result(AskKind.CLARIFY, alternatives=(topic,)))
    assert needs_token(_result(AskKind.CARD, topic, related=(topic,)))
    assert not needs_token(_result(AskKind.CARD, topic))
    assert not needs_token(_result(AskKind.DECLINED))
    assert not needs_token(_result(AskKind.HELP))


def test_old_ids_without_a_token_still_parse():
    assert re.fullmatch(actions.VOTE, "cb:vote:stay-calm:0")["token"] is None
    assert re.fullmatch(actions.OPEN, "cb:open:stay-calm:abcdefgh")["token"] == "abcdefgh"
