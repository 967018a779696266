"""``OUT/index.html``: the entry page of a run of the main job, findings first.

The page opens with what the corpus says, from the findings each notebook recorded
(:mod:`arabic_news.reports.findings`): articles, outlets and period with the coverage warnings; the named topics
with their share and trend; the most named people, organisations, countries and places; the outlets' tone toward
the most mentioned actors; the claims tracked. Each block links to the section of the page it comes from; a
section whose notebook failed, was not run or recorded nothing says so in one sentence. Then the section pages,
the exported data (every CSV table, PNG/SVG figure and GEXF network under ``OUT/tables/``), and at the bottom the
method: corpus provenance (with its checksum), parameters, software versions and timings.

Every string that comes from the data or the file system is HTML-escaped (and quoted in URLs), Arabic text is
marked ``dir="auto"``, and the page carries the reports' Content-Security-Policy (no script at all).
"""
from __future__ import annotations

import html
import re
import urllib.parse
from pathlib import Path
from typing import Any

from arabic_news.reports.findings import FINDINGS_FILE, read_findings
from arabic_news.reports.record import ReportRun
from arabic_news.reports.render import with_csp

#: The findings sections the index shows, in order: (section, notebook prefix, heading, words that find the
#: section's heading in the notebook page).
SECTIONS = (
    ("overview", "01", "The corpus", ("glance", "outlet")),
    ("topics", "02", "Topics", ("the-topics", "topics")),
    ("actors", "03", "Who is named most", ("named-most", "who")),
    ("stance", "04", "Tone and claims", ("tone", "claim")),
)
#: Actor types ranked on the index (one ranking each), with their headings.
ACTOR_TYPES = (("person", "People"), ("organization", "Organisations"), ("country", "Countries"),
               ("place", "Places"))
#: Files under OUT/tables/ listed as exported data, by kind.
EXPORT_KINDS = {".csv": "table (CSV)", ".png": "figure (PNG)", ".svg": "figure (SVG)", ".gexf": "network (GEXF)",
                ".graphml": "network (GraphML)"}
#: Small provenance file written into every table folder (see :func:`arabic_news.reports.run.run_reports`).
CORPUS_STAMP = "_corpus.json"

_INDEX_CSS = """
:root { --ink: #1b1b1b; --muted: #5b6270; --line: #e2e4e8; --accent: #0b5cab; --warn-bg: #fff7e0; --warn: #8a5a00; }
body { font-family: "DejaVu Sans", "Noto Sans Arabic", Arial, sans-serif; max-width: 1180px; margin: 1.5em auto;
       padding: 0 1.2em; color: var(--ink); line-height: 1.45; }
h1 { font-size: 1.7em; margin: .2em 0 .1em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05em; margin: 0 0 .4em; } a { color: var(--accent); }
.lede { font-size: 1.15em; margin: .3em 0 .8em; } .muted, small { color: var(--muted); }
p, li, td, th { unicode-bidi: plaintext; }
table { border-collapse: collapse; margin: .3em 0; } td, th { border-bottom: 1px solid var(--line); padding: .2em .5em; text-align: start; vertical-align: top; }
th { background: #f6f7f9; font-weight: 600; } td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.failed { color: #b00020; font-weight: bold; } code { font-size: .92em; }
.facts { display: flex; flex-wrap: wrap; gap: .6em 2.2em; margin: .6em 0 1em; }
.fact b { display: block; font-size: 1.6em; line-height: 1.1; } .fact span { color: var(--muted); font-size: .9em; }
.warn { background: var(--warn-bg); border-inline-start: 4px solid #e0a800; padding: .5em .9em; margin: .6em 0; }
.warn li { color: var(--warn); } .warn ul { margin: .2em 0; padding-inline-start: 1.2em; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1em; margin: .8em 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .8em 1em; background: #fff; }
.card.wide { grid-column: 1 / -1; }
.card h3 a { text-decoration: none; } .more { font-size: .88em; }
.needs { color: var(--muted); font-style: italic; }
.rank { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: .4em 1.2em; }
table.an-rtl { margin-left: auto; } .rank table.an-rtl, .card table.an-rtl { width: 100%; }
.scroll { overflow-x: auto; } th.wrap { white-space: normal; min-width: 5.5em; }
.spark { vertical-align: middle; } .pos { background: #dff3e4; } .neg { background: #fbe3e0; }
.nb { margin: .6em 0; padding: .5em .9em; border: 1px solid var(--line); border-radius: 6px; }
details { margin: .4em 0; } summary { cursor: pointer; color: var(--accent); }
footer { margin-top: 2.5em; padding-top: .6em; border-top: 1px solid var(--line); color: var(--muted); font-size: .85em; }
"""

