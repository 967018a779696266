"""Concordance (keyword in context): every hit of a query with the words around it, as the outlet wrote them.

:func:`kwic` returns one row per hit: ``doc_id, title, source, date, left, match, right, start, end`` where
``start``/``end`` index the article text (title, blank line, body; the text actor mentions index) and
``text[start:end] == match``. ``left``/``right`` are the original text of the *window* tokens before and after
the match (punctuation counts as a token; whitespace runs, line breaks included, are shown as one space; the
context never leaves the article). Hits can be sorted by a context word (``L1`` = first word to the left,
``R2`` = second word to the right, compared on their normalised forms, as AntConc sorts), sampled with a seed
for close reading, exported to CSV (``DataFrame.to_csv``) and shown as an HTML table that reads right to left
with the match highlighted (:func:`kwic_html`; every string from the data is HTML-escaped).
"""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from arabic_news.explore.index import ExploreError, TokenIndex
from arabic_news.explore.query import Hits, match_query, parse_query

__all__ = ["kwic", "kwic_hits", "kwic_html", "KWIC_COLUMNS"]

KWIC_COLUMNS = ("doc_id", "title", "source", "date", "left", "match", "right", "start", "end")
_SORT_RE = re.compile(r"^(?:([LR])([1-9]))$")
_SPACE_RE = re.compile(r"\s+")


def _sort_keys(index: TokenIndex, hits: Hits, sort: str) -> list[str]:
    """The normalised form of the k-th word left/right of each hit ('' past the article's edge)."""
    m = _SORT_RE.match(sort)
    side, k = m.group(1), int(m.group(2))
    word = index.word_mask()
    cw = index._cache.get("word_cumsum")
    if cw is None:
        cw = index._cache["word_cumsum"] = np.cumsum(word, dtype=np.int64)  # words up to and including token i
    words_pos = index._cache.get("word_positions")
    if words_pos is None:
        words_pos = index._cache["word_positions"] = np.flatnonzero(word)
    doc = index.col("doc")
    if side == "L":
        before = np.where(hits.first > 0, cw[np.maximum(hits.first - 1, 0)], 0)  # words before the hit
        rank = before - k  # 0-based rank of the k-th word to the left
    else:
        last = hits.first + hits.length - 1
        rank = cw[last] + k - 1
    ok = (rank >= 0) & (rank < len(words_pos))
    pos = words_pos[np.clip(rank, 0, max(len(words_pos) - 1, 0))] if len(words_pos) else np.zeros(len(rank), np.int64)
    ok &= doc[pos] == doc[hits.first] if len(pos) else ok
    form = index.col("form")
    terms = index.term_list
    return [terms[form[p]] if good else "" for p, good in zip(pos.tolist(), ok.tolist())]


def kwic_hits(index: TokenIndex, query: str, *, match: str = "clitics", allow_stopwords: bool = False) -> Hits:
    """The raw hits of *query* (token positions), for callers that only count."""
    return match_query(index, parse_query(query, match, allow_stopwords=allow_stopwords))


def _select(hits: Hits, order: np.ndarray) -> Hits:
    return Hits(hits.first[order], hits.length[order],
                None if hits.char_start is None else hits.char_start[order],
                None if hits.char_end is None else hits.char_end[order],
                None if hits.doc is None else hits.doc[order])


def kwic(corpus, query: str, window: int = 8, match: str = "clitics", *, sort: str | None = None,
         sample: int | None = None, seed: int = 42, limit: int | None = None,
         allow_stopwords: bool = False) -> pd.DataFrame:
    """Concordance of *query* in *corpus* (a corpus folder, a DataFrame of articles or a token index).

    ``match``: ``clitics`` (default), ``exact`` or ``stem`` (see :mod:`arabic_news.explore.query`); the query
    may be a word, a glob pattern (``عراق*``), a phrase or ``actor:ID``. ``sort``: ``None`` (text order: by
    article, then position), ``'L1'``..``'L9'`` or ``'R1'``..``'R9'`` (by that context word, then text order).
    ``sample``: keep a random sample of that many hits (drawn with ``seed``) before sorting; ``limit``: keep
    the first rows after sorting. The frame's ``attrs['summary']`` holds the hit and article counts.
    """
    from arabic_news.explore.partitioned import dispatch

    return dispatch(corpus, "kwic", query=query, window=window, match=match, sort=sort, sample=sample,
                    seed=seed, limit=limit, allow_stopwords=allow_stopwords)


def _kwic_index(index: TokenIndex, *, query: str, window: int, match: str, sort: str | None,
                sample: int | None, seed: int, limit: int | None, allow_stopwords: bool,
                _finalise: bool = True) -> pd.DataFrame:
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ExploreError(f"window must be a non-negative number of tokens, got {window!r}")
    if sort is not None and sort not in ("doc",) and not _SORT_RE.match(str(sort)):
        raise ExploreError(f"unknown sort {sort!r}; use L1..L9 or R1..R9 (context word left/right) or doc")
    if sample is not None and sample < 0:
        raise ExploreError(f"sample must be a positive number of hits, got {sample!r}")
    q = parse_query(query, match, allow_stopwords=allow_stopwords)
    hits = match_query(index, q)
    n_hits = len(hits)
    if sample is not None and _finalise and n_hits > sample:
        rng = np.random.default_rng(seed)
        hits = _select(hits, np.sort(rng.choice(n_hits, size=int(sample), replace=False)))
    keys = None
    if sort not in (None, "doc") and len(hits):
        keys = _sort_keys(index, hits, sort)
    frame = _rows(index, hits, window)
    if keys is not None:
        frame["_key"] = keys
    frame.attrs["summary"] = {"query": q.label, "match": q.mode, "hits": int(n_hits),
                              "articles": int(frame["doc_id"].nunique()) if len(frame) else 0}
    if _finalise:
        frame = finalise_kwic(frame, sort=sort, limit=limit, n_hits=n_hits)
    return frame


