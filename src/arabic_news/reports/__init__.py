"""The main job's reports: run the notebooks on a corpus and render self-contained HTML pages.

One module per job:

* :mod:`~arabic_news.reports.run`: :func:`run_reports` (resolve the corpus, execute each notebook with
  papermill, render, write the index and ``run_log.json``), notebook discovery and parameters;
* :mod:`~arabic_news.reports.render`: executed notebook -> HTML page with its Content-Security-Policy;
* :mod:`~arabic_news.reports.tables`: escaped, right-to-left-aware tables and Markdown helpers for notebooks;
* :mod:`~arabic_news.reports.findings`: the key results each notebook hands to the index (``findings.json``);
* :mod:`~arabic_news.reports.index`: ``OUT/index.html``, findings first;
* :mod:`~arabic_news.reports.record`: the run record (``run_log.json``);
* :mod:`~arabic_news.reports.maintenance`: stored notebooks without outputs except nbval's references.

Nothing from the data runs in a page: every data-derived string is HTML-escaped where it reaches HTML
(:func:`styled_table`, :func:`md_escape` / :func:`md_code` for Markdown built in notebooks, ``index.html``),
and every page carries a Content-Security-Policy (:func:`content_security_policy`) that permits only the
scripts of the report template, inline styles and ``data:`` images, and no network at all.

The corpus helpers notebooks use (:func:`load_corpus`, :func:`sample_articles`, :func:`sample_positions`,
:func:`resolve_corpus`) live in :mod:`arabic_news.corpus.loading` and are re-exported here.
"""
from arabic_news.corpus.loading import (
    DEFAULT_CORPUS,
    DEFAULT_SAMPLE_FOR_NOTEBOOKS,
    CorpusNotFoundError,
    load_corpus,
    resolve_corpus,
    sample_articles,
    sample_positions,
)
from arabic_news.reports.errors import ReportError
from arabic_news.reports.findings import read_findings, to_plain, write_findings
from arabic_news.reports.index import write_index
from arabic_news.reports.maintenance import CHECK_MARKER, is_checked_cell, refresh_checked_outputs, strip_outputs
from arabic_news.reports.record import NotebookResult, ReportRun
from arabic_news.reports.render import (
    HIDE_INPUT_TAGS,
    REMOVE_CELL_TAGS,
    REMOVE_OUTPUT_TAGS,
    TEMPLATE_DIR,
    content_security_policy,
    external_references,
    inline_scripts,
    render_html,
    script_hash,
    with_csp,
)
from arabic_news.reports.run import (
    KEY_PACKAGES,
    REPORT_PARAMETERS,
    cell_timings,
    declared_parameters,
    discover_notebooks,
    execute_notebook,
    file_sha256,
    notebook_summary,
    run_reports,
    software_versions,
)
from arabic_news.reports.tables import has_arabic, html_text, md_code, md_escape, rtl_table, styled_table

__all__ = [
    "CHECK_MARKER",
    "DEFAULT_CORPUS",
    "DEFAULT_SAMPLE_FOR_NOTEBOOKS",
    "HIDE_INPUT_TAGS",
    "KEY_PACKAGES",
    "REMOVE_CELL_TAGS",
    "REMOVE_OUTPUT_TAGS",
    "REPORT_PARAMETERS",
    "TEMPLATE_DIR",
    "CorpusNotFoundError",
    "NotebookResult",
    "ReportError",
    "ReportRun",
    "cell_timings",
    "content_security_policy",
    "declared_parameters",
    "discover_notebooks",
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
    "read_findings",
    "to_plain",
    "write_findings",
    "write_index",
]
