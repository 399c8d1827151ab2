"""The debrief service on a real store: digests that survive failed posts, and the report."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from coachbot.debrief.service import DebriefService
from coachbot.store.debriefs import StoredDebrief

GUILD = "g1"

SITUATIONS = [
    ("The parcel was two weeks late and he shouted that he wanted a refund.", "late-delivery"),
    ("Delivery was late again; the customer yelled and demanded a refund.", "late-delivery"),
    ("Her order arrived late and damaged, and she insisted on a refund today.", "late-delivery"),
    ("Parcel late for the third time, caller furious, refund demanded.", "late-delivery"),
    ("He threatened to cancel his contract because the price went up.", "retention"),
    ("Caller wanted to cancel the contract after the price rise.", "retention"),
    ("She asked how to update her direct debit.", None),
]
WORKED = [
    "Giving a firm date for the refund calmed him down.",
    "A firm refund date calmed her.",
    "Offering a firm date for the refund calmed the caller.",
    "Explaining the loyalty discount kept him.",
    "Silence, then a summary of what she said.",
    "",
    "",
]


def _debrief(n: int, text: str, topic: str | None, worked: str, status: str, day) -> StoredDebrief:
    return StoredDebrief(
        id=f"{n:02d}" + secrets.token_hex(11),
        guild_id=GUILD,
        day=day,
        what_happened=text,
        what_tried="I listened.",
        what_worked=worked,
        next_time="",
        topic_id=topic,
        status=status,
    )


async def _seed(service: DebriefService, today, statuses: list[str]) -> list[StoredDebrief]:
    rows = []
    for n, ((text, topic), worked, status) in enumerate(
        zip(SITUATIONS, WORKED, statuses, strict=True)
    ):
        debrief = _debrief(n, text, topic, worked, status, today - timedelta(days=n))
        await service.store.add(debrief, secrets.token_hex(8))
        rows.append(debrief)
    return rows


async def _statuses(service: DebriefService) -> list[str]:
    rows = await service.store.since(GUILD, service._clock().date() - timedelta(days=30))
    return sorted(d.status for d in rows)


async def _channel_due_now(service: DebriefService, clock) -> None:
    await service.set_channel(GUILD, "555", f"{clock.now:%H:%M}", "UTC", review=False)


async def test_a_claimed_digest_is_shared_only_once_it_was_posted(app, clock):
    service = app.debriefs
    await _channel_due_now(service, clock)
    await _seed(service, clock.now.date(), ["waiting"] * 7)

    [digest] = await service.due_digests()
    assert len(digest.debriefs) == 7
    assert await _statuses(service) == ["waiting"] * 7  # claimed, not yet shared

    assert await service.mark_posted(digest, "999", digest.debriefs[:4]) == 4
    assert await _statuses(service) == ["shared"] * 4 + ["waiting"] * 3
    assert await service.due_digests() == []  # one digest per day


async def test_a_digest_whose_post_failed_is_tried_again(app, clock):
    service = app.debriefs
    await _channel_due_now(service, clock)
    await _seed(service, clock.now.date(), ["waiting"] * 7)
    [digest] = await service.due_digests()

    await service.release(digest)  # the adapter could not post it

    clock.now += timedelta(minutes=1)
    [again] = await service.due_digests()
    assert {d.id for d in again.debriefs} == {d.id for d in digest.debriefs}
    await service.mark_posted(again, "1000")
    assert await _statuses(service) == ["shared"] * 7


async def test_releasing_after_a_message_went_out_keeps_the_days_claim(app, clock):
    service = app.debriefs
    await _channel_due_now(service, clock)
    await _seed(service, clock.now.date(), ["waiting"] * 7)
    [digest] = await service.due_digests()
    await service.mark_posted(digest, "999", digest.debriefs[:1])

    await service.release(digest)

    assert await service.due_digests() == []


async def test_the_report_groups_situations_and_what_worked(app, clock):
    service = app.debriefs
    await _seed(service, clock.now.date(), ["shared"] * 6 + ["waiting"])

    report = await service.report(GUILD)

    assert report.total == 7
    top, second = report.situations[:2]
    assert top.count == 4 and "late" in top.representative.lower()
    assert top.topics == (("late-delivery", 4),)
    assert second.count == 2 and "cancel" in second.representative
    assert all(theme.count >= 2 for theme in report.situations)
    [worked] = report.what_worked
    assert worked.count == 3 and "firm" in worked.representative
    assert dict(report.by_topic) == {"late-delivery": 4, "retention": 2, "(no topic)": 1}


async def test_the_report_leaves_out_debriefs_waiting_for_review(app, clock):
    service = app.debriefs
    await _seed(service, clock.now.date(), ["review"] * 3 + ["shared"] * 4)

    report = await service.report(GUILD)

    assert report.total == 4 and report.in_review == 3
    assert sum(n for _, n in report.by_topic) == 4
    assert all(theme.count <= 2 for theme in report.situations)  # 3 of the 4 late ones hidden


async def test_the_report_is_the_same_whatever_order_the_debriefs_come_in(app, clock):
    service = app.debriefs
    await _seed(service, clock.now.date(), ["shared"] * 7)
    first = await service.report(GUILD)
    rows = await service.store.since(GUILD, clock.now.date() - timedelta(days=30))
    for row in rows:
        await service.store.delete_by_id(row.id)
    for n, row in enumerate(reversed(rows)):  # new ids, reversed order
        moved = StoredDebrief(**{**row.__dict__, "id": f"{99 - n:02d}" + row.id[2:]})
        await service.store.add(moved, secrets.token_hex(8))

    again = await service.report(GUILD)

    assert again.situations == first.situations and again.what_worked == first.what_worked


@pytest.mark.parametrize("count", [0, 1])
async def test_a_report_with_too_few_debriefs_has_no_themes(app, clock, count):
    service = app.debriefs
    for n in range(count):
        await service.store.add(
            _debrief(n, *SITUATIONS[n], WORKED[n], "shared", clock.now.date()), f"h{n}"
        )
    report = await service.report(GUILD)
    assert report.total == count and report.situations == () and report.what_worked == ()
