"""Outlet differences in tone toward an actor, raw and adjusted for the beat (topic), with cluster-robust intervals.

A sports outlet writes more cheerful sentences than a politics desk whatever actor they name: comparing outlets'
mean tone toward an actor mixes the outlet with its beat. :func:`outlet_effects` estimates, per actor, each
outlet's difference in sentence tone twice, by ordinary least squares:

* **raw** — ``tone ~ outlet`` ;
* **adjusted** — ``tone ~ outlet + topic`` (topic fixed effects: each article's dominant topic, or any beat
  label), so that outlets are compared within topics.

Coding: outlets are **sum-coded** (deviation coding), so each outlet's coefficient is its difference from the
*average outlet* (the unweighted mean of the outlets' effects), and every outlet — none is hidden as the
reference — gets an estimate and an interval. (A reference outlet would make every figure depend on which
outlet was picked.) Standard errors are cluster-robust by article (CR1: the sandwich estimator with the small-sample
factor G/(G−1)·(N−1)/(N−K), G articles, N sentences, K columns), because sentences of one article are not
independent; intervals use Student's t with G−1 degrees of freedom. A difference *survives* the adjustment when
the adjusted interval excludes 0 and has the sign of the raw difference.

Implemented in numpy (no statsmodels): :func:`cr1_vcov`, :func:`ols_cr1`, :func:`clustered_mean_ci`.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

EFFECT_COLUMNS = ["actor", "outlet", "n_sentences", "n_articles", "raw_diff", "raw_lo", "raw_hi", "raw_sig",
                  "adj_diff", "adj_lo", "adj_hi", "survives"]
NO_TOPIC = "(no topic)"


def _t_quantile(level: float, df: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.5 + level / 2.0, df)) if df > 0 else float("nan")


def cr1_vcov(X: np.ndarray, resid: np.ndarray, clusters) -> np.ndarray:
    """CR1 cluster-robust covariance of OLS coefficients: ``c · B⁻ (Σ_g X_gᵀ u_g u_gᵀ X_g) B⁻`` with
    ``B = XᵀX`` (pseudo-inverse when rank deficient) and ``c = G/(G−1) · (N−1)/(N−K)``, K the rank of X."""
    X = np.asarray(X, dtype=float)
    u = np.asarray(resid, dtype=float)
    codes, _ = pd.factorize(pd.Series(np.asarray(clusters)), sort=False)
    n, _ = X.shape
    k = int(np.linalg.matrix_rank(X)) if n else 0
    G = int(codes.max()) + 1 if n else 0
    bread = np.linalg.pinv(X.T @ X)
    scores = np.zeros((G, X.shape[1]))
    np.add.at(scores, codes, X * u[:, None])  # row g: Σ_{i in g} x_i u_i
    meat = scores.T @ scores
    if G < 2 or n <= k:
        return np.full((X.shape[1], X.shape[1]), np.nan)
    factor = G / (G - 1) * (n - 1) / (n - k)
    return factor * bread @ meat @ bread


def ols_cr1(y, X, clusters) -> tuple[np.ndarray, np.ndarray, int]:
    """``(beta, vcov, df)``: OLS of *y* on *X* (minimum-norm least squares) with the CR1 covariance; ``df`` is
    the number of clusters minus one."""
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    vcov = cr1_vcov(X, y - X @ beta, clusters)
    return beta, vcov, max(int(pd.Series(np.asarray(clusters)).nunique()) - 1, 0)


def clustered_mean_ci(values, clusters, *, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of *values* with a cluster-robust (CR1) t interval: ``(mean, lo, hi)``; NaN bounds with fewer than
    two clusters."""
    y = np.asarray(values, dtype=float)
    keep = ~np.isnan(y)
    y = y[keep]
    if not len(y):
        return float("nan"), float("nan"), float("nan")
    cl = np.asarray(clusters)[keep]
    beta, vcov, df = ols_cr1(y, np.ones((len(y), 1)), cl)
    half = _t_quantile(level, df) * float(np.sqrt(vcov[0, 0])) if df > 0 else float("nan")
    return float(beta[0]), float(beta[0] - half), float(beta[0] + half)


