"""The hand-judged claim sample (``benchmarks/claim_judged_sample.csv``): loading, validation, summary.

``load_claim_sample(articles)`` reads the judged pairs, checks every row and re-slices each related pair's
evidence sentence from the article text (``title + "\\n" + body``, the string the claim model reads) through its
offsets. The CSV holds offsets and verdicts only, never text. See benchmarks/README.md, "Claim judged sample".

Usage (prints verdict counts per claim and stratum, and checks every offset against the corpus)::

    .venv/bin/python benchmarks/claim_sample.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parent / "claim_judged_sample.csv"
COLUMNS = ["claim_id", "doc_id", "rank", "stratum", "weight", "related", "stance", "evidence_start", "evidence_end",
           "note"]
STANCES = ("agree", "disagree", "discuss")
STRATUM_RANKS = {"top": (1, 50), "mid": (51, 500), "tail": (501, None)}


class ClaimSampleError(ValueError):
    """A row of the judged sample is malformed or does not match the corpus."""


def article_text(title, body) -> str:
    """The string the evidence offsets index: ``title + "\\n" + body`` (missing parts read as "")."""
    title = "" if pd.isna(title) else str(title)
    body = "" if pd.isna(body) else str(body)
    return title + "\n" + body


def read_claim_sample(path: str | Path = SAMPLE) -> pd.DataFrame:
    """The judged rows, checked on their own (no corpus needed). Raises :class:`ClaimSampleError`."""
    path = Path(path)
    df = pd.read_csv(path, dtype={"claim_id": str, "doc_id": str, "related": str, "stance": str, "note": str},
                     keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ClaimSampleError(f"{path}: missing columns {missing}")
    problems = []
    for i, r in df.iterrows():
        where = f"{path.name} row {i + 2} ({r.claim_id}, {r.doc_id})"
        if r.related not in ("yes", "no"):
            problems.append(f"{where}: related must be yes or no, got {r.related!r}")
            continue
        if r.stratum not in STRATUM_RANKS:
            problems.append(f"{where}: unknown stratum {r.stratum!r}")
        else:
            lo, hi = STRATUM_RANKS[r.stratum]
            if not (int(r["rank"]) >= lo and (hi is None or int(r["rank"]) <= hi)):
                problems.append(f"{where}: rank {r['rank']} outside stratum {r.stratum}")
        if not float(r.weight) >= 1.0:
            problems.append(f"{where}: weight {r.weight} < 1")
        has_span = str(r.evidence_start) != "" or str(r.evidence_end) != ""
        if r.related == "no":
            if r.stance != "" or has_span:
                problems.append(f"{where}: an unrelated pair has no stance and no evidence span")
        else:
            if r.stance not in STANCES:
                problems.append(f"{where}: stance must be one of {STANCES}, got {r.stance!r}")
            try:
                a, b = int(r.evidence_start), int(r.evidence_end)
            except ValueError:
                problems.append(f"{where}: a related pair needs integer evidence_start and evidence_end")
                continue
            if not 0 <= a < b:
                problems.append(f"{where}: evidence span {a}:{b} is empty or negative")
    dup = df.duplicated(["claim_id", "doc_id"])
    if dup.any():
        problems.append(f"{path.name}: duplicate (claim_id, doc_id) pairs at rows {list(df.index[dup] + 2)}")
    if problems:
        raise ClaimSampleError("; ".join(problems[:10]) + (f" (+{len(problems) - 10} more)" if len(problems) > 10
                                                           else ""))
    df["rank"] = df["rank"].astype(int)
    df["weight"] = df["weight"].astype(float)
    for c in ("evidence_start", "evidence_end"):
        df[c] = pd.to_numeric(df[c].replace("", pd.NA)).astype("Int64")
    return df


def load_claim_sample(articles: pd.DataFrame, path: str | Path = SAMPLE) -> pd.DataFrame:
    """The judged sample joined to *articles* (``doc_id``, ``title``, ``body``; optional ``source``, ``date``).

    Adds ``source``, ``date``, ``title`` and ``evidence`` (the evidence sentence re-sliced from
    ``title + "\\n" + body``; "" for unrelated pairs). Raises :class:`ClaimSampleError` when a row is malformed, a
    doc_id is not in *articles*, a span runs past the end of its article, or a span starts or ends in whitespace
    or cuts a word (the sign that the article text changed since judging).
    """
    df = read_claim_sample(path)
    arts = articles.drop_duplicates("doc_id").set_index("doc_id")
    unknown = sorted(set(df["doc_id"]) - set(arts.index))
    if unknown:
        raise ClaimSampleError(f"{len(unknown)} judged doc_ids are not in the corpus (first: {unknown[:3]}); "
                               f"load SaudiNewsNet as ingested by resolve_corpus(None)")
    texts = {d: article_text(arts.at[d, "title"], arts.at[d, "body"]) for d in df["doc_id"].unique()}
    evidence, problems = [], []
    for i, r in df.iterrows():
        if r.related != "yes":
            evidence.append("")
            continue
        t, a, b = texts[r.doc_id], int(r.evidence_start), int(r.evidence_end)
        seg = t[a:b]
        where = f"row {i + 2} ({r.claim_id}, {r.doc_id}) span {a}:{b}"
        if b > len(t):
            problems.append(f"{where}: past the end of the article ({len(t)} characters)")
        elif seg != seg.strip():
            problems.append(f"{where}: starts or ends with whitespace")
        elif (a > 0 and t[a - 1].isalnum() and seg[0].isalnum()) or (b < len(t) and t[b].isalnum()
                                                                     and seg[-1].isalnum()):
            problems.append(f"{where}: cuts a word")
        evidence.append(seg)
    if problems:
        raise ClaimSampleError("; ".join(problems[:10]))
    df["evidence"] = evidence
    for c in ("source", "date", "title"):
        if c in arts.columns:
            df[c] = arts.loc[df["doc_id"], c].to_numpy()
    return df


def verdict_counts(sample: pd.DataFrame) -> pd.DataFrame:
    """Counts per claim and stratum: n, related, agree, disagree, discuss."""
    s = sample.assign(verdict=sample["stance"].where(sample["related"] == "yes", "unrelated"))
    counts = pd.crosstab([s["claim_id"], s["stratum"]], s["verdict"])
    counts = counts.reindex(columns=["agree", "disagree", "discuss", "unrelated"], fill_value=0)
    counts.insert(0, "n", counts.sum(axis=1))
    counts.insert(1, "related", counts["n"] - counts["unrelated"])
    order = {"top": 0, "mid": 1, "tail": 2}
    return counts.reset_index().sort_values(["claim_id", "stratum"], key=lambda c: c.map(order) if c.name ==
                                            "stratum" else c).reset_index(drop=True)


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from arabic_news.corpus.loading import resolve_corpus

    articles = pd.read_parquet(resolve_corpus(None) / "articles.parquet",
                               columns=["doc_id", "title", "body", "source", "date"])
    sample = load_claim_sample(articles)
    print(f"{len(sample)} judged pairs, every evidence span re-sliced and checked")
    print(verdict_counts(sample).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
