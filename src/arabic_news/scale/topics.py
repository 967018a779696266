"""An incremental NMF topic model for corpora larger than memory.

:class:`IncrementalTopicModel` = the topics package's Arabic preprocessing (``make_preprocessor`` + ``_terms``
from :mod:`arabic_news.topics.models`: ``ArabicPreprocessor``, then word-like terms only) -> a vectoriser
fixed once -> ``sklearn.decomposition.MiniBatchNMF`` trained with ``partial_fit`` over partitions.

* ``vectorizer='vocabulary'`` (default): a TF-IDF vectoriser (sublinear tf, l2 rows; the topics package's
  settings) whose vocabulary and idf are learned from a seeded sample (:meth:`fit_vocabulary`), then fixed.
* ``vectorizer='hashing'``: ``HashingVectorizer`` (l2 rows, no sign flipping), nothing learned but the
  preprocessor; topic terms are named through the most frequent sample term of each hash bucket.

Everything is deterministic given ``seed`` and the order of the ``partial_fit`` calls, so the Dask runner
(which computes each partition's document-term matrix on a worker and feeds them to ``partial_fit`` in
manifest order) gives the same model as the same sequence run in memory.
"""
from __future__ import annotations

import collections
import logging
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from arabic_news import config

logger = logging.getLogger(__name__)

VECTORIZERS = ("vocabulary", "hashing")


def _identity(tokens):
    """Analyzer for pre-tokenised documents (module level so fitted vectorisers pickle)."""
    return tokens


