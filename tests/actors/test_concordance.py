"""Tests for arabic_news.actors.concordance: context windows and seeded samples of mentions."""
from __future__ import annotations

import pandas as pd
import pytest

from actor_fixtures import mini_gazetteer
from arabic_news.actors.concordance import CONCORDANCE_COLUMNS, context, sample_concordance
from arabic_news.actors.extract import article_text, extract_mentions
from arabic_news.actors.matcher import ActorMatcher


def _articles() -> pd.DataFrame:
    rows = [
        ("a1", "خبر أول", "قال الوزير إن العراق يرحب بالاتفاق الجديد", "2021-02-15", "okaz"),
        ("a2", "العراق وإيران", "زار الرئيس طهران أمس", "2021-02-16", "sabq"),
        ("a3", "خبر ثالث", "وقال مصدر مطلع في الحكومة إن العراق وإيران اتفقا على خطة مشتركة لحماية الحدود", None, None),
        ("a4", "خبر رابع", "لا شيء هنا", "2021-02-17", "okaz"),
    ]
    df = pd.DataFrame(rows, columns=["doc_id", "title", "body", "date", "source"])
    df["date"] = pd.to_datetime(df["date"])
    return df


@pytest.fixture(scope="module")
def mentions():
    return extract_mentions(_articles(), ActorMatcher(gazetteer=mini_gazetteer()).fit())


def test_context_stays_on_its_line_and_marks_cuts():
    text = "عنوان الخبر\n\nقال الوزير إن العراق يرحب بالاتفاق الجديد\nسطر آخر"
    start = text.index("العراق")
    assert context(text, start, start + len("العراق"), window=8) == ("قال الوزير إن", "يرحب بالاتفاق الجديد")
    assert context(text, start, start + len("العراق"), window=2) == ("… الوزير إن", "يرحب بالاتفاق …")
    assert context(text, 0, 5, window=3) == ("", "الخبر")  # the title: nothing before, nothing from the body


def test_sample_gives_one_row_per_article_with_exact_offsets(mentions):
    conc = sample_concordance(mentions, _articles(), "Q796", n=5, seed=1)
    assert list(conc.columns) == list(CONCORDANCE_COLUMNS)
    # Iraq is named once in each of a1, a2 (title) and a3: three articles, three rows, in doc_id order
    assert conc["doc_id"].tolist() == ["a1", "a2", "a3"]
    texts = {r.doc_id: article_text(r.title, r.body) for r in _articles().itertuples()}
    assert all(texts[r.doc_id][r.start:r.end] == r.match == "العراق" for r in conc.itertuples())
    first = conc.iloc[0]
    assert (first["left"], first["right"]) == ("قال الوزير إن", "يرحب بالاتفاق الجديد")
    assert (first["title"], first["source"], first["date"]) == ("خبر أول", "okaz", pd.Timestamp("2021-02-15"))
    assert (conc.iloc[1]["left"], conc.iloc[1]["right"]) == ("", "وإيران")
    assert pd.isna(conc.iloc[2]["source"]) and pd.isna(conc.iloc[2]["date"])
    assert (conc.iloc[2]["left"], conc.iloc[2]["right"]) == ("وقال مصدر مطلع في الحكومة إن",
                                                             "وإيران اتفقا على خطة مشتركة لحماية الحدود")


def test_sample_is_seeded_and_per_actor(mentions):
    one = sample_concordance(mentions, _articles(), "Q796", n=2, seed=3)
    assert len(one) == 2 and one.equals(sample_concordance(mentions, _articles(), "Q796", n=2, seed=3))
    both = sample_concordance(mentions, _articles(), ["Q794", "Q796"], n=2, seed=3)
    assert both["actor_id"].tolist() == ["Q794", "Q794", "Q796", "Q796"]  # Iran: a2 and a3
    assert both[both["actor_id"] == "Q796"].reset_index(drop=True).equals(one)
    draws = {tuple(sample_concordance(mentions, _articles(), "Q796", n=2, seed=s)["doc_id"]) for s in range(20)}
    assert len(draws) > 1  # different seeds draw different articles


def test_sample_filters_and_empty_inputs(mentions):
    assert sample_concordance(mentions, _articles(), "Q796", kinds=["adjective"]).empty
    assert sample_concordance(mentions, _articles(), "nobody").empty
    assert sample_concordance(mentions.iloc[:0], _articles(), "Q796").empty
    assert list(sample_concordance(mentions, _articles(), []).columns) == list(CONCORDANCE_COLUMNS)
