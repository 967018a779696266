"""A persistent word-type -> analysis table (SQLite) for the slow backends ('lemma', 'camel').

qalsadi needs a few milliseconds per word type, so a news corpus with a few hundred thousand distinct types
takes many minutes; with a cache directory the next run only analyses types it has not seen. One file per
backend configuration: the file name carries a hash of the backend name, its parameters and the versions of
the resources it depends on, so a changed dictionary or database never serves stale analyses.
"""
from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

logger = logging.getLogger(__name__)

__all__ = ["AnalysisCache", "cache_file"]

_BATCH = 900  # below SQLite's default limit of host parameters per statement


def cache_file(cache_dir: str | Path, backend: str, signature: Mapping) -> Path:
    """``<cache_dir>/<backend>-<hash of signature>.sqlite``."""
    blob = json.dumps({"backend": backend, **signature}, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
    return Path(cache_dir).expanduser() / f"{backend}-{digest}.sqlite"


class AnalysisCache:
    """A SQLite table ``analyses(word PRIMARY KEY, output)``; opened per call, safe to pickle by path."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("CREATE TABLE IF NOT EXISTS analyses (word TEXT PRIMARY KEY, output TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=60)

    def get_many(self, words: Iterable[str]) -> dict[str, str]:
        words = list(words)
        found: dict[str, str] = {}
        with self._connect() as con:
            for i in range(0, len(words), _BATCH):
                chunk = words[i:i + _BATCH]
                marks = ",".join("?" * len(chunk))
                found.update(con.execute(f"SELECT word, output FROM analyses WHERE word IN ({marks})", chunk))
        return found

    def put_many(self, mapping: Mapping[str, str]) -> None:
        if not mapping:
            return
        with self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO analyses (word, output) VALUES (?, ?)", mapping.items())
        logger.debug("stored %d analyses in %s", len(mapping), self.path)

    def __len__(self) -> int:
        with self._connect() as con:
            return con.execute("SELECT COUNT(*) FROM analyses").fetchone()[0]