class IncrementalTopicModel(TransformerMixin, BaseEstimator):
    """MiniBatchNMF topics trained incrementally (see the module docstring).

    Parameters
    ----------
    n_topics : number of topics k.
    vectorizer : 'vocabulary' (TF-IDF, vocabulary + idf fixed from a sample) | 'hashing'.
    preprocessing : 'normalized' | 'light' | 'lemma' (as :class:`arabic_news.topics.TopicModel`).
    remove_stopwords, arabic_only, max_features, min_df, max_df : as :class:`~arabic_news.topics.TopicModel`.
    n_features : hash buckets for 'hashing'.
    batch_size : rows per ``MiniBatchNMF.partial_fit`` call (a partition is split into such mini-batches).
    forget_factor : MiniBatchNMF's forget factor.
    seed : random seed (MiniBatchNMF initialisation).
    n_top_words : terms per topic in ``topic_terms_``.
    blas_threads : BLAS threads during ``partial_fit``/``transform`` (default 1: on a busy machine a
        multi-threaded OpenBLAS was measured 270x slower on MiniBatchNMF's small products; one thread also makes
        the result independent of the thread count). None leaves BLAS alone.

    Learned: ``preprocessor_``, ``vectorizer_``, ``nmf_``, ``n_batches_``, ``n_documents_seen_``;
    after any ``partial_fit``: ``components_``, ``topic_terms_``, ``topic_labels_``.
    """

    def __init__(self, *, n_topics: int = 20, vectorizer: str = "vocabulary", preprocessing: str = "light",
                 remove_stopwords: bool = True, arabic_only: bool = True, max_features: int | None = 20000,
                 min_df: int | float = 2, max_df: int | float = 0.5, n_features: int = 2 ** 18,
                 batch_size: int = 2048, forget_factor: float = 0.7, seed: int = config.DEFAULT_SEED,
                 n_top_words: int = 10, blas_threads: int | None = 1):
        self.n_topics = n_topics
        self.vectorizer = vectorizer
        self.preprocessing = preprocessing
        self.remove_stopwords = remove_stopwords
        self.arabic_only = arabic_only
        self.max_features = max_features
        self.min_df = min_df
        self.max_df = max_df
        self.n_features = n_features
        self.batch_size = batch_size
        self.forget_factor = forget_factor
        self.seed = seed
        self.n_top_words = n_top_words
        self.blas_threads = blas_threads

    # ------------------------------------------------------------------ vocabulary
    def fit_vocabulary(self, texts: Sequence[str]):
        """Fit the preprocessor and the vectoriser on a sample of texts (then fixed for every partition)."""
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

        from arabic_news.topics.models import _terms, make_preprocessor

        if self.vectorizer not in VECTORIZERS:
            raise ValueError(f"vectorizer must be one of {VECTORIZERS}, got {self.vectorizer!r}")
        texts = list(texts)
        if not texts:
            raise ValueError("no sample texts to fit the vocabulary on")
        pre = make_preprocessor(self.preprocessing, remove_stopwords=self.remove_stopwords)
        tokens = _terms(pre.fit_transform(texts), self.arabic_only)
        self.preprocessor_ = pre
        if self.vectorizer == "vocabulary":
            min_df = self.min_df
            if isinstance(min_df, int) and min_df > len(texts):
                min_df = 1
            vec = TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=True, norm="l2",
                                  min_df=min_df, max_df=self.max_df, max_features=self.max_features)
            vec.fit(tokens)
            self.feature_names_ = vec.get_feature_names_out()
        else:
            vec = HashingVectorizer(analyzer=_identity, lowercase=False, n_features=self.n_features,
                                    alternate_sign=False, norm="l2")
            counts = collections.Counter(t for doc in tokens for t in doc)
            names = np.full(self.n_features, "", dtype=object)
            best = np.zeros(self.n_features, dtype=np.int64)
            terms = list(counts)
            if terms:
                cols = vec.transform([[t] for t in terms]).tocsr().indices
                for term, col in zip(terms, cols):
                    if counts[term] > best[col]:
                        best[col], names[col] = counts[term], term
            self.feature_names_ = names
        self.vectorizer_ = vec
        self.n_sample_documents_ = len(texts)
        return self

    def tokens(self, texts: Sequence[str]) -> list[list[str]]:
        """Topic terms of *texts* (the fitted preprocessor, then word-like terms only)."""
        from arabic_news.topics.models import _terms

        self._check_vocabulary()
        return _terms(self.preprocessor_.transform(list(texts)), self.arabic_only)

    def vectorize(self, texts: Sequence[str]):
        """The (sparse) document-term matrix of *texts* under the fixed vectoriser."""
        self._check_vocabulary()
        return self.vectorizer_.transform(self.tokens(texts)).tocsr()

    def _check_vocabulary(self):
        if not hasattr(self, "vectorizer_"):
            raise ValueError("call fit_vocabulary(sample_texts) (or fit) before partial_fit/transform")

    # ------------------------------------------------------------------ training
    def partial_fit(self, X: Sequence[str], y=None):
        """One incremental step on texts *X* (fits the vocabulary on *X* first if none is fitted yet)."""
        if not hasattr(self, "vectorizer_"):
            self.fit_vocabulary(X)
        return self.partial_fit_matrix(self.vectorize(X))

    def partial_fit_matrix(self, dtm):
        """One incremental step on a document-term matrix from :meth:`vectorize` (in ``batch_size`` rows)."""
        from sklearn.decomposition import MiniBatchNMF

        self._check_vocabulary()
        if not hasattr(self, "nmf_"):
            self.nmf_ = MiniBatchNMF(n_components=int(self.n_topics), batch_size=int(self.batch_size),
                                     forget_factor=self.forget_factor, random_state=self.seed)
            self.n_batches_ = 0
            self.n_documents_seen_ = 0
        step = int(self.batch_size)
        with self._blas():
            for start in range(0, dtm.shape[0], step):
                batch = dtm[start:start + step]
                if batch.nnz == 0:
                    continue  # nothing to learn from (and an all-zero first batch cannot initialise NMF)
                self.nmf_.partial_fit(batch)
                self.n_batches_ += 1
                self.n_documents_seen_ += batch.shape[0]
        if hasattr(self.nmf_, "components_"):
            self._set_topics()
        return self

    def _blas(self):
        import contextlib

        if self.blas_threads is None:
            return contextlib.nullcontext()
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=int(self.blas_threads), user_api="blas")

    def fit(self, X: Sequence[str], y=None):
        """Vocabulary from *X*, then one pass of ``partial_fit`` over *X* (in ``batch_size`` mini-batches)."""
        for attr in ("nmf_", "vectorizer_", "preprocessor_"):
            if hasattr(self, attr):
                delattr(self, attr)
        texts = list(X)
        self.fit_vocabulary(texts)
        return self.partial_fit_matrix(self.vectorize(texts))

    def _set_topics(self):
        self.components_ = self.nmf_.components_
        self.n_topics_ = self.components_.shape[0]
        names = self.feature_names_
        terms = []
        for row in self.components_:
            picked = []
            for j in np.argsort(-row, kind="stable"):
                if len(picked) >= self.n_top_words or row[j] <= 0:
                    break
                if names[j]:
                    picked.append(str(names[j]))
            terms.append(picked)
        self.topic_terms_ = terms
        self.topic_labels_ = [" · ".join(t[:3]) for t in terms]

    # ------------------------------------------------------------------ inference
    def transform_matrix(self, dtm) -> np.ndarray:
        """Row-normalised doc-topic weights of a document-term matrix (all-zero rows stay zero)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "components_")
        if dtm.shape[0] == 0:
            return np.zeros((0, self.n_topics_))
        with self._blas():
            w = np.asarray(self.nmf_.transform(dtm), dtype=np.float64)
        sums = w.sum(axis=1, keepdims=True)
        return np.divide(w, sums, out=np.zeros_like(w), where=sums > 0)

    def transform(self, X: Sequence[str]) -> np.ndarray:
        """Doc-topic weights of texts *X* (rows sum to 1, or 0 for a document with no known term).

        Note: scikit-learn's NMF solver stops on a tolerance over the whole batch, so a document's weights can
        differ in the last digits with the batch it is transformed in; the runner and the in-memory reference
        both transform partition by partition.
        """
        return self.transform_matrix(self.vectorize(X))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Vocabulary terms ('vocabulary') or, per hash bucket, its most frequent sample term ('hashing')."""
        self._check_vocabulary()
        return np.asarray(self.feature_names_, dtype=object)

    def topics_table(self):
        import pandas as pd

        return pd.DataFrame({"topic": np.arange(self.n_topics_), "label": self.topic_labels_,
                             "terms": [" ".join(t) for t in self.topic_terms_]})


