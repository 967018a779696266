"""`arabic-news ingest SOURCE --out DIR`: build the canonical article table from a folder or file."""
from __future__ import annotations

import json
import logging
import sys

from arabic_news.cli import CLIError
from arabic_news.cli import args as A

logger = logging.getLogger(__name__)


def register(subparsers) -> None:
    """Add the `ingest` sub-command to *subparsers*."""
    from arabic_news.corpus.readers import FORMATS

    p = subparsers.add_parser(
        "ingest",
        help="ingest a folder/file of articles into DIR/articles.parquet + DIR/ingest_report.csv",
        description="Ingest articles (seed-layout .txt folder, SaudiNewsNet zips, ANT JSONL, generic "
                    "JSONL/CSV/parquet) into DIR/articles.parquet, with one report row per input in "
                    "DIR/ingest_report.csv.",
    )
    p.add_argument("source", metavar="SOURCE", type=A.existing_path, help="a folder or a file")
    p.add_argument("--out", required=True, metavar="DIR", type=A.writable_dir,
                   help="output folder (written in a temporary folder beside it and swapped in at the end: an interrupted run leaves the previous output as it was)")
    p.add_argument("--format", default="auto", choices=FORMATS, help="input format (default: auto-detect)")
    p.add_argument("--metadata", metavar="CSV", type=A.existing_file,
                   help="sidecar CSV (file,source,url,date[,label]) joined to seed-layout files on file name "
                        "(default: SOURCE/metadata.csv when present)")
    for name in ("text", "title", "date", "source", "label", "url"):
        p.add_argument(f"--{name}-column", metavar="C", type=A.non_empty, help=f"column/key holding the {name} (generic JSONL/CSV/parquet)")
    p.add_argument("--jobs", type=A.positive_int, default=None, metavar="N", help="worker processes (default: usable CPUs)")
    p.add_argument("--near-duplicate-threshold", type=A.unit_interval, default=0.8, metavar="J",
                   help="estimated Jaccard of word 3-shingles from which an article is flagged as a "
                        "near-duplicate (default 0.8; 0 turns the check off)")
    p.add_argument("--partition-by", choices=("month", "rows"), default=None,
                   help="also write DIR/partitioned/, a partitioned parquet dataset (hive folders date=YYYY-MM "
                        "or part=NNNNN, with _manifest.json) for `arabic-news scale run`")
    p.add_argument("--rows", type=A.positive_int, default=None, metavar="N",
                   help="with --partition-by: rows per partition (rows) or largest file per month (default 50000)")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="read symlinks that lead outside SOURCE (default: rejected with a reason in the report; "
                        "symlinks to FIFOs/devices and loops are rejected either way)")
    p.add_argument("--max-file-size", default=None, metavar="SIZE",
                   help="largest article file (or record text) to read, e.g. 10MB, 500KB, 1GB (default "
                        "10MB); larger ones are rejected from their size, without being read")
    p.add_argument("--json", action="store_true", help="print the summary as JSON (last line of stdout)")
    p.add_argument("--progress", action="store_true", help="show a progress bar")
    p.set_defaults(func=run)


def max_file_size_arg(text: str | None) -> int:
    """The ``--max-file-size`` value in bytes (the configured default when None); CLIError when invalid."""
    from arabic_news import config
    from arabic_news.corpus.readers import parse_size

    if text is None:
        return config.MAX_FILE_SIZE
    try:
        return parse_size(text)
    except ValueError as exc:
        raise CLIError(f"--max-file-size: {exc}") from None


def run(args) -> int:
    from arabic_news.corpus import IngestError, ingest

    if args.rows is not None and not args.partition_by:
        raise CLIError(f"--rows {args.rows} applies to --partition-by only; add --partition-by month|rows or drop it")
    max_file_size = max_file_size_arg(args.max_file_size)
    try:
        summary = ingest(
            args.source, args.out, format=args.format, metadata=args.metadata,
            text_column=args.text_column, title_column=args.title_column, date_column=args.date_column,
            source_column=args.source_column, label_column=args.label_column, url_column=args.url_column,
            n_jobs=args.jobs, near_duplicate_threshold=args.near_duplicate_threshold,
            progress=args.progress or None, follow_symlinks=args.follow_symlinks, max_file_size=max_file_size,
        )
    except IngestError as exc:
        raise CLIError(str(exc)) from exc
    print(summary.line())
    result = summary.to_dict()
    if args.partition_by:
        from pathlib import Path

        from arabic_news.corpus.atomic import OutputDir
        from arabic_news.corpus.partitioned import MANIFEST_FILE, PartitionedDataset, partition_corpus

        # ingest dropped the old DIR/partitioned (derived from the old table); the new one appears complete
        with OutputDir(Path(args.out) / "partitioned", owned=("*",), marker=(MANIFEST_FILE,),
                       what="partitioned dataset") as work:
            partition_corpus(args.out, work, partition_by=args.partition_by, rows=args.rows, overwrite=True)
        ds = PartitionedDataset(Path(args.out) / "partitioned")
        print(f"partitioned {ds.n_rows} articles into {len(ds)} partitions ({ds.partition_by}) -> {ds.path}")
        result["partitioned"] = {"path": str(ds.path), "partition_by": ds.partition_by, "n_partitions": len(ds)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()
    return 0
