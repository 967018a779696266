"""Stance classifiers (scikit-learn estimators) for the three tasks, and saving/loading them.

* :class:`TargetStanceModel` — (text, target) -> Favor / Against / None. Character n-gram (char_wb 2–5) and
  word n-gram TF-IDF of the normalised text, optional USE sentence embeddings, and optionally
  (``sentiment_features``) the probabilities of an auxiliary sentiment classifier trained on the training
  file's ``sentiment`` labels (stacking, out-of-fold on the training rows). ``mode='joint'`` trains one linear
  model on target-augmented features (a shared copy of every feature plus one copy per target, the
  "frustratingly easy" domain-adaptation trick), ``mode='per_target'`` one model per target (with a joint
  model as fallback for unseen targets; the default). ``classifier='nbsvm'`` (the default for targets):
  NB-weighted logistic regression (:class:`NBLogisticClassifier`, the NBSVM log-count-ratio trick).
* :class:`PairStanceModel` — (s1, s2) -> agree / disagree / other. Dense pair features
  (:class:`~arabic_news.stance.features.PairFeatures`), TF-IDF of the second text and a bag of the
  tokens that differ between the two texts.
* :class:`ClaimStanceModel` — (claim, article) -> agree / disagree / discuss / unrelated. Picks the *k*
  article sentences most similar to the claim (:class:`~arabic_news.stance.features.EvidenceSelector`) and
  classifies the (claim, evidence) pair with pair features plus similarity statistics.

Every model: keyword-only ``__init__`` that only stores parameters, ``class_weight='balanced'`` by default,
calibrated probabilities (``classifier='lr'`` is a probabilistic model; ``classifier='svm'`` wraps a
LinearSVC in ``CalibratedClassifierCV``; ``classifier='nbsvm'`` is one-vs-rest LR on NB-scaled n-grams),
picklable and ``clone``-able.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from arabic_news.model_files import ModelFileError
from arabic_news.stance.data import INPUT_COLUMNS, LABELS
from arabic_news.stance.features import (
    RELATEDNESS_FEATURES,
    EvidenceSelector,
    PairFeatures,
    difference_tokens,
    embed_texts,
    normalize_many,
    relatedness_matrix,
)

logger = logging.getLogger(__name__)


def stem_string(normalized: str) -> str:
    """Light stems (``arabic_news.text.light_stem``) of the tokens of a normalised string, space-joined."""
    from arabic_news.text import light_stem

    return " ".join(light_stem(t) for t in normalized.split())


class NBLogisticClassifier(ClassifierMixin, BaseEstimator):
    """One-vs-rest logistic regression on naive-Bayes-scaled features (the NBSVM of Wang & Manning 2012,
    with LR as the linear model).

    For every class *c*, the columns listed in ``nb_columns`` (all columns when None; the n-gram TF-IDF
    block in :class:`TargetStanceModel`) are multiplied by the log-count ratio
    ``r = log((p / |p|_1) / (q / |q|_1))`` with ``p = alpha + sum of binarised rows of c`` and ``q`` the
    same over the other rows; the other columns (dense embeddings, stacked probabilities) are left as they
    are. One binary LR (``C``, ``class_weight``) per class; ``predict_proba`` normalises the classes'
    probabilities to sum to one.
    """

    def __init__(self, *, C: float = 1.0, alpha: float = 1.0, nb_columns=None,
                 class_weight: str | None = "balanced", seed: int = 42):
        self.C = C
        self.alpha = alpha
        self.nb_columns = nb_columns
        self.class_weight = class_weight
        self.seed = seed

    def _scaled(self, X, k: int):
        return sp.csr_matrix(X) @ sp.diags(self.ratios_[k])

    def fit(self, X, y):
        X = sp.csr_matrix(X)
        y = np.asarray(y).astype(str)
        self.classes_ = np.array(sorted(set(y)), dtype=object)
        if len(self.classes_) < 2:
            raise ValueError("NBLogisticClassifier needs at least two classes")
        cols = np.arange(X.shape[1]) if self.nb_columns is None else np.asarray(self.nb_columns, dtype=np.int64)
        binary = (X[:, cols] > 0).astype(np.float64).tocsr()
        self.ratios_ = np.ones((len(self.classes_), X.shape[1]))
        self.estimators_ = []
        for k, c in enumerate(self.classes_):
            pos = y == c
            p = self.alpha + np.asarray(binary[pos].sum(axis=0)).ravel()
            q = self.alpha + np.asarray(binary[~pos].sum(axis=0)).ravel()
            self.ratios_[k, cols] = np.log((p / p.sum()) / (q / q.sum()))
            clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=3000,
                                     random_state=self.seed)
            self.estimators_.append(clf.fit(self._scaled(X, k), pos))
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "estimators_")
        Q = np.column_stack([clf.predict_proba(self._scaled(X, k))[:, 1] for k, clf in enumerate(self.estimators_)])
        return Q / np.clip(Q.sum(axis=1, keepdims=True), 1e-12, None)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _make_classifier(kind: str, C: float, class_weight, seed: int, nb_columns=None):
    if kind == "lr":
        return LogisticRegression(C=C, class_weight=class_weight, max_iter=3000, random_state=seed)
    if kind == "svm":
        svm = LinearSVC(C=C, class_weight=class_weight, random_state=seed, max_iter=5000)
        return CalibratedClassifierCV(svm, cv=3, method="sigmoid")
    if kind == "nbsvm":
        return NBLogisticClassifier(C=C, nb_columns=nb_columns, class_weight=class_weight, seed=seed)
    raise ValueError(f"classifier must be 'lr', 'svm' or 'nbsvm', not {kind!r}")


def _as_frame(X, columns) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        missing = [c for c in columns if c not in X.columns]
        if missing:
            raise ValueError(f"input is missing column(s) {missing}; expected {list(columns)}")
        return X
    arr = np.asarray(X, dtype=object)
    if arr.ndim != 2 or arr.shape[1] != len(columns):
        raise ValueError(f"expected a DataFrame with columns {list(columns)} or an (n, {len(columns)}) array")
    return pd.DataFrame(arr, columns=list(columns))


class _LinearStance(ClassifierMixin, BaseEstimator):
    """Shared prediction code: subclasses implement ``_features`` and set ``clf_``."""

    def __setstate__(self, state):
        """Models pickled before a parameter was added get that parameter's default (behaviour unchanged)."""
        import inspect

        super().__setstate__(state) if hasattr(super(), "__setstate__") else self.__dict__.update(state)
        for name, param in inspect.signature(type(self).__init__).parameters.items():
            if param.kind is param.KEYWORD_ONLY and name not in self.__dict__:
                self.__dict__[name] = param.default

    def predict_proba(self, X):
        check_is_fitted(self, "clf_")
        return self.clf_.predict_proba(self._features(X, fit=False))

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)


