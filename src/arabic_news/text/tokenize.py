"""Word tokenisation. camel-tools' ``simple_word_tokenize`` is the reference; :func:`tokenize_fast` reproduces it.

How ``simple_word_tokenize`` (camel-tools 1.6.0, ``camel_tools/tokenizers/word.py``) works: the text is split
on Python whitespace (``str.split()``); inside each piece it walks left to right and, at each position, matches
its emoji/symbol regex ``_SYMBOLS_RE``. When the match is a member of ``_SYMBOLS_ALL`` (every Unicode
punctuation or symbol character, plus every emoji sequence known to the ``emoji`` package) the match becomes a
token of its own and the text before it (if any) another; otherwise it moves on by one character.
Digits, Latin letters, marks and ZWNJ therefore stay glued to the letters around them ("A380", "2015م").

The fast path: outside emoji sequences, the match at a character does not depend on what follows it, so the
procedure is the same as "every character of the set EMIT is a token; maximal runs of other non-space
characters are tokens", one compiled regex. EMIT is computed here from camel-tools' own ``_SYMBOLS_RE`` and
``_SYMBOLS_ALL`` (a single character that ``_SYMBOLS_RE`` matches by itself and that is in ``_SYMBOLS_ALL``),
so it follows camel-tools' and the ``emoji`` package's versions. The match can depend on the next character
only after an emoji character followed by an emoji modifier, VS16 (U+FE0F), ZWJ (U+200D) or a tag character,
or on a regional-indicator pair (flags). Text with none of U+FE0F, U+200D or any astral character (emoji,
modifiers, flags and tags are all astral) takes the regex path; otherwise each whitespace-separated piece that
holds one of them is handed to camel-tools' own function, so the output is identical by construction;
``tests/text/test_tokenize.py`` checks it on the whole seed-layout sample, on hand-written edge cases
(punctuation, digits, Latin, emoji, flags, keycaps, odd whitespace) and on 3,000 random tricky strings.

:func:`tokenize_with_spans` gives the same tokens with their character offsets (the actor matcher uses it).
"""
from __future__ import annotations

import re
from itertools import accumulate

import regex
from camel_tools.tokenizers import word as _camel_word
from camel_tools.tokenizers.word import simple_word_tokenize

from arabic_news.text.normalize import normalize_text

__all__ = ["tokenize", "tokenize_fast", "tokenize_with_spans", "normalize_tokens", "EMIT_CHARS"]


def tokenize(text: str) -> list[str]:
    """Split *text* into words and punctuation, exactly as camel-tools' ``simple_word_tokenize``."""
    return simple_word_tokenize(text)


def _char_class(chars) -> str:
    """A regex character class body matching exactly *chars* (compressed into ranges)."""
    cps = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = chr(cps[i]), chr(cps[j])
        parts.append(re.escape(lo) if i == j else f"{re.escape(lo)}-{re.escape(hi)}")
        i = j + 1
    return "".join(parts)


def _emit_chars() -> frozenset[str]:
    symbols_re = _camel_word._SYMBOLS_RE
    symbols_all = _camel_word._SYMBOLS_ALL
    out = set()
    for s in symbols_all:
        if len(s) != 1:
            continue
        m = symbols_re.match(s)
        if m is not None and m[0] == s:
            out.add(s)
    return frozenset(out)


EMIT_CHARS: frozenset[str] = _emit_chars()
"""Characters that ``simple_word_tokenize`` always turns into a token of their own (outside emoji sequences)."""

_BMP = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
_SPACE_CHARS = frozenset(c for c in _BMP if c.isspace())  # (no astral character is whitespace)
_BMP_EMIT = frozenset(c for c in EMIT_CHARS if ord(c) < 0x10000)
_EMIT_BMP_CLASS = _char_class(_BMP_EMIT)
_SPACE_CLASS = _char_class(_SPACE_CHARS)
# For text made of BMP characters only. (Python's `re` matches a BMP-only class with a bitmap; a class that also
# holds astral characters falls back to a linear scan of thousands of ranges, ~15x slower.)
_TOKEN_BMP_RE = re.compile(f"[{_EMIT_BMP_CLASS}]|[^{_EMIT_BMP_CLASS}{_SPACE_CLASS}]+")

