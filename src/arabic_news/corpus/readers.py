"""Input formats: walk a SOURCE (folder or file) and stream one :class:`RawItem` per input file or record.

Readers never hold a whole corpus in memory: files are yielded as paths (read later, in a worker), records
are yielded one by one (one SaudiNewsNet day archive, about 2 MB of JSON, is the largest unit parsed at once).
Every input — article, record, ignored file, unreadable archive — produces exactly one item, so the ingest
report can account for everything.

Report paths are relative to SOURCE (POSIX separators; when SOURCE is a file, relative to its folder, i.e.
its name). Records inside a file are addressed as
``<file>#<i>`` and records inside an archive member as ``<archive>:<member>#<i>``, where ``i`` is the
0-based index of the record in that file (for JSONL: the 0-based line number; for CSV: the 0-based data row).
"""
from __future__ import annotations

import gzip
import io
import json
import logging
import math
import os
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

logger = logging.getLogger(__name__)

FORMATS = ("auto", "seed", "jsonl", "csv", "parquet", "saudinewsnet", "ant")

#: Keys of a record that make a JSONL file the ANT corpus (``ant_corpus_v1.1.jsonl.gz``).
ANT_KEYS = frozenset({"category", "text", "title", "date"})
#: Keys of a SaudiNewsNet record.
SAUDINEWSNET_KEYS = frozenset({"source", "url", "date_extracted", "title", "content"})

_IGNORED_STEMS = ("readme", "license", "licence", "copying", "provenance", "changelog", "notice", "authors")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")
_CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")


class IngestError(ValueError):
    """Bad input that stops an ingest run (one clear line naming the file and the fix)."""


class RawItem(NamedTuple):
    """One input: ``kind`` is 'seed' (a file to parse), 'record' (a dict of fields), 'archive' (a zip of
    records, expanded by the worker), 'ignored' or 'rejected'."""

    path: str
    kind: str
    file: str | None = None
    record: dict | None = None
    reason: str = ""
    meta: dict | None = None