def _design(outlets: list, outlet_col: pd.Series, topic_col: pd.Series | None) -> np.ndarray:
    """Intercept, sum-coded outlets (K−1 columns; the last outlet is −1 on all), treatment-coded topics."""
    n = len(outlet_col)
    cols = [np.ones(n)]
    last = outlets[-1]
    for o in outlets[:-1]:
        cols.append((outlet_col == o).astype(float).to_numpy() - (outlet_col == last).astype(float).to_numpy())
    if topic_col is not None:
        levels = sorted(topic_col.unique(), key=str)
        for t in levels[1:]:
            cols.append((topic_col == t).astype(float).to_numpy())
    return np.column_stack(cols)


def _effects(y: np.ndarray, X: np.ndarray, clusters, n_outlets: int, level: float) -> list[tuple[float, float, float]]:
    """Per outlet: ``(effect, lo, hi)`` of the sum-coded outlet contrasts (NaN when not identified)."""
    beta, vcov, df = ols_cr1(y, X, clusters)
    q = _t_quantile(level, df)
    proj = np.linalg.pinv(X) @ X  # c is estimable iff c @ proj == c
    out = []
    for j in range(n_outlets):
        c = np.zeros(X.shape[1])
        if j < n_outlets - 1:
            c[1 + j] = 1.0
        else:
            c[1:n_outlets] = -1.0
        if not np.allclose(c @ proj, c, atol=1e-8):
            out.append((float("nan"),) * 3)
            continue
        est = float(c @ beta)
        var = float(c @ vcov @ c)
        half = q * np.sqrt(var) if np.isfinite(var) and var >= 0 else float("nan")
        out.append((est, est - half, est + half))
    return out


def outlet_effects(sentences: pd.DataFrame, *, topics: pd.Series | str | None = "topic", tone: str = "tone",
                   outlet: str = "source", article: str = "doc_id", actor: str | None = "actor_id",
                   min_sentences: int = 20, level: float = 0.95) -> pd.DataFrame:
    """Outlet differences in sentence tone toward each actor, raw and adjusted for topic.

    *sentences*: one row per scored sentence (an actor mention's sentence; duplicates of the same
    ``(actor, article, sentence)`` are counted once when a ``sentence`` column is present), with *tone*, *outlet*
    and *article* columns, and *actor* (``None``: all rows form one group). *topics*: the beat of each article —
    a column name of *sentences*, or a Series indexed by article id (e.g. each article's dominant topic); articles
    without one form their own level ("(no topic)"); ``None`` skips the adjustment (adjusted = raw).

    Returns one row per (actor, outlet) estimated: :data:`EFFECT_COLUMNS` — ``raw_diff`` / ``adj_diff`` (difference
    from the average outlet, tone points), their ``level`` intervals (CR1 by article, t with G−1 df),
    ``raw_sig`` (raw interval excludes 0) and ``survives`` (adjusted interval excludes 0, same sign as raw).
    Outlets with fewer than *min_sentences* sentences for an actor, and actors left with fewer than two outlets,
    are not estimated: they are listed in ``result.attrs["notes"]`` (plain sentences) and
    ``result.attrs["skipped"]`` (``actor, outlet, n_sentences, reason``), never an exception.
    """
    notes: list[str] = []
    skipped: list[dict] = []
    need = [tone, outlet, article] + ([actor] if actor else [])
    missing = [c for c in need if c not in sentences.columns]
    if missing:
        raise ValueError(f"outlet_effects: the sentences table lacks column(s) {', '.join(missing)}")
    df = sentences.copy()
    if "status" in df.columns:
        df = df[df["status"] == "ok"]
    df = df[df[tone].notna() & df[outlet].notna()]
    if "sentence" in df.columns:
        df = df.drop_duplicates([c for c in (actor, article, "sentence") if c])
    if isinstance(topics, str):
        topic_col = df[topics] if topics in df.columns else None
        if topic_col is None:
            notes.append(f"no '{topics}' column: differences are not adjusted for topic")
    elif topics is not None:
        topic_col = df[article].astype(str).map(pd.Series(topics.to_numpy(), index=topics.index.astype(str)))
    else:
        topic_col = None
    df["_topic"] = (topic_col.astype(object).where(topic_col.notna(), NO_TOPIC).astype(str)
                    if topic_col is not None else NO_TOPIC)
    groups = df.groupby(actor, sort=False) if actor else [(None, df)]
    rows = []
    for name, g in groups:
        label = "all" if name is None else str(name)
        counts = g[outlet].value_counts()
        thin = counts[counts < min_sentences]
        for o, k in thin.items():
            skipped.append({"actor": name if name is not None else "all", "outlet": o, "n_sentences": int(k),
                            "reason": "too few sentences"})
        if len(thin):
            notes.append(f"{label}: too few sentences (< {min_sentences}) in " +
                         ", ".join(f"{o} ({n})" for o, n in thin.items()) + "; not estimated")
        kept = sorted(counts[counts >= min_sentences].index, key=str)
        if len(kept) < 2:
            skipped.append({"actor": name if name is not None else "all", "outlet": None,
                            "n_sentences": int(counts.sum()), "reason": "fewer than two outlets"})
            notes.append(f"{label}: fewer than two outlets with {min_sentences}+ sentences; no comparison")
            continue
        g = g[g[outlet].isin(kept)]
        y = g[tone].to_numpy(dtype=float)
        clusters = g[article].astype(str).to_numpy()
        raw = _effects(y, _design(kept, g[outlet], None), clusters, len(kept), level)
        one_topic = g["_topic"].nunique() < 2
        adj = raw if one_topic else _effects(y, _design(kept, g[outlet], g["_topic"]), clusters, len(kept), level)
        if one_topic and topic_col is not None:
            notes.append(f"{label}: a single topic; the adjusted differences equal the raw ones")
        for o, (rd, rlo, rhi), (ad, alo, ahi) in zip(kept, raw, adj):
            sub = g[g[outlet] == o]
            raw_sig = bool(rlo > 0 or rhi < 0)
            survives = bool((alo > 0 or ahi < 0) and np.sign(ad) == np.sign(rd))
            rows.append({"actor": name if name is not None else "all", "outlet": o, "n_sentences": len(sub),
                         "n_articles": int(sub[article].nunique()), "raw_diff": rd, "raw_lo": rlo, "raw_hi": rhi,
                         "raw_sig": raw_sig, "adj_diff": ad, "adj_lo": alo, "adj_hi": ahi, "survives": survives})
    table = pd.DataFrame(rows, columns=EFFECT_COLUMNS)
    table.attrs["notes"] = notes
    table.attrs["skipped"] = pd.DataFrame(skipped, columns=["actor", "outlet", "n_sentences", "reason"])
    for note in notes:
        logger.info("outlet_effects: %s", note)
    return table


