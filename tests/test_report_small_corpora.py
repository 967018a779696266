"""Notebooks 01 and 02 on corpora too small or too bare for some sections: the job completes (exit 0), no cell
fails, and each section that cannot run says in one sentence what it needs.

Two researcher's folders in the seed layout, run through the real main job (`arabic-news report`, papermill,
HTML rendering): three articles with a metadata.csv (one outlet id written as markup), and 24 hand-written
articles without any metadata.csv, with a topic names file (one name written as markup, one unknown number).
"""
from __future__ import annotations

import html
import re

import nbformat
import pytest

from arabic_news import config
from arabic_news.cli import main

THREE = {
    "001.txt": ("وزير التعليم يزور المدارس", "زار وزير التعليم صباح اليوم عدداً من المدارس في الرياض."),
    "002.txt": ("أمطار غزيرة على جدة", "هطلت أمطار غزيرة على مدينة جدة مساء أمس., ودعا الدفاع المدني السكان إلى الحذر."),
    "003.txt": ("افتتاح معرض الكتاب", "افتتح أمير المنطقة معرض الكتاب في الرياض., ويشارك في المعرض مئات الناشرين."),
}
THREE_METADATA = ("file,source,url,date\n001.txt,okaz,http://example.org/1,2015-07-21\n"
                  "002.txt,sabq,http://example.org/2,2015-07-23\n003.txt,<b>blog</b>,http://example.org/3,2015-07-23\n")

# three themes, eight articles each: every article is two of its theme's sentences
THEMES = {
    "football": ["فاز الفريق في المباراة بهدفين وسجل اللاعب هدف الفوز في الدوري",
                 "المدرب يختار اللاعبين للمباراة القادمة في الدوري والفريق جاهز للملعب",
                 "سجل اللاعب هدفا رائعا في الملعب وفاز الفريق بالمباراة",
                 "الدوري يشهد مباراة قوية بين الفريق والمنافس وجمهور الملعب يشجع اللاعبين"],
    "oil": ["ارتفعت أسعار النفط في الأسواق وسعر برميل الخام يتجاوز ثمانين دولارا",
            "منظمة أوبك تقرر خفض إنتاج النفط لدعم أسعار البرميل في الأسواق",
            "تراجع سعر برميل النفط الخام بعد زيادة الإنتاج وتخمة الأسواق",
            "الأسواق تترقب قرار أوبك بشأن إنتاج النفط وأسعار الخام"],
    "elections": ["بدأ الناخبون الإدلاء بأصواتهم في الانتخابات البرلمانية ومراكز الاقتراع مفتوحة",
                  "المرشح يطلق حملته الانتخابية قبل الانتخابات ويدعو الناخبين للتصويت",
                  "نسبة المشاركة في الاقتراع مرتفعة والناخبون يصوتون لاختيار البرلمان",
                  "فرز الأصوات بعد إغلاق مراكز الاقتراع وإعلان نتائج الانتخابات"],
}
PAIRS = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (1, 3), (2, 0), (3, 1)]


