"""Trainers on Slack: /coach kb reload | stale | status | suggestions and /coach report, and
the permission matrix: workspace admins, owners and the trainers' group may; agents may not."""

from __future__ import annotations

import csv
import io

import pytest

from tests.coachbot.insights.conftest import seed
from tests.cogs.kb import conftest as own_knowledge
from tests.cogs.kb.test_suggestions import NEIGHBOUR, SOGGY, picked
from tests.knowledge_versions import question, write_version
from tests.slack_harness import CHANNEL, TEAM_ID, SlackEnv, buttons, message_text

# a knowledge folder of its own (version A to start), which the tests rewrite
knowledge_dir = own_knowledge.knowledge_dir
settings = own_knowledge.settings
live_knowledge = own_knowledge.live_knowledge

REFUSAL = "You don't have permission to use that here."
TRAINER_COMMANDS = [
    "kb reload",
    "kb stale",
    "kb status",
    "kb suggestions",
    "report",
    "debrief channel 09:00 UTC",
    "debrief review",
    "debrief report",
]


# ---- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", TRAINER_COMMANDS)
async def test_an_agent_is_refused_and_nothing_changes(env: SlackEnv, app, knowledge_dir, command):
    await seed(app.database, guild=f"slack:{TEAM_ID}")
    before = app.knowledge
    write_version(knowledge_dir, "B")

    turn = await env.command("/coach", command, user=env.ada)

    assert turn.text == REFUSAL and len(turn.replies) == 1 and turn.messages == []
    assert app.knowledge is before and app.reloader.version == 1
    assert env.calls_to("views.open") == [] and env.calls_to("files.getUploadURLExternal") == []
    assert await app.database.fetch("SELECT * FROM debrief_channels") == []


@pytest.mark.parametrize("who", ["tara", "max", "olive"])  # the group, an admin, an owner
@pytest.mark.parametrize("command", TRAINER_COMMANDS)
async def test_trainers_admins_and_owners_may(env: SlackEnv, app, who, command):
    turn = await env.command("/coach", command, user=getattr(env, who))
    assert turn.replies and REFUSAL not in turn.text


async def test_the_trainer_group_is_read_from_the_settings(env: SlackEnv, app, slack_settings):
    from dataclasses import replace

    from slack_adapter.app import create_slack_app

    other = replace(slack_settings, slack_trainer_group="someone-else")
    await env.serve(create_slack_app(app, other, client=env.client()))
    turn = await env.command("/coach", "kb status", user=env.tara)
    assert turn.text == REFUSAL


# ---- /coach kb --------------------------------------------------------------------------------


async def test_a_trainer_reloads_and_sees_what_changed(env: SlackEnv, app, knowledge_dir):
    write_version(knowledge_dir, "B")

    turn = await env.command("/coach", "kb reload", user=env.tara)

    text = message_text(turn.replies[0])
    assert text.startswith("*Knowledge reloaded.* Version 2 is live: 1 topic added, 3 edited, ")
    assert "Topics added: cancel-plan" in text and "Topics removed: billing-error" in text
    assert app.reloader.version == 2
    answer = await env.command("/coach", question("cancel-plan"), user=env.ben)
    assert "Version B." in answer.text


async def test_broken_yaml_is_listed_and_the_old_version_stays(env: SlackEnv, app, knowledge_dir):
    (knowledge_dir / "topics" / "angry-caller.yaml").write_text("title: [unclosed\n<!channel>")

    turn = await env.command("/coach", "kb reload", user=env.max)

    text = message_text(turn.replies[0])
    assert text.startswith("*Not reloaded:* the files have 1 problem")
    assert "topics/angry-caller.yaml:" in text and "```" in text
    assert "<!channel>" not in str(turn.replies[0]) and app.reloader.version == 1


async def test_stale_and_status(env: SlackEnv, app):
    stale = await env.command("/coach", "kb stale", user=env.tara)
    status = await env.command("/coach", "kb status", user=env.tara)

    assert "topics have a review schedule" in stale.text or "stale topic" in stale.text
    assert status.text.startswith("*Knowledge version 1*, loaded <!date^")
    assert "Automatic reload: off: use `/coach kb reload`." in status.text


