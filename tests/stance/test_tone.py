import pandas as pd
import pytest

from arabic_news.stance.tone import (
    ToneScorer,
    actor_tone,
    aggregate_tone,
    load_lexicon,
    tone_to_sentiment,
    validate_on_mawqif,
)

LEXICON = {"جميل": 1, "نجاح": 1, "فشل": -1, "هجوم": -1, "ضربة موجعة": -1}


@pytest.fixture()
def scorer():
    return ToneScorer(lexicon=LEXICON, negation_window=3).fit()


def test_plain_hits_and_tone(scorer):
    s = scorer.score("كان اللقاء جميلا ونجاح كبير")
    # 'جميلا' (suffix) is not matched; 'ونجاح' matches 'نجاح' once the proclitic is stripped
    assert (s["pos"], s["neg"], s["n_tokens"]) == (1.0, 0.0, 5.0)
    assert ToneScorer(lexicon=LEXICON, strip_clitics=False).fit().score("ونجاح")["pos"] == 0.0
    s = scorer.score("اللقاء جميل و نجاح")
    assert (s["pos"], s["neg"], s["n_tokens"]) == (2.0, 0.0, 4.0)
    assert s["tone"] == pytest.approx(50.0)


def test_negation_flips_within_window(scorer):
    s = scorer.score("المشروع لم يكن فشل")  # negator 2 tokens before -> flipped to positive
    assert (s["pos"], s["neg"], s["n_negated"]) == (1.0, 0.0, 1.0)
    s = scorer.score("ليس هناك أي سبب حقيقي ل فشل")  # negator 6 tokens before -> not flipped
    assert (s["pos"], s["neg"], s["n_negated"]) == (0.0, 1.0, 0.0)


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
    by_month = aggregate_tone(scored, by="month")
    assert sorted(by_month["month"]) == ["2015-07", "2015-08"]
    assert set(aggregate_tone(scored, by="outlet")["source"]) == {"okaz", "alriyadh"}


def test_tone_to_sentiment_and_validation(scorer):
    assert tone_to_sentiment([-10, 0, 10], -1, 1).tolist() == ["Negative", "Neutral", "Positive"]
    data = pd.DataFrame({"text": ["نجاح جميل"] * 10 + ["فشل هجوم"] * 10 + ["كلام عادي"] * 10,
                         "sentiment": ["Positive"] * 10 + ["Negative"] * 10 + ["Neutral"] * 10})
    res = validate_on_mawqif(scorer, data, tune_fraction=0.2, seed=0)
    assert res["n_tune"] == 6 and res["n_eval"] == 24
    assert res["accuracy"] == 1.0 and res["macro_f1"] == 1.0
