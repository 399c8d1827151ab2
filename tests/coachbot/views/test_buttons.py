"""The confirm and review buttons every adapter draws: the same ids and words."""

from __future__ import annotations

from coachbot import actions
from coachbot.actions import Style
from coachbot.views.debrief import review_actions
from coachbot.views.me import forget_actions


def test_forget_asks_for_a_dangerous_yes_or_a_cancel_for_one_person():
    yes, no = forget_actions("U12345")
    assert (yes.label, yes.style, yes.id) == (
        "Delete my data",
        Style.DANGER,
        "cb:me-forget:yes:U12345",
    )
    assert (no.label, no.id) == ("Cancel", "cb:me-forget:no:U12345")
    assert actions.is_known(yes.id) and actions.is_known(no.id)


def test_a_review_is_approved_or_rejected():
    approve, reject = review_actions("a" * 24)
    assert [(a.label, a.style) for a in (approve, reject)] == [
        ("Approve", Style.SUCCESS),
        ("Reject", Style.DANGER),
    ]
    assert approve.id == actions.review("a" * 24, True) and actions.is_known(reject.id)
