"""Benchmark: the three stance tasks on their real datasets, claim-model throughput on SaudiNewsNet, tone.

Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_stance.py                       # every section
    nice -n 10 .venv/bin/python benchmarks/bench_stance.py --sections pair,target
    .venv/bin/python benchmarks/bench_stance.py --sections claim --n-resamples 200  # quicker CIs

Sections (each runs in its own fresh Python process so that ``peak_rss_mb`` — ``getrusage`` high-water
mark of that process, interpreter and data included — belongs to that task alone):

* ``target`` — Mawqif train file, dev = seeded 20% stratified by target+stance (``mawqif_dev_split``).
  First the stable protocol: ``--cv-repeats`` x stratified 5-fold CV inside the training part (dev never
  read) for the previous default (``TARGET_PREVIOUS_PARAMS``: per-target TF-IDF + USE LR) and the default
  (``TARGET_SENTIMENT_NB_PARAMS``: the same features plus out-of-fold probabilities of a sentiment classifier
  trained on Mawqif's sentiment labels, NB-weighted LR), each per target (one model per target) and joint
  (one model across targets, every feature also copied per target). Then on dev, scored once: those four and
  the configuration chosen earlier by 5-fold CV inside the training part (``select_stance_target.py``: late
  fusion + decision biases). Metric:
  StanceEval score (mean F1(Favor), F1(Against) per target, averaged), macro-F1, per-class F1, with seeded
  bootstrap 95% CIs (``--n-resamples``) and confusion matrices. Published (StanceEval 2024 / Mawqif test
  set, not our dev split): frozen XLM-R + LR 0.718, best system 0.844.
* ``pair`` — ANS stance train -> official dev. TF-IDF-only pair model vs full model. Published (test set):
  BERT 0.767 macro-F1 (Khouja 2020).
* ``claim`` — Baly et al. (2018) claim–article pairs, 5-fold cross-validation over the corpus' own claim
  folds (``fold``); the default two-stage ClaimStanceModel (fixed a priori, nothing tuned on the folds);
  pooled out-of-fold predictions -> macro-F1 and per-class F1 with CIs resampling whole claims, the
  related-vs-unrelated view, the all-unrelated baseline, plus per-fold figures. Then a final model on all folds is saved for claim tracking.
* ``throughput`` — the saved claim model classifying (claim, article) pairs for SaudiNewsNet articles
  (articles/s, evidence selection included; embeddings computed cold or from cache as reported).
* ``tone`` — the lexicon tone scorer against Mawqif's sentiment labels (train file), thresholds tuned on a
  20% part only, figures on the remaining 80%.

Final models are written to ``config.MODELS_DIR`` (``stance_target.model.zip``, ``stance_pair.model.zip``,
``stance_claim.model.zip``: JSON + arrays, see README "Model files") for the notebook and the CLI.
Results: ``benchmarks/results/bench_stance.json`` (+ one ``bench_stance_<section>.json`` per section).
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SECTIONS = ("target", "pair", "claim", "throughput", "tone")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _timed_fit(model, X, y):
    t0 = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - t0


def _timed_predict(model, X):
    t0 = time.perf_counter()
    pred = model.predict(X)
    return pred, time.perf_counter() - t0


def _cv_target(train, variants: dict, *, repeats: int, seed: int) -> dict:
    """Stable protocol: repeated stratified 5-fold CV (target+stance) inside the training part, dev never read.

    For each repeat, the out-of-fold predictions of every variant are pooled and scored (StanceEval); also the
    per-fold differences of each variant from the first one (paired: same folds).
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from arabic_news.stance.evaluate import stanceeval_score
    from arabic_news.stance.models import TargetStanceModel, training_inputs

    X = training_inputs("target", train)
    y = train["stance"].to_numpy()
    tg = train["target"].to_numpy()
    strat = (train["target"] + "|" + train["stance"]).to_numpy()
    names = list(variants)
    per_repeat = {n: [] for n in names}
    fold_scores = {n: [] for n in names}
    t0 = time.perf_counter()
    for r in range(repeats):
        oof = {n: np.empty(len(train), dtype=object) for n in names}
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed + r).split(X, strat):
            for n in names:
                model = TargetStanceModel(seed=seed, **variants[n]).fit(X.iloc[tr], y[tr])
                oof[n][te] = model.predict(X.iloc[te])
                fold_scores[n].append(stanceeval_score(y[te], oof[n][te], tg[te]))
        for n in names:
            per_repeat[n].append(stanceeval_score(y, oof[n], tg))
        print(f"[target] CV repeat {r}: " + " ".join(f"{n} {per_repeat[n][-1]:.4f}" for n in names), flush=True)
    ref = names[0]
    out = {"protocol": f"{repeats}x stratified 5-fold CV (target+stance; fold seeds {seed}..{seed + repeats - 1}) "
                       f"inside the training part ({len(train)} rows, dev never read); StanceEval of the pooled "
                       "out-of-fold predictions per repeat",
           "wall_s": round(time.perf_counter() - t0, 1), "models": {}}
    for n in names:
        diff = np.array(fold_scores[n]) - np.array(fold_scores[ref])
        out["models"][n] = {"stanceeval_mean": float(np.mean(per_repeat[n])),
                            "stanceeval_per_repeat": [round(v, 4) for v in per_repeat[n]],
                            "fold_diff_vs_" + ref: {"mean": float(diff.mean()), "folds_better": int((diff > 0).sum()),
                                                    "folds": int(len(diff))}}
    return out


