"""``ArabicPreprocessor``: the whole text pipeline as one scikit-learn transformer.

texts -> normalise (camel-tools) -> tokenise (``simple_word_tokenize``-identical) -> drop punctuation, symbols,
tokens with digits (unless ``keep_digits``) and stop words -> stem or lemmatise (``stemmer`` backend) ->
drop outputs shorter than ``min_token_len`` -> token lists (``output='tokens'``) or space-joined strings
(``output='string'``, ready for ``TfidfVectorizer(token_pattern=r"\\S+")``).

Speed on big corpora: every distinct word type is analysed once (types are collected per batch and sent to the
backend together, in ``n_jobs`` processes for the slow backends), and the tokenisation of documents runs in
``n_jobs`` processes too. Stop words are matched on the normalised surface form, before stemming, because the
``Arabic-Stopwords`` list carries clitic-attached forms (وفي، لهم).

The ``lemma`` and ``camel`` backends see the tokens with their original letters (only Unicode, diacritics and
tatweel normalised) because qalsadi's dictionary and camel-tools' MLE model are keyed on them; their output,
like everything else here, is fully normalised.
"""
from __future__ import annotations

import logging
import math
import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from arabic_news.text.analyzers import ANALYZERS, BaseAnalyzer, CamelAnalyzer, get_analyzer
from arabic_news.text.normalize import normalize_text
from arabic_news.text.stopwords import stopwords
from arabic_news.text.tokenize import EMIT_CHARS, tokenize_fast

logger = logging.getLogger(__name__)

__all__ = ["ArabicPreprocessor"]

_OUTPUTS = ("tokens", "string")
_LETTER_MAP = str.maketrans({"\u0625": "\u0627", "\u0623": "\u0627", "\u0671": "\u0627", "\u0622": "\u0627",
                             "\u0649": "\u064a", "\u0629": "\u0647"})
_MIN_PARALLEL_DOCS = 2000
_MIN_PARALLEL_TYPES = 2000


def _letter_normalize(token: str) -> str:
    """The letter maps of normalize_text (alef, alef maksura, teh marbuta) on an already cleaned token."""
    return token.translate(_LETTER_MAP)


def _has_digit(token: str) -> bool:
    return any(c.isdigit() for c in token)


# ------------------------------------------------------------------ worker-side functions (module level: picklable)
def _tokenize_docs(args: tuple[list, bool, bool]) -> list[list[str]]:
    texts, normalize, letters = args
    out = []
    for text in texts:
        if not isinstance(text, str):  # None / NaN (missing values of a DataFrame column) -> empty document
            text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
        if normalize:
            text = normalize_text(text, alef=not letters, alef_maksura=not letters, teh_marbuta=not letters)
        out.append(tokenize_fast(text))
    return out


def _tokenize_docs_joined(args: tuple[list, bool, bool]) -> list[str]:
    """Worker side: the tokens of each text joined by spaces (tokens never contain whitespace). One string per
    text pickles several times faster than a list of token strings."""
    return [" ".join(doc) for doc in _tokenize_docs(args)]


def _analyze_chunk(args: tuple[str, dict, list[str]]) -> dict[str, str]:
    name, params, words = args
    return get_analyzer(name, **params).analyze_types(words)


def _pool(n_jobs: int):
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
    return ctx.Pool(n_jobs)


