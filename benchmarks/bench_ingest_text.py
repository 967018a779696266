"""Benchmark: ingest + normalise + tokenise ALL of SaudiNewsNet (31,030 articles), against a naive camel-tools loop.

Three timed phases, in one run, on the same machine state:

1. ``naive``: one process reads the 18 day archives (zip -> JSON) and, article by article, runs camel-tools'
   ``normalize_unicode``, ``dediac_ar``, tatweel removal, ``normalize_alef_ar``, ``normalize_alef_maksura_ar``,
   ``normalize_teh_marbuta_ar`` and ``simple_word_tokenize`` on the title and on the body.
2. ``text``: the same work with ``arabic_news.text.normalize_tokens`` in ``--jobs`` worker processes (one
   archive per task, largest first). Every article's title and body tokens are compared with phase 1
   (a 64-bit BLAKE2 digest of the token list per text, computed outside the naive timer); any difference fails.
3. ``ingest``: the project's full ingest, ``arabic_news.corpus.ingest.ingest(..., format='saudinewsnet',
   n_jobs=--jobs)``: decoding, cleaning, language check, normalise + tokenise, exact and near-duplicate
   detection and the parquet/CSV writing. Afterwards (untimed) every loaded article's ``n_tokens`` is checked
   against camel-tools' reference pipeline run on the stored body.

CPU time (user + system, this process and its reaped worker processes, ``resource.getrusage``) is reported per
phase as articles per CPU-second: it depends much less than wall-clock throughput on what else runs on the machine
(though cache and memory-bandwidth contention still move it by some 20%).

Peak memory: a sampler thread sums the RSS and the PSS of this process and all its children (psutil) every 50 ms
during each phase (RSS counts the pages that forked workers share once per process; PSS splits them);
``resource.getrusage`` maxima (self, largest child) are reported too. The machine is shared, so the
1-minute load average is recorded before and after each phase.

Run: ``nice -n 10 .venv/bin/python benchmarks/bench_ingest_text.py`` (``--help`` for options). Writes
``benchmarks/results/bench_ingest_text-<UTC time>.json`` and ``benchmarks/results/bench_ingest_text.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import platform
import re
import resource
import sys
import tempfile
import threading
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import psutil

from arabic_news.corpus import dataset_path
from arabic_news.text import normalize_tokens

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_TATWEEL_RE = re.compile("\u0640+")


# ------------------------------------------------------------------------------------------------ helpers
class PeakRSS:
    """Sample the memory of this process and its children while active.

    ``peak`` sums RSS (pages shared by forked workers are counted once per process, an overestimate);
    ``peak_pss`` sums PSS (shared pages split between the processes that share them; Linux only).
    """

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _sample() -> tuple[int, int]:
        me = psutil.Process()
        rss = pss = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        return rss, pss

    def _update(self) -> None:
        try:
            rss, pss = self._sample()
        except psutil.Error:
            return
        self.peak = max(self.peak, rss)
        self.peak_pss = max(self.peak_pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._update()
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._update()


def digest(tokens: list[str]) -> bytes:
    return hashlib.blake2b("\x00".join(tokens).encode("utf-8"), digest_size=8).digest()


def read_archive(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as zf:
        records = []
        for name in zf.namelist():
            if name.endswith(".json"):
                records.extend(json.loads(zf.read(name)))
        return records


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def camel_pipeline():
    """The naive reference: camel-tools' functions, one call each, per text."""
    from camel_tools.tokenizers.word import simple_word_tokenize
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    def run(text: str) -> list[str]:
        text = normalize_unicode(text)
        text = dediac_ar(text)
        text = _TATWEEL_RE.sub("", text)
        text = normalize_alef_ar(text)
        text = normalize_alef_maksura_ar(text)
        text = normalize_teh_marbuta_ar(text)
        return simple_word_tokenize(text)

    return run


def _load1() -> float:
    return round(os.getloadavg()[0], 2)


