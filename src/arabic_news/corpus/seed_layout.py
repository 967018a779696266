"""Parsing article text: the seed layout, HTML remnants and paragraph recovery.

The seed layout (``../shared/seed/``) is one article per file::

    <title line>
    <blank line>
    <body: paragraphs joined by ", " where each paragraph ends with a full stop, so joins read "., ">

:func:`parse_seed_text` recovers the title and the paragraphs. It tolerates CRLF/CR line ends, a missing
blank line after the title, leading blank lines, bodies spread over several lines (each line is a paragraph
group) and HTML tags/entities (entities decoded first, then block tags become paragraph breaks and the rest is
stripped, so that an entity-encoded tag such as ``&lt;img ...&gt;`` is removed, never stored as live markup).
Ordinary commas (``,`` or ``،``) inside a paragraph are never split on: only a full stop followed by a comma
and a space is a paragraph join, and the full stop stays with its paragraph.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

_NEWLINES_RE = re.compile(r"\r\n?|[\u2028\u2029\x85]")
#: A tag, an entity, or an entity for ``<``/``>`` written without its semicolon (browsers decode ``&lt`` too).
_HTML_HINT_RE = re.compile(
    r"<[A-Za-z/!][^<>]*>|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z]{2,8});|&(?:#0*6[02]|#[xX]0*3[cCeE]|[lLgG][tT])"
)
_BLOCK_TAG_RE = re.compile(r"<\s*(?:br|/?p|/?div|/?li|/?h[1-6]|/?tr|/?blockquote)\b[^<>]*>", re.IGNORECASE)
_SCRIPT_OPEN_RE = re.compile(r"<(script|style)\b", re.IGNORECASE)
_SCRIPT_CLOSE_RE = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in ("script", "style")}
_WORD_RE = re.compile(r"[^\W_]")
_TAG_RE = re.compile(r"<[A-Za-z/!][^<>]*>")
#: What is left of a tag after stripping: ``<`` followed by what starts a tag in HTML (ASCII letter, / ! ?).
_TAG_OPEN_RE = re.compile(r"<(?=[A-Za-z/!?])")
#: Decode-and-strip passes of :func:`strip_html` (2 for ordinary HTML; each further one peels a layer of
#: entity encoding or of tags nested inside tags). Bounded so that a crafted file costs a few linear passes.
MAX_HTML_PASSES = 8
#: A paragraph join of the seed layout: a full stop, then a comma (Latin or Arabic) and whitespace.
PARAGRAPH_JOIN_RE = re.compile(r"(?<=\.)[,\u060c][ \t\u00a0]+")


class LayoutError(ValueError):
    """The text is not an article in the seed layout; ``reason`` is the report's wording."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    paragraphs: list[str]


def normalize_newlines(text: str) -> str:
    """CRLF, CR and Unicode line separators become ``\\n``; a leading BOM is dropped."""
    if text.startswith("\ufeff"):
        text = text.lstrip("\ufeff")
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = _NEWLINES_RE.sub("\n", text)
    return text


def has_html(text: str) -> bool:
    """True when *text* contains something that looks like an HTML tag or entity."""
    return _HTML_HINT_RE.search(text) is not None


def _drop_script_blocks(text: str) -> str:
    """Replace each ``<script ...>...</script>`` / ``<style>`` block by a space, in time linear in the text.

    A regex with a lazy ``.*?`` up to the closing tag is quadratic on text holding many openers and no closer
    (each opener scans to the end); here, once no closing tag of a kind is found after some position, none is
    looked for again. An opener without a closer is left for the tag remover (its text is kept).
    """
    out, pos, start, unclosed = [], 0, 0, set()
    while (m := _SCRIPT_OPEN_RE.search(text, start)) is not None:
        tag = m.group(1).lower()
        close = None if tag in unclosed else _SCRIPT_CLOSE_RE[tag].search(text, m.end())
        if close is None:
            unclosed.add(tag)
            start = m.end()
            continue
        out.append(text[pos:m.start()])
        out.append(" ")
        pos = start = close.end()
    out.append(text[pos:])
    return "".join(out)


