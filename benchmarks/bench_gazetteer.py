"""Benchmark and audit of the actor gazetteer (data/actors/*.yaml).

Usage::

    .venv/bin/python benchmarks/bench_gazetteer.py [--top 3000] [--max-articles 0]

Reports

* counts per type, surface forms, alias-index keys, short names, ambiguous keys;
* load time without the cache (YAML parse + index build) and with it (the JSON cache in ``config.CACHE_DIR``);
* a *generic-word audit*: every one-word surface form in the alias index is looked up in the token counts of
  SaudiNewsNet (``arabic_news.corpus.dataset_path('saudinewsnet')``, normalised with ``normalize_text``). Forms that
  are among the ``--top`` most frequent tokens of the corpus are listed for review: a real name ranks high only
  because the actor is frequent (السعودية، داعش), an ordinary word because it is an ordinary word (الخبر 'the
  news', المتوسط 'average'). Such words belong in ``short_names``, not ``aliases``.

Results go to ``benchmarks/results/bench_gazetteer.json``.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
_WORD = re.compile(r"[\u0621-\u063A\u0641-\u064A]+")


def saudinewsnet_texts(max_articles: int = 0):
    """Title + content of every SaudiNewsNet article (the raw zip files of the dataset folder)."""
    from arabic_news.corpus import dataset_path

    root = Path(dataset_path("saudinewsnet"))
    folder = root / "dataset" if (root / "dataset").is_dir() else root
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        raise SystemExit(f"{folder}: no SaudiNewsNet *.zip files found")
    n = 0
    for path in zips:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if not name.endswith(".json"):
                    continue
                for article in json.loads(zf.read(name).decode("utf-8")):
                    yield (article.get("title") or "") + " " + (article.get("content") or "")
                    n += 1
                    if max_articles and n >= max_articles:
                        return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=3000, help="flag forms among the N most frequent corpus tokens")
    parser.add_argument("--max-articles", type=int, default=0, help="read at most N articles (0 = all)")
    args = parser.parse_args(argv)

    from arabic_news import config
    from arabic_news.actors.gazetteer import load_gazetteer
    from arabic_news.text import normalize_text

    with tempfile.TemporaryDirectory() as tmp:
        saved, config.CACHE_DIR = config.CACHE_DIR, Path(tmp)
        try:
            t0 = time.perf_counter()
            gaz = load_gazetteer()
            cold = time.perf_counter() - t0
            t0 = time.perf_counter()
            load_gazetteer()
            warm = time.perf_counter() - t0
        finally:
            config.CACHE_DIR = saved
    t0 = time.perf_counter()
    problems = gaz.validate()
    validate_s = time.perf_counter() - t0
    index = gaz.alias_index()
    summary = {
        "actors": len(gaz),
        "by_type": gaz.counts(),
        "surface_forms": len(gaz.surface_forms()),
        "alias_index_keys": len(index),
        "ambiguous_keys": sum(1 for ids in index.values() if len(ids) > 1),
        "short_name_keys": len(gaz.short_name_index()),
        "people_with_affiliations": sum(1 for a in gaz.by_type("person") if a.affiliations),
        "affiliations": sum(len(a.affiliations) for a in gaz),
        "validation_problems": len(problems),
        "load_seconds_uncached": round(cold, 3),
        "load_seconds_cached": round(warm, 3),
        "validate_seconds": round(validate_s, 3),
    }

    counts: collections.Counter[str] = collections.Counter()
    n_articles = 0
    t0 = time.perf_counter()
    for text in saudinewsnet_texts(args.max_articles):
        counts.update(_WORD.findall(normalize_text(text)))
        n_articles += 1
    rank = {word: i for i, (word, _) in enumerate(counts.most_common())}
    flagged = sorted(
        ({"form": key, "rank": rank[key], "count": counts[key], "actors": ids}
         for key, ids in index.items() if " " not in key and rank.get(key, args.top) < args.top),
        key=lambda row: row["rank"])
    audit = {
        "corpus": "saudinewsnet", "articles": n_articles, "tokens": sum(counts.values()),
        "seconds": round(time.perf_counter() - t0, 1), "top": args.top,
        "one_word_forms": sum(1 for key in index if " " not in key),
        "flagged": flagged,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "bench_gazetteer.json"
    out.write_text(json.dumps({"summary": summary, "audit": audit}, ensure_ascii=False, indent=1), encoding="utf-8")

    for key, value in summary.items():
        print(f"{key:28s} {value}")
    print(f"\nSaudiNewsNet: {n_articles} articles, {audit['tokens']} tokens; "
          f"{len(flagged)} of {audit['one_word_forms']} one-word forms are among the {args.top} most frequent tokens:")
    for row in flagged:
        print(f"  {row['rank']:5d} {row['count']:7d} {row['form']:20s} {', '.join(row['actors'][:3])}")
    print(f"\nwritten {out}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
