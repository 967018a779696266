"""Per-label reliability thresholds for the claim model: say only what the model can support.

The claim model gives every (claim, article) pair four probabilities (agree, disagree, discuss, unrelated). On a
corpus the report shows a label only where the model's *validated* precision for that label reaches a stated level
(default 0.70). The thresholds come from out-of-fold probabilities over Baly et al.'s claim folds
(:mod:`arabic_news.stance.calibration` computes them once per model file):

1. **related** — score ``1 - P(unrelated)``; gold: agree, disagree or discuss. The lowest threshold whose
   precision (share of truly related pairs among those at or above it) reaches the level, with at least
   ``min_support`` pairs at or above it.
2. **agree / disagree / discuss** — among the pairs called related, the arg-max stance label *L* and its
   probability ``P(L)``; gold: *L*. The lowest threshold on ``P(L)`` whose precision reaches the level with at
   least ``min_support`` predictions. A label for which no threshold gets there is never shown.

:func:`decide` applies them: ``unrelated`` (not shown as related), ``related, stance uncertain`` (related, but
the stance label is below its threshold or never reliable), or ``agree`` / ``disagree`` / ``discuss``.

Per label the thresholds record the precision reached, the recall (share of the gold pairs of that label that get
it), the number of predictions at the threshold and the coverage: for a stance label the share of the pairs called
related that get that label, for "related" the share of all pairs called related.

Pure functions (NumPy only): no model, no file. Tested on hand-made probability arrays.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

import numpy as np

logger = logging.getLogger(__name__)

STANCE_LABELS = ("agree", "disagree", "discuss")
RELATED = "related"
UNRELATED = "unrelated"
UNCERTAIN = "related, stance uncertain"
#: every outcome of :func:`decide`, in display order
OUTCOMES = (*STANCE_LABELS, UNCERTAIN, UNRELATED)
DEFAULT_PRECISION = 0.70
DEFAULT_MIN_SUPPORT = 20


def choose_threshold(scores, positive, *, precision: float = DEFAULT_PRECISION,
                     min_support: int = DEFAULT_MIN_SUPPORT, n_positive: int | None = None) -> dict:
    """The lowest threshold *t* on *scores* such that the rows with ``score >= t`` hold at least *min_support*
    rows and a share of at least *precision* of *positive* rows.

    *n_positive*: the number of gold positives recall is computed against (default: ``positive.sum()``; larger
    when some positives are outside *scores*, e.g. pairs not called related). Returns ``{threshold, precision,
    recall, n_predicted, reached}``; when no threshold reaches the level, ``threshold`` is None, ``reached``
    False, and ``precision`` is the best precision seen with at least *min_support* rows (None if none).
    """
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    if scores.shape != positive.shape:
        raise ValueError("scores and positive must have the same length")
    n_pos = int(positive.sum()) if n_positive is None else int(n_positive)
    order = np.argsort(-scores, kind="stable")
    s, p = scores[order], positive[order]
    tp = np.cumsum(p)
    n = np.arange(1, len(s) + 1)
    # a threshold t = s[i] keeps every row with score >= s[i]: evaluate at the last index of each tied run
    last = np.r_[s[1:] != s[:-1], True] if len(s) else np.zeros(0, dtype=bool)
    idx = np.flatnonzero(last)
    prec = tp[idx] / n[idx]
    ok_support = n[idx] >= min_support
    ok = ok_support & (prec >= precision - 1e-12)
    if ok.any():
        j = idx[np.flatnonzero(ok)[-1]]  # lowest threshold = the largest kept set
        return {"threshold": float(s[j]), "precision": float(tp[j] / n[j]),
                "recall": float(tp[j] / n_pos) if n_pos else 0.0, "n_predicted": int(n[j]), "reached": True}
    best = float(prec[ok_support].max()) if ok_support.any() else None
    return {"threshold": None, "precision": best, "recall": 0.0, "n_predicted": 0, "reached": False}


@dataclass
class ReliabilityThresholds:
    """Thresholds of :func:`fit_thresholds` (JSON-able through :meth:`to_dict` / :meth:`from_dict`)."""

    precision_target: float
    min_support: int
    related: dict
    labels: dict
    n_pairs: int = 0
    coverage: float = 0.0
    source: dict = field(default_factory=dict)

    def threshold(self, label: str) -> float | None:
        """The threshold of *label* (``related`` or a stance label); None when that label is never shown."""
        entry = self.related if label == RELATED else self.labels.get(label, {})
        return entry.get("threshold")

    def shown_labels(self) -> list[str]:
        """The stance labels that can appear on a page (their validated precision reaches the target)."""
        return [lab for lab in STANCE_LABELS if self.threshold(lab) is not None]

    def table(self):
        """One row per label: label, threshold, CV precision, recall, coverage, predictions, shown."""
        import pandas as pd

        rows = []
        for lab, entry in [(RELATED, self.related), *[(lab, self.labels.get(lab, {})) for lab in STANCE_LABELS]]:
            rows.append({"label": lab, "threshold": entry.get("threshold"), "cv_precision": entry.get("precision"),
                         "recall": entry.get("recall"), "coverage": entry.get("coverage"),
                         "n_predicted": entry.get("n_predicted"), "shown": entry.get("threshold") is not None})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ReliabilityThresholds:
        keys = {"precision_target", "min_support", "related", "labels", "n_pairs", "coverage", "source"}
        return cls(**{k: v for k, v in data.items() if k in keys})


def _column(proba: np.ndarray, classes, label: str) -> np.ndarray:
    """The probabilities of *label*; zeros when the model never saw that class (it can never be predicted)."""
    classes = [str(c) for c in classes]
    if label not in classes:
        return np.zeros(len(proba))
    return proba[:, classes.index(label)]


def _stance_argmax(proba: np.ndarray, classes) -> tuple[np.ndarray, np.ndarray]:
    """The arg-max stance label (among agree/disagree/discuss) of every row and its probability."""
    cols = np.column_stack([_column(proba, classes, lab) for lab in STANCE_LABELS])
    best = cols.argmax(axis=1)
    return np.asarray(STANCE_LABELS, dtype=object)[best], cols[np.arange(len(cols)), best]


def fit_thresholds(proba, classes, y_true, *, precision: float = DEFAULT_PRECISION,
                   min_support: int = DEFAULT_MIN_SUPPORT, source: dict | None = None) -> ReliabilityThresholds:
    """Choose the related and per-stance thresholds from (out-of-fold) probabilities *proba* (columns in the order
    of *classes*) and the gold labels *y_true* (module docstring)."""
    proba = np.asarray(proba, dtype=np.float64)
    y = np.asarray(y_true).astype(str)
    if proba.ndim != 2 or len(proba) != len(y):
        raise ValueError("proba must be an (n, n_classes) array with one row per gold label")
    p_rel = 1.0 - _column(proba, classes, UNRELATED)
    gold_rel = y != UNRELATED
    related = choose_threshold(p_rel, gold_rel, precision=precision, min_support=min_support)
    called = p_rel >= related["threshold"] if related["reached"] else np.zeros(len(y), dtype=bool)
    related["coverage"] = float(called.mean()) if len(y) else 0.0
    label, p_label = _stance_argmax(proba, classes)
    labels, stance_called = {}, np.zeros(len(y), dtype=bool)
    for lab in STANCE_LABELS:
        rows = called & (label == lab)
        entry = choose_threshold(p_label[rows], y[rows] == lab, precision=precision, min_support=min_support,
                                 n_positive=int((y == lab).sum()))
        given = rows & (p_label >= entry["threshold"]) if entry["reached"] else np.zeros(len(y), dtype=bool)
        entry["coverage"] = float(given.sum() / called.sum()) if called.any() else 0.0
        stance_called |= given
        labels[lab] = entry
    coverage = float(stance_called.sum() / called.sum()) if called.any() else 0.0
    return ReliabilityThresholds(precision_target=float(precision), min_support=int(min_support), related=related,
                                 labels=labels, n_pairs=int(len(y)), coverage=coverage, source=dict(source or {}))


def decide(proba, classes, thresholds: ReliabilityThresholds) -> np.ndarray:
    """The reported outcome of every row: ``unrelated``, ``related, stance uncertain``, or a stance label whose
    probability reaches its threshold (labels with no threshold are never given)."""
    proba = np.asarray(proba, dtype=np.float64)
    out = np.full(len(proba), UNRELATED, dtype=object)
    t_rel = thresholds.threshold(RELATED)
    if t_rel is None or not len(proba):
        return out
    related = (1.0 - _column(proba, classes, UNRELATED)) >= t_rel
    out[related] = UNCERTAIN
    label, p_label = _stance_argmax(proba, classes)
    for lab in STANCE_LABELS:
        t = thresholds.threshold(lab)
        if t is not None:
            out[related & (label == lab) & (p_label >= t)] = lab
    return out
