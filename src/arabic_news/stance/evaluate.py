"""Evaluation of stance predictions: macro/per-class F1, StanceEval's score, bootstrap CIs, confusions.

* :func:`stanceeval_score` — StanceEval 2024 (Mawqif): for every target, the mean of F1(Favor) and
  F1(Against) on that target's rows; averaged over targets.
* :func:`classification_report_dict` — ``macro_f1``, ``f1_<class>``, ``accuracy``, ``n`` (and
  ``stanceeval`` when targets are given).
* :func:`bootstrap_ci` — seeded percentile bootstrap over rows (optionally resampling whole groups, e.g.
  claims) for any metric.
* :func:`evaluate_predictions` — the report plus 95% CIs and the confusion matrix, as one JSON-able dict.
"""
from __future__ import annotations

import logging
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

logger = logging.getLogger(__name__)


def stanceeval_score(y_true, y_pred, targets, *, favor: str = "Favor", against: str = "Against") -> float:
    """Mean over targets of (F1(Favor) + F1(Against)) / 2, each F1 computed on the target's rows.

    A class absent from both gold and predictions of a target contributes F1 = 0 (sklearn's
    ``zero_division=0``), as in the shared task's scorer that treats it as no correct prediction.
    """
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    targets = np.asarray(targets, dtype=object)
    scores = []
    for t in sorted(set(targets.tolist())):
        m = targets == t
        f = f1_score(y_true[m], y_pred[m], labels=[favor, against], average=None, zero_division=0)
        scores.append(float(np.mean(f)))
    return float(np.mean(scores)) if scores else float("nan")


def per_target_scores(y_true, y_pred, targets, *, labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per-target F1 of each class, macro-F1 and the target's StanceEval score."""
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    targets = np.asarray(targets, dtype=object)
    out = {}
    for t in sorted(set(targets.tolist())):
        m = targets == t
        rep = classification_report_dict(y_true[m], y_pred[m], labels=labels)
        rep["stanceeval"] = stanceeval_score(y_true[m], y_pred[m], targets[m])
        out[str(t)] = rep
    return out


def classification_report_dict(y_true, y_pred, *, labels: Sequence[str], targets=None) -> dict:
    """``macro_f1`` (over *labels*), ``f1_<label>``, ``accuracy``, ``n`` and, with *targets*, ``stanceeval``."""
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    labels = list(labels)
    per = f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    out = {
        "macro_f1": float(np.mean(per)) if len(per) else float("nan"),
        **{f"f1_{lab}": float(f) for lab, f in zip(labels, per)},
        "accuracy": float(accuracy_score(y_true, y_pred)) if len(y_true) else float("nan"),
        "n": int(len(y_true)),
    }
    if targets is not None:
        out["stanceeval"] = stanceeval_score(y_true, y_pred, targets)
    return out


def bootstrap_ci(
    metric: Callable[[np.ndarray], float],
    n: int,
    *,
    n_resamples: int = 1000,
    alpha: float = 0.05,
    seed: int = 42,
    groups=None,
) -> tuple[float, float]:
    """Percentile bootstrap CI of ``metric(index_array)`` over *n* rows (or over *groups* of rows).

    *metric* receives the resampled row indices (with repetitions) and returns a float.
    """
    rng = np.random.default_rng(seed)
    if groups is not None:
        groups = np.asarray(groups, dtype=object)
        uniq, inv = np.unique(groups.astype(str), return_inverse=True)
        members = [np.flatnonzero(inv == g) for g in range(len(uniq))]
    stats = np.empty(n_resamples)
    for b in range(n_resamples):
        if groups is None:
            idx = rng.integers(0, n, size=n)
        else:
            pick = rng.integers(0, len(members), size=len(members))
            idx = np.concatenate([members[g] for g in pick])
        stats[b] = metric(idx)
    lo, hi = np.nanpercentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def confusion(y_true, y_pred, *, labels: Sequence[str]) -> pd.DataFrame:
    """Confusion matrix as a DataFrame (rows = gold, columns = predicted)."""
    cm = confusion_matrix(np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object), labels=list(labels))
    return pd.DataFrame(cm, index=pd.Index(labels, name="gold"), columns=pd.Index(labels, name="predicted"))


def evaluate_predictions(
    y_true,
    y_pred,
    *,
    labels: Sequence[str],
    targets=None,
    groups=None,
    n_resamples: int = 1000,
    seed: int = 42,
) -> dict:
    """Headline metrics with bootstrap 95% CIs (``<metric>_ci``), per-class F1, confusion matrix.

    *groups* (e.g. claim ids) makes the bootstrap resample whole groups; *targets* adds ``stanceeval``
    and a per-target breakdown.
    """
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    t_arr = None if targets is None else np.asarray(targets, dtype=object)
    report = classification_report_dict(y_true, y_pred, labels=labels, targets=t_arr)
    if n_resamples and len(y_true):
        headline = ["macro_f1", "accuracy"] + (["stanceeval"] if t_arr is not None else [])
        for name in headline:
            def metric(idx, name=name):
                tt = None if t_arr is None else t_arr[idx]
                return classification_report_dict(y_true[idx], y_pred[idx], labels=labels, targets=tt)[name]

            report[f"{name}_ci"] = list(bootstrap_ci(metric, len(y_true), n_resamples=n_resamples,
                                                     seed=seed, groups=groups))
        report["ci_level"] = 0.95
        report["n_resamples"] = int(n_resamples)
    report["confusion"] = {"labels": list(labels),
                           "matrix": confusion(y_true, y_pred, labels=labels).to_numpy().tolist()}
    if t_arr is not None:
        report["per_target"] = per_target_scores(y_true, y_pred, t_arr, labels=labels)
    return report


def cross_validate_by_fold(model_factory, X: pd.DataFrame, y, folds, *, progress: bool = False):
    """Predictions for every row from models trained on the other folds (``folds`` = fold label per row).

    Returns ``(y_pred, per_fold)`` where ``per_fold`` lists ``{fold, n_train, n_test}``.
    """
    from tqdm.auto import tqdm

    y = np.asarray(y, dtype=object)
    folds = np.asarray(folds, dtype=object)
    y_pred = np.empty(len(y), dtype=object)
    per_fold = []
    for f in tqdm(sorted(set(folds.tolist())), desc="folds", disable=not progress):
        test = folds == f
        model = model_factory().fit(X.loc[~test], y[~test])
        y_pred[test] = model.predict(X.loc[test])
        per_fold.append({"fold": str(f), "n_train": int((~test).sum()), "n_test": int(test.sum())})
    return y_pred, per_fold
