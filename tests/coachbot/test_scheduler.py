"""The scheduler on a fake clock, a real SQLite file and a fake poster: what is posted when,
and what an unreachable channel or a transient failure does to quizzes and digests."""

from __future__ import annotations

import secrets
from datetime import timedelta

from coachbot.quiz.schedule import parse_schedule
from coachbot.scheduler import Scheduler, Transient, Unreachable
from coachbot.store.debriefs import DebriefStatus, StoredDebrief
from coachbot.views.debrief import DigestPage
from coachbot.views.quiz import ClosedQuizPost, QuizPost

GUILD, OTHER_PLATFORM = "101", "slack:T1"


class FakePoster:
    """Records what it was asked to post; `fail` holds the next failures to raise, in order."""

    digest_page_size = 2

    def __init__(self) -> None:
        self.quizzes: list[QuizPost] = []
        self.closed: list[ClosedQuizPost] = []
        self.pages: list[DigestPage] = []
        self.fail: list[Exception] = []

    def owns(self, guild_id: str) -> bool:
        return guild_id.isdigit()

    def _maybe_fail(self) -> None:
        if self.fail:
            raise self.fail.pop(0)

    async def post_quiz(self, post: QuizPost) -> str:
        self._maybe_fail()
        self.quizzes.append(post)
        return f"m{post.post_id}"

    async def close_quiz(self, closed: ClosedQuizPost) -> None:
        self._maybe_fail()
        self.closed.append(closed)

    async def post_digest(self, page: DigestPage) -> str:
        self._maybe_fail()
        self.pages.append(page)
        return f"d{len(self.pages)}"


async def _subscribe(app, clock, guild: str = GUILD, channel: str = "201") -> None:
    schedule = parse_schedule(
        guild_id=guild,
        channel_id=channel,
        time_text=f"{clock.now:%H:%M}",
        timezone_text="UTC",
        weekdays_text="daily",
        window_hours=2,
    )
    await app.quiz.schedules.save(schedule, today=clock.now.date())


async def _rows(app, sql: str) -> list[tuple]:
    async with app.database.connection.execute(sql) as cursor:
        return list(await cursor.fetchall())


async def test_a_due_quiz_is_posted_once_and_closed_after_its_window(app, clock):
    poster = FakePoster()
    scheduler = Scheduler(poster, app.quiz, app.debriefs)
    await _subscribe(app, clock)

    await scheduler.tick_quizzes()
    await scheduler.tick_quizzes()
    [post] = poster.quizzes
    assert post.channel_id == "201" and post.questions[0].answers
    assert all(a.id.startswith(f"cb:quiz:{post.post_id}:0:") for a in post.questions[0].answers)
    assert poster.closed == []

    clock.now += timedelta(hours=2)
    await scheduler.tick_quizzes()
    await scheduler.tick_quizzes()
    [closed] = poster.closed
    assert (closed.post_id, closed.message_id) == (post.post_id, f"m{post.post_id}")
    assert closed.questions[0].tally == "0 answered · – correct"


async def test_an_unreachable_or_failing_channel_keeps_the_claim_and_posts_no_second_time(
    app, clock
):
    for failure in (Unreachable("HTTP 404"), Transient("HTTP 503")):
        poster = FakePoster()
        poster.fail = [failure]
        scheduler = Scheduler(poster, app.quiz, app.debriefs)
        channel = str(300 + len(str(failure)))
        await _subscribe(app, clock, channel=channel)

        await scheduler.tick_quizzes()
        await scheduler.tick_quizzes()  # the claim stays: the quiz is not tried again today

        assert poster.quizzes == []
        [(items,)] = await _rows(
            app,
            "SELECT COUNT(i.item_id) FROM quiz_posts p LEFT JOIN quiz_post_items i"
            f" ON i.post_id = p.id WHERE p.channel_id = '{channel}'",
        )
        assert items == 0  # its questions were dropped: nobody can answer an unposted quiz


