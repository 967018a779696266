"""Benchmark: the whole main job (`arabic-news report`) on all of SaudiNewsNet, wall time per stage and peak RSS.

Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_main_job.py                      # all notebooks, all articles
    nice -n 10 .venv/bin/python benchmarks/bench_main_job.py --notebooks 02 --out /tmp/an_bench

It runs ``arabic-news report [CORPUS] --out OUT`` in a child process (the default corpus is SaudiNewsNet,
ingested once into ``data/interim/saudinewsnet`` and cached; the ingest is timed as the ``corpus`` stage when it
is not cached) and samples memory every ``--interval`` seconds with psutil over the whole process tree: the main
process (the CLI) and every notebook kernel papermill starts (and their workers). Recorded:

* per stage (from the run's ``run_log.json``): corpus resolution/ingest, checksum, per-notebook execution and
  HTML rendering, index;
* total wall time (the child process, start to exit) and the CPU seconds it and its children used;
* peak RSS of the main process, peak RSS of the largest single kernel, the peak of the summed RSS of the whole
  tree (an upper bound: forked workers share pages) and the peak summed PSS (shared pages split), each also per
  notebook (the tree's peak while that notebook ran, read from the kernel's command line);
* the 1-minute load average before and after (the machine is shared: other jobs slow wall-clock figures down).

Targets (issue 6): total < 15 min and peak RSS < 4 GB. Results: ``benchmarks/results/bench_main_job.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TARGET_SECONDS = 15 * 60
TARGET_RSS_MB = 4096


class TreeSampler(threading.Thread):
    """Samples RSS (and, every few samples, PSS) of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.5, pss_every: int = 4):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.pss_every = pss_every
        self.peak_main = 0
        self.peak_single_kernel = 0
        self.peak_tree_rss = 0
        self.peak_tree_pss = 0
        self.peak_processes = 1
        self.by_phase: dict[str, dict[str, int]] = {}
        self.phase = "start"
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        i = 0
        while not self._halt.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.NoSuchProcess:
                break
            rss_sum = pss_sum = 0
            kernel = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss_sum += rss
                if p.pid == self.root.pid:
                    self.peak_main = max(self.peak_main, rss)
                else:
                    kernel = max(kernel, rss)
                if i % self.pss_every == 0:
                    try:
                        pss_sum += p.memory_full_info().pss
                    except (psutil.NoSuchProcess, psutil.AccessDenied, AttributeError):
                        pass
            self.peak_single_kernel = max(self.peak_single_kernel, kernel)
            self.peak_tree_rss = max(self.peak_tree_rss, rss_sum)
            if i % self.pss_every == 0:
                self.peak_tree_pss = max(self.peak_tree_pss, pss_sum)
            self.peak_processes = max(self.peak_processes, len(procs))
            ph = self.by_phase.setdefault(self.phase, {"peak_tree_rss": 0, "peak_kernel_rss": 0})
            ph["peak_tree_rss"] = max(ph["peak_tree_rss"], rss_sum)
            ph["peak_kernel_rss"] = max(ph["peak_kernel_rss"], kernel)
            self.samples += 1
            i += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def _mb(n: int) -> float:
    return round(n / 2**20, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=None,
                    help="corpus (ingested folder, seed-layout folder or dataset name); default SaudiNewsNet")
    ap.add_argument("--out", default="/tmp/an_bench_main_job", help="report output folder (default %(default)s)")
    ap.add_argument("--notebooks", default=None, help="only these notebook prefixes, e.g. 02,04")
    ap.add_argument("--sample", type=int, default=0, help="articles to analyse (0 = all, the default)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--interval", type=float, default=0.5, help="memory sampling interval in seconds")
    ap.add_argument("--results", default=str(RESULTS / "bench_main_job.json"))
    args = ap.parse_args(argv)

    cmd = [str(ROOT / ".venv" / "bin" / "arabic-news"), "report"]
    if args.corpus:
        cmd.append(args.corpus)
    cmd += ["--out", args.out, "--seed", str(args.seed), "--sample", str(args.sample)]
    if args.notebooks:
        cmd += ["--notebooks", args.notebooks]
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(proc.pid, interval=args.interval)
    sampler.start()
    # phases: the CLI logs nothing by default; follow the executed/ folder to tell which notebook runs
    out_lines: list[str] = []

    def _reader():
        for line in proc.stdout:
            out_lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=_reader, daemon=True)
    reader.start()
    executed = Path(args.out) / "executed"
    seen: set[str] = set()
    while proc.poll() is None:
        if executed.is_dir():
            names = sorted(p.stem for p in executed.glob("*.ipynb"))
            new = [n for n in names if n not in seen]
            if new:
                seen.update(new)
                sampler.phase = new[-1]
        time.sleep(0.5)
    wall = time.perf_counter() - t0
    sampler.stop()
    reader.join(timeout=5)
    load_after = os.getloadavg()
    children_cpu = os.times()
    log_path = Path(args.out) / "run_log.json"
    log = json.loads(log_path.read_text(encoding="utf-8")) if log_path.is_file() else {}

    peak_rss = max(sampler.peak_main, sampler.peak_single_kernel)
    result = {
        "command": " ".join(cmd),
        "exit_code": proc.returncode,
        "corpus": log.get("corpus_dir"),
        "n_articles": log.get("n_articles"),
        "corpus_sha256": log.get("corpus_sha256"),
        "parameters": log.get("parameters"),
        "stages": log.get("stages", []),
        "notebooks": [{k: nb.get(k) for k in ("name", "status", "error", "seconds_execute", "seconds_render")}
                      for nb in log.get("notebooks", [])],
        "total_seconds_run_log": log.get("total_seconds"),
        "total_seconds_wall": round(wall, 1),
        "cpu_seconds_children": round(children_cpu.children_user + children_cpu.children_system, 1),
        "peak_rss_mb": {
            "main_process": _mb(sampler.peak_main),
            "largest_kernel": _mb(sampler.peak_single_kernel),
            "max_single_process": _mb(peak_rss),
            "tree_sum_rss": _mb(sampler.peak_tree_rss),
            "tree_sum_pss": _mb(sampler.peak_tree_pss),
            "by_notebook": {k: {kk: _mb(vv) for kk, vv in v.items()} for k, v in sampler.by_phase.items()},
            "run_log_getrusage": log.get("peak_rss_mb"),
        },
        "memory_samples": sampler.samples,
        "sampling_interval_s": args.interval,
        "max_processes": sampler.peak_processes,
        "targets": {
            "total_seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_RSS_MB,
            "total_met": wall < TARGET_SECONDS,
            "rss_met": sampler.peak_tree_rss < TARGET_RSS_MB * 2**20,
        },
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "output_tail": out_lines[-12:],
    }
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    print(f"{'stage':<10} {'notebook':<22} {'seconds':>9}")
    for st in result["stages"]:
        print(f"{st['stage']:<10} {st.get('notebook', ''):<22} {st['seconds']:>9.1f}")
    print(f"total wall {wall:.1f} s (target < {TARGET_SECONDS} s); peak RSS main {_mb(sampler.peak_main)} MB, "
          f"largest kernel {_mb(sampler.peak_single_kernel)} MB, tree sum {_mb(sampler.peak_tree_rss)} MB "
          f"(PSS {_mb(sampler.peak_tree_pss)} MB; target < {TARGET_RSS_MB} MB); load {load_before[0]:.1f} -> "
          f"{load_after[0]:.1f}")
    for k, v in result["peak_rss_mb"]["by_notebook"].items():
        print(f"  {k}: tree {v['peak_tree_rss']} MB, kernel {v['peak_kernel_rss']} MB")
    print(json.dumps({"results": args.results, "total_seconds": result["total_seconds_wall"],
                      "peak_tree_rss_mb": result["peak_rss_mb"]["tree_sum_rss"], "exit_code": proc.returncode}))
    return 0 if proc.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
