"""Slack's markup in a debrief is scrubbed whole: no part of a label survives."""

import pytest

from coachbot.debrief.scrubber import scrub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@W0123ABCD|maria.lopez> was rude", "[name] was rude"),
        ("ask <@U123|maria.lopez> now", "ask [name] now"),
        ("ping <@U0ADA> later", "ping [name] later"),
        ("see <#C1|name> ok", "see [url] ok"),
        ("see <#C0SUPPORT|maria-lopez-escalations> ok", "see [url] ok"),
        ("mail <mailto:a@b.c|a@b.c> ok", "mail [email] ok"),
        ("mail <mailto:maria.lopez@example.com|Maria Lopez> ok", "mail [email] ok"),
        ("see <https://x|label> ok", "see [url] ok"),
        ("open <https://crm.example.com/c/5?name=maria|Maria's account> now", "open [url] now"),
        ("tell <!subteam^S0TRAINERS|@maria-team> please", "tell [name] please"),
    ],
)
def test_slack_markup_is_scrubbed_whole(text: str, expected: str):
    assert scrub(text).text == expected


def test_broadcasts_name_no_one_and_stay():
    assert scrub("<!here> the queue is long").text == "<!here> the queue is long"


def test_no_surname_survives_a_labelled_mention():
    scrubbed = scrub("<@W0123ABCD|maria.lopez> said <@U9|lopez> was fine").text
    assert "lopez" not in scrubbed.lower() and "maria" not in scrubbed.lower()
