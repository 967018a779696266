import numpy as np
import pandas as pd
import pytest

from arabic_news.stance.tone import (
    ToneScorer,
    actor_tone,
    aggregate_tone,
    lexicon_coverage,
    load_lexicon,
    tone_to_sentiment,
    validate_on_mawqif,
)

# a hand-written toy lexicon; some function words are listed on purpose (real lexicons do: زال، عدم، شديد) to check
# that the rules keep them out of the hits
LEXICON = {"جميل": 1, "نجاح": 1, "ناجح": 1, "نجح": 1, "ممتاز": 1, "ممتازة": 1, "جيد": 1, "فشل": -1, "هجوم": -1,
           "خطير": -1, "سيئ": -1, "ضربة موجعة": -1, "غير مقبول": -1, "زال": -1, "عدم": -0.5, "شديد": -0.5,
           "استقرار": 1}


@pytest.fixture()
def scorer():
    return ToneScorer(lexicon=LEXICON).fit()


def test_plain_hits_and_tone(scorer):
    s = scorer.score("كان اللقاء جميلا ونجاح كبير")
    # 'جميلا' (tanween alef) matches 'جميل'; 'ونجاح' matches 'نجاح' once the proclitic is stripped
    assert (s["pos"], s["neg"], s["n_tokens"], s["n_hits"]) == (2.0, 0.0, 5.0, 2.0)
    assert ToneScorer(lexicon=LEXICON, strip_clitics=False).fit().score("ونجاح")["pos"] == 0.0
    s = scorer.score("اللقاء جميل و نجاح")
    assert (s["pos"], s["neg"], s["n_tokens"]) == (2.0, 0.0, 4.0)
    assert s["tone"] == pytest.approx(50.0)
    s = scorer.score("اللقاء، جميل!")  # punctuation is a boundary, not a word
    assert s["n_tokens"] == 2.0 and s["tone"] == pytest.approx(50.0)


# (sentence, expected sign of the tone: +1, -1, 0) -- each rule on hand-written sentences
SIGN_CASES = [
    ("الاتفاق ناجح", 1),                          # plain positive
    ("الاتفاق غير ناجح", -1),                     # غير negates the adjective
    ("لم يحقق الاتفاق أي نجاح", -1),              # لم ... أي نجاح: نجاح four words on, still in scope
    ("ليس فشلا", 1),                              # negated negative: not negative (tanween alef stripped)
    ("ما زال ناجحا", 1),                          # ما زال = "still": neither negation nor the negative زال
    ("لا يزال الوضع سيئا", -1),                   # لا يزال = "still": سيئ stays negative
    ("نجح الاتفاق لكن التنفيذ فشل", -1),          # contrast: the clause after لكن weighs more
    ("فشل جزئي لكن النتائج ممتازة", 1),
    ("نجح الاتفاق ولكنه فشل", -1),                # ولكنه is a contrast marker too
    ("نجح الاتفاق غير أن التنفيذ فشل", -1),       # غير أن is contrast, not negation
    ("لن ينجح الهجوم", 1),                        # لن negates هجوم (in scope)
    ("ولم يكن هناك هجوم", 1),                     # clitic و on لم
    ("وعدم الاستقرار خطير", -1),                  # عدم negates استقرار; عدم itself is not a hit
    ("لم يكن الأمر سهلا، لكن الحل جيد", 1),        # scope stops at the comma; contrast
    ("لم تتحقق الأهداف المرجوة حتى الآن نجاح", 1), # نجاح six words after لم: out of the 5-word scope
    ("لا خطير بل جيد", 1),                        # بل ends the scope: جيد not negated
    ("لم يحقق الاتفاق إلا النجاح", 1),            # إلا ends the scope ("nothing but success")
    ("ما يحدث في اليمن هجوم", -1),                # ما before an imperfect: relative pronoun, not negation
    ("مما أدى إلى هجوم", -1),                     # مما is never a negator
    ("ما كان الهجوم", 1),                         # ما before كان negates
    ("بدون فشل", 1),                              # بدون
    ("الوضع غير مقبول", -1),                      # a lexicon phrase containing غير is matched whole, not re-negated
    ("قلق شديد", 0),                              # شديد is an intensifier, not a polarity word
    ("لا سيما النجاح", 1),                        # لا سيما = especially, not negation
    ("كلام عادي عن الطقس", 0),                    # no lexicon word
]


