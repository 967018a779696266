"""Claim tracking: which articles of a corpus report on a researcher's claims, and which support or dispute them.

1. :func:`read_claims` — claims from YAML, CSV or JSON Lines (``id``, ``claim``, optional ``label`` and
   ``period``); :func:`claims_period_check` says which claims a corpus' dates allow.
2. :class:`ClaimRetriever` — BM25 over normalised article text (:meth:`~ClaimRetriever.claim_scores`, normalised
   per claim, decides which articles are classified) plus, for :meth:`~ClaimRetriever.search`, cosine over USE
   embeddings (title + lead) fused by reciprocal rank (RRF, k = 60).
3. :func:`track_claims` — every article whose normalised score passes the calibrated cut-off (up to a reported
   hard cap) is classified with the claim model; :func:`arabic_news.stance.reliability.decide` keeps only the
   labels whose cross-validated precision reaches the stated level (else "related, stance uncertain");
   counts and Wilson intervals per claim, per outlet and per day over the whole corpus.
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer

from arabic_news.stance.data import read_json_objects
from arabic_news.stance.features import embed_texts, normalize_for_features, normalize_many
from arabic_news.stance.reliability import STANCE_LABELS, UNCERTAIN, UNRELATED, decide

logger = logging.getLogger(__name__)



class ClaimFileError(ValueError):
    """A claims file that cannot be used (one line naming the file and the fix)."""


CLAIM_FILE_TYPES = "YAML (.yaml/.yml), CSV (.csv) or JSON Lines (.jsonl)"


def _read_jsonl(path: Path) -> list[dict]:
    return read_json_objects(path, error=ClaimFileError,
                             hint="; write one JSON object per line, e.g. {\"id\": \"a\", \"claim\": \"...\"}")


def _flatten_period(rows: list[dict], default: dict | None) -> list[dict]:
    """``period: {start, end}`` of a claim (or the file's *default*) as ``period_start`` / ``period_end``."""
    out = []
    for row in rows:
        row = dict(row)
        period = row.pop("period", None)
        if period is None:
            period = default
        if isinstance(period, dict):
            row.setdefault("period_start", period.get("start"))
            row.setdefault("period_end", period.get("end"))
        elif period is not None:
            raise ClaimFileError("period must be a mapping {start: YYYY-MM-DD, end: YYYY-MM-DD}")
        out.append(row)
    return out


def _parse_period(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    for col in ("period_start", "period_end"):
        if col not in df.columns:
            df[col] = pd.NaT
            continue
        values = []
        for cid, v in zip(df["claim_id"], df[col]):
            if v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()):
                values.append(pd.NaT)
                continue
            try:
                values.append(pd.Timestamp(_dt.date.fromisoformat(str(v).strip()[:10])))
            except (ValueError, TypeError, OverflowError):
                raise ClaimFileError(f"{path}: claim {cid}: {col.replace('_', ' ')} {v!r} is not a date; write it "
                                     "YYYY-MM-DD") from None
        df[col] = pd.to_datetime(pd.Series(values, index=df.index, dtype="datetime64[ns]"))
    bad = df["period_start"].notna() & df["period_end"].notna() & (df["period_start"] > df["period_end"])
    if bad.any():
        raise ClaimFileError(f"{path}: claim {df.loc[bad, 'claim_id'].iloc[0]}: the period ends before it starts")
    return df


def read_claims(path: str | Path) -> pd.DataFrame:
    """Claims as a DataFrame with ``claim_id``, ``claim``, ``period_start`` and ``period_end`` (NaT when the file
    states no period) and any other fields (``label``, ``date``, ``note``).

    Formats (by suffix): YAML — a list of ``{id, claim, ...}`` mappings, or a mapping with ``claims:`` holding one
    and optionally ``period: {start: YYYY-MM-DD, end: YYYY-MM-DD}`` (the period every claim is about, unless a
    claim states its own ``period``); CSV — columns ``id`` (or ``claim_id``), ``claim`` and optionally
    ``period_start``, ``period_end``, ``label``; JSON Lines — one object per line with the same fields (``period``
    may be a ``{start, end}`` object). The period says which corpora a claim applies to
    (:func:`claims_period_check`).
    """
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
        default = None
        if isinstance(data, dict):
            default = data.get("period")
            data = data.get("claims")
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise ClaimFileError(f"{path}: expected a list of {{id, claim}} mappings (or a 'claims:' key holding one)")
        try:
            df = pd.DataFrame(_flatten_period(data, default))
        except ClaimFileError as exc:
            raise ClaimFileError(f"{path}: {exc}") from None
    elif suffix == ".csv":
        df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    elif suffix == ".jsonl":
        try:
            df = pd.DataFrame(_flatten_period(_read_jsonl(path), None))
        except ClaimFileError as exc:
            raise ClaimFileError(str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}") from None
    else:
        raise ClaimFileError(f"{path}: claims must be a {CLAIM_FILE_TYPES} file")
    if "claim_id" not in df.columns and "id" in df.columns:
        df = df.rename(columns={"id": "claim_id"})
    for col in ("claim_id", "claim"):
        if col not in df.columns:
            raise ClaimFileError(f"{path}: missing column {col!r} (each claim needs an id and a claim text)")
    df["claim_id"] = df["claim_id"].astype(str)
    df["claim"] = df["claim"].fillna("").astype(str).str.strip()
    empty = df["claim"].eq("")
    if empty.any():
        raise ClaimFileError(f"{path}: {int(empty.sum())} claims have an empty text (ids: "
                             f"{', '.join(df.loc[empty, 'claim_id'][:5])})")
    dup = df["claim_id"].duplicated()
    if dup.any():
        raise ClaimFileError(f"{path}: duplicate claim ids {sorted(set(df.loc[dup, 'claim_id']))[:5]}")
    return _parse_period(df.reset_index(drop=True), path)


def claim_label(claims: pd.DataFrame, max_chars: int = 60) -> pd.Series:
    """A short display label per claim: its ``label`` field when given, else the claim text cut at *max_chars*
    (never the id: pages show claims by what they say)."""
    text = claims["claim"].astype(str)
    short = text.where(text.str.len() <= max_chars, text.str.slice(0, max_chars - 1).str.rstrip() + "…")
    if "label" in claims.columns:
        lab = claims["label"].fillna("").astype(str).str.strip()
        return lab.where(lab.ne(""), short)
    return short


def _corpus_dates(articles: pd.DataFrame) -> pd.Series:
    if "date" not in articles.columns:
        return pd.Series([], dtype="datetime64[ns]")
    return pd.to_datetime(articles["date"], errors="coerce").dropna()


def claims_period_check(claims: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Per claim: ``applies`` (whether the claim is tracked on this corpus) and ``period_note`` (one sentence, empty
    when the claim applies without remark).

    A claim applies when its period (``period_start``..``period_end``, either end open) overlaps the corpus' dates
    (first to last article). A claim without a period applies, noted as such; a corpus without dates cannot be
    checked, and every claim applies, noted as such.
    """
    dates = _corpus_dates(articles)
    lo, hi = (dates.min().normalize(), dates.max().normalize()) if len(dates) else (None, None)
    out = []
    for r in claims.itertuples(index=False):
        start, end = getattr(r, "period_start", pd.NaT), getattr(r, "period_end", pd.NaT)
        text = claim_label(pd.DataFrame({"claim": [r.claim], **({"label": [getattr(r, "label")]}
                                                               if hasattr(r, "label") else {})})).iloc[0]
        if pd.isna(start) and pd.isna(end):
            out.append({"claim_id": r.claim_id, "applies": True,
                        "period_note": f"The claim «{text}» states no period: it is tracked over the whole corpus."})
            continue
        span = f"{start.date() if pd.notna(start) else '…'} to {end.date() if pd.notna(end) else '…'}"
        if lo is None:
            out.append({"claim_id": r.claim_id, "applies": True,
                        "period_note": f"The corpus has no article dates, so whether the claim «{text}» (about "
                                       f"{span}) fits it could not be checked."})
            continue
        overlaps = (pd.isna(start) or start <= hi) and (pd.isna(end) or end >= lo)
        note = "" if overlaps else (f"The claim «{text}» is about {span}, but the corpus runs from {lo.date()} to "
                                    f"{hi.date()}: it is not applied to this corpus.")
        out.append({"claim_id": r.claim_id, "applies": bool(overlaps), "period_note": note})
    return pd.DataFrame(out, columns=["claim_id", "applies", "period_note"])


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

    def claim_scores(self, query: str) -> np.ndarray:
        """Every document's BM25 score for *query*, normalised per claim: divided by the score of a document of
        average length that holds each of the query's indexed terms once (the sum of their idf). So 1.0 means
        "as good a match as an average-length article naming every claim term once", 0.5 "half the claim's
        idf-weighted terms"; repeated terms and short articles can score above 1. Comparable between claims (a
        long claim's raw BM25 is larger); the score the retrieval cut-off of :func:`track_claims` applies to.
        Zero for every document when no query term is indexed."""
        q = self.vectorizer_.transform([normalize_for_features(query)])
        terms = np.unique(q.indices)
        ceiling = float(self.idf_[terms].sum()) if len(terms) else 0.0
        if ceiling <= 0:
            return np.zeros(self.n_docs_)
        return self._bm25_scores(query) / ceiling

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
    """Outputs of :func:`track_claims`: one row per classified (claim, article) pair, and the counts.

    ``by_claim`` has a row for every claim (also those not applied to the corpus, with their ``period_note``);
    ``by_outlet`` a row per (applied claim, outlet of the corpus); ``by_day`` a row per (claim, day with at least
    one classified article)."""

    matches: pd.DataFrame
    by_claim: pd.DataFrame
    by_outlet: pd.DataFrame
    by_day: pd.DataFrame


#: the count columns of an outcome (see :data:`arabic_news.stance.reliability.OUTCOMES`)
OUTCOME_COLUMNS = {"agree": "n_agree", "disagree": "n_disagree", "discuss": "n_discuss", UNCERTAIN: "n_uncertain",
                   UNRELATED: "n_unrelated"}
#: the default hard cap on the articles classified per claim (reported when reached)
MAX_PER_CLAIM = 2000


def _counts(matches: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cols = list(OUTCOME_COLUMNS.values())
    if matches.empty:
        return pd.DataFrame(columns=[*keys, "n_classified", *cols, "n_related"])
    counts = pd.crosstab([matches[k] for k in keys], matches["stance"]).reindex(columns=list(OUTCOME_COLUMNS),
                                                                                 fill_value=0)
    counts.columns = [OUTCOME_COLUMNS[c] for c in counts.columns]
    counts.insert(0, "n_classified", counts.sum(axis=1))
    counts["n_related"] = counts[["n_agree", "n_disagree", "n_discuss", "n_uncertain"]].sum(axis=1)
    return counts.reset_index()


def _shares(df: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Wilson intervals: ``related_share`` of ``n_articles`` (prevalence) and each stance label's share of
    ``n_related`` (``<label>_share``, ``_lo``, ``_hi``)."""
    from arabic_news.explore.trend import wilson_interval

    df = df.copy()
    for name, k, n in [("related", "n_related", "n_articles"),
                       *[(lab, f"n_{lab}", "n_related") for lab in (*STANCE_LABELS, "uncertain")]]:
        kk, nn = df[k].to_numpy(dtype=float), df[n].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            df[f"{name}_share"] = np.where(nn > 0, kk / nn, np.nan)
        df[f"{name}_lo"], df[f"{name}_hi"] = wilson_interval(kk, nn, level)
    return df


def _day(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values), errors="coerce").dt.strftime("%Y-%m-%d").fillna("undated")


def track_claims(claims: pd.DataFrame, articles: pd.DataFrame, model, thresholds, *, cutoff: float,
                 max_per_claim: int = MAX_PER_CLAIM, retriever: ClaimRetriever | None = None,
                 progress: bool = False) -> TrackingResult:
    """Retrieve every article whose retrieval score passes *cutoff*, classify it, aggregate over the corpus.

    1. Claims whose period does not overlap the corpus' dates are not applied (:func:`claims_period_check`; their
       ``by_claim`` row says so).
    2. Retrieval: :meth:`ClaimRetriever.claim_scores` (BM25 normalised by the claim's attainable maximum) of every
       article; every article scoring at least *cutoff* is a candidate (the cut-off is calibrated on Baly et al.'s
       pairs by :func:`arabic_news.stance.calibration.calibrate_cutoff`). At most *max_per_claim* candidates, the
       best-scoring, are classified; ``by_claim`` reports ``n_candidates`` and ``capped`` when the cap is hit.
    3. Classification: *model* (a fitted :class:`ClaimStanceModel`) gives the probabilities of each pair, read from
       the article's evidence sentences; :func:`arabic_news.stance.reliability.decide` with *thresholds* turns them
       into the reported outcome (unrelated / related, stance uncertain / a stance label validated at the stated
       precision).
    4. Counts per claim, per (claim, outlet) and per (claim, day), with Wilson intervals: the share of the corpus'
       (outlet's, day's) articles related to the claim, and each stance's share of the related articles.

    ``matches`` columns: ``claim_id, doc_id, source, date, title, retrieval_score, rank, n_candidates, stance,
    model_label, p_<class>..., evidence`` (the evidence sentences joined by " … ").
    """
    from tqdm.auto import tqdm

    texts = _article_texts(articles)
    if retriever is None:
        retriever = ClaimRetriever(use_embeddings=False)
    if not hasattr(retriever, "bm25_"):
        retriever.fit(texts)
    check = claims_period_check(claims, articles)
    applied = claims[claims["claim_id"].isin(check.loc[check["applies"], "claim_id"])]
    rows = []
    for cid, claim in zip(applied["claim_id"], applied["claim"]):
        score = retriever.claim_scores(claim)
        passing = np.flatnonzero(score >= cutoff) if cutoff > 0 else np.flatnonzero(score > 0)
        order = passing[np.argsort(-score[passing], kind="stable")]
        if len(order) > max_per_claim:
            logger.warning("claim %s: %d articles pass the retrieval cut-off %.3f; the %d best are classified "
                           "(max_per_claim)", cid, len(order), cutoff, max_per_claim)
        for r, i in enumerate(order[:max_per_claim], 1):
            rows.append({"claim_id": cid, "claim": claim, "_i": int(i), "retrieval_score": float(score[i]),
                         "rank": r, "n_candidates": int(len(order))})
    pairs = pd.DataFrame(rows)
    if pairs.empty:
        return tracking_from_matches(pd.DataFrame(columns=["claim_id", "doc_id", "stance"]), claims, articles,
                                     max_per_claim=max_per_claim)
    classes = list(model.classes_)
    proba = np.zeros((len(pairs), len(classes)))
    evidence_text = np.empty(len(pairs), dtype=object)
    chunk = 256
    for a in tqdm(range(0, len(pairs), chunk), desc="classifying claim-article pairs", unit="chunk",
                  disable=not progress, leave=False):
        part = pairs.iloc[a:a + chunk]
        ev = model.evidence(pd.DataFrame({"claim": part["claim"].to_numpy(),
                                          "article": [texts[i] for i in part["_i"]]}))
        proba[a:a + len(part)] = model.predict_proba_evidence(ev)
        evidence_text[a:a + len(part)] = [" … ".join(s) for s in ev["evidence_sentences"]]
    pairs["stance"] = decide(proba, classes, thresholds)
    pairs["model_label"] = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
    for j, c in enumerate(classes):
        pairs[f"p_{c}"] = proba[:, j]
    pairs["evidence"] = evidence_text
    meta_cols = [c for c in ("doc_id", "source", "date", "title", "url") if c in articles.columns]
    meta = articles[meta_cols].reset_index(drop=True)
    pairs = pd.concat([pairs, meta.iloc[pairs["_i"].to_numpy()].reset_index(drop=True)], axis=1).drop(columns=["_i"])
    if "source" not in pairs.columns:
        pairs["source"] = "unknown"
    front = ["claim_id", "doc_id", "source", "date", "title", "retrieval_score", "rank", "n_candidates", "stance",
             "model_label", *[f"p_{c}" for c in classes], "evidence"]
    pairs = pairs[[c for c in front if c in pairs.columns] + [c for c in pairs.columns if c not in front]]
    return tracking_from_matches(pairs.drop(columns=["claim"]), claims, articles, max_per_claim=max_per_claim)


def tracking_from_matches(matches: pd.DataFrame, claims: pd.DataFrame, articles: pd.DataFrame, *,
                          max_per_claim: int = MAX_PER_CLAIM) -> TrackingResult:
    """The :class:`TrackingResult` of a ``matches`` table (as :func:`track_claims` makes it, e.g. read back from
    the analysis store): counts and intervals per claim, per (claim, outlet) and per (claim, day), against the
    number of articles of *articles* (the whole corpus, the outlet's, the day's)."""
    if matches.empty or "stance" not in matches.columns:
        matches = pd.DataFrame(columns=["claim_id", "doc_id", "source", "date", "stance", "n_candidates"])
    check = claims_period_check(claims, articles)
    base = claims[["claim_id", "claim"]].assign(claim_label=claim_label(claims).to_numpy()).merge(check,
                                                                                                   on="claim_id")
    counts = _counts(matches, ["claim_id"])
    by_claim = base.merge(counts, on="claim_id", how="left")
    cand = (matches.groupby("claim_id")["n_candidates"].max() if len(matches) else pd.Series(dtype=float))
    by_claim["n_candidates"] = by_claim["claim_id"].map(cand).fillna(0).astype(int)
    for col in ["n_classified", *OUTCOME_COLUMNS.values(), "n_related"]:
        by_claim[col] = by_claim[col].fillna(0).astype(int)
    by_claim["capped"] = by_claim["n_candidates"] > max_per_claim
    by_claim["n_articles"] = np.where(by_claim["applies"], len(articles), 0)
    by_claim = _shares(by_claim)

    applied = by_claim.loc[by_claim["applies"], "claim_id"].tolist()
    source = articles["source"].fillna("unknown").astype(str) if "source" in articles.columns else \
        pd.Series("unknown", index=articles.index)
    per_outlet = source.value_counts().rename_axis("source").rename("n_articles").reset_index()
    grid = pd.DataFrame([(c, s) for c in applied for s in per_outlet["source"]], columns=["claim_id", "source"])
    m = matches.assign(source=matches["source"].fillna("unknown").astype(str)) if len(matches) else matches
    by_outlet = grid.merge(_counts(m, ["claim_id", "source"]), on=["claim_id", "source"], how="left")
    by_outlet = by_outlet.merge(per_outlet, on="source", how="left")
    for col in ["n_classified", *OUTCOME_COLUMNS.values(), "n_related"]:
        by_outlet[col] = by_outlet[col].fillna(0).astype(int)
    by_outlet = _shares(by_outlet)

    if len(matches):
        m = matches.assign(day=_day(matches["date"]).to_numpy() if "date" in matches.columns else "undated")
        by_day = _counts(m, ["claim_id", "day"])
        days = _day(articles["date"]) if "date" in articles.columns else pd.Series("undated", index=articles.index)
        by_day = by_day.merge(days.value_counts().rename_axis("day").rename("n_articles").reset_index(),
                              on="day", how="left")
        by_day = _shares(by_day.sort_values(["claim_id", "day"]).reset_index(drop=True))
    else:
        by_day = _shares(pd.DataFrame(columns=["claim_id", "day", "n_classified", *OUTCOME_COLUMNS.values(),
                                               "n_related", "n_articles"]))
    return TrackingResult(matches, by_claim, by_outlet, by_day)


def write_tracking(result: TrackingResult, out_dir: str | Path) -> dict[str, Path]:
    """Write the tables as CSV (UTF-8) and the matches also as JSON lines; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("matches", "by_claim", "by_outlet", "by_day"):
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
