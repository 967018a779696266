"""Reports never execute anything from the data: the whole main job on a hostile corpus, opened in Chromium.

A folder in the seed layout carries script payloads in every field a researcher's corpus can hold -- titles and
bodies (raw and entity-encoded), file names, the folder's own name, metadata.csv's source/label/date/url, a
claims file and a user gazetteer entry (``ARABIC_NEWS_GAZETTEER``). Each payload would set ``data-pwned`` on
``<body>`` to a marker naming its field. The main job runs every notebook on it once; every page is then
opened in headless Chromium with the network disabled: no marker is set, the payloads are visible as text
(so the test is not vacuous), and no Content-Security-Policy violation was needed to stop them (the escaping
alone holds). Separately, a script slipped into a rendered page is blocked by the page's policy.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from test_reports import needs_chromium, open_offline

from arabic_news import config, reports


def _set(marker: str) -> str:
    return f"document.body.setAttribute('data-pwned','{marker}')"


def img(marker: str) -> str:
    return f'<img src=x onerror="{_set(marker)}">'


def script(marker: str) -> str:
    return f"<script>{_set(marker)}</script>"


def svg(marker: str) -> str:
    return f'<svg onload="{_set(marker)}">'


def entity(marker: str) -> str:
    return html.escape(img(marker), quote=False)      # &lt;img src=x onerror="..."&gt;


#: Markers of payloads that must reach the pages as visible text (titles and bodies lose theirs at ingest).
#: Payloads the pages show as text (the guard against a vacuous test). The others still sit in the corpus and are
#: checked not to run, but no page prints them: an unparseable date is stored as NaT and counted, file paths are
#: not shown (duplicates and rejects are listed by headline), and an actor of an unknown type is in no ranking.
# every payload must be shown as text somewhere, except the claim id: pages name claims by their label or text,
# never by id (it still may not run anywhere: data-pwned is checked on every page)
VISIBLE_MARKERS = ("folder", "interim", "file-img", "source", "source-entity", "label", "claim", "gazetteer-type")
N_REAL_ARTICLES = 20
ACTOR_AR = "فلان الفلاني"   # the user gazetteer's actor, named in the hostile articles

HOSTILE_BODY = (
    f"قال {ACTOR_AR} في الرياض اليوم إن المشروع الجديد يبدأ الشهر المقبل., "
    f"وأضاف {ACTOR_AR} أن {script('body-script')} الوزارة تتابع التنفيذ., "
    f"وأكد {ACTOR_AR} {img('body-img')} أن {entity('body-entity')} العمل مستمر في جدة والدمام., "
    f"وختم {ACTOR_AR} حديثه بالشكر للمواطنين {svg('body-svg')}."
)


def build_hostile_folder(parent: Path, real: Path) -> tuple[Path, Path, Path]:
    """``(articles folder, claims file, user gazetteer)``: N_REAL_ARTICLES SaudiNewsNet articles from *real*
    plus hostile ones, under *parent* (the folder's own name is a payload)."""
    folder = parent / f"articles {img('folder')}"
    folder.mkdir(parents=True)
    files = sorted(p.name for p in real.glob("*.txt"))[:N_REAL_ARTICLES]
    for name in files:
        (folder / name).write_bytes((real / name).read_bytes())
    meta = pd.read_csv(real / "metadata.csv", dtype=str)
    meta = meta[meta["file"].isin(files)].reset_index(drop=True)
    meta["label"] = ["محليات" if i % 2 else "اقتصاد" for i in range(len(meta))]
    meta.loc[0, "source"] = entity("source-entity")           # metadata is data: shown as written, escaped
    # hostile articles: the title written with entities (the probe), the body with raw and encoded tags
    (folder / "h01.txt").write_text(f"عاجل {entity('title-entity')} من الرياض\n\n{HOSTILE_BODY}\n", encoding="utf-8")
    (folder / "h02.txt").write_text(f"{script('title-script')}افتتاح مشروع في جدة\n\n{HOSTILE_BODY} "
                                    "وفي جدة افتتح المحافظ مشروعاً جديداً للمياه بحضور عدد من المسؤولين.\n",
                                    encoding="utf-8")
    (folder / "h03.txt").write_text(f"&amp;lt;svg onload=&amp;quot;{_set('title-double')}&amp;quot;&amp;gt;خبر "
                                    f"من الدمام\n\n{HOSTILE_BODY} وفي الدمام قال مسؤول إن الطرق مفتوحة.\n",
                                    encoding="utf-8")
    # a file named with a payload, loaded (no metadata row: flagged, so its name is listed) ...
    (folder / f"{svg('file-svg')}.txt").write_text(
        f"زيارة إلى الدمام\n\n{HOSTILE_BODY} وزار {ACTOR_AR} الدمام مساء أمس.\n", encoding="utf-8")
    # ... and one rejected (not Arabic): rejected inputs are listed with their path
    (folder / f"{img('file-img')}.txt").write_text("An English note.\n\nNot an Arabic article at all.\n",
                                                     encoding="utf-8")
    hostile = pd.DataFrame([
        {"file": "h01.txt", "source": img("source"), "url": f"javascript:{_set('url')}", "date": "2015-08-09",
         "label": script("label")},
        {"file": "h02.txt", "source": img("source"), "url": "http://example.org/h02", "date": svg("date"),
         "label": "محليات"},
        {"file": "h03.txt", "source": "okaz", "url": f'http://example.org/"><script>{_set("url-2")}</script>',
         "date": "2015-08-10", "label": script("label")},
    ])
    pd.concat([meta, hostile], ignore_index=True).to_csv(folder / "metadata.csv", index=False)
    claims = parent / "claims.yaml"
    claims.write_text(
        "claims:\n"
        f"  - id: {json.dumps(img('claim-id'))}\n"
        f"    claim: {json.dumps(script('claim') + ' قال ' + ACTOR_AR + ' إن المشروع يبدأ في الرياض الشهر المقبل')}\n"
        f"    note: {json.dumps(svg('claim-note'))}\n"
        "  - id: coalition_yemen\n"
        "    claim: طائرات التحالف بقيادة السعودية تشن غارات على مواقع الحوثيين في اليمن\n",
        encoding="utf-8")
    gazetteer = parent / "my_actors.yaml"
    gazetteer.write_text(
        "- id: 'person:my-actor'\n"
        f"  name_en: {json.dumps(svg('gazetteer-name'))}\n"
        f"  name_ar: {ACTOR_AR}\n"
        f"  type: {json.dumps(img('gazetteer-type'))}\n",
        encoding="utf-8")
    return folder, claims, gazetteer


@pytest.fixture(scope="module")
def hostile_job(tmp_path_factory):
    """The whole main job, once, on the hostile folder (claims file and user gazetteer included)."""
    from arabic_news.corpus import DatasetNotAvailable, dataset_path

    try:
        real = dataset_path("seed_format_saudinewsnet")
    except DatasetNotAvailable as exc:
        pytest.skip(f"seed_format_saudinewsnet is not available: {exc}")
    root = tmp_path_factory.mktemp("hostile")
    folder, claims, gazetteer = build_hostile_folder(root, real)
    with pytest.MonkeyPatch.context() as mp:
        # the ingested corpus's path is a notebook parameter shown on every page: a payload too
        mp.setattr(config, "INTERIM_DIR", root / f"interim {img('interim')}")
        mp.setenv("ARABIC_NEWS_GAZETTEER", str(gazetteer))
        run = reports.run_reports(folder, root / "out", seed=11, claims_file=claims)
    return run, root / "out", folder


def _pages(run, out) -> list[Path]:
    return [out / "index.html"] + [Path(nb.html) for nb in run.notebooks]


def test_hostile_corpus_runs_every_notebook(hostile_job):
    run, out, folder = hostile_job
    assert [nb.name for nb in run.notebooks] == [p.stem for p in reports.discover_notebooks()]
    assert run.failed == [], [(nb.name, nb.error) for nb in run.failed]
    assert run.n_articles == N_REAL_ARTICLES + 4
    assert run.user_gazetteer and run.user_gazetteer[0].endswith("my_actors.yaml")
    assert "my_actors.yaml" in (out / "index.html").read_text(encoding="utf-8")


def test_no_stored_title_or_body_holds_markup(hostile_job):
    from arabic_news.corpus import load_articles

    run, _, _ = hostile_job
    articles = load_articles(run.corpus_dir)
    text = articles["title"] + "\n" + articles["body"]
    assert not text.str.contains(r"<[A-Za-z/!?]|onerror|onload|setAttribute", regex=True).any()
    titles = set(articles["title"])
    assert {"عاجل من الرياض", "افتتاح مشروع في جدة", "خبر من الدمام", "زيارة إلى الدمام"} <= titles
    body = articles.loc[articles["title"] == "عاجل من الرياض", "body"].iloc[0]
    assert body.splitlines()[1] == f"وأضاف {ACTOR_AR} أن الوزارة تتابع التنفيذ."


_CSP = ("default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'")


def _expected_csp(text: str) -> str:
    """The policy a page must carry: the renderer's own page script (tables, zoom) allowed by its hash on a
    notebook page, no script at all on the index."""
    from arabic_news.reports.page_features import page_script

    own = page_script()
    return _CSP.format(scripts=reports.script_hash(own) if f"<script>{own}</script>" in text else "'none'")


def test_every_page_carries_the_policy_first_in_head_and_no_script(hostile_job):
    run, out, _ = hostile_job
    for page in _pages(run, out):
        text = page.read_text(encoding="utf-8")
        head = re.search(r"<head\b[^>]*>\s*(<[^>]+>)", text, re.I)
        assert head and head.group(1) == (f'<meta http-equiv="Content-Security-Policy" '
                                          f'content="{_expected_csp(text)}">'), page.name
        assert text.count('http-equiv="Content-Security-Policy"') == 1, page.name
        from arabic_news.reports.page_features import page_script

        others = [s for s in reports.inline_scripts(text) if s != page_script()]
        assert others == [] and len(re.findall(r"<script", text, re.I)) <= 1, \
            f"{page.name}: a <script> element other than the renderer's reached the page"
        assert not re.search(r"<(?:img|svg)\b[^>]*\bon(?:error|load)\s*=", text, re.I), page.name


#: Evaluated in each page after load: the body attribute, the visible text's payload markers, the policy.
HOSTILE_CHECK_JS = r"""JSON.stringify({
  pwned: document.body.getAttribute('data-pwned'),
  markers: [...document.body.textContent.matchAll(/setAttribute\(\\?'data-pwned\\?',\\?'([a-z0-9-]+)\\?'\)/g)]
    .map(m => m[1]),
  onerror: document.body.textContent.includes('onerror='),
  csp: [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map(m => m.content),
  tables: document.querySelectorAll('table').length,
})"""


@needs_chromium
def test_no_payload_runs_on_any_page_and_every_payload_is_shown_as_text(hostile_job):
    import os
    import shutil

    run, out, _ = hostile_job
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    seen: dict[str, set[str]] = {}
    for page in _pages(run, out):
        result = open_offline(page, shots / f"{page.stem}.png", script=HOSTILE_CHECK_JS)
        checks = result["checks"]
        assert checks["pwned"] is None, f"{page.name}: payload {checks['pwned']!r} ran"
        assert checks["csp"] == [_expected_csp(page.read_text(encoding="utf-8"))], page.name
        assert checks["onerror"], f"{page.name}: no payload visible as text (the test would be vacuous)"
        external = [u for u in result["requested"] if not u.startswith(("file:", "data:"))]
        assert external == [] and result["failed"] == [], f"{page.name}: {external} {result['failed']}"
        assert result["errors"] == [], f"{page.name}: script errors {result['errors']}"
        # escaping alone stopped everything: the policy had nothing to block
        assert result["csp_violations"] == [], f"{page.name}: {result['csp_violations']}"
        seen[page.name] = set(checks["markers"])
    shown = set().union(*seen.values())
    assert set(VISIBLE_MARKERS) <= shown, f"payloads never shown as text: {set(VISIBLE_MARKERS) - shown}; {seen}"
    assert "folder" in seen["index.html"]
    assert all("interim" in seen[p] for p in seen if p != "index.html")   # the parameters cell of each notebook
    keep = os.environ.get("ARABIC_NEWS_SCREENSHOT_DIR")
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)


