"""The text pipeline's tokens with their character spans in the ORIGINAL text, vectorised.

The index must hold exactly the tokens of :func:`arabic_news.text.normalize_tokens` (normalise the whole text,
then tokenise) and, for each, the span of the original article text it comes from, so that a concordance line
shows the words as the outlet wrote them (diacritics, tatweel, letter variants). Normalisation changes character
offsets: it deletes diacritics and tatweel, and NFKC can expand one character into several (ﻻ -> لا, … -> ...,
﷽ -> بسم الله الرحمن الرحيم) or compose several into one (ا + ٔ -> أ). So the text is cut into *units* whose
normalisations, concatenated, give the normalised text exactly:

* a unit normally is ONE character: every character that NFKC leaves as it is, that nothing composes with, and
  that normalisation maps to one character (the letter maps أ إ آ ٱ -> ا, ى -> ي) or deletes (diacritics,
  tatweel);
* any other character (presentation forms, NBSP, ligatures, astral characters, marks that compose) opens a unit
  that runs up to the next safe character, and that unit is normalised on its own.

The concatenation is checked against ``normalize_text`` of the whole text (a vectorised comparison). In the
rare case the check fails (a composition across a unit boundary), the text falls back to coarser units, the
whitespace-separated pieces, which are exact because nothing composes across a space.

A token's span then runs from the first original character of the unit that produced its first normalised
character to the end of the unit of its last one, extended over the deleted characters that follow it directly
(a final diacritic or tatweel belongs to the word: ``"الوزيرُ"``). Tokens produced by one unit share its span
(the three full stops of ``…`` all point at ``…``). ``text[start:end]`` is therefore what the reader sees.

Tokens are returned with the teh marbuta still written ة (``normalize_text(text, teh_marbuta=False)``), which
the light stemmer needs; replacing ة by ه gives ``normalize_tokens`` exactly (same characters, same splits).
"""
from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache

import numpy as np

from arabic_news.text.normalize import normalize_text
from arabic_news.text.tokenize import _SLOW_RE, _SPLIT_RE, tokenize_with_spans  # the tokenizer's own regexes

logger = logging.getLogger(__name__)

__all__ = ["TokenSpans", "token_spans", "chunk_token_spans"]

_BMP = 0x10000
_TEH_MARBUTA, _HEH = "\u0629", "\u0647"


def _norm(text: str) -> str:
    """The normalisation of the index: everything but the teh marbuta map (the light stemmer needs ة)."""
    return normalize_text(text, teh_marbuta=False)


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per BMP code point: ``simple`` (a one-character unit: NFKC-stable and normalised to 0 or 1 character),
    ``boundary`` (a unit may start here), ``out_len`` (0 or 1 for simple characters) and ``out_cp`` (the
    character it becomes)."""
    seconds: set[int] = set()  # characters that compose with a preceding one (canonical pairs, Hangul V/T jamo)
    for cp in range(0x110000):
        dec = unicodedata.decomposition(chr(cp))
        if dec and not dec.startswith("<"):
            parts = dec.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    seconds.update(range(0x1161, 0x1176))
    seconds.update(range(0x11A8, 0x11C3))
    simple = np.zeros(_BMP, dtype=bool)
    boundary = np.zeros(_BMP, dtype=bool)
    out_len = np.zeros(_BMP, dtype=np.int64)
    out_cp = np.zeros(_BMP, dtype=np.uint32)
    for cp in range(_BMP):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        if cp in seconds:
            continue
        first = unicodedata.normalize("NFKD", c)[:1] or c
        if unicodedata.combining(c) == 0 and unicodedata.combining(first) == 0 and ord(first) not in seconds:
            boundary[cp] = True  # a starter that cannot combine with what precedes it
        if unicodedata.normalize("NFKC", c) != c or cp in (0xFDFC, 0xFDFD):
            continue
        out = _norm(c)
        if len(out) > 1:
            continue
        simple[cp] = True
        out_len[cp] = len(out)
        out_cp[cp] = ord(out) if out else 0
        if not out:
            boundary[cp] = True  # a deleted mark (diacritic) is a unit of its own
    return simple, boundary, out_len, out_cp


class TokenSpans:
    """Tokens of one text (or of several texts joined by a newline) with original-text spans.

    ``tokens``: list of str (normalised, ة kept); ``start``/``end``: int64 arrays of original-text offsets;
    ``norm_start``: offsets into the normalised text; ``coarse``: whether the whitespace fallback was used.
    """

    __slots__ = ("tokens", "start", "end", "norm_start", "coarse")

    def __init__(self, tokens, start, end, norm_start, coarse=False):
        self.tokens, self.start, self.end, self.norm_start, self.coarse = tokens, start, end, norm_start, coarse

    def __len__(self) -> int:
        return len(self.tokens)


def _units(text: str, cps: np.ndarray, coarse: bool):
    """Unit starts, unit lengths, the normalised length of each unit and the special units' outputs."""
    n = len(cps)
    simple, boundary, out_len_t, _ = _tables()
    bmp = cps < _BMP
    idx = np.where(bmp, cps, 0)
    if coarse:  # every whitespace character is a unit, every run of other characters one unit
        space = np.fromiter((c.isspace() for c in text), dtype=bool, count=n)
        is_bound = np.empty(n, dtype=bool)
        is_bound[1:] = space[1:] | space[:-1]
    else:
        space = None
        is_bound = boundary[idx] & bmp
    is_bound[0] = True
    starts = np.flatnonzero(is_bound)
    lens = np.diff(np.append(starts, n))
    special = (lens != 1) | ~(simple[idx[starts]] & bmp[starts])
    if space is not None:
        special |= ~space[starts]
    out_len = np.where(special, 0, out_len_t[idx[starts]])
    outputs = {}
    for u in np.flatnonzero(special).tolist():
        s = int(starts[u])
        out = _norm(text[s:s + int(lens[u])])
        out_len[u] = len(out)
        outputs[u] = out
    return starts, lens, out_len, outputs


