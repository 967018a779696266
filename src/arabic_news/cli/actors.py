"""`arabic-news actors extract|show|train-ner|eval-ner|discover`: actor mentions, frequencies, networks and NER."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from arabic_news.cli import args as A
from arabic_news.model_files import ModelFileError

logger = logging.getLogger(__name__)

PERIOD_CHOICES = ("day", "week", "month")


def register(subparsers) -> None:
    parser = subparsers.add_parser("actors", help="actors: extract, show, train-ner, eval-ner, discover")
    sub = parser.add_subparsers(dest="actors_command", required=True)

    ex = sub.add_parser("extract", help="mentions table, counts, frequencies by outlet and period, networks")
    ex.add_argument("corpus_dir", type=A.ingested_corpus, help="an ingest output folder (holds articles.parquet)")
    ex.add_argument("--out", type=A.writable_dir, required=True,
                    help="output folder (parquet + CSV tables; swapped in complete at the end)")
    ex.add_argument("--by", action="append", choices=PERIOD_CHOICES, default=None,
                    help="period of the time series; repeat for several (default: day, week and month)")
    ex.add_argument("--gazetteer", type=A.existing_path, default=None, help="gazetteer folder or YAML file (default data/actors)")
    ex.add_argument("--jobs", type=A.positive_int, default=None, help="worker processes (default min(2, CPUs))")
    ex.add_argument("--affiliations", action="store_true",
                    help="add each person's affiliations on the article's date (column 'affiliations')")
    ex.add_argument("--no-network", action="store_true", help="skip the co-occurrence network exports")
    ex.add_argument("--min-edge-count", type=A.positive_int, default=1,
                    help="drop network edges seen in fewer documents/sentences (default 1)")
    ex.add_argument("--json", action="store_true", help="print the summary as JSON (last line)")
    ex.set_defaults(func=_extract_command)

    sh = sub.add_parser("show", help="the actors named in one article file (seed layout)")
    sh.add_argument("article_file", type=A.existing_file, help="one article: title line, blank line, body")
    sh.add_argument("--gazetteer", type=A.existing_path, default=None, help="gazetteer folder or YAML file (default data/actors)")
    sh.add_argument("--date", type=A.iso_date, default=None, help="article date YYYY-MM-DD (adds people's affiliations on that date)")
    sh.add_argument("--json", action="store_true", help="print a JSON list of actors (last line)")
    sh.set_defaults(func=_show_command)

    tr = sub.add_parser("train-ner", help="train the CRF NER tagger (CLEANANERCorp train file minus a dev split)")
    tr.add_argument("--data", type=A.existing_file, default=None, help="CoNLL training file (default: CLEANANERCorp train)")
    tr.add_argument("--model", type=A.writable_file, default=None, help="where to save the model (default data/models)")
    tr.add_argument("--dev-fraction", type=A.half_open_fraction, default=0.1, help="share of sentences held out (default 0.1)")
    tr.add_argument("--seed", type=A.seed, default=None, help="seed of the dev split (default config.DEFAULT_SEED)")
    tr.add_argument("--features", type=A.non_empty, default=None,
                    help="comma-separated feature groups (default: all; 'word' = the plain CRF baseline)")
    tr.add_argument("--max-iterations", type=A.positive_int, default=None, help="CRF training iterations")
    tr.add_argument("--json", action="store_true", help="print the dev scores as JSON (last line)")
    tr.set_defaults(func=_train_ner_command)

    ev = sub.add_parser("eval-ner", help="entity-level scores of the NER tagger on a CoNLL file")
    ev.add_argument("--data", type=A.existing_file, required=True, help="CoNLL file: token and tag per line, blank line between")
    ev.add_argument("--model", type=A.existing_file, default=None, help="model file (default data/models/ner_crf.model.zip)")
    ev.set_defaults(func=_eval_ner_command)

    di = sub.add_parser("discover", help="names the NER tagger finds that the gazetteer lacks, ranked")
    di.add_argument("corpus_dir", type=A.ingested_corpus, help="an ingest output folder (holds articles.parquet)")
    di.add_argument("--model", type=A.existing_file, default=None, help="model file (default data/models/ner_crf.model.zip)")
    di.add_argument("--gazetteer", type=A.existing_path, default=None, help="gazetteer folder or YAML file (default data/actors)")
    di.add_argument("--min-count", type=A.positive_int, default=2, help="drop names seen fewer times (default 2)")
    di.add_argument("--limit", type=A.positive_int, default=None, help="only the first N articles")
    di.add_argument("--out", type=A.writable_file, default=None,
                    help="write the full list here (.parquet, else CSV)")
    di.add_argument("--top", type=A.non_negative_int, default=20, help="rows to print (default 20)")
    di.add_argument("--json", action="store_true", help="print the top rows as a JSON list (last line)")
    di.set_defaults(func=_discover_command)


# -- helpers ----------------------------------------------------------------------------------------------------
def _load_tagger(path: Path):
    """The NER tagger saved at *path*, or one error line (nothing in a model file is executed)."""
    from arabic_news.actors import ner
    from arabic_news.cli import CLIError

    try:
        return ner.load_tagger(path)
    except (ModelFileError, FileNotFoundError) as exc:
        raise CLIError(str(exc)) from exc


def _gazetteer(path: Path | None):
    from arabic_news.actors.gazetteer import GazetteerError, load_gazetteer
    from arabic_news.cli import CLIError

    try:
        return load_gazetteer(path)
    except GazetteerError as exc:
        raise CLIError(str(exc)) from exc


def _articles(corpus_dir: Path):
    from arabic_news.cli import CLIError
    from arabic_news.corpus import load_articles

    try:
        frame = load_articles(corpus_dir)
    except FileNotFoundError as exc:
        raise CLIError(str(exc)) from exc
    except Exception as exc:  # unreadable parquet
        raise CLIError(f"{corpus_dir}: cannot read articles.parquet ({exc}); re-run `arabic-news ingest`") from exc
    missing = {"doc_id", "body"} - set(frame.columns)
    if missing:
        raise CLIError(f"{corpus_dir}/articles.parquet lacks column(s) {', '.join(sorted(missing))}; "
                       "re-run `arabic-news ingest`")
    if frame.empty:
        raise CLIError(f"{corpus_dir}/articles.parquet has no articles; ingest a source that holds some "
                       f"(see {corpus_dir}/ingest_report.csv for what was skipped)")
    return frame


def _check_corpus(corpus_dir: Path) -> int:
    """Number of articles in an ingest output, read from the parquet footer only; CLIError when unusable."""
    import pyarrow.parquet as pq

    from arabic_news.cli import CLIError

    path = corpus_dir / "articles.parquet" if corpus_dir.is_dir() else corpus_dir
    if not path.is_file():
        raise CLIError(f"{path}: no ingested corpus here; run `arabic-news ingest SOURCE --out {corpus_dir}` first")
    try:
        meta = pq.read_metadata(path)
    except Exception as exc:
        raise CLIError(f"{path}: cannot read it as parquet ({exc}); re-run `arabic-news ingest`") from exc
    missing = {"doc_id", "body"} - set(meta.schema.names)
    if missing:
        raise CLIError(f"{path} lacks column(s) {', '.join(sorted(missing))}; re-run `arabic-news ingest`")
    if meta.num_rows == 0:
        raise CLIError(f"{path} has no articles; ingest a source that holds some "
                       f"(see {path.parent / 'ingest_report.csv'} for what was skipped)")
    return meta.num_rows


def read_article_file(path: Path) -> tuple[str, str]:
    """(title, body) of one article file in the seed layout; raises CLIError with the fix."""
    from arabic_news.actors.extract import ArticleFileError, read_article
    from arabic_news.cli import CLIError

    try:
        return read_article(path)
    except ArticleFileError as exc:
        raise CLIError(str(exc)) from exc


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))


# -- commands -----------------------------------------------------------------------------------------------------
def _extract_command(args) -> int:
    from arabic_news.actors.extract import run_extraction
    from arabic_news.actors.matcher import ActorMatcher
    from arabic_news.cli import CLIError

    if args.jobs is not None and args.jobs < 1:
        raise CLIError(f"--jobs must be at least 1 (got {args.jobs})")
    if args.min_edge_count < 1:
        raise CLIError(f"--min-edge-count must be at least 1 (got {args.min_edge_count})")
    _check_corpus(args.corpus_dir)  # fail early with a clear message
    if args.out.exists() and not args.out.is_dir():
        raise CLIError(f"--out {args.out} is a file; pass a folder for the tables")
    gaz = _gazetteer(args.gazetteer)
    matcher = ActorMatcher(gazetteer=gaz, resolve_affiliations=args.affiliations).fit()
    by = tuple(dict.fromkeys(args.by or PERIOD_CHOICES))
    summary = run_extraction(args.corpus_dir, args.out, by=by, matcher=matcher, n_jobs=args.jobs,
                             progress=sys.stderr.isatty(), network=not args.no_network,
                             min_edge_count=args.min_edge_count)
    if args.json:
        _print_json(summary)
    else:
        print(f"{summary['n_mentions']:,} mentions of {summary['n_actors_found']:,} actors in "
              f"{summary['n_articles_with_mentions']:,} of {summary['n_articles']:,} articles "
              f"({summary['n_articles_without_mentions']:,} without any, {summary['n_undated_articles']:,} undated); "
              f"{summary['articles_per_second']} articles/s; tables in {args.out}")
    return 0


def _show_command(args) -> int:
    from arabic_news.actors.extract import article_actors
    from arabic_news.actors.matcher import ActorMatcher
    from arabic_news.cli import CLIError

    title, body = read_article_file(args.article_file)
    if args.date:
        try:
            import datetime as dt

            dt.date.fromisoformat(args.date)
        except ValueError as exc:
            raise CLIError(f"--date {args.date!r} is not YYYY-MM-DD") from exc
    gaz = _gazetteer(args.gazetteer)
    matcher = ActorMatcher(gazetteer=gaz, resolve_affiliations=bool(args.date)).fit()
    actors = article_actors(title, body, matcher, args.date)
    if args.json:
        _print_json(actors)
    else:
        for a in actors:
            print(f"{a['mentions']:3d}  {a['type']:<12} {a['id']:<24} {a['name_en']} / {a['name_ar']}"
                  f"  [{'، '.join(a['surfaces'])}]")
    return 0


def _train_ner_command(args) -> int:
    from arabic_news import config
    from arabic_news.actors import ner
    from arabic_news.cli import CLIError
    from arabic_news.corpus import DatasetNotAvailable

    if args.data is not None and not args.data.is_file():
        raise CLIError(f"{args.data}: no such file; pass a CoNLL file (token and tag per line)")
    if not 0 <= args.dev_fraction < 1:
        raise CLIError(f"--dev-fraction must be in [0, 1) (got {args.dev_fraction})")
    params: dict = {}
    if args.features:
        groups = tuple(g.strip() for g in args.features.split(",") if g.strip())
        unknown = sorted(set(groups) - set(ner.FEATURE_GROUPS))
        if unknown:
            raise CLIError(f"--features: unknown group(s) {', '.join(unknown)}; choose from "
                           f"{', '.join(ner.FEATURE_GROUPS)}")
        params["feature_groups"] = groups
    if args.max_iterations is not None:
        params["max_iterations"] = args.max_iterations
    try:
        result = ner.train_ner(args.data, args.model, dev_fraction=args.dev_fraction,
                               seed=config.DEFAULT_SEED if args.seed is None else args.seed, **params)
    except DatasetNotAvailable as exc:
        raise CLIError(str(exc)) from exc
    except ner.ConllFormatError as exc:
        raise CLIError(str(exc)) from exc
    if args.json:
        _print_json(result)
    else:
        f1 = result.get("micro_f1")
        print(f"model saved to {result.get('model')}" + (f"; dev micro-F1 {f1:.3f}" if f1 is not None else ""))
    return 0


def _eval_ner_command(args) -> int:
    from arabic_news.actors import ner
    from arabic_news.cli import CLIError
    from arabic_news.corpus import DatasetNotAvailable

    if not args.data.is_file():
        raise CLIError(f"{args.data}: no such file; pass a CoNLL file (token and tag per line, blank line "
                       "between sentences)")
    if args.model is not None and not args.model.is_file():
        raise CLIError(f"{args.model}: no such model file; run `arabic-news actors train-ner --model {args.model}`")
    try:  # reads the CoNLL file, then the model (refused with one line when unusable; nothing in it runs)
        result = ner.evaluate_ner(args.data, args.model)
    except ner.ConllFormatError as exc:
        raise CLIError(str(exc)) from exc
    except DatasetNotAvailable as exc:
        raise CLIError(str(exc)) from exc
    except ModelFileError as exc:
        raise CLIError(str(exc)) from exc
    _print_json(result)
    return 0


def _discover_command(args) -> int:
    from arabic_news.actors import ner
    from arabic_news.cli import CLIError

    if args.model is not None and not args.model.is_file():
        raise CLIError(f"{args.model}: no such model file; run `arabic-news actors train-ner --model {args.model}`")
    model = args.model if args.model is not None else ner.default_model_path()
    if not Path(model).is_file():
        raise CLIError(f"{model}: no NER model yet; run `arabic-news actors train-ner` first")
    tagger = _load_tagger(model)
    articles = _articles(args.corpus_dir)
    if args.limit is not None:
        articles = articles.head(args.limit)
    gaz = _gazetteer(args.gazetteer)
    df = ner.discover_candidates(articles, gaz, tagger=tagger, min_count=args.min_count)
    if args.out is not None:
        from arabic_news.corpus.atomic import replace_file

        flat = df.assign(types=df["types"].map(lambda d: json.dumps(d, ensure_ascii=False)),
                         examples=df["examples"].map(lambda x: " || ".join(x)),
                         forms=df["forms"].map(lambda x: " | ".join(x)))
        if args.out.suffix == ".parquet":
            replace_file(args.out, lambda tmp: flat.to_parquet(tmp, index=False))
        else:
            replace_file(args.out, lambda tmp: flat.to_csv(tmp, index=False, encoding="utf-8"))
    top = df.head(args.top)
    if args.json:
        _print_json(top.to_dict(orient="records"))
    else:
        print(f"{len(df):,} candidate names ({df.attrs.get('n_mentions', 0):,} entity mentions, "
              f"{df.attrs.get('n_known', 0):,} already known)")
        for r in top.itertuples(index=False):
            print(f"{r.count:5d} {r.n_docs:5d}  {r.type:<5} {r.name}")
    return 0
