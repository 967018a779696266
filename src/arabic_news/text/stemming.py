"""A clitic-aware Arabic light stemmer (our own; in the spirit of Larkey et al.'s Light10, made conservative).

Input: a NORMALISED token (see :mod:`arabic_news.text.normalize`). Steps:

1. proclitics: sequences containing the article (ال، وال، فال، بال، كال، لل، ولل، فلل، وبال، فبال، وكال،
   فكال) are stripped by :func:`~arabic_news.text.clitics.strip_clitics`' conservative rule (2 letters must
   remain after ال/لل, 3 after a longer sequence; a few lexicalised words such as الله, الذي and the
   hamza-initial words that normalisation turned into ال... (الي = إلى, الف = ألف, المانيا) are protected).
   A bare و ف ب ل ك (or وب، ول، فب ...) is stripped only when *word_counts* (type frequencies of a corpus) are
   given and the remainder is at least as frequent as the whole word: وقال -> قال, but وزير, وزارة, وكالة,
   فلسطين, بريطانيا, لبنان stay whole (their remainders زير، زاره، كاله، لسطين ... are rare or unseen);
2. suffixes (up to two, longest first), each with a minimum stem length that must remain:
   ها هم هن كم هما كما (3), ات (3), يه (3, ية after normalisation), ون ين ان (4), ه (4, also ة), ي (4).
   So كلمة (كلمه) and عربي keep their last letter while مدرسة -> مدرس and سياساتها -> سياس. After a
   pronoun of two letters or more, a final ت (not ات) of a stem of 4+ letters is the teh marbuta (كلمتهم -> كلمه,
   حكومتها -> حكوم via حكومه), as the normalised text writes it ه.
3. words shorter than 3 letters, non-Arabic tokens (digits, Latin, punctuation) and protected words are
   returned unchanged.

The result is a surface-oriented stem for indexing and topic models, not a linguistic root.
"""
from __future__ import annotations

from collections.abc import Mapping

from arabic_news.text.clitics import BARE_PROCLITICS, PROTECTED, is_arabic_word, strip_clitics

__all__ = ["light_stem", "SUFFIXES", "PROTECTED_STEMS"]

# (suffix, minimum stem length left after removing it), longest first.
SUFFIXES: tuple[tuple[str, int], ...] = (
    ("هما", 3), ("كما", 3),
    ("ها", 3), ("هم", 3), ("هن", 3), ("كم", 3),
    ("ات", 3), ("يه", 3),
    ("ون", 4), ("ين", 4), ("ان", 4),
    ("ه", 4), ("ي", 4),
)
# Pronoun suffixes after which a final ت is a teh marbuta (normalised: ه). Not ه or ي: ثابته, كويتي.
_PRONOUNS = frozenset({"هما", "كما", "ها", "هم", "هن", "كم"})
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


def light_stem(word: str, *, word_counts: Mapping[str, int] | None = None) -> str:
    """Light-stem normalised *word* (see the module docstring for the rules).

    >>> [light_stem(w) for w in ["والوزراء", "بالمدرسة".replace("ة", "ه"), "وزير", "بلد", "كلمه", "الله"]]
    ['وزراء', 'مدرس', 'وزير', 'بلد', 'كلمه', 'الله']
    >>> light_stem("وقال"), light_stem("وقال", word_counts={"قال": 10, "وقال": 4})
    ('وقال', 'قال')
    """
    if len(word) < 3 or word in PROTECTED or not is_arabic_word(word):
        return word
    proclitic, stem = strip_clitics(word)
    if not proclitic and word_counts is not None:
        stem = _strip_bare(word, word_counts)
    if stem in PROTECTED_STEMS or stem in PROTECTED:
        return stem
    for _ in range(2):
        for suffix, min_len in SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= min_len:
                stem = stem[: -len(suffix)]
                if suffix in _PRONOUNS and len(stem) >= 4 and stem.endswith("ت") and not stem.endswith("ات"):
                    stem = stem[:-1] + "ه"  # teh marbuta written ت before a pronoun: كلمتهم -> كلمه
                break
        else:
            break
        if stem in PROTECTED_STEMS:
            break
    return stem
