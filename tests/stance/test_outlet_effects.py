import numpy as np
import pandas as pd
import pytest

from arabic_news.stance.outlet_effects import (
    EFFECT_COLUMNS,
    clustered_mean_ci,
    cr1_vcov,
    ols_cr1,
    outlet_effects,
    survival_sentence,
)


def test_cr1_intercept_only_by_hand():
    # y = 1, 2, 3, 6 in clusters (a, a, b, b): mean 3, residuals -2 -1 0 3, cluster sums -3 and 3;
    # meat = 9 + 9 = 18, bread = 1/4, c = G/(G-1) * (N-1)/(N-K) = 2 * 3/3 = 2 -> var = 2 * 18 / 16 = 2.25
    beta, vcov, df = ols_cr1([1, 2, 3, 6], np.ones((4, 1)), ["a", "a", "b", "b"])
    assert beta[0] == pytest.approx(3.0) and vcov[0, 0] == pytest.approx(2.25) and df == 1
    mean, lo, hi = clustered_mean_ci([1, 2, 3, 6], ["a", "a", "b", "b"])
    # half-width: t(0.975, 1 df) = 12.7062047 times the standard error 1.5
    assert mean == pytest.approx(3.0) and (hi - mean) == pytest.approx(12.7062047 * 1.5, rel=1e-6)


def test_cr1_matches_a_loop_implementation():
    rng = np.random.default_rng(3)
    n = 23
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    clusters = rng.integers(0, 6, n)
    y = X @ np.array([1.0, 2.0, -1.0]) + rng.normal(size=n)
    beta, vcov, _ = ols_cr1(y, X, clusters)
    # independent computation: normal equations, explicit per-cluster outer products
    xtx_inv = np.linalg.inv(sum(np.outer(x, x) for x in X))
    b = xtx_inv @ sum(x * yi for x, yi in zip(X, y))
    meat = np.zeros((3, 3))
    for g in set(clusters.tolist()):
        s = sum((y[i] - X[i] @ b) * X[i] for i in range(n) if clusters[i] == g)
        meat += np.outer(s, s)
    G = len(set(clusters.tolist()))
    expected = G / (G - 1) * (n - 1) / (n - 3) * xtx_inv @ meat @ xtx_inv
    assert beta == pytest.approx(b) and vcov == pytest.approx(expected)
    assert cr1_vcov(X, y - X @ b, np.zeros(n)) == pytest.approx(np.full((3, 3), np.nan), nan_ok=True)  # G = 1


def _toy(effect_a: float = 0.0) -> pd.DataFrame:
    """Two outlets, two topics. Sports sentences score +10, politics -5; outlet A covers sports in 8 of its 10
    articles, B in 2 of 10. Within each outlet-topic cell the articles carry the same pattern of deviations, so
    within a topic the outlets differ by exactly *effect_a* (A's sentences get +effect_a)."""
    rows = []
    pattern = [-2.0, 0.0, 2.0]  # sentence deviations inside an article
    art_dev = [-1.0, 1.0]       # article-level deviations, alternating
    for outlet, n_sport in (("A", 8), ("B", 2)):
        for a in range(10):
            topic = "sport" if a < n_sport else "politics"
            base = (10.0 if topic == "sport" else -5.0) + art_dev[a % 2] + (effect_a if outlet == "A" else 0.0)
            for s, dev in enumerate(pattern):
                rows.append({"actor_id": "x", "source": outlet, "doc_id": f"{outlet}{a}", "sentence": s,
                             "tone": base + dev, "topic": topic, "status": "ok"})
    return pd.DataFrame(rows)


def test_beat_confound_disappears_after_adjustment():
    table = outlet_effects(_toy(0.0), min_sentences=5).set_index("outlet")
    assert sorted(table.reset_index().columns) == sorted(EFFECT_COLUMNS)
    a = table.loc["A"]
    # raw: A mean = 0.8*10 + 0.2*(-5) = 7, B mean = -2; sum-coded: A = +4.5 from the average outlet
    assert a["raw_diff"] == pytest.approx(4.5) and a["raw_sig"] and a["raw_lo"] > 0
    assert a["adj_diff"] == pytest.approx(0.0, abs=1e-9) and a["adj_lo"] < 0 < a["adj_hi"]
    assert not table["survives"].any()
    assert table.loc["B", "raw_diff"] == pytest.approx(-4.5)
    assert (a["n_sentences"], a["n_articles"]) == (30, 10)


