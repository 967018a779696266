"""Trends: the relative frequency of a query over time, optionally per outlet, with confidence intervals.

:func:`trend` counts the query's hits per period (``day``, ``week`` starting on Monday, ``month``, ``year``)
and divides by the word tokens of the articles of that period: ``per_10k = 10,000 * hits / tokens``. Every
period between the corpus' first and last dated article gets a row; a period (or an outlet's period) without
any article has ``tokens = 0`` and an empty rate and interval, so a gap in the data stays a gap in a plot
instead of becoming a zero. Intervals (``level`` 0.95 by default):

* ``wilson``: Wilson's score interval for the proportion hits / tokens, scaled to 10,000 tokens;
* ``poisson``: the exact (Garwood) interval for a Poisson count, divided by the tokens, scaled likewise.

Undated articles are left out (counted in ``attrs['summary']['undated_articles']``), and so are articles without
a value of *group* (``articles_without_group``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from arabic_news.explore.index import ExploreError, TokenIndex
from arabic_news.explore.subcorpus import PERIODS, doc_labels, period_labels

__all__ = ["trend", "wilson_interval", "poisson_interval"]

INTERVALS = ("wilson", "poisson")


def wilson_interval(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the proportion k/n (NaN where n == 0)."""
    from scipy.special import ndtri

    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = float(ndtri(1 - (1 - level) / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def poisson_interval(k, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval of a Poisson mean given the count k."""
    from scipy.special import gammaincinv

    k = np.asarray(k, dtype=float)
    a = (1 - level) / 2
    low = np.where(k > 0, gammaincinv(np.maximum(k, 1e-300), a), 0.0)
    high = gammaincinv(k + 1, 1 - a)
    return low, high


def trend(corpus, query: str, by: str = "week", group: str | None = None, *, match: str = "clitics",
          interval: str = "wilson", level: float = 0.95, per: int = 10_000,
          allow_stopwords: bool = False) -> pd.DataFrame:
    """Relative frequency of *query* per period (and per *group*, e.g. ``'source'``).

    Columns: ``period`` (first day, a Timestamp), the group column when *group* is given, ``hits``,
    ``articles``, ``tokens`` (word tokens), ``per_10k``, ``low``, ``high`` (the interval, per *per* tokens).
    """
    from arabic_news.explore.partitioned import dispatch

    return dispatch(corpus, "trend", query=query, by=by, group=group, match=match, interval=interval, level=level,
                    per=per, allow_stopwords=allow_stopwords)


def _trend_counts(index: TokenIndex, *, query, by, group, match, allow_stopwords, **_) -> tuple[pd.DataFrame, dict]:
    from arabic_news.explore.query import match_query, parse_query

    if by not in PERIODS:
        raise ExploreError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")
    docs = index.docs
    if "date" not in docs.columns:
        raise ExploreError("the corpus has no 'date' column; a trend needs dated articles")
    q = parse_query(query, match, allow_stopwords=allow_stopwords)
    hits = match_query(index, q)
    hit_doc = index.col("doc")[hits.first] if hits.doc is None else hits.doc
    per_doc = np.bincount(hit_doc, minlength=index.n_docs) if len(hits) else np.zeros(index.n_docs, np.int64)
    frame = pd.DataFrame({"period": period_labels(docs["date"], by).to_numpy(), "hits": per_doc,
                          "tokens": docs["n_words"].to_numpy(), "articles": 1})
    keys = ["period"]
    if group is not None:
        frame[group] = doc_labels(index, group)
        keys.append(group)
    undated = int(frame["period"].isna().sum())
    ungrouped = int(frame[group].isna().sum()) if group is not None else 0
    frame = frame.dropna(subset=keys)
    counts = frame.groupby(keys, sort=True)[["hits", "articles", "tokens"]].sum().reset_index()
    return counts, {"query": q.label, "match": q.mode, "undated_articles": undated,
                    "articles_without_group": ungrouped, "hits": int(len(hits))}


def _trend_index(index: TokenIndex, **kw) -> pd.DataFrame:
    counts, info = _trend_counts(index, **kw)
    return trend_table(counts, info, **kw)


def _period_range(labels, by: str) -> list[str]:
    if not len(labels):
        return []
    ts = pd.to_datetime(pd.Series(sorted(labels)), format={"day": "%Y-%m-%d", "week": "%Y-%m-%d",
                                                           "month": "%Y-%m", "year": "%Y"}[by])
    freq = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}[by]
    full = pd.date_range(ts.min(), ts.max(), freq=freq)
    return period_labels(pd.Series(full), by).tolist()


def trend_table(counts: pd.DataFrame, info: dict, *, by: str, group: str | None = None,
                interval: str = "wilson", level: float = 0.95, per: int = 10_000, **_) -> pd.DataFrame:
    if interval not in INTERVALS:
        raise ExploreError(f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}")
    if not 0 < level < 1:
        raise ExploreError(f"level must be between 0 and 1, got {level!r}")
    keys = ["period"] + ([group] if group is not None else [])
    counts = counts.groupby(keys, sort=True)[["hits", "articles", "tokens"]].sum().reset_index()
    periods = _period_range(counts["period"].unique().tolist(), by)
    if group is not None:
        groups = sorted(counts[group].unique().tolist())
        full = pd.MultiIndex.from_product([periods, groups], names=keys)
    else:
        full = pd.Index(periods, name="period")
    out = counts.set_index(keys).reindex(full).reset_index()
    for c in ("hits", "articles", "tokens"):
        out[c] = out[c].fillna(0).astype(np.int64)
    k, n = out["hits"].to_numpy(dtype=float), out["tokens"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n * per, np.nan)
    if interval == "wilson":
        low, high = wilson_interval(k, n, level)
        low, high = low * per, high * per
    else:
        lo_c, hi_c = poisson_interval(k, level)
        with np.errstate(divide="ignore", invalid="ignore"):
            low, high = np.where(n > 0, lo_c / n * per, np.nan), np.where(n > 0, hi_c / n * per, np.nan)
    out[f"per_{_per_label(per)}"] = rate
    out["low"], out["high"] = low, high
    out["period"] = pd.to_datetime(out["period"], format={"day": "%Y-%m-%d", "week": "%Y-%m-%d",
                                                         "month": "%Y-%m", "year": "%Y"}[by])
    out.attrs["summary"] = {**info, "by": by, "group": group, "interval": interval, "level": level,
                            "periods": len(periods), "empty_periods": int((out["tokens"] == 0).sum())}
    return out


def _per_label(per: int) -> str:
    return "10k" if per == 10_000 else f"{per}"
