"""Partitioned corpora: one index per partition, the same functions per partition on Dask, equal results."""
from __future__ import annotations

import pandas as pd
import pytest

from arabic_news import config
from arabic_news.corpus.partitioned import write_partitioned
from arabic_news.explore import (
    PartitionedIndex, collocations, dictionary_counts, keyness, kwic, open_corpus, phrases, trend,
)
from arabic_news.explore.index import TokenIndex

from explore_fixtures import article_frame


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("part")
    frame = article_frame()
    frame["n_tokens"] = frame["n_tokens"].astype("int32")
    write_partitioned(frame, root / "ds", partition_by="month")  # 2021-02 (d1, d2) and 2021-03 (d3)
    return root / "ds"


@pytest.fixture(scope="module")
def whole() -> TokenIndex:
    return TokenIndex.from_frame(article_frame())


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True).sort_index(axis=1)


def test_one_index_per_partition(dataset, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", dataset.parent / "cache")
    pidx = open_corpus(dataset, scheduler="sync")
    assert isinstance(pidx, PartitionedIndex) and len(pidx.partitions) == 2
    dirs = pidx.build(scheduler="sync")
    assert [d.parent for d in dirs] == [dataset / "explore_index"] * 2
    assert all((d / "tokens.parquet").is_file() for d in dirs)
    assert all(p.sha256[:16] in d.name for p, d in zip(pidx.partitions, dirs))


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_same_results_as_one_index(dataset, whole, scheduler):
    pidx = PartitionedIndex(dataset, scheduler=scheduler)
    key = ["doc_id", "start"]
    for query, match in [("العراق", "clitics"), ("حلف شمال الأطلسي", "clitics"), ("وزير", "stem")]:
        a = kwic(pidx, query, match=match).sort_values(key).reset_index(drop=True)
        b = kwic(whole, query, match=match).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(
        _plain(keyness(pidx, by="source", target="alpha", min_freq=1, p=1.0)),
        _plain(keyness(whole, by="source", target="alpha", min_freq=1, p=1.0)))
    assert keyness(pidx, by="source", target="alpha", min_freq=1, p=1.0).attrs["summary"]["target_tokens"] == 21
    pd.testing.assert_frame_equal(
        _plain(collocations(pidx, "وزير", window=1, min_freq=1, keep_stopwords=True, top=None)),
        _plain(collocations(whole, "وزير", window=1, min_freq=1, keep_stopwords=True, top=None)))
    pd.testing.assert_frame_equal(_plain(phrases(pidx, min_count=1, keep_stopwords=True, top=None)),
                                  _plain(phrases(whole, min_count=1, keep_stopwords=True, top=None)))
    pd.testing.assert_frame_equal(_plain(trend(pidx, "العراق", by="week", group="source")),
                                  _plain(trend(whole, "العراق", by="week", group="source")))
    d = {"categories": {"iraq": ["العراق"], "nato": ["حلف شمال الأطلسي", "الأطلسي"]}}
    pd.testing.assert_frame_equal(_plain(dictionary_counts(pidx, d).sort_values("doc_id")),
                                  _plain(dictionary_counts(whole, d).sort_values("doc_id")))


def test_unknown_value_in_every_partition(dataset):
    from arabic_news.explore import ExploreError

    with pytest.raises(ExploreError, match="not found in column 'source' of any partition"):
        keyness(PartitionedIndex(dataset, scheduler="sync"), by="source", target="gamma")


def test_cli_builds_partition_indexes_in_worker_processes(tmp_path, capsys):
    """`arabic-news explore index DATASET` builds every partition's index on Dask's process pool, then the
    other sub-commands run per partition."""
    import json

    from arabic_news.cli import main

    frame = article_frame()
    frame["n_tokens"] = frame["n_tokens"].astype("int32")
    write_partitioned(frame, tmp_path / "ds", partition_by="month")
    assert main(["explore", "index", str(tmp_path / "ds"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["partitions"] == 2 and all((tmp_path / "ds" / "explore_index").iterdir())
    assert main(["explore", "kwic", str(tmp_path / "ds"), "وزير", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["hits"] == 5
