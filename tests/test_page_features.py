"""Reader features of report pages (arabic_news.reports.page_features): code hidden behind a switch, plumbing cut,
interactive tables and zoomable figures -- on hand-made page fragments and, in headless Chromium with the network
off, on a page that nbconvert renders from a small executed notebook, under the page's Content-Security-Policy.
"""
from __future__ import annotations

import base64
import io
import json
import re

import nbformat
import pandas as pd
import pytest
from test_reports import needs_chromium, open_offline

from arabic_news import reports
from arabic_news.reports import page_features
from arabic_news.reports.page_features import enhance_page, internal_ids_in, row_index_tables_in

# ---------------------------------------------------------------------------------------------- hand-made pages


def _code_cell(source_html: str, output_html: str = "", classes: str = "") -> str:
    outputs = (f'<div class="jp-Cell-outputWrapper"><div class="jp-OutputArea jp-Cell-outputArea">'
               f'<div class="jp-OutputArea-child"><div class="jp-RenderedHTMLCommon jp-RenderedHTML '
               f'jp-OutputArea-output" data-mime-type="text/html">{output_html}</div></div></div></div>'
               if output_html else "")
    return (f'<div class="jp-Cell jp-CodeCell jp-Notebook-cell {classes}">\n<div class="jp-Cell-inputWrapper">'
            f'<div class="jp-InputArea jp-Cell-inputArea"><div class="highlight"><pre>{source_html}</pre></div>'
            f"</div></div>\n{outputs}</div>")


def _page(*cells: str) -> str:
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8"/>\n<title>t</title>\n</head>\n'
            '<body class="jp-Notebook">\n<main>\n' + "\n".join(cells) + "\n</main>\n</body>\n</html>\n")


CHECKED = _code_cell('<span class="c1"># NBVAL_CHECK_OUTPUT</span>\n<span class="nb">print</span>(n)',
                     "<pre>checked output 42</pre>")
REMOVED = _code_cell("secret_setup()", "<p>removed output</p>", classes="celltag_remove_cell")
NARRATION = ('<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell"><div class="jp-Cell-inputWrapper">'
             '<div class="jp-InputArea jp-Cell-inputArea"><div class="jp-RenderedMarkdown">'
             "<h2>Findings</h2><p>NBVAL_CHECK_OUTPUT is explained in narration and stays.</p></div></div></div></div>")
BARE_INDEX = ('<table class="dataframe"><thead><tr><th></th><th>word</th><th>count</th></tr></thead>'
              "<tbody><tr><th>0</th><td>مكة</td><td>5</td></tr><tr><th>1</th><td>جدة</td><td>3</td></tr></tbody></table>")
NAMED_INDEX = ('<table><thead><tr><th class="blank level0"> </th><th>count</th></tr>'
               '<tr><th class="index_name level0">rank</th><th></th></tr></thead>'
               "<tbody><tr><th>0</th><td>5</td></tr><tr><th>1</th><td>3</td></tr></tbody></table>")


def test_code_is_hidden_behind_a_switch_before_the_cells_and_the_script_is_returned_verbatim():
    page = _page(NARRATION, _code_cell("x = 1", "<p>result</p>"))
    out, added = enhance_page(page)
    toggle = out.index('type="checkbox" id="an-show-code"')
    assert out.index("<main>") < toggle < out.index("jp-MarkdownCell")      # a sibling before every cell
    assert '<label for="an-show-code"' in out and ">Show code<" in out
    assert ".an-show-code:not(:checked) ~ .jp-CodeCell .jp-Cell-inputWrapper" in out
    assert added == [page_features.page_script()] and reports.inline_scripts(out) == added
    assert out.index("<style") < out.index("</head>") and out.index("<script>") > out.index("</main>")
    assert "<h2>Findings</h2>" in out and "<p>result</p>" in out and "x = 1" in out   # hidden by CSS, not cut
    assert enhance_page(out) == (out, added)                                          # idempotent
    assert reports.external_references(out) == []
    assert re.search(r"\son[a-z]+\s*=", out) is None                                 # no inline handler


def test_checked_and_removed_cells_are_cut_whole_and_narration_stays():
    out, _ = enhance_page(_page(NARRATION, CHECKED, REMOVED, _code_cell("y = 2", "<p>kept</p>")))
    for gone in ["checked output 42", '<span class="nb">print</span>', "secret_setup", "removed output"]:
        assert gone not in out
    assert "NBVAL_CHECK_OUTPUT is explained in narration and stays." in out
    assert "<p>kept</p>" in out and out.count('class="jp-Cell ') == 2


