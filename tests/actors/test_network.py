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


# -- significance and the strongest ties ---------------------------------------------------------------------------
def _docs(actor: str, docs) -> list[tuple[str, int, str]]:
    return [(f"d{i:03d}", 0, actor) for i in docs]


def _toy_corpus() -> pd.DataFrame:
    """100 documents. A: d000-d019, B: d010-d029 (10 together, 4 expected: a real tie).
    C: d000-d029, D: d020-d049 (10 together, 9 expected: no tie). E, F: d050-d052 only (3 together, NPMI 1)."""
    rows = (_docs("A", range(0, 20)) + _docs("B", range(10, 30)) + _docs("C", range(0, 30))
            + _docs("D", range(20, 50)) + _docs("E", range(50, 53)) + _docs("F", range(50, 53)))
    df = pd.DataFrame(rows, columns=["doc_id", "sentence", "actor_id"])
    df["kind"] = "name"
    return df


def test_log_likelihood_g2_worked_by_hand():
    from arabic_news.actors.network import G2_CRITICAL_001, log_likelihood_g2

    # table for A, B: both 10, A only 10, B only 10, neither 70; expected 4, 16, 16, 64
    by_hand = 2 * (10 * math.log(10 / 4) + 10 * math.log(10 / 16) + 10 * math.log(10 / 16) + 70 * math.log(70 / 64))
    assert by_hand == pytest.approx(12.0714, abs=1e-4)
    assert log_likelihood_g2(10, 20, 20, 100) == pytest.approx(by_hand)
    # C, D: both 10, C only 20, D only 20, neither 50; expected 9, 21, 21, 49
    by_hand_cd = 2 * (10 * math.log(10 / 9) + 2 * 20 * math.log(20 / 21) + 50 * math.log(50 / 49))
    assert log_likelihood_g2(10, 30, 30, 100) == pytest.approx(by_hand_cd)
    assert by_hand_cd < 3.84 < G2_CRITICAL_001 < by_hand
    # an empty cell counts 0 (0 * ln 0): E, F always together in 3 of 100 documents
    by_hand_ef = 2 * (3 * math.log(3 / 0.09) + 97 * math.log(97 / 94.09))
    assert log_likelihood_g2(3, 3, 3, 100) == pytest.approx(by_hand_ef)
    assert list(log_likelihood_g2([10, 10], [20, 30], [20, 30], 100)) == pytest.approx([by_hand, by_hand_cd])


def test_cooccurrence_reports_expected_counts_and_g2():
    _, edges = cooccurrence(_toy_corpus(), n_units=100)
    e = edges.set_index(["source", "target"])
    assert e.loc[("A", "B"), "expected"] == pytest.approx(4.0)
    assert e.loc[("A", "B"), "g2"] == pytest.approx(12.0714, abs=1e-4)
    assert e.loc[("C", "D"), "expected"] == pytest.approx(9.0)


def test_strongest_ties_need_support_and_significance():
    from arabic_news.actors.network import strongest_ties

    toy = _toy_corpus()
    ties = strongest_ties(toy, n_documents=100)
    # A-B: 10 articles, G2 12.07 >= 10.83. C-D: 10 articles but G2 0.22. E-F: NPMI 1 but only 3 articles.
    # A-C and B-C: 20 articles (A and B lie inside C), 6 expected, G2 61.9. B-D: 10 articles, 6 expected, G2 4.47.
    got = [(r.source, r.target) for r in ties.itertuples()]
    assert ("A", "B") in got and ("C", "D") not in got and ("E", "F") not in got
    assert set(got) == {("A", "B"), ("A", "C"), ("B", "C")}
    by_hand_ac = 2 * (20 * math.log(20 / 6) + 10 * math.log(10 / 24) + 70 * math.log(70 / 56))
    assert ties.set_index(["source", "target"]).loc[("A", "C"), "g2"] == pytest.approx(by_hand_ac)
    assert list(ties["npmi"]) == sorted(ties["npmi"], reverse=True)
    assert ties.attrs["n_documents"] == 100 and ties.attrs["list_articles"] == 0
    # the same pairs at a lower support threshold: E-F (3 articles, G2 = 21.0) now leads by NPMI
    loose = strongest_ties(toy, n_documents=100, min_count=3)
    assert (loose.iloc[0]["source"], loose.iloc[0]["target"]) == ("E", "F")
    assert loose.iloc[0]["npmi"] == pytest.approx(1.0)


def test_strongest_ties_leave_list_articles_out():
    """Twelve results lists naming 35 countries each make every pair of them co-occur 12 times; without the lists
    those pairs vanish, and N shrinks by the twelve lists."""
    from arabic_news.actors.network import list_articles, strongest_ties

    rows = [(f"list{i:02d}", 0, f"country{k:02d}") for i in range(12) for k in range(35)]
    fixtures = pd.DataFrame(rows, columns=["doc_id", "sentence", "actor_id"]).assign(kind="name")
    toy = pd.concat([_toy_corpus(), fixtures], ignore_index=True)
    assert list_articles(toy, 30) == [f"list{i:02d}" for i in range(12)]
    assert list_articles(toy, 35) == []
    with_lists = strongest_ties(toy, n_documents=112, max_actors=None)
    assert ("country00", "country01") in set(zip(with_lists["source"], with_lists["target"]))
    ties = strongest_ties(toy, n_documents=112)
    assert ties.attrs["list_articles"] == 12 and ties.attrs["n_documents"] == 100
    assert not any(s.startswith("country") for s in ties["source"])
    assert ties.set_index(["source", "target"]).loc[("A", "B"), "g2"] == pytest.approx(12.0714, abs=1e-4)


def test_strongest_ties_on_empty_mentions():
    from arabic_news.actors.network import strongest_ties

    empty = pd.DataFrame(columns=["doc_id", "sentence", "actor_id", "kind"])
    ties = strongest_ties(empty, n_documents=3)
    assert ties.empty and ties.attrs["n_documents"] == 3
