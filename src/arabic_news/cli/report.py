"""`arabic-news report`: the main job (every notebook on a corpus, rendered to self-contained HTML)."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from arabic_news import config
from arabic_news.cli import args as A

logger = logging.getLogger(__name__)


def register(subparsers) -> None:
    """Add the `report` sub-command to *subparsers*."""
    p = subparsers.add_parser(
        "report",
        help="run every notebook on a corpus and render self-contained HTML reports",
        description=(
            "Run every notebook in notebooks/ on a corpus with papermill and render each to OUT/<name>.html, "
            "plus OUT/index.html (summaries, parameters, versions, corpus checksum) and OUT/run_log.json "
            "(wall time per stage). Executed notebooks go to OUT/executed/, exported tables to OUT/tables/."
        ),
    )
    p.add_argument(
        "source", nargs="?", default=None, metavar="CORPUS_DIR_OR_SOURCE", type=A.non_empty,
        help="an ingested corpus folder (with articles.parquet), a folder of articles in the seed layout "
             "(ingested first), or a dataset name; default: the SaudiNewsNet corpus",
    )
    p.add_argument("--out", type=A.writable_dir, default=str(config.REPORTS_DIR), metavar="DIR",
                   help=f"output folder (default: {config.REPORTS_DIR})")
    p.add_argument("--sample", type=A.non_negative_int, default=0, metavar="N",
                   help="analyse a random sample of N articles (0 = all, the default)")
    p.add_argument("--seed", type=A.seed, default=config.DEFAULT_SEED, metavar="S",
                   help=f"seed for sampling and every random component (default {config.DEFAULT_SEED})")
    p.add_argument("--k", "--topics", dest="n_topics", type=A.positive_int, default=None, metavar="K",
                   help="number of topics for the topic notebooks (default: the notebook's own)")
    p.add_argument("--claims", default=None, metavar="FILE", help="claims file for the stance notebook")
    p.add_argument("--topic-names", default=None, metavar="FILE",
                   help="YAML file naming topics (`number: name` per line) for the topics notebook; see "
                        "data/topics/example_topic_names.yaml")
    p.add_argument("--notebooks", type=A.comma_list, default=None, metavar="01,02,...",
                   help="run only the notebooks whose names start with these comma-separated prefixes")
    p.add_argument("--cell-timeout", type=A.positive_int, default=None, metavar="SECONDS",
                   help="fail a notebook cell that runs longer than this (default: no limit)")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="when SOURCE is ingested: read symlinks that lead outside it (default: rejected)")
    p.add_argument("--max-file-size", default=None, metavar="SIZE",
                   help="when SOURCE is ingested: largest article file to read, e.g. 10MB (default 10MB)")
    p.add_argument("--json", action="store_true", help="print the run record as JSON (last line of stdout)")
    p.set_defaults(func=run)


def run(args) -> int:
    from arabic_news.cli import CLIError
    from arabic_news.cli.ingest import max_file_size_arg
    from arabic_news.reports import ReportError, run_reports

    only = args.notebooks
    max_file_size = max_file_size_arg(args.max_file_size)
    try:
        record = run_reports(
            args.source, args.out, sample_size=args.sample, seed=args.seed, n_topics=args.n_topics,
            claims_file=args.claims, topic_names_file=args.topic_names, notebooks=only,
            cell_timeout=args.cell_timeout, follow_symlinks=args.follow_symlinks, max_file_size=max_file_size,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
    except ReportError as exc:
        raise CLIError(str(exc)) from None
    out = Path(record.out_dir)
    for nb in record.notebooks:
        mark = "ok" if nb.status == "ok" else f"FAILED ({nb.error})"
        print(f"{nb.name}: {mark} in {nb.seconds_execute:.1f} s -> {nb.html or nb.executed}")
    print(f"corpus {record.corpus_dir} (sha256 {record.corpus_sha256[:12]}...); "
          f"{len(record.notebooks)} notebook(s) in {record.total_seconds:.1f} s; index: {out / 'index.html'}")
    if args.json:
        print(json.dumps(record.to_dict(), ensure_ascii=False))
    if record.failed:
        names = ", ".join(nb.name for nb in record.failed)
        print(f"arabic-news report: error: notebook(s) failed: {names}; see the executed copies in "
              f"{out / 'executed'}", file=sys.stderr)
        return 1
    return 0
