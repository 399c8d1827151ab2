"""COACHBOT_SHARD_COUNT / COACHBOT_SHARD_IDS: which Discord shards a process runs, and one clear
line for every way to get them wrong."""

from __future__ import annotations

import pytest

from coachbot.errors import CoachError
from coachbot.settings import Settings
from coachbot.sharding import Sharding


def _sharding(count: str = "", ids: str = "") -> Sharding | None:
    environ = {"COACHBOT_SHARD_COUNT": count, "COACHBOT_SHARD_IDS": ids}
    return Settings.from_env(environ).sharding


def test_unset_means_one_unsharded_connection():
    assert _sharding() is None
    assert Settings.from_env({}).sharding is None


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("2", "", Sharding(2, None)),
        (" 4 ", "3, 1", Sharding(4, (1, 3))),
        ("2", "0", Sharding(2, (0,))),
        ("auto", "", Sharding(None, None)),
        ("AUTO", "", Sharding(None, None)),
    ],
)
def test_counts_and_ids_are_read(count, ids, expected):
    assert _sharding(count, ids) == expected


@pytest.mark.parametrize(
    ("count", "ids", "hint"),
    [
        ("", "0", "COACHBOT_SHARD_IDS needs COACHBOT_SHARD_COUNT"),
        ("auto", "0", "not auto"),
        ("two", "", "whole number of 1 or more"),
        ("0", "", "whole number of 1 or more"),
        ("-1", "", "whole number of 1 or more"),
        ("2", "2", "numbered 0 to 1"),
        ("2", "0,0", "names a shard twice"),
        ("2", "0;1", "separated by commas"),
        ("2", "0,", "separated by commas"),
        ("2", "-1", "separated by commas"),
    ],
)
def test_mistakes_get_one_clear_line(count, ids, hint):
    with pytest.raises(CoachError) as raised:
        _sharding(count, ids)
    message = raised.value.user_message
    assert hint in message and "\n" not in message and len(message) < 200


def test_a_silly_long_value_is_not_echoed_whole():
    with pytest.raises(CoachError) as raised:
        _sharding("9" * 50 + "x")
    assert len(raised.value.user_message) < 120


@pytest.mark.parametrize(
    ("sharding", "shown"),
    [
        (Sharding(None, None), "every shard Discord recommends"),
        (Sharding(3, None), "all 3 shards"),
        (Sharding(3, (1,)), "shard 1 of 3"),
        (Sharding(3, (0, 2)), "shards 0, 2 of 3"),
    ],
)
def test_descriptions(sharding, shown):
    assert shown in sharding.describe()
