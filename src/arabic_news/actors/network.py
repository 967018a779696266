"""Actor co-occurrence networks: document-level counts with PMI/NPMI weights, sentence-level dyads, exports
for Gephi (GEXF) and CSV, and a readable drawing with Arabic labels.

Definitions (document level, N = number of documents):
``count(a, b)`` = documents naming both a and b; ``pmi = log(count(a,b) * N / (docs(a) * docs(b)))``;
``npmi = pmi / -log(count(a,b) / N)`` in [-1, 1] (1 = the two always appear together); ``expected`` =
``docs(a) * docs(b) / N``, the count independence predicts; ``g2`` = Dunning's log-likelihood ratio of the 2x2
table (documents naming both, only a, only b, neither) against independence (:func:`log_likelihood_g2`).
Sentence-level dyads use the same formulas with N = number of (document, sentence) units that name at least one
actor.

Strongest ties (:func:`strongest_ties`) need real support: at least ``min_count`` documents, a significant G2
(p < 0.001: G2 >= 10.83) and more co-occurrences than expected, ranked by NPMI. PMI and NPMI alone favour rare
pairs: two actors named together in three articles and nowhere else get NPMI 1. Articles that name very many
actors (fixture and results lists, draws, country rankings: SaudiNewsNet's World Cup qualifying draws name 50 and
more countries) would still make every pair of little countries in them look strongly tied, so such "list
articles" (more than ``max_actors`` distinct actors, 30 by default: 0.5 % of SaudiNewsNet's articles) are left
out of the ties' counts and of N.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from arabic_news.actors.labels import actor_names

logger = logging.getLogger(__name__)

EDGE_COLUMNS = ("source", "target", "count", "documents_source", "documents_target", "expected", "pmi", "npmi",
                "g2")
#: the chi-square critical value with one degree of freedom at p = 0.001: G2 >= 10.83 rejects independence
G2_CRITICAL_001 = 10.828
#: an article naming more distinct actors than this is a list (fixtures, results, draws) for the strongest ties
MAX_ACTORS_PER_ARTICLE = 30


def log_likelihood_g2(count, docs_a, docs_b, n) -> np.ndarray:
    """Dunning's (1993) log-likelihood ratio G2 of a 2x2 co-occurrence table against independence.

    The table: ``count`` units with both actors, ``docs_a - count`` with a only, ``docs_b - count`` with b only,
    ``n - docs_a - docs_b + count`` with neither; ``G2 = 2 * sum(O * ln(O / E))`` over the four cells with
    ``E = row total * column total / n`` (0 * ln 0 = 0). Under independence G2 follows chi-square with one degree
    of freedom: G2 >= 3.84 means p < 0.05, G2 >= 10.83 (:data:`G2_CRITICAL_001`) p < 0.001. G2 is two-sided: a
    pair seen *less* often than expected can score high too (compare ``count`` with ``docs_a * docs_b / n``).
    Works element-wise on arrays.

    >>> round(float(log_likelihood_g2(10, 20, 20, 100)), 2)
    12.07
    """
    c, a, b = (np.asarray(x, dtype=float) for x in (count, docs_a, docs_b))
    n = np.asarray(n, dtype=float)
    observed = (c, a - c, b - c, n - a - b + c)
    expected = (a * b / n, a * (n - b) / n, (n - a) * b / n, (n - a) * (n - b) / n)
    total = np.zeros(np.broadcast(c, a, b, n).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected):
            total = total + np.where(o > 0, o * np.log(np.where(o > 0, o, 1.0) / e), 0.0)
    return np.maximum(2.0 * total, 0.0)


def _units(mentions: pd.DataFrame, level: str, kinds: Sequence[str] | None) -> tuple[pd.DataFrame, list[str]]:
    if level not in ("document", "sentence"):
        raise ValueError(f"level must be 'document' or 'sentence', got {level!r}")
    m = mentions if kinds is None else mentions[mentions["kind"].isin(list(kinds))]
    keys = ["doc_id"] if level == "document" else ["doc_id", "sentence"]
    pairs = m[keys + ["actor_id"]].drop_duplicates()
    pairs = pairs.astype({"doc_id": str, "actor_id": str})
    return pairs, keys


def cooccurrence(
    mentions: pd.DataFrame,
    *,
    level: str = "document",
    kinds: Sequence[str] | None = None,
    n_units: int | None = None,
    min_count: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Co-occurrence of actors in the same document (``level='document'``) or sentence (``'sentence'``).

    Returns ``(nodes, edges)``: nodes = ``actor_id, units`` (documents or sentences naming the actor) and
    ``mentions``; edges = :data:`EDGE_COLUMNS` with ``source < target`` (one row per unordered pair, ``count``
    = units naming both, at least *min_count*), sorted by count. *n_units* is N in the PMI (default: the units
    with at least one mention; pass the corpus size to count mention-less documents too).
    """
    pairs, keys = _units(mentions, level, kinds)
    node_cols = ["actor_id", "units", "mentions"]
    if pairs.empty:
        return pd.DataFrame(columns=node_cols), pd.DataFrame(columns=list(EDGE_COLUMNS))
    unit_codes, _ = pd.factorize(pd.MultiIndex.from_frame(pairs[keys]) if len(keys) > 1 else pairs[keys[0]])
    actor_codes, actors = pd.factorize(pairs["actor_id"])
    n_found = int(unit_codes.max()) + 1
    n = int(n_units or n_found)
    if n < n_found:
        raise ValueError(f"n_units={n} is smaller than the {n_found} units that have mentions")
    x = sparse.csr_matrix((np.ones(len(pairs), dtype=np.int32), (unit_codes, actor_codes)),
                          shape=(n_found, len(actors)))
    units = np.asarray(x.sum(axis=0)).ravel()
    m = mentions if kinds is None else mentions[mentions["kind"].isin(list(kinds))]
    mention_counts = m["actor_id"].astype(str).value_counts()
    nodes = pd.DataFrame({"actor_id": list(actors), "units": units.astype(int)})
    nodes["mentions"] = nodes["actor_id"].map(mention_counts).fillna(0).astype(int)
    nodes = nodes.sort_values(["units", "actor_id"], ascending=[False, True], ignore_index=True)
    co = sparse.triu((x.T @ x).tocoo(), k=1).tocoo()
    keep = co.data >= min_count
    i, j, c = co.row[keep], co.col[keep], co.data[keep].astype(np.int64)
    a_ids, b_ids = np.asarray(actors, dtype=object)[i], np.asarray(actors, dtype=object)[j]
    swap = a_ids > b_ids
    src = np.where(swap, b_ids, a_ids)
    dst = np.where(swap, a_ids, b_ids)
    da = np.where(swap, units[j], units[i]).astype(np.int64)
    db = np.where(swap, units[i], units[j]).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(c * n / (da * db))
        p_ab = c / n
        npmi = np.where(p_ab < 1, pmi / -np.log(p_ab), 1.0)
    edges = pd.DataFrame({"source": src, "target": dst, "count": c, "documents_source": da,
                          "documents_target": db, "expected": da * db / n, "pmi": pmi, "npmi": npmi,
                          "g2": log_likelihood_g2(c, da, db, n)})
    edges = edges.sort_values(["count", "source", "target"], ascending=[False, True, True], ignore_index=True)
    return nodes, edges


