"""Turn the bytes of an article file into text, detecting the encoding instead of guessing it.

Order of attempts (the first that succeeds wins):

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-32 LE/BE, UTF-16 LE/BE;
2. NUL bytes without a BOM mean a binary file (rejected), unless the bytes decode as BOM-less UTF-16 to
   mostly-Arabic text without control characters;
3. strict UTF-8;
4. UTF-8 cut inside its last character (a truncated download or copy): the incomplete 1-3 bytes at the very
   end are dropped and the file is UTF-8, with a note for the report;
5. mixed encodings (typically a UTF-8 file with a Windows-1256 part appended or pasted in): the file is never
   decoded whole in one encoding. It is cut into *segments*: stretches of valid UTF-8 holding Arabic words
   (at least three Arabic letters in a row) stay UTF-8; everything between them is one legacy segment, decoded
   in the single legacy encoding chosen as in step 6 for all legacy segments together, and accepted only when
   that decoding is plausible Arabic. The result is noted (``encoding`` is e.g. ``utf-8+cp1256``). Otherwise
   the file is rejected with a reason — it is never decoded whole in the wrong encoding;
6. legacy single-byte Arabic encodings: Windows-1256, ISO-8859-6 and Mac-Arabic (plus the guess of
   charset-normalizer when it proposes another one). Each candidate decoding is scored by
   :func:`legacy_plausibility`: the share of Arabic letters among letters (:data:`MIN_ARABIC_RATIO_LEGACY`),
   the share of Arabic words that are *well-formed* (only basic Arabic letters and harakat; teh marbuta,
   alef maksura and tanween only at the end of a word; no presentation forms, Latin letters or symbols inside
   the word), and the share of words with the article "ال" (every Arabic news text has many; a wrong code
   page turns "ال" into something else). These three encodings share their letters' byte positions only in
   part, so a wrong one garbles most words and fails; ISO-8859-6 and Mac-Arabic share all their letters, and
   when both are plausible with the same letters, ISO-8859-6 (the standard) is recorded. When two candidates
   are plausible with *different* letters, the file is rejected as ambiguous rather than guessed.

Anything else is rejected as undecodable. :func:`mojibake_kind` detects text that was garbled *before* it
reached us (UTF-8 bytes decoded as Windows-1256 or Latin-1 by some earlier program, then saved as UTF-8):
ingest's language check rejects such text instead of loading it as Arabic.
"""
from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

#: Minimum share of Arabic letters among all letters for a legacy (non-Unicode) decoding to be accepted.
MIN_ARABIC_RATIO_LEGACY = 0.6
#: Minimum share of well-formed words among the Arabic words of a legacy decoding.
MIN_WELL_FORMED_LEGACY = 0.8
#: Two plausible candidates with different letters whose scores differ by less than this: ambiguous.
AMBIGUITY_MARGIN = 0.1
#: Minimum share of words with the article "ال" (alone or after و/ف/ب/ك, or "لل") among well-formed words,
#: checked when the text has at least :data:`MIN_WORDS_FOR_ARTICLE_CHECK` Arabic words.
MIN_ARTICLE_SHARE_LEGACY = 0.05
MIN_WORDS_FOR_ARTICLE_CHECK = 50
#: Legacy encodings tried, in order of preference when two give the same letters.
LEGACY_ENCODINGS = ("cp1256", "iso8859-6", "mac-arabic")
_LEGACY_NAMES = {"cp1256": "Windows-1256", "iso8859-6": "ISO-8859-6", "mac-arabic": "Mac-Arabic"}
#: Characters of a text sample looked at by the legacy scoring and the mojibake check.
SAMPLE_CHARS = 20_000

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
_ODD_SPACE_RE = re.compile("[\xa0\xad\xa4]")
_C1_CONTROL_RE = re.compile("[\x80-\x9f]")  # never in real text; ISO-8859-6 maps 0x80-0x9F to them

