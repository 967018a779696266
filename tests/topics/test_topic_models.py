"""TopicModel: NMF, LDA and embed recover three obvious themes, reproducibly, and follow sklearn conventions."""
from __future__ import annotations

import pickle
import zipfile

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import normalized_mutual_info_score

from arabic_news import config
from arabic_news.topics import TopicModel
from arabic_news.topics.models import load_topic_model, save_topic_model

FOOTBALL, OIL, ELECTIONS = slice(0, 6), slice(6, 12), slice(12, 18)


def _model(kind, cache, **kw):
    # embed: k-means on the sentence embeddings themselves (UMAP's numba compilation costs ~15 s per test
    # process; test_recovers_the_three_themes runs the full UMAP pipeline once)
    params = dict(model=kind, n_topics=3, min_df=2, max_df=0.9, seed=7, embedding_cache_dir=cache,
                  umap_n_neighbors=5, umap_n_components=None)
    params.update(kw)
    return TopicModel(**params)


@pytest.mark.parametrize("kind", ["nmf", "lda", "embed", "lsa"])
def test_recovers_the_three_themes(kind, toy_docs, toy_labels, embedding_cache, tmp_path):
    model = _model(kind, embedding_cache, umap_n_components=5).fit(toy_docs)
    if kind == "embed":
        assert model.umap_.embedding_.shape == (18, 5)
        # a model file does not hold UMAP (compiled code): the loaded model keeps its topics, refuses new texts
        loaded = load_topic_model(save_topic_model(model, tmp_path / "embed.zip"))
        assert loaded.topic_terms_ == model.topic_terms_ and model.umap_ is not None
        np.testing.assert_array_equal(loaded.labels_, model.labels_)
        with pytest.raises(ValueError, match="UMAP reducer is not stored"):
            loaded.transform(toy_docs[:2])
    assert normalized_mutual_info_score(toy_labels, model.labels_) == pytest.approx(1.0)
    assert model.n_topics_ == 3
    assert model.components_.shape == (3, len(model.vocabulary_))
    # the football topic's top terms contain the football stems, and so on
    topic_of = {name: int(np.bincount(model.labels_[sl]).argmax())
                for name, sl in (("football", FOOTBALL), ("oil", OIL), ("elections", ELECTIONS))}
    assert "لاعب" in model.topic_terms_[topic_of["football"]]
    assert "نفط" in model.topic_terms_[topic_of["oil"]]
    assert "انتخاب" in model.topic_terms_[topic_of["elections"]]
    assert len(model.topic_labels_) == 3 and all(" · " in label for label in model.topic_labels_)
    assert sorted(model.topic_sizes_.tolist()) == [6, 6, 6]


@pytest.mark.parametrize("kind", ["nmf", "lda", "embed", "lsa"])
def test_same_seed_same_output(kind, toy_docs, embedding_cache):
    a = _model(kind, embedding_cache).fit(toy_docs)
    b = _model(kind, embedding_cache).fit(toy_docs)
    np.testing.assert_array_equal(a.components_, b.components_)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert a.topic_terms_ == b.topic_terms_
    np.testing.assert_array_equal(a.transform(toy_docs[:4]), b.transform(toy_docs[:4]))


@pytest.mark.parametrize("kind", ["nmf", "lda", "embed", "lsa"])
def test_transform_rows_and_dominant_topic(kind, toy_docs, embedding_cache):
    model = _model(kind, embedding_cache).fit(toy_docs)
    dt = model.transform(toy_docs)
    assert dt.shape == (18, 3)
    np.testing.assert_allclose(dt.sum(axis=1), 1.0)
    np.testing.assert_array_equal(dt.argmax(axis=1), model.labels_)


def test_representative_docs_are_titles_from_the_topic(toy_docs, embedding_cache):
    titles = [f"عنوان {i}" for i in range(len(toy_docs))]
    model = _model("nmf", embedding_cache, n_representative=2).fit(toy_docs, titles=titles)
    for t in range(3):
        idx = model.representative_doc_indices_[t]
        assert len(idx) == 2 and all(model.labels_[i] == t for i in idx)
        assert model.representative_docs_[t] == [titles[i] for i in idx]


@pytest.mark.parametrize("kind", ["nmf", "lda", "embed", "lsa"])
def test_seed_words_guide_topic_zero(kind, toy_docs, embedding_cache):
    # topic 0 is guided by oil words, topic 1 by election words (inflected forms: preprocessing maps them)
    seeds = [["النفط", "برميل"], ["الانتخابات", "الناخبين"]]
    model = _model(kind, embedding_cache, seed_words=seeds).fit(toy_docs)
    assert np.all(model.labels_[OIL] == 0)
    assert np.all(model.labels_[ELECTIONS] == 1)
    assert np.all(model.labels_[FOOTBALL] == 2)
    assert model.seed_words_missing_ == []


