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

import errno
import gzip
import io
import json
import logging
import math
import os
import stat
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
    size: int | None = None


def format_size(n: int) -> str:
    """Bytes in decimal units, as people write them: ``10 MB``, ``12.3 MB``, ``512 KB``, ``999 bytes``.

    >>> format_size(10_000_000), format_size(12_345_678), format_size(1_500), format_size(999)
    ('10 MB', '12.3 MB', '1.5 KB', '999 bytes')
    """
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


_SIZE_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
               "kib": 2**10, "mib": 2**20, "gib": 2**30}


def parse_size(text: str) -> int:
    """A size such as ``10MB``, ``10 MB``, ``512KB``, ``1.5GB``, ``64MiB`` or ``1000`` (bytes) in bytes
    (KB/MB/GB are decimal, KiB/MiB/GiB binary). Raises ValueError naming the accepted forms.

    >>> parse_size("10MB"), parse_size("1.5 kb"), parse_size("2MiB"), parse_size("700")
    (10000000, 1500, 2097152, 700)
    """
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(text))
    unit = m.group(2).lower() if m else ""
    if m is None or unit not in _SIZE_UNITS:
        raise ValueError(f"not a size: {text!r} (write e.g. 10MB, 500KB, 1GB or a number of bytes)")
    value = int(float(m.group(1)) * _SIZE_UNITS[unit])
    if value <= 0:
        raise ValueError(f"not a size: {text!r} (must be more than 0 bytes)")
    return value


def too_large_reason(size: int, limit: int, what: str = "file") -> str:
    """The report reason for an input over the size limit."""
    return (f"{what} too large ({format_size(size)}, over the {format_size(limit)} limit); raise "
            f"--max-file-size to read it")


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


class Entry(NamedTuple):
    """One path under SOURCE, as found by :func:`walk_entries`.

    ``status`` is 'file' (a regular file that may be read; ``size``/``mtime_ns`` from its stat), 'ignored' or
    'rejected' (``reason`` says why; nothing was opened). Folders are addressed with a trailing ``/``.
    """

    path: Path
    rel: str
    status: str
    reason: str = ""
    size: int | None = None
    mtime_ns: int | None = None


_SPECIAL_KINDS = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                  (stat.S_ISBLK, "block device"))


def _special_kind(mode: int) -> str:
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), "special file")


def _inside(target: str, root_real: str) -> bool:
    return target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep)


def _count_files(folder: Path) -> int:
    """Files under a (hidden) folder, without following symlinks; unreadable parts are skipped."""
    return sum(len(fs) for _, _, fs in os.walk(folder))


def walk_entries(source: Path, *, follow_symlinks: bool = False) -> Iterator[Entry]:
    """Every path under *source*, in a stable order (per folder: folder rows, then files sorted by name, then
    sub-folders), each classified from its ``lstat``/``stat`` only — nothing is opened.

    * regular files (or symlinks to one inside SOURCE): status 'file';
    * FIFOs, sockets and devices (or symlinks to one): rejected, never opened;
    * symlinks leaving SOURCE: rejected unless *follow_symlinks*; symlinks to a folder inside SOURCE: ignored
      (its files are read at their own path); broken symlinks and symlink loops: rejected;
    * hidden folders (``.git``, ...) and ``__pycache__``: one ignored row, not descended into;
    * folders that cannot be listed: one rejected row. With *follow_symlinks* a folder reached twice (a loop
      or a second link to it) is read once.

    When *source* is a file it is the only entry (a symlink named on the command line is followed).
    """
    source = Path(source)
    if not source.is_dir():
        try:
            st = os.stat(source)
        except OSError as exc:
            yield Entry(source, source.name, "rejected", f"cannot be inspected ({exc.strerror or exc})")
            return
        if stat.S_ISREG(st.st_mode):
            yield Entry(source, source.name, "file", "", st.st_size, st.st_mtime_ns)
        else:
            yield Entry(source, source.name, "rejected", f"not a regular file ({_special_kind(st.st_mode)}): not opened")
        return
    root_real = os.path.realpath(source)
    st = os.stat(source)
    yield from _walk_dir(source, "", root_real, follow_symlinks, {(st.st_dev, st.st_ino)})