def _write(folder, articles):
    folder.mkdir()
    for name, (title, body) in articles.items():
        (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Both folders through `arabic-news report --notebooks 01,02` (ingested into a temporary INTERIM_DIR)."""
    root = tmp_path_factory.mktemp("small")
    three = _write(root / "three", THREE)
    (three / "metadata.csv").write_text(THREE_METADATA, encoding="utf-8")
    bare = {}
    for t, sentences in enumerate(THEMES.values()):
        for i, (a, b) in enumerate(PAIRS):
            bare[f"{t}{i}.txt"] = (" ".join(sentences[a].split()[:5]), f"{sentences[a]}., {sentences[b]}.")
    bare_folder = _write(root / "bare", bare)
    names = root / "topic_names.yaml"
    names.write_text("0: Sport <b>and</b> games\n9: Weather\n", encoding="utf-8")
    codes = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "INTERIM_DIR", root / "interim")
        codes["three"] = main(["report", str(three), "--notebooks", "01,02", "--out", str(root / "out_three")])
        codes["bare"] = main(["report", str(bare_folder), "--notebooks", "01,02", "--out", str(root / "out_bare"),
                              "--topic-names", str(names)])
    return root, codes


def _outputs(root, run, notebook):
    """(stdout text, list of error outputs, html/plain display texts) of an executed notebook."""
    nb = nbformat.read(str(root / f"out_{run}" / "executed" / f"{notebook}.ipynb"), as_version=4)
    stdout, errors, shown = [], [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"{out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stdout":
                stdout.append(out["text"])
            elif "data" in out:
                shown.append(out["data"].get("text/html") or out["data"].get("text/plain", ""))
    return "".join(stdout), errors, "\n".join(shown)


def _page_text(root, run, notebook):
    page = (root / f"out_{run}" / f"{notebook}.html").read_text(encoding="utf-8")
    return page, html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_both_runs_exit_0_without_a_failing_cell(runs):
    root, codes = runs
    assert codes == {"three": 0, "bare": 0}
    for run in ("three", "bare"):
        for notebook in ("01-corpus-overview", "02-topics"):
            _, errors, _ = _outputs(root, run, notebook)
            assert errors == [], f"{run}/{notebook}: {errors}"
            page, _ = _page_text(root, run, notebook)
            assert "Traceback" not in page and "jp-RenderedText" in page


def test_three_articles_topics_say_what_they_need(runs):
    root, _ = runs
    stdout, _, _ = _outputs(root, "three", "02-topics")
    need = "Topics need at least 20 articles; this corpus has 3."
    # every topic section (topics, over time, by outlet, actors, how k was chosen) says it, nothing else runs
    assert stdout.count(need) == 5
    assert "k sweep" not in stdout
    _, text = _page_text(root, "three", "02-topics")
    assert need in text and "Topics per gold section" not in text


def test_three_articles_overview_is_complete_and_escapes_outlet_ids(runs):
    root, _ = runs
    stdout, _, shown = _outputs(root, "three", "01-corpus-overview")
    assert "3 articles from 3 outlets, dated 2015-07-21 to 2015-07-23" in stdout
    assert "No article is dated 2015-07-22: 1 of the 3 days from 2015-07-21 to 2015-07-23 has no data" in shown
    page, text = _page_text(root, "three", "01-corpus-overview")
    assert "Okaz (عكاظ)" in text and "Sabq (سبق)" in text           # outlets by their names
    assert "&lt;b&gt;blog&lt;/b&gt;" in page and "<b>blog</b>" not in page
    assert "Articles by outlet" in text and "Zipf" in text and page.count('src="data:image/png;base64,') >= 4


def test_without_metadata_the_overview_says_how_to_add_outlets_and_dates(runs):
    root, _ = runs
    stdout, _, shown = _outputs(root, "bare", "01-corpus-overview")
    assert "24 articles without outlets, without dates" in stdout
    assert "None of the 24 articles has an outlet or a date. To add outlets and dates, put a file metadata.csv" in shown
    assert "Articles by outlet need outlets (the source column); none of the 24 articles has one." in stdout
    assert "Articles over time need dates; none of the 24 articles has one." in stdout


def test_without_metadata_topics_run_and_dated_or_outlet_sections_say_what_they_need(runs):
    root, _ = runs
    stdout, _, shown = _outputs(root, "bare", "02-topics")
    assert "chosen by the sweep over k = 2, 3" in shown
    assert "Topics over time need dated articles; none of the 24 articles has a date." in stdout
    assert "Topics by outlet need outlets (the source column); none of the 24 articles has one." in stdout
    # the topic names file: the name is used (escaped in the page), the unknown number reported in one sentence
    k = int(re.search(r"The model has k = (\d+) topics", shown).group(1))
    assert (f"topic_names.yaml names topic 9, which this model does not have (it has {k} topics, numbered 0 to "
            f"{k - 1}); that name is ignored.") in stdout
    page, text = _page_text(root, "bare", "02-topics")
    assert "Sport &lt;b&gt;and&lt;/b&gt; games" in page and "<b>and</b>" not in page
    assert "Topics need at least" not in text
    # readable words, not stems: the exported topics table has both, the page shows the words
    import pandas as pd

    topics = pd.read_csv(root / "out_bare" / "tables" / "02-topics" / "topics.csv")
    words = " ".join(topics["words"]).split()
    terms = " ".join(topics["terms"]).split()
    assert len(words) == len(terms) and "النفط" in words and "نفط" in terms and "نفط" not in words
    assert topics.loc[0, "label"] == "Sport <b>and</b> games"     # the name as given, escaped only in HTML
    assert "النفط" in shown


def test_missing_topic_names_file_is_one_clear_line(tmp_path, capsys):
    folder = _write(tmp_path / "three", THREE)
    code = main(["report", str(folder), "--notebooks", "02", "--out", str(tmp_path / "out"),
                 "--topic-names", str(tmp_path / "nope.yaml")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0
    assert "nope.yaml: topic names file not found" in err and "--topic-names" in err
