"""Trainers on Discord: /kb suggestions, with Accept and Reject buttons."""

from __future__ import annotations

from coachbot.suggestions import CLARIFY, DECLINE
from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv, iter_components

EPHEMERAL = 64
SOGGY = "customer says the parcel arrived but the box was soggy and ripped"
NEIGHBOUR = "the courier left it with a neighbour who denies having it, call 07700 900123"


def _forge(env: DiscordEnv, message: dict, old: str, new: str) -> dict:
    """Rewrite a button's custom_id in a stored message, as a tampering client would."""
    stored = env.messages[int(message["id"])]
    for component in iter_components(stored["components"]):
        if component.get("custom_id") == old:
            component["custom_id"] = new
            return stored
    raise AssertionError(f"no {old!r} in the message")


async def picked(app) -> None:
    """Agents picked late-delivery for SOGGY twice and for NEIGHBOUR once."""
    await app.suggestions.record_pick(SOGGY, "late-delivery", DECLINE)
    await app.suggestions.record_pick(SOGGY, "late-delivery", CLARIFY)
    await app.suggestions.record_pick(NEIGHBOUR, "late-delivery", CLARIFY)


async def test_a_trainer_accepts_a_suggestion_and_the_declined_question_gets_its_card(
    env: DiscordEnv, app, knowledge_dir
):
    declined = await env.slash("ask", question=SOGGY)
    assert "Version A." not in str(declined.embeds)  # no card: declined
    await picked(app)

    listed = await env.slash("kb suggestions", user=env.trainer)

    assert listed.ephemeral and listed.data["flags"] & EPHEMERAL
    assert listed.content.startswith("**2 suggestions**, most picked first.")
    assert (
        f"**1.** `late-delivery`: “{SOGGY}” · picked 2 times: 1 after a clarify" in listed.content
    )
    assert "900123" not in listed.content and "call [phone]" in listed.content
    assert button_ids(listed) == ["cb:sug:1:a:", "cb:sug:1:r:", "cb:sug:2:a:", "cb:sug:2:r:"]
    assert listed.data["allowed_mentions"] == {"parse": []}

    accepted = await env.click(listed, "Accept 1", user=env.trainer)

    assert accepted.callback_type == 6  # the list itself is redrawn
    assert accepted.content.startswith("Accepted 1: added to `late-delivery`. Version 2 is live.")
    assert "**1 suggestion**" in accepted.content and button_ids(accepted) == [
        "cb:sug:2:a:",
        "cb:sug:2:r:",
    ]
    assert SOGGY in (knowledge_dir / "topics" / "late-delivery.yaml").read_text(encoding="utf-8")
    answer = await env.slash("ask", question=SOGGY)
    assert answer.embeds[0]["title"].startswith("Parcel is late")


async def test_a_rejected_suggestion_is_gone_and_a_second_click_says_it_was_decided(
    env: DiscordEnv, app, knowledge_dir
):
    await picked(app)
    before = (knowledge_dir / "topics" / "late-delivery.yaml").read_bytes()
    listed = await env.slash("kb suggestions", user=env.trainer, topic="late-delivery")
    assert button_ids(listed)[:2] == ["cb:sug:1:a:late-delivery", "cb:sug:1:r:late-delivery"]

    earlier = await env.slash("kb suggestions", user=env.trainer)  # another trainer's list

    rejected = await env.click(listed, "Reject 2", user=env.trainer)
    again = await env.click(earlier, "Accept 2", user=env.trainer)  # not redrawn since

    assert rejected.content.startswith("Rejected 2: it will not be proposed again.")
    assert again.content.startswith("Suggestion 2 was already rejected.")
    assert "cb:sug:2:a:" not in button_ids(again) and "Accept 1" in str(again.components)
    assert (knowledge_dir / "topics" / "late-delivery.yaml").read_bytes() == before


async def test_agents_can_neither_list_nor_click_and_nothing_changes(
    env: DiscordEnv, app, knowledge_dir
):
    await picked(app)
    before = (knowledge_dir / "topics" / "late-delivery.yaml").read_bytes()
    refused = await env.slash("kb suggestions", user=env.ada)
    assert refused.ephemeral and "permission" in refused.content

    card = await env.slash("ask", user=env.ada, question="customer asking about refund")
    forged = _forge(env, card.message, "cb:vote:refund-request:1", "cb:sug:1:a:")
    clicked = await env.click(forged, "cb:sug:1:a:", user=env.ada)  # a tampering client

    assert clicked.ephemeral and "permission" in clicked.content
    assert (knowledge_dir / "topics" / "late-delivery.yaml").read_bytes() == before
    assert len(await app.suggestions.open()) == 2


async def test_an_unknown_topic_and_an_empty_list_say_so(env: DiscordEnv, app):
    unknown = await env.slash("kb suggestions", user=env.trainer, topic="`nope`")
    assert unknown.ephemeral and unknown.content.startswith("There is no topic `'nope'`.")
    empty = await env.slash("kb suggestions", user=env.trainer)
    assert empty.content.startswith("No suggestions waiting.") and button_ids(empty) == []


async def test_the_whole_loop_an_agents_pick_becomes_a_card_for_the_next_agent(
    env: DiscordEnv, app, knowledge_dir
):
    declined = await env.slash("ask", user=env.ada, question=SOGGY)
    [choice] = [
        i for i in button_ids(declined) if i.startswith("cb:choose:") and "late-delivery" in i
    ]

    opened = await env.click(declined, choice, user=env.ada)  # Ada picks the parcel card
    assert opened.embeds[0]["title"].startswith("Parcel is late")

    listed = await env.slash("kb suggestions", user=env.trainer)
    assert f"`late-delivery`: “{SOGGY}”" in listed.content
    assert str(env.ada.id) not in str(
        await app.database.connection.execute_fetchall("SELECT * FROM suggestions")
    )
    await env.click(listed, "Accept 1", user=env.trainer)

    answer = await env.slash("ask", user=env.ben, question=SOGGY)
    assert answer.embeds[0]["title"].startswith("Parcel is late")
