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

For each sample the script prints and writes to ``benchmarks/results/bench_actor_precision.json``:

* ``before``: precision over the sample as judged (overall and per actor type of the judged reading);
* ``after``: the *current* matcher is run on the corpus and each sampled position (same doc_id, start, end; else
  the mention now overlapping it, e.g. عكاظ inside a new alias سوق عكاظ) is looked up: kept with the judged
  reading -> that verdict; moved to the alternative reading -> its verdict; moved to an unjudged reading ->
  reported as ``unjudged`` (not counted); dropped -> not counted, but
  reported (``dropped_correct`` is the recall the rules cost on this sample, ``dropped_wrong`` the errors they
  removed). Precision after = correct / judged kept. Per type is by the type of the reading kept.
* ``top_forms``: the most frequent matched forms over the whole corpus with the current matcher (``--top``).

``benchmarks/actor_changes_sample.csv`` (same columns) measures what the fixes cost: a seeded random sample
(``random_state=20261201``, n=120) of the mentions of the pre-rules run whose reading the rules changed or dropped
(5,995 of 358,164 mentions when it was drawn), each judged for its old reading (``verdict``) and its new one
(``actor_id_alt``/``verdict_alt``). Its ``dropped_correct`` count is the share of true mentions the rules lose.

``benchmarks/actor_precision_after_sample.csv`` (same columns) is a fresh seeded sample (``random_state=20261202``,
n=150) of the mentions found *with* the rules, judged the same way: an estimate of current precision that does
not depend on the pre-rules positions (its "before" is the judged precision when drawn, its "after" re-checks
those positions against the current matcher, so it also serves as a regression check).

The after-figures of the first two samples are on positions sampled before the fixes: mentions that only the
current matcher finds are not in them (their only source is the aliases added with the rules: سوق عكاظ, بحيرة
تشاد, عادل بن أحمد الجبير, خالد بن عبدالعزيز الفالح); the third sample covers them.
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
CHANGES = ROOT / "benchmarks" / "actor_changes_sample.csv"
AFTER = ROOT / "benchmarks" / "actor_precision_after_sample.csv"
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


def current_reading(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The actor the current matcher gives the sampled span: the mention with exactly that span, else the
    mention overlapping it (a longer alias now covers it: عكاظ inside سوق عكاظ), else None (dropped)."""
    overlapping = None
    for s, e, actor_id in spans:
        if s == start and e == end:
            return actor_id
        if overlapping is None and s < end and start < e:
            overlapping = actor_id
    return overlapping


def judge(sample: pd.DataFrame, by_doc: dict, gaz) -> dict:
    """Before/after precision of one judged sample against the current matcher's mentions (*by_doc*)."""
    before_rows, after_rows, outcome, changes = [], [], Counter(), []
    for r in sample.itertuples(index=False):
        before_rows.append((r.type, r.verdict))
        now = current_reading(by_doc.get(r.doc_id, []), int(r.start), int(r.end))
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
    return {
        "n": int(len(sample)),
        "before": {"overall": _precision([v for _, v in before_rows]), "by_type": _by_type(before_rows)},
        "after": {"overall": _precision([v for _, v in after_rows]), "by_type": _by_type(after_rows)},
        "outcome": dict(sorted(outcome.items())),
        "changes": changes,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="an `arabic-news ingest` output folder of SaudiNewsNet")
    ap.add_argument("--sample", action="append", default=None,
                    help=f"a judged sample CSV (repeatable; default {SAMPLE.name}, {CHANGES.name}, {AFTER.name})")
    ap.add_argument("--top", type=int, default=30, help="how many of the most frequent matched forms to list")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    args.sample = args.sample or [str(SAMPLE), str(CHANGES), str(AFTER)]

    from arabic_news.actors.extract import extract_mentions
    from arabic_news.actors.gazetteer import load_gazetteer
    from arabic_news.actors.matcher import ActorMatcher
    from arabic_news.corpus import load_articles

    samples = {}
    for path in args.sample:
        sample = pd.read_csv(path, dtype={"doc_id": str}, keep_default_na=False)
        bad = sorted((set(sample["verdict"]) | set(sample["verdict_alt"])) - {"correct", "wrong", ""})
        if bad or (sample["verdict"] == "").any():
            print(f"{path}: verdicts must be 'correct' or 'wrong', found {bad or ['(empty)']}", file=sys.stderr)
            return 2
        samples[path] = sample
    gaz = load_gazetteer()
    articles = load_articles(args.corpus)
    known = set(articles["doc_id"].astype(str))
    for path, sample in samples.items():
        missing = sorted(set(sample["doc_id"]) - known)
        if missing:
            print(f"{args.corpus}: {len(missing)} doc_ids of {path} are not in this ingest (e.g. {missing[:3]}); "
                  "ingest SaudiNewsNet with the current `arabic-news ingest`", file=sys.stderr)
            return 2
    matcher = ActorMatcher(gazetteer=gaz).fit()
    mentions = extract_mentions(articles, matcher, n_jobs=args.jobs)
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for d, s, e, a in mentions[["doc_id", "start", "end", "actor_id"]].itertuples(index=False):
        by_doc.setdefault(d, []).append((int(s), int(e), a))

    result = {"corpus": args.corpus, "n_articles": int(len(articles)), "n_mentions_now": int(len(mentions)),
              "samples": {}}
    for path, sample in samples.items():
        res = judge(sample, by_doc, gaz)
        result["samples"][Path(path).name] = res
        b, a = res["before"]["overall"], res["after"]["overall"]
        print(f"== {path}: {len(sample)} judged mentions")
        print(f"before: precision {b['precision']:.3f} ({b['correct']}/{b['n']})")
        print(f"after:  precision {a['precision']:.3f} ({a['correct']}/{a['n']}) on the same positions; "
              f"outcome {res['outcome']}")
        for typ in sorted(set(res["before"]["by_type"]) | set(res["after"]["by_type"])):
            pb = res["before"]["by_type"].get(typ, {})
            pa = res["after"]["by_type"].get(typ, {})
            print(f"  {typ:12s} before {pb.get('precision')} (n={pb.get('n', 0)})  "
                  f"after {pa.get('precision')} (n={pa.get('n', 0)})")
    forms = Counter(mentions["form"])
    top = []
    for form, n in forms.most_common(args.top):
        ids = Counter(mentions.loc[mentions["form"] == form, "actor_id"]).most_common(2)
        top.append({"form": form, "mentions": n, "actors": {a: c for a, c in ids},
                    "name_en": gaz[ids[0][0]].name_en})
    result["top_forms"] = top
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "bench_actor_precision.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"top {args.top} matched forms ({len(mentions):,} mentions in {len(articles):,} articles):")
    for t in top:
        print(f"  {t['mentions']:6d}  {t['form']}  -> {t['name_en']}  {t['actors']}")
    print(json.dumps({name: {"before": r["before"]["overall"], "after": r["after"]["overall"],
                             "outcome": r["outcome"]} for name, r in result["samples"].items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
