"""Suggestions in the local chat: a trainer lists them, accepts or rejects by number."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.console import Console
from coachbot.suggestions import CLARIFY, DECLINE
from tests.coachbot.test_suggestions import (
    DECLINED,
    TOPIC,
    app,  # noqa: F401 (the fixture: a writable copy)
)

OTHER = "a farmer phones us about the meter every single week"


@pytest.fixture
async def picked(app: App) -> App:  # noqa: F811 (the imported fixture)
    """Agents picked TOPIC for DECLINED twice and for OTHER once."""
    await app.suggestions.record_pick(DECLINED, TOPIC, DECLINE)
    await app.suggestions.record_pick(DECLINED, TOPIC, CLARIFY)
    await app.suggestions.record_pick(OTHER, TOPIC, CLARIFY)
    return app


async def test_a_trainer_accepts_one_rejects_one_and_the_question_is_answered(picked):
    console = Console(picked)
    assert "Steps:" not in await console.handle(DECLINED)

    listed = await console.handle("suggestions")

    assert listed.startswith("2 suggestions, most picked first. Type accept N")
    assert f"     1  {DECLINED}" in listed
    accepted = await console.handle("accept 1")
    first, reloaded = accepted.splitlines()
    assert first.startswith("Accepted 1: added to ")
    assert first.endswith(f"{Path('knowledge', 'topics', TOPIC)}.yaml.")
    assert reloaded.startswith("Knowledge reloaded (version 2)")
    assert "Rejected 2: it will not be proposed again." in await console.handle("reject 2")
    assert f"Topic: {TOPIC}" in await console.handle(DECLINED)
    assert "No suggestions." in await console.handle("suggestions")


async def test_a_number_that_is_not_a_suggestion_is_named_and_changes_nothing(picked):
    console = Console(picked)
    assert "There is no suggestion 99." in await console.handle("reject 99")
    assert (await console.handle("suggestions")).startswith("2 suggestions")
