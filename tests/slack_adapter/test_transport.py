"""What Slack's transport demands: signatures, fresh timestamps, 429s, errors after the ack."""

from __future__ import annotations

from slack_adapter import ask
from tests.slack_harness import SlackEnv, message_text


async def test_a_bad_signature_is_refused_with_401_and_nothing_happens(env: SlackEnv):
    turn = await env.command("/coach", "customer keeps yelling at me", bad_signature=True)
    assert turn.status == 401
    assert env.ephemerals_to(env.ada) == []


async def test_a_timestamp_older_than_five_minutes_is_refused(env: SlackEnv):
    turn = await env.command("/coach", "customer keeps yelling at me", age=5 * 60 + 30)
    assert turn.status == 401
    assert env.ephemerals_to(env.ada) == []


async def test_a_429_with_retry_after_is_waited_out_and_the_answer_still_arrives(env: SlackEnv):
    env.api.rate_limit("chat.postMessage", times=1, retry_after=0)
    await env.mention("customer keeps yelling at me")
    [reply] = env.messages_in("C0COACHING")
    assert len(env.calls_to("chat.postMessage")) == 2  # refused once, retried after the wait
    assert "*Steps*" in message_text(reply)


async def test_an_error_after_the_ack_is_logged_and_told_privately(env: SlackEnv, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("the store fell over with a secret inside")

    monkeypatch.setattr(ask, "answer", broken)
    turn = await env.command("/coach", "customer keeps yelling at me")
    assert turn.status == 200  # acked: never a failed request
    [line] = env.ephemerals_to(env.ada)
    assert (
        message_text(line)
        == "Sorry, something went wrong on my side. Please try again in a moment."
    )
    assert "secret" not in message_text(line)
    [logged] = env.take_problems()
    assert "unhandled error" in logged