def test_checked_cells_can_keep_their_output_without_their_code():
    out, _ = enhance_page(_page(NARRATION, CHECKED), keep_checked_outputs=True)
    assert "checked output 42" in out and "NBVAL_CHECK_OUTPUT</span>" not in out
    assert '<span class="nb">print</span>' not in out and out.count('class="jp-Cell ') == 2


def test_a_bare_row_index_is_cut_and_a_named_one_kept():
    page = _page(_code_cell("t", BARE_INDEX), _code_cell("u", NAMED_INDEX))
    assert row_index_tables_in(page) == ["wordcount0مكة51جدة3"]
    out, _ = enhance_page(page)
    assert row_index_tables_in(out) == []
    assert ("<thead><tr><th>word</th><th>count</th></tr></thead>"
            "<tbody><tr><td>مكة</td><td>5</td></tr><tr><td>جدة</td><td>3</td></tr></tbody>") in out
    assert NAMED_INDEX in out


def test_a_styler_table_with_a_default_index_loses_it_and_keeps_its_columns():
    frame = pd.DataFrame({"actor": ["السعودية", "اليمن", "مصر"], "articles": [19, 7, 5]})
    page = _page(_code_cell("t", reports.styled_table(frame).to_html()),
                 _code_cell("u", frame.set_index("actor").style.to_html()))
    assert len(row_index_tables_in(page)) == 1
    out, _ = enhance_page(page)
    assert row_index_tables_in(out) == []
    assert 'class="row_heading' in out                                     # the named index (actor) stays
    first, second = re.findall(r"<table.*?</table>", out, re.S)
    assert "row_heading" not in first and re.findall(r"<th[^>]*>([^<]*)</th>", first) == ["actor", "articles"]
    assert [re.sub(r"<[^>]+>", "", r).split() for r in re.findall(r"<tr>(.*?)</tr>", first, re.S)][1:] == [
        ["السعودية", "19"], ["اليمن", "7"], ["مصر", "5"]]


def test_internal_ids_are_found_in_table_cells_only():
    page = _page(_code_cell("q = 'Q851'", "<p>Q851 in prose</p><table><tr><th>actor</th><td>Q851</td>"
                                          "<td>place:riyadh and org:un</td><td>Q7 Q2020x QA12</td></tr></table>"))
    assert internal_ids_in(page) == ["Q851", "place:riyadh", "org:un"]
    assert internal_ids_in(_page(_code_cell("t", BARE_INDEX))) == []


def test_the_embedded_script_and_style_cannot_end_their_element_early():
    script, style = page_features.page_script(), page_features.page_style()
    assert "</script" not in script.lower() and "<!--" not in script and "</style" not in style.lower()
    assert "eval(" not in script and "new Function" not in script and "innerHTML" not in script


def test_a_fragment_without_head_or_body_is_refused():
    with pytest.raises(ValueError, match="whole page"):
        enhance_page("<div class='jp-Cell'>x</div>")


# ---------------------------------------------------------------------------------------------- real page, Chromium

PLACES = ["مكة", "جدة", "الرياض", "إيران", "الأردن", "بريطانيا", "المدينة", "الدمام", "تبوك", "أبها", "حائل",
          "نجران", "جازان", "الطائف", "القصيم", "ينبع", "الخبر", "عرعر", "سكاكا", "الباحة", "بريدة", "عنيزة", "القطيف",
          "الجبيل", "الأحساء", "خميس مشيط", "رابغ", "الظهران", "القريات", "شرورى"]


PORTS = ("جدة", "الدمام", "ينبع", "الجبيل", "رابغ")


