"""arabic_news.text.tokenize: camel-tools' simple_word_tokenize and the fast tokenizer that must equal it."""
from __future__ import annotations

import random

import pytest

from arabic_news.corpus import DatasetNotAvailable, dataset_path
from arabic_news.text import normalize_text_camel, normalize_tokens, tokenize, tokenize_fast, tokenize_with_spans
from arabic_news.text.tokenize import EMIT_CHARS

CASES = [
    ("Hello,    world!!!", ["Hello", ",", "world", "!", "!", "!"]),
    ("قال: «نعم»، ثم غادر؟", ["قال", ":", "«", "نعم", "»", "،", "ثم", "غادر", "؟"]),
    # digits stay glued to letters; a decimal point and per cent split
    ("عام 2015م بنسبة 3.5% و٢٠١٥", ["عام", "2015م", "بنسبة", "3", ".", "5", "%", "و٢٠١٥"]),
    ("٣٫٥٪", ["٣", "٫", "٥", "٪"]),
    ("طائرة A380 من Airbus-Boeing", ["طائرة", "A380", "من", "Airbus", "-", "Boeing"]),
    ("U.S.A. و م.ت.ف", ["U", ".", "S", ".", "A", ".", "و", "م", ".", "ت", ".", "ف"]),
    ("#وسم *نجمة* @حساب http://t.co/x_y",
     ["#", "وسم", "*", "نجمة", "*", "@", "حساب", "http", ":", "/", "/", "t", ".", "co", "/", "x", "_", "y"]),
    ("(العربية) [مؤتمر] {x} ـــ", ["(", "العربية", ")", "[", "مؤتمر", "]", "{", "x", "}", "ـــ"]),
    # emoji: modifier sequence, flag, keycap, ZWJ family, VS16 heart; a lone regional indicator
    ("رائع👍🏽!", ["رائع", "👍🏽", "!"]),
    ("السعودية🇸🇦", ["السعودية", "🇸🇦"]),
    ("رقم 1️⃣ و1⃣", ["رقم", "1️⃣", "و1⃣"]),
    ("عائلة👨\u200d👩\u200d👧 سعيدة", ["عائلة", "👨\u200d👩\u200d👧", "سعيدة"]),
    ("👍👍🏽❤️", ["👍", "👍🏽", "❤️"]),
    ("🇸🇦🇦", ["🇸🇦", "🇦"]),
    ("x😀y", ["x", "😀", "y"]),
    # ZWNJ / ZWJ inside words are not separators; odd separators are
    ("می\u200cخواهم", ["می\u200cخواهم"]),
    ("1\u200d2 \u200dمن", ["1\u200d2", "\u200dمن"]),
    ("©\u200d😀", ["©\u200d", "😀"]),  # camel-tools' quirk: a failed emoji sequence leaves © glued to the ZWJ
    ("a\u00a0b\u2003c\u3000d\x1ce", ["a", "b", "c", "d", "e"]),
    ("ﷺ ﷻ", ["ﷺ", "ﷻ"]),
    ("", []),
    ("   \n\t ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tokenize_exact(text, expected):
    assert tokenize(text) == expected
    assert tokenize_fast(text) == expected


def test_fast_equals_camel_on_random_tricky_strings():
    alphabet = list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئىةـًٌٍَُِّْٰ") + list("abcXYZ0123456789٠١٢٣٫٪") + \
        list(".,;:!?؟،؛«»()[]{}-_/\\'\"#*@%&+=<>|~^$€£﷼") + \
        [" ", "  ", "\n", "\t", "\u00a0", "\u2003", "\u200c", "\u200d", "\ufe0f", "\u20e3", "\x1c"] + \
        ["😀", "👍", "🏽", "🇸", "🇦", "❤", "©", "®", "™", "‼", "ℹ", "Ⓜ", "\U000e0067", "\U000e007f", "🏴", "👨"]
    rng = random.Random(20150721)
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert tokenize_fast(s) == tokenize(s), repr(s)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tokenize_with_spans_gives_the_same_tokens_and_their_offsets(text, expected):
    spans = tokenize_with_spans(text)
    assert [t for t, _, _ in spans] == expected
    assert all(text[a:b] == t for t, a, b in spans)
    assert all(b1 <= a2 for (_, _, b1), (_, a2, _) in zip(spans, spans[1:]))


def test_tokenize_with_spans_exact_offsets():
    assert tokenize_with_spans(" قال: «نعم»\n") == [("قال", 1, 4), (":", 4, 5), ("«", 6, 7), ("نعم", 7, 10),
                                                     ("»", 10, 11)]
    assert tokenize_with_spans("تحية 👍🏽 من") == [("تحية", 0, 4), ("👍🏽", 5, 7), ("من", 8, 10)]


def test_tokenize_with_spans_on_random_tricky_strings():
    alphabet = list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئىةـًٌٍَُِّْٰ") + list("abc0123456789٫٪") + \
        list(".,;:!?؟،«»()-_/#*@%") + [" ", "  ", "\n", "\u00a0", "\u200c", "\u200d", "\ufe0f", "\u20e3"] + \
        ["😀", "👍", "🏽", "🇸", "🇦", "❤", "©", "\U000e0067", "🏴"]
    rng = random.Random(20261201)
    for _ in range(1000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        spans = tokenize_with_spans(s)
        assert [t for t, _, _ in spans] == tokenize(s), repr(s)
        assert all(s[a:b] == t for t, a, b in spans), repr(s)


def test_emit_chars_are_punctuation_symbols_or_emoji():
    assert {",", "،", "؟", "«", "%", "٪", "٫", "$", "﷼"} <= EMIT_CHARS
    assert not ({"ا", "a", "1", "٣", "\u200c", "\u200d", "ـ"} & EMIT_CHARS)


def test_normalize_tokens():
    expected = ["قال", "الوزير", ":", "«", "ان", "الاتفاق", "تم", "»"]
    assert normalize_tokens("قالَ الوزيرُ: «إنّ الاتفاقَ تمّ»") == expected
    assert normalize_tokens("مستشفى الـمدينة، ٢٠١٥") == ["مستشفي", "المدينه", "،", "٢٠١٥"]


def test_fast_tokenizer_identical_to_camel_on_whole_seed_sample():
    try:
        root = dataset_path("seed_format_saudinewsnet")
    except DatasetNotAvailable as exc:
        pytest.skip(f"seed-layout sample not available: {exc}")
    files = sorted(root.glob("*.txt"))
    if not files:
        pytest.skip(f"no .txt files in {root}")
    assert len(files) >= 2000
    n_tokens = 0
    for f in files:
        text = f.read_text(encoding="utf-8")
        ref = tokenize(text)
        assert tokenize_fast(text) == ref, f.name
        assert normalize_tokens(text) == tokenize(normalize_text_camel(text)), f.name
        n_tokens += len(ref)
    assert n_tokens > 500_000
