"""The scrubber on its adversarial development set: recall and over-scrub per family, and speed.

The set (tests/coachbot/debrief/data/adversarial_dev.yaml) holds the shapes the hardening issue
found missed, widened into families: odd separators in cards and phones, lower-case and Indian
addresses, partial or lower-case identity numbers, lower-case and possessive names, case
references in words or CRM links, and "keep" sentences that must come back unchanged.

- recall: a marked value counts as caught when every letter and digit of it was masked (by any
  placeholder: a card masked as `[phone]` is still gone);
- over-scrub: a sentence counts when a letter or digit outside every marked value was masked.

Speed is the median time of one `scrub` call over the development corpus's debriefs
(tests/coachbot/debrief/data/dev_corpus.yaml, a few hundred typical texts).
Usage: python -m benchmarks.scrub_adversarial [--runs 5] [--misses]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coachbot.debrief.scrubber import scrub

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO / "tests" / "coachbot" / "debrief" / "data" / "adversarial_dev.yaml"
TYPICAL = REPO / "tests" / "coachbot" / "debrief" / "data" / "dev_corpus.yaml"
_PLACEHOLDER = re.compile(r"\[[a-z-]+\]")


@dataclass
class Figures:
    """Counts per family; `misses` says what was missed or over-scrubbed, sentence by sentence."""

    caught: Counter[str] = field(default_factory=Counter)
    marked: Counter[str] = field(default_factory=Counter)
    over: Counter[str] = field(default_factory=Counter)
    sentences: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def recall(self, family: str) -> float:
        return self.caught[family] / self.marked[family] if self.marked[family] else 1.0

    def over_scrub(self, family: str) -> float:
        return self.over[family] / self.sentences[family]


def masked_spans(original: str, scrubbed: str) -> list[tuple[int, int]] | None:
    """Which parts of `original` became placeholders in `scrubbed` (None if it cannot tell)."""
    parts = _PLACEHOLDER.split(scrubbed)
    pattern = "(.+?)".join(re.escape(p) for p in parts)
    found = re.fullmatch(pattern, original, re.S)
    if found is None:
        return None
    return [found.span(i) for i in range(1, len(parts))]


def _inside(index: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= index < end for start, end in spans)


def measure(path: Path = DEV_SET) -> Figures:
    figures = Figures()
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"]:
        family, text = entry["family"], entry["text"]
        scrubbed = scrub(text).text
        masked = masked_spans(text, scrubbed) or []
        marked = []
        for pii in entry["pii"]:
            start = text.index(pii["value"])
            marked.append((start, start + len(pii["value"])))
        figures.sentences[family] += 1
        for start, end in marked:
            figures.marked[family] += 1
            if all(_inside(i, masked) for i in range(start, end) if text[i].isalnum()):
                figures.caught[family] += 1
            else:
                figures.misses.append(f"MISS  {family}: {text[start:end]!r} -> {scrubbed}")
        outside = [
            i
            for start, end in masked
            for i in range(start, end)
            if text[i].isalnum() and not _inside(i, marked)
        ]
        if outside:
            figures.over[family] += 1
            figures.misses.append(f"OVER  {family}: {text!r} -> {scrubbed}")
    return figures


def table(figures: Figures) -> str:
    rows = [f"{'family':<10} {'recall':>14} {'over-scrub':>14}"]
    for family in sorted(figures.sentences):
        caught, marked = figures.caught[family], figures.marked[family]
        recall = f"{caught}/{marked} {figures.recall(family):.0%}" if marked else "-"
        over = f"{figures.over[family]}/{figures.sentences[family]}"
        rows.append(f"{family:<10} {recall:>14} {over:>14}")
    caught, marked = sum(figures.caught.values()), sum(figures.marked.values())
    over, total = sum(figures.over.values()), sum(figures.sentences.values())
    recall, over_scrub = f"{caught}/{marked} {caught / marked:.0%}", f"{over}/{total}"
    rows.append(f"{'all':<10} {recall:>14} {over_scrub:>14}")
    return "\n".join(rows)


def speed(runs: int) -> tuple[float, float]:
    """Median and 90th percentile microseconds per `scrub` call on typical debriefs."""
    texts = [d["text"] for d in yaml.safe_load(TYPICAL.read_text(encoding="utf-8"))["debriefs"]]
    for text in texts:  # warm the word lists and caches
        scrub(text)
    timings = []
    for _ in range(runs):
        for text in texts:
            began = time.perf_counter()
            scrub(text)
            timings.append(time.perf_counter() - began)
    deciles = statistics.quantiles(timings, n=10)
    return statistics.median(timings) * 1e6, deciles[-1] * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed passes over the texts")
    parser.add_argument("--misses", action="store_true", help="list every miss and over-scrub")
    args = parser.parse_args()
    figures = measure()
    print(table(figures))
    if args.misses:
        print("\n".join(figures.misses))
    median, p90 = speed(args.runs)
    print(f"scrub speed on typical debriefs: median {median:.0f} µs, p90 {p90:.0f} µs")


if __name__ == "__main__":
    main()
