"""Topic-model metrics: coherence against the corpus itself, diversity, agreement with gold labels, stability,
and a sweep over k.

Coherence uses gensim's ``CoherenceModel`` with ``texts`` = the model's own preprocessed token lists and a
``Dictionary`` built from them - the corpus is its own reference (never a default or English reference corpus).
``c_npmi`` and ``c_v`` use gensim's boolean sliding windows (size 10 for NPMI, 110 for C_V, gensim defaults).
"""
from __future__ import annotations

import itertools
import logging
import time
from typing import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from tqdm.auto import tqdm

logger = logging.getLogger(__name__)


def _dictionary(texts):
    from gensim.corpora import Dictionary

    return Dictionary(texts)


def coherence(topics: Sequence[Sequence[str]], texts: Sequence[Sequence[str]], *, measure: str = "c_npmi",
              topn: int = 10, dictionary=None, window_size: int | None = None,
              per_topic: bool = False):
    """Mean coherence of *topics* (lists of terms) measured on the tokenised corpus *texts*.

    measure : 'c_npmi' or 'c_v' (any gensim coherence name works). Terms absent from the corpus are dropped
    from their topic (gensim would fail on them); topics left with < 2 terms are skipped (NaN per topic).
    Returns a float, or (mean, per-topic list) when ``per_topic=True``.
    """
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = dictionary if dictionary is not None else _dictionary(texts)
    known = dictionary.token2id
    kept = [[t for t in topic[:topn] if t in known] for topic in topics]
    usable = [i for i, t in enumerate(kept) if len(t) >= 2]
    scores = [float("nan")] * len(kept)
    if usable:
        cm = CoherenceModel(topics=[kept[i] for i in usable], texts=[list(t) for t in texts],
                            dictionary=dictionary, coherence=measure, topn=topn, processes=1,
                            window_size=window_size)
        for i, s in zip(usable, cm.get_coherence_per_topic()):
            scores[i] = float(s)
    mean = float(np.nanmean(scores)) if usable else float("nan")
    return (mean, scores) if per_topic else mean


def coherence_many(topic_sets: Sequence[Sequence[Sequence[str]]], texts: Sequence[Sequence[str]], *,
                   measure: str = "c_npmi", topn: int = 10, dictionary=None,
                   window_size: int | None = None) -> list[float]:
    """:func:`coherence` of several topic sets (e.g. the runs of a k sweep) in one pass over *texts*.

    gensim scores each topic from the co-occurrence counts of its own words only, so scoring all topics in one
    ``CoherenceModel`` gives the same per-topic values as one model per set, while reading the corpus once
    instead of once per set (the sliding-window pass is the slow part on large corpora).
    Returns the mean coherence of each set (NaN for a set with no usable topic).
    """
    flat = [topic for topics in topic_sets for topic in topics]
    if not flat:
        return [float("nan")] * len(topic_sets)
    _, scores = coherence(flat, texts, measure=measure, topn=topn, dictionary=dictionary,
                          window_size=window_size, per_topic=True)
    out, start = [], 0
    for topics in topic_sets:
        part = scores[start:start + len(topics)]
        start += len(topics)
        usable = [x for x in part if not np.isnan(x)]
        out.append(float(np.mean(usable)) if usable else float("nan"))
    return out


def topic_diversity(topics: Sequence[Sequence[str]], topn: int = 10) -> float:
    """Share of unique words among the top-*topn* words of all topics (Dieng et al. 2020): 1 = no overlap."""
    words = [w for topic in topics for w in list(topic)[:topn]]
    return len(set(words)) / len(words) if words else float("nan")


def label_agreement(dominant_topics, labels) -> dict[str, float]:
    """NMI (arithmetic normalisation, scikit-learn's default) and ARI between dominant topics and gold labels.

    Documents whose label is missing (None/NaN/empty) are left out; ``n`` says how many were used.
    """
    dominant = np.asarray(dominant_topics)
    labels = pd.Series(list(labels), dtype="object")
    ok = labels.notna().to_numpy() & (labels.astype(str).str.strip() != "").to_numpy()
    if ok.sum() == 0:
        raise ValueError("no document has a gold label")
    y, z = labels[ok].astype(str).to_numpy(), dominant[ok]
    return {"nmi": float(normalized_mutual_info_score(y, z)), "ari": float(adjusted_rand_score(y, z)),
            "n": int(ok.sum())}


def jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if (a or b) else 1.0