def _walk_dir(folder: Path, prefix: str, root_real: str, follow: bool, visited: set) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it)
    except OSError as exc:
        yield Entry(folder, prefix or "./", "rejected",
                    f"unreadable folder ({exc.strerror or exc}); its files were not read")
        return
    rows: list[Entry] = []
    files: list[Entry] = []
    subdirs: list[tuple[Path, str]] = []
    for name in names:
        path = folder / name
        rel = prefix + name
        try:
            lst = os.lstat(path)
        except OSError as exc:
            files.append(Entry(path, rel, "rejected", f"cannot be inspected ({exc.strerror or exc})"))
            continue
        link = stat.S_ISLNK(lst.st_mode)
        target = ""
        inside = True
        if link:
            target = os.path.realpath(path)
            try:
                st = os.stat(path)
            except OSError as exc:
                dest = os.readlink(path)
                if exc.errno == errno.ELOOP:
                    reason = f"symlink loop ({dest})"
                elif exc.errno == errno.ENOENT:
                    reason = f"broken symlink (target {dest} does not exist)"
                else:
                    reason = f"symlink whose target cannot be inspected ({dest}: {exc.strerror or exc})"
                files.append(Entry(path, rel, "rejected", reason))
                continue
            inside = _inside(target, root_real)
        else:
            st = lst
        if stat.S_ISDIR(st.st_mode):
            if _is_hidden(name) or name == "__pycache__":
                detail = "a symlink, not read" if link else f"{_count_files(path)} files not read"
                rows.append(Entry(path, rel + "/", "ignored", f"hidden folder ({detail})"))
            elif link and inside:
                where = os.path.relpath(target, root_real).replace(os.sep, "/")
                rows.append(Entry(path, rel + "/", "ignored", f"symlink to a folder inside SOURCE ({where}/), "
                                                              f"whose files are read there"))
            elif link and not follow:
                rows.append(Entry(path, rel + "/", "rejected", f"symlink to a folder outside SOURCE ({target}); "
                                                               f"pass --follow-symlinks to read it"))
            elif (st.st_dev, st.st_ino) in visited:
                rows.append(Entry(path, rel + "/", "ignored", f"folder already read (symlink loop or second link "
                                                              f"to {target or path})"))
            else:
                subdirs.append((path, rel + "/"))
                visited.add((st.st_dev, st.st_ino))
        elif stat.S_ISREG(st.st_mode):
            if not inside and not follow:
                files.append(Entry(path, rel, "rejected", f"symlink to a file outside SOURCE ({target}); "
                                                          f"pass --follow-symlinks to read it"))
            else:
                files.append(Entry(path, rel, "file", "", st.st_size, st.st_mtime_ns))
        else:
            kind = _special_kind(st.st_mode)
            what = f"symlink to a {kind} ({target})" if link else f"a {kind}"
            files.append(Entry(path, rel, "rejected", f"not a regular file ({what}): not opened"))
    yield from rows
    yield from files
    for path, rel in subdirs:
        yield from _walk_dir(path, rel, root_real, follow, visited)


def walk_files(source: Path, *, follow_symlinks: bool = False) -> Iterator[tuple[Path, str | None]]:
    """``(path, None)`` for every regular file under *source* and ``(path, reason)`` for every other entry
    (see :func:`walk_entries`)."""
    for e in walk_entries(source, follow_symlinks=follow_symlinks):
        yield e.path, (None if e.status == "file" else e.reason)


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


