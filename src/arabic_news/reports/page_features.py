"""Reader features of a rendered notebook page: findings in front, plumbing out, tables and figures to explore.

:func:`enhance_page` takes the HTML that nbconvert's ``lab`` template makes of an executed notebook and returns
it with

* **code hidden by default**: a "Show code" switch at the top of the page (a checkbox and CSS only, so it works
  from ``file://``, with scripts blocked, and in print); Markdown narration, tables and figures stay visible;
  cells whose input the renderer removed (``hide``/``remove_input``/``parameters`` tags) stay without code, and
  code cells without output disappear while code is hidden;
* **no test plumbing**: every cell whose source holds ``NBVAL_CHECK_OUTPUT`` or that is tagged ``remove_cell``
  is cut from the page (nbval still compares it in the notebook), and a pandas row index that only numbers the
  rows (unnamed, ``0 .. n-1``) is cut from every table;
* **interactive tables**: every table of a cell output with more than :data:`INTERACTIVE_MIN_ROWS` rows can be
  sorted by clicking a column header (numbers as numbers, text in Arabic collation), filtered with a search
  box (case-insensitive; Arabic matched without diacritics or tatweel, with أ إ آ ٱ = ا, ة = ه, ى = ي and
  Arabic-Indic digits = ASCII digits) and is paginated when long; right-to-left tables keep their direction;
* **zoomable figures**: a click (or Enter) on a figure opens it in an overlay at full size, where the mouse
  wheel or + / - zoom, dragging pans, 0 resets and a click outside, the close button or Escape closes.

The script is our own (``resources/report_assets/page_features.js``), embedded inline, attaches every listener
itself (no inline event handler, no ``eval``) and loads nothing; :func:`enhance_page` returns its exact text so
that the renderer can list its hash in the page's Content-Security-Policy.

:func:`internal_ids_in` and :func:`row_index_tables_in` find plumbing that must not reach a reader (ids such as
``Q851`` or ``place:riyadh`` in table cells; tables still showing a bare row index); tests use them.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from arabic_news import config

ASSETS_DIR = config.RESOURCES_DIR / "report_assets"

#: Tables of cell outputs with more rows than this (in their body) become sortable and searchable.
INTERACTIVE_MIN_ROWS = 10

#: Marker of the cells whose outputs nbval compares (test plumbing, cut from the page).
CHECK_MARKER = "NBVAL_CHECK_OUTPUT"

#: Tags that remove a whole cell from the page (the renderer's TagRemovePreprocessor already does; kept here so
#: a page rendered without it is cleaned all the same).
REMOVE_CELL_TAGS = ("remove_cell", "remove-cell")

#: Marks a page already enhanced (enhance_page is idempotent).
MARKER = "an-page-features"

#: Internal identifiers that must not reach a reader: Wikidata-like ids and the gazetteer's typed ids.
INTERNAL_ID_RES = (
    re.compile(r"\bQ\d{2,}\b"),
    re.compile(r"\b(?:place|org|person|country|media|armed):[a-z_]+\b"),
)

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


# ----------------------------------------------------------------------------------------------------------------
# a light element index of an HTML page (offsets into the text, so that edits leave the rest byte-identical)
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class _Element:
    tag: str
    attrs: dict
    start: int                    # offset of "<tag"
    start_end: int                # offset just after the start tag's ">"
    end: int = -1                 # offset just after the end tag (or the start tag for a void element)
    parent: "_Element | None" = None
    children: list = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def inner(self, page: str) -> str:
        return page[self.start_end:self.end]


class _Indexer(HTMLParser):
    """Every element of a page with its span. Unclosed elements end where their parent ends."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self._line_starts = [0]
        for m in re.finditer("\n", page):
            self._line_starts.append(m.end())
        self.root = _Element("#root", {}, 0, 0, len(page))
        self.elements: list[_Element] = []
        self._stack = [self.root]
        self.feed(page)
        self.close()
        for el in self._stack[1:]:
            el.end = len(page)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        text = self.get_starttag_text() or ""
        el = _Element(tag, {k: (v or "") for k, v in attrs}, start, start + len(text), parent=self._stack[-1])
        self._stack[-1].children.append(el)
        self.elements.append(el)
        if tag in _VOID:
            el.end = el.start_end
        else:
            self._stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        el = self.elements[-1]
        if self._stack[-1] is el:
            self._stack.pop()
            el.end = el.start_end

    def handle_endtag(self, tag):
        if not any(el.tag == tag for el in self._stack[1:]):
            return
        start = self._offset()
        close = self.page.find(">", start)
        end = len(self.page) if close < 0 else close + 1
        while self._stack[-1].tag != tag:
            self._stack.pop().end = start
        self._stack.pop().end = end