# well-formedness of an Arabic word (see legacy_plausibility)
_CORE = "\u0621-\u063a\u0641-\u064a"            # basic Arabic letters (hamza ... yeh)
_HARAKAT = "\u064b-\u0655\u0670"                # tanween, short vowels, shadda, sukun, hamza marks, dagger alef
_ANY_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_WELL_FORMED_RE = re.compile(f"[{_CORE}][{_CORE}{_HARAKAT}\u0640]*")
_MISPLACED_RE = re.compile(  # teh marbuta / alef maksura inside a word; tanween before anything but a final alef
    f"\u0629[{_HARAKAT}]*[{_CORE}]|\u0649[{_HARAKAT}]*[\u0622-\u064a]"
    f"|[\u064b-\u064d][{_HARAKAT}]*(?:[\u0621-\u0626\u0628-\u063a\u0641-\u0648\u064a]|[\u0627\u0649][{_CORE}])"
)
_WORD_SEP_RE = re.compile(r"[-./\\|_]")  # split "د.حمدان", "ص.ب", "أبو-ظبي" into words
_EDGE_PUNCT_RE = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_ARTICLE_RE = re.compile("(?:[\u0648\u0641\u0628\u0643]?\u0627\u0644|\u0644\u0644)[\u0621-\u064a]")
_ARABIC_RUN_RE = re.compile(f"[{_CORE}](?:[{_HARAKAT}\u0640]*[{_CORE}]){{2}}")  # 3 Arabic letters in a row
_SURROGATES_RE = re.compile("([\udc80-\udcff]+)")
# three UTF-8-encoded basic Arabic letters in a row (U+0621-U+064A: D8 A1 .. D9 8A)
_UTF8_ARABIC_RUN_RE = re.compile(rb"(?:\xd8[\xa1-\xbf]|\xd9[\x80-\x95\xb0]){3}")

# mojibake: UTF-8 Arabic (lead bytes D8-DB, then a continuation byte 80-BF) read as Windows-1256 gives a lead
# letter ط ظ ع غ followed by what cp1256 makes of 80-BF; read as Latin-1/Windows-1252 it gives Ø Ù Ú Û + ...
_CONT_1256 = bytes(range(0x80, 0xC0)).decode("cp1256")
_CONT_LATIN = bytes(range(0xA0, 0xC0)).decode("latin-1") + "".join(
    chr(b) for b in range(0x80, 0xA0)) + bytes(b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                                                 ).decode("cp1252")
_MOJIBAKE_1256_RE = re.compile("[\u0637\u0638\u0639\u063a][" + re.escape(_CONT_1256) + "]")
_MOJIBAKE_LATIN_RE = re.compile("[\u00d8\u00d9\u00da\u00db][" + re.escape(_CONT_LATIN) + "]")
MOJIBAKE_REASONS = {
    "cp1256": "mojibake (UTF-8 text decoded as Windows-1256 upstream); re-save as UTF-8",
    "latin-1": "mojibake (UTF-8 text decoded as Latin-1/Windows-1252 upstream); re-save as UTF-8",
}