esc = html.escape


def _num(value: Any, *, digits: int = 0) -> str:
    """A number from findings as text (thousands separated); anything else escaped, missing as ''."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else esc(str(value))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return esc(str(value))


def _text(value: Any) -> str:
    return "" if value is None else esc(str(value))


def _rows(value: Any) -> list[dict]:
    """The dict rows of a findings list (anything else is left out)."""
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _href(*parts: str, anchor: str = "") -> str:
    """A relative URL from path parts (each quoted), with an optional #anchor; HTML-escaped for an attribute."""
    url = "/".join(urllib.parse.quote(p) for p in parts)
    if anchor:
        url += "#" + urllib.parse.quote(anchor, safe="-._~")
    return esc(url)


_HEADING_ID_RE = re.compile(r"<h[1-4]\b[^>]*\bid=\"([^\"]+)\"", re.IGNORECASE)


def _heading_ids(page: Path | None) -> list[str]:
    if page is None or not page.is_file():
        return []
    return [html.unescape(i) for i in _HEADING_ID_RE.findall(page.read_text(encoding="utf-8", errors="replace"))]


def section_anchor(page: Path | None, keywords: tuple[str, ...]) -> str:
    """The id of the first heading of *page* whose id contains one of *keywords* (tried in order), '' if none."""
    ids = _heading_ids(page)
    for word in keywords:
        for heading_id in ids:
            if word.lower() in heading_id.lower():
                return heading_id
    return ""


def _sparkline(values: list[float], *, width: int = 110, height: int = 22) -> str:
    """An inline SVG line of *values* (numbers only reach the markup)."""
    pts = [v for v in values if v is not None]
    if len(pts) < 2:
        return ""
    lo, hi = min(pts), max(pts)
    span = (hi - lo) or 1.0
    step = width / (len(pts) - 1)
    coords = " ".join(f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}" for i, v in enumerate(pts))
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="trend"><title>{len(pts)} periods: from {pts[0]:.1f} to {pts[-1]:.1f} '
            f'(lowest {lo:.1f}, highest {hi:.1f})</title><polyline fill="none" stroke="#0b5cab" stroke-width="1.5" points="{coords}"/></svg>')


# ----------------------------------------------------------------------------------------------- findings blocks

def _day(value: Any) -> Any:
    """A date or timestamp from findings as its day (``2015-07-21T02:16:13`` -> ``2015-07-21``); anything else
    unchanged."""
    text = str(value)
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}([T ]|$)", text) else value


def _overview_block(data: dict, link: str) -> str:
    n = data.get("n_articles")
    outlets = _rows(data.get("outlets"))
    first, last = data.get("first_date"), data.get("last_date")
    facts = [f'<div class="fact"><b>{_num(n)}</b><span>articles</span></div>',
             f'<div class="fact"><b>{len(outlets):,}</b><span>outlets</span></div>']
    if first and last:
        facts.append(f'<div class="fact"><b>{_text(_day(first))} – {_text(_day(last))}</b><span>period</span></div>')
    else:
        facts.append('<div class="fact"><b>—</b><span>no dates</span></div>')
    warnings = [w for w in (data.get("coverage_warnings") or []) if isinstance(w, str)] \
        if isinstance(data.get("coverage_warnings"), list) else []
    warn = ("<div class=\"warn\"><b>Before comparing counts:</b><ul>"
            + "".join(f'<li dir="auto">{esc(w)}</li>' for w in warnings) + "</ul></div>") if warnings else ""
    shown = outlets[:10]
    rows = "".join(
        f'<tr><td dir="auto">{_text(o.get("name") or o.get("outlet"))}</td><td class="n">{_num(o.get("articles"))}</td>'
        f'<td class="n">{_num(_float(o.get("share_pct")), digits=1)}%</td><td class="n">{_num(o.get("days"))}</td></tr>'
        for o in shown)
    more = f'<p class="more">… and {len(outlets) - len(shown):,} more outlets.</p>' if len(outlets) > len(shown) else ""
    table = (f'<table><tr><th>outlet</th><th class="n">articles</th><th class="n">share</th>'
             f'<th class="n">days</th></tr>{rows}</table>{more}') if outlets else \
        '<p class="needs">No article has an outlet: give the folder a <code>metadata.csv</code> (see the README).</p>'
    return (f'<p class="lede" dir="auto">{_text(data.get("description"))}</p>'
            f'<div class="facts">{"".join(facts)}</div>{warn}'
            f'<div class="card"><h3><a href="{link}">Articles by outlet</a></h3>{table}</div>')