def _text(fragment: str) -> str:
    """The text of an HTML fragment (tags removed, character references resolved)."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def _apply(page: str, edits: list[tuple[int, int, str]]) -> str:
    """*page* with each (start, end, replacement) applied; spans must not overlap."""
    for start, end, repl in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):   # cut, then insert
        page = page[:start] + repl + page[end:]
    return page


def _is_cell(el: _Element) -> bool:
    return el.tag == "div" and "jp-Cell" in el.classes


def _has_class(el: _Element, name: str) -> bool:
    return name in el.classes


def _descendants(el: _Element):
    for child in el.children:
        yield child
        yield from _descendants(child)


# ----------------------------------------------------------------------------------------------------------------
# plumbing: checked cells, removed cells, bare row indices
# ----------------------------------------------------------------------------------------------------------------

def _input_of(cell: _Element) -> _Element | None:
    return next((d for d in cell.children if d.tag == "div" and _has_class(d, "jp-Cell-inputWrapper")), None)


def _plumbing_cells(index: _Indexer, page: str, *, keep_checked_outputs: bool = False) -> list[_Element]:
    """The elements to cut: whole plumbing cells (or, with *keep_checked_outputs*, the code of checked cells)."""
    cut = []
    for el in index.elements:
        if not _is_cell(el):
            continue
        tags = {c[len("celltag_"):] for c in el.classes if c.startswith("celltag_")}
        if tags & set(REMOVE_CELL_TAGS):
            cut.append(el)
            continue
        inputs = [d for d in _descendants(el) if d.tag == "div" and _has_class(d, "jp-InputArea")]
        if "jp-CodeCell" in el.classes and any(CHECK_MARKER in _text(d.inner(page)) for d in inputs):
            code = _input_of(el)
            cut.append(code if keep_checked_outputs and code is not None else el)
    return cut


def _rows(section: _Element) -> list[_Element]:
    return [c for c in section.children if c.tag == "tr"]


def _cells(row: _Element) -> list[_Element]:
    return [c for c in row.children if c.tag in ("td", "th")]


def _bare_index_cells(table: _Element, page: str) -> list[_Element] | None:
    """The cells of *table*'s row-index column when that index only numbers the rows (unnamed, 0 .. n-1)."""
    head = [c for c in table.children if c.tag == "thead"]
    body = [c for c in table.children if c.tag == "tbody"]
    if len(body) != 1 or len(head) > 1:
        return None
    rows = _rows(body[0])
    if not rows:
        return None
    firsts = []
    for i, row in enumerate(rows):
        cells = _cells(row)
        if len(cells) < 2 or cells[0].tag != "th" or _text(cells[0].inner(page)).strip() != str(i):
            return None
        if cells[0].attrs.get("rowspan", "1") != "1" or cells[0].attrs.get("colspan", "1") != "1":
            return None
        firsts.append(cells[0])
    for row in _rows(head[0]) if head else []:
        cells = _cells(row)
        if not cells or cells[0].tag != "th" or _text(cells[0].inner(page)).strip():
            return None                    # a named index (or a header without the index column): keep it
        if cells[0].attrs.get("rowspan", "1") != "1" or cells[0].attrs.get("colspan", "1") != "1":
            return None
        firsts.append(cells[0])
    return firsts


def _output_tables(index: _Indexer) -> list[_Element]:
    out = []
    for el in index.elements:
        if el.tag != "table":
            continue
        p = el.parent
        while p is not None and not (p.tag == "div" and _has_class(p, "jp-OutputArea-output")):
            p = p.parent
        if p is not None:
            out.append(el)
    return out


def row_index_tables_in(page_html: str) -> list[str]:
    """The start of the text of every table of a cell output that shows a bare row index (0, 1, 2 ...)."""
    index = _Indexer(page_html)
    return [_text(t.inner(page_html)).strip()[:80] for t in _output_tables(index)
            if _bare_index_cells(t, page_html) is not None]