def section_target(args) -> dict:
    from arabic_news.corpus import dataset_path
    from arabic_news.stance import LABELS, evaluate_predictions, mawqif_dev_split, read_mawqif, save_model
    from arabic_news.stance.models import (
        TARGET_SELECTED_PARAMS,
        TARGET_PREVIOUS_PARAMS,
        TARGET_SENTIMENT_NB_PARAMS,
        TargetStanceModel,
        training_inputs,
    )

    path = dataset_path("mawqif") / "Mawqif_AllTargets_Train.csv"
    df = read_mawqif(path)
    train, dev = mawqif_dev_split(df, dev_fraction=0.2, seed=args.seed)
    cols = ["text", "target"]
    # the default (TF-IDF + USE + out-of-fold probabilities of a sentiment classifier trained on Mawqif's sentiment
    # labels, NB-weighted LR), the previous default (TF-IDF + USE concatenated, LR), the configuration chosen earlier
    # by 5-fold CV inside `train` (select_stance_target.py: late fusion + decision biases), and the first two in
    # joint mode.
    variants = {
        "nbsvm_sentiment_per_target": dict(TARGET_SENTIMENT_NB_PARAMS),
        "tfidf_use_lr_per_target": dict(TARGET_PREVIOUS_PARAMS),
        "late_fusion_per_target_biased": dict(TARGET_SELECTED_PARAMS),
        # joint: one model over all targets, every feature also copied per target ("frustratingly easy" adaptation)
        "nbsvm_sentiment_joint": {**TARGET_SENTIMENT_NB_PARAMS, "mode": "joint"},
        "tfidf_use_lr_joint": {**TARGET_PREVIOUS_PARAMS, "mode": "joint"},
    }
    out = {"data": str(path), "n_train": len(train), "n_dev": len(dev), "dev_fraction": 0.2, "seed": args.seed,
           "published_test_stanceeval": {"frozen XLM-R + LR (StanceEval 2024)": 0.718,
                                         "best StanceEval 2024 system": 0.844},
           "models": {}}
    if args.cv_repeats:  # the stable protocol first (candidates are judged on it, then dev is scored once)
        # every candidate but the earlier CV choice; the previous default first (the paired-difference reference)
        cv_variants = {"tfidf_use_lr_per_target": variants["tfidf_use_lr_per_target"],
                       **{k: v for k, v in variants.items() if k != "late_fusion_per_target_biased"}}
        out["cv_inside_train"] = _cv_target(train, cv_variants, repeats=args.cv_repeats, seed=args.seed)
        for n, r in out["cv_inside_train"]["models"].items():
            print(f"[target] CV {n}: stanceeval {r['stanceeval_mean']:.4f} per repeat {r['stanceeval_per_repeat']}",
                  flush=True)
    best = None
    for name, params in variants.items():
        model = TargetStanceModel(seed=args.seed, **params)
        fit_s = _timed_fit(model, training_inputs("target", train), train["stance"].to_numpy())
        rss_fit = _peak_rss_mb()
        pred, pred_s = _timed_predict(model, dev[cols])
        rep = evaluate_predictions(dev["stance"].to_numpy(), pred, labels=LABELS["target"],
                                   targets=dev["target"].to_numpy(), n_resamples=args.n_resamples, seed=args.seed)
        rep.update({"params": {k: v for k, v in model.get_params().items()}, "fit_s": round(fit_s, 2),
                    "predict_s": round(pred_s, 2),
                    "predict_rows_per_s": round(len(dev) / pred_s, 1), "peak_rss_mb_after_fit": round(rss_fit, 1)})
        out["models"][name] = rep
        print(f"[target] {name}: stanceeval {rep['stanceeval']:.4f} {rep['stanceeval_ci']} "
              f"macro_f1 {rep['macro_f1']:.4f} fit {fit_s:.1f}s", flush=True)
        if best is None or rep["stanceeval"] > out["models"][best]["stanceeval"]:
            best = name
    out["best_on_dev"] = best
    out["headline_model"] = "nbsvm_sentiment_per_target"
    out["selection"] = ("nbsvm_sentiment_per_target = TargetStanceModel's defaults (TARGET_SENTIMENT_NB_PARAMS; the "
                        "saved model), chosen on repeated 5-fold CV inside the training part (cv_inside_train) and "
                        "six other dev seeds, then scored once on this dev split; tfidf_use_lr_per_target = the "
                        "previous defaults (TARGET_PREVIOUS_PARAMS); "
                        "late_fusion_per_target_biased = the earlier 5-fold CV choice (select_stance_target.py); "
                        "*_joint = the same two in joint mode (one model across targets)")
    if args.save_models:  # the default model (per_target) on the whole training file
        from arabic_news.stance.models import default_model_path

        final = TargetStanceModel(seed=args.seed)
        fit_s = _timed_fit(final, training_inputs("target", df), df["stance"].to_numpy())
        p = save_model(final, default_model_path("target"), task="target",
                       meta={"data": str(path), "n_train": len(df), "seed": args.seed, "fit_s": round(fit_s, 2)})
        out["saved_model"] = {"path": str(p), "fit_s_full_train": round(fit_s, 2)}
    return out