def _topics_block(data: dict, link: str) -> str:
    topics = _rows(data.get("topics"))
    if not topics:
        need = data.get("needs") or "No topics were recorded for this corpus."
        return f'<p class="needs" dir="auto">{_text(need)}</p>'
    rows = []
    for t in sorted(topics, key=lambda t: -(_float(t.get("share_pct")) or 0.0)):
        trend = [_float(p.get("share_pct")) for p in _rows(t.get("trend"))]
        rows.append(f'<tr><td dir="auto">{_text(t.get("label"))}</td>'
                    f'<td class="n">{_num(_float(t.get("share_pct")), digits=1)}%</td>'
                    f'<td class="n">{_num(t.get("articles"))}</td><td>{_sparkline(trend)}</td></tr>')
    period = _text(data.get("trend_period") or "period")
    sentence = f'<p dir="auto"><small>{_text(data.get("k_sentence"))}</small></p>' if data.get("k_sentence") else ""
    return (f'<table><tr><th>topic (top words as written)</th><th class="n">share of articles</th>'
            f'<th class="n">articles</th><th>share per {period}</th></tr>{"".join(rows)}</table>{sentence}'
            f'<p class="more"><a href="{link}">Topics page: top words, representative articles, outlets, time</a></p>')


def _actors_block(data: dict, link: str) -> str:
    rankings = data.get("rankings") if isinstance(data.get("rankings"), dict) else {}
    cols = []
    for actor_type, heading in ACTOR_TYPES:
        rows = _rows(rankings.get(actor_type))
        if rows:
            body = "".join(
                f'<tr><td dir="auto">{_text(r.get("name_ar"))}'
                + (f'<br><small dir="auto">{_text(r.get("name_en"))}</small>' if r.get("name_en") else "")
                + f'</td><td class="n">{_num(r.get("articles"))}</td></tr>' for r in rows)
            cols.append(f'<div><h3>{heading}</h3><table><tr><th>name</th><th class="n">articles</th></tr>'
                        f'{body}</table></div>')
        else:
            cols.append(f'<div><h3>{heading}</h3><p class="needs">none named</p></div>')
    need = f'<p class="needs" dir="auto">{_text(data.get("needs"))}</p>' if data.get("needs") else ""
    ties = _rows(data.get("ties"))
    tie_html = ""
    if ties:
        tie_html = ("<p><b>Strongest ties</b> (named together more often than chance): "
                    + "; ".join(f'<span dir="auto">{_text(t.get("a"))} – {_text(t.get("b"))}</span> '
                                f'({_num(t.get("articles"))} articles)' for t in ties) + "</p>")
    return (f'{need}<div class="rank">{"".join(cols)}</div>{tie_html}'
            f'<p class="more"><a href="{link}">Actors page: rankings with sampled mentions, outlets, time, '
            'network</a></p>')


