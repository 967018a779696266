"""Tests for arabic_news.actors.extract: mentions table, per-document counts, frequencies by outlet and period."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from actor_fixtures import mini_gazetteer
from arabic_news.actors import extract
from arabic_news.actors.extract import (
    MENTION_COLUMNS,
    actor_names,
    actor_frequencies,
    article_text,
    document_counts,
    extract_mentions,
    frequencies_by_outlet,
    frequencies_by_period,
    period_start,
    time_series,
)
from arabic_news.actors.matcher import ActorMatcher


def _articles() -> pd.DataFrame:
    rows = [
        # doc_id, title, body, date, source
        ("d1", "الناتو والعراق", "قال ستولتنبرغ إن الناتو يدعم العراق.\nوالقوات العراقية جاهزة.", "2021-02-15", "a"),
        ("d2", "", "زار وزير إيراني بغداد. وأكد دعم إيران للعراق.", "2021-02-16", "a"),
        ("d3", "خبر رياضي", "فاز الفريق بالمباراة.", "2021-02-23", "b"),
        ("d4", "إيران", "قالت إيران إن الولايات المتحدة ... وإيران", None, "b"),
    ]
    df = pd.DataFrame(rows, columns=["doc_id", "title", "body", "date", "source"])
    df["date"] = pd.to_datetime(df["date"])
    return df


@pytest.fixture(scope="module")
def matcher():
    return ActorMatcher(gazetteer=mini_gazetteer(), resolve_affiliations=True).fit()


@pytest.fixture(scope="module")
def mentions(matcher):
    return extract_mentions(_articles(), matcher)


def test_actor_names_and_outlet_share_table(mentions):
    gaz = mini_gazetteer()
    assert actor_names(["Q796", "nope"], gaz) == ["العراق", "nope"]
    assert actor_names(["Q796"], gaz, "name_en") == ["Iraq"]
    share = extract.outlet_share_table(frequencies_by_outlet(mentions, _articles(), gaz), ["Q794", "Q796"], gaz)
    assert share.index.tolist() == ["إيران", "العراق"]
    assert share.loc["إيران"].tolist() == [0.5, 0.5] and share.loc["العراق"].tolist() == [1.0, 0.0]


def test_read_article_and_article_actors(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("العراق وإيران\n\nقال ستولتنبرغ إن الناتو., والعراقيون يرحبون.", encoding="utf-8")
    title, body = extract.read_article(path)
    assert (title, body) == ("العراق وإيران", "قال ستولتنبرغ إن الناتو.\nوالعراقيون يرحبون.")
    m = ActorMatcher(gazetteer=mini_gazetteer(), resolve_affiliations=True).fit()
    actors = extract.article_actors(title, body, m, date="2020-01-01")
    assert [(a["id"], a["mentions"]) for a in actors] == [("Q796", 2), ("Q794", 1), ("Q57565", 1), ("Q7184", 1)]
    assert actors[0]["kinds"] == {"name": 1, "adjective": 1} and actors[0]["surfaces"] == ["العراق", "والعراقيون"]
    assert actors[2]["affiliations"] == ["Q7184"]
    with pytest.raises(extract.ArticleFileError, match="no such file"):
        extract.read_article(tmp_path / "missing.txt")


def test_article_text_layout():
    assert article_text("عنوان", "فقرة\nفقرة") == "عنوان\n\nفقرة\nفقرة"
    assert article_text("", "فقرة") == "فقرة"
    assert article_text(None, None) == ""


def test_mentions_table(mentions):
    assert list(mentions.columns) == list(MENTION_COLUMNS)
    got = list(zip(mentions["doc_id"], mentions["actor_id"], mentions["kind"], mentions["sentence"]))
    assert got == [
        ("d1", "Q7184", "name", 0), ("d1", "Q796", "name", 0), ("d1", "Q57565", "name", 1),
        ("d1", "Q7184", "name", 1), ("d1", "Q796", "name", 1), ("d1", "Q796", "adjective", 2),
        ("d2", "Q794", "adjective", 0), ("d2", "Q1754", "name", 0), ("d2", "Q794", "name", 1),
        ("d2", "Q796", "name", 1),
        ("d4", "Q794", "name", 0), ("d4", "Q794", "name", 1), ("d4", "Q30", "name", 1), ("d4", "Q794", "name", 2),
    ]
    arts = _articles().set_index("doc_id")
    for row in mentions.itertuples():
        text = article_text(arts.loc[row.doc_id, "title"], arts.loc[row.doc_id, "body"])
        assert text[row.start:row.end] == row.surface
    # Stoltenberg was NATO Secretary General on 2021-02-15
    assert mentions.loc[mentions["actor_id"] == "Q57565", "affiliations"].tolist() == ["Q7184"]
    assert mentions.loc[mentions["actor_id"] == "Q1754", "candidates"].tolist() == ["Q796;Q1754"] or \
        set(mentions.loc[mentions["actor_id"] == "Q1754", "candidates"].iloc[0].split(";")) == {"Q796", "Q1754"}


def test_parallel_extraction_gives_the_same_table(matcher, monkeypatch):
    arts = pd.concat([_articles()] * 3, ignore_index=True)
    arts["doc_id"] = [f"{d}_{i}" for i, d in enumerate(arts["doc_id"])]
    monkeypatch.setattr(extract, "PARALLEL_MIN_ARTICLES", 1)
    serial = extract_mentions(arts, matcher, n_jobs=1)
    parallel = extract_mentions(arts, matcher, n_jobs=2, chunksize=2)
    pd.testing.assert_frame_equal(serial, parallel)
    spawned = extract_mentions(arts, matcher, n_jobs=2, chunksize=5, start_method="spawn")  # pickled matcher
    pd.testing.assert_frame_equal(serial, spawned)
    assert len(serial) == 3 * 14


def test_affiliation_mentions(mentions):
    aff = extract.affiliation_mentions(mentions)
    assert aff[["doc_id", "actor_id", "via"]].values.tolist() == [["d1", "Q7184", "Q57565"]]
    assert extract.affiliation_mentions(mentions.drop(columns=["affiliations"])).empty


def test_document_counts(mentions):
    dc = document_counts(mentions)
    d1 = dc[dc["doc_id"] == "d1"].set_index("actor_id")
    assert d1.loc["Q796", ["mentions", "name", "adjective", "short_name", "first_sentence"]].tolist() == [3, 2, 1, 0, 0]
    assert d1.loc["Q57565", "first_sentence"] == 1
    assert dc["mentions"].sum() == len(mentions)
    assert set(dc["doc_id"]) == {"d1", "d2", "d4"}


def test_actor_frequencies(mentions):
    freq = actor_frequencies(mentions, mini_gazetteer(), n_documents=4)
    top = freq.set_index("actor_id")
    assert freq["actor_id"].iloc[0] == "Q794"  # 5 mentions: most frequent first
    assert top.loc["Q794", ["mentions", "documents"]].tolist() == [5, 2]
    assert top.loc["Q796", ["mentions", "documents", "doc_share"]].tolist() == [4, 2, 0.5]
    assert top.loc["Q796", "name_ar"] == "العراق" and top.loc["Q796", "type"] == "country"


def test_frequencies_by_outlet(mentions):
    by = frequencies_by_outlet(mentions, _articles(), mini_gazetteer())
    iran = by[by["actor_id"] == "Q794"].set_index("source")
    assert iran.loc["a", ["mentions", "documents", "group_documents"]].tolist() == [2, 1, 2]
    assert iran.loc["b", ["mentions", "documents", "group_documents", "doc_share"]].tolist() == [3, 1, 2, 0.5]


def test_period_start():
    dates = pd.Series(pd.to_datetime(["2021-02-17 13:00", "2021-02-21 00:00", None]))
    assert period_start(dates, "day").tolist()[:2] == [pd.Timestamp("2021-02-17"), pd.Timestamp("2021-02-21")]
    assert period_start(dates, "week").tolist()[:2] == [pd.Timestamp("2021-02-15")] * 2  # weeks start on Monday
    assert period_start(dates, "month").tolist()[0] == pd.Timestamp("2021-02-01")
    assert pd.isna(period_start(dates, "week").iloc[2])
    with pytest.raises(ValueError):
        period_start(dates, "year")


def test_frequencies_by_period_and_time_series(mentions):
    by_day = frequencies_by_period(mentions, _articles(), "day", mini_gazetteer())
    # d4 is undated: its Iran mentions are not in any period
    assert by_day.loc[by_day["actor_id"] == "Q794", "mentions"].sum() == 2
    iraq = by_day[by_day["actor_id"] == "Q796"].set_index("period")
    assert iraq["mentions"].to_dict() == {pd.Timestamp("2021-02-15"): 3, pd.Timestamp("2021-02-16"): 1}
    assert iraq["group_documents"].tolist() == [1, 1]
    by_week = frequencies_by_period(mentions, _articles(), "week")
    assert set(by_week["period"]) == {pd.Timestamp("2021-02-15")}
    assert set(by_week["group_documents"]) == {2}  # the week of d3 has no actor, d4 is undated
    wide = time_series(by_day, top=2)
    assert list(wide.columns) == ["Q796", "Q7184"]
    assert wide.loc[pd.Timestamp("2021-02-16")].tolist() == [1, 0]
    assert list(time_series(by_day, actors=["Q796"], label="name_en").columns) == ["Iraq"]


def test_time_series_gaps_for_days_without_articles(mentions):
    """d1 on the 15th, d2 on the 16th, d3 (no actor) on the 23rd: the 23rd is 0, the days between are gaps."""
    arts = _articles()
    by_day = frequencies_by_period(mentions, arts, "day")
    days = period_start(arts["date"], "day").dropna().unique()
    wide = time_series(by_day, actors=["Q796"], periods=days, by="day")
    assert wide.index.tolist() == list(pd.date_range("2021-02-15", "2021-02-23"))
    iraq = wide["Q796"]
    assert iraq.loc["2021-02-15"] == 3 and iraq.loc["2021-02-16"] == 1 and iraq.loc["2021-02-23"] == 0
    assert iraq.loc["2021-02-17":"2021-02-22"].isna().all()
    with pytest.raises(ValueError):
        time_series(by_day, by="year")


def test_actor_rankings_one_per_type_with_kinds(mentions):
    gaz = mini_gazetteer()
    r = extract.actor_rankings(mentions, gaz, n_documents=4)
    # types in the report's order: people, organisations, countries (ranked by articles)
    assert list(dict.fromkeys(r["type"])) == ["person", "organization", "country", "place"]
    countries = r[r["type"] == "country"].set_index("actor_id")
    # Iran: d2 (إيراني, إيران), d4 (title إيران, إيران, وإيران) -> 2 articles, 4 names, 1 adjective.
    # Iraq: d1 (والعراق, العراق, العراقية), d2 (للعراق) -> 2 articles, 3 names, 1 adjective: Iran first (more
    # names). US: d4 only.
    assert countries.index.tolist() == ["Q794", "Q796", "Q30"]
    cols = ["rank", "documents", "mentions", "name", "adjective", "short_name", "reference"]
    assert countries.loc["Q794", cols].tolist() == [1, 2, 5, 4, 1, 0, 0]
    assert countries.loc["Q796", cols].tolist() == [2, 2, 4, 3, 1, 0, 0]
    assert countries.loc["Q30", cols].tolist() == [3, 1, 1, 1, 0, 0, 0]
    assert countries.loc["Q796", "doc_share"] == pytest.approx(0.5)
    assert r[r["type"] == "person"]["name_ar"].tolist() == ["ينس ستولتنبرغ"]
    assert extract.actor_rankings(mentions, gaz, top_n=1).groupby("type").size().max() == 1
    assert extract.actor_rankings(mentions.iloc[:0], gaz).empty


def test_run_extraction_writes_every_table(tmp_path, matcher):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _articles().to_parquet(corpus / "articles.parquet", index=False)
    out = tmp_path / "out"
    summary = extract.run_extraction(corpus, out, by=("week",), matcher=matcher, n_jobs=1)
    assert summary["n_articles"] == 4
    assert summary["n_articles_with_mentions"] == 3 and summary["n_articles_without_mentions"] == 1
    assert summary["n_undated_articles"] == 1
    assert summary["n_mentions"] == 14
    for stem in ("mentions", "doc_counts", "actors", "by_outlet", "by_week", "sentence_dyads"):
        assert (out / f"{stem}.parquet").is_file() and (out / f"{stem}.csv").is_file()
    assert not (out / "by_day.csv").exists()
    assert (out / "actor_network.gexf").is_file()
    assert len(pd.read_parquet(out / "affiliation_mentions.parquet")) == 1  # the matcher resolves affiliations
    back = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    assert len(back) == 14 and back["surface"].iloc[0] == "الناتو"
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["n_mentions"] == 14


def test_corpus_mentions_are_stored_per_gazetteer(tmp_path, monkeypatch):
    """corpus_mentions computes once per corpus and gazetteer: a rerun reads the store; the user's own gazetteer
    (ARABIC_NEWS_GAZETTEER) is another entry, with its actor found."""
    from arabic_news.actors.extract import corpus_mentions
    from arabic_news.corpus.store import AnalysisStore

    folder = tmp_path / "corpus"
    folder.mkdir()
    articles = pd.DataFrame({"doc_id": ["a1", "a2"], "title": ["زيارة", "خبر"],
                             "body": ["وصل وزير الخارجية إلى الرياض قادما من العراق.", "افتتح نادي الفروسية الأخضر موسمه."],
                             "date": pd.to_datetime(["2020-01-02", "2020-01-03"])})
    articles.to_parquet(folder / "articles.parquet")
    store = AnalysisStore(folder)
    monkeypatch.delenv("ARABIC_NEWS_GAZETTEER", raising=False)
    first = corpus_mentions(articles, store=store)
    again = corpus_mentions(articles, store=store)
    pd.testing.assert_frame_equal(first, again)
    assert {"العراق", "الرياض"} <= set(first["surface"])
    mine = tmp_path / "mine.yaml"
    mine.write_text("- id: club:green\n  name_en: Green Riding Club\n  name_ar: نادي الفروسية الأخضر\n"
                    "  type: organization\n", encoding="utf-8")
    monkeypatch.setenv("ARABIC_NEWS_GAZETTEER", str(mine))
    with_mine = corpus_mentions(articles, store=store)
    assert "club:green" in set(with_mine["actor_id"]) and "club:green" not in set(first["actor_id"])
    assert [e["event"] for e in store.events()] == ["computed", "reused", "computed"]