@dataclass(frozen=True)
class ColumnSpec:
    """Which column/key holds each field in generic JSONL/CSV/parquet input (None = try the defaults)."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None
    label: str | None = None
    url: str | None = None

    DEFAULTS = {
        "text": ("text", "body", "content", "article", "Content"),
        "title": ("title", "headline", "Title"),
        "date": ("date", "date_extracted", "published", "datetime", "Date"),
        "source": ("source", "outlet", "Source"),
        "label": ("label", "category", "class", "Class"),
        "url": ("url", "link", "URL"),
    }

    def resolve(self, columns: Iterable[str], file_label: str) -> dict[str, str | None]:
        """Map field → column for a file with *columns*; raise IngestError naming the missing column."""
        cols = list(columns)
        present = set(cols)
        out: dict[str, str | None] = {}
        for f in fields(self):
            wanted = getattr(self, f.name)
            if wanted is not None:
                if wanted not in present:
                    raise IngestError(
                        f"{file_label}: no column {wanted!r} for --{f.name}-column "
                        f"(available: {', '.join(map(str, cols)) or 'none'})"
                    )
                out[f.name] = wanted
            else:
                out[f.name] = next((c for c in self.DEFAULTS[f.name] if c in present), None)
        if out["text"] is None:
            raise IngestError(
                f"{file_label}: no text column found (tried {', '.join(self.DEFAULTS['text'])}; "
                f"available: {', '.join(map(str, cols)) or 'none'}); pass --text-column NAME"
            )
        return out


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _lower_name(path: Path | str) -> str:
    return (path.name if isinstance(path, Path) else path).lower()


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_files(source: Path) -> Iterator[tuple[Path, str | None]]:
    """Files under *source* in a stable (sorted) order; hidden folders are yielded once as
    ``(folder, reason)`` instead of being descended into."""
    if source.is_file():
        yield source, None
        return
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames.sort()
        here = Path(dirpath)
        hidden = [d for d in dirnames if _is_hidden(d) or d == "__pycache__"]
        for d in hidden:
            n = sum(len(fs) for _, _, fs in os.walk(here / d))
            yield here / d, f"hidden folder ({n} files not read)"
        dirnames[:] = [d for d in dirnames if d not in hidden]
        for name in sorted(filenames):
            yield here / name, None


def _ignore_reason(path: Path, article_suffixes: tuple[str, ...]) -> str | None:
    name = path.name
    lower = name.lower()
    if _is_hidden(name):
        return "hidden file"
    if lower.split(".")[0] in _IGNORED_STEMS:
        return "not an article (README/licence/provenance file)"
    if not lower.endswith(article_suffixes):
        suffix = "".join(path.suffixes[-2:]) or "none"
        return f"not an article file (extension {suffix})"
    return None


# --------------------------------------------------------------------------------------------- detection
def _zip_is_saudinewsnet(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.lower().endswith((".json", ".zip")) for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _first_json_record(path: Path) -> dict | None:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    return rec if isinstance(rec, dict) else None
    except (OSError, ValueError, EOFError):
        return None
    return None


def _file_format(path: Path) -> str | None:
    lower = path.name.lower()
    if lower.endswith(".zip"):
        return "saudinewsnet" if _zip_is_saudinewsnet(path) else None
    if lower.endswith(_JSONL_SUFFIXES):
        rec = _first_json_record(path)
        return "ant" if rec is not None and ANT_KEYS <= rec.keys() else "jsonl"
    if lower.endswith(_CSV_SUFFIXES):
        return "csv"
    if lower.endswith(".parquet"):
        return "parquet"
    if lower.endswith(".txt"):
        return "seed"
    return None


def detect_format(source: Path) -> str:
    """The input format of *source* (a file or a folder), for ``--format auto``.

    A folder with SaudiNewsNet archives (zips of JSON) is 'saudinewsnet'; one with ``.txt`` files is 'seed';
    otherwise the format of its first JSONL/CSV/parquet file decides ('ant' when the JSONL records have the
    ANT keys). Raises IngestError when nothing recognisable is found.
    """
    if source.is_file():
        fmt = _file_format(source)
        if fmt is None:
            raise IngestError(
                f"{source}: cannot tell the input format from the file name; pass --format "
                f"({', '.join(FORMATS[1:])})"
            )
        return fmt
    found: dict[str, int] = {}
    for path, hidden in walk_files(source):
        if hidden or _is_hidden(path.name):
            continue
        lower = path.name.lower()
        if lower.endswith(".zip") and _zip_is_saudinewsnet(path):
            return "saudinewsnet"
        if lower.endswith(".txt") and _ignore_reason(path, (".txt",)) is None:
            found["seed"] = found.get("seed", 0) + 1
        elif lower.endswith(_JSONL_SUFFIXES + _CSV_SUFFIXES + (".parquet",)) and lower.split(".")[0] != "metadata":
            fmt = _file_format(path)
            if fmt:
                found.setdefault(fmt, 0)
                found[fmt] += 1
    if found.get("seed"):
        return "seed"
    for fmt in ("ant", "jsonl", "csv", "parquet"):
        if found.get(fmt):
            return fmt
    raise IngestError(
        f"{source}: no articles found (no .txt files, SaudiNewsNet zips, JSONL, CSV or parquet); "
        f"pass --format or check the folder"
    )


# --------------------------------------------------------------------------------------------- metadata
class Metadata:
    """A sidecar CSV (``file,source,url,date[,title,label]``) joined to seed files on their file name.

    The ``file`` column (or ``path``/``filename``) may hold a path relative to SOURCE or a bare file name;
    relative paths are matched first, then bare names (when unambiguous).
    """

    KEY_COLUMNS = ("file", "path", "filename", "file_name", "name")

    def __init__(self, path: Path):
        import pandas as pd

        self.path = path
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except Exception as exc:
            raise IngestError(f"{path}: cannot read the metadata CSV ({exc}); pass a UTF-8 CSV with a 'file' column") from exc
        key = next((c for c in self.KEY_COLUMNS if c in df.columns), None)
        if key is None:
            raise IngestError(
                f"{path}: no file-name column in the metadata CSV (need one of {', '.join(self.KEY_COLUMNS)}; "
                f"available: {', '.join(df.columns)})"
            )
        self.key = key
        self.columns = [c for c in df.columns if c != key]
        self.rows: dict[str, dict] = {}
        by_name: dict[str, list[str]] = {}
        for rec in df.to_dict("records"):
            k = rec.pop(key).strip().replace("\\", "/")
            if not k:
                continue
            self.rows[k] = rec
            by_name.setdefault(k.rsplit("/", 1)[-1], []).append(k)
        self.by_name = {n: ks[0] for n, ks in by_name.items() if len(ks) == 1}
        self.used: set[str] = set()

    def lookup(self, relpath: str) -> dict | None:
        k = relpath if relpath in self.rows else self.by_name.get(relpath.rsplit("/", 1)[-1])
        if k is None:
            return None
        self.used.add(k)
        return self.rows[k]

    @property
    def unmatched(self) -> list[str]:
        return sorted(set(self.rows) - self.used)


# --------------------------------------------------------------------------------------------- readers
def iter_seed(source: Path, *, metadata: Metadata | None = None, include: set[str] | None = None) -> Iterator[RawItem]:
    """Seed-layout ``.txt`` files under *source* (recursively), plus one ignored item per other file."""
    root = source if source.is_dir() else source.parent
    meta_path = metadata.path.resolve() if metadata is not None else None
    for path, hidden in walk_files(source):
        rel = _rel(path, root)
        if include is not None and rel not in include:
            continue
        if hidden:
            yield RawItem(rel + "/", "ignored", reason=hidden)
            continue
        if meta_path is not None and path.resolve() == meta_path:
            yield RawItem(rel, "ignored", reason="metadata file (joined on file name)")
            continue
        reason = _ignore_reason(path, (".txt",))
        if reason is not None:
            if path.name.lower() == "metadata.csv":
                reason = "metadata file (not joined: pass --metadata to use it)"
            yield RawItem(rel, "ignored", reason=reason)
            continue
        meta = None
        if metadata is not None:  # {} = metadata in use but no row for this file (noted in the report)
            meta = metadata.lookup(rel) or {}
        yield RawItem(rel, "seed", file=str(path), meta=meta)


def _snn_record(rec: Any) -> dict | None:
    if not isinstance(rec, dict):
        return None
    return {
        "title": rec.get("title"),
        "text": rec.get("content"),
        "date": rec.get("date_extracted"),
        "source": rec.get("source"),
        "url": rec.get("url"),
        "label": None,
    }


def _iter_zip(zf: zipfile.ZipFile, prefix: str) -> Iterator[RawItem]:
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = info.filename
        label = f"{prefix}:{name}"
        lower = name.lower()
        if lower.endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(zf.read(info))) as inner:
                    yield from _iter_zip(inner, label)
            except zipfile.BadZipFile as exc:
                yield RawItem(label, "rejected", reason=f"corrupt zip archive ({exc})")
            continue
        if not lower.endswith(".json") or _is_hidden(name.rsplit("/", 1)[-1]) or name.startswith("__MACOSX"):
            yield RawItem(label, "ignored", reason="not a SaudiNewsNet JSON member")
            continue
        try:
            data = json.loads(zf.read(info).decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
            yield RawItem(label, "rejected", reason=f"invalid JSON ({exc})")
            continue
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            yield RawItem(label, "rejected", reason="JSON is not an array of articles")
            continue
        for i, rec in enumerate(data):
            fields_ = _snn_record(rec)
            if fields_ is None:
                yield RawItem(f"{label}#{i}", "rejected", reason="record is not a JSON object")
            else:
                yield RawItem(f"{label}#{i}", "record", record=fields_)


def expand_archive(item: RawItem) -> Iterator[RawItem]:
    """The records of an 'archive' item (one SaudiNewsNet zip), read where the item is processed."""
    try:
        with zipfile.ZipFile(item.file) as zf:
            yield from _iter_zip(zf, item.path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield RawItem(item.path, "rejected", reason=f"corrupt zip archive ({exc})")


def iter_saudinewsnet(source: Path, *, expand: bool = False) -> Iterator[RawItem]:
    """SaudiNewsNet day archives (``YYYY-MM-DD.zip``, each one JSON array) under *source*.

    Each zip is yielded as one 'archive' item, expanded into its records by :func:`expand_archive` in the
    worker that processes it (so the main process neither parses nor ships the JSON); ``expand=True``
    yields the records directly.
    """
    root = source if source.is_dir() else source.parent
    for path, hidden in walk_files(source):
        rel = _rel(path, root)
        if hidden:
            yield RawItem(rel + "/", "ignored", reason=hidden)
            continue
        reason = _ignore_reason(path, (".zip",))
        if reason is not None:
            yield RawItem(rel, "ignored", reason=reason)
            continue
        item = RawItem(rel, "archive", file=str(path))
        if expand:
            yield from expand_archive(item)
        else:
            yield item


def _open_text(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _value(rec: dict, col: str | None):
    if col is None:
        return None
    v = rec.get(col)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _mapped(rec: dict, cols: dict[str, str | None]) -> dict:
    return {k: _value(rec, c) for k, c in cols.items()}


def iter_jsonl_file(path: Path, rel: str, columns: ColumnSpec, *, ant: bool = False) -> Iterator[RawItem]:
    """Records of one JSON-lines file (optionally gzipped); ANT files map ``category`` to the label."""
    cols: dict[str, str | None] | None = None
    if ant:
        cols = {"text": "text", "title": "title", "date": "date", "source": "source", "label": "category", "url": "url"}
    try:
        fh = _open_text(path)
    except OSError as exc:
        yield RawItem(rel, "rejected", reason=f"cannot open ({exc})")
        return
    with fh:
        try:
            for i, line in enumerate(fh):
                if not line.strip():
                    yield RawItem(f"{rel}#{i}", "ignored", reason="blank line")
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as exc:
                    yield RawItem(f"{rel}#{i}", "rejected", reason=f"invalid JSON ({exc})")
                    continue
                if not isinstance(rec, dict):
                    yield RawItem(f"{rel}#{i}", "rejected", reason="record is not a JSON object")
                    continue
                if cols is None:
                    cols = columns.resolve(rec.keys(), rel)
                yield RawItem(f"{rel}#{i}", "record", record=_mapped(rec, cols))
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            yield RawItem(f"{rel}#read-error", "rejected", reason=f"file truncated or unreadable ({exc})")


def iter_csv_file(path: Path, rel: str, columns: ColumnSpec) -> Iterator[RawItem]:
    """Rows of one CSV/TSV file (streamed in chunks with pandas; every value read as a string)."""
    import pandas as pd

    sep = "\t" if ".tsv" in path.name.lower() else ","
    try:
        i = 0
        cols = None
        with pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, chunksize=5000,
                         encoding="utf-8-sig") as reader:
            for chunk in reader:
                if cols is None:
                    cols = columns.resolve(chunk.columns, rel)
                for rec in chunk.to_dict("records"):
                    yield RawItem(f"{rel}#{i}", "record", record=_mapped(rec, cols))
                    i += 1
        if cols is None:  # header only: still check the columns, so a wrong option is reported
            columns.resolve(pd.read_csv(path, nrows=0, sep=sep, encoding="utf-8-sig").columns, rel)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        yield RawItem(rel, "rejected", reason=f"unreadable CSV ({str(exc).splitlines()[0]})")


def iter_parquet_file(path: Path, rel: str, columns: ColumnSpec) -> Iterator[RawItem]:
    """Rows of one parquet file, read batch by batch."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        yield RawItem(rel, "rejected", reason=f"unreadable parquet ({exc})")
        return
    cols = columns.resolve(pf.schema_arrow.names, rel)
    wanted = sorted({c for c in cols.values() if c is not None})
    i = 0
    for batch in pf.iter_batches(batch_size=5000, columns=wanted):
        for rec in batch.to_pylist():
            yield RawItem(f"{rel}#{i}", "record", record=_mapped(rec, cols))
            i += 1