class DecodeError(ValueError):
    """The bytes are not text in a supported encoding; ``reason`` is the report's wording."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding (``utf-8``, ``cp1256``, ``utf-8+cp1256`` for mixed files, ...) and notes for
    the report (e.g. a dropped truncated tail)."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plausibility:
    """How Arabic a decoding looks (see :func:`legacy_plausibility`)."""

    arabic_ratio: float
    n_words: int          # words holding an Arabic character
    well_formed: float    # share of them that are well-formed Arabic words
    article_share: float  # share of the well-formed words carrying the article ال

    @property
    def plausible(self) -> bool:
        """Arabic enough to be a candidate decoding (thresholds: the ``MIN_*`` constants of this module)."""
        return (self.n_words > 0 and self.arabic_ratio >= MIN_ARABIC_RATIO_LEGACY
                and self.well_formed >= MIN_WELL_FORMED_LEGACY
                and (self.n_words < MIN_WORDS_FOR_ARTICLE_CHECK or self.article_share >= MIN_ARTICLE_SHARE_LEGACY))

    @property
    def score(self) -> float:
        """Well-formed share plus article share: ranks plausible candidates (real Arabic: about 1.2 to 1.4)."""
        return self.well_formed + self.article_share


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


def legacy_plausibility(text: str, *, max_chars: int = SAMPLE_CHARS) -> Plausibility:
    """Score how much *text* (a candidate decoding) looks like real Arabic.

    A word (whitespace-separated, hyphens split, punctuation and digits at its ends removed) that holds an
    Arabic character is *well-formed* when it is made of basic Arabic letters (U+0621-U+064A) with harakat and
    tatweel, starts with a letter, and has teh marbuta / alef maksura only at its end and tanween only at its
    end or before a final alef. A wrong code page puts Latin letters, symbols, presentation forms or
    misplaced letters inside most words.

    >>> p = legacy_plausibility("قال الوزير إن المدرسة جديدة")
    >>> (p.n_words, p.well_formed, p.article_share)
    (5, 1.0, 0.4)
    """
    sample = text[:max_chars]
    n = ok = article = 0
    for word in _WORD_SEP_RE.sub(" ", sample).split():
        if not _ANY_ARABIC_RE.search(word):
            continue
        n += 1
        if not _WELL_FORMED_RE.fullmatch(word):
            word = _EDGE_PUNCT_RE.sub("", word)
            if not _WELL_FORMED_RE.fullmatch(word):
                continue
        if _MISPLACED_RE.search(word):
            continue
        ok += 1
        if _ARTICLE_RE.match(word):
            article += 1
    return Plausibility(arabic_ratio(sample, max_chars=max_chars), n, ok / n if n else 0.0,
                        article / ok if ok else 0.0)


def mojibake_kind(text: str, *, max_chars: int = 3_000) -> str | None:
    """``'cp1256'`` or ``'latin-1'`` when *text* is mostly UTF-8 Arabic that some program decoded as
    Windows-1256 (``ط§ظ„``) or Latin-1/Windows-1252 (``Ø§Ù„``) before it reached us; else None.

    Flagged when at least 3 such pairs occur and they make up at least 40% of the Arabic letters
    (Windows-1256 case) or of all letters (Latin-1 case) in the first *max_chars* characters: real Arabic
    text almost never has ط/ظ/ع/غ followed by the symbols in question.

    >>> mojibake_kind("مرحبا بالعالم".encode("utf-8").decode("cp1256"))
    'cp1256'
    >>> mojibake_kind("مرحبا بالعالم".encode("utf-8").decode("latin-1")), mojibake_kind("مرحبا بالعالم")
    ('latin-1', None)
    """
    sample = text[:max_chars]
    # fast exits: mojibake of any Arabic text has the pairs for ا or ل (ط§ / ظ„, Ø§ / Ù„ or Ù\x84), real text
    # practically never; only then are the pairs counted
    if "\u0637\u00a7" in sample or "\u0638\u201e" in sample:
        pairs = len(_MOJIBAKE_1256_RE.findall(sample))
        if pairs >= 3:
            arabic = sum(map(len, _ARABIC_LETTER_RE.findall(sample)))
            if pairs >= 0.4 * arabic:
                return "cp1256"
    if "\u00d8" not in sample and "\u00d9" not in sample:
        return None
    pairs = len(_MOJIBAKE_LATIN_RE.findall(sample))
    if pairs >= 3:
        letters = sum(map(len, _OTHER_LETTER_RE.findall(sample))) + sum(map(len, _ARABIC_LETTER_RE.findall(sample)))
        if pairs >= 0.4 * letters:
            return "latin-1"
    return None


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


def _legacy_candidates(data: bytes) -> list[str]:
    candidates = list(LEGACY_ENCODINGS)
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None:
            name = codecs.lookup(best.encoding).name
            if name not in candidates and not name.startswith("utf"):
                candidates.append(name)
    except Exception as exc:  # pragma: no cover - charset-normalizer is a dependency, but be robust
        logger.debug("charset-normalizer failed: %s", exc)
    return candidates


def _legacy_name(encoding: str) -> str:
    return _LEGACY_NAMES.get(encoding, encoding)


def detect_legacy(data: bytes) -> str:
    """The legacy single-byte encoding of *data* (see the module docstring, step 6); raises DecodeError when
    none is plausible Arabic or when two plausible ones with different letters score alike."""
    plausible: list[tuple[float, int, str, str]] = []
    for rank, encoding in enumerate(_legacy_candidates(data)):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        sample = text[:SAMPLE_CHARS]
        if _C1_CONTROL_RE.search(sample) or len(_CONTROL_RE.findall(sample)) > 0.01 * len(sample):
            continue
        p = legacy_plausibility(sample)
        if p.plausible:
            plausible.append((p.score, rank, encoding, text))
    if not plausible:
        raise DecodeError("undecodable text (not UTF-8, UTF-16 with BOM, or Arabic in Windows-1256, "
                          "ISO-8859-6 or Mac-Arabic)")
    # candidates with the same letters (e.g. ISO-8859-6 and Mac-Arabic) are one reading: the best-scoring
    # reading wins unless another reading scores within AMBIGUITY_MARGIN of it
    readings: dict[str, list[tuple[float, int, str, str]]] = {}
    for cand in plausible:
        readings.setdefault("".join(_ARABIC_LETTER_RE.findall(cand[3][:SAMPLE_CHARS])), []).append(cand)
    ranked = sorted(readings.values(), key=lambda group: -max(c[0] for c in group))
    best_score = max(c[0] for c in ranked[0])
    rivals = [group for group in ranked[1:] if max(c[0] for c in group) >= best_score - AMBIGUITY_MARGIN]
    if rivals:
        names = " and ".join("/".join(_legacy_name(c[2]) for c in sorted(group, key=lambda c: c[1]))
                             for group in (ranked[0], *rivals))
        raise DecodeError(f"ambiguous legacy encoding ({names} give different plausible Arabic); re-save the "
                          f"file as UTF-8")
    # same letters: the decoding with fewer no-break spaces, soft hyphens and currency signs, then the
    # earlier in LEGACY_ENCODINGS
    return min(ranked[0], key=lambda c: (len(_ODD_SPACE_RE.findall(c[3][:SAMPLE_CHARS])), c[1]))[2]


def _truncated_utf8(data: bytes, exc: UnicodeDecodeError) -> Decoded | None:
    """UTF-8 whose only fault is an incomplete character at the very end."""
    if exc.reason != "unexpected end of data" or exc.end != len(data) or len(data) - exc.start > 3:
        return None
    try:
        text = data[: exc.start].decode("utf-8")
    except UnicodeDecodeError:
        return None
    n = len(data) - exc.start
    return Decoded(text, "utf-8", (f"file ends in the middle of a UTF-8 character: the incomplete last "
                                   f"{n} byte{'s' if n > 1 else ''} dropped",))


def _mixed(data: bytes) -> Decoded | None:
    """Per-segment decoding of UTF-8 mixed with a legacy encoding (module docstring, step 5); None when the
    file holds no UTF-8 Arabic at all (then it is wholly legacy)."""
    if not _UTF8_ARABIC_RUN_RE.search(data):  # fast exit for wholly legacy files
        return None
    pieces = _SURROGATES_RE.split(data.decode("utf-8", "surrogateescape"))  # valid, invalid, valid, ...
    segments: list[tuple[bool, bytes | str, int]] = []  # (is_utf8, text or legacy bytes, byte offset)
    buf: list[str] = []
    offset = buf_start = 0
    for i, piece in enumerate(pieces):
        size = len(piece.encode("utf-8", "surrogateescape"))
        if i % 2 == 0 and _ARABIC_RUN_RE.search(piece):
            if buf:
                segments.append((False, "".join(buf).encode("utf-8", "surrogateescape"), buf_start))
                buf = []
            segments.append((True, piece, offset))
        else:
            if not buf:
                buf_start = offset
            buf.append(piece)
        offset += size
    if buf:
        segments.append((False, "".join(buf).encode("utf-8", "surrogateescape"), buf_start))
    if not any(is_utf8 for is_utf8, _, _ in segments):
        return None
    legacy = [(b, at) for is_utf8, b, at in segments if not is_utf8 and not b.isascii()]  # type: ignore[union-attr]
    n_bytes = sum(len(b) for b, _ in legacy)
    first = legacy[0][1] + next(i for i, c in enumerate(legacy[0][0]) if c >= 0x80)
    try:
        encoding = detect_legacy(b"\n".join(b for b, _ in legacy))
    except DecodeError:
        raise DecodeError(f"mixed encodings: UTF-8 text with {n_bytes} bytes (first at byte {first}) that are "
                          f"neither UTF-8 nor Arabic in Windows-1256, ISO-8859-6 or Mac-Arabic; re-save the "
                          f"file as UTF-8") from None
    text = "".join(x if is_utf8 else x.decode(encoding) for is_utf8, x, _ in segments)  # type: ignore[union-attr]
    note = (f"mixed encodings: {len(legacy)} segment{'s' if len(legacy) > 1 else ''} ({n_bytes} bytes, first at "
            f"byte {first}) decoded as {_legacy_name(encoding)}, the rest as UTF-8")
    return Decoded(text, f"utf-8+{encoding}", (note,))


def decode_bytes(data: bytes) -> Decoded:
    """Decode *data* (see the module docstring); raises :class:`DecodeError` with a report reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if encoding == "utf-8-sig":
                got = _decode_utf8_family(body)
                return Decoded(got.text, "utf-8-sig" if got.encoding == "utf-8" else got.encoding, got.notes)
            try:
                return Decoded(body.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                width = 4 if "32" in encoding else 2
                if exc.end == len(body) and len(body) % width:  # cut inside the last code unit
                    n = len(body) % width
                    try:
                        text = body[: len(body) - n].decode(encoding)
                    except UnicodeDecodeError:
                        text = None
                    if text is not None:
                        return Decoded(text, encoding, (f"file ends in the middle of a {encoding.upper()} "
                                                        f"character: the incomplete last {n} byte"
                                                        f"{'s' if n > 1 else ''} dropped",))
                raise DecodeError(f"undecodable text: starts with a {encoding} byte-order mark but {exc.reason}") from exc
    if b"\x00" in data:
        guess = _bomless_utf16(data)
        if guess is not None:
            return guess
        raise DecodeError("binary file (NUL bytes)")
    return _decode_utf8_family(data)


def _decode_utf8_family(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        truncated = _truncated_utf8(data, exc)
        if truncated is not None:
            return truncated
    mixed = _mixed(data)
    if mixed is not None:
        return mixed
    encoding = detect_legacy(data)
    return Decoded(data.decode(encoding), encoding)