def internal_ids_in(page_html: str) -> list[str]:
    """Internal ids (``Q851``, ``place:riyadh`` ...) shown in a table cell of *page_html*, in page order."""
    index = _Indexer(page_html)
    found = []
    for el in index.elements:
        if el.tag in ("td", "th"):
            if any(d.tag in ("td", "th") for d in _descendants(el)):
                continue                   # the innermost cell reports it
            text = _text(el.inner(page_html))
            for pattern in INTERNAL_ID_RES:
                found.extend(m.group(0) for m in pattern.finditer(text))
    return found


# ----------------------------------------------------------------------------------------------------------------
# the page
# ----------------------------------------------------------------------------------------------------------------

def page_script() -> str:
    """The text of the inline script :func:`enhance_page` adds (tables and figures)."""
    source = (ASSETS_DIR / "page_features.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", source, re.IGNORECASE):
        raise ValueError("page_features.js must not contain '</script' or '<!--' (it is embedded inline)")
    return source


def page_style() -> str:
    """The style sheet :func:`enhance_page` adds (code switch, table tools, figure overlay)."""
    source = (ASSETS_DIR / "page_features.css").read_text(encoding="utf-8")
    if re.search(r"</style", source, re.IGNORECASE):
        raise ValueError("page_features.css must not contain '</style'")
    return source


_TOGGLE = (f'<input type="checkbox" id="an-show-code" class="an-show-code {MARKER}">\n'
           '<div class="an-toolbar" role="group" aria-label="Page options">'
           '<label for="an-show-code" class="an-show-code-label" title="Show or hide the Python code of the analysis">'
           '<span class="an-when-hidden">Show code</span><span class="an-when-shown">Hide code</span></label>'
           '</div>\n')


def enhance_page(page_html: str, *, keep_checked_outputs: bool = False) -> tuple[str, list[str]]:
    """*page_html* (an nbconvert ``lab`` page) with code hidden behind a switch, plumbing cut, interactive
    tables and zoomable figures; and the exact text of every inline ``<script>`` added, in page order.

    Cells marked ``NBVAL_CHECK_OUTPUT`` are cut whole; with *keep_checked_outputs* only their code is cut and
    their output stays (for notebooks whose checked cells still print a finding).

    The renderer must call it *before* computing the page's Content-Security-Policy and add the returned
    scripts to the trusted ones: ``page, added = enhance_page(page)``;
    ``with_csp(page, trusted_scripts=template_scripts + added)``. Calling it on an enhanced page changes nothing
    (and returns the script it carries).
    """
    script = page_script()
    if f'class="an-show-code {MARKER}"' in page_html:
        return page_html, ([script] if f"<script>{script}</script>" in page_html else [])
    index = _Indexer(page_html)
    edits: list[tuple[int, int, str]] = []
    cut = _plumbing_cells(index, page_html, keep_checked_outputs=keep_checked_outputs)
    for el in cut:
        if not any(other is not el and other.start <= el.start and el.end <= other.end for other in cut):
            edits.append((el.start, el.end, ""))
    for table in _output_tables(index):
        if any(c.start <= table.start and table.end <= c.end for c in cut):
            continue
        for cell in _bare_index_cells(table, page_html) or []:
            edits.append((cell.start, cell.end, ""))
    mains = [el for el in index.elements if el.tag == "main"]
    bodies = [el for el in index.elements if el.tag == "body"]
    heads = [el for el in index.elements if el.tag == "head"]
    if not bodies or not heads:
        raise ValueError("enhance_page needs a whole page (<head> and <body>)")
    holder = mains[0] if mains else bodies[0]
    edits.append((holder.start_end, holder.start_end, "\n" + _TOGGLE))
    head_close = page_html.rfind("</head", heads[0].start, heads[0].end)
    edits.append((head_close, head_close, f'<style type="text/css" class="{MARKER}">\n{page_style()}</style>\n'))
    body_close = page_html.rfind("</body", bodies[0].start, bodies[0].end)
    if body_close < 0:
        body_close = bodies[0].end
    edits.append((body_close, body_close, f"<script>{script}</script>\n"))
    return _apply(page_html, edits), [script]
