"""Metrics on hand-computed cases."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from arabic_news.topics import (
    TopicModel,
    choose_k,
    coherence,
    k_choice_sentence,
    k_sweep,
    label_agreement,
    stability,
    topic_diversity,
)
from arabic_news.topics.metrics import topic_set_similarity

# four documents, each shorter than gensim's NPMI window (10), so each document is one window
CORPUS = [["نفط", "سعر"], ["نفط", "سعر"], ["نفط", "فريق"], ["فريق"]]


def test_npmi_matches_hand_computation():
    # p(نفط)=3/4, p(سعر)=1/2, p(نفط,سعر)=1/2 -> npmi = log(4/3) / -log(1/2)
    expected_a = math.log((1 / 2) / (3 / 4 * 1 / 2)) / -math.log(1 / 2)
    # p(فريق)=1/2, p(نفط,فريق)=1/4 -> npmi = log(2/3) / -log(1/4)
    expected_b = math.log((1 / 4) / (3 / 4 * 1 / 2)) / -math.log(1 / 4)
    mean, per_topic = coherence([["نفط", "سعر"], ["نفط", "فريق"]], CORPUS, measure="c_npmi", per_topic=True)
    assert per_topic == pytest.approx([expected_a, expected_b], abs=1e-9)
    assert mean == pytest.approx((expected_a + expected_b) / 2, abs=1e-9)
    assert expected_a == pytest.approx(0.415037, abs=1e-6)


def test_coherence_skips_terms_absent_from_the_corpus():
    mean, per_topic = coherence([["نفط", "سعر", "غائب"], ["غائب", "فريق"]], CORPUS, per_topic=True)
    assert math.isnan(per_topic[1])
    assert mean == pytest.approx(per_topic[0])
    assert per_topic[0] == pytest.approx(0.415037, abs=1e-6)


def test_c_v_is_computed_on_the_corpus():
    value = coherence([["نفط", "سعر"], ["نفط", "فريق"]], CORPUS, measure="c_v")
    assert 0.0 <= value <= 1.0


def test_coherence_many_equals_one_coherence_per_topic_set():
    """All sets scored in one pass give exactly what each set gives on its own (NPMI and C_V)."""
    from arabic_news.topics.metrics import coherence_many

    sets = [[["نفط", "سعر"], ["نفط", "فريق"]], [["فريق", "سعر"]], [["غائب", "فريق"]], []]
    for measure in ("c_npmi", "c_v"):
        together = coherence_many(sets, CORPUS, measure=measure)
        alone = [coherence(s, CORPUS, measure=measure) if s else float("nan") for s in sets]
        assert together[:2] == alone[:2]
        assert math.isnan(together[2]) and math.isnan(alone[2]) and math.isnan(together[3])
    assert coherence_many(sets, CORPUS)[0] == pytest.approx((0.415037 + math.log(2 / 3) / -math.log(1 / 4)) / 2,
                                                            abs=1e-6)


def test_topic_diversity_exact():
    assert topic_diversity([["نفط", "سعر"], ["سعر", "فريق"]]) == 3 / 4
    assert topic_diversity([["أ", "ب", "ج"], ["د", "ه", "و"]]) == 1.0
    assert topic_diversity([list("abcdefghijkl"), list("abcdefghijkl")], topn=10) == 0.5


def test_label_agreement_permutation_and_missing_labels():
    assert label_agreement([2, 2, 0, 0, 1, 1], ["a", "a", "b", "b", "c", "c"]) == {"nmi": 1.0, "ari": 1.0, "n": 6}
    out = label_agreement([0, 0, 1, 1], ["a", "a", None, "b"])
    assert out["n"] == 3 and out["nmi"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="no document has a gold label"):
        label_agreement([0, 1], [None, None])


def test_stability_best_match_jaccard():
    run_a = [["نفط", "سعر"], ["فريق", "لاعب"]]
    run_b = [["فريق", "لاعب"], ["نفط", "برميل"]]  # same topics, other order, one term differs
    # matched: {فريق,لاعب} J=1 ; {نفط,سعر} vs {نفط,برميل} J=1/3
    assert topic_set_similarity(run_a, run_b) == pytest.approx((1 + 1 / 3) / 2)
    assert stability([run_a, run_a, run_a]) == 1.0
    assert stability([run_a, run_b]) == pytest.approx(2 / 3)


def test_k_sweep_reports_each_k(toy_docs, toy_labels):
    frame = k_sweep(TopicModel(model="nmf", min_df=2, max_df=0.9), toy_docs, [2, 3], seeds=[0, 1],
                    labels=toy_labels)
    assert list(frame["k"]) == [2, 3]
    assert list(frame.columns) == ["k", "npmi", "c_v", "diversity", "stability", "nmi", "ari", "fit_time"]
    assert frame.loc[frame["k"] == 3, "nmi"].item() == pytest.approx(1.0)
    assert frame["stability"].between(0, 1).all()
    assert isinstance(frame, pd.DataFrame)


def _sweep(rows):
    return pd.DataFrame(rows, columns=["k", "npmi", "c_v", "diversity", "stability"])


def test_choose_k_best_mean_of_rescaled_npmi_and_diversity():
    sweep = _sweep([
        (8, 0.20, 0.7, 1.00, 0.9),    # npmi 0.0, diversity 1.0 -> 0.5
        (10, 0.26, 0.7, 0.95, 0.8),   # npmi 1.0, diversity 0.5 -> 0.75 (best)
        (12, 0.23, 0.7, 0.90, 0.7),   # npmi 0.5, diversity 0.0 -> 0.25
    ])
    k, scores = choose_k(sweep)
    assert k == 10
    assert scores.to_dict() == pytest.approx({8: 0.5, 10: 0.75, 12: 0.25})
    # other criteria
    assert choose_k(sweep, criteria=["stability"])[0] == 8
    with pytest.raises(ValueError, match="no column"):
        choose_k(sweep, criteria=["nmi"])


def test_choose_k_ties_go_to_the_smaller_k_and_flat_metrics_count_for_all():
    tie = _sweep([(6, 0.30, 0.7, 0.9, 0.5), (4, 0.20, 0.7, 1.0, 0.5)])   # 0.5 each, listed out of order
    assert choose_k(tie)[0] == 4
    flat = _sweep([(5, 0.2, 0.7, 1.0, 0.5), (9, 0.2, 0.7, 1.0, 0.5)])
    k, scores = choose_k(flat)
    assert k == 5 and scores.tolist() == [1.0, 1.0]
    missing = _sweep([(5, float("nan"), 0.7, 1.0, 0.5), (9, 0.2, 0.7, 1.0, 0.5)])
    assert choose_k(missing)[0] == 9                                      # an unmeasured NPMI counts 0


def test_k_choice_sentence_says_how_k_was_set():
    sweep = _sweep([(8, 0.20, 0.7, 1.00, 0.9), (10, 0.26, 0.7, 0.95, 0.8)])
    chosen = k_choice_sentence(sweep, 10, chosen=True)
    assert chosen == ("The model has k = 10 topics, chosen by the sweep over k = 8, 10: the best mean of NPMI "
                      "coherence and topic diversity, each rescaled to 0-1 across the values tried (at k = 10: NPMI "
                      "coherence 0.260, topic diversity 0.950); ties go to the smaller k. Set n_topics to fix k "
                      "yourself.")
    assert k_choice_sentence(sweep, 8, chosen=False) == (
        "The model has k = 8 topics, as fixed by the n_topics parameter (in the sweep: NPMI coherence 0.200, "
        "topic diversity 1.000); set n_topics = 0 to let the sweep choose.")
    assert "not among the values swept" in k_choice_sentence(sweep, 15, chosen=False)


def test_k_sweep_in_worker_processes_gives_the_same_table(toy_docs, toy_labels):
    model = TopicModel(model="nmf", min_df=2, max_df=0.9)
    one = k_sweep(model, toy_docs, [2, 3], seeds=[0, 1], labels=toy_labels)
    two = k_sweep(model, toy_docs, [2, 3], seeds=[0, 1], labels=toy_labels, n_jobs=2)
    pd.testing.assert_frame_equal(one.drop(columns="fit_time"), two.drop(columns="fit_time"))
