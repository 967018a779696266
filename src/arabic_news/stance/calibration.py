"""What the claim model may say on a corpus, computed once per model file and kept beside it.

For a claim model file ``M.model.zip`` (by default the full model, :func:`~arabic_news.stance.models.get_or_train_model`)
this module computes, from Baly et al.'s claim-article pairs (the model's training data, with its five claim folds):

* **reliability thresholds** (:mod:`arabic_news.stance.reliability`): a model of the *same configuration* as the
  file's (``sklearn.base.clone`` of it) is trained on four folds and predicts the fifth, five times; the pooled
  out-of-fold probabilities of all pairs choose the lowest per-label probability threshold whose precision reaches
  the stated level with at least ``min_support`` predictions;
* **the retrieval cut-off** (:func:`calibrate_cutoff`): the normalised BM25 score
  (:meth:`~arabic_news.stance.claims.ClaimRetriever.claim_scores`) above which at least ``recall`` (0.9) of the
  claims' related pairs lie. Baly et al.'s articles were retrieved for their claims, so every pair is a "retrieved
  candidate": the cut-off is set so that 9 in 10 related articles pass it, and its cost (the share of the
  unrelated candidates that pass too, and hence get classified) is recorded with it.

Both are written to ``M.reliability.json`` beside the model (plain JSON; models stay pickle-free) with the model
file's SHA-256, so a retrained model never reuses stale thresholds: :func:`load_or_compute_reliability` reads the
file when it matches the model and the requested settings, and otherwise computes it (a progress bar over the
folds; some minutes with the full model on 2 cores, most of it in the USE embeddings, cached on disk) and writes it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from arabic_news.stance.reliability import (
    DEFAULT_MIN_SUPPORT,
    DEFAULT_PRECISION,
    ReliabilityThresholds,
    fit_thresholds,
)

logger = logging.getLogger(__name__)

FORMAT = "arabic-news-claim-reliability"
FORMAT_VERSION = 1
DEFAULT_RECALL = 0.90
#: names the retrieval score the cut-off is on: a cut-off computed for another score is recomputed (cheap)
CUTOFF_METHOD = "bm25 / sum of the claim terms' idf (ClaimRetriever.claim_scores), v1"


def reliability_path(model_path: str | Path) -> Path:
    """``stance_claim.model.zip`` -> ``stance_claim.reliability.json`` (beside the model)."""
    model_path = Path(model_path)
    name = model_path.name
    stem = name[: -len(".model.zip")] if name.endswith(".model.zip") else model_path.stem
    return model_path.with_name(f"{stem}.reliability.json")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


@dataclass
class ClaimReliability:
    """The thresholds and the retrieval cut-off of one claim model file."""

    thresholds: ReliabilityThresholds
    cutoff: dict
    model_sha256: str
    cv: dict

    @property
    def retrieval_cutoff(self) -> float:
        return float(self.cutoff["cutoff"])

    def fingerprint(self) -> str:
        """A hash of the thresholds and the cut-off (part of the analysis store key)."""
        payload = json.dumps({"thresholds": self.thresholds.to_dict(), "cutoff": self.cutoff,
                              "model": self.model_sha256}, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, "model_sha256": self.model_sha256,
                "thresholds": self.thresholds.to_dict(), "cutoff": self.cutoff, "cv": self.cv}

    @classmethod
    def from_dict(cls, data: dict) -> ClaimReliability:
        return cls(thresholds=ReliabilityThresholds.from_dict(data["thresholds"]), cutoff=dict(data["cutoff"]),
                   model_sha256=str(data["model_sha256"]), cv=dict(data.get("cv") or {}))


def read_training_pairs(path: str | Path | None = None) -> pd.DataFrame:
    """Baly et al.'s claim-article pairs (the claim model's training file, with ``fold`` and ``claim_id``)."""
    from arabic_news.corpus import dataset_path
    from arabic_news.stance.data import read_claim_pairs
    from arabic_news.stance.models import TRAINING_FILES

    if path is None:
        name, rel = TRAINING_FILES["claim"]
        path = dataset_path(name) / rel
    df = read_claim_pairs(path)
    if "fold" not in df.columns:
        raise ValueError(f"{path}: the pairs need a 'fold' column (claim folds) for the cross-validation")
    return df


def calibrate_cutoff(pairs: pd.DataFrame, *, recall: float = DEFAULT_RECALL) -> dict:
    """The normalised-BM25 retrieval cut-off at which *recall* of the related pairs of *pairs* pass.

    The articles of *pairs* are indexed with :class:`~arabic_news.stance.claims.ClaimRetriever` (BM25 only); each
    pair gets its claim's :meth:`~arabic_news.stance.claims.ClaimRetriever.claim_scores` for its article. The cut-off
    is the largest score such that at least *recall* of the related pairs (agree, disagree, discuss) score at
    least that much. Returns ``{cutoff, recall_target, recall, unrelated_passing, candidates_passing, n_pairs,
    n_related}``.
    """
    from arabic_news.stance.claims import ClaimRetriever

    articles = pd.unique(pairs["article"].astype(str))
    where = {a: i for i, a in enumerate(articles)}
    retriever = ClaimRetriever(use_embeddings=False).fit(list(articles))
    score = np.zeros(len(pairs))
    for claim, rows in pairs.groupby("claim", sort=False).groups.items():
        s = retriever.claim_scores(str(claim))
        idx = [where[a] for a in pairs.loc[rows, "article"].astype(str)]
        score[pairs.index.get_indexer(rows)] = s[idx]
    related = pairs["stance"].astype(str).to_numpy() != "unrelated"
    rel_scores = np.sort(score[related])[::-1]
    if not len(rel_scores):
        raise ValueError("no related pairs to calibrate the retrieval cut-off on")
    k = max(1, int(np.ceil(recall * len(rel_scores))))
    cutoff = float(rel_scores[k - 1])
    passing = score >= cutoff
    return {"cutoff": cutoff, "recall_target": float(recall), "recall": float(passing[related].mean()),
            "unrelated_passing": float(passing[~related].mean()) if (~related).any() else 0.0,
            "candidates_passing": float(passing.mean()), "n_pairs": int(len(pairs)), "n_related": int(related.sum()),
            "method": CUTOFF_METHOD,
            "score": "BM25 of the claim's terms / the BM25 of an average-length article holding each claim term once "
                     "(the sum of their idf)"}


def _cv_jobs() -> int:
    """Folds fitted at once: two on a machine with two cores or more (each fold holds its own features)."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(2, cores))


