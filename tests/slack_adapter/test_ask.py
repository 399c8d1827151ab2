"""Asking CoachBot on Slack: /coach <question>, topics, tip, help, mentions, DMs, the buttons."""

from __future__ import annotations

import re
from datetime import timedelta

from coachbot.ask import AskKind, AskResult
from coachbot.knowledge import matcher as matcher_module
from coachbot.views.card import ReplyView, reply_text
from slack_adapter.ask import COMMANDS
from slack_adapter.blocks.card import message
from tests.slack_harness import CHANNEL, SlackEnv, buttons, message_text, pings


def labels(message) -> list[str]:
    return [b["text"]["text"] for b in buttons(message)]


async def test_a_question_gets_a_private_card_with_its_buttons(env: SlackEnv):
    turn = await env.command("/coach", "customer keeps yelling at me")
    assert turn.status == 200
    [card] = env.ephemerals_to(env.ada)
    text = message_text(card)
    for part in ("Steps", "Say", "Avoid"):
        assert f"*{part}*" in text
    shown = labels(card)
    assert shown[:3] == ["📣 Share in channel", "👍 Helpful", "👎 Not helpful"]
    assert len(shown) > 3  # related topics
    assert env.messages_in(CHANNEL) == []  # nobody else saw it


async def test_share_posts_the_card_in_the_channel_and_says_so(env: SlackEnv):
    await env.command("/coach", "customer keeps yelling at me")
    [card] = env.ephemerals_to(env.ada)
    await env.click(card, "📣 Share in channel")
    [shared] = env.messages_in(CHANNEL)
    assert message_text(shared).split("\n")[0] == message_text(card).split("\n")[0]
    assert "Share in channel" not in labels(shared)  # public already
    assert message_text(env.ephemerals_to(env.ada)[-1]) == "Shared in this channel."


async def test_helpful_counts_once_and_leaves_the_card_in_place(env: SlackEnv, app):
    await env.command("/coach", "customer keeps yelling at me")
    [card] = env.ephemerals_to(env.ada)
    await env.click(card, "👍 Helpful")
    await env.click(card, "👍 Helpful")
    replies = [message_text(m) for m in env.ephemerals_to(env.ada)]
    assert replies[0] == message_text(card)  # the card is still there, buttons and all
    assert replies[1:] == [
        "Thanks, glad it helped.",
        "You already marked this card helpful; it counts once.",
    ]
    assert labels(env.ephemerals_to(env.ada)[0]) == labels(card)


async def test_a_related_topic_opens_its_own_card(env: SlackEnv):
    await env.command("/coach", "customer keeps yelling at me")
    [card] = env.ephemerals_to(env.ada)
    related = labels(card)[3]
    await env.click(card, related)
    opened = env.ephemerals_to(env.ada)[-1]
    assert message_text(opened).startswith(related)


async def test_a_decline_names_the_closest_topics_and_logs_the_gap(env: SlackEnv, app):
    await env.command("/coach", "the printer in the break room is jammed again")
    [reply] = env.ephemerals_to(env.ada)
    assert "I don't have a card for that yet" in message_text(reply) or "closest" in (
        message_text(reply)
    )
    rows = await app.database.fetch("SELECT question, answered, guild_id FROM asks")
    assert [tuple(r) for r in rows] == [
        ("the printer in the break room is jammed again", 0, "slack:T0COACH")
    ]


async def test_a_clarify_offers_choices_and_a_pick_opens_the_card(env: SlackEnv, app, monkeypatch):
    monkeypatch.setattr(matcher_module, "ANSWER_FIRST", 1.01)  # every question clarifies
    question = "customer keeps screaming at me on every call"
    await env.command("/coach", question)
    [choices] = env.ephemerals_to(env.ada)
    assert message_text(choices) == "Which is closest? Pick one to open its card."
    offered = labels(choices)
    assert offered[-1] == "None of these"
    assert all(re.fullmatch(r"cb:choose:c:.+", b["action_id"]) for b in buttons(choices))
    await env.click(choices, offered[0])
    assert message_text(env.ephemerals_to(env.ada)[-1]).startswith(offered[0])
    rows = await app.database.fetch("SELECT question, picks FROM suggestions")
    assert [tuple(r) for r in rows] == [(question, 1)]


async def test_none_of_these_after_a_clarify_is_noted(env: SlackEnv, monkeypatch):
    monkeypatch.setattr(matcher_module, "ANSWER_FIRST", 1.01)
    await env.command("/coach", "customer keeps screaming at me on every call")
    await env.click(env.ephemerals_to(env.ada)[-1], "None of these")
    assert "the trainers will see" in message_text(env.ephemerals_to(env.ada)[-1])


async def test_non_questions_and_commands_get_a_short_line(env: SlackEnv):
    await env.command("/coach", "nope")
    await env.command("/coach", "!quiz")
    await env.command("/coach", "")
    replies = [message_text(m) for m in env.ephemerals_to(env.ada)]
    assert replies[0].startswith("That doesn't look like a question")
    assert "is not a command I can run" in replies[1]
    assert replies[2].startswith("Ask me how to handle a difficult customer")


async def test_topics_pages_and_a_tag(env: SlackEnv):
    await env.command("/coach", "topics")
    [page] = env.ephemerals_to(env.ada)
    assert message_text(page).startswith("Every coaching card")
    assert "Page 1 of" in message_text(page)
    await env.click(page, "Next ▶")
    [turned] = env.ephemerals_to(env.ada)  # the same message, replaced
    assert "Page 2 of" in message_text(turned)
    await env.click(turned, "Open", action_id=buttons(turned)[0]["action_id"])
    assert "*Steps*" in message_text(env.ephemerals_to(env.ada)[-1])

    await env.command("/coach", "topics no-such-tag")
    assert "No topics have that tag" in message_text(env.ephemerals_to(env.ada)[-1])
    await env.command("/coach", "topics two words")
    assert "Usage: `/coach topics [tag]`" in message_text(env.ephemerals_to(env.ada)[-1])


