"""Corpus statistics for the overview notebook: outlets, dates, lengths, ingest outcomes, token frequencies.

Every function takes the canonical article table (``arabic_news.corpus.load_articles``) or the ingest report
(``DIR/ingest_report.csv``) and returns a pandas DataFrame (or Counter) that the notebook shows or plots.
Nothing is dropped silently: undated articles, missing outlets and unknown ingest statuses are counted.

Outlets are shown by their real names (:func:`arabic_news.corpus.outlets.outlet_display_name`, re-exported
here); days without any article are gaps (missing values), never zeros; coverage problems and missing
metadata are said in one sentence each (:func:`coverage_warnings`, :func:`metadata_note`).
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

from arabic_news.corpus.outlets import outlet_display_name, outlet_display_names

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
    """One row per outlet id (``source``): its display name (``outlet``), articles, share of the corpus (%),
    tokens, days with at least one article, first and last date; largest first."""
    df = pd.DataFrame({
        "source": _sources(articles),
        "n_tokens": articles["n_tokens"].astype("int64") if "n_tokens" in articles else 0,
        "date": pd.to_datetime(articles["date"]) if "date" in articles else pd.NaT,
    })
    df["day"] = df["date"].dt.normalize()
    out = df.groupby("source").agg(
        articles=("source", "size"),
        tokens=("n_tokens", "sum"),
        days=("day", "nunique"),
        first_date=("date", "min"),
        last_date=("date", "max"),
    )
    out.insert(1, "share_pct", (100.0 * out["articles"] / max(len(df), 1)).round(1))
    out = out.reset_index().sort_values(["articles", "source"], ascending=[False, True], kind="stable")
    out.insert(1, "outlet", outlet_display_names(out["source"]))
    return out.set_index("source")


def articles_by_date(articles: pd.DataFrame, *, freq: str = "D", by_source: bool = True) -> pd.DataFrame:
    """Counts of dated articles per period (rows, every period of the covered range) and outlet (columns, ids,
    largest first), as nullable integers.

    A period in which no article at all is dated is a gap in the data, not a quiet period: its row is missing
    (``<NA>``), so that a plot breaks the line there instead of dropping to zero. Likewise an outlet's cells
    before its first and after its last dated article are missing (the outlet is not covered there); inside
    that span, a period without an article of the outlet (while others have some) counts 0.
    Undated articles (``date`` is NaT) are not in the table; count them with :func:`undated_count`.
    """
    dates = pd.to_datetime(articles["date"]) if "date" in articles else pd.Series(pd.NaT, index=articles.index)
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
    index = table.index.union(full) if len(full) else table.index
    out = table.reindex(index).astype("Int64").rename_axis("date")   # periods without any article: <NA>
    if by_source:
        for column in out.columns:
            has = table[column] > 0
            first, last = has.idxmax(), has[::-1].idxmax()
            outside = (out.index < first) | (out.index > last)
            out.loc[outside, column] = pd.NA
    out.columns.name = table.columns.name
    return out


def _day_ranges(days: list) -> str:
    """``2015-07-28 to 2015-07-30, 2015-08-05``: consecutive days collapsed into ranges."""
    days = sorted(pd.Timestamp(d).normalize() for d in days)
    parts: list[str] = []
    start = prev = None
    for d in days + [None]:
        if start is not None and (d is None or d - prev != pd.Timedelta(days=1)):
            parts.append(f"{start:%Y-%m-%d}" if start == prev else f"{start:%Y-%m-%d} to {prev:%Y-%m-%d}")
            start = None
        if d is not None:
            start = d if start is None else start
            prev = d
    return _join(parts)


def _join(items: list[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 2:
        return f" {word} ".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def coverage_warnings(articles: pd.DataFrame, *, few_days_share: float = 0.5, max_listed: int = 8) -> list[str]:
    """What a reader must know before comparing counts over time, one sentence each (empty list: nothing).

    * days inside the covered range on which no article is dated (gaps in the collection, not quiet days);
    * outlets with articles on fewer than ``few_days_share`` of the days that have data (their counts over
      time are not comparable with those of the other outlets), listed by display name with their days;
    * articles without a date, articles without an outlet (when only some lack them; see :func:`metadata_note`
      when none has one).
    At most *max_listed* outlets are named (the count says how many there are).
    """
    out: list[str] = []
    n = len(articles)
    dates = pd.to_datetime(articles["date"]) if "date" in articles else pd.Series(pd.NaT, index=articles.index)
    dated = dates.notna()
    sources = _sources(articles)
    if dated.any():
        days = dates[dated].dt.normalize()
        with_data = set(days)
        span = pd.date_range(days.min(), days.max(), freq="D")
        missing = [d for d in span if d not in with_data]
        if missing:
            out.append(f"No article is dated {_day_ranges(missing)}: {len(missing)} of the {len(span)} days from "
                       f"{span[0]:%Y-%m-%d} to {span[-1]:%Y-%m-%d} {'has' if len(missing) == 1 else 'have'} no "
                       f"data (gaps in the collection, drawn as breaks in the time series, not as zeros).")
        known = sources != UNKNOWN_SOURCE
        per_outlet = (pd.DataFrame({"source": sources[dated & known], "day": days[known[dated].to_numpy()]})
                      .groupby("source")["day"].agg(["nunique", "min", "max"]))
        few = per_outlet[per_outlet["nunique"] < few_days_share * len(with_data)]
        if len(per_outlet) > 1 and len(few):
            few = few.sort_values(["nunique", "min"], kind="stable")
            listed = [f"{outlet_display_name(s)} on {_plural(int(r['nunique']), 'day')}"
                      + (f" ({r['min']:%Y-%m-%d})" if r["min"] == r["max"]
                         else f" between {r['min']:%Y-%m-%d} and {r['max']:%Y-%m-%d}")
                      for s, r in few.head(max_listed).iterrows()]
            more = f" and {len(few) - max_listed} more" if len(few) > max_listed else ""
            out.append(f"{len(few)} of {len(per_outlet)} outlets cover only a few of the {len(with_data)} days with "
                       f"data: {_join(listed) if not more else ', '.join(listed) + more}; their counts over "
                       f"time are not comparable with those of the other outlets.")
        n_undated = int((~dated).sum())
        if n_undated:
            out.append(f"{_plural(n_undated, 'article')} of {n:,} {'has' if n_undated == 1 else 'have'} no date "
                       f"and {'is' if n_undated == 1 else 'are'} left out of the counts over time.")
    n_unknown = int((sources == UNKNOWN_SOURCE).sum())
    if 0 < n_unknown < n:
        out.append(f"{_plural(n_unknown, 'article')} of {n:,} {'has' if n_unknown == 1 else 'have'} no outlet "
                   f"and {'is' if n_unknown == 1 else 'are'} counted as {UNKNOWN_SOURCE}.")
    return out


def metadata_note(articles: pd.DataFrame) -> str | None:
    """One sentence saying how to add outlets and dates when no article has any (None when some have them).

    Outlets and dates of a folder in the seed layout come from a ``metadata.csv`` beside the ``.txt`` files
    (columns ``file,source,url,date``, one row per article file), joined on the file name at ingestion.
    """
    n = len(articles)
    if n == 0:
        return None
    no_source = bool((_sources(articles) == UNKNOWN_SOURCE).all())
    no_date = bool(pd.to_datetime(articles["date"]).isna().all()) if "date" in articles else True
    if not (no_source or no_date):
        return None
    what = "an outlet or a date" if no_source and no_date else ("an outlet" if no_source else "a date")
    return (f"None of the {n:,} articles has {what}. To add outlets and dates, put a file metadata.csv beside the "
            f"article files, with the header line file,source,url,date and one line per article file (for "
            f"example 001.txt,okaz,https://www.okaz.com.sa/article/1,2015-07-21), then run the report again on "
            f"that folder.")


def describe_corpus(articles: pd.DataFrame) -> str:
    """One sentence: how many articles, from how many outlets, over which period.

    >>> import pandas as pd
    >>> describe_corpus(pd.DataFrame({"source": ["okaz", None], "date": pd.to_datetime(["2015-07-21", None])}))
    '2 articles from 1 outlet (1 without), dated 2015-07-21 to 2015-07-21 (1 without a date)'
    """
    n = len(articles)
    sources = _sources(articles)
    known = sources[sources != UNKNOWN_SOURCE]
    n_unknown = n - len(known)
    dates = pd.to_datetime(articles["date"]) if "date" in articles else pd.Series(pd.NaT, index=articles.index)
    dated = dates.dropna()
    if known.empty:
        outlets = "without outlets"
    else:
        outlets = f"from {_plural(known.nunique(), 'outlet')}" + (f" ({n_unknown:,} without)" if n_unknown else "")
    if dated.empty:
        period = "without dates"
    else:
        period = f"dated {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}" + (
            f" ({n - len(dated):,} without a date)" if len(dated) < n else "")
    return f"{_plural(n, 'article')} {outlets}, {period}"


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
    """Distribution summary (count, mean, min, 10th percentile, median, 90th percentile, max) per length column.

    Lengths are whole numbers and so is every column but ``mean``: the 10th and 90th percentiles are values of
    the data (nearest rank) and the median is rounded to a whole number as the histograms label it (half to
    even: 3.5 -> 4, 2.5 -> 2); all stored as nullable integers (missing when there is no article).
    """
    stats = ("count", "mean", "min", "p10", "median", "p90", "max")
    rows = {}
    for col in columns:
        v = lengths[col].to_numpy(dtype=float)
        if len(v) == 0:
            rows[col] = dict.fromkeys(stats, np.nan) | {"count": 0}
            continue
        q = np.percentile(v, [10, 90], method="nearest")
        rows[col] = {
            "count": int(len(v)),
            "mean": round(float(v.mean()), 1),
            "min": v.min(),
            "p10": q[0],
            "median": round(float(np.median(v))),
            "p90": q[1],
            "max": v.max(),
        }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(stats))
    whole = [c for c in stats if c != "mean"]
    out[whole] = out[whole].round().astype("Int64")
    return out


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


def ingest_sentence(counts: pd.DataFrame) -> str:
    """:func:`ingest_status_counts` in one sentence: ``"31,031 inputs: 29,837 loaded, 831 exact duplicates
    (left out), 362 rejected, 1 ignored."``"""
    c = counts["inputs"].to_dict()
    parts = [f"{c.get('loaded', 0):,} loaded", f"{c.get('duplicate', 0):,} exact duplicates (left out)",
             f"{c.get('rejected', 0):,} rejected", f"{c.get('ignored', 0):,} ignored (not articles)"]
    parts += [f"{v:,} {k}" for k, v in c.items() if k not in INGEST_STATUSES and k != "total"]
    return f"{c.get('total', 0):,} inputs: " + ", ".join(parts) + "."


