"""The matcher's index, built in a few numpy passes instead of one Python dict per example.

Why the care with order: a topic's scores must not move by a single bit whether the index
comes from this builder, from the compiled cache, or from the per-example code it replaced.
So every float is computed by the same operation in the same order as that code did: sums
that Python's `sum()` made are still made by `sum()` where it is compensated (3.12 on) and by
`np.bincount` before (which adds in input order, as `sum()` then did), and sums that were
running `+=` are `np.bincount` too. Rows may also be read apart, in other processes, and
joined (`TermRows.joined`, fast/bulkload.py).

Reference: the per-example Python this replaced, kept in the tests as
`test_index.py::reference`; tests/coachbot/knowledge/test_index.py holds the arrays equal to
it (see the table in coachbot/knowledge/fast).
"""

from __future__ import annotations

import gc
import math
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

# the arrays that `Index.to_arrays` writes and `Index.from_arrays` reads back, and their types
ARRAY_TYPES = {
    "idf": np.float32,
    "owners": np.int32,
    "centroid_norms": np.float64,
    "self_dots": np.float64,
    "topic_terms": np.int64,
    "oos_only": np.int64,
    **{f"{name}_i": np.int32 for name in ("examples", "cards", "centroids")},
    **{f"{name}_w": np.float32 for name in ("examples", "cards", "centroids")},
    **{f"{name}_p": np.int64 for name in ("examples", "cards", "centroids")},
}
ARRAY_NAMES = tuple(ARRAY_TYPES)
# Python 3.12 made `sum()` of floats compensated (Neumaier); before, it adds one by one
SUM_IS_COMPENSATED = sys.version_info >= (3, 12)


@dataclass(frozen=True)
class Postings:
    """A term -> (row ids, weights) index in compressed sparse form (three flat arrays)."""

    indptr: np.ndarray  # postings of term t are [indptr[t], indptr[t + 1])
    ids: np.ndarray
    weights: np.ndarray
    rows: int

    @classmethod
    def build(
        cls,
        row_ids: np.ndarray,
        terms: np.ndarray,
        weights: np.ndarray,
        rows: int,
        vocabulary_size: int,
    ) -> Postings:
        """Entries in row order; each term's postings keep that order (a stable sort)."""
        order = _stable_order(terms, vocabulary_size)
        indptr = np.zeros(vocabulary_size + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=vocabulary_size), out=indptr[1:])
        return cls(
            indptr=indptr,
            ids=row_ids[order].astype(np.int32),
            weights=weights[order].astype(np.float32),
            rows=rows,
        )

    def scores(self, query: Mapping[int, float]) -> np.ndarray:
        spans = [(self.indptr[t], self.indptr[t + 1], w) for t, w in query.items()]
        spans = [(a, b, w) for a, b, w in spans if b > a]
        if not spans:
            return np.zeros(self.rows, dtype=np.float64)
        ids = np.concatenate([self.ids[a:b] for a, b, _ in spans])
        weights = np.concatenate([self.weights[a:b] * w for a, b, w in spans])
        return np.bincount(ids, weights=weights, minlength=self.rows)


