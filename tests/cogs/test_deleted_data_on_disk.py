"""What an agent deletes leaves the disk while the bot still runs: the database file, its
write-ahead log (-wal) and its shared-memory index (-shm) no longer hold a deleted debrief's
text nor, after `/me forget`, the agent's id."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv

EPHEMERAL = 64
DEBRIEF = {
    "what_happened": "A caller spent twenty minutes on the quarterly Zephyrine subscription.",
    "what_tried": "I slowed down and summarised the Zephyrine renewal terms twice.",
    "what_worked": "Sending the written terms after the call settled it.",
    "next_time": "Offer the written terms in the first five minutes.",
    "topic": "",
}


def _on_disk(app) -> bytes:
    path = app.database.path
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(f.read_bytes() for f in files if f.exists())


async def _debrief(env: DiscordEnv) -> str:
    form = await env.slash("debrief write", user=env.ada)
    preview = await env.submit_modal(form, DEBRIEF, user=env.ada)
    done = await env.click(preview, "Submit anonymously", user=env.ada)
    return re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", done.content).group(0)


async def _answer_a_quiz(env: DiscordEnv, clock) -> None:
    local = clock.now + timedelta(hours=1)  # the fake clock is UTC; Berlin is UTC+1 in November
    await env.slash(
        "quiz subscribe", user=env.trainer, time=f"{local:%H:%M}", timezone="Europe/Berlin"
    )
    await env.coachbot.get_cog("QuizCog").tick()  # type: ignore[attr-defined]
    [post] = [m for m in env.sent_messages(env.channel) if not m.get("flags", 0) & EPHEMERAL]
    assert (await env.click(post, button_ids(post)[0], user=env.ada)).ephemeral


async def test_a_deleted_debrief_leaves_the_database_and_its_wal(env: DiscordEnv, app):
    code = await _debrief(env)
    assert b"Zephyrine" in _on_disk(app)  # the test can see stored text on disk

    reply = await env.slash("debrief delete", user=env.ada, code=code)

    assert reply.ephemeral and "Deleted" in reply.content
    assert b"Zephyrine" not in _on_disk(app)
    assert b"written terms" not in _on_disk(app)


async def test_forgotten_quiz_data_leaves_the_database_and_its_wal(env: DiscordEnv, app, clock):
    agent = str(env.ada.id).encode()
    await _answer_a_quiz(env, clock)
    assert agent in _on_disk(app)

    ask = await env.slash("me forget", user=env.ada)
    done = await env.click(ask, "Delete my data", user=env.ada)

    assert done.content.startswith("Deleted 1 quiz answer")
    assert agent not in _on_disk(app)
