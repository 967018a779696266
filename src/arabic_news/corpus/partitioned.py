"""A partitioned parquet dataset of articles: the input of the scale-out pipeline (:mod:`arabic_news.scale`).

Layout (hive-style folders, one parquet file per *partition*, the unit of work of the Dask runner)::

    DIR/
      _manifest.json                     finished partitions: file, hive key, rows, sha256, date range
      date=2014-03/part-00000.parquet    --partition-by month (date=unknown for undated articles);
      date=2014-03/part-00001.parquet      a month with more than max_rows articles is split into parts
      date=unknown/part-00000.parquet
      part=00000/part-00000.parquet      --partition-by rows (a fixed number of rows per partition)

Every file has the canonical article schema (:data:`arabic_news.corpus.schema.ARTICLE_SCHEMA`), so a partition
read with :meth:`PartitionedDataset.read_partition` is exactly the frame :func:`~arabic_news.corpus.load_articles`
returns for the same rows. The manifest is rewritten atomically each time a partition file is closed and only
lists finished files; it says ``"complete": true`` only once every partition is written.

Interrupted runs: a reader (:class:`PartitionedDataset`, hence ``arabic-news scale run``) refuses a dataset whose
manifest is not complete, naming the command that resumes it. A :class:`PartitionedWriter` opened with
``resume=True`` on such a dataset (``arabic-news scale ingest`` does this) verifies the finished partitions
against their SHA-256, keeps the ones that form an unbroken prefix of each partition key, deletes anything else
(``*.partial`` files, files the manifest does not list), skips the rows those partitions hold and writes the rest:
the result has the same partitions, rows and order as an uninterrupted run. The manifest records a fingerprint
of the input (SHA-256 of its doc_ids, in order), so a resume from a different input is refused.

Memory: :class:`PartitionedWriter` buffers at most ``max_buffer_rows`` rows in total (month mode flushes the
largest month buffers as row groups when the limit is reached), so partitioning a corpus never needs the
corpus in memory.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from arabic_news.corpus.schema import ARTICLE_SCHEMA, _to_frame

logger = logging.getLogger(__name__)

MANIFEST_FILE = "_manifest.json"
MANIFEST_FORMAT = "arabic-news-partitioned"
MANIFEST_VERSION = 1
PARTITION_BY = ("month", "rows")
UNKNOWN_DATE = "unknown"
DEFAULT_ROWS = 50_000
DEFAULT_MAX_BUFFER_ROWS = 50_000
DEFAULT_ROW_GROUP_SIZE = 5_000


class PartitionedDatasetError(ValueError):
    """A partitioned dataset cannot be read or written; the message names the path and the fix."""


class IncompleteDatasetError(PartitionedDatasetError):
    """The dataset's manifest is not complete (its writer was interrupted); ``scale ingest`` resumes it."""


def resume_command(path: str | Path, manifest: dict) -> str:
    """The ``arabic-news scale ingest ...`` command line that resumes the dataset at *path*."""
    import shlex

    source = manifest.get("source") or "SOURCE"
    cmd = ["arabic-news", "scale", "ingest", str(source), "--out", str(path),
           "--partition-by", str(manifest.get("partition_by", "month"))]
    if manifest.get("rows_per_partition") not in (None, DEFAULT_ROWS):
        cmd += ["--rows", str(manifest["rows_per_partition"])]
    return " ".join(shlex.quote(c) if c != "SOURCE" else c for c in cmd)


def input_fingerprint(corpus: str | Path, batch_size: int = 100_000) -> str:
    """SHA-256 of an article table's doc_ids in order (with the row count): identifies a partitioner's input."""
    path = Path(corpus)
    src = path / "articles.parquet" if path.is_dir() else path
    h = hashlib.sha256()
    n = 0
    for batch in pq.ParquetFile(src).iter_batches(batch_size=batch_size, columns=["doc_id"]):
        ids = batch.column(0).to_pylist()
        n += len(ids)
        h.update("\n".join("" if i is None else i for i in ids).encode("utf-8") + b"\n")
    h.update(f"rows={n}".encode())
    return h.hexdigest()


