"""Arabic proclitics: conjunctions و ف, prepositions ب ل ك, the article ال, and their combinations.

Works on NORMALISED tokens (the output of :func:`~arabic_news.text.normalize_tokens`: no diacritics or
tatweel, إأآٱ -> ا, ى -> ي, ة -> ه).

- :func:`clitic_candidates` lists every plausible (proclitic, remainder) split of a token, for a matcher that
  checks remainders against a lexicon (a gazetteer): ``'وبالرياض'`` -> ``('', 'وبالرياض')``,
  ``('و', 'بالرياض')``, ``('وب', 'الرياض')``, ``('وبال', 'رياض')``. For ``لل`` (ل + ال with the alef
  elided) the article is also restored: ``'للرياض'`` -> ``('ل', 'الرياض')``.
- :func:`strip_clitics` makes ONE conservative decision. Without a lexicon it strips only proclitic
  sequences that contain the article (ال، وال، بال، وبال، لل، ولل ...), and only when a plausible word
  remains (at least 2 letters after ال or لل, at least 3 after a longer sequence such as وال or بال); a bare
  و ف ب ل ك is never stripped, because too many words begin with those letters (وزير، فلسطين، بريطانيا،
  لبنان، كلمة). With a lexicon it returns the first candidate (shortest proclitic first) whose remainder is
  in the lexicon, which also handles bare و ف ب ل ك (``'ومصر'`` -> ``('و', 'مصر')`` when مصر is known).
"""
from __future__ import annotations

from collections.abc import Container

__all__ = ["PROCLITICS", "ARTICLE_PROCLITICS", "clitic_candidates", "strip_clitics", "is_arabic_word"]

ARTICLE = "ال"
# Proclitic sequences that contain the definite article, longest first.
ARTICLE_PROCLITICS: tuple[str, ...] = (
    "وبال", "فبال", "وكال", "فكال",   # conj + prep + article
    "ولل", "فلل",                      # conj + li + article (alef elided)
    "وال", "فال", "بال", "كال",        # conj or prep + article
    "لل",                              # li + article (alef elided)
    "ال",
)
# Proclitic sequences without the article, longest first.
BARE_PROCLITICS: tuple[str, ...] = ("وب", "فب", "وك", "فك", "ول", "فل", "و", "ف", "ب", "ل", "ك")
PROCLITICS: tuple[str, ...] = tuple(sorted(ARTICLE_PROCLITICS + BARE_PROCLITICS, key=lambda p: (-len(p), p)))

# Normalised words that begin like a proclitic sequence but are units of their own (mostly words whose
# hamza-alef was normalised to ا, so that إلى/ألف/ألمانيا now start with "ال"). Written for this project.
PROTECTED: frozenset[str] = frozenset({
    "الله", "اللهم", "لله", "بالله", "والله", "فالله", "تالله",
    "الذي", "التي", "الذين", "اللذان", "اللتان", "اللذين", "اللتين", "اللاتي", "اللواتي", "اللائي",
    "الي", "اليه", "اليها", "اليهم", "اليهما", "اليهن", "اليك", "اليكم", "الينا", "الا", "الان",
    "الف", "الفا", "الفين", "الاف", "الم", "اله", "الهه", "المانيا", "الماني", "المانيه", "البانيا",
    "الزام", "الزاميه", "الغاء", "العاب", "الوان", "القي", "القاء", "الهام", "الكتروني", "الكترونيه",
    "الكترونيا", "اليات",
})

_ARABIC_LETTERS = frozenset("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيٱپچڤگ")


def is_arabic_word(token: str) -> bool:
    """True when *token* is made of Arabic letters only."""
    return bool(token) and all(c in _ARABIC_LETTERS for c in token)


def _min_remainder(proclitic: str) -> int:
    """Letters that must remain after stripping *proclitic* for the conservative rule."""
    return 2 if proclitic in ("ال", "لل") else 3


def clitic_candidates(token: str, *, min_remainder: int = 2) -> list[tuple[str, str]]:
    """Every plausible ``(proclitic, remainder)`` split of normalised *token*, shortest proclitic first.

    The first item is always ``('', token)``. Remainders shorter than *min_remainder* letters are skipped.
    After ``لل``/``ولل``/``فلل`` the elided alef of the article is also restored (``('ل', 'الرياض')``).
    Non-Arabic tokens (digits, Latin, punctuation) only get ``('', token)``.
    """
    if not is_arabic_word(token):
        return [("", token)]
    found: list[tuple[int, int, str, str]] = [(0, 0, "", token)]  # (proclitic length, rank, proclitic, rest)
    for p in PROCLITICS:
        if not token.startswith(p):
            continue
        rem = token[len(p):]
        if len(rem) < min_remainder:
            continue
        if p.endswith("لل"):  # ل + ال with the alef elided: restore the article (ranked first)
            found.append((len(p) - 1, 0, p[:-1], ARTICLE + rem))
        found.append((len(p), 1, p, rem))
    found.sort(key=lambda t: (t[0], t[1]))
    out: list[tuple[str, str]] = []
    for _, _, p, rem in found:
        if (p, rem) not in out:
            out.append((p, rem))
    return out


def strip_clitics(token: str, lexicon: Container[str] | None = None) -> tuple[str, str]:
    """Split normalised *token* into ``(proclitic, remainder)``, conservatively; ``('', token)`` if nothing.

    >>> strip_clitics("وبالمملكه")
    ('وبال', 'مملكه')
    >>> strip_clitics("وزير"), strip_clitics("الله"), strip_clitics("الي")
    (('', 'وزير'), ('', 'الله'), ('', 'الي'))
    >>> strip_clitics("ومصر"), strip_clitics("ومصر", lexicon={"مصر"})
    (('', 'ومصر'), ('و', 'مصر'))
    """
    if lexicon is not None:
        for p, rem in clitic_candidates(token):
            if rem in lexicon:
                return p, rem
    if token in PROTECTED or not is_arabic_word(token):
        return "", token
    for p in ARTICLE_PROCLITICS:
        if token.startswith(p):
            rem = token[len(p):]
            if len(rem) >= _min_remainder(p):
                return p, rem
    return "", token
