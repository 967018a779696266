import json
import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from arabic_news.stance.models import (
    TARGET_SENTIMENT_NB_PARAMS,
    ClaimStanceModel,
    ModelFileError,
    NBLogisticClassifier,
    PairStanceModel,
    TargetStanceModel,
    load_model,
    save_model,
    training_inputs,
)

from .stance_fixtures import claim_frame, pair_frame, target_frame


@pytest.fixture(scope="module")
def target_model():
    df = target_frame()
    # plain LR: with two examples per class and target, the default NB-weighted per-target model is not stable
    return TargetStanceModel(use_embeddings=False, min_df=1, C=10.0, classifier="lr").fit(
        df[["text", "target"]], df["stance"])


def test_target_model_predicts_obvious_cases(target_model):
    X = pd.DataFrame({"text": ["أؤيد القرار فهو رائع وممتاز", "أرفض القرار فهو سيئ وخطير"],
                      "target": ["Women empowerment", "Covid Vaccine"]})
    assert target_model.predict(X).tolist() == ["Favor", "Against"]
    proba = target_model.predict_proba(X)
    assert proba.shape == (2, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert list(target_model.classes_) == ["Against", "Favor", "None"]


def test_target_model_per_target_and_unseen_target():
    df = target_frame()
    m = TargetStanceModel(mode="per_target", use_embeddings=False, min_df=1, C=10.0, classifier="lr").fit(
        df[["text", "target"]], df["stance"])
    X = pd.DataFrame({"text": ["أرفض اللقاح فهو سيئ وخطير", "قرار رائع وممتاز أؤيده"],
                      "target": ["Covid Vaccine", "Unseen target"]})
    assert m.predict(X).tolist() == ["Against", "Favor"]
    names = m.get_feature_names_out()
    assert any(n.startswith("Covid Vaccine|word:") for n in names)


def test_pickle_and_clone_round_trip(target_model, tmp_path):
    X = target_frame()[["text", "target"]]
    back = pickle.loads(pickle.dumps(target_model))
    assert np.allclose(back.predict_proba(X), target_model.predict_proba(X))
    c = clone(target_model)
    assert c.get_params() == target_model.get_params() and not hasattr(c, "clf_")
    path = save_model(target_model, tmp_path / "m.model.zip", task="target", meta={"n": 15})
    loaded, payload = load_model(path, task="target")
    assert payload["meta"] == {"n": 15} and payload["task"] == "target"
    assert payload["labels"] == ["Favor", "Against", "None"]
    assert loaded.predict(X).tolist() == target_model.predict(X).tolist()
    with pytest.raises(ModelFileError, match="trained for --task target, not --task pair"):
        load_model(path, task="pair")


def _round_trip(model, X, task, tmp_path):
    path = save_model(model, tmp_path / f"{task}.model.zip", task=task)
    loaded, payload = load_model(path, task=task)
    assert type(loaded) is type(model) and payload["task"] == task
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert loaded.predict(X).tolist() == model.predict(X).tolist()
    assert loaded.get_params() == model.get_params()
    assert list(loaded.get_feature_names_out()) == list(model.get_feature_names_out())
    return loaded


@pytest.mark.parametrize("params", [
    dict(classifier="lr"),
    dict(classifier="nbsvm", sentiment_folds=2),  # NB-weighted LR + the stacked sentiment model (the defaults)
    dict(classifier="svm", mode="joint", stem_features=True, decision_bias={"None": -0.5}),  # calibrated SVM
    dict(classifier="lr", mode="joint", use_embeddings=True, fusion="average"),  # late fusion with USE
])
def test_target_model_file_round_trip_gives_identical_probabilities(params, tmp_path):
    df = _with_sentiment(target_frame())
    model = TargetStanceModel(**{"use_embeddings": False, "min_df": 1, "C": 10.0, **params}).fit(
        training_inputs("target", df), df["stance"])
    X = pd.concat([df[["text", "target"]],
                   pd.DataFrame({"text": ["قرار رائع أؤيده"], "target": ["هدف لم يره النموذج"]})], ignore_index=True)
    _round_trip(model, X, "target", tmp_path)


@pytest.mark.parametrize("params", [dict(), dict(classifier="svm")])
def test_pair_model_file_round_trip_gives_identical_probabilities(params, tmp_path):
    df = pd.concat([pair_frame()] * 3, ignore_index=True)  # >= 3 rows per class for the calibrated SVM
    model = PairStanceModel(use_embeddings=False, min_df=1, C=10.0, **params).fit(df[["s1", "s2"]], df["stance"])
    _round_trip(model, pair_frame()[["s1", "s2"]], "pair", tmp_path)


@pytest.mark.parametrize("params", [dict(related_classifier="lr"), dict(related_classifier="gbm"),
                                    dict(two_stage=False)])
def test_claim_model_file_round_trip_gives_identical_probabilities(params, tmp_path):
    df = claim_frame()
    model = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, **params).fit(
        df[["claim", "article"]], df["stance"])
    loaded = _round_trip(model, df[["claim", "article"]], "claim", tmp_path)
    pd.testing.assert_frame_equal(loaded.evidence(df[["claim", "article"]]), model.evidence(df[["claim", "article"]]))


