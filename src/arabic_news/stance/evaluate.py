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
    per_class_ci: bool = False,
) -> dict:
    """Headline metrics with bootstrap 95% CIs (``<metric>_ci``), per-class F1, confusion matrix.

    *groups* (e.g. claim ids) makes the bootstrap resample whole groups; *targets* adds ``stanceeval``
    and a per-target breakdown; *per_class_ci* adds ``f1_<label>_ci`` for every label.
    """
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    t_arr = None if targets is None else np.asarray(targets, dtype=object)
    report = classification_report_dict(y_true, y_pred, labels=labels, targets=t_arr)
    if n_resamples and len(y_true):
        headline = ["macro_f1", "accuracy"] + (["stanceeval"] if t_arr is not None else [])
        if per_class_ci:
            headline += [f"f1_{lab}" for lab in labels]
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
    for f in tqdm(sorted(set(folds.tolist())), desc="folds", disable=not progress, leave=False):
        test = folds == f
        model = model_factory().fit(X.loc[~test], y[~test])
        y_pred[test] = model.predict(X.loc[test])
        per_fold.append({"fold": str(f), "n_train": int((~test).sum()), "n_test": int(test.sum())})
    return y_pred, per_fold


def _fold_proba(model_factory, X: pd.DataFrame, y: np.ndarray, test: np.ndarray):
    import time

    t0 = time.perf_counter()
    model = model_factory().fit(X.loc[~test], y[~test])
    return model.predict_proba(X.loc[test]), np.asarray(model.classes_).astype(str), time.perf_counter() - t0


def cross_validate_proba_by_fold(model_factory, X: pd.DataFrame, y, folds, *, progress: bool = False,
                                 desc: str = "folds", n_jobs: int = 1):
    """Out-of-fold class probabilities for every row: each fold predicted by a model trained on the others.

    Returns ``(proba, classes, per_fold)``: ``proba`` an (n, n_classes) array whose columns follow ``classes``
    (the sorted labels of *y*; a class a fold's model never saw gets probability 0 there), ``per_fold`` as in
    :func:`cross_validate_by_fold` plus ``fit_s``. ``n_jobs`` > 1 fits the folds in that many processes.
    """
    from tqdm.auto import tqdm

    y = np.asarray(y, dtype=object).astype(str)
    folds = np.asarray(folds, dtype=object)
    classes = np.array(sorted(set(y.tolist())), dtype=object)
    proba = np.zeros((len(y), len(classes)))
    per_fold = []
    names = sorted(set(folds.tolist()))
    tests = [folds == f for f in names]
    if n_jobs and n_jobs > 1 and len(names) > 1:
        # folds are independent: fitted in worker processes (same probabilities as one after the other)
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=min(int(n_jobs), len(names)), return_as="generator")(
            delayed(_fold_proba)(model_factory, X, y, test) for test in tests)
    else:
        results = (_fold_proba(model_factory, X, y, test) for test in tests)
    for f, test, (p, fold_classes, seconds) in tqdm(zip(names, tests, results), total=len(names), desc=desc,
                                                    disable=not progress, leave=False):
        cols = np.searchsorted(classes, fold_classes)
        proba[np.ix_(np.flatnonzero(test), cols)] = p
        per_fold.append({"fold": str(f), "n_train": int((~test).sum()), "n_test": int(test.sum()),
                         "fit_s": round(seconds, 2)})
    return proba, classes, per_fold


# --------------------------------------------------------------------------------------------------
# Benchmarks beside the published figures (used by benchmarks/bench_stance.py and notebook 04)
# --------------------------------------------------------------------------------------------------
#: Published figures, on the datasets' official TEST splits (ours are on dev splits / CV, so they are a
#: reference point, not a like-for-like comparison). None = not verified here.
PUBLISHED = {
    "target": {"metric": "stanceeval", "figures": {
        "frozen XLM-R + LR (StanceEval 2024 baseline)": 0.718, "best StanceEval 2024 system": 0.844}},
    "pair": {"metric": "macro_f1", "figures": {"BERT (Khouja 2020)": 0.767}},
    "claim": {"metric": "macro_f1", "figures": {
        "Baly et al. 2018 (not verified: paper table not reachable offline)": None}},
}

_HEADLINE_MODEL = {"target": "nbsvm_sentiment_per_target", "pair": "tfidf_use_pair_lr"}