#: the ``kind`` of the scale runner's topic model files and of its partial_fit checkpoints
MODEL_KIND = "scale-topics"
STATE_KIND = "scale-fit-state"


def model_file_types() -> list:
    """Every class and function the runner's topic files may hold: :class:`IncrementalTopicModel` (incremental
    mode), :class:`arabic_news.topics.TopicModel` (sample mode) and what they contain."""
    from sklearn.decomposition import MiniBatchNMF
    from sklearn.feature_extraction.text import HashingVectorizer

    from arabic_news.topics.models import model_file_types as topic_types

    return [IncrementalTopicModel, MiniBatchNMF, HashingVectorizer, _identity] + topic_types()


def save_model_file(obj, path, *, kind: str = MODEL_KIND):
    """Write a topic model (or, ``kind=STATE_KIND``, a partial_fit checkpoint dict) as a model file."""
    from arabic_news.model_files import write_model_file

    return write_model_file(path, obj, kind=kind, allowed=model_file_types())


def load_model_file(path, *, kind: str = MODEL_KIND):
    """Read a file written by :func:`save_model_file` (nothing in it is executed)."""
    from arabic_news.model_files import read_model_file

    obj, _, _ = read_model_file(path, kind=kind, allowed=model_file_types(),
                                fix="delete it and rerun `arabic-news scale run` (the topics stage recomputes it)")
    return obj
