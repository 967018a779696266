"""The analysis store: computed once, reused, keyed by corpus checksum and parameters, never unpickled."""
from __future__ import annotations

import json
import os
import pickle

import numpy as np
import pandas as pd
import pytest

from arabic_news.corpus.store import AnalysisStore, StoreError, corpus_checksum, params_key


def _corpus(tmp_path, titles=("خبر أول", "خبر ثان")):
    d = tmp_path / "corpus"
    d.mkdir(exist_ok=True)
    pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(titles))], "title": list(titles)}).to_parquet(
        d / "articles.parquet")
    return d


def test_frame_is_computed_once_and_reused(tmp_path):
    store = AnalysisStore(_corpus(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"actor": ["العراق", "إيران"], "n": [3, 1]})

    first = store.frame("actor_counts", {"sample": 0, "seed": 42}, compute)
    again = AnalysisStore(store.corpus_dir).frame("actor_counts", {"seed": 42, "sample": 0}, compute)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    assert again["actor"].tolist() == ["العراق", "إيران"]
    events = [(e["event"], e["name"]) for e in store.events()]
    assert events == [("computed", "actor_counts"), ("reused", "actor_counts")]


def test_parameters_and_checksum_separate_entries(tmp_path):
    corpus = _corpus(tmp_path)
    store = AnalysisStore(corpus)
    store.json("k", {"n_topics": 9}, lambda: {"k": 9})
    store.json("k", {"n_topics": 12}, lambda: {"k": 12})
    assert store.json("k", {"n_topics": 9}, lambda: pytest.fail("recomputed")) == {"k": 9}
    assert len(store.entries()) == 2
    # a different corpus (new checksum) never sees the earlier entries
    _corpus(tmp_path, titles=("خبر آخر",))
    other = AnalysisStore(corpus)
    assert other.checksum != store.checksum and other.root != store.root
    assert other.json("k", {"n_topics": 9}, lambda: {"k": "new"}) == {"k": "new"}


def test_checksum_is_sha256_and_remembered(tmp_path):
    corpus = _corpus(tmp_path)
    import hashlib

    expected = hashlib.sha256((corpus / "articles.parquet").read_bytes()).hexdigest()
    assert corpus_checksum(corpus) == expected
    memo = json.loads((corpus / "analysis" / "checksum.json").read_text("utf-8"))
    assert memo["sha256"] == expected and memo["size"] == (corpus / "articles.parquet").stat().st_size


def test_arrays_round_trip_without_pickle(tmp_path):
    store = AnalysisStore(_corpus(tmp_path))
    w = np.array([[0.25, 0.75], [1.0, 0.0]])
    got = store.arrays("doc_topic", {"k": 2}, lambda: {"weights": w, "ids": np.array(["d0", "d1"])})
    again = store.arrays("doc_topic", {"k": 2}, lambda: pytest.fail("recomputed"))
    np.testing.assert_array_equal(again["weights"], w)
    assert again["ids"].tolist() == ["d0", "d1"]
    assert got.keys() == again.keys()


def test_a_pickle_planted_in_the_store_is_never_executed(tmp_path):
    """An entry file replaced by a pickle payload is unreadable data: recomputed, the payload never runs."""
    store = AnalysisStore(_corpus(tmp_path))
    store.arrays("doc_topic", {"k": 2}, lambda: {"weights": np.ones(2)})
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = store.path("doc_topic", {"k": 2}, ".npz")
    with open(path, "wb") as fh:
        np.save(fh, np.array([Payload()], dtype=object), allow_pickle=True)
    got = store.arrays("doc_topic", {"k": 2}, lambda: {"weights": np.zeros(2)})
    assert not marker.exists()
    np.testing.assert_array_equal(got["weights"], np.zeros(2))
    assert pickle  # the module is imported only to build the payload above


def test_interrupted_compute_leaves_no_entry(tmp_path):
    store = AnalysisStore(_corpus(tmp_path))

    def boom():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.frame("t", None, boom)
    assert not store.has("t")
    assert not list(store.root.glob(".*.tmp"))


def test_refresh_recomputes(tmp_path):
    corpus = _corpus(tmp_path)
    AnalysisStore(corpus).json("x", None, lambda: 1)
    assert AnalysisStore(corpus, refresh=True).json("x", None, lambda: 2) == 2
    assert AnalysisStore(corpus).json("x", None, lambda: 3) == 2


def test_read_only_corpus_uses_cache_dir(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setattr("arabic_news.config.CACHE_DIR", cache)
    monkeypatch.setattr("arabic_news.corpus.store._writable", lambda folder: False)
    store = AnalysisStore(corpus)
    store.json("x", None, lambda: 1)
    assert store.root.is_relative_to(cache) and store.has("x")


def test_missing_corpus_is_one_clear_error(tmp_path):
    with pytest.raises(StoreError, match="arabic-news ingest"):
        AnalysisStore(tmp_path)


def test_params_key_is_order_independent_and_distinct():
    assert params_key({"a": 1, "b": [1, 2]}) == params_key({"b": [1, 2], "a": 1})
    assert params_key({"a": 1}) != params_key({"a": 2})
    assert params_key(None) == params_key({})


def test_entries_get_the_users_file_permissions(tmp_path):
    """Entries are written through a private temporary file, but end with the permissions of any file the user
    writes (umask), not mkstemp's 0600: a colleague in the same group can read the store."""
    store = AnalysisStore(_corpus(tmp_path))
    mask = os.umask(0o022)
    try:
        store.json("k", {"n": 1}, lambda: {"k": 1})
        store.file("model", {"n": 1}, lambda: "weights", save=lambda v, p: p.write_text(v, encoding="utf-8"),
                   load=lambda p: p.read_text(encoding="utf-8"), suffix=".txt")
    finally:
        os.umask(mask)
    assert (store.path("k", {"n": 1}, ".json").stat().st_mode & 0o777) == 0o644
    assert (store.path("model", {"n": 1}, ".txt").stat().st_mode & 0o777) == 0o644
    assert store.file("model", {"n": 1}, lambda: pytest.fail("recomputed"), save=None,
                      load=lambda p: p.read_text(encoding="utf-8"), suffix=".txt") == "weights"
