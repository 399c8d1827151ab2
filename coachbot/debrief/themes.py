"""Recurring themes in debrief texts: similar texts grouped, largest groups first.

Trainers want "what keeps happening" and "what keeps working", not a list of every debrief.
Texts are reduced to their content-word stems (no stopwords, no placeholders, none of the words
every debrief shares such as "customer"), compared pairwise with rapidfuzz's token_set_ratio,
and grouped greedily: the text with the most similar neighbours founds a group with them, then
the next. The founder is the group's representative. Everything is deterministic: the same
debriefs give the same groups, whatever order the store returns them in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz

from coachbot.debrief.scrub.placeholders import without_placeholders
from coachbot.knowledge.text import STOPWORDS, stem, words

SIMILAR = 55.0  # token_set_ratio at or above which two texts tell the same story
MIN_SHARED = 2  # and they share at least this many content words (one shared word is chance)
MAX_TEXTS = 500  # the newest this many are grouped: under a second even if all are alike
REPRESENTATIVE_CHARS = 160
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Words nearly every debrief uses: sharing them says nothing about the situation.
_EVERYWHERE = frozenset(
    """customer customers caller client call calls called calling agent i me my they them he she
    said told asked say tell ask wanted want wants tried try trying also still then just even
    really very much lot one two again""".split()
)
_EVERYWHERE_STEMS = frozenset(stem(word) for word in _EVERYWHERE)
Terms = Callable[[str], list[str]]


class Item(NamedTuple):
    words: tuple[str, ...]
    text: str
    topic: str | None


@dataclass(frozen=True)
class Theme:
    """A group of similar texts: how many, one of them to show, and their linked topics."""

    count: int
    representative: str
    topics: tuple[tuple[str, int], ...] = ()


def _plain_terms(text: str) -> list[str]:
    return [stem(word) for word in words(text) if word not in STOPWORDS]


def content_words(text: str, terms: Terms | None = None) -> tuple[str, ...]:
    """The sorted, distinct content terms of a text: what similarity is measured on.

    `terms` is the knowledge base's analyzer when there is one, so that synonyms the trainers
    declared ("shouted", "yelled", "screamed") count as the same word; else plain stems.
    """
    found = (terms or _plain_terms)(without_placeholders(text))
    return tuple(
        sorted({t for t in found if len(t) > 1 and not t.isdigit() and t not in _EVERYWHERE_STEMS})
    )


def representative(text: str) -> str:
    """The first sentence of a text, clipped at a word: enough to recognise the situation."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) <= REPRESENTATIVE_CHARS:
        return first
    cut = first[:REPRESENTATIVE_CHARS].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def recurring(
    texts: Sequence[str],
    topics: Sequence[str | None] | None = None,
    *,
    limit: int = 5,
    min_count: int = 2,
    terms: Terms | None = None,
) -> tuple[Theme, ...]:
    """The `limit` largest groups of at least `min_count` similar texts, largest first.

    `topics`, when given, is each text's linked knowledge topic; each theme then lists its
    topics, most frequent first. `terms` turns a text into words (see `content_words`).
    """
    return group(analyse(texts, topics, terms), limit=limit, min_count=min_count)


def analyse(
    texts: Sequence[str], topics: Sequence[str | None] | None = None, terms: Terms | None = None
) -> list[Item]:
    """Each text worth comparing with its content words and topic, in a fixed order.

    Separate from `group` so that an adapter can analyse on its own thread (the analyzer's
    stemmer is not thread-safe) and group, the slow part, on another.
    """
    linked = list(topics) if topics is not None else [None] * len(texts)
    items = []
    for text, topic in zip(texts[-MAX_TEXTS:], linked[-MAX_TEXTS:], strict=True):
        bag = content_words(text or "", terms)
        if len(bag) >= MIN_SHARED:
            items.append(Item(bag, text.strip(), topic))
    items.sort(key=lambda item: (item.words, item.text, item.topic or ""))
    return items


def group(items: Sequence[Item], *, limit: int = 5, min_count: int = 2) -> tuple[Theme, ...]:
    """Greedy grouping: the item with the most similar neighbours founds a group with them."""
    if len(items) < min_count:
        return ()
    similar = _similar([item.words for item in items])
    free = np.ones(len(items), dtype=bool)
    themes: list[Theme] = []
    while len(themes) < limit and free.any():
        neighbours = (similar & free[None, :] & free[:, None]).sum(axis=1)
        neighbours[~free] = -1
        founder = int(np.argmax(neighbours))  # ties: the first in the sorted order
        members = np.nonzero(similar[founder] & free)[0]
        if len(members) < min_count:
            break
        free[members] = False
        linked = Counter(items[m].topic for m in members if items[m].topic)
        themes.append(
            Theme(
                count=len(members),
                representative=representative(items[founder].text),
                topics=tuple(sorted(linked.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    return tuple(themes)


def _similar(bags: list[tuple[str, ...]]) -> np.ndarray:
    """Which pairs tell the same story: enough shared words, then token_set_ratio. The ratio
    is computed only for pairs that share words, which is what keeps a big report fast."""
    texts = [" ".join(bag) for bag in bags]
    similar = np.zeros((len(bags), len(bags)), dtype=bool)
    for i, j in zip(*np.nonzero(np.triu(_shared_words(bags) >= MIN_SHARED, 1)), strict=True):
        if fuzz.token_set_ratio(texts[i], texts[j], score_cutoff=SIMILAR):
            similar[i, j] = similar[j, i] = True
    np.fill_diagonal(similar, True)
    return similar


def _shared_words(bags: list[tuple[str, ...]]) -> np.ndarray:
    """How many content words each pair of texts shares (one matrix product, not a loop)."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, bag in enumerate(bags):
        for word in bag:
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
    present = np.zeros((len(bags), len(vocabulary)), dtype=np.float32)
    present[rows, cols] = 1.0
    return present @ present.T
