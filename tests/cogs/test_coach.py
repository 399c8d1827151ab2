"""A trainer asks what to train next: a private embed with the chart and the CSV attached."""

from __future__ import annotations

import csv
import io

import pytest
from matplotlib.image import imread

from tests.coachbot.insights.conftest import AGENT_IDS, seed
from tests.discord_harness import GUILD_ID, DiscordEnv

EPHEMERAL = 64


async def _report(env: DiscordEnv, user=None, **options):
    reply = await env.slash("coach report", user=user or env.trainer, **options)
    return reply, reply.messages[-1] if reply.messages else {}


def _files(env: DiscordEnv, message: dict) -> dict[str, bytes]:
    return {a["filename"]: env.attachments[int(a["id"])] for a in message.get("attachments", [])}


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def test_a_trainer_gets_a_private_report_with_a_chart_and_a_csv(env: DiscordEnv, app):
    await seed(app.database, guild=str(GUILD_ID))

    reply, message = await _report(env)

    assert reply.ephemeral and message["flags"] & EPHEMERAL
    files = _files(env, message)
    assert sorted(files) == [
        "coachbot-2026-10-25-2026-11-23.csv",
        "coachbot-2026-10-25-2026-11-23.png",
    ]
    png = files["coachbot-2026-10-25-2026-11-23.png"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and imread(io.BytesIO(png)).shape[1] > 500
    table = files["coachbot-2026-10-25-2026-11-23.csv"].decode("utf-8-sig")
    rows = _csv(files["coachbot-2026-10-25-2026-11-23.csv"])
    train = [r["topic"] for r in rows if r["section"] == "train_next"]
    assert train == ["refund-not-possible", "stay-calm", "confused-customer"]
    [embed] = message["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Train next"].startswith("**1. The customer wants a refund")
    assert "3 of 4 votes not helpful" in fields["Train next"]
    everything = str(message) + table
    assert not any(agent in everything for agent in AGENT_IDS)


async def test_the_report_covers_this_server_only(env: DiscordEnv, app):
    await seed(app.database, guild=str(GUILD_ID))

    _, message = await _report(env)

    rows = _csv(_files(env, message)["coachbot-2026-10-25-2026-11-23.csv"])
    teams = {r["team"] for r in rows if r["section"] in ("quiz_team", "quiz_channel")}
    assert teams == {str(GUILD_ID)}
    debriefs = [r["value"] for r in rows if r["metric"] == "debriefs" and r["section"] == "summary"]
    assert debriefs == ["5"]  # the other server's debrief is not counted


@pytest.mark.parametrize("user", ["ada", "ben"])
async def test_an_agent_is_refused_and_nothing_is_produced(env: DiscordEnv, app, user):
    await seed(app.database, guild=str(GUILD_ID))

    reply = await env.slash("coach report", user=getattr(env, user))

    assert reply.callback["type"] == 4 and reply.ephemeral
    assert "permission" in reply.content
    assert reply.followups == [] and not reply.message.get("attachments")
    assert env.attachments == {}


async def test_a_member_with_manage_server_may_see_the_report(env: DiscordEnv, app):
    await seed(app.database, guild=str(GUILD_ID))
    _, message = await _report(env, user=env.manager)
    assert len(message["attachments"]) == 2


async def test_a_shorter_period_counts_fewer_days(env: DiscordEnv, app):
    await seed(app.database, guild=str(GUILD_ID))

    _, message = await _report(env, period="7d")

    assert message["embeds"][0]["title"] == "What to train next · 2026-11-17 to 2026-11-23"


async def test_an_empty_database_says_nothing_yet_without_attachments(env: DiscordEnv):
    reply, message = await _report(env)
    assert reply.ephemeral and "Nothing to report yet" in message["content"]
    assert message["attachments"] == [] and env.attachments == {}


@pytest.mark.parametrize(
    ("since", "hint"),
    [
        ("2026-13-01", "YYYY-MM-DD"),
        ("next tuesday", "YYYY-MM-DD"),
        ("2027-01-01", "in the future"),
        ("0d", "1 to 3660 days"),
        ("x" * 3000, "not a date"),
        ("<@&1> @everyone", "not a date"),
    ],
)
async def test_a_bad_start_date_gets_a_clear_private_message(env: DiscordEnv, since, hint):
    reply = await env.slash("coach report", user=env.trainer, since=since)
    assert reply.ephemeral and hint in reply.content and len(reply.content) < 300
    assert env.attachments == {}
