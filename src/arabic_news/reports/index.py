"""``OUT/index.html``: the entry page of a run of the main job."""
from __future__ import annotations

import html
from pathlib import Path

from arabic_news.reports.record import ReportRun
from arabic_news.reports.render import with_csp


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

