"""The bar: reload under load.

While asks run continuously, 20 reloads alternating between two valid versions and a broken
one lose no ask and never produce an answer from a half-loaded knowledge base; after the
broken one the previous version is still live.

Versions A and B differ in every card (summary "Version A." / "Version B.", title "[A]" /
"[B]", a link to the version's own topic) and in their topic ids. So an answer is checked
whole: the card, its alternatives and its related topics must all be the very objects of one
version that was live, and carry that version's mark. Asks go through the service (several
concurrent workers) and through Discord's /ask (checked on the JSON sent to Discord).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

from coachbot.ask import AskKind, AskResult
from coachbot.knowledge.live import LiveKnowledge
from tests.discord_harness import DiscordEnv, buttons
from tests.knowledge_versions import SHARED, TOPICS, VERSIONS, question, version_of, write_version

RELOADS = 20
PLAN = ("B", "A", "broken")  # cycled: B, A, broken, B, A, broken, ...
WORKERS = 4


def _questions() -> Iterator[str]:
    """Every topic in turn, those of both versions and those of only one, in several words."""
    return (question(topic_id, n) for n in itertools.count() for topic_id in TOPICS)


class Versions:
    """Every version that was ever live, to check each answer against."""

    def __init__(self, first: LiveKnowledge) -> None:
        self.live = [first]

    def letter(self, live: LiveKnowledge) -> str:
        return version_of(live.kb.topics[0].summary)

    def owner_of(self, result: AskResult) -> LiveKnowledge | None:
        """The one live version holding every topic object of the answer (None: no topics)."""
        topics = [t for t in (result.topic, *result.alternatives, *result.related) if t]
        if not topics:
            return None
        owners = [
            live
            for live in self.live
            if all(any(t is mine for mine in live.kb.topics) for t in topics)
        ]
        assert len(owners) == 1, f"{result.question!r}: topics from no single version"
        owner = owners[0]
        letter = self.letter(owner)
        for topic in topics:
            assert version_of(topic.summary) == letter and topic.title.endswith(f"[{letter}]")
            assert topic.id in VERSIONS[letter]
        return owner


async def test_twenty_reloads_under_continuous_asks_lose_nothing_and_never_mix_versions(
    env: DiscordEnv, app, knowledge_dir
):
    versions = Versions(app.knowledge)
    app.reloader.subscribe(lambda r: versions.live.append(app.knowledge) if r.ok else None)
    results: list[AskResult] = []
    started = during_reload = 0
    stop = asyncio.Event()

    async def asker(offset: int) -> None:
        nonlocal started, during_reload
        for text in itertools.islice(_questions(), offset, None, WORKERS):
            if stop.is_set():
                return
            started += 1
            during_reload += app.reloader.reloading
            results.append(await app.asks.ask(text))

    discord_replies = []

    async def discord_asker() -> None:
        users = [env.ada, env.ben, env.trainer, env.manager, env.owner]  # 5 asks each at most
        for user, topic_id in zip(users * 2, itertools.cycle(SHARED), strict=False):
            discord_replies.append(await env.slash("ask", user=user, question=question(topic_id)))

    workers = [asyncio.create_task(asker(n)) for n in range(WORKERS)]
    on_discord = asyncio.create_task(discord_asker())
    failed = 0
    for version in itertools.islice(itertools.cycle(PLAN), RELOADS):
        before = app.knowledge
        write_version(knowledge_dir, version)
        result = await app.reloader.reload()
        if version == "broken":
            failed += 1
            assert not result.ok and len(result.problems) >= 2
            assert app.knowledge is before  # the previous version is still live
            own_topic = VERSIONS[versions.letter(before)][-1]
            still = await app.asks.ask(question(own_topic))
            assert still.topic is not None and still.topic.id == own_topic
            assert versions.owner_of(still) is before
        else:
            assert result.ok, result.problems
            assert versions.letter(app.knowledge) == version
        await asyncio.sleep(0.005)  # let asks run on this version too
    await on_discord
    stop.set()
    await asyncio.gather(*workers)

    assert failed == 6 and len(versions.live) == 1 + RELOADS - failed
    # no ask lost: every ask started has its answer, and every answer is in the ask log
    assert len(results) == started > RELOADS * WORKERS
    assert during_reload > 0, "no ask ran while a reload was in progress: the test proves nothing"
    asked_for = {question(t, n): t for t in TOPICS for n in range(9)}
    for result in results:
        owner = versions.owner_of(result)  # never half of one version and half of another
        expected = asked_for[result.question]
        if owner is None:  # declined with no closest topic: a topic only the other version has
            assert result.kind is AskKind.DECLINED and expected not in SHARED, result
        elif expected in VERSIONS[versions.letter(owner)]:
            assert result.kind is AskKind.CARD and result.topic.id == expected, result
        else:  # a topic the answering version does not have
            assert result.kind is AskKind.DECLINED, result
    async with app.database.connection.execute("SELECT COUNT(*) FROM asks") as cursor:
        (logged,) = await cursor.fetchone()
    assert logged == len(results) + len(discord_replies) + failed

    assert len(discord_replies) == 10
    for reply in discord_replies:
        [embed] = reply.embeds
        letter = version_of(embed["description"])
        other = "B" if letter == "A" else "A"
        assert embed["title"].endswith(f"[{letter}]")
        card = embed["footer"]["text"].removeprefix("Card: ").split(" ")[0]
        assert card in SHARED
        labels = [b.get("label", "") for b in buttons({"components": reply.components})]
        own_title = TOPICS[VERSIONS[letter][-1]][0]
        assert f"{own_title} [{letter}]" in labels, labels  # the related button, same version
        assert not any(f"[{other}]" in label for label in labels), labels
    assert env.problems() == []
