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

Targets (issue 16): on SaudiNewsNet from a fresh clone (models cold) <= 5 min on 2 cores, a rerun <= 60 s,
peak RSS <= 2 GB; on the 2,000-article seed-layout sample <= 90 s with empty caches, <= 30 s on a rerun.
Results: ``benchmarks/results/bench_main_job.json``.

Before/after in one run (``--trees``): each code tree runs the main job with ``PYTHONPATH=TREE/src`` and a data
folder of its own (``ARABIC_NEWS_DATA_DIR``, the tree's curated actors/claims/dictionaries/topics copied in; the datasets read from the local mirror ``../shared/corpora``): ``cold`` starts
from an empty data folder (the corpus ingested again, no analysis store, no caches, no trained models unless
``--models``), ``rerun`` runs again on what the cold run left. The runs are interleaved (tree A cold, tree B
cold, tree A rerun, tree B rerun) so both trees see about the same machine load::

    git worktree add --detach /tmp/before f5072a5
    nice -n 10 .venv/bin/python benchmarks/bench_main_job.py ../shared/corpora/seed_format_saudinewsnet \\
        --trees after=.,before=/tmp/before --notebooks 01,02,03
    nice -n 10 .venv/bin/python benchmarks/bench_main_job.py --trees after=.,before=/tmp/before   # SaudiNewsNet

Results: ``benchmarks/results/bench_main_job_compare.json`` and a Markdown table on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TARGET_SECONDS = 5 * 60
TARGET_RSS_MB = 2048


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


def measure(cmd: list[str], *, out: str, env: dict | None = None, cwd: Path = ROOT, interval: float = 0.5) -> dict:
    """Run the main job *cmd* (writing to *out*) in a child process; wall time, CPU, peak memory, run log."""
    load_before = os.getloadavg()
    cpu_before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(proc.pid, interval=interval)
    sampler.start()
    # phases: the CLI logs nothing by default; follow the executed/ folder to tell which notebook runs
    out_lines: list[str] = []

    def _reader():
        for line in proc.stdout:
            out_lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=_reader, daemon=True)
    reader.start()
    executed = Path(out) / "executed"
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
    cpu_after = os.times()
    log_path = Path(out) / "run_log.json"
    log = json.loads(log_path.read_text(encoding="utf-8")) if log_path.is_file() else {}
    peak_rss = max(sampler.peak_main, sampler.peak_single_kernel)
    return {
        "command": " ".join(cmd),
        "exit_code": proc.returncode,
        "corpus": log.get("corpus_dir"),
        "n_articles": log.get("n_articles"),
        "corpus_sha256": log.get("corpus_sha256"),
        "parameters": log.get("parameters"),
        "stages": log.get("stages", []),
        "notebooks": [{k: nb.get(k) for k in ("name", "status", "error", "seconds_execute", "seconds_render",
                                               "slowest_cells")}
                      for nb in log.get("notebooks", [])],
        "total_seconds_run_log": log.get("total_seconds"),
        "total_seconds_wall": round(wall, 1),
        "cpu_seconds_children": round((cpu_after.children_user + cpu_after.children_system)
                                      - (cpu_before.children_user + cpu_before.children_system), 1),
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
        "sampling_interval_s": interval,
        "max_processes": sampler.peak_processes,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "output_tail": out_lines[-12:],
    }


