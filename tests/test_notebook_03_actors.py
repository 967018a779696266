"""Notebook 03 (actors) through the main job's command line on tiny corpora: a complete page, no error output,
and one sentence for each section the corpus cannot feed (instead of a traceback)."""
from __future__ import annotations

import html
import re

import nbformat
import pytest

from arabic_news import config
from arabic_news.cli import main

# Three hand-written articles in the seed layout (title line, blank line, paragraphs joined by "., ").
ARTICLES = {
    "001.txt": ("السعودية ترحب بالاتفاق",
                "رحبت المملكة العربية السعودية بالاتفاق., وقال وزير الخارجية إن المملكة تدعم الحل السياسي في اليمن"),
    "002.txt": ("إيران والعراق",
                "التقى وزير الخارجية الإيراني نظيره العراقي في بغداد., وبحث الجانبان العلاقات بين إيران والعراق"),
    "003.txt": ("قمة خليجية في الرياض",
                "تستضيف الرياض قمة لدول مجلس التعاون الخليجي., ويشارك فيها قادة السعودية والكويت والإمارات"),
}
METADATA = "file,source,date\n001.txt,okaz,2015-07-21\n002.txt,sabq,2015-07-21\n003.txt,okaz,2015-07-22\n"


def _folder(root, with_metadata: bool):
    root.mkdir()
    for name, (title, body) in ARTICLES.items():
        (root / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    if with_metadata:
        (root / "metadata.csv").write_text(METADATA, encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=["three_articles", "no_metadata"])
def tiny_run(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    folder = _folder(root / "articles", with_metadata=request.param == "three_articles")
    out = root / "report"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "INTERIM_DIR", root / "interim")
        status = main(["report", str(folder), "--notebooks", "03", "--out", str(out)])
    executed = nbformat.read(str(out / "executed" / "03-actors.ipynb"), as_version=4)
    page = (out / "03-actors.html").read_text(encoding="utf-8")
    return request.param, status, executed, page


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_job_exits_0_without_error_outputs(tiny_run):
    _, status, executed, page = tiny_run
    assert status == 0
    errors = [o for o in _outputs(executed) if o.get("output_type") == "error"]
    assert errors == [], [f"{e.get('ename')}: {e.get('evalue')}" for e in errors]
    assert "Traceback" not in _text(page)


def test_each_section_says_what_it_needs(tiny_run):
    name, _, _, page = tiny_run
    text = _text(page)
    # every section of the page is there
    for heading in ("Who is named most", "By outlet", "Over time", "Who appears with whom", "How the counts are made"):
        assert heading in text
    assert "3 articles" in text
    assert ("No pair of actors passes: a tie needs at least 10 articles naming both actors and a significant "
            "log-likelihood ratio; this corpus has 3 articles.") in text
    if name == "three_articles":
        assert "A time line needs dated articles on at least 3 days; this corpus has 3 dated articles on 2 day(s)" in text
        assert "Comparing outlets needs" not in text     # two outlets: the comparison is drawn
    else:
        assert "Comparing outlets needs articles from at least two outlets; this corpus has 0" in text
        assert "A time line needs dated articles on at least 3 days; this corpus has 0 dated articles on 0 day(s)" in text
        assert "metadata.csv" in text


def test_rankings_show_names_not_ids(tiny_run):
    _, _, _, page = tiny_run
    text = _text(page)
    assert "Countries (الدول)" in text and "Saudi Arabia" in text and "السعودية" in text
    tables = re.findall(r"<table.*?</table>", page, flags=re.S)
    assert tables
    for table in tables:
        cells = _text(table)
        assert not re.search(r"\bQ\d+\b|\b(?:person|place|org|armed|media):[a-z]", cells), cells[:200]
    # المملكة after the full name is a back-reference of Saudi Arabia, never a short name
    assert "back-reference" in text