def _verify(norm: str, cps: np.ndarray, starts, out_len, outputs) -> bool:
    """Whether the units' outputs, concatenated, are exactly *norm*."""
    _, _, _, out_cp = _tables()
    if int(out_len.sum()) != len(norm):
        return False
    pos = np.cumsum(out_len) - out_len
    norm_cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    single = (out_len == 1)
    if outputs:
        single[np.fromiter(outputs, dtype=np.int64, count=len(outputs))] = False
    first = cps[starts[single]]
    if not np.array_equal(norm_cps[pos[single]], out_cp[np.where(first < _BMP, first, 0)]):
        return False
    return all(norm[pos[u]:pos[u] + len(out)] == out for u, out in outputs.items())


def _split_tokens(norm: str):
    """Tokens of the normalised text with their offsets: exactly ``tokenize_with_spans`` (hence ``tokenize``),
    computed like it (one capturing split of the tokenizer's own regex) but with the offsets as arrays."""
    if _SLOW_RE.search(norm) is None:
        parts = _SPLIT_RE.split(norm)  # [gap, token, gap, token, ..., gap]
        ends = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
        return parts[1::2], ends[0:-1:2], ends[1::2]
    spans = tokenize_with_spans(norm)  # emoji sequences: camel-tools' own tokenizer on those pieces
    if not spans:
        return [], np.zeros(0, np.int64), np.zeros(0, np.int64)
    tokens, s, e = zip(*spans)
    return list(tokens), np.fromiter(s, np.int64, len(spans)), np.fromiter(e, np.int64, len(spans))


def token_spans(text: str, *, norm: str | None = None, _coarse: bool = False) -> TokenSpans:
    """The tokens of ``normalize_tokens(text)`` (teh marbuta kept as ة) and their spans in *text*.

    >>> ts = token_spans("قالَ الوزيـــرُ: «نعم»")
    >>> ts.tokens
    ['قال', 'الوزير', ':', '«', 'نعم', '»']
    >>> [("قالَ الوزيـــرُ: «نعم»")[s:e] for s, e in zip(ts.start, ts.end)]
    ['قالَ', 'الوزيـــرُ', ':', '«', 'نعم', '»']
    """
    if not text:
        return TokenSpans([], np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    if norm is None:
        norm = _norm(text)
    tokens, ns, ne = _split_tokens(norm)
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(norm) == len(text) and norm == text:  # nothing changed: spans are the normalised offsets
        return TokenSpans(tokens, ns, ne, ns)
    coarse = _coarse
    starts, lens, out_len, outputs = _units(text, cps, coarse)
    # without special units the output is the per-character map by construction; otherwise check it
    if outputs and not _verify(norm, cps, starts, out_len, outputs):
        if coarse:  # pragma: no cover - exact by construction (nothing composes across whitespace)
            raise AssertionError("normalisation of whitespace-separated pieces does not concatenate")
        logger.debug("unit alignment failed; falling back to whitespace pieces")
        coarse = True
        starts, lens, out_len, outputs = _units(text, cps, coarse)
        if not _verify(norm, cps, starts, out_len, outputs):  # pragma: no cover
            raise AssertionError("normalisation of whitespace-separated pieces does not concatenate")
    if not tokens:
        return TokenSpans(tokens, ns, ne, ns, coarse)
    owner = np.repeat(np.arange(len(starts)), out_len)  # unit of each normalised character
    ends_u = starts + lens
    start = starts[owner[ns]]
    end = ends_u[owner[ne - 1]]
    nxt = np.where(ne < len(norm), starts[owner[np.minimum(ne, len(norm) - 1)]], len(text))
    end = np.maximum(end, nxt)
    return TokenSpans(tokens, start, end, ns, coarse)


def chunk_token_spans(texts: list[str]) -> tuple[TokenSpans, np.ndarray, np.ndarray]:
    """:func:`token_spans` of several texts at once (joined by ``"\\n"``, which no token crosses).

    Returns ``(spans, doc, text_start)``: the spans (offsets into each text), the text index of each token and
    the offset of each text in the joined string. A text whose normalisation cannot be aligned unit by unit is
    redone on its own with the whitespace fallback.
    """
    joined = "\n".join(texts)
    # normalised text by text: NFKC's slow path then only runs on the texts that need it
    norm = "\n".join(map(_norm, texts))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    text_start = np.cumsum(lengths + 1) - lengths - 1
    ts = token_spans(joined, norm=norm)
    if ts.coarse and len(texts) > 1:  # redo text by text: only the culprits get coarse units
        parts = [token_spans(t) for t in texts]
        tokens = [tok for p in parts for tok in p.tokens]
        counts = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
        doc = np.repeat(np.arange(len(texts)), counts)
        cat = (lambda name: np.concatenate([getattr(p, name) for p in parts])
               if parts else np.zeros(0, np.int64))
        return TokenSpans(tokens, cat("start"), cat("end"), cat("norm_start"), True), doc, text_start
    doc = np.searchsorted(text_start, ts.start, side="right") - 1
    ts.start = ts.start - text_start[doc]
    ts.end = ts.end - text_start[doc]
    return ts, doc, text_start
