"""Per-partition work of the scale-out pipeline, written as plain pandas functions.

Each function takes a ``load_articles``-style frame (one partition, or a whole in-memory corpus) and calls the
same library functions the in-memory path uses (``arabic_news.text.normalize_tokens``,
``arabic_news.actors.extract.extract_mentions`` / ``document_counts`` / ``frequencies_by_period`` ...): there is
no second implementation. The ``combine_*`` functions merge per-partition partial tables with a group-by sum;
because every article lives in exactly one partition, the combined tables equal the in-memory ones.
"""
from __future__ import annotations

import logging
from typing import Sequence

import pandas as pd

from arabic_news.actors import extract as _extract

logger = logging.getLogger(__name__)

TOKEN_STATS_COLUMNS = ("doc_id", "n_tokens", "n_types", "n_title_tokens")
ACTOR_PERIODS = ("day", "week", "month")


# ------------------------------------------------------------------------------------------------- text
def token_stats(articles: pd.DataFrame) -> pd.DataFrame:
    """Per article: ``n_tokens`` (tokens of the normalised body, as ingest counts them with
    :func:`arabic_news.text.normalize_tokens`), ``n_types`` (distinct normalised body tokens) and
    ``n_title_tokens``."""
    from arabic_news.text import normalize_tokens

    n_tokens, n_types, n_title = [], [], []
    for body in articles["body"].fillna("").tolist():
        toks = normalize_tokens(body)
        n_tokens.append(len(toks))
        n_types.append(len(set(toks)))
    titles = articles["title"].fillna("").tolist() if "title" in articles.columns else [""] * len(articles)
    for title in titles:
        n_title.append(len(normalize_tokens(title)) if title else 0)
    return pd.DataFrame({"doc_id": articles["doc_id"].astype(str).to_numpy(),
                         "n_tokens": pd.array(n_tokens, dtype="int64"),
                         "n_types": pd.array(n_types, dtype="int64"),
                         "n_title_tokens": pd.array(n_title, dtype="int64")})


# ------------------------------------------------------------------------------------------------ actors
def _sizes(key: pd.Series, name: str) -> pd.DataFrame:
    counts = key.value_counts(dropna=True)
    return pd.DataFrame({name: counts.index, "group_documents": counts.to_numpy().astype("int64")})


def actor_partials(articles: pd.DataFrame, matcher, *, periods: Sequence[str] = ACTOR_PERIODS,
                   keep_mentions: bool = True) -> dict[str, pd.DataFrame]:
    """Actor tables of one partition (or of a whole corpus).

    Returns ``mentions`` (if *keep_mentions*), ``doc_counts`` (:func:`~arabic_news.actors.extract.document_counts`),
    ``actors`` (per actor: mentions, documents), for each period ``by_<period>`` (period, actor_id, mentions,
    documents, from :func:`~arabic_news.actors.extract.frequencies_by_period`) with ``sizes_<period>`` (articles
    per period), and ``by_outlet`` with ``sizes_outlet``; plus ``n_articles``/``n_undated`` in ``counts``.
    """
    articles = articles.reset_index(drop=True)
    mentions = _extract.extract_mentions(articles, matcher, n_jobs=1)
    out: dict[str, pd.DataFrame] = {}
    if keep_mentions:
        out["mentions"] = mentions
    out["doc_counts"] = _extract.document_counts(mentions)
    freq = _extract.actor_frequencies(mentions, None, n_documents=max(len(articles), 1))
    out["actors"] = freq[["actor_id", "mentions", "documents"]].astype({"mentions": "int64", "documents": "int64"})
    for by in periods:
        f = _extract.frequencies_by_period(mentions, articles, by)
        out[f"by_{by}"] = f[["period", "actor_id", "mentions", "documents"]]
        out[f"sizes_{by}"] = _sizes(_extract.period_start(articles["date"], by), "period")
    f = _extract.frequencies_by_outlet(mentions, articles)
    out["by_outlet"] = f[["source", "actor_id", "mentions", "documents"]]
    source = articles["source"].fillna("(unknown)").astype(str) if "source" in articles.columns else \
        pd.Series(["(unknown)"] * len(articles))
    out["sizes_outlet"] = _sizes(source, "source")
    n_with = int(mentions["doc_id"].nunique()) if len(mentions) else 0
    out["counts"] = pd.DataFrame({
        "n_articles": [len(articles)], "n_articles_with_mentions": [n_with], "n_mentions": [len(mentions)],
        "n_undated": [int(articles["date"].isna().sum()) if "date" in articles.columns else len(articles)],
    })
    return out