def sentence_dyads(mentions: pd.DataFrame, *, kinds: Sequence[str] | None = None, min_count: int = 1,
                   n_units: int | None = None) -> pd.DataFrame:
    """Pairs of actors named in the same sentence: ``source, target, count`` (sentences), ``documents``
    (articles with at least one such sentence) and the sentence-level ``pmi``/``npmi``; most frequent first."""
    _, edges = cooccurrence(mentions, level="sentence", kinds=kinds, min_count=min_count, n_units=n_units)
    if edges.empty:
        return edges.assign(documents=pd.Series(dtype="int64"))
    pairs, _ = _units(mentions, "sentence", kinds)
    # documents per dyad: pair up the actors of each sentence (self-join), then count distinct documents
    both = pairs.merge(pairs, on=["doc_id", "sentence"], suffixes=("_a", "_b"))
    both = both[both["actor_id_a"] < both["actor_id_b"]]
    docs = (both.groupby(["actor_id_a", "actor_id_b"])["doc_id"].nunique().rename("documents").reset_index()
            .rename(columns={"actor_id_a": "source", "actor_id_b": "target"}))
    out = edges.merge(docs, on=["source", "target"], how="left")
    out["documents"] = out["documents"].fillna(0).astype("int64")
    cols = ["source", "target", "count", "documents", "documents_source", "documents_target", "expected", "pmi",
            "npmi", "g2"]
    out = out[cols].rename(columns={"documents_source": "sentences_source", "documents_target": "sentences_target"})
    return out