def detect_format(source: Path, *, follow_symlinks: bool = False) -> str:
    """The input format of *source* (a file or a folder), for ``--format auto``.

    A folder with SaudiNewsNet archives (zips of JSON) is 'saudinewsnet'; one with ``.txt`` files is 'seed';
    otherwise the format of its first JSONL/CSV/parquet file decides ('ant' when the JSONL records have the
    ANT keys). Raises IngestError when nothing recognisable is found.
    """
    if not source.is_dir() and not source.is_file():
        kind = _special_kind(os.stat(source).st_mode) if source.exists() else "broken symlink"
        raise IngestError(f"{source}: not a regular file or folder ({kind}); pass a folder or a file of articles")
    if source.is_file():
        fmt = _file_format(source)
        if fmt is None:
            raise IngestError(
                f"{source}: cannot tell the input format from the file name; pass --format "
                f"({', '.join(FORMATS[1:])})"
            )
        return fmt
    found: dict[str, int] = {}
    for path, hidden in walk_files(source, follow_symlinks=follow_symlinks):
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
    """A sidecar CSV (``file,source,url,date[,label,...]``) joined to seed files on their path.

    The ``file`` column (or ``path``/``filename``/``file_name``/``name``) holds a path relative to SOURCE or a
    bare file name. Joining (:meth:`lookup`): the exact relative path first; otherwise the row whose file name
    is the file's name, only when exactly one row has that name *and* exactly one file in SOURCE has it
    (:meth:`bind` tells the metadata which names SOURCE holds). Several rows for the same file: the first is
    kept and the report says so (with the CSV line numbers). ``source``, ``url``, ``date`` and ``label`` fill
    the canonical columns; every other column is kept as an extra string column ``meta_<column>`` of
    ``articles.parquet`` (see :attr:`extra_columns`).
    """

    KEY_COLUMNS = ("file", "path", "filename", "file_name", "name")
    CANONICAL = ("source", "url", "date", "label")

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
        #: metadata columns kept as ``meta_<name>`` columns of articles.parquet (all but the key and CANONICAL)
        self.extra_columns = [c for c in self.columns if c not in self.CANONICAL]
        self.rows: dict[str, dict] = {}
        self.lines: dict[str, list[int]] = {}   # key -> CSV line numbers of its rows (header = line 1)
        by_name: dict[str, list[str]] = {}
        for line, rec in enumerate(df.to_dict("records"), start=2):
            k = rec.pop(key).strip().replace("\\", "/").removeprefix("./")
            if not k:
                continue
            self.lines.setdefault(k, []).append(line)
            if k in self.rows:
                continue  # the first row is kept; reported by lookup()
            self.rows[k] = rec
            by_name.setdefault(k.rsplit("/", 1)[-1], []).append(k)
        self.by_name = {n: ks[0] for n, ks in by_name.items() if len(ks) == 1}
        self.ambiguous_names = {n: ks for n, ks in by_name.items() if len(ks) > 1}
        self.source_names: dict[str, int] | None = None
        self.source_paths: set[str] | None = None
        self.used: set[str] = set()

    @property
    def duplicates(self) -> dict[str, list[int]]:
        """Keys with more than one row -> their CSV line numbers (the first is the row kept)."""
        return {k: v for k, v in self.lines.items() if len(v) > 1}

    def bind(self, relpaths: Iterable[str]) -> None:
        """Tell the metadata which files SOURCE holds (relative paths), for the bare-name rule."""
        self.source_paths = set(relpaths)
        by_name: dict[str, list[str]] = {}
        for rel in sorted(self.source_paths):
            by_name.setdefault(rel.rsplit("/", 1)[-1], []).append(rel)
        self.source_names = by_name

    def _match(self, relpath: str) -> tuple[str | None, str]:
        if relpath in self.rows:
            return relpath, ""
        name = relpath.rsplit("/", 1)[-1]
        k = self.by_name.get(name)
        if k is None:
            if name in self.ambiguous_names:
                return None, (f"no metadata row for this file ({len(self.ambiguous_names[name])} rows have the "
                              f"file name {name} but none this path)")
            return None, "no metadata row for this file"
        if self.source_paths is not None and k in self.source_paths:
            return None, f"no metadata row for this file (the row {k} is another file's)"
        n_in_source = len(self.source_names.get(name, ())) if self.source_names is not None else 1
        if n_in_source > 1:
            return None, (f"no metadata row for this file (row {k} matches by file name only, and "
                          f"{n_in_source} files in SOURCE are named {name})")
        return k, ("" if k == name else f"metadata row {k} matched by file name only")

    def lookup(self, relpath: str) -> tuple[dict | None, list[str]]:
        """``(row, notes)`` for the file at *relpath*: the row (None when no row applies) and report notes."""
        k, note = self._match(relpath)
        notes = [note] if note else []
        if k is None:
            return None, notes
        self.used.add(k)
        lines = self.lines[k]
        if len(lines) > 1:
            notes.append(f"{len(lines)} metadata rows for {k} (CSV lines {', '.join(map(str, lines))}); "
                         f"kept line {lines[0]}")
        return self.rows[k], notes

    @property
    def unmatched(self) -> list[str]:
        """Keys that match no file of SOURCE (after :meth:`bind`; before it: keys no lookup has used yet)."""
        if self.source_paths is None:
            return sorted(set(self.rows) - self.used)
        matched = {k for rel in self.source_paths for k in [self._match(rel)[0]] if k is not None}
        return sorted(set(self.rows) - matched)

    def summary(self) -> str:
        """One phrase for the metadata file's own report row."""
        parts = ["metadata file (joined on file path, or on file name when unique)"]
        unmatched = self.unmatched
        if unmatched:
            parts.append(f"{len(unmatched)} of {len(self.rows)} rows match no file (e.g. {unmatched[0]})")
        dups = self.duplicates
        if dups:
            k, lines = next(iter(dups.items()))
            parts.append(f"{len(dups)} file(s) with duplicate rows, first row kept (e.g. {k}: CSV lines "
                         f"{', '.join(map(str, lines))})")
        return "; ".join(parts)


