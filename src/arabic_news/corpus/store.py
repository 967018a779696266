"""The analysis store: what is computed once per corpus and reused by every notebook, command and rerun.

Each analysis result (actor mentions, document-topic weights and the topic model's parameters, tone scores,
claim matches, the exploration index, ...) is stored under a key made of

* the corpus checksum (SHA-256 of ``articles.parquet``, or of a partitioned dataset's manifest), and
* the *name* of the analysis plus the parameters that change its result (sample size, seed, number of
  topics, a model's fingerprint, ...), hashed into a short suffix.

Layout::

    CORPUS/analysis/<checksum[:16]>/
        actor_mentions-3f2a9c1e0b7d.parquet      a table (DataFrame)
        actor_mentions-3f2a9c1e0b7d.meta.json    name, parameters, when and how long it took
        topic_model-81c0d2e4a6b9.npz             arrays (numpy, loaded with allow_pickle=False)
        topic_model-81c0d2e4a6b9.json            plain JSON values
    CORPUS/analysis/events.jsonl                 one line per "computed" / "reused" event (the run log)

When the corpus folder cannot be written (a read-only mirror), the store lives under
``config.CACHE_DIR / "analysis" / <checksum[:16]>`` instead. Nothing in the store is ever unpickled: tables are
parquet, arrays npz without pickles, the rest JSON, so a store copied from elsewhere is data, never code.

Writes are atomic (a temporary file in the same folder, then :func:`os.replace`), so an interrupted run leaves
either the previous entry or none, never half a file. A new corpus (another checksum) gets a new folder:
entries of an earlier corpus are never read for it.

>>> import tempfile, pandas as pd
>>> d = Path(tempfile.mkdtemp())
>>> _ = pd.DataFrame({"doc_id": ["a"], "title": ["خبر"]}).to_parquet(d / "articles.parquet")
>>> store = AnalysisStore(d)
>>> calls = []
>>> df = store.frame("lengths", {"sample": 0}, lambda: calls.append(1) or pd.DataFrame({"n": [3]}))
>>> df = store.frame("lengths", {"sample": 0}, lambda: calls.append(1) or pd.DataFrame({"n": [3]}))
>>> len(calls), int(df["n"].iloc[0])
(1, 3)
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from arabic_news import config

logger = logging.getLogger(__name__)

STORE_DIR = "analysis"
EVENTS_FILE = "events.jsonl"
_CHECKSUM_FILE = "checksum.json"
_MANIFEST_NAMES = ("_manifest.json", "manifest.json")


class StoreError(RuntimeError):
    """The store cannot be used for this corpus; the message names the folder and the fix."""


def _canonical(params: dict[str, Any] | None) -> str:
    return json.dumps(params or {}, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def params_key(params: dict[str, Any] | None) -> str:
    """A short, stable hash of *params* (order of keys does not matter).

    >>> params_key({"k": 9, "seed": 42}) == params_key({"seed": 42, "k": 9})
    True
    """
    return hashlib.sha256(_canonical(params).encode("utf-8")).hexdigest()[:12]


def code_fingerprint(*modules) -> str:
    """A short hash of the source files of *modules* (module objects or dotted names): part of an entry's
    parameters, so that a changed algorithm never serves results computed by the earlier code.

    >>> len(code_fingerprint("arabic_news.corpus.store"))
    12
    """
    import importlib

    h = hashlib.sha256()
    for mod in modules:
        if isinstance(mod, str):
            mod = importlib.import_module(mod)
        h.update(mod.__name__.encode())
        try:
            h.update(Path(mod.__file__).read_bytes())
        except (OSError, TypeError):  # pragma: no cover - no source file (zipped install): the name only
            pass
    return h.hexdigest()[:12]


def values_fingerprint(values) -> str:
    """A short hash of a sequence of values (e.g. the ``doc_id`` column of the analysed articles, in order):
    names *which* articles an entry was computed on, whatever sample size and seed drew them.

    >>> values_fingerprint(["a", "b"]) == values_fingerprint(["a", "b"]), values_fingerprint(["b", "a"]) == values_fingerprint(["a", "b"])
    (True, False)
    """
    h = hashlib.sha256()
    n = 0
    for v in values:
        h.update(str(v).encode("utf-8"))
        h.update(b"\x00")
        n += 1
    return f"{n}:{h.hexdigest()[:16]}"


def _file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def corpus_checksum(corpus_dir: str | Path) -> str:
    """SHA-256 of the corpus' ``articles.parquet`` (or of a partitioned dataset's manifest).

    The result is remembered in ``CORPUS/analysis/checksum.json`` together with the file's size and
    modification time, so a large corpus is hashed once, not by every notebook; a changed file is re-hashed.
    """
    corpus_dir = Path(corpus_dir)
    target = corpus_dir / "articles.parquet"
    if not target.is_file():
        target = next((corpus_dir / n for n in _MANIFEST_NAMES if (corpus_dir / n).is_file()), None)
        if target is None:
            raise StoreError(f"{corpus_dir}: no articles.parquet or partition manifest; "
                             f"run `arabic-news ingest SOURCE --out {corpus_dir}` first")
    st = target.stat()
    stamp = {"file": target.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    memo = corpus_dir / STORE_DIR / _CHECKSUM_FILE
    try:
        saved = json.loads(memo.read_text("utf-8"))
        if {k: saved.get(k) for k in stamp} == stamp and len(saved.get("sha256", "")) == 64:
            return saved["sha256"]
    except (OSError, ValueError):
        pass
    digest = _file_sha256(target)
    try:
        _atomic_write_text(memo, json.dumps(dict(stamp, sha256=digest)))
    except OSError:  # read-only corpus folder: hash again next time
        pass
    return digest


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _writable(folder: Path) -> bool:
    probe = folder
    while not probe.exists():
        probe = probe.parent
    return os.access(probe, os.W_OK)


@dataclass(frozen=True)
class Entry:
    """One stored result: its name, parameters and files."""

    name: str
    params: dict[str, Any]
    path: Path
    meta: dict[str, Any]


class AnalysisStore:
    """The analysis results of one corpus (see the module docstring).

    Parameters
    ----------
    corpus_dir : an ingested corpus folder (``articles.parquet``) or a partitioned dataset.
    root : where to keep the entries (default ``CORPUS/analysis/<checksum[:16]>``, or the cache folder when the
        corpus folder is read-only).
    refresh : recompute every entry asked for (and overwrite it) instead of reusing it.
    """

    def __init__(self, corpus_dir: str | Path, *, root: str | Path | None = None, refresh: bool = False):
        self.corpus_dir = Path(corpus_dir)
        self.checksum = corpus_checksum(self.corpus_dir)
        if root is None:
            base = self.corpus_dir / STORE_DIR
            if not _writable(base):
                base = config.CACHE_DIR / STORE_DIR
            root = base / self.checksum[:16]
        self.root = Path(root)
        self.refresh = refresh

    # ---------------------------------------------------------------------------------------------- paths
    def path(self, name: str, params: dict[str, Any] | None, suffix: str) -> Path:
        """File of entry *name* with *params* (``suffix``: ``.parquet``, ``.npz`` or ``.json``)."""
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"invalid store entry name {name!r}")
        return self.root / f"{name}-{params_key(params)}{suffix}"

    def has(self, name: str, params: dict[str, Any] | None = None) -> bool:
        return any(self.path(name, params, s).is_file() for s in (".parquet", ".npz", ".json", ".zip"))

    # ------------------------------------------------------------------------------------------- helpers
    def _log(self, event: str, name: str, params, seconds: float = 0.0) -> None:
        line = json.dumps({"event": event, "name": name, "key": params_key(params), "checksum": self.checksum[:16],
                           "seconds": round(seconds, 3), "pid": os.getpid(), "time": time.time()},
                          ensure_ascii=False)
        try:
            events = self.root.parent / EVENTS_FILE
            events.parent.mkdir(parents=True, exist_ok=True)
            with open(events, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except OSError as exc:  # logging the event is best effort
            logger.debug("store event not logged: %s", exc)

    def _write_meta(self, name: str, params, data_path: Path, seconds: float) -> None:
        meta = {"name": name, "params": json.loads(_canonical(params)), "file": data_path.name,
                "corpus_sha256": self.checksum, "seconds": round(seconds, 3),
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        _atomic_write_text(data_path.with_suffix(".meta.json"), json.dumps(meta, ensure_ascii=False, indent=1))

    def _get(self, name, params, suffix, compute, read, write, desc):
        path = self.path(name, params, suffix)
        if path.is_file() and not self.refresh:
            try:
                value = read(path)
            except Exception as exc:  # a damaged entry is recomputed, never trusted
                logger.warning("store entry %s unreadable (%s); recomputing", path.name, exc)
            else:
                logger.info("reused %s (%s)", desc or name, path.name)
                self._log("reused", name, params)
                return value
        t0 = time.perf_counter()
        logger.info("computing %s ...", desc or name)
        value = compute()
        seconds = time.perf_counter() - t0
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            write(value, Path(tmp))
            os.chmod(tmp, 0o666 & ~_umask())  # the permissions of any file the user writes (mkstemp's are 0600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._write_meta(name, params, path, seconds)
        self._log("computed", name, params, seconds)
        logger.info("computed %s in %.1f s", desc or name, seconds)
        return value

    # ------------------------------------------------------------------------------------------ entries
    def frame(self, name: str, params: dict[str, Any] | None, compute: Callable[[], Any], *,
              desc: str | None = None):
        """The table *name* for *params*: read from the store, or computed by ``compute()``, stored (parquet) and returned."""
        import pandas as pd

        def write(df, tmp: Path) -> None:
            if not isinstance(df, pd.DataFrame):
                raise TypeError(f"store entry {name!r}: compute() must return a DataFrame, got {type(df).__name__}")
            df.to_parquet(tmp, index=False)

        return self._get(name, params, ".parquet", compute, pd.read_parquet, write, desc)

    def arrays(self, name: str, params: dict[str, Any] | None, compute: Callable[[], dict], *,
               desc: str | None = None) -> dict:
        """A dict of numpy arrays (npz, read with ``allow_pickle=False``)."""
        import numpy as np

        def read(path: Path) -> dict:
            with np.load(path, allow_pickle=False) as npz:
                return {k: npz[k] for k in npz.files}

        def write(value: dict, tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                np.savez(fh, **{k: np.asarray(v) for k, v in value.items()})

        return self._get(name, params, ".npz", compute, read, write, desc)

    def json(self, name: str, params: dict[str, Any] | None, compute: Callable[[], Any], *,
             desc: str | None = None):
        """A JSON value (dicts, lists, strings, numbers)."""

        def read(path: Path):
            return json.loads(path.read_text("utf-8"))

        def write(value, tmp: Path) -> None:
            tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")

        return self._get(name, params, ".json", compute, read, write, desc)

    def file(self, name: str, params: dict[str, Any] | None, compute: Callable[[], Any], *,
             save: Callable[[Any, Path], Any], load: Callable[[Path], Any], suffix: str = ".zip",
             desc: str | None = None):
        """An object kept in a file format of its own (e.g. a fitted model as a model file, see
        :mod:`arabic_news.model_files`): ``save(value, path)`` writes it, ``load(path)`` reads it back; *load*
        must never execute the file's content (no pickle)."""
        if suffix in (".parquet", ".npz", ".json", ".meta.json"):
            raise ValueError(f"suffix {suffix!r} is reserved for frame/arrays/json entries")
        return self._get(name, params, suffix, compute, load, lambda value, tmp: save(value, tmp), desc)

    def entries(self) -> list[Entry]:
        """Every stored entry of this corpus, sorted by name."""
        out = []
        for meta_path in sorted(self.root.glob("*.meta.json")):
            try:
                meta = json.loads(meta_path.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            out.append(Entry(meta.get("name", ""), meta.get("params", {}), self.root / meta.get("file", ""), meta))
        return sorted(out, key=lambda e: (e.name, e.path.name))

    def events(self) -> list[dict]:
        """The computed/reused events logged for this store's folder (all corpora of the folder)."""
        path = self.root.parent / EVENTS_FILE
        if not path.is_file():
            return []
        rows = []
        for line in path.read_text("utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue
        return rows

    def __repr__(self) -> str:
        return f"AnalysisStore({str(self.corpus_dir)!r}, checksum={self.checksum[:12]})"
