"""When the scrubber breaks, an agent is told plainly, nothing is stored or logged with their
words, a debrief's text is kept for editing, and a question still gets its card."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from coachbot import logs
from coachbot.debrief import scrubber
from coachbot.errors import SCRUB_FAILED
from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv, iter_components

DEBRIEF = {
    "what_happened": "Mr Aldous Fennimore-Quayle shouted about his cancelled order.",
    "what_tried": "I let him finish and repeated the order number back.",
    "what_worked": "",
    "next_time": "",
    "topic": "",
}


def _broken(ledger) -> None:
    raise RuntimeError(f"cannot scrub {ledger.text!r}")


@pytest.fixture
def log_and_broken_pass(monkeypatch) -> Iterator[io.StringIO]:
    """A scrubber pass that raises, and the bot's log as `coachbot run` writes it (DEBUG)."""
    monkeypatch.setattr(scrubber, "_PASSES", (*scrubber._PASSES, ("broken", _broken)))
    stream = io.StringIO()
    logs.configure("DEBUG", stream=stream)
    yield stream
    logs.remove()


async def test_a_debrief_that_cannot_be_scrubbed_is_refused_and_kept_for_editing(
    log_and_broken_pass: io.StringIO, env: DiscordEnv, app
):
    form = await env.slash("debrief write", user=env.ada)

    reply = await env.submit_modal(form, DEBRIEF, user=env.ada)

    assert reply.ephemeral and SCRUB_FAILED in reply.content and "press Edit" in reply.content
    assert "Fennimore" not in str(reply.callback)
    assert not any("submit" in i for i in button_ids(reply))
    assert await app.database.connection.execute_fetchall("SELECT * FROM debriefs") == []
    edit = await env.click(reply, "Edit", user=env.ada)
    kept = {c.get("custom_id"): c.get("value") for c in iter_components(edit.modal["components"])}
    assert kept["what_happened"] == DEBRIEF["what_happened"]
    text = log_and_broken_pass.getvalue()
    assert "scrubber pass 'broken' failed with RuntimeError" in text
    assert "Fennimore" not in text and "order number" not in text
    assert all("scrubber pass 'broken'" in p for p in env.take_problems())  # expected ERRORs


async def test_a_question_still_gets_its_card_and_no_ask_is_logged_unmasked(
    log_and_broken_pass: io.StringIO, env: DiscordEnv, app
):
    reply = await env.slash("ask", question="customer keeps screaming at me, what do I do")

    assert reply.ephemeral and reply.embeds[0]["title"] == app.knowledge.kb.by_id["stay-calm"].title
    await app.asks._log.flush()  # the Discord bot writes the ask log in batches
    assert await app.database.connection.execute_fetchall("SELECT * FROM asks") == []
    assert "screaming" not in log_and_broken_pass.getvalue()
    # the ask log's scrub and the suggestions' (for the card's Not helpful) each say so
    problems = env.take_problems()
    assert problems and all("scrubber pass 'broken'" in p for p in problems)
    assert "cb:vote:stay-calm:0" in button_ids(reply)  # no token: nothing kept unmasked