# --------------------------------------------------------------------------------------------------
#: the inner-CV choice of benchmarks/select_stance_target.py (did not transfer to the dev split: see the docstring);
#: selected for LR without sentiment stacking, which it spells out
TARGET_SELECTED_PARAMS = {"classifier": "lr", "sentiment_features": False, "C": 3.0, "fusion": "average",
                          "fusion_weight": 0.4, "embedding_C": 1.0,
                          "decision_bias": {"Against": -0.2, "None": -1.5}}
#: sentiment stacking + NB-weighted LR (TargetStanceModel's defaults since 2026-12-01): better than the previous
#: defaults under repeated 5-fold CV inside the training part and on six other dev seeds (about +0.01 StanceEval),
#: worse on the seed-42 dev split (0.701-0.706 vs 0.718)
TARGET_SENTIMENT_NB_PARAMS = {"classifier": "nbsvm", "sentiment_features": True}
#: the previous defaults: LR on concatenated TF-IDF + USE, no sentiment block
TARGET_PREVIOUS_PARAMS = {"classifier": "lr", "sentiment_features": False}
#: training-only label columns a model may read at fit time besides its inputs (auxiliary tasks)
AUX_LABEL_COLUMNS = {"target": ("sentiment",)}


class TargetStanceModel(_LinearStance):
    """Target stance: X has columns ``text`` and ``target``; labels Favor / Against / None.

    Features: char_wb and word n-gram TF-IDF of the normalised text, USE embeddings (``use_embeddings``),
    and — ``sentiment_features=True`` and a ``sentiment`` column in the *training* frame (Mawqif's
    Positive / Neutral / Negative labels) — the three class probabilities of an auxiliary sentiment
    classifier (one LR, ``sentiment_C``, over all targets, on the TF-IDF + USE features), times
    ``sentiment_weight``. On the training rows those probabilities are out-of-fold (``sentiment_folds``-fold
    stratified CV, so the stance model sees them as noisy as at prediction time); at prediction time only
    ``text`` and ``target`` are needed. When the training frame has no usable ``sentiment`` column the block
    is left out (logged).

    ``classifier='nbsvm'`` is :class:`NBLogisticClassifier`: the TF-IDF columns are scaled by per-class NB
    log-count ratios, the dense columns (embeddings, sentiment) are not.

    ``fusion`` says how USE embeddings join the TF-IDF features: ``'concat'`` appends them (times
    ``embedding_weight``) to the TF-IDF matrix of one linear model; ``'average'`` trains one model on TF-IDF
    and one on the embeddings (regularisation ``embedding_C``) and averages their probabilities,
    ``fusion_weight`` on the embedding model (late fusion). ``decision_bias`` (e.g. ``{"None": -0.3}``) is
    added to the log-probabilities before the arg-max in :meth:`predict` (decision thresholds;
    :meth:`predict_proba` is unchanged); a dict or a tuple of ``(class, bias)`` pairs.

    Defaults: per target, NB-weighted LR on TF-IDF + USE + sentiment stacking (``TARGET_SENTIMENT_NB_PARAMS``),
    chosen on protocols that never read the seed-42 dev split (``benchmarks/bench_stance.py --sections target``):
    2x5-fold CV inside the training part, StanceEval 0.704-0.705 vs 0.696 for the previous defaults (LR, no
    sentiment block: ``TARGET_PREVIOUS_PARAMS``), and the mean over six other seeded dev splits, 0.711 vs 0.700.
    On the seed-42 dev split, scored once per run, it gets 0.701-0.706 against the previous defaults' 0.718 (both inside
    each other's bootstrap intervals, about +-0.04). The configuration chosen earlier by 5-fold CV (late
    fusion + decision biases, ``TARGET_SELECTED_PARAMS``) scored 0.680 on dev.
    """

    def __init__(self, *, mode: str = "per_target", classifier: str = "nbsvm", C: float = 1.0,
                 char_ngram_range: tuple[int, int] = (2, 5), word_ngram_range: tuple[int, int] = (1, 2),
                 min_df: int = 2, keep_symbols: bool = False, stem_features: bool = False,
                 use_embeddings: bool = True, embedding_weight: float = 1.0, fusion: str = "concat",
                 fusion_weight: float = 0.4, embedding_C: float = 1.0, decision_bias: dict | tuple | None = None,
                 sentiment_features: bool = True, sentiment_weight: float = 1.0, sentiment_C: float = 1.0,
                 sentiment_folds: int = 5, class_weight: str | None = "balanced", seed: int = 42):
        self.mode = mode
        self.classifier = classifier
        self.C = C
        self.char_ngram_range = char_ngram_range
        self.word_ngram_range = word_ngram_range
        self.min_df = min_df
        self.keep_symbols = keep_symbols
        self.stem_features = stem_features
        self.use_embeddings = use_embeddings
        self.embedding_weight = embedding_weight
        self.fusion = fusion
        self.fusion_weight = fusion_weight
        self.embedding_C = embedding_C
        self.decision_bias = decision_bias
        self.sentiment_features = sentiment_features
        self.sentiment_weight = sentiment_weight
        self.sentiment_C = sentiment_C
        self.sentiment_folds = sentiment_folds
        self.class_weight = class_weight
        self.seed = seed

    def _late_fusion(self) -> bool:
        return bool(self.use_embeddings) and self.fusion == "average"

    def _sentiment_labels(self, X) -> np.ndarray | None:
        """The training frame's sentiment labels, or None (no column / empty cells / one class / too few rows)."""
        if not self.sentiment_features:
            return None
        if not isinstance(X, pd.DataFrame) or "sentiment" not in X.columns:
            logger.info("no 'sentiment' column in the training data: sentiment stacking left out")
            return None
        raw = X["sentiment"]
        s = raw.astype(str).str.strip().to_numpy()
        counts = pd.Series(s).value_counts()
        if raw.isna().any() or (s == "").any() or len(counts) < 2 or counts.min() < self.sentiment_folds:
            logger.warning("'sentiment' column unusable for stacking (empty cells, one class or fewer than %d "
                           "rows of a class): sentiment stacking left out", self.sentiment_folds)
            return None
        return s

    def _fit_sentiment(self, B, sentiment: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Fit ``sentiment_clf_`` on all rows; return out-of-fold probabilities for the training rows."""
        from sklearn.model_selection import StratifiedKFold

        def make():
            return LogisticRegression(C=self.sentiment_C, class_weight=self.class_weight, max_iter=3000,
                                      random_state=self.seed)

        self.sentiment_clf_ = make().fit(B, sentiment)
        self.sentiment_classes_ = np.asarray(self.sentiment_clf_.classes_, dtype=object)
        strata = pd.Series(sentiment).astype(str) + "|" + pd.Series(targets).astype(str)
        counts = strata.value_counts()
        if counts.min() < self.sentiment_folds:  # rare (sentiment, target) cells: stratify on sentiment only
            strata = pd.Series(sentiment).astype(str)
        oof = np.zeros((B.shape[0], len(self.sentiment_classes_)))
        folds = StratifiedKFold(self.sentiment_folds, shuffle=True, random_state=self.seed)
        for a, b in folds.split(np.zeros(len(strata)), strata.to_numpy()):
            clf = make().fit(B[a], sentiment[a])
            oof[np.ix_(b, np.searchsorted(self.sentiment_classes_, clf.classes_))] = clf.predict_proba(B[b])
        return oof

    def _blocks(self, X, *, fit: bool, sentiment: np.ndarray | None = None):
        """(feature matrix [TF-IDF | embeddings when concatenated | sentiment], embeddings for late fusion or
        None, targets). Sets ``n_text_features_`` (the TF-IDF columns) when fitting."""
        X = _as_frame(X, INPUT_COLUMNS["target"])
        texts = normalize_many(X["text"], keep_symbols=self.keep_symbols)
        targets = X["target"].astype(str).to_numpy()
        if fit:
            self.char_tfidf_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngram_range),
                                               min_df=self.min_df, sublinear_tf=True).fit(texts)
            self.word_tfidf_ = TfidfVectorizer(token_pattern=r"\S+", ngram_range=tuple(self.word_ngram_range),
                                               min_df=self.min_df, sublinear_tf=True).fit(texts)
        blocks = [self.char_tfidf_.transform(texts), self.word_tfidf_.transform(texts)]
        if self.stem_features:  # light stems (و ال ات ...) merge inflected dialect/MSA forms
            stems = [stem_string(t) for t in texts]
            if fit:
                self.stem_tfidf_ = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), min_df=self.min_df,
                                                   sublinear_tf=True).fit(stems)
            blocks.append(self.stem_tfidf_.transform(stems))
        if fit:
            self.n_text_features_ = int(sum(b.shape[1] for b in blocks))
        text_blocks = list(blocks)
        E = emb = None
        if self.use_embeddings:
            emb = sp.csr_matrix(embed_texts(list(X["text"])))
            if self._late_fusion():
                E = emb
            else:
                blocks.append(emb * self.embedding_weight)
        # the auxiliary sentiment model reads TF-IDF + (unweighted) embeddings
        if fit:
            self.sentiment_clf_ = None
            if sentiment is not None:
                S = self._fit_sentiment(sp.hstack(text_blocks + ([emb] if emb is not None else []), format="csr"),
                                        sentiment, targets)
                blocks.append(sp.csr_matrix(S * self.sentiment_weight))
        elif getattr(self, "sentiment_clf_", None) is not None:
            B = sp.hstack(text_blocks + ([emb] if emb is not None else []), format="csr")
            S = np.zeros((len(texts), len(self.sentiment_classes_)))
            S[:, np.searchsorted(self.sentiment_classes_, self.sentiment_clf_.classes_)] = \
                self.sentiment_clf_.predict_proba(B)
            blocks.append(sp.csr_matrix(S * self.sentiment_weight))
        return sp.hstack(blocks, format="csr"), E, targets

    def _base(self, X, *, fit: bool):
        M, _, targets = self._blocks(X, fit=fit)
        return M, targets

    def _augment(self, M, targets):
        """[shared | copy for target 1 | copy for target 2 | ...] (rows of other targets zeroed)."""
        blocks = [M]
        for t in self.targets_:
            ind = sp.diags((targets == t).astype(np.float64))
            blocks.append(ind @ M)
        return sp.hstack(blocks, format="csr")

    def _base_names(self) -> list[str]:
        names = [f"char:{n}" for n in self.char_tfidf_.get_feature_names_out()]
        names += [f"word:{n}" for n in self.word_tfidf_.get_feature_names_out()]
        if self.stem_features:
            names += [f"stem:{n}" for n in self.stem_tfidf_.get_feature_names_out()]
        if self.use_embeddings and not self._late_fusion():
            names += [f"use_{i}" for i in range(512)]
        if getattr(self, "sentiment_clf_", None) is not None:
            names += [f"sentiment:{c}" for c in self.sentiment_classes_]
        return names

    def _nb_columns(self, width: int, copies: int = 1) -> np.ndarray:
        """Indices of the TF-IDF columns in a matrix made of *copies* side-by-side blocks of *width* columns."""
        n = getattr(self, "n_text_features_", width)
        return np.concatenate([k * width + np.arange(n) for k in range(copies)])

    def _fit_clfs(self, M, E, y, nb_columns=None) -> tuple:
        clfs = (_make_classifier(self.classifier, self.C, self.class_weight, self.seed, nb_columns).fit(M, y),)
        if E is not None:
            clfs += (_make_classifier(self.classifier, self.embedding_C, self.class_weight, self.seed,
                                      np.arange(0)).fit(E, y),)
        return clfs

    def _proba_clfs(self, clfs, M, E) -> np.ndarray:
        p = clfs[0].predict_proba(M)
        if len(clfs) > 1 and E is not None:
            p = (1.0 - self.fusion_weight) * p + self.fusion_weight * clfs[1].predict_proba(E)
        return p

    def fit(self, X, y):
        """Fit on X (``text``, ``target`` and, for sentiment stacking, ``sentiment``) and the stance labels y."""
        if self.mode not in ("joint", "per_target"):
            raise ValueError(f"mode must be 'joint' or 'per_target', not {self.mode!r}")
        if self.fusion not in ("concat", "average"):
            raise ValueError(f"fusion must be 'concat' or 'average', not {self.fusion!r}")
        y = np.asarray(y).astype(str)
        M, E, targets = self._blocks(X, fit=True, sentiment=self._sentiment_labels(X))
        self.targets_ = np.array(sorted(set(targets)), dtype=object)
        self.classes_ = np.array(sorted(set(y)), dtype=object)
        E_aug = None if E is None else self._augment(E, targets)
        self.joint_clfs_ = self._fit_clfs(self._augment(M, targets), E_aug, y,
                                          self._nb_columns(M.shape[1], 1 + len(self.targets_)))
        self.clf_ = self.joint_clfs_[0]
        self.per_target_ = {}
        if self.mode == "per_target":
            for t in self.targets_:
                rows = targets == t
                if len(set(y[rows])) < 2:
                    continue
                self.per_target_[t] = self._fit_clfs(M[rows], None if E is None else E[rows], y[rows],
                                                     self._nb_columns(M.shape[1]))
        base = self._base_names()
        self.feature_names_ = base + [f"{t}|{n}" for t in self.targets_ for n in base]
        return self

    def _features(self, X, fit=False):  # joint features (used by the fallback path)
        M, targets = self._base(X, fit=False)
        return self._augment(M, targets)

    def predict_proba(self, X):
        check_is_fitted(self, "clf_")
        M, E, targets = self._blocks(X, fit=False)
        joint = getattr(self, "joint_clfs_", (self.clf_,))  # models pickled before late fusion existed
        proba = self._proba_clfs(joint, self._augment(M, targets), None if E is None else self._augment(E, targets))
        for t, clfs in self.per_target_.items():
            rows = targets == t
            if rows.any():
                clfs = clfs if isinstance(clfs, tuple) else (clfs,)
                p = np.zeros((int(rows.sum()), len(self.classes_)))
                cols = np.searchsorted(self.classes_, clfs[0].classes_)
                p[:, cols] = self._proba_clfs(clfs, M[rows], None if E is None else E[rows])
                proba[rows] = p
        return proba

    def predict(self, X):
        proba = self.predict_proba(X)
        if self.decision_bias:
            bias_map = dict(self.decision_bias)
            unknown = set(bias_map) - set(self.classes_)
            if unknown:
                raise ValueError(f"decision_bias names unknown class(es) {sorted(unknown)}; classes: "
                                 f"{list(self.classes_)}")
            bias = np.array([float(bias_map.get(c, 0.0)) for c in self.classes_])
            proba = np.log(np.clip(proba, 1e-12, None)) + bias
        return self.classes_[np.argmax(proba, axis=1)]


# --------------------------------------------------------------------------------------------------
class PairStanceModel(_LinearStance):
    """Pair stance: X has columns ``col_a`` and ``col_b`` (default ``s1``, ``s2``)."""

    def __init__(self, *, col_a: str = "s1", col_b: str = "s2", classifier: str = "lr", C: float = 1.0,
                 use_embeddings: bool = True, embedding_interactions: bool = True, use_entities: bool = True,
                 text_tfidf: bool = True, diff_tfidf: bool = True, dense_weight: float = 1.0, min_df: int = 2,
                 class_weight: str | None = "balanced", seed: int = 42):
        self.col_a = col_a
        self.col_b = col_b
        self.classifier = classifier
        self.C = C
        self.use_embeddings = use_embeddings
        self.embedding_interactions = embedding_interactions
        self.use_entities = use_entities
        self.text_tfidf = text_tfidf
        self.diff_tfidf = diff_tfidf
        self.dense_weight = dense_weight
        self.min_df = min_df
        self.class_weight = class_weight
        self.seed = seed

    def _extra_dense(self, X) -> tuple[np.ndarray, list[str]]:
        return np.zeros((len(X), 0)), []

    def _features(self, X, fit=False):
        X = _as_frame(X, (self.col_a, self.col_b))
        a = normalize_many(X[self.col_a])
        b = normalize_many(X[self.col_b])
        diffs = [difference_tokens(x, z) for x, z in zip(a, b)]
        if fit:
            self.pair_features_ = PairFeatures(col_a=self.col_a, col_b=self.col_b,
                                               use_embeddings=self.use_embeddings,
                                               embedding_interactions=self.embedding_interactions,
                                               use_entities=self.use_entities).fit(X)
        dense = self.pair_features_.transform(X)
        extra, extra_names = self._extra_dense(X)
        dense = np.hstack([dense, extra])
        if fit:
            self.scaler_ = StandardScaler().fit(dense)
            if self.text_tfidf:
                self.b_tfidf_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=self.min_df,
                                                sublinear_tf=True, max_features=200_000).fit(b)
                self.b_word_tfidf_ = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2),
                                                     min_df=self.min_df, sublinear_tf=True).fit(b)
            if self.diff_tfidf:
                self.diff_tfidf_ = TfidfVectorizer(token_pattern=r"\S+", min_df=1, sublinear_tf=True).fit(diffs)
        blocks = [sp.csr_matrix(np.nan_to_num(self.scaler_.transform(dense)) * self.dense_weight
                                / np.sqrt(max(dense.shape[1], 1)))]
        names = [f"pair:{n}" for n in self.pair_features_.get_feature_names_out()] + extra_names
        if self.text_tfidf:
            blocks += [self.b_tfidf_.transform(b), self.b_word_tfidf_.transform(b)]
            names += [f"b_char:{n}" for n in self.b_tfidf_.get_feature_names_out()]
            names += [f"b_word:{n}" for n in self.b_word_tfidf_.get_feature_names_out()]
        if self.diff_tfidf:
            blocks.append(self.diff_tfidf_.transform(diffs))
            names += [f"diff:{n}" for n in self.diff_tfidf_.get_feature_names_out()]
        if fit:
            self.feature_names_ = names
        return sp.hstack(blocks, format="csr")

    def fit(self, X, y):
        y = np.asarray(y).astype(str)
        self.classes_ = np.array(sorted(set(y)), dtype=object)
        F = self._features(X, fit=True)
        self.clf_ = _make_classifier(self.classifier, self.C, self.class_weight, self.seed).fit(F, y)
        return self


# --------------------------------------------------------------------------------------------------
class ClaimStanceModel(PairStanceModel):
    """Claim–article stance: X has ``claim`` and ``article``; the article is reduced to its *k* most
    claim-similar sentences (the evidence) before pair features are computed.

    Evidence sentences are ranked by TF-IDF cosine; ``evidence_embeddings=True`` re-ranks the
    ``n_candidates`` best by the mean of TF-IDF and USE cosines (better evidence, ~10x the embedding work).
    ``use_embeddings`` controls the USE features of the (claim, evidence) pair itself.

    ``relatedness=True`` adds claim–article relatedness features
    (:func:`~arabic_news.stance.features.relatedness_features`: claim content-word coverage, idf-weighted and in
    the lead, phrase (bigram) coverage, best-sentence coverage, numbers and actors of the claim found in the
    article, lengths). ``two_stage=True`` (as in the FNC-1 baselines): stage 1 (``related_classifier``:
    ``'gbm'`` boosted trees, fixed a priori at 200 iterations / rate 0.05 / balanced classes, or ``'lr'``, which
    also works on tiny data) predicts unrelated vs related from the similarity and relatedness features;
    stage 2 (the LR pair model) is trained on related pairs only; P(unrelated) comes from stage 1 and the
    rest of the mass is split by stage 2. On Baly et al. the lexical relatedness signal is weak (the
    "unrelated" articles were retrieved for the claim and share its topic: claim-coverage AUC ~0.78).
    ``C=0.2`` (stronger
    regularisation than the other tasks) was chosen by the 5-fold claim-fold CV of the benchmark (C=1.0:
    macro-F1 0.428; C=0.2: 0.456) — the CV figure is therefore slightly optimistic.
    """

    def __init__(self, *, k: int = 3, n_candidates: int = 10, evidence_embeddings: bool = False,
                 classifier: str = "lr", C: float = 0.2,
                 use_embeddings: bool = True, embedding_interactions: bool = True, use_entities: bool = True,
                 text_tfidf: bool = True, diff_tfidf: bool = False, dense_weight: float = 1.0, min_df: int = 2,
                 class_weight: str | None = "balanced", relatedness: bool = True, two_stage: bool = True,
                 related_classifier: str = "gbm", seed: int = 42):
        super().__init__(col_a="claim", col_b="evidence", classifier=classifier, C=C,
                         use_embeddings=use_embeddings, embedding_interactions=embedding_interactions,
                         use_entities=use_entities,
                         text_tfidf=text_tfidf, diff_tfidf=diff_tfidf, dense_weight=dense_weight,
                         min_df=min_df, class_weight=class_weight, seed=seed)
        self.k = k
        self.n_candidates = n_candidates
        self.evidence_embeddings = evidence_embeddings
        self.relatedness = relatedness
        self.two_stage = two_stage
        self.related_classifier = related_classifier

    # BaseEstimator introspects __init__'s signature; col_a/col_b are fixed for this model
    @classmethod
    def _get_param_names(cls):
        return sorted(["k", "n_candidates", "evidence_embeddings", "classifier", "C", "use_embeddings", "embedding_interactions",
                       "use_entities", "text_tfidf", "diff_tfidf", "dense_weight", "min_df", "class_weight",
                       "relatedness", "two_stage", "related_classifier", "seed"])

    def _dense_columns(self) -> list[str]:
        cols = list(EvidenceSelector.SIM_COLUMNS)
        if self.relatedness:
            cols += list(RELATEDNESS_FEATURES)
        return cols

    def _extra_dense(self, X):
        cols = self._dense_columns()
        return X[cols].to_numpy(dtype=np.float64), [f"sim:{c}" for c in cols]

    def evidence(self, X) -> pd.DataFrame:
        """The evidence frame (claim, evidence, evidence_sentences, evidence_scores, sim_*, rel_*) for X."""
        check_is_fitted(self, "selector_")
        X = _as_frame(X, INPUT_COLUMNS["claim"])
        E = self.selector_.transform(X)
        if self.relatedness:
            idf = getattr(self, "idf_", None)
            R = relatedness_matrix(X["claim"], X["article"], idf=idf, entities=self.use_entities)
            for j, name in enumerate(RELATEDNESS_FEATURES):
                E[name] = R[:, j]
        return E

    def _make_related_classifier(self):
        if self.related_classifier == "gbm":  # FNC-1 baseline style: boosted trees on hand-made features
            from sklearn.ensemble import HistGradientBoostingClassifier

            return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, class_weight="balanced",
                                                  random_state=self.seed)
        if self.related_classifier == "lr":
            from sklearn.pipeline import make_pipeline

            return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced",
                                                                      max_iter=3000, random_state=self.seed))
        raise ValueError(f"related_classifier must be 'gbm' or 'lr', not {self.related_classifier!r}")

    def fit(self, X, y):
        X = _as_frame(X, INPUT_COLUMNS["claim"])
        y = np.asarray(y).astype(str)
        self.selector_ = EvidenceSelector(k=self.k, n_candidates=self.n_candidates,
                                          use_embeddings=self.use_embeddings and self.evidence_embeddings).fit(X)
        if self.relatedness:  # idf weights for the claim-coverage feature (vocabulary of the training pairs)
            vocab = self.selector_.tfidf_.vocabulary_
            idf = self.selector_.tfidf_.idf_
            self.idf_ = {t: float(idf[i]) for t, i in vocab.items()}
        E = self.evidence(X)
        if not self.two_stage or "unrelated" not in set(y) or set(y) == {"unrelated"}:
            self.related_clf_ = None
            return super().fit(E, y)
        # stage 1: related vs unrelated from similarity/relatedness features
        D = E[self._dense_columns()].to_numpy(dtype=np.float64)
        self.related_clf_ = self._make_related_classifier().fit(D, (y == "unrelated").astype(int))
        # stage 2: agree / disagree / discuss, trained on the related pairs only
        rel = y != "unrelated"
        super().fit(E.loc[rel].reset_index(drop=True), y[rel])
        self.stage2_classes_ = self.classes_
        self.classes_ = np.array(sorted(set(y)), dtype=object)
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "clf_")
        return self.predict_proba_evidence(self.evidence(X))

    def predict_proba_evidence(self, E: pd.DataFrame):
        """Probabilities from an evidence frame already computed by :meth:`evidence`.

        Two-stage models: P(unrelated) from stage 1, the related mass split by stage 2's probabilities.
        """
        if getattr(self, "related_clf_", None) is None:
            return self.clf_.predict_proba(self._features(E, fit=False))
        D = E[self._dense_columns()].to_numpy(dtype=np.float64)
        p_unrel = self.related_clf_.predict_proba(D)[:, 1]
        p2 = self.clf_.predict_proba(self._features(E, fit=False))
        out = np.zeros((len(E), len(self.classes_)))
        cols = np.searchsorted(self.classes_, self.stage2_classes_)
        out[:, cols] = p2 * (1.0 - p_unrel)[:, None]
        out[:, int(np.searchsorted(self.classes_, "unrelated"))] = p_unrel
        return out


# --------------------------------------------------------------------------------------------------
MODEL_CLASSES = {"target": TargetStanceModel, "pair": PairStanceModel, "claim": ClaimStanceModel}


def build_model(task: str, **params):
    """A fresh, unfitted model for *task* (``target``, ``pair``, ``claim``)."""
    if task not in MODEL_CLASSES:
        raise ValueError(f"unknown stance task {task!r}; choose one of {', '.join(MODEL_CLASSES)}")
    return MODEL_CLASSES[task](**params)


def model_inputs(task: str, df: pd.DataFrame) -> pd.DataFrame:
    """The columns of *df* a model of *task* reads."""
    return df[list(INPUT_COLUMNS[task])]


def training_inputs(task: str, df: pd.DataFrame) -> pd.DataFrame:
    """The columns of *df* a model of *task* reads when fitting: its inputs plus the auxiliary label columns
    present in *df* (``AUX_LABEL_COLUMNS``, e.g. Mawqif's ``sentiment`` for the target model's stacking)."""
    aux = [c for c in AUX_LABEL_COLUMNS.get(task, ()) if c in df.columns]
    return df[list(INPUT_COLUMNS[task]) + aux]


#: the ``kind`` of stance model files (see :mod:`arabic_news.model_files`)
MODEL_KIND = "stance"
#: file name suffix of stance model files (a zip archive of JSON and NumPy arrays)
MODEL_SUFFIX = ".model.zip"


def model_file_types() -> list:
    """Every class a saved stance model may hold: reading a model file rebuilds these and nothing else."""
    from sklearn._loss._loss import CyHalfBinomialLoss
    from sklearn._loss.link import Interval, LogitLink
    from sklearn._loss.loss import HalfBinomialLoss
    from sklearn.calibration import _CalibratedClassifier, _SigmoidCalibration
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import LabelEncoder

    return [TargetStanceModel, PairStanceModel, ClaimStanceModel, NBLogisticClassifier, PairFeatures,
            EvidenceSelector,
            TfidfVectorizer, TfidfTransformer, LogisticRegression, LinearSVC, CalibratedClassifierCV,
            _CalibratedClassifier, _SigmoidCalibration, StandardScaler, Pipeline, LabelEncoder,
            HistGradientBoostingClassifier, _BinMapper, TreePredictor, HalfBinomialLoss, CyHalfBinomialLoss,
            LogitLink, Interval]


def default_model_path(task: str) -> Path:
    """Where the benchmark saves the full model of *task*: ``config.MODELS_DIR / 'stance_<task>.model.zip'``."""
    from arabic_news import config

    return Path(config.MODELS_DIR) / f"stance_{task}{MODEL_SUFFIX}"


def retrain_hint(task: str | None) -> str:
    """What to do about an unusable model file of *task*."""
    task_arg = task or "target|pair|claim"
    return f"retrain it with `arabic-news stance train --task {task_arg} --data FILE --out MODEL{MODEL_SUFFIX}`"


def save_model(model, path: str | Path, *, task: str, meta: dict | None = None) -> Path:
    """Write *model* with its task, label set and metadata (training file, seed, sizes) to a model file (a zip
    archive of JSON and NumPy arrays, :mod:`arabic_news.model_files`; conventionally ``*.model.zip``)."""
    from arabic_news.model_files import write_model_file

    if task not in MODEL_CLASSES or not isinstance(model, MODEL_CLASSES[task]):
        raise TypeError(f"a {type(model).__name__} is not a {task} stance model")
    info = {"task": task, "labels": list(LABELS[task]), **dict(meta or {})}
    return write_model_file(path, model, kind=MODEL_KIND, allowed=model_file_types(), meta=info)


def load_model(path: str | Path, *, task: str | None = None):
    """Load a model saved by :func:`save_model`; returns ``(model, payload)`` with ``payload`` holding
    ``task``, ``labels``, ``meta`` (the training facts) and ``manifest``.

    Nothing in the file is executed: see :mod:`arabic_news.model_files`. A file that is not a stance model of
    *task* (a pickle from an earlier version, another kind of model, a damaged archive) raises
    :class:`ModelFileError` with one line naming the file and the fix.
    """
    from arabic_news.model_files import read_model_file

    path = Path(path)
    fix = retrain_hint(task)
    model, manifest, _ = read_model_file(path, kind=MODEL_KIND, allowed=model_file_types(), fix=fix)
    meta = dict(manifest.get("meta") or {})
    saved_task = meta.pop("task", None)
    labels = meta.pop("labels", None)
    if saved_task not in MODEL_CLASSES or not isinstance(model, MODEL_CLASSES[saved_task]):
        raise ModelFileError(f"{path} is not a usable arabic-news stance model: the file holds a "
                             f"{type(model).__name__} for task {saved_task!r}; {fix}")
    if task is not None and saved_task != task:
        raise ModelFileError(f"{path}: model was trained for --task {saved_task}, not --task {task}; pass "
                             f"--task {saved_task} or a model trained for --task {task}")
    return model, {"format": manifest.get("format"), "task": saved_task, "labels": labels, "meta": meta,
                   "manifest": manifest}


#: the training data of each task's full model: (dataset name, file inside the dataset)
TRAINING_FILES = {"target": ("mawqif", "Mawqif_AllTargets_Train.csv"), "pair": ("ans_stance", "stance/train.csv"),
                  "claim": ("unifiedfc_stance", "unifiedfc_pairs.jsonl.gz")}

#: parameters of each task's full model beyond the class defaults (the benchmark's final models use the defaults)
FULL_MODEL_PARAMS: dict[str, dict] = {"target": {}, "pair": {}, "claim": {}}

#: CPU-seconds per training row of the full model (default parameters, USE embeddings computed cold), measured on
#: the 2-core development machine: claim 89.5 CPU-s for Baly et al.'s 3,042 pairs (2026-12-06, `/usr/bin/time`,
#: 13.5 min wall at load average 12-17); target and pair from the fit times of bench_stance.py's 2026-12-02 run
#: (32.6 s for 2,801 Mawqif rows, 11.5 s for 2,652 ANS pairs). The basis of the estimate logged before training.
SECONDS_PER_TRAINING_ROW = {"claim": 0.030, "target": 0.012, "pair": 0.0045}


def training_estimate(task: str, n_rows: int, *, load: float | None = None, cpus: int | None = None) -> float:
    """Approximate wall-clock seconds to train the full *task* model on *n_rows* rows: the measured CPU time per
    row, stretched by the machine's load (1-minute load average *load* plus this job, shared by *cpus* cores; by
    default the current ones). An approximation: a warm embedding cache makes it shorter."""
    import os

    if load is None:
        try:
            load = os.getloadavg()[0]
        except OSError:  # pragma: no cover - platforms without a load average
            load = 0.0
    cpus = cpus or os.cpu_count() or 1
    return float(n_rows) * SECONDS_PER_TRAINING_ROW[task] * max(1.0, (load + 1.0) / cpus)


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def train_full_model(task: str, *, seed: int = 42, path: str | Path | None = None, progress: bool | None = None):
    """Train the full *task* model (default parameters) on ALL of the task's training data, save it to *path*
    (default :func:`default_model_path`) and return ``(model, origin)``.

    Logs an estimate of the training time before it starts (:data:`SECONDS_PER_TRAINING_ROW` times the number
    of rows) and shows a progress bar over the stages (read the data, fit, save); *progress* as tqdm's
    ``disable=not progress`` (None: only on a terminal or in a notebook).
    """
    import time

    from tqdm.auto import tqdm

    from arabic_news.corpus import dataset_path
    from arabic_news.stance.data import read_task_data

    if task not in MODEL_CLASSES:
        raise ValueError(f"unknown stance task {task!r}; choose one of {', '.join(MODEL_CLASSES)}")
    path = Path(path) if path is not None else default_model_path(task)
    name, rel = TRAINING_FILES[task]
    data = dataset_path(name) / rel
    disable = None if progress is None else not progress
    with tqdm(total=3, desc=f"{task} stance model", unit="stage", disable=disable) as bar:
        bar.set_postfix_str("reading the training data")
        df = read_task_data(task, data)
        bar.update()
        estimate = training_estimate(task, len(df))
        logger.warning("training the full %s stance model on all %d rows of %s, once (saved to %s and reused by "
                       "every later run): about %s here (%.3f CPU-s per training row as measured, stretched by the "
                       "machine's current load; an approximation)", task, len(df), data.name, path,
                       _minutes(estimate), SECONDS_PER_TRAINING_ROW[task])
        bar.set_postfix_str(f"fitting on {len(df):,} rows (about {_minutes(estimate)})")
        t0 = time.perf_counter()
        model = build_model(task, **{**FULL_MODEL_PARAMS[task], "seed": seed})
        model.fit(training_inputs(task, df), df["stance"].to_numpy())
        fit_s = time.perf_counter() - t0
        bar.update()
        bar.set_postfix_str("saving")
        save_model(model, path, task=task, meta={"data": str(data), "n_train": len(df), "seed": seed,
                                                  "fit_s": round(fit_s, 2), "estimate_s": round(estimate, 1)})
        bar.update()
    logger.info("trained the full %s stance model in %.0f s (estimate %.0f s); saved to %s", task, fit_s,
                estimate, path)
    return model, (f"full model trained now on all {len(df):,} rows in {_minutes(fit_s)} (estimated "
                   f"{_minutes(estimate)}), saved to {path.name} and reused from now on")


def get_or_train_model(task: str, *, seed: int = 42, progress: bool | None = None):
    """``(model, origin)``: the full model of *task* saved in ``config.MODELS_DIR/stance_<task>.model.zip`` (by
    ``benchmarks/bench_stance.py`` or an earlier run), else the full model trained now on all of the task's
    training data (:func:`train_full_model`), saved there and reused by every later run. Never a capped model.
    """
    full = default_model_path(task)
    legacy = full.with_name(f"stance_{task}.pkl")
    if legacy.is_file() and not full.is_file():
        logger.warning("%s is a pickle from an earlier version and is not loaded (pickles can run code); the "
                       "model is retrained as %s", legacy, full.name)
    if full.is_file():
        model, payload = load_model(full, task=task)
        if payload["meta"].get("capped"):
            raise ModelFileError(f"{full} holds a capped model ({payload['meta'].get('n_train')} rows), not the full "
                                 f"one; delete it and rerun to train the full model")
        n = payload["meta"].get("n_train", "?")
        rows = f"{n:,}" if isinstance(n, int) else str(n)
        return model, f"saved full model {full.name} (trained on {rows} rows)"
    return train_full_model(task, seed=seed, path=full, progress=progress)
