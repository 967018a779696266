"""Sub-corpora: which articles are in the target and which in the reference, chosen by any column.

``by`` may be

* a column of the articles (``source``, ``label``, ``url`` ..., or any scalar column of a DataFrame corpus,
  e.g. a ``topic`` column you added);
* a period derived from ``date``: ``day``, ``week`` (the Monday it starts on), ``month`` (``2015-08``) or
  ``year``; undated articles belong to no period;
* ``actor``: the target (and reference, if given) are actor ids of the gazetteer; an article belongs to an
  actor's sub-corpus when the actor matcher finds the actor in it;
* a pandas Series indexed by ``doc_id`` (e.g. topic assignments from a model): its values are the labels.

Values are compared as strings. ``reference=None`` means every other article of the corpus.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from arabic_news.explore.index import ExploreError, TokenIndex

__all__ = ["doc_labels", "doc_masks", "PERIODS"]

PERIODS = ("day", "week", "month", "year")


def period_labels(dates: pd.Series, by: str) -> pd.Series:
    """The period each date falls in, as a string (``2015-08-03`` for a week = its Monday; None when undated)."""
    dates = pd.to_datetime(pd.Series(dates).reset_index(drop=True))
    if by == "day":
        out = dates.dt.strftime("%Y-%m-%d")
    elif by == "week":
        out = dates.dt.to_period("W-SUN").dt.start_time.dt.strftime("%Y-%m-%d")
    elif by == "month":
        out = dates.dt.strftime("%Y-%m")
    elif by == "year":
        out = dates.dt.strftime("%Y")
    else:  # pragma: no cover - checked by callers
        raise ExploreError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")
    return out.where(dates.notna(), None).astype(object)


def doc_labels(index: TokenIndex, by) -> np.ndarray:
    """Per article (object array over doc rows): its label under *by* (None when it has none)."""
    docs = index.docs
    if isinstance(by, pd.Series):
        mapped = docs["doc_id"].astype(str).map(by.rename(index=str))
        return np.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                         for v in mapped.tolist()], dtype=object)
    if not isinstance(by, str) or not by:
        raise ExploreError(f"by must be a column name, a period or a Series, got {by!r}")
    if by in PERIODS and by not in docs.columns:
        if "date" not in docs.columns:
            raise ExploreError(f"cannot group by {by}: the corpus has no 'date' column")
        return period_labels(docs["date"], by).to_numpy()
    if by not in docs.columns or by in ("first", "n_tokens", "n_words", "text_len"):
        usable = [c for c in docs.columns if c not in ("first", "n_tokens", "n_words", "text_len")]
        raise ExploreError(f"unknown column {by!r}; use one of {', '.join(usable + list(PERIODS) + ['actor'])}")
    values = docs[by]
    if pd.api.types.is_datetime64_any_dtype(values):
        return period_labels(values, "day").to_numpy()
    return np.array([None if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT else str(v)
                     for v in values.tolist()], dtype=object)


def doc_masks(index: TokenIndex, by, target, reference=None, *, strict: bool = True):
    """``(target, reference)``: boolean arrays over doc rows. With *strict*, an unknown value raises
    :class:`ExploreError` naming the values that exist; otherwise it just selects nothing."""
    if target is None or (isinstance(target, str) and not target.strip()):
        raise ExploreError("no target value; pass the value of the sub-corpus to compare (e.g. --target sabq)")
    if isinstance(by, str) and by == "actor":
        from arabic_news.explore.actors import actor_docs, check_actor

        check_actor(str(target))
        tgt = actor_docs(index, str(target))
        if reference is None:
            return tgt, ~tgt
        check_actor(str(reference))
        return tgt, actor_docs(index, str(reference)) & ~tgt
    labels = doc_labels(index, by)
    target_s = str(target)
    tgt = labels == target_s
    if strict and not tgt.any():
        raise ExploreError(_unknown_value(by, target_s, labels))
    if reference is None:
        return tgt, ~tgt
    ref_s = str(reference)
    if ref_s == target_s:
        raise ExploreError(f"target and reference are the same value {target_s!r}; choose two different values")
    ref = labels == ref_s
    if strict and not ref.any():
        raise ExploreError(_unknown_value(by, ref_s, labels))
    return tgt, ref


def _unknown_value(by, value: str, labels: np.ndarray) -> str:
    present = sorted({v for v in labels.tolist() if v is not None})
    name = by if isinstance(by, str) else "the given Series"
    shown = ", ".join(present[:20]) + (" ..." if len(present) > 20 else "")
    return f"value {value!r} not found in column {name!r}; values: {shown or 'none'}"
