"""Executed notebook -> self-contained HTML page with its Content-Security-Policy.

:func:`render_html` embeds images, loads nothing from the network, hides plumbing cells (tags) and stderr, and
puts a Content-Security-Policy (:func:`content_security_policy`, :func:`with_csp`) in every page that permits only
the scripts of the report template, inline styles and ``data:`` images. :func:`external_references` lists what
a page would load from the network (must be nothing).
"""
from __future__ import annotations

import copy
import hashlib
import logging
import re
from pathlib import Path

from arabic_news import config
from arabic_news.reports.errors import ReportError

logger = logging.getLogger(__name__)

#: Cell tags whose input is hidden in the HTML (outputs stay), and tags that remove a whole cell / outputs.
HIDE_INPUT_TAGS = frozenset({"hide", "hide-input", "hide_input", "remove_input", "remove-input", "parameters"})
REMOVE_CELL_TAGS = frozenset({"remove_cell", "remove-cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove_output", "remove-output"})

TEMPLATE_DIR = config.RESOURCES_DIR / "report_template"


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

    from arabic_news.reports.page_features import enhance_page
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
    # code behind a switch (checked cells: code cut, their finding kept), interactive tables, zoomable figures:
    # the renderer's own scripts,
    # allowed by their hashes like the template's
    body, added = enhance_page(body, keep_checked_outputs=True)
    body = with_csp(body, trusted_scripts=trusted + added)
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