def section_pair(args) -> dict:
    from arabic_news.corpus import dataset_path
    from arabic_news.stance import LABELS, evaluate_predictions, read_ans, save_model
    from arabic_news.stance.models import PairStanceModel

    d = dataset_path("ans_stance") / "stance"
    train, dev = read_ans(d / "train.csv"), read_ans(d / "dev.csv")
    cols = ["s1", "s2"]
    variants = {"tfidf_pair_lr": dict(use_embeddings=False), "tfidf_use_pair_lr": dict()}
    out = {"data": [str(d / "train.csv"), str(d / "dev.csv")], "n_train": len(train), "n_dev": len(dev),
           "seed": args.seed, "published_test_macro_f1": {"BERT (Khouja 2020)": 0.767}, "models": {}}
    for name, params in variants.items():
        model = PairStanceModel(seed=args.seed, **params)
        fit_s = _timed_fit(model, train[cols], train["stance"].to_numpy())
        rss_fit = _peak_rss_mb()
        pred, pred_s = _timed_predict(model, dev[cols])
        rep = evaluate_predictions(dev["stance"].to_numpy(), pred, labels=LABELS["pair"],
                                   n_resamples=args.n_resamples, seed=args.seed)
        rep.update({"params": params, "fit_s": round(fit_s, 2), "predict_s": round(pred_s, 2),
                    "predict_rows_per_s": round(len(dev) / pred_s, 1), "peak_rss_mb_after_fit": round(rss_fit, 1)})
        out["models"][name] = rep
        print(f"[pair] {name}: macro_f1 {rep['macro_f1']:.4f} {rep['macro_f1_ci']} fit {fit_s:.1f}s", flush=True)
        if args.save_models and name == "tfidf_use_pair_lr":
            from arabic_news.stance.models import default_model_path

            p = save_model(model, default_model_path("pair"), task="pair",
                           meta={"data": str(d / "train.csv"), "n_train": len(train), "seed": args.seed})
            out["saved_model"] = str(p)
    return out


