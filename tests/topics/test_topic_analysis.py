"""Prevalence over time and by outlet, topics per section, topic-actor association."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from arabic_news.topics import (
    dominant_topics,
    prevalence_by_group,
    prevalence_over_time,
    topic_actor_association,
    topics_by_label,
)

DOC_TOPIC = np.array([
    [1.0, 0.0],
    [0.5, 0.5],
    [0.0, 1.0],
    [0.0, 2.0],  # un-normalised row: normalised to [0, 1]
    [1.0, 0.0],
])
DATES = ["2024-01-03", "2024-01-20", "2024-02-01", "2024-02-15", None]


def test_prevalence_over_time_monthly_shares():
    frame = prevalence_over_time(DOC_TOPIC, DATES, freq="month", n_boot=100, seed=3, topic_labels=["نفط", "كرة"])
    assert frame.attrs["n_undated"] == 1
    jan = frame[frame["period"] == pd.Timestamp("2024-01-01")].set_index("topic")
    feb = frame[frame["period"] == pd.Timestamp("2024-02-01")].set_index("topic")
    assert jan.loc[0, "share"] == pytest.approx(0.75) and jan.loc[1, "share"] == pytest.approx(0.25)
    assert feb.loc[0, "share"] == pytest.approx(0.0) and feb.loc[1, "share"] == pytest.approx(1.0)
    assert jan.loc[0, "n_docs"] == 2 and jan.loc[0, "topic_label"] == "نفط"
    # bootstrap bands bracket the share and reproduce with the seed
    assert (frame["lo"] <= frame["share"] + 1e-12).all() and (frame["share"] <= frame["hi"] + 1e-12).all()
    assert jan.loc[0, "lo"] >= 0.5 - 1e-12 and jan.loc[0, "hi"] <= 1.0 + 1e-12
    again = prevalence_over_time(DOC_TOPIC, DATES, freq="month", n_boot=100, seed=3)
    np.testing.assert_array_equal(frame["lo"].to_numpy(), again["lo"].to_numpy())


def test_prevalence_weekly_and_min_docs():
    frame = prevalence_over_time(DOC_TOPIC, DATES, freq="week", n_boot=0, min_docs=1)
    # 2024-01-03 (Wed) -> week of Monday 2024-01-01
    assert pd.Timestamp("2024-01-01") in set(frame["period"])
    assert frame["n_docs"].sum() / 2 == 4  # 4 dated documents, two topic rows each
    dropped = prevalence_over_time(DOC_TOPIC, DATES, freq="month", n_boot=0, min_docs=3)
    assert dropped.empty and dropped.attrs["n_dropped_docs"] == 4


def test_prevalence_by_outlet_with_dominant_topics():
    frame = prevalence_by_group(np.array([0, 0, 1, 1, 1]), ["أ", "أ", "ب", None, "ب"], n_boot=50, seed=1)
    shares = frame.pivot(index="group", columns="topic", values="share")
    assert shares.loc["أ", 0] == 1.0 and shares.loc["ب", 1] == 1.0 and shares.loc["(unknown)", 1] == 1.0


def test_dominant_topics_marks_empty_rows():
    np.testing.assert_array_equal(dominant_topics(np.array([[0.2, 0.8], [0.0, 0.0]])), [1, -1])


def test_topics_by_label_crosstab():
    table = topics_by_label([0, 0, 1, 1], ["sport", "sport", "economy", "sport"])
    assert table.loc["sport", 0] == 2 and table.loc["sport", 1] == 1 and table.loc["economy", 1] == 1
    shares = topics_by_label([0, 0, 1, 1], ["sport", "sport", "economy", "sport"], normalize="index",
                             topic_labels=["كرة", "نفط"])
    assert shares.loc["sport", "كرة"] == pytest.approx(2 / 3)


def test_topic_actor_association_hand_computed():
    doc_ids = ["d1", "d2", "d3", "d4"]
    dominant = np.array([0, 0, 1, 1])
    mentions = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d3", "d4", "d4", "zz"],
        "actor_id": ["opec", "opec", "opec", "fifa", "fifa", "opec", "fifa"],
    })
    frame = topic_actor_association(dominant, doc_ids, mentions, top_n=5, min_docs=1)
    assert frame.attrs["n_unmatched_mentions"] == 1
    t0 = frame[frame["topic"] == 0].set_index("actor_id")
    # opec in d1, d2 (topic 0) and d4 (topic 1): weight 2 in topic 0; P(opec|t0)=1, P(opec)=3/4 -> lift 4/3
    assert t0.loc["opec", "weight"] == 2 and t0.loc["opec", "n_docs"] == 3
    assert t0.loc["opec", "lift"] == pytest.approx(4 / 3)
    assert "fifa" not in t0.index  # zero weight in topic 0
    t1 = frame[frame["topic"] == 1]
    assert list(t1["actor_id"]) == ["fifa", "opec"]  # fifa weight 2, opec weight 1
    with pytest.raises(ValueError, match="actor_id"):
        topic_actor_association(dominant, doc_ids, pd.DataFrame({"doc_id": ["d1"]}))


def test_topic_actor_association_keeps_only_over_represented_actors_with_support():
    # 24 articles: topics 0 (12 articles) and 1 (12); "opec" in 10 articles of topic 0 and 2 of topic 1,
    # "fifa" in 3 of topic 1 only, "un" in 6 articles of each topic (not over-represented anywhere)
    doc_ids = [f"d{i:02d}" for i in range(24)]
    dominant = np.array([0] * 12 + [1] * 12)
    rows = ([("opec", i) for i in range(10)] + [("opec", 12), ("opec", 13)] + [("fifa", i) for i in (20, 21, 22)]
            + [("un", i) for i in list(range(6)) + list(range(12, 18))])
    mentions = pd.DataFrame({"doc_id": [doc_ids[i] for _, i in rows], "actor_id": [a for a, _ in rows]})
    everything = topic_actor_association(dominant, doc_ids, mentions, min_docs=1)
    t0 = everything[everything["topic"] == 0].set_index("actor_id")
    # opec: P(opec|t0) = 10/12, P(opec) = 12/24 -> lift 5/3; support 10 articles of topic 0
    assert t0.loc["opec", "lift"] == pytest.approx(5 / 3) and t0.loc["opec", "support"] == 10
    assert t0.loc["un", "lift"] == pytest.approx(1.0)
    strong = topic_actor_association(dominant, doc_ids, mentions, min_docs=1, min_lift=1.5, min_support=10,
                                     topic_labels=["نفط", "كرة"])
    assert strong[["topic", "topic_label", "actor_id", "support"]].values.tolist() == [[0, "نفط", "opec", 10]]
    # fifa: lift 2 in topic 1 but only 3 articles: left out with min_support=10, kept with 3
    some = topic_actor_association(dominant, doc_ids, mentions, min_docs=1, min_lift=1.5, min_support=3)
    assert set(map(tuple, some[["topic", "actor_id"]].values.tolist())) == {(0, "opec"), (1, "fifa")}
    assert list(strong.columns) == ["topic", "topic_label", "actor_id", "n_docs", "support", "weight", "lift"]


def test_requirement_sentences_and_sweep_values_for_small_corpora():
    from arabic_news.topics import MIN_TOPIC_ARTICLES, default_sweep_ks, requirement

    assert MIN_TOPIC_ARTICLES == 20
    assert requirement("topics", need=20, have=3) == "Topics need at least 20 articles; this corpus has 3."
    assert requirement("topics", need=20, have=20) is None
    assert requirement("topics over time", need=1, have=0, unit="dated articles") == (
        "Topics over time need at least 1 dated articles; this corpus has 0.")
    assert default_sweep_ks(31_000) == [8, 10, 12, 15, 20] == default_sweep_ks(160)
    assert default_sweep_ks(100) == [5, 6, 8, 10, 12]
    assert default_sweep_ks(24) == [2, 3] and default_sweep_ks(15) == []
    assert all(k * 8 <= 40 for k in default_sweep_ks(40))
