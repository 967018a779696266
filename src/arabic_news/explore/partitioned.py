"""One entry point for every exploration function, and the scale-out path for partitioned corpora.

:func:`dispatch` resolves the ``corpus`` argument of :func:`~arabic_news.explore.kwic.kwic`,
:func:`~arabic_news.explore.stats.keyness` ... : an ingested corpus folder or a DataFrame of articles gets one
:class:`~arabic_news.explore.index.TokenIndex`; a partitioned dataset (the scale-out layout of
:mod:`arabic_news.corpus.partitioned`, a folder holding ``_manifest.json``) gets one index per partition
(``DATASET/explore_index/<partition>-<sha256>-v<version>/``, keyed by the partition file's checksum from the
manifest) and every function runs per partition on Dask, then combines the partial results: hit rows are
concatenated, counts (per term, per period and group, per pair) are summed before the statistics are
computed, so the tables equal those of the same corpus in one piece, with two exceptions: a sampled
concordance is drawn from the partitions' hits in partition order, and the two corpus-dependent decisions of
the index (stripping a bare و ف ب ل ك, in the clitic-stripped form and the light stem, when the rest is at
least as frequent) use each partition's own counts.

``scheduler``: anything ``dask.compute`` accepts (``"threads"``, ``"processes"``, ``"sync"``) or a
``distributed.Client`` (e.g. from :func:`arabic_news.scale.runner.dask_client`); default ``"threads"`` for
queries (the per-partition work is numpy) and ``"processes"`` for building indexes.
"""
from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path

import pandas as pd

from arabic_news.explore.index import (
    INDEX_DIRNAME, INDEX_VERSION, ExploreError, TokenIndex, _build_tables, _is_complete, _write_index, open_index,
)

logger = logging.getLogger(__name__)

__all__ = ["dispatch", "PartitionedIndex", "is_partitioned", "open_corpus"]

# op -> (module, function on one index, partial on one partition, combine)
_OPS = {
    "kwic": ("arabic_news.explore.kwic", "_kwic_index"),
    "keyness": ("arabic_news.explore.stats", "_keyness_index"),
    "collocations": ("arabic_news.explore.stats", "_collocations_index"),
    "phrases": ("arabic_news.explore.stats", "_phrases_index"),
    "trend": ("arabic_news.explore.trend", "_trend_index"),
    "dictionary": ("arabic_news.explore.dictionary", "_dictionary_index"),
}


def is_partitioned(path) -> bool:
    """Whether *path* is a partitioned dataset folder (holds ``_manifest.json``)."""
    from arabic_news.corpus.partitioned import MANIFEST_FILE

    return isinstance(path, (str, Path)) and (Path(path) / MANIFEST_FILE).is_file()


class PartitionedIndex:
    """The per-partition indexes of a partitioned dataset (built on first use)."""

    def __init__(self, path: str | Path, *, scheduler=None):
        from arabic_news.corpus.partitioned import PartitionedDataset, PartitionedDatasetError

        try:
            self.dataset = PartitionedDataset(path)
        except PartitionedDatasetError as exc:
            raise ExploreError(str(exc)) from exc
        self.root = Path(path)
        self.scheduler = scheduler
        self.partitions = list(self.dataset.partitions)
        if not self.partitions:
            raise ExploreError(f"{path}: the partitioned dataset has no finished partition; re-run "
                               f"`arabic-news scale ingest`")

    def index_dir(self, partition) -> Path:
        return self.root / INDEX_DIRNAME / f"{partition.id}-{partition.sha256[:16]}-v{INDEX_VERSION}"

    def build(self, *, scheduler=None) -> list[Path]:
        """Build the missing partition indexes (in parallel on Dask) and return every partition's index folder."""
        import dask

        todo = [p for p in self.partitions if not _is_complete(self.index_dir(p))]
        if todo:
            t0 = time.perf_counter()
            tasks = [dask.delayed(_build_partition)(str(self.dataset.partition_path(p)), str(self.index_dir(p)),
                                                    p.sha256, f"{p.id}-") for p in todo]
            dask.compute(*tasks, **_compute_kwargs(scheduler or self.scheduler, default="processes"))
            logger.info("built %d partition index(es) in %.1f s", len(todo), time.perf_counter() - t0)
        return [self.index_dir(p) for p in self.partitions]

    def map(self, op: str, kwargs: dict, *, scheduler=None) -> list:
        """Run *op*'s per-index function on every partition (Dask) and return the partial results in order."""
        import dask

        self.build(scheduler=scheduler)
        tasks = [dask.delayed(_run_partition)(str(self.dataset.partition_path(p)), str(self.index_dir(p)), op,
                                              kwargs) for p in self.partitions]
        return list(dask.compute(*tasks, **_compute_kwargs(scheduler or self.scheduler, default="threads")))

    def __repr__(self) -> str:
        return f"PartitionedIndex({len(self.partitions)} partitions, {self.root})"


