"""arabic_news.text.clitics: proclitic candidates and conservative stripping on normalised tokens."""
from __future__ import annotations

import pytest

from arabic_news.text import clitic_candidates, normalize_text, strip_clitics

STRIP = [
    ("وبالمملكة", ("وبال", "مملكه")),
    ("بالرياض", ("بال", "رياض")),
    ("والوزير", ("وال", "وزير")),
    ("فالقرار", ("فال", "قرار")),
    ("كالبحر", ("كال", "بحر")),
    ("للمملكة", ("لل", "مملكه")),
    ("وللمملكة", ("ولل", "مملكه")),
    ("الحج", ("ال", "حج")),          # two letters after ال are enough
    ("بالحج", ("", "بالحج")),         # ... but not after بال
    ("والي", ("", "والي")),           # governor: not و + ال + ي
    ("وزير", ("", "وزير")),           # a bare و/ف/ب/ل/ك is never stripped without a lexicon
    ("بريطانيا", ("", "بريطانيا")),
    ("فلسطين", ("", "فلسطين")),
    ("لبنان", ("", "لبنان")),
    ("كلمة", ("", "كلمه")),
    ("ومصر", ("", "ومصر")),
    ("الله", ("", "الله")),
    ("لله", ("", "لله")),
    ("الذي", ("", "الذي")),
    ("إلى", ("", "الي")),             # إلى normalised: not the article
    ("ألمانيا", ("", "المانيا")),
    ("A380", ("", "A380")),
    ("2015", ("", "2015")),
    ("،", ("", "،")),
]


@pytest.mark.parametrize(("word", "expected"), STRIP)
def test_strip_clitics_conservative(word, expected):
    assert strip_clitics(normalize_text(word)) == expected


def test_strip_clitics_with_lexicon():
    lexicon = {"مصر", "الرياض", "بريطانيا", "فلسطين", "المملكه"}
    assert strip_clitics("ومصر", lexicon) == ("و", "مصر")
    assert strip_clitics("وبالرياض", lexicon) == ("وب", "الرياض")
    assert strip_clitics("للمملكه", lexicon) == ("ل", "المملكه")   # ل + ال with the alef restored
    assert strip_clitics("بريطانيا", lexicon) == ("", "بريطانيا")  # the whole word is known: nothing stripped
    assert strip_clitics("لفلسطين", lexicon) == ("ل", "فلسطين")
    assert strip_clitics("والوزير", lexicon) == ("وال", "وزير")     # not in lexicon: conservative rule


def test_clitic_candidates():
    assert clitic_candidates("وبالرياض") == [("", "وبالرياض"), ("و", "بالرياض"), ("وب", "الرياض"), ("وبال", "رياض")]
    assert clitic_candidates("للرياض") == [("", "للرياض"), ("ل", "الرياض"), ("ل", "لرياض"), ("لل", "رياض")]
    assert clitic_candidates("ومصر") == [("", "ومصر"), ("و", "مصر")]
    assert clitic_candidates("بلد") == [("", "بلد"), ("ب", "لد")]
    assert clitic_candidates("بلد", min_remainder=3) == [("", "بلد")]
    assert clitic_candidates("A380") == [("", "A380")]
