"""`arabic-news topics fit|eval` on a tiny corpus written in the canonical articles.parquet schema."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from arabic_news.cli import main
from arabic_news.topics.models import load_topic_model

from topic_toy_corpus import DOCS, LABELS


@pytest.fixture()
def corpus_dir(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    n = len(DOCS)
    frame = pd.DataFrame({
        "doc_id": [f"d{i:02d}" for i in range(n)],
        "title": [" ".join(d.split()[:4]) for d in DOCS],
        "body": DOCS,
        "paragraphs": [[d] for d in DOCS],
        "date": pd.to_datetime(["2024-01-0%d" % (1 + i % 9) for i in range(n)]),
        "source": ["outlet-a" if i % 2 else "outlet-b" for i in range(n)],
        "url": [f"https://example.org/{i}" for i in range(n)],
        "label": LABELS,
        "path": [f"doc{i}.txt" for i in range(n)],
        "n_tokens": [len(d.split()) for d in DOCS],
    })
    frame.to_parquet(folder / "articles.parquet", index=False)
    return folder


def test_fit_writes_model_topics_and_doc_topics(corpus_dir, tmp_path, capsys):
    out = tmp_path / "fit"
    code = main(["topics", "fit", str(corpus_dir), "--model", "nmf", "--k", "3", "--out", str(out),
                 "--max-df", "0.9", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["k"] == 3 and summary["n_docs"] == 18 and summary["n_docs_without_terms"] == 0
    assert sorted(t["size"] for t in summary["topics"]) == [6, 6, 6]
    doc_topics = pd.read_parquet(out / "doc_topics.parquet")
    assert list(doc_topics.columns[:2]) == ["doc_id", "topic"] and len(doc_topics) == 18
    assert len(pd.read_csv(out / "topics.csv")) == 3
    assert not (out / "model.pkl").exists()  # the model is JSON + arrays (model.zip), never a pickle
    model = load_topic_model(out / "model.zip")
    assert model.n_topics_ == 3 and model.model == "nmf"
    weights = pd.read_parquet(out / "doc_topics.parquet").filter(like="topic_").to_numpy()
    np.testing.assert_array_equal(model.doc_topic_, weights)
    written = json.loads((out / "topics.json").read_text(encoding="utf-8"))
    assert written["model"] == "nmf"
    # labels in words as written (النفط), the modelled light stems (نفط) kept beside them
    words = [w for t in written["topics"] for w in t["words"]]
    terms = [w for t in written["topics"] for w in t["terms"]]
    assert "النفط" in words and "نفط" in terms and "نفط" not in words
    assert all(t["label"] == " · ".join(t["words"][:3]) for t in written["topics"])


@pytest.mark.parametrize("kind", ["nmf", "lda"])
def test_eval_prints_metrics_json_last(corpus_dir, capsys, kind):
    code = main(["topics", "eval", str(corpus_dir), "--model", kind, "--k", "3", "--max-df", "0.9",
                 "--label-column", "label", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"npmi", "c_v", "diversity", "nmi", "ari"} <= set(result)
    if kind == "nmf":  # NMF recovers the three themes exactly (the model tests cover LDA with a fixed seed)
        assert result["nmi"] == pytest.approx(1.0) and result["ari"] == pytest.approx(1.0)
    else:
        assert 0.0 <= result["nmi"] <= 1.0 and -1.0 <= result["ari"] <= 1.0
    assert -1 <= result["npmi"] <= 1 and 0 < result["diversity"] <= 1 and result["n_labelled"] == 18


def test_eval_without_labels_has_no_nmi(corpus_dir, capsys):
    assert main(["topics", "eval", str(corpus_dir), "--k", "3", "--max-df", "0.9", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "nmi" not in result and "npmi" in result


def test_clear_errors(corpus_dir, tmp_path, capsys):
    assert main(["topics", "eval", str(tmp_path / "nowhere"), "--k", "3"]) == 2
    assert "articles.parquet not found" in capsys.readouterr().err
    assert main(["topics", "eval", str(corpus_dir), "--k", "3", "--label-column", "section"]) == 2
    assert "has no column 'section'" in capsys.readouterr().err
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("نفط\nانتخابات\nكرة\nطقس\n", encoding="utf-8")
    assert main(["topics", "fit", str(corpus_dir), "--k", "3", "--seed-words", str(seeds),
                 "--out", str(tmp_path / "o")]) == 2
    assert "4 seed lines" in capsys.readouterr().err


def test_fit_again_reuses_the_stored_tokens_and_model(corpus_dir, tmp_path, capsys):
    """A second `topics fit` with the same settings reads the corpus' analysis store; another k fits anew."""
    from arabic_news.corpus.store import AnalysisStore

    args = ["topics", "fit", str(corpus_dir), "--model", "nmf", "--max-df", "0.9", "--json"]
    assert main(args + ["--k", "3", "--out", str(tmp_path / "a")]) == 0
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert main(args + ["--k", "3", "--out", str(tmp_path / "b")]) == 0
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert main(args + ["--k", "2", "--out", str(tmp_path / "c")]) == 0
    events = [(e["event"], e["name"]) for e in AnalysisStore(corpus_dir).events()]
    assert events == [("computed", "topic_tokens"), ("computed", "topic_surface_forms"), ("computed", "topic_model"),
                      ("reused", "topic_tokens"), ("reused", "topic_surface_forms"), ("reused", "topic_model"),
                      ("reused", "topic_tokens"), ("reused", "topic_surface_forms"), ("computed", "topic_model")]
    assert again["topics"] == first["topics"]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a" / "doc_topics.parquet"),
                                  pd.read_parquet(tmp_path / "b" / "doc_topics.parquet"))