def _cpu() -> float:
    """CPU seconds (user + system) used so far by this process and its reaped children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        total += ru.ru_utime + ru.ru_stime
    return total


def _cpu_fields(cpu_seconds: float, n_articles: int) -> dict:
    return {"cpu_seconds": cpu_seconds, "articles_per_cpu_second": n_articles / cpu_seconds if cpu_seconds else None}


# ------------------------------------------------------------------------------------------------ phases
def phase_naive(archives: list[Path]) -> dict:
    run = camel_pipeline()
    digests: dict[str, list[tuple[bytes, bytes]]] = {}
    n_articles = n_tokens = 0
    timed = 0.0
    load0 = _load1()
    cpu = 0.0
    with PeakRSS() as rss:
        for path in archives:
            c0 = _cpu()
            t0 = time.perf_counter()
            records = read_archive(path)
            out = []
            for rec in records:
                title_toks = run(_text(rec.get("title")))
                body_toks = run(_text(rec.get("content")))
                out.append((title_toks, body_toks))
            timed += time.perf_counter() - t0
            cpu += _cpu() - c0
            digests[path.name] = [(digest(a), digest(b)) for a, b in out]  # not timed
            n_articles += len(out)
            n_tokens += sum(len(a) + len(b) for a, b in out)
    return {"seconds": timed, "articles": n_articles, "tokens": n_tokens, "peak_rss_mb": rss.peak / 2**20,
            "peak_pss_mb": rss.peak_pss / 2**20,
            "articles_per_second": n_articles / timed, "load1_before": load0, "load1_after": _load1(),
            **_cpu_fields(cpu, n_articles), "_digests": digests}


def _fast_archive(path: str) -> tuple[str, list[tuple[bytes, bytes]], int]:
    records = read_archive(Path(path))
    out = []
    n_tokens = 0
    for rec in records:
        title_toks = normalize_tokens(_text(rec.get("title")))
        body_toks = normalize_tokens(_text(rec.get("content")))
        n_tokens += len(title_toks) + len(body_toks)
        out.append((digest(title_toks), digest(body_toks)))
    return Path(path).name, out, n_tokens


def phase_text(archives: list[Path], jobs: int) -> dict:
    order = sorted(archives, key=lambda p: p.stat().st_size, reverse=True)  # largest first: better balance
    digests = {}
    n_tokens = 0
    load0 = _load1()
    with PeakRSS() as rss:
        c0 = _cpu()
        t0 = time.perf_counter()
        if jobs > 1:
            with mp.get_context("fork").Pool(jobs) as pool:
                results = list(pool.imap_unordered(_fast_archive, [str(p) for p in order]))
        else:
            results = [_fast_archive(str(p)) for p in order]
        seconds = time.perf_counter() - t0
        cpu = _cpu() - c0
    for name, out, n in results:
        digests[name] = out
        n_tokens += n
    n_articles = sum(len(v) for v in digests.values())
    return {"seconds": seconds, "articles": n_articles, "tokens": n_tokens, "jobs": jobs,
            "peak_rss_mb": rss.peak / 2**20, "peak_pss_mb": rss.peak_pss / 2**20,
            "articles_per_second": n_articles / seconds,
            "load1_before": load0, "load1_after": _load1(), **_cpu_fields(cpu, n_articles), "_digests": digests}


def phase_ingest(source: Path, jobs: int) -> dict:
    from arabic_news.corpus.ingest import ingest

    load0 = _load1()
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        with PeakRSS() as rss:
            c0 = _cpu()
            t0 = time.perf_counter()
            summary = ingest(source, tmp, format="saudinewsnet", n_jobs=jobs, progress=False)
            seconds = time.perf_counter() - t0
            cpu = _cpu() - c0
        load1 = _load1()
        # untimed check: the stored token counts are those of camel-tools' reference pipeline on the stored body
        import pandas as pd

        df = pd.read_parquet(Path(tmp) / "articles.parquet", columns=["body", "n_tokens"])
        run = camel_pipeline()
        mismatches = sum(1 for body, n in zip(df["body"], df["n_tokens"]) if len(run(body)) != n)
        checked = len(df)
    s = summary.to_dict()
    return {"seconds": seconds, "inputs": summary.n_inputs, "loaded": summary.n_loaded,
            "duplicates": summary.n_duplicate, "rejected": summary.n_rejected, "ignored": summary.n_ignored,
            "near_duplicates": s.get("n_near_duplicate"), "tokens": summary.n_tokens, "jobs": jobs,
            "articles_per_second": summary.n_inputs / seconds, "peak_rss_mb": rss.peak / 2**20,
            "peak_pss_mb": rss.peak_pss / 2**20,
            "load1_before": load0, "load1_after": load1, **_cpu_fields(cpu, summary.n_inputs),
            "n_tokens_checked_against_camel": checked, "n_tokens_mismatches": mismatches}


# ------------------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the fast phases (default 2)")
    ap.add_argument("--skip-ingest", action="store_true", help="only the naive and text phases")
    ap.add_argument("--limit", type=int, default=0, help="only the first N archives (smoke test)")
    args = ap.parse_args(argv)

    root = dataset_path("saudinewsnet")
    archives = sorted((root / "dataset").glob("*.zip"))
    if not archives:
        print(f"bench_ingest_text: error: no SaudiNewsNet archives in {root / 'dataset'}; "
              "run `arabic-news data fetch saudinewsnet`", file=sys.stderr)
        return 2
    if args.limit:
        archives = archives[: args.limit]

    naive = phase_naive(archives)
    text = phase_text(archives, args.jobs)
    # identical tokens, article by article (title and body)
    assert naive["_digests"].keys() == text["_digests"].keys()
    n_texts = 0
    differing = []
    for name, ref in naive["_digests"].items():
        got = text["_digests"][name]
        assert len(ref) == len(got), name
        for i, (r, g) in enumerate(zip(ref, got)):
            n_texts += 2
            if r != g:
                differing.append(f"{name}#{i}")
    identical = not differing and naive["tokens"] == text["tokens"]
    del naive["_digests"], text["_digests"]

    result = {
        "benchmark": "bench_ingest_text",
        "when_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "benchmarks/bench_ingest_text.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "data": {"dataset": "saudinewsnet", "path": str(root), "archives": len(archives)},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "usable_cpus": len(os.sched_getaffinity(0)), "platform": platform.platform()},
        "naive_camel_loop": naive,
        "text_pipeline": text,
        "identical_tokens": identical,
        "texts_compared": n_texts,
        "texts_differing": differing[:20],
        "speedup_text_vs_naive": text["articles_per_second"] / naive["articles_per_second"],
    }
    if not args.skip_ingest:
        with tempfile.TemporaryDirectory(prefix="bench_src_") as src:
            if args.limit:  # ingest exactly the archives the other phases read
                for p in archives:
                    os.symlink(p, Path(src) / p.name)
            ing = phase_ingest(Path(src) if args.limit else root / "dataset", args.jobs)
        result["ingest"] = ing
        result["speedup_ingest_vs_naive"] = ing["articles_per_second"] / naive["articles_per_second"]
    ru_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ru_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["getrusage_maxrss_mb"] = {"self": ru_self, "largest_child": ru_children}
    result["targets"] = {
        "articles_per_second_min": 2000, "speedup_min": 3.0,
        "text_meets": text["articles_per_second"] >= 2000 and result["speedup_text_vs_naive"] >= 3.0,
    }
    if "ingest" in result:
        result["targets"]["ingest_meets"] = (result["ingest"]["articles_per_second"] >= 2000
                                             and result["speedup_ingest_vs_naive"] >= 3.0)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = result["when_utc"].replace(":", "").replace("-", "")
    for path in (RESULTS_DIR / f"bench_ingest_text-{stamp}.json", RESULTS_DIR / "bench_ingest_text.json"):
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def line(name, d):
        return (f"{name:<18} {d['articles_per_second']:>7.0f} articles/s  {d['seconds']:>6.2f} s  "
                f"{d['articles_per_cpu_second']:>6.0f} articles/CPU-s  peak RSS {d['peak_rss_mb']:>5.0f} MB "
                f"(PSS {d['peak_pss_mb']:>5.0f} MB)  "
                f"load {d['load1_before']}->{d['load1_after']}")

    print(line("naive camel loop", naive))
    print(line(f"text x{args.jobs}", text) + f"  ({result['speedup_text_vs_naive']:.1f}x naive)")
    if "ingest" in result:
        print(line(f"full ingest x{args.jobs}", result["ingest"])
              + f"  ({result['speedup_ingest_vs_naive']:.1f}x naive)")
        print(f"ingest: {result['ingest']['inputs']} inputs, {result['ingest']['loaded']} loaded, "
              f"{result['ingest']['duplicates']} duplicates, {result['ingest']['rejected']} rejected; "
              f"n_tokens mismatches vs camel: {result['ingest']['n_tokens_mismatches']}")
    print(f"identical tokens: {identical} ({n_texts} texts compared)")
    print(json.dumps({k: result[k] for k in ("identical_tokens", "speedup_text_vs_naive", "targets")}))
    ok = identical and (("ingest" not in result) or result["ingest"]["n_tokens_mismatches"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