def iter_generic(source: Path, fmt: str, columns: ColumnSpec) -> Iterator[RawItem]:
    """Records of every file of format *fmt* ('jsonl', 'ant', 'csv', 'parquet') under *source*."""
    suffixes = {"jsonl": _JSONL_SUFFIXES, "ant": _JSONL_SUFFIXES, "csv": _CSV_SUFFIXES, "parquet": (".parquet",)}[fmt]
    root = source if source.is_dir() else source.parent
    for path, hidden in walk_files(source):
        rel = _rel(path, root)
        if hidden:
            yield RawItem(rel + "/", "ignored", reason=hidden)
            continue
        reason = _ignore_reason(path, suffixes) if source.is_dir() else None
        if reason is not None:
            yield RawItem(rel, "ignored", reason=reason)
            continue
        if fmt in ("jsonl", "ant"):
            yield from iter_jsonl_file(path, rel, columns, ant=fmt == "ant")
        elif fmt == "csv":
            yield from iter_csv_file(path, rel, columns)
        else:
            yield from iter_parquet_file(path, rel, columns)


def iter_source(source: Path, fmt: str, *, columns: ColumnSpec | None = None, metadata: Metadata | None = None,
                include: set[str] | None = None) -> Iterator[RawItem]:
    """Dispatch to the reader of *fmt* (already resolved, not 'auto')."""
    columns = columns or ColumnSpec()
    if fmt == "seed":
        return iter_seed(source, metadata=metadata, include=include)
    if fmt == "saudinewsnet":
        return iter_saudinewsnet(source)
    if fmt in ("jsonl", "ant", "csv", "parquet"):
        return iter_generic(source, fmt, columns)
    raise IngestError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
