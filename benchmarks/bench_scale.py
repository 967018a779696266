"""Benchmark the scale-out pipeline (issue 7) on synthetic corpora of N articles.

The synthetic corpus is the SaudiNewsNet ingest output replicated: copy r of article i gets a fresh doc_id
(blake2b of the original id and r) and a date drawn (seeded) uniformly over 2010-01-01 .. 2024-12-31. It is
generated in chunks of 10,000 rows straight into :class:`arabic_news.corpus.partitioned.PartitionedWriter`
(never the whole corpus in memory), which is the ingest/partitioning step timed here; by default partitions of
10,000 rows (``--partition-by month`` gives 180 month partitions, i.e. ~700 rows each at 125k articles, where
per-partition fixed costs such as scikit-learn's NMF transform dominate). Then ``arabic_news.scale.run`` (LocalCluster: 2 workers x 1 thread) runs
normalize, actors and topics (incremental MiniBatchNMF, k=20); worker RSS (with children) is sampled with psutil
every 0.5 s.

    nice -n 10 .venv/bin/python benchmarks/bench_scale.py --sizes 125000 250000

Writes ``benchmarks/results/bench_scale.json`` (one entry per size; reruns merge by size).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def base_corpus(work: Path) -> Path:
    """The SaudiNewsNet ingest output (built once with ``arabic_news.corpus.ingest`` into *work*)."""
    from arabic_news.corpus import dataset_path, ingest

    out = work / "saudinewsnet_ingest"
    if not (out / "articles.parquet").is_file():
        ingest(dataset_path("saudinewsnet"), out)
    return out


def generate(base: Path, out: Path, n: int, *, partition_by: str, rows: int, seed: int = 42,
             chunk: int = 10_000) -> dict:
    """Replicate *base* into a partitioned dataset of *n* articles, chunk by chunk."""
    from arabic_news.corpus.partitioned import PartitionedWriter

    cols = ["doc_id", "title", "body", "paragraphs", "date", "source", "url", "label", "path", "n_tokens",
            "near_duplicate_of", "encoding"]
    base_df = pq.read_table(base / "articles.parquet", columns=cols).to_pandas()
    m = len(base_df)
    rng = np.random.default_rng(seed)
    lo = np.datetime64("2010-01-01T00:00:00", "s").astype(np.int64)
    hi = np.datetime64("2024-12-31T23:59:59", "s").astype(np.int64)
    t0 = time.perf_counter()
    written = 0
    with PartitionedWriter(out, partition_by=partition_by, rows=rows, source=f"synthetic x SaudiNewsNet ({base})",
                           overwrite=True) as writer:
        while written < n:
            take = min(chunk, n - written)
            idx = (np.arange(written, written + take) % m)
            rep = np.arange(written, written + take) // m
            part = base_df.iloc[idx].copy()
            part["doc_id"] = [hashlib.blake2b(f"{d}\x1f{r}".encode(), digest_size=8).hexdigest()
                              for d, r in zip(part["doc_id"], rep)]
            secs = rng.integers(lo, hi, size=take)
            part["date"] = pd.to_datetime(secs, unit="s").astype("datetime64[ns]")
            part["near_duplicate_of"] = None
            writer.add(part)
            written += take
    return {"seconds": time.perf_counter() - t0, "articles": written}


class WorkerMemory:
    """Peak RSS (process + children) of each Dask worker process, sampled every *interval* seconds."""

    def __init__(self, client, interval: float = 0.5):
        self.client = client
        self.interval = interval
        self.peak: dict[int, int] = {}
        self.cpu_start: dict[int, float] = {}
        self.cpu_end: dict[int, float] = {}
        self.driver_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _pids(self):
        return list(self.client.run(os.getpid).values())

    @staticmethod
    def _cpu(pid: int) -> float:
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system

    def _loop(self):
        me = psutil.Process()
        while not self._stop.is_set():
            for pid in self.pids:
                try:
                    p = psutil.Process(pid)
                    rss = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
                    self.cpu_end[pid] = self._cpu(pid)
                except psutil.Error:
                    continue
                self.peak[pid] = max(self.peak.get(pid, 0), rss)
            self.driver_peak = max(self.driver_peak, me.memory_info().rss)
            self._stop.wait(self.interval)

    @property
    def worker_cpu_seconds(self) -> float:
        """User + system CPU seconds the worker processes used while sampled (last sample - first)."""
        return sum(self.cpu_end.get(pid, v) - v for pid, v in self.cpu_start.items())

    def __enter__(self):
        self.pids = self._pids()
        self.cpu_start = {pid: self._cpu(pid) for pid in self.pids}
        self._driver_cpu0 = time.process_time()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        for pid in self.pids:
            try:
                self.cpu_end[pid] = self._cpu(pid)
            except psutil.Error:
                pass
        self.driver_cpu_seconds = time.process_time() - self._driver_cpu0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[125_000, 250_000])
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary folder under /tmp)")
    ap.add_argument("--base", default=None, help="an existing SaudiNewsNet ingest output to replicate")
    ap.add_argument("--partition-by", default="rows", choices=("month", "rows"))
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--sample-size", type=int, default=20_000)
    ap.add_argument("--memory-limit", default="4GB", help="Dask worker memory limit (the target is < 2 GB)")
    ap.add_argument("--stages", default="normalize,actors,topics")
    ap.add_argument("--keep", action="store_true", help="keep the generated data and outputs")
    ap.add_argument("--out", default=str(RESULTS / "bench_scale.json"))
    args = ap.parse_args(argv)

    from arabic_news.scale import dask_client, run

    work = Path(args.work or tempfile.mkdtemp(prefix="an_bench_scale_", dir="/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    base = Path(args.base) if args.base else base_corpus(work)
    base_seconds = time.perf_counter() - t
    out_path = Path(args.out)
    results = json.loads(out_path.read_text()) if out_path.is_file() else {"runs": []}
    results.update({
        "benchmark": "bench_scale", "command": " ".join(["benchmarks/bench_scale.py", *(argv or sys.argv[1:])]),
        "base_corpus": str(base), "base_articles": pq.ParquetFile(base / "articles.parquet").metadata.num_rows,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "usable_cpus": len(os.sched_getaffinity(0)), "platform": platform.platform(),
                    "nice": os.nice(0)},
    })
    stages = tuple(s for s in args.stages.split(",") if s)
    for n in args.sizes:
        ds_dir, run_dir = work / f"ds_{n}", work / f"run_{n}"
        for d in (ds_dir, run_dir):
            shutil.rmtree(d, ignore_errors=True)
        load_before = os.getloadavg()
        t_all = time.perf_counter()
        gen = generate(base, ds_dir, n, partition_by=args.partition_by, rows=args.rows)
        t_cluster = time.perf_counter()
        with dask_client(n_workers=2, threads_per_worker=1, memory_limit=args.memory_limit) as client:
            cluster_start = time.perf_counter() - t_cluster
            with WorkerMemory(client) as mem:
                t_run = time.perf_counter()
                summary = run(ds_dir, run_dir, stages=stages, client=client, k=args.k,
                              sample_size=args.sample_size, progress=False)
                run_seconds = time.perf_counter() - t_run
        wall = time.perf_counter() - t_all
        n_parts = summary["n_partitions"]
        stage_secs = {s: v["seconds"] for s, v in summary["stages"].items()}
        entry = {
            "command": "nice -n %d .venv/bin/python %s" % (os.nice(0), " ".join(["benchmarks/bench_scale.py", *(argv or sys.argv[1:])])),
            "articles": n, "partitions": n_parts, "partition_by": args.partition_by, "rows_limit": args.rows,
            "generate_partition_seconds": round(gen["seconds"], 2),
            "cluster_start_seconds": round(cluster_start, 2),
            "run_seconds": round(run_seconds, 2), "stage_seconds": stage_secs,
            "wall_seconds_total": round(wall, 2),
            "articles_per_second_run": round(n / run_seconds, 1),
            "articles_per_second_total": round(n / wall, 1),
            "peak_rss_mb_per_worker": [round(v / 2 ** 20, 1) for v in mem.peak.values()],
            "peak_rss_mb_driver": round(mem.driver_peak / 2 ** 20, 1),
            "cpu_seconds_workers": round(mem.worker_cpu_seconds, 1),
            "cpu_seconds_driver": round(mem.driver_cpu_seconds, 1),
            "articles_per_cpu_second": round(n / max(mem.worker_cpu_seconds + mem.driver_cpu_seconds, 1e-9), 1),
            "actors_totals": summary["stages"].get("actors", {}).get("totals"),
            "topics": {k: v for k, v in summary["stages"].get("topics", {}).items() if k != "reports"},
            "dataset_bytes": sum(f.stat().st_size for f in ds_dir.rglob("*.parquet")),
            "output_bytes": sum(f.stat().st_size for f in run_dir.rglob("*") if f.is_file()),
            "load1_before": load_before[0], "load1_after": os.getloadavg()[0],
            "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        results["runs"] = [r for r in results["runs"] if r["articles"] != n] + [entry]
        results["runs"].sort(key=lambda r: r["articles"])
        results["base_ingest_seconds"] = round(base_seconds, 2)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(json.dumps(entry), flush=True)
        if not args.keep:
            shutil.rmtree(ds_dir, ignore_errors=True)
            shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
