"""Turn the bytes of an article file into text, detecting the encoding instead of guessing it.

Order of attempts (the first that succeeds wins):

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-32 LE/BE, UTF-16 LE/BE;
2. NUL bytes without a BOM mean a binary file (rejected), unless the bytes decode as BOM-less UTF-16 to
   mostly-Arabic text without control characters;
3. strict UTF-8;
4. legacy single-byte Arabic encodings: Windows-1256 (and what charset-normalizer proposes), accepted only
   when the decoded text is mostly Arabic letters (:data:`MIN_ARABIC_RATIO_LEGACY`) and has no C0 control
   characters, so that random bytes or a Latin-1 file are not "decoded" into nonsense.

Anything else is rejected as undecodable.
"""
from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

#: Minimum share of Arabic letters among all letters for a legacy (non-Unicode) decoding to be accepted.
MIN_ARABIC_RATIO_LEGACY = 0.6

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Arabic letters (basic block without punctuation, digits, diacritics and tatweel; extended blocks;
# presentation forms) and letters of any other script.
_ARABIC_LETTER_RE = re.compile(
    "[\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]+"
)
_OTHER_LETTER_RE = re.compile("[^\\W\\d_\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
_URLISH_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|@\w+")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text in a supported encoding; ``reason`` is the report's wording."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def arabic_ratio(text: str, *, max_chars: int = 3_000) -> float:
    """Share of Arabic letters among all letters of *text* (0.0 when it has no letters).

    Only the first *max_chars* characters are looked at (enough to tell the language of an article); URLs,
    e-mail addresses and @handles are left out, as their Latin letters say nothing about the language.

    >>> arabic_ratio("الناتو NATO")
    0.6
    """
    sample = text[:max_chars]
    if "http" in sample or "www." in sample or "@" in sample:
        sample = _URLISH_RE.sub(" ", sample)
    arabic = sum(map(len, _ARABIC_LETTER_RE.findall(sample)))  # runs of letters: fewer matches, faster
    letters = arabic + sum(map(len, _OTHER_LETTER_RE.findall(sample)))
    return arabic / letters if letters else 0.0


def _bomless_utf16(data: bytes) -> Decoded | None:
    """UTF-16 without a byte-order mark, accepted only when it decodes to mostly-Arabic text."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL_RE.search(text) and arabic_ratio(text) >= MIN_ARABIC_RATIO_LEGACY:
            return Decoded(text, encoding)
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode *data* (see the module docstring); raises :class:`DecodeError` with a report reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable text: starts with a {encoding} byte-order mark but {exc.reason}") from exc
            return Decoded(text, encoding)
    if b"\x00" in data:
        guess = _bomless_utf16(data)
        if guess is not None:
            return guess
        raise DecodeError("binary file (NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = ["cp1256"]
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None and best.encoding not in candidates:
            candidates.append(best.encoding)
    except Exception as exc:  # pragma: no cover - charset-normalizer is a dependency, but be robust
        logger.debug("charset-normalizer failed: %s", exc)
    best_text, best_enc, best_ratio = None, None, -1.0
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _CONTROL_RE.search(text):
            continue
        ratio = arabic_ratio(text)
        if ratio > best_ratio:
            best_text, best_enc, best_ratio = text, encoding, ratio
    if best_text is not None and best_ratio >= MIN_ARABIC_RATIO_LEGACY:
        return Decoded(best_text, codecs.lookup(best_enc).name)
    raise DecodeError("undecodable text (not UTF-8, UTF-16 with BOM, or Arabic Windows-1256)")
