"""Run the benchmarks one after another (``make bench``), each in its own process at low priority.

Each benchmark writes its own results under ``benchmarks/results/`` (see ``benchmarks/README.md``); this script
only runs them in order, keeps going when one fails, and ends with a one-line status per benchmark (exit 1 if
any failed). Expect a few hours on a 2-core machine: ``--only`` runs a subset, e.g.
``.venv/bin/python benchmarks/run_all.py --only topics stance``.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name -> script (in the order they run); every script's defaults are its full benchmark
BENCHMARKS = {
    "ingest": "bench_ingest_text.py",
    "explore": "bench_explore.py",
    "actors": "bench_actors.py",
    "ner": "bench_ner.py",
    "topics": "bench_topics.py",
    "stance": "bench_stance.py",
    "scale": "bench_scale.py",
    "main_job": "bench_main_job.py",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks")
    args = parser.parse_args(argv)
    names = [n for n in BENCHMARKS if not args.only or n in args.only]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    status = {}
    for name in names:
        cmd = ["nice", "-n", "10", sys.executable, str(HERE / BENCHMARKS[name])]
        sys.stderr.write(f"[bench] {name}: {' '.join(cmd)}\n")
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, env=env, cwd=HERE.parent)
        status[name] = (rc, time.perf_counter() - t0)
    for name, (rc, seconds) in status.items():
        sys.stderr.write(f"[bench] {name:<9} {'ok' if rc == 0 else f'FAILED (exit {rc})':<16} {seconds:8.0f} s\n")
    return 0 if all(rc == 0 for rc, _ in status.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
