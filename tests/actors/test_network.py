"""Tests for arabic_news.actors.network: co-occurrence counts, PMI/NPMI, sentence dyads, exports, drawing."""
from __future__ import annotations

import math

import matplotlib
import networkx as nx
import pandas as pd
import pytest

from actor_fixtures import mini_gazetteer
from arabic_news.actors.network import (
    build_network,
    cooccurrence,
    draw_network,
    export_network,
    sentence_dyads,
    top_subgraph,
)

matplotlib.use("Agg")


def _mentions() -> pd.DataFrame:
    # doc, sentence, actor: A=Q796 (Iraq), B=Q794 (Iran), C=Q30 (US)
    rows = [
        ("d1", 0, "Q796"), ("d1", 0, "Q794"), ("d1", 1, "Q796"), ("d1", 1, "Q30"),
        ("d2", 0, "Q796"), ("d2", 1, "Q794"), ("d2", 1, "Q794"),
        ("d3", 0, "Q30"),
        ("d4", 0, "Q796"),
    ]
    df = pd.DataFrame(rows, columns=["doc_id", "sentence", "actor_id"])
    df["kind"] = "name"
    return df


def test_document_cooccurrence_counts_and_pmi():
    nodes, edges = cooccurrence(_mentions(), n_units=5)  # 5 documents, one without any actor
    assert nodes.set_index("actor_id")["units"].to_dict() == {"Q796": 3, "Q794": 2, "Q30": 2}
    assert nodes.set_index("actor_id")["mentions"].to_dict() == {"Q796": 4, "Q794": 3, "Q30": 2}
    e = edges.set_index(["source", "target"])
    assert e.loc[("Q794", "Q796"), "count"] == 2  # d1, d2
    assert e.loc[("Q30", "Q796"), "count"] == 1   # d1
    assert ("Q30", "Q794") in e.index and e.loc[("Q30", "Q794"), "count"] == 1
    assert (edges["source"] < edges["target"]).all()
    # PMI(Iran, Iraq) = log(2 * 5 / (2 * 3)); NPMI = PMI / -log(2/5)
    pmi = math.log(2 * 5 / (2 * 3))
    assert e.loc[("Q794", "Q796"), "pmi"] == pytest.approx(pmi)
    assert e.loc[("Q794", "Q796"), "npmi"] == pytest.approx(pmi / -math.log(2 / 5))
    # default N = documents with mentions (4)
    _, edges4 = cooccurrence(_mentions())
    assert edges4.set_index(["source", "target"]).loc[("Q794", "Q796"), "pmi"] == pytest.approx(math.log(2 * 4 / 6))
    with pytest.raises(ValueError):
        cooccurrence(_mentions(), n_units=2)


def test_min_count_and_kinds_filters():
    _, edges = cooccurrence(_mentions(), min_count=2)
    assert list(zip(edges["source"], edges["target"])) == [("Q794", "Q796")]
    m = _mentions()
    m.loc[m["actor_id"] == "Q30", "kind"] = "adjective"
    _, names_only = cooccurrence(m, kinds=["name"])
    assert "Q30" not in set(names_only["source"]) | set(names_only["target"])


def test_sentence_dyads():
    dyads = sentence_dyads(_mentions())
    got = {(r.source, r.target): (r.count, r.documents) for r in dyads.itertuples()}
    # same sentence: d1/s0 Iraq+Iran, d1/s1 Iraq+US; d2 has Iraq and Iran in different sentences
    assert got == {("Q794", "Q796"): (1, 1), ("Q30", "Q796"): (1, 1)}
    assert {"pmi", "npmi", "sentences_source", "sentences_target"} <= set(dyads.columns)


def test_build_export_and_draw(tmp_path):
    g = build_network(_mentions(), mini_gazetteer(), n_units=5)
    assert g.nodes["Q796"]["name_ar"] == "العراق" and g.nodes["Q796"]["type"] == "country"
    assert g.edges["Q794", "Q796"]["count"] == 2
    files = export_network(g, tmp_path, "net")
    assert [f.name for f in files] == ["net.gexf", "net_nodes.csv", "net_edges.csv"]
    back = nx.read_gexf(tmp_path / "net.gexf")
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 3
    assert back.nodes["Q796"]["label"] == "العراق"
    edges = pd.read_csv(tmp_path / "net_edges.csv")
    assert len(edges) == 3 and set(edges.columns) >= {"source", "target", "count", "pmi", "npmi"}
    assert set(top_subgraph(g, 2).nodes) == {"Q796", "Q794"}
    ax = draw_network(g, top_n=3, min_count=1, seed=1)
    labels = {t.get_text() for t in ax.texts}
    assert {"العراق", "إيران", "الولايات المتحدة"} <= labels
    ax.figure.savefig(tmp_path / "net.png")
    assert (tmp_path / "net.png").stat().st_size > 1000


def test_empty_mentions():
    empty = pd.DataFrame(columns=["doc_id", "sentence", "actor_id", "kind"])
    nodes, edges = cooccurrence(empty)
    assert nodes.empty and edges.empty
    assert build_network(empty).number_of_nodes() == 0
