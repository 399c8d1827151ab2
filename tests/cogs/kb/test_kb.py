"""Trainers on Discord: /kb reload, /kb stale, /kb status, and the bot's automatic reload."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace

import pytest

from cogs._bot import create_bot
from tests.cogs.conftest import CLIENT_OPTIONS
from tests.discord_harness import DiscordEnv
from tests.knowledge_versions import question, topic_doc, write_version, write_yaml

EPHEMERAL = 64


def _private_reply(reply) -> str:
    """The text of a deferred, ephemeral answer."""
    assert reply.ephemeral
    [followup] = reply.followups
    assert followup["flags"] & EPHEMERAL
    return followup["content"]


async def test_a_trainer_reloads_and_sees_what_changed(env: DiscordEnv, app, knowledge_dir):
    write_version(knowledge_dir, "B")

    reply = await env.slash("kb reload", user=env.trainer)

    text = _private_reply(reply)
    assert text.startswith("**Knowledge reloaded.** Version 2 is live: 1 topic added, 3 edited, ")
    assert "1 topic added, 3 edited, 1 removed; 1 quiz item added, 3 edited, 1 removed" in text
    assert "Topics added: cancel-plan" in text
    assert "Topics removed: billing-error" in text
    assert "Topics edited: angry-caller (title, summary, steps, say, related)" in text
    answer = await env.slash("ask", question=question("cancel-plan"))
    assert "Version B." in answer.embeds[0]["description"]


async def test_a_member_with_manage_server_may_reload_too(env: DiscordEnv, app, knowledge_dir):
    write_version(knowledge_dir, "B")
    reply = await env.slash("kb reload", user=env.manager)
    assert "Version 2 is live" in _private_reply(reply)


@pytest.mark.parametrize("command", ["kb reload", "kb stale", "kb status"])
async def test_an_agent_is_refused_and_nothing_changes(
    env: DiscordEnv, app, knowledge_dir, command
):
    before = app.knowledge
    write_version(knowledge_dir, "B")

    reply = await env.slash(command, user=env.ada)

    assert reply.ephemeral
    assert "permission" in reply.content  # the bot-wide refusal for trainer commands
    assert app.knowledge is before and app.reloader.version == 1
    assert reply.followups == []
    answer = await env.slash("ask", user=env.ben, question=question("billing-error"))
    assert "Version A." in answer.embeds[0]["description"]  # still the old version


async def test_broken_yaml_shows_every_problem_with_its_line_and_the_old_version_stays(
    env: DiscordEnv, app, knowledge_dir
):
    before = app.knowledge
    write_version(knowledge_dir, "broken")

    text = _private_reply(await env.slash("kb reload", user=env.trainer))

    assert text.startswith("**Not reloaded:** the files have 2 problems. Version 1 stays live")
    block = text.split("```\n")[1]
    assert "topics/late-delivery.yaml:3:1: YAML syntax error" in block
    assert "topics/angry-caller.yaml:1:1: missing required key 'steps'" in block
    assert str(knowledge_dir) not in text  # paths are shown from the knowledge folder down
    assert app.knowledge is before
    answer = await env.slash("ask", question=question("billing-error"))
    assert "Version A." in answer.embeds[0]["description"]

    status = await env.slash("kb status", user=env.trainer)
    assert "The last reload, <t:" in status.content and "failed with 2 problems" in status.content


async def test_hundreds_of_problems_are_trimmed_to_discords_limit(
    env: DiscordEnv, app, knowledge_dir
):
    for n in range(150):
        (knowledge_dir / "topics" / f"broken-{n:03}.yaml").write_text(f"id: broken-{n:03}\n")

    text = _private_reply(await env.slash("kb reload", user=env.trainer))

    assert len(text) <= 2000
    shown = len(re.findall(r"^topics/broken-\d+\.yaml:", text, flags=re.MULTILINE))
    more = int(re.search(r"… and (\d+) more$", text).group(1))
    total = int(re.search(r"the files have (\d+) problems", text).group(1))
    assert shown >= 10 and shown + more == total >= 150 * 9  # every missing key is a problem
    assert text.count("```") == 2


async def test_hostile_text_in_a_problem_cannot_break_out_of_the_code_block(
    env: DiscordEnv, app, knowledge_dir
):
    doc = topic_doc("angry-caller", "A", **{"```@everyone": "x"})
    write_yaml(knowledge_dir / "topics" / "angry-caller.yaml", doc)
    reply = await env.slash("kb reload", user=env.trainer)
    text = _private_reply(reply)
    assert text.count("```") == 2 and "'''@everyone" in text
    [request] = env.requests_to("POST", "/webhooks/{app_id}/{token}")
    assert request.json["allowed_mentions"] == {"parse": []}


async def test_stale_topics_are_listed_most_used_first_with_their_owners(
    env: DiscordEnv, app, knowledge_dir
):
    fresh = {"owner": "Priya", "reviewed": "2026-01-01", "review_every": "90d"}
    write_yaml(knowledge_dir / "topics" / "late-delivery.yaml", topic_doc("late-delivery", "A"))
    for topic_id, extra in {
        "angry-caller": fresh,
        "refund-request": {"owner": "Returns *team*", "review_every": "6m"},
        "billing-error": {**fresh, "owner": "@everyone", "reviewed": "2026-11-01"},  # not due
    }.items():
        write_yaml(knowledge_dir / "topics" / f"{topic_id}.yaml", topic_doc(topic_id, "A", **extra))
    await env.slash("kb reload", user=env.trainer)
    for _ in range(3):
        await app.asks.ask(question("refund-request"))
    await app.asks.ask(question("angry-caller"))

    reply = await env.slash("kb stale", user=env.trainer)

    assert reply.ephemeral
    lines = reply.content.splitlines()
    assert lines[0] == "**2 stale topics**, most used first (asks answered in the last 90 days):"
    assert lines[1].startswith("• **Customer wants a refund [A]** (`refund-request`): ")
    assert (
        "Returns \\*team\\*" in lines[1] and "never reviewed (review every 6m) · 3 asks" in lines[1]
    )
    assert lines[2].startswith("• **Caller is shouting [A]** (`angry-caller`): Priya · ")
    assert "last reviewed 2026-01-01, review every 90d: 236 days overdue · 1 ask" in lines[2]
    assert len(lines) == 3


async def test_no_stale_topics_says_how_to_track_them(env: DiscordEnv, app):
    reply = await env.slash("kb stale", user=env.trainer)
    assert reply.content.startswith("No stale topics. 0 of 4 topics have a review schedule.")
    assert "Add `reviewed` and `review_every`" in reply.content


async def test_status_shows_the_live_version_and_whether_edits_reload_by_themselves(
    env: DiscordEnv, app, knowledge_dir
):
    reply = await env.slash("kb status", user=env.trainer)
    assert reply.ephemeral
    assert reply.content.startswith("**Knowledge version 1**, loaded <t:")
    assert "4 topics, 4 quiz items" in reply.content
    assert "Automatic reload: off" in reply.content  # these tests' bots do not watch


async def test_the_bot_reloads_saved_edits_by_itself_and_logs_broken_ones(
    discord_env: DiscordEnv, app, bot_settings, knowledge_dir, caplog
):
    bot = create_bot(app, replace(bot_settings, watch_knowledge=True), **CLIENT_OPTIONS)
    results = []
    reloaded = asyncio.Event()
    app.reloader.subscribe(lambda result: (results.append(result), reloaded.set()))
    await discord_env.connect(bot)
    cog = bot.get_cog("KnowledgeCog")
    try:
        await asyncio.wait_for(cog.watcher.started(), 10)
        status = await discord_env.slash("kb status", user=discord_env.trainer)
        assert "Automatic reload: on" in status.content

        write_yaml(knowledge_dir / "topics" / "cancel-plan.yaml", topic_doc("cancel-plan", "A"))
        await asyncio.wait_for(reloaded.wait(), 10)
        reloaded.clear()
        assert results[-1].ok and results[-1].changes.topics_added == ("cancel-plan",)

        live = app.knowledge
        with caplog.at_level(logging.WARNING, logger="cogs.kb"):
            (knowledge_dir / "topics" / "cancel-plan.yaml").write_text("id: [oops\n")
            await asyncio.wait_for(reloaded.wait(), 10)
        assert app.knowledge is live
        [warning] = [r for r in caplog.records if r.name == "cogs.kb"]
        assert warning.levelno == logging.WARNING
        assert "version 2 stays live" in warning.getMessage()
        assert "cancel-plan.yaml:2:1: YAML syntax error" in warning.getMessage()
    finally:
        await discord_env.disconnect()
    assert not cog.watcher.running  # closing the bot stopped the watcher