def survival_sentence(table: pd.DataFrame, *, actor_names: dict | None = None,
                      outlet_names: dict | None = None, details: bool = True) -> str:
    """One plain sentence saying which raw outlet differences survive the topic adjustment (``details=False``:
    how many, without naming them)."""
    if table.empty:
        return "No outlet had enough sentences about any actor to compare outlets."
    actor_names, outlet_names = actor_names or {}, outlet_names or {}

    def name(r) -> str:
        return f"{outlet_names.get(r['outlet'], r['outlet'])} on {actor_names.get(r['actor'], r['actor'])}"

    raw = table[table["raw_sig"]]
    kept = raw[raw["survives"]]
    lost = raw[~raw["survives"]]
    new = table[~table["raw_sig"] & table["survives"]]
    if raw.empty and new.empty:
        return (f"None of the {len(table)} outlet–actor differences is distinguishable from the average outlet, "
                "raw or adjusted for topic.")
    text = (f"{len(raw)} of {len(table)} outlet–actor differences are distinguishable from the average outlet "
            f"before adjustment; {len(kept)} of them survive the adjustment for topic")
    if not details:
        more = f"; {len(new)} more appear only within topics" if len(new) else ""
        return text + more + "."
    details = []
    if len(kept):
        details.append("surviving: " + "; ".join(name(r) for r in kept.to_dict("records")))
    if len(lost):
        details.append("explained by the beat: " + "; ".join(name(r) for r in lost.to_dict("records")))
    text += f" ({', '.join(details)})" if details else ""
    if len(new):
        text += (f"; {len(new)} more appear only within topics (" + "; ".join(name(r) for r in new.to_dict("records"))
                 + ")")
    return text + "."
