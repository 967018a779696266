"""Claim tracking: which articles of a corpus support or dispute a researcher's claims.

1. :func:`read_claims` — claims from YAML (a list, or ``{claims: [...]}``, of ``{id, claim, ...}``) or CSV
   (columns ``id`` or ``claim_id``, and ``claim``).
2. :class:`ClaimRetriever` — hybrid retrieval: BM25 over normalised article text plus cosine over USE
   embeddings (title + lead), fused by reciprocal rank (RRF, k = 60).
3. :func:`track_claims` — retrieve the top-n articles per claim, classify each (claim, article) pair with a
   claim-task model (agree / disagree / discuss / unrelated), keep the evidence sentences, aggregate per claim,
   per outlet and per month.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer

from arabic_news.stance.features import embed_texts, normalize_for_features, normalize_many

logger = logging.getLogger(__name__)

STANCES = ("agree", "disagree", "discuss", "unrelated")


class ClaimFileError(ValueError):
    """A claims file that cannot be used (one line naming the file and the fix)."""


def read_claims(path: str | Path) -> pd.DataFrame:
    """Claims as a DataFrame with ``claim_id`` and ``claim`` (+ any other fields, e.g. ``date``, ``note``)."""
    path = Path(path)
    if not path.is_file():
        raise ClaimFileError(f"{path}: no such claims file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ClaimFileError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
        if isinstance(data, dict):
            data = data.get("claims")
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise ClaimFileError(f"{path}: expected a list of {{id, claim}} mappings (or a 'claims:' key holding one)")
        df = pd.DataFrame(data)
    elif suffix == ".csv":
        df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    else:
        raise ClaimFileError(f"{path}: claims must be a .yaml/.yml or .csv file")
    if "claim_id" not in df.columns and "id" in df.columns:
        df = df.rename(columns={"id": "claim_id"})
    for col in ("claim_id", "claim"):
        if col not in df.columns:
            raise ClaimFileError(f"{path}: missing column {col!r} (each claim needs an id and a claim text)")
    df["claim_id"] = df["claim_id"].astype(str)
    df["claim"] = df["claim"].astype(str).str.strip()
    empty = df["claim"].eq("")
    if empty.any():
        raise ClaimFileError(f"{path}: {int(empty.sum())} claims have an empty text (ids: "
                             f"{', '.join(df.loc[empty, 'claim_id'][:5])})")
    dup = df["claim_id"].duplicated()
    if dup.any():
        raise ClaimFileError(f"{path}: duplicate claim ids {sorted(set(df.loc[dup, 'claim_id']))[:5]}")
    return df.reset_index(drop=True)


def _article_texts(articles: pd.DataFrame) -> list[str]:
    title = articles["title"].fillna("").astype(str) if "title" in articles.columns else ""
    return (title + "\n" + articles["body"].fillna("").astype(str)).tolist()


class ClaimRetriever(BaseEstimator):
    """Hybrid lexical + embedding retrieval with reciprocal-rank fusion.

    ``fit(texts)`` indexes the documents: BM25 (``k1``, ``b``) over normalised tokens and, when
    ``use_embeddings``, USE embeddings of each document's first ``lead_chars`` characters.
    ``search(query, top_n)`` returns ``(doc indices, fused scores, bm25 ranks, embedding ranks)``.

    Large corpora: encoding every document with USE is the slow part (about 10-25 leads a second on one core,
    so tens of minutes for SaudiNewsNet's 30,000 articles). Above ``max_embedded_docs`` documents, ``fit``
    builds only the BM25 index and the embedding side re-ranks each query's BM25 candidates (its top
    ``depth`` documents), whose leads are embedded on demand and kept in the on-disk embedding cache. Up to
    ``max_embedded_docs`` (``None``: always) every document is embedded at fit time, as before, so results on
    small corpora do not change.
    """

    def __init__(self, *, k1: float = 1.5, b: float = 0.75, use_embeddings: bool = True, lead_chars: int = 1000,
                 rrf_k: int = 60, depth: int = 200, max_embedded_docs: int | None = 5000):
        self.k1 = k1
        self.b = b
        self.use_embeddings = use_embeddings
        self.lead_chars = lead_chars
        self.rrf_k = rrf_k
        self.depth = depth
        self.max_embedded_docs = max_embedded_docs

    def fit(self, texts, y=None):
        texts = [str(t) for t in texts]
        norm = normalize_many(texts)
        self.vectorizer_ = CountVectorizer(token_pattern=r"\S+", min_df=1)
        tf = self.vectorizer_.fit_transform(norm).tocsr().astype(np.float64)
        n = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        self.idf_ = np.log1p((n - df + 0.5) / (df + 0.5))
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = lengths.mean() if n else 0.0
        # BM25 term weights per (doc, term), stored as a sparse matrix
        tf = tf.tocoo()
        denom = tf.data + self.k1 * (1 - self.b + self.b * lengths[tf.row] / (avg or 1.0))
        w = tf.data * (self.k1 + 1) / denom * self.idf_[tf.col]
        self.bm25_ = sp.csr_matrix((w, (tf.row, tf.col)), shape=tf.shape)
        self.n_docs_ = n
        self.embeddings_ = None
        self.dense_scope_ = "none"
        if self.use_embeddings:
            if self.max_embedded_docs is None or n <= self.max_embedded_docs:
                self.embeddings_ = embed_texts([t[: self.lead_chars] for t in texts], max_chars=self.lead_chars,
                                               progress=n > 2000)
                self.dense_scope_ = "all documents"
            else:
                self.leads_ = [t[: self.lead_chars] for t in texts]
                self.dense_scope_ = f"BM25 top {self.depth} per query"
                logger.info("%d documents > max_embedded_docs=%d: embeddings re-rank each query's BM25 candidates",
                            n, self.max_embedded_docs)
        return self

    def _bm25_scores(self, query: str) -> np.ndarray:
        q = self.vectorizer_.transform([normalize_for_features(query)])
        q.data[:] = 1.0
        return np.asarray((self.bm25_ @ q.T).todense()).ravel()

    def search(self, query: str, top_n: int = 50):
        lex = self._bm25_scores(query)
        depth = min(self.depth, self.n_docs_)
        fused = np.zeros(self.n_docs_)
        lex_rank = np.full(self.n_docs_, np.nan)
        order = np.argsort(-lex, kind="stable")[:depth]
        order = order[lex[order] > 0]
        lex_rank[order] = np.arange(1, len(order) + 1)
        fused[order] += 1.0 / (self.rrf_k + lex_rank[order])
        emb_rank = np.full(self.n_docs_, np.nan)
        if self.use_embeddings and self.embeddings_ is not None:
            qv = embed_texts([query])[0]
            sims = self.embeddings_ @ qv
            eorder = np.argsort(-sims, kind="stable")[:depth]
            emb_rank[eorder] = np.arange(1, len(eorder) + 1)
            fused[eorder] += 1.0 / (self.rrf_k + emb_rank[eorder])
        elif self.use_embeddings and len(order):
            # large corpus: embed only this query's BM25 candidates (cached on disk) and rank them by cosine
            qv = embed_texts([query])[0]
            cand = np.sort(order)
            sims = embed_texts([self.leads_[i] for i in cand], max_chars=self.lead_chars) @ qv
            eorder = cand[np.argsort(-sims, kind="stable")]
            emb_rank[eorder] = np.arange(1, len(eorder) + 1)
            fused[eorder] += 1.0 / (self.rrf_k + emb_rank[eorder])
        top = np.argsort(-fused, kind="stable")[:top_n]
        top = top[fused[top] > 0]
        return top, fused[top], lex_rank[top], emb_rank[top]


@dataclass
class TrackingResult:
    """Outputs of :func:`track_claims`: one row per (claim, retrieved article), and aggregates."""

    matches: pd.DataFrame
    by_claim: pd.DataFrame
    by_outlet: pd.DataFrame
    by_month: pd.DataFrame


def _aggregate(matches: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if matches.empty:
        return pd.DataFrame(columns=[*keys, "n_retrieved", *[f"n_{s}" for s in STANCES], "n_related",
                                     "support_ratio"])
    counts = pd.crosstab([matches[k] for k in keys], matches["stance"]).reindex(columns=list(STANCES), fill_value=0)
    counts.columns = [f"n_{c}" for c in counts.columns]
    counts.insert(0, "n_retrieved", counts.sum(axis=1))
    counts["n_related"] = counts[["n_agree", "n_disagree", "n_discuss"]].sum(axis=1)
    denom = (counts["n_agree"] + counts["n_disagree"]).replace(0, np.nan)
    counts["support_ratio"] = counts["n_agree"] / denom  # share of agree among agree+disagree
    return counts.reset_index()


def track_claims(claims: pd.DataFrame, articles: pd.DataFrame, model, *, top_n: int = 50,
                 retriever: ClaimRetriever | None = None) -> TrackingResult:
    """Retrieve, classify and aggregate. *model* is a fitted :class:`ClaimStanceModel`.

    ``matches`` columns: ``claim_id, doc_id, source, date, title, rank, rrf_score, bm25_rank, embedding_rank,
    stance, p_<stance>..., evidence`` (the evidence sentences joined by " … ").
    """
    texts = _article_texts(articles)
    if retriever is None:
        retriever = ClaimRetriever()
    if not hasattr(retriever, "bm25_"):
        retriever.fit(texts)
    rows = []
    for cid, claim in zip(claims["claim_id"], claims["claim"]):
        idx, score, lr, er = retriever.search(claim, top_n=top_n)
        for r, (i, s, a, e) in enumerate(zip(idx, score, lr, er), 1):
            rows.append({"claim_id": cid, "claim": claim, "_i": int(i), "rank": r, "rrf_score": float(s),
                         "bm25_rank": a, "embedding_rank": e})
    pairs = pd.DataFrame(rows)
    if pairs.empty:
        return tracking_from_matches(pd.DataFrame(columns=["claim_id", "doc_id", "stance"]), claims)
    pairs["article"] = [texts[i] for i in pairs["_i"]]
    evidence = model.evidence(pairs[["claim", "article"]])
    proba = model.predict_proba_evidence(evidence)
    classes = list(model.classes_)
    pairs["stance"] = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
    for j, c in enumerate(classes):
        pairs[f"p_{c}"] = proba[:, j]
    pairs["evidence"] = [" … ".join(s) for s in evidence["evidence_sentences"]]
    meta_cols = [c for c in ("doc_id", "source", "date", "title", "url") if c in articles.columns]
    meta = articles[meta_cols].reset_index(drop=True)
    pairs = pd.concat([pairs.drop(columns=["article"]), meta.iloc[pairs["_i"].to_numpy()].reset_index(drop=True)],
                      axis=1).drop(columns=["_i"])
    if "date" in pairs.columns:
        pairs["month"] = pd.to_datetime(pairs["date"], errors="coerce").dt.to_period("M").astype(str)
    else:
        pairs["month"] = "NaT"
    if "source" not in pairs.columns:
        pairs["source"] = "unknown"
    front = ["claim_id", "doc_id", "source", "date", "month", "title", "rank", "rrf_score", "bm25_rank",
             "embedding_rank", "stance", *[f"p_{c}" for c in classes], "evidence"]
    pairs = pairs[[c for c in front if c in pairs.columns] + [c for c in pairs.columns if c not in front]]
    return tracking_from_matches(pairs, claims)


def tracking_from_matches(matches: pd.DataFrame, claims: pd.DataFrame) -> TrackingResult:
    """The :class:`TrackingResult` of a ``matches`` table (as :func:`track_claims` makes it, e.g. read back from
    the analysis store): the per-claim, per-outlet and per-month counts are derived from it, every claim of
    *claims* gets a row of its own (``n_retrieved`` 0 when nothing was retrieved)."""
    if matches.empty or "stance" not in matches.columns:
        matches = pd.DataFrame(columns=["claim_id", "doc_id", "stance"])
    by_claim = _aggregate(matches, ["claim_id"]).merge(claims[["claim_id", "claim"]], on="claim_id", how="right")
    by_claim["n_retrieved"] = by_claim["n_retrieved"].fillna(0).astype(int)
    return TrackingResult(matches, by_claim, _aggregate(matches, ["claim_id", "source"]),
                          _aggregate(matches, ["claim_id", "month"]))


def write_tracking(result: TrackingResult, out_dir: str | Path) -> dict[str, Path]:
    """Write the tables as CSV (UTF-8) and the matches also as JSON lines; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("matches", "by_claim", "by_outlet", "by_month"):
        p = out / f"claims_{name}.csv"
        getattr(result, name).to_csv(p, index=False, encoding="utf-8")
        paths[name] = p
    p = out / "claims_matches.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        for rec in result.matches.to_dict(orient="records"):
            fh.write(json.dumps({k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in rec.items()},
                                ensure_ascii=False, default=str) + "\n")
    paths["matches_jsonl"] = p
    return paths
