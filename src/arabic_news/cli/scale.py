"""`arabic-news scale ingest|run`: partitioned datasets and the pipeline on Dask (corpora larger than memory)."""
from __future__ import annotations

import json
import logging
import shutil
import sys
from pathlib import Path

from arabic_news.cli import CLIError

logger = logging.getLogger(__name__)


def register(subparsers) -> None:
    """Add the `scale` sub-command (with `ingest` and `run`) to *subparsers*."""
    p = subparsers.add_parser(
        "scale",
        help="partitioned datasets and the pipeline on Dask (LocalCluster or --scheduler ADDRESS)",
        description="Scale out: write a partitioned parquet dataset (by month or by rows) and run the "
                    "normalisation, actor and topic stages per partition on Dask, resumably.",
    )
    sub = p.add_subparsers(dest="scale_command", required=True)

    pi = sub.add_parser("ingest", help="ingest SOURCE into a partitioned dataset DIR",
                        description="SOURCE is an ingest output folder (with articles.parquet) or anything "
                                    "`arabic-news ingest` reads (ingested first into DIR/_ingest).")
    pi.add_argument("source", metavar="SOURCE")
    pi.add_argument("--out", required=True, metavar="DIR")
    pi.add_argument("--partition-by", choices=("month", "rows"), default="month",
                    help="month of `date` (undated -> date=unknown) or a fixed number of rows (default month)")
    pi.add_argument("--rows", type=int, default=None, metavar="N",
                    help="rows per partition (rows), or the largest file of one month (month); default 50000")
    pi.add_argument("--format", default="auto", help="input format for a raw SOURCE (see `arabic-news ingest`)")
    pi.add_argument("--keep-ingest", action="store_true",
                    help="keep DIR/_ingest/articles.parquet after partitioning a raw SOURCE")
    pi.add_argument("--overwrite", action="store_true", help="replace an existing dataset in DIR")
    pi.add_argument("--json", action="store_true", help="print the summary as JSON (last line of stdout)")
    pi.set_defaults(func=run_ingest)

    pr = sub.add_parser("run", help="run stages over a partitioned dataset on Dask (resumable)")
    pr.add_argument("dataset", metavar="DATASET_DIR")
    pr.add_argument("--out", required=True, metavar="DIR")
    pr.add_argument("--stages", default="normalize,actors,topics",
                    help="comma-separated: normalize, actors, topics, embed (default normalize,actors,topics)")
    pr.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="address of a running Dask scheduler (default: start a LocalCluster)")
    pr.add_argument("--workers", type=int, default=2, metavar="N", help="LocalCluster workers (default 2)")
    pr.add_argument("--threads-per-worker", type=int, default=1, metavar="N")
    pr.add_argument("--memory-limit", default="2GB", help="LocalCluster memory limit per worker (default 2GB)")
    pr.add_argument("--k", type=int, default=20, help="number of topics (default 20)")
    pr.add_argument("--topic-mode", choices=("incremental", "sample"), default="incremental",
                    help="incremental MiniBatchNMF over partitions, or NMF fitted on a seeded sample")
    pr.add_argument("--vectorizer", choices=("vocabulary", "hashing"), default="vocabulary")
    pr.add_argument("--preprocessing", choices=("normalized", "light", "lemma"), default="light")
    pr.add_argument("--sample-size", type=int, default=20_000, metavar="N")
    pr.add_argument("--passes", type=int, default=1, metavar="N", help="partial_fit passes over the corpus")
    pr.add_argument("--seed", type=int, default=None)
    pr.add_argument("--no-mentions", action="store_true", help="do not keep the per-mention table")
    pr.add_argument("--json", action="store_true", help="print the run summary as JSON (last line of stdout)")
    pr.add_argument("--progress", action="store_true", help="show progress bars")
    pr.set_defaults(func=run_run)


def run_ingest(args) -> int:
    from arabic_news.corpus.partitioned import PartitionedDatasetError, partition_corpus

    source, out = Path(args.source).expanduser(), Path(args.out).expanduser()
    if not source.exists():
        raise CLIError(f"{source}: no such file or folder; pass an ingest output or a SOURCE `arabic-news ingest` reads")
    if out.exists() and (out / "_manifest.json").exists():
        if not args.overwrite:
            raise CLIError(f"{out}: already holds a partitioned dataset; pass --overwrite or another --out")
        for child in out.iterdir():
            if child.is_dir() and (child.name.startswith("date=") or child.name.startswith("part=")):
                shutil.rmtree(child)
    ingest_summary = None
    corpus = source
    if not (source / "articles.parquet").is_file() and not source.name.endswith(".parquet"):
        from arabic_news.corpus import IngestError, ingest

        staging = out / "_ingest"
        try:
            ingest_summary = ingest(source, staging, format=args.format)
        except IngestError as exc:
            raise CLIError(str(exc)) from exc
        corpus = staging
    try:
        ds = partition_corpus(corpus, out, partition_by=args.partition_by, rows=args.rows, overwrite=True,
                              source=str(source))
    except PartitionedDatasetError as exc:
        raise CLIError(str(exc)) from exc
    if ingest_summary is not None and not args.keep_ingest:
        (out / "_ingest" / "articles.parquet").unlink(missing_ok=True)  # the report and meta stay
    result = {"out": str(out), "partition_by": ds.partition_by, "n_rows": ds.n_rows,
              "n_partitions": len(ds.partitions),
              "ingest": ingest_summary.to_dict() if ingest_summary is not None else None}
    if ingest_summary is not None:
        print(ingest_summary.line())
    print(f"wrote {ds.n_rows} articles in {len(ds.partitions)} partitions ({ds.partition_by}) to {out}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    sys.stdout.flush()
    return 0


def run_run(args) -> int:
    from arabic_news import config
    from arabic_news.corpus.partitioned import PartitionedDatasetError
    from arabic_news.scale import STAGES, ScaleRunError, run

    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    bad = [s for s in stages if s not in STAGES]
    if bad:
        raise CLIError(f"unknown stage(s) {', '.join(bad)} in --stages; choose from {', '.join(STAGES)}")
    try:
        summary = run(args.dataset, args.out, stages=stages, scheduler=args.scheduler, n_workers=args.workers,
                      threads_per_worker=args.threads_per_worker, memory_limit=args.memory_limit, k=args.k,
                      topic_mode=args.topic_mode, vectorizer=args.vectorizer, preprocessing=args.preprocessing,
                      sample_size=args.sample_size, n_passes=args.passes,
                      seed=config.DEFAULT_SEED if args.seed is None else args.seed,
                      keep_mentions=not args.no_mentions, progress=args.progress or None)
    except PartitionedDatasetError as exc:
        raise CLIError(str(exc)) from exc
    except ScaleRunError as exc:
        raise CLIError(str(exc)) from exc
    except OSError as exc:
        if args.scheduler:
            raise CLIError(f"cannot reach the Dask scheduler at {args.scheduler} ({exc}); check --scheduler") from exc
        raise
    for stage, info in summary["stages"].items():
        parts = ", ".join(f"{r['stage']}: {r['computed']} computed, {r['skipped']} skipped" for r in info["reports"])
        print(f"{stage}: {parts} ({info['seconds']:.1f} s)")
    print(f"ran {len(summary['stages'])} stage(s) over {summary['n_rows']} articles in {summary['n_partitions']} "
          f"partitions in {summary['seconds']:.1f} s -> {args.out}")
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
    sys.stdout.flush()
    return 0