@dataclass(frozen=True)
class Index:
    """Everything the matcher scores with; rows are examples, topics (cards) or owners."""

    vocabulary: tuple[str, ...]  # term of each term id, in order of first use
    idf: np.ndarray  # float32 per term id
    owners: np.ndarray  # owner (topic index, or the out-of-scope owner) of each example
    examples: Postings
    cards: Postings
    centroids: Postings  # per owner: the sum of its examples' vectors
    centroid_norms: np.ndarray
    self_dots: np.ndarray  # each example's dot product with its own owner's sum
    topic_terms: frozenset[int]  # term ids that topics (examples or cards) use
    oos_only: frozenset[int]  # term ids that only out-of-scope examples use

    @classmethod
    def build(
        cls,
        example_rows: Iterable[Sequence[int]],
        owners: Sequence[int],
        card_rows: Iterable[Sequence[int]],
        owner_count: int,
        names: Sequence[str],
    ) -> Index:
        """Index analysed text: example rows (with their owners) and one card row per topic.

        Rows hold term numbers (`names[n]` is the term; any numbering will do, term ids
        are given in order of first use, examples first). Rows may come from a generator:
        each is read once, so they need not all be held.
        """
        return cls.from_rows(
            TermRows.of(example_rows), owners, TermRows.of(card_rows), owner_count, names
        )

    @classmethod
    def from_rows(
        cls,
        example: TermRows,
        owners: Sequence[int] | np.ndarray,
        card: TermRows,
        owner_count: int,
        names: Sequence[str],
    ) -> Index:
        """`build`, from rows already read into TermRows (see `TermRows.joined`)."""
        numbers = _in_order_of_first_use(np.concatenate([example.terms, card.terms]))
        size = len(numbers)
        term_id = np.zeros(int(numbers.max(initial=0)) + 1, dtype=np.int32)
        term_id[numbers] = np.arange(size, dtype=np.int32)
        example, card = example.renumbered(term_id), card.renumbered(term_id)
        vocabulary = tuple(names[n] for n in numbers.tolist())
        frequency = np.bincount(example.terms, minlength=size).tolist()
        count = max(example.count, 1)
        idf = np.array(
            [math.log(1 + (count - f + 0.5) / (f + 0.5)) for f in frequency], dtype=np.float32
        )
        owner_of = np.asarray(owners, dtype=np.int32).reshape(-1)
        if len(owner_of) != example.count or np.any(np.diff(owner_of) < 0):
            raise ValueError("one owner per example, examples grouped in owner order")
        # (in an order that lets each big array go as soon as it is used)
        cards = Postings.build(card.rows, card.terms, card.normalised(idf), card.count, size)
        in_topics = _present(card.terms, size)
        del card
        entry_owners = owner_of[example.rows]
        out_of_scope = owner_count - 1
        in_topics |= _present(example.terms[entry_owners != out_of_scope], size)
        in_oos = _present(example.terms[entry_owners == out_of_scope], size)
        weights = example.normalised(idf)
        # centroids: per (owner, term) the running sum of its examples' weights, in row order;
        # groups numbered in order of first use, which is the order Python's dicts kept
        keys = entry_owners.astype(np.int64) * max(size, 1) + example.terms
        firsts, _, group = _first_uses(keys, numbered=True)
        del keys
        totals = np.bincount(group, weights=weights, minlength=len(firsts))
        group_owners, group_terms = entry_owners[firsts], example.terms[firsts]
        del entry_owners, firsts
        centroid_norms = np.sqrt(
            _run_sums(totals * totals, np.bincount(group_owners, minlength=owner_count))
        )
        centroid_norms[centroid_norms == 0] = 1.0
        self_dots = _run_sums(weights * totals[group], example.row_lengths())
        del group
        examples = Postings.build(example.rows, example.terms, weights, example.count, size)
        del example, weights
        return cls(
            vocabulary=vocabulary,
            idf=idf,
            owners=owner_of,
            examples=examples,
            cards=cards,
            centroids=Postings.build(group_owners, group_terms, totals, owner_count, size),
            centroid_norms=centroid_norms,
            self_dots=self_dots,
            topic_terms=frozenset(np.flatnonzero(in_topics).tolist()),
            oos_only=frozenset(np.flatnonzero(in_oos & ~in_topics).tolist()),
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain numeric arrays (no pickles), for the compiled cache."""
        arrays = {
            "idf": self.idf,
            "owners": self.owners,
            "centroid_norms": self.centroid_norms,
            "self_dots": self.self_dots,
            "topic_terms": np.array(sorted(self.topic_terms), dtype=np.int64),
            "oos_only": np.array(sorted(self.oos_only), dtype=np.int64),
        }
        for name in ("examples", "cards", "centroids"):
            postings: Postings = getattr(self, name)
            arrays[f"{name}_i"] = postings.ids
            arrays[f"{name}_w"] = postings.weights
            arrays[f"{name}_p"] = postings.indptr
        return arrays

    @classmethod
    def from_arrays(
        cls, vocabulary: Sequence[str], arrays: Mapping[str, np.ndarray], owner_count: int
    ) -> Index:
        """The inverse of `to_arrays`; raises ValueError if the arrays do not fit together."""
        for name, kind in ARRAY_TYPES.items():
            if arrays[name].dtype != kind or arrays[name].ndim != 1:
                raise ValueError(f"{name} is not a flat array of {np.dtype(kind).name}")
        size = len(vocabulary)
        owners = arrays["owners"]
        rows = {"examples": len(owners), "cards": owner_count - 1, "centroids": owner_count}
        postings = {}
        for name, count in rows.items():
            ids, weights, indptr = (arrays[f"{name}_{part}"] for part in "iwp")
            if (
                indptr.shape != (size + 1,)
                or ids.shape != weights.shape
                or int(indptr[-1]) != len(ids)
                or (len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= count))
            ):
                raise ValueError(f"inconsistent {name} postings")
            postings[name] = Postings(indptr=indptr, ids=ids, weights=weights, rows=count)
        if (
            arrays["idf"].shape != (size,)
            or arrays["centroid_norms"].shape != (owner_count,)
            or arrays["self_dots"].shape != owners.shape
            or (len(owners) and (int(owners.min()) < 0 or int(owners.max()) >= owner_count))
        ):
            raise ValueError("inconsistent index arrays")
        return cls(
            vocabulary=tuple(vocabulary),
            idf=arrays["idf"],
            owners=owners,
            examples=postings["examples"],
            cards=postings["cards"],
            centroids=postings["centroids"],
            centroid_norms=arrays["centroid_norms"],
            self_dots=arrays["self_dots"],
            topic_terms=frozenset(arrays["topic_terms"].tolist()),
            oos_only=frozenset(arrays["oos_only"].tolist()),
        )


@contextmanager
def paused_gc() -> Iterator[None]:
    """Bulk building makes millions of objects and no cycles; the collector only slows it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class TermRows:
    """Rows of terms as entries: one per distinct term of a row, in order of first use."""

    rows: np.ndarray  # row of each entry
    terms: np.ndarray  # term id of each entry
    frequency: np.ndarray  # times the term occurs in the row (int32)
    count: int  # rows, including empty ones

    @classmethod
    def of(cls, rows: Iterable[Sequence[int]]) -> TermRows:
        """Read `rows` (of term numbers) once."""
        flat: list[int] = []
        lengths = array("q")
        for row in rows:
            lengths.append(len(row))
            flat += row
        terms = np.array(flat, dtype=np.int64)
        del flat
        row_of = np.repeat(
            np.arange(len(lengths), dtype=np.int64), np.frombuffer(lengths, np.int64)
        )
        return cls.of_entries(row_of, terms, len(lengths))

    @classmethod
    def of_entries(cls, row_of: np.ndarray, terms: np.ndarray, count: int) -> TermRows:
        """`of` from every term's number and its row (`BulkTerms.flat`), rows in order."""
        row_of, terms = row_of.astype(np.int64), terms.astype(np.int64)
        firsts, frequency, _ = _first_uses(row_of * (int(terms.max(initial=0)) + 1) + terms)
        return cls(
            rows=row_of[firsts].astype(np.int32),
            terms=terms[firsts].astype(np.int32),
            frequency=frequency.astype(np.int32),
            count=count,
        )

    @classmethod
    def joined(cls, parts: Sequence[tuple[TermRows, np.ndarray]]) -> TermRows:
        """Rows read apart (in other processes, say), one part after another; each part's
        term numbers are mapped through the array beside it into one numbering."""
        offsets = np.cumsum([0] + [part.count for part, _ in parts], dtype=np.int64)
        offsets = offsets.astype(np.int32)  # rows are int32, as `of` makes them
        return cls(
            rows=np.concatenate(
                [part.rows + offset for (part, _), offset in zip(parts, offsets[:-1], strict=True)]
                or [np.zeros(0, dtype=np.int32)]
            ),
            terms=np.concatenate(
                [numbers[part.terms].astype(np.int32) for part, numbers in parts]
                or [np.zeros(0, dtype=np.int32)]
            ),
            frequency=np.concatenate(
                [part.frequency for part, _ in parts] or [np.zeros(0, dtype=np.int32)]
            ),
            count=int(offsets[-1]),
        )

    def renumbered(self, term_id: np.ndarray) -> TermRows:
        return TermRows(self.rows, term_id[self.terms], self.frequency, self.count)

    def row_lengths(self) -> np.ndarray:
        return np.bincount(self.rows, minlength=self.count)

    def normalised(self, idf: np.ndarray) -> np.ndarray:
        """tf-idf weight of each entry, each row L2-normalised (float64, as Python made them)."""
        top = int(self.frequency.max(initial=1))
        scale = np.array([0.0] + [1 + math.log(tf) for tf in range(1, top + 1)])
        weights = scale[self.frequency] * idf.astype(np.float64)[self.terms]
        norms = np.sqrt(_run_sums(weights * weights, self.row_lengths()))
        norms[norms == 0] = 1.0
        weights /= norms[self.rows]
        return weights


def _stable_order(keys: np.ndarray, bound: int) -> np.ndarray:
    """`np.argsort(keys, kind="stable")` for keys in [0, bound); the same order, and a radix
    sort (several times faster than numpy's stable sort of wider integers) when they fit in
    16 bits, as a vocabulary of up to 65,536 terms does."""
    if bound <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")


def _in_order_of_first_use(values: np.ndarray) -> np.ndarray:
    """The distinct non-negative `values`, in order of first occurrence."""
    first = np.full(int(values.max(initial=-1)) + 1, len(values), dtype=np.int64)
    np.minimum.at(first, values, np.arange(len(values), dtype=np.int64))
    used = np.flatnonzero(first < len(values))
    return used[np.argsort(first[used])]  # first positions differ, so any sort will do


def _present(values: np.ndarray, size: int) -> np.ndarray:
    """A mask of the numbers in [0, size) that occur in `values`."""
    mask = np.zeros(size, dtype=bool)
    mask[values] = True
    return mask


def _first_uses(
    keys: np.ndarray, *, numbered: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Distinct keys in order of first occurrence: where each first occurs, how often it
    occurs and (if `numbered`) for every key the number of its distinct key in that order."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.ones(len(keys), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    del ordered
    firsts_by_key = order[starts]  # stable sort: the first occurrence leads each run
    counts_by_key = np.diff(np.flatnonzero(starts), append=len(keys))
    del starts
    is_first = np.zeros(len(keys), dtype=bool)
    is_first[firsts_by_key] = True
    # each distinct key's place in order of first use
    rank = (np.cumsum(is_first, dtype=np.int32) - 1)[firsts_by_key]  # (int32: less memory)
    counts = np.empty(len(rank), dtype=np.int64)
    counts[rank] = counts_by_key
    group = None
    if numbered:
        group = np.empty(len(keys), dtype=np.int32)
        group[order] = np.repeat(rank, counts_by_key)
    return np.flatnonzero(is_first), counts, group


def _run_sums(values: np.ndarray, lengths: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """Python's `sum()` of each consecutive run of `values` (runs `lengths` long).

    Bit-for-bit what the per-row code made on this interpreter. Before 3.12, `sum()` of
    floats adds them one by one from 0, as `np.bincount` does; 3.12 made it compensated, so
    there it is `sum()` itself, about `chunk` values at a time held as Python floats.
    """
    if not SUM_IS_COMPENSATED:
        runs = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        return np.bincount(runs, weights=values, minlength=len(lengths)).astype(np.float64)
    ends = np.cumsum(lengths)
    out = np.zeros(len(ends), dtype=np.float64)
    row = 0
    while row < len(ends):
        base = int(ends[row - 1]) if row else 0
        stop = max(int(np.searchsorted(ends, base + chunk, side="right")), row + 1)
        part = values[base : int(ends[stop - 1])].tolist()
        bounds = (ends[row:stop] - base).tolist()
        out[row:stop] = [sum(part[a:b]) for a, b in zip([0, *bounds[:-1]], bounds, strict=True)]
        row = stop
    return out