def strip_html(text: str) -> str:
    """Remove HTML so that no markup is left: entities decoded (``&amp;`` → ``&``, ``&#1575;`` → ``ا``), then
    script/style blocks dropped, block tags turned into line breaks and other tags removed.

    Entities are decoded *before* tags are removed, and the two steps repeat until the text no longer changes
    (at most :data:`MAX_HTML_PASSES` times): an entity-encoded tag (``&lt;img onerror=...&gt;``), a
    double-encoded one (``&amp;lt;script&amp;gt;``) and a tag rebuilt by removing a tag inside it
    (``<scr<b>ipt>``) are all removed, never stored as live markup. A ``<`` still followed by what opens a
    tag (an ASCII letter, ``/``, ``!`` or ``?``: the remnant of a tag never closed) is dropped. The price:
    text that was itself about markup loses it, and an entity encoded twice in the source is decoded twice.
    A lone ``<`` (``أ &lt; ب`` → ``أ < ب``) and ``<`` before an Arabic letter are kept.

    >>> strip_html("خبر &lt;img src=x onerror=alert(1)&gt;عاجل")
    'خبر عاجل'
    """
    for _ in range(MAX_HTML_PASSES):
        before = text
        text = html.unescape(text)
        text = _drop_script_blocks(text)
        text = _BLOCK_TAG_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
        if text == before:
            break
    return _TAG_OPEN_RE.sub("", text)


_INVISIBLES = {0x200E: None, 0x200F: None, 0xFEFF: None, 0x200B: None}


def clean_line(line: str) -> str:
    """Drop direction marks/zero-width spaces, collapse runs of whitespace (incl. no-break space), strip."""
    if "\u200e" in line or "\u200f" in line or "\ufeff" in line or "\u200b" in line:
        line = line.translate(_INVISIBLES)
    return " ".join(line.split())


def split_seed_paragraphs(body: str) -> list[str]:
    """Split a seed-layout body on its ``., `` joins, keeping the full stop on each paragraph.

    >>> split_seed_paragraphs("قال الوزير، اليوم، إن الوضع مستقر., وأضاف أن الحوار مستمر.")
    ['قال الوزير، اليوم، إن الوضع مستقر.', 'وأضاف أن الحوار مستمر.']
    """
    out = []
    for line in body.split("\n"):
        for part in PARAGRAPH_JOIN_RE.split(line):
            part = clean_line(part).lstrip(",\u060c ")  # a join left at a line start (e.g. after </p>)
            if _WORD_RE.search(part):  # drop leftovers without any letter or digit
                out.append(part)
    return out


def split_line_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text body separated by line breaks (blank lines dropped).

    *text* must already have ``\\n`` line ends (see :func:`normalize_newlines` / :func:`clean_text`).
    """
    out = []
    for line in text.split("\n"):
        line = clean_line(line)
        if line:
            out.append(line)
    return out


def clean_text(text: str) -> str:
    """Newlines normalised and HTML removed when present (for titles and record bodies)."""
    text = normalize_newlines(text)
    if has_html(text):
        text = strip_html(text)
    return text


def parse_seed_text(text: str) -> ParsedArticle:
    """Title and paragraphs of one article in the seed layout; raises :class:`LayoutError`.

    >>> a = parse_seed_text("عنوان الخبر \\n\\nالفقرة الأولى., الفقرة الثانية.")
    >>> a.title, a.paragraphs
    ('عنوان الخبر', ['الفقرة الأولى.', 'الفقرة الثانية.'])
    """
    text = normalize_newlines(text)
    if not text:
        raise LayoutError("empty file")
    if not text.strip():
        raise LayoutError("whitespace-only file")
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    title_raw = lines[i]
    body_raw = "\n".join(lines[i + 1:])
    if has_html(title_raw):
        title_raw = strip_html(title_raw)
    title = clean_line(title_raw.replace("\n", " "))
    if has_html(body_raw):
        body_raw = strip_html(body_raw)
    paragraphs = split_seed_paragraphs(body_raw)
    if not title and paragraphs:  # e.g. the title was only an HTML tag: take the first paragraph
        title, paragraphs = paragraphs[0], paragraphs[1:]
    if not paragraphs:
        raise LayoutError("title without body")
    return ParsedArticle(title=title, paragraphs=paragraphs)
