"""Keyness (G2, log ratio), collocations and phrases against values worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pytest

from arabic_news.explore import ExploreError, collocations, g2_signed, keyness, log_ratio, phrases
from arabic_news.explore.index import TokenIndex

from explore_fixtures import article_frame


@pytest.fixture(scope="module")
def index() -> TokenIndex:
    return TokenIndex.from_frame(article_frame())


def test_g2_and_log_ratio_by_hand():
    # a=10 of c=1000 target tokens, b=5 of d=2000 reference tokens; N = 3000
    # E1 = 1000 * 15 / 3000 = 5, E2 = 2000 * 15 / 3000 = 10
    # G2 = 2 (10 ln(10/5) + 5 ln(5/10)) = 2 (10 - 5) ln 2 = 10 ln 2 = 6.931472; over-used: positive
    # log ratio = log2((10/1000) / (5/2000)) = log2(4) = 2
    assert g2_signed([10], [5], 1000, 2000)[0] == pytest.approx(10 * math.log(2))
    assert log_ratio([10], [5], 1000, 2000)[0] == pytest.approx(2.0)
    # a=0 of 1000, b=8 of 1000: E1 = E2 = 4; G2 = 2 (0 + 8 ln(8/4)) = 16 ln 2 = 11.090355, under-used: negative
    # log ratio with 0.5 for the zero: log2((0.5/1000) / (8/1000)) = log2(1/16) = -4
    assert g2_signed([0], [8], 1000, 1000)[0] == pytest.approx(-16 * math.log(2))
    assert log_ratio([0], [8], 1000, 1000)[0] == pytest.approx(-4.0)
    # equal relative frequencies: G2 = 0
    assert g2_signed([3], [6], 100, 200)[0] == pytest.approx(0.0)


def test_keyness_of_one_outlet(index):
    table = keyness(index, by="source", target="alpha", min_freq=1, p=1.0)
    s = table.attrs["summary"]
    # word tokens (punctuation left out; stop words counted): d1 = 4 + 8 + 9 = 21; d2 + d3 = 19 + 6 = 25
    assert (s["target_tokens"], s["reference_tokens"]) == (21, 25)
    assert (s["target_articles"], s["reference_articles"]) == (1, 2)
    row = table.set_index("term").loc["وزير"]
    # clitic-stripped unit وزير: alpha وزير, الوزيرُ, للوزير, ووزير = 4; beta الوزير = 1 (وزيرها is another word)
    # E1 = 21 * 5 / 46 = 2.282609, E2 = 25 * 5 / 46 = 2.717391
    # G2 = 2 (4 ln(4 / 2.282609) + 1 ln(1 / 2.717391)) = 2.488459; log ratio = log2((4/21) / (1/25)) = 2.251539
    assert (row.target_count, row.reference_count) == (4, 1)
    assert row.g2 == pytest.approx(2.488459, abs=1e-6)
    assert row.log_ratio == pytest.approx(2.251539, abs=1e-6)
    assert row.p_value == pytest.approx(math.erfc(math.sqrt(2.488459 / 2)), rel=1e-5)
    assert row.target_per_10k == pytest.approx(4 / 21 * 10_000)
    assert table["g2"].is_monotonic_decreasing
    # stop words are counted in the sizes but listed only on request
    assert "في" not in set(table["term"])
    with_stop = keyness(index, by="source", target="beta", min_freq=1, p=1.0, keep_stopwords=True)
    assert "في" in set(with_stop["term"])


def test_keyness_filters(index):
    # nothing in this tiny corpus reaches p < 0.001 ...
    assert keyness(index, by="source", target="alpha").empty
    # ... and the Bonferroni option divides the level by the number of terms tested
    loose = keyness(index, by="source", target="alpha", min_freq=1, p=0.5)
    bonf = keyness(index, by="source", target="alpha", min_freq=1, p=0.5, bonferroni=True)
    assert bonf.attrs["summary"]["alpha"] == pytest.approx(0.5 / loose.attrs["summary"]["terms_tested"])
    assert len(bonf) < len(loose)
    only_target = keyness(index, by="source", target="alpha", min_freq=1, p=1.0, which="target")
    assert (only_target["g2"] > 0).all()
    counted = keyness(index, by="source", target="alpha", min_freq=3, p=1.0)
    assert ((counted["target_count"] + counted["reference_count"]) >= 3).all()


def test_keyness_sub_corpora(index):
    by_month = keyness(index, by="month", target="2021-03", min_freq=1, p=1.0)
    assert by_month.attrs["summary"]["target_tokens"] == 6
    ref = keyness(index, by="source", target="alpha", reference="beta", min_freq=1, p=1.0)
    assert ref.attrs["summary"]["reference_tokens"] == 25
    import pandas as pd

    topics = pd.Series({"d1": "politics", "d2": "politics", "d3": "other"})
    by_series = keyness(index, by=topics, target="other", min_freq=1, p=1.0)
    assert by_series.attrs["summary"]["target_tokens"] == 6


@pytest.mark.parametrize("kwargs, message", [
    ({"by": "colour", "target": "x"}, "unknown column 'colour'"),
    ({"by": "source", "target": "gamma"}, "value 'gamma' not found in column 'source'; values: alpha, beta"),
    ({"by": "source", "target": "alpha", "reference": "alpha"}, "the same value"),
    ({"by": "source", "target": ""}, "no target value"),
    ({"by": "source", "target": "alpha", "unit": "lemma"}, "unknown unit"),
])
def test_keyness_errors(index, kwargs, message):
    with pytest.raises(ExploreError, match=message):
        keyness(index, **kwargs)


def test_collocation_table_by_hand(index):
    table = collocations(index, "وزير", window=1, min_freq=1, keep_stopwords=True, top=None)
    # node hits (clitics): d1 words 0 (وزير), 13 (الوزيرُ), 15 (للوزير), 18 (ووزير) of 21; d2 word 5 (الوزير)
    # windows of 1 word: d1 left {12 وقال, 14 إن, 17 مهماً}, right {1 الخارجية, 16 دوراً, 19 الدفاع} (14 is
    # counted once); d2 left {4 زار}, right {6 مقر} -> R = 8 window positions, N = 46 word tokens
    got = {r.collocate: (r.observed, r.left, r.right) for r in table.itertuples(index=False)}
    assert got == {"وقال": (1, 1, 0), "ان": (1, 1, 0), "مهما": (1, 1, 0), "خارجيه": (1, 0, 1),
                   "دورا": (1, 0, 1), "دفاع": (1, 0, 1), "زار": (1, 1, 0), "مقر": (1, 0, 1)}
    assert table.attrs["summary"]["window_positions"] == 8 and table.attrs["summary"]["corpus_words"] == 46
    row = table.set_index("collocate").loc["مقر"]
    # every collocate occurs once in the corpus: E = 8 * 1 / 46 = 0.173913; MI = log2(1 / 0.173913) = 2.523562
    # t = (1 - 0.173913) / sqrt(1) = 0.826087
    # LL over (1, 7; 0, 38): 2 (1 ln(1/0.173913) + 7 ln(7/7.826087) + 38 ln(38/37.173913)) = 3.607062
    assert row.expected == pytest.approx(8 / 46)
    assert row.mi == pytest.approx(2.523562, abs=1e-6)
    assert row.t_score == pytest.approx(0.826087, abs=1e-6)
    assert row.ll == pytest.approx(3.607062, abs=1e-6)
    assert row.collocate_freq == 1
    # default: stop words (إن, مهما) are not listed
    assert {"ان", "مهما"}.isdisjoint(collocations(index, "وزير", window=1, min_freq=1)["collocate"])


def test_collocations_of_an_actor_and_errors(index):
    with pytest.raises(ExploreError, match="window must be at least 1"):
        collocations(index, "وزير", window=0)
    with pytest.raises(ExploreError, match="unknown measure"):
        collocations(index, "وزير", measure="dice")
    assert collocations(index, "غائب", min_freq=1).empty


def test_phrases_by_hand(index):
    table = phrases(index, min_count=2, keep_stopwords=True, top=None)
    # adjacent word pairs on one line: d1 3 + 7 + 7, d2 3 + 6 + 6, d3 1 + 2 = 35; only شمال الاطلسي occurs twice
    assert table["phrase"].tolist() == ["شمال الاطلسي"]
    row = table.iloc[0]
    assert (row["count"], row.first_count, row.second_count) == (2, 2, 2)
    assert table.attrs["summary"]["pairs"] == 35
    # cells + 0.5: 2.5, 0.5, 0.5, 33.5 -> lambda = ln(2.5 * 33.5 / 0.25) = 5.814131
    # se = sqrt(1/2.5 + 2 + 2 + 1/33.5) = 2.104721 -> z = 2.762423
    assert row["lambda"] == pytest.approx(5.814131, abs=1e-6)
    assert row.z == pytest.approx(2.762423, abs=1e-6)


def test_g2_vectorised_matches_scalar():
    a = np.array([0, 1, 5, 50])
    b = np.array([3, 0, 5, 10])
    got = g2_signed(a, b, 500, 800)
    for i in range(4):
        assert got[i] == pytest.approx(g2_signed([a[i]], [b[i]], 500, 800)[0])
