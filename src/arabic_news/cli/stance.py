"""`arabic-news stance`: train, evaluate and apply stance models.

    arabic-news stance split --task target --data Mawqif_AllTargets_Train.csv --out-dir DIR [--seed S]
    arabic-news stance train --task target|pair|claim --data FILE --out MODEL [--seed S]
    arabic-news stance eval  --task target|pair|claim --model MODEL --data FILE [--json]
    arabic-news stance track CORPUS_DIR --claims FILE --model MODEL --out DIR [--precision P] [--max-per-claim N]
    arabic-news stance tone  CORPUS_DIR --out DIR [--mentions FILE]
"""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from arabic_news import config
from arabic_news.cli import CLIError
from arabic_news.cli import args as A

logger = logging.getLogger(__name__)

_TASKS = ("target", "pair", "claim")


def register(subparsers) -> None:
    p = subparsers.add_parser("stance", help="stance detection: train, evaluate, track claims, actor tone")
    sub = p.add_subparsers(dest="stance_command", required=True)

    sp = sub.add_parser("split", help="write a seeded, stratified train/dev split of a training file")
    sp.add_argument("--task", choices=_TASKS, required=True)
    sp.add_argument("--data", required=True, type=A.existing_file, help="training file in the dataset's own format")
    sp.add_argument("--out-dir", required=True, type=A.writable_dir)
    sp.add_argument("--dev-fraction", type=A.open_fraction, default=0.2)
    sp.add_argument("--seed", type=A.seed, default=config.DEFAULT_SEED)
    sp.set_defaults(func=_split)

    tr = sub.add_parser("train", help="train a stance model on a labelled file")
    tr.add_argument("--task", choices=_TASKS, required=True)
    tr.add_argument("--data", required=True, type=A.existing_file,
                    help="Mawqif CSV (text,target,stance) | ANS CSV (s1,s2,stance) | Baly pairs JSONL")
    tr.add_argument("--out", required=True, type=A.writable_file,
                    help="model file to write (a zip of JSON and arrays; by convention *.model.zip)")
    tr.add_argument("--seed", type=A.seed, default=config.DEFAULT_SEED)
    tr.add_argument("--classifier", choices=("lr", "svm", "nbsvm"), default=None,
                    help="linear model (default: the model's own; target: nbsvm, pair/claim: lr)")
    tr.add_argument("--C", type=A.positive_float, default=None, help="inverse regularisation strength")
    tr.add_argument("--mode", choices=("joint", "per_target"), default=None, help="target task only")
    tr.add_argument("--no-embeddings", action="store_true", help="TF-IDF/lexical features only (faster)")
    tr.add_argument("--no-sentiment-stacking", dest="sentiment_stacking", action="store_false",
                    help="target task: leave out the sentiment block (by default, when the file has a 'sentiment' "
                         "column, as Mawqif does, out-of-fold probabilities of a sentiment model trained on it are "
                         "features)")
    tr.add_argument("--max-rows", type=A.positive_int, default=None, help="train on a seeded sample of at most N rows")
    tr.set_defaults(func=_train)

    ev = sub.add_parser("eval", help="evaluate a model on a labelled file")
    ev.add_argument("--task", choices=_TASKS, required=True)
    ev.add_argument("--model", required=True, type=Path, help="a model file written by `stance train`")
    ev.add_argument("--data", required=True, type=A.existing_file)
    ev.add_argument("--json", action="store_true", help="print the metrics as one JSON line (the last line)")
    ev.add_argument("--n-resamples", type=A.non_negative_int, default=1000, help="bootstrap resamples for the 95%% CIs (0: none)")
    ev.add_argument("--seed", type=A.seed, default=config.DEFAULT_SEED)
    ev.add_argument("--predictions", type=A.writable_file, default=None, help="also write per-row predictions (CSV)")
    ev.set_defaults(func=_eval)

    tk = sub.add_parser("track", help="track claims through a corpus: retrieval, stance, aggregation")
    tk.add_argument("corpus_dir", type=A.ingested_corpus, help="folder with articles.parquet (from `arabic-news ingest`)")
    tk.add_argument("--claims", required=True, type=A.existing_file,
                    help="claims file: YAML (.yaml/.yml), CSV (.csv) or JSON Lines (.jsonl) with id, claim and "
                         "optionally a period (period: {start, end} / period_start, period_end)")
    tk.add_argument("--model", required=True, type=Path, help="a claim-task model")
    tk.add_argument("--out", required=True, type=A.writable_dir,
                    help="output folder (swapped in complete at the end)")
    tk.add_argument("--precision", type=A.open_fraction, default=0.70,
                    help="cross-validated precision a label must reach to be shown (default 0.70)")
    tk.add_argument("--min-support", type=A.positive_int, default=20,
                    help="predictions a threshold needs in the cross-validation (default 20)")
    tk.add_argument("--recall", type=A.open_fraction, default=0.90,
                    help="share of Baly et al.'s related pairs the retrieval cut-off keeps (default 0.90)")
    tk.add_argument("--calibration-data", type=A.existing_file, default=None,
                    help="claim pairs with claim folds (JSONL: claim, article, stance, fold) for the thresholds "
                         "and the cut-off (default: Baly et al.'s pairs, the claim model's training data)")
    tk.add_argument("--max-per-claim", type=A.positive_int, default=2000,
                    help="hard cap on the articles classified per claim (reported when reached; default 2000)")
    tk.add_argument("--json", action="store_true")
    tk.set_defaults(func=_track)

    tn = sub.add_parser("tone", help="lexicon-based tone of actor mentions, per actor/outlet/month")
    tn.add_argument("corpus_dir", type=A.ingested_corpus, help="folder with articles.parquet (from `arabic-news ingest`)")
    tn.add_argument("--out", required=True, type=A.writable_dir,
                    help="output folder (swapped in complete at the end)")
    tn.add_argument("--mentions", type=A.existing_file, default=None,
                    help="mentions table (parquet/CSV: doc_id, sentence, actor_id); default: matched now with "
                         "the actor gazetteer (arabic_news.actors)")
    tn.add_argument("--json", action="store_true")
    tn.set_defaults(func=_tone)


