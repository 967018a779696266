import numpy as np
import pytest

from arabic_news.stance.evaluate import (
    bootstrap_ci,
    classification_report_dict,
    confusion,
    evaluate_predictions,
    stanceeval_score,
)


def test_stanceeval_hand_computed():
    # target A: gold F F A A N, pred F A A A N -> F1(Favor)=2*1*.5/1.5=2/3, F1(Against)=2*(2/3)*1/(5/3)=0.8
    # target B: gold F A, pred F F -> F1(Favor)=2*.5*1/1.5=2/3, F1(Against)=0
    gold = ["Favor", "Favor", "Against", "Against", "None", "Favor", "Against"]
    pred = ["Favor", "Against", "Against", "Against", "None", "Favor", "Favor"]
    targets = ["A"] * 5 + ["B"] * 2
    expected = ((2 / 3 + 0.8) / 2 + (2 / 3 + 0.0) / 2) / 2
    assert stanceeval_score(gold, pred, targets) == pytest.approx(expected)
    assert expected == pytest.approx(0.533333333)


def test_report_dict_keys_and_values():
    rep = classification_report_dict(["agree", "disagree", "other", "agree"],
                                      ["agree", "agree", "other", "agree"], labels=["agree", "disagree", "other"])
    assert rep["f1_agree"] == pytest.approx(0.8)
    assert rep["f1_disagree"] == 0.0
    assert rep["f1_other"] == 1.0
    assert rep["macro_f1"] == pytest.approx(0.6)
    assert rep["accuracy"] == 0.75 and rep["n"] == 4


def test_bootstrap_ci_is_seeded_and_brackets_estimate():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    pred = np.where(rng.random(200) < 0.8, y, 1 - y)
    metric = lambda idx: float(np.mean(y[idx] == pred[idx]))  # noqa: E731
    lo, hi = bootstrap_ci(metric, 200, n_resamples=300, seed=3)
    assert (lo, hi) == bootstrap_ci(metric, 200, n_resamples=300, seed=3)
    assert lo < np.mean(y == pred) < hi and hi - lo < 0.2


def test_evaluate_predictions_confusion_and_groups():
    gold = ["agree", "disagree", "unrelated", "unrelated", "discuss", "agree"]
    pred = ["agree", "agree", "unrelated", "discuss", "discuss", "agree"]
    labels = ["agree", "disagree", "discuss", "unrelated"]
    rep = evaluate_predictions(gold, pred, labels=labels, groups=["a", "a", "b", "b", "c", "c"], n_resamples=50)
    assert rep["confusion"]["matrix"][1] == [1, 0, 0, 0]  # the disagree row
    assert rep["macro_f1_ci"][0] <= rep["macro_f1_ci"][1]
    cm = confusion(gold, pred, labels=labels)
    assert cm.loc["unrelated", "discuss"] == 1 and int(cm.to_numpy().sum()) == 6


def test_benchmark_summary_sets_ours_beside_published():
    from arabic_news.stance.evaluate import benchmark_summary, headline_report, per_class_table

    rep = {"stanceeval": 0.7, "stanceeval_ci": [0.65, 0.75], "macro_f1": 0.6, "n": 10, "f1_Favor": 0.8}
    results = {"target": {"models": {"tfidf_lr_joint": rep}, "n_dev": 10}}
    table = benchmark_summary(results)
    ours = table[table["system"] == "ours: tfidf_lr_joint"].iloc[0]
    assert (ours["value"], ours["ci_low"], ours["ci_high"]) == (0.7, 0.65, 0.75)
    published = table[table["system"].str.startswith("published")]
    assert 0.718 in published["value"].tolist() and 0.767 in published["value"].tolist()
    assert headline_report(results, "target") is rep  # falls back to the only model present
    assert per_class_table(results).to_dict("records") == [{"task": "target", "class": "Favor", "f1": 0.8}]
