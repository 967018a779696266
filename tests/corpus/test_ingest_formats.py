"""SaudiNewsNet zips, ANT JSONL, generic JSONL/CSV/parquet: detection, columns, statuses, record paths."""
from __future__ import annotations

import gzip
import json
import zipfile

import pandas as pd
import pytest
from corpus_samples import ARTICLES

from arabic_news.corpus import IngestError, ingest, load_articles, load_report
from arabic_news.corpus.readers import detect_format


def _content(key: str) -> str:
    return "\n".join(ARTICLES[key][1])


@pytest.fixture
def snn_folder(tmp_path):
    """Two SaudiNewsNet-style day archives (one JSON array each), with an empty and a duplicate record."""
    root = tmp_path / "snn" / "dataset"
    root.mkdir(parents=True)
    day1 = [
        {"source": "alriyadh", "url": "http://r/1", "date_extracted": "2015-07-21 02:16:13",
         "title": ARTICLES["visit"][0], "author": "", "content": _content("visit")},
        {"source": "okaz", "url": "http://o/2", "date_extracted": "2015-07-21 08:00:00",
         "title": "خبر فارغ", "author": "", "content": ""},
        {"source": "sabq", "url": "http://s/3", "date_extracted": "2015-07-21 09:00:00",
         "title": ARTICLES["oil"][0], "author": "", "content": _content("oil")},
    ]
    day2 = [
        {"source": "aawsat", "url": "http://a/4", "date_extracted": "2015-07-22 10:00:00",
         "title": "إعادة نشر", "author": "", "content": _content("oil")},  # same body as day1 #2
        {"source": "alyaum", "url": "http://y/5", "date_extracted": "2015-07-22 11:00:00",
         "title": ARTICLES["rain"][0], "author": "", "content": "  \n" + _content("rain") + "\n\n"},
    ]
    for name, recs in (("2015-07-21", day1), ("2015-07-22", day2)):
        with zipfile.ZipFile(root / f"{name}.zip", "w") as zf:
            zf.writestr(f"{name}.json", json.dumps(recs, ensure_ascii=False))
    (root.parent / "PROVENANCE.md").write_text("notes", encoding="utf-8")
    return root.parent


def test_saudinewsnet_records(snn_folder, tmp_path):
    assert detect_format(snn_folder) == "saudinewsnet"
    summary = ingest(snn_folder, tmp_path / "out", n_jobs=1)
    report = load_report(tmp_path / "out").set_index("path")
    assert list(report.index) == [
        "PROVENANCE.md",
        "dataset/2015-07-21.zip:2015-07-21.json#0", "dataset/2015-07-21.zip:2015-07-21.json#1",
        "dataset/2015-07-21.zip:2015-07-21.json#2",
        "dataset/2015-07-22.zip:2015-07-22.json#0", "dataset/2015-07-22.zip:2015-07-22.json#1",
    ]
    assert report.loc["dataset/2015-07-21.zip:2015-07-21.json#1", ["status", "reason"]].tolist() == \
        ["rejected", "empty body (no text)"]
    dup = report.loc["dataset/2015-07-22.zip:2015-07-22.json#0"]
    assert dup["status"] == "duplicate"
    assert dup["reason"] == "exact duplicate of dataset/2015-07-21.zip:2015-07-21.json#2"
    assert dup["doc_id"] == report.loc["dataset/2015-07-21.zip:2015-07-21.json#2", "doc_id"]
    assert (summary.n_loaded, summary.n_duplicate, summary.n_rejected, summary.n_ignored) == (3, 1, 1, 1)
    arts = load_articles(tmp_path / "out").set_index("source")
    assert arts.loc["alriyadh", "paragraphs"] == ARTICLES["visit"][1]  # content split on newlines
    assert arts.loc["alyaum", "paragraphs"] == ARTICLES["rain"][1]  # blank lines and padding dropped
    assert arts.loc["alriyadh", "date"] == pd.Timestamp("2015-07-21 02:16:13")
    assert arts.loc["alriyadh", "url"] == "http://r/1"


def test_a_single_zip_and_a_zip_of_zips(snn_folder, tmp_path):
    one = snn_folder / "dataset" / "2015-07-22.zip"
    assert ingest(one, tmp_path / "one", n_jobs=1).n_loaded == 2
    outer = tmp_path / "all.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        for p in sorted((snn_folder / "dataset").glob("*.zip")):
            zf.write(p, p.name)
    summary = ingest(outer, tmp_path / "outer", n_jobs=1)
    assert summary.format == "saudinewsnet" and summary.n_loaded == 3
    assert "all.zip:2015-07-21.zip:2015-07-21.json#0" in set(load_report(tmp_path / "outer").path)


def test_corrupt_zip_is_rejected_not_fatal(snn_folder, tmp_path):
    (snn_folder / "dataset" / "2015-07-23.zip").write_bytes(b"PK\x03\x04 not really a zip")
    ingest(snn_folder, tmp_path / "out", format="saudinewsnet", n_jobs=1)
    row = load_report(tmp_path / "out").set_index("path").loc["dataset/2015-07-23.zip"]
    assert row["status"] == "rejected" and row["reason"].startswith("corrupt zip archive")


