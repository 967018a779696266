"""Compute once, reuse everywhere: the main job (notebooks 01-03) run twice on the same 40-article folder.

The first run computes every analysis store entry exactly once (the actor mentions the topics page computes are
reused by the actors page); the second run computes nothing and reuses every entry of the first. Read from the
store's own run log, ``CORPUS/analysis/events.jsonl``, through the real CLI, papermill and notebooks.
"""
from __future__ import annotations

import json
import os
import time
from collections import Counter

import pytest

from arabic_news import config
from arabic_news.cli import main

# four subjects, ten articles each; the articles name actors of the gazetteer (countries, cities, OPEC)
SUBJECTS = [
    ["فاز المنتخب السعودي على منتخب العراق في المباراة بهدفين في الرياض",
     "سجل اللاعب هدف الفوز في الدوري وفاز الفريق بالمباراة أمام جمهور الملعب",
     "المدرب يختار اللاعبين للمباراة القادمة والفريق جاهز للملعب في جدة",
     "الدوري يشهد مباراة قوية بين الفريق والمنافس وجمهور الملعب يشجع اللاعبين"],
    ["ارتفعت أسعار النفط في الأسواق بعد قرار منظمة أوبك خفض الإنتاج",
     "السعودية وروسيا تتفقان على خفض إنتاج النفط لدعم أسعار البرميل",
     "تراجع سعر برميل النفط الخام بعد زيادة الإنتاج وتخمة الأسواق",
     "الأسواق تترقب قرار أوبك بشأن إنتاج النفط وأسعار الخام في فيينا"],
    ["بدأ الناخبون في مصر الإدلاء بأصواتهم في الانتخابات البرلمانية",
     "المرشح يطلق حملته الانتخابية في القاهرة ويدعو الناخبين للتصويت",
     "نسبة المشاركة في الاقتراع مرتفعة والناخبون يصوتون لاختيار البرلمان",
     "فرز الأصوات بعد إغلاق مراكز الاقتراع وإعلان نتائج الانتخابات"],
    ["هطلت أمطار غزيرة على مدينة جدة ودعا الدفاع المدني السكان إلى الحذر",
     "توقعات الطقس تشير إلى رياح نشطة وأمطار رعدية على الرياض ومكة",
     "ارتفاع درجات الحرارة في المنطقة الشرقية مع رطوبة عالية على السواحل",
     "الأرصاد تحذر من السيول والأمطار الغزيرة في جازان وعسير"],
]
PAIRS = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (1, 3), (2, 0), (3, 1), (0, 3), (1, 0)]
OUTLETS = ["okaz", "sabq"]


def _corpus(folder):
    folder.mkdir()
    rows = ["file,source,date"]
    for s, sentences in enumerate(SUBJECTS):
        for i, (a, b) in enumerate(PAIRS):
            name = f"{s}{i}.txt"
            title = " ".join(sentences[a].split()[:6])
            (folder / name).write_text(f"{title}\n\n{sentences[a]}. {sentences[b]}.\n", encoding="utf-8")
            rows.append(f"{name},{OUTLETS[i % 2]},2015-07-{10 + i:02d}")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # files written seconds ago are fingerprinted by content too ("racily clean", see corpus.samples): date them
    # a minute back so that the second run finds the same fingerprint, as for any folder a user brings
    past = time.time() - 60
    for path in folder.iterdir():
        os.utime(path, (past, past))
    return folder


def _events(interim):
    logs = list(interim.glob("*/analysis/events.jsonl"))
    assert len(logs) == 1, logs
    return [json.loads(line) for line in logs[0].read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("store_runs")
    folder = _corpus(root / "articles")
    interim = root / "interim"
    codes, events = [], []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "INTERIM_DIR", interim)
        for _ in range(2):
            seen = len(_events(interim)) if interim.is_dir() and list(interim.glob("*/analysis/events.jsonl")) else 0
            codes.append(main(["report", str(folder), "--notebooks", "01,02,03", "--out", str(root / "out")]))
            events.append(_events(interim)[seen:])
    return codes, events


def test_first_run_computes_each_entry_once_and_the_rerun_computes_nothing(two_runs):
    codes, (first, second) = two_runs
    assert codes == [0, 0]
    computed = Counter((e["name"], e["key"]) for e in first if e["event"] == "computed")
    assert computed and max(computed.values()) == 1, computed
    names = {name for name, _ in computed}
    assert {"frequency_lists", "actor_mentions", "topic_tokens", "topic_k_sweep", "topic_model", "topic_metrics"} <= names
    # the mentions the topics page computed are read, not recomputed, by the actors page
    assert [e["event"] for e in first if e["name"] == "actor_mentions"] == ["computed", "reused"]
    assert [e for e in second if e["event"] == "computed"] == []
    # a rerun reads every result again, except the topic token lists: they are read only when a topic result has
    # to be computed (the k sweep and the model are stored)
    assert {(e["name"], e["key"]) for e in second if e["event"] == "reused"} >= {
        k for k in computed if k[0] not in ("topic_tokens", "topic_surface_forms")}
