"""Chat markup is stripped from questions; the words around it, and ordinary text, stay."""

from __future__ import annotations

import pytest

from coachbot.chat_markup import strip_markup


@pytest.mark.parametrize(
    "markup",
    [
        "<@80351110224678912>",
        "<@!80351110224678912>",
        "<@&165511591545143296>",
        "<#41771983423143937>",
        "<:mmLol:216154654256398347>",
        "<a:b1nzy:392938283556143104>",
        "</ask:1234567890>",
        "@everyone",
        "@here",
        "<@U024BE7LH>",
        "<@U024BE7LH|ann>",
        "<@W123ABC|bob>",
        "<!here>",
        "<!channel>",
        "<!everyone>",
        "<!subteam^SAZ94GDB8|@support>",
        "<#C024BE7LR|general>",
        ":smile:",
        ":+1:",
        ":face_with_rolling_eyes:",
    ],
)
def test_mentions_channel_links_and_emoji_markup_are_removed(markup):
    assert strip_markup(f"angry {markup} caller").split() == ["angry", "caller"]


@pytest.mark.parametrize(
    "text",
    [
        "customer emailed bob@here.com at 10:30 with 2:1 odds",
        "she wrote: refund now: or else",
        "price < 10 and > 5",
        "my team @ work",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert strip_markup(text) == text


def test_a_slack_link_reads_as_its_label():
    assert strip_markup("see <https://example.com/o/1|the order page>") == "see the order page"
