"""The partitioned parquet dataset: month and rows partitions, undated articles, the manifest, streaming."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from arabic_news.corpus.partitioned import (
    MANIFEST_FILE,
    PartitionedDataset,
    PartitionedDatasetError,
    PartitionedWriter,
    file_sha256,
    month_keys,
    partition_corpus,
    write_partitioned,
)

BODIES = [
    "قال وزير الخارجية السعودي إن المملكة تدعم الحل السياسي في اليمن.",
    "ارتفعت أسعار النفط في الأسواق العالمية اليوم.",
    "أعلنت الأمم المتحدة عن مساعدات جديدة للاجئين.",
    "فاز الهلال على النصر في الدوري السعودي.",
    "هطلت أمطار غزيرة على الرياض وجدة.",
]
DATES = ["2015-07-21", "2015-07-30", None, "2015-08-02", "2016-01-15", "2015-07-21", None, "2016-01-31"]


def articles(n: int = 8) -> pd.DataFrame:
    rows = []
    for i in range(n):
        body = BODIES[i % len(BODIES)] + f" ({i})"
        rows.append({"doc_id": f"d{i:03d}", "title": f"خبر رقم {i}", "body": body, "paragraphs": [body],
                     "date": pd.Timestamp(DATES[i % len(DATES)]) if DATES[i % len(DATES)] else pd.NaT,
                     "source": "alriyadh" if i % 2 else "okaz", "url": None, "label": None,
                     "path": f"f{i}.txt", "n_tokens": i + 3, "near_duplicate_of": None, "encoding": "utf-8"})
    df = pd.DataFrame(rows)
    df["date"] = df["date"].astype("datetime64[ns]")
    return df


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("doc_id", ignore_index=True)


def test_month_keys_put_undated_in_unknown():
    keys = month_keys(pd.Series(pd.to_datetime(["2015-07-21", None, "2016-01-31"])))
    assert keys.tolist() == ["2015-07", "unknown", "2016-01"]


def test_month_partitions_hive_folders_and_manifest(tmp_path):
    df = articles(8)
    ds = write_partitioned(df, tmp_path / "ds", partition_by="month")
    assert [p.key for p in ds.partitions] == ["date=2015-07", "date=2015-08", "date=2016-01", "date=unknown"]
    assert [p.rows for p in ds.partitions] == [3, 1, 2, 2]
    assert (tmp_path / "ds" / "date=unknown" / "part-00000.parquet").is_file()
    unknown = ds.read_partition(ds.get("date=unknown_part-00000"))
    assert unknown["date"].isna().all() and sorted(unknown["doc_id"]) == ["d002", "d006"]
    july = ds.read_partition(ds.partitions[0])
    assert sorted(july["doc_id"]) == ["d000", "d001", "d005"]
    assert ds.partitions[0].min_date == "2015-07-21" and ds.partitions[0].max_date == "2015-07-30"
    manifest = json.loads((tmp_path / "ds" / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["complete"] is True and manifest["n_rows"] == 8 and manifest["partition_by"] == "month"
    for p in manifest["partitions"]:
        assert p["sha256"] == file_sha256(tmp_path / "ds" / p["file"])
    assert ds.verify() == []
    # every row comes back once, with the load_articles dtypes and values
    back = _sorted(ds.to_pandas())
    assert back["date"].dtype == "datetime64[ns]" and back["n_tokens"].dtype == "int64"
    pd.testing.assert_frame_equal(back[["doc_id", "title", "body", "date", "source", "n_tokens"]],
                                  _sorted(df)[["doc_id", "title", "body", "date", "source", "n_tokens"]].astype(
                                      {"n_tokens": "int64"}), check_dtype=False)
    assert back["paragraphs"].tolist() == _sorted(df)["paragraphs"].tolist()


def test_big_month_is_split_into_parts_and_buffers_stay_bounded(tmp_path):
    df = articles(8)
    # three July rows with rows=2 -> two part files; a one-row buffer forces flushes on every add
    with PartitionedWriter(tmp_path / "ds", partition_by="month", rows=2, max_buffer_rows=1, row_group_size=1) as w:
        for i in range(len(df)):
            w.add(df.iloc[[i]])
    ds = PartitionedDataset(tmp_path / "ds")
    july = [p for p in ds.partitions if p.key == "date=2015-07"]
    assert [p.file for p in july] == ["date=2015-07/part-00000.parquet", "date=2015-07/part-00001.parquet"]
    assert [p.rows for p in july] == [2, 1]
    assert ds.n_rows == 8 and sorted(ds.to_pandas()["doc_id"]) == sorted(df["doc_id"])


def test_rows_partitions(tmp_path):
    df = articles(8)
    ds = write_partitioned([df.iloc[:3], df.iloc[3:]], tmp_path / "ds", partition_by="rows", rows=3)
    assert [p.key for p in ds.partitions] == ["part=00000", "part=00001", "part=00002"]
    assert [p.rows for p in ds.partitions] == [3, 3, 2]
    # rows keep their input order across partitions
    assert ds.to_pandas()["doc_id"].tolist() == df["doc_id"].tolist()
    dd = ds.to_dask(columns=["doc_id", "n_tokens"])
    assert dd.npartitions == 3 and int(dd["n_tokens"].sum().compute()) == int(df["n_tokens"].sum())


def test_partition_corpus_streams_an_ingest_output(tmp_path):
    df = articles(8)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_partitioned(df, tmp_path / "tmp", partition_by="rows", rows=100)  # just to get the canonical schema
    tmp_ds = PartitionedDataset(tmp_path / "tmp")
    (tmp_path / "tmp" / tmp_ds.partitions[0].file).rename(corpus / "articles.parquet")
    ds = partition_corpus(corpus, tmp_path / "ds", partition_by="month", batch_size=3)
    assert ds.n_rows == 8 and len(ds) == 4 and ds.manifest["source"] == str(corpus)
    with pytest.raises(PartitionedDatasetError, match="no ingested corpus"):
        partition_corpus(tmp_path / "missing", tmp_path / "ds2")


def test_manifest_lists_only_finished_partitions_and_detects_corruption(tmp_path):
    df = articles(8)
    w = PartitionedWriter(tmp_path / "ds", partition_by="rows", rows=3)
    w.add(df.iloc[:4])  # part=00000 finished, part=00001 open
    with pytest.raises(PartitionedDatasetError, match="incomplete partitioned dataset .*scale ingest"):
        PartitionedDataset(tmp_path / "ds")  # readers refuse it
    ds = PartitionedDataset(tmp_path / "ds", allow_incomplete=True)
    assert not ds.complete and [p.key for p in ds.partitions] == ["part=00000"]
    assert (tmp_path / "ds" / "part=00001" / "part-00000.parquet.partial").exists()
    w.abort()
    assert not (tmp_path / "ds" / "part=00001" / "part-00000.parquet.partial").exists()
    ds = write_partitioned(df, tmp_path / "ds2", partition_by="rows", rows=3)
    target = tmp_path / "ds2" / ds.partitions[1].file
    target.write_bytes(target.read_bytes()[:-10] + b"0123456789")
    assert ds.verify() == [ds.partitions[1].file]


def test_errors_name_the_path_and_the_fix(tmp_path):
    with pytest.raises(PartitionedDatasetError, match="scale ingest"):
        PartitionedDataset(tmp_path)
    write_partitioned(articles(2), tmp_path / "ds", partition_by="rows", rows=5)
    with pytest.raises(PartitionedDatasetError, match="already exists"):
        PartitionedWriter(tmp_path / "ds")
    with pytest.raises(PartitionedDatasetError, match="partition_by"):
        PartitionedWriter(tmp_path / "x", partition_by="week")


def _corpus(tmp_path, df: pd.DataFrame, name: str = "corpus"):
    """*df* as an ingest output folder (articles.parquet in the canonical schema)."""
    import pyarrow.parquet as pq

    from arabic_news.corpus.partitioned import _as_table

    folder = tmp_path / name
    folder.mkdir()
    pq.write_table(_as_table(df), folder / "articles.parquet")
    return folder


def _interrupted(corpus, out, *, partition_by, rows, n_rows):
    """A writer that dies after the first *n_rows* input rows (its open files stay ``.partial``)."""
    from arabic_news.corpus.partitioned import input_fingerprint

    df = pd.read_parquet(corpus / "articles.parquet")
    w = PartitionedWriter(out, partition_by=partition_by, rows=rows, max_buffer_rows=1, row_group_size=1,
                          source=str(corpus), fingerprint=input_fingerprint(corpus))
    for i in range(n_rows):
        w.add(df.iloc[[i]])
    return w  # never closed, as after a SIGKILL


@pytest.mark.parametrize("partition_by", ["month", "rows"])
def test_resume_keeps_verified_partitions_and_equals_an_uninterrupted_run(tmp_path, partition_by):
    df = articles(16)
    corpus = _corpus(tmp_path, df)
    reference = partition_corpus(corpus, tmp_path / "ref", partition_by=partition_by, rows=2)
    out = tmp_path / "ds"
    _interrupted(corpus, out, partition_by=partition_by, rows=2, n_rows=11)
    started = PartitionedDataset(out, allow_incomplete=True)
    assert not started.complete and len(started) >= 3 and list(out.rglob("*.partial"))
    stray = out / started.partitions[0].key / "part-00099.parquet"  # a file the manifest does not list
    stray.write_bytes(b"not listed")
    ds = partition_corpus(corpus, out, partition_by=partition_by, rows=2, resume=True)
    assert ds.complete and ds.resumed["partitions_kept"] == len(started)
    assert [(p.id, p.rows) for p in ds.partitions] == [(p.id, p.rows) for p in reference.partitions]
    assert ds.to_pandas()["doc_id"].tolist() == reference.to_pandas()["doc_id"].tolist()
    assert ds.verify() == [] and not list(out.rglob("*.partial")) and not stray.exists()


def test_resume_rewrites_a_damaged_partition_and_everything_after_it_in_that_key(tmp_path):
    df = articles(16)
    corpus = _corpus(tmp_path, df)
    reference = partition_corpus(corpus, tmp_path / "ref", partition_by="rows", rows=2)
    out = tmp_path / "ds"
    _interrupted(corpus, out, partition_by="rows", rows=2, n_rows=9)  # part=00000..00003 finished
    damaged = out / "part=00001" / "part-00000.parquet"
    damaged.write_bytes(damaged.read_bytes()[:-8] + b"12345678")
    ds = partition_corpus(corpus, out, partition_by="rows", rows=2, resume=True)
    assert ds.resumed["partitions_kept"] == 1 and ds.resumed["partitions_dropped"] == 3
    assert ds.to_pandas()["doc_id"].tolist() == reference.to_pandas()["doc_id"].tolist() == df["doc_id"].tolist()
    assert ds.verify() == []


def test_resume_refuses_another_input_or_other_settings_and_overwrite_starts_again(tmp_path):
    df = articles(16)
    corpus = _corpus(tmp_path, df)
    out = tmp_path / "ds"
    _interrupted(corpus, out, partition_by="rows", rows=2, n_rows=7)
    other = _corpus(tmp_path, df.iloc[::-1], name="other")
    with pytest.raises(PartitionedDatasetError, match="incomplete dataset of a different input .*--overwrite"):
        partition_corpus(other, out, partition_by="rows", rows=2, resume=True)
    with pytest.raises(PartitionedDatasetError, match="partitioned by rows \\(2 rows per file\\); resume it with "
                                                      "the same settings .*--partition-by rows --rows 2"):
        partition_corpus(corpus, out, partition_by="rows", rows=3, resume=True)
    with pytest.raises(PartitionedDatasetError, match="an incomplete partitioned dataset already exists"):
        partition_corpus(corpus, out, partition_by="rows", rows=2)  # no resume asked
    ds = partition_corpus(other, out, partition_by="rows", rows=2, overwrite=True)
    assert ds.to_pandas()["doc_id"].tolist() == df["doc_id"].tolist()[::-1] and ds.resumed is None


def test_every_reader_refuses_an_incomplete_dataset_naming_the_resume_command(tmp_path):
    from arabic_news.corpus.partitioned import IncompleteDatasetError

    corpus = _corpus(tmp_path, articles(8))
    out = tmp_path / "ds"
    _interrupted(corpus, out, partition_by="month", rows=50_000, n_rows=3)
    with pytest.raises(IncompleteDatasetError) as err:
        PartitionedDataset(out)
    assert str(err.value) == (f"{out}: incomplete partitioned dataset (0 partitions, 0 articles written before "
                              "`arabic-news scale ingest` was interrupted); resume it with "
                              f"`arabic-news scale ingest {corpus} --out {out} --partition-by month`")
    from arabic_news.scale import run

    with pytest.raises(IncompleteDatasetError):
        run(out, tmp_path / "run", local=True)
