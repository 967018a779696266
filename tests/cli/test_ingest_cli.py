"""`arabic-news ingest`: summary line, --json, exit codes and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from arabic_news.cli import main
from arabic_news.corpus import load_articles, load_report

TITLE = "ارتفاع أسعار النفط في الأسواق العالمية"
PARAS = ["ارتفعت أسعار النفط الخام بعد قرار خفض الإنتاج.", "وتوقع محللون مزيداً من الارتفاع خلال الشهر المقبل."]


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(f"{TITLE}\n\n{', '.join(PARAS)}\n", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "README.md").write_text("# read me", encoding="utf-8")
    return src


def test_ingest_prints_one_summary_line_and_exits_0_with_rejects(folder, tmp_path, capsys):
    rc = main(["ingest", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1"])
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 0 and len(out) == 1
    assert out[0].startswith(f"ingested 3 inputs (seed) from {folder}: 1 loaded")
    assert "1 rejected, 1 ignored" in out[0]
    arts = load_articles(tmp_path / "out")
    assert arts["title"].tolist() == [TITLE] and arts["paragraphs"].tolist() == [PARAS]
    assert load_report(tmp_path / "out").set_index("path").loc["empty.txt", "reason"] == "empty file"


def test_json_summary_is_the_last_line(folder, tmp_path, capsys):
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out"), "--json", "--jobs", "1"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    d = json.loads(last)
    assert (d["n_inputs"], d["n_loaded"], d["n_rejected"], d["n_ignored"], d["format"]) == (3, 1, 1, 1, "seed")


def test_missing_source_exits_2_with_one_line(tmp_path, capsys):
    rc = main(["ingest", str(tmp_path / "missing"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1
    assert err[0] == (f"arabic-news ingest: error: SOURCE: {tmp_path / 'missing'}: no such file or folder; pass an "
                      "existing one (see `arabic-news ingest --help`)")


def test_nothing_loaded_exits_2_and_points_at_the_report(tmp_path, capsys):
    src = tmp_path / "bad"
    src.mkdir()
    (src / "x.txt").write_text("English title\n\nEnglish body only.", encoding="utf-8")
    rc = main(["ingest", str(src), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1
    assert "nothing could be loaded from 1 inputs (1 rejected — not Arabic text: 1" in err[0]
    assert str(tmp_path / "out" / "ingest_report.csv") in err[0]


def test_generic_csv_missing_column_error(tmp_path, capsys):
    path = tmp_path / "n.csv"
    pd.DataFrame({"headline": [TITLE], "story": [" ".join(PARAS)]}).to_csv(path, index=False)
    rc = main(["ingest", str(path), "--out", str(tmp_path / "out"), "--text-column", "body"])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert err == "arabic-news ingest: error: n.csv: no column 'body' for --text-column (available: headline, story)"
    assert main(["ingest", str(path), "--out", str(tmp_path / "ok"), "--text-column", "story",
                 "--title-column", "headline"]) == 0


def test_console_script_exit_code(tmp_path):
    exe = [sys.executable, "-m", "arabic_news.cli", "ingest", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]
    proc = subprocess.run(exe, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("no such file or folder; pass an existing one (see `arabic-news ingest --help`)")


def test_max_file_size_option(folder, tmp_path, capsys):
    size = (folder / "a.txt").stat().st_size
    rc = main(["ingest", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", "--max-file-size", "100"])
    assert rc == 2  # the only article is too large: nothing loaded
    reason = load_report(tmp_path / "out").set_index("path").loc["a.txt", "reason"]
    assert reason == (f"file too large ({size} bytes, over the 100 bytes limit); raise --max-file-size to read it")
    capsys.readouterr()
    assert main(["ingest", str(folder), "--out", str(tmp_path / "ok"), "--jobs", "1", "--max-file-size", "1KB"]) == 0


@pytest.mark.parametrize("value", ["ten", "10XB", "-5MB", "0"])
def test_bad_max_file_size_is_one_line(folder, tmp_path, capsys, value):
    rc = main(["ingest", str(folder), "--out", str(tmp_path / "out"), f"--max-file-size={value}"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1
    assert err[0].startswith(f"arabic-news ingest: error: --max-file-size: not a size: {value!r} (")
    assert not (tmp_path / "out").exists()


def test_follow_symlinks_option(folder, tmp_path, capsys):
    other = tmp_path / "elsewhere.txt"
    other.write_text(f"{TITLE} (2)\n\nنص آخر عن أسعار الذهب في الأسواق., وتوقعات المحللين.\n", encoding="utf-8")
    (folder / "link.txt").symlink_to(other)
    assert main(["ingest", str(folder), "--out", str(tmp_path / "a"), "--jobs", "1"]) == 0
    assert load_report(tmp_path / "a").set_index("path").loc["link.txt", "reason"] == (
        f"symlink to a file outside SOURCE ({other}); pass --follow-symlinks to read it")
    assert main(["ingest", str(folder), "--out", str(tmp_path / "b"), "--jobs", "1", "--follow-symlinks"]) == 0
    assert load_report(tmp_path / "b").set_index("path").loc["link.txt", "status"] == "loaded"


def test_special_file_as_source_is_one_line(tmp_path, capsys):
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    rc = main(["ingest", str(tmp_path / "pipe.txt"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and err == [f"arabic-news ingest: error: {tmp_path / 'pipe.txt'}: not a regular file or folder "
                               f"(FIFO); pass a folder or a file of articles"]
