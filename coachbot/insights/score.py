"""The "train next" score: one transparent number per topic from four signals.

For each topic t in the period:

    asks(t)     = declined or unsure asks whose closest topic is t   / the largest such count
    votes(t)    = "not helpful" votes on t's card                      / the largest such count
    quiz(t)     = share of wrong quiz answers on t (a share already, 0..1; only when at least
                  3 people answered t's questions, otherwise 0)
    debriefs(t) = debriefs about t                                     / the largest such count

    score(t) = (asks + votes + quiz + 0.5 * debriefs) / 3.5

Dividing a count by the largest count among topics puts every signal on 0..1, so the topic
worst on a signal gets 1 for it. Debriefs weigh half: many debriefs about a topic say its calls
are tough, not that the card or training failed. The score is 0..1; the train-next list is the
three highest scores above 0 (ties: more asks, then the topic id).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from coachbot.insights.models import Accuracy, TopicScore, TopicVotes
from coachbot.store.insights import GapAsk

WEIGHTS = {"asks": 1.0, "votes": 1.0, "quiz": 1.0, "debriefs": 0.5}
TRAIN_NEXT = 3


def topic_scores(
    asks: Iterable[GapAsk],
    votes: Iterable[TopicVotes],
    quiz: Iterable[Accuracy],
    debriefs: Mapping[str, int],
    titles: Mapping[str, str],
) -> tuple[TopicScore, ...]:
    """Every topic with any signal, weakest first. `quiz` holds published per-topic rows."""
    gap = Counter(a.topic_id for a in asks if a.topic_id)
    declined = Counter(a.topic_id for a in asks if a.topic_id and a.declined)
    by_vote = {v.topic_id: v for v in votes}
    by_quiz = {q.key: q for q in quiz}
    topics = set(gap) | {t for t, v in by_vote.items() if v.not_helpful} | set(debriefs)
    topics |= {t for t, q in by_quiz.items() if q.correct < q.answered}
    top_asks = max(gap.values(), default=0)
    top_votes = max((v.not_helpful for v in by_vote.values()), default=0)
    top_debriefs = max(debriefs.values(), default=0)
    total_weight = sum(WEIGHTS.values())
    scores = []
    for topic in topics:
        vote = by_vote.get(topic)
        row = by_quiz.get(topic)
        signals = {
            "asks": _share(gap[topic], top_asks),
            "votes": _share(vote.not_helpful if vote else 0, top_votes),
            "quiz": 1 - row.accuracy if row and row.answered else 0.0,
            "debriefs": _share(debriefs.get(topic, 0), top_debriefs),
        }
        score = sum(WEIGHTS[name] * value for name, value in signals.items()) / total_weight
        scores.append(
            TopicScore(
                topic_id=topic,
                title=titles.get(topic, f"{topic} (not in the knowledge base)"),
                score=round(score, 4),
                asks=gap[topic],
                declined=declined[topic],
                not_helpful=vote.not_helpful if vote else 0,
                votes=vote.total if vote else 0,
                quiz_answered=row.answered if row else 0,
                quiz_correct=row.correct if row else 0,
                quiz_agents=row.agents if row else 0,
                debriefs=debriefs.get(topic, 0),
                signals=tuple((name, round(value, 4)) for name, value in signals.items()),
            )
        )
    scores = [s for s in scores if s.score > 0]
    scores.sort(key=lambda s: (-s.score, -s.asks, s.topic_id))
    return tuple(scores)


def _share(value: int, top: int) -> float:
    return value / top if top else 0.0