def _fresh_data_dir(tree: Path, data_dir: Path, models: Path | None) -> None:
    """An empty data folder for *tree*: its curated inputs (actors, claims, dictionaries, topics: every folder of
    ``data/`` except what the project writes there) copied, nothing cached."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    written = {"raw", "interim", "processed", "cache", "models"}
    for sub in sorted(p for p in (tree / "data").iterdir() if p.is_dir() and p.name not in written):
        shutil.copytree(sub, data_dir / sub.name)
    if models is not None and models.is_dir():
        (data_dir / "models").symlink_to(models.resolve(), target_is_directory=True)


def compare(args) -> int:
    """Every tree, cold (empty data folder: no ingest, no store, no caches) then rerun, side by side."""
    trees = []
    for item in args.trees.split(","):
        label, _, path = item.partition("=")
        trees.append((label, Path(path or ".").resolve()))
    work = Path(args.work)
    runs = [r for r in args.runs.split(",") if r]
    results: dict = {"corpus": args.corpus or "saudinewsnet (default)", "trees": {}, "runs": runs,
                     "notebooks": args.notebooks, "sample": args.sample, "cpu_count": os.cpu_count(),
                     "python": platform.python_version(), "nice": os.nice(0), "measurements": []}
    for label, tree in trees:
        head = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
                                    capture_output=True, text=True).stdout.strip())
        results["trees"][label] = {"path": str(tree), "commit": head + ("+changes" if dirty else "")}
    for run in runs:  # interleaved: the trees see about the same machine load
        for label, tree in trees:
            data_dir = work / label / "data"
            if run == "cold":
                _fresh_data_dir(tree, data_dir, Path(args.models) if args.models else None)
            out = work / label / f"out_{run}"
            shutil.rmtree(out, ignore_errors=True)
            env = dict(os.environ, PYTHONPATH=str(tree / "src"), ARABIC_NEWS_DATA_DIR=str(data_dir))
            # a tree outside the project (a `git worktree add /tmp/...`) does not find ../shared/corpora beside it:
            # both trees read the same local mirror of the datasets (nothing is downloaded)
            mirror = ROOT.parent / "shared" / "corpora"
            if "ARABIC_NEWS_MIRROR" not in env and mirror.is_dir():
                env["ARABIC_NEWS_MIRROR"] = str(mirror.resolve())
            env.pop("ARABIC_NEWS_CACHE_DIR", None)
            cmd = [sys.executable, "-m", "arabic_news.cli", "report"]
            if args.corpus:
                cmd.append(str(Path(args.corpus).resolve()) if Path(args.corpus).exists() else args.corpus)
            cmd += ["--out", str(out), "--seed", str(args.seed), "--sample", str(args.sample)]
            if args.notebooks:
                cmd += ["--notebooks", args.notebooks]
            print(f"[{time.strftime('%H:%M:%S')}] {label} {run}: {' '.join(cmd)}", flush=True)
            m = measure(cmd, out=str(out), env=env, cwd=tree, interval=args.interval)
            m.update(tree=label, run=run, commit=results["trees"][label]["commit"])
            results["measurements"].append(m)
            Path(args.results).parent.mkdir(parents=True, exist_ok=True)
            Path(args.results).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
            print(f"    exit {m['exit_code']}, {m['total_seconds_wall']} s, peak process "
                  f"{m['peak_rss_mb']['max_single_process']} MB, load {m['loadavg_before'][0]} -> "
                  f"{m['loadavg_after'][0]}", flush=True)
    print(comparison_table(results))
    return 0 if all(m["exit_code"] == 0 for m in results["measurements"]) else 1


def comparison_table(results: dict) -> str:
    """Markdown: one row per (run, tree) with per-notebook execute seconds, total, peak RSS and load."""
    ms = results["measurements"]
    names = sorted({nb["name"] for m in ms for nb in m["notebooks"]})
    head = ["run", "tree", "commit", "corpus s"] + [n.split("-")[0] for n in names] + \
        ["total wall s", "peak process MB", "load 1-min before/after"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in ms:
        secs = {nb["name"]: nb.get("seconds_execute") for nb in m["notebooks"]}
        corpus = next((st["seconds"] for st in m["stages"] if st["stage"] == "corpus"), None)
        row = [m["run"], m["tree"], m["commit"], f"{corpus:.1f}" if corpus is not None else "-"]
        row += [f"{secs[n]:.1f}" if secs.get(n) is not None else "-" for n in names]
        row += [f"{m['total_seconds_wall']:.1f}", f"{m['peak_rss_mb']['max_single_process']:.0f}",
                f"{m['loadavg_before'][0]:.1f}/{m['loadavg_after'][0]:.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=None,
                    help="corpus (ingested folder, seed-layout folder or dataset name); default SaudiNewsNet")
    ap.add_argument("--out", default="/tmp/an_bench_main_job", help="report output folder (default %(default)s)")
    ap.add_argument("--notebooks", default=None, help="only these notebook prefixes, e.g. 02,04")
    ap.add_argument("--sample", type=int, default=0, help="articles to analyse (0 = all, the default)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--interval", type=float, default=0.5, help="memory sampling interval in seconds")
    ap.add_argument("--results", default=None,
                    help="JSON results (default benchmarks/results/bench_main_job.json, or "
                         "bench_main_job_compare.json with --trees)")
    ap.add_argument("--trees", default=None,
                    help="compare code trees side by side in one run, e.g. after=.,before=/tmp/before (a "
                         "`git worktree add /tmp/before COMMIT`); each runs with PYTHONPATH=TREE/src and its own "
                         "data folder under --work")
    ap.add_argument("--runs", default="cold,rerun",
                    help="with --trees: cold (empty data folder: ingest, store and caches empty) and/or rerun "
                         "(default %(default)s)")
    ap.add_argument("--work", default="/tmp/an_bench_compare", help="with --trees: data and output folders")
    ap.add_argument("--models", default=None,
                    help="with --trees: a folder of trained models linked as each tree's data/models "
                         "(default: none, models cold)")
    args = ap.parse_args(argv)
    if args.trees:
        args.results = args.results or str(RESULTS / "bench_main_job_compare.json")
        return compare(args)
    args.results = args.results or str(RESULTS / "bench_main_job.json")

    cmd = [str(ROOT / ".venv" / "bin" / "arabic-news"), "report"]
    if args.corpus:
        cmd.append(args.corpus)
    cmd += ["--out", args.out, "--seed", str(args.seed), "--sample", str(args.sample)]
    if args.notebooks:
        cmd += ["--notebooks", args.notebooks]
    m = measure(cmd, out=args.out, interval=args.interval)
    wall = m["total_seconds_wall"]
    result = dict(m, targets={
        "total_seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_RSS_MB,
        "total_met": wall < TARGET_SECONDS,
        "rss_met": m["peak_rss_mb"]["max_single_process"] < TARGET_RSS_MB,
    }, cpu_count=os.cpu_count(), python=platform.python_version(),
        finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    Path(args.results).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    print(f"{'stage':<10} {'notebook':<22} {'seconds':>9}")
    for st in result["stages"]:
        print(f"{st['stage']:<10} {st.get('notebook', ''):<22} {st['seconds']:>9.1f}")
    pk = result["peak_rss_mb"]
    print(f"total wall {wall:.1f} s (target < {TARGET_SECONDS} s); peak RSS main {pk['main_process']} MB, "
          f"largest kernel {pk['largest_kernel']} MB, tree sum {pk['tree_sum_rss']} MB "
          f"(PSS {pk['tree_sum_pss']} MB; target < {TARGET_RSS_MB} MB); load {m['loadavg_before'][0]:.1f} -> "
          f"{m['loadavg_after'][0]:.1f}")
    for k, v in pk["by_notebook"].items():
        print(f"  {k}: tree {v['peak_tree_rss']} MB, kernel {v['peak_kernel_rss']} MB")
    print(json.dumps({"results": args.results, "total_seconds": wall,
                      "peak_tree_rss_mb": pk["tree_sum_rss"], "exit_code": m["exit_code"]}))
    return 0 if m["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