# --------------------------------------------------------------------------------------------- readers
def iter_seed(source: Path, *, metadata: Metadata | None = None, include: set[str] | None = None,
              follow_symlinks: bool = False, max_file_size: int | None = None) -> Iterator[RawItem]:
    """Seed-layout ``.txt`` files under *source* (recursively), plus one item per other path (see
    :func:`walk_entries`); article files larger than *max_file_size* bytes are rejected from their stat."""
    root = source if source.is_dir() else source.parent
    meta_path = metadata.path.resolve() if metadata is not None else None
    if metadata is not None:  # the bare-name rule needs every file name of SOURCE: a listing pass, no reads
        metadata.bind(e.rel for e in walk_entries(source, follow_symlinks=follow_symlinks)
                      if e.status == "file" and _ignore_reason(e.path, (".txt",)) is None)
    for e in walk_entries(source, follow_symlinks=follow_symlinks):
        rel = e.rel if source.is_dir() else _rel(e.path, root)
        if include is not None and rel not in include:
            continue
        if e.status != "file":
            yield RawItem(rel, e.status, reason=e.reason)
            continue
        if meta_path is not None and e.path.resolve() == meta_path:
            yield RawItem(rel, "ignored", reason=metadata.summary())  # type: ignore[union-attr]
            continue
        reason = _ignore_reason(e.path, (".txt",))
        if reason is not None:
            if e.path.name.lower() == "metadata.csv":
                reason = "metadata file (not joined: pass --metadata to use it)"
            yield RawItem(rel, "ignored", reason=reason)
            continue
        if max_file_size is not None and e.size is not None and e.size > max_file_size:
            yield RawItem(rel, "rejected", reason=too_large_reason(e.size, max_file_size))
            continue
        meta, notes = None, []
        if metadata is not None:  # {} = metadata in use but no row for this file (noted by lookup)
            row, notes = metadata.lookup(rel)
            meta = row if row is not None else {}
        yield RawItem(rel, "seed", file=str(e.path), meta=meta, reason="; ".join(notes), size=e.size)


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


