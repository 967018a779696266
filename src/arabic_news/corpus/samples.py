"""Cached ingests: the small seeded sample notebooks use, and the main job's corpus.

Both return an ingest output folder (``articles.parquet`` + ``ingest_report.csv`` + ``ingest_meta.json``)
that :func:`arabic_news.corpus.load_articles` reads. A cache entry is reused only when its
``cache_key.json`` matches: the inputs' fingerprint (paths, sizes and modification times, see
:func:`fingerprint`: the corpus is not read a second time), the parameters, the
schema version and a hash of the ingest and text-normalisation code. Entries are built in a temporary
folder and renamed into place, so concurrent callers
(e.g. notebooks run in parallel) never see a half-written corpus.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import time
from pathlib import Path

from arabic_news import config
from arabic_news.corpus.atomic import OutputDir
from arabic_news.corpus.fetch import DatasetNotAvailable, dataset_path
from arabic_news.corpus.ingest import ingest, read_bounded
from arabic_news.corpus.readers import Entry, IngestError, walk_entries, walk_files
from arabic_news.corpus.schema import ARTICLES_FILE, SCHEMA_VERSION

logger = logging.getLogger(__name__)

SAMPLE_DATASET = "seed_format_saudinewsnet"
_KEY_FILE = "cache_key.json"


#: A file modified less than this many seconds before a fingerprint is taken also gets its content hashed:
#: a same-size rewrite within the file system's timestamp granularity would otherwise keep size and mtime.
RACY_SECONDS = 10


def _entry_line(e: Entry) -> str:
    if e.status != "file":
        return f"{e.rel}\t{e.status}\t{e.reason}\n"
    return f"{e.rel}\t{e.size}\t{e.mtime_ns}\n"


def _content_hash(path) -> str:
    try:
        return hashlib.blake2b(read_bounded(str(path), config.MAX_FILE_SIZE), digest_size=16).hexdigest()
    except (OSError, ValueError) as exc:
        return f"unread ({exc})"


def racy_hashes(entries, *, now_ns: int | None = None) -> dict[str, str]:
    """Content hashes of the files modified less than :data:`RACY_SECONDS` before *now_ns* ("racily clean"
    files, as git calls them): a same-size rewrite within the file system's timestamp granularity keeps their
    size and mtime, so a cache built from them is checked against their content as well."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return {e.rel: _content_hash(e.path) for e in entries
            if e.status == "file" and e.mtime_ns is not None and now_ns - e.mtime_ns < RACY_SECONDS * 10**9}


