"""Class-based TF-IDF (c-TF-IDF), the topic representation of BERTopic (Grootendorst 2022).

All documents of one class (topic) are treated as a single document. For term t and class c:

    W[t, c] = tf[t, c] / sum_t' tf[t', c]  *  log(1 + A / f_t)

where tf[t, c] is the frequency of t in class c, f_t the frequency of t over all classes, and A the average
number of words per class. This is BERTopic's ``ClassTfidfTransformer`` with its defaults
(``bm25_weighting=False``, ``reduce_frequent_words=False``).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize


class ClassTfidfTransformer(TransformerMixin, BaseEstimator):
    """Fit on a (n_classes, n_terms) count matrix (one row per class); transform gives c-TF-IDF weights."""

    def __init__(self, *, reduce_frequent_words: bool = False):
        self.reduce_frequent_words = reduce_frequent_words

    def fit(self, X, y=None):
        X = sp.csr_matrix(X, dtype=np.float64)
        term_freq = np.asarray(X.sum(axis=0)).ravel()
        avg_words = float(np.asarray(X.sum(axis=1)).mean())
        with np.errstate(divide="ignore"):
            idf = np.log(1.0 + avg_words / term_freq)
        idf[~np.isfinite(idf)] = 0.0  # terms absent from every class
        self.idf_ = idf
        self.avg_words_per_class_ = avg_words
        return self

    def transform(self, X):
        X = normalize(sp.csr_matrix(X, dtype=np.float64), axis=1, norm="l1")
        if self.reduce_frequent_words:
            X.data = np.sqrt(X.data)
        return sp.csr_matrix(X.multiply(self.idf_[None, :]))


def class_counts(doc_term, labels, n_classes: int) -> sp.csr_matrix:
    """Sum the rows of a (n_docs, n_terms) count matrix per class label in [0, n_classes)."""
    labels = np.asarray(labels)
    indicator = sp.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(n_classes, len(labels))
    )
    return sp.csr_matrix(indicator @ sp.csr_matrix(doc_term))
