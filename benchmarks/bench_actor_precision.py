"""Benchmark: precision of actor extraction on real news, from hand-judged mentions.

Usage::

    .venv/bin/arabic-news ingest ../shared/corpora/saudinewsnet/dataset --out /tmp/an_snn_p   # once
    .venv/bin/python benchmarks/bench_actor_precision.py --corpus /tmp/an_snn_p [--top 30]

``benchmarks/actor_precision_sample.csv`` holds a seeded random sample (``DataFrame.sample(n=300,
random_state=20261201)``) of the mentions the matcher found over an ingest of SaudiNewsNet *before* the per-form
rules of the gazetteer (``form_rules``) existed, each judged by hand in context: ``verdict`` is ``correct`` or
``wrong`` for the reading ``actor_id``; ``actor_id_alt``/``verdict_alt`` judge a second reading of the same span
where one is plausible (the newspaper for «الشرق الأوسط», Amman for عمان ...). A mention counts as correct when
its span denotes the actor, including inside a longer proper name (جامعة تبوك, جنيف 1); it is wrong when the span
denotes something else (a newspaper, a club named by its city, a verb, a lake).

The script prints and writes to ``benchmarks/results/bench_actor_precision.json``:

* ``before``: precision over the sample as judged (overall and per actor type of the judged reading);
* ``after``: the *current* matcher is run on the sampled articles and each sampled position (same doc_id, start,
  end) is looked up: kept with the judged reading -> that verdict; moved to the alternative reading -> its
  verdict; moved to an unjudged reading -> reported as ``unjudged`` (not counted); dropped -> not counted, but
  reported (``dropped_correct`` is the recall the rules cost on this sample, ``dropped_wrong`` the errors they
  removed). Precision after = correct / judged kept. Per type is by the type of the reading kept.
* ``top_forms``: the most frequent matched forms over the whole corpus with the current matcher (``--top``).

Note: the after-figure is on the positions sampled before the fixes; mentions that only the current matcher
finds (e.g. a new alias) are not in the sample, and are counted separately (``new_positions``).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "benchmarks" / "actor_precision_sample.csv"
RESULTS = ROOT / "benchmarks" / "results"


def _precision(verdicts: list[str]) -> dict:
    n = len(verdicts)
    correct = sum(v == "correct" for v in verdicts)
    return {"n": n, "correct": correct, "precision": round(correct / n, 4) if n else None}


def _by_type(rows: list[tuple[str, str]]) -> dict:
    out: dict[str, list[str]] = {}
    for typ, verdict in rows:
        out.setdefault(typ, []).append(verdict)
    return {t: _precision(v) for t, v in sorted(out.items())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="an `arabic-news ingest` output folder of SaudiNewsNet")
    ap.add_argument("--sample", default=str(SAMPLE))
    ap.add_argument("--top", type=int, default=30, help="how many of the most frequent matched forms to list")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)

    from arabic_news.actors.extract import extract_mentions
    from arabic_news.actors.gazetteer import load_gazetteer
    from arabic_news.actors.matcher import ActorMatcher
    from arabic_news.corpus import load_articles

    sample = pd.read_csv(args.sample, dtype={"doc_id": str}, keep_default_na=False)
    bad = sorted(set(sample["verdict"]) - {"correct", "wrong"})
    if bad:
        print(f"{args.sample}: verdicts must be 'correct' or 'wrong', found {bad}", file=sys.stderr)
        return 2
    gaz = load_gazetteer()
    articles = load_articles(args.corpus)
    missing = sorted(set(sample["doc_id"]) - set(articles["doc_id"].astype(str)))
    if missing:
        print(f"{args.corpus}: {len(missing)} sampled doc_ids are not in this ingest (e.g. {missing[:3]}); "
              "ingest SaudiNewsNet with the current `arabic-news ingest`", file=sys.stderr)
        return 2
    matcher = ActorMatcher(gazetteer=gaz).fit()
    mentions = extract_mentions(articles, matcher, n_jobs=args.jobs)

    by_pos = {(d, int(s), int(e)): a for d, s, e, a in
              mentions[["doc_id", "start", "end", "actor_id"]].itertuples(index=False)}
    before_rows, after_rows, outcome, changes = [], [], Counter(), []
    for r in sample.itertuples(index=False):
        before_rows.append((r.type, r.verdict))
        now = by_pos.get((r.doc_id, int(r.start), int(r.end)))
        if now is None:
            outcome["dropped_" + r.verdict] += 1
            changes.append({"surface": r.surface, "before": r.actor_id, "after": None, "verdict": r.verdict})
        elif now == r.actor_id:
            after_rows.append((r.type, r.verdict))
            outcome["kept_" + r.verdict] += 1
        elif r.actor_id_alt and now == r.actor_id_alt:
            after_rows.append((gaz[now].type, r.verdict_alt))
            outcome["moved_" + r.verdict_alt] += 1
            changes.append({"surface": r.surface, "before": r.actor_id, "after": now, "verdict": r.verdict_alt})
        else:
            outcome["unjudged"] += 1
            changes.append({"surface": r.surface, "before": r.actor_id, "after": now, "verdict": None})

    before_all = [v for _, v in before_rows]
    after_all = [v for _, v in after_rows]
    forms = Counter(mentions["form"])
    top = []
    for form, n in forms.most_common(args.top):
        ids = Counter(mentions.loc[mentions["form"] == form, "actor_id"]).most_common(2)
        top.append({"form": form, "mentions": n, "actors": {a: c for a, c in ids},
                    "name_en": gaz[ids[0][0]].name_en})
    result = {
        "sample": str(Path(args.sample).relative_to(ROOT) if Path(args.sample).is_relative_to(ROOT)
                      else args.sample),
        "corpus": args.corpus,
        "n_articles": int(len(articles)),
        "n_mentions_now": int(len(mentions)),
        "before": {"overall": _precision(before_all), "by_type": _by_type(before_rows)},
        "after": {"overall": _precision(after_all), "by_type": _by_type(after_rows)},
        "outcome": dict(sorted(outcome.items())),
        "changes": changes,
        "top_forms": top,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "bench_actor_precision.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    b, a = result["before"]["overall"], result["after"]["overall"]
    print(f"sample: {len(sample)} judged mentions from {args.sample}")
    print(f"before: precision {b['precision']:.3f} ({b['correct']}/{b['n']})")
    print(f"after:  precision {a['precision']:.3f} ({a['correct']}/{a['n']}) on the same positions; "
          f"outcome {dict(sorted(outcome.items()))}")
    for typ in sorted(set(result["before"]["by_type"]) | set(result["after"]["by_type"])):
        pb = result["before"]["by_type"].get(typ, {})
        pa = result["after"]["by_type"].get(typ, {})
        print(f"  {typ:12s} before {pb.get('precision')} (n={pb.get('n', 0)})  "
              f"after {pa.get('precision')} (n={pa.get('n', 0)})")
    print(f"top {args.top} matched forms ({len(mentions):,} mentions in {len(articles):,} articles):")
    for t in top:
        print(f"  {t['mentions']:6d}  {t['form']}  -> {t['name_en']}  {t['actors']}")
    print(json.dumps({"before": b, "after": a, "outcome": result["outcome"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
