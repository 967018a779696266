"""A clitic-aware Arabic light stemmer (our own; in the spirit of Larkey et al.'s Light10, made conservative).

Input: a normalised token (see :mod:`arabic_news.text.normalize`), preferably with its teh marbuta still written
ة (``normalize_text(t, teh_marbuta=False)`` and ``marbuta=True``; the 'light' backend does this): ة is then kept
as the feminine ending instead of being confused with the pronoun ه. Output: fully normalised. Steps:

1. proclitics: sequences containing the article (ال، وال، فال، بال، كال، لل، ولل، فلل، وبال، فبال، وكال،
   فكال) are stripped by :func:`~arabic_news.text.clitics.strip_clitics`' conservative rule (2 letters must
   remain after ال/لل, 3 after a longer sequence; a few lexicalised words such as الله, الذي and the
   hamza-initial words that normalisation turned into ال... (الي = إلى, الف = ألف, المانيا) are protected).
   A bare و ف ب ل ك (or وب، ول، فب ...) is stripped only when *word_counts* (type frequencies of a corpus) are
   given and the remainder is at least as frequent as the whole word: وقال -> قال, but وزير, وزارة, وكالة,
   فلسطين, بريطانيا, لبنان stay whole (their remainders زير، زاره، كاله، لسطين ... are rare or unseen);
2. suffixes (up to two, longest first), each with a minimum stem length that must remain:
   ها هم هن كم هما كما (3), ات (3), ية/يه (3), ون ين ان (4), ه (4), ي (4); a final ة is kept.
   So كلمة, مدينة and عربي keep their last letter while كتابه -> كتاب and سياساتها -> سياس (on fully
   normalised input, where ة is already ه, مدينه -> مدين and مدرسه -> مدرس). After a pronoun of two letters
   or more (and after ه when ``marbuta=True``), a final ت (not ات) of a stem of 4+ letters is the teh marbuta:
   كلمتهم -> كلمه and, with ``marbuta=True``, حكومتها -> حكومه and مدرسته -> مدرسه. A root-final ه is
   removed like the pronoun when 4 letters remain (توجيه -> توجي), as in Light10.
3. words shorter than 3 letters, non-Arabic tokens (digits, Latin, punctuation) and protected words are
   returned unchanged.

The result is a surface-oriented stem for indexing and topic models, not a linguistic root.
"""
from __future__ import annotations

from collections.abc import Mapping

from arabic_news.text.clitics import BARE_PROCLITICS, PROTECTED, is_arabic_word, strip_clitics

__all__ = ["light_stem", "SUFFIXES", "PROTECTED_STEMS"]

_TEH_MARBUTA = "ة"
# (suffix, minimum stem length left after removing it), longest first. A final ة (teh marbuta, when the input
# still has it) is never removed, except in the nisba ending ية.
SUFFIXES: tuple[tuple[str, int], ...] = (
    ("هما", 3), ("كما", 3),
    ("ها", 3), ("هم", 3), ("هن", 3), ("كم", 3),
    ("ات", 3), ("ية", 3), ("يه", 3),
    ("ون", 4), ("ين", 4), ("ان", 4),
    ("ه", 4), ("ي", 4),
)
# Pronoun suffixes after which a final ت is a teh marbuta. Not ه on normalised input (ثابته = ثابتة), never ي
# (كويتي).
_PRONOUNS = frozenset({"هما", "كما", "ها", "هم", "هن", "كم"})
# With the teh marbuta still written ة, a final ه is always the pronoun: مدرسته -> مدرسة.
_PRONOUNS_MARBUTA = _PRONOUNS | {"ه"}
# Frequent news words (normalised) that the suffix rules would otherwise cut. Facts written for this project.
PROTECTED_STEMS: frozenset[str] = frozenset({
    "فلسطين", "البحرين", "بحرين", "الصين", "صين", "قانون", "مليون", "ملايين", "تشرين", "حسين", "ياسين",
    "عثمان", "سلمان", "سليمان", "رمضان", "شعبان", "عمران", "لقمان", "اردوغان", "روحاني", "عمان",
    "بيان", "مكان", "زمان", "انسان", "ميدان", "برلمان", "طيران", "سكان", "لبنان", "ايران", "السودان", "سودان",
    "اليابان", "يابان", "باكستان", "افغانستان", "كردستان", "اذربيجان", "تونس", "اليونان", "يونان",
})


def _strip_bare(word: str, counts: Mapping[str, int]) -> str:
    """Strip a bare proclitic (و، ف، ب، ل، ك ...) when the corpus says the remainder is a word of its own."""
    n_word = counts.get(word, 0)
    for p in BARE_PROCLITICS:
        if word.startswith(p):
            rem = word[len(p):]
            if len(rem) >= 3 and counts.get(rem, 0) >= max(n_word, 1):
                return rem
    return word


def light_stem(word: str, *, word_counts: Mapping[str, int] | None = None, marbuta: bool = False) -> str:
    """Light-stem *word* (see the module docstring for the rules); the result is fully normalised.

    *word*: a normalised token. With ``marbuta=True`` its teh marbuta is still written ة (the token is
    normalised except for teh marbuta, as ``normalize_text(w, teh_marbuta=False)`` gives; the 'light' backend
    does this). Then ة is known to be the feminine ending and is kept (مدينة -> مدينه, not مدين "debtor";
    منطقة -> منطقه, not منطق "logic") and a final ه is known to be the pronoun (مدرسته -> مدرسه). On fully
    normalised input (``marbuta=False``) the two cannot be told apart and a final ه is removed when 4 letters
    remain (مدينه -> مدين). *word_counts* (fully normalised type -> count) enables the corpus-checked
    stripping of a bare و ف ب ل ك.

    >>> [light_stem(w) for w in ["والوزراء", "بالمدرسه", "وزير", "بلد", "كلمه", "الله", "كتابه"]]
    ['وزراء', 'مدرس', 'وزير', 'بلد', 'كلمه', 'الله', 'كتاب']
    >>> [light_stem(w, marbuta=True) for w in ["بالمدرسة", "مدرسته", "المنطقة", "كتابه"]]
    ['مدرسه', 'مدرسه', 'منطقه', 'كتاب']
    >>> light_stem("وقال"), light_stem("وقال", word_counts={"قال": 10, "وقال": 4})
    ('وقال', 'قال')
    """
    norm = word.replace(_TEH_MARBUTA, "ه")  # decisions on the normalised spelling, same length
    if len(word) < 3 or norm in PROTECTED or not is_arabic_word(word):
        return norm
    proclitic, rest = strip_clitics(norm)
    if not proclitic and word_counts is not None:
        rest = _strip_bare(norm, word_counts)
    stem = word[len(word) - len(rest):]
    if rest in PROTECTED_STEMS or rest in PROTECTED:
        return rest
    pronouns = _PRONOUNS_MARBUTA if marbuta else _PRONOUNS
    restored = _TEH_MARBUTA if marbuta else "ه"
    for _ in range(2):
        for suffix, min_len in SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= min_len:
                stem = stem[: -len(suffix)]
                if suffix in pronouns and len(stem) >= 4 and stem.endswith("ت") and not stem.endswith("ات"):
                    stem = stem[:-1] + restored  # teh marbuta written ت before a pronoun: كلمتهم -> كلمة
                break
        else:
            break
        if stem.replace(_TEH_MARBUTA, "ه") in PROTECTED_STEMS:
            break
    return stem.replace(_TEH_MARBUTA, "ه")
