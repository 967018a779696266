"""`arabic-news explore index|kwic|keyness|collocations|trend|dictionary` on a tiny hand-written corpus."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "explore"))
from explore_fixtures import text_of, write_corpus  # noqa: E402

from arabic_news import config  # noqa: E402
from arabic_news.cli import main  # noqa: E402
from arabic_news.explore import index as ix  # noqa: E402


@pytest.fixture()
def corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    ix._OPEN.clear()
    folder = tmp_path / "corpus"
    write_corpus(folder)
    return folder


def _last_json(capsys) -> dict:
    out = capsys.readouterr().out.strip().splitlines()
    return json.loads(out[-1])


def test_index(corpus, capsys):
    assert main(["explore", "index", str(corpus), "--json"]) == 0
    summary = _last_json(capsys)
    assert summary["n_docs"] == 3 and summary["n_words"] == 46
    assert Path(summary["index_dir"]).parent == corpus / "explore_index"


def test_kwic(corpus, tmp_path, capsys):
    out = tmp_path / "out" / "kwic.csv"
    assert main(["explore", "kwic", str(corpus), "وزير", "--out", str(out), "--json"]) == 0
    summary = _last_json(capsys)
    assert summary["hits"] == 5 and summary["rows"] == 5 and summary["articles"] == 2
    table = pd.read_csv(out, encoding="utf-8")
    assert list(table.columns) == ["doc_id", "title", "source", "date", "left", "match", "right", "start", "end"]
    assert table["match"].tolist() == ["وزير", "الوزيرُ", "للوزير", "ووزير", "الوزير"]
    for r in table.itertuples(index=False):
        assert text_of(r.doc_id)[r.start:r.end] == r.match
    html = tmp_path / "kwic.html"
    assert main(["explore", "kwic", str(corpus), "حلف شمال الأطلسي", "--out", str(html), "--top", "0"]) == 0
    page = html.read_text(encoding="utf-8")
    assert 'dir="rtl"' in page and "<mark>لحلف شمال الأطلسي</mark>" in page
    assert main(["explore", "kwic", str(corpus), "عراق*", "--sort", "R1", "--sample", "2", "--json"]) == 0
    assert _last_json(capsys)["rows"] == 2


def test_keyness(corpus, tmp_path, capsys):
    out = tmp_path / "keyness.csv"
    assert main(["explore", "keyness", str(corpus), "--by", "source", "--target", "alpha", "--min-freq", "1",
                 "--p", "1", "--out", str(out), "--json"]) == 0
    summary = _last_json(capsys)
    assert (summary["target_tokens"], summary["reference_tokens"]) == (21, 25)
    table = pd.read_csv(out, encoding="utf-8").set_index("term")
    assert table.loc["وزير", "target_count"] == 4 and table.loc["وزير", "reference_count"] == 1


def test_collocations_and_phrases(corpus, capsys):
    assert main(["explore", "collocations", str(corpus), "وزير", "--window", "1", "--min-freq", "1",
                 "--keep-stopwords", "--json"]) == 0
    summary = _last_json(capsys)
    assert summary["node_hits"] == 5 and summary["window_positions"] == 8 and summary["rows"] == 8
    assert main(["explore", "collocations", str(corpus), "--phrases", "--min-freq", "2", "--keep-stopwords",
                 "--json"]) == 0
    assert _last_json(capsys)["rows"] == 1


def test_trend(corpus, tmp_path, capsys):
    out = tmp_path / "trend.parquet"
    assert main(["explore", "trend", str(corpus), "العراق", "--by", "week", "--out", str(out), "--json"]) == 0
    summary = _last_json(capsys)
    assert summary["hits"] == 6 and summary["empty_periods"] == 1
    assert pd.read_parquet(out)["hits"].tolist() == [2, 1, 0, 3]


def test_dictionary(corpus, tmp_path, capsys):
    d = tmp_path / "d.yaml"
    d.write_text("categories:\n  iraq: [العراق, العراقيين]\n  nato: [حلف شمال الأطلسي]\n", encoding="utf-8")
    out = tmp_path / "dict.csv"
    assert main(["explore", "dictionary", str(corpus), str(d), "--out", str(out), "--json"]) == 0
    summary = _last_json(capsys)
    assert summary["hits"] == {"iraq": 7, "nato": 2}
    assert pd.read_csv(out, encoding="utf-8")["iraq"].tolist() == [2, 2, 3]
    assert main(["explore", "dictionary", str(corpus), "--json"]) == 0  # the shipped example
    assert _last_json(capsys)["categories"] == ["economy", "security", "diplomacy", "health"]


@pytest.mark.parametrize("argv, message", [
    (["keyness", "{corpus}", "--by", "colour", "--target", "x"], "unknown column 'colour'"),
    (["keyness", "{corpus}", "--by", "source", "--target", "gamma"], "value 'gamma' not found in column 'source'"),
    (["kwic", "{corpus}", ""], "empty query"),
    (["kwic", "{corpus}", "في من"], "only stop words or punctuation"),
    (["trend", "{corpus}", "، ."], "only stop words or punctuation"),
    (["collocations", "{corpus}", "   "], "empty query"),
    (["collocations", "{corpus}"], "give a query"),
    (["kwic", "{corpus}", "وزير", "--out", "x.txt"], "unknown file type .txt"),
    (["kwic", "{corpus}", "وزير", "--sort", "Z1"], "unknown sort"),
    (["kwic", "{tmp}/nothing", "وزير"], "no ingested corpus here"),
    (["trend", "{corpus}", "العراق", "--group", "outlet"], "unknown column 'outlet'"),
    (["dictionary", "{corpus}", "{tmp}/none.yaml"], "no such dictionary file"),
])
def test_bad_input_is_one_line_and_status_2(corpus, tmp_path, capsys, argv, message):
    argv = [a.format(corpus=corpus, tmp=tmp_path) for a in argv]
    assert main(["explore", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"arabic-news explore {argv[0]}: error: ") and message in err[0]


@pytest.mark.parametrize("sub", ["index", "kwic", "keyness", "collocations", "trend", "dictionary"])
def test_help(sub, capsys):
    assert main(["explore", sub, "--help"]) == 0
    assert "CORPUS" in capsys.readouterr().out.upper()


def test_unwritable_out_is_one_line(corpus, tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["explore", "kwic", str(corpus), "وزير", "--out", str(blocker / "kwic.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write there" in err[0] and str(blocker / "kwic.csv") in err[0]
