"""The scrubber on the held-out debrief corpus (tests/data/debrief_corpus.yaml).

The corpus was written by someone who had not seen the scrubber, before it was tuned, and is
never used to write rules: these are measurements, held at the issue's bars.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import yaml

from coachbot.debrief.scrubber import scrub
from tests.conftest import DATA

MUST_CATCH_ALL = ("email", "phone", "card", "iban", "ip")
# The bar for names and addresses is 95%. Measured: names 105/108 (97.2%), addresses
# 16/16 (before the dev-corpus round: 102/108 and 15/16). These floors hold the measured figures
# so they cannot slip (with 16 addresses, 0.95 allows no miss); they are not tuned to pass.
RECALL_FLOOR = {"name": 0.97, "address": 0.95}
KEEP_BAR = 0.95


@cache
def _measured() -> tuple[dict[str, tuple[int, int]], tuple[int, int], list[str]]:
    corpus = yaml.safe_load((DATA / "debrief_corpus.yaml").read_text(encoding="utf-8"))
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    kept = keep_total = 0
    misses: list[str] = []
    for debrief in corpus["debriefs"]:
        scrubbed = scrub(debrief["text"]).text
        for pii in debrief["pii"]:
            total[pii["kind"]] += 1
            if pii["value"] in scrubbed:
                misses.append(f"{debrief['id']} {pii['kind']}")
            else:
                found[pii["kind"]] += 1
        for item in debrief["keep"]:
            keep_total += 1
            if item in scrubbed:
                kept += 1
            else:
                misses.append(f"{debrief['id']} lost keep item")
    recall = {kind: (found[kind], total[kind]) for kind in total}
    return recall, (kept, keep_total), misses


def _table() -> str:
    recall, (kept, keep_total), _ = _measured()
    rows = [f"{kind}: {hit}/{n} = {hit / n:.1%}" for kind, (hit, n) in sorted(recall.items())]
    return "\n".join([*rows, f"kept: {kept}/{keep_total} = {kept / keep_total:.1%}"])


def test_every_email_phone_card_iban_and_ip_is_caught():
    recall, _, _ = _measured()
    for kind in MUST_CATCH_ALL:
        hit, total = recall[kind]
        assert total >= 10 and hit == total, _table()


def test_names_and_addresses_do_not_slip_below_what_was_measured():
    recall, _, _ = _measured()
    for kind, bar in RECALL_FLOOR.items():
        hit, total = recall[kind]
        assert hit / total >= bar, _table()


def test_at_least_95_percent_of_the_useful_details_are_kept():
    _, (kept, total), _ = _measured()
    assert total >= 100 and kept / total >= KEEP_BAR, _table()


def test_the_other_kinds_are_measured_and_reported():
    recall, _, _ = _measured()
    assert {"account", "dob", "url", "id-number"} <= set(recall)
    print(_table())
