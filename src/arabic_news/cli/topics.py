"""`arabic-news topics fit|eval`: fit a topic model on an ingested corpus, or fit and score it."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from arabic_news import config
from arabic_news.cli import args as A

logger = logging.getLogger(__name__)


def _add_model_options(p) -> None:
    p.add_argument("corpus_dir", type=A.ingested_corpus, help="an ingest output folder (holds articles.parquet)")
    p.add_argument("--model", choices=("nmf", "lda", "embed", "lsa"), default="nmf")
    p.add_argument("--k", type=A.positive_int, default=10, help="number of topics (default 10)")
    p.add_argument("--preprocessing", choices=("normalized", "light", "lemma"), default="light")
    p.add_argument("--seed", type=A.seed, default=config.DEFAULT_SEED)
    p.add_argument("--min-df", type=A.document_frequency, default=2,
                   help="min document frequency (int count or float share)")
    p.add_argument("--max-df", type=A.document_frequency, default=0.5,
                   help="max document frequency share (default 0.5)")
    p.add_argument("--max-features", type=A.positive_int, default=20000)
    p.add_argument("--clustering", choices=("kmeans", "agglomerative", "hdbscan"), default="kmeans",
                   help="embed model only")
    p.add_argument("--seed-words", type=A.existing_file, default=None,
                   help="text file, one guided topic per line: whitespace-separated seed words")
    p.add_argument("--embedding-cache", type=A.writable_dir, default=None,
                   help="embedding cache folder (default data/cache/embeddings)")


def register(subparsers) -> None:
    parser = subparsers.add_parser("topics", help="topic models: fit, eval")
    sub = parser.add_subparsers(dest="topics_command", required=True)

    fit = sub.add_parser("fit", help="fit a topic model and write it (model.zip: JSON + arrays, no pickle) with its "
                                     "topics and doc-topic table")
    _add_model_options(fit)
    fit.add_argument("--out", type=A.writable_dir, required=True,
                     help="output folder (swapped in complete at the end)")
    fit.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    fit.set_defaults(func=_fit_command)

    ev = sub.add_parser("eval", help="fit a topic model and report coherence, diversity (and NMI/ARI)")
    _add_model_options(ev)
    ev.add_argument("--label-column", type=A.non_empty, default=None,
                    help="gold label column for NMI/ARI (e.g. label)")
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON (last line)")
    ev.set_defaults(func=_eval_command)


def _load(corpus_dir: Path) -> pd.DataFrame:
    from arabic_news.cli import CLIError

    path = Path(corpus_dir) / "articles.parquet"
    if not path.is_file():
        raise CLIError(f"{path} not found; run `arabic-news ingest SOURCE --out {corpus_dir}` first")
    try:
        from arabic_news.corpus import load_articles
    except ImportError:  # the ingest module is not installed: read the canonical file directly
        load_articles = None
    try:
        frame = load_articles(corpus_dir) if load_articles is not None else pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise CLIError(f"{path}: cannot read it ({type(exc).__name__}: {exc}); re-run `arabic-news ingest`") from exc
    missing = {"doc_id", "title", "body"} - set(frame.columns)
    if missing:
        raise CLIError(f"{path} lacks column(s) {', '.join(sorted(missing))}; re-run `arabic-news ingest`")
    if frame.empty:
        raise CLIError(f"{path} has no articles; ingest a non-empty source")
    return frame


def _documents(frame: pd.DataFrame) -> list[str]:
    titles = frame["title"].fillna("").astype(str)
    bodies = frame["body"].fillna("").astype(str)
    return [f"{t}\n{b}".strip() for t, b in zip(titles, bodies)]


def _seed_words(path: Path | None):
    from arabic_news.cli import CLIError

    if path is None:
        return None
    if not path.is_file():
        raise CLIError(f"{path} not found; give a text file with one line of seed words per guided topic")
    lines = [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise CLIError(f"{path} has no seed words; write one line of words per guided topic")
    return lines


def _build(args):
    from arabic_news.cli import CLIError
    from arabic_news.topics import TopicModel

    min_df = int(args.min_df) if float(args.min_df).is_integer() and args.min_df >= 1 else float(args.min_df)
    max_df = int(args.max_df) if args.max_df > 1 else float(args.max_df)
    seeds = _seed_words(args.seed_words)
    if seeds is not None and len(seeds) > args.k:
        raise CLIError(f"{args.seed_words} has {len(seeds)} seed lines but --k is {args.k}; use --k >= lines")
    return TopicModel(model=args.model, n_topics=args.k, preprocessing=args.preprocessing, seed=args.seed,
                      min_df=min_df, max_df=max_df, max_features=args.max_features, clustering=args.clustering,
                      seed_words=seeds, embedding_cache_dir=args.embedding_cache)


def _fit(args):
    from arabic_news.cli import CLIError

    frame = _load(args.corpus_dir)
    docs = _documents(frame)
    model = _build(args)
    from arabic_news.corpus.store import AnalysisStore, StoreError
    from arabic_news.topics import stored

    try:  # the corpus' analysis store: tokens and fitted model computed once, shared with a rerun
        store = AnalysisStore(args.corpus_dir)
    except (StoreError, OSError):
        store = None
    doc_ids = frame["doc_id"].astype(str).tolist()
    tokens, readable = stored.topic_tokens(model, docs, doc_ids, store=store)  # readable: terms as written
    n_empty = sum(1 for t in tokens if not t)
    if n_empty == len(tokens):
        raise CLIError(f"no article in {args.corpus_dir / 'articles.parquet'} has any Arabic word; check the ingest")
    try:
        model = stored.fitted_topic_model(model, docs, doc_ids, tokens=tokens, readable=readable, store=store,
                                          titles=frame["title"].fillna("").astype(str).tolist())
    except ValueError as exc:
        raise CLIError(f"cannot fit on {args.corpus_dir / 'articles.parquet'}: {exc}; lower --min-df or --k") from exc
    return frame, docs, tokens, model, n_empty


#: what `topics fit` writes in its --out folder
FIT_OUTPUTS = ("model.zip", "topics.csv", "doc_topics.parquet", "topics.json")


def _fit_command(args) -> int:
    from arabic_news.corpus.atomic import OutputDir

    final = Path(args.out)
    output = OutputDir(final, owned=FIT_OUTPUTS, marker=("topics.json", "model.zip"), what="topics output")
    out = output.begin()  # checked before the fit; written here, swapped into --out complete at the end
    try:
        frame, docs, tokens, model, n_empty = _fit(args)
    except BaseException:
        output.abort()
        raise
    from arabic_news.topics.models import save_topic_model

    save_topic_model(model, out / "model.zip", meta={"corpus": str(args.corpus_dir), "n_docs": len(docs)})
    table = model.topics_table()
    table.to_csv(out / "topics.csv", index=False)
    dt = pd.DataFrame(model.doc_topic_, columns=[f"topic_{t}" for t in range(model.n_topics_)])
    dt.insert(0, "topic", model.labels_)
    dt.insert(0, "doc_id", frame["doc_id"].astype(str).to_numpy())
    dt.to_parquet(out / "doc_topics.parquet", index=False)
    summary = {
        "model": model.model, "k": int(model.n_topics_), "preprocessing": model.preprocessing,
        "seed": model.seed, "n_docs": len(docs), "n_docs_without_terms": n_empty,
        "n_terms": len(model.vocabulary_), "fit_time_s": round(model.fit_time_, 3),
        "topics": [{"topic": int(r.topic), "label": r.label, "size": int(r.size), "words": r.words.split(),
                    "terms": r.terms.split(),
                    "representative_docs": model.representative_docs_[int(r.topic)]}
                   for r in table.itertuples()],
        "out": str(final),
    }
    (out / "topics.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    out = output.commit()
    if not args.json:
        print(f"fitted {model.model} with {model.n_topics_} topics on {len(docs)} articles "
              f"({n_empty} without any term) in {model.fit_time_:.1f}s -> {out}")
        for r in table.itertuples():
            print(f"  {r.topic:>3}  {r.size:>6}  {r.label}")
    else:
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def _eval_command(args) -> int:
    from arabic_news.cli import CLIError
    from arabic_news.topics.metrics import evaluate

    labels = None
    if args.label_column is not None:
        frame_check = _load(args.corpus_dir)
        if args.label_column not in frame_check.columns:
            raise CLIError(f"{args.corpus_dir / 'articles.parquet'} has no column {args.label_column!r}; "
                           f"available: {', '.join(map(str, frame_check.columns))}")
        if frame_check[args.label_column].isna().all():
            raise CLIError(f"column {args.label_column!r} of {args.corpus_dir / 'articles.parquet'} is empty; "
                           f"drop --label-column or ingest a labelled corpus")
    frame, docs, tokens, model, n_empty = _fit(args)
    if args.label_column is not None:
        labels = frame[args.label_column].tolist()
    metrics = evaluate(model, tokens, labels=labels)
    result = {"model": model.model, "k": int(model.n_topics_), "preprocessing": model.preprocessing,
              "seed": model.seed, "n_docs": len(docs), **{k: round(float(v), 6) for k, v in metrics.items()}}
    if args.label_column is not None:
        result["n_labelled"] = int(pd.Series(labels).notna().sum())
    if not args.json:
        for key, value in result.items():
            print(f"{key:>14}: {value}")
    else:
        print(json.dumps(result, ensure_ascii=False))
    return 0
