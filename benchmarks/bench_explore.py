"""Benchmark: the exploration toolkit on all of SaudiNewsNet, beside the plain regex approach and the CLI.

Usage::

    nice -n 10 .venv/bin/python benchmarks/bench_explore.py                 # the default corpus, 2 workers
    nice -n 10 .venv/bin/python benchmarks/bench_explore.py --corpus data/interim/saudinewsnet --jobs 2
    nice -n 10 .venv/bin/python benchmarks/bench_explore.py --no-build      # reuse the cached index

Without ``--corpus`` the default corpus of the main job is used (``arabic_news.reports.resolve_corpus(None)``:
SaudiNewsNet ingested into ``data/interim/saudinewsnet``, about 10 s the first time). Phases, in one run:

1. ``index build``: :func:`arabic_news.explore.build_index` with ``force=True`` (tokenise with spans, stems,
   clitic forms, write parquet), wall-clock and CPU seconds (this process + its workers);
2. ``in-process``: open the index, then each query twice (``first`` includes loading the columns it needs,
   ``repeat`` is the steady state): ``kwic`` (clitics, exact, stem, glob, phrase, actor), ``trend`` (by week and
   outlet), ``keyness`` (one outlet against the rest), ``collocations`` and ``phrases``, ``dictionary``;
3. ``plain``: the approach without an index, on the same machine in the same run: the article texts are
   normalised once (timed apart, ``normalise texts``) and each query is a regex over every normalised text with
   the same clitic rules (a proclitic chain from ``arabic_news.text.clitics.PROCLITICS`` then the word with its
   article removed, between token boundaries), collecting the concordance lines, the trend counts per week and
   outlet, or the keyness counts (a Counter per sub-corpus of ``normalize_tokens`` with the clitic-stripping
   of the index); the hit counts are compared with the index's;
4. ``cli``: the whole ``arabic-news explore ...`` command in a child process (import, open the cached index,
   compute, print), wall-clock seconds.

The 1-minute load average is recorded before and after: the machine (2 cores) is shared with other jobs, so
wall-clock figures are pessimistic; CPU seconds are the steadier measure. Results:
``benchmarks/results/bench_explore.json`` and a Markdown table on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

KWIC_QUERIES = [("العراق", "clitics"), ("وزير", "clitics"), ("وزير", "exact"), ("وزير", "stem"),
                ("عراق*", "clitics"), ("حلف شمال الأطلسي", "clitics"), ("actor:Q796", "clitics")]


def cpu_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(func, *args, **kwargs):
    w0, c0 = time.perf_counter(), cpu_seconds()
    out = func(*args, **kwargs)
    return out, round(time.perf_counter() - w0, 3), round(cpu_seconds() - c0, 3)


def load1() -> float:
    return round(os.getloadavg()[0], 2)


# ------------------------------------------------------------------------------------------------ plain approach
def clitic_regex(word: str) -> re.Pattern:
    """The clitic rule of the index as one regex over normalised text: a proclitic chain, then the word with its
    article removed, as a whole token (no letter, digit or mark glued on either side)."""
    from arabic_news.explore.query import _strip_article
    from arabic_news.text.clitics import PROCLITICS
    from arabic_news.text.normalize import normalize_text

    target = _strip_article(normalize_text(word))
    procs = "|".join(re.escape(p) for p in PROCLITICS)
    return re.compile(rf"(?<![\w\u0610-\u061a\u064b-\u065f])(?:{procs})?{re.escape(target)}(?![\w\u0610-\u061a\u064b-\u065f])")


def plain_kwic(texts: list[str], meta: list[tuple], word: str, window_chars: int = 60) -> list[tuple]:
    rx = clitic_regex(word)
    rows = []
    for (doc_id, source, date), text in zip(meta, texts):
        for m in rx.finditer(text):
            rows.append((doc_id, source, date, text[max(0, m.start() - window_chars):m.start()], m.group(),
                         text[m.end():m.end() + window_chars]))
    return rows


def plain_trend(texts: list[str], meta: list[tuple], word: str) -> dict:
    import pandas as pd

    rx = clitic_regex(word)
    counts: Counter = Counter()
    for (doc_id, source, date), text in zip(meta, texts):
        n = len(rx.findall(text))
        if n and date is not None and not pd.isna(date):
            counts[(pd.Timestamp(date).to_period("W").start_time, source)] += n
    return counts


def plain_keyness_counts(texts: list[str], sources: list[str], target: str) -> tuple[Counter, Counter]:
    from arabic_news.text.clitics import is_arabic_word, strip_clitics
    from arabic_news.text.tokenize import tokenize_fast

    tgt, ref = Counter(), Counter()
    for text, source in zip(texts, sources):
        toks = [t for t in tokenize_fast(text) if any(c.isalpha() for c in t)]
        out = tgt if source == target else ref
        out.update(strip_clitics(t)[1] if is_arabic_word(t) else t for t in toks)
    return tgt, ref


# ------------------------------------------------------------------------------------------------ main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="ingested corpus folder (default: SaudiNewsNet)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the index build (default 2)")
    parser.add_argument("--no-build", action="store_true", help="reuse the cached index instead of rebuilding it")
    parser.add_argument("--target", default="sabq", help="outlet for the keyness phase (default sabq)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "src"))
    from arabic_news import explore as ex
    from arabic_news.reports import file_sha256, resolve_corpus

    corpus = args.corpus or resolve_corpus(None)
    result: dict = {"corpus": str(corpus), "checksum": file_sha256(Path(corpus) / "articles.parquet"),
                    "python": platform.python_version(), "cpus": len(os.sched_getaffinity(0)),
                    "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load1_before": load1()}
    rows: list[tuple] = []

    # 1. index build
    if not args.no_build:
        path, wall, cpu = timed(ex.build_index, corpus, n_jobs=args.jobs, force=True)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        result["build"] = {"wall": wall, "cpu": cpu, "load1_after": load1(), **meta}
        rows.append(("index build (2 workers)", wall, cpu, "", "", "", ""))
    index, wall, cpu = timed(ex.open_index, corpus)
    result["open"] = {"wall": wall}
    result["index"] = {k: index.meta.get(k) for k in ("n_docs", "n_tokens", "n_words", "n_terms", "n_types")}
    rows.append(("open index (meta only; columns load on first use)", wall, cpu, "", "", "", ""))

    # 2. in-process
    inproc: dict = {}

    def run(label, func, *a, **kw):
        out, w1, c1 = timed(func, *a, **kw)
        _, w2, c2 = timed(func, *a, **kw)
        inproc[label] = {"first": w1, "cpu_first": c1, "repeat": w2, "cpu_repeat": c2, "rows": int(len(out)),
                         "summary": out.attrs.get("summary", {})}
        return out, w1, (w2, c2)

    ex.kwic(index, "actor:Q796")  # extract (or load) the actor mentions once: not part of a query's time
    for q, m in KWIC_QUERIES:
        out, w1, w2 = run(f"kwic {q} ({m})", ex.kwic, index, q, match=m)
        rows.append((f"kwic `{q}` ({m}), {len(out):,} hits", w1, "", *w2, "", ""))
    out, w1, w2 = run("kwic sorted R1 + sample 50", ex.kwic, index, "العراق", sort="R1", sample=50)
    rows.append(("kwic `العراق`, sample 50, sorted R1", w1, "", *w2, "", ""))
    out, w1, w2 = run("trend week x outlet", ex.trend, index, "العراق", by="week", group="source")
    rows.append(("trend `العراق` by week and outlet", w1, "", *w2, "", ""))
    out, w1, w2 = run("keyness", ex.keyness, index, by="source", target=args.target)
    rows.append((f"keyness {args.target} vs rest ({out.attrs['summary']['terms_tested']:,} terms)", w1, "", *w2, "",
                 ""))
    out, w1, w2 = run("collocations", ex.collocations, index, "العراق")
    rows.append(("collocations `العراق` (window 5)", w1, "", *w2, "", ""))
    out, w1, w2 = run("phrases", ex.phrases, index)
    rows.append(("phrases (two-word expressions)", w1, "", *w2, "", ""))
    out, w1, w2 = run("dictionary", ex.dictionary_counts, index)
    rows.append(("dictionary (example, 4 categories, 32 patterns)", w1, "", *w2, "", ""))
    result["in_process"] = inproc

    # 3. plain approach
    import pandas as pd
    import pyarrow.parquet as pq

    from arabic_news.explore.index import article_text
    from arabic_news.text.normalize import normalize_text

    table = pq.read_table(Path(corpus) / "articles.parquet", columns=["doc_id", "title", "body", "source", "date"])
    frame = table.to_pandas()
    raw = [article_text(t, b) for t, b in zip(frame["title"].tolist(), frame["body"].tolist())]
    texts, wall, cpu = timed(lambda: [normalize_text(t) for t in raw])
    meta = list(zip(frame["doc_id"].tolist(), frame["source"].tolist(), frame["date"].tolist()))
    plain: dict = {"normalise_texts": wall}
    rows.append(("plain: normalise every text (once)", wall, cpu, "", "", "", ""))
    for q in ("العراق", "وزير"):
        hits, w, c = timed(plain_kwic, texts, meta, q)
        idx_w = inproc[f"kwic {q} (clitics)"]["repeat"]
        idx_n = inproc[f"kwic {q} (clitics)"]["rows"]
        plain[f"kwic {q}"] = {"wall": w, "hits": len(hits), "index_hits": idx_n, "index_wall": idx_w}
        rows.append((f"plain regex kwic `{q}`: {len(hits):,} hits (index {idx_n:,})", "", "", idx_w, "", w,
                     f"{w / idx_w:.0f}x" if idx_w else ""))
    counts, w, c = timed(plain_trend, texts, meta, "العراق")
    idx_w = inproc["trend week x outlet"]["repeat"]
    plain["trend"] = {"wall": w, "hits": int(sum(counts.values())), "index_wall": idx_w}
    rows.append(("plain regex trend `العراق` week x outlet", "", "", idx_w, "", w,
                 f"{w / idx_w:.0f}x" if idx_w else ""))
    (tgt, ref), w, c = timed(plain_keyness_counts, texts, frame["source"].tolist(), args.target)
    idx_w = inproc["keyness"]["repeat"]
    plain["keyness_counts"] = {"wall": w, "target_tokens": int(sum(tgt.values())),
                               "reference_tokens": int(sum(ref.values())), "index_wall": idx_w}
    rows.append(("plain Counter keyness counts (tokenise every text)", "", "", idx_w, "", w,
                 f"{w / idx_w:.0f}x" if idx_w else ""))
    result["plain"] = plain

    # 4. CLI, whole process
    cli: dict = {}
    exe = str(Path(sys.executable).with_name("arabic-news"))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for label, argv_ in [("kwic", ["kwic", str(corpus), "العراق", "--top", "0", "--json"]),
                         ("trend", ["trend", str(corpus), "العراق", "--group", "source", "--top", "0", "--json"]),
                         ("keyness", ["keyness", str(corpus), "--target", args.target, "--top", "0", "--json"]),
                         ("collocations", ["collocations", str(corpus), "العراق", "--top", "0", "--json"]),
                         ("dictionary", ["dictionary", str(corpus), "--top", "0", "--json"])]:
        w0, k0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([exe, "explore", *argv_], capture_output=True, text=True, env=env)
        wall = round(time.perf_counter() - w0, 3)
        k1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = round(k1.ru_utime + k1.ru_stime - k0.ru_utime - k0.ru_stime, 3)
        cli[label] = {"wall": wall, "cpu": cpu, "status": proc.returncode,
                      "summary": json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else
                      proc.stderr.strip()}
        rows.append((f"CLI `arabic-news explore {label} ...` (whole process)", wall, cpu, "", "", "", ""))
    result["cli"] = cli
    result["load1_after"] = load1()

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_explore.json").write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str),
                                                encoding="utf-8")
    print(f"Run {result['started_utc']} on {corpus} ({result['index']['n_docs']:,} articles, "
          f"{result['index']['n_tokens']:,} tokens), {result['cpus']} CPUs, load {result['load1_before']} -> "
          f"{result['load1_after']}\n")
    print("| step | wall s (first call) | CPU s | wall s (repeat) | CPU s (repeat) | plain s | plain / index |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
