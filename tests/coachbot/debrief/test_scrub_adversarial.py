"""The scrubber on its adversarial development set (data/adversarial_dev.yaml beside this file).

The set widens the shapes the hardening issue found missed into families (cards and phones with
odd separators, lower-case and Indian addresses, partial or lower-case identity numbers,
lower-case, possessive and weak-cue names, references in words or CRM links) and holds sentences
that must come back unchanged. `python -m benchmarks.scrub_adversarial --misses` prints the table.
Measured before this round: cards 5/17, phones 9/16, addresses 0/17, identity numbers 8/16,
names 8/18, references 6/17; 13 of 138 sentences over-scrubbed (11 of 25 keep sentences).
"""

from __future__ import annotations

import yaml

from benchmarks.scrub_adversarial import DEV_SET, measure, table
from coachbot.debrief.scrubber import scrub

# What this round measured, so none of it can slip.
RECALL_FLOOR = {
    "card": 1.0,
    "phone": 1.0,
    "address": 1.0,
    "id-number": 1.0,
    "name": 1.0,
    "account": 1.0,
}
FAMILY_SIZE = 15


def test_every_family_is_big_enough_to_measure():
    figures = measure()
    for family in RECALL_FLOOR:
        assert figures.marked[family] >= FAMILY_SIZE, family
    assert figures.sentences["keep"] >= FAMILY_SIZE


def test_each_family_is_caught_at_its_floor():
    figures = measure()
    for family, floor in RECALL_FLOOR.items():
        assert figures.recall(family) >= floor, table(figures) + "\n" + "\n".join(figures.misses)


def test_nothing_outside_the_marked_data_is_masked():
    figures = measure()
    assert sum(figures.over.values()) == 0, "\n".join(figures.misses)


def test_scrubbing_an_adversarial_sentence_twice_changes_nothing():
    for entry in yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))["sentences"]:
        once = scrub(entry["text"]).text
        assert scrub(once).text == once, entry["text"]