def test_unknown_seed_word_is_reported(toy_docs, embedding_cache):
    model = _model("nmf", embedding_cache, seed_words=[["النفط", "زرافة"]]).fit(toy_docs)
    assert model.seed_words_missing_ == ["زرافة"]


@pytest.mark.parametrize("kind", ["nmf", "lda", "embed", "lsa"])
def test_get_params_clone_pickle_round_trip(kind, toy_docs, embedding_cache):
    model = _model(kind, embedding_cache)
    params = model.get_params()
    assert params["model"] == kind and params["n_topics"] == 3 and params["seed"] == 7
    twin = clone(model)
    assert twin.get_params() == params and not hasattr(twin, "components_")
    model.fit(toy_docs)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.transform(toy_docs), model.transform(toy_docs))
    assert list(restored.get_feature_names_out()) == list(model.get_feature_names_out())
    assert restored.topic_labels_ == model.topic_labels_


@pytest.mark.parametrize("kind,extra", [("nmf", {}), ("lda", {}), ("lsa", {}), ("embed", {}),
                                        ("embed", {"clustering": "hdbscan", "min_cluster_size": 3}),
                                        ("nmf", {"preprocessing": "normalized", "seed_words": [["النفط"]]})])
def test_model_file_round_trip_gives_identical_output(kind, extra, toy_docs, embedding_cache, tmp_path,
                                                     monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")  # a loaded model uses this installation's caches
    model = _model(kind, embedding_cache, **extra).fit(toy_docs)
    path = save_topic_model(model, tmp_path / "model.zip", meta={"n_docs": 18})
    with zipfile.ZipFile(path) as zf:  # JSON and arrays only
        assert sorted(zf.namelist()) == ["arrays.npz", "manifest.json", "state.json"]
    loaded = load_topic_model(path)
    np.testing.assert_array_equal(loaded.transform(toy_docs), model.transform(toy_docs))
    np.testing.assert_array_equal(loaded.components_, model.components_)
    assert loaded.get_params() == model.get_params() | {"embedding_cache_dir": None}
    assert loaded.topic_terms_ == model.topic_terms_ and loaded.representative_docs_ == model.representative_docs_


def test_feature_names_follow_preprocessing(toy_docs, embedding_cache):
    light = _model("nmf", embedding_cache, preprocessing="light").fit(toy_docs)
    surface = _model("nmf", embedding_cache, preprocessing="normalized").fit(toy_docs)
    assert "نفط" in set(light.get_feature_names_out())
    assert "النفط" in set(surface.get_feature_names_out())  # normalised surface form keeps the article
    assert all(len(t) >= 2 and not any(c.isdigit() for c in t) for t in light.get_feature_names_out())


def test_topics_table(toy_docs, embedding_cache):
    table = _model("lda", embedding_cache).fit(toy_docs).topics_table()
    assert list(table.columns) == ["topic", "label", "size", "words", "terms", "representative_docs"]
    assert table["size"].sum() == 18


def test_bad_parameters_raise(toy_docs):
    with pytest.raises(ValueError, match="model must be one of"):
        TopicModel(model="plsa").fit(toy_docs)
    with pytest.raises(ValueError, match="preprocessing must be one of"):
        TopicModel(preprocessing="stem").fit(toy_docs)


def test_arabic_only_drops_url_pieces_and_handles(toy_docs, embedding_cache):
    from arabic_news.topics.models import is_term

    assert is_term("نفط", arabic_only=True) and not is_term("https", arabic_only=True)
    assert is_term("https") and not is_term("2015") and not is_term("ن")
    posts = [d + (" RT @AJABreaking https://t.co/abc" if i % 2 else "") for i, d in enumerate(toy_docs)]
    names = set(_model("nmf", embedding_cache).fit(posts).get_feature_names_out())
    assert "نفط" in names and not names & {"RT", "https", "AJABreaking", "co"}
    kept = set(_model("nmf", embedding_cache, arabic_only=False).fit(posts).get_feature_names_out())
    assert "https" in kept or "AJABreaking" in kept


@pytest.mark.parametrize("weight", [0.0, 1.0])
def test_lsa_with_and_without_embeddings_recovers_themes(weight, toy_docs, toy_labels, embedding_cache):
    model = _model("lsa", embedding_cache, lsa_components=5, embedding_weight=weight).fit(toy_docs)
    assert model.svd_.n_components == 5
    assert normalized_mutual_info_score(toy_labels, model.labels_) == pytest.approx(1.0)
    # representation = 5 LSA dims (+ 512 embedding dims when weighted in)
    assert model.centroids_.shape == (3, 5 + (512 if weight else 0))
    np.testing.assert_array_equal(model.transform(toy_docs).argmax(axis=1), model.labels_)
    # topic terms are the cluster's mean TF-IDF: the oil cluster's top term set contains the oil stem
    oil = int(np.bincount(model.labels_[OIL]).argmax())
    assert "نفط" in model.topic_terms_[oil][:5]
