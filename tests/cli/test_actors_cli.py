"""Tests for `arabic-news actors extract|show|train-ner|eval-ner|discover` (real components, tiny inputs)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "actors"))
from actor_fixtures import mini_gazetteer, write_gazetteer_yaml  # noqa: E402

from arabic_news import config  # noqa: E402
from arabic_news.cli import main  # noqa: E402

ARTICLE = (
    "الناتو للكاظمي: نتطلع إلى دعم العراق\n\n"
    "أمين عام حلف شمال الأطلسي ينس ستولتنبرغ أكد دعمه للعراق., "
    "واتصل برئيس الوزراء العراقي مصطفى الكاظمي في بغداد., وشنت ميليشيات متحالفة مع إيران هجمات."
)


@pytest.fixture()
def gaz_file(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    path = tmp_path / "gaz.yaml"
    write_gazetteer_yaml(mini_gazetteer(), path)
    return path


def _last_json(capsys):
    out = capsys.readouterr().out.strip().splitlines()
    return json.loads(out[-1])


def test_show_json(tmp_path, gaz_file, capsys):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["actors", "show", str(article), "--gazetteer", str(gaz_file), "--json"]) == 0
    actors = _last_json(capsys)
    got = {a["id"]: a["mentions"] for a in actors}
    assert got == {"Q7184": 2, "Q57604": 2, "Q796": 3, "Q57565": 1, "Q1754": 1, "Q794": 1}
    iraq = next(a for a in actors if a["id"] == "Q796")
    assert iraq["name_en"] == "Iraq" and iraq["name_ar"] == "العراق" and iraq["type"] == "country"
    assert iraq["kinds"] == {"name": 2, "adjective": 1}
    assert [a["id"] for a in actors][:1] == ["Q796"]  # most mentioned first


def test_show_date_adds_affiliations(tmp_path, gaz_file, capsys):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["actors", "show", str(article), "--gazetteer", str(gaz_file), "--date", "2021-02-16",
                 "--json"]) == 0
    actors = {a["id"]: a for a in _last_json(capsys)}
    assert actors["Q57565"]["affiliations"] == ["Q7184"]
    assert actors["Q57604"]["affiliations"] == ["Q796"]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "binary"),
])
def test_show_bad_input(tmp_path, gaz_file, capsys, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["actors", "show", str(path), "--gazetteer", str(gaz_file), "--json"]) == 2
    err = capsys.readouterr().err
    assert "arabic-news actors show: error:" in err and str(path) in err and message in err


def test_show_bad_gazetteer(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: [unclosed\n", encoding="utf-8")
    assert main(["actors", "show", str(article), "--gazetteer", str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def _corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [
        ("d1", "الناتو والعراق", "قال ستولتنبرغ إن الناتو يدعم العراق.", "2021-02-15", "a"),
        ("d2", "", "زار وزير إيراني بغداد. وأكد دعم إيران للعراق.", "2021-03-16", "b"),
        ("d3", "خبر", "لا شيء هنا.", None, "b"),
    ]
    df = pd.DataFrame(rows, columns=["doc_id", "title", "body", "date", "source"])
    df["date"] = pd.to_datetime(df["date"])
    df.to_parquet(corpus / "articles.parquet", index=False)
    return corpus


def test_extract(tmp_path, gaz_file, capsys):
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    assert main(["actors", "extract", str(corpus), "--out", str(out), "--by", "month", "--gazetteer",
                 str(gaz_file), "--json"]) == 0
    summary = _last_json(capsys)
    assert summary["n_articles"] == 3 and summary["n_articles_without_mentions"] == 1
    assert summary["n_undated_articles"] == 1
    assert summary["n_mentions"] == 9
    by_month = pd.read_csv(out / "by_month.csv")
    assert sorted(by_month["period"].unique()) == ["2021-02-01", "2021-03-01"]
    assert (out / "mentions.parquet").is_file() and (out / "actor_network.gexf").is_file()
    mentions = pd.read_parquet(out / "mentions.parquet")
    assert mentions["doc_id"].tolist()[:4] == ["d1", "d1", "d1", "d1"]


def test_extract_bad_corpus(tmp_path, gaz_file, capsys):
    assert main(["actors", "extract", str(tmp_path), "--out", str(tmp_path / "o"), "--gazetteer",
                 str(gaz_file)]) == 2
    err = capsys.readouterr().err
    assert "articles.parquet" in err and "arabic-news ingest" in err


CONLL = """\
قال O
ستولتنبرغ B-PERS
في O
بغداد B-LOC
. O