async def test_tip_of_the_day_random_and_a_bad_argument(env: SlackEnv):
    await env.command("/coach", "tip")
    await env.command("/coach", "tip random")
    await env.command("/coach", "tip tomorrow")
    day, chance, bad = (message_text(m) for m in env.ephemerals_to(env.ada))
    assert day.startswith("*Tip of the day*")
    assert chance.startswith("*A tip*")
    assert "Usage: `/coach tip [random]`" in bad


async def test_help(env: SlackEnv):
    await env.command("/coach", "help")
    assert "`/coach topics`" in message_text(env.ephemerals_to(env.ada)[-1])


async def test_a_mention_is_answered_in_its_thread_and_its_buttons_work(env: SlackEnv):
    turn = await env.mention("customer keeps yelling at me")
    asked_ts = turn.payload["event"]["ts"]
    [reply] = env.replies_in_thread(CHANNEL, asked_ts)
    assert "*Steps*" in message_text(reply)
    assert "Share in channel" not in labels(reply)
    await env.click(reply, "👎 Not helpful", user=env.ben)
    assert message_text(env.ephemerals_to(env.ben)[-1]).startswith("Thanks for saying so")
    assert env.replies_in_thread(CHANNEL, asked_ts) == [reply]  # the card stays for everyone


async def test_a_dm_is_answered_in_the_dm(env: SlackEnv):
    await env.dm("customer wants a refund we can't give")
    [reply] = env.messages_in(env.dm_channel(env.ada))
    assert "*Steps*" in message_text(reply)
    assert "Share in channel" not in labels(reply)


async def test_it_never_pings(env: SlackEnv):
    await env.command("/coach", "<!channel> @here <@U0BEN> customer keeps yelling <!everyone>")
    await env.mention("@channel the printer <!here> is jammed")
    await env.dm("<!here> ok")
    sent = [c for c in env.calls if c.method in ("chat.postMessage", "response_url")]
    assert sent
    assert [pings(c.args) for c in sent] == [[] for _ in sent]


def test_a_command_echoed_back_is_escaped():
    result = AskResult("!quiz <!channel> & <@U0BEN>", AskKind.COMMAND, None, 0.0, ())
    line = message(ReplyView(reply_text(result, COMMANDS)))["text"]
    assert "&lt;!channel&gt; &amp; &lt;@U0BEN&gt;" in line
    assert pings({"text": line}) == []


async def test_buttons_from_before_a_restart_still_work(env: SlackEnv, app, slack_settings):
    from slack_adapter.app import create_slack_app

    await env.command("/coach", "customer keeps yelling at me")
    [card] = env.ephemerals_to(env.ada)
    again = create_slack_app(app, slack_settings, client=env.client())  # a fresh process
    await env.serve(again)
    await env.click(card, "👍 Helpful")
    assert message_text(env.ephemerals_to(env.ada)[-1]) == "Thanks, glad it helped."


async def test_an_unknown_card_id_is_refused_kindly(env: SlackEnv):
    await env.command("/coach", "customer keeps yelling at me")
    [card] = env.ephemerals_to(env.ada)
    for button in buttons(card):
        if button["action_id"].startswith("cb:open:"):
            button["action_id"] = "cb:open:no-such-topic"
            break
    await env.click(card, action_id="cb:open:no-such-topic")
    assert "no longer in the knowledge base" in message_text(env.ephemerals_to(env.ada)[-1])


async def test_a_related_card_opened_after_not_helpful_is_what_the_agent_wanted(env, app):
    question = "my caller shouts every single time the invoice is late"
    await env.command("/coach", question)
    [card] = env.ephemerals_to(env.ada)
    await env.click(card, "👎 Not helpful")
    related = labels(card)[3]
    await env.click(card, related)
    rows = await app.database.fetch("SELECT question, picks FROM suggestions")
    assert [tuple(r) for r in rows] == [(question, 1)]


SLOW_DOWN = "Slow down a little: try again in 30 s."


async def test_a_sixth_question_within_30_s_is_told_to_slow_down(env: SlackEnv, app, clock):
    for _ in range(5):
        await env.command("/coach", "customer keeps yelling at me")
    sixth = await env.command("/coach", "customer keeps yelling at me")
    others = await env.command("/coach", "customer keeps yelling at me", user=env.ben)

    assert sixth.text == SLOW_DOWN and len(sixth.replies) == 1  # the core's words, privately
    assert "*Steps*" in others.text  # a person's allowance is their own
    await env.mention("customer keeps yelling at me")  # mentions and DMs count apart
    assert "*Steps*" in message_text(env.messages_in(CHANNEL)[-1])
    assert len(await app.database.fetch("SELECT question FROM asks")) == 5 + 1 + 1  # not it

    clock.now += timedelta(seconds=30)
    assert "*Steps*" in (await env.command("/coach", "customer keeps yelling at me")).text


async def test_a_sixth_mention_within_30_s_is_told_privately_and_the_thread_stays(env: SlackEnv):
    for _ in range(5):
        await env.mention("customer keeps yelling at me")
    await env.mention("customer keeps yelling at me")
    await env.dm("customer keeps yelling at me")

    assert len(env.messages_in(CHANNEL)) == 5  # no sixth answer in the channel
    assert [message_text(m) for m in env.ephemerals_to(env.ada, CHANNEL)] == [SLOW_DOWN]
    assert [message_text(m) for m in env.messages_in(env.dm_channel(env.ada))] == [SLOW_DOWN]