def test_model_files_hold_no_pickle_and_refuse_the_old_format(target_model, tmp_path):
    import zipfile

    path = save_model(target_model, tmp_path / "t.model.zip", task="target")
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["arrays.npz", "manifest.json", "state.json"]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["class"] == "arabic_news.stance.models.TargetStanceModel" and manifest["kind"] == "stance"
    assert manifest["params"]["C"] == 10.0 and manifest["meta"]["task"] == "target"
    old = tmp_path / "stance_target.pkl"  # what earlier versions wrote: a pickle, never opened now
    old.write_bytes(pickle.dumps({"format": "arabic-news-stance/1", "task": "target", "model": target_model},
                                 protocol=pickle.HIGHEST_PROTOCOL))
    with pytest.raises(ModelFileError) as info:
        load_model(old, task="target")
    message = str(info.value)
    assert message.startswith(f"{old} is not a usable arabic-news stance model: the file is a pickle")
    assert "retrain it with `arabic-news stance train --task target" in message and "\n" not in message
    with pytest.raises(TypeError, match="not a pair stance model"):
        save_model(target_model, tmp_path / "x.model.zip", task="pair")


def test_pair_model_toy():
    df = pair_frame()
    m = PairStanceModel(use_embeddings=False, min_df=1, C=10.0).fit(df[["s1", "s2"]], df["stance"])
    X = pd.DataFrame({"s1": ["ارتفاع أسعار القمح اليوم", "ارتفاع أسعار القمح اليوم"],
                      "s2": ["لم ترتفع أسعار القمح اليوم", "أسعار القمح ترتفع اليوم"]})
    assert m.predict(X).tolist() == ["disagree", "agree"]
    assert "pair:neg_mismatch" in list(m.get_feature_names_out())
    c = clone(m)
    assert c.get_params()["C"] == 10.0
    assert pickle.loads(pickle.dumps(m)).predict(X).tolist() == ["disagree", "agree"]


def test_claim_model_toy_and_clone():
    df = claim_frame()
    m = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr").fit(df[["claim", "article"]], df["stance"])
    X = pd.DataFrame({"claim": ["الحكومة أعلنت رفع أسعار الوقود"] * 2,
                      "article": ["نفت الحكومة أنها أعلنت رفع أسعار الوقود وقالت إنه كذب وشائعة. وتحدثت الصحف عن الطقس.",
                                  "فاز الفريق في مباراة كرة القدم أمس بثلاثة أهداف. وتحدثت الصحف عن الطقس."]})
    assert m.predict(X).tolist() == ["disagree", "unrelated"]
    E = m.evidence(X)
    assert E.loc[0, "evidence_sentences"][0].startswith("نفت الحكومة")
    params = clone(m).get_params()
    assert params["k"] == 1 and "col_a" not in params
    assert pickle.loads(pickle.dumps(m)).predict(X).tolist() == ["disagree", "unrelated"]


def test_unpickling_an_older_model_fills_new_parameters(target_model):
    state = dict(target_model.__getstate__())  # a copy: sklearn returns the live __dict__
    state.pop("stem_features")  # as in a model pickled before the parameter existed
    old = TargetStanceModel.__new__(TargetStanceModel)
    old.__setstate__(state)
    assert old.stem_features is False
    X = target_frame()[["text", "target"]]
    assert old.predict(X).tolist() == target_model.predict(X).tolist()