def _fingerprint_entries(entries) -> str:
    h = hashlib.sha256()
    for line in sorted(map(_entry_line, entries)):
        h.update(line.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def fingerprint(paths: list[Path], root: Path) -> str:
    """SHA-256 over the relative path, size and modification time (ns) of each file (order-independent).

    Nothing is read (files modified just before a cache is built are checked by content as well, see
    :func:`racy_hashes`), so the fingerprint of unchanged files stays the same from run to run. A path that cannot be inspected contributes its error instead of stopping the fingerprint.
    """
    entries = []
    for p in paths:
        rel = p.relative_to(root).as_posix() if p != root else p.name
        try:
            st = os.stat(p)
            entries.append(Entry(p, rel, "file", "", st.st_size, st.st_mtime_ns))
        except OSError as exc:
            entries.append(Entry(p, rel, "rejected", f"cannot be inspected ({exc.strerror or exc})"))
    return _fingerprint_entries(entries)


def source_fingerprint(source: Path, *, follow_symlinks: bool = False) -> str:
    """:func:`fingerprint` of every path under *source* as ingest sees it (:func:`walk_entries`): regular
    files by path, size and mtime; symlinks, special files, unreadable folders by their reason. Never opens
    a FIFO or device, never loops, never re-reads the corpus."""
    return _fingerprint_entries(walk_entries(source, follow_symlinks=follow_symlinks))


_CODE_MODULES = ("arabic_news.corpus.decode", "arabic_news.corpus.seed_layout", "arabic_news.corpus.readers",
                 "arabic_news.corpus.dedup", "arabic_news.corpus.ingest", "arabic_news.corpus.schema",
                 "arabic_news.text.normalize", "arabic_news.text.tokenize")


def code_fingerprint() -> str:
    """Hash of the source of the modules an ingest's output depends on (so a code change rebuilds caches)."""
    import importlib

    h = hashlib.sha256()
    for name in _CODE_MODULES:
        module = importlib.import_module(name)
        h.update(name.encode() + b"\0" + Path(module.__file__).read_bytes())
    return h.hexdigest()[:16]


def _same_build(out: Path, key: dict) -> bool:
    try:
        return (out / ARTICLES_FILE).is_file() and json.loads((out / _KEY_FILE).read_text("utf-8")) == key
    except (OSError, ValueError):
        return False


def _cached(out: Path, key: dict, source: Path | None = None) -> bool:
    """True when *out* holds a complete build for *key*; files that were racily clean when it was built (their
    hashes stored under ``racy``) must still have the same content."""
    try:
        saved = json.loads((out / _KEY_FILE).read_text("utf-8"))
        bare = {k: v for k, v in key.items() if k != "racy"}
        if not (out / ARTICLES_FILE).is_file() or {k: v for k, v in saved.items() if k != "racy"} != bare:
            return False
    except (OSError, ValueError, AttributeError):
        return False
    racy = saved.get("racy") or {}
    return source is None or all(_content_hash(source / rel) == digest for rel, digest in racy.items())


def _build(out: Path, key: dict, run) -> Path:
    """Run ``run(tmp_dir)`` in a temporary sibling folder, then swap it into *out* (see :mod:`.atomic`).

    Temporary folders of builds that were killed are removed by the next build.
    """
    output = OutputDir(out, owned=("*",), what="cached corpus")
    tmp = output.begin()
    try:
        run(tmp)
        (tmp / _KEY_FILE).write_text(json.dumps(key, indent=1), encoding="utf-8")
        if _same_build(out, key):  # someone else built the same thing meanwhile
            output.abort()
            return out
        output.commit()
    except BaseException:
        output.abort()
        raise
    return out


def ensure_sample_corpus(n: int = 300, seed: int = config.DEFAULT_SEED) -> Path:
    """A cached ingest of *n* files sampled (with *seed*) from the seed-layout SaudiNewsNet dataset.

    The files are drawn with ``random.Random(seed).sample`` from the sorted list of article files, ingested
    with the dataset's ``metadata.csv``; the result lives in ``config.INTERIM_DIR / f"sample_{n}_{seed}"``.
    Raises DatasetNotAvailable (with the fix) when the dataset is neither fetched nor mirrored.
    """
    src = dataset_path(SAMPLE_DATASET)
    files = sorted(p for p, hidden in walk_files(src)
                   if hidden is None and p.suffix.lower() == ".txt" and not p.name.startswith("."))
    if not files:
        raise IngestError(f"{src}: no article files to sample from")
    chosen = random.Random(seed).sample(files, min(n, len(files)))
    include = sorted(p.relative_to(src).as_posix() for p in chosen)
    metadata = src / "metadata.csv"
    key = {"schema_version": SCHEMA_VERSION, "code": code_fingerprint(), "n": n, "seed": seed,
           "files": fingerprint(chosen, src),
           "metadata": fingerprint([metadata], src) if metadata.is_file() else None}
    out = config.INTERIM_DIR / f"sample_{n}_{seed}"
    if _cached(out, key):
        return out
    logger.info("building the %d-article sample corpus in %s", len(include), out)
    return _build(out, key, lambda tmp: ingest(src, tmp, format="seed",
                                               metadata=metadata if metadata.is_file() else None,
                                               include=include, n_jobs=1))


def ensure_corpus(name_or_path: str | Path, **ingest_kwargs) -> Path:
    """The ingest output folder of a registered dataset name (e.g. ``'saudinewsnet'``) or a folder/file path.

    A dataset name is resolved with :func:`dataset_path` (``data/raw`` first, then the mirror; when neither
    has it, it is fetched first with :func:`~arabic_news.corpus.fetch.fetch_dataset`) and ingested into
    ``config.INTERIM_DIR / NAME``; a path is
    ingested into ``config.INTERIM_DIR / "corpus_<hash of the absolute path>"``. Both are cached, keyed by the
    inputs' content fingerprint, the ingest parameters and the schema version.
    """
    from arabic_news.corpus.fetch import load_registry

    text = str(name_or_path)
    path = Path(text).expanduser()
    if path.exists():
        src = path.resolve()
        out = config.INTERIM_DIR / f"corpus_{hashlib.sha1(str(src).encode()).hexdigest()[:12]}"
    elif text in load_registry():
        try:
            src = dataset_path(text)
        except DatasetNotAvailable:
            from arabic_news.corpus.fetch import fetch_dataset

            logger.warning("dataset %s is not available locally: fetching it", text)
            fetch_dataset(text)
            src = dataset_path(text)
        out = config.INTERIM_DIR / text
    else:
        raise IngestError(f"{text}: neither an existing file/folder nor a registered dataset name "
                          f"(see `arabic-news data list`)")
    follow = bool(ingest_kwargs.get("follow_symlinks"))
    entries = list(walk_entries(src, follow_symlinks=follow)) if src.is_dir() else None
    files = _fingerprint_entries(entries) if entries is not None else source_fingerprint(src, follow_symlinks=follow)
    key = {"schema_version": SCHEMA_VERSION, "code": code_fingerprint(), "source": str(src), "files": files,
           "params": {k: str(v) for k, v in sorted(ingest_kwargs.items())}}
    base = src if src.is_dir() else src.parent
    if _cached(out, key, base):
        return out
    logger.info("ingesting %s into %s", src, out)
    racy = racy_hashes(entries) if entries is not None else {}
    return _build(out, dict(key, racy=racy) if racy else key, lambda tmp: ingest(src, tmp, **ingest_kwargs))
