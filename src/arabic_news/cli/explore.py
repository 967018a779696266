"""`arabic-news explore index|kwic|keyness|collocations|trend|dictionary`: the exploration toolkit on the command line.

Every sub-command takes CORPUS (an ingested corpus folder holding articles.parquet, or a partitioned dataset of
`arabic-news scale ingest`), prints the first rows of its table, writes the whole table with `--out FILE.csv`
(`.parquet` too; `kwic` also `.html`) and, with `--json`, prints a JSON summary as the last line of stdout.
The token index is built on first use (about a minute for 30,000 articles) and cached beside the corpus.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

logger = logging.getLogger(__name__)

MODES = ("clitics", "exact", "stem")
PERIODS = ("day", "week", "month", "year")
UNITS = ("clitics", "form", "stem")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "explore", help="explore a corpus: index, kwic, keyness, collocations, trend, dictionary",
        description="Concordance, keyness, collocations, trends and dictionaries on an ingested corpus "
                    "(Arabic-aware: clitics, normalisation, light stems).")
    sub = parser.add_subparsers(dest="explore_command", required=True)

    ix = sub.add_parser("index", help="build (or find) the token index of a corpus and print its size")
    _corpus_arg(ix)
    ix.add_argument("--force", action="store_true", help="rebuild even when an index exists")
    ix.add_argument("--jobs", type=int, default=None, help="worker processes (default min(2, CPUs))")
    ix.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    ix.set_defaults(func=_index_command)

    kw = sub.add_parser("kwic", help="concordance lines of a word, glob, phrase or actor:ID")
    _corpus_arg(kw)
    kw.add_argument("query", help="a word (وزير), a glob (عراق*), a phrase (حلف شمال الأطلسي) or actor:ID")
    _match_arg(kw)
    kw.add_argument("--window", type=int, default=8, help="context tokens on each side (default 8)")
    kw.add_argument("--sort", default=None, help="L1..L9 or R1..R9: sort by that context word (default: text order)")
    kw.add_argument("--sample", type=int, default=None, help="keep a random sample of N hits (with --seed)")
    kw.add_argument("--seed", type=int, default=42, help="seed of --sample (default 42)")
    kw.add_argument("--limit", type=int, default=None, help="keep the first N rows after sorting")
    _output_args(kw, html=True)
    kw.set_defaults(func=_kwic_command)

    ke = sub.add_parser("keyness", help="keywords of a sub-corpus against the rest (G2, log ratio, p)")
    _corpus_arg(ke)
    ke.add_argument("--by", default="source",
                    help="column defining the sub-corpora: source, label, ..., day/week/month/year, or actor "
                         "(default source)")
    ke.add_argument("--target", required=True, help="value of --by for the target sub-corpus (e.g. sabq, 2015-08, Q796)")
    ke.add_argument("--reference", default=None, help="value of --by for the reference (default: all other articles)")
    _unit_arg(ke)
    ke.add_argument("--min-freq", type=int, default=5, help="minimum target + reference frequency (default 5)")
    ke.add_argument("--p", type=float, default=0.001, help="significance level (default 0.001, G2 >= 10.83)")
    ke.add_argument("--bonferroni", action="store_true", help="divide --p by the number of terms tested")
    ke.add_argument("--which", choices=("both", "target", "reference"), default="both",
                    help="over-used terms (target), under-used (reference) or both (default)")
    ke.add_argument("--keep-stopwords", action="store_true", help="list stop words too")
    _output_args(ke)
    ke.set_defaults(func=_keyness_command)

    co = sub.add_parser("collocations", help="collocates of a query (LL, MI, t), or two-word phrases with --phrases")
    _corpus_arg(co)
    co.add_argument("query", nargs="?", default=None, help="a word, glob, phrase or actor:ID (omit with --phrases)")
    co.add_argument("--phrases", action="store_true", help="list two-word expressions of the corpus instead")
    _match_arg(co)
    _unit_arg(co)
    co.add_argument("--window", type=int, default=5, help="words on each side (default 5)")
    co.add_argument("--measure", choices=("ll", "mi", "t", "frequency"), default="ll", help="sort by (default ll)")
    co.add_argument("--min-freq", type=int, default=None,
                    help="minimum observed count (default 3; 10 for --phrases)")
    co.add_argument("--keep-stopwords", action="store_true", help="list stop words too")
    _output_args(co)
    co.set_defaults(func=_collocations_command)

    tr = sub.add_parser("trend", help="relative frequency of a query per period (and outlet) with intervals")
    _corpus_arg(tr)
    tr.add_argument("query", help="a word, glob, phrase or actor:ID")
    _match_arg(tr)
    tr.add_argument("--by", choices=PERIODS, default="week", help="period (default week)")
    tr.add_argument("--group", default=None, help="a column to split by, e.g. source")
    tr.add_argument("--interval", choices=("wilson", "poisson"), default="wilson", help="interval (default wilson)")
    tr.add_argument("--level", type=float, default=0.95, help="confidence level (default 0.95)")
    _output_args(tr)
    tr.set_defaults(func=_trend_command)

    di = sub.add_parser("dictionary", help="per-article counts of the categories of a YAML dictionary")
    _corpus_arg(di)
    di.add_argument("dictionary", nargs="?", type=Path, default=None,
                    help="YAML file of categories -> patterns (default: the example data/dictionaries/news_themes.yaml)")
    di.add_argument("--match", choices=MODES, default=None, help="matching mode (default: the dictionary's, else clitics)")
    di.add_argument("--by", default="source", help="column of the printed summary (default source)")
    _output_args(di)
    di.set_defaults(func=_dictionary_command)


def _corpus_arg(p) -> None:
    p.add_argument("corpus", type=Path, help="an ingest output folder (holds articles.parquet) or a partitioned dataset")


def _match_arg(p) -> None:
    p.add_argument("--match", choices=MODES, default="clitics",
                   help="clitics (default: وزير finds الوزير, للوزير, ووزير), exact, or stem")


def _unit_arg(p) -> None:
    p.add_argument("--unit", choices=UNITS, default="clitics",
                   help="counting unit: clitic-stripped form (default), normalised form, or light stem")


def _output_args(p, *, html: bool = False) -> None:
    kinds = ".csv, .parquet" + (" or .html" if html else "")
    p.add_argument("--out", type=Path, default=None, help=f"write the whole table to this file ({kinds})")
    p.add_argument("--top", type=int, default=20, help="rows to print (default 20; 0: none)")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")


# ------------------------------------------------------------------------------------------------ helpers
def _check_corpus(path: Path) -> None:
    from arabic_news.cli import CLIError

    if (path / "_manifest.json").is_file():
        return
    parquet = path / "articles.parquet" if path.is_dir() else path
    if not parquet.is_file():
        raise CLIError(f"{path}: no ingested corpus here; run `arabic-news ingest SOURCE --out {path}` first")
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(parquet)
    except Exception as exc:
        raise CLIError(f"{parquet}: cannot read it as parquet ({exc}); re-run `arabic-news ingest`") from exc
    if "body" not in meta.schema.names:
        raise CLIError(f"{parquet} lacks the column 'body'; re-run `arabic-news ingest`")
    if meta.num_rows == 0:
        raise CLIError(f"{parquet} has no articles; ingest a source that holds some")


def _check_out(out: Path | None, allowed: tuple[str, ...]) -> None:
    from arabic_news.cli import CLIError

    if out is None:
        return
    if out.suffix.lower() not in allowed:
        raise CLIError(f"--out {out}: unknown file type {out.suffix or '(none)'}; use {', '.join(allowed)}")
    if out.exists() and out.is_dir():
        raise CLIError(f"--out {out} is a folder; pass a file name ending in {', '.join(allowed)}")


def _write(df, out: Path, *, html_text: str | None = None) -> None:
    """Write the table atomically (a temporary file in the same folder, then renamed)."""
    from arabic_news.cli import CLIError

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    except OSError as exc:
        raise CLIError(f"--out {out}: cannot write there ({exc.strerror or exc}); choose a writable folder") from exc
    os.close(fd)
    try:
        suffix = out.suffix.lower()
        if suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        elif suffix == ".html":
            Path(tmp).write_text(html_text or "", encoding="utf-8")
        else:
            df.to_csv(tmp, index=False, encoding="utf-8")
        from arabic_news.explore.index import _FILE_MODE

        os.chmod(tmp, _FILE_MODE)  # mkstemp creates 0600
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _print_table(df, top: int) -> None:
    import pandas as pd

    if top <= 0 or df.empty:
        if df.empty:
            print("(no rows)")
        return
    with pd.option_context("display.max_columns", 20, "display.width", 200, "display.max_colwidth", 60,
                           "display.float_format", "{:,.3f}".format):
        print(df.head(top).to_string(index=False))


def _finish(args, df, summary: dict, t0: float) -> int:
    summary = {**summary, "rows": int(len(df)), "seconds": round(time.perf_counter() - t0, 3)}
    if args.out is not None:
        summary["out"] = str(args.out)
    if not args.json or args.top:
        _print_table(df, args.top)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
    return 0


def _run(func, *a, **kw):
    from arabic_news.cli import CLIError
    from arabic_news.explore.index import ExploreError

    try:
        return func(*a, **kw)
    except ExploreError as exc:
        raise CLIError(str(exc)) from exc


def _corpus(args):
    """The opened corpus (token index or partitioned index), built on first use with a progress bar."""
    from arabic_news.explore.index import open_index
    from arabic_news.explore.partitioned import PartitionedIndex, is_partitioned

    _check_corpus(args.corpus)
    if is_partitioned(args.corpus):
        return _run(PartitionedIndex, args.corpus)
    return _run(open_index, args.corpus, progress=sys.stderr.isatty())


# ------------------------------------------------------------------------------------------------ commands
def _index_command(args) -> int:
    from arabic_news.cli import CLIError
    from arabic_news.explore.index import build_index, open_index
    from arabic_news.explore.partitioned import PartitionedIndex, is_partitioned

    t0 = time.perf_counter()
    if args.jobs is not None and args.jobs < 1:
        raise CLIError(f"--jobs must be at least 1 (got {args.jobs})")
    _check_corpus(args.corpus)
    if is_partitioned(args.corpus):
        pidx = _run(PartitionedIndex, args.corpus)
        dirs = _run(pidx.build)
        summary = {"corpus": str(args.corpus), "partitions": len(dirs), "index_dirs": [str(d) for d in dirs]}
    else:
        path = _run(build_index, args.corpus, n_jobs=args.jobs, force=args.force, progress=sys.stderr.isatty())
        index = _run(open_index, args.corpus)
        summary = {"corpus": str(args.corpus), "index_dir": str(path), **{
            k: index.meta.get(k) for k in ("n_docs", "n_tokens", "n_words", "n_terms", "build_seconds")}}
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"index of {args.corpus}: " + ", ".join(f"{k} {v}" for k, v in summary.items() if k != "corpus"))
    return 0


def _kwic_command(args) -> int:
    from arabic_news.cli import CLIError
    from arabic_news.explore.kwic import kwic, kwic_html

    t0 = time.perf_counter()
    _check_out(args.out, (".csv", ".parquet", ".html"))
    if args.window < 0:
        raise CLIError(f"--window must be 0 or more tokens (got {args.window})")
    if args.sample is not None and args.sample < 1:
        raise CLIError(f"--sample must be at least 1 (got {args.sample})")
    if args.limit is not None and args.limit < 0:
        raise CLIError(f"--limit must be 0 or more (got {args.limit})")
    from arabic_news.explore.query import parse_query

    _run(parse_query, args.query, args.match)  # a bad query fails before the index is opened
    corpus = _corpus(args)
    df = _run(kwic, corpus, args.query, window=args.window, match=args.match, sort=args.sort, sample=args.sample,
              seed=args.seed, limit=args.limit)
    if args.out is not None:
        _write(df, args.out, html_text=kwic_html(df, max_rows=None, caption=args.query)
               if args.out.suffix.lower() == ".html" else None)
    shown = df[["source", "date", "left", "match", "right"]] if len(df) else df
    return _finish(args, shown, df.attrs.get("summary", {}), t0)


def _keyness_command(args) -> int:
    from arabic_news.cli import CLIError
    from arabic_news.explore.stats import keyness

    t0 = time.perf_counter()
    _check_out(args.out, (".csv", ".parquet"))
    if args.min_freq < 1:
        raise CLIError(f"--min-freq must be at least 1 (got {args.min_freq})")
    if not 0 < args.p <= 1:
        raise CLIError(f"--p must be in (0, 1] (got {args.p})")
    corpus = _corpus(args)
    df = _run(keyness, corpus, by=args.by, target=args.target, reference=args.reference, unit=args.unit,
              min_freq=args.min_freq, p=args.p, bonferroni=args.bonferroni, which=args.which,
              keep_stopwords=args.keep_stopwords)
    if args.out is not None:
        _write(df, args.out)
    return _finish(args, df, df.attrs.get("summary", {}), t0)


def _collocations_command(args) -> int:
    from arabic_news.cli import CLIError
    from arabic_news.explore.stats import collocations, phrases

    t0 = time.perf_counter()
    _check_out(args.out, (".csv", ".parquet"))
    if args.window < 1:
        raise CLIError(f"--window must be at least 1 word (got {args.window})")
    if args.min_freq is not None and args.min_freq < 1:
        raise CLIError(f"--min-freq must be at least 1 (got {args.min_freq})")
    if args.phrases:
        if args.query is not None:
            raise CLIError("--phrases lists the corpus' two-word expressions: drop the query, or drop --phrases")
        corpus = _corpus(args)
        unit = "form" if args.unit == "clitics" else args.unit
        df = _run(phrases, corpus, unit=unit, min_count=args.min_freq or 10, keep_stopwords=args.keep_stopwords,
                  top=None)
    else:
        if args.query is None:
            raise CLIError("give a query (a word, glob, phrase or actor:ID), or --phrases for two-word expressions")
        from arabic_news.explore.query import parse_query

        _run(parse_query, args.query, args.match)
        corpus = _corpus(args)
        df = _run(collocations, corpus, args.query, window=args.window, measure=args.measure, match=args.match,
                  unit=args.unit, min_freq=args.min_freq or 3, keep_stopwords=args.keep_stopwords, top=None)
    if args.out is not None:
        _write(df, args.out)
    return _finish(args, df, df.attrs.get("summary", {}), t0)


def _trend_command(args) -> int:
    from arabic_news.cli import CLIError
    from arabic_news.explore.trend import trend

    t0 = time.perf_counter()
    _check_out(args.out, (".csv", ".parquet"))
    if not 0 < args.level < 1:
        raise CLIError(f"--level must be between 0 and 1 (got {args.level})")
    from arabic_news.explore.query import parse_query

    _run(parse_query, args.query, args.match)
    corpus = _corpus(args)
    df = _run(trend, corpus, args.query, by=args.by, group=args.group, match=args.match, interval=args.interval,
              level=args.level)
    if args.out is not None:
        _write(df, args.out)
    return _finish(args, df, df.attrs.get("summary", {}), t0)


def _dictionary_command(args) -> int:
    from arabic_news.explore.dictionary import dictionary_counts, dictionary_summary, load_dictionary

    t0 = time.perf_counter()
    _check_out(args.out, (".csv", ".parquet"))
    d = _run(load_dictionary, args.dictionary) if args.dictionary is not None else None
    if d is None:
        from arabic_news.explore.dictionary import EXAMPLE_DICTIONARY

        d = _run(load_dictionary, EXAMPLE_DICTIONARY)
    corpus = _corpus(args)
    counts = _run(dictionary_counts, corpus, d, match=args.match)
    summary_table = _run(dictionary_summary, counts, args.by)
    if args.out is not None:
        _write(counts, args.out)
    summary = dict(counts.attrs.get("summary", {}))
    summary["by"] = args.by
    shown = summary_table.reset_index()
    return _finish(args, shown, summary, t0)
