"""What the topics say about a corpus: prevalence over time and by outlet (with bootstrap bands), topics per
gold section, and topic-actor association.

Inputs are plain arrays/DataFrames (a doc-topic matrix from ``TopicModel.transform`` or one-hot dominant
topics, dates, outlets, a mentions table), so these functions work with any model.
"""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np
import pandas as pd

from arabic_news import config

logger = logging.getLogger(__name__)

FREQUENCIES = {"day": "D", "week": "W", "month": "M", "year": "Y"}  # pandas period codes


def dominant_topics(doc_topic: np.ndarray) -> np.ndarray:
    """Argmax topic of each row; -1 for all-zero rows (documents with no known term)."""
    doc_topic = np.asarray(doc_topic)
    out = doc_topic.argmax(axis=1)
    out[doc_topic.sum(axis=1) <= 0] = -1
    return out


def _share_with_bands(weights: np.ndarray, groups: np.ndarray, *, n_boot: int, ci: float, seed: int,
                      topic_names: Sequence[str]) -> pd.DataFrame:
    """Mean topic weight per group, with percentile bootstrap bands (documents resampled within each group)."""
    rng = np.random.default_rng(seed)
    alpha = (1.0 - ci) / 2.0
    rows = []
    for group in pd.unique(groups):
        idx = np.where(groups == group)[0]
        w = weights[idx]
        share = w.mean(axis=0)
        if n_boot and len(idx) > 1:
            draws = rng.integers(0, len(idx), size=(n_boot, len(idx)))
            boot = np.stack([w[d].mean(axis=0) for d in draws])
            lo, hi = np.quantile(boot, [alpha, 1 - alpha], axis=0)
        else:
            lo = hi = np.full_like(share, np.nan)
        for t in range(w.shape[1]):
            rows.append({"group": group, "topic": t, "topic_label": topic_names[t], "share": float(share[t]),
                         "lo": float(lo[t]), "hi": float(hi[t]), "n_docs": int(len(idx))})
    return pd.DataFrame(rows)


def _weights(doc_topic) -> np.ndarray:
    w = np.asarray(doc_topic, dtype=np.float64)
    if w.ndim == 1:  # dominant topics -> one-hot
        k = int(w.max()) + 1
        onehot = np.zeros((len(w), k))
        ok = w >= 0
        onehot[np.where(ok)[0], w[ok].astype(int)] = 1.0
        return onehot
    sums = w.sum(axis=1, keepdims=True)
    return np.divide(w, sums, out=np.zeros_like(w), where=sums > 0)


def prevalence_over_time(doc_topic, dates, *, freq: str = "month", n_boot: int = 200, ci: float = 0.95,
                         seed: int = config.DEFAULT_SEED, topic_labels: Sequence[str] | None = None,
                         min_docs: int = 1) -> pd.DataFrame:
    """Topic prevalence per period: the mean doc-topic weight of the period's documents.

    doc_topic : (n_docs, k) matrix (rows are normalised) or a 1-D array of dominant topics (one-hot shares).
    freq : 'day' | 'week' | 'month' | 'year' (or a pandas period code). Documents without a date are left
    out and counted in ``frame.attrs['n_undated']``; periods with fewer than *min_docs* documents are dropped
    (``attrs['n_dropped_docs']``). Bands: percentile bootstrap over the period's documents (seeded).
    Columns: period, topic, topic_label, share, lo, hi, n_docs.
    """
    weights = _weights(doc_topic)
    dates = pd.to_datetime(pd.Series(list(dates)), errors="coerce")
    ok = dates.notna().to_numpy()
    code = FREQUENCIES.get(freq, freq)
    periods = dates[ok].dt.to_period(code).dt.start_time  # weeks start on Monday
    names = list(topic_labels) if topic_labels is not None else [str(t) for t in range(weights.shape[1])]
    frame = _share_with_bands(weights[ok], periods.to_numpy(), n_boot=n_boot, ci=ci, seed=seed,
                              topic_names=names)
    frame = frame.rename(columns={"group": "period"})
    n_dropped = 0
    if min_docs > 1 and len(frame):
        small = frame["n_docs"] < min_docs
        n_dropped = int(frame.loc[small].drop_duplicates("period")["n_docs"].sum())
        frame = frame.loc[~small]
    frame = frame.sort_values(["period", "topic"]).reset_index(drop=True)
    frame.attrs["n_undated"] = int((~ok).sum())
    frame.attrs["n_dropped_docs"] = n_dropped
    if frame.attrs["n_undated"]:
        logger.info("%d documents without a date left out of the time series", frame.attrs["n_undated"])
    return frame


