"""The debrief preview every platform shows: the scrubbed text with Submit, or why not, with
the raw text kept as a draft either way."""

from __future__ import annotations

from coachbot.debrief.drafts import DraftStore
from coachbot.debrief.preview import KEPT, preview

ROUGH = {
    "what_happened": "Maria Lopez shouted about a late parcel, call her on 07700 900123.",
    "what_tried": "I listened and gave a date.",
    "what_worked": "",
    "next_time": "",
}


async def _preview(app, drafts, raw=ROUGH, token="tok-12345"):
    return await preview(
        app.debriefs,
        drafts,
        token=token,
        author="a1",
        guild_id="g1",
        raw=raw,
        topic="",
        known_names=["Maria Lopez"],
    )


def _ids(shown) -> list[str]:
    return [a.id.rsplit(":", 2)[1] for a in shown.actions]


async def test_a_preview_shows_the_scrubbed_debrief_with_submit_edit_and_discard(app, clock):
    drafts = DraftStore(clock)
    shown = await _preview(app, drafts)

    assert shown.text is None and shown.debrief is not None
    text = " ".join(t for _, t in shown.debrief.sections)
    assert "Maria" not in text and "07700" not in text
    assert shown.footer is not None and shown.footer.startswith("Removed: ")
    assert _ids(shown) == ["submit", "edit", "discard"]
    assert drafts.take("tok-12345", "a1", keep=True).draft is not None


async def test_an_empty_debrief_is_refused_and_its_text_kept(app, clock):
    drafts = DraftStore(clock)
    shown = await _preview(app, drafts, raw={"what_happened": "   "})

    assert shown.debrief is None and KEPT in (shown.text or "")
    assert _ids(shown) == ["edit", "discard"]
    assert drafts.take("tok-12345", "a1", keep=True) is not None


async def test_too_many_previews_are_slowed_down_and_the_text_kept(app, clock):
    drafts = DraftStore(clock, rate=1, per=60)
    await _preview(app, drafts, token="first-123")
    shown = await _preview(app, drafts, token="second-12")

    assert shown.text is not None and shown.text.startswith("Slow down a little: try again in")
    assert KEPT in shown.text and _ids(shown) == ["edit", "discard"]
    assert drafts.take("second-12", "a1", keep=True) is not None
