"""Tokens of the text pipeline with spans in the ORIGINAL text, through normalisation (arabic_news.explore.spans)."""
from __future__ import annotations

import pytest

from arabic_news.explore.index import article_text
from arabic_news.explore.spans import chunk_token_spans, token_spans
from arabic_news.text import normalize_tokens

from explore_fixtures import ARTICLES, text_of

TRICKY = [
    "قالَ الوزيـــرُ: «نعم»، 2015م A380 ﻻ…",
    "العِرَاقِ والـــعـراق",
    "ا\u064e\u0654حمد قال",            # alef, fatha, hamza above: composes across the (deleted) fatha
    "كلمة\u00a0أخرى ـ ـــ",          # no-break space; lone tatweel (deleted, no token)
    "﷽ و﷼ 12.5% e\u0301t\u00e9",      # one character that becomes four words; rial sign; decomposed é
    "رأى 😀👍🏽 نعم🇸🇦 ‏مرحبا",            # emoji, skin tone, flag; a right-to-left mark
    "",
    "   \n\n  ",
]


def _triples(text: str) -> list[tuple[str, int, int]]:
    ts = token_spans(text)
    return [(tok, int(s), int(e)) for tok, s, e in zip(ts.tokens, ts.start, ts.end)]


@pytest.mark.parametrize("text", TRICKY + [text_of(d) for d, *_ in ARTICLES])
def test_tokens_are_the_pipelines(text):
    """Exactly normalize_tokens' tokens (the index keeps ة, the pipeline writes ه: the only difference)."""
    assert [t.replace("ة", "ه") for t in token_spans(text).tokens] == normalize_tokens(text)


@pytest.mark.parametrize("text", TRICKY + [text_of(d) for d, *_ in ARTICLES])
def test_every_span_normalises_to_its_token(text):
    from arabic_news.text import normalize_text

    for tok, s, e in _triples(text):
        assert 0 <= s < e <= len(text)
        # the original characters of the span normalise to a string that holds the token
        assert tok.replace("ة", "ه") in normalize_text(text[s:e])


def test_hand_written_spans():
    text = "قالَ الوزيـــرُ: «نعم»، 2015م A380 ﻻ…"
    # قالَ: 0-3 letters + the fatha at 3 (a final diacritic belongs to the word); الوزيـــرُ: 5..14 with three
    # tatweels and a damma; ﻻ (one presentation-form character) becomes لا; … becomes three full stops that
    # all point at the one original character
    assert _triples(text) == [
        ("قال", 0, 4), ("الوزير", 5, 15), (":", 15, 16), ("«", 17, 18), ("نعم", 18, 21), ("»", 21, 22),
        ("،", 22, 23), ("2015م", 24, 29), ("A380", 30, 34), ("لا", 35, 36), (".", 36, 37), (".", 36, 37),
        (".", 36, 37),
    ]
    assert [text[s:e] for _, s, e in _triples(text)][:2] == ["قالَ", "الوزيـــرُ"]


def test_diacritics_tatweel_and_teh_marbuta():
    text = "العِرَاقِ والـــعـراق كلمةٌ"
    assert _triples(text) == [("العراق", 0, 9), ("والعراق", 10, 21), ("كلمة", 22, 27)]
    assert text[10:21] == "والـــعـراق"


def test_composition_across_a_deleted_mark_falls_back_to_whole_pieces():
    text = "ا\u064e\u0654حمد قال"  # NFKC composes ا + ٔ into أ across the fatha, which normalisation deletes
    ts = token_spans(text)
    assert ts.coarse
    assert _triples(text) == [("احمد", 0, 6), ("قال", 7, 10)]


def test_expansion_and_no_break_space():
    text = "﷽ كلمة\u00a0أخرى"
    assert _triples(text) == [("بسم", 0, 1), ("الله", 0, 1), ("الرحمن", 0, 1), ("الرحيم", 0, 1),
                              ("كلمة", 2, 6), ("اخري", 7, 11)]


def test_latin_digits_and_emoji():
    text = "NATO في 2021م 😀 A380"
    assert _triples(text) == [("NATO", 0, 4), ("في", 5, 7), ("2021م", 8, 13), ("😀", 14, 15), ("A380", 16, 20)]


def test_chunk_equals_text_by_text():
    texts = TRICKY + [text_of(d) for d, *_ in ARTICLES]
    spans, doc, _ = chunk_token_spans(texts)
    expected = [(i, tok, s, e) for i, t in enumerate(texts) for tok, s, e in _triples(t)]
    got = [(int(d), tok, int(s), int(e)) for d, tok, s, e in zip(doc, spans.tokens, spans.start, spans.end)]
    assert got == expected


def test_article_text_is_the_actor_extractors():
    from arabic_news.actors.extract import article_text as actors_article_text

    for title, body in [("عنوان", "سطر\nسطر"), ("", "نص فقط"), (None, None), ("  عنوان  ", ""), ("ع", None)]:
        assert article_text(title, body) == actors_article_text(title, body)
