"""Ingest of the real seed article and of the 2,000-file seed-layout sample (skipped when absent)."""
from __future__ import annotations

import os

import pytest

from arabic_news import config
from arabic_news.corpus import DatasetNotAvailable, dataset_path, ingest, load_articles, load_report
from arabic_news.text import normalize_tokens


def _dataset(name):
    try:
        return dataset_path(name)
    except DatasetNotAvailable as exc:
        pytest.skip(f"dataset {name} not available: {exc}")


def test_the_seed_article(tmp_path):
    seed = config.seed_dir()
    if seed is None:
        pytest.skip("the seed article (../shared/seed) is not present")
    summary = ingest(seed, tmp_path / "out", n_jobs=1)
    assert summary.n_loaded == 1
    row = load_articles(tmp_path / "out").iloc[0]
    raw = next(seed.glob("*.txt")).read_text(encoding="utf-8").split("\n")
    assert row["title"] == raw[0].strip() and "الناتو" in row["title"] and "العراق" in row["title"]
    # the body (third line) holds 13 "., " joins, hence 14 paragraphs, each ending with its full stop
    assert raw[1] == "" and raw[2].count("., ") == 13
    assert len(row["paragraphs"]) == 14
    assert all(p.endswith(".") for p in row["paragraphs"])
    assert row["paragraphs"][0] == raw[2].split("., ")[0] + "."
    assert " ".join(row["paragraphs"]) == raw[2].replace("., ", ". ").strip()
    assert row["encoding"] == "utf-8"
    assert row["n_tokens"] == len(normalize_tokens("\n".join(row["paragraphs"]))) > 400


def test_the_2000_file_seed_layout_folder_is_fully_accounted_for(tmp_path):
    src = _dataset("seed_format_saudinewsnet")
    summary = ingest(src, tmp_path / "out")
    report = load_report(tmp_path / "out")
    on_disk = {os.path.relpath(os.path.join(d, f), src).replace(os.sep, "/")
               for d, _, fs in os.walk(src) for f in fs}
    assert set(report["path"]) == on_disk and report["path"].is_unique
    assert summary.n_inputs == len(on_disk)
    assert set(report["status"]) <= {"loaded", "duplicate", "rejected", "ignored"}
    arts = load_articles(tmp_path / "out")
    assert len(arts) == summary.n_loaded >= 1900
    assert arts["source"].notna().all() and arts["date"].notna().all()  # metadata.csv joined for every file
    assert (report.loc[report.path == "metadata.csv", "status"] == "ignored").all()
