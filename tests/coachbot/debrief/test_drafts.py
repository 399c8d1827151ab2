"""Debrief drafts stay in memory, a few per author, for 30 minutes; previews are rate-limited."""

from __future__ import annotations

from datetime import timedelta

from coachbot.debrief.drafts import DRAFT_SECONDS, DraftStore
from tests.conftest import FakeClock

RAW = {"what_happened": "The customer shouted about a late parcel."}


def test_a_draft_is_taken_once_by_its_author_only(clock: FakeClock):
    drafts = DraftStore(clock)
    drafts.put("tok-aaaaaaa", "ada", RAW, "")

    assert drafts.take("tok-aaaaaaa", "ben", keep=False) is None
    assert drafts.take("tok-aaaaaaa", "ada", keep=True).raw == RAW  # Edit keeps it
    assert drafts.take("tok-aaaaaaa", "ada", keep=False).raw == RAW
    assert drafts.take("tok-aaaaaaa", "ada", keep=False) is None
    assert len(drafts) == 0


def test_an_author_keeps_only_the_newest_few_drafts(clock: FakeClock):
    drafts = DraftStore(clock, per_author=3)
    for n in range(300):
        drafts.put(f"tok-{n:07d}", "ada", RAW, "")
    drafts.put("tok-ben0000", "ben", RAW, "")

    assert len(drafts) == 4
    assert drafts.take("tok-0000000", "ada", keep=True) is None  # the oldest were replaced
    assert drafts.take("tok-0000299", "ada", keep=True) is not None
    assert drafts.take("tok-ben0000", "ben", keep=True) is not None  # others keep theirs


def test_editing_a_draft_replaces_it_without_counting_twice(clock: FakeClock):
    drafts = DraftStore(clock, per_author=2)
    drafts.put("tok-first00", "ada", RAW, "")
    drafts.put("tok-second0", "ada", RAW, "")
    drafts.put("tok-second0", "ada", {"what_happened": "edited"}, "")

    assert drafts.take("tok-first00", "ada", keep=True) is not None
    assert drafts.take("tok-second0", "ada", keep=True).raw == {"what_happened": "edited"}


def test_drafts_expire_and_the_purge_forgets_them_without_a_take(clock: FakeClock):
    drafts = DraftStore(clock)
    drafts.put("tok-aaaaaaa", "ada", RAW, "")
    clock.now += timedelta(seconds=DRAFT_SECONDS - 1)
    assert drafts.purge() == 0 and len(drafts) == 1

    clock.now += timedelta(seconds=2)
    assert drafts.purge() == 1 and len(drafts) == 0
    assert drafts.take("tok-aaaaaaa", "ada", keep=False) is None


def test_an_expired_draft_cannot_be_taken_before_the_purge_runs(clock: FakeClock):
    drafts = DraftStore(clock)
    drafts.put("tok-aaaaaaa", "ada", RAW, "")
    clock.now += timedelta(seconds=DRAFT_SECONDS + 1)

    assert drafts.take("tok-aaaaaaa", "ada", keep=True) is None


async def test_previews_are_limited_per_author_and_the_limit_lifts(clock: FakeClock):
    drafts = DraftStore(clock, rate=5, per=60)
    assert [await drafts.slow_down("ada") for _ in range(5)] == [0.0] * 5

    clock.now += timedelta(seconds=20)
    assert await drafts.slow_down("ada") == 40.0  # the first of the five is 20 s old
    assert await drafts.slow_down("ben") == 0.0  # others are not slowed

    clock.now += timedelta(seconds=40)
    assert await drafts.slow_down("ada") == 0.0
    drafts.purge()  # ben's window is over: his record goes, ada's latest stays
    assert await drafts.slow_down("ada") == 0.0