#: A JSON member of an archive or a JSON line is parsed whole: it may be this many times --max-file-size.
CONTAINER_FACTOR = 25


def _iter_zip(zf: zipfile.ZipFile, prefix: str, member_limit: int | None, digest=None) -> Iterator[RawItem]:
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = info.filename
        label = f"{prefix}:{name}"
        lower = name.lower()
        big = member_limit is not None and info.file_size > member_limit
        if lower.endswith(".zip"):
            if big:
                yield RawItem(label, "rejected", reason=_member_too_large(info.file_size, member_limit))
                continue
            try:
                with zipfile.ZipFile(io.BytesIO(_read_member(zf, info, member_limit))) as inner:
                    yield from _iter_zip(inner, label, member_limit, digest)
            except (zipfile.BadZipFile, _TooLarge) as exc:
                yield RawItem(label, "rejected", reason=str(exc) if isinstance(exc, _TooLarge)
                              else f"corrupt zip archive ({exc})")
            continue
        if not lower.endswith(".json") or _is_hidden(name.rsplit("/", 1)[-1]) or name.startswith("__MACOSX"):
            yield RawItem(label, "ignored", reason="not a SaudiNewsNet JSON member")
            continue
        if big:
            yield RawItem(label, "rejected", reason=_member_too_large(info.file_size, member_limit))
            continue
        try:
            raw = _read_member(zf, info, member_limit)
            if digest is not None:
                digest.update(f"{label}\0{len(raw)}\0".encode() + raw)
            data = json.loads(raw.decode("utf-8-sig"))
            del raw
        except _TooLarge as exc:
            yield RawItem(label, "rejected", reason=str(exc))
            continue
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


class _TooLarge(Exception):
    pass


def _member_too_large(size: int, limit: int | None) -> str:
    return (f"archive member too large ({format_size(size)}, over the {format_size(limit or 0)} limit for a "
            f"member, {CONTAINER_FACTOR} x --max-file-size); raise --max-file-size to read it")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None) -> bytes:
    """A member's bytes, reading at most *limit* + 1 (the size in the zip directory can lie)."""
    if limit is None:
        return zf.read(info)
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge(_member_too_large(len(data), limit))
    return data


def expand_archive(item: RawItem, *, max_file_size: int | None = None, digest=None) -> Iterator[RawItem]:
    """The records of an 'archive' item (one SaudiNewsNet zip), read where the item is processed; JSON members
    larger than ``CONTAINER_FACTOR x max_file_size`` are rejected. *digest* (a hashlib object), when given,
    is updated with the name and bytes of every JSON member read."""
    limit = CONTAINER_FACTOR * max_file_size if max_file_size else None
    try:
        with zipfile.ZipFile(item.file) as zf:
            yield from _iter_zip(zf, item.path, limit, digest)
    except (zipfile.BadZipFile, OSError) as exc:
        yield RawItem(item.path, "rejected", reason=f"corrupt zip archive ({exc})")


def iter_saudinewsnet(source: Path, *, expand: bool = False, follow_symlinks: bool = False,
                      max_file_size: int | None = None) -> Iterator[RawItem]:
    """SaudiNewsNet day archives (``YYYY-MM-DD.zip``, each one JSON array) under *source*.

    Each zip is yielded as one 'archive' item, expanded into its records by :func:`expand_archive` in the
    worker that processes it (so the main process neither parses nor ships the JSON); ``expand=True``
    yields the records directly.
    """
    root = source if source.is_dir() else source.parent
    for e in walk_entries(source, follow_symlinks=follow_symlinks):
        rel = e.rel if source.is_dir() else _rel(e.path, root)
        if e.status != "file":
            yield RawItem(rel, e.status, reason=e.reason)
            continue
        reason = _ignore_reason(e.path, (".zip",))
        if reason is not None:
            yield RawItem(rel, "ignored", reason=reason)
            continue
        item = RawItem(rel, "archive", file=str(e.path), size=e.size)
        if expand:
            yield from expand_archive(item, max_file_size=max_file_size)
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


