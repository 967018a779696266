"""Notebooks 04 (stance) and 91 (methods appendix) through the real main job on a small hand-written corpus.

The claim model is a saved model in a temporary MODELS_DIR (ARABIC_NEWS_MODELS_DIR, read by the kernels), so the
page loads it and trains nothing; the benchmark results folder (ARABIC_NEWS_BENCH_RESULTS) is empty, so the
appendix says per benchmark how to produce its results. A second run reuses the tone scores and claim matches
kept in the corpus' analysis store.
"""
from __future__ import annotations

import html
import json
import os
import re
import time

import nbformat
import pytest

from arabic_news.reports import benchmark_results as bench
from arabic_news import config
from arabic_news.cli import main
from arabic_news.stance.calibration import ClaimReliability, model_file_sha256, write_reliability
from arabic_news.stance.models import ClaimStanceModel, save_model
from arabic_news.stance.reliability import ReliabilityThresholds

from .stance_fixtures import claim_frame

ARTICLES = {
    "001.txt": ("إيران والقوى الكبرى توقع الاتفاق النووي",
                "وقعت إيران والقوى الكبرى في فيينا الاتفاق النووي بعد مفاوضات طويلة. ورحب الرئيس الأمريكي بالاتفاق."),
    "002.txt": ("قوات التحالف تقصف مواقع في اليمن",
                "قصفت طائرات التحالف مواقع للحوثيين في صنعاء. وقال المتحدث إن الغارات أصابت أهدافها."),
    "003.txt": ("تحرير عدن", "أعلنت القوات الموالية للحكومة اليمنية تحرير مدينة عدن بالكامل. واحتفل السكان في الشوارع."),
    "004.txt": ("تركيا تضرب داعش", "شنت طائرات تركية غارات على مواقع تنظيم داعش في سوريا. وقالت أنقرة إن الضربات مستمرة."),
    "005.txt": ("أمطار على جدة", "هطلت أمطار غزيرة على مدينة جدة مساء أمس. ودعا الدفاع المدني السكان إلى الحذر."),
    "006.txt": ("معرض الكتاب في الرياض", "افتتح أمير منطقة الرياض معرض الكتاب. ويشارك في المعرض مئات الناشرين من السعودية ومصر."),
}
METADATA = "file,source,url,date\n" + "".join(
    f"{name},{'okaz' if i % 2 else 'sabq'},http://example.org/{i},2015-07-{14 + i}\n" for i, name in enumerate(ARTICLES))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("stance_methods")
    folder = root / "corpus"
    folder.mkdir()
    for name, (title, body) in ARTICLES.items():
        (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    (folder / "metadata.csv").write_text(METADATA, encoding="utf-8")
    # files older than corpus.samples.RACY_SECONDS: their fingerprint (hence the ingest cache key) is the same on
    # both runs (files younger than that are content-hashed on the first run only, which re-ingests the corpus)
    for path in folder.iterdir():
        os.utime(path, (time.time() - 600, time.time() - 600))
    models_dir = root / "models"
    df = claim_frame()
    tiny = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr")
    model_path = save_model(tiny.fit(df[["claim", "article"]], df["stance"]), models_dir / "stance_claim.model.zip",
                            task="claim", meta={"n_train": len(df), "seed": 42})
    # its reliability thresholds and retrieval cut-off, written beside it by hand (the real ones come from a
    # cross-validation over Baly et al.'s 3,042 pairs: minutes); "disagree" never reaches the precision level
    entry = {"threshold": 0.3, "precision": 0.8, "recall": 0.5, "n_predicted": 25, "reached": True, "coverage": 0.4}
    never = {"threshold": None, "precision": 0.2, "recall": 0.0, "n_predicted": 0, "reached": False, "coverage": 0.0}
    write_reliability(ClaimReliability(
        thresholds=ReliabilityThresholds(precision_target=0.7, min_support=20, related=entry,
                                         labels={"agree": entry, "disagree": never, "discuss": entry},
                                         n_pairs=100, coverage=0.8, source={"protocol": "hand-made for this test"}),
        cutoff={"cutoff": 0.3, "recall_target": 0.9, "recall": 0.9, "unrelated_passing": 0.5},
        model_sha256=model_file_sha256(model_path), cv={}), model_path)
    results = root / "results"
    results.mkdir()
    codes = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "INTERIM_DIR", root / "interim")
        mp.setenv("ARABIC_NEWS_MODELS_DIR", str(models_dir))
        mp.setenv("ARABIC_NEWS_BENCH_RESULTS", str(results))
        for run in ("first", "second"):
            codes.append(main(["report", str(folder), "--notebooks", "04,91", "--out", str(root / run)]))
    return root, codes, results


def _cells(root, run, notebook):
    nb = nbformat.read(str(root / run / "executed" / f"{notebook}.ipynb"), as_version=4)
    errors, shown = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"{out.get('ename')}: {out.get('evalue')}")
            elif "data" in out:
                shown.append(out["data"].get("text/markdown") or out["data"].get("text/html") or "")
            else:
                shown.append(out.get("text", ""))
    return errors, "\n".join(shown)


def test_both_runs_exit_0_without_a_failing_cell(runs):
    root, codes, _ = runs
    assert codes == [0, 0]
    for run in ("first", "second"):
        for notebook in ("04-stance", "91-appendix-methods"):
            assert _cells(root, run, notebook)[0] == []


def test_stance_page_uses_the_saved_model_and_runs_no_benchmark(runs):
    root, _, _ = runs
    _, shown = _cells(root, "first", "04-stance")
    assert "saved full model stance\\_claim\\.model\\.zip \\(trained on 10 rows\\)" in shown
    page = html.unescape(re.sub(r"<[^>]+>", " ", (root / "first" / "04-stance.html").read_text(encoding="utf-8")))
    for absent in ("Benchmarks beside", "capped", "quick_benchmarks", "StanceEval"):
        assert absent not in page
    # the claims section: the validated labels only, claims by their text (never their ids), the thresholds
    findings = page[page.index("Claims in the corpus"):page.index("How to read it")]
    assert "disagree" not in findings and "agree" in findings
    for claim_id in ("iran_deal", "aden_liberated", "isis_mosque_attack"):
        assert claim_id not in page
    assert "الاتفاق النووي مع إيران" in page and "related, stance uncertain" in page
    assert "0.300" in page  # the retrieval cut-off and thresholds are stated


def test_second_run_reuses_tone_and_claim_matches_from_the_store(runs):
    root, _, _ = runs
    events_files = list((root / "interim").rglob("analysis/events.jsonl"))
    assert len(events_files) == 1
    events = [json.loads(line) for line in events_files[0].read_text(encoding="utf-8").splitlines()]
    by_name = {}
    for e in events:
        by_name.setdefault(e["name"], []).append(e["event"])
    assert by_name["tone_sentences"] == ["computed", "reused"]
    assert by_name["claim_matches"] == ["computed", "reused"]


def test_appendix_says_how_to_produce_each_missing_result(runs):
    root, _, results = runs
    page = html.unescape(re.sub(r"<[^>]+>", "", (root / "first" / "91-appendix-methods.html").read_text("utf-8")))
    page = re.sub(r"\s+", " ", page)
    for b in bench.BENCHMARKS.values():
        sentence = re.sub(r"`", "", b.how_to_produce(results))
        assert sentence in page