def topic_set_similarity(topics_a, topics_b, topn: int = 10) -> float:
    """Mean Jaccard of top-*topn* term sets after a one-to-one best matching of topics (Hungarian)."""
    sim = np.array([[jaccard(list(a)[:topn], list(b)[:topn]) for b in topics_b] for a in topics_a])
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean())


def stability(runs: Sequence[Sequence[Sequence[str]]], topn: int = 10) -> float:
    """Mean pairwise ``topic_set_similarity`` over all pairs of runs (e.g. the same model with different seeds)."""
    pairs = list(itertools.combinations(range(len(runs)), 2))
    if not pairs:
        return float("nan")
    return float(np.mean([topic_set_similarity(runs[i], runs[j], topn) for i, j in pairs]))


def evaluate(model, texts_tokens, *, labels=None, topn: int = 10, dictionary=None) -> dict[str, float]:
    """npmi, c_v, diversity (and nmi, ari when *labels*) of a fitted TopicModel on its own token lists."""
    dictionary = dictionary if dictionary is not None else _dictionary(texts_tokens)
    out = {
        "npmi": coherence(model.topic_terms_, texts_tokens, measure="c_npmi", topn=topn, dictionary=dictionary),
        "c_v": coherence(model.topic_terms_, texts_tokens, measure="c_v", topn=topn, dictionary=dictionary),
        "diversity": topic_diversity(model.topic_terms_, topn),
    }
    if labels is not None:
        out.update({k: v for k, v in label_agreement(model.labels_, labels).items() if k != "n"})
    return out


def _sweep_run(model, k: int, seed: int, subsample: float, texts, tokens, embeddings, titles, labels):
    """One run of :func:`k_sweep`: ``(k, metrics, top terms)`` of clone(model) with *k* topics fitted on the
    *subsample* share of the documents drawn with *seed*."""
    n = len(texts)
    if subsample < 1:
        idx = np.sort(np.random.default_rng(int(seed)).choice(n, size=max(2, int(round(subsample * n))),
                                                                replace=False))
    else:
        idx = np.arange(n)
    est = clone(model).set_params(n_topics=int(k), seed=int(seed))
    t0 = time.perf_counter()
    est.fit([texts[i] for i in idx], tokens=[tokens[i] for i in idx],
            embeddings=None if embeddings is None else np.asarray(embeddings)[idx],
            titles=None if titles is None else [titles[i] for i in idx])
    elapsed = time.perf_counter() - t0
    metrics = {"diversity": topic_diversity(est.topic_terms_, 10)}
    if labels is not None:
        metrics.update({key: v for key, v in label_agreement(est.labels_, [labels[i] for i in idx]).items()
                        if key != "n"})
    metrics["fit_time"] = elapsed
    return k, metrics, est.topic_terms_


def k_sweep(model, texts: Sequence[str], ks: Sequence[int], *, seeds: Sequence[int] = (0, 1, 2),
            subsample: float = 0.8, labels=None, tokens=None, embeddings=None, titles=None,
            show_progress: bool = False, n_jobs: int = 1) -> pd.DataFrame:
    """Fit clone(model) for every k in *ks* and seed in *seeds*; one row per k.

    Each run fits on a random *subsample* share of the documents drawn with its seed (``subsample=1`` fits
    them all), so that stability also measures sensitivity to the data: NMF's NNDSVD start is deterministic
    and would otherwise give identical runs whatever the seed (Greene, O'Callaghan & Cunningham 2014 use the
    same resampling scheme).

    Columns: k, npmi, c_v, diversity (means over runs; coherence on the full corpus' token lists), stability
    (mean pairwise best-match Jaccard of top-10 term sets between the runs), fit_time (mean seconds), and nmi,
    ari (means, on each run's own documents) when *labels* are given. Preprocessing runs once (``tokens`` may
    be passed in). ``n_jobs`` > 1 fits the runs in that many worker processes (the runs are independent and
    seeded: the same table as ``n_jobs=1``, except fit_time).
    """
    texts = list(texts)
    tokens = model.preprocess(texts) if tokens is None else [list(t) for t in tokens]
    dictionary = _dictionary(tokens)
    grid = [(k, s) for k in ks for s in seeds]
    runs: dict[int, list] = {k: [] for k in ks}
    scores: dict[int, list] = {k: [] for k in ks}
    jobs = [(model, int(k), int(s), subsample, texts, tokens, embeddings, titles, labels) for k, s in grid]
    if n_jobs and n_jobs > 1 and len(grid) > 1:
        from joblib import Parallel, delayed

        fitted = Parallel(n_jobs=min(int(n_jobs), len(grid)))(
            delayed(_sweep_run)(*job) for job in tqdm(jobs, disable=not show_progress, desc="k sweep"))
    else:
        fitted = [_sweep_run(*job) for job in tqdm(jobs, disable=not show_progress, desc="k sweep")]
    # coherence of every run at once: one pass over the corpus per measure instead of one per run
    topic_sets = [terms for _, _, terms in fitted]
    if n_jobs and n_jobs > 1:
        from joblib import Parallel, delayed

        npmi, c_v = Parallel(n_jobs=2)(delayed(coherence_many)(topic_sets, tokens, measure=measure,
                                                               dictionary=dictionary)
                                       for measure in ("c_npmi", "c_v"))
    else:
        npmi = coherence_many(topic_sets, tokens, measure="c_npmi", dictionary=dictionary)
        c_v = coherence_many(topic_sets, tokens, measure="c_v", dictionary=dictionary)
    for (k, metrics, terms), a, b in zip(fitted, npmi, c_v):
        scores[k].append({"npmi": a, "c_v": b, **metrics})
        runs[k].append(terms)
    rows = []
    for k in ks:
        frame = pd.DataFrame(scores[k])
        rows.append({"k": int(k), **frame.mean().to_dict(), "stability": stability(runs[k])})
    columns = ["k", "npmi", "c_v", "diversity", "stability"] + (["nmi", "ari"] if labels is not None else [])
    return pd.DataFrame(rows)[columns + ["fit_time"]]