async def test_one_failing_quiz_does_not_cost_the_others_their_post(app, clock):
    poster = FakePoster()
    poster.fail = [RuntimeError("a bug in the poster")]
    await _subscribe(app, clock, channel="201")
    await _subscribe(app, clock, channel="202")

    await Scheduler(poster, app.quiz, app.debriefs).tick_quizzes()

    assert [p.channel_id for p in poster.quizzes] == ["202"]


async def test_another_platforms_schedules_are_left_to_it(app, clock):
    poster = FakePoster()
    await _subscribe(app, clock, guild=OTHER_PLATFORM, channel="slack:C1")

    await Scheduler(poster, app.quiz, app.debriefs).tick_quizzes()

    assert poster.quizzes == []
    assert await _rows(app, "SELECT id FROM quiz_posts") == []  # not even claimed


async def _debriefs_waiting(app, clock, count: int) -> None:
    await app.debriefs.set_channel(GUILD, "555", f"{clock.now:%H:%M}", "UTC", review=False)
    for n in range(count):
        debrief = StoredDebrief(
            id=secrets.token_hex(12),
            guild_id=GUILD,
            day=clock.now.date(),
            what_happened=f"A late parcel, call {n}.",
            what_tried="I listened.",
            what_worked="",
            next_time="",
            topic_id=None,
            status=DebriefStatus.WAITING,
        )
        await app.debriefs.store.add(debrief, secrets.token_hex(8))


async def _statuses(app) -> list[str]:
    return sorted(row[0] for row in await _rows(app, "SELECT status FROM debriefs"))


async def test_a_digest_is_posted_in_pages_numbered_on(app, clock):
    poster = FakePoster()
    await _debriefs_waiting(app, clock, 5)

    await Scheduler(poster, app.quiz, app.debriefs).tick_digests()

    assert [len(p.entries) for p in poster.pages] == [2, 2, 1]
    assert poster.pages[0].heading and poster.pages[1].heading is None
    titles = [e.debrief.title for p in poster.pages for e in p.entries]
    assert titles == [f"Tough call #{n}" for n in range(1, 6)]
    assert poster.pages[2].entries[0].helped.label == "This helped me (#5)"
    assert await _statuses(app) == ["shared"] * 5


async def test_an_unreachable_digest_channel_keeps_the_debriefs_until_tomorrow(app, clock):
    poster = FakePoster()
    poster.fail = [Unreachable("HTTP 403")]
    scheduler = Scheduler(poster, app.quiz, app.debriefs)
    await _debriefs_waiting(app, clock, 3)

    await scheduler.tick_digests()
    await scheduler.tick_digests()  # today's claim stays: not retried every minute

    assert poster.pages == [] and await _statuses(app) == ["waiting"] * 3
    clock.now += timedelta(days=1)
    await scheduler.tick_digests()
    assert len(poster.pages) == 2 and await _statuses(app) == ["shared"] * 3


async def test_a_transient_failure_retries_at_the_next_tick(app, clock):
    poster = FakePoster()
    poster.fail = [Transient("HTTP 503")]
    scheduler = Scheduler(poster, app.quiz, app.debriefs)
    await _debriefs_waiting(app, clock, 3)

    await scheduler.tick_digests()
    assert poster.pages == [] and await _statuses(app) == ["waiting"] * 3

    await scheduler.tick_digests()
    assert len(poster.pages) == 2 and await _statuses(app) == ["shared"] * 3


async def test_a_transient_failure_halfway_keeps_the_rest_waiting_and_the_claim(app, clock):
    poster = FakePoster()
    scheduler = Scheduler(poster, app.quiz, app.debriefs)
    await _debriefs_waiting(app, clock, 3)
    poster.fail = []

    async def second_page_fails(page: DigestPage) -> str:
        if poster.pages:
            raise Transient("HTTP 500")
        poster.pages.append(page)
        return "d1"

    poster.post_digest = second_page_fails  # type: ignore[method-assign]
    await scheduler.tick_digests()
    await scheduler.tick_digests()  # the first page went out: no second digest today

    assert len(poster.pages) == 1
    assert await _statuses(app) == ["shared", "shared", "waiting"]