def _stance_block(data: dict, link_tone: str, link_claims: str) -> str:
    parts = []
    by_outlet = _rows(data.get("tone_by_outlet"))
    actors = _rows(data.get("tone_actors"))
    if by_outlet:
        actor_order = [a.get("actor") for a in actors] or list(dict.fromkeys(r.get("actor") for r in by_outlet))
        outlet_mentions: dict[str, float] = {}
        names: dict[str, str] = {}
        for r in by_outlet:
            key = str(r.get("outlet"))
            outlet_mentions[key] = outlet_mentions.get(key, 0) + (_float(r.get("mentions")) or 0)
            names[key] = str(r.get("outlet_name") or key)
        outlets = sorted(outlet_mentions, key=lambda k: (-outlet_mentions[k], k))[:6]
        sentence = data.get("tone_outlets_sentence")
        effects = (f'<p dir="auto"><b>Outlet differences, adjusted for topic:</b> {_text(sentence)}</p>'
                   if sentence else "")
        cell = {(str(r.get("actor")), str(r.get("outlet"))): r for r in by_outlet}
        head = "".join(f'<th class="n wrap" dir="auto">{esc(names[o])}</th>' for o in outlets)
        body = []
        for actor in actor_order[:8]:
            tds = []
            for o in outlets:
                r = cell.get((str(actor), o))
                tone = _float(r.get("tone")) if r else None
                css = "" if tone is None else (' pos' if tone > 0.5 else (' neg' if tone < -0.5 else ""))
                shown_tone = "" if tone is None else ("0.0" if round(tone, 1) == 0 else f"{tone:+.1f}")
                tds.append(f'<td class="n{css}" title="{_num(r.get("mentions")) if r else 0} mentions">'
                           f'{shown_tone}</td>')
            body.append(f'<tr><td dir="auto">{_text(actor)}</td>{"".join(tds)}</tr>')
        parts.append(f'<div class="card wide"><h3><a href="{link_tone}">Tone toward the most mentioned actors, '
                     f'by outlet</a></h3><div class="scroll" dir="rtl"><table dir="rtl"><tr><th>actor</th>{head}</tr>'
                     f'{"".join(body)}</table></div><p><small>Lexicon tone of the sentences naming the actor '
                     '(positive minus negative words per 100 words, with negation, intensifiers and contrast '
                     'read by rules); indicative, not a measure of bias. Empty: the outlet does not name the '
                     f'actor.</small></p>{effects}</div>')
    elif actors:
        rows = "".join(f'<tr><td dir="auto">{_text(a.get("actor"))}</td><td class="n">'
                       f'{_num(_float(a.get("tone")), digits=1)}</td><td class="n">{_num(a.get("mentions"))}</td></tr>'
                       for a in actors)
        parts.append(f'<div class="card"><h3><a href="{link_tone}">Tone toward the most mentioned actors</a></h3>'
                     f'<table><tr><th>actor</th><th class="n">tone</th><th class="n">mentions</th></tr>{rows}'
                     '</table></div>')
    else:
        need = data.get("tone_needs") or "No tone toward actors was recorded for this corpus."
        parts.append(f'<div class="card"><h3>Tone toward actors</h3><p class="needs" dir="auto">{_text(need)}</p></div>')
    claims = _rows(data.get("claims"))
    if claims:
        # only the stance labels whose cross-validated precision reached the stated level (older findings: all)
        shown = [lab for lab in (data.get("claims_labels_shown") or ("agree", "disagree", "discuss"))
                 if lab in ("agree", "disagree", "discuss")]
        cols = [("n_related", "related"), *[(f"n_{lab}", lab) for lab in shown],
                ("n_uncertain", "stance uncertain")] if "n_related" in claims[0] else \
            [("n_retrieved", "articles retrieved"), *[(f"n_{lab}", lab) for lab in shown]]
        rows = "".join(
            f'<tr><td dir="auto">{_text(c.get("claim") or c.get("claim_id"))}</td>'
            + "".join(f'<td class="n">{_num(c.get(k))}</td>' for k, _ in cols)
            + "</tr>" for c in claims)
        head = "".join(f'<th class="n">{_text(name)}</th>' for _, name in cols)
        hidden = [lab for lab in ("agree", "disagree", "discuss") if lab not in shown]
        note = ("<p><small>Articles of the corpus that report on each claim. A stance is shown only where the claim "
                "model's cross-validated precision reaches the stated level"
                + (f"; {esc(', '.join(hidden))} never reach it, so those articles count as <i>stance uncertain</i>"
                   if hidden else "") + ".</small></p>") if "n_related" in claims[0] else ""
        parts.append(f'<div class="card wide"><h3><a href="{link_claims}">Claims tracked</a></h3><table><tr>'
                     f'<th>claim</th>{head}</tr>{rows}</table>{note}</div>')
    elif "claims" in data:
        parts.append('<div class="card"><h3>Claims tracked</h3><p class="needs">No claim was tracked.</p></div>')
    return f'<div class="grid">{"".join(parts)}</div>'