class ArabicPreprocessor(TransformerMixin, BaseEstimator):
    """Arabic texts -> lists of normalised (stemmed / lemmatised) tokens, or space-joined strings.

    Parameters
    ----------
    normalize : bool, default True
        camel-tools normalisation (Unicode, diacritics, tatweel, alef, alef maksura, teh marbuta).
    stemmer : {'none', 'light', 'lemma', 'camel'}, default 'none'
        Backend of :func:`arabic_news.text.get_analyzer`. 'light' also learns corpus type counts in ``fit``
        so that bare proclitics (و ف ب ل ك) are stripped only when the remainder is a frequent word.
    remove_stopwords : bool, default True
        Drop the (normalised) stop words of the ``Arabic-Stopwords`` package, clitic forms included.
    min_token_len : int, default 2
        Drop output tokens shorter than this many characters.
    keep_digits : bool, default False
        Keep tokens that contain digits (2015, A380, ٢٠١٥).
    output : {'tokens', 'string'}, default 'tokens'
        A list of tokens per text, or one space-joined string per text.
    n_jobs : int, default 1
        Processes for tokenising large batches and for analysing many new types with a slow backend
        (-1: all usable CPUs).
    camel_db : str or None, default None
        camel-tools morphology database name for ``stemmer='camel'`` (None: the catalogue default).
    cache_dir : str or None, default None
        For ``stemmer='lemma'`` or ``'camel'``: a folder for a persistent SQLite cache of analyses, so that a
        later run (another notebook, another corpus) analyses only word types it has not seen
        (e.g. ``arabic_news.config.CACHE_DIR / "analyses"``).

    Attributes
    ----------
    n_documents_ : int — texts seen in ``fit``.
    n_types_ : int — distinct (normalised) word types seen in ``fit``.
    analysis_ : dict — type -> output token for every type seen in ``fit`` (``None`` for dropped types);
        ``transform`` reuses it and analyses only new types.
    type_counts_ : dict or None — normalised type frequencies (only for ``stemmer='light'``).
    """

    def __init__(self, *, normalize: bool = True, stemmer: str = "none", remove_stopwords: bool = True,
                 min_token_len: int = 2, keep_digits: bool = False, output: str = "tokens", n_jobs: int = 1,
                 camel_db: str | None = None, cache_dir: str | None = None):
        self.normalize = normalize
        self.stemmer = stemmer
        self.remove_stopwords = remove_stopwords
        self.min_token_len = min_token_len
        self.keep_digits = keep_digits
        self.output = output
        self.n_jobs = n_jobs
        self.camel_db = camel_db
        self.cache_dir = cache_dir

    # ---------------------------------------------------------------------------------------------- helpers
    def _validate(self) -> None:
        if self.stemmer not in ANALYZERS:
            raise ValueError(f"stemmer={self.stemmer!r} is not one of {', '.join(map(repr, ANALYZERS))}")
        if self.output not in _OUTPUTS:
            raise ValueError(f"output={self.output!r} is not one of {', '.join(map(repr, _OUTPUTS))}")
        if not isinstance(self.min_token_len, (int, np.integer)) or self.min_token_len < 0:
            raise ValueError(f"min_token_len must be a non-negative int, got {self.min_token_len!r}")

    def _jobs(self) -> int:
        n = self.n_jobs if self.n_jobs is not None else 1
        if n < 0:
            n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        return max(1, int(n))

    def _letters(self) -> bool:
        """Whether tokens keep their original letters for the backend (lemma / camel)."""
        return self.normalize and ANALYZERS[self.stemmer].needs_letters

    def _analyzer_params(self, type_counts: dict | None) -> dict:
        if self.stemmer == "light":
            return {"word_counts": type_counts}
        if self.stemmer == "camel":
            return {"db_name": self.camel_db, "cache_dir": self.cache_dir}
        if self.stemmer == "lemma":
            return {"cache_dir": self.cache_dir}
        return {}

    def _tokenize_all(self, texts: list) -> list[list[str]]:
        letters = self._letters()
        jobs = self._jobs()
        if jobs == 1 or len(texts) < _MIN_PARALLEL_DOCS:
            return _tokenize_docs((texts, self.normalize, letters))
        size = max(200, len(texts) // (jobs * 8) + 1)
        chunks = [(texts[i:i + size], self.normalize, letters) for i in range(0, len(texts), size)]
        with _pool(jobs) as pool:
            parts = pool.map(_tokenize_docs_joined, chunks)
        return [joined.split(" ") if joined else [] for part in parts for joined in part]

    def _keep_surface(self, token: str, norm: str, stop: frozenset[str]) -> bool:
        if len(token) == 1 and token in EMIT_CHARS:
            return False
        if not self.keep_digits and _has_digit(token):
            return False
        if stop and norm in stop:
            return False
        return True

    def _analyze_types(self, types: list[str], analyzer: BaseAnalyzer) -> dict[str, str | None]:
        """type -> output token (None when dropped) for *types*, each analysed once."""
        stop = stopwords() if self.remove_stopwords else frozenset()
        letters = self._letters()
        result: dict[str, str | None] = {}
        kept: list[str] = []
        surface: dict[str, str] = {}
        for t in types:
            if self.normalize:
                norm = _letter_normalize(t) if letters else t
            else:
                norm = normalize_text(t)
            if self._keep_surface(t, norm, stop):
                kept.append(t)
                surface[t] = norm if self.normalize else t
            else:
                result[t] = None
        if self.stemmer == "none":
            analysed = surface
        else:
            jobs = self._jobs()
            analysed = analyzer.cached(kept)  # memory + persistent cache: never analysed twice
            todo = [t for t in kept if t not in analysed]
            if jobs > 1 and self.stemmer in ("lemma", "camel") and len(todo) >= _MIN_PARALLEL_TYPES:
                if isinstance(analyzer, CamelAnalyzer):
                    analyzer._ensure()  # fail early, in this process, when camel-tools data is missing
                size = len(todo) // (jobs * 4) + 1
                params = {k: v for k, v in analyzer.params.items() if k != "cache_dir"}
                chunks = [(self.stemmer, params, todo[i:i + size]) for i in range(0, len(todo), size)]
                new: dict[str, str] = {}
                with _pool(jobs) as pool:
                    for part in pool.imap_unordered(_analyze_chunk, chunks):
                        new.update(part)
                analyzer.remember(new)
                analysed.update(new)
            elif todo:
                analysed.update(analyzer.analyze_types(todo))
        for t in kept:
            out = analysed[t]
            result[t] = out if out and len(out) >= self.min_token_len else None
        return result

    def _fit_docs(self, texts: list) -> list[list[str]]:
        self._validate()
        docs = self._tokenize_all(texts)
        counts: Counter = Counter()
        for doc in docs:
            counts.update(doc)
        type_counts = None
        if self.stemmer == "light":  # keyed by the fully normalised spelling
            letters = self._letters()
            if self.normalize and not letters:
                type_counts = dict(counts)
            else:
                merged: Counter = Counter()
                for t, n in counts.items():
                    merged[_letter_normalize(t) if self.normalize else normalize_text(t)] += n
                type_counts = dict(merged)
        analyzer = get_analyzer(self.stemmer, **self._analyzer_params(type_counts))
        self.type_counts_ = type_counts
        self.analysis_ = self._analyze_types(list(counts), analyzer)
        self.n_documents_ = len(texts)
        self.n_types_ = len(counts)
        return docs

    def _emit(self, docs: list[list[str]], table: dict) -> list:
        out = []
        for doc in docs:
            toks = [table[t] for t in doc]
            toks = [t for t in toks if t is not None]
            out.append(" ".join(toks) if self.output == "string" else toks)
        return out

    # ---------------------------------------------------------------------------------------------- sklearn API
    def fit(self, X: Iterable[str], y=None):
        """Tokenise *X*, analyse each distinct type once and keep the type -> output table."""
        self._fit_docs(list(X))
        return self

    def transform(self, X: Iterable[str]):
        """Token lists (``output='tokens'``) or space-joined strings (``output='string'``) for *X*."""
        check_is_fitted(self, "analysis_")
        self._validate()
        docs = self._tokenize_all(list(X))
        table = self.analysis_
        new = [t for t in dict.fromkeys(t for doc in docs for t in doc) if t not in table]
        if new:
            analyzer = get_analyzer(self.stemmer, **self._analyzer_params(self.type_counts_))
            table = {**table, **self._analyze_types(new, analyzer)}
        return self._emit(docs, table)

    def fit_transform(self, X: Iterable[str], y=None, **fit_params):
        """``fit(X).transform(X)`` without tokenising twice."""
        docs = self._fit_docs(list(X))
        return self._emit(docs, self.analysis_)

    def get_feature_names_out(self, input_features=None):
        """One output column: the processed text (``'tokens'`` or ``'string'``)."""
        check_is_fitted(self, "analysis_")
        return np.asarray([self.output], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        if tags.transformer_tags is not None:
            tags.transformer_tags.preserves_dtype = []
        tags.requires_fit = True
        return tags