def _png() -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (640, 320), (40, 90, 160)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _enhanced_page(tmp_path):
    """A small executed notebook rendered by the project's renderer, then enhanced and given its policy, as the
    renderer will do it: enhance_page before the Content-Security-Policy, its scripts added to the trusted ones."""
    table = pd.DataFrame({"place": PLACES, "articles": [(i * 37) % 1000 + 1 for i in range(len(PLACES))],
                          "kind": ["Port City" if p in PORTS else "City" for p in PLACES]})
    table.loc[3, "articles"] = 1200                                       # shown as "1,200": sorted as a number
    styled = reports.styled_table(table, index=False).to_html()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}

    def code(source, outputs, tags=()):
        cell = nbformat.v4.new_code_cell(source, execution_count=1)
        cell.outputs = outputs
        cell.metadata["tags"] = list(tags)
        return cell

    html_out = lambda h: nbformat.v4.new_output("display_data", data={"text/html": h, "text/plain": "x"})  # noqa: E731
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Places\n\nNarration stays visible."),
        code("shown_source_line = 1", [nbformat.v4.new_output("stream", name="stdout", text="plain output\n")]),
        code("# NBVAL_CHECK_OUTPUT\nprint(len(articles))", [nbformat.v4.new_output("stream", name="stdout",
                                                                                  text="300\n")]),
        code("hidden_source_line = 2", [html_out("<p>hidden-input output</p>")], tags=["hide"]),
        code("display(styled)", [html_out(styled)], tags=["hide"]),
        code("plt.show()", [nbformat.v4.new_output("display_data", data={"image/png": _png(), "text/plain": "fig"})]),
    ]
    nbformat.write(nb, str(tmp_path / "x.ipynb"))
    rendered = reports.render_html(tmp_path / "x.ipynb", tmp_path / "rendered.html").read_text(encoding="utf-8")
    bare = re.sub(r'\n?<meta http-equiv="Content-Security-Policy"[^>]*>', "", rendered)   # before the policy
    enhanced, added = enhance_page(bare)
    page = tmp_path / "page.html"
    page.write_text(reports.with_csp(enhanced, trusted_scripts=reports.inline_scripts(bare) + added),
                    encoding="utf-8")
    return page, enhanced


#: Runs in the page through DevTools (not subject to the page's policy; the listeners it triggers are).
INTERACT_JS = r"""JSON.stringify((() => {
  const visible = (el) => el.offsetParent !== null && getComputedStyle(el).display !== 'none';
  const codes = () => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea')].filter(visible)
                        .map(e => e.innerText.trim());
  const table = document.querySelector('table.an-interactive');
  const rows = () => [...table.tBodies[0].rows].filter(visible).map(r => r.cells[0].innerText.trim());
  const counts = () => [...table.tBodies[0].rows].filter(visible).map(r => r.cells[1].innerText.trim());
  const header = (name) => [...table.tHead.querySelectorAll('th')].find(th => th.innerText.trim() === name);
  const search = table.parentNode.querySelector('.an-table-tools input[type=search]');
  const type = (text) => { search.value = text; search.dispatchEvent(new Event('input', {bubbles: true})); return rows(); };
  const out = {};
  out.direction = [getComputedStyle(table).direction, getComputedStyle(search.parentNode).direction];
  out.searchRightOfTable = Math.abs(search.getBoundingClientRect().right - table.getBoundingClientRect().right) < 2;
  out.codeBefore = codes();
  document.querySelector('label[for=an-show-code]').click();
  out.codeAfter = codes();
  out.firstPage = rows().length;
  out.next = (table.parentNode.querySelector('button[aria-label="Next page"]').click(), rows().length);
  header('articles').click();
  out.byCountAsc = counts();
  header('articles').click();
  out.byCountDescTop = counts().slice(0, 2);
  out.ariaSort = header('articles').getAttribute('aria-sort');
  document.querySelector('select[aria-label="Rows per page"]').value = '0';
  document.querySelector('select[aria-label="Rows per page"]').dispatchEvent(new Event('change'));
  header('place').click();
  out.byPlace = rows();
  out.filterPlainAlef = type('ايران');
  out.filterTaMarbuta = type('مكه');
  out.filterDiacritics = type('مَكَّة');
  out.filterCase = type('pORT ciTY');
  out.filterDigits = type('١,٢٠٠');
  out.filterNone = type('zzz');
  out.noMatchShown = visible(table.parentNode.querySelector('.an-no-match'));
  type('');
  out.allBack = rows().length;
  const img = document.querySelector('.jp-OutputArea-output img');
  img.click();
  const overlay = document.querySelector('.an-zoom');
  out.zoomOpen = !!overlay && !!overlay.querySelector('.an-zoom-stage img');
  out.zoomWidth = overlay && overlay.querySelector('.an-zoom-stage img').getAttribute('width');
  const stage = overlay.querySelector('.an-zoom-stage');
  const view = () => { const m = new DOMMatrix(getComputedStyle(stage).transform); return [m.a, m.e, m.f]; };
  out.fit = view();
  out.overlaySize = [overlay.clientWidth, overlay.clientHeight];
  overlay.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: 400, clientY: 300, bubbles: true,
                                                cancelable: true}));
  out.wheel = view();
  const pointer = (type, target, x, y) => target.dispatchEvent(
    new PointerEvent(type, {pointerId: 7, clientX: x, clientY: y, bubbles: true}));
  pointer('pointerdown', stage.firstChild, 500, 400);
  pointer('pointermove', overlay, 550, 430);
  pointer('pointerup', overlay, 550, 430);
  out.dragged = view();
  out.openAfterDrag = !!document.querySelector('.an-zoom');
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
  out.zoomClosed = !document.querySelector('.an-zoom');
  return out;
})())"""