def test_ant_jsonl_gz_uses_category_as_label(tmp_path):
    path = tmp_path / "ant_corpus.jsonl.gz"
    recs = [
        {"id": "JA-sport-1", "category": "sport", "category_tag": "sport", "title": ARTICLES["football"][0],
         "date": "2017-01-20", "time_raw": "", "source": "Jawhara FM", "url": "http://j/1", "author": "",
         "abstract": "", "text": _content("football"), "path": "sport/JA-sport-1.txt"},
        {"id": "JA-economy-2", "category": "economy", "category_tag": "economy", "title": ARTICLES["economy"][0],
         "date": "2016-05-03", "time_raw": "", "source": "Jawhara FM", "url": "http://j/2", "author": "",
         "abstract": "", "text": _content("economy"), "path": "economy/JA-economy-2.txt"},
        {"id": "JA-culture-3", "category": "culture", "category_tag": "culture", "title": "فارغ", "date": "2016-05-04",
         "time_raw": "", "source": "Jawhara FM", "url": "http://j/3", "author": "", "abstract": "", "text": "",
         "path": "culture/JA-culture-3.txt"},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n")
    assert detect_format(path) == "ant"
    ingest(path, tmp_path / "out", n_jobs=1)
    arts = load_articles(tmp_path / "out")
    assert arts["label"].tolist() == ["sport", "economy"]
    assert arts["date"].tolist() == [pd.Timestamp("2017-01-20"), pd.Timestamp("2016-05-03")]
    report = load_report(tmp_path / "out")
    assert report["path"].tolist() == ["ant_corpus.jsonl.gz#0", "ant_corpus.jsonl.gz#1", "ant_corpus.jsonl.gz#2"]
    assert report["status"].tolist() == ["loaded", "loaded", "rejected"]


def test_generic_csv_with_column_options(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame({
        "headline": [ARTICLES["summit"][0], ARTICLES["tech"][0]],
        "story": [_content("summit"), _content("tech")],
        "published": ["21/07/2015", "2015-07-22T10:00:00+03:00"],
        "outlet": ["was", "sabq"],
        "topic": ["politics", "science"],
    }).to_csv(path, index=False)
    ingest(path, tmp_path / "out", text_column="story", title_column="headline", date_column="published",
           source_column="outlet", label_column="topic", n_jobs=1)
    arts = load_articles(tmp_path / "out")
    assert arts["title"].tolist() == [ARTICLES["summit"][0], ARTICLES["tech"][0]]
    assert arts["paragraphs"].tolist() == [ARTICLES["summit"][1], ARTICLES["tech"][1]]
    assert arts["label"].tolist() == ["politics", "science"]
    # day-first for dd/mm/yyyy; time zones converted to naive UTC
    assert arts["date"].tolist() == [pd.Timestamp("2015-07-21"), pd.Timestamp("2015-07-22 07:00:00")]
    assert load_report(tmp_path / "out")["path"].tolist() == ["news.csv#0", "news.csv#1"]


def test_generic_missing_column_names_the_file_and_the_columns(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame({"headline": ["x"], "story": ["y"]}).to_csv(path, index=False)
    with pytest.raises(IngestError, match=r"news.csv: no column 'body' for --text-column \(available: headline, story\)"):
        ingest(path, tmp_path / "out", text_column="body")
    with pytest.raises(IngestError, match=r"news.csv: no text column found .*available: headline, story.*--text-column"):
        ingest(path, tmp_path / "out2")


def test_generic_jsonl_and_parquet_default_columns(tmp_path):
    rows = [{"title": ARTICLES["health"][0], "text": _content("health"), "date": "2015-08-01", "source": "okaz"},
            {"title": ARTICLES["school"][0], "text": _content("school"), "date": None, "source": None}]
    jl = tmp_path / "in.jsonl"
    jl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n{bad json\n", encoding="utf-8")
    assert detect_format(jl) == "jsonl"
    ingest(jl, tmp_path / "a", n_jobs=1)
    report = load_report(tmp_path / "a")
    assert report["status"].tolist() == ["loaded", "loaded", "ignored", "rejected"]
    assert report["reason"].iloc[3].startswith("invalid JSON")
    pq_path = tmp_path / "in.parquet"
    pd.DataFrame(rows).to_parquet(pq_path)
    ingest(pq_path, tmp_path / "b", n_jobs=1)
    a, b = load_articles(tmp_path / "a"), load_articles(tmp_path / "b")
    assert a["doc_id"].tolist() == b["doc_id"].tolist()
    assert a["paragraphs"].tolist() == b["paragraphs"].tolist() == [ARTICLES["health"][1], ARTICLES["school"][1]]
    assert b["source"].iloc[0] == "okaz" and pd.isna(b["source"].iloc[1]) and pd.isna(b["date"].iloc[1])


def test_unknown_file_type_asks_for_format(tmp_path):
    p = tmp_path / "data.bin"
    p.write_bytes(b"abc")
    with pytest.raises(IngestError, match="pass --format"):
        ingest(p, tmp_path / "out")


def test_same_url_with_a_different_body_gets_its_own_id(tmp_path):
    rows = [{"title": "أ", "text": _content("health"), "source": "okaz", "url": "http://o/1"},
            {"title": "ب", "text": _content("school"), "source": "okaz", "url": "http://o/1"}]
    jl = tmp_path / "in.jsonl"
    jl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    ingest(jl, tmp_path / "out", n_jobs=1)
    arts, report = load_articles(tmp_path / "out"), load_report(tmp_path / "out")
    assert len(arts) == 2 and arts["doc_id"].is_unique
    assert report["reason"].iloc[1] == f"url already used by doc {arts['doc_id'].iloc[0]}; id derived from the text"


def test_archives_are_expanded_in_worker_processes_with_the_same_result(snn_folder, tmp_path):
    ingest(snn_folder, tmp_path / "serial", n_jobs=1)
    ingest(snn_folder, tmp_path / "parallel", n_jobs=2)  # two zips = two chunks: the worker pool is used
    pd.testing.assert_frame_equal(load_articles(tmp_path / "serial"), load_articles(tmp_path / "parallel"))
    pd.testing.assert_frame_equal(load_report(tmp_path / "serial"), load_report(tmp_path / "parallel"))