def _read(task: str, path: Path, *, require_labels: bool = True):
    from arabic_news.stance.data import StanceDataError, read_task_data

    try:
        return read_task_data(task, path, require_labels=require_labels)
    except StanceDataError as exc:
        raise CLIError(str(exc)) from exc


def _split(args) -> int:
    from arabic_news.stance.data import stratified_dev_split

    if args.task == "claim":
        raise CLIError(f"{args.data}: the claim task is evaluated by cross-validation over its 'fold' column; "
                       "no split needed")
    df = _read(args.task, args.data)
    by = {"target": ("target", "stance"), "pair": ("stance",)}[args.task]
    train, dev = stratified_dev_split(df, by=by, dev_fraction=args.dev_fraction, seed=args.seed)
    from arabic_news.corpus.atomic import replace_file

    stem = args.data.name.split(".")[0]
    for name, part in (("train", train), ("dev", dev)):
        replace_file(args.out_dir / f"{stem}.{name}.csv",
                     lambda tmp, part=part: part.to_csv(tmp, index=False, encoding="utf-8"))
    print(json.dumps({"train": str(args.out_dir / f"{stem}.train.csv"), "dev": str(args.out_dir / f"{stem}.dev.csv"),
                      "n_train": len(train), "n_dev": len(dev), "seed": args.seed}, ensure_ascii=False))
    return 0


def _train(args) -> int:
    from arabic_news.stance.models import build_model, save_model, training_inputs

    df = _read(args.task, args.data)
    if args.max_rows and len(df) > args.max_rows:
        df = df.sample(n=args.max_rows, random_state=args.seed).reset_index(drop=True)
    if df["stance"].nunique() < 2:
        raise CLIError(f"{args.data}: needs at least two stance classes to train (found {df['stance'].unique().tolist()})")
    params = {"seed": args.seed, "use_embeddings": not args.no_embeddings}
    if args.classifier is not None:
        params["classifier"] = args.classifier
    if args.C is not None:
        params["C"] = args.C
    if args.mode is not None:
        if args.task != "target":
            raise CLIError("--mode applies to --task target only")
        params["mode"] = args.mode
    if not args.sentiment_stacking:
        if args.task != "target":
            raise CLIError("--no-sentiment-stacking applies to --task target only")
        params["sentiment_features"] = False
    if len(df) < 50:  # tiny files: keep every n-gram
        params["min_df"] = 1
    model = build_model(args.task, **params)
    t0 = time.perf_counter()
    model.fit(training_inputs(args.task, df), df["stance"].to_numpy())
    seconds = time.perf_counter() - t0
    counts = {str(k): int(v) for k, v in df["stance"].value_counts().items()}
    save_model(model, args.out, task=args.task,
               meta={"data": str(args.data), "n_train": len(df), "class_counts": counts, "seed": args.seed,
                     "params": {k: v for k, v in params.items()}, "fit_seconds": round(seconds, 3),
                     "n_skipped": int(df.attrs.get("n_skipped", 0))})
    print(json.dumps({"model": str(args.out), "task": args.task, "n_train": len(df), "class_counts": counts,
                      "fit_seconds": round(seconds, 3)}, ensure_ascii=False))
    return 0


