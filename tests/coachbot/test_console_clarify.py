"""The terminal chat's "Which is closest?": numbered choices, a number opens the card."""

from __future__ import annotations

import pytest

from coachbot.console import Console, render_result
from coachbot.knowledge import matcher as matcher_module

QUESTION = "customer keeps screaming at me on every call"


@pytest.fixture(autouse=True)
def never_sure(monkeypatch) -> None:
    monkeypatch.setattr(matcher_module, "ANSWER_FIRST", 1.01)  # every question clarifies


async def test_an_unsure_answer_offers_numbered_choices_and_none_of_these(app):
    console = Console(app)
    reply = await console.handle(QUESTION)
    assert reply.startswith("Which is closest?")
    assert "  1) " in reply and "  3) " in reply and "  0) none of these" in reply

    first = app.asks.answer(QUESTION).alternatives[0]
    card = await console.handle("1")
    assert card.startswith(f"== {first.title} ==")
    [suggestion] = await app.suggestions.open()  # the pick counts, scrubbed, for the trainers
    assert suggestion.topic.id == first.id and suggestion.question == QUESTION
    assert suggestion.via_clarify == 1


async def test_none_of_these_is_noted_and_a_wrong_number_asks_again(app):
    console = Console(app)
    await console.handle(QUESTION)
    assert "from 0 to 3" in await console.handle("7")
    assert "trainers will see" in await console.handle("0")
    assert await app.suggestions.open() == []
    assert "none of these" not in await console.handle("2")  # the choices are gone


async def test_one_shot_ask_names_the_command_for_each_choice(app):
    result = await app.asks.ask(QUESTION)
    reply = render_result(result, one_shot=True)
    assert reply.startswith("Which is closest?")
    for topic in result.alternatives:
        assert f"coachbot ask {topic.id}" in reply
