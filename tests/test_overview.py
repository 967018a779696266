"""Corpus statistics for the overview notebook, on tiny hand-written tables."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from arabic_news import overview


@pytest.fixture
def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["a", "b", "c", "d", "e"],
        "title": ["خبر", "خبر", "خبر", "خبر", "خبر"],
        "body": ["إلى المدرسة", "الى المدرسةِ", "ذهبَ إلى السوق", "", "قال"],
        "paragraphs": [["إلى المدرسة"], ["الى", "المدرسةِ"], ["ذهبَ", "إلى", "السوق"], [], ["قال"]],
        "date": pd.to_datetime(["2015-07-21", "2015-07-21", "2015-07-23", None, "2015-07-23"]),
        "source": ["okaz", "okaz", "sabq", None, "sabq"],
        "n_tokens": [2, 2, 3, 0, 1],
    })


def test_articles_by_source_counts_everything(articles):
    table = overview.articles_by_source(articles)
    assert list(table.index) == ["okaz", "sabq", overview.UNKNOWN_SOURCE]   # ties broken by name
    assert table["articles"].tolist() == [2, 2, 1]
    assert table["share_pct"].tolist() == [40.0, 40.0, 20.0]
    assert table["tokens"].tolist() == [4, 4, 0]
    assert table.loc["sabq", "first_date"] == pd.Timestamp("2015-07-23")
    assert table["articles"].sum() == len(articles)


def test_articles_by_date_fills_gaps_and_leaves_out_undated(articles):
    table = overview.articles_by_date(articles)
    assert list(table.index) == list(pd.date_range("2015-07-21", "2015-07-23"))
    assert table.loc["2015-07-22"].sum() == 0
    assert table.loc["2015-07-21", "okaz"] == 2 and table.loc["2015-07-23", "sabq"] == 2
    assert int(table.to_numpy().sum()) == 4
    assert overview.undated_count(articles) == 1
    totals = overview.articles_by_date(articles, by_source=False)
    assert totals["articles"].tolist() == [2, 0, 2]


def test_lengths_and_summary(articles):
    lengths = overview.article_lengths(articles)
    assert lengths["n_paragraphs"].tolist() == [1, 2, 3, 0, 1]
    assert lengths["n_chars"].tolist() == [len(b) for b in articles["body"]]
    summary = overview.length_summary(lengths)
    assert summary.loc["n_tokens", "median"] == 2
    assert summary.loc["n_paragraphs", "max"] == 3
    assert summary.loc["n_tokens", "count"] == 5


@pytest.fixture
def report() -> pd.DataFrame:
    return pd.DataFrame({
        "path": ["b.txt", "a.txt", "c.txt", "README.md", "d.txt", "e.bin"],
        "status": ["loaded", "loaded", "duplicate", "ignored", "rejected", "rejected"],
        "reason": ["", "", "same body as a.txt", "not an article", "empty file", "binary file"],
        "doc_id": ["1", "2", "2", "", "", ""],
    })


def test_ingest_report_tables(report, tmp_path):
    counts = overview.ingest_status_counts(report)
    assert counts["inputs"].to_dict() == {"loaded": 2, "duplicate": 1, "rejected": 2, "ignored": 1, "total": 6}
    reasons = overview.ingest_reasons(report, "rejected")
    assert reasons["inputs"].to_dict() == {"empty file": 1, "binary file": 1}   # ties: order of the first path
    assert overview.ingest_reasons(report, "duplicate").loc["same body as a.txt", "inputs"] == 1
    assert overview.ingest_reasons(report, "loaded", drop_empty=True).empty
    examples = overview.ingest_examples(report, "loaded")
    assert examples["path"].tolist() == ["a.txt", "b.txt"]
    report.to_csv(tmp_path / "ingest_report.csv", index=False)
    back = overview.read_ingest_report(tmp_path)
    assert overview.ingest_status_counts(back).equals(counts)


def test_reason_categories_group_details_away():
    report = pd.DataFrame({
        "path": ["a", "b", "c", "d", "e", "f"],
        "status": ["duplicate", "duplicate", "rejected", "rejected", "loaded", "loaded"],
        "reason": ["exact duplicate of x.txt", "exact duplicate of y.txt",
                   "not Arabic text (Arabic letter ratio 0.09 < 0.30)", "not Arabic text (Arabic letter ratio 0.2 < 0.30)",
                   "near duplicate of 83e7b302 (estimated Jaccard 0.88)", ""],
        "doc_id": ["1", "1", "", "", "2", "3"],
    })
    assert overview.reason_category("empty body (no text)") == "empty body"
    assert overview.ingest_reasons(report, "duplicate")["inputs"].to_dict() == {"exact duplicate": 2}
    assert overview.ingest_reasons(report, "rejected").loc["not Arabic text", "inputs"] == 2
    flagged = overview.ingest_reasons(report, "loaded", drop_empty=True)
    assert flagged["inputs"].to_dict() == {"near duplicate": 1}
    assert overview.ingest_examples(report, "loaded", flagged_only=True)["path"].tolist() == ["e"]


def test_read_ingest_report_missing_and_malformed(tmp_path):
    assert overview.read_ingest_report(tmp_path).empty
    (tmp_path / "ingest_report.csv").write_text("path,status\nx.txt,loaded\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ingest_report.csv: missing column"):
        overview.read_ingest_report(tmp_path)


def test_token_counts_before_and_after_normalisation():
    texts = ["إلى المدرسةِ، الى المدرسة!", "ذهبَ إلى 3 مدارس"]
    raw = overview.token_counts(texts, normalized=False)
    assert raw == Counter({"إلى": 2, "المدرسةِ": 1, "الى": 1, "المدرسة": 1, "ذهبَ": 1, "مدارس": 1})
    norm = overview.token_counts(texts, normalized=True)
    assert norm == Counter({"الي": 3, "المدرسه": 2, "ذهب": 1, "مدارس": 1})
    with pytest.raises(ValueError):
        overview.token_counts(texts, normalized=False, drop_stopwords=True)


def test_token_counts_without_stopwords():
    from arabic_news.text import stopwords

    texts = ["ذهب الوزير إلى الرياض في الصباح"]
    content = overview.token_counts(texts, normalized=True, drop_stopwords=True)
    assert "الوزير" in content and "الرياض" in content
    assert not set(content) & stopwords()
    assert "في" not in content


def test_frequency_lists_equal_three_token_counts():
    texts = ["قال الوزير إنّ الاتفاقَ تمّ في الرياض.", "", "وقال: في الرياض 3 وزراء"]
    lists = overview.frequency_lists(texts)
    assert list(lists) == ["as written", "normalised", "normalised, no stop words"]
    assert lists["as written"] == overview.token_counts(texts, normalized=False)
    assert lists["normalised"] == overview.token_counts(texts, normalized=True)
    assert lists["normalised, no stop words"] == overview.token_counts(texts, normalized=True, drop_stopwords=True)
    assert lists["as written"]["الاتفاقَ"] == 1 and lists["normalised"]["الاتفاق"] == 1
    assert lists["normalised"]["الرياض"] == 2 and "في" not in lists["normalised, no stop words"]


def test_frequency_lists_in_worker_processes_match_one_process(monkeypatch):
    """Chunks counted in two forked workers and merged in order: same counts and same first-seen order."""
    texts = ["قال الوزير إنّ الاتفاقَ تمّ في الرياض.", "", "وقال: في الرياض 3 وزراء", "أمطار على جدة والرياض"] * 5
    monkeypatch.setattr(overview, "PARALLEL_MIN_TEXTS", 4)
    one = overview.frequency_lists(texts, chunksize=3)
    two = overview.frequency_lists(texts, n_jobs=2, chunksize=3)
    for label in one:
        assert list(two[label].items()) == list(one[label].items())
    assert two["normalised"]["الرياض"] == 10 and two["as written"]["جدة"] == 5


def test_top_tokens_and_vocabulary():
    counters = {"raw": Counter({"ب": 2, "أ": 2, "ج": 5}), "norm": Counter({"ا": 4})}
    top = overview.top_tokens(counters, k=3)
    assert top[("raw", "token")].tolist() == ["ج", "أ", "ب"]     # ties alphabetical
    assert top[("raw", "count")].tolist() == [5, 2, 2]
    assert top[("norm", "token")].tolist() == ["ا", "", ""]
    assert list(top.index) == [1, 2, 3]
    vocab = overview.vocabulary_summary({"raw": Counter({"ا": 3, "ب": 1}), "empty": Counter()})
    assert vocab.loc["raw"].tolist() == [4, 2, 1, 0.5]
    assert np.isnan(vocab.loc["empty", "type_token_ratio"])


def test_normalisation_merges_groups_spellings():
    raw = Counter({"إلى": 5, "الى": 2, "إلي": 1, "المدرسة": 3, "المدرسه": 1, "ذهب": 9})
    merges = overview.normalisation_merges(raw)
    assert merges["normalised"].tolist() == ["الي", "المدرسه"]
    assert merges["variants"].tolist() == [3, 2]
    assert merges["count"].tolist() == [8, 4]
    assert merges.loc[0, "spellings"] == "إلى (5)، الى (2)، إلي (1)"


def test_export_tables(tmp_path):
    tables = {"a": pd.DataFrame({"x": [1.0, 2.5]}, index=pd.Index(["عكاظ", "سبق"], name="source"))}
    assert overview.export_tables(tables, "") == []
    written = overview.export_tables(tables, tmp_path / "out")
    assert [p.name for p in written] == ["a.csv"]
    assert written[0].read_text(encoding="utf-8") == "source,x\nعكاظ,1\nسبق,2.5\n"