def list_articles(mentions: pd.DataFrame, max_actors: int = MAX_ACTORS_PER_ARTICLE) -> list[str]:
    """The doc_ids of articles naming more than *max_actors* distinct actors (lists: fixtures, results, draws,
    rankings), sorted."""
    if mentions.empty:
        return []
    per_doc = mentions.astype({"doc_id": str}).groupby("doc_id")["actor_id"].nunique()
    return sorted(per_doc.index[per_doc > max_actors])


def strongest_ties(
    mentions: pd.DataFrame,
    *,
    n_documents: int | None = None,
    min_count: int = 10,
    min_g2: float = G2_CRITICAL_001,
    max_actors: int | None = MAX_ACTORS_PER_ARTICLE,
    kinds: Sequence[str] | None = None,
    by: str = "npmi",
) -> pd.DataFrame:
    """Document-level ties with real support, strongest first.

    A pair is kept when at least *min_count* articles name both actors, its G2 against independence is at least
    *min_g2* (10.83: p < 0.001) and it co-occurs more often than expected; kept pairs are ranked by *by* (NPMI by
    default; then G2 and count). Articles naming more than *max_actors* distinct actors (:func:`list_articles`)
    are left out of the counts and of N (``None`` keeps every article). *n_documents* is the corpus size (N before
    the list articles are removed; default: the articles with a mention).

    Returns :data:`EDGE_COLUMNS`; ``attrs`` records ``n_documents`` (N used), ``list_articles`` (how many were
    left out), ``min_count``, ``min_g2``, ``max_actors`` and ``n_pairs`` (co-occurring pairs before the filter).
    """
    if by not in EDGE_COLUMNS:
        raise ValueError(f"by must be one of {', '.join(EDGE_COLUMNS[2:])}, got {by!r}")
    n_found = int(mentions["doc_id"].nunique()) if len(mentions) else 0
    n_total = int(n_documents or n_found)
    lists = list_articles(mentions, max_actors) if max_actors is not None else []
    kept = mentions[~mentions["doc_id"].astype(str).isin(set(lists))] if lists else mentions
    n = n_total - len(lists)
    if kept.empty or n <= 0:
        edges = pd.DataFrame(columns=list(EDGE_COLUMNS))
    else:
        _, edges = cooccurrence(kept, kinds=kinds, n_units=n)
    n_pairs = len(edges)
    if len(edges):
        keep = (edges["count"] >= min_count) & (edges["g2"] >= min_g2) & (edges["count"] > edges["expected"])
        edges = edges[keep].sort_values([by, "g2", "count", "source", "target"],
                                        ascending=[False, False, False, True, True], ignore_index=True)
    edges.attrs.update({"n_documents": int(max(n, 0)), "list_articles": len(lists), "min_count": int(min_count),
                        "min_g2": float(min_g2), "max_actors": max_actors, "n_pairs": int(n_pairs)})
    return edges


