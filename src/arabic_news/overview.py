"""Corpus statistics for the overview notebook: outlets, dates, lengths, ingest outcomes, token frequencies.

Every function takes the canonical article table (``arabic_news.corpus.load_articles``) or the ingest report
(``DIR/ingest_report.csv``) and returns a pandas DataFrame (or Counter) that the notebook shows or plots.
Nothing is dropped silently: undated articles, missing outlets and unknown ingest statuses are counted.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

logger = logging.getLogger(__name__)

#: Placeholder used for articles whose outlet (``source``) is missing.
UNKNOWN_SOURCE = "(unknown)"

INGEST_REPORT_COLUMNS = ("path", "status", "reason", "doc_id")
INGEST_STATUSES = ("loaded", "duplicate", "rejected", "ignored")


def _sources(articles: pd.DataFrame) -> pd.Series:
    src = articles["source"].astype("object") if "source" in articles else pd.Series(index=articles.index, dtype=object)
    return src.where(src.notna() & (src.astype(str).str.strip() != ""), UNKNOWN_SOURCE).astype(str)


def _paragraph_counts(articles: pd.DataFrame) -> pd.Series:
    if "paragraphs" in articles:
        return articles["paragraphs"].map(lambda p: 0 if p is None else len(p)).astype(int)
    return articles["body"].fillna("").map(lambda b: len([x for x in str(b).split("\n") if x.strip()])).astype(int)


def articles_by_source(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet: articles, share of the corpus (%), tokens, first and last date; largest first."""
    df = pd.DataFrame({
        "source": _sources(articles),
        "n_tokens": articles["n_tokens"].astype("int64") if "n_tokens" in articles else 0,
        "date": pd.to_datetime(articles["date"]) if "date" in articles else pd.NaT,
    })
    out = df.groupby("source").agg(
        articles=("source", "size"),
        tokens=("n_tokens", "sum"),
        first_date=("date", "min"),
        last_date=("date", "max"),
    )
    out.insert(1, "share_pct", (100.0 * out["articles"] / max(len(df), 1)).round(1))
    out = out.reset_index().sort_values(["articles", "source"], ascending=[False, True], kind="stable")
    return out.set_index("source")


def articles_by_date(articles: pd.DataFrame, *, freq: str = "D", by_source: bool = True) -> pd.DataFrame:
    """Counts of dated articles per period (rows) and outlet (columns, largest first).

    Undated articles (``date`` is NaT) are not in the table; count them with :func:`undated_count`.
    Periods with no article inside the covered range appear with zero counts.
    """
    dates = pd.to_datetime(articles["date"])
    mask = dates.notna()
    if not mask.any():
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    periods = dates[mask].dt.to_period(freq).dt.to_timestamp()
    if by_source:
        table = pd.crosstab(periods.rename("date"), _sources(articles)[mask].rename("source"))
        table = table[table.sum(axis=0).sort_values(ascending=False, kind="stable").index]
    else:
        table = periods.rename("date").value_counts().sort_index().to_frame("articles")
    full = pd.date_range(table.index.min(), table.index.max(), freq=pd.tseries.frequencies.to_offset(freq))
    if len(full) == 0:  # e.g. freq="MS" vs month-start timestamps: keep what we have
        return table
    return table.reindex(table.index.union(full), fill_value=0).rename_axis("date")


def undated_count(articles: pd.DataFrame) -> int:
    """Number of articles without a date."""
    return int(pd.to_datetime(articles["date"]).isna().sum())


def article_lengths(articles: pd.DataFrame) -> pd.DataFrame:
    """Per article: ``doc_id``, ``source``, ``n_tokens``, ``n_paragraphs``, ``n_chars`` (body characters)."""
    return pd.DataFrame({
        "doc_id": articles["doc_id"].astype(str).to_numpy(),
        "source": _sources(articles).to_numpy(),
        "n_tokens": articles["n_tokens"].astype("int64").to_numpy(),
        "n_paragraphs": _paragraph_counts(articles).to_numpy(),
        "n_chars": articles["body"].fillna("").astype(str).str.len().astype("int64").to_numpy(),
    })