@needs_chromium
def test_a_script_that_slips_into_a_page_is_blocked_by_its_policy(hostile_job, tmp_path):
    """Inject scripts into a rendered page (as a missed escape would): the policy blocks them. The same page
    without its policy runs them, so the detection itself works."""
    run, out, _ = hostile_job
    page = Path(run.notebooks[0].html).read_text(encoding="utf-8")
    slipped = f"{script('slipped-script')}{img('slipped-img')}<a id=x href=\"javascript:{_set('slipped-link')}\">x</a>"
    injected = page.replace("</body>", f"{slipped}</body>", 1)
    assert injected != page
    (tmp_path / "with_csp.html").write_text(injected, encoding="utf-8")
    (tmp_path / "without_csp.html").write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                                                      injected), encoding="utf-8")
    click = "(document.getElementById('x').click(), JSON.stringify(document.body.getAttribute('data-pwned')))"
    blocked = open_offline(tmp_path / "with_csp.html", tmp_path / "with.png", script=click)
    assert blocked["checks"] is None and blocked["csp_violations"], blocked
    ran = open_offline(tmp_path / "without_csp.html", tmp_path / "without.png",
                       script="JSON.stringify(document.body.getAttribute('data-pwned'))")
    assert ran["checks"] in ("slipped-script", "slipped-img")


@needs_chromium
def test_scripts_the_renderer_places_run_and_others_do_not(tmp_path):
    """The hash mechanism in a real browser: a page whose template holds a script keeps it running under the
    policy (:func:`reports.with_csp` hashes it), while a script added by the data is blocked."""
    own = "document.body.setAttribute('data-ok', 'template');"
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body><p>x</p>"
            f"<script>{own}</script><div>{script('data-script')}</div></body></html>")
    (tmp_path / "p.html").write_text(reports.with_csp(page, trusted_scripts=[own]), encoding="utf-8")
    result = open_offline(tmp_path / "p.html", tmp_path / "p.png", script=(
        "JSON.stringify([document.body.getAttribute('data-ok'), document.body.getAttribute('data-pwned')])"))
    assert result["checks"] == ["template", None]
    assert result["csp_violations"]
