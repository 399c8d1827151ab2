"""The decline model is fitted on the knowledge base alone: topic questions to keep, trainers'
out-of-scope examples to decline, each matched by a matcher that never saw it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from coachbot.knowledge.calibrate import fit, fold_evidence, main, threshold_table
from coachbot.knowledge.matcher import CALIBRATION_WEIGHTS, EVIDENCE


@pytest.fixture(scope="module")
def small(live_knowledge):
    """Six shipped topics and every out-of-scope example: quick, and still realistic."""
    kb = live_knowledge.kb
    return dataclasses.replace(kb, topics=kb.topics[:6])


@pytest.fixture(scope="module")
def found(small):
    return fold_evidence(small, folds=3)


def test_folds_give_evidence_for_answers_to_keep_and_questions_to_decline(small, found):
    assert found.evidence.shape == (len(found.keep), len(EVIDENCE))
    assert found.topic_questions == sum(len(t.questions) for t in small.topics)
    assert found.out_of_scope == len(small.out_of_scope)
    kept = int(found.keep.sum())
    # most topic questions rank their own topic first when left out; the rest are not rows
    assert 0.5 * found.topic_questions < kept <= found.topic_questions
    assert len(found.keep) - kept <= found.out_of_scope
    assert np.isfinite(found.evidence).all()


def test_the_fitted_model_tells_the_two_apart(found):
    free = ~found.forced_declines
    weights, bias = fit(found.evidence[free], found.keep[free])
    probability = 1 / (1 + np.exp(-(found.evidence[free] @ weights + bias)))
    keep = found.keep[free] == 1
    assert probability[keep].mean() > probability[~keep].mean() + 0.3


def test_fitting_is_deterministic(found):
    first = fit(found.evidence, found.keep)
    second = fit(found.evidence, found.keep)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]


def test_a_separable_toy_problem_gets_the_obvious_weights():
    rng = np.random.default_rng(7)
    good = rng.normal([1.0, 0.0], 0.1, size=(50, 2))
    bad = rng.normal([0.0, 1.0], 0.1, size=(20, 2))
    weights, bias = fit(np.vstack([good, bad]), np.r_[np.ones(50), np.zeros(20)])
    assert weights[0] > 0 > weights[1]
    assert (np.vstack([good, bad]) @ weights + bias > 0).tolist() == [True] * 50 + [False] * 20


def test_higher_thresholds_decline_more_and_answer_less(found):
    weights, bias = fit(found.evidence, found.keep)
    lines = threshold_table(found, weights, bias)
    answered = [float(line.split("right ")[1].split("%")[0]) for line in lines]
    declined = [float(line.split("declined ")[1].split("%")[0]) for line in lines]
    assert answered == sorted(answered, reverse=True)
    assert declined == sorted(declined)


def test_the_shipped_weights_point_the_right_way():
    """More like a topic's examples: more likely right; more like out-of-scope: less."""
    weights = dict(zip(EVIDENCE, CALIBRATION_WEIGHTS, strict=True))
    assert weights["lexical"] > 0 and weights["ratio"] > 0 and weights["overlap"] > 0
    assert weights["coverage"] > 0
    assert weights["oos_nearest"] < 0 and weights["oos_ratio"] < 0 and weights["oos_overlap"] < 0


def test_a_folder_without_topics_is_one_clear_line(tmp_path, capsys):
    assert main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "no topics folder here" in err and "Traceback" not in err


def test_the_command_prints_constants_in_the_form_matcher_py_uses(capsys, monkeypatch, small):
    monkeypatch.setattr("coachbot.knowledge.calibrate.load_knowledge", lambda _directory: small)
    assert main(["knowledge", "--folds", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CALIBRATION_WEIGHTS = (")
    assert "CALIBRATION_BIAS = " in out and "threshold 0.30" in out
