"""Ingest a folder or file of Arabic news articles into the canonical article table.

Pipeline (streaming, bounded memory):

1. a reader (:mod:`arabic_news.corpus.readers`) yields one raw item per input file or record (a SaudiNewsNet
   zip is one 'archive' item that the worker expands into its records);
2. items are processed in chunks (1,000 files/records, or one archive), in worker processes when there is
   more than one chunk: decode (:mod:`~arabic_news.corpus.decode`), parse
   (:mod:`~arabic_news.corpus.seed_layout`), language check, normalise + tokenise
   (``arabic_news.text.normalize_tokens``), exact-duplicate key and MinHash signature;
   at most ``2 x n_jobs`` chunks are in flight, so a reader is never far ahead of the writer;
3. the main process, in input order, drops exact duplicates (the first occurrence is kept), assigns
   doc_ids, flags near-duplicates with a streaming LSH index (:mod:`~arabic_news.corpus.dedup`), and
   appends row groups (~5,000 articles) to ``articles.parquet`` and rows to ``ingest_report.csv``.

Outputs are written into a temporary folder beside ``out_dir`` and swapped into place at the end
(:mod:`arabic_news.corpus.atomic`), so a reader sees the previous complete corpus or the new complete one,
never a mix, and an interrupted (even SIGKILLed) run leaves the previous corpus untouched.
"""
from __future__ import annotations

import collections
import csv
import hashlib
import json
import logging
import multiprocessing as mp
import os
import stat
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.parquet as pq

from arabic_news import config
from arabic_news.corpus import dedup
from arabic_news.corpus.atomic import OutputDir
from arabic_news.corpus.decode import MOJIBAKE_REASONS, DecodeError, arabic_ratio, decode_bytes, mojibake_kind
from arabic_news.corpus.readers import (
    FORMATS,
    ColumnSpec,
    IngestError,
    Metadata,
    RawItem,
    detect_format,
    expand_archive,
    format_size,
    iter_source,
    too_large_reason,
)
from arabic_news.corpus.schema import (
    ARTICLE_SCHEMA,
    ARTICLES_FILE,
    META_FILE,
    REPORT_COLUMNS,
    REPORT_FILE,
    SCHEMA_VERSION,
    make_doc_id,
)
from arabic_news.corpus.seed_layout import LayoutError, clean_line, clean_text, parse_seed_text, split_line_paragraphs

logger = logging.getLogger(__name__)

#: An article whose letters are less than this share Arabic is rejected as "not Arabic".
MIN_ARABIC_RATIO = 0.3
DEFAULT_CHUNK_SIZE = 1000
DEFAULT_ROW_GROUP_SIZE = 5_000
#: Entries of an output folder that ingest writes (an old one not written again is dropped, not carried over);
#: ``partitioned`` (``arabic-news ingest --partition-by``) is derived from the table, so stale after a new ingest.
OUTPUT_ENTRIES = (ARTICLES_FILE, REPORT_FILE, META_FILE, "partitioned", f".{ARTICLES_FILE}.partial",
                  f".{REPORT_FILE}.partial")
#: A chunk of files sent to a worker holds at most this many bytes of input (and at least one file).
DEFAULT_CHUNK_BYTES = 32 * 10**6
#: The parquet writer flushes a row group once it buffers this many bytes of articles.
DEFAULT_ROW_GROUP_BYTES = 64 * 10**6
#: Paragraphs are normalised and tokenised in groups of about this many characters.
_TOKENIZE_GROUP_CHARS = 1 << 16
#: Prefix of the extra metadata columns in articles.parquet.
META_PREFIX = "meta_"


class NothingLoadedError(IngestError):
    """The run completed but not a single article could be loaded."""


