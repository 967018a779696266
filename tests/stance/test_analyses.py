"""Tone scores and claim matches kept in the analysis store: computed once, reused, and recomputed under a new key
when the lexicon, the gazetteer or the claims file changes."""
from __future__ import annotations

import pandas as pd
import pytest

from arabic_news.actors.gazetteer import Actor, Gazetteer
from arabic_news.corpus.store import AnalysisStore
from arabic_news.stance.analyses import (
    cached_actor_tone,
    cached_claim_tracking,
    file_hash,
    gazetteer_fingerprint,
    tone_fingerprint,
)
from arabic_news.stance.models import ClaimStanceModel
from arabic_news.stance.tone import ToneScorer

from .stance_fixtures import claim_frame

ARTICLES = pd.DataFrame({
    "doc_id": ["a", "b"],
    "title": ["زيارة", "خبر"],
    "body": ["زار وزير الخارجية مصر واللقاء ناجح.", "انتقد المسؤولون في مصر القرار السيئ."],
    "source": ["okaz", "sabq"],
    "date": pd.to_datetime(["2015-07-20", "2015-07-21"]),
})
EGYPT = Actor(id="Q79", name_en="Egypt", name_ar="مصر", type="country", aliases=("مصر",))


@pytest.fixture()
def store(tmp_path):
    ARTICLES.to_parquet(tmp_path / "articles.parquet")
    return AnalysisStore(tmp_path)


def _names(store):
    return sorted((e["name"], e["event"]) for e in store.events())


def test_tone_is_computed_once_then_reused(store):
    scorer = ToneScorer(lexicon={"ناجح": 1.0, "سيئ": -1.0}).fit()
    gaz = Gazetteer([EGYPT])
    first = cached_actor_tone(store, ARTICLES, scorer, params={"sample_size": 0}, gazetteer=gaz)
    again = cached_actor_tone(store, ARTICLES, scorer, params={"sample_size": 0}, gazetteer=gaz)
    assert list(first["actor_id"]) == ["Q79", "Q79"] and list(first["doc_id"]) == ["a", "b"]
    assert [t > 0 for t in first["tone"]] == [True, False]
    pd.testing.assert_frame_equal(first, again)
    # the mentions come from the corpus' actor_mentions entry (shared with the topics and actors pages)
    assert _names(store) == [("actor_mentions", "computed"), ("tone_sentences", "computed"),
                             ("tone_sentences", "reused")]
    # another lexicon, another gazetteer: new entries, not the stale one
    other = ToneScorer(lexicon={"ناجح": 1.0}).fit()
    assert tone_fingerprint(other) != tone_fingerprint(scorer)
    cached_actor_tone(store, ARTICLES, other, params={"sample_size": 0}, gazetteer=gaz)
    bigger = Gazetteer([EGYPT, Actor(id="Q1", name_en="X", name_ar="وزير الخارجية", type="person",
                                     aliases=("وزير الخارجية",))])
    assert gazetteer_fingerprint(bigger) != gazetteer_fingerprint(gaz)
    assert [e["event"] for e in store.events()][-1] == "computed"


def _reliability(related: float, cutoff: float):
    from arabic_news.stance.calibration import ClaimReliability
    from arabic_news.stance.reliability import ReliabilityThresholds

    def entry(t):
        return {"threshold": t, "precision": 0.8, "recall": 0.5, "n_predicted": 30, "reached": True}

    th = ReliabilityThresholds(precision_target=0.7, min_support=20, related=entry(related),
                               labels={lab: entry(0.0) for lab in ("agree", "disagree", "discuss")})
    return ClaimReliability(thresholds=th, cutoff={"cutoff": cutoff, "recall_target": 0.9}, model_sha256="m1", cv={})


def test_claim_matches_keyed_by_the_claims_file_and_the_thresholds(store, tmp_path):
    df = claim_frame()
    model = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr").fit(
        df[["claim", "article"]], df["stance"])
    claims_file = tmp_path / "claims.yaml"
    claims_file.write_text("- id: egypt\n  claim: وزير الخارجية زار مصر\n", encoding="utf-8")
    claims = pd.DataFrame({"claim_id": ["egypt"], "claim": ["وزير الخارجية زار مصر"]})
    from arabic_news.stance.claims import ClaimRetriever

    def run(reliability):
        return cached_claim_tracking(store, claims, ARTICLES, model, params={"sample_size": 0},
                                     claims_hash=file_hash(claims_file), model_hash="m1", reliability=reliability,
                                     max_per_claim=2000, retriever=ClaimRetriever(use_embeddings=False))

    rel = _reliability(0.0, 0.1)
    first, again = run(rel), run(rel)
    assert list(first.by_claim["claim_id"]) == ["egypt"] and first.by_claim["n_classified"].iloc[0] >= 1
    pd.testing.assert_frame_equal(first.by_outlet, again.by_outlet)
    pd.testing.assert_frame_equal(first.by_claim, again.by_claim)
    run(_reliability(0.99, 0.1))  # another related threshold: a new entry
    run(_reliability(0.0, 0.2))   # another retrieval cut-off: a new entry
    claims_file.write_text("- id: egypt\n  claim: وزير الخارجية لم يزر مصر\n", encoding="utf-8")
    run(rel)
    assert [e["event"] for e in store.events() if e["name"] == "claim_matches"] == \
        ["computed", "reused", "computed", "computed", "computed"]


def test_tone_summary_is_computed_once_and_counts_what_the_rules_change(store):
    from arabic_news.stance.analyses import cached_tone_summary

    scorer = ToneScorer(lexicon={"ناجح": 1.0, "سيئ": -1.0}).fit()
    texts = ["الاتفاق ناجح", "الاتفاق غير ناجح", "لا شيء هنا"]
    scores = scorer.score_many(texts)
    sentences = pd.DataFrame({"sentence_text": texts, "tone": scores["tone"], "n_negated": scores["n_negated"]})
    first = cached_tone_summary(store, sentences, scorer, params={"sample_size": 0})
    again = cached_tone_summary(store, sentences, scorer, params={"sample_size": 0})
    assert first == again
    assert first["coverage"]["n_sentences"] == 3
    assert first["coverage"]["share_sentences_with_hit"] == pytest.approx(2 / 3)
    # "غير ناجح" is negative with the rules, positive for a plain count: one sentence in three changes sign
    assert first["rules"] == {"negated": pytest.approx(1 / 3), "sign_changed": pytest.approx(1 / 3)}
    assert [e["event"] for e in store.events() if e["name"] == "tone_summary"] == ["computed", "reused"]


def test_tone_summary_rescores_a_seeded_sample_of_a_large_table(store):
    from arabic_news.stance.analyses import cached_tone_summary

    scorer = ToneScorer(lexicon={"ناجح": 1.0}).fit()
    texts = [f"الاتفاق ناجح {i}" if i % 2 else f"خبر {i}" for i in range(50)]
    scores = scorer.score_many(texts)
    sentences = pd.DataFrame({"sentence_text": texts, "tone": scores["tone"], "n_hits": scores["n_hits"],
                              "n_negated": scores["n_negated"]})
    got = cached_tone_summary(store, sentences, scorer, params={"s": 1}, max_sentences=10)
    assert got["coverage"]["n_rescored"] == 10 and got["coverage"]["n_sentences"] == 50
    assert got["coverage"]["share_sentences_with_hit"] == 0.5   # counted on every sentence, not the sample
    assert got == cached_tone_summary(store, sentences, scorer, params={"s": 1}, max_sentences=10)
