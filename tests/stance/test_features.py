import pandas as pd
import pytest

from arabic_news.stance.features import (
    EvidenceSelector,
    PairFeatures,
    difference_tokens,
    lexical_pair_features,
    normalize_for_features,
    numbers_in,
    split_sentences,
)


def test_negation_cue_features():
    f = lexical_pair_features("الوزير يزور الأردن غدا", "الوزير لن يزور الأردن غدا")
    assert f["neg_a"] == 0.0 and f["neg_b"] == 1.0
    assert f["neg_mismatch"] == 1.0 and f["neg_diff"] == 1.0
    assert f["tok_jaccard"] == pytest.approx(4 / 5)
    assert f["a_cover"] == 1.0 and f["b_cover"] == pytest.approx(4 / 5)


def test_negator_with_proclitic_and_denial_cue():
    f = lexical_pair_features("الحكومة أعلنت الخطة", "ولم تعلن الحكومة الخطة بل نفت ذلك")
    assert f["neg_b"] == 1.0  # ولم
    assert f["contra_b"] == 1.0 and f["contra_a"] == 0.0  # نفت


def test_number_mismatch():
    f = lexical_pair_features("مقتل 5 أشخاص", "مقتل ٧ أشخاص")
    assert f["num_a"] == 1.0 and f["num_b"] == 1.0
    assert f["num_mismatch"] == 1.0 and f["num_only_one"] == 0.0 and f["num_jaccard"] == 0.0
    g = lexical_pair_features("مقتل ٥ أشخاص", "مقتل 5 أشخاص")
    assert g["num_mismatch"] == 0.0 and g["num_jaccard"] == 1.0
    h = lexical_pair_features("مقتل 5 أشخاص", "مقتل أشخاص")
    assert h["num_only_one"] == 1.0 and h["num_mismatch"] == 0.0


def test_numbers_in_normalises_digits():
    assert numbers_in("ارتفع ١٢٫٥ أو 12,5 و 2015") == frozenset({"12.5", "2015"})
    assert numbers_in("لا أرقام") == frozenset()


def test_normalize_for_features():
    assert normalize_for_features("إلى الـــمدرسةِ، @user https://x.co ١٢") == "الي المدرسه 12"


def test_difference_tokens():
    assert difference_tokens("الوزير يزور مصر", "الوزير لن يزور مصر") == "B_لن"


def test_split_sentences():
    text = "هذا خبر عن الحرب في اليمن. وقال المتحدث إن الحرب لن تنتهي قريبا! قصير\nسطر جديد فيه أربع كلمات"
    assert split_sentences(text) == ["هذا خبر عن الحرب في اليمن.", "وقال المتحدث إن الحرب لن تنتهي قريبا!",
                                     "سطر جديد فيه أربع كلمات"]


def test_evidence_selector_picks_claim_sentence():
    article = ("افتتح معرض الكتاب في العاصمة اليوم. ارتفعت درجات الحرارة في الصيف كثيرا. "
               "وأعلنت الحكومة رفع أسعار الوقود بنسبة كبيرة. وفاز الفريق في المباراة أمس مساء.")
    X = pd.DataFrame({"claim": ["الحكومة أعلنت رفع أسعار الوقود"], "article": [article]})
    sel = EvidenceSelector(k=1, use_embeddings=False).fit(X)
    E = sel.transform(X)
    assert E.loc[0, "evidence_sentences"] == ["وأعلنت الحكومة رفع أسعار الوقود بنسبة كبيرة."]
    assert E.loc[0, "sim_max_tfidf"] > E.loc[0, "sim_mean_tfidf"] > 0


def test_pair_features_shape_and_names():
    X = pd.DataFrame({"s1": ["ارتفاع أسعار النفط", "الوزير يزور مصر"], "s2": ["أسعار النفط ترتفع", "لن يزور الوزير مصر"]})
    pf = PairFeatures(use_embeddings=False).fit(X)
    F = pf.transform(X)
    names = list(pf.get_feature_names_out())
    assert F.shape == (2, len(names))
    assert F[1, names.index("neg_mismatch")] == 1.0
    assert 0 < F[0, names.index("tfidf_word_cos")] < 1


def test_entity_mismatch_uses_the_actor_gazetteer():
    f = lexical_pair_features("إيران توقع الاتفاق في فيينا", "تركيا توقع الاتفاق في فيينا")
    if f["ent_a"] == 0.0:
        pytest.skip("actor gazetteer not available")
    assert f["ent_a"] == 2.0 and f["ent_b"] == 2.0  # (Iran, Vienna) vs (Turkey, Vienna)
    assert f["ent_mismatch"] == 2.0 and f["ent_jaccard"] == pytest.approx(1 / 3)
    g = lexical_pair_features("إيران توقع الاتفاق", "تركيا توقع الاتفاق", entities=False)
    assert g["ent_mismatch"] == 0.0


def test_relatedness_features_related_article():
    from arabic_news.stance.features import relatedness_features

    claim = "روسيا تقصف مدينة حلب في 2016"
    article = ("قصفت طائرات روسيا مدينة حلب صباح اليوم. وقال ناشطون إن القصف في 2016 كان الأعنف.\n"
               "وفي سياق آخر ارتفعت أسعار النفط.")
    f = relatedness_features(claim, article, entities=False)
    # claim content words: روسيا تقصف مدينه حلب 2016 -> all but تقصف are in the article
    assert f["rel_cover"] == pytest.approx(4 / 5) and f["rel_cover_idf"] == pytest.approx(4 / 5)
    assert f["rel_max_sent_cover"] == pytest.approx(3 / 5)  # first sentence: روسيا مدينه حلب
    assert f["rel_bigram_cover"] == pytest.approx(1 / 4)  # only (مدينه, حلب) appears as a phrase
    assert f["rel_best_sent_pos"] == 0.0
    assert f["rel_claim_has_num"] == 1.0 and f["rel_num_found"] == 1.0
    assert f["rel_claim_n_ent"] == 0.0  # entities=False


def test_relatedness_features_unrelated_article_and_idf_weights():
    from arabic_news.stance.features import RELATEDNESS_FEATURES, relatedness_features, relatedness_matrix

    claim = "روسيا تقصف مدينة حلب"
    unrelated = "ارتفعت أسعار النفط في الأسواق العالمية اليوم. وتراجع الدولار أمام اليورو."
    f = relatedness_features(claim, unrelated, entities=False)
    assert f["rel_cover"] == 0.0 and f["rel_max_sent_cover"] == 0.0 and f["rel_num_found"] == 0.0
    # idf weighting: the rare word (حلب) found, the common one (مدينه) missing -> weighted cover > plain cover
    g = relatedness_features("مدينة حلب", "وصل الوفد إلى حلب أمس", idf={"مدينه": 1.0, "حلب": 3.0},
                             entities=False)
    assert g["rel_cover"] == pytest.approx(1 / 2) and g["rel_cover_idf"] == pytest.approx(3 / 4)
    M = relatedness_matrix([claim, claim], [unrelated, "روسيا تقصف حلب"], entities=False)
    assert M.shape == (2, len(RELATEDNESS_FEATURES)) and M[1, 0] > M[0, 0]