def _part_index(file: str) -> int:
    return int(Path(file).stem.split("-")[-1])


def _hive_files(root: Path) -> list[Path]:
    """Partition files (finished or ``.partial``) under the hive folders of *root*."""
    files = []
    for folder in sorted(root.glob("*=*")):
        if folder.is_dir() and (folder.name.startswith("date=") or folder.name.startswith("part=")):
            files += [f for f in folder.iterdir() if f.name.startswith("part-")
                      and (f.name.endswith(".parquet") or f.name.endswith(".parquet.partial"))]
    return files


def remove_partition_files(root: str | Path, keep: Iterable[str] = ()) -> int:
    """Delete partition files under *root* except the relative paths in *keep*; drop emptied hive folders."""
    root = Path(root)
    keep = set(keep)
    removed = 0
    for f in _hive_files(root):
        if f.relative_to(root).as_posix() not in keep:
            f.unlink(missing_ok=True)
            removed += 1
    for folder in root.glob("*=*"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


@dataclass(frozen=True)
class Partition:
    """One finished partition file of a dataset (a row of the manifest)."""

    id: str           # stable id used for per-partition outputs, e.g. "date=2014-03_part-00000"
    key: str          # hive folder, e.g. "date=2014-03" or "part=00007"
    file: str         # path relative to the dataset folder
    rows: int
    sha256: str
    min_date: str | None = None
    max_date: str | None = None


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


def month_keys(dates: pd.Series) -> pd.Series:
    """The month partition value of each date: ``YYYY-MM``, or ``unknown`` for NaT."""
    dates = pd.to_datetime(dates)
    out = dates.dt.strftime("%Y-%m")
    return out.where(dates.notna(), UNKNOWN_DATE).astype(object)


def _date_range(table: pa.Table) -> tuple[str | None, str | None]:
    import pyarrow.compute as pc

    col = table["date"]
    if col.null_count == len(col):
        return None, None
    lo, hi = pc.min(col).as_py(), pc.max(col).as_py()
    return (str(pd.Timestamp(lo).date()) if lo is not None else None,
            str(pd.Timestamp(hi).date()) if hi is not None else None)


class _PartFile:
    """One partition file being written (under a temporary name until closed)."""

    def __init__(self, root: Path, key: str, index: int, row_group_size: int):
        self.key = key
        self.rel = f"{key}/part-{index:05d}.parquet"
        self.path = root / self.rel
        self.tmp = self.path.with_name(self.path.name + ".partial")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(self.tmp, ARTICLE_SCHEMA, compression="zstd")
        self.row_group_size = row_group_size
        self.rows = 0
        self.min_date: str | None = None
        self.max_date: str | None = None

    def write(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        self.writer.write_table(table, row_group_size=self.row_group_size)
        self.rows += table.num_rows
        lo, hi = _date_range(table)
        if lo is not None:
            self.min_date = lo if self.min_date is None else min(self.min_date, lo)
            self.max_date = hi if self.max_date is None else max(self.max_date, hi)

    def close(self) -> Partition:
        self.writer.close()
        os.replace(self.tmp, self.path)
        pid = self.rel[: -len(".parquet")].replace("/", "_")
        return Partition(id=pid, key=self.key, file=self.rel, rows=self.rows, sha256=file_sha256(self.path),
                         min_date=self.min_date, max_date=self.max_date)

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


class PartitionedWriter:
    """Write article tables (canonical schema) into a partitioned dataset, streaming.

    Parameters
    ----------
    out_dir : dataset folder (created; must not already hold a manifest unless ``overwrite``).
    partition_by : ``'month'`` (hive key ``date=YYYY-MM``, undated rows in ``date=unknown``) or ``'rows'``
        (hive key ``part=NNNNN``, ``rows`` rows per partition).
    rows : rows per partition for ``'rows'``; for ``'month'`` the largest file of one month (a bigger month
        gets several part files). Default 50,000.
    max_buffer_rows : rows buffered in memory over all open months before the largest buffers are flushed.
    row_group_size : parquet row-group size.
    source : free text recorded in the manifest (where the rows came from).
    overwrite : start again in a folder that holds a dataset (its partition files are deleted first).
    resume : continue an incomplete dataset in *out_dir* (see the module docstring); the rows given to
        :meth:`add` must be the same input from its first row on (checked with *fingerprint*).
    fingerprint : :func:`input_fingerprint` of the input, recorded in the manifest and compared on resume.

    Use as a context manager, or call :meth:`close`; ``add(frame_or_table)`` any number of times.
    After a resume, ``resumed`` holds the partitions kept and the rows skipped.
    """

    def __init__(self, out_dir: str | Path, *, partition_by: str = "month", rows: int | None = None,
                 max_buffer_rows: int = DEFAULT_MAX_BUFFER_ROWS, row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
                 source: str | None = None, overwrite: bool = False, resume: bool = False,
                 fingerprint: str | None = None):
        if partition_by not in PARTITION_BY:
            raise PartitionedDatasetError(f"partition_by must be one of {', '.join(PARTITION_BY)}, got {partition_by!r}")
        self.out_dir = Path(out_dir)
        self.partition_by = partition_by
        self.rows = int(rows or DEFAULT_ROWS)
        if self.rows < 1:
            raise PartitionedDatasetError(f"rows must be >= 1, got {rows}")
        self.max_buffer_rows = max(1, int(max_buffer_rows))
        self.row_group_size = int(row_group_size)
        self.source = source
        self.fingerprint = fingerprint
        self.partitions: list[Partition] = []
        self._open: dict[str, _PartFile] = {}
        self._buffers: dict[str, list[pa.Table]] = {}
        self._buffered: dict[str, int] = {}
        self._next_index: dict[str, int] = {}
        self._rows_seq = 0
        self._skip: dict[str, int] = {}  # rows of each key (rows mode: "") already in kept partitions
        self.resumed: dict | None = None
        self.n_rows = 0
        self._t0 = time.perf_counter()
        manifest = self.out_dir / MANIFEST_FILE
        if manifest.exists() and overwrite:
            manifest.unlink()  # no reader takes the folder for a dataset while the old files go
        if manifest.exists():
            self._resume(manifest, resume)
        elif self.out_dir.is_dir():
            remove_partition_files(self.out_dir)  # left by a run that died before its first manifest
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._write_manifest(complete=False)

    def _resume(self, manifest: Path, resume: bool) -> None:
        ds = PartitionedDataset(self.out_dir, allow_incomplete=True)
        if ds.complete or not resume:
            state = "a partitioned dataset" if ds.complete else "an incomplete partitioned dataset"
            raise PartitionedDatasetError(
                f"{manifest}: {state} already exists here; pass another --out or remove it")
        meta = ds.manifest
        if meta.get("partition_by") != self.partition_by or int(meta.get("rows_per_partition") or 0) != self.rows:
            raise PartitionedDatasetError(
                f"{self.out_dir}: holds an incomplete dataset partitioned by {meta.get('partition_by')} "
                f"({meta.get('rows_per_partition')} rows per file); resume it with the same settings "
                f"(`{resume_command(self.out_dir, meta)}`) or pass --overwrite to start again")
        old_fp = (meta.get("input") or {}).get("fingerprint")
        if ds.partitions and old_fp and self.fingerprint and old_fp != self.fingerprint:
            raise PartitionedDatasetError(
                f"{self.out_dir}: holds an incomplete dataset of a different input ({meta.get('source')}); "
                "pass --overwrite to start again from this one")
        kept: list[Partition] = []
        broken: set[str] = set()  # keys whose chain of part files is interrupted by a bad or missing file
        for p in sorted(ds.partitions, key=lambda q: (q.key, _part_index(q.file))):
            path = self.out_dir / p.file
            expected = len([q for q in kept if q.key == p.key])
            if p.key in broken or _part_index(p.file) != expected or not path.is_file() \
                    or file_sha256(path) != p.sha256:
                broken.add(p.key)
                continue
            kept.append(p)
        if self.partition_by == "rows":  # part=NNNNN keys must form an unbroken prefix too
            prefix = []
            for i, p in enumerate(sorted(kept, key=lambda q: q.key)):
                if p.key != f"part={i:05d}":
                    break
                prefix.append(p)
            kept = prefix
        removed = remove_partition_files(self.out_dir, keep=[p.file for p in kept])
        self.partitions = kept
        for p in kept:
            key = "" if self.partition_by == "rows" else p.key
            self._skip[key] = self._skip.get(key, 0) + p.rows
            if self.partition_by == "month":
                self._next_index[p.key] = self._next_index.get(p.key, 0) + 1
        self._rows_seq = len(kept) if self.partition_by == "rows" else 0
        self.resumed = {"partitions_kept": len(kept), "rows_skipped": sum(p.rows for p in kept),
                        "files_removed": removed, "partitions_dropped": len(ds.partitions) - len(kept)}
        logger.info("resuming %s: %d finished partitions kept (%d rows), %d dropped", self.out_dir, len(kept),
                    self.resumed["rows_skipped"], self.resumed["partitions_dropped"])

    def _skip_head(self, key: str, table: pa.Table) -> pa.Table:
        """Drop the rows of *key* that kept partitions already hold (resume)."""
        n = self._skip.get(key, 0)
        if not n:
            return table
        take = min(n, table.num_rows)
        self._skip[key] = n - take
        return table.slice(take)

    # -------------------------------------------------------------------------------------------- input
    def add(self, articles: pd.DataFrame | pa.Table) -> None:
        """Append articles (a ``load_articles``-style frame or an Arrow table in the canonical schema)."""
        table = _as_table(articles)
        if not table.num_rows:
            return
        self.n_rows += table.num_rows
        if self.partition_by == "rows":
            self._add_rows(self._skip_head("", table))
            return
        keys = month_keys(table["date"].to_pandas())
        for key, idx in keys.groupby(keys, sort=True).indices.items():
            hive = f"date={key}"
            part = self._skip_head(hive, table.take(pa.array(idx)))
            if not part.num_rows:
                continue
            self._buffers.setdefault(hive, []).append(part)
            self._buffered[hive] = self._buffered.get(hive, 0) + part.num_rows
            while self._buffered.get(hive, 0) >= self.row_group_size:
                self._flush_month(hive, self.row_group_size)
        while sum(self._buffered.values()) > self.max_buffer_rows:
            biggest = max(self._buffered, key=self._buffered.get)
            self._flush_month(biggest, self._buffered[biggest])

    def _add_rows(self, table: pa.Table) -> None:
        offset = 0
        while offset < table.num_rows:
            key = f"part={self._rows_seq:05d}"
            pf = self._open.get(key)
            if pf is None:
                pf = self._open[key] = _PartFile(self.out_dir, key, 0, self.row_group_size)
            take = min(self.rows - pf.rows, table.num_rows - offset)
            pf.write(table.slice(offset, take))
            offset += take
            if pf.rows >= self.rows:
                self._finish(key)
                self._rows_seq += 1

    def _flush_month(self, hive: str, n: int) -> None:
        """Write the first *n* buffered rows of month *hive* to its open part file (rolling files at ``rows``)."""
        buffered = pa.concat_tables(self._buffers.pop(hive))
        self._buffered[hive] = 0
        head, rest = buffered.slice(0, n), buffered.slice(n)
        offset = 0
        while offset < head.num_rows:
            pf = self._open.get(hive)
            if pf is None:
                index = self._next_index.get(hive, 0)
                self._next_index[hive] = index + 1
                pf = self._open[hive] = _PartFile(self.out_dir, hive, index, self.row_group_size)
            take = min(self.rows - pf.rows, head.num_rows - offset)
            pf.write(head.slice(offset, take))
            offset += take
            if pf.rows >= self.rows:
                self._finish(hive)
        if rest.num_rows:
            self._buffers[hive] = [rest]
            self._buffered[hive] = rest.num_rows
        else:
            del self._buffered[hive]

    def _finish(self, key: str) -> None:
        pf = self._open.pop(key)
        self.partitions.append(pf.close())
        self._write_manifest(complete=False)

    # ------------------------------------------------------------------------------------------- output
    def _write_manifest(self, *, complete: bool) -> None:
        parts = sorted(self.partitions, key=lambda p: p.file)
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "partition_by": self.partition_by,
            "rows_per_partition": self.rows,
            "complete": complete,
            "n_rows": int(sum(p.rows for p in parts)),
            "n_partitions": len(parts),
            "source": self.source,
            "input": {"fingerprint": self.fingerprint},
            "schema": [f"{f.name}: {f.type}" for f in ARTICLE_SCHEMA],
            "seconds": round(time.perf_counter() - self._t0, 3),
            "partitions": [asdict(p) for p in parts],
        }
        tmp = self.out_dir / f".{MANIFEST_FILE}.partial"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.out_dir / MANIFEST_FILE)

    def close(self) -> "PartitionedDataset":
        """Flush every buffer, close every file, write the final manifest; returns the dataset."""
        for hive in sorted(self._buffers):
            self._flush_month(hive, self._buffered[hive])
        for key in sorted(self._open):
            self._finish(key)
        self._write_manifest(complete=True)
        logger.info("wrote %d rows in %d partitions to %s", self.n_rows, len(self.partitions), self.out_dir)
        return PartitionedDataset(self.out_dir)

    def abort(self) -> None:
        for pf in self._open.values():
            pf.abort()
        self._open.clear()
        self._buffers.clear()
        self._buffered.clear()

    def __enter__(self) -> "PartitionedWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _as_table(articles) -> pa.Table:
    if isinstance(articles, pa.Table):
        table = articles
    else:
        df = articles.copy()
        for name in ARTICLE_SCHEMA.names:
            if name not in df.columns:
                df[name] = None
        table = pa.Table.from_pandas(df[list(ARTICLE_SCHEMA.names)], preserve_index=False)
    missing = [n for n in ARTICLE_SCHEMA.names if n not in table.column_names]
    for name in missing:
        table = table.append_column(name, pa.nulls(table.num_rows, ARTICLE_SCHEMA.field(name).type))
    return table.select(list(ARTICLE_SCHEMA.names)).cast(ARTICLE_SCHEMA)