def prevalence_by_group(doc_topic, groups, *, n_boot: int = 200, ci: float = 0.95,
                        seed: int = config.DEFAULT_SEED, topic_labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Topic prevalence per group (e.g. outlet ``source``), with seeded bootstrap bands.

    Missing groups become '(unknown)'. Columns: group, topic, topic_label, share, lo, hi, n_docs.
    """
    weights = _weights(doc_topic)
    groups = pd.Series(list(groups), dtype="object").fillna("(unknown)").astype(str).to_numpy()
    names = list(topic_labels) if topic_labels is not None else [str(t) for t in range(weights.shape[1])]
    frame = _share_with_bands(weights, groups, n_boot=n_boot, ci=ci, seed=seed, topic_names=names)
    return frame.sort_values(["group", "topic"]).reset_index(drop=True)


def topics_by_label(dominant, labels, *, normalize: str | None = None,
                    topic_labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Crosstab of gold label (rows) x dominant topic (columns); ``normalize='index'`` for row shares."""
    dominant = np.asarray(dominant)
    cols = [topic_labels[t] if topic_labels is not None and t >= 0 else t for t in dominant]
    return pd.crosstab(pd.Series(list(labels), name="label").fillna("(none)"), pd.Series(cols, name="topic"),
                       normalize=normalize or False)


def topic_actor_association(doc_topic, doc_ids: Sequence[str], mentions: pd.DataFrame, *, top_n: int = 10,
                            min_docs: int = 2, min_lift: float | None = None, min_support: int = 0,
                            topic_labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Top actors per topic from a mentions table with columns ``doc_id, actor_id`` (one row per mention).

    Each document counts once per actor (presence). For topic t and actor a:
    ``weight`` = sum over documents mentioning a of their topic-t weight (doc-topic matrix, or one-hot dominant
    topics); ``lift`` = P(a | t) / P(a), with P(a | t) = weight / sum of topic-t weights over all documents and
    P(a) = share of documents mentioning a; ``support`` = documents whose dominant topic is t that mention a.
    Actors in fewer than *min_docs* documents are left out; so are pairs with ``lift <= min_lift`` (when given)
    or ``support < min_support``: with ``min_lift=1.5, min_support=10`` only actors clearly over-represented in
    the topic, on at least ten of its articles, remain.
    Returns the *top_n* actors per topic by weight: topic, topic_label, actor_id, n_docs, support, weight, lift.
    Mentions whose doc_id is not in *doc_ids* are counted in ``attrs['n_unmatched_mentions']``.
    """
    missing = {"doc_id", "actor_id"} - set(mentions.columns)
    if missing:
        raise ValueError(f"mentions table lacks column(s) {sorted(missing)}; expected doc_id, actor_id")
    weights = _weights(doc_topic)
    dominant = dominant_topics(weights)
    index = {str(d): i for i, d in enumerate(doc_ids)}
    pres = mentions[["doc_id", "actor_id"]].astype({"doc_id": str}).drop_duplicates()
    rows_idx = pres["doc_id"].map(index)
    unmatched = int(rows_idx.isna().sum())
    pres = pres.loc[rows_idx.notna()].assign(row=rows_idx.dropna().astype(int))
    n_docs_total = len(doc_ids)
    topic_mass = weights.sum(axis=0)
    k = weights.shape[1]
    out = []
    for actor, grp in pres.groupby("actor_id", sort=True):
        rows = grp["row"].to_numpy()
        if len(rows) < min_docs:
            continue
        w = weights[rows].sum(axis=0)
        support = np.bincount(dominant[rows][dominant[rows] >= 0], minlength=k)
        p_actor = len(rows) / n_docs_total
        with np.errstate(divide="ignore", invalid="ignore"):
            lift = np.where(topic_mass > 0, (w / topic_mass) / p_actor, np.nan)
        for t in range(k):
            out.append({"topic": t, "actor_id": actor, "n_docs": len(rows), "support": int(support[t]),
                        "weight": float(w[t]), "lift": float(lift[t])})
    frame = pd.DataFrame(out, columns=["topic", "actor_id", "n_docs", "support", "weight", "lift"])
    if len(frame):
        keep = (frame["weight"] > 0) & (frame["support"] >= min_support)
        if min_lift is not None:
            keep &= frame["lift"] > min_lift
        frame = (frame.loc[keep]
                 .sort_values(["topic", "weight", "actor_id"], ascending=[True, False, True])
                 .groupby("topic", sort=True).head(top_n).reset_index(drop=True))
    names = list(topic_labels) if topic_labels is not None else [str(t) for t in range(k)]
    frame.insert(1, "topic_label", [names[t] for t in frame["topic"]])
    frame.attrs["n_unmatched_mentions"] = unmatched
    return frame


#: Fewest articles the topic notebook models (below it, topics say what they need instead).
MIN_TOPIC_ARTICLES = 20


def requirement(what: str, *, need: int, have: int, unit: str = "articles", corpus: str = "this corpus") -> str | None:
    """One sentence saying what a section needs when *have* < *need*, else None.

    >>> requirement("topics", need=20, have=3)
    'Topics need at least 20 articles; this corpus has 3.'
    """
    if have >= need:
        return None
    return f"{what[:1].upper()}{what[1:]} need at least {need:,} {unit}; {corpus} has {have:,}."


def default_sweep_ks(n_articles: int, *, candidates: Sequence[int] = (2, 3, 4, 5, 6, 8, 10, 12, 15, 20),
                     max_values: int = 5, docs_per_topic: int = 8) -> list[int]:
    """The k values of a topic sweep for a corpus of *n_articles*: the largest *max_values* of *candidates*
    that leave at least *docs_per_topic* articles per topic on average (from 1,000 articles on: 8, 10, 12,
    15, 20; 300 articles: the same; 25 articles: 2, 3); empty below 16 articles.

    >>> default_sweep_ks(3000), default_sweep_ks(100), default_sweep_ks(25)
    ([8, 10, 12, 15, 20], [5, 6, 8, 10, 12], [2, 3])
    """
    feasible = [int(k) for k in candidates if k * docs_per_topic <= n_articles]
    return feasible[-max_values:]
