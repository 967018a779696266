"""Draw the claim–article pairs of the hand-judged claim sample (issue 17, section 2).

Usage::

    nice -n 10 .venv/bin/python benchmarks/draw_claim_sample.py                 # writes the draw
    nice -n 10 .venv/bin/python benchmarks/draw_claim_sample.py --check FILE    # re-draw, compare with FILE

For every claim of ``data/claims/example_claims.yaml`` every article of SaudiNewsNet (the default corpus,
``arabic_news.corpus.loading.resolve_corpus(None)``) gets a retrieval rank, then ``PER_STRATUM`` articles are
drawn at random (seed ``SEED``) from each rank stratum of that claim:

* the project's retrieval, :class:`arabic_news.stance.claims.ClaimRetriever` with its defaults, on the texts the
  claim model reads (``title + "\\n" + body``). On SaudiNewsNet (> 5,000 articles) it ranks the BM25 top 200
  by reciprocal-rank fusion of the BM25 rank and the embedding rank (USE embeddings of the first 1,000
  characters); its ``search(claim, top_n=depth)`` gives ranks 1..k (k <= 200: the fused candidates);
* the articles it does not return are ranked after them by their BM25 score (descending), and articles with a
  BM25 score of 0 (no claim word at all) last, in corpus order. So every article has a rank 1..N.

Strata (per claim): ``top`` = ranks 1-50 (the articles a top-50 retrieval would classify), ``mid`` = 51-500,
``tail`` = 501-N. ``weight`` = stratum size / number drawn from it (inverse inclusion probability within the
claim's stratum), so weighted sums over the sample estimate counts over the whole corpus (recall of "related"
at a rank cut-off = weighted related above the cut-off / weighted related overall).

Output: ``benchmarks/claim_judged_sample.csv`` with the verdict columns empty (``related``, ``stance``,
``evidence_start``, ``evidence_end``, ``note``); they are filled by hand (see benchmarks/README.md, "Claim
judged sample"). ``--out`` writes elsewhere, so that a re-draw never overwrites the judged file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from arabic_news.config import PROJECT_ROOT
from arabic_news.corpus.loading import resolve_corpus
from arabic_news.stance.claims import ClaimRetriever, read_claims

SEED = 20261206
STRATA = (("top", 1, 50, 12), ("mid", 51, 500, 8), ("tail", 501, None, 5))  # name, first rank, last rank, n drawn
CLAIMS_FILE = PROJECT_ROOT / "data" / "claims" / "example_claims.yaml"
OUT = Path(__file__).resolve().parent / "claim_judged_sample.csv"
COLUMNS = ["claim_id", "doc_id", "rank", "stratum", "weight", "related", "stance", "evidence_start", "evidence_end",
           "note"]


def article_texts(articles: pd.DataFrame) -> list[str]:
    """The string the evidence offsets index: ``title + "\\n" + body`` (as the claim model reads articles)."""
    title = articles["title"].fillna("").astype(str)
    return (title + "\n" + articles["body"].fillna("").astype(str)).tolist()


def full_ranking(retriever: ClaimRetriever, claim: str) -> np.ndarray:
    """Article indices in rank order (rank 1 first), covering every article once."""
    top, _, _, _ = retriever.search(claim, top_n=retriever.depth)
    lex = retriever._bm25_scores(claim)
    rest = np.setdiff1d(np.arange(retriever.n_docs_), top, assume_unique=False)
    rest = rest[np.argsort(-lex[rest], kind="stable")]  # BM25 descending, zero scores last in corpus order
    order = np.concatenate([top, rest])
    assert len(order) == retriever.n_docs_ and len(np.unique(order)) == retriever.n_docs_
    return order


def draw(articles: pd.DataFrame, claims: pd.DataFrame, retriever: ClaimRetriever) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    n = len(articles)
    rows = []
    for cid, claim in zip(claims["claim_id"], claims["claim"]):
        order = full_ranking(retriever, claim)
        for name, lo, hi, k in STRATA:
            hi = n if hi is None else min(hi, n)
            ranks = np.arange(lo, hi + 1)
            picked = np.sort(rng.choice(ranks, size=min(k, len(ranks)), replace=False))
            for r in picked:
                rows.append({"claim_id": cid, "doc_id": articles["doc_id"].iat[order[r - 1]], "rank": int(r),
                             "stratum": name, "weight": len(ranks) / min(k, len(ranks))})
    out = pd.DataFrame(rows)
    for c in COLUMNS:
        if c not in out.columns:
            out[c] = ""
    return out[COLUMNS]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="where to write the draw (default: the judged file, "
                                                          "refused if it exists)")
    ap.add_argument("--check", type=Path, default=None, help="re-draw and compare the (claim, doc, rank) rows "
                                                            "with this judged file")
    ap.add_argument("--no-embeddings", action="store_true", help="BM25 only (ClaimRetriever(use_embeddings=False))")
    args = ap.parse_args(argv)
    t0 = time.time()
    articles = pd.read_parquet(resolve_corpus(None) / "articles.parquet").reset_index(drop=True)
    claims = read_claims(CLAIMS_FILE)
    retriever = ClaimRetriever(use_embeddings=not args.no_embeddings).fit(article_texts(articles))
    sample = draw(articles, claims, retriever)
    print(f"{len(articles)} articles, {len(claims)} claims, {len(sample)} pairs drawn in {time.time() - t0:.0f} s "
          f"(retrieval: {retriever.dense_scope_})")
    if args.check is not None:
        judged = pd.read_csv(args.check, dtype={"doc_id": str})
        key = ["claim_id", "doc_id", "rank", "stratum"]
        same = judged[key].reset_index(drop=True).equals(sample[key].reset_index(drop=True))
        print(f"same draw as {args.check}: {same}")
        return 0 if same else 1
    out = args.out or OUT
    if args.out is None and OUT.exists():
        print(f"{OUT} exists (it holds the judgements); pass --out to write a fresh draw elsewhere", file=sys.stderr)
        return 2
    sample.to_csv(out, index=False)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