def compute_reliability(model, model_path: str | Path, *, precision: float = DEFAULT_PRECISION,
                        min_support: int = DEFAULT_MIN_SUPPORT, recall: float = DEFAULT_RECALL,
                        data: str | Path | None = None, progress: bool | None = None) -> ClaimReliability:
    """Cross-validate a clone of *model* over the claim folds of *data* (default: Baly et al.'s pairs), choose
    the thresholds and the retrieval cut-off, write them beside *model_path* and return them."""
    from sklearn.base import clone

    from arabic_news.stance.evaluate import cross_validate_proba_by_fold

    model_path = Path(model_path)
    pairs = read_training_pairs(data)
    t0 = time.perf_counter()
    logger.warning("computing the claim model's reliability thresholds: %d-fold cross-validation over %d claim "
                   "pairs with the model's own configuration (once per model file; minutes)",
                   pairs["fold"].nunique(), len(pairs))
    proba, classes, per_fold = cross_validate_proba_by_fold(
        lambda: clone(model), pairs[["claim", "article"]], pairs["stance"].to_numpy(), pairs["fold"].to_numpy(),
        progress=progress is not False, desc="claim model cross-validation (reliability thresholds)",
        n_jobs=_cv_jobs())
    cv_s = time.perf_counter() - t0
    thresholds = fit_thresholds(proba, classes, pairs["stance"].to_numpy(), precision=precision,
                                min_support=min_support,
                                source={"data": Path(str(data)).name if data else "unifiedfc_pairs.jsonl.gz",
                                        "protocol": f"{len(per_fold)}-fold CV over the claim folds, pooled "
                                                    "out-of-fold probabilities"})
    cutoff = calibrate_cutoff(pairs, recall=recall)
    rel = ClaimReliability(thresholds=thresholds, cutoff=cutoff, model_sha256=_sha256(model_path),
                           cv={"per_fold": per_fold, "seconds": round(cv_s, 1), "n_pairs": int(len(pairs)),
                               "params": {k: v for k, v in model.get_params().items()
                                          if isinstance(v, (str, int, float, bool, type(None)))}})
    out = write_reliability(rel, model_path)
    logger.info("claim reliability thresholds computed in %.0f s, saved to %s", cv_s, out)
    return rel


