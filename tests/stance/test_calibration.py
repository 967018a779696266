"""Thresholds and retrieval cut-off of a claim model file: computed by cross-validation once, kept beside the model,
recomputed when the model file changes."""
import json

import numpy as np
import pytest

from arabic_news.stance import calibration
from arabic_news.stance.calibration import (
    calibrate_cutoff,
    load_or_compute_reliability,
    read_reliability,
    reliability_path,
)
from arabic_news.stance.claims import ClaimRetriever
from arabic_news.stance.models import ClaimStanceModel, save_model

from .stance_fixtures import claim_frame


def test_cutoff_keeps_the_stated_share_of_related_pairs():
    pairs = claim_frame()
    for recall in (0.5, 0.9, 1.0):
        got = calibrate_cutoff(pairs, recall=recall)
        assert got["recall"] >= recall and got["n_related"] == 7 and got["n_pairs"] == 10
    # recall 1.0: the cut-off is the lowest score of a related pair, computed the same way as on a corpus
    arts = list(dict.fromkeys(pairs["article"]))
    r = ClaimRetriever(use_embeddings=False).fit(arts)
    related = pairs[pairs["stance"] != "unrelated"]
    scores = [r.claim_scores(c)[arts.index(a)] for c, a in zip(related["claim"], related["article"])]
    assert calibrate_cutoff(pairs, recall=1.0)["cutoff"] == pytest.approx(min(scores))


def test_claim_scores_are_normalised_per_claim():
    docs = ["الحكومة أعلنت رفع أسعار الوقود", "الحكومة أعلنت", "مباراة كرة القدم"]
    r = ClaimRetriever(use_embeddings=False).fit(docs)
    s = r.claim_scores("الحكومة أعلنت رفع أسعار الوقود")
    assert s[0] > s[1] > s[2] == 0.0
    # a claim written twice has the same normalised scores (its raw BM25 is not larger)
    assert np.allclose(s, r.claim_scores("الحكومة أعلنت رفع أسعار الوقود الحكومة أعلنت رفع أسعار الوقود"))
    assert not r.claim_scores("كلمات غائبة").any()


def test_reliability_is_computed_once_per_model_file(tmp_path, monkeypatch):
    pairs = claim_frame()
    data = tmp_path / "pairs.jsonl"
    pairs.to_json(data, orient="records", lines=True, force_ascii=False)
    model = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr")
    path = save_model(model.fit(pairs[["claim", "article"]], pairs["stance"]), tmp_path / "c.model.zip", task="claim")
    rel = load_or_compute_reliability(model, path, precision=0.5, min_support=1, data=data, progress=False)
    saved = json.loads(reliability_path(path).read_text(encoding="utf-8"))
    assert reliability_path(path).name == "c.reliability.json"
    assert saved["thresholds"]["n_pairs"] == 10 and len(saved["cv"]["per_fold"]) == 3  # the toy data's 3 folds
    assert read_reliability(path).fingerprint() == rel.fingerprint()

    def no_cv(*args, **kwargs):
        raise AssertionError("recomputed")

    monkeypatch.setattr(calibration, "compute_reliability", no_cv)
    assert load_or_compute_reliability(model, path, precision=0.5, min_support=1, data=data).fingerprint() == \
        rel.fingerprint()
    # another recall: only the cut-off is recalibrated (no cross-validation)
    again = load_or_compute_reliability(model, path, precision=0.5, min_support=1, recall=0.5, data=data)
    assert again.cutoff["recall_target"] == 0.5 and again.thresholds == rel.thresholds
    # another precision level, or a retrained model file: the cross-validation runs again
    with pytest.raises(AssertionError, match="recomputed"):
        load_or_compute_reliability(model, path, precision=0.6, min_support=1, data=data)
    save_model(ClaimStanceModel(use_embeddings=False, min_df=1, C=1.0, k=1, related_classifier="lr").fit(
        pairs[["claim", "article"]], pairs["stance"]), path, task="claim")
    assert read_reliability(path) is None


def test_folds_fitted_in_worker_processes_give_the_same_probabilities():
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    from arabic_news.stance.evaluate import cross_validate_proba_by_fold

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    y = np.where(X["a"] + 0.3 * rng.normal(size=60) > 0, "agree", "unrelated")
    folds = np.repeat(["f1", "f2", "f3"], 20)
    one = cross_validate_proba_by_fold(lambda: LogisticRegression(), X, y, folds)
    two = cross_validate_proba_by_fold(lambda: LogisticRegression(), X, y, folds, n_jobs=2)
    np.testing.assert_allclose(one[0], two[0])
    assert list(one[1]) == list(two[1]) == ["agree", "unrelated"]
    assert [f["fold"] for f in two[2]] == ["f1", "f2", "f3"] and (one[0].sum(axis=1) > 0.99).all()