class PartitionedDataset:
    """Read a partitioned dataset through its manifest (only finished partitions are listed).

    An incomplete dataset (its writer was interrupted) raises :class:`IncompleteDatasetError`, naming the
    ``arabic-news scale ingest`` command that resumes it, unless *allow_incomplete* (used by the resuming writer).
    """

    def __init__(self, path: str | Path, *, allow_incomplete: bool = False):
        self.path = Path(path)
        manifest = self.path / MANIFEST_FILE
        if not manifest.is_file():
            raise PartitionedDatasetError(
                f"{manifest}: no partitioned dataset here; run `arabic-news scale ingest SOURCE --out {self.path}`")
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise PartitionedDatasetError(f"{manifest}: not valid JSON ({exc}); re-run `arabic-news scale ingest`") from exc
        if meta.get("format") != MANIFEST_FORMAT:
            raise PartitionedDatasetError(f"{manifest}: not an arabic-news partitioned dataset manifest")
        try:
            self.partition_by: str = meta["partition_by"]
            self.complete: bool = bool(meta.get("complete"))
            self.partitions: list[Partition] = [Partition(**p) for p in meta["partitions"]]
        except (KeyError, TypeError) as exc:
            raise PartitionedDatasetError(f"{manifest}: damaged manifest ({type(exc).__name__}: {exc}); "
                                          "re-run `arabic-news scale ingest` with --overwrite") from None
        self.manifest = meta
        self.resumed: dict | None = None  # set by partition_corpus when it resumed an interrupted run
        if not self.complete and not allow_incomplete:
            raise IncompleteDatasetError(
                f"{self.path}: incomplete partitioned dataset ({len(self.partitions)} partitions, "
                f"{self.n_rows} articles written before `arabic-news scale ingest` was interrupted); "
                f"resume it with `{resume_command(self.path, meta)}`")

    @property
    def n_rows(self) -> int:
        return sum(p.rows for p in self.partitions)

    def __len__(self) -> int:
        return len(self.partitions)

    def partition_path(self, partition: Partition | str) -> Path:
        p = self.get(partition) if isinstance(partition, str) else partition
        return self.path / p.file

    def get(self, partition_id: str) -> Partition:
        for p in self.partitions:
            if p.id == partition_id:
                return p
        raise KeyError(partition_id)

    def read_partition(self, partition: Partition | str, columns: list[str] | None = None) -> pd.DataFrame:
        """One partition as a ``load_articles``-style DataFrame."""
        return read_partition_file(self.partition_path(partition), columns)

    def iter_partitions(self, columns: list[str] | None = None) -> Iterator[tuple[Partition, pd.DataFrame]]:
        for p in self.partitions:
            yield p, self.read_partition(p, columns)

    def to_pandas(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Every partition concatenated in manifest order (only for samples that fit in memory)."""
        frames = [self.read_partition(p, columns) for p in self.partitions]
        if not frames:
            return _to_frame(ARTICLE_SCHEMA.empty_table().select(columns or list(ARTICLE_SCHEMA.names)))
        return pd.concat(frames, ignore_index=True)

    def to_dask(self, columns: list[str] | None = None):
        """A ``dask.dataframe`` with one Dask partition per dataset partition (lazy, read on the workers)."""
        import dask
        import dask.dataframe as dd

        meta = _to_frame(ARTICLE_SCHEMA.empty_table().select(columns or list(ARTICLE_SCHEMA.names)))
        parts = [dask.delayed(read_partition_file)(str(self.partition_path(p)), columns) for p in self.partitions]
        return dd.from_delayed(parts, meta=meta, verify_meta=False)

    def verify(self) -> list[str]:
        """Partition files whose bytes no longer match the manifest's SHA-256 (or that are missing)."""
        bad = []
        for p in self.partitions:
            path = self.path / p.file
            if not path.is_file() or file_sha256(path) != p.sha256:
                bad.append(p.file)
        return bad


def read_partition_file(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one partition file as a ``load_articles``-style DataFrame."""
    return _to_frame(pq.read_table(path, columns=columns))


def write_partitioned(articles: pd.DataFrame | Iterable[pd.DataFrame], out_dir: str | Path, *,
                      partition_by: str = "month", rows: int | None = None, **kwargs) -> PartitionedDataset:
    """Write one frame or an iterable of frames (e.g. :func:`~arabic_news.corpus.iter_articles`) as a dataset."""
    frames = [articles] if isinstance(articles, (pd.DataFrame, pa.Table)) else articles
    with PartitionedWriter(out_dir, partition_by=partition_by, rows=rows, **kwargs) as writer:
        for frame in frames:
            writer.add(frame)
    return PartitionedDataset(out_dir)


def partition_corpus(corpus_dir: str | Path, out_dir: str | Path, *, partition_by: str = "month",
                     rows: int | None = None, batch_size: int = 10_000, **kwargs) -> PartitionedDataset:
    """Partition an ingest output (``corpus_dir/articles.parquet``), streaming it in batches of *batch_size*.

    ``resume=True`` continues an incomplete dataset in *out_dir* written from the same input (see
    :class:`PartitionedWriter`).
    """
    pf_path = Path(corpus_dir)
    src = pf_path / "articles.parquet" if pf_path.is_dir() else pf_path
    if not src.is_file():
        raise PartitionedDatasetError(f"{src}: no ingested corpus; run `arabic-news ingest SOURCE --out {pf_path}`")
    batches = (pa.Table.from_batches([b]) for b in pq.ParquetFile(src).iter_batches(batch_size=batch_size))
    kwargs.setdefault("source", str(corpus_dir))
    kwargs.setdefault("fingerprint", input_fingerprint(src))
    with PartitionedWriter(out_dir, partition_by=partition_by, rows=rows, **kwargs) as writer:
        for table in batches:
            writer.add(table)
    dataset = PartitionedDataset(out_dir)
    dataset.resumed = writer.resumed
    return dataset
