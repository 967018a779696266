"""Draw (and re-load) the hand-judged sample of actor sentences on SaudiNewsNet, judged for tone toward the actor.

Usage::

    nice -n 10 .venv/bin/python benchmarks/draw_tone_sample.py --draw [--corpus DIR]   # writes the CSV, no verdicts
    nice -n 10 .venv/bin/python benchmarks/draw_tone_sample.py --check [--corpus DIR]  # re-slices and verifies

``benchmarks/tone_judged_sample.csv`` stores offsets and verdicts only, never text. Offsets index the string the
actors module matches an article on, :func:`arabic_news.actors.extract.article_text` (``title.strip() + "\\n\\n"
+ body``, just the body when there is no title; ``body`` as stored in ``articles.parquet``, paragraphs joined by
newlines). ``sent_start:sent_end`` is exactly the sentence string :func:`arabic_news.stance.tone.actor_tone`
scores (its default splitter ``_default_sentences``: bounds ``[0] + sentence_breaks(text) + [len(text)]``, the
break characters staying at the end of the sentence they close; the title is sentence 0).

Population: every (article, sentence, actor) triple where the gazetteer matcher (``ActorMatcher(gazetteer=
load_gazetteer())``, :func:`arabic_news.actors.extract.extract_mentions`) finds at least one mention of kind
``name`` (adjectives such as السعودي, short names and back-references are left out: the tone of a sentence that
says "Saudi" is not tone toward Saudi Arabia as an actor). The mention recorded is the first name-kind mention of
that actor in the sentence. Strata: ``lexicon`` (the sentence holds at least one hit of the sentiment lexicon,
``ToneScorer(lexicon=load_lexicon())``: ``pos + neg > 0``) and ``no_lexicon`` (the rest).

Draw (seed :data:`SEED`, ``numpy.random.default_rng``): two stages per stratum, the ``lexicon`` stratum first.
Stage 1 draws :data:`PER_STRATUM` articles uniformly without replacement among the articles holding a triple
of the stratum (for ``no_lexicon``: not already drawn for ``lexicon``, so an article gives at most one sentence);
stage 2 draws one of the article's triples of that stratum uniformly. ``weight`` is the inverse inclusion
probability of the row, ``(articles of the stratum / articles drawn) * (triples of the stratum in that article)``:
the weighted sum over a stratum estimates its number of triples, and weighted shares estimate shares over all
actor sentences (the exclusion of the ``lexicon`` articles from the second stratum is ignored by the weight; it
touches 150 of the stratum's articles).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "benchmarks" / "tone_judged_sample.csv"
SEED = 20261206
PER_STRATUM = 150
STRATA = ("lexicon", "no_lexicon")
VERDICTS = ("positive", "negative", "neutral")
COLUMNS = ["doc_id", "sent_start", "sent_end", "mention_start", "mention_end", "actor_id", "stratum", "weight",
           "verdict", "note"]


def sentence_bounds(text: str) -> list[int]:
    """``[0] + sentence_breaks(text) + [len(text)]``: sentence k of *text* is ``text[b[k]:b[k + 1]]``, the same
    strings as ``stance.tone._default_sentences`` (checked in :func:`population`)."""
    from arabic_news.actors.matcher import sentence_breaks

    return [0] + sentence_breaks(text) + [len(text)]


def _texts(articles: pd.DataFrame) -> dict[str, str]:
    from arabic_news.actors.extract import article_text

    titles = articles["title"].fillna("").tolist() if "title" in articles.columns else [""] * len(articles)
    return {str(d): article_text(t, b) for d, t, b in zip(articles["doc_id"], titles, articles["body"].fillna(""))}


def population(articles: pd.DataFrame, *, n_jobs: int = 2) -> pd.DataFrame:
    """One row per (doc_id, sentence, actor_id) with a name-kind mention: first mention's offsets, sentence
    bounds and the stratum."""
    from arabic_news.actors.extract import extract_mentions
    from arabic_news.actors.gazetteer import load_gazetteer
    from arabic_news.actors.matcher import ActorMatcher
    from arabic_news.stance.tone import ToneScorer, _default_sentences, load_lexicon

    matcher = ActorMatcher(gazetteer=load_gazetteer()).fit()
    mentions = extract_mentions(articles, matcher, n_jobs=n_jobs)
    names = mentions[mentions["kind"] == "name"].sort_values(["doc_id", "start"], kind="stable")
    pairs = names.drop_duplicates(["doc_id", "sentence", "actor_id"]).reset_index(drop=True)
    texts = _texts(articles)
    arts = articles.set_index(articles["doc_id"].astype(str))
    scorer = ToneScorer(lexicon=load_lexicon()).fit()
    sent_start, sent_end, hit = [], [], []
    cache: dict[tuple[str, int], bool] = {}
    bounds_of: dict[str, list[int]] = {}
    for doc_id, k in zip(pairs["doc_id"].astype(str), pairs["sentence"]):
        k = int(k)
        if doc_id not in bounds_of:
            bounds_of[doc_id] = sentence_bounds(texts[doc_id])
            row = arts.loc[doc_id]
            ref = _default_sentences(str(row["title"] or ""), str(row["body"] or ""))
            b = bounds_of[doc_id]
            assert ref == [texts[doc_id][x:y] for x, y in zip(b[:-1], b[1:])], doc_id
        b = bounds_of[doc_id]
        sent_start.append(b[k])
        sent_end.append(b[k + 1])
        if (doc_id, k) not in cache:
            s = scorer.score(texts[doc_id][b[k]:b[k + 1]])
            cache[(doc_id, k)] = s["pos"] + s["neg"] > 0
        hit.append(cache[(doc_id, k)])
    pairs = pairs.assign(doc_id=pairs["doc_id"].astype(str), sent_start=sent_start, sent_end=sent_end,
                         stratum=np.where(hit, "lexicon", "no_lexicon"))
    assert ((pairs["sent_start"] <= pairs["start"]) & (pairs["end"] <= pairs["sent_end"])).all()
    return pairs


def draw(pop: pd.DataFrame, *, seed: int = SEED, per_stratum: int = PER_STRATUM) -> tuple[pd.DataFrame, dict]:
    """The two-stage stratified draw described in the module docstring; returns (sample, stratum sizes)."""
    rng = np.random.default_rng(seed)
    used: set[str] = set()
    rows, sizes = [], {}
    for stratum in STRATA:
        sub = pop[pop["stratum"] == stratum]
        per_doc = sub.groupby("doc_id").size()
        docs = sorted(set(per_doc.index) - used)
        chosen = rng.choice(len(docs), size=per_stratum, replace=False)
        sizes[stratum] = {"triples": int(len(sub)), "articles": int(len(per_doc)),
                          "articles_eligible": len(docs), "drawn": per_stratum}
        for i in sorted(chosen):
            doc = docs[i]
            cand = sub[sub["doc_id"] == doc].sort_values(["sentence", "start"], kind="stable")
            r = cand.iloc[int(rng.integers(len(cand)))]
            used.add(doc)
            rows.append({"doc_id": doc, "sent_start": int(r["sent_start"]), "sent_end": int(r["sent_end"]),
                         "mention_start": int(r["start"]), "mention_end": int(r["end"]), "actor_id": r["actor_id"],
                         "stratum": stratum,
                         "weight": round(len(per_doc) / per_stratum * len(cand), 4),
                         "verdict": "", "note": ""})
    return pd.DataFrame(rows, columns=COLUMNS), sizes


def load_tone_sample(articles: pd.DataFrame, path: str | Path = SAMPLE, *, check_matcher: bool = True,
                     require_verdicts: bool = True) -> pd.DataFrame:
    """The judged sample with ``sentence`` and ``mention`` text re-sliced from *articles* (a ``load_articles``
    frame of SaudiNewsNet holding the sampled doc_ids).

    Asserts that every offset is valid (mention inside its sentence, sentence bounds equal to the sentence
    splitting of ``stance.tone``) and, with *check_matcher*, that the current matcher still finds a name-kind
    mention of ``actor_id`` at exactly ``mention_start:mention_end``. Raises ValueError when a verdict is missing
    or unknown (with *require_verdicts*) or a doc_id is absent.
    """
    sample = pd.read_csv(path, dtype={"doc_id": str, "note": str}, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in sample.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    bad = sorted(set(sample["verdict"]) - set(VERDICTS))
    if require_verdicts and bad:
        raise ValueError(f"{path}: verdicts must be one of {', '.join(VERDICTS)}; found {bad}")
    wanted = set(sample["doc_id"])
    sub = articles[articles["doc_id"].astype(str).isin(wanted)]
    texts = _texts(sub)
    absent = sorted(wanted - set(texts))
    if absent:
        raise ValueError(f"{path}: {len(absent)} doc_ids are not in the articles given (e.g. {absent[:3]})")
    found: dict[str, set] = {}
    if check_matcher:
        from arabic_news.actors.gazetteer import load_gazetteer
        from arabic_news.actors.matcher import ActorMatcher

        matcher = ActorMatcher(gazetteer=load_gazetteer()).fit()
        dates = dict(zip(sub["doc_id"].astype(str), sub["date"])) if "date" in sub.columns else {}
        for doc_id, text in texts.items():
            d = dates.get(doc_id)
            d = None if d is None or pd.isna(d) else pd.Timestamp(d).date()
            found[doc_id] = {(m.start, m.end, m.actor_id) for m in matcher.find(text, d) if m.kind == "name"}
    sentences, mentions = [], []
    for r in sample.itertuples(index=False):
        text = texts[r.doc_id]
        b = sentence_bounds(text)
        assert 0 <= r.sent_start < r.sent_end <= len(text), (r.doc_id, r.sent_start, r.sent_end)
        assert r.sent_start in b and b[b.index(r.sent_start) + 1] == r.sent_end, \
            f"{r.doc_id}: {r.sent_start}:{r.sent_end} is not a sentence of stance.tone's splitting"
        assert r.sent_start <= r.mention_start < r.mention_end <= r.sent_end, (r.doc_id, r.mention_start)
        if check_matcher:
            assert (r.mention_start, r.mention_end, r.actor_id) in found[r.doc_id], \
                f"{r.doc_id}: the matcher no longer finds {r.actor_id} at {r.mention_start}:{r.mention_end}"
        sentences.append(text[r.sent_start:r.sent_end])
        mentions.append(text[r.mention_start:r.mention_end])
    return sample.assign(sentence=sentences, mention=mentions)


def _articles(corpus):
    from arabic_news.corpus import load_articles
    from arabic_news.corpus.loading import resolve_corpus

    return load_articles(resolve_corpus(corpus))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None, help="an ingested SaudiNewsNet folder (default: resolve_corpus(None))")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--draw", action="store_true", help=f"draw the sample and write {SAMPLE.name} (no verdicts)")
    g.add_argument("--check", action="store_true", help="re-slice the judged sample and verify every offset")
    ap.add_argument("--out", default=str(SAMPLE))
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    articles = _articles(args.corpus)
    if args.draw:
        if Path(args.out).exists():
            print(f"{args.out}: exists; refusing to overwrite judged verdicts (pass another --out)", file=sys.stderr)
            return 2
        pop = population(articles, n_jobs=args.jobs)
        sample, sizes = draw(pop)
        sample.to_csv(args.out, index=False)
        print(f"{len(articles):,} articles; population {sizes}; wrote {len(sample)} rows to {args.out}")
        return 0
    sample = load_tone_sample(articles, args.out)
    counts = sample.groupby(["stratum", "verdict"]).size().unstack(fill_value=0)
    print(f"{len(sample)} rows re-sliced and verified against the matcher")
    print(counts.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
