"""The main job: papermill runs, self-contained HTML, index.html, run_log.json, and the `report` CLI."""
from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from arabic_news import config, reports
from arabic_news.cli import main

# Hand-written articles in the seed layout: title line, blank line, paragraphs joined by "., ".
ARTICLES = {
    "001.txt": ("وزير التعليم يزور المدارس",
                "زار وزير التعليم صباح اليوم عدداً من المدارس في الرياض., وقال إن العام الدراسي يبدأ في موعده"),
    "002.txt": ("أمطار غزيرة على جدة",
                "هطلت أمطار غزيرة على مدينة جدة مساء أمس., ودعا الدفاع المدني السكان إلى الحذر"),
    "003.txt": ("افتتاح معرض الكتاب",
                "افتتح أمير المنطقة معرض الكتاب في الرياض., ويشارك في المعرض مئات الناشرين., ويستمر المعرض عشرة أيام"),
    "004.txt": ("ارتفاع أسعار النفط",
                "ارتفعت أسعار النفط في الأسواق العالمية اليوم., وقال محللون إن الطلب يزداد"),
    "005.txt": ("فوز الهلال في الدوري",
                "فاز فريق الهلال على النصر بهدفين., وتصدر الهلال جدول الدوري"),
    # same body as 002: a duplicate
    "006.txt": ("أمطار على جدة",
                "هطلت أمطار غزيرة على مدينة جدة مساء أمس., ودعا الدفاع المدني السكان إلى الحذر"),
}
METADATA = [
    ("001.txt", "okaz", "2015-07-21"), ("002.txt", "sabq", "2015-07-21"), ("003.txt", "okaz", "2015-07-22"),
    ("004.txt", "alriyadh", "2015-07-23"), ("005.txt", "okaz", "2015-07-23"), ("006.txt", "sabq", "2015-07-23"),
]


