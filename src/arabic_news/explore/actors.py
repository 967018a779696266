"""Actor mentions on the token index: ``actor:ID`` queries and "mentions actor X" sub-corpora.

The mentions are the actor matcher's (:func:`arabic_news.actors.extract.extract_mentions` with the default
:class:`~arabic_news.actors.matcher.ActorMatcher` on the project's gazetteer), whose ``start``/``end`` offsets
index the same article text as the token index. They are extracted once per corpus and gazetteer and stored
beside the index (``mentions-<gazetteer fingerprint>.parquet``: doc, actor_id, kind, start, end).
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from arabic_news import config
from arabic_news.explore.index import ExploreError, Hits, TokenIndex, _atomic_write

logger = logging.getLogger(__name__)

__all__ = ["mentions", "actor_hits", "actor_docs", "check_actor"]

MENTION_COLUMNS = ("doc", "actor_id", "kind", "start", "end")


def _gazetteer_files() -> list[Path]:
    root = Path(config.ACTORS_DIR)
    if root.is_file():
        return [root]
    return sorted(p for p in root.glob("*.y*ml") if p.is_file())


def gazetteer_fingerprint() -> str:
    """A digest of the gazetteer files and the matcher's code (a change re-extracts the mentions)."""
    import arabic_news.actors.gazetteer as gaz_module
    import arabic_news.actors.matcher as matcher_module

    h = hashlib.sha256()
    for mod in (gaz_module, matcher_module):
        try:
            h.update(Path(mod.__file__).read_bytes())
        except (OSError, TypeError):  # pragma: no cover
            pass
    for f in _gazetteer_files():
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _gazetteer():
    from arabic_news.actors.gazetteer import GazetteerError, load_gazetteer

    try:
        return load_gazetteer()
    except GazetteerError as exc:
        raise ExploreError(str(exc)) from exc


def check_actor(actor_id: str) -> str:
    """The actor id if the gazetteer has it, else :class:`ExploreError` naming the fix."""
    gaz = _gazetteer()
    if actor_id not in gaz:
        raise ExploreError(f"unknown actor id {actor_id!r}: not in the gazetteer ({config.ACTORS_DIR}); "
                           f"use an id such as Q796 (see `arabic-news actors show` or data/actors/*.yaml)")
    return actor_id


def mentions(index: TokenIndex, *, n_jobs: int | None = None) -> pd.DataFrame:
    """The actor mentions of the indexed corpus (``doc`` = row in the index), extracted once and cached."""
    got = index._cache.get("mentions")
    if got is not None:
        return got
    fp = gazetteer_fingerprint()
    path = index.path / f"mentions-{fp}.parquet" if index.path is not None else None
    if path is not None and path.is_file():
        got = pd.read_parquet(path)
    else:
        from arabic_news.actors.extract import extract_mentions
        from arabic_news.actors.matcher import ActorMatcher

        frame = _articles_for_matching(index)
        matcher = ActorMatcher(gazetteer=_gazetteer()).fit()
        import os

        found = extract_mentions(frame, matcher, n_jobs=n_jobs or min(2, os.cpu_count() or 1))
        row = pd.Series(np.arange(len(frame), dtype=np.int32), index=frame["doc_id"].astype(str).to_numpy())
        got = pd.DataFrame({
            "doc": row.reindex(found["doc_id"].astype(str).to_numpy()).to_numpy().astype(np.int32),
            "actor_id": found["actor_id"].astype(str).to_numpy(),
            "kind": found["kind"].astype(str).to_numpy(),
            "start": found["start"].to_numpy().astype(np.int32),
            "end": found["end"].to_numpy().astype(np.int32),
        })
        if path is not None:
            import io

            buf = io.BytesIO()
            got.to_parquet(buf, index=False)
            try:
                _atomic_write(path, buf.getvalue())
                for old in path.parent.glob("mentions-*.parquet"):
                    if old != path:
                        old.unlink(missing_ok=True)
            except OSError as exc:  # a read-only index folder: keep them in memory only
                logger.info("cannot cache the mentions in %s (%s)", path, exc)
    index._cache["mentions"] = got
    return got


def _articles_for_matching(index: TokenIndex) -> pd.DataFrame:
    """doc_id, title, body, date of every indexed article, in index order (doc_ids made unique by row)."""
    if index._frame is not None:
        frame = index._frame
        out = pd.DataFrame({"doc_id": np.arange(len(frame)).astype(str),
                            "title": frame["title"] if "title" in frame.columns else "",
                            "body": frame["body"]})
        if "date" in frame.columns:
            out["date"] = frame["date"].to_numpy()
        return out
    import pyarrow.parquet as pq

    names = pq.read_schema(index.corpus).names
    cols = [c for c in ("title", "body", "date") if c in names]
    frame = pq.read_table(index.corpus, columns=cols).to_pandas()
    frame.insert(0, "doc_id", np.arange(len(frame)).astype(str))
    return frame


def _token_keys(index: TokenIndex) -> np.ndarray:
    keys = index._cache.get("token_keys")
    if keys is None:
        keys = (index.col("doc").astype(np.int64) << 32) | index.col("start").astype(np.int64)
        index._cache["token_keys"] = keys
    return keys


def actor_hits(index: TokenIndex, actor_id: str):
    """The mentions of *actor_id* as query hits (tokens covered, plus the matcher's own character spans)."""

    check_actor(actor_id)
    m = mentions(index)
    m = m[m["actor_id"] == actor_id].sort_values(["doc", "start"], kind="stable")
    doc = m["doc"].to_numpy().astype(np.int64)
    start = m["start"].to_numpy().astype(np.int64)
    end = m["end"].to_numpy().astype(np.int64)
    keys = _token_keys(index)
    first = np.searchsorted(keys, (doc << 32) | start, side="left")
    stop = np.searchsorted(keys, (doc << 32) | end, side="left")  # tokens starting before the mention's end
    length = np.maximum(stop - first, 1)
    return Hits(first.astype(np.int64), length.astype(np.int64), start, end, doc)


def actor_docs(index: TokenIndex, actor_id: str) -> np.ndarray:
    """Per article (bool array over doc rows): does the matcher find *actor_id* in it?"""
    check_actor(actor_id)
    m = mentions(index)
    out = np.zeros(index.n_docs, dtype=bool)
    out[m.loc[m["actor_id"] == actor_id, "doc"].to_numpy()] = True
    return out
