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
    assert table["outlet"].tolist() == ["Okaz (عكاظ)", "Sabq (سبق)", overview.UNKNOWN_SOURCE]
    assert table["articles"].tolist() == [2, 2, 1]
    assert table["share_pct"].tolist() == [40.0, 40.0, 20.0]
    assert table["tokens"].tolist() == [4, 4, 0]
    assert table["days"].tolist() == [1, 1, 0]
    assert table.loc["sabq", "first_date"] == pd.Timestamp("2015-07-23")
    assert table["articles"].sum() == len(articles)


def test_articles_by_date_marks_days_without_data_as_gaps_not_zeros(articles):
    table = overview.articles_by_date(articles)
    assert list(table.index) == list(pd.date_range("2015-07-21", "2015-07-23"))
    assert all(str(t) == "Int64" for t in table.dtypes)                 # counts are whole numbers
    assert table.loc["2015-07-22"].isna().all()                          # no article that day: a gap
    assert table.loc["2015-07-21", "okaz"] == 2 and table.loc["2015-07-23", "sabq"] == 2
    assert pd.isna(table.loc["2015-07-21", "sabq"])                      # before sabq's first article
    assert pd.isna(table.loc["2015-07-23", "okaz"])                      # after okaz's last article
    assert int(table.sum().sum()) == 4
    assert overview.undated_count(articles) == 1
    totals = overview.articles_by_date(articles, by_source=False)
    assert totals["articles"].tolist()[0] == 2 and pd.isna(totals["articles"].iloc[1])
    assert totals["articles"].iloc[2] == 2


def test_articles_by_date_zero_inside_an_outlets_span():
    df = pd.DataFrame({"date": pd.to_datetime(["2015-07-21", "2015-07-22", "2015-07-23", "2015-07-22"]),
                       "source": ["okaz", "sabq", "okaz", "sabq"]})
    table = overview.articles_by_date(df)
    assert table["okaz"].tolist() == [1, 0, 1]        # okaz published nothing on the 22nd while sabq did
    assert table["sabq"].isna().tolist() == [True, False, True] and table.loc["2015-07-22", "sabq"] == 2
    assert overview.articles_by_date(df.assign(date=pd.NaT)).empty


def test_coverage_warnings_name_gaps_and_thin_outlets():
    days = pd.to_datetime(["2015-07-21", "2015-07-22", "2015-07-24", "2015-07-27"] * 2 + ["2015-07-27", None])
    df = pd.DataFrame({"date": days, "source": ["okaz"] * 4 + ["sabq"] * 4 + ["was", None]})
    warnings = overview.coverage_warnings(df)
    assert warnings == [
        "No article is dated 2015-07-23 and 2015-07-25 to 2015-07-26: 3 of the 7 days from 2015-07-21 to "
        "2015-07-27 have no data (gaps in the collection, drawn as breaks in the time series, not as zeros).",
        "1 of 3 outlets cover only a few of the 4 days with data: Saudi Press Agency (وكالة الأنباء السعودية) "
        "on 1 day (2015-07-27); their counts over time are not comparable with those of the other outlets.",
        "1 article of 10 has no date and is left out of the counts over time.",
        "1 article of 10 has no outlet and is counted as (unknown).",
    ]
    full = pd.DataFrame({"date": pd.to_datetime(["2015-07-21", "2015-07-22"]), "source": ["okaz", "okaz"]})
    assert overview.coverage_warnings(full) == []


def test_metadata_note_says_how_to_add_outlets_and_dates():
    none = pd.DataFrame({"date": pd.to_datetime([None, None]), "source": [None, ""]})
    note = overview.metadata_note(none)
    assert note.startswith("None of the 2 articles has an outlet or a date. To add outlets and dates, put a file "
                           "metadata.csv beside the article files")
    assert "file,source,url,date" in note
    assert overview.metadata_note(none.assign(source=["okaz", "sabq"])).startswith("None of the 2 articles has a date.")
    assert overview.metadata_note(pd.DataFrame({"date": pd.to_datetime(["2015-07-21"]), "source": ["okaz"]})) is None
    assert overview.describe_corpus(none) == "2 articles without outlets, without dates"