@pytest.fixture(scope="module")
def seed_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    for name, (title, body) in ARTICLES.items():
        (root / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    (root / "007.txt").write_text("This file is written in English only, so it is not an Arabic article.\n\nNo.",
                                  encoding="utf-8")
    lines = ["file,source,url,date"] + [f"{f},{s},http://example.org/{f},{d}" for f, s, d in METADATA]
    (root / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ingested(seed_folder, tmp_path_factory):
    from arabic_news.corpus import ingest

    out = tmp_path_factory.mktemp("corpus")
    ingest(seed_folder, out, n_jobs=1, progress=False)
    return out


@pytest.fixture(scope="module")
def run(ingested, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    record = reports.run_reports(ingested, out, notebooks=["01"], seed=7)
    return record, out


# ---------------------------------------------------------------------------------------------- end to end

def test_report_runs_notebook_01_and_logs_each_stage(run, ingested):
    record, out = run
    assert [nb.name for nb in record.notebooks] == ["01-corpus-overview"]
    nb = record.notebooks[0]
    assert nb.status == "ok", nb.error
    assert nb.parameters == {"corpus_dir": str(ingested.resolve()), "sample_size": 0, "seed": 7,
                             "output_dir": str(out.resolve() / "tables" / "01-corpus-overview")}
    log = json.loads((out / "run_log.json").read_text(encoding="utf-8"))
    stages = {(s["stage"], s.get("notebook")) for s in log["stages"]}
    assert {("corpus", None), ("execute", "01-corpus-overview"), ("render", "01-corpus-overview"), ("index", None)} <= stages
    assert all(s["seconds"] >= 0 for s in log["stages"])
    assert log["total_seconds"] > 0 and log["peak_rss_mb"]["main_process"] > 0
    assert (out / "executed" / "01-corpus-overview.ipynb").is_file()


def test_report_tables_describe_the_hand_written_corpus(run):
    _, out = run
    tables = out / "tables" / "01-corpus-overview"
    by_source = pd.read_csv(tables / "articles_by_source.csv", index_col="source")
    assert by_source["articles"].to_dict() == {"okaz": 3, "alriyadh": 1, "sabq": 1}   # 006 is a duplicate
    status = pd.read_csv(tables / "ingest_status.csv", index_col="status")["inputs"].to_dict()
    assert status["loaded"] == 5 and status["duplicate"] == 1 and status["rejected"] == 1
    top = pd.read_csv(tables / "top_tokens.csv", header=[0, 1], index_col=0)
    assert "الرياض" in set(top[("normalised, no stop words", "token")])


def test_report_html_is_self_contained_with_headings_and_images(run):
    _, out = run
    page = (out / "01-corpus-overview.html").read_text(encoding="utf-8")
    headings = [html.unescape(h) for h in re.findall(r"<h[12][^>]*>(.*?)<", page)]
    for expected in ["Corpus overview", "Articles by outlet", "Articles over time", "Article lengths",
                     "Ingest outcomes: duplicates and rejects", "Most frequent words before and after normalisation",
                     "Zipf's law"]:
        assert expected in headings
    assert page.count('src="data:image/png;base64,') >= 4        # bars, time series, histograms, Zipf
    assert reports.external_references(page) == []
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=\"?https?:", page)
    assert "cdnjs" not in page and "mathjax" not in page.lower()
    # plumbing hidden: the default parameters cell and the import cell are not shown; injected values are
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "sample_size = 300" not in shown and "plots.setup_matplotlib()" not in shown
    assert "sample_size = 0" in shown and "seed = 7" in shown
    # Arabic table reads right-to-left
    assert 'dir="rtl"' in page and "direction: rtl" in page


def test_index_links_reports_with_summary_parameters_versions_and_checksum(run, ingested):
    record, out = run
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01-corpus-overview.html"' in index
    assert "What the corpus holds before any modelling" in index
    digest = hashlib.sha256((ingested / "articles.parquet").read_bytes()).hexdigest()
    assert record.corpus_sha256 == digest and digest in index
    for key in ["python", "arabic-news", "pandas", "matplotlib", "camel-tools", "papermill"]:
        assert f"<th>{key}</th>" in index
    assert "<th>seed</th><td><code>7</code>" in index
    assert reports.external_references(index) == []


def test_rerun_gives_identical_tables(run, ingested, tmp_path):
    """Same corpus, parameters and seed: every exported CSV is byte-identical (sha256)."""
    _, out = run
    reports.run_reports(ingested, tmp_path / "again", notebooks=["01"], seed=7)

    def digests(root):
        files = sorted((root / "tables").rglob("*.csv"))
        return {f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

    first = digests(out)
    assert len(first) >= 7
    assert digests(tmp_path / "again") == first


def test_seed_layout_folder_is_ingested_first(seed_folder, tmp_path, monkeypatch):
    from arabic_news import corpus

    if not hasattr(corpus, "ensure_corpus"):
        pytest.fail("arabic_news.corpus.ensure_corpus is missing (the ingest API the main job relies on)")
    monkeypatch.setattr(config, "INTERIM_DIR", tmp_path / "interim")
    path = reports.resolve_corpus(seed_folder)
    assert (path / "articles.parquet").is_file()
    assert len(corpus.load_articles(path)) == 5


# ---------------------------------------------------------------------------------------------- failures

def _notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    nbformat.write(nb, str(path))


def test_failing_notebook_is_rendered_marked_and_others_still_run(ingested, tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    params = nbformat.v4.new_code_cell('corpus_dir = ""\nseed = 0', metadata={"tags": ["parameters"]})
    _notebook(nbdir / "01-broken.ipynb", [nbformat.v4.new_markdown_cell("# Broken\n\nRaises on purpose."),
                                          params, nbformat.v4.new_code_cell("raise ValueError('boom 42')")])
    _notebook(nbdir / "02-fine.ipynb", [nbformat.v4.new_markdown_cell("# Fine\n\nPrints the seed."),
                                        nbformat.v4.new_code_cell('corpus_dir = ""\nseed = 0', metadata={"tags": ["parameters"]}),
                                        nbformat.v4.new_code_cell("print('seed is', seed)")])
    record = reports.run_reports(ingested, tmp_path / "out", notebooks_dir=nbdir, seed=5)
    broken, fine = record.notebooks
    assert broken.status == "failed" and "ValueError: boom 42" in broken.error
    assert (tmp_path / "out" / "01-broken.html").is_file()
    assert fine.status == "ok" and fine.parameters == {"corpus_dir": str(ingested.resolve()), "seed": 5}
    assert "seed is 5" in (tmp_path / "out" / "02-fine.html").read_text(encoding="utf-8")
    assert "failed: " in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_cli_errors_are_one_clear_line(tmp_path, capsys, ingested):
    assert main(["report", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("arabic-news report: error:") and "nope" in err
    assert main(["report", str(ingested), "--out", str(tmp_path / "o"), "--notebooks", "99"]) == 2
    err = capsys.readouterr().err
    assert "no notebook starts with 99" in err and "01-corpus-overview" in err
    assert main(["report", str(ingested), "--out", str(tmp_path / "o"), "--claims", str(tmp_path / "c.csv")]) == 2
    assert "claims file not found" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- helpers

def test_external_references_finds_loads_not_links():
    page = """<a href="https://example.org">a link is fine</a>
    <script src="https://cdn.example/require.js"></script><script>var x = 1;</script>
    <link rel="stylesheet" href="//fonts.example/css"><img src="data:image/png;base64,AAAA">
    <style>@import url("https://x.example/a.css"); @font-face { src: url(https://f.example/f.woff2); }</style>
    <script type="module">import mermaid from "https://m.example/mermaid.mjs";</script>"""
    assert reports.external_references(page) == sorted([
        "https://cdn.example/require.js", "//fonts.example/css", "https://x.example/a.css",
        "https://f.example/f.woff2", "https://m.example/mermaid.mjs",
    ])
    assert reports.external_references('<img src="data:image/png;base64,AAAA"><a href="http://x">x</a>') == []


def test_rtl_table_is_right_to_left_and_deterministic():
    df = pd.DataFrame({"الكلمة": ["الرياض", "جدة"], "العدد": [1200, 3]})
    first = reports.rtl_table(df).to_html()
    assert first == reports.rtl_table(df).to_html()
    assert 'dir="rtl"' in first and "direction: rtl" in first and "1,200" in first and "الرياض" in first


PAYLOAD = '<img src=x onerror="document.body.setAttribute(\'data-pwned\',\'1\')">'
PAYLOAD_ESCAPED = "&lt;img src=x onerror=&quot;document.body.setAttribute(&#x27;data-pwned&#x27;,&#x27;1&#x27;)&quot;&gt;"


def test_styled_table_escapes_every_string_from_the_data():
    """Cells (text, lists, objects), row and column labels, index and column names and the caption."""
    df = pd.DataFrame({PAYLOAD: ["<script>x()</script>", "جدة"], "n": [1200, 3], "share": [0.25, None],
                       "terms": [["<b>bold</b>", "ب"], ["ج"]]},
                      index=pd.Index(["<svg onload=x()>", "الرياض"], name="<i>outlet</i>"))
    df.columns.name = "<u>col</u>"
    page = reports.rtl_table(df, caption="<s>caption</s>", precision=2).to_html()
    assert re.findall(r"<(?!/?(?:style|table|caption|thead|tbody|tr|th|td)\b)[A-Za-z]", page) == []
    for escaped in [PAYLOAD_ESCAPED, "&lt;script&gt;x()&lt;/script&gt;", "&lt;svg onload=x()&gt;",
                    "&lt;i&gt;outlet&lt;/i&gt;", "&lt;u&gt;col&lt;/u&gt;", "<caption>&lt;s&gt;caption&lt;/s&gt;</caption>",
                    "[&#x27;&lt;b&gt;bold&lt;/b&gt;&#x27;, &#x27;ب&#x27;]"]:
        assert escaped in page, escaped
    cells = re.findall(r'<td [^>]*class="data row0 [^>]*>([^<]*)</td>', page)
    assert cells == ["&lt;script&gt;x()&lt;/script&gt;", "1,200", "0.25", "[&#x27;&lt;b&gt;bold&lt;/b&gt;&#x27;, &#x27;ب&#x27;]"]
    assert re.findall(r'<td [^>]*class="data row1 [^>]*>([^<]*)</td>', page) == ["جدة", "3", "", "[&#x27;ج&#x27;]"]
    # a MultiIndex, a DatetimeIndex and dates keep their formatting
    multi = pd.DataFrame({"v": [1.5, 2.0]}, index=pd.MultiIndex.from_tuples([("<b>a</b>", 2015), ("ب", 2016)],
                                                                           names=["<q>", None]))
    page = reports.styled_table(multi).to_html()
    assert "&lt;b&gt;a&lt;/b&gt;" in page and ">2015</th>" in page and "&lt;q&gt;" in page and "<b>" not in page
    dated = pd.DataFrame({"d": pd.to_datetime(["2015-07-21", None])}, index=pd.DatetimeIndex(["2015-08-01", "2015-08-02"]))
    page = reports.styled_table(dated).to_html()
    assert ">2015-08-01</th>" in page and ">2015-07-21</td>" in page


def test_html_text_formats_numbers_and_escapes_the_rest():
    import numpy as np

    assert [reports.html_text(v) for v in [1200, np.int64(3), 0.25, np.float32(1.5), True, None, float("nan"), pd.NaT]] == \
        ["1,200", "3", "0.2", "1.5", "True", "", "", ""]
    assert reports.html_text(1234.5678, precision=3, thousands=False) == "1234.568"
    assert reports.html_text(PAYLOAD) == PAYLOAD_ESCAPED
    assert reports.html_text({"k": "<b>"}) == "{&#x27;k&#x27;: &#x27;&lt;b&gt;&#x27;}"


@pytest.mark.parametrize("value", [PAYLOAD, "<script>alert(1)</script> **bold** _it_ [l](javascript:x) `code`",
                                   "# heading\n\n<b>block</b>", "$<b>math</b>$ &lt;i&gt; 3 < 4 & 5 > 2 | a | ~~s~~",
                                   "data/models/ner_crf.joblib"])
def test_markdown_built_from_data_renders_as_the_same_text(value):
    """md_escape / md_code through nbconvert's own Markdown renderer: the text shown is the value, no markup."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    flat = " ".join(value.splitlines())
    for helper in (reports.md_escape, reports.md_code):
        out = markdown2html_mistune(f"before {helper(value)} after")
        assert re.findall(r"<(?!/?(?:p|code)>)[A-Za-z/]", out) == [], out
        assert html.unescape(re.sub(r"</?(?:p|code)>", "", out)).strip() == f"before {flat} after"


def _executed_notebook(path, outputs):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell("x = 1", execution_count=1)
    cell.outputs = outputs
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nText."), cell]
    nbformat.write(nb, str(path))
    return path


def test_rendered_page_carries_the_policy_first_in_head_and_scripts_from_outputs_are_not_allowed(tmp_path, caplog):
    """render_html hashes only the template's scripts (none): a script reaching the page through a cell output
    stays unlisted, so the browser blocks it (tests/test_reports_safety.py checks that in Chromium)."""
    leaked = "<b>table</b><script>document.body.setAttribute('data-pwned','1')</script>"
    executed = _executed_notebook(tmp_path / "x.ipynb", [
        nbformat.v4.new_output("display_data", data={"text/html": leaked, "text/plain": "x"})])
    with caplog.at_level("WARNING", logger="arabic_news.reports"):
        page = reports.render_html(executed, tmp_path / "x.html").read_text(encoding="utf-8")
    head = re.search(r"<head\b[^>]*>\s*(<[^>]+>)", page)
    from arabic_news.reports.page_features import page_script

    own = page_script()   # the renderer's own script (interactive tables, zoom): the only one the policy lists
    assert head.group(1) == ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                             f"script-src {reports.script_hash(own)}; style-src 'unsafe-inline'; img-src data:; "
                             "base-uri 'none'; form-action 'none'\">")
    assert [s for s in reports.inline_scripts(page) if s != own] == ["document.body.setAttribute('data-pwned','1')"]
    assert "1 <script> element(s) in cell outputs" in caplog.text
    assert page.index("Content-Security-Policy") < page.index("<meta charset")


def test_policy_lists_the_hash_of_each_trusted_script_and_insists_on_finding_it():
    import base64

    own = "document.body.dataset.ok = 1;\r\n"
    page = f"<html><head><title>t</title></head><body><script>{own}</script><script>evil()</script></body></html>"
    digest = base64.b64encode(hashlib.sha256(b"document.body.dataset.ok = 1;\n").digest()).decode()
    assert reports.script_hash(own) == f"'sha256-{digest}'"     # CR LF hashed as the browser parses it: LF
    out = reports.with_csp(page, trusted_scripts=[own])
    assert out.startswith('<html><head>\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                          f"script-src 'sha256-{digest}'; ")
    assert "evil" not in out[:out.index("</head>")]
    with pytest.raises(reports.ReportError, match="renderer script is missing"):
        reports.with_csp(page, trusted_scripts=["notInThePage()"])
    with pytest.raises(reports.ReportError, match="no <head>"):
        reports.with_csp("<p>no head</p>")


def test_index_escapes_what_it_shows_and_carries_the_policy(tmp_path):
    nb = reports.NotebookResult(name="01-x", title=f"T {PAYLOAD}", summary=f"S {PAYLOAD}", parameters={},
                                executed="e", html=str(tmp_path / "01-x.html"), status="failed", error=PAYLOAD)
    run = reports.ReportRun(out_dir=str(tmp_path), source=f"folder {PAYLOAD}", corpus_dir=f"c {PAYLOAD}",
                            corpus_sha256="0" * 64, n_articles=3, parameters={"claims_file": PAYLOAD},
                            versions={"python": "3"}, notebooks=[nb], user_gazetteer=[f"g {PAYLOAD}"])
    page = reports.write_index(run, tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<img" not in page and page.count("&lt;img src=x onerror=") == 9   # + source line, failed-section sentence
    assert re.search(r"<head>\s*<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     r"script-src 'none';", page)
    assert reports.inline_scripts(page) == []


def test_sample_articles_is_deterministic():
    df = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(20)], "body": ["نص"] * 20})
    a = reports.sample_articles(df.sample(frac=1, random_state=1), 5, seed=3)
    b = reports.sample_articles(df, 5, seed=3)
    assert a["doc_id"].tolist() == b["doc_id"].tolist() and len(a) == 5
    assert a["doc_id"].tolist() == sorted(a["doc_id"])
    assert len(reports.sample_articles(df, 0, seed=3)) == 20


def test_sample_positions_are_seeded_sorted_and_leave_small_corpora_whole():
    import numpy as np

    assert reports.sample_positions(5, 10, seed=1).tolist() == [0, 1, 2, 3, 4]
    assert reports.sample_positions(5, 0, seed=1).tolist() == [0, 1, 2, 3, 4]
    a = reports.sample_positions(100, 10, seed=3)
    assert len(a) == 10 and len(set(a)) == 10 and a.tolist() == sorted(a) and a.max() < 100
    assert np.array_equal(a, reports.sample_positions(100, 10, seed=3))
    assert not np.array_equal(a, reports.sample_positions(100, 10, seed=4))


def test_notebook_summary_joins_an_introduced_list_and_keeps_snake_case(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "# Stance\n\nTwo tasks share `arabic_news.stance`, *one* CLI:\n\n* **target** — text → Favor;\n"
        "* **pair** — two headlines → agree.\n\nMore text.")]
    nbformat.write(nb, str(tmp_path / "s.ipynb"))
    assert reports.notebook_summary(tmp_path / "s.ipynb") == (
        "Stance", "Two tasks share arabic_news.stance, one CLI: target — text → Favor; pair — two headlines → agree.")


def test_cell_timings_reads_papermill_durations(tmp_path):
    nb = nbformat.v4.new_notebook()
    slow = nbformat.v4.new_code_cell("# a comment\nfit_model()", metadata={"papermill": {"duration": 12.5}})
    fast = nbformat.v4.new_code_cell("x = 1", metadata={"papermill": {"duration": 0.25}})
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), fast, slow, nbformat.v4.new_code_cell("y = 2")]
    nbformat.write(nb, str(tmp_path / "t.ipynb"))
    assert reports.cell_timings(tmp_path / "t.ipynb", top=5) == [
        {"cell": 2, "seconds": 12.5, "source": "fit_model()"}, {"cell": 1, "seconds": 0.25, "source": "x = 1"}]
    assert reports.cell_timings(tmp_path / "missing.ipynb") == []


def test_notebook_summary_and_strip_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    check = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)", execution_count=3)
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n"),
                     nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
                     nbformat.v4.new_output("display_data", data={"image/png": "AAAA"})]
    plain = nbformat.v4.new_code_cell("print(2)", execution_count=4)
    plain.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# نظرة عامة\n\nملخص **قصير** مع [رابط](http://x)."), check, plain]
    reports.strip_outputs(nb)
    assert [o.get("text") for o in check.outputs] == ["1\n"]
    assert plain.outputs == [] and plain.execution_count is None
    assert check.execution_count == 1     # stable count: nbval ignores references without one
    nbformat.write(nb, str(tmp_path / "x.ipynb"))
    assert reports.notebook_summary(tmp_path / "x.ipynb") == ("نظرة عامة", "ملخص قصير مع رابط.")


def test_discover_notebooks_in_the_project():
    names = [p.name for p in reports.discover_notebooks()]
    assert names[0] == "01-corpus-overview.ipynb" and names == sorted(names)


# ---------------------------------------------------------------------------------------------- headless Chromium

def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def needs_chromium(func):
    """Skip without Chromium on a developer machine; in CI (.ci/run installs it) a missing browser fails."""
    import functools
    import os

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _chromium() is None:
            if os.environ.get("CI"):
                pytest.fail("chromium is missing in CI: .ci/run should have installed the Debian package")
            pytest.skip("chromium is not installed (.ci/run installs the Debian package chromium)")
        return func(*args, **kwargs)

    return wrapper



class _DevTools:
    """Minimal Chrome DevTools Protocol client over the page's websocket."""

    def __init__(self, ws_url: str):
        import websocket

        # no Origin header: Chromium 111+ rejects DevTools websockets from an origin not in --remote-allow-origins
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 30.0):
        import time

        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def drain(self, seconds: float):
        import time

        import websocket

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.ws.settimeout(max(0.05, end - time.monotonic()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        self.ws.settimeout(30)


#: Evaluated in each report page: every table holding Arabic must be laid out right-to-left, every image must
#: have loaded (embedded data), and no code input of a plumbing cell may be visible.
PAGE_CHECK_JS = r"""JSON.stringify((() => {
  const ar = /[\u0600-\u06FF]/;
  const visible = (el) => el.offsetParent !== null && getComputedStyle(el).display !== 'none';
  const tables = [...document.querySelectorAll('table')];
  const cells = (t) => [...t.querySelectorAll('th, td')].map(c => c.innerText).join(' ');
  const arabic = tables.filter(t => ar.test(cells(t)));
  const imgs = [...document.querySelectorAll('img')];
  const inputs = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea')].filter(visible);
  return {
    tables: tables.length,
    arabic_tables: arabic.length,
    ltr_arabic_tables: arabic.filter(t => getComputedStyle(t).direction !== 'rtl').map(t => t.innerText.slice(0, 60)),
    images: imgs.length,
    broken_images: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length,
    code_inputs: inputs.map(el => el.innerText.trim().slice(0, 2000)).filter(s => s),
    headings: [...document.querySelectorAll('h1, h2')].map(h => h.innerText.replace('\u00b6', '').trim()),
  };
})())"""


def open_offline(page, screenshot, *, width: int = 1200, script: str | None = None) -> dict:
    """Open *page* in headless Chromium with the network disabled; save a full-page PNG to *screenshot*.

    Returns the page's requests (``requested``), the ones that failed (``failed``), console errors
    (``errors``), what the page's Content-Security-Policy blocked (``csp_violations``) and, when *script*
    (a JavaScript expression returning a JSON string, evaluated by DevTools: the page's policy does not
    apply to it) is given, its parsed value (``checks``).
    """
    import subprocess
    import tempfile
    import time
    import urllib.request
    from pathlib import Path

    profile = Path(tempfile.mkdtemp(prefix="an-chromium-"))
    proc = subprocess.Popen(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--proxy-server=127.0.0.1:9",
         f"--window-size={width},900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().splitlines()[0]
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page_target = next(t for t in targets if t.get("type") == "page")
        dt = _DevTools(page_target["webSocketDebuggerUrl"])
        dt.call("Network.enable")
        dt.call("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1, uploadThroughput=-1)
        dt.call("Page.enable")
        dt.call("Runtime.enable")
        dt.call("Log.enable")
        dt.call("Page.navigate", url=Path(page).resolve().as_uri())
        dt.wait_for("Page.loadEventFired")
        dt.drain(1.0)  # late requests (fonts, lazy images)
        checks = None
        if script:
            value = dt.call("Runtime.evaluate", expression=script, returnByValue=True)
            checks = json.loads(value["result"]["value"])
        metrics = dt.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = dt.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                       clip={"x": 0, "y": 0, "width": width, "height": min(size["height"], 16000), "scale": 1})
        import base64

        Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
        requested = [e["params"]["request"]["url"] for e in dt.events if e.get("method") == "Network.requestWillBeSent"]
        failed = [e["params"].get("errorText", "") + " " + str(e["params"].get("requestId"))
                  for e in dt.events if e.get("method") == "Network.loadingFailed"]
        console = [str(e["params"]) for e in dt.events if e.get("method") == "Runtime.exceptionThrown"]
        logged = [e["params"]["entry"].get("text", "") for e in dt.events if e.get("method") == "Log.entryAdded"]
        violations = [t for t in logged if "Content Security Policy" in t]
        dt.ws.close()
        return {"requested": requested, "failed": failed, "errors": console, "checks": checks,
                "csp_violations": violations}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        import shutil

        shutil.rmtree(profile, ignore_errors=True)


@needs_chromium
def test_browser_detects_external_requests(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<html><head><script src="https://cdn.example.com/x.js"></script></head>'
                    '<body><h1>x</h1></body></html>', encoding="utf-8")
    result = open_offline(page, tmp_path / "bad.png")
    assert "https://cdn.example.com/x.js" in result["requested"]
    assert result["failed"]


@needs_chromium
def test_reports_open_offline_in_chromium_without_external_requests(run):
    """Each report page and the index load with the network disabled: only file:/data: requests, none failed."""
    from PIL import Image

    _, out = run
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    for page in [out / "index.html", out / "01-corpus-overview.html"]:
        result = open_offline(page, shots / f"{page.stem}.png")
        external = [u for u in result["requested"] if not u.startswith(("file:", "data:"))]
        assert external == [], f"{page.name} requested {external}"
        assert result["failed"] == [], f"{page.name}: failed requests {result['failed']}"
        assert result["errors"] == [], f"{page.name}: script errors {result['errors']}"
        assert result["csp_violations"] == [], f"{page.name}: its policy blocked {result['csp_violations']}"
        with Image.open(shots / f"{page.stem}.png") as im:
            assert im.size[0] == 1200 and im.size[1] > 600
    import os
    import shutil

    keep = os.environ.get("ARABIC_NEWS_SCREENSHOT_DIR")
    if keep:  # to look at them: ARABIC_NEWS_SCREENSHOT_DIR=some/folder pytest tests/test_reports.py
        shutil.copytree(shots, keep, dirs_exist_ok=True)


# ---------------------------------------------------------------------------------------------- the whole main job

N_MAIN_JOB_ARTICLES = 40


@pytest.fixture(scope="module")
def main_job(tmp_path_factory):
    """The whole main job, twice, on a researcher's folder in the seed layout (40 SaudiNewsNet articles with
    their metadata.csv): every notebook, same parameters and seed. The folder is ingested by the job itself
    (into a temporary INTERIM_DIR); the second run reuses that ingest, as a researcher's rerun would."""
    from arabic_news.corpus import DatasetNotAvailable, dataset_path

    try:
        src = dataset_path("seed_format_saudinewsnet")
    except DatasetNotAvailable as exc:
        pytest.skip(f"seed_format_saudinewsnet is not available: {exc}")
    root = tmp_path_factory.mktemp("main_job")
    folder = root / "my_articles"
    folder.mkdir()
    files = sorted(p.name for p in src.glob("*.txt"))[:N_MAIN_JOB_ARTICLES]
    for name in files:
        (folder / name).write_bytes((src / name).read_bytes())
    meta = pd.read_csv(src / "metadata.csv", dtype=str)
    meta[meta["file"].isin(files)].to_csv(folder / "metadata.csv", index=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "INTERIM_DIR", root / "interim")
        first = reports.run_reports(folder, root / "run1", seed=11)
        second = reports.run_reports(folder, root / "run2", seed=11)
    return first, second, root


def _csv_digests(out) -> dict[str, str]:
    files = sorted((out / "tables").rglob("*.csv"))
    return {f.relative_to(out).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def test_main_job_runs_every_notebook_on_a_seed_layout_folder(main_job):
    first, second, root = main_job
    names = [p.stem for p in reports.discover_notebooks()]
    for run in (first, second):
        assert [nb.name for nb in run.notebooks] == names
        assert run.failed == [], [(nb.name, nb.error) for nb in run.failed]
        assert run.n_articles == N_MAIN_JOB_ARTICLES
        assert run.parameters["seed"] == 11
    assert first.corpus_sha256 == second.corpus_sha256
    log = json.loads((root / "run1" / "run_log.json").read_text(encoding="utf-8"))
    executed = {s["notebook"] for s in log["stages"] if s["stage"] == "execute"}
    assert executed == set(names)
    assert all(nb["slowest_cells"] for nb in log["notebooks"])   # per-cell timings of each notebook


def test_rerun_of_every_notebook_gives_identical_csv_tables(main_job):
    """Same corpus, parameters and seed: every CSV every notebook exports is byte-identical (SHA-256)."""
    first, second, root = main_job
    a, b = _csv_digests(root / "run1"), _csv_digests(root / "run2")
    per_notebook = {name: [k for k in a if k.startswith(f"tables/{name}/")] for name in (nb.name for nb in first.notebooks)}
    assert all(per_notebook.values()), f"a notebook exported no CSV table: {per_notebook}"
    assert sorted(a) == sorted(b)
    differing = [k for k in a if a[k] != b[k]]
    assert differing == [], f"tables differ between two runs with the same seed: {differing}"


def test_index_of_the_main_job_summarises_every_notebook(main_job):
    first, _, root = main_job
    index = (root / "run1" / "index.html").read_text(encoding="utf-8")
    for nb in first.notebooks:
        assert f'href="{nb.name}.html"' in index
        assert nb.summary and html.escape(nb.summary) in index
        assert len(nb.summary) > 80          # a paragraph, not just a title
    assert first.corpus_sha256 in index and "<th>seed</th><td><code>11</code>" in index
    assert "<th>scikit-learn</th>" in index and "my_articles" in index


@needs_chromium
def test_every_report_opens_offline_reads_right_to_left_and_hides_plumbing(main_job):
    """Each report of the main job and the index, in headless Chromium with the network disabled: no request
    leaves file:/data:, none fails, no script error; every table holding Arabic is laid out right-to-left,
    every figure is embedded and shown, import cells are hidden. Screenshots go to run1/screenshots (and to
    $ARABIC_NEWS_SCREENSHOT_DIR when set, to look at them)."""
    import os
    import shutil

    from PIL import Image

    first, _, root = main_job
    out = root / "run1"
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    pages = [out / "index.html"] + [Path(nb.html) for nb in first.notebooks]
    assert len(pages) == 1 + len(reports.discover_notebooks())
    for page in pages:
        result = open_offline(page, shots / f"{page.stem}.png", script=PAGE_CHECK_JS)
        external = [u for u in result["requested"] if not u.startswith(("file:", "data:"))]
        assert external == [], f"{page.name} requested {external}"
        assert result["failed"] == [], f"{page.name}: failed requests {result['failed']}"
        assert result["errors"] == [], f"{page.name}: script errors {result['errors']}"
        assert result["csp_violations"] == [], f"{page.name}: its policy blocked {result['csp_violations']}"
        checks = result["checks"]
        assert checks["ltr_arabic_tables"] == [], f"{page.name}: Arabic tables laid out left-to-right"
        assert checks["broken_images"] == 0, f"{page.name}: {checks['broken_images']} image(s) not shown"
        with Image.open(shots / f"{page.stem}.png") as im:
            assert im.size[0] == 1200 and im.size[1] > 600
        if page.name == "index.html":
            continue
        if not page.name.startswith("9"):   # the appendices (seed article, methods) may have no figure
            assert checks["images"] >= 2 and checks["arabic_tables"] >= 1, f"{page.name}: {checks}"
        plumbing = [c for c in checks["code_inputs"]
                    if all(ln.strip().startswith(("import ", "from ", "#")) or not ln.strip() for ln in c.splitlines())]
        assert plumbing == [], f"{page.name}: plumbing cells shown: {plumbing}"
        assert checks["headings"], f"{page.name}: no headings"
    keep = os.environ.get("ARABIC_NEWS_SCREENSHOT_DIR")
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)


# ---------------------------------------------------------------------------------------------- findings and the index

def test_findings_round_trip_as_plain_json(tmp_path):
    import numpy as np

    from arabic_news.reports.findings import read_findings, write_findings

    data = {"n_articles": np.int64(3), "share": np.float32(0.5), "missing": float("nan"),
            "first_date": pd.Timestamp("2015-07-21"), "outlets": pd.DataFrame({"outlet": ["okaz"], "articles": [3]}),
            "warnings": ("أيام بلا مقالات",)}
    path = write_findings(tmp_path / "tables" / "01-x", "overview", data)
    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 1, "section": "overview", "data": {
        "n_articles": 3, "share": 0.5, "missing": None, "first_date": "2015-07-21",
        "outlets": [{"outlet": "okaz", "articles": 3}], "warnings": ["أيام بلا مقالات"]}}
    assert read_findings(tmp_path) == {"overview": {"notebook": "01-x", "data": json.loads(path.read_text())["data"]}}
    assert write_findings("", "overview", data) is None                 # a notebook opened by hand writes nothing
    (tmp_path / "tables" / "02-y").mkdir()
    (tmp_path / "tables" / "02-y" / "findings.json").write_text("{not json", encoding="utf-8")
    assert set(read_findings(tmp_path)) == {"overview"}                  # unreadable findings: left out


def _index_run(tmp_path, notebooks):
    return reports.ReportRun(out_dir=str(tmp_path), source="my folder", corpus_dir=str(tmp_path / "c"),
                             corpus_sha256="ab" * 32, n_articles=3, parameters={"seed": 1},
                             versions={"python": "3"}, notebooks=notebooks, started="2026-01-01T10:00:00+00:00")


def test_index_opens_with_the_findings_escapes_them_and_says_what_is_missing(tmp_path):
    from arabic_news.reports.findings import write_findings

    tables = tmp_path / "tables"
    write_findings(tables / "01-corpus-overview", "overview", {
        "n_articles": 3, "description": f"3 articles {PAYLOAD}",
        "outlets": [{"outlet": "okaz", "name": f"عكاظ {PAYLOAD}", "articles": 2, "share_pct": 66.7, "days": 2}],
        "first_date": "2015-07-21", "last_date": "2015-07-23", "coverage_warnings": [f"No article on 2015-07-22 {PAYLOAD}"]})
    write_findings(tables / "03-actors", "actors", {"rankings": {
        "person": [{"name_ar": f"سلمان {PAYLOAD}", "name_en": "Salman", "articles": 2}],
        "country": [{"name_ar": "السعودية", "name_en": "Saudi Arabia", "articles": 3}]}})
    (tables / "03-actors" / "actor_rankings.csv").write_text("a\n1\n", encoding="utf-8")
    (tables / "03-actors" / f"net {PAYLOAD}.gexf").write_text("<gexf/>", encoding="utf-8")
    page_01 = tmp_path / "01-corpus-overview.html"
    page_01.write_text('<h2 id="Articles-by-outlet">Articles by outlet</h2>', encoding="utf-8")
    nbs = [reports.NotebookResult(name="01-corpus-overview", title="Corpus overview", summary="s", parameters={},
                                  executed="e", html=str(page_01)),
           reports.NotebookResult(name="02-topics", title="Topics", summary="s", parameters={}, executed="e",
                                  html=None, status="failed", error="ValueError: boom"),
           reports.NotebookResult(name="03-actors", title="Actors", summary="s", parameters={}, executed="e",
                                  html=str(tmp_path / "03-actors.html"))]
    page = reports.write_index(_index_run(tmp_path, nbs), tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<img" not in page and PAYLOAD_ESCAPED.split(" ")[0] in page
    assert reports.inline_scripts(page) == [] and reports.external_references(page) == []
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    # findings first: the corpus, then topics (failed: one sentence), then the rankings; method at the bottom
    order = [text.index(s) for s in ("What the corpus says", f"3 articles {PAYLOAD}", f"No article on 2015-07-22 {PAYLOAD}",
                                     f"عكاظ {PAYLOAD}", "the notebook 02-topics failed (ValueError: boom)",
                                     "People", f"سلمان {PAYLOAD}", "Saudi Arabia", "Tone and claims",
                                     "Exported data", "actor_rankings.csv", "Method and provenance", "Software")]
    assert order == sorted(order)
    assert "Tone and claims: not part of this run" in re.sub(r"\s+", " ", text)
    assert 'href="01-corpus-overview.html#Articles-by-outlet"' in page
    assert 'href="tables/03-actors/actor_rankings.csv"' in page
    assert 'href="tables/03-actors/net%20%3Cimg%20src%3Dx' in page      # file names quoted in links too
    assert 'name="arabic-news-corpus-sha256" content="' + "ab" * 32 in page


# ---------------------------------------------------------------------------------------------- the run folder

CORPUS_SIZE_NOTEBOOK = '''import pandas as pd
from pathlib import Path
from arabic_news import reports
_, articles = reports.load_corpus(corpus_dir)
Path(output_dir).mkdir(parents=True, exist_ok=True)
pd.DataFrame({"n": [len(articles)]}).to_csv(Path(output_dir) / f"articles_{len(articles)}.csv", index=False)
reports.write_findings(output_dir, "overview", {"n_articles": len(articles), "description": f"{len(articles)} articles"})'''


def test_rerun_into_the_same_folder_with_another_corpus_leaves_no_stale_table(ingested, tmp_path):
    from arabic_news.corpus import ingest

    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _notebook(nbdir / "01-corpus-overview.ipynb", [
        nbformat.v4.new_markdown_cell("# Size\n\nWrites a table named after the corpus size."),
        nbformat.v4.new_code_cell('corpus_dir = ""\noutput_dir = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(CORPUS_SIZE_NOTEBOOK)])
    small = tmp_path / "small"
    small.mkdir()
    for name in ("001.txt", "002.txt"):
        title, body = ARTICLES[name]
        (small / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    other = tmp_path / "other_corpus"
    ingest(small, other, n_jobs=1, progress=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "my notes.txt").write_text("keep me", encoding="utf-8")
    lines = []
    reports.run_reports(ingested, out, notebooks_dir=nbdir, progress=lines.append)
    assert (out / "tables" / "01-corpus-overview" / "articles_5.csv").is_file()
    assert lines[0].startswith("[1/3] corpus") and lines[-1].startswith("[3/3] index")
    assert any(re.match(r"\[2/3\] 01-corpus-overview: done in \d+ s", ln) for ln in lines), lines

    record = reports.run_reports(other, out, notebooks_dir=nbdir)
    folder = out / "tables" / "01-corpus-overview"
    assert sorted(p.name for p in folder.iterdir()) == ["_corpus.json", "articles_2.csv", "findings.json"]
    digest = hashlib.sha256((other / "articles.parquet").read_bytes()).hexdigest()
    stamp = json.loads((folder / "_corpus.json").read_text(encoding="utf-8"))
    assert stamp["corpus_sha256"] == digest == record.corpus_sha256 and stamp["n_articles"] == 2
    page = (out / "01-corpus-overview.html").read_text(encoding="utf-8")
    assert f'<meta name="arabic-news-corpus-sha256" content="{digest}">' in page and f"<code>{digest}</code>" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2 articles" in index and "5 articles" not in index and "articles_5.csv" not in index
    assert (out / "my notes.txt").read_text(encoding="utf-8") == "keep me"    # not the job's: left alone
    # the kernel's own chatter went to a log file beside the executed copy, not to the terminal
    assert (out / "executed" / "01-corpus-overview.kernel.log").is_file()


def test_three_articles_without_metadata_give_a_complete_report_and_exit_0(tmp_path, capsys):
    """A researcher's folder of 3 articles, no metadata.csv (no outlets, no dates): the job exits 0, every
    section page is written and the index says in a sentence what the skipped analyses need."""
    folder = tmp_path / "three"
    folder.mkdir()
    for name in ("001.txt", "003.txt", "005.txt"):
        title, body = ARTICLES[name]
        (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "INTERIM_DIR", tmp_path / "interim")
        code = main(["report", str(folder), "--out", str(out), "--notebooks", "01,02,03"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "KeyboardInterrupt" not in captured.err and "without encryption" not in captured.err
    assert re.search(r"\[3/5\] 02-topics: done in \d+ s", captured.err)
    index = html.unescape(re.sub(r"<[^>]+>", " ", (out / "index.html").read_text(encoding="utf-8")))
    index = re.sub(r"\s+", " ", index)
    assert "3 articles" in index and "no dates" in index and "metadata.csv" in index
    assert "Topics need at least 20 articles; this corpus has 3" in index
    assert "Tone and claims: not part of this run" in index
    for name in ("01-corpus-overview", "02-topics", "03-actors"):
        assert (out / f"{name}.html").is_file()
        assert json.loads((out / "tables" / name / "findings.json").read_text(encoding="utf-8"))["data"]


def test_table_view_has_no_row_index_escapes_and_highlights():
    from arabic_news.reports.tables import table_view

    df = pd.DataFrame({"actor": ["<b>العراق</b>", "إيران"], "articles": [12, 3]})
    page = table_view(df, highlight="actor").to_html()
    assert "&lt;b&gt;العراق&lt;/b&gt;" in page and "<b>العراق" not in page
    assert 'dir="rtl"' in page and "#fff3bf" in page
    assert "text-align: left" in table_view(df, rtl=False).to_html()


def test_a_named_row_index_becomes_the_first_column_with_readable_headers():
    df = pd.DataFrame({"share_pct": [14.6, 12.9], "n_articles": [291, 257], "first_date": ["2015-07-21"] * 2},
                      index=pd.Index(["Al-Riyadh", "Okaz"], name="outlet"))
    page = reports.styled_table(df).to_html()
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert headers == ["outlet", "share %", "articles", "first date"]   # one header row, no index-name row
    assert "row_heading" not in page and re.findall(r"<tr>", page).__len__() == 3


def test_load_corpus_without_paragraphs_gives_the_same_rows_and_sample(ingested):
    path, full = reports.load_corpus(ingested, sample_size=2, seed=3)
    _, lean = reports.load_corpus(ingested, sample_size=2, seed=3, paragraphs=False)
    assert "paragraphs" in full.columns and "paragraphs" not in lean.columns
    pd.testing.assert_frame_equal(full.drop(columns="paragraphs"), lean)


def test_index_shows_the_period_as_days():
    from arabic_news.reports.index import _overview_block

    block = _overview_block({"n_articles": 3, "outlets": [], "first_date": "2015-07-21T02:16:13",
                             "last_date": "2015-08-11T18:51:33"}, "01-corpus-overview.html")
    assert "<b>2015-07-21 – 2015-08-11</b>" in block and "T02:16" not in block