def build_network(
    mentions: pd.DataFrame,
    gazetteer=None,
    *,
    level: str = "document",
    kinds: Sequence[str] | None = None,
    n_units: int | None = None,
    min_count: int = 1,
) -> nx.Graph:
    """An undirected graph of actors: node attributes ``name_en``, ``name_ar``, ``type``, ``units``,
    ``mentions``; edge attributes ``count``, ``pmi``, ``npmi``, ``g2`` (see :func:`cooccurrence`)."""
    nodes, edges = cooccurrence(mentions, level=level, kinds=kinds, n_units=n_units, min_count=min_count)
    g = nx.Graph(level=level)
    for row in nodes.itertuples(index=False):
        actor = gazetteer.actors.get(row.actor_id) if gazetteer is not None else None
        g.add_node(row.actor_id, name_en=getattr(actor, "name_en", row.actor_id),
                   name_ar=getattr(actor, "name_ar", row.actor_id), type=getattr(actor, "type", ""),
                   units=int(row.units), mentions=int(row.mentions))
    for row in edges.itertuples(index=False):
        g.add_edge(row.source, row.target, count=int(row.count), pmi=float(row.pmi), npmi=float(row.npmi),
                   g2=float(row.g2))
    return g


def network_tables(g: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges) DataFrames of a graph from :func:`build_network`."""
    nodes = pd.DataFrame([{"id": n, **d} for n, d in g.nodes(data=True)])
    edges = pd.DataFrame([{"source": a, "target": b, **d} for a, b, d in g.edges(data=True)],
                         columns=["source", "target", "count", "pmi", "npmi", "g2"])
    return nodes, edges


def label_edges(edges: pd.DataFrame, gazetteer, column: str = "name_ar") -> pd.DataFrame:
    """*edges* with ``source_name`` and ``target_name`` (gazetteer names) as the first two columns."""
    out = edges.copy()
    out.insert(0, "source_name", actor_names(out["source"], gazetteer, column))
    out.insert(1, "target_name", actor_names(out["target"], gazetteer, column))
    return out


def export_network(g: nx.Graph, out_dir: str | Path, stem: str = "actor_network") -> list[Path]:
    """Write ``stem.gexf`` (Gephi) and ``stem_nodes.csv`` / ``stem_edges.csv`` to *out_dir*."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    gexf = out_dir / f"{stem}.gexf"
    clean = nx.Graph()
    clean.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in g.nodes(data=True))
    clean.add_edges_from((a, b, {k: (v if np.isfinite(v) else 0.0) if isinstance(v, float) else v
                                 for k, v in d.items()}) for a, b, d in g.edges(data=True))
    for n, d in clean.nodes(data=True):
        d["label"] = d.get("name_ar") or n
    nx.write_gexf(clean, gexf)
    nodes, edges = network_tables(g)
    node_csv, edge_csv = out_dir / f"{stem}_nodes.csv", out_dir / f"{stem}_edges.csv"
    nodes.to_csv(node_csv, index=False, encoding="utf-8")
    edges.to_csv(edge_csv, index=False, encoding="utf-8")
    return [gexf, node_csv, edge_csv]


TYPE_COLORS = {
    "country": "#2a6f97", "person": "#c1121f", "organization": "#588157", "armed_group": "#6a4c93",
    "media": "#f4a261", "place": "#8d99ae",
}


def top_subgraph(g: nx.Graph, top_n: int = 30, *, by: str = "units", min_count: int = 1) -> nx.Graph:
    """The induced subgraph of the *top_n* nodes by node attribute *by* (ties: more mentions, then id), keeping
    edges with count >= min_count."""
    ranked = sorted(g.nodes(data=True),
                    key=lambda nd: (-nd[1].get(by, 0), -nd[1].get("mentions", 0), nd[0]))[:top_n]
    sub = g.subgraph([n for n, _ in ranked]).copy()
    sub.remove_edges_from([(a, b) for a, b, d in sub.edges(data=True) if d.get("count", 0) < min_count])
    return sub


def strongest_edges(g: nx.Graph, k: int, *, weight: str = "npmi") -> nx.Graph:
    """A copy of *g* keeping, for every node, its *k* edges with the largest *weight* (union over nodes)."""
    keep: set[tuple[str, str]] = set()
    for n in g.nodes:
        ranked = sorted(g.edges(n, data=True), key=lambda e: (-e[2].get(weight, 0.0), e[1]))[:k]
        keep.update(tuple(sorted((a, b))) for a, b, _ in ranked)
    out = g.copy()
    out.remove_edges_from([(a, b) for a, b in g.edges if tuple(sorted((a, b))) not in keep])
    return out


