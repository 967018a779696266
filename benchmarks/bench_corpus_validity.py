"""Benchmark: are the stance and tone figures of the corpus report right on this corpus? Checked against the
hand-judged samples of SaudiNewsNet (issue 17, section 2).

Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_corpus_validity.py [--corpus DIR] [--n-boot 1000]
    nice -n 10 .venv/bin/python benchmarks/bench_corpus_validity.py --only tone      # or: --only claims

Samples (offsets and verdicts only; see benchmarks/README.md for how they were drawn and judged):

* ``benchmarks/tone_judged_sample.csv`` -- 300 actor sentences, tone toward the actor (positive / negative /
  neutral), two strata (sentences with / without a lexicon word), each row with its inverse inclusion weight.
* ``benchmarks/claim_judged_sample.csv`` -- 150 claim-article pairs (25 per claim of
  ``data/claims/example_claims.yaml``), stratified by retrieval rank, judged related? and agree / disagree /
  discuss, each row with its inverse inclusion weight.

Tone: the report's scorer (negation with scope, intensifiers, contrast) against a plain lexicon count without
those rules (the baseline), on the same sentences in the same run. A sentence's tone is turned into a label by
two thresholds (tone < low: negative, tone > high: positive, else neutral), chosen three ways, none of which
looks at a judged sentence's own verdict: ``sign`` (low = high = 0), ``mawqif`` (tuned by macro-F1 on Mawqif's
tuning split, as the methods appendix does) and ``cross-fitted`` (tuned by macro-F1 on four fifths of the judged
sample, applied to the remaining fifth, five folds, stratified). Macro-F1 and Cohen's kappa against the judged
labels, weighted by the inverse inclusion weights (estimates for all actor sentences of the corpus) and
unweighted (the sample as drawn); 95% percentile bootstrap intervals, resampling rows within strata.

Claims: the report's claim tracking on the whole corpus (the calibrated retrieval cut-off, the full claim model,
the per-label reliability thresholds) against the judged pairs: precision and recall of "related" (a pair the
report counts as related: retrieved past the cut-off and not classified unrelated), and the precision of each
stance label the report actually shows; weighted by the inverse inclusion weights, bootstrap within claim and
rank stratum.

Results: ``benchmarks/results/bench_corpus_validity.json`` and Markdown tables on stdout.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
LABELS = ("negative", "neutral", "positive")
GRID = (-10, -5, -3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, 5, 10)


def _load_module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------------------- helpers

def stratified_bootstrap(metric, strata, *, n_boot: int, seed: int = 42) -> tuple[float, float]:
    """95% percentile interval of ``metric(rows)``, rows resampled with replacement within each stratum."""
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(np.asarray(strata) == s) for s in pd.unique(np.asarray(strata))]
    stats = []
    for _ in range(n_boot):
        idx = np.concatenate([rng.choice(g, size=len(g), replace=True) for g in groups])
        value = metric(idx)
        if value is not None and np.isfinite(value):
            stats.append(value)
    if not stats:
        return float("nan"), float("nan")
    lo, hi = np.percentile(stats, [2.5, 97.5])
    return float(lo), float(hi)


def to_labels(tone, low: float, high: float) -> np.ndarray:
    tone = np.asarray(tone, dtype=float)
    return np.where(tone > high, "positive", np.where(tone < low, "negative", "neutral")).astype(object)


def tune_thresholds(tone, y, *, weights=None) -> tuple[float, float]:
    """(low, high) with the best macro-F1 of :func:`to_labels` on (tone, y); ties go to the thresholds nearest 0."""
    best = None
    for lo in GRID:
        for hi in GRID:
            if hi < lo:
                continue
            f = f1_score(y, to_labels(tone, lo, hi), labels=list(LABELS), average="macro", zero_division=0,
                         sample_weight=weights)
            key = (round(f, 12), -(abs(lo) + abs(hi)))
            if best is None or key > best[0]:
                best = (key, lo, hi)
    return float(best[1]), float(best[2])


def cross_fitted_labels(tone, y, strata, *, folds: int = 5, seed: int = 42) -> np.ndarray:
    """Labels of each row from thresholds tuned on the other folds only (folds stratified by stratum and label)."""
    from sklearn.model_selection import StratifiedKFold

    tone, y = np.asarray(tone, dtype=float), np.asarray(y, dtype=object)
    key = np.array([f"{s}|{v}" for s, v in zip(strata, y)])
    # StratifiedKFold needs every class in >= folds rows: rare (stratum, label) cells fall back to the label
    counts = pd.Series(key).value_counts()
    key = np.where(pd.Series(key).map(counts).to_numpy() >= folds, key, y)
    out = np.empty(len(y), dtype=object)
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(tone, key):
        lo, hi = tune_thresholds(tone[train], y[train])
        out[test] = to_labels(tone[test], lo, hi)
    return out


def agreement(y, pred, weights=None) -> dict:
    y, pred = np.asarray(y, dtype=object), np.asarray(pred, dtype=object)
    return {"macro_f1": float(f1_score(y, pred, labels=list(LABELS), average="macro", zero_division=0,
                                       sample_weight=weights)),
            "kappa": float(cohen_kappa_score(y, pred, labels=list(LABELS), sample_weight=weights))}


# ---------------------------------------------------------------------------------------------------------- tone

def tone_validity(articles: pd.DataFrame, *, n_boot: int) -> dict:
    from arabic_news.stance.data import read_mawqif
    from arabic_news.stance.tone import ToneScorer, load_lexicon, validate_on_mawqif
    from arabic_news.corpus.fetch import dataset_path

    sample = _load_module("draw_tone_sample").load_tone_sample(articles)
    lexicon = load_lexicon()
    scorers = {
        "rules (report's scorer)": ToneScorer(lexicon=lexicon).fit(),
        "plain lexicon count (baseline)": ToneScorer(lexicon=lexicon, negation_window=0, intensifier_weight=1.0,
                                                     contrast_before=1.0, contrast_after=1.0).fit(),
    }
    mawqif = None
    try:
        mawqif = read_mawqif(dataset_path("mawqif") / "Mawqif_AllTargets_Train.csv")
    except Exception as exc:  # noqa: BLE001 - the Mawqif-tuned rows are skipped, and say why
        print(f"Mawqif not available ({exc}); the 'mawqif' threshold rows are skipped", file=sys.stderr)
    y = sample["verdict"].to_numpy(dtype=object)
    w = sample["weight"].to_numpy(dtype=float)
    strata = sample["stratum"].to_numpy(dtype=object)
    rows = []
    for name, scorer in scorers.items():
        scores = scorer.score_many(sample["sentence"])
        tone = scores["tone"].to_numpy(dtype=float)
        preds = {"sign": to_labels(tone, 0.0, 0.0), "cross-fitted": cross_fitted_labels(tone, y, strata)}
        thresholds = {"sign": (0.0, 0.0), "cross-fitted": "per fold"}
        if mawqif is not None:
            tuned = validate_on_mawqif(scorer, mawqif)
            lo, hi = tuned["threshold_low"], tuned["threshold_high"]
            preds["mawqif"], thresholds["mawqif"] = to_labels(tone, lo, hi), (lo, hi)
        for rule, pred in preds.items():
            row = {"scorer": name, "thresholds": rule, "low_high": thresholds[rule], "n": int(len(y)),
                   "share_with_lexicon_word": float(((scores["pos"] + scores["neg"]) > 0).mean())}
            for weighted in (True, False):
                tag = "weighted" if weighted else "unweighted"
                got = agreement(y, pred, w if weighted else None)
                for metric, value in got.items():
                    ci = stratified_bootstrap(
                        lambda idx, m=metric: agreement(y[idx], pred[idx], w[idx] if weighted else None)[m],
                        strata, n_boot=n_boot)
                    row[f"{metric}_{tag}"] = value
                    row[f"{metric}_{tag}_ci"] = ci
            rows.append(row)
    verdicts = sample.groupby(["stratum", "verdict"]).size().unstack(fill_value=0).to_dict(orient="index")
    return {"n": int(len(sample)), "verdicts_by_stratum": verdicts, "rows": rows}


def tone_table(result: dict) -> str:
    lines = ["| scorer | thresholds (low, high) | macro-F1 (weighted) | kappa (weighted) | macro-F1 (sample) | "
             "kappa (sample) |", "|---|---|---:|---:|---:|---:|"]
    for r in result["rows"]:
        th = r["low_high"] if isinstance(r["low_high"], str) else f"{r['low_high'][0]:g}, {r['low_high'][1]:g}"
        cells = []
        for key in ("macro_f1_weighted", "kappa_weighted", "macro_f1_unweighted", "kappa_unweighted"):
            lo, hi = r[f"{key}_ci"]
            cells.append(f"{r[key]:.3f} [{lo:.3f}, {hi:.3f}]")
        lines.append(f"| {r['scorer']} | {r['thresholds']}: {th} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# -------------------------------------------------------------------------------------------------------- claims

def report_claim_tracking(corpus_dir: Path, articles: pd.DataFrame):
    """The claim tracking of the whole corpus exactly as the report computes it (notebook 04 with
    ``sample_size = 0``: the same analysis-store entry, reused when the main job has run)."""
    from arabic_news import config
    from arabic_news.corpus.store import AnalysisStore
    from arabic_news.stance.analyses import cached_claim_tracking, file_hash
    from arabic_news.stance.calibration import get_claim_tracking_model
    from arabic_news.stance.claims import MAX_PER_CLAIM, read_claims
    from arabic_news.stance.models import default_model_path

    claims_path = config.DATA_DIR / "claims" / "example_claims.yaml"
    claims = read_claims(claims_path)
    model, _, reliability = get_claim_tracking_model(seed=config.DEFAULT_SEED)
    params = {"sample_size": 0, "seed": int(config.DEFAULT_SEED), "n_articles": len(articles)}
    tracking = cached_claim_tracking(AnalysisStore(corpus_dir), claims, articles, model, params=params,
                                     claims_hash=file_hash(claims_path),
                                     model_hash=file_hash(default_model_path("claim")), reliability=reliability,
                                     max_per_claim=MAX_PER_CLAIM, progress=True)
    return tracking, reliability


def claims_validity(articles: pd.DataFrame, corpus_dir: Path, *, n_boot: int) -> dict:
    """Precision / recall of "related" and precision of each shown stance label, against the judged pairs."""
    sample = _load_module("claim_sample").load_claim_sample(articles)
    tracking, reliability = report_claim_tracking(corpus_dir, articles)
    matches = tracking.matches
    shown = {(str(c), str(d)): str(s) for c, d, s in zip(matches["claim_id"], matches["doc_id"], matches["stance"])}
    pred = np.array([shown.get((str(c), str(d)), "not retrieved") for c, d in zip(sample["claim_id"],
                                                                                  sample["doc_id"])], dtype=object)
    judged_related = sample["related"].eq("yes").to_numpy()
    judged_stance = sample["stance"].fillna("").astype(str).to_numpy(dtype=object)
    pred_related = ~np.isin(pred, ["not retrieved", "unrelated"])
    w = sample["weight"].to_numpy(dtype=float)
    strata = (sample["claim_id"].astype(str) + "|" + sample["stratum"].astype(str)).to_numpy(dtype=object)

    def precision(idx, flag, truth):
        sel = idx[flag[idx]]
        return float(np.sum(w[sel] * truth[sel]) / np.sum(w[sel])) if len(sel) and np.sum(w[sel]) > 0 else np.nan

    def recall(idx):
        sel = idx[judged_related[idx]]
        return float(np.sum(w[sel] * pred_related[sel]) / np.sum(w[sel])) if len(sel) else np.nan

    all_idx = np.arange(len(sample))
    rows = [{"label": "related", "n_shown": int(pred_related.sum()),
             "precision": precision(all_idx, pred_related, judged_related),
             "precision_ci": stratified_bootstrap(lambda i: precision(i, pred_related, judged_related), strata,
                                                  n_boot=n_boot),
             "recall": recall(all_idx),
             "recall_ci": stratified_bootstrap(recall, strata, n_boot=n_boot)}]
    for label in ("agree", "disagree", "discuss", "related, stance uncertain"):
        flag = pred == label
        truth = (judged_stance == label) if label != "related, stance uncertain" else judged_related
        rows.append({"label": label, "n_shown": int(flag.sum()),
                     "precision": precision(all_idx, flag, truth) if flag.any() else None,
                     "precision_ci": stratified_bootstrap(lambda i, f=flag, t=truth: precision(i, f, t), strata,
                                                          n_boot=n_boot) if flag.any() else None})
    confusion = pd.crosstab(pd.Series(np.where(judged_related, judged_stance, "unrelated"), name="judged"),
                            pd.Series(pred, name="report")).to_dict(orient="index")
    return {"n": int(len(sample)), "rows": rows, "confusion": confusion,
            "thresholds": reliability.thresholds.table().to_dict(orient="records"),
            "retrieval_cutoff": reliability.retrieval_cutoff,
            "classified_per_claim": tracking.by_claim.set_index("claim_id")["n_classified"].to_dict()
            if "n_classified" in tracking.by_claim.columns else None}


def claims_table(result: dict) -> str:
    lines = ["| label | pairs shown | precision [95% CI] | recall [95% CI] |", "|---|---:|---|---|"]
    for r in result["rows"]:
        p = "–" if r["precision"] is None or not np.isfinite(r["precision"]) else \
            f"{r['precision']:.3f} [{r['precision_ci'][0]:.3f}, {r['precision_ci'][1]:.3f}]"
        rec = f"{r['recall']:.3f} [{r['recall_ci'][0]:.3f}, {r['recall_ci'][1]:.3f}]" if "recall" in r else ""
        lines.append(f"| {r['label']} | {r['n_shown']} | {p} | {rec} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=None, help="ingested SaudiNewsNet folder (default: resolve it)")
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--only", choices=("tone", "claims"), default=None)
    args = parser.parse_args(argv)
    from arabic_news.corpus import load_articles
    from arabic_news.corpus.loading import resolve_corpus

    corpus_dir = Path(args.corpus) if args.corpus else resolve_corpus(None)
    articles = load_articles(corpus_dir)
    from arabic_news.corpus.store import AnalysisStore

    results: dict = {"corpus": str(corpus_dir.name), "n_articles": int(len(articles)), "n_boot": args.n_boot,
                     # the stance page quotes these figures only for the corpus they were measured on
                     "corpus_checksum": AnalysisStore(corpus_dir).checksum}
    if args.only in (None, "tone"):
        t0 = time.perf_counter()
        results["tone"] = tone_validity(articles, n_boot=args.n_boot)
        results["tone"]["seconds"] = round(time.perf_counter() - t0, 1)
        print("## Tone toward actors: scorer against 300 hand-judged actor sentences\n")
        print(tone_table(results["tone"]))
        print()
    if args.only in (None, "claims"):
        t0 = time.perf_counter()
        results["claims"] = claims_validity(articles, corpus_dir, n_boot=args.n_boot)
        results["claims"]["seconds"] = round(time.perf_counter() - t0, 1)
        print("## Claim tracking: the report's labels against 150 hand-judged claim-article pairs\n")
        print(claims_table(results["claims"]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "bench_corpus_validity.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