@needs_chromium
def test_enhanced_page_works_offline_under_its_policy(tmp_path):
    page, enhanced = _enhanced_page(tmp_path)
    assert "NBVAL_CHECK_OUTPUT" not in enhanced and internal_ids_in(enhanced) == []
    result = open_offline(page, tmp_path / "page.png", width=1300, script=INTERACT_JS)
    assert result["csp_violations"] == [] and result["errors"] == [] and result["failed"] == []
    assert [u for u in result["requested"] if not u.startswith(("file:", "data:"))] == []
    c = result["checks"]
    assert c["direction"] == ["rtl", "rtl"] and c["searchRightOfTable"]    # RTL table, its search box on its right
    assert c["codeBefore"] == []                                           # code hidden by default
    assert c["codeAfter"] == ["shown_source_line = 1", "plt.show()"]       # shown; hidden-tagged inputs stay out
    assert (c["firstPage"], c["next"]) == (25, 5)                         # 30 rows, 25 per page
    numbers = sorted([(i * 37) % 1000 + 1 for i in range(len(PLACES)) if i != 3] + [1200])
    assert c["byCountAsc"] == [f"{n:,}" for n in numbers[:25]]            # as numbers, first page of 25
    assert c["byCountDescTop"] == [f"{n:,}" for n in numbers[::-1][:2]] and c["ariaSort"] == "descending"
    assert c["byPlace"][:3] == ["أبها", "الأحساء", "الأردن"] and c["byPlace"][-1] == "ينبع"   # Arabic collation
    assert c["byPlace"].index("الأردن") < c["byPlace"].index("إيران")      # hamza on alef ignored (not code points)
    assert c["filterPlainAlef"] == ["إيران"]
    assert c["filterTaMarbuta"] == ["مكة"] and c["filterDiacritics"] == ["مكة"]
    assert sorted(c["filterCase"]) == sorted(PORTS)                      # case-insensitive
    assert c["filterDigits"] == ["إيران"]                                  # Arabic-Indic digits: "1,200"
    assert c["filterNone"] == [] and c["noMatchShown"] is True
    assert c["allBack"] == 30
    assert c["zoomOpen"] and c["zoomWidth"] == "640" and c["zoomClosed"]
    scale, x, y = c["fit"]
    width, height = c["overlaySize"]
    # enlarged to fill the window
    assert scale == pytest.approx(min(3, (width - 40) / 640, (height - 60) / 320), rel=1e-4)
    assert scale > 1.5
    assert c["wheel"][0] == pytest.approx(scale * 1.15, rel=1e-4)                   # wheel zooms in around the pointer
    assert c["wheel"][1] == pytest.approx(400 - (400 - x) * 1.15, rel=1e-4)
    assert c["dragged"][1:] == pytest.approx([c["wheel"][1] + 50, c["wheel"][2] + 30], rel=1e-4)   # drag pans
    assert c["openAfterDrag"]                                              # a drag is not a click outside


@needs_chromium
def test_enhanced_page_without_javascript_still_shows_every_row_and_hides_code(tmp_path):
    """With scripts blocked (the policy lists no hash), the page is the plain report: all rows, code hidden."""
    _, enhanced = _enhanced_page(tmp_path)
    page = tmp_path / "noscript.html"
    page.write_text(reports.with_csp(enhanced), encoding="utf-8")
    result = open_offline(page, tmp_path / "noscript.png", script=(
        "JSON.stringify([document.querySelectorAll('.jp-OutputArea-output table tbody tr').length,"
        " [...document.querySelectorAll('.jp-CodeCell .jp-InputArea')].filter(e => e.offsetParent).length,"
        " document.querySelectorAll('.an-interactive').length])"))
    assert result["checks"] == [30, 0, 0]
    assert result["csp_violations"]                                        # our script, blocked as expected
