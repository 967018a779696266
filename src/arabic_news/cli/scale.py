"""`arabic-news scale ingest|run`: partitioned datasets and the pipeline on Dask (corpora larger than memory)."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from arabic_news.cli import CLIError
from arabic_news.cli import args as A

logger = logging.getLogger(__name__)


def _formats() -> tuple[str, ...]:
    from arabic_news.corpus.readers import FORMATS

    return FORMATS


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
    pi.add_argument("source", metavar="SOURCE", type=A.existing_path)
    pi.add_argument("--out", required=True, metavar="DIR", type=A.writable_dir,
                    help="dataset folder; an incomplete dataset here (an interrupted run) is resumed")
    pi.add_argument("--partition-by", choices=("month", "rows"), default="month",
                    help="month of `date` (undated -> date=unknown) or a fixed number of rows (default month)")
    pi.add_argument("--rows", type=A.positive_int, default=None, metavar="N",
                    help="rows per partition (rows), or the largest file of one month (month); default 50000")
    pi.add_argument("--format", default="auto", choices=_formats(), help="input format for a raw SOURCE (see `arabic-news ingest`)")
    pi.add_argument("--keep-ingest", action="store_true",
                    help="keep DIR/_ingest/articles.parquet after partitioning a raw SOURCE")
    pi.add_argument("--overwrite", action="store_true",
                    help="replace an existing dataset in DIR (or start an incomplete one again instead of resuming)")
    pi.add_argument("--json", action="store_true", help="print the summary as JSON (last line of stdout)")
    pi.set_defaults(func=run_ingest)

    pr = sub.add_parser("run", help="run stages over a partitioned dataset on Dask (resumable)")
    pr.add_argument("dataset", metavar="DATASET_DIR", type=A.partitioned_dataset)
    pr.add_argument("--out", required=True, metavar="DIR", type=A.writable_dir)
    pr.add_argument("--stages", type=A.comma_list, default="normalize,actors,topics",
                    help="comma-separated: normalize, actors, topics, embed (default normalize,actors,topics)")
    pr.add_argument("--scheduler", type=A.non_empty, default=None, metavar="ADDRESS",
                    help="address of a running Dask scheduler (default: start a LocalCluster)")
    pr.add_argument("--workers", type=A.positive_int, default=2, metavar="N", help="LocalCluster workers (default 2)")
    pr.add_argument("--threads-per-worker", type=A.positive_int, default=1, metavar="N")
    pr.add_argument("--memory-limit", type=A.byte_size, default="2GB", help="LocalCluster memory limit per worker (default 2GB)")
    pr.add_argument("--k", type=A.positive_int, default=20, help="number of topics (default 20)")
    pr.add_argument("--topic-mode", choices=("incremental", "sample"), default="incremental",
                    help="incremental MiniBatchNMF over partitions, or NMF fitted on a seeded sample")
    pr.add_argument("--vectorizer", choices=("vocabulary", "hashing"), default="vocabulary")
    pr.add_argument("--preprocessing", choices=("normalized", "light", "lemma"), default="light")
    pr.add_argument("--sample-size", type=A.positive_int, default=20_000, metavar="N")
    pr.add_argument("--passes", type=A.positive_int, default=1, metavar="N", help="partial_fit passes over the corpus")
    pr.add_argument("--seed", type=A.seed, default=None)
    pr.add_argument("--no-mentions", action="store_true", help="do not keep the per-mention table")
    pr.add_argument("--json", action="store_true", help="print the run summary as JSON (last line of stdout)")
    pr.add_argument("--progress", action="store_true", help="show progress bars")
    pr.set_defaults(func=run_run)


def run_ingest(args) -> int:
    from arabic_news.corpus.partitioned import (
        DEFAULT_ROWS,
        MANIFEST_FILE,
        PartitionedDataset,
        PartitionedDatasetError,
        PartitionedWriter,
        partition_corpus,
        resume_command,
    )

    source, out = Path(args.source).expanduser(), Path(args.out).expanduser()
    if not source.exists():
        raise CLIError(f"{source}: no such file or folder; pass an ingest output or a SOURCE `arabic-news ingest` reads")
    rows = args.rows or DEFAULT_ROWS
    resuming = False
    if (out / MANIFEST_FILE).exists() and not args.overwrite:
        try:
            existing = PartitionedDataset(out, allow_incomplete=True)
        except PartitionedDatasetError as exc:
            raise CLIError(f"{exc} (or pass --overwrite to start again)") from exc
        if existing.complete:
            raise CLIError(f"{out}: already holds a partitioned dataset; pass --overwrite or another --out")
        meta = existing.manifest
        if meta.get("partition_by") != args.partition_by or int(meta.get("rows_per_partition") or 0) != rows:
            raise CLIError(f"{out}: holds an incomplete dataset partitioned by {meta.get('partition_by')} "
                           f"({meta.get('rows_per_partition')} rows per file); resume it with the same settings "
                           f"(`{resume_command(out, meta)}`) or pass --overwrite to start again")
        resuming = True
        print(f"resuming the incomplete dataset in {out} ({len(existing)} partitions, {existing.n_rows} articles "
              "already written)")
    else:
        # mark the folder as an incomplete dataset before the (long) ingest of a raw SOURCE: a reader refuses
        # it from now on, and a rerun after a kill resumes instead of asking for --overwrite
        try:
            PartitionedWriter(out, partition_by=args.partition_by, rows=rows, source=str(source),
                              overwrite=args.overwrite).abort()
        except PartitionedDatasetError as exc:
            raise CLIError(str(exc)) from exc
    ingest_summary = None
    corpus = source
    if not (source / "articles.parquet").is_file() and not source.name.endswith(".parquet"):
        from arabic_news.corpus import IngestError, IngestSummary, ingest

        staging = out / "_ingest"
        staged = _staged_ingest(staging, source, args.format) if resuming else None
        if staged is not None:
            ingest_summary = IngestSummary(**staged)
            print(f"reusing the ingest of {source} staged in {staging} by the interrupted run")
        else:
            try:
                ingest_summary = ingest(source, staging, format=args.format)
            except IngestError as exc:
                raise CLIError(str(exc)) from exc
        corpus = staging
    try:
        ds = partition_corpus(corpus, out, partition_by=args.partition_by, rows=rows, resume=True,
                              source=str(source))
    except PartitionedDatasetError as exc:
        raise CLIError(str(exc)) from exc
    if ingest_summary is not None and not args.keep_ingest:
        (out / "_ingest" / "articles.parquet").unlink(missing_ok=True)  # the report and meta stay
    result = {"out": str(out), "partition_by": ds.partition_by, "n_rows": ds.n_rows,
              "n_partitions": len(ds.partitions), "resumed": ds.resumed if resuming else None,
              "ingest": ingest_summary.to_dict() if ingest_summary is not None else None}
    if ingest_summary is not None:
        print(ingest_summary.line())
    if ds.resumed:
        print(f"kept {ds.resumed['partitions_kept']} partitions ({ds.resumed['rows_skipped']} articles) the "
              f"interrupted run had finished and verified; wrote the rest")
    print(f"wrote {ds.n_rows} articles in {len(ds.partitions)} partitions ({ds.partition_by}) to {out}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    sys.stdout.flush()
    return 0


def _staged_ingest(staging: Path, source: Path, fmt: str) -> dict | None:
    """The summary of a finished ingest of *source* in *staging* (left by an interrupted run), else None."""
    import dataclasses

    from arabic_news.corpus import IngestSummary
    from arabic_news.corpus.schema import ARTICLES_FILE, META_FILE

    try:
        meta = json.loads((staging / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    summary = meta.get("summary") or {}
    if not (staging / ARTICLES_FILE).is_file() or summary.get("source") != str(source) \
            or (meta.get("params") or {}).get("format") != fmt or not summary.get("n_loaded"):
        return None
    names = {f.name for f in dataclasses.fields(IngestSummary)}
    return {k: v for k, v in summary.items() if k in names}


def run_run(args) -> int:
    from arabic_news import config
    from arabic_news.corpus.partitioned import PartitionedDatasetError
    from arabic_news.scale import STAGES, ScaleRunError, run

    stages = args.stages
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