def _bounded_lines(fh, limit: int | None) -> Iterator[str | None]:
    """The lines of a text file; a line longer than *limit* characters is skipped (never held whole) and
    yielded as None."""
    if limit is None:
        yield from fh
        return
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith("\n"):
            while True:  # skip the rest of the long line, 1 MB at a time
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith("\n"):
                    break
            yield None
        else:
            yield line


def iter_jsonl_file(path: Path, rel: str, columns: ColumnSpec, *, ant: bool = False,
                    max_file_size: int | None = None) -> Iterator[RawItem]:
    """Records of one JSON-lines file (optionally gzipped); ANT files map ``category`` to the label. A line
    longer than ``CONTAINER_FACTOR x max_file_size`` characters is rejected without being held in memory."""
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
            limit = CONTAINER_FACTOR * max_file_size if max_file_size else None
            for i, line in enumerate(_bounded_lines(fh, limit)):
                if line is None:
                    yield RawItem(f"{rel}#{i}", "rejected", reason=(
                        f"JSON line too long (over {format_size(limit or 0)}, {CONTAINER_FACTOR} x "
                        f"--max-file-size); raise --max-file-size to read it"))
                    continue
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


def iter_generic(source: Path, fmt: str, columns: ColumnSpec, *, follow_symlinks: bool = False,
                 max_file_size: int | None = None) -> Iterator[RawItem]:
    """Records of every file of format *fmt* ('jsonl', 'ant', 'csv', 'parquet') under *source* (files are
    streamed, so they have no size limit; each record's text is checked against *max_file_size* by ingest)."""
    suffixes = {"jsonl": _JSONL_SUFFIXES, "ant": _JSONL_SUFFIXES, "csv": _CSV_SUFFIXES, "parquet": (".parquet",)}[fmt]
    root = source if source.is_dir() else source.parent
    for e in walk_entries(source, follow_symlinks=follow_symlinks):
        rel = e.rel if source.is_dir() else _rel(e.path, root)
        if e.status != "file":
            yield RawItem(rel, e.status, reason=e.reason)
            continue
        path = e.path
        reason = _ignore_reason(path, suffixes) if source.is_dir() else None
        if reason is not None:
            yield RawItem(rel, "ignored", reason=reason)
            continue
        if fmt in ("jsonl", "ant"):
            yield from iter_jsonl_file(path, rel, columns, ant=fmt == "ant", max_file_size=max_file_size)
        elif fmt == "csv":
            yield from iter_csv_file(path, rel, columns)
        else:
            yield from iter_parquet_file(path, rel, columns)


def iter_source(source: Path, fmt: str, *, columns: ColumnSpec | None = None, metadata: Metadata | None = None,
                include: set[str] | None = None, follow_symlinks: bool = False,
                max_file_size: int | None = None) -> Iterator[RawItem]:
    """Dispatch to the reader of *fmt* (already resolved, not 'auto')."""
    columns = columns or ColumnSpec()
    if fmt == "seed":
        return iter_seed(source, metadata=metadata, include=include, follow_symlinks=follow_symlinks,
                         max_file_size=max_file_size)
    if fmt == "saudinewsnet":
        return iter_saudinewsnet(source, follow_symlinks=follow_symlinks, max_file_size=max_file_size)
    if fmt in ("jsonl", "ant", "csv", "parquet"):
        return iter_generic(source, fmt, columns, follow_symlinks=follow_symlinks, max_file_size=max_file_size)
    raise IngestError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