def test_describe_corpus_in_one_sentence(articles):
    assert overview.describe_corpus(articles) == (
        "5 articles from 2 outlets (1 without), dated 2015-07-21 to 2015-07-23 (1 without a date)")


def test_outlet_display_names_from_the_table_and_the_slug_for_unknown_ones(tmp_path, monkeypatch):
    from arabic_news.corpus import outlets

    assert overview.outlet_display_name("aawsat") == "Asharq Al-Awsat (الشرق الأوسط)"
    assert overview.outlet_display_name("alriyadh", "ar") == "الرياض"
    assert overview.outlet_display_name("sabq", "en") == "Sabq"
    assert overview.outlet_display_name("my_blog") == "my_blog" and overview.outlet_display_name(None) == "(unknown)"
    # every SaudiNewsNet outlet id (PROVENANCE.md) has a name
    snn = ["alriyadh", "aljazirah", "alyaum", "aleqtisadiya", "aawsat", "okaz", "alwatan", "almadina", "alweeam",
           "3alyoum", "sabq", "was", "arreyadi", "arriyadiyah"]
    assert all(overview.outlet_display_name(s) != s for s in snn)
    assert len(set(overview.outlet_display_names(snn))) == 14
    # a user's own file wins over the packaged table
    own = tmp_path / "outlets.yaml"
    own.write_text("my_blog: {name_en: My Blog, name_ar: مدونتي}\nsabq: Sabq Online\n", encoding="utf-8")
    monkeypatch.setenv(outlets.OUTLETS_ENV, str(own))
    assert overview.outlet_display_name("my_blog") == "My Blog (مدونتي)"
    assert overview.outlet_display_name("sabq") == "Sabq Online"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml: expected a YAML mapping"):
        outlets.load_outlet_names(bad)


def test_lengths_and_summary(articles):
    lengths = overview.article_lengths(articles)
    assert lengths["n_paragraphs"].tolist() == [1, 2, 3, 0, 1]
    assert lengths["n_chars"].tolist() == [len(b) for b in articles["body"]]
    summary = overview.length_summary(lengths)
    assert summary.loc["n_tokens", "median"] == 2
    assert summary.loc["n_paragraphs", "max"] == 3
    assert summary.loc["n_tokens", "count"] == 5
    assert summary.loc["n_tokens", "mean"] == 1.6
    # whole numbers stay whole (no "3.0" in the report): percentiles are values of the data
    assert {c: str(t) for c, t in summary.dtypes.items()} == {
        "count": "Int64", "mean": "float64", "min": "Int64", "p10": "Int64", "median": "Int64", "p90": "Int64",
        "max": "Int64"}
    assert summary.loc["n_paragraphs"].drop("mean").tolist() == [5, 0, 0, 1, 3, 3]
    # the median as the histogram labels it: 3.5 paragraphs -> 4
    even = overview.length_summary(pd.DataFrame({"n_tokens": [1, 3, 4, 9], "n_paragraphs": [1, 2, 5, 6]}))
    assert even.loc["n_paragraphs", "median"] == 4 and even.loc["n_tokens", "median"] == 4
    assert "3.0" not in summary.to_csv()


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


def test_ingest_sentence_and_notes_html(report):
    assert overview.ingest_sentence(overview.ingest_status_counts(report)) == (
        "6 inputs: 2 loaded, 1 exact duplicates (left out), 2 rejected, 1 ignored (not articles).")
    assert overview.notes_html(["a <b>bold</b> outlet", "x & y"]) == (
        '<ul class="an-notes" dir="auto"><li>a &lt;b&gt;bold&lt;/b&gt; outlet</li><li>x &amp; y</li></ul>')
    assert overview.notes_html([]) == ""


