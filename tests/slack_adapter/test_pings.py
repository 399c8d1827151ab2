"""Nothing typed into /coach ever pings: `<!channel>`, `<!here>` or `<@U123>` as an argument
of any subcommand comes back as text, whichever reply (usage, refusal, error) quotes it."""

from __future__ import annotations

import pytest

from coachbot.errors import CoachError
from slack_adapter.commands import QUESTION, SUBCOMMANDS, CoachRequest, subcommand
from slack_adapter.text import defuse, defuse_blocks
from tests.slack_harness import SlackEnv, pings

BROADCASTS = ("<!channel>", "<!here>", "<@U123>")

# Every subcommand, with a broadcast in each argument position its validation may quote.
LINES = [
    "{p} customer keeps yelling",
    "help {p}",
    "topics {p}",
    "tip {p}",
    "quiz {p}",
    "quiz subscribe {p} Europe/Berlin",
    "quiz subscribe 09:00 {p}",
    "quiz subscribe 09:00 UTC {p}",
    "quiz subscribe 09:00 UTC mon {p}",
    "quiz subscribe 09:00 UTC mon 2 {p}",
    "quiz unsubscribe {p}",
    "quiz now {p}",
    "quiz leaderboard {p}",
    "quiz teams {p}",
    "quiz stats {p}",
    "quiz practice {p}",
    "quiz pause {p}",
    "debrief {p}",
    "debrief delete {p}",
    "debrief channel {p} UTC",
    "debrief channel 17:00 {p}",
    "debrief channel 17:00 UTC {p}",
    "debrief review {p}",
    "me {p}",
    "me data {p}",
    "me forget {p}",
    "kb {p}",
    "kb suggestions {p}",
    "kb status {p}",
    "report {p}",
    "report 7d {p}",
    "report since {p}",
]


def test_every_subcommand_is_covered():
    words = {line.split()[0] for line in LINES if not line.startswith("{p}")}
    assert set(SUBCOMMANDS) - {QUESTION} <= words


@pytest.mark.parametrize("broadcast", BROADCASTS)
@pytest.mark.parametrize("who", ["ada", "max"])  # an agent and a workspace admin (trainer)
async def test_no_argument_ever_pings(env: SlackEnv, broadcast: str, who: str):
    for line in LINES:
        await env.command("/coach", line.format(p=broadcast), user=getattr(env, who))
    sent = [c for c in env.calls if c.method in ("chat.postMessage", "chat.postEphemeral")]
    sent += env.calls_to("response_url")
    assert len(sent) >= len(LINES)
    leaks = {c.args.get("text", "")[:80]: pings(c.args) for c in sent if pings(c.args)}
    assert leaks == {}


async def test_a_domain_error_quoting_the_input_is_escaped(env: SlackEnv):
    @subcommand("echo-error")
    async def fails(request: CoachRequest, args: list[str]) -> None:
        raise CoachError(f"“{' '.join(args)}” is not a time.")

    try:
        turn = await env.command("/coach", "echo-error <!channel> & <@U123>")
    finally:
        del SUBCOMMANDS["echo-error"]
    assert turn.text == "“&lt;!channel&gt; &amp; &lt;@U123&gt;” is not a time."
    assert [pings(c.args) for c in turn.calls] == [[] for _ in turn.calls]


def test_defuse_leaves_dates_and_channel_links_and_never_escapes_twice():
    line = "<!date^1^{date}|today> in <#C1> &lt;!here&gt; <!here> <@U1> <!subteam^S1>"
    assert defuse(line) == (
        "<!date^1^{date}|today> in <#C1> &lt;!here&gt; &lt;!here> &lt;@U1> &lt;!subteam^S1>"
    )
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "<!channel>"}}]
    assert pings({"blocks": defuse_blocks(blocks)}) == []
