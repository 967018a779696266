"""arabic_news.text.preprocess.ArabicPreprocessor: exact outputs, sklearn conventions, parallel == serial."""
from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

from arabic_news.text import ArabicPreprocessor

TEXTS = [
    "قالَ وزيرُ الخارجيةِ السعوديُّ إنّ المملكةَ ستواصلُ دعمَها لليمن في عام 2015.",
    "وأكد الوزراء على أهمية الاتفاق النووي مع إيران!",
    "وقال الوزير: إن الاتفاق مهم.",
]


def test_default_normalised_surface_forms_without_stop_words_digits_or_punctuation():
    out = ArabicPreprocessor().fit_transform(TEXTS)
    assert out == [
        ["قال", "وزير", "الخارجيه", "السعودي", "المملكه", "ستواصل", "دعمها", "لليمن", "عام"],
        ["واكد", "الوزراء", "اهميه", "الاتفاق", "النووي", "ايران"],
        ["وقال", "الوزير", "الاتفاق", "مهم"],
    ]


def test_light_stemmer_uses_corpus_counts_for_bare_proclitics():
    pre = ArabicPreprocessor(stemmer="light")
    assert pre.fit_transform(TEXTS) == [
        ["قال", "وزير", "خارج", "سعود", "مملكه", "ستواصل", "دعم", "يمن", "عام"],   # المملكة keeps its ة
        ["واكد", "وزراء", "اهم", "اتفاق", "نووي", "ايران"],
        ["قال", "وزير", "اتفاق", "مهم"],   # وقال -> قال because قال occurs in the corpus
    ]
    assert pre.type_counts_["قال"] == 1 and pre.type_counts_["وقال"] == 1


def test_lemma_backend():
    assert ArabicPreprocessor(stemmer="lemma").fit_transform(TEXTS) == [
        ["قال", "وزير", "خارجي", "سعد", "مملكه", "واصل", "دعم", "يمن", "عام"],
        ["اكد", "وزير", "اهميه", "اتفاق", "نووي", "ايران"],
        ["قال", "وزير", "اتفاق", "مهم"],
    ]


def test_options():
    keep_all = ArabicPreprocessor(remove_stopwords=False, keep_digits=True, min_token_len=1)
    assert keep_all.fit_transform(TEXTS[2:]) == [["وقال", "الوزير", "ان", "الاتفاق", "مهم"]]
    assert keep_all.fit_transform(["عام 2015 و٢٠١٥ A380"]) == [["عام", "2015", "و٢٠١٥", "A380"]]
    assert ArabicPreprocessor().fit_transform(["عام 2015 و٢٠١٥ A380"]) == [["عام"]]
    assert ArabicPreprocessor(min_token_len=4, output="string").fit_transform(TEXTS[2:]) == ["وقال الوزير الاتفاق"]
    raw = ArabicPreprocessor(normalize=False).fit_transform(["قالَ الوزيرُ إنّ الأمرَ"])
    assert raw == [["قالَ", "الوزيرُ", "الأمرَ"]]   # no normalisation, but stop words still matched (إنّ)


def test_transform_analyses_only_new_types_and_keeps_fit_table():
    pre = ArabicPreprocessor(stemmer="light").fit(TEXTS)
    n = len(pre.analysis_)
    assert pre.transform(["والوزراء قالوا كلمة"]) == [["وزراء", "قالوا", "كلمه"]]
    assert len(pre.analysis_) == n     # transform does not change the fitted state
    assert pre.n_documents_ == 3 and pre.n_types_ == n


def test_sklearn_conventions_get_params_clone_pickle():
    pre = ArabicPreprocessor(stemmer="light", min_token_len=3, output="string", n_jobs=2)
    params = pre.get_params()
    assert params == {"normalize": True, "stemmer": "light", "remove_stopwords": True, "min_token_len": 3,
                      "keep_digits": False, "output": "string", "n_jobs": 2, "camel_db": None, "cache_dir": None}
    c = clone(pre)
    assert c.get_params() == params and not hasattr(c, "analysis_")
    pre.fit(TEXTS)
    restored = pickle.loads(pickle.dumps(pre))
    assert restored.transform(TEXTS) == pre.transform(TEXTS)
    assert list(pre.get_feature_names_out()) == ["string"]
    assert isinstance(pre.get_feature_names_out(), np.ndarray)
    with pytest.raises(TypeError):
        ArabicPreprocessor("light")  # keyword-only


def test_missing_values_are_empty_documents():
    assert ArabicPreprocessor().fit_transform(["وزير", None, float("nan"), ""]) == [["وزير"], [], [], []]


def test_camel_backend_without_data_fails_with_the_install_command(monkeypatch, tmp_path):
    from arabic_news.text import CamelDataNotFound

    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    with pytest.raises(CamelDataNotFound, match="camel_data -i"):
        ArabicPreprocessor(stemmer="camel").fit(TEXTS)


def test_invalid_parameters_and_unfitted_use():
    with pytest.raises(ValueError, match="stemmer='porter' is not one of 'none', 'light', 'lemma', 'camel'"):
        ArabicPreprocessor(stemmer="porter").fit(TEXTS)
    with pytest.raises(ValueError, match="output='list'"):
        ArabicPreprocessor(output="list").fit(TEXTS)
    with pytest.raises(Exception, match="not fitted"):
        ArabicPreprocessor().transform(TEXTS)


def test_lemma_analyses_persist_in_cache_dir(tmp_path):
    first = ArabicPreprocessor(stemmer="lemma", cache_dir=str(tmp_path))
    out = first.fit_transform(TEXTS[1:])
    files = list(tmp_path.glob("lemma-*.sqlite"))
    assert len(files) == 1
    # a new preprocessor must not call qalsadi for any type it finds in the cache
    from arabic_news.text.analyzers import QalsadiLemmaAnalyzer

    def boom(self, word):
        raise AssertionError(f"analysed {word!r} again")

    original = QalsadiLemmaAnalyzer._analyze
    QalsadiLemmaAnalyzer._analyze = boom
    try:
        assert ArabicPreprocessor(stemmer="lemma", cache_dir=str(tmp_path)).fit_transform(TEXTS[1:]) == out
    finally:
        QalsadiLemmaAnalyzer._analyze = original


def test_in_a_pipeline_with_tfidf():
    pipe = make_pipeline(ArabicPreprocessor(stemmer="light", output="string"),
                         TfidfVectorizer(token_pattern=r"\S+"))
    X = pipe.fit_transform(TEXTS)
    vocab = pipe[-1].vocabulary_
    assert X.shape == (3, len(vocab)) and {"وزير", "اتفاق", "قال"} <= set(vocab)


def test_parallel_equals_serial():
    extra = ["والمدرسة", "بالرياض", "للمملكة", "وزارة", "كلمتهم", "سياساتها"]
    docs = [f"{TEXTS[i % 3]} {extra[i % len(extra)]}" for i in range(2400)]
    serial = ArabicPreprocessor(stemmer="light").fit_transform(docs)
    parallel = ArabicPreprocessor(stemmer="light", n_jobs=2).fit_transform(docs)
    assert parallel == serial
    assert serial[4] == ["واكد", "وزراء", "اهم", "اتفاق", "نووي", "ايران", "كلمه"]
    assert serial[5] == ["قال", "وزير", "اتفاق", "مهم", "سياس"]