def finalise_kwic(frame: pd.DataFrame, *, sort: str | None, limit: int | None, n_hits: int) -> pd.DataFrame:
    summary = dict(frame.attrs.get("summary", {}))
    if "_key" in frame.columns:
        frame = frame.sort_values(["_key", "_order"], kind="stable").drop(columns="_key")
    frame = frame.drop(columns=["_order"], errors="ignore").reset_index(drop=True)
    if limit is not None:
        frame = frame.head(int(limit))
    summary.update({"hits": int(n_hits), "rows": int(len(frame))})
    frame.attrs["summary"] = summary
    return frame


def _clean(text: str) -> str:
    return _SPACE_RE.sub(" ", text)


def _rows(index: TokenIndex, hits: Hits, window: int) -> pd.DataFrame:
    """One row per hit (in the hits' order) with its contexts."""
    if not len(hits):
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in KWIC_COLUMNS})
        frame["start"] = frame["start"].astype("int64")
        frame["end"] = frame["end"].astype("int64")
        frame["date"] = pd.Series(dtype="datetime64[ns]")
        frame["_order"] = pd.Series(dtype="int64")
        return frame
    doc_col, start_col, end_col = index.col("doc"), index.col("start"), index.col("end")
    first = hits.first
    last = first + hits.length - 1
    doc = doc_col[first].astype(np.int64)
    docs = index.docs
    doc_first = docs["first"].to_numpy()[doc]
    doc_last = doc_first + docs["n_tokens"].to_numpy()[doc] - 1
    m_start = start_col[first].astype(np.int64) if hits.char_start is None else hits.char_start
    m_end = end_col[last].astype(np.int64) if hits.char_end is None else hits.char_end
    l_tok = np.maximum(first - window, doc_first)
    r_tok = np.minimum(last + window, doc_last)
    l_start = np.where(first > l_tok, start_col[l_tok], m_start)
    r_end = np.where(r_tok > last, end_col[r_tok], m_end)
    texts = index.texts(np.unique(doc))
    left, match, right = [], [], []
    for d, ls, ms, me, re_ in zip(doc.tolist(), l_start.tolist(), m_start.tolist(), m_end.tolist(), r_end.tolist()):
        t = texts[d]
        left.append(_clean(t[min(ls, ms):ms]).strip())
        match.append(t[ms:me])
        right.append(_clean(t[me:max(re_, me)]).strip())
    out = pd.DataFrame({
        "doc_id": docs["doc_id"].to_numpy()[doc],
        "title": docs["title"].to_numpy()[doc] if "title" in docs.columns else "",
        "source": docs["source"].to_numpy()[doc] if "source" in docs.columns else None,
        "date": docs["date"].to_numpy()[doc] if "date" in docs.columns else pd.NaT,
        "left": left, "match": match, "right": right,
        "start": m_start.astype(np.int64), "end": m_end.astype(np.int64),
        "_order": np.arange(len(doc), dtype=np.int64),
    })
    return out


# ------------------------------------------------------------------------------------------------ HTML
_KWIC_CSS = (
    "table.an-kwic{border-collapse:collapse;direction:rtl;font-size:0.95em}"
    "table.an-kwic td,table.an-kwic th{padding:2px 6px;border-bottom:1px solid #ddd;vertical-align:top}"
    "table.an-kwic td.an-left{text-align:left;unicode-bidi:plaintext}"
    "table.an-kwic td.an-right{text-align:right;unicode-bidi:plaintext}"
    "table.an-kwic td.an-match{text-align:center;white-space:nowrap}"
    "table.an-kwic mark{background:#ffe08a;padding:0 2px}"
    "table.an-kwic td.an-meta{color:#555;font-size:0.85em;white-space:nowrap}"
)


def kwic_html(frame: pd.DataFrame, *, max_rows: int | None = 50, caption: str | None = None) -> str:
    """A right-to-left HTML table of a :func:`kwic` frame: outlet and date, the preceding context (on the right,
    where an Arabic reader starts), the highlighted match, the following context. Every string from the data
    is escaped with :func:`html.escape`."""
    rows = frame if max_rows is None else frame.head(max_rows)
    esc = html.escape
    parts = [f"<style>{_KWIC_CSS}</style>", '<table class="an-kwic an-rtl" dir="rtl">']
    if caption:
        parts.append(f"<caption>{esc(str(caption))}</caption>")
    parts.append("<thead><tr><th>المصدر</th><th>التاريخ</th><th>السياق السابق</th><th>الكلمة</th>"
                 "<th>السياق اللاحق</th></tr></thead><tbody>")
    for r in rows.itertuples(index=False):
        date = getattr(r, "date", None)
        date_s = "" if date is None or pd.isna(date) else f"{pd.Timestamp(date):%Y-%m-%d}"
        source = getattr(r, "source", None)
        source_s = "" if source is None or (isinstance(source, float) and np.isnan(source)) else str(source)
        title = getattr(r, "title", "") or ""
        parts.append(
            f'<tr><td class="an-meta" title="{esc(str(title))}">{esc(source_s)}</td>'
            f'<td class="an-meta">{esc(date_s)}</td>'
            f'<td class="an-left">{esc(str(r.left))}</td>'
            f'<td class="an-match"><mark>{esc(str(r.match))}</mark></td>'
            f'<td class="an-right">{esc(str(r.right))}</td></tr>')
    parts.append("</tbody></table>")
    if max_rows is not None and len(frame) > max_rows:
        parts.append(f"<p>{len(frame) - max_rows:,} more row(s) not shown.</p>")
    return "".join(parts)