def section_claim(args) -> dict:
    import numpy as np

    from arabic_news.corpus import dataset_path
    from arabic_news.stance import LABELS, evaluate_predictions, read_claim_pairs, save_model
    from arabic_news.stance.evaluate import classification_report_dict
    from arabic_news.stance.models import ClaimStanceModel

    path = dataset_path("unifiedfc_stance") / "unifiedfc_pairs.jsonl.gz"
    df = read_claim_pairs(path)
    if args.max_claims:
        keep = sorted(df["claim_id"].unique())[: args.max_claims]
        df = df[df["claim_id"].isin(keep)].reset_index(drop=True)
    cols = ["claim", "article"]
    y = df["stance"].to_numpy()
    folds = df["fold"].to_numpy()
    pred = np.empty(len(df), dtype=object)
    per_fold, fit_total, pred_total = [], 0.0, 0.0
    for f in sorted(set(folds)):
        test = folds == f
        model = ClaimStanceModel(seed=args.seed)
        fit_s = _timed_fit(model, df.loc[~test, cols], y[~test])
        p, pred_s = _timed_predict(model, df.loc[test, cols])
        pred[test] = p
        fit_total += fit_s
        pred_total += pred_s
        rep = classification_report_dict(y[test], p, labels=LABELS["claim"])
        rep.update({"fold": str(f), "n_train": int((~test).sum()), "fit_s": round(fit_s, 2), "predict_s": round(pred_s, 2)})
        per_fold.append(rep)
        print(f"[claim] {f}: macro_f1 {rep['macro_f1']:.4f} fit {fit_s:.1f}s predict {pred_s:.1f}s", flush=True)
    pooled = evaluate_predictions(y, pred, labels=LABELS["claim"], groups=df["claim_id"].to_numpy(),
                                  n_resamples=args.n_resamples, seed=args.seed, per_class_ci=True)
    # stage-1 view: related (agree/disagree/discuss) vs unrelated, from the same pooled predictions
    rel_true = np.where(y == "unrelated", "unrelated", "related")
    rel_pred = np.where(pred == "unrelated", "unrelated", "related")
    related_vs_unrelated = evaluate_predictions(rel_true, rel_pred, labels=["related", "unrelated"],
                                                groups=df["claim_id"].to_numpy(), n_resamples=args.n_resamples,
                                                seed=args.seed, per_class_ci=True)
    majority = evaluate_predictions(y, np.full(len(y), "unrelated", dtype=object), labels=LABELS["claim"],
                                    n_resamples=0)
    fold_macro = [r["macro_f1"] for r in per_fold]
    out = {"data": str(path), "n_pairs": len(df), "n_claims": int(df["claim_id"].nunique()),
           "cv": "5-fold over the corpus' claim folds (pooled out-of-fold predictions)",
           "model_params": {k: v for k, v in ClaimStanceModel(seed=args.seed).get_params().items()},
           "protocol": "fixed model choice (two-stage as the FNC-1 baselines: boosted trees on claim-article "
                       "relatedness features for related vs unrelated, then the LR pair model on the related "
                       "pairs' evidence sentences; GBM settings fixed a priori, C=0.2 kept from the previous "
                       "round) - nothing tuned on the outer folds in this round",
           "pooled": pooled, "related_vs_unrelated": related_vs_unrelated,
           "majority_unrelated_baseline": {k: majority[k] for k in ("macro_f1", "f1_unrelated", "accuracy")},
           "per_fold": per_fold, "fold_macro_f1_mean": float(np.mean(fold_macro)),
           "fold_macro_f1_std": float(np.std(fold_macro)), "fit_s_total": round(fit_total, 1),
           "predict_s_total": round(pred_total, 1), "predict_pairs_per_s": round(len(df) / pred_total, 1),
           "peak_rss_mb": round(_peak_rss_mb(), 1)}
    print(f"[claim] pooled macro_f1 {pooled['macro_f1']:.4f} {pooled['macro_f1_ci']} "
          + " ".join(f"{c} {pooled['f1_' + c]:.3f}" for c in LABELS["claim"])
          + f" | related-vs-unrelated macro_f1 {related_vs_unrelated['macro_f1']:.4f}", flush=True)
    if args.save_models and not args.max_claims:
        from arabic_news.stance.models import default_model_path

        final = ClaimStanceModel(seed=args.seed)
        fit_s = _timed_fit(final, df[cols], y)
        p = save_model(final, default_model_path("claim"), task="claim",
                       meta={"data": str(path), "n_train": len(df), "seed": args.seed, "fit_s": round(fit_s, 2)})
        out["saved_model"] = {"path": str(p), "fit_s_all_folds": round(fit_s, 2)}
    return out