def _compute_kwargs(scheduler, *, default: str) -> dict:
    if scheduler is None:
        return {"scheduler": default, "num_workers": 2} if default == "processes" else {"scheduler": default}
    if hasattr(scheduler, "get") and not isinstance(scheduler, str):  # a distributed.Client
        return {"scheduler": scheduler.get}
    return {"scheduler": scheduler}


def _build_partition(part_file: str, index_dir: str, sha256: str, stale_prefix: str) -> str:
    from arabic_news.corpus.partitioned import read_partition_file

    target = Path(index_dir)
    if _is_complete(target):
        return index_dir
    frame = read_partition_file(part_file)
    tables = _build_tables(frame.drop(columns=["paragraphs"], errors="ignore"), n_jobs=1)
    tables["meta"].update({"index_version": INDEX_VERSION, "corpus_sha256": sha256, "corpus": part_file})
    _write_index(tables, target, stale_prefix=stale_prefix)
    return index_dir


# indexes opened in this process (worker), by folder
_PART_INDEXES: dict[str, TokenIndex] = {}


def _partition_index(part_file: str, index_dir: str) -> TokenIndex:
    idx = _PART_INDEXES.get(index_dir)
    if idx is None:
        idx = TokenIndex(path=Path(index_dir), corpus=Path(part_file))
        _PART_INDEXES.clear() if len(_PART_INDEXES) > 64 else None
        _PART_INDEXES[index_dir] = idx
    return idx


def _run_partition(part_file: str, index_dir: str, op: str, kwargs: dict):
    index = _partition_index(part_file, index_dir)
    return _partial(op, index, kwargs)


# ------------------------------------------------------------------------------------------------ partials
def _op_function(module: str, name: str):
    """Function *name* of the exploration module *module*, looked up when an operation runs.

    This module is the dispatcher the operations (kwic, stats, trend, dictionary) call for partitioned corpora;
    it reaches their per-partition and combining functions by name, like :data:`_OPS`, so that it depends on
    none of them (they import it, never the reverse).
    """
    return getattr(importlib.import_module(f"arabic_news.explore.{module}"), name)


def _partial(op: str, index: TokenIndex, kw: dict):
    """What one partition contributes (mergeable)."""
    if op == "kwic":
        _kwic_index = _op_function("kwic", "_kwic_index")
        return _kwic_index(index, **kw, _finalise=False)
    if op == "keyness":
        _keyness_counts = _op_function("stats", "_keyness_counts")
        return _keyness_counts(index, **kw, strict=False)
    if op == "collocations":
        _collocation_counts = _op_function("stats", "_collocation_counts")
        return _collocation_counts(index, **kw)
    if op == "phrases":
        _phrase_counts = _op_function("stats", "_phrase_counts")
        return _phrase_counts(index, **kw)
    if op == "trend":
        _trend_counts = _op_function("trend", "_trend_counts")
        return _trend_counts(index, **kw)
    if op == "dictionary":
        _dictionary_index = _op_function("dictionary", "_dictionary_index")
        return _dictionary_index(index, **kw)
    if op == "_unit_freq":
        unit_frequencies = _op_function("stats", "unit_frequencies")
        return unit_frequencies(index, kw["unit"], kw["terms"])
    raise ValueError(op)  # pragma: no cover


def _sum_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame()
    cat = pd.concat(frames)
    return cat.groupby(level=0, sort=False).sum()


