"""Benchmark: actor extraction over all of SaudiNewsNet (articles/s and peak memory).

Usage::

    .venv/bin/arabic-news ingest ../shared/corpora/saudinewsnet/dataset --out /tmp/an_snn   # once
    .venv/bin/python benchmarks/bench_actors.py --corpus /tmp/an_snn [--jobs 1,2]

Without ``--corpus`` the corpus is ingested first into ``data/interim/saudinewsnet`` (the dataset is found with
``arabic_news.corpus.dataset_path('saudinewsnet')``). For each worker count the script times

* ``match``: :func:`arabic_news.actors.extract.extract_mentions` (tokenise, normalise, Aho-Corasick, resolve)
  over every article; articles/s = articles / wall-clock seconds;
* ``end_to_end`` (largest worker count only): :func:`arabic_news.actors.extract.run_extraction`, i.e. what
  ``arabic-news actors extract`` does: load the parquet, match, write every table (parquet + CSV), build and
  export the co-occurrence network and the sentence dyads;

records the CPU time used (this process and its workers; articles per CPU second is what one fully available
core delivers, independent of other jobs competing for the machine), and samples memory every 0.1 s: the sum of RSS over the process and its worker processes (an upper bound, as
forked workers share pages), the sum of PSS (shared pages split between processes), and the largest RSS of a
single process. The machine's load average is recorded too: other jobs on the machine slow the figures down.
Results go to ``benchmarks/results/bench_actors.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import resource

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


class MemorySampler(threading.Thread):
    """Samples RSS/PSS of this process and its children until stopped."""

    def __init__(self, interval: float = 0.1, pss_every: int = 5):
        super().__init__(daemon=True)
        self.interval = interval
        self.pss_every = pss_every
        self.peak_rss_sum = 0
        self.peak_pss_sum = 0
        self.peak_rss_single = 0
        self.peak_processes = 1
        self._halt = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        i = 0
        while not self._halt.is_set():
            procs = [me] + me.children(recursive=True)
            rss = []
            pss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                    if i % self.pss_every == 0:
                        pss.append(p.memory_full_info().pss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            if rss:
                self.peak_rss_sum = max(self.peak_rss_sum, sum(rss))
                self.peak_rss_single = max(self.peak_rss_single, max(rss))
                self.peak_processes = max(self.peak_processes, len(rss))
            if pss:
                self.peak_pss_sum = max(self.peak_pss_sum, sum(pss))
            i += 1
            self._halt.wait(self.interval)

    def stop(self) -> dict:
        self._halt.set()
        self.join()
        mib = 1024 * 1024
        return {"peak_rss_sum_mib": round(self.peak_rss_sum / mib, 1),
                "peak_pss_sum_mib": round(self.peak_pss_sum / mib, 1),
                "peak_rss_single_process_mib": round(self.peak_rss_single / mib, 1),
                "processes": self.peak_processes}


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its terminated (waited-for) children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _ensure_corpus(corpus: Path | None) -> Path:
    from arabic_news import config
    from arabic_news.corpus import dataset_path, ingest

    if corpus is not None:
        if not (corpus / "articles.parquet").is_file():
            sys.exit(f"{corpus}: no articles.parquet; run `arabic-news ingest ... --out {corpus}` first")
        return corpus
    out = config.INTERIM_DIR / "saudinewsnet"
    if not (out / "articles.parquet").is_file():
        source = dataset_path("saudinewsnet") / "dataset"
        print(f"ingesting {source} -> {out}", file=sys.stderr)
        ingest(source, out)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="an ingest output of SaudiNewsNet")
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (smoke runs)")
    parser.add_argument("--out", type=Path, default=RESULTS / "bench_actors.json")
    args = parser.parse_args(argv)

    from arabic_news.actors.extract import extract_mentions, load_for_extraction, run_extraction
    from arabic_news.actors.gazetteer import load_gazetteer
    from arabic_news.actors.matcher import ActorMatcher

    corpus = _ensure_corpus(args.corpus)
    t0 = time.perf_counter()
    articles = load_for_extraction(corpus)  # the columns `actors extract` reads
    if args.limit:
        articles = articles.head(args.limit)
    load_s = time.perf_counter() - t0
    n_chars = int((articles["title"].fillna("").str.len() + articles["body"].fillna("").str.len()).sum())
    t0 = time.perf_counter()
    gaz = load_gazetteer()
    matcher = ActorMatcher(gazetteer=gaz).fit()
    fit_s = time.perf_counter() - t0
    result = {
        "benchmark": "actor extraction (ActorMatcher over title + body)",
        "corpus": str(corpus), "n_articles": int(len(articles)), "n_chars": n_chars,
        "gazetteer_actors": len(gaz), "automaton_keys": int(matcher.n_keys_),
        "seconds_load_articles": round(load_s, 2), "seconds_load_gazetteer_and_fit": round(fit_s, 2),
        "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_average_start": list(os.getloadavg())},
        "runs": [],
    }
    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    for n_jobs in jobs:
        sampler = MemorySampler()
        sampler.start()
        cpu0 = _cpu_seconds()
        t0 = time.perf_counter()
        mentions = extract_mentions(articles, matcher, n_jobs=n_jobs)
        seconds = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0  # includes the sampler thread's (small) share
        memory = sampler.stop()
        run = {"phase": "match", "n_jobs": n_jobs, "seconds": round(seconds, 2),
               "articles_per_second": round(len(articles) / seconds, 1),
               "cpu_seconds": round(cpu, 2), "articles_per_cpu_second": round(len(articles) / cpu, 1),
               "mb_text_per_second": round(n_chars / seconds / 1e6, 2),
               "n_mentions": int(len(mentions)), "n_actors_found": int(mentions["actor_id"].nunique()),
               "n_articles_with_mentions": int(mentions["doc_id"].nunique()),
               "load_average_end": list(os.getloadavg()), **memory}
        result["runs"].append(run)
        print(json.dumps(run), file=sys.stderr)
    if not args.limit:
        n_jobs = max(jobs)
        with tempfile.TemporaryDirectory() as tmp:
            sampler = MemorySampler()
            sampler.start()
            t0 = time.perf_counter()
            summary = run_extraction(corpus, tmp, matcher=matcher, n_jobs=n_jobs)
            seconds = time.perf_counter() - t0
            memory = sampler.stop()
            sizes = {p.name: p.stat().st_size for p in Path(tmp).iterdir()}
        run = {"phase": "end_to_end", "n_jobs": n_jobs, "seconds": round(seconds, 2),
               "articles_per_second": round(summary["n_articles"] / seconds, 1),
               "seconds_match": summary["seconds_match"], "output_bytes": sum(sizes.values()),
               "load_average_end": list(os.getloadavg()), **memory}
        result["runs"].append(run)
        print(json.dumps(run), file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