def _seed_corpus(tmp_path, files: dict[str, str]):
    """An ingested-corpus folder whose ingest_meta.json points at a seed-layout input folder."""
    import json

    src = tmp_path / "articles"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ingest_meta.json").write_text(json.dumps({"summary": {"source": str(src), "format": "seed"}}),
                                             encoding="utf-8")
    return corpus


def test_duplicates_are_shown_by_headline_not_by_path_or_hash(tmp_path):
    corpus = _seed_corpus(tmp_path, {"b.txt": "أمطار على جدة\n\nهطلت أمطار غزيرة على جدة."})
    report = pd.DataFrame({
        "path": ["a.txt", "b.txt", "c.txt", "d.txt"],
        "status": ["loaded", "duplicate", "loaded", "loaded"],
        "reason": ["", "exact duplicate of a.txt", "near duplicate of 1111aaaa (estimated Jaccard 0.87)", ""],
        "doc_id": ["1111aaaa", "1111aaaa", "2222bbbb", "3333cccc"],
    })
    headlines = pd.DataFrame({"doc_id": ["1111aaaa", "2222bbbb", "3333cccc"],
                              "title": ["أمطار غزيرة على جدة", "أمطار غزيرة في جدة مساء أمس", "خبر"],
                              "source": ["sabq", "okaz", "okaz"]})
    exact = overview.duplicate_examples(report, headlines, kind="exact", corpus_dir=corpus)
    assert list(exact.columns) == list(overview.DUPLICATE_COLUMNS)
    assert exact.iloc[0].tolist() == ["أمطار غزيرة على جدة", "Sabq (سبق)", "أمطار على جدة", "", 1.0]
    near = overview.duplicate_examples(report, headlines, kind="near", corpus_dir=corpus)
    assert near.iloc[0].tolist() == ["أمطار غزيرة على جدة", "Sabq (سبق)", "أمطار غزيرة في جدة مساء أمس",
                                     "Okaz (عكاظ)", 0.87]
    shown = exact.to_csv() + near.to_csv()
    assert "1111aaaa" not in shown and ".txt" not in shown
    # the left-out copy cannot be read back (no ingest_meta.json): the table says so instead of failing
    unread = overview.duplicate_examples(report, headlines, kind="exact", corpus_dir=tmp_path / "elsewhere")
    assert unread.iloc[0]["duplicate"] == "(not readable from the input: b.txt)"
    with pytest.raises(ValueError, match="kind"):
        overview.duplicate_examples(report, headlines, kind="fuzzy")


def test_rejected_examples_and_input_records_of_saudinewsnet_archives(tmp_path):
    import json
    import zipfile

    src = tmp_path / "snn"
    (src / "dataset").mkdir(parents=True)
    records = [{"source": "okaz", "url": "http://okaz.example/1", "title": "عنوان", "content": "نص"},
               {"source": "sabq", "url": "http://sabq.example/2", "title": "", "content": " "}]
    with zipfile.ZipFile(src / "dataset" / "2015-07-21.zip", "w") as zf:
        zf.writestr("2015-07-21.json", json.dumps(records, ensure_ascii=False))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ingest_meta.json").write_text(json.dumps({"summary": {"source": str(src), "format": "saudinewsnet"}}),
                                             encoding="utf-8")
    path = "dataset/2015-07-21.zip:2015-07-21.json#{}"
    read = overview.input_records(corpus, [path.format(0), path.format(1), path.format(7)])
    assert read == {path.format(0): {"title": "عنوان", "source": "okaz", "url": "http://okaz.example/1"},
                    path.format(1): {"title": "", "source": "sabq", "url": "http://sabq.example/2"}}
    report = pd.DataFrame({"path": [path.format(1)], "status": ["rejected"], "reason": ["empty body (no text)"],
                           "doc_id": [""]})
    rejected = overview.rejected_examples(report, corpus_dir=corpus)
    assert rejected.iloc[0].tolist() == ["(no title)", "Sabq (سبق)", "http://sabq.example/2", "empty body (no text)"]


@pytest.mark.parametrize("module", ["arabic_news.overview", "arabic_news.corpus.outlets"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
