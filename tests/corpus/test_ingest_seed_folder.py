"""Ingest of a seed-layout folder holding every odd case: exact status/reason per input, paragraphs, metadata."""
from __future__ import annotations

import pandas as pd
import pytest
from corpus_samples import ARTICLES, EXPECTED, LONG_EDITED, LONG_PARAGRAPHS

from arabic_news.corpus import ARTICLE_COLUMNS, IngestError, NothingLoadedError, ingest, load_articles, load_report
from arabic_news.corpus.schema import make_doc_id


@pytest.fixture
def ingested(odd_folder, tmp_path):
    out = tmp_path / "out"
    summary = ingest(odd_folder, out, metadata=odd_folder / "meta.csv", n_jobs=1)
    return summary, load_articles(out), load_report(out)


def test_every_input_has_its_exact_status_and_reason(ingested):
    summary, articles, report = ingested
    got = {row.path: (row.status, row.reason) for row in report.itertuples()}
    assert sorted(got) == sorted(EXPECTED)  # every input accounted for, nothing extra
    for path, (status, reason) in EXPECTED.items():
        assert got[path][0] == status, path
        if reason.endswith("…"):
            assert got[path][1].startswith(reason[:-1]), (path, got[path][1])
        else:
            assert got[path][1] == reason, path
    assert summary.n_inputs == len(EXPECTED) == len(report)
    assert (summary.n_loaded, summary.n_duplicate, summary.n_rejected, summary.n_ignored) == (13, 1, 6, 6)
    assert summary.n_near_duplicate == 1
    assert summary.metadata_unmatched == 1  # missing.txt has a metadata row but no file


def test_articles_table_schema_and_ids(ingested):
    _, articles, report = ingested
    assert tuple(articles.columns) == ARTICLE_COLUMNS
    assert len(articles) == 13 and articles["doc_id"].is_unique
    assert str(articles["date"].dtype) == "datetime64[ns]"
    loaded = report[report.status == "loaded"]
    assert set(loaded.doc_id) == set(articles.doc_id)
    assert set(loaded.path) == set(articles.path)


def test_paragraphs_are_recovered_for_every_encoding_and_layout(ingested):
    _, articles, _ = ingested
    by_path = articles.set_index("path")
    cases = {
        "plain.txt": ("visit", "utf-8"), "bom.txt": ("oil", "utf-8-sig"), "utf16le.txt": ("rain", "utf-16-le"),
        "utf16be.txt": ("football", "utf-16-be"), "cp1256.txt": ("school", "cp1256"),
        "crlf.txt": ("health", "utf-8"), "no_blank_line.txt": ("economy", "utf-8"),
        "nested/deeper/inner.txt": ("culture", "utf-8"), "خبر عاجل.txt": ("tech", "utf-8"),
        "Odd Name (1).TXT": ("traffic", "utf-8"),
    }
    for path, (key, encoding) in cases.items():
        title, paragraphs = ARTICLES[key]
        row = by_path.loc[path]
        assert row["title"] == title, path
        assert row["paragraphs"] == paragraphs, path
        assert row["body"] == "\n".join(paragraphs)
        assert row["encoding"] == encoding, path
        assert row["n_tokens"] > 10


def test_commas_inside_paragraphs_are_not_split(ingested):
    _, articles, _ = ingested
    row = articles.set_index("path").loc["plain.txt"]
    # "اليوم، في العاصمة الأردنية عمّان، نظيره" keeps its Arabic commas; 3 paragraphs, each with its full stop
    assert len(row["paragraphs"]) == 3
    assert all(p.endswith(".") for p in row["paragraphs"])
    assert "اليوم، في العاصمة الأردنية عمّان، نظيره" in row["paragraphs"][0]


def test_html_is_stripped_and_unescaped(ingested):
    _, articles, _ = ingested
    row = articles.set_index("path").loc["html.txt"]
    title, paragraphs = ARTICLES["summit"]
    assert row["title"] == title
    assert row["paragraphs"] == [paragraphs[0], paragraphs[1].replace("الأمن", '"الأمن"') + " & المزيد."]
    assert "<" not in row["body"] and "&quot;" not in row["body"]


def test_metadata_join_on_relative_path_and_bare_name(ingested):
    _, articles, _ = ingested
    by_path = articles.set_index("path")
    plain = by_path.loc["plain.txt"]
    assert (plain["source"], plain["url"]) == ("alriyadh", "http://example.com/visit")
    assert plain["date"] == pd.Timestamp("2015-07-21")
    bom = by_path.loc["bom.txt"]
    assert (bom["source"], bom["date"]) == ("okaz", pd.Timestamp("2015-08-01 10:30:00"))
    inner = by_path.loc["nested/deeper/inner.txt"]
    assert inner["source"] == "sabq" and pd.isna(inner["date"])  # 'not a date' -> NaT, noted in the report
    assert pd.isna(by_path.loc["crlf.txt"]["source"]) and pd.isna(by_path.loc["crlf.txt"]["date"])
    # doc_id of an article with a URL is the hash of source + url
    assert plain["doc_id"] == make_doc_id(source="alriyadh", url="http://example.com/visit", title_norm="",
                                          body_digest=b"")