def section_throughput(args) -> dict:
    import pandas as pd

    from arabic_news import config
    from arabic_news.corpus import ensure_sample_corpus, load_articles
    from arabic_news.stance import load_model
    from arabic_news.stance.claims import read_claims
    from arabic_news.stance.models import default_model_path

    model_path = default_model_path("claim")
    if not model_path.is_file():
        return {"skipped": f"{model_path} missing: run the claim section first"}
    model, _ = load_model(model_path, task="claim")
    corpus_dir = ensure_sample_corpus(n=args.n_articles, seed=args.seed)
    articles = load_articles(corpus_dir)
    claims = read_claims(config.DATA_DIR / "claims" / "example_claims.yaml")
    claim = claims["claim"].iloc[0]
    X = pd.DataFrame({"claim": [claim] * len(articles),
                      "article": (articles["title"].fillna("") + "\n" + articles["body"].fillna("")).tolist()})
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    model.predict(X)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = model.predict(X)
    warm = time.perf_counter() - t0
    return {"corpus": str(corpus_dir), "n_articles": len(articles), "claim_id": claims["claim_id"].iloc[0],
            "first_pass_s": round(first, 2), "first_pass_articles_per_s": round(len(X) / first, 1),
            "cached_pass_s": round(warm, 2), "cached_articles_per_s": round(len(X) / warm, 1),
            "stance_counts": pd.Series(pred).value_counts().to_dict(), "rss_before_mb": round(rss0, 1),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
            "note": "first pass: embeddings of candidate sentences may be computed (cold) or read from the "
                    "on-disk cache; second pass: cache warm"}


