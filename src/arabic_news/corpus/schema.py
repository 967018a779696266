"""The canonical article table written by ``arabic-news ingest`` and read by everything downstream.

``articles.parquet`` columns:

=================== ========================= ==========================================================
column              type                      meaning
=================== ========================= ==========================================================
doc_id              string                    stable id, see :func:`make_doc_id`
title               string                    title ("" when the source has none)
body                string                    the paragraphs joined by ``"\\n"``
paragraphs          list<string>              recovered paragraphs (seed layout: split on ``., `` joins)
date                timestamp[ns] (nullable)  publication/crawl date; NaT when absent or unparseable
source              string (nullable)         outlet id (e.g. ``alriyadh``) or None
url                 string (nullable)         article URL or None
label               string (nullable)         gold label (ANT ``category``, ``--label-column``) or None
path                string                    input address relative to SOURCE (see readers)
n_tokens            int32                     tokens of the normalised body (``normalize_tokens``)
near_duplicate_of   string (nullable)         doc_id of an earlier article with MinHash Jaccard ≥ 0.8
encoding            string                    detected encoding of the input file ("utf-8" for records;
                                              e.g. "utf-8+cp1256" for a file decoded segment by segment)
=================== ========================= ==========================================================

After these canonical columns, a seed folder ingested with a metadata CSV has one extra string column
``meta_<name>`` per metadata column other than the file key, ``source``, ``url``, ``date`` and ``label``
(null when the file has no metadata row). Readers that need the canonical layout select
:data:`ARTICLE_COLUMNS`.

``ingest_report.csv`` columns: ``path, status, reason, doc_id`` with status in
``loaded | duplicate | rejected | ignored``; for ``duplicate`` the doc_id is the KEPT document's.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa

ARTICLES_FILE = "articles.parquet"
REPORT_FILE = "ingest_report.csv"
META_FILE = "ingest_meta.json"

#: Bump when the table layout or the ingest logic changes (invalidates cached ingests).
SCHEMA_VERSION = 1

ARTICLE_SCHEMA = pa.schema([
    ("doc_id", pa.string()),
    ("title", pa.string()),
    ("body", pa.string()),
    ("paragraphs", pa.list_(pa.string())),
    ("date", pa.timestamp("ns")),
    ("source", pa.string()),
    ("url", pa.string()),
    ("label", pa.string()),
    ("path", pa.string()),
    ("n_tokens", pa.int32()),
    ("near_duplicate_of", pa.string()),
    ("encoding", pa.string()),
])
ARTICLE_COLUMNS = tuple(ARTICLE_SCHEMA.names)
REPORT_COLUMNS = ("path", "status", "reason", "doc_id")
STATUSES = ("loaded", "duplicate", "rejected", "ignored")


def make_doc_id(*, source: str | None, url: str | None, title_norm: str, body_digest: bytes) -> str:
    """A stable 16-hex-digit id.

    * With a URL: BLAKE2b-64 of ``source + "\\x1f" + url`` (the same article keeps its id when its text is
      re-crawled or re-cleaned). If an earlier article of the same run already has that source + url but a
      different body, the later one gets BLAKE2b-64 of ``"url" + url`` and its body digest instead (noted in
      the report).
    * Without a URL: BLAKE2b-64 of the normalised title, ``"\\x1f"`` and the body digest (BLAKE2b-128 of the
      normalised body tokens), so the id depends on the text only, not on file names or input order.
    """
    h = hashlib.blake2b(digest_size=8)
    if url:
        h.update(f"url\x1f{source or ''}\x1f{url}".encode("utf-8"))
    else:
        h.update(f"text\x1f{title_norm}\x1f".encode("utf-8"))
        h.update(body_digest)
    return h.hexdigest()


def load_articles(corpus_dir: str | Path, columns: list[str] | None = None):
    """Read ``corpus_dir/articles.parquet`` (written by :func:`arabic_news.corpus.ingest`) as a DataFrame.

    ``date`` is ``datetime64[ns]`` (NaT allowed), ``paragraphs`` holds Python lists of str, ``n_tokens`` is
    int. *corpus_dir* may also be the parquet file itself (or a folder of parquet parts). Raises
    FileNotFoundError with the fix. See :func:`iter_articles` to stream a corpus too big for memory.
    """
    import pyarrow.parquet as pq

    return _to_frame(pq.read_table(_articles_path(corpus_dir), columns=columns))


def _articles_path(corpus_dir: str | Path) -> Path:
    path = Path(corpus_dir)
    if path.is_dir() and path.name != ARTICLES_FILE:
        path = path / ARTICLES_FILE
    if not path.exists():  # a file, or a folder of parquet parts (partitioned output)
        raise FileNotFoundError(
            f"{path}: no ingested corpus here; run `arabic-news ingest SOURCE --out {path.parent}` first"
        )
    return path


def _to_frame(table):
    import pandas as pd

    df = table.to_pandas()
    if "paragraphs" in df.columns:
        df["paragraphs"] = [list(p) if p is not None else [] for p in df["paragraphs"]]
    if "date" in df.columns:
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    if "n_tokens" in df.columns:
        df["n_tokens"] = df["n_tokens"].astype("int64")
    return df


def iter_articles(corpus_dir: str | Path, *, batch_size: int = 10_000, columns: list[str] | None = None):
    """Yield the article table as DataFrames of at most *batch_size* rows (for corpora too big for memory)."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(_articles_path(corpus_dir), format="parquet")
    for batch in dataset.to_batches(columns=columns, batch_size=batch_size):
        if batch.num_rows:
            yield _to_frame(pa.Table.from_batches([batch]))


def load_report(corpus_dir: str | Path):
    """Read ``corpus_dir/ingest_report.csv`` as a DataFrame (all columns str, empty reason/doc_id as "")."""
    import pandas as pd

    path = Path(corpus_dir) / REPORT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no ingest report here; run `arabic-news ingest SOURCE --out {path.parent}`")
    return pd.read_csv(path, dtype=str, keep_default_na=False)
