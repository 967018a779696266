"""Concordance: every matching mode with exact hit counts and offsets, contexts, sorting, sampling, HTML."""
from __future__ import annotations

import pandas as pd
import pytest

from arabic_news import config
from arabic_news.explore import ExploreError, kwic, kwic_html
from arabic_news.explore.index import TokenIndex
from arabic_news.explore.kwic import KWIC_COLUMNS

from explore_fixtures import article_frame, text_of


@pytest.fixture(scope="module")
def index() -> TokenIndex:
    return TokenIndex.from_frame(article_frame())


def _hits(index, query, match="clitics"):
    frame = kwic(index, query, match=match)
    return [(r.doc_id, r.start, r.end, r.match) for r in frame.itertuples(index=False)]


# offsets into the article text (title + blank line + body) of explore_fixtures; each was counted by hand
# and is checked against the text itself below
CASES = [
    # clitics: the query with its article removed equals a token reading with a proclitic chain removed
    ("وزير", "clitics", [("d1", 0, 4, "وزير"), ("d1", 75, 82, "الوزيرُ"), ("d1", 86, 92, "للوزير"),
                         ("d1", 106, 111, "ووزير"), ("d2", 29, 35, "الوزير")]),          # never والزير (d2)
    ("الوزير", "clitics", [("d1", 0, 4, "وزير"), ("d1", 75, 82, "الوزيرُ"), ("d1", 86, 92, "للوزير"),
                           ("d1", 106, 111, "ووزير"), ("d2", 29, 35, "الوزير")]),
    ("العراق", "clitics", [("d1", 19, 25, "العراق"), ("d1", 62, 68, "للعراق"), ("d2", 47, 55, "وبالعراق"),
                           ("d3", 0, 9, "العِرَاقِ"), ("d3", 10, 21, "والـــعـراق"), ("d3", 35, 41, "العراق")]),
    ("للعراق", "clitics", [("d1", 62, 68, "للعراق")]),
    # exact: the normalised form only (diacritics and tatweel never matter)
    ("وزير", "exact", [("d1", 0, 4, "وزير")]),
    ("العراق", "exact", [("d1", 19, 25, "العراق"), ("d3", 0, 9, "العِرَاقِ"), ("d3", 35, 41, "العراق")]),
    # stem: the light stem (وزيرها -> وزير; والزير -> زير)
    ("وزير", "stem", [("d1", 0, 4, "وزير"), ("d1", 75, 82, "الوزيرُ"), ("d1", 86, 92, "للوزير"),
                      ("d1", 106, 111, "ووزير"), ("d2", 29, 35, "الوزير"), ("d3", 23, 29, "وزيرها")]),
    # glob patterns, clitic-aware and exact
    ("عراق*", "clitics", [("d1", 19, 25, "العراق"), ("d1", 62, 68, "للعراق"), ("d2", 47, 55, "وبالعراق"),
                          ("d2", 65, 74, "العراقيين"), ("d3", 0, 9, "العِرَاقِ"), ("d3", 10, 21, "والـــعـراق"),
                          ("d3", 35, 41, "العراق")]),
    ("العراق*", "exact", [("d1", 19, 25, "العراق"), ("d2", 65, 74, "العراقيين"), ("d3", 0, 9, "العِرَاقِ"),
                          ("d3", 35, 41, "العراق")]),
    ("وزير?ا", "exact", [("d3", 23, 29, "وزيرها")]),
    # multi-word: consecutive tokens; proclitics on the first word only
    ("حلف شمال الأطلسي", "clitics", [("d1", 40, 56, "حلف شمال الأطلسي"), ("d2", 6, 23, "لحلف شمال الأطلسي")]),
    ("حلف شمال الأطلسي", "exact", [("d1", 40, 56, "حلف شمال الأطلسي")]),
    ("شمال الأطلسي دعمه", "clitics", [("d1", 44, 61, "شمال الأطلسي دعمه")]),
    # Latin and digits are matched as written (after NFKC)
    ("NATO", "clitics", [("d2", 101, 105, "NATO")]),
    ("2021م", "clitics", [("d2", 91, 96, "2021م")]),
]


@pytest.mark.parametrize("query, match, expected", CASES, ids=[f"{q}-{m}" for q, m, _ in CASES])
def test_matching_modes(index, query, match, expected):
    got = _hits(index, query, match)
    assert got == expected
    for doc_id, start, end, surface in got:
        assert text_of(doc_id)[start:end] == surface


def test_columns_and_contexts(index):
    frame = kwic(index, "للوزير", window=2)
    assert list(frame.columns) == list(KWIC_COLUMNS)
    row = frame.iloc[0]
    assert (row.doc_id, row.title, row.source, row.date) == ("d1", "وزير الخارجية يدعم العراق", "alpha",
                                                             pd.Timestamp("2021-02-16"))
    assert (row.left, row.match, row.right) == ("الوزيرُ إن", "للوزير", "دوراً مهماً")
    # the context stops at the article's edges; punctuation counts as a token; a line break shows as a space
    first = kwic(index, "وزير", match="exact", window=3).iloc[0]
    assert (first.left, first.right) == ("", "الخارجية يدعم العراق")
    edge = kwic(index, "للعراق", window=3).iloc[0]
    assert (edge.left, edge.right) == ("شمال الأطلسي دعمه", ". وقال الوزيرُ")


