"""Stance detection: target stance (Mawqif), headline-pair stance (ANS), claim–article stance (Baly et al.
2018), applied to a corpus as claim tracking and actor tone.

Modules: :mod:`~arabic_news.stance.data` (readers, dev splits), :mod:`~arabic_news.stance.features`
(normalised text, cached embeddings, pair features, evidence sentences), :mod:`~arabic_news.stance.models`
(the three estimators, save/load), :mod:`~arabic_news.stance.evaluate` (F1, StanceEval, bootstrap CIs),
:mod:`~arabic_news.stance.claims` (claim tracking), :mod:`~arabic_news.stance.tone` (lexicon tone with negation,
intensifier and contrast rules), :mod:`~arabic_news.stance.outlet_effects` (outlet differences in tone, raw and
adjusted for topic, cluster-robust by article).
"""
from arabic_news.stance.data import (
    LABELS,
    TASKS,
    StanceDataError,
    mawqif_dev_split,
    read_ans,
    read_claim_pairs,
    read_mawqif,
    read_task_data,
    stratified_dev_split,
)
from arabic_news.stance.evaluate import (
    bootstrap_ci,
    classification_report_dict,
    confusion,
    evaluate_predictions,
    stanceeval_score,
)
from arabic_news.stance.models import (
    ClaimStanceModel,
    PairStanceModel,
    TargetStanceModel,
    build_model,
    load_model,
    save_model,
)

__all__ = [
    "LABELS", "TASKS", "StanceDataError", "mawqif_dev_split", "read_ans", "read_claim_pairs", "read_mawqif",
    "read_task_data", "stratified_dev_split", "bootstrap_ci", "classification_report_dict", "confusion",
    "evaluate_predictions", "stanceeval_score", "ClaimStanceModel", "PairStanceModel", "TargetStanceModel",
    "build_model", "load_model", "save_model",
]