def _combine(op: str, parts: list, kw: dict):
    if op == "kwic":
        finalise_kwic = _op_function("kwic", "finalise_kwic")
        frames = [p for p in parts if len(p)] or list(parts[:1])
        n_hits = sum(int(f.attrs.get("summary", {}).get("hits", 0)) for f in parts)
        summary = dict(frames[0].attrs.get("summary", {})) if frames else {}
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        frame["_order"] = range(len(frame))
        sample = kw.get("sample")
        if sample is not None and len(frame) > sample:
            frame = frame.sample(n=int(sample), random_state=kw.get("seed", 42)).sort_values("_order")
        summary["articles"] = int(frame["doc_id"].nunique()) if len(frame) else 0
        frame.attrs["summary"] = summary
        return finalise_kwic(frame, sort=kw.get("sort"), limit=kw.get("limit"), n_hits=n_hits)
    if op == "keyness":
        keyness_table = _op_function("stats", "keyness_table")
        counts = _sum_frames([c for c, _ in parts])
        sizes = {k: sum(s[k] for _, s in parts) for k in parts[0][1]}
        if sizes["target_articles"] == 0:
            raise ExploreError(f"value {kw.get('target')!r} not found in column {kw.get('by')!r} of any partition")
        if kw.get("reference") is not None and sizes["reference_articles"] == 0:
            raise ExploreError(f"value {kw.get('reference')!r} not found in column {kw.get('by')!r} of any "
                               f"partition")
        if counts.empty:
            counts = pd.DataFrame({"target_count": [], "reference_count": []})
        return keyness_table(counts, sizes, **kw)
    if op == "phrases":
        phrase_table = _op_function("stats", "phrase_table")
        tables = [t.set_index(["w1", "w2"]) for t, _ in parts if len(t)]
        if tables:
            cat = pd.concat(tables)
            counts = cat[["count"]].groupby(level=[0, 1]).sum()
            # first/second-position counts are per word: sum each word's count once per partition
            n1 = _sum_frames([t.reset_index().drop_duplicates("w1").set_index("w1")[["n1"]] for t in tables])
            n2 = _sum_frames([t.reset_index().drop_duplicates("w2").set_index("w2")[["n2"]] for t in tables])
            table = counts.reset_index()
            table["n1"] = n1.reindex(table["w1"])["n1"].to_numpy()
            table["n2"] = n2.reindex(table["w2"])["n2"].to_numpy()
        else:
            table = pd.DataFrame({"w1": [], "w2": [], "count": [], "n1": [], "n2": []})
        sizes = {"pairs": sum(s["pairs"] for _, s in parts)}
        return phrase_table(table, sizes, **kw)
    if op == "trend":
        trend_table = _op_function("trend", "trend_table")
        counts = pd.concat([c for c, _ in parts], ignore_index=True)
        info = dict(parts[0][1])
        info["undated_articles"] = sum(i["undated_articles"] for _, i in parts)
        info["articles_without_group"] = sum(i["articles_without_group"] for _, i in parts)
        info["hits"] = sum(i["hits"] for _, i in parts)
        return trend_table(counts, info, **kw)
    if op == "dictionary":
        frames = list(parts)
        out = pd.concat(frames, ignore_index=True)
        patterns = {}
        for f in frames:
            for row in f.attrs.get("patterns", []):
                key = (row["category"], row["pattern"])
                patterns[key] = patterns.get(key, 0) + row["hits"]
        summary = dict(frames[0].attrs.get("summary", {}))
        summary["articles"] = int(len(out))
        summary["hits"] = {c: int(out[c].sum()) for c in summary.get("categories", [])}
        out.attrs["patterns"] = [{"category": c, "pattern": p, "hits": n} for (c, p), n in patterns.items()]
        out.attrs["summary"] = summary
        return out
    raise ValueError(op)  # pragma: no cover


def open_corpus(corpus, *, scheduler=None):
    """A :class:`TokenIndex` or :class:`PartitionedIndex` for *corpus*."""
    if isinstance(corpus, (TokenIndex, PartitionedIndex)):
        return corpus
    if is_partitioned(corpus):
        return PartitionedIndex(corpus, scheduler=scheduler)
    return open_index(corpus)


def dispatch(corpus, op: str, *, scheduler=None, **kw):
    """Run exploration function *op* on *corpus* (see the module docstring)."""
    index = open_corpus(corpus, scheduler=scheduler)
    if isinstance(index, PartitionedIndex):
        if op == "collocations":
            return _collocations_partitioned(index, kw, scheduler)
        parts = index.map(op, kw, scheduler=scheduler)
        return _combine(op, parts, dict(kw))
    module, name = _OPS[op]
    func = getattr(importlib.import_module(module), name)
    return func(index, **kw)


def _collocations_partitioned(index: PartitionedIndex, kw: dict, scheduler):
    """Collocations over partitions: window counts per partition, then every partition's corpus frequencies of
    the collocates found anywhere (a second, cheap pass)."""
    parts = index.map("collocations", kw, scheduler=scheduler)
    table = _sum_frames([t for t, _ in parts])
    if len(table):
        freqs = index.map("_unit_freq", {"unit": kw.get("unit", "clitics"), "terms": table.index.tolist()},
                          scheduler=scheduler)
        total = _sum_frames(freqs)
        table["collocate_freq"] = total.reindex(table.index)["freq"].fillna(0).astype("int64").to_numpy()
    collocation_table = _op_function("stats", "collocation_table")
    sizes = dict(parts[0][1])
    for k in ("node_hits", "window_positions", "corpus_words"):
        sizes[k] = sum(s[k] for _, s in parts)
    if table.empty:
        table = pd.DataFrame({"observed": [], "left": [], "right": [], "collocate_freq": []})
    return collocation_table(table, sizes, **kw)