def load_benchmark_results(path=None) -> dict | None:
    """The JSON written by ``benchmarks/bench_stance.py`` (None when it has not been run)."""
    import json
    from pathlib import Path

    from arabic_news import config

    path = Path(path) if path is not None else config.PROJECT_ROOT / "benchmarks" / "results" / "bench_stance.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _row(task, system, rep, metric, note) -> dict:
    ci = rep.get(f"{metric}_ci") or [float("nan"), float("nan")]
    return {"task": task, "system": system, "metric": metric, "value": rep.get(metric),
            "ci_low": ci[0], "ci_high": ci[1], "macro_f1": rep.get("macro_f1"), "n": rep.get("n"), "note": note}


def benchmark_summary(results: dict) -> pd.DataFrame:
    """One row per (task, system): our dev/CV figures with 95% CIs, then the published figures."""
    rows = []
    if results.get("target", {}).get("models"):
        for name, rep in results["target"]["models"].items():
            rows.append(_row("target (Mawqif)", f"ours: {name}", rep, "stanceeval",
                             f"dev split ({results['target'].get('n_dev')} tweets)"))
    if results.get("pair", {}).get("models"):
        for name, rep in results["pair"]["models"].items():
            rows.append(_row("pair (ANS)", f"ours: {name}", rep, "macro_f1", "official dev split"))
    if results.get("claim", {}).get("pooled"):
        rows.append(_row("claim (Baly et al. 2018)", "ours: two-stage (relatedness GBM, then evidence LR)", results["claim"]["pooled"],
                         "macro_f1", "5-fold CV over the corpus' claim folds"))
    for task, label in (("target", "target (Mawqif)"), ("pair", "pair (ANS)"), ("claim", "claim (Baly et al. 2018)")):
        for system, value in PUBLISHED[task]["figures"].items():
            rows.append({"task": label, "system": f"published: {system}", "metric": PUBLISHED[task]["metric"],
                         "value": value, "ci_low": float("nan"), "ci_high": float("nan"), "macro_f1": float("nan"),
                         "n": None, "note": "official test split"})
    return pd.DataFrame(rows)


def headline_report(results: dict, task: str) -> dict | None:
    """The report of the task's headline model (the full model, else the first one present)."""
    if task == "claim":
        return results.get("claim", {}).get("pooled")
    models = results.get(task, {}).get("models", {})
    name = results.get(task, {}).get("headline_model") or _HEADLINE_MODEL[task]
    return models.get(name) or models.get(_HEADLINE_MODEL[task]) or next(iter(models.values()), None)


def per_class_table(results: dict) -> pd.DataFrame:
    """Per-class F1 of the headline model of each task (rows: task/class)."""
    rows = []
    for task, rep in (("target", headline_report(results, "target")), ("pair", headline_report(results, "pair")),
                      ("claim", results.get("claim", {}).get("pooled"))):
        if not rep:
            continue
        for k, v in rep.items():
            if k.startswith("f1_") and not k.endswith("_ci"):
                rows.append({"task": task, "class": k[3:], "f1": v})
    return pd.DataFrame(rows)