# Anything that can start or continue an emoji sequence whose tokenisation depends on context: every emoji
# modifier, regional indicator and tag character is astral; VS16 (U+FE0F) and ZWJ (U+200D) are the only BMP
# continuation characters of camel-tools' _SYMBOLS_RE. A piece of text without any of these is tokenised by
# _TOKEN_BMP_RE exactly as by simple_word_tokenize; a piece with one goes to simple_word_tokenize itself.
_SLOW_RE = re.compile("[\uFE0F\u200D\U00010000-\U0010FFFF]")

# camel-tools' keycap alternative ([0-9*#]\u20e3) is only unreachable because these are all \p{Emoji}; check it.
assert all(regex.match(r"\p{Emoji}", c) for c in "0123456789*#"), "unexpected Unicode data in `regex`"
assert not regex.search(r"[\p{EMod}\p{RI}]", _BMP), "unexpected Unicode data in `regex`"


def tokenize_fast(text: str) -> list[str]:
    """Same tokens as :func:`tokenize` (camel-tools' ``simple_word_tokenize``), about 10x faster."""
    if _SLOW_RE.search(text) is None:
        return _TOKEN_BMP_RE.findall(text)
    tokens: list[str] = []
    for piece in text.split():
        if _SLOW_RE.search(piece) is None:
            tokens.extend(_TOKEN_BMP_RE.findall(piece))
        else:
            tokens.extend(simple_word_tokenize(piece))
    return tokens


# the token regex as a capturing split: [gap, token, gap, token, ..., gap] (gaps are whitespace only)
_SPLIT_RE = re.compile(f"({_TOKEN_BMP_RE.pattern})")
_NON_SPACE_RE = re.compile(r"\S+")  # `re`'s \s is str.isspace, as in str.split()


def tokenize_with_spans(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every token of :func:`tokenize`: ``text[start:end] == token`` and the tokens
    are exactly ``tokenize(text)``.

    >>> tokenize_with_spans("قال: «نعم»")
    [('قال', 0, 3), (':', 3, 4), ('«', 5, 6), ('نعم', 6, 9), ('»', 9, 10)]
    """
    if _SLOW_RE.search(text) is None:
        parts = _SPLIT_RE.split(text)
        ends = list(accumulate(map(len, parts)))  # token i spans ends[2 * i] .. ends[2 * i + 1]
        return list(zip(parts[1::2], ends[0::2], ends[1::2]))
    out: list[tuple[str, int, int]] = []
    for piece in _NON_SPACE_RE.finditer(text):
        base, chunk = piece.start(), piece.group()
        if _SLOW_RE.search(chunk) is None:
            out.extend((m.group(), base + m.start(), base + m.end()) for m in _TOKEN_BMP_RE.finditer(chunk))
            continue
        pos = 0
        for tok in simple_word_tokenize(chunk):  # camel-tools' tokens are consecutive substrings of the piece
            at = chunk.index(tok, pos)
            out.append((tok, base + at, base + at + len(tok)))
            pos = at + len(tok)
    return out


def normalize_tokens(text: str) -> list[str]:
    """Normalise *text* (:func:`~arabic_news.text.normalize.normalize_text`) then tokenise it (fast tokenizer).

    Identical to ``simple_word_tokenize(normalize_text_camel(text))``.

    >>> normalize_tokens("قالَ الوزيرُ: «إنّ الاتفاقَ تمّ»")
    ['قال', 'الوزير', ':', '«', 'ان', 'الاتفاق', 'تم', '»']
    """
    return tokenize_fast(normalize_text(text))