def test_summary_counts(index):
    frame = kwic(index, "العراق")
    assert frame.attrs["summary"]["hits"] == 6 and frame.attrs["summary"]["articles"] == 3


def test_sort_by_context_word(index):
    right = kwic(index, "وزير", sort="R1")
    # R1 (normalised): الخارجيه, ان, دورا, الدفاع, مقر -> in code-point order
    assert right["match"].tolist() == ["وزير", "ووزير", "الوزيرُ", "للوزير", "الوزير"]
    left = kwic(index, "وزير", sort="L1")
    # L1 of وزير, الوزيرُ, للوزير, ووزير, الوزير: '' (article start), وقال, ان, مهما (the comma is skipped), زار
    # -> '' < ان < زار < مهما < وقال
    assert left["match"].tolist() == ["وزير", "للوزير", "الوزير", "ووزير", "الوزيرُ"]


def test_sample_is_seeded(index):
    a = kwic(index, "عراق*", sample=3, seed=7)
    b = kwic(index, "عراق*", sample=3, seed=7)
    assert len(a) == 3 and a.equals(b)
    everything = set(kwic(index, "عراق*")["start"].astype(str) + kwic(index, "عراق*")["doc_id"])
    assert set(a["start"].astype(str) + a["doc_id"]) <= everything
    assert a.attrs["summary"]["hits"] == 7
    assert len(kwic(index, "عراق*", limit=2)) == 2


def test_actor_query_concords_the_matchers_mentions(tmp_path, monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "actors"))
    from actor_fixtures import mini_gazetteer, write_gazetteer_yaml

    gaz_dir = tmp_path / "actors"
    gaz_dir.mkdir()
    write_gazetteer_yaml(mini_gazetteer(), gaz_dir / "gaz.yaml")
    monkeypatch.setattr(config, "ACTORS_DIR", gaz_dir)
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    index = TokenIndex.from_frame(article_frame())
    got = [(r.doc_id, r.start, r.end, r.match) for r in kwic(index, "actor:Q796").itertuples(index=False)]
    # the matcher's Iraq mentions: names with proclitics, the adjective العراقيين, diacritics and tatweel
    assert got == [("d1", 19, 25, "العراق"), ("d1", 62, 68, "للعراق"), ("d2", 47, 55, "وبالعراق"),
                   ("d2", 65, 74, "العراقيين"), ("d3", 0, 9, "العِرَاقِ"), ("d3", 10, 21, "والـــعـراق"),
                   ("d3", 35, 41, "العراق")]
    nato = kwic(index, "actor:Q7184", window=1)
    assert nato["match"].tolist() == ["حلف شمال الأطلسي", "لحلف شمال الأطلسي"]
    assert (nato.iloc[0].left, nato.iloc[0].right) == ("عام", "دعمه")
    with pytest.raises(ExploreError, match="unknown actor id 'Q0'"):
        kwic(index, "actor:Q0")
    # "mentions actor X" as a sub-corpus: NATO is named in d1 and d2 (21 + 19 words), not in d3 (6 words)
    from arabic_news.explore import collocations, keyness

    table = keyness(index, by="actor", target="Q7184", min_freq=1, p=1.0)
    assert (table.attrs["summary"]["target_tokens"], table.attrs["summary"]["reference_tokens"]) == (40, 6)
    # collocates of an actor: the words next to its two mentions (a window may cross a line, not an article)
    coll = collocations(index, "actor:Q7184", window=1, min_freq=1, keep_stopwords=True, top=None)
    assert set(coll["collocate"]) == {"عام", "دعمه", "زياره", "زار"}


@pytest.mark.parametrize("query, message", [
    ("", "empty query"),
    ("   ", "empty query"),
    ("في من", "only stop words or punctuation"),
    ("، .", "only stop words or punctuation"),
    ("**", "at least one letter"),
    ("actor:", "without an id"),
])
def test_bad_queries(index, query, message):
    with pytest.raises(ExploreError, match=message):
        kwic(index, query)


def test_bad_options(index):
    with pytest.raises(ExploreError, match="unknown match mode"):
        kwic(index, "وزير", match="fuzzy")
    with pytest.raises(ExploreError, match="unknown sort"):
        kwic(index, "وزير", sort="X3")
    assert kwic(index, "في", allow_stopwords=True)["match"].tolist() == ["في", "وفي"]
    assert kwic(index, "غائب").empty


def test_html_escapes_and_reads_right_to_left():
    frame = pd.DataFrame([{"doc_id": "x", "title": "<b>t</b>", "source": "<script>alert(1)</script>",
                           "date": pd.Timestamp("2021-01-01"), "left": "قبل <i>", "match": "&وزير",
                           "right": "\"بعد\" <img src=x>", "start": 0, "end": 5}])
    page = kwic_html(frame)
    assert 'dir="rtl"' in page and "<mark>&amp;وزير</mark>" in page
    assert "<script>" not in page and "<img" not in page and "<i>" not in page and "<b>t" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&quot;بعد&quot; &lt;img src=x&gt;" in page