def quick_benchmarks(*, max_rows: int = 800, max_claims: int = 60, seed: int = 42, n_resamples: int = 200) -> dict:
    """Capped, TF-IDF-only versions of the three benchmarks (for a notebook run without benchmark results).

    Target: Mawqif dev split, training capped at *max_rows*. Pair: ANS train capped at *max_rows*, full dev.
    Claim: 5-fold CV over the first *max_claims* claims. Figures are lower and noisier than the full ones.
    """
    from arabic_news.corpus import dataset_path
    from arabic_news.stance.data import LABELS, mawqif_dev_split, read_ans, read_claim_pairs, read_mawqif
    from arabic_news.stance.models import ClaimStanceModel, PairStanceModel, TargetStanceModel

    out: dict = {"quick": True, "max_rows": max_rows, "max_claims": max_claims}
    df = read_mawqif(dataset_path("mawqif") / "Mawqif_AllTargets_Train.csv")
    train, dev = mawqif_dev_split(df, seed=seed)
    train = train.sample(n=min(max_rows, len(train)), random_state=seed)
    models = {}
    for name, mode in (("tfidf_lr_joint", "joint"), ("tfidf_lr_per_target", "per_target")):
        m = TargetStanceModel(mode=mode, use_embeddings=False, classifier="lr", sentiment_features=False,
                              seed=seed).fit(train[["text", "target"]], train["stance"])
        models[name] = evaluate_predictions(dev["stance"], m.predict(dev[["text", "target"]]), labels=LABELS["target"],
                                            targets=dev["target"], n_resamples=n_resamples, seed=seed)
    out["target"] = {"models": models, "n_dev": len(dev), "n_train": len(train)}
    d = dataset_path("ans_stance") / "stance"
    tr, dv = read_ans(d / "train.csv"), read_ans(d / "dev.csv")
    tr = tr.sample(n=min(max_rows, len(tr)), random_state=seed)
    m = PairStanceModel(use_embeddings=False, use_entities=False, seed=seed).fit(tr[["s1", "s2"]], tr["stance"])
    out["pair"] = {"models": {"tfidf_pair_lr": evaluate_predictions(
        dv["stance"], m.predict(dv[["s1", "s2"]]), labels=LABELS["pair"], n_resamples=n_resamples, seed=seed)},
        "n_dev": len(dv), "n_train": len(tr)}
    cl = read_claim_pairs(dataset_path("unifiedfc_stance") / "unifiedfc_pairs.jsonl.gz")
    keep = sorted(cl["claim_id"].unique())[:max_claims]
    cl = cl[cl["claim_id"].isin(keep)].reset_index(drop=True)
    y_pred, _ = cross_validate_by_fold(
        lambda: ClaimStanceModel(use_embeddings=False, use_entities=False, seed=seed),
        cl[["claim", "article"]], cl["stance"].to_numpy(), cl["fold"].to_numpy())
    out["claim"] = {"pooled": evaluate_predictions(cl["stance"], y_pred, labels=LABELS["claim"],
                                                   groups=cl["claim_id"], n_resamples=n_resamples, seed=seed),
                    "n_pairs": len(cl)}
    return out


def plot_against_published(summary: pd.DataFrame, *, ax=None):
    """Horizontal bars: our figures (with 95% CI whiskers) and the published ones, grouped by task."""
    import matplotlib.pyplot as plt

    data = summary.dropna(subset=["value"])
    order = {t: i for i, t in enumerate(dict.fromkeys(data["task"]))}
    data = data.assign(_t=data["task"].map(order)).sort_values("_t", kind="stable").reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.42 * len(data) + 1.2), layout="constrained")
    y = np.arange(len(data))
    ours = data["system"].str.startswith("ours")
    colors = np.where(ours, "#2a6f97", "#bbbbbb")
    ax.barh(y, data["value"], color=colors)
    err_lo = (data["value"] - data["ci_low"]).where(ours)
    err_hi = (data["ci_high"] - data["value"]).where(ours)
    ax.errorbar(data["value"][ours], y[ours], xerr=[err_lo[ours], err_hi[ours]], fmt="none", ecolor="black", capsize=3)
    ax.set_yticks(y, [f"{t} — {s}" for t, s in zip(data["task"], data["system"])], fontsize="small")
    ax.invert_yaxis()
    for yi, v, hi in zip(y, data["value"], data["ci_high"].fillna(data["value"])):
        ax.text(max(v, hi) + 0.01, yi, f"{v:.3f}", va="center", fontsize="small")
    ax.set_xlim(0, 1)
    ax.set_xlabel("score (target: StanceEval; pair, claim: macro-F1) — ours on dev/CV, published on test")
    return ax


def plot_confusion(report: dict, *, title: str = "", ax=None, normalize: bool = True):
    """Heatmap of a confusion matrix from :func:`evaluate_predictions` (rows gold, normalised per row)."""
    import matplotlib.pyplot as plt

    labels = report["confusion"]["labels"]
    cm = np.asarray(report["confusion"]["matrix"], dtype=float)
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    if ax is None:
        _, ax = plt.subplots(figsize=(3.6, 3.2), layout="constrained")
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize="small")
    ax.set_yticks(range(len(labels)), labels, fontsize="small")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, f"{int(cm[i, j])}", ha="center", va="center", fontsize="small",
                    color="white" if shown[i, j] > 0.6 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    if title:
        ax.set_title(title, fontsize="medium")
    return ax
