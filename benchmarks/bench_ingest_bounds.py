"""Benchmark: is `arabic-news ingest` bounded? Peak memory on one huge article file and on all of SaudiNewsNet,
and SaudiNewsNet throughput, for the current code and (optionally) an older checkout, in the same run.

Measurements (each is one whole `arabic-news ingest` process, started with ``nice -n 10``):

1. ``huge``: a folder holding ONE seed-layout file of ``--huge-mb`` MB (default 60; the title of the first article
   of the seed-layout SaudiNewsNet sample, then its bodies repeated until the size is reached), ingested with
   ``--jobs 1`` (and ``--max-file-size`` raised above the file's size when the code has that option).
2. ``saudinewsnet``: all 18 SaudiNewsNet day archives (31,030 articles), ``--jobs 2``, ``--rounds`` times,
   old and new code interleaved (old, new, old, new, ...) so that drifts of the shared machine hit both alike;
   medians are reported.

Memory: ``largest process`` is the peak RSS of the largest single process of the run (the ingest process or one
of its workers; ``getrusage(RUSAGE_CHILDREN)`` of a wrapper process that runs only that command);
``process tree`` is the largest sum of RSS over the ingest process and its workers, sampled every 50 ms.
Throughput: inputs per wall second and per CPU second (user + system of the whole tree).

Run (``--before-src`` is the ``src`` folder of a checkout of the old code, e.g. ``git worktree add /tmp/base
f5072a5``)::

    nice -n 10 .venv/bin/python benchmarks/bench_ingest_bounds.py --before-src /tmp/base/src

The old code on a 60 MB file needs about 9 GB of memory: ``--before-mem-cap-gb`` (default 14) caps its address
space, and a run killed by the cap is reported as such. Writes ``benchmarks/results/bench_ingest_bounds-<UTC
time>.json`` and prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = Path(__file__).resolve().parent / "results"

# Runs COMMAND, then prints the peak RSS (KiB) of its largest process, CPU seconds of the tree, wall seconds.
_WRAPPER = """
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(ru.ru_maxrss, ru.ru_utime + ru.ru_stime, time.perf_counter() - t, rc)
"""


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:  # the run just ended
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(cmd: list[str], env: dict, mem_cap_bytes: int | None = None) -> dict:
    """One run of *cmd* in a wrapper process: largest-process peak RSS, tree peak RSS, CPU and wall seconds."""
    def limit():
        if mem_cap_bytes:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (mem_cap_bytes, mem_cap_bytes))

    proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, *cmd], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=limit)
    peak_tree, stop = 0, threading.Event()
    ps = psutil.Process(proc.pid)

    def sample():
        nonlocal peak_tree
        while not stop.is_set():
            peak_tree = max(peak_tree, _tree_rss(ps))
            stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    stop.set()
    thread.join()
    maxrss_kib, cpu, wall, rc = out.split()
    return {"largest_process_mb": round(int(maxrss_kib) / 1024, 1), "process_tree_mb": round(peak_tree / 2**20, 1),
            "cpu_s": round(float(cpu), 2), "wall_s": round(float(wall), 2), "exit_code": int(rc),
            "stderr_tail": err.strip().splitlines()[-1:] if err.strip() else []}


def make_huge_folder(folder: Path, megabytes: float) -> Path:
    """A folder with one seed-layout file of about *megabytes* MB built from the seed-layout sample."""
    from arabic_news.corpus import dataset_path

    src = dataset_path("seed_format_saudinewsnet")
    files = sorted(src.glob("*.txt"))
    bodies = []
    for f in files:
        parts = f.read_text("utf-8").split("\n", 2)
        if len(parts) == 3 and parts[2].strip():
            bodies.append(parts[2].strip())
    title = files[0].read_text("utf-8").split("\n", 1)[0]
    target = int(megabytes * 1e6)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "huge.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(title + "\n\n")
        n, i = len(title.encode()) + 2, 0
        while n < target:
            piece = bodies[i % len(bodies)] + ", "
            fh.write(piece)
            n += len(piece.encode())
            i += 1
        fh.write("\n")
    return path


def _has_option(src: Path, option: str) -> bool:
    return option in (src / "arabic_news" / "cli" / "ingest.py").read_text("utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before-src", type=Path, default=None, help="src folder of the old code (optional)")
    ap.add_argument("--huge-mb", type=float, default=60.0)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved SaudiNewsNet runs per version")
    ap.add_argument("--before-mem-cap-gb", type=float, default=14.0)
    ap.add_argument("--skip-huge", action="store_true")
    args = ap.parse_args()

    from arabic_news.corpus import dataset_path

    versions = {"after": ROOT / "src"}
    if args.before_src is not None:
        versions = {"before": args.before_src.resolve(), **versions}
    snn = dataset_path("saudinewsnet")
    snn = snn / "dataset" if (snn / "dataset").is_dir() else snn
    record: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "python": platform.python_version(), "cpus": len(os.sched_getaffinity(0)),
                    "versions": {k: str(v) for k, v in versions.items()}, "huge": {}, "saudinewsnet": {}}
    with tempfile.TemporaryDirectory(prefix="bench_bounds_") as tmp:
        tmp = Path(tmp)
        if not args.skip_huge:
            huge = make_huge_folder(tmp / "huge", args.huge_mb)
            record["huge_file_bytes"] = huge.stat().st_size
            for name, src in versions.items():
                env = dict(os.environ, PYTHONPATH=str(src))
                cmd = [sys.executable, "-m", "arabic_news.cli", "ingest", str(huge.parent), "--out",
                       str(tmp / f"out_huge_{name}"), "--jobs", "1"]
                if _has_option(src, "--max-file-size"):
                    cmd += ["--max-file-size", f"{int(args.huge_mb * 2)}MB"]
                cap = int(args.before_mem_cap_gb * 2**30) if name == "before" else None
                res = run_measured(cmd, env, cap)
                record["huge"][name] = res
                print(f"huge {name}: {res}", flush=True)
        runs: dict[str, list[dict]] = {name: [] for name in versions}
        for r in range(args.rounds):
            for name, src in versions.items():
                env = dict(os.environ, PYTHONPATH=str(src))
                cmd = [sys.executable, "-m", "arabic_news.cli", "ingest", str(snn), "--out",
                       str(tmp / f"out_snn_{name}"), "--jobs", "2"]
                res = run_measured(cmd, env)
                res["inputs_per_s"] = round(31030 / res["wall_s"], 1)
                res["inputs_per_cpu_s"] = round(31030 / res["cpu_s"], 1)
                runs[name].append(res)
                print(f"saudinewsnet {name} round {r}: {res}", flush=True)
        for name, rs in runs.items():
            if not rs:
                continue
            record["saudinewsnet"][name] = {
                "runs": rs, **{f"median_{k}": statistics.median(x[k] for x in rs)
                               for k in ("wall_s", "cpu_s", "inputs_per_s", "inputs_per_cpu_s",
                                         "largest_process_mb", "process_tree_mb")}}
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"bench_ingest_bounds-{stamp}.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    print("\n| measurement | " + " | ".join(versions) + " |")
    print("|---|" + "---|" * len(versions))
    if record["huge"]:
        mb = record.get("huge_file_bytes", 0) / 1e6
        for key, label in (("largest_process_mb", f"one {mb:.0f} MB file: peak RSS, largest process (MB)"),
                           ("wall_s", f"one {mb:.0f} MB file: wall (s)"), ("exit_code", "  exit code")):
            print(f"| {label} | " + " | ".join(str(record["huge"][v][key]) for v in versions) + " |")
    for key, label in () if not args.rounds else (
                       ("median_largest_process_mb", "SaudiNewsNet: peak RSS, largest process (MB)"),
                       ("median_process_tree_mb", "SaudiNewsNet: peak RSS, process tree (MB)"),
                       ("median_inputs_per_s", "SaudiNewsNet: inputs/s (wall)"),
                       ("median_inputs_per_cpu_s", "SaudiNewsNet: inputs/CPU-s")):
        print(f"| {label} | " + " | ".join(str(record["saudinewsnet"][v][key]) for v in versions) + " |")


if __name__ == "__main__":
    main()