def test_claim_model_two_stage_probabilities():
    df = claim_frame()
    X = pd.DataFrame({"claim": ["الحكومة أعلنت رفع أسعار الوقود"] * 2,
                      "article": ["أعلنت الحكومة رفع أسعار الوقود اليوم وأكد الوزير ذلك. وتحدثت الصحف عن الطقس.",
                                  "فاز الفريق في مباراة كرة القدم أمس بثلاثة أهداف. وتحدثت الصحف عن الطقس."]})
    m = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, related_classifier="lr").fit(
        df[["claim", "article"]], df["stance"])
    assert list(m.classes_) == ["agree", "disagree", "discuss", "unrelated"]
    assert sorted(m.stage2_classes_) == ["agree", "disagree", "discuss"]  # stage 2 never sees 'unrelated'
    proba = m.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert proba[1, 3] > proba[0, 3]  # the football article is the unrelated one
    assert "sim:rel_cover" in list(m.get_feature_names_out())
    E = m.evidence(X)
    assert E.loc[0, "rel_cover"] == 1.0 and E.loc[1, "rel_cover"] == 0.0
    one = ClaimStanceModel(use_embeddings=False, min_df=1, C=10.0, k=1, two_stage=False).fit(
        df[["claim", "article"]], df["stance"])
    assert one.related_clf_ is None and one.predict_proba(X).shape == (2, 4)
    with pytest.raises(ValueError, match="related_classifier"):
        ClaimStanceModel(use_embeddings=False, min_df=1, related_classifier="xgb").fit(
            df[["claim", "article"]], df["stance"])


def test_target_decision_bias_moves_the_argmax():
    df = target_frame()
    X = pd.DataFrame({"text": ["أؤيد القرار فهو رائع وممتاز"], "target": ["Women empowerment"]})
    plain = TargetStanceModel(use_embeddings=False, min_df=1, C=10.0, classifier="lr", decision_bias=None).fit(
        df[["text", "target"]], df["stance"])
    assert plain.predict(X).tolist() == ["Favor"]
    # a large enough bias on None turns the same probabilities into a None decision; probabilities unchanged
    biased = clone(plain).set_params(decision_bias={"None": 20.0}).fit(df[["text", "target"]], df["stance"])
    assert biased.predict(X).tolist() == ["None"]
    assert np.allclose(biased.predict_proba(X), plain.predict_proba(X))
    tuple_form = clone(plain).set_params(decision_bias=(("None", 20.0),)).fit(df[["text", "target"]], df["stance"])
    assert tuple_form.predict(X).tolist() == ["None"]
    with pytest.raises(ValueError, match="unknown class"):
        clone(plain).set_params(decision_bias={"Neutral": 1.0}).fit(df[["text", "target"]], df["stance"]).predict(X)
    with pytest.raises(ValueError, match="fusion must be"):
        TargetStanceModel(use_embeddings=False, fusion="max").fit(df[["text", "target"]], df["stance"])


def test_target_late_fusion_with_embeddings():
    df = target_frame()
    m = TargetStanceModel(use_embeddings=True, fusion="average", fusion_weight=0.4, min_df=1, C=10.0,
                          classifier="lr", decision_bias=None).fit(df[["text", "target"]], df["stance"])
    X = pd.DataFrame({"text": ["أؤيد القرار فهو رائع وممتاز", "أرفض القرار فهو سيئ وخطير"],
                      "target": ["Women empowerment", "Covid Vaccine"]})
    for clfs in m.per_target_.values():
        assert len(clfs) == 2  # one TF-IDF model and one embedding model per target
    P = m.predict_proba(X)
    assert np.allclose(P.sum(axis=1), 1.0)
    t = "Covid Vaccine"
    rows = np.array([1])
    tf_only = m.per_target_[t][0].predict_proba(m._blocks(X, fit=False)[0][rows])
    emb_only = m.per_target_[t][1].predict_proba(m._blocks(X, fit=False)[1][rows])
    assert np.allclose(P[1], 0.6 * tf_only[0] + 0.4 * emb_only[0])  # the documented weighted average
    assert m.predict(X).tolist() == ["Favor", "Against"]


# --- sentiment stacking and the NB-weighted classifier (TARGET_SENTIMENT_NB_PARAMS) ----------------------------
_SENTIMENT = {"Favor": "Positive", "Against": "Negative", "None": "Neutral"}