def combine_group_frequencies(parts: Sequence[pd.DataFrame], sizes: Sequence[pd.DataFrame], key: str,
                              gazetteer=None) -> pd.DataFrame:
    """Sum per-partition ``(key, actor_id, mentions, documents)`` tables and their group sizes into the table
    :func:`~arabic_news.actors.extract.frequencies_by_period` / ``frequencies_by_outlet`` returns for the whole
    corpus (same columns, dtypes and order)."""
    cols = [key, "actor_id", "name_en", "name_ar", "type", "mentions", "documents", "group_documents", "doc_share"]
    parts = [p for p in parts if len(p)]
    sizes = [s for s in sizes if len(s)]
    if not parts or not sizes:
        return pd.DataFrame(columns=cols)
    summed = (pd.concat(parts, ignore_index=True).groupby([key, "actor_id"], observed=True)[["mentions", "documents"]]
              .sum().reset_index())
    group = pd.concat(sizes, ignore_index=True).groupby(key)["group_documents"].sum()
    summed["mentions"] = summed["mentions"].astype("int64")
    summed["documents"] = summed["documents"].astype("int64")
    summed["group_documents"] = summed[key].map(group).astype("int64")
    summed["doc_share"] = summed["documents"] / summed["group_documents"]
    summed = summed.merge(_extract._actor_info(gazetteer, summed["actor_id"].unique()), on="actor_id", how="left")
    return summed[cols].sort_values([key, "mentions", "actor_id"], ascending=[True, False, True], ignore_index=True)


def combine_actor_frequencies(parts: Sequence[pd.DataFrame], n_documents: int, gazetteer=None) -> pd.DataFrame:
    """Sum per-partition ``(actor_id, mentions, documents)`` into
    :func:`~arabic_news.actors.extract.actor_frequencies` ``(..., n_documents=n_documents)`` of the whole corpus."""
    cols = ["actor_id", "name_en", "name_ar", "type", "mentions", "documents", "doc_share"]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True).groupby("actor_id")[["mentions", "documents"]].sum().reset_index()
    out["mentions"] = out["mentions"].astype("int64")
    out["documents"] = out["documents"].astype("int64")
    out["doc_share"] = out["documents"] / n_documents
    out = out.merge(_extract._actor_info(gazetteer, out["actor_id"]), on="actor_id", how="left")
    out["actor_id"] = out["actor_id"].astype(str)
    return out[cols].sort_values(["mentions", "actor_id"], ascending=[False, True], ignore_index=True)


# ------------------------------------------------------------------------------------------------ topics
def topic_frame(doc_ids: Sequence[str], doc_topic) -> pd.DataFrame:
    """``doc_id, topic, weight, t00 ... t{k-1}`` from a doc-topic matrix (``topic`` = -1 for an all-zero row)."""
    import numpy as np

    doc_topic = np.asarray(doc_topic, dtype=np.float64)
    k = doc_topic.shape[1] if doc_topic.ndim == 2 else 0
    top = doc_topic.argmax(axis=1) if len(doc_topic) else np.zeros(0, dtype=int)
    weight = doc_topic.max(axis=1) if len(doc_topic) else np.zeros(0)
    top = np.where(weight > 0, top, -1)
    frame = pd.DataFrame({"doc_id": list(map(str, doc_ids)), "topic": top.astype("int64"), "weight": weight})
    width = max(2, len(str(k - 1))) if k else 2
    for j in range(k):
        frame[f"t{j:0{width}d}"] = doc_topic[:, j].astype("float32")
    return frame


def topic_prevalence_partial(topics: pd.DataFrame, dates: pd.Series, by: str = "month") -> pd.DataFrame:
    """Per (period, topic): summed doc-topic weight and dominant-topic document count (for a group-by sum)."""
    weights = topics[[c for c in topics.columns if c.startswith("t") and c[1:].isdigit()]]
    period = _extract.period_start(pd.Series(pd.to_datetime(dates).to_numpy()), by)
    frame = weights.astype("float64").assign(period=period.to_numpy())
    frame = frame.dropna(subset=["period"])
    summed = frame.groupby("period").sum()
    long = summed.stack().rename("weight").reset_index().rename(columns={"level_1": "topic"})
    long["topic"] = long["topic"].str[1:].astype("int64")
    dom = pd.DataFrame({"period": period.to_numpy(), "topic": topics["topic"].to_numpy()}).dropna(subset=["period"])
    counts = dom.groupby(["period", "topic"]).size().rename("documents").reset_index()
    out = long.merge(counts, on=["period", "topic"], how="left").fillna({"documents": 0})
    out["documents"] = out["documents"].astype("int64")
    sizes = dom.groupby("period").size().rename("period_documents").reset_index()
    return out.merge(sizes, on="period", how="left")


def combine_topic_prevalence(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Sum partial prevalence tables: per (period, topic) ``weight``, ``documents``, ``period_documents`` and
    ``share`` = weight / period_documents (mean doc-topic weight of the period)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["period", "topic", "weight", "documents", "period_documents", "share"])
    all_ = pd.concat(parts, ignore_index=True)
    # each partial has exactly one row per (period present in its partition, topic): sums are per-partition sums
    out = all_.groupby(["period", "topic"])[["weight", "documents", "period_documents"]].sum().reset_index()
    out["share"] = out["weight"] / out["period_documents"]
    return out.sort_values(["period", "topic"], ignore_index=True)