def length_summary(lengths: pd.DataFrame, *, columns: Iterable[str] = ("n_tokens", "n_paragraphs")) -> pd.DataFrame:
    """Distribution summary (count, mean, min, 10th percentile, median, 90th percentile, max) per length column."""
    rows = {}
    for col in columns:
        v = lengths[col].to_numpy(dtype=float)
        if len(v) == 0:
            rows[col] = dict.fromkeys(("count", "mean", "min", "p10", "median", "p90", "max"), np.nan)
            continue
        rows[col] = {
            "count": int(len(v)),
            "mean": round(float(v.mean()), 1),
            "min": float(v.min()),
            "p10": float(np.percentile(v, 10)),
            "median": float(np.median(v)),
            "p90": float(np.percentile(v, 90)),
            "max": float(v.max()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def read_ingest_report(corpus_dir: str | Path) -> pd.DataFrame:
    """``corpus_dir/ingest_report.csv`` as a DataFrame (empty, with the expected columns, if it is absent)."""
    path = Path(corpus_dir) / "ingest_report.csv"
    if not path.is_file():
        logger.warning("%s not found: no ingest report to summarise (run `arabic-news ingest` to create it)", path)
        return pd.DataFrame(columns=list(INGEST_REPORT_COLUMNS))
    report = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in INGEST_REPORT_COLUMNS if c not in report.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; re-run `arabic-news ingest` to regenerate it")
    return report


def ingest_status_counts(report: pd.DataFrame) -> pd.DataFrame:
    """Number of input files/records per ingest status (the four known statuses always listed, others appended)."""
    counts = report["status"].value_counts()
    order = list(INGEST_STATUSES) + sorted(s for s in counts.index if s not in INGEST_STATUSES)
    out = pd.DataFrame({"inputs": [int(counts.get(s, 0)) for s in order]}, index=pd.Index(order, name="status"))
    out.loc["total"] = int(len(report))
    return out


_REASON_DETAIL_RE = re.compile(r"\s*\(|\s+of\s+|:\s")


def reason_category(reason: str) -> str:
    """The kind of an ingest reason without its details: ``"exact duplicate of a.txt"`` -> ``"exact duplicate"``,
    ``"not Arabic text (Arabic letter ratio 0.09 < 0.30)"`` -> ``"not Arabic text"``; empty -> ``""``."""
    return _REASON_DETAIL_RE.split(str(reason or ""), maxsplit=1)[0].strip()


def ingest_reasons(report: pd.DataFrame, status: str, *, drop_empty: bool = False) -> pd.DataFrame:
    """Inputs with *status* counted by kind of reason (:func:`reason_category`), most frequent first.

    Columns: ``inputs`` and ``example`` (the first full reason of that kind, by path). ``drop_empty`` leaves
    out inputs without a reason (e.g. plainly loaded files, to list only the flagged ones).
    """
    sub = report[report["status"] == status].sort_values("path", kind="stable")
    if drop_empty:
        sub = sub[sub["reason"].astype(str).str.strip() != ""]
    kinds = sub["reason"].map(reason_category).replace("", "(no reason given)")
    out = pd.DataFrame({"reason": kinds.to_numpy(), "example": sub["reason"].to_numpy()})
    if out.empty:
        return pd.DataFrame({"inputs": pd.Series(dtype=int), "example": pd.Series(dtype=str)},
                            index=pd.Index([], name="reason"))
    table = out.groupby("reason", sort=False).agg(inputs=("reason", "size"), example=("example", "first"))
    return table.sort_values("inputs", ascending=False, kind="stable")


def ingest_examples(report: pd.DataFrame, status: str, *, n: int = 10, flagged_only: bool = False) -> pd.DataFrame:
    """The first *n* inputs with *status* (sorted by path), with their reason and document id.

    ``flagged_only`` keeps inputs that have a reason (e.g. loaded articles flagged as near duplicates)."""
    sub = report[report["status"] == status]
    if flagged_only:
        sub = sub[sub["reason"].astype(str).str.strip() != ""]
    sub = sub.sort_values("path", kind="stable")
    return sub[list(INGEST_REPORT_COLUMNS)].head(n).reset_index(drop=True)


def is_word(token: str) -> bool:
    """True for tokens with at least one letter (drops punctuation, digits and symbols)."""
    return any(ch.isalpha() for ch in token)


def token_counts(
    texts: Iterable[str],
    *,
    normalized: bool,
    drop_stopwords: bool = False,
    words_only: bool = True,
    progress: bool = False,
) -> Counter:
    """Token frequencies over *texts*.

    ``normalized=False`` counts camel-tools tokens of the raw text (:func:`arabic_news.text.tokenize_fast`,
    the same tokens as camel-tools' ``simple_word_tokenize``, about 15x faster);
    ``normalized=True`` counts :func:`arabic_news.text.normalize_tokens` (dediacritised, tatweel removed,
    alef / alef maksura / teh marbuta unified). ``drop_stopwords`` removes :func:`arabic_news.text.stopwords`
    (normalised, so it is only meaningful with ``normalized=True``). ``words_only`` keeps tokens with a letter.
    """
    from arabic_news import text as T

    if drop_stopwords and not normalized:
        raise ValueError("drop_stopwords=True needs normalized=True (the stop-word list is normalised)")
    split = T.normalize_tokens if normalized else T.tokenize_fast
    stop = T.stopwords() if drop_stopwords else frozenset()
    counts: Counter = Counter()
    for doc in tqdm(texts, desc="counting tokens", disable=not progress, unit="doc"):
        counts.update(split(doc or ""))
    if words_only or stop:  # filter types once, not every token
        counts = Counter({t: c for t, c in counts.items() if (not words_only or is_word(t)) and t not in stop})
    return counts


#: Below this many texts :func:`frequency_lists` counts in-process whatever ``n_jobs`` says.
PARALLEL_MIN_TEXTS = 2000
_FORK_TEXTS: list[str] | None = None


def _count_range(bounds: tuple[int, int]) -> tuple[Counter, Counter]:
    start, stop = bounds
    return _count(_FORK_TEXTS[start:stop])


def _count(texts) -> tuple[Counter, Counter]:
    from arabic_news import text as T

    raw: Counter = Counter()
    norm: Counter = Counter()
    for doc in texts:
        doc = doc or ""
        raw.update(T.tokenize_fast(doc))
        norm.update(T.normalize_tokens(doc))
    return raw, norm


def frequency_lists(texts: Iterable[str], *, progress: bool = False, n_jobs: int = 1,
                    chunksize: int = 1000) -> dict[str, Counter]:
    """The three word-frequency lists of the overview, in one pass over *texts*.

    ``"as written"`` (raw camel-tools tokens), ``"normalised"`` (:func:`arabic_news.text.normalize_tokens`)
    and ``"normalised, no stop words"`` (the normalised list without :func:`arabic_news.text.stopwords`);
    punctuation, digits and symbols are left out of all three. Equal to three :func:`token_counts` calls.

    ``n_jobs > 1`` counts chunks of *chunksize* texts in that many forked worker processes (from
    :data:`PARALLEL_MIN_TEXTS` texts up, where fork is available); the chunks' counts are merged in order, so
    the result (counts and the order of first appearance) is the same as in one process.
    """
    import multiprocessing as mp

    from arabic_news import text as T

    global _FORK_TEXTS
    texts = list(texts)
    raw: Counter = Counter()
    norm: Counter = Counter()
    bounds = [(i, min(i + chunksize, len(texts))) for i in range(0, len(texts), chunksize)]
    bar = tqdm(total=len(texts), desc="counting tokens", disable=not progress, unit="doc")
    if n_jobs > 1 and len(texts) >= PARALLEL_MIN_TEXTS and "fork" in mp.get_all_start_methods():
        try:
            _FORK_TEXTS = texts
            with mp.get_context("fork").Pool(int(n_jobs)) as pool:
                for (start, stop), (r, n) in zip(bounds, pool.imap(_count_range, bounds)):
                    raw.update(r)
                    norm.update(n)
                    bar.update(stop - start)
        finally:
            _FORK_TEXTS = None
    else:
        for start, stop in bounds:
            r, n = _count(texts[start:stop])
            raw.update(r)
            norm.update(n)
            bar.update(stop - start)
    bar.close()
    # filter word types once, not every token
    raw = Counter({t: c for t, c in raw.items() if is_word(t)})
    norm = Counter({t: c for t, c in norm.items() if is_word(t)})
    stop = T.stopwords()
    content = Counter({t: c for t, c in norm.items() if t not in stop})
    return {"as written": raw, "normalised": norm, "normalised, no stop words": content}


def top_tokens(counters: Mapping[str, Counter], *, k: int = 20) -> pd.DataFrame:
    """Side-by-side top-*k* tokens of several frequency lists: columns ``(label, "token")``, ``(label, "count")``.

    Ties are broken alphabetically so the table is deterministic.
    """
    parts = {}
    for label, counter in counters.items():
        top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        top += [("", 0)] * (k - len(top))
        parts[(label, "token")] = [t for t, _ in top]
        parts[(label, "count")] = [c for _, c in top]
    out = pd.DataFrame(parts, index=pd.RangeIndex(1, k + 1, name="rank"))
    out.columns = pd.MultiIndex.from_tuples(out.columns)
    return out


def vocabulary_summary(counters: Mapping[str, Counter]) -> pd.DataFrame:
    """Per frequency list: tokens, types, hapax legomena (types seen once) and the type/token ratio."""
    rows = {}
    for label, counter in counters.items():
        n_tokens = int(sum(counter.values()))
        n_types = len(counter)
        rows[label] = {
            "tokens": n_tokens,
            "types": n_types,
            "hapax": int(sum(1 for c in counter.values() if c == 1)),
            "type_token_ratio": round(n_types / n_tokens, 4) if n_tokens else float("nan"),
        }
    return pd.DataFrame.from_dict(rows, orient="index")




def normalisation_merges(raw_counts: Mapping[str, int], *, k: int = 15, min_variants: int = 2) -> pd.DataFrame:
    """Which spellings normalisation merges: raw word types grouped by their normalised form.

    One row per normalised form with at least ``min_variants`` raw spellings, the ``k`` most frequent ones:
    ``normalised``, ``variants`` (number of raw spellings), ``count`` (their total frequency) and ``spellings``
    (the raw spellings, most frequent first, with counts). Each raw *type* is normalised once.
    """
    from arabic_news.text import normalize_text

    groups: dict[str, list[tuple[str, int]]] = {}
    for raw, c in raw_counts.items():
        groups.setdefault(normalize_text(raw), []).append((raw, int(c)))
    rows = []
    for norm, members in groups.items():
        if len(members) < min_variants:
            continue
        members.sort(key=lambda kv: (-kv[1], kv[0]))
        rows.append({
            "normalised": norm,
            "variants": len(members),
            "count": sum(c for _, c in members),
            "spellings": "، ".join(f"{t} ({c})" for t, c in members[:6]) + ("، …" if len(members) > 6 else ""),
        })
    out = pd.DataFrame(rows, columns=["normalised", "variants", "count", "spellings"])
    if out.empty:
        return out
    out = out.sort_values(["count", "normalised"], ascending=[False, True], kind="stable").head(k)
    return out.reset_index(drop=True)


def export_tables(tables: Mapping[str, pd.DataFrame], output_dir: str | Path | None) -> list[Path]:
    """Write each table to ``output_dir/<name>.csv`` (UTF-8, deterministic); nothing when output_dir is empty."""
    if not output_dir:
        return []
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        table.to_csv(path, encoding="utf-8", float_format="%.6g", date_format="%Y-%m-%d")
        written.append(path)
    logger.info("wrote %d table(s) to %s", len(written), out)
    return written


__all__ = [
    "export_tables",
    "frequency_lists",
    "normalisation_merges",
    "UNKNOWN_SOURCE",
    "article_lengths",
    "articles_by_date",
    "articles_by_source",
    "ingest_examples",
    "ingest_reasons",
    "ingest_status_counts",
    "is_word",
    "length_summary",
    "read_ingest_report",
    "reason_category",
    "token_counts",
    "top_tokens",
    "undated_count",
    "vocabulary_summary",
]