#: Metrics :func:`choose_k` combines by default.
CHOOSE_K_CRITERIA = ("npmi", "diversity")


def choose_k(sweep: pd.DataFrame, *, criteria: Sequence[str] = CHOOSE_K_CRITERIA,
             tolerance: float = 1e-9) -> tuple[int, pd.Series]:
    """The number of topics a :func:`k_sweep` frame supports, and each k's score.

    Rule: every metric in *criteria* (default NPMI coherence and topic diversity, both "higher is better") is
    rescaled to 0-1 across the k values tried (min-max; a metric equal for every k counts 1 for all, a
    missing value 0), the score of a k is the mean of its rescaled metrics, and the k with the best score
    wins; scores within *tolerance* of the best are ties, won by the smaller k (fewer, broader topics).
    Returns ``(k, scores)`` with ``scores`` indexed by k.
    """
    if sweep is None or len(sweep) == 0:
        raise ValueError("choose_k needs a k sweep with at least one row")
    missing = [c for c in criteria if c not in sweep.columns]
    if missing:
        raise ValueError(f"the k sweep has no column(s) {missing}; available: {list(sweep.columns)}")
    frame = sweep.set_index("k")[list(criteria)].astype(float)
    low, high = frame.min(), frame.max()
    span = (high - low).replace(0.0, np.nan)
    scaled = ((frame - low) / span).fillna(1.0)
    scaled[frame.isna()] = 0.0
    scores = scaled.mean(axis=1).rename("score")
    best = scores.max()
    k = int(min(scores.index[scores >= best - tolerance]))
    return k, scores


def k_choice_sentence(sweep: pd.DataFrame, k: int, *, chosen: bool,
                      criteria: Sequence[str] = CHOOSE_K_CRITERIA) -> str:
    """One sentence saying how the number of topics *k* was set, for the report.

    ``chosen=True``: picked by :func:`choose_k` (the rule and the winning values are stated);
    ``chosen=False``: fixed by the user (and where it sits among the swept values, if it was swept).
    """
    names = {"npmi": "NPMI coherence", "c_v": "C_V coherence", "diversity": "topic diversity",
             "stability": "stability", "nmi": "NMI", "ari": "ARI"}
    listed = " and ".join(names.get(c, c) for c in criteria)
    row = sweep.loc[sweep["k"] == k] if sweep is not None and len(sweep) else sweep
    values = ", ".join(f"{names.get(c, c)} {row[c].iloc[0]:.3f}" for c in criteria) if row is not None and len(row) else ""
    if chosen:
        tried = ", ".join(str(int(x)) for x in sweep["k"])
        return (f"The model has k = {k} topics, chosen by the sweep over k = {tried}: the best mean of {listed}, "
                f"each rescaled to 0-1 across the values tried (at k = {k}: {values}); ties go to the smaller k. "
                f"Set n_topics to fix k yourself.")
    where = f" (in the sweep: {values})" if values else " (not among the values swept)"
    return f"The model has k = {k} topics, as fixed by the n_topics parameter{where}; set n_topics = 0 to let the sweep choose."