def _missing_sentence(title: str, nb, prefix: str) -> str:
    if nb is None:
        return f"{title}: not part of this run (its notebook {prefix}-* was not selected)."
    if nb.status != "ok":
        page = f' <a href="{_href(Path(nb.html).name)}">See its page</a>.' if nb.html else ""
        return f"{title}: the notebook {esc(nb.name)} failed ({esc(nb.error)}), so its findings are missing.{page}"
    return f"{title}: the notebook {esc(nb.name)} recorded no findings ({FINDINGS_FILE}); see its page."


def _findings_html(run: ReportRun, out_dir: Path) -> str:
    findings = read_findings(out_dir)
    by_prefix = {nb.name[:2]: nb for nb in run.notebooks}
    blocks = []
    for section, prefix, title, keywords in SECTIONS:
        nb = by_prefix.get(prefix)
        found = findings.get(section)
        page = out_dir / Path(nb.html).name if nb is not None and nb.html else None
        page_name = page.name if page is not None else ""
        if found is None or nb is None or nb.status != "ok":
            sentence = _missing_sentence(title, nb, prefix)
            blocks.append(f'<section id="{section}"><h2>{esc(title)}</h2><p class="needs">{sentence}</p></section>')
            continue
        data = found["data"]
        link = _href(page_name, anchor=section_anchor(page, keywords)) if page_name else "#"
        if section == "overview":
            body = _overview_block(data, _href(page_name, anchor=section_anchor(page, ("outlet",))) or link)
        elif section == "topics":
            body = _topics_block(data, link)
        elif section == "actors":
            body = _actors_block(data, link)
        else:
            body = _stance_block(data, _href(page_name, anchor=section_anchor(page, ("tone",))),
                                 _href(page_name, anchor=section_anchor(page, ("claim",))))
        heading = f'<a href="{link}">{esc(title)}</a>' if page_name else esc(title)
        blocks.append(f'<section id="{section}"><h2>{heading}</h2>{body}</section>')
    return "\n".join(blocks)


# ----------------------------------------------------------------------------------------------- exports

def exported_files(out_dir: Path) -> dict[str, list[Path]]:
    """Exported tables, figures and networks under ``OUT/tables/`` (and ``OUT/figures/``), by folder."""
    groups: dict[str, list[Path]] = {}
    for root_name in ("tables", "figures"):
        root = out_dir / root_name
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in EXPORT_KINDS and not path.name.startswith("."):
                groups.setdefault(path.parent.relative_to(out_dir).as_posix(), []).append(path)
    return groups


def _exports_html(run: ReportRun, out_dir: Path) -> str:
    groups = exported_files(out_dir)
    if not groups:
        return "<p class=\"needs\">No table, figure or network was exported.</p>"
    titles = {f"tables/{nb.name}": nb.title for nb in run.notebooks}
    out = []
    for folder, files in groups.items():
        items = "".join(
            f'<li><a href="{_href(*p.relative_to(out_dir).parts)}" dir="auto">{esc(p.name)}</a> '
            f'<small>{EXPORT_KINDS[p.suffix.lower()]}, {p.stat().st_size / 1024:,.1f} KB</small></li>' for p in files)
        title = titles.get(folder, folder)
        out.append(f'<details><summary dir="auto">{esc(title)} — {len(files):,} file(s) in <code>{esc(folder)}/</code>'
                   f'</summary><ul>{items}</ul></details>')
    return "".join(out)


# ----------------------------------------------------------------------------------------------- the page