def test_real_outlet_effect_survives():
    table = outlet_effects(_toy(3.0), min_sentences=5).set_index("outlet")
    assert table.loc["A", "adj_diff"] == pytest.approx(1.5) and table.loc["A", "adj_lo"] > 0
    assert table.loc["B", "adj_diff"] == pytest.approx(-1.5) and table.loc["B", "adj_hi"] < 0
    assert table["survives"].all()
    sentence = survival_sentence(table.reset_index(), outlet_names={"A": "Outlet A"}, actor_names={"x": "X"})
    assert "2 of 2" in sentence and "2 of them survive" in sentence and "surviving: Outlet A on X" in sentence
    confounded = survival_sentence(outlet_effects(_toy(0.0), min_sentences=5))
    assert "0 of them survive" in confounded and "explained by the beat: A on x; B on x" in confounded


def test_topics_as_series_and_none():
    df = _toy(0.0)
    topics = df.drop_duplicates("doc_id").set_index("doc_id")["topic"]
    by_series = outlet_effects(df.drop(columns="topic"), topics=topics, min_sentences=5)
    assert by_series["adj_diff"].abs().max() < 1e-9
    unadjusted = outlet_effects(df, topics=None, min_sentences=5)
    assert unadjusted["adj_diff"].tolist() == pytest.approx(unadjusted["raw_diff"].tolist())


def test_thin_data_is_noted_not_estimated():
    df = _toy(0.0)
    extra = pd.DataFrame([{"actor_id": "x", "source": "C", "doc_id": "C0", "sentence": 0, "tone": 1.0,
                           "topic": "sport", "status": "ok"},
                          {"actor_id": "y", "source": "A", "doc_id": "A0", "sentence": 9, "tone": 1.0,
                           "topic": "sport", "status": "ok"}])
    table = outlet_effects(pd.concat([df, extra]), min_sentences=5)
    assert set(table["outlet"]) == {"A", "B"} and set(table["actor"]) == {"x"}
    notes = " ".join(table.attrs["notes"])
    assert "C (1)" in notes and "y: fewer than two outlets" in notes
    skipped = table.attrs["skipped"][["actor", "outlet", "reason"]].fillna("-")
    skipped = {tuple(r) for r in skipped.itertuples(index=False)}
    assert skipped == {("x", "C", "too few sentences"), ("y", "A", "too few sentences"),
                       ("y", "-", "fewer than two outlets")}
    # a single topic: adjusted = raw, said in a note
    one = outlet_effects(df.assign(topic="all"), min_sentences=5)
    assert one["adj_diff"].tolist() == pytest.approx(one["raw_diff"].tolist())
    assert any("single topic" in n for n in one.attrs["notes"])
    # a single outlet, or nothing at all: an empty table and a note, no exception
    alone = outlet_effects(df[df["source"] == "A"], min_sentences=5)
    assert alone.empty and alone.attrs["notes"]
    assert outlet_effects(df.iloc[:0], min_sentences=5).empty
    assert "No outlet" in survival_sentence(alone)


def test_outlet_confined_to_its_own_topic_is_not_identified():
    df = _toy(0.0)
    # outlet C writes only on a topic nobody else covers: its difference is absorbed by the topic effect
    c = pd.DataFrame([{"actor_id": "x", "source": "C", "doc_id": f"C{i}", "sentence": 0, "tone": float(i),
                       "topic": "weather", "status": "ok"} for i in range(6)])
    table = outlet_effects(pd.concat([df, c]), min_sentences=5).set_index("outlet")
    assert np.isnan(table.loc["C", "adj_diff"]) and not table.loc["C", "survives"]
    assert np.isfinite(table.loc["C", "raw_diff"])


def test_the_short_survival_sentence_counts_without_naming():
    from arabic_news.stance.outlet_effects import survival_sentence

    table = pd.DataFrame({"actor": ["a", "a", "a"], "outlet": ["x", "y", "z"], "raw_sig": [True, True, False],
                          "survives": [True, False, True]})
    assert survival_sentence(table, details=False) == (
        "2 of 3 outlet–actor differences are distinguishable from the average outlet before adjustment; 1 of them "
        "survive the adjustment for topic; 1 more appear only within topics.")
    assert "x on a" in survival_sentence(table)