@pytest.mark.parametrize(("sentence", "sign"), SIGN_CASES)
def test_rules_give_expected_sign(scorer, sentence, sign):
    assert np.sign(scorer.score(sentence)["tone"]) == sign


def test_negation_scope_window_and_switch(scorer):
    s = scorer.score("لم يحقق الاتفاق أي نجاح")
    assert (s["pos"], s["neg"], s["n_negated"]) == (0.0, 1.0, 1.0)
    # window 3: نجاح (4 words after لم) is out of scope; window 0 switches negation off
    assert ToneScorer(lexicon=LEXICON, negation_window=3).fit().score("لم يحقق الاتفاق أي نجاح")["tone"] > 0
    assert ToneScorer(lexicon=LEXICON, negation_window=0).fit().score("الاتفاق غير ناجح")["tone"] > 0
    # one negation flips a hit once, however many negators precede it
    assert scorer.score("لم يكن هناك عدم نجاح")["n_negated"] == 1.0


def test_intensifiers_multiply_adjacent_hit(scorer):
    plain, post = scorer.score("الاتفاق ناجح"), scorer.score("الاتفاق ناجح جدا")
    assert post["pos"] == pytest.approx(1.5 * plain["pos"]) and post["n_intensified"] == 1.0
    pre = scorer.score("أشد هجوم")  # pre-modifier: the hit after
    assert (pre["neg"], pre["n_intensified"]) == (1.5, 1.0)
    assert scorer.score("فشل ذريع للغاية")["n_intensified"] == 0.0  # not adjacent: not intensified
    assert scorer.score("لم يكن ناجحا جدا")["neg"] == pytest.approx(1.5)  # negated and intensified
    assert ToneScorer(lexicon=LEXICON, intensifier_weight=2.0).fit().score("ناجح جدا")["pos"] == 2.0


def test_contrast_weights(scorer):
    s = scorer.score("نجح الاتفاق لكن التنفيذ فشل")
    assert (s["pos"], s["neg"]) == (0.5, 1.5)
    # contrast stays inside its sentence
    s = scorer.score("نجح الاتفاق. لكن التنفيذ فشل")
    assert (s["pos"], s["neg"]) == (1.0, 1.5)
    flat = ToneScorer(lexicon=LEXICON, contrast_before=1.0, contrast_after=1.0).fit()
    assert flat.score("نجح الاتفاق لكن التنفيذ فشل")["tone"] == 0.0
    assert set(scorer.get_params()) >= {"negation_window", "negation_factor", "intensifier_weight",
                                        "contrast_before", "contrast_after"}


def test_lexicon_coverage(scorer):
    cov = lexicon_coverage(scorer, ["الاتفاق ناجح", "كلام عادي", "ضربة موجعة للفريق", "لا شيء"])
    assert cov["n_sentences"] == 4 and cov["share_sentences_with_hit"] == 0.5
    assert cov["n_words"] == 9 and cov["share_words_in_hits"] == pytest.approx(3 / 9)
    assert cov["n_terms_matched"] == 2 and sum(cov["matched_counts"].values()) == 2


def test_phrase_matched_before_words(scorer):
    s = scorer.score("تلقى الفريق ضربة موجعة")
    assert (s["pos"], s["neg"]) == (0.0, 1.0)


def test_load_lexicon_from_own_format_files(tmp_path):
    (tmp_path / "NileULex_v0.27.csv").write_text(
        "term,polarity,egyptian,msa\nجميل,positive,0,1\nضربة موجعة,compound_neg,0,1\n", encoding="utf-8")
    (tmp_path / "MoArLexSecondIteration.csv").write_text(
        "\ufeffWord,Polarity\nجميل, Negative\nرائع, Positive\nسيئ, Strong Negative\nمتناقض, Positive\n"
        "متناقض, Negative\n", encoding="utf-8")
    stats = {}
    lex = load_lexicon(tmp_path, stats=stats)
    # NileULex wins; MoArLex's own conflicts are dropped; MoArLex hits weigh 0.5 by default
    assert lex == {"جميل": 1, "ضربه موجعه": -1, "رائع": 0.5, "سيئ": -0.5}
    assert load_lexicon(tmp_path, weights={"moarlex": 1.0})["رائع"] == 1.0
    assert stats["moarlex"]["conflicting_dropped"] == 1