def test_duplicates_point_at_the_kept_document(ingested):
    _, articles, report = ingested
    by_path = articles.set_index("path")
    dup = report.set_index("path").loc["zz_duplicate.txt"]
    assert dup["doc_id"] == by_path.loc["plain.txt"]["doc_id"]
    assert "zz_duplicate.txt" not in by_path.index
    near = by_path.loc["long_edited.txt"]
    assert near["near_duplicate_of"] == by_path.loc["long.txt"]["doc_id"]
    assert near["paragraphs"] == LONG_EDITED
    assert by_path.loc["long.txt"]["paragraphs"] == LONG_PARAGRAPHS
    assert by_path["near_duplicate_of"].notna().sum() == 1
    reason = report.set_index("path").loc["long_edited.txt"]["reason"]
    assert f"near duplicate of {by_path.loc['long.txt']['doc_id']} (estimated Jaccard 0." in reason


def test_doc_ids_are_stable_across_runs_and_input_order(odd_folder, tmp_path):
    ingest(odd_folder, tmp_path / "a", metadata=odd_folder / "meta.csv", n_jobs=1)
    (odd_folder / "crlf.txt").rename(odd_folder / "nested" / "moved.txt")
    ingest(odd_folder, tmp_path / "b", metadata=odd_folder / "meta.csv", n_jobs=1)
    a = load_articles(tmp_path / "a").set_index("path")
    b = load_articles(tmp_path / "b").set_index("path")
    assert a.loc["crlf.txt", "doc_id"] == b.loc["nested/moved.txt", "doc_id"]  # text-based id: path-independent
    assert a.loc["plain.txt", "doc_id"] == b.loc["plain.txt", "doc_id"]


def test_top_level_metadata_csv_is_used_automatically(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    title, paragraphs = ARTICLES["oil"]
    (src / "a.txt").write_text(f"{title}\n\n{', '.join(paragraphs)}\n", encoding="utf-8")
    (src / "metadata.csv").write_text("file,source,url,date\na.txt,okaz,http://x/1,2015-07-30\n", encoding="utf-8")
    summary = ingest(src, tmp_path / "out", n_jobs=1)
    row = load_articles(tmp_path / "out").iloc[0]
    assert (row["source"], row["date"]) == ("okaz", pd.Timestamp("2015-07-30"))
    assert summary.metadata.endswith("metadata.csv")
    assert load_report(tmp_path / "out").set_index("path").loc["metadata.csv", "status"] == "ignored"


def test_parallel_ingest_gives_the_same_table(odd_folder, tmp_path):
    ingest(odd_folder, tmp_path / "serial", metadata=odd_folder / "meta.csv", n_jobs=1)
    ingest(odd_folder, tmp_path / "parallel", metadata=odd_folder / "meta.csv", n_jobs=2, chunk_size=4)
    a, b = load_articles(tmp_path / "serial"), load_articles(tmp_path / "parallel")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(load_report(tmp_path / "serial"), load_report(tmp_path / "parallel"))


def test_nothing_loadable_raises_after_writing_the_report(tmp_path):
    src = tmp_path / "bad"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "english.txt").write_text("Title\n\nOnly English words here., Nothing else.", encoding="utf-8")
    with pytest.raises(NothingLoadedError, match="nothing could be loaded from 2 inputs"):
        ingest(src, tmp_path / "out", n_jobs=1)
    report = load_report(tmp_path / "out")
    assert list(report.status) == ["rejected", "rejected"]


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(IngestError, match="no such file or folder"):
        ingest(tmp_path / "nope", tmp_path / "out")


def test_missing_metadata_file_is_a_clear_error(odd_folder, tmp_path):
    with pytest.raises(IngestError, match=r"metadata CSV not found"):
        ingest(odd_folder, tmp_path / "out", metadata=tmp_path / "nope.csv")


def test_near_duplicate_check_can_be_turned_off(odd_folder, tmp_path):
    summary = ingest(odd_folder, tmp_path / "out", metadata=odd_folder / "meta.csv", n_jobs=1,
                     near_duplicate_threshold=0)
    assert summary.n_near_duplicate == 0 and summary.n_loaded == 13
    assert load_articles(tmp_path / "out")["near_duplicate_of"].isna().all()


def test_output_is_written_in_row_groups(odd_folder, tmp_path):
    import pyarrow.parquet as pq

    ingest(odd_folder, tmp_path / "out", metadata=odd_folder / "meta.csv", n_jobs=1, chunk_size=4, row_group_size=3)
    assert pq.ParquetFile(tmp_path / "out" / "articles.parquet").metadata.num_row_groups >= 4
    assert len(load_articles(tmp_path / "out")) == 13


def test_a_failed_run_leaves_no_half_written_output(odd_folder, tmp_path, monkeypatch):
    import sys

    ingest_mod = sys.modules["arabic_news.corpus.ingest"]
    calls = {"n": 0}
    real = ingest_mod.process_chunk

    def flaky(items, *args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return real(items, *args)

    monkeypatch.setattr(ingest_mod, "process_chunk", flaky)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest(odd_folder, tmp_path / "out", n_jobs=1, chunk_size=4)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.*"))  # nor its temporary sibling


def test_iter_articles_streams_the_same_rows(ingested, tmp_path):
    from arabic_news.corpus import iter_articles

    _, articles, _ = ingested
    parts = list(iter_articles(tmp_path / "out", batch_size=5))
    assert [len(p) for p in parts] == [5, 5, 3]
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), articles)


def test_load_articles_without_output_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `arabic-news ingest SOURCE --out"):
        load_articles(tmp_path)
