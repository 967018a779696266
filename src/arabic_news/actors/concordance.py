"""Sampled concordances of actor mentions: the sentences behind the counts, for a reader to check them.

:func:`sample_concordance` draws, for each actor, a few of its mentions (at most one per article, seeded) and
returns them as keyword-in-context rows: ``left`` (the words before the mention), ``match`` (the mention as
written, ``text[start:end]``), ``right`` (the words after it), with the article's headline, outlet and date.
``left`` and ``right`` follow the text's logical order (``left`` = what precedes the mention, which Arabic
displays to its right), the convention of keyword-in-context tools.

The offsets are those of the mentions table (:func:`arabic_news.actors.extract.extract_mentions`): they index
into :func:`arabic_news.actors.extract.article_text` (title, blank line, body). Context never crosses a line
break (the title, and each paragraph, stand alone).
"""
from __future__ import annotations

import logging
from typing import Iterable

import numpy as np
import pandas as pd

from arabic_news.actors.extract import article_text

logger = logging.getLogger(__name__)

CONCORDANCE_COLUMNS = ("actor_id", "doc_id", "title", "source", "date", "kind", "left", "match", "right",
                       "start", "end")
ELLIPSIS = "…"


def context(text: str, start: int, end: int, window: int = 8) -> tuple[str, str]:
    """``(left, right)``: up to *window* whitespace-separated words before ``text[start:end]`` and after it,
    within the same line; an ellipsis marks a side cut by the window.

    >>> context("قال الوزير إن السعودية تدعم الحل", 14, 22, window=2)
    ('… الوزير إن', 'تدعم الحل')
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    before = text[line_start:start].split()
    after = text[end:line_end].split()
    left = " ".join(before[-window:]) if window > 0 else ""
    right = " ".join(after[:window]) if window > 0 else ""
    if len(before) > window:
        left = f"{ELLIPSIS} {left}".rstrip()
    if len(after) > window:
        right = f"{right} {ELLIPSIS}".lstrip()
    return left, right


def sample_concordance(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    actor_ids: str | Iterable[str],
    *,
    n: int = 5,
    seed: int = 42,
    window: int = 8,
    kinds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Up to *n* sampled mentions of each actor in *actor_ids*, from *n* different articles when it has that many.

    *mentions* is a mentions table (``doc_id``, ``actor_id``, ``kind``, ``start``, ``end``), *articles* the
    articles it was extracted from (``doc_id``, ``title``, ``body``; ``source`` and ``date`` when present).
    Sampling is seeded per actor (the rows of one actor do not depend on the other actors asked for): articles
    are drawn with *seed* from the actor's articles in doc_id order, then one mention in each. *kinds* restricts
    the mentions (e.g. ``["name"]``). Rows: :data:`CONCORDANCE_COLUMNS`, actors in the order given, then by doc_id.
    """
    ids = [actor_ids] if isinstance(actor_ids, str) else list(actor_ids)
    cols = list(CONCORDANCE_COLUMNS)
    if mentions.empty or not ids:
        return pd.DataFrame(columns=cols)
    m = mentions[mentions["actor_id"].astype(str).isin(ids)]
    if kinds is not None:
        m = m[m["kind"].isin(list(kinds))]
    m = m.astype({"doc_id": str, "actor_id": str}).sort_values(["actor_id", "doc_id", "start"], kind="stable")
    picked = []
    for actor_id in ids:
        own = m[m["actor_id"] == actor_id]
        if own.empty:
            continue
        rng = np.random.default_rng(seed)
        docs = own["doc_id"].unique()  # sorted: own is sorted by doc_id
        chosen = np.sort(rng.choice(len(docs), size=min(n, len(docs)), replace=False))
        by_doc = {d: g for d, g in own.groupby("doc_id", sort=False)}
        for i in chosen:
            group = by_doc[docs[i]]
            picked.append(group.iloc[int(rng.integers(len(group)))])
    if not picked:
        return pd.DataFrame(columns=cols)
    sample = pd.DataFrame(picked).reset_index(drop=True)
    meta = articles.assign(doc_id=articles["doc_id"].astype(str))
    meta = meta[meta["doc_id"].isin(set(sample["doc_id"]))].drop_duplicates("doc_id").set_index("doc_id")
    rows = []
    for r in sample.itertuples(index=False):
        art = meta.loc[r.doc_id] if r.doc_id in meta.index else None
        title = "" if art is None or pd.isna(art.get("title")) else str(art.get("title"))
        body = "" if art is None or pd.isna(art.get("body")) else str(art.get("body"))
        text = article_text(title, body)
        start, end = int(r.start), int(r.end)
        surface = getattr(r, "surface", None)
        if end > len(text) or (surface is not None and text[start:end] != surface):
            logger.warning("concordance: mention %s:%d-%d does not point into its article", r.doc_id, start, end)
            continue
        left, right = context(text, start, end, window)
        source = art.get("source") if art is not None else None
        date = art.get("date") if art is not None else None
        rows.append({"actor_id": r.actor_id, "doc_id": r.doc_id, "title": title,
                     "source": None if source is None or pd.isna(source) else str(source),
                     "date": None if date is None or pd.isna(date) else pd.Timestamp(date),
                     "kind": r.kind, "left": left, "match": text[start:end], "right": right,
                     "start": start, "end": end})
    out = pd.DataFrame(rows, columns=cols)
    out["date"] = pd.to_datetime(out["date"])
    return out