def notes_html(sentences: Iterable[str]) -> str:
    """Sentences as an HTML bullet list (each escaped: outlet names and dates come from data)."""
    import html

    items = "".join(f"<li>{html.escape(str(s))}</li>" for s in sentences)
    return f'<ul class="an-notes" dir="auto">{items}</ul>' if items else ""


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


_NEAR_RE = re.compile(r"near duplicate of (?P<of>\S+) \(estimated Jaccard (?P<j>[0-9.]+)\)")
_SNN_PATH_RE = re.compile(r"^(?P<zip>[^:#]+\.zip):(?P<member>[^:#]+)#(?P<i>\d+)$")
_RECORD_PATH_RE = re.compile(r"^(?P<file>[^:#]+)#(?P<i>\d+)$")


def _short_input(path: str) -> str:
    """The last part of an input address: ``dataset/2015-07-21.zip:2015-07-21.json#12`` -> ``2015-07-21.json#12``."""
    return re.split(r"[/:]", str(path))[-1]


def _ingest_source(corpus_dir: str | Path | None) -> tuple[Path | None, str | None]:
    """(input folder or file, format) of an ingested corpus, from its ``ingest_meta.json`` (None when unknown)."""
    import json

    if not corpus_dir:
        return None, None
    try:
        summary = json.loads((Path(corpus_dir) / "ingest_meta.json").read_text(encoding="utf-8"))["summary"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, None
    source = Path(summary.get("source") or "")
    return (source if str(source) and source.exists() else None), summary.get("format")


def input_records(corpus_dir: str | Path | None, paths: Iterable[str]) -> dict[str, dict]:
    """``{path: {"title", "source", "url"}}`` for ingest-report input addresses, read back from the inputs.

    The ingested table keeps only one copy of exact duplicates and nothing of rejected inputs; to show them
    by headline, their titles are read again from the input folder recorded in ``ingest_meta.json`` (seed
    layout ``.txt`` files, SaudiNewsNet day archives, JSON-lines records). Inputs that cannot be read back (the
    folder moved, another format) are simply absent from the result.
    """
    import gzip
    import json
    import zipfile

    paths = [str(p) for p in paths]
    source, fmt = _ingest_source(corpus_dir)
    if source is None or not paths:
        return {}
    root = source if source.is_dir() else source.parent
    out: dict[str, dict] = {}
    if fmt == "seed":
        from arabic_news.corpus.decode import decode_bytes
        from arabic_news.corpus.seed_layout import LayoutError, parse_seed_text

        for p in paths:
            try:
                text = decode_bytes((root / p).read_bytes()).text
                out[p] = {"title": parse_seed_text(text).title, "source": None, "url": None}
            except (OSError, LayoutError, ValueError):
                continue
        return out
    groups: dict[tuple[str, str], dict[int, str]] = {}
    for p in paths:
        m = _SNN_PATH_RE.match(p) if fmt == "saudinewsnet" else _RECORD_PATH_RE.match(p)
        if m:
            groups.setdefault((m.group("zip") if fmt == "saudinewsnet" else m.group("file"),
                               m.group("member") if fmt == "saudinewsnet" else ""), {})[int(m.group("i"))] = p
    for (file, member), wanted in groups.items():
        try:
            if fmt == "saudinewsnet":
                with zipfile.ZipFile(root / file) as zf:
                    records = json.loads(zf.read(member).decode("utf-8-sig"))
                records = records if isinstance(records, list) else [records]
                found = {i: records[i] for i in wanted if i < len(records)}
            elif fmt in ("jsonl", "ant"):
                opener = gzip.open if file.endswith(".gz") else open
                found = {}
                with opener(root / file, "rt", encoding="utf-8") as fh:
                    for i, line in enumerate(fh):
                        if i in wanted:
                            found[i] = json.loads(line)
                        if len(found) == len(wanted):
                            break
            else:
                continue
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            continue
        for i, rec in found.items():
            if isinstance(rec, dict):
                out[wanted[i]] = {"title": str(rec.get("title") or "").strip(), "source": rec.get("source"),
                                  "url": rec.get("url")}
    return out


#: Columns of :func:`duplicate_examples`.
DUPLICATE_COLUMNS = ("kept article", "outlet", "duplicate", "outlet of the duplicate", "similarity")


def duplicate_examples(report: pd.DataFrame, articles: pd.DataFrame, *, kind: str = "exact", n: int = 5,
                       corpus_dir: str | Path | None = None) -> pd.DataFrame:
    """The first *n* duplicates of a kind (by input address), shown by headline: one row per pair.

    ``kind="exact"``: inputs left out because their normalised body equals a kept article's; ``"near"``:
    loaded articles flagged as near duplicates of an earlier one (estimated Jaccard of word 3-shingles).
    *articles* must hold ``doc_id``, ``title`` and ``source`` of the whole corpus (not a sample). The left-out
    copy of an exact duplicate is read back from the input (:func:`input_records`); when that is impossible
    its title says so.

    Columns (:data:`DUPLICATE_COLUMNS`): the title of the kept (earlier) article and its outlet, the title of
    the duplicate and its outlet (display names; empty when unknown), and the similarity (estimated Jaccard of
    word 3-shingles; 1 for exact duplicates).
    """
    if kind not in ("exact", "near"):
        raise ValueError(f"kind must be 'exact' or 'near', got {kind!r}")
    columns = list(DUPLICATE_COLUMNS)
    info = articles.drop_duplicates("doc_id").set_index(articles["doc_id"].drop_duplicates().astype(str))
    title_of = info["title"].fillna("").astype(str).to_dict() if "title" in info else {}
    source_of = _sources(info).to_dict()

    def title(doc_id) -> str:
        t = title_of.get(str(doc_id), "")
        return t.strip() or "(no title)"

    rows = []
    if kind == "exact":
        sub = report[report["status"] == "duplicate"].sort_values("path", kind="stable").head(n)
        read = input_records(corpus_dir, sub["path"])
        for path, kept in zip(sub["path"], sub["doc_id"]):
            rec = read.get(path)
            dup_title = (rec["title"] or "(no title)") if rec else f"(not readable from the input: {_short_input(path)})"
            dup_source = outlet_display_name(rec["source"]) if rec and rec.get("source") else ""
            rows.append([title(kept), outlet_display_name(source_of.get(str(kept))), dup_title, dup_source, 1.0])
    else:
        sub = report[(report["status"] == "loaded") & report["reason"].astype(str).str.contains("near duplicate of")]
        for _, row in sub.sort_values("path", kind="stable").head(n).iterrows():
            m = _NEAR_RE.search(str(row["reason"]))
            if not m:
                continue
            rows.append([title(m.group("of")), outlet_display_name(source_of.get(m.group("of"))),
                         title(row["doc_id"]), outlet_display_name(source_of.get(str(row["doc_id"]))),
                         float(m.group("j"))])
    return pd.DataFrame(rows, columns=columns)


def rejected_examples(report: pd.DataFrame, *, n: int = 5, corpus_dir: str | Path | None = None) -> pd.DataFrame:
    """The first *n* rejected inputs (by address) with their headline when the input has one (read back with
    :func:`input_records`), its outlet when known, the input (its URL when the record has one, else the last
    part of its address, e.g. the file name) and the reason. Columns: ``title``, ``outlet``, ``input``, ``reason``."""
    sub = report[report["status"] == "rejected"].sort_values("path", kind="stable").head(n)
    read = input_records(corpus_dir, sub["path"])
    return pd.DataFrame({
        "title": [(read.get(p) or {}).get("title") or "(no title)" for p in sub["path"]],
        "outlet": [outlet_display_name(read[p]["source"]) if (read.get(p) or {}).get("source") else ""
                   for p in sub["path"]],
        "input": [(read.get(p) or {}).get("url") or _short_input(p) for p in sub["path"]],
        "reason": sub["reason"].astype(str).tolist(),
    })


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


#: the modules whose source makes the frequency lists what they are (part of the store key)
_FREQUENCY_CODE = ("arabic_news.overview", "arabic_news.text.tokenize", "arabic_news.text.normalize",
                   "arabic_news.text.stopwords")


def corpus_frequency_lists(texts: Iterable[str], doc_ids: Iterable[str], *, store=None, n_jobs: int = 1,
                           progress: bool = False) -> dict[str, Counter]:
    """:func:`frequency_lists` of *texts*, computed once per corpus through the analysis *store* (entry
    ``frequency_lists``, keyed by the articles' ids and texts and the counting code); without a store, counted.
    The lists keep their order (of first appearance), so rankings break ties as :func:`frequency_lists` does."""
    texts = list(texts)
    if store is None:
        return frequency_lists(texts, n_jobs=n_jobs, progress=progress)
    from arabic_news.corpus.store import code_fingerprint, values_fingerprint

    def compute() -> pd.DataFrame:
        lists = frequency_lists(texts, n_jobs=n_jobs, progress=progress)
        return pd.DataFrame({"list": [name for name, c in lists.items() for _ in range(len(c))],
                             "token": [t for c in lists.values() for t in c],
                             "count": np.fromiter((n for c in lists.values() for n in c.values()), dtype="int64")})

    params = {"articles": values_fingerprint(str(d) for d in doc_ids), "texts": values_fingerprint(texts),
              "code": code_fingerprint(*_FREQUENCY_CODE)}
    frame = store.frame("frequency_lists", params, compute, desc=f"word frequencies of {len(texts):,} articles")
    out = {name: Counter() for name in ("as written", "normalised", "normalised, no stop words")}
    for name, part in frame.groupby("list", sort=False):
        out[str(name)] = Counter(dict(zip(part["token"].astype(object), part["count"].astype(int))))
    return out


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
    "DUPLICATE_COLUMNS",
    "coverage_warnings",
    "ingest_sentence",
    "notes_html",
    "describe_corpus",
    "duplicate_examples",
    "input_records",
    "metadata_note",
    "outlet_display_name",
    "outlet_display_names",
    "rejected_examples",
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
