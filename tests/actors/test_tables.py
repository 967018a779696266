"""Tests for arabic_news.actors.tables and labels: reader-facing tables carry names, never ids, and escape data."""
from __future__ import annotations

import re

import pandas as pd

from actor_fixtures import mini_gazetteer
from arabic_news import reports
from arabic_news.actors import tables
from arabic_news.actors.extract import actor_rankings, extract_mentions
from arabic_news.actors.labels import actor_label, actor_names, outlet_label
from arabic_news.actors.matcher import ActorMatcher
from arabic_news.actors.network import strongest_ties

ID_RE = re.compile(r"\bQ\d+\b|\b(?:person|place|org|armed|media):[a-z]")


def _mentions():
    arts = pd.DataFrame({"doc_id": ["d1", "d2"], "title": ["العراق", "إيران"],
                         "body": ["قال ستولتنبرغ إن الناتو يدعم العراق والقوات العراقية", "زار وزير إيراني بغداد"]})
    return extract_mentions(arts, ActorMatcher(gazetteer=mini_gazetteer()).fit()), arts


def test_labels():
    gaz = mini_gazetteer()
    assert actor_names(["Q796", "Q7184"], gaz) == ["العراق", "حلف شمال الأطلسي"]
    assert actor_label("Q796", gaz) == "العراق (Iraq)" and actor_label("Q796", gaz, english=False) == "العراق"
    assert actor_label("unknown", gaz) == "unknown"
    assert outlet_label("okaz") == "Okaz (عكاظ)" and outlet_label("new-outlet") == "new-outlet"
    assert outlet_label(None) == "" and outlet_label(float("nan")) == ""


def test_ranking_table_shows_names_and_only_the_kinds_a_type_has():
    mentions, _ = _mentions()
    rankings = actor_rankings(mentions, mini_gazetteer(), n_documents=2)
    countries = tables.ranking_table(rankings, "country")
    assert list(countries.columns) == ["actor", "English name", "articles", "% of articles", "by name",
                                       "as adjective"]
    assert countries.iloc[0].tolist() == ["العراق", "Iraq", 1, 50.0, 2, 1]
    people = tables.ranking_table(rankings, "person")
    assert list(people.columns) == ["actor", "English name", "articles", "% of articles", "by name"]
    for df in (countries, people):
        assert not any(ID_RE.search(str(v)) for v in df.to_numpy().ravel())
        assert isinstance(df.index, pd.RangeIndex)
    assert tables.ranking_table(rankings, "media").empty


def test_ties_and_kind_tables_use_names():
    mentions, _ = _mentions()
    ties = strongest_ties(mentions, n_documents=2, min_count=1, min_g2=0.0)
    shown = tables.ties_table(ties, mini_gazetteer())
    assert list(shown.columns) == ["actor", "with", "articles together", "expected", "NPMI", "G2"]
    assert not any(ID_RE.search(str(v)) for v in shown[["actor", "with"]].to_numpy().ravel())
    kinds = tables.kind_summary(mentions).set_index("kind")
    # names: العراق (title), ستولتنبرغ, الناتو, العراق; إيران (title), بغداد. Adjectives: العراقية, إيراني
    assert kinds.loc["by name", "mentions"] == 6 and kinds.loc["as adjective", "mentions"] == 2
    assert kinds.loc["back-reference", "mentions"] == 0


def test_concordance_table_is_escaped_and_highlighted_in_html():
    conc = pd.DataFrame({"actor_id": ["Q796"], "doc_id": ["d1"], "title": ["<script>alert(1)</script>"],
                         "source": ["okaz"], "date": [pd.Timestamp("2021-02-15")], "kind": ["name"],
                         "left": ["a < b & c"], "match": ["العراق"], "right": ['"x" <b>'], "start": [0],
                         "end": [6]})
    shown = tables.concordance_table(conc, mini_gazetteer())
    assert list(shown.columns) == ["actor", "before", "mention", "after", "headline", "outlet", "date", "kind"]
    assert shown.iloc[0][["actor", "date", "kind"]].tolist() == ["العراق", "2021-02-15", "by name"]
    page = tables.escape_and_highlight(reports.rtl_table(shown, index=False), "mention").to_html()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &lt; b &amp; c" in page and "&lt;b&gt;" in page
    assert "font-weight: bold" in page and 'dir="rtl"' in page


def test_marked_text_html_escapes_and_marks():
    text = "العراق <b>\n\nقال ستولتنبرغ & الناتو"
    mentions = pd.DataFrame({"actor_id": ["Q796", "Q57565"], "kind": ["name", "name"],
                             "start": [0, text.index("ستولتنبرغ")], "end": [6, text.index("ستولتنبرغ") + 9]})
    out = tables.marked_text_html(text, mentions, mini_gazetteer())
    assert out.count('<p dir="rtl">') == 2 and "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert '<mark class="an-kind-name" title="العراق (Iraq) · by name">العراق</mark>' in out
    assert '<mark class="an-kind-name" title="ينس ستولتنبرغ (Jens Stoltenberg) · by name">ستولتنبرغ</mark>' in out
    assert '<mark class="an-kind-reference">back-reference</mark>' in out   # the legend
