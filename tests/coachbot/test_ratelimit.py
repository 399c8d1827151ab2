"""The one rate limiter: a sliding window per key, on a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from coachbot.ratelimit import ASK, PURGE_AT, Allowance, MemoryHits, RateLimiter


async def test_five_questions_then_a_wait_that_names_the_seconds(clock):
    limiter = RateLimiter(ASK, clock)
    assert [await limiter.hit("discord:1") for _ in range(5)] == [0.0] * 5

    clock.now += timedelta(seconds=10)
    assert await limiter.hit("discord:1") == 20.0  # the first of the five is 10 s old
    assert await limiter.hit("slack:T1:U1") == 0.0  # another person is not slowed
    clock.now += timedelta(seconds=20)
    assert await limiter.hit("discord:1") == 0.0  # the window has moved on


async def test_a_refused_hit_is_not_counted(clock):
    limiter = RateLimiter(Allowance(1, 60.0), clock)
    await limiter.hit("k")
    for _ in range(3):
        clock.now += timedelta(seconds=10)
        await limiter.hit("k")  # refused: must not push the window out
    clock.now += timedelta(seconds=30)
    assert await limiter.hit("k") == 0.0


class CountingStore:
    """A store in the limiter's seam (as the database would be), recording what it is asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, datetime, Allowance]] = []

    async def hit(self, key: str, now: datetime, allowance: Allowance) -> float:
        self.asked.append((key, now, allowance))
        return 7.0


async def test_the_counting_can_live_elsewhere(clock):
    store = CountingStore()
    limiter = RateLimiter(ASK, clock, store)
    assert await limiter.hit("discord:1") == 7.0
    assert store.asked == [("discord:1", clock(), ASK)]


async def test_quiet_keys_are_dropped_so_memory_stays_bounded(clock):
    hits = MemoryHits()
    limiter = RateLimiter(ASK, clock, hits)
    for n in range(PURGE_AT):
        await limiter.hit(f"agent:{n}")
    clock.now += timedelta(seconds=ASK.per)
    await limiter.hit("one more")
    assert len(hits) == 1
