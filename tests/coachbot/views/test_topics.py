"""A topic page's turns and a tip's opener, the same on every platform."""

from __future__ import annotations

from coachbot import actions
from coachbot.browse import Tip, TopicPage
from coachbot.views.topics import page_actions, tip_action


def test_page_turns_are_offered_only_when_there_is_another_page(live_knowledge):
    topics = live_knowledge.kb.topics[:2]
    assert page_actions(TopicPage(None, 0, 1, topics)) == ()
    first = page_actions(TopicPage("anger", 0, 3, topics))
    assert [(a.label, a.id, a.disabled) for a in first] == [
        ("◀ Previous", actions.topics(0, "anger"), True),
        ("Next ▶", actions.topics(1, "anger"), False),
    ]
    last = page_actions(TopicPage(None, 2, 3, topics))
    assert [a.disabled for a in last] == [False, True]
    assert page_actions(TopicPage("Not A Tag!", 0, 3, topics)) == ()  # no id could carry it


def test_a_tip_opens_its_card(live_knowledge):
    topic = live_knowledge.kb.by_id["stay-calm"]
    action = tip_action(Tip("Breathe.", topic))
    assert action.id == actions.open_topic("stay-calm") and action.label.startswith("Open: ")