async def test_a_bad_kb_word_gets_the_usage(env: SlackEnv, app):
    turn = await env.command("/coach", "kb explode", user=env.tara)
    missing = await env.command("/coach", "kb suggestions no-such-topic", user=env.tara)
    assert "There is no `kb explode`." in turn.text and "Usage: `/coach kb reload" in turn.text
    assert "There is no topic `no-such-topic`" in missing.text


async def test_a_trainer_accepts_a_suggestion_and_an_agent_cannot(
    env: SlackEnv, app, knowledge_dir
):
    await picked(app)

    listed = await env.command("/coach", "kb suggestions", user=env.tara)

    [reply] = listed.replies
    text = message_text(reply)
    assert text.startswith("*2 suggestions*, most picked first.")
    assert f"*1.* `late-delivery`: “{SOGGY}” · picked 2 times: 1 after a clarify" in text
    assert "900123" not in text and NEIGHBOUR not in text and "call [phone]" in text
    assert [b["action_id"] for b in buttons(reply)] == [
        "cb:sug:1:a:",
        "cb:sug:1:r:",
        "cb:sug:2:a:",
        "cb:sug:2:r:",
    ]

    forged = await env.click(reply, "Accept 1", user=env.ben)
    assert forged.text == REFUSAL and app.reloader.version == 1

    accepted = await env.click(reply, "Accept 1", user=env.tara)

    assert accepted.replies == []  # the list itself is redrawn
    redrawn = message_text(reply)
    assert redrawn.startswith("Accepted 1: added to `late-delivery`. Version 2 is live.")
    assert "*1 suggestion*" in redrawn
    assert [b["action_id"] for b in buttons(reply)] == ["cb:sug:2:a:", "cb:sug:2:r:"]
    assert SOGGY in (knowledge_dir / "topics" / "late-delivery.yaml").read_text(encoding="utf-8")

    again = await env.click(reply, "Reject 2", user=env.olive)
    assert again.replies == [] and message_text(reply).startswith("Rejected 2")


# ---- /coach report --------------------------------------------------------------------------


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def test_a_trainer_gets_the_report_privately_and_the_files_in_their_dm(env: SlackEnv, app):
    await seed(app.database, guild=f"slack:{TEAM_ID}")

    turn = await env.command("/coach", "report", user=env.tara)

    [reply] = turn.replies
    assert reply["recipient"] == env.tara.id and turn.messages == []
    text = message_text(reply)
    assert "What to train next · " in text and "Train next" in text
    files = {f.filename: f for f in env.files_shared_in(env.dm_channel(env.tara))}
    assert sorted(files) == [
        "coachbot-2026-10-25-2026-11-23.csv",
        "coachbot-2026-10-25-2026-11-23.png",
    ]
    assert files["coachbot-2026-10-25-2026-11-23.png"].content.startswith(b"\x89PNG")
    rows = _csv(files["coachbot-2026-10-25-2026-11-23.csv"].content)
    assert rows and {"section", "metric", "value"} <= set(rows[0])
    assert env.files_shared_in(CHANNEL) == []  # never in a channel


async def test_a_shorter_period_or_a_first_day(env: SlackEnv, app):
    await seed(app.database, guild=f"slack:{TEAM_ID}")

    week = await env.command("/coach", "report 7d", user=env.tara)
    since = await env.command("/coach", "report 30d 2026-11-20", user=env.tara)

    assert "What to train next · 2026-11-17 to 2026-11-23" in week.text
    assert "What to train next · 2026-11-20 to 2026-11-23" in since.text  # the day wins
    names = {f.filename for f in env.files_shared_in(env.dm_channel(env.tara))}
    assert "coachbot-2026-11-20-2026-11-23.png" in names


@pytest.mark.parametrize("args", ["12x", "2026-13-01", "2999-01-01", "7d 2026-11-01 extra"])
async def test_a_bad_period_gets_the_usage_and_nothing_is_produced(env: SlackEnv, app, args):
    await seed(app.database, guild=f"slack:{TEAM_ID}")

    turn = await env.command("/coach", f"report {args}", user=env.tara)

    assert "Usage: `/coach report [7d | 30d | 90d] [since YYYY-MM-DD]`" in turn.text
    assert env.calls_to("files.getUploadURLExternal") == []


async def test_an_empty_database_says_nothing_yet_without_files(env: SlackEnv, app):
    turn = await env.command("/coach", "report", user=env.tara)
    assert "Nothing to report yet" in turn.text
    assert env.calls_to("files.getUploadURLExternal") == []
