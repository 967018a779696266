"""Trends (gaps stay gaps, intervals) and user dictionaries (counts, overlaps, YAML validation)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from arabic_news.explore import (
    EXAMPLE_DICTIONARY, ExploreError, dictionary_counts, dictionary_patterns, dictionary_summary, load_dictionary,
    trend,
)
from arabic_news.explore.index import TokenIndex
from arabic_news.explore.trend import poisson_interval, wilson_interval

from explore_fixtures import article_frame


@pytest.fixture(scope="module")
def index() -> TokenIndex:
    return TokenIndex.from_frame(article_frame())


def test_weekly_trend_keeps_gaps(index):
    t = trend(index, "العراق", by="week")
    # d1 (Tue 2021-02-16) in the week of Mon 02-15: العراق, للعراق = 2 hits in 21 words; d2 (02-23): وبالعراق
    # 1 in 19; no article in the week of 03-01; d3 (Mon 03-08): 3 in 6
    assert t["period"].dt.strftime("%Y-%m-%d").tolist() == ["2021-02-15", "2021-02-22", "2021-03-01", "2021-03-08"]
    assert t["hits"].tolist() == [2, 1, 0, 3]
    assert t["tokens"].tolist() == [21, 19, 0, 6]
    assert t["articles"].tolist() == [1, 1, 0, 1]
    assert t["per_10k"].iloc[0] == pytest.approx(2 / 21 * 10_000)
    assert math.isnan(t["per_10k"].iloc[2]) and math.isnan(t["low"].iloc[2])  # a gap, not a zero
    # Wilson (z = 1.959964) for 2 of 21: centre (p + z^2/2n) / (1 + z^2/n) = 0.157830, half-width 0.131311
    # -> [0.026519, 0.289141] -> per 10,000: [265.19, 2891.41]
    assert t["low"].iloc[0] == pytest.approx(265.1877, abs=1e-3)
    assert t["high"].iloc[0] == pytest.approx(2891.4139, abs=1e-3)
    assert t.attrs["summary"]["empty_periods"] == 1


def test_trend_by_outlet_and_poisson(index):
    t = trend(index, "العراق", by="month", group="source", interval="poisson")
    assert list(t.columns[:2]) == ["period", "source"]
    feb = t[t["period"] == pd.Timestamp("2021-02-01")].set_index("source")
    assert feb.loc["alpha", "hits"] == 2 and feb.loc["beta", "hits"] == 1
    march_alpha = t[(t["period"] == pd.Timestamp("2021-03-01")) & (t["source"] == "alpha")].iloc[0]
    assert march_alpha.tokens == 0 and math.isnan(march_alpha.per_10k)
    # exact Poisson interval of a count of 2: [0.2422, 7.2247] (chi-squared quantiles / 2)
    lo, hi = poisson_interval([2])
    assert lo[0] == pytest.approx(0.242209, abs=1e-5) and hi[0] == pytest.approx(7.224687, abs=1e-5)
    assert feb.loc["alpha", "low"] == pytest.approx(0.242209 / 21 * 10_000, rel=1e-4)


def test_wilson_edge_cases():
    lo, hi = wilson_interval([0, 5], [10, 0])
    assert lo[0] == 0 and 0 < hi[0] < 0.35 and np.isnan(lo[1]) and np.isnan(hi[1])


def test_trend_errors(index):
    with pytest.raises(ExploreError, match="unknown period"):
        trend(index, "العراق", by="fortnight")
    with pytest.raises(ExploreError, match="unknown interval"):
        trend(index, "العراق", interval="bayes")
    with pytest.raises(ExploreError, match="unknown column 'outlet'"):
        trend(index, "العراق", group="outlet")


def test_dictionary_counts_and_overlaps(index):
    d = {"categories": {"iraq": ["العراق", "العراقيين"],
                        "nato": ["حلف شمال الأطلسي", "الأطلسي"],
                        "minister": ["وزير", "الوزير"]}}
    counts = dictionary_counts(index, d)
    by_doc = counts.set_index("doc_id")
    # iraq: d1 العراق, للعراق; d2 وبالعراق, العراقيين; d3 three spellings of العراق
    assert by_doc["iraq"].tolist() == [2, 2, 3]
    # nato: the phrase counts once; the الأطلسي inside it is not counted again
    assert by_doc["nato"].tolist() == [1, 1, 0]
    # minister: وزير and الوزير match the same tokens (clitic-aware): each token once
    assert by_doc["minister"].tolist() == [4, 1, 0]
    assert by_doc["n_words"].tolist() == [21, 19, 6]
    assert by_doc.loc["d1", "share_iraq"] == pytest.approx(2 / 21)
    patterns = dictionary_patterns(counts).set_index("pattern")["hits"]
    assert patterns["الأطلسي"] == 2 and patterns["الوزير"] == 5
    summary = dictionary_summary(counts, "source")
    assert summary.loc["beta", "articles"] == 2 and summary.loc["beta", "words"] == 25
    assert summary.loc["beta", "iraq"] == 5
    assert summary.loc["beta", "iraq_per_10k"] == pytest.approx(5 / 25 * 10_000)
    assert summary.loc["beta", "nato_articles"] == pytest.approx(0.5)
    total = dictionary_summary(counts, None)
    assert total.loc["all", "minister"] == 5


def test_dictionary_yaml(tmp_path, index):
    path = tmp_path / "d.yaml"
    path.write_text("name: test\nmatch: exact\ncategories:\n  iraq: [العراق]\n", encoding="utf-8")
    d = load_dictionary(path)
    assert d.name == "test" and d.match == "exact" and d.categories == {"iraq": ("العراق",)}
    assert dictionary_counts(index, d).set_index("doc_id")["iraq"].tolist() == [1, 0, 2]  # exact forms only


@pytest.mark.parametrize("content, message", [
    ("categories: [a, b", "not valid YAML"),
    ("- just\n- a list\n", "expected a mapping"),
    ("categories: {}\n", "must map each category"),
    ("categories:\n  iraq: []\n", "non-empty list"),
    ("categories:\n  iraq: ['']\n", "empty or non-text pattern"),
    ("match: fuzzy\ncategories:\n  iraq: [العراق]\n", "match 'fuzzy'"),
    ("categories:\n  iraq: ['**']\n", "at least one letter"),
])
def test_dictionary_errors_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExploreError, match=message) as err:
        load_dictionary(path)
    assert str(path) in str(err.value)


def test_missing_dictionary_file(tmp_path):
    with pytest.raises(ExploreError, match="no such dictionary file"):
        load_dictionary(tmp_path / "none.yaml")


def test_the_example_dictionary_loads():
    d = load_dictionary(EXAMPLE_DICTIONARY)
    assert list(d.categories) == ["economy", "security", "diplomacy", "health"]
    assert all(len(p) >= 5 for p in d.categories.values())
