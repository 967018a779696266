"""Per-label thresholds and abstention, on hand-made probability arrays."""
import numpy as np
import pytest

from arabic_news.stance.reliability import (
    UNCERTAIN,
    ReliabilityThresholds,
    choose_threshold,
    decide,
    fit_thresholds,
)

CLASSES = ["agree", "disagree", "discuss", "unrelated"]


def test_choose_threshold_takes_the_lowest_threshold_reaching_the_precision():
    # scores high -> low; gold: the top four are right, then wrong, right, wrong, wrong
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    positive = [1, 1, 1, 1, 0, 1, 0, 0]
    got = choose_threshold(scores, positive, precision=0.8, min_support=2)
    # at 0.4: 5 of 6 right (0.833 >= 0.8); at 0.3: 5 of 7 (0.714) -> 0.4 is the lowest that reaches 0.8
    assert got["threshold"] == 0.4 and got["reached"]
    assert got["precision"] == pytest.approx(5 / 6) and got["recall"] == pytest.approx(1.0)
    assert got["n_predicted"] == 6
    # a stricter target moves the threshold up: 4 of 4 at 0.6
    assert choose_threshold(scores, positive, precision=0.9, min_support=2)["threshold"] == 0.6


def test_choose_threshold_requires_min_support():
    scores = [0.9, 0.8, 0.7, 0.6, 0.5]
    positive = [1, 1, 0, 0, 0]
    # precision 1.0 only with the top two: too few predictions at min_support 3 -> no threshold
    got = choose_threshold(scores, positive, precision=0.7, min_support=3)
    assert got["threshold"] is None and not got["reached"] and got["n_predicted"] == 0
    assert got["precision"] == pytest.approx(2 / 3)  # the best precision with enough support, for the record
    assert choose_threshold(scores, positive, precision=0.7, min_support=2)["threshold"] == 0.8


def test_choose_threshold_treats_ties_as_one_threshold():
    scores = [0.9, 0.5, 0.5, 0.5]
    positive = [1, 1, 0, 0]
    # a threshold of 0.5 keeps all three tied rows (precision 0.5): only 0.9 reaches 0.7
    got = choose_threshold(scores, positive, precision=0.7, min_support=1)
    assert got["threshold"] == 0.9 and got["n_predicted"] == 1


def test_a_label_no_threshold_reaches_is_never_shown():
    rng = np.random.default_rng(0)
    n = 200
    gold = np.array(["unrelated"] * 100 + ["agree"] * 60 + ["disagree"] * 40, dtype=object)
    proba = np.zeros((n, 4))
    # related is easy: P(unrelated) low for related pairs
    proba[:, 3] = np.where(gold == "unrelated", 0.9, 0.1)
    # agree is predicted well; "disagree" is predicted for agree and disagree pairs alike (precision 0.4)
    proba[gold == "agree", 0] = 0.6 + 0.2 * rng.random(60)
    proba[gold == "disagree", 0] = 0.1
    proba[gold == "disagree", 1] = 0.7  # one score for all: 40 right of 70
    proba[gold == "agree", 1] = 0.0
    agree_rows = np.flatnonzero(gold == "agree")[:30]  # half of the agree pairs look like disagree to the model
    proba[agree_rows, 0], proba[agree_rows, 1] = 0.1, 0.7
    proba[:, 2] = np.clip(1 - proba[:, :2].sum(axis=1) - proba[:, 3], 0, None) / 2
    th = fit_thresholds(proba, CLASSES, gold, precision=0.7, min_support=20)
    assert th.threshold("related") is not None and th.related["precision"] >= 0.7
    assert th.threshold("agree") is not None and th.labels["agree"]["precision"] >= 0.7
    assert th.threshold("disagree") is None  # 40 right of 70: never reaches 0.7
    assert th.threshold("discuss") is None   # never the arg-max
    assert th.shown_labels() == ["agree"]
    out = decide(proba, CLASSES, th)
    assert "disagree" not in set(out) and "discuss" not in set(out)
    # related pairs the model would call disagree are reported as related with an uncertain stance
    assert set(out[gold == "disagree"]) == {UNCERTAIN}
    assert set(out[gold == "unrelated"]) == {"unrelated"}
    # coverage: the share of pairs called related that get a stance label
    assert th.coverage == pytest.approx((out == "agree").sum() / (out != "unrelated").sum())
    table = th.table()
    assert table["label"].tolist() == ["related", "agree", "disagree", "discuss"]
    assert table.loc[table["label"] == "disagree", "shown"].item() is False


def test_decide_abstains_below_the_threshold_and_round_trips_as_json():
    import json

    th = ReliabilityThresholds(
        precision_target=0.7, min_support=20,
        related={"threshold": 0.5, "precision": 0.8, "recall": 0.6, "n_predicted": 40, "reached": True},
        labels={"agree": {"threshold": 0.45, "precision": 0.75, "recall": 0.3, "n_predicted": 25, "reached": True},
                "disagree": {"threshold": None, "precision": 0.3, "recall": 0.0, "n_predicted": 0, "reached": False},
                "discuss": {"threshold": 0.3, "precision": 0.72, "recall": 0.4, "n_predicted": 30, "reached": True}})
    proba = np.array([
        [0.60, 0.10, 0.10, 0.20],   # related 0.8, agree 0.60 >= 0.45 -> agree
        [0.30, 0.15, 0.15, 0.40],   # related 0.6, agree 0.30 < 0.45 -> uncertain
        [0.05, 0.60, 0.05, 0.30],   # related 0.7, disagree has no threshold -> uncertain
        [0.10, 0.05, 0.40, 0.45],   # related 0.55, discuss 0.40 >= 0.30 -> discuss
        [0.20, 0.10, 0.10, 0.60],   # related 0.4 < 0.5 -> unrelated
    ])
    assert decide(proba, CLASSES, th).tolist() == ["agree", UNCERTAIN, UNCERTAIN, "discuss", "unrelated"]
    # columns are found by name, not position
    order = [3, 2, 1, 0]
    assert decide(proba[:, order], [CLASSES[i] for i in order], th).tolist() == \
        ["agree", UNCERTAIN, UNCERTAIN, "discuss", "unrelated"]
    again = ReliabilityThresholds.from_dict(json.loads(json.dumps(th.to_dict())))
    assert again == th
    # no related threshold: nothing is called related
    none = ReliabilityThresholds.from_dict({**th.to_dict(), "related": {"threshold": None}})
    assert set(decide(proba, CLASSES, none)) == {"unrelated"}


def test_a_model_that_never_saw_a_class_never_gives_it():
    import numpy as np

    from arabic_news.stance.reliability import ReliabilityThresholds, decide

    entry = {"threshold": 0.3, "precision": 0.8, "recall": 0.5, "n_predicted": 25, "reached": True}
    th = ReliabilityThresholds(precision_target=0.7, min_support=20, related=entry,
                               labels={"agree": entry, "disagree": entry, "discuss": entry}, n_pairs=10, coverage=0.5)
    proba = np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]])   # classes without "discuss"
    assert list(decide(proba, ["agree", "disagree", "unrelated"], th)) == ["agree", "unrelated"]
