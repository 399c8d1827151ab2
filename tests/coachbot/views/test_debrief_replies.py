"""The debrief replies both platforms give: one wording, each platform's bold and command."""

from __future__ import annotations

from coachbot.debrief.service import MIN_BATCH
from coachbot.views.debrief import channel_text, helped_text, reviewed_text, thanks_text


def test_the_thanks_names_the_code_once_and_how_it_deletes():
    text = thanks_text("*AB12-CD34-EF56*", delete_hint="`/coach debrief delete AB12-CD34-EF56`")
    assert "no name on it" in text and f"next digest of {MIN_BATCH} or more" in text
    assert "Deletion code: *AB12-CD34-EF56*. Keep it: it is shown only now" in text
    assert text.endswith("`/coach debrief delete AB12-CD34-EF56` removes the debrief.")


def test_a_click_on_a_deleted_debrief_or_a_second_click_says_so():
    assert [helped_text(first) for first in (True, False, None)] == [
        "Noted, thank you.",
        "You already said so; it counts once.",
        "That debrief has been deleted by its author.",
    ]
    assert (
        reviewed_text(True, done=False) == reviewed_text(False, done=False) == "Already reviewed."
    )
    assert reviewed_text(False, done=True) == "Rejected and deleted."
    assert channel_text("17:00", "Europe/Berlin", True).endswith("after a trainer approves each.")