زار O
مصطفى B-PERS
الكاظمي I-PERS
حلف B-ORG
الناتو I-ORG
. O
"""


def test_train_eval_discover_ner(tmp_path, gaz_file, capsys):
    data = tmp_path / "train.txt"
    data.write_text(CONLL * 5, encoding="utf-8")
    model = tmp_path / "ner.model.zip"
    assert main(["actors", "train-ner", "--data", str(data), "--model", str(model), "--dev-fraction", "0",
                 "--features", "word", "--max-iterations", "30", "--json"]) == 0
    assert model.is_file()
    capsys.readouterr()
    assert main(["actors", "eval-ner", "--data", str(data), "--model", str(model)]) == 0
    scores = _last_json(capsys)
    assert {"micro_f1", "precision", "recall", "per_type"} <= set(scores)
    assert scores["micro_f1"] == pytest.approx(1.0)  # a CRF fits 10 sentences it was trained on
    corpus = _corpus(tmp_path)
    assert main(["actors", "discover", str(corpus), "--model", str(model), "--gazetteer", str(gaz_file),
                 "--min-count", "1", "--json", "--out", str(tmp_path / "cands.csv")]) == 0
    rows = _last_json(capsys)
    assert isinstance(rows, list) and (tmp_path / "cands.csv").is_file()
    assert all(r["name"] not in {"العراق", "ايران", "بغداد", "الناتو"} for r in rows)  # known names are not listed


def test_ner_bad_input(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert main(["actors", "eval-ner", "--data", str(missing)]) == 2
    assert "nope.txt" in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_text("token-without-tag\n", encoding="utf-8")
    model = tmp_path / "m.model.zip"
    model.write_bytes(b"x")
    assert main(["actors", "eval-ner", "--data", str(bad), "--model", str(model)]) == 2
    assert "bad.txt" in capsys.readouterr().err
    assert main(["actors", "train-ner", "--data", str(bad), "--features", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_extract_empty_corpus(tmp_path, gaz_file, capsys):
    corpus = tmp_path / "empty"
    corpus.mkdir()
    pd.DataFrame({"doc_id": pd.Series([], dtype=str), "title": pd.Series([], dtype=str),
                  "body": pd.Series([], dtype=str)}).to_parquet(corpus / "articles.parquet", index=False)
    assert main(["actors", "extract", str(corpus), "--out", str(tmp_path / "o"), "--gazetteer", str(gaz_file)]) == 2
    assert "has no articles" in capsys.readouterr().err


def test_extract_again_reads_the_mentions_from_the_store(tmp_path, gaz_file, capsys):
    """The same corpus, gazetteer and options: the mentions are read from the corpus' analysis store; other
    matcher options (affiliations) are another entry."""
    from arabic_news.corpus.store import AnalysisStore

    corpus = _corpus(tmp_path)
    base = ["actors", "extract", str(corpus), "--by", "month", "--gazetteer", str(gaz_file), "--json"]
    assert main(base + ["--out", str(tmp_path / "a")]) == 0
    first = _last_json(capsys)
    assert main(base + ["--out", str(tmp_path / "b")]) == 0
    again = _last_json(capsys)
    assert main(base + ["--out", str(tmp_path / "c"), "--affiliations"]) == 0
    events = [e["event"] for e in AnalysisStore(corpus).events() if e["name"] == "actor_mentions"]
    assert events == ["computed", "reused", "computed"]
    assert again["n_mentions"] == first["n_mentions"] == 9
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a" / "mentions.parquet"),
                                  pd.read_parquet(tmp_path / "b" / "mentions.parquet"))
