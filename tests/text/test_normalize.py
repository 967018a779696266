"""arabic_news.text.normalize: each letter class, diacritics, tatweel, Unicode; fast path == camel-tools."""
from __future__ import annotations

import itertools

import pytest

from arabic_news.corpus import DatasetNotAvailable, dataset_path
from arabic_news.text import normalize_text, normalize_text_camel

OPTIONS = ("unicode", "dediacritize", "tatweel", "alef", "alef_maksura", "teh_marbuta")

# hand-written edge cases: every normalised letter class, all nine diacritics, tatweel runs, presentation forms,
# the two characters camel-tools fixes before NFKC, Latin, digits, emoji, mixed scripts and odd whitespace
TRICKY = [
    "",
    "أحمد إبراهيم آمال ٱلرحمن",
    "مستشفى على إلى حتى",
    "مدرسة المملكة العربية السعودية",
    "مُحَمَّدٌ كَتَبَ رِسَالَةً، وَقَرَأَهَا ٱلْوَزِيرُ",
    "بِسْمِ ٱللَّٰهِ",                                  # superscript alef U+0670
    "الـــــمـــدرســـة  ـ  كـتـاب",
    "ﻻ ﺍﻟﺴﻼﻡ ﷲ ﷺ",                                     # presentation forms (NFKC)
    "السعر 100 ﷼ ﷽",                                   # rial sign, bismillah ligature
    "ＡＢＣ １２３ ２٠١٥ ٣٫٥٪",
    "ؤ ئ ء ة ى ـ",
    "رائع👍🏽 🇸🇦 1️⃣",
    "e\u0301 café ﬁ ½ ²",
    "line1\r\nline2\u00a0\u2003\u200c\u200d",
    "ـ",
    "ًٌٍَُِّْٰ",
]

EXPECTED = [
    ("أحمد إبراهيم آمال ٱلرحمن", "احمد ابراهيم امال الرحمن"),
    ("مستشفى على إلى حتى", "مستشفي علي الي حتي"),
    ("مدرسة المملكة العربية السعودية", "مدرسه المملكه العربيه السعوديه"),
    ("مُحَمَّدٌ كَتَبَ رِسَالَةً، وَقَرَأَهَا ٱلْوَزِيرُ", "محمد كتب رساله، وقراها الوزير"),
    ("بِسْمِ ٱللَّٰهِ", "بسم الله"),
    ("الـــــمـــدرســـة  ـ  كـتـاب", "المدرسه    كتاب"),
    ("ﻻ ﺍﻟﺴﻼﻡ", "لا السلام"),
    ("السعر 100 ﷼", "السعر 100 ريال"),
    ("﷽", "بسم الله الرحمن الرحيم"),
    ("ＡＢＣ １２３ ٣٫٥٪", "ABC 123 ٣٫٥٪"),
    ("ؤ ئ ء ة ى", "ؤ ئ ء ه ي"),
    ("ًٌٍَُِّْٰ", ""),
]


@pytest.mark.parametrize(("raw", "expected"), EXPECTED)
def test_normalize_text_exact(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize_text_camel(raw) == expected


def test_options_switch_single_steps_off():
    s = "أُمَّةٌ عَلَى الــطَّرِيق"
    assert normalize_text(s) == "امه علي الطريق"
    assert normalize_text(s, alef=False) == "أمه علي الطريق"
    assert normalize_text(s, teh_marbuta=False) == "امة علي الطريق"
    assert normalize_text(s, alef_maksura=False) == "امه على الطريق"
    assert normalize_text(s, tatweel=False) == "امه علي الــطريق"
    assert normalize_text(s, dediacritize=False) == "اُمَّهٌ عَلَي الطَّرِيق"
    assert normalize_text("ﻻ", unicode=False) == "ﻻ"


@pytest.mark.parametrize("flags", list(itertools.product([True, False], repeat=len(OPTIONS))))
def test_fast_path_equals_camel_composition_for_every_option_combination(flags):
    kwargs = dict(zip(OPTIONS, flags))
    for s in TRICKY:
        assert normalize_text(s, **kwargs) == normalize_text_camel(s, **kwargs), (s, kwargs)


def _seed_texts() -> list[str]:
    try:
        root = dataset_path("seed_format_saudinewsnet")
    except DatasetNotAvailable as exc:
        pytest.skip(f"seed-layout sample not available: {exc}")
    files = sorted(root.glob("*.txt"))
    if not files:
        pytest.skip(f"no .txt files in {root}")
    return [f.read_text(encoding="utf-8") for f in files]


def test_fast_path_equals_camel_on_whole_seed_sample():
    texts = _seed_texts()
    assert len(texts) >= 2000
    mismatches = [i for i, t in enumerate(texts) if normalize_text(t) != normalize_text_camel(t)]
    assert mismatches == []
    # two non-default combinations as well
    for kwargs in ({"alef": False, "teh_marbuta": False}, {"unicode": False, "tatweel": False}):
        assert all(normalize_text(t, **kwargs) == normalize_text_camel(t, **kwargs) for t in texts[:500])