def _eval(args) -> int:
    import pandas as pd

    from arabic_news.stance.data import INPUT_COLUMNS, LABELS
    from arabic_news.stance.evaluate import evaluate_predictions
    from arabic_news.stance.models import ModelFileError, load_model

    try:
        model, payload = load_model(args.model, task=args.task)
    except ModelFileError as exc:
        raise CLIError(str(exc)) from exc
    df = _read(args.task, args.data)
    t0 = time.perf_counter()
    pred = model.predict(df[list(INPUT_COLUMNS[args.task])])
    seconds = time.perf_counter() - t0
    groups = df["claim_id"].to_numpy() if args.task == "claim" and "claim_id" in df.columns else None
    report = evaluate_predictions(df["stance"].to_numpy(), pred, labels=LABELS[args.task],
                                  targets=df["target"].to_numpy() if args.task == "target" else None,
                                  groups=groups, n_resamples=args.n_resamples, seed=args.seed)
    report.update({"task": args.task, "data": str(args.data), "model": str(args.model),
                   "n_skipped": int(df.attrs.get("n_skipped", 0)), "predict_seconds": round(seconds, 3)})
    if args.predictions:
        out = df.drop(columns=[c for c in ("article",) if c in df.columns]).copy()
        out["predicted"] = pred
        from arabic_news.corpus.atomic import replace_file

        replace_file(args.predictions, lambda tmp: out.to_csv(tmp, index=False, encoding="utf-8"))
    if not args.json:
        print(f"{args.task} on {args.data} (n={report['n']}):")
        keys = ["macro_f1", "accuracy"] + (["stanceeval"] if args.task == "target" else [])
        for k in keys:
            ci = report.get(f"{k}_ci")
            print(f"  {k:10s} {report[k]:.4f}" + (f"  95% CI [{ci[0]:.4f}, {ci[1]:.4f}]" if ci else ""))
        for lab in LABELS[args.task]:
            print(f"  f1_{lab:9s} {report['f1_' + lab]:.4f}")
        cm = pd.DataFrame(report["confusion"]["matrix"], index=report["confusion"]["labels"],
                          columns=report["confusion"]["labels"])
        print("confusion (rows gold, columns predicted):")
        print(cm.to_string())
    print(json.dumps(report, ensure_ascii=False))
    return 0


def _load_corpus(corpus_dir: Path):
    try:
        from arabic_news.corpus import load_articles  # type: ignore[attr-defined]
    except ImportError as exc:  # pragma: no cover - until the ingest helper lands
        raise CLIError("arabic_news.corpus.load_articles is not available in this version") from exc
    if not (corpus_dir / "articles.parquet").is_file():
        raise CLIError(f"{corpus_dir}: no articles.parquet; run `arabic-news ingest SOURCE --out {corpus_dir}` first")
    try:
        return load_articles(corpus_dir)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise CLIError(f"{corpus_dir / 'articles.parquet'}: cannot read it ({type(exc).__name__}: {exc}); "
                       "re-run `arabic-news ingest`") from exc