def write_index(run: ReportRun, path: Path) -> Path:
    """Write ``index.html`` for *run* (see the module docstring) and return its path.

    Every value is HTML-escaped and the page carries the reports' Content-Security-Policy (no script at all).
    """
    path = Path(path)
    out_dir = path.parent
    items = []
    for nb in run.notebooks:
        link = (f'<a href="{_href(Path(nb.html).name)}">{esc(nb.title)}</a>' if nb.html else esc(nb.title))
        status = "" if nb.status == "ok" else f' <span class="failed">failed: {esc(nb.error)}</span>'
        items.append(
            f'<div class="nb"><h3 dir="auto">{link}{status}</h3>'
            f'<p dir="auto">{esc(nb.summary)}</p>'
            f'<p><small>notebook <code>{esc(nb.name)}.ipynb</code> · executed copy '
            f'<code>executed/{esc(nb.name)}.ipynb</code> · {nb.seconds_execute:.1f} s</small></p></div>'
        )
    failed_note = ""
    if run.failed:
        failed_note = ('<p class="failed">' + f"{len(run.failed)} of {len(run.notebooks)} section(s) failed: "
                       + ", ".join(esc(nb.name) for nb in run.failed) + " (details below).</p>")
    params_rows = "".join(f"<tr><th>{esc(k)}</th><td><code>{esc(str(v))}</code></td></tr>" for k, v in run.parameters.items())
    stage_rows = "".join(
        f"<tr><td>{esc(str(st.get('stage', '')))}</td><td>{esc(str(st.get('notebook', '')))}</td>"
        f"<td class=\"n\">{float(st.get('seconds', 0)):.1f}</td></tr>"
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
<meta name="arabic-news-corpus-sha256" content="{esc(run.corpus_sha256)}">
<title>arabic-news report: what the corpus says</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<p class="muted">arabic-news report · corpus <code dir="auto">{esc(run.source)}</code> · {run.n_articles:,} articles
· generated {esc(run.started.replace("T", " ")[:16])} UTC</p>
<h1>What the corpus says</h1>
{failed_note}
{_findings_html(run, out_dir)}
<h2>Section pages</h2>
{''.join(items)}
<h2>Exported data</h2>
<p>Every table (CSV, UTF-8), figure (PNG/SVG) and network (GEXF) the sections exported, for your own analysis.
Each folder's <code>{CORPUS_STAMP}</code> records the corpus it was built from.</p>
{_exports_html(run, out_dir)}
<h2>Method and provenance</h2>
<p>Built by <code>arabic-news report</code> in {run.total_seconds:.1f} s: {len(run.notebooks)} notebook(s),
{len(run.failed)} failed. Each section page describes its method; its executed notebook is in <code>executed/</code>.</p>
<h3>Corpus</h3>
<table>
<tr><th>source</th><td><code dir="auto">{esc(run.source)}</code></td></tr>
<tr><th>ingested corpus</th><td><code dir="auto">{esc(run.corpus_dir)}</code></td></tr>
<tr><th>articles</th><td>{run.n_articles:,}</td></tr>
<tr><th>articles.parquet SHA-256</th><td><code>{esc(run.corpus_sha256)}</code></td></tr>
{gazetteer_row}</table>
<h3>Parameters</h3>
<table>{params_rows}</table>
<h3>Software</h3>
<table>{version_rows}</table>
<h3>Wall time per stage</h3>
<table><tr><th>stage</th><th>notebook</th><th class="n">seconds</th></tr>{stage_rows}</table>
<p>Also in <code>run_log.json</code>, with peak memory.</p>
<footer>Built from the corpus with articles.parquet SHA-256 <code>{esc(run.corpus_sha256)}</code>.</footer>
</body>
</html>
"""
    path.write_text(with_csp(_rtl_tables(page)), encoding="utf-8")
    return path


_TABLE_RE = re.compile(r"<table>(.*?)</table>", re.DOTALL)


def _rtl_tables(page: str) -> str:
    """Every table that holds Arabic text reads right-to-left (first column on the right), as in the reports."""
    from arabic_news.reports.tables import has_arabic

    def fix(m: re.Match) -> str:
        inner = m.group(1)
        return f'<table dir="rtl" class="an-rtl">{inner}</table>' if has_arabic(html.unescape(inner)) else m.group(0)

    return _TABLE_RE.sub(fix, page)


__all__ = ["ACTOR_TYPES", "CORPUS_STAMP", "EXPORT_KINDS", "SECTIONS", "exported_files", "section_anchor",
           "write_index"]