def write_reliability(rel: ClaimReliability, model_path: str | Path) -> Path:
    """Write *rel* beside the model file *model_path* (atomically); returns the path."""
    from arabic_news.corpus.atomic import replace_file

    out = reliability_path(model_path)
    replace_file(out, lambda tmp: Path(tmp).write_text(json.dumps(rel.to_dict(), indent=1, ensure_ascii=False,
                                                                   default=str), encoding="utf-8"))
    return out


def model_file_sha256(model_path: str | Path) -> str:
    """The SHA-256 of a model file (what a reliability file is tied to)."""
    return _sha256(Path(model_path))


def read_reliability(model_path: str | Path) -> ClaimReliability | None:
    """The reliability file beside *model_path* when it exists and belongs to this model file, else None."""
    model_path = Path(model_path)
    path = reliability_path(model_path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rel = ClaimReliability.from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning("%s is unreadable (%s): recomputed", path, exc)
        return None
    if data.get("format") != FORMAT or rel.model_sha256 != _sha256(model_path):
        logger.info("%s belongs to another model file: recomputed", path)
        return None
    return rel


def load_or_compute_reliability(model, model_path: str | Path, *, precision: float = DEFAULT_PRECISION,
                                min_support: int = DEFAULT_MIN_SUPPORT, recall: float = DEFAULT_RECALL,
                                data: str | Path | None = None, progress: bool | None = None) -> ClaimReliability:
    """The thresholds and cut-off of the model file *model_path*: read from beside it when they were computed for
    this file with these settings, else computed now (:func:`compute_reliability`) and cached there."""
    rel = read_reliability(model_path)
    if (rel is not None and rel.thresholds.precision_target == float(precision)
            and rel.thresholds.min_support == int(min_support)):
        if rel.cutoff.get("recall_target") != float(recall) or rel.cutoff.get("method") != CUTOFF_METHOD:
            # the thresholds stand; only the retrieval cut-off is recalibrated (seconds, no model fit)
            rel.cutoff = calibrate_cutoff(read_training_pairs(data), recall=recall)
            write_reliability(rel, model_path)
        return rel
    return compute_reliability(model, model_path, precision=precision, min_support=min_support, recall=recall,
                               data=data, progress=progress)


def get_claim_tracking_model(*, precision: float = DEFAULT_PRECISION, min_support: int = DEFAULT_MIN_SUPPORT,
                             recall: float = DEFAULT_RECALL, seed: int = 42, progress: bool | None = None):
    """``(model, origin, reliability)``: the full claim model (trained once into ``data/models`` when missing) and
    its thresholds and retrieval cut-off, computed right after training (or on first use when the model file has
    none yet) and kept beside it."""
    from arabic_news.stance.models import default_model_path, get_or_train_model

    model, origin = get_or_train_model("claim", seed=seed, progress=progress)
    rel = load_or_compute_reliability(model, default_model_path("claim"), precision=precision,
                                      min_support=min_support, recall=recall, progress=progress)
    return model, origin, rel