def _with_sentiment(df):
    out = df.copy()
    out["sentiment"] = out["stance"].map(_SENTIMENT)
    return out


def test_nb_logistic_classifier_ratios_and_probabilities():
    X = sp.csr_matrix(np.array([[1, 0, 0.5], [1, 0, 0.2], [0, 1, 0.4], [0, 1, 0.9], [1, 1, 0.1], [0, 1, 0.3]]))
    y = np.array(["a", "a", "b", "b", "a", "b"])
    clf = NBLogisticClassifier(C=10.0, nb_columns=[0, 1]).fit(X, y)
    assert list(clf.classes_) == ["a", "b"] and clf.ratios_.shape == (2, 3)
    assert np.allclose(clf.ratios_[:, 2], 1.0)  # the dense column outside nb_columns is not rescaled
    assert clf.ratios_[0, 0] > 0 > clf.ratios_[0, 1] and clf.ratios_[1, 1] > 0  # column 0 marks "a", 1 marks "b"
    P = clf.predict_proba(X)
    assert P.shape == (6, 2) and np.allclose(P.sum(axis=1), 1.0)
    assert clf.predict(X[:2]).tolist() == ["a", "a"]
    back = pickle.loads(pickle.dumps(clf))
    assert np.allclose(back.predict_proba(X), P)


def test_target_model_sentiment_stacking_block():
    df = _with_sentiment(target_frame())
    X = training_inputs("target", df)
    assert list(X.columns) == ["text", "target", "sentiment"]
    m = TargetStanceModel(use_embeddings=False, min_df=1, sentiment_folds=3, **TARGET_SENTIMENT_NB_PARAMS).fit(
        X, df["stance"])
    assert m.classifier == "nbsvm" and m.sentiment_clf_ is not None
    names = m.get_feature_names_out()
    base = [n for n in names if "|" not in n]
    assert base[-3:] == ["sentiment:Negative", "sentiment:Neutral", "sentiment:Positive"]
    assert sum(n.startswith("char:") or n.startswith("word:") for n in base) == m.n_text_features_
    # prediction needs only text and target; names match the joint (target-augmented) matrix
    Xp = df[["text", "target"]]
    assert m._features(Xp).shape[1] == len(names)
    P = m.predict_proba(Xp)
    assert P.shape == (len(df), 3) and np.allclose(P.sum(axis=1), 1.0)
    back = pickle.loads(pickle.dumps(m))
    assert np.allclose(back.predict_proba(Xp), P)
    assert clone(m).get_params() == m.get_params()


def test_target_model_without_usable_sentiment_column(caplog):
    df = target_frame()
    m = TargetStanceModel(use_embeddings=False, min_df=1, sentiment_features=True).fit(
        df[["text", "target"]], df["stance"])
    assert m.sentiment_clf_ is None and not any(n.startswith("sentiment:") for n in m.get_feature_names_out())
    bad = _with_sentiment(df)
    bad.loc[0, "sentiment"] = ""
    with caplog.at_level("WARNING"):
        m2 = TargetStanceModel(use_embeddings=False, min_df=1, sentiment_folds=3, sentiment_features=True).fit(
            bad, bad["stance"])
    assert m2.sentiment_clf_ is None and "sentiment stacking left out" in caplog.text
    off = TargetStanceModel(use_embeddings=False, min_df=1).fit(_with_sentiment(df), df["stance"])
    assert off.sentiment_clf_ is None  # off by default: the column is ignored


def test_default_target_model_with_sentiment_predicts_obvious_cases():
    """The defaults (NB-weighted LR + sentiment stacking), shared across targets on this tiny set."""
    df = target_frame()
    df["sentiment"] = df["stance"].map(_SENTIMENT)
    m = TargetStanceModel(mode="joint", use_embeddings=False, min_df=1, C=10.0, sentiment_folds=2).fit(
        training_inputs("target", df), df["stance"])
    assert m.classifier == "nbsvm" and m.sentiment_clf_ is not None
    X = pd.DataFrame({"text": ["أؤيد القرار فهو رائع وممتاز", "أرفض القرار فهو سيئ وخطير"],
                      "target": ["Women empowerment", "Covid Vaccine"]})
    assert m.predict(X).tolist() == ["Favor", "Against"]
