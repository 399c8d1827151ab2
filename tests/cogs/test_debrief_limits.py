"""One agent submitting the debrief form in a loop: memory stays bounded, the bot says "slow
down", expired drafts leave memory on a timer, and scrubbing runs off the event loop."""

from __future__ import annotations

import threading
from datetime import timedelta

from coachbot.debrief.drafts import DRAFT_SECONDS, DRAFTS_PER_AUTHOR, PREVIEW_RATE
from tests.cogs.test_debrief import ROUGH_CALL
from tests.discord_harness import DiscordEnv


def _cog(env: DiscordEnv):
    return env.coachbot.get_cog("DebriefCog")  # type: ignore[attr-defined]


async def _previews(env: DiscordEnv, count: int, user=None) -> list:
    previews = []
    for _ in range(count):
        form = await env.slash("debrief write", user=user)
        previews.append(await env.submit_modal(form, ROUGH_CALL, user=user))
    return previews


async def test_an_agent_keeps_only_their_newest_drafts(env: DiscordEnv, app):
    previews = await _previews(env, PREVIEW_RATE)
    others = await _previews(env, 1, user=env.ben)

    oldest = await env.click(previews[0], "Submit anonymously")
    newest = await env.click(previews[-1], "Submit anonymously")
    bens = await env.click(others[0], "Submit anonymously", user=env.ben)

    assert "expired" in oldest.content
    assert "Deletion code" in newest.content and "Deletion code" in bens.content
    assert len(_cog(env).drafts) == DRAFTS_PER_AUTHOR - 1  # one submitted, Ben's too


async def test_too_many_previews_get_a_slow_down_and_the_text_is_kept(env: DiscordEnv, app, clock):
    await _previews(env, PREVIEW_RATE)
    scrubbed = []
    prepare = app.debriefs.prepare
    app.debriefs.prepare = lambda *a, **k: scrubbed.append(1) or prepare(*a, **k)

    [slowed] = await _previews(env, 1)
    assert slowed.ephemeral and "Slow down" in slowed.content and "60 s" in slowed.content
    assert scrubbed == []  # no scrubbing work for the extra one
    assert "Submit anonymously" not in str(slowed.components)

    clock.now += timedelta(seconds=60)
    edit = await env.click(slowed, "Edit")
    preview = await env.submit_modal(edit, ROUGH_CALL)
    assert scrubbed == [1] and "Preview" in str(preview.embeds)


async def test_expired_drafts_leave_memory_on_the_timer(env: DiscordEnv, app, clock):
    await _previews(env, 2)
    cog = _cog(env)
    assert len(cog.drafts) == 2

    clock.now += timedelta(seconds=DRAFT_SECONDS + 1)
    await cog.loop()  # one run of the minutely task, no button pressed

    assert len(cog.drafts) == 0


async def test_scrubbing_runs_off_the_event_loop(env: DiscordEnv, app):
    threads = []
    prepare = app.debriefs.prepare
    app.debriefs.prepare = lambda *a, **k: threads.append(threading.get_ident()) or prepare(*a, **k)

    [preview] = await _previews(env, 1)

    assert "Preview" in str(preview.embeds)
    assert threads and threads[0] != threading.get_ident()  # the loop runs on this thread