def draw_share_heatmap(table: pd.DataFrame, *, title: str = "", label: str = "", ax=None):
    """Heatmap of an actors x outlets table (e.g. :func:`arabic_news.actors.extract.outlet_share_table`), actor
    names on the right-hand side (read right to left). Returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(1.5 + 0.55 * max(table.shape[1], 1), 0.35 * max(table.shape[0], 1) + 1.8),
                             layout="constrained")
    im = ax.imshow(table.to_numpy(dtype=float), cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], rotation=60, ha="right")
    ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index])
    ax.yaxis.tick_right()
    ax.figure.colorbar(im, ax=ax, location="left", shrink=0.8, label=label)
    if title:
        ax.set_title(title, loc="right")
    return ax


def draw_network(
    g: nx.Graph,
    *,
    top_n: int = 30,
    weight: str = "npmi",
    min_count: int = 2,
    label: str = "name_ar",
    edges_per_node: int | None = 4,
    seed: int = 42,
    ax=None,
    title: str = "",
):
    """Draw the *top_n* most frequent actors and their strongest ties.

    Edges seen fewer than *min_count* times are dropped; of the rest each node keeps its *edges_per_node*
    strongest by *weight* (NPMI by default: ties that are more frequent than chance, not just between frequent
    actors), so the drawing shows a backbone instead of a hairball (``None`` keeps every edge). Spring layout with
    a fixed *seed*; node size ~ documents; edge width ~ count; colour = actor type (legend); labels in Arabic
    (``label='name_ar'``; matplotlib >= 3.10 with DejaVu Sans shapes them, see :mod:`arabic_news.plots`).
    Returns the Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    try:
        from arabic_news.plots import setup_matplotlib

        setup_matplotlib()
    except Exception as exc:  # pragma: no cover - plotting still works with matplotlib's defaults
        logger.info("arabic_news.plots.setup_matplotlib unavailable (%s)", exc)
    sub = top_subgraph(g, top_n, min_count=min_count)
    if edges_per_node is not None:
        sub = strongest_edges(sub, edges_per_node, weight=weight)
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 9), layout="constrained")
    if sub.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "لا توجد بيانات", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    # layout weight must be positive: shift NPMI from [-1, 1] to [0, 2]; counts are used as they are
    for _, _, d in sub.edges(data=True):
        w = d.get(weight, 1.0)
        d["_layout_w"] = float(w + 1.0) if weight in ("npmi",) else float(max(w, 0.0) + 1e-3)
    k = 2.2 / np.sqrt(max(sub.number_of_nodes(), 1))
    pos = nx.spring_layout(sub, weight="_layout_w", seed=seed, k=k, iterations=200)
    units = np.array([d.get("units", 1) for _, d in sub.nodes(data=True)], dtype=float)
    sizes = 250 + 2200 * (units / units.max())
    colors = [TYPE_COLORS.get(d.get("type", ""), "#adb5bd") for _, d in sub.nodes(data=True)]
    counts = np.array([d.get("count", 1) for _, _, d in sub.edges(data=True)], dtype=float)
    widths = 0.4 + 5.0 * (counts / counts.max()) if len(counts) else []
    nx.draw_networkx_edges(sub, pos, ax=ax, width=widths, edge_color="#6c757d", alpha=0.35)
    nx.draw_networkx_nodes(sub, pos, ax=ax, node_size=sizes, node_color=colors, alpha=0.9, linewidths=0.8,
                           edgecolors="white")
    labels = {n: (d.get(label) or n) for n, d in sub.nodes(data=True)}
    for n, (x, y) in pos.items():
        ax.text(x, y, labels[n], ha="center", va="center", fontsize=10,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7))
    present = sorted({d.get("type", "") for _, d in sub.nodes(data=True)})
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, color=TYPE_COLORS.get(t, "#adb5bd"), label=t)
               for t in present]
    ax.legend(handles=handles, loc="lower left", frameon=False, fontsize="small")
    ax.set_axis_off()
    ax.margins(0.08)
    if title:
        ax.set_title(title, loc="right")
    return ax
