"""Fits the matcher's decline model on the knowledge base itself.

    python -m coachbot.knowledge.calibrate [KNOWLEDGE_DIR] [--folds 5]

Why: the decline must be calibrated on questions the matcher has not seen, and the held-out
sets must stay held out. So the knowledge base's own examples are split into folds, and each
fold is matched by a matcher built without it: its topic questions that rank their own topic
first are the answers to keep, its out-of-scope examples are the questions to decline (topic
questions ranked under another topic are left out, since declining them costs nothing). A
logistic regression over the matcher's evidence, with both classes weighing the same, gives
the weights that matcher.py ships with; the table shows what each threshold would do.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

from coachbot.errors import KnowledgeError
from coachbot.knowledge.loader import load_knowledge
from coachbot.knowledge.matcher import CHOICES, EVIDENCE, RANK_EVIDENCE, RERANK, Matcher
from coachbot.knowledge.models import KnowledgeBase

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


@dataclasses.dataclass(frozen=True)
class FoldEvidence:
    """Evidence rows for the fit, and what the folds did, for the threshold table."""

    evidence: np.ndarray  # one row per question that has evidence
    keep: np.ndarray  # 1: a topic question ranked first under its own topic; 0: out of scope
    topic_questions: int  # all topic questions, the denominator of the answer rate
    out_of_scope: int  # all out-of-scope examples, the denominator of the decline rate
    forced_declines: np.ndarray  # per row: declined whatever the model says
    # for the clarify models: every question not forced out, its RANK_EVIDENCE and the rank
    # of its own topic (0 best; RERANK or more: not ranked; -1: an out-of-scope example)
    rank_evidence: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 0)))
    ranks: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))


def fold_evidence(kb: KnowledgeBase, folds: int = 5) -> FoldEvidence:
    rows: list[tuple[float, ...]] = []
    keep: list[int] = []
    forced: list[bool] = []
    rank_rows: list[tuple[float, ...]] = []
    ranks: list[int] = []
    for fold in range(folds):

        def kept(items: tuple[str, ...], fold: int = fold) -> tuple[str, ...]:
            return tuple(q for i, q in enumerate(items) if i % folds != fold)

        def held(items: tuple[str, ...], fold: int = fold) -> list[str]:
            return [q for i, q in enumerate(items) if i % folds == fold]

        matcher = Matcher(
            dataclasses.replace(
                kb,
                topics=tuple(
                    dataclasses.replace(t, questions=kept(t.questions)) for t in kb.topics
                ),
                out_of_scope=kept(kb.out_of_scope),
            )
        )
        for index, topic in enumerate(kb.topics):
            for question in held(topic.questions):
                found = matcher.assess(question)
                if found is not None and not found.forced_decline:
                    rank_rows.append(found.rank_evidence)
                    ranks.append(found.order.index(index) if index in found.order else RERANK)
                if found is not None and found.order[0] == index:
                    rows.append(found.evidence)
                    keep.append(1)
                    forced.append(found.forced_decline)
        for question in held(kb.out_of_scope):
            found = matcher.assess(question)
            if found is not None and not found.forced_decline:
                rank_rows.append(found.rank_evidence)
                ranks.append(-1)
            if found is not None:
                rows.append(found.evidence)
                keep.append(0)
                forced.append(found.forced_decline)
    return FoldEvidence(
        evidence=np.array(rows, dtype=np.float64).reshape(-1, len(EVIDENCE)),
        keep=np.array(keep, dtype=np.float64),
        topic_questions=sum(len(t.questions) for t in kb.topics),
        out_of_scope=len(kb.out_of_scope),
        forced_declines=np.array(forced, dtype=bool),
        rank_evidence=np.array(rank_rows, dtype=np.float64).reshape(-1, len(RANK_EVIDENCE)),
        ranks=np.array(ranks, dtype=np.int64),
    )


def fit(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 0.01,
    steps: int = 5000,
    rate: float = 0.1,
    balanced: bool = True,
) -> tuple[np.ndarray, float]:
    """Logistic regression by gradient descent on standardised evidence, classes balanced
    (or not: then the output stays a probability); returns weights and bias for the raw
    evidence. Deterministic: it starts from zero."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    positives = max(float(y.sum()), 1.0)
    negatives = max(float(len(y) - y.sum()), 1.0)
    sample = np.where(y == 1, negatives / positives, 1.0) if balanced else np.ones(len(y))
    weights = np.zeros(z.shape[1])
    bias = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ weights + bias)))
        gradient = (p - y) * sample
        weights -= rate * (z.T @ gradient / len(y) + l2 * weights)
        bias -= rate * float(gradient.mean())
    raw = weights / scale
    return raw, bias - float(raw @ mean)


def threshold_table(found: FoldEvidence, weights: np.ndarray, bias: float) -> list[str]:
    probability = 1.0 / (1.0 + np.exp(-(found.evidence @ weights + bias)))
    lines = []
    for threshold in THRESHOLDS:
        answered = (probability >= threshold) & ~found.forced_declines
        right = int((answered & (found.keep == 1)).sum())
        declined = found.out_of_scope - int((answered & (found.keep == 0)).sum())
        lines.append(
            f"  threshold {threshold:.2f}: topic questions answered right "
            f"{right / max(found.topic_questions, 1):.1%}, "
            f"out-of-scope declined {declined / max(found.out_of_scope, 1):.1%}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coachbot.knowledge.calibrate")
    parser.add_argument("directory", nargs="?", default="knowledge", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    try:
        kb = load_knowledge(args.directory)
    except KnowledgeError as error:
        print(error.user_message, file=sys.stderr)
        return 1
    found = fold_evidence(kb, args.folds)
    free = ~found.forced_declines  # the model only decides the others
    weights, bias = fit(found.evidence[free], found.keep[free])
    print(f"CALIBRATION_WEIGHTS = ({', '.join(f'{w:.2f}' for w in weights)})")
    print(f"CALIBRATION_BIAS = {bias:.2f}")
    print(f"# evidence: {', '.join(EVIDENCE)}")
    print(f"# {found.topic_questions} topic questions, {found.out_of_scope} out-of-scope examples")
    print("\n".join(threshold_table(found, weights, bias)))
    # the clarify models: is the best topic right, is a right one among the best CHOICES
    first = fit(found.rank_evidence, (found.ranks == 0).astype(float), balanced=False)
    within = (found.ranks >= 0) & (found.ranks < CHOICES)
    choices = fit(found.rank_evidence, within.astype(float), balanced=False)
    for name, (w, b) in (("FIRST", first), ("CHOICES", choices)):
        print(f"{name}_WEIGHTS = ({', '.join(f'{v:.2f}' for v in w)})")
        print(f"{name}_BIAS = {b:.2f}")
    print(f"# clarify evidence: {', '.join(RANK_EVIDENCE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