@dataclass
class IngestSummary:
    """Counts of one ingest run (``n_inputs`` = loaded + duplicate + rejected + ignored)."""

    source: str
    out_dir: str
    format: str
    n_inputs: int = 0
    n_loaded: int = 0
    n_duplicate: int = 0
    n_rejected: int = 0
    n_ignored: int = 0
    n_near_duplicate: int = 0
    n_tokens: int = 0
    seconds: float = 0.0
    n_jobs: int = 1
    metadata: str | None = None
    metadata_unmatched: int = 0
    metadata_duplicates: int = 0
    rejected_reasons: dict[str, int] = field(default_factory=dict)
    #: SHA-256 over "path, BLAKE2b-128 of the bytes read" of every article file and archive ingest read (in
    #: input order): what the run actually read (JSONL/CSV/parquet, streamed by their readers, are not hashed)
    inputs_digest: str | None = None

    @property
    def articles_path(self) -> Path:
        return Path(self.out_dir) / ARTICLES_FILE

    @property
    def report_path(self) -> Path:
        return Path(self.out_dir) / REPORT_FILE

    @property
    def articles_per_second(self) -> float:
        """Articles/records processed (loaded + duplicate + rejected; ignored files excluded) per second."""
        n = self.n_loaded + self.n_duplicate + self.n_rejected
        return n / self.seconds if self.seconds > 0 else float("nan")

    def line(self) -> str:
        """One-line human summary (printed by the CLI)."""
        return (
            f"ingested {self.n_inputs} inputs ({self.format}) from {self.source}: {self.n_loaded} loaded "
            f"({self.n_near_duplicate} near-duplicates flagged), {self.n_duplicate} duplicate, "
            f"{self.n_rejected} rejected, {self.n_ignored} ignored in {self.seconds:.1f} s "
            f"({self.articles_per_second:,.0f} articles/s) -> {self.articles_path}; report: {self.report_path}"
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["articles_per_second"] = round(self.articles_per_second, 1) if self.seconds > 0 else None
        return d


# ------------------------------------------------------------------------------------------ worker side
def _resolve_normalize_tokens() -> Callable[[str], list[str]]:
    """``arabic_news.text.normalize_tokens`` when the text package provides it, else normalise + tokenise."""
    from arabic_news import text as _text

    fn = getattr(_text, "normalize_tokens", None)
    if fn is not None:
        return fn
    from arabic_news.text import normalize_text, tokenize

    def _fallback(s: str) -> list[str]:
        return tokenize(normalize_text(s))

    return _fallback


_NORMALIZE_TOKENS: Callable[[str], list[str]] | None = None


def _normalize_tokens(text: str) -> list[str]:
    global _NORMALIZE_TOKENS
    if _NORMALIZE_TOKENS is None:
        _NORMALIZE_TOKENS = _resolve_normalize_tokens()
    return _NORMALIZE_TOKENS(text)


def _as_str(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    s = str(value).strip()
    return s or None


def parse_date(raw) -> tuple[datetime | None, str | None]:
    """A naive (UTC) datetime from *raw*, or (None, note) when it cannot be parsed.

    ISO 8601 strings take the fast path (``datetime.fromisoformat``); anything else goes through
    ``pandas.to_datetime`` with day-first disambiguation (``05/03/2017`` is 5 March), as Arabic news sites
    write dates day first. Dates outside 1678-2261 (not representable in datetime64[ns]) become NaT.
    """
    if raw is None:
        return None, None
    if isinstance(raw, datetime):
        dt = raw
    else:
        s = str(raw).strip()
        if not s or s.lower() in ("nan", "nat", "none", "null"):
            return None, None
        try:
            dt = datetime.fromisoformat(s)
        except ValueError:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ts = pd.to_datetime(s, dayfirst=True)
            except (ValueError, OverflowError, TypeError):
                return None, f"unparseable date {s!r} (stored as NaT)"
            if ts is pd.NaT:
                return None, f"unparseable date {s!r} (stored as NaT)"
            dt = ts.to_pydatetime()
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    if not 1678 <= dt.year <= 2261:
        return None, f"date {dt.date()} out of range (stored as NaT)"
    return dt, None


def _joined_tokens(paragraphs: list[str]) -> tuple[bytes, int]:
    """``" ".join(normalize_tokens("\\n".join(paragraphs))).encode()`` and the token count, without ever holding
    the token list of a long body: paragraphs are tokenised in groups of ~64K characters (a line break is a
    token boundary, so the result is the same)."""
    parts: list[bytes] = []
    n = 0
    group: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal n
        tokens = _normalize_tokens("\n".join(group))
        if tokens:
            parts.append(" ".join(tokens).encode("utf-8"))
            n += len(tokens)

    for p in paragraphs:
        group.append(p)
        size += len(p)
        if size >= _TOKENIZE_GROUP_CHARS:
            flush()
            group, size = [], 0
    if group:
        flush()
    return (parts[0] if len(parts) == 1 else b" ".join(parts)), n


def _finish(path: str, title: str, paragraphs: list[str], *, encoding: str, source, url, date, label,
            notes: list[str], extra: dict | None = None) -> dict:
    body = "\n".join(paragraphs)
    sample = title[:3000] + "\n" + body[:3000]
    kind = mojibake_kind(sample)
    if kind is not None:
        return _rejected(path, MOJIBAKE_REASONS[kind])
    ratio = arabic_ratio(sample)
    if ratio < MIN_ARABIC_RATIO:
        return _rejected(path, f"not Arabic text (Arabic letter ratio {ratio:.2f} < {MIN_ARABIC_RATIO:.2f})")
    if len(body) <= _TOKENIZE_GROUP_CHARS:  # a news article: one call
        tokens = _normalize_tokens(body)
        joined, n_tokens = " ".join(tokens).encode("utf-8"), len(tokens)
        del tokens
    else:  # a long text: never the whole token list at once
        joined, n_tokens = _joined_tokens(paragraphs)
    sig = dedup.minhash(joined=joined)
    date, date_note = parse_date(date)
    if date_note:
        notes = [*notes, date_note]
    key = hashlib.blake2b(joined, digest_size=16).digest()
    del joined
    source, url = _as_str(source), _as_str(url)
    if url:
        doc_id = make_doc_id(source=source, url=url, title_norm="", body_digest=key)
        # used only if an earlier article already has this source+url: an id from the url and the body
        alt_id = make_doc_id(source=source, url=None, title_norm=f"url\x1f{url}", body_digest=key)
    else:
        title_norm = " ".join(_normalize_tokens(title)) if title else ""
        doc_id, alt_id = make_doc_id(source=source, url=None, title_norm=title_norm, body_digest=key), None
    return {
        "status": "ok",
        "path": path,
        "title": title,
        "paragraphs": paragraphs,
        "body": body,
        "date": date,
        "source": source,
        "url": url,
        "label": _as_str(label),
        "encoding": encoding,
        "n_tokens": n_tokens,
        "key": key,
        "doc_id": doc_id,
        "alt_id": alt_id,
        "sig": sig,
        "reason": "; ".join(notes),
        "extra": extra or {},
    }


def _rejected(path: str, reason: str) -> dict:
    return {"status": "rejected", "path": path, "reason": reason}


def read_bounded(path: str, limit: int | None) -> bytes:
    """The bytes of the regular file at *path*, at most *limit*; raises OSError, or ValueError with the report
    reason when the file is not a regular file or is (or grows) larger than *limit*.

    The file is opened non-blocking (a FIFO swapped in after the folder walk cannot hang the run) and checked
    with ``fstat`` before anything is read; at most ``limit + 1`` bytes are read, whatever the file's size.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file: not read")
        if limit is not None and st.st_size > limit:
            raise ValueError(too_large_reason(st.st_size, limit))
        want = (limit + 1) if limit is not None else st.st_size + 1
        chunks, got = [], 0
        while got < want:
            block = os.read(fd, min(want - got, 1 << 24))
            if not block:
                break
            chunks.append(block)
            got += len(block)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise ValueError(f"file grew beyond the {format_size(limit)} limit while being read; raise "
                         f"--max-file-size to read it")
    if limit is None and len(data) > st.st_size:  # grew while read: read the rest
        with open(path, "rb") as fh:
            fh.seek(len(data))
            data += fh.read()
    return data


def _process_seed(item: RawItem, max_file_size: int | None) -> dict:
    try:
        data = read_bounded(item.file, max_file_size)
    except OSError as exc:
        return _rejected(item.path, f"unreadable file ({exc.strerror or exc})")
    except ValueError as exc:
        return _rejected(item.path, str(exc))
    if not data:
        return _rejected(item.path, "empty file")
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        return _rejected(item.path, exc.reason)
    del data
    encoding, notes = decoded.encoding, list(decoded.notes)
    try:
        parsed = parse_seed_text(decoded.text)
    except LayoutError as exc:
        return _rejected(item.path, exc.reason)
    del decoded  # a long text is held once (as paragraphs) from here on
    meta = item.meta
    if item.reason:  # metadata notes (no row, matched by name only, duplicate rows), from Metadata.lookup
        notes.append(item.reason)
    meta = meta or {}
    result = _finish(item.path, parsed.title, parsed.paragraphs, encoding=encoding,
                     source=meta.get("source"), url=meta.get("url"), date=meta.get("date"),
                     label=meta.get("label"), notes=notes,
                     extra={k: v for k, v in meta.items() if k not in Metadata.CANONICAL})
    result["digest"] = digest
    return result


def _process_record(item: RawItem, max_file_size: int | None) -> dict:
    rec = item.record or {}
    text = rec.get("text")
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return _rejected(item.path, "empty body (no text)")
    text = str(text)
    if max_file_size is not None and 4 * len(text) > max_file_size:  # cheap bound before encoding
        size = len(text.encode("utf-8"))
        if size > max_file_size:
            return _rejected(item.path, too_large_reason(size, max_file_size, "article text"))
    paragraphs = split_line_paragraphs(clean_text(text))
    if not paragraphs:
        return _rejected(item.path, "empty body (no text)")
    title = rec.get("title")
    title = clean_line(clean_text(str(title)).replace("\n", " ")) if title is not None else ""
    return _finish(item.path, title, paragraphs, encoding="utf-8", source=rec.get("source"), url=rec.get("url"),
                   date=rec.get("date"), label=rec.get("label"), notes=[])


def process_item(item: RawItem, max_file_size: int | None = config.MAX_FILE_SIZE) -> dict:
    """Turn one raw item into a result dict (status 'ok', 'rejected' or 'ignored')."""
    if item.kind == "ignored":
        return {"status": "ignored", "path": item.path, "reason": item.reason}
    if item.kind == "rejected":
        return _rejected(item.path, item.reason)
    try:
        if item.kind == "seed":
            return _process_seed(item, max_file_size)
        return _process_record(item, max_file_size)
    except Exception as exc:  # one bad input must not stop a million-article run: report it
        logger.exception("failed to process %s", item.path)
        return _rejected(item.path, f"internal error while reading ({type(exc).__name__}: {exc})")


class ChunkOptions(NamedTuple):
    """What a worker needs besides the items: the size limit and the extra metadata columns of the table."""

    max_file_size: int | None = config.MAX_FILE_SIZE
    extra_columns: tuple[str, ...] = ()


class ChunkResult(NamedTuple):
    """What a worker sends back for a chunk of raw items.

    ``rows``: one ``(path, status, reason, key, doc_id, alt_id, signature bytes)`` per item, in input order
    (status 'ok', 'rejected' or 'ignored'); ``table``: the article columns of the 'ok' rows, in the same
    order (an Arrow table pickles as raw buffers, which keeps the main process light); ``digests``:
    ``(path, BLAKE2b-128 hex)`` of the bytes of every file or archive the worker read.
    """

    rows: list[tuple]
    table: pa.Table
    digests: list[tuple[str, str]] = []


def article_schema(extra_columns: Iterable[str] = ()) -> pa.Schema:
    """:data:`ARTICLE_SCHEMA` plus one string column ``meta_<name>`` per extra metadata column."""
    extra = [pa.field(META_PREFIX + c, pa.string()) for c in extra_columns]
    return pa.schema(list(ARTICLE_SCHEMA) + extra) if extra else ARTICLE_SCHEMA


def _expanded(items: list[RawItem], options: ChunkOptions, digests: list) -> Iterator[RawItem]:
    for it in items:
        if it.kind == "archive":
            h = hashlib.blake2b(digest_size=16)
            yield from expand_archive(it, max_file_size=options.max_file_size, digest=h)
            digests.append((it.path, h.hexdigest()))
        else:
            yield it


def process_chunk(items: list[RawItem], options: ChunkOptions | None = None) -> ChunkResult:
    options = options or ChunkOptions()
    digests: list[tuple[str, str]] = []
    results = [process_item(it, options.max_file_size) for it in _expanded(items, options, digests)]
    digests.extend((r["path"], r["digest"]) for r in results if "digest" in r)
    ok = [r for r in results if r["status"] == "ok"]
    arrays = []
    schema = article_schema(options.extra_columns)
    for name, fld in zip(ARTICLE_SCHEMA.names, ARTICLE_SCHEMA):
        if name == "near_duplicate_of":
            arrays.append(pa.nulls(len(ok), type=fld.type))
        else:
            arrays.append(pa.array([r[name] for r in ok], type=fld.type))
    for c in options.extra_columns:
        arrays.append(pa.array([_as_str(r["extra"].get(c)) for r in ok], type=pa.string()))
    table = pa.Table.from_arrays(arrays, schema=schema)
    rows = []
    for r in results:
        if r["status"] == "ok":
            sig = r["sig"]
            rows.append((r["path"], "ok", r["reason"], r["key"], r["doc_id"], r["alt_id"],
                         sig.tobytes() if sig is not None else None))
        else:
            rows.append((r["path"], r["status"], r["reason"], None, None, None, None))
    return ChunkResult(rows, table, digests)


# ------------------------------------------------------------------------------------------ main side
def _chunked(items: Iterable[RawItem], size: int, max_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[list[RawItem]]:
    """Lists of at most *size* items holding at most *max_bytes* of input files (a larger file is a chunk of
    its own); an archive (many records) is always a chunk of its own."""
    buf: list[RawItem] = []
    n_bytes = 0
    for it in items:
        if it.kind == "archive":
            if buf:
                yield buf
                buf, n_bytes = [], 0
            yield [it]
            continue
        if buf and it.size and n_bytes + it.size > max_bytes:
            yield buf
            buf, n_bytes = [], 0
        buf.append(it)
        n_bytes += it.size or 0
        if len(buf) >= size:
            yield buf
            buf, n_bytes = [], 0
    if buf:
        yield buf


def _processed_chunks(items: Iterable[RawItem], *, n_jobs: int, chunk_size: int,
                      options: ChunkOptions | None = None) -> Iterator[ChunkResult]:
    """Results chunk by chunk, in input order; parallel with bounded look-ahead when worthwhile."""
    options = options or ChunkOptions()
    chunks = _chunked(items, chunk_size)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if n_jobs <= 1 or second is None:  # a single chunk: not worth starting workers
        yield process_chunk(first, options)
        if second is not None:
            yield process_chunk(second, options)
        for chunk in chunks:
            yield process_chunk(chunk, options)
        return
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else None)
    pending: collections.deque = collections.deque()
    with ctx.Pool(n_jobs) as pool:
        pending.append(pool.apply_async(process_chunk, (first, options)))
        pending.append(pool.apply_async(process_chunk, (second, options)))
        for chunk in chunks:
            pending.append(pool.apply_async(process_chunk, (chunk, options)))
            while len(pending) >= 2 * n_jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


class _ArticleWriter:
    """Collects filtered chunk tables and writes them to parquet in row groups of ~``row_group_size`` rows
    (or fewer, once ``row_group_bytes`` of articles are buffered: a few huge articles never pile up)."""

    def __init__(self, path: Path, row_group_size: int, schema: pa.Schema = ARTICLE_SCHEMA,
                 row_group_bytes: int = DEFAULT_ROW_GROUP_BYTES):
        self.path = path
        self.row_group_size = row_group_size
        self.row_group_bytes = row_group_bytes
        self.writer = pq.ParquetWriter(path, schema, compression="zstd")
        self.tables: list[pa.Table] = []
        self.n_buffered = 0
        self.bytes_buffered = 0
        self.n_written = 0

    def add(self, table: pa.Table) -> None:
        if table.num_rows:
            self.tables.append(table)
            self.n_buffered += table.num_rows
            self.bytes_buffered += table.nbytes
        if self.n_buffered >= self.row_group_size or self.bytes_buffered >= self.row_group_bytes:
            self.flush()

    def flush(self) -> None:
        if not self.tables:
            return
        table = pa.concat_tables(self.tables).combine_chunks()
        self.tables, self.n_buffered, self.bytes_buffered = [], 0, 0
        self.writer.write_table(table, row_group_size=self.row_group_size)
        self.n_written += table.num_rows
        del table
        pa.default_memory_pool().release_unused()  # give freed Arrow buffers back, keep RSS flat on long runs

    def close(self) -> None:
        self.writer.close()


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def ingest(
    source: str | Path,
    out_dir: str | Path,
    *,
    format: str = "auto",
    metadata: str | Path | None = None,
    text_column: str | None = None,
    title_column: str | None = None,
    date_column: str | None = None,
    source_column: str | None = None,
    label_column: str | None = None,
    url_column: str | None = None,
    include: Iterable[str] | None = None,
    n_jobs: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
    near_duplicate_threshold: float | None = dedup.DEFAULT_THRESHOLD,
    progress: bool | None = None,
    follow_symlinks: bool = False,
    max_file_size: int | None = config.MAX_FILE_SIZE,
) -> IngestSummary:
    """Ingest *source* (folder or file) into ``out_dir/articles.parquet`` + ``out_dir/ingest_report.csv``.

    *format*: one of ``auto, seed, jsonl, csv, parquet, saudinewsnet, ant`` (auto detects, see
    :func:`~arabic_news.corpus.readers.detect_format`). *metadata*: a CSV joined on file name to seed-layout
    files (``file,source,url,date[,label]``); for a seed folder with a top-level ``metadata.csv`` and no
    *metadata* given, that file is used. ``*_column``: columns/keys of generic JSONL/CSV/parquet input.
    *include*: only these report paths (relative to SOURCE) of a seed folder (used for samples).
    *n_jobs*: worker processes (default: the usable CPUs; 1 = in-process).
    *near_duplicate_threshold*: estimated Jaccard (word 3-shingles) for flagging near-duplicates; ``None`` or
    ``0`` turns the check off (the LSH index costs about 2.5 KB of memory per loaded article).
    *follow_symlinks*: read symlinks that lead outside SOURCE (rejected by default; symlinks to special files
    and loops are rejected either way, see :func:`~arabic_news.corpus.readers.walk_entries`).
    *max_file_size*: bytes; a larger article file (or record text) is rejected from its size, before it is
    read, and no read takes more than this (``None``: no limit). JSON members of archives and JSON lines may be
    ``CONTAINER_FACTOR`` (25) times larger. Extra metadata columns are kept as ``meta_<name>`` columns.

    Returns an :class:`IngestSummary`. Raises :class:`IngestError` for bad input (missing SOURCE, missing
    column) and :class:`NothingLoadedError` (after writing the report) when no article could be loaded;
    :class:`~arabic_news.corpus.atomic.OutputDirError` when *out_dir* is a file or a folder of other files.
    """
    t0 = time.perf_counter()
    source = Path(source).expanduser()
    out_dir = Path(out_dir).expanduser()
    if not source.exists():
        raise IngestError(f"{source}: no such file or folder; pass an existing SOURCE")
    if format not in FORMATS:
        raise IngestError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if max_file_size is not None and int(max_file_size) <= 0:
        raise IngestError(f"max_file_size must be more than 0 bytes (got {max_file_size})")
    fmt = detect_format(source, follow_symlinks=follow_symlinks) if format == "auto" else format
    meta_obj = None
    if metadata is not None:
        mpath = Path(metadata).expanduser()
        if not mpath.is_file():
            raise IngestError(f"{mpath}: metadata CSV not found; pass an existing file to --metadata")
        if fmt != "seed":
            raise IngestError(f"{mpath}: --metadata only applies to seed-layout folders (format is {fmt})")
        meta_obj = Metadata(mpath)
    elif fmt == "seed" and source.is_dir() and (source / "metadata.csv").is_file():
        meta_obj = Metadata(source / "metadata.csv")
        logger.info("using %s as metadata", meta_obj.path)
    columns = ColumnSpec(text=text_column, title=title_column, date=date_column, source=source_column,
                         label=label_column, url=url_column)
    n_jobs = _default_jobs() if n_jobs is None else max(1, int(n_jobs))
    include_set = set(include) if include is not None else None

    output = OutputDir(out_dir, owned=OUTPUT_ENTRIES, marker=(ARTICLES_FILE, REPORT_FILE, META_FILE),
                       what="ingest output")
    work_dir = output.begin()  # everything is written here, then swapped into out_dir
    tmp_articles = work_dir / f".{ARTICLES_FILE}.partial"
    tmp_report = work_dir / f".{REPORT_FILE}.partial"
    summary = IngestSummary(source=str(source), out_dir=str(out_dir), format=fmt, n_jobs=n_jobs,
                            metadata=str(meta_obj.path) if meta_obj else None)
    extra_columns = tuple(meta_obj.extra_columns) if meta_obj is not None else ()
    options = ChunkOptions(max_file_size=max_file_size, extra_columns=extra_columns)
    writer = _ArticleWriter(tmp_articles, row_group_size, article_schema(extra_columns))
    inputs_hash = hashlib.sha256()
    seen_bodies: dict[bytes, tuple[str, str]] = {}
    seen_ids: set[str] = set()
    index = dedup.NearDuplicateIndex(threshold=near_duplicate_threshold) if near_duplicate_threshold else None
    reasons: collections.Counter = collections.Counter()

    from tqdm.auto import tqdm

    show = progress if progress is not None else sys.stderr.isatty()
    bar = tqdm(desc=f"ingest {source.name}", unit=" inputs", disable=not show, mininterval=1.0)
    try:
        with open(tmp_report, "w", encoding="utf-8", newline="") as fh:
            report = csv.writer(fh)
            report.writerow(REPORT_COLUMNS)

            items = iter_source(source, fmt, columns=columns, metadata=meta_obj, include=include_set,
                                follow_symlinks=follow_symlinks, max_file_size=max_file_size)
            for chunk in _processed_chunks(items, n_jobs=n_jobs, chunk_size=chunk_size, options=options):
                for path, digest in chunk.digests:
                    inputs_hash.update(f"{path}\t{digest}\n".encode("utf-8"))
                keep: list[bool] = []
                doc_ids: list[str] = []
                sigs: list[np.ndarray | None] = []
                rows: list[list] = []  # report rows of this chunk, in input order
                loaded_rows: list[list] = []
                for path, status, reason, key, doc_id, alt_id, sig_bytes in chunk.rows:
                    summary.n_inputs += 1
                    if status == "ignored":
                        summary.n_ignored += 1
                        rows.append([path, "ignored", reason, ""])
                        continue
                    if status == "rejected":
                        summary.n_rejected += 1
                        reasons[reason.split(" (")[0]] += 1
                        rows.append([path, "rejected", reason, ""])
                        continue
                    kept = seen_bodies.get(key)
                    if kept is not None:
                        summary.n_duplicate += 1
                        keep.append(False)
                        rows.append([path, "duplicate", f"exact duplicate of {kept[1]}", kept[0]])
                        continue
                    notes = [reason] if reason else []
                    if doc_id in seen_ids and alt_id is not None:
                        notes.append(f"url already used by doc {doc_id}; id derived from the text")
                        doc_id = alt_id
                    while doc_id in seen_ids:  # practically impossible (64-bit ids), but ids must be unique
                        doc_id = hashlib.blake2b(doc_id.encode(), digest_size=8).hexdigest()
                    seen_ids.add(doc_id)
                    seen_bodies[key] = (doc_id, path)
                    summary.n_loaded += 1
                    keep.append(True)
                    doc_ids.append(doc_id)
                    sigs.append(np.frombuffer(sig_bytes, dtype=np.uint32) if sig_bytes is not None else None)
                    row = [path, "loaded", notes, doc_id]
                    rows.append(row)
                    loaded_rows.append(row)
                near = index.query_add_batch(doc_ids, sigs) if index is not None else [None] * len(doc_ids)
                near_of = []
                for row, hit in zip(loaded_rows, near):
                    if hit is not None:
                        summary.n_near_duplicate += 1
                        row[2].append(f"near duplicate of {hit[0]} (estimated Jaccard {hit[1]:.2f})")
                    row[2] = "; ".join(row[2])
                    near_of.append(hit[0] if hit is not None else None)
                report.writerows(rows)
                table = chunk.table.filter(pa.array(keep, type=pa.bool_())) if not all(keep) else chunk.table
                if table.num_rows:
                    table = table.set_column(ARTICLE_SCHEMA.get_field_index("doc_id"), "doc_id",
                                             pa.array(doc_ids, type=pa.string()))
                    table = table.set_column(ARTICLE_SCHEMA.get_field_index("near_duplicate_of"), "near_duplicate_of",
                                             pa.array(near_of, type=pa.string()))
                    summary.n_tokens += int(pa.compute.sum(table["n_tokens"]).as_py() or 0)
                writer.add(table)
                bar.update(len(chunk.rows))
            writer.flush()
        writer.close()
    except BaseException:
        writer.close()
        output.abort()
        raise
    finally:
        bar.close()

    os.replace(tmp_articles, work_dir / ARTICLES_FILE)
    os.replace(tmp_report, work_dir / REPORT_FILE)
    summary.seconds = time.perf_counter() - t0
    summary.rejected_reasons = dict(reasons.most_common())
    summary.inputs_digest = inputs_hash.hexdigest()
    if meta_obj is not None:
        summary.metadata_unmatched = len(meta_obj.unmatched)
        summary.metadata_duplicates = len(meta_obj.duplicates)
        if meta_obj.unmatched:
            logger.warning("%s: %d metadata rows match no input file (e.g. %s)", meta_obj.path,
                           len(meta_obj.unmatched), meta_obj.unmatched[0])
    meta = {"schema_version": SCHEMA_VERSION, "summary": summary.to_dict(),
            "params": {"format": format, "metadata": str(metadata) if metadata else None,
                       "near_duplicate_threshold": near_duplicate_threshold,
                       "follow_symlinks": follow_symlinks, "max_file_size": max_file_size,
                       "columns": {k: v for k, v in asdict(columns).items() if v}}}
    (work_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    output.commit()
    logger.info(summary.line())
    if summary.n_loaded == 0:
        detail = ", ".join(f"{k}: {v}" for k, v in list(summary.rejected_reasons.items())[:3])
        raise NothingLoadedError(
            f"{source}: nothing could be loaded from {summary.n_inputs} inputs ({summary.n_rejected} rejected"
            f"{' — ' + detail if detail else ''}; {summary.n_ignored} ignored); see {summary.report_path}"
        )
    return summary