def test_actor_tone_and_aggregation(scorer):
    articles = pd.DataFrame({
        "doc_id": ["d1", "d2"], "title": ["", ""], "source": ["okaz", "alriyadh"],
        "date": pd.to_datetime(["2015-07-14", "2015-08-02"]),
        "body": ["الاتفاق نجاح جميل. الهجوم فشل", "لم يكن الاتفاق فشل"],
    })
    split = lambda title, body: [s.strip() for s in body.split(".")]  # noqa: E731
    mentions = pd.DataFrame({"doc_id": ["d1", "d1", "d2", "d9"], "sentence": [0, 1, 0, 0],
                             "actor_id": ["iran", "isis", "iran", "iran"]})
    scored = actor_tone(mentions, articles, scorer, sentence_splitter=split)
    assert scored["status"].tolist() == ["ok", "ok", "ok", "unknown doc_id"]
    # 'الاتفاق نجاح جميل' 2 pos / 3 tokens; 'الهجوم فشل' 2 neg / 2 (الهجوم -> هجوم);
    # 'لم يكن الاتفاق فشل' 1 negated hit -> pos / 4
    assert scored["tone"].tolist()[:3] == pytest.approx([200 / 3, -100.0, 25.0])
    by_actor = aggregate_tone(scored, by="actor").set_index("actor_id")
    assert by_actor.loc["iran", "n_mentions"] == 2
    assert by_actor.loc["iran", "tone"] == pytest.approx((3 - 0) / 7 * 100)
    assert by_actor.loc["iran", "n_articles"] == 2 and by_actor.loc["iran", "n_sentences"] == 2
    assert by_actor.loc["iran", "share_with_lexicon"] == 1.0
    # mean sentence tone with a cluster-robust interval (two articles: t with 1 df); one article: no interval
    assert by_actor.loc["iran", "mean_tone"] == pytest.approx((200 / 3 + 25.0) / 2)
    assert by_actor.loc["iran", "tone_lo"] < by_actor.loc["iran", "mean_tone"] < by_actor.loc["iran", "tone_hi"]
    assert pd.isna(by_actor.loc["isis", "tone_lo"])
    by_month = aggregate_tone(scored, by="month")
    assert sorted(by_month["month"]) == ["2015-07", "2015-08"]
    assert set(aggregate_tone(scored, by="outlet")["source"]) == {"okaz", "alriyadh"}
    pair = aggregate_tone(scored, by="actor_outlet").set_index(["actor_id", "source"])
    assert pair.loc[("iran", "okaz"), "mean_tone"] == pytest.approx(200 / 3)
    empty = aggregate_tone(scored.iloc[:0], by="actor")  # no sentence: an empty table with every column
    assert empty.empty and {"share_with_lexicon", "mean_tone", "tone_lo"} <= set(empty.columns)


def test_tone_to_sentiment_and_validation(scorer):
    assert tone_to_sentiment([-10, 0, 10], -1, 1).tolist() == ["Negative", "Neutral", "Positive"]
    data = pd.DataFrame({"text": ["نجاح جميل"] * 10 + ["فشل هجوم"] * 10 + ["كلام عادي"] * 10,
                         "sentiment": ["Positive"] * 10 + ["Negative"] * 10 + ["Neutral"] * 10})
    res = validate_on_mawqif(scorer, data, tune_fraction=0.2, seed=0)
    assert res["n_tune"] == 6 and res["n_eval"] == 24
    assert res["accuracy"] == 1.0 and res["macro_f1"] == 1.0


def test_scoring_in_forked_processes_gives_the_same_scores(monkeypatch):
    from arabic_news.stance import tone

    scorer = tone.ToneScorer(lexicon={"ناجح": 1.0, "فشل": -1.0}).fit()
    texts = [f"الاتفاق {'غير ' if i % 3 else ''}ناجح لكن التنفيذ فشل {i}" for i in range(40)]
    monkeypatch.setattr(tone, "PARALLEL_MIN_SENTENCES", 10)
    assert tone.score_texts(scorer, texts, n_jobs=2) == [scorer.score(t) for t in texts]