def _track(args) -> int:
    from arabic_news.stance.calibration import load_or_compute_reliability, reliability_path
    from arabic_news.stance.claims import ClaimFileError, ClaimRetriever, read_claims, track_claims, write_tracking
    from arabic_news.stance.data import StanceDataError
    from arabic_news.stance.models import ModelFileError, load_model

    try:
        claims = read_claims(args.claims)
    except ClaimFileError as exc:
        raise CLIError(str(exc)) from exc
    try:
        model, _ = load_model(args.model, task="claim")
    except ModelFileError as exc:
        raise CLIError(str(exc)) from exc
    articles = _load_corpus(args.corpus_dir)
    try:
        reliability = load_or_compute_reliability(model, args.model, precision=args.precision,
                                                  min_support=args.min_support, recall=args.recall,
                                                  data=args.calibration_data)
    except (StanceDataError, ValueError) as exc:
        where = str(args.calibration_data or "the calibration pairs")
        raise CLIError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}; pass --calibration-data "
                       "FILE with claim, article, stance and fold columns") from exc
    from arabic_news.corpus.atomic import OutputDir

    result = track_claims(claims, articles, model, reliability.thresholds, cutoff=reliability.retrieval_cutoff,
                          max_per_claim=args.max_per_claim, retriever=ClaimRetriever(use_embeddings=False))
    with OutputDir(args.out, owned=("claims_*",), marker=("claims_by_claim.csv", "claims_matches.csv"),
                   what="claim tracking output") as work:
        paths = {k: args.out / p.name for k, p in write_tracking(result, work).items()}
    summary = {"n_claims": len(claims), "n_applied": int(result.by_claim["applies"].sum()),
               "n_articles": len(articles), "n_rows": len(result.matches),
               "retrieval_cutoff": reliability.retrieval_cutoff,
               "shown_labels": reliability.thresholds.shown_labels(),
               "capped_claims": result.by_claim.loc[result.by_claim["capped"], "claim_id"].tolist(),
               "period_notes": [n for n in result.by_claim["period_note"] if n],
               "thresholds": str(reliability_path(args.model)),
               "outputs": {k: str(v) for k, v in paths.items()}}
    if not args.json:
        cols = ["claim_id", "applies", "n_candidates", "n_classified", "n_related", "n_agree", "n_disagree",
                "n_discuss", "n_uncertain"]
        print(result.by_claim[cols].to_string(index=False))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _tone(args) -> int:
    import pandas as pd

    from arabic_news.stance.tone import ToneScorer, actor_tone, aggregate_tone, load_lexicon

    articles = _load_corpus(args.corpus_dir)
    if args.mentions is not None:
        if not args.mentions.is_file():
            raise CLIError(f"{args.mentions}: no such mentions file")
        try:
            mentions = (pd.read_parquet(args.mentions) if args.mentions.suffix == ".parquet"
                        else pd.read_csv(args.mentions, keep_default_na=False))
        except Exception as exc:  # pandas/pyarrow raise many types for a file that is not a table
            kind = "parquet" if args.mentions.suffix == ".parquet" else "CSV"
            raise CLIError(f"{args.mentions}: cannot read it as a {kind} table ({type(exc).__name__}); pass the "
                           "mentions table of `arabic-news actors extract` (doc_id, sentence, actor_id)") from exc
    else:
        try:
            from arabic_news.actors.extract import extract_mentions
        except ImportError as exc:  # pragma: no cover - actors module absent
            raise CLIError("no --mentions file given and arabic_news.actors is not available; "
                           "pass --mentions FILE (doc_id, sentence, actor_id)") from exc
        mentions = extract_mentions(articles)
    missing = [c for c in ("doc_id", "sentence", "actor_id") if c not in mentions.columns]
    if missing:
        raise CLIError(f"{args.mentions}: missing column {missing[0]!r} (expected doc_id, sentence, actor_id)")
    from arabic_news.corpus.atomic import OutputDir

    scorer = ToneScorer(lexicon=load_lexicon()).fit()
    scored = actor_tone(mentions, articles, scorer)
    outputs = {"mentions": args.out / "tone_mentions.csv"}
    with OutputDir(args.out, owned=("tone_*.csv",), marker=("tone_mentions.csv",), what="tone output") as work:
        scored.to_csv(work / outputs["mentions"].name, index=False, encoding="utf-8")
        for by in ("actor", "outlet", "month"):
            table = aggregate_tone(scored, by=by)
            outputs[by] = args.out / f"tone_by_{by}.csv"
            table.to_csv(work / outputs[by].name, index=False, encoding="utf-8")
    summary = {"n_mentions": len(mentions), "n_scored": int(scored["tone"].notna().sum()),
               "outputs": {k: str(v) for k, v in outputs.items()}}
    if not args.json:
        print(aggregate_tone(scored, by="actor").head(20).to_string(index=False))
    print(json.dumps(summary, ensure_ascii=False))
    return 0