def section_tone(args) -> dict:
    from arabic_news.corpus import dataset_path
    from arabic_news.stance import read_mawqif
    from arabic_news.stance.tone import ToneScorer, load_lexicon, validate_on_mawqif

    stats: dict = {}
    t0 = time.perf_counter()
    lex = load_lexicon(stats=stats)
    load_s = time.perf_counter() - t0
    scorer = ToneScorer(lexicon=lex).fit()
    df = read_mawqif(dataset_path("mawqif") / "Mawqif_AllTargets_Train.csv")
    t0 = time.perf_counter()
    res = validate_on_mawqif(scorer, df, tune_fraction=0.2, seed=args.seed)
    res.update({"lexicon": stats, "lexicon_load_s": round(load_s, 2),
                "validation_s": round(time.perf_counter() - t0, 2), "peak_rss_mb": round(_peak_rss_mb(), 1)})
    ablations = {
        "without_negation": ToneScorer(lexicon=lex, negation_window=0),
        "without_intensifiers": ToneScorer(lexicon=lex, intensifier_weight=1.0),
        "without_contrast": ToneScorer(lexicon=lex, contrast_before=1.0, contrast_after=1.0),
        "plain_lexicon_count": ToneScorer(lexicon=lex, negation_window=0, intensifier_weight=1.0,
                                          contrast_before=1.0, contrast_after=1.0),
        "without_clitic_stripping": ToneScorer(lexicon=lex, strip_clitics=False),
        "moarlex_full_weight": ToneScorer(lexicon=load_lexicon(weights={"nileulex": 1.0, "moarlex": 1.0})),
        "nileulex_only": ToneScorer(lexicon=load_lexicon(sources=("nileulex",))),
    }
    res["ablations"] = {}
    for name, scorer_ in ablations.items():
        r = validate_on_mawqif(scorer_.fit(), df, tune_fraction=0.2, seed=args.seed)
        res["ablations"][name] = {k: r[k] for k in ("accuracy", "macro_f1", "threshold_low", "threshold_high")}
    print(f"[tone] accuracy {res['accuracy']:.4f} macro_f1 {res['macro_f1']:.4f}", flush=True)
    return res


def combine(path: Path) -> dict:
    """Rebuild ``bench_stance.json`` from the per-section files present (safe with concurrent runs)."""
    combined = {"machine": {"python": platform.python_version(), "platform": platform.platform()}}
    for s in SECTIONS:
        f = RESULTS / f"bench_stance_{s}.json"
        if f.is_file():
            combined[s] = json.loads(f.read_text("utf-8"))
            combined[s]["command"] = f"nice -n 10 .venv/bin/python benchmarks/bench_stance.py --sections {s}"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(combined, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    tmp.replace(path)
    return combined


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", default=",".join(SECTIONS))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--n-resamples", type=int, default=1000)
    ap.add_argument("--cv-repeats", type=int, default=2,
                    help="target section: repeats of the 5-fold CV inside the training part (0: skip)")
    ap.add_argument("--n-articles", type=int, default=300, help="SaudiNewsNet sample size for throughput")
    ap.add_argument("--max-claims", type=int, default=None, help="claim section: only the first N claims (quick)")
    ap.add_argument("--no-save-models", dest="save_models", action="store_false")
    ap.add_argument("--combine", action="store_true", help="only rebuild bench_stance.json from the section files")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.child:  # run one section in this process and write its JSON
        fn = globals()[f"section_{args.child}"]
        t0 = time.perf_counter()
        res = fn(args)
        res["wall_s"] = round(time.perf_counter() - t0, 1)
        res["peak_rss_mb_process"] = round(_peak_rss_mb(), 1)
        (RESULTS / f"bench_stance_{args.child}.json").write_text(
            json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return 0
    if args.combine:
        combine(RESULTS / "bench_stance.json")
        print(f"wrote {RESULTS / 'bench_stance.json'}")
        return 0
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    combined_path = RESULTS / "bench_stance.json"
    for s in sections:
        cmd = [sys.executable, __file__, "--child", s, "--seed", str(args.seed), "--n-resamples",
               str(args.n_resamples), "--n-articles", str(args.n_articles), "--cv-repeats", str(args.cv_repeats)]
        if args.max_claims:
            cmd += ["--max-claims", str(args.max_claims)]
        if not args.save_models:
            cmd.append("--no-save-models")
        print(f"== {s}", flush=True)
        rc = subprocess.call(cmd)
        if rc != 0:
            print(f"section {s} failed with exit status {rc}", file=sys.stderr)
        combine(combined_path)  # re-read every section file: concurrent runs of other sections are kept
    print(f"wrote {combined_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
