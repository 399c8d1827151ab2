"""Groups similar declined or unsure asks, so trainers read ten themes instead of 500 lines.

How, and why this way:
1. Each question becomes a key: its content words, stemmed (Snowball, as the matcher does),
   without function words and without the words nearly every ask here contains ("customer",
   "caller", "handle"...), which would otherwise make unrelated questions look alike.
2. Identical keys are one entry with a count, so "refund?" asked 40 times costs one row.
3. Two keys are neighbours when rapidfuzz's `token_set_ratio` is at least SIMILARITY (out of
   100). It compares the shared words against each side's extra words, so word order and an
   extra "please" or "today" do not matter, while two questions sharing a single common word
   stay apart.
4. Greedy star clustering, deterministic: the entry with the most asks among its neighbours
   (ties: more asks of its own, then alphabetical) seeds a group of all its ungrouped
   neighbours; repeat until every entry is grouped. Each group is a star around its seed, so
   every member is similar to the centre (no chaining of A~B~C into one blob).
5. The label is the group's medoid: the question with the highest ask-weighted similarity to
   the rest of its group. The group's topic is the one the matcher most often found closest.

Only the MAX_ENTRIES most frequent distinct keys are grouped (the similarity matrix is
quadratic); rarer ones are counted as "not grouped". The service runs this in a worker thread,
so a big month does not hold up the bot's event loop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from coachbot.debrief.scrubber import scrub
from coachbot.insights.models import AskGroup
from coachbot.knowledge.text import STOPWORDS, printable, stem, words
from coachbot.store.insights import GapAsk

SIMILARITY = 80
MAX_ENTRIES = 1000  # about 1 s of token_set_ratio on one core
EXAMPLES = 3
MAX_SHOWN_CHARS = 300  # a stored question can be 1,000 characters; a report line should not

# Words that nearly every ask to a customer-service coach contains.
DOMAIN_WORDS = frozenset(
    """customer customers caller callers client clients person guy lady man woman people
    call calls calling phone line chat handle handling deal dealing do say respond reply tell
    should best way help need want wants try trying keep keeps ask asking question know""".split()
)
_DOMAIN_STEMS = frozenset(stem(w) for w in DOMAIN_WORDS)


def question_key(question: str) -> str:
    """The comparable core of a question: stemmed content words, in their order."""
    tokens = words(question)
    stems = [stem(w) for w in tokens if w not in STOPWORDS]
    content = [s for s in stems if s not in _DOMAIN_STEMS]
    if content:
        return " ".join(content)
    return " ".join(tokens)  # only common words: compare them rather than nothing


@dataclass
class _Entry:
    key: str
    asks: list[GapAsk]

    @property
    def count(self) -> int:
        return len(self.asks)


def group_asks(
    asks: Sequence[GapAsk],
    titles: Mapping[str, str],
    *,
    similarity: int = SIMILARITY,
    max_entries: int = MAX_ENTRIES,
) -> tuple[tuple[AskGroup, ...], int]:
    """(groups, most asks first; number of asks left ungrouped beyond `max_entries` keys)."""
    by_key: dict[str, _Entry] = {}
    for ask in asks:
        key = question_key(ask.question)
        by_key.setdefault(key, _Entry(key, [])).asks.append(ask)
    ordered = sorted(by_key.values(), key=lambda e: (-e.count, e.key))
    entries, rest = ordered[:max_entries], ordered[max_entries:]
    ungrouped = sum(e.count for e in rest)
    if not entries:
        return (), ungrouped
    keys = [e.key for e in entries]
    counts = np.array([e.count for e in entries], dtype=np.int64)
    sim = process.cdist(keys, keys, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=1)
    near = sim >= similarity
    np.fill_diagonal(near, True)
    links = near.astype(np.int64)
    weight = links @ counts  # asks among each entry's neighbours
    free = np.ones(len(entries), dtype=bool)
    groups = []
    while free.any():
        candidates = np.flatnonzero(free)
        best = weight[candidates].max()
        seed = min(
            (i for i in candidates if weight[i] == best),
            key=lambda i: (-counts[i], keys[i]),
        )
        members = np.flatnonzero(near[seed] & free)
        free[members] = False
        weight -= links[:, members] @ counts[members]
        groups.append(_group([entries[i] for i in members], sim[np.ix_(members, members)], titles))
    groups.sort(key=lambda g: (-g.count, g.label))
    return tuple(groups), ungrouped


def _group(
    entries: list[_Entry],
    sim: np.ndarray,
    titles: Mapping[str, str],
) -> AskGroup:
    counts = np.array([e.count for e in entries], dtype=np.int64)
    centrality = sim.astype(np.int64) @ counts
    order = sorted(range(len(entries)), key=lambda i: (-centrality[i], -counts[i], entries[i].key))
    texts: list[str] = []  # distinct questions, the most central entry's first
    for i in order:
        for text in _by_frequency(entries[i].asks):
            cleaned = _clean(text)
            if cleaned not in texts:
                texts.append(cleaned)
        if len(texts) > EXAMPLES:
            break
    label, examples = texts[0], texts[1 : EXAMPLES + 1]
    asks = [a for e in entries for a in e.asks]
    topics = Counter(a.topic_id for a in asks if a.topic_id)
    topic_id = min(topics, key=lambda t: (-topics[t], t)) if topics else None
    declined = sum(a.declined for a in asks)
    return AskGroup(
        label=label,
        count=len(asks),
        declined=declined,
        low_confidence=len(asks) - declined,
        examples=tuple(examples),
        topic_id=topic_id,
        topic_title=titles.get(topic_id) if topic_id else None,
    )


def _by_frequency(asks: list[GapAsk]) -> list[str]:
    """The group's spellings of one key, the most asked first (ties alphabetical)."""
    spelled = Counter(" ".join(a.question.split()) for a in asks)
    return sorted(spelled, key=lambda q: (-spelled[q], q))


def _clean(text: str) -> str:
    """Scrubbed again (it was masked when logged: harmless, and defensive), printable, short."""
    text = " ".join(printable(scrub(text).text).split())
    if len(text) > MAX_SHOWN_CHARS:
        text = text[: MAX_SHOWN_CHARS - 1].rstrip() + "…"
    return text
