"""Metadata joins: exact path first, bare-name fallback only when unique in SOURCE, duplicate rows reported,
extra columns kept as ``meta_<name>`` columns of articles.parquet (and downstream readers still work)."""
from __future__ import annotations

import pandas as pd
import pytest
from corpus_samples import ARTICLES, seed_text

from arabic_news.corpus import ARTICLE_COLUMNS, ingest, load_articles, load_report


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "src"
    for d in ("a", "b", "c", "new", "f", "g"):
        (src / d).mkdir(parents=True)

    def w(rel, key):
        (src / rel).write_text(seed_text(*ARTICLES[key]), encoding="utf-8")

    w("a/x.txt", "visit")
    w("b/x.txt", "oil")          # same file name as a/x.txt
    w("c/y.txt", "rain")
    w("new/z.txt", "football")
    w("d.txt", "school")
    w("e.txt", "health")
    w("f/w.txt", "economy")
    w("g/w.txt", "summit")      # same file name as f/w.txt
    (tmp_path / "meta.csv").write_text(
        "file,source,url,date,author,section\n"
        "a/x.txt,alriyadh,http://e.com/1,2015-07-21,سعد,سياسة\n"    # line 2: exact path
        "x.txt,okaz,http://e.com/2,2015-07-22,,\n"                   # line 3: bare name shared by 2 files
        "y.txt,sabq,http://e.com/3,2015-07-23,نورة,\n"               # line 4: bare name, unique in SOURCE
        "old/z.txt,alyaum,http://e.com/4,2015-07-24,,رياضة\n"        # line 5: other folder, unique name
        "d.txt,was,http://e.com/5,2015-07-25,أحمد,تعليم\n"           # line 6: kept
        "d.txt,was,http://e.com/6,2015-07-26,خالد,\n"                # line 7: duplicate row for d.txt
        "gone.txt,was,http://e.com/7,2015-07-27,,\n"                 # line 8: matches no file
        "w.txt,spa,http://e.com/8,2015-07-28,,\n",                   # line 9: unique here, not in SOURCE
        encoding="utf-8")
    return src, tmp_path / "meta.csv"


def test_metadata_join_rules_and_report(corpus, tmp_path):
    src, meta = corpus
    summary = ingest(src, tmp_path / "out", metadata=meta, n_jobs=1)
    rows = {r.path: (r.status, r.reason) for r in load_report(tmp_path / "out").itertuples()}
    assert rows == {
        "d.txt": ("loaded", "2 metadata rows for d.txt (CSV lines 6, 7); kept line 6"),
        "e.txt": ("loaded", "no metadata row for this file"),
        "a/x.txt": ("loaded", ""),
        "b/x.txt": ("loaded", "no metadata row for this file (2 rows have the file name x.txt but none this path)"),
        "f/w.txt": ("loaded", "no metadata row for this file (row w.txt matches by file name only, and 2 files "
                              "in SOURCE are named w.txt)"),
        "g/w.txt": ("loaded", "no metadata row for this file (row w.txt matches by file name only, and 2 files "
                              "in SOURCE are named w.txt)"),
        "c/y.txt": ("loaded", ""),
        "new/z.txt": ("loaded", "metadata row old/z.txt matched by file name only"),
    }
    assert (summary.metadata_unmatched, summary.metadata_duplicates) == (3, 1)  # x.txt gone.txt w.txt; d.txt
    arts = load_articles(tmp_path / "out").set_index("path")
    assert arts.loc["a/x.txt", "source"] == "alriyadh"
    assert pd.isna(arts.loc["b/x.txt", "source"])
    assert arts.loc["c/y.txt", "source"] == "sabq"
    assert arts.loc["new/z.txt", "url"] == "http://e.com/4"
    assert (arts.loc["d.txt", "url"], arts.loc["d.txt", "date"]) == ("http://e.com/5", pd.Timestamp("2015-07-25"))


def test_extra_metadata_columns_are_kept(corpus, tmp_path):
    src, meta = corpus
    ingest(src, tmp_path / "out", metadata=meta, n_jobs=1)
    arts = load_articles(tmp_path / "out")
    assert tuple(arts.columns) == ARTICLE_COLUMNS + ("meta_author", "meta_section")
    arts = arts.set_index("path")
    assert arts.loc["a/x.txt", ["meta_author", "meta_section"]].tolist() == ["سعد", "سياسة"]
    assert arts.loc["d.txt", ["meta_author", "meta_section"]].tolist() == ["أحمد", "تعليم"]  # the kept row
    assert arts.loc["c/y.txt", "meta_author"] == "نورة" and pd.isna(arts.loc["c/y.txt", "meta_section"])
    assert arts.loc["e.txt", ["meta_author", "meta_section"]].isna().all()  # no row: missing, not ""


def test_metadata_file_inside_source_reports_unmatched_and_duplicate_rows(corpus, tmp_path):
    src, meta = corpus
    (src / "metadata.csv").write_bytes(meta.read_bytes())
    ingest(src, tmp_path / "out", n_jobs=1)
    report = load_report(tmp_path / "out").set_index("path")
    assert report.loc["metadata.csv", "status"] == "ignored"
    assert report.loc["metadata.csv", "reason"] == (
        "metadata file (joined on file path, or on file name when unique); 3 of 7 rows match no file "
        "(e.g. gone.txt); 1 file(s) with duplicate rows, first row kept (e.g. d.txt: CSV lines 6, 7)")


def test_tables_with_meta_columns_work_downstream(corpus, tmp_path):
    from arabic_news.corpus import iter_articles
    from arabic_news.corpus.partitioned import PartitionedDataset, partition_corpus

    src, meta = corpus
    ingest(src, tmp_path / "out", metadata=meta, n_jobs=1, chunk_size=2)
    parts = list(iter_articles(tmp_path / "out", batch_size=4))
    assert [len(p) for p in parts] == [4, 4] and "meta_author" in parts[0].columns
    ds = partition_corpus(tmp_path / "out", tmp_path / "parts", partition_by="month")
    frame = pd.concat([ds.read_partition(p) for p in PartitionedDataset(tmp_path / "parts").partitions])
    assert len(frame) == 8 and tuple(frame.columns) == ARTICLE_COLUMNS  # the scale layout keeps the canonical schema
