"""Pluggable stemming / lemmatisation backends behind one interface.

``get_analyzer(name, **params)`` returns an object with ``analyze(word) -> str`` (one word type in, its
normalised stem or lemma out) and ``analyze_types(words) -> dict`` (each distinct type analysed once). Every
backend caches per type, so a corpus costs one analysis per distinct word, not per occurrence.

=========  ==========================================================================================
name       backend
=========  ==========================================================================================
``none``   identity (the normalised surface form)
``light``  our clitic-aware light stemmer (:func:`arabic_news.text.stemming.light_stem`);
           ``word_counts=`` (corpus type frequencies) lets it strip bare و ف ب ل ك safely. Fast (pure
           string rules: tens of thousands of types per second).
``lemma``  qalsadi's offline lemmatiser (PyPI ``qalsadi``, dictionary from ``arramooz``). qalsadi's own
           ``lemmatize`` picks the lemma that occurs in most analyses, which gives زير for وزير and تب for
           كتب; we rank the lemmas of ``Analex.check_word`` by the longest stem (fewest letters read as
           affixes, one letter of credit for a lemma attested in ``arramooz``'s frequencies), then
           frequency, then number of analyses: وزير -> وزير, كتب -> كتب, أهمية -> أهمية, لليمن -> يمن.
           Unknown words (names) stay as they are. Known weak spots: السعودي -> سعد, الرياض -> الرياض.
           Slow: a few ms per type (170 types/s with 2 processes on a loaded 2-core machine), hence
           ``cache_dir=`` (a persistent SQLite cache of analyses) and ``ArabicPreprocessor(n_jobs=...)``.
``camel``  camel-tools morphology: ``MorphologyDB`` + ``Analyzer`` (backoff ``NOAN_PROP``) +
           ``MLEDisambiguator`` (its word-level MLE model when installed, else camel-tools' pos-lex
           log-probability ranking). Needs camel-tools' data (see :mod:`arabic_news.text.camel_data`);
           the output feature is ``lex`` (lemma) by default, or e.g. ``stem``.
=========  ==========================================================================================

``needs_letters``: the ``light``, ``lemma`` and ``camel`` backends must see the original letters (أ/إ/آ, ى, ة):
the light stemmer keeps ة but strips the pronoun ه, qalsadi does not know المملكه, and camel-tools' MLE model is
keyed by the original spelling. Feed them tokens
normalised WITHOUT the letter maps (``normalize_text(t, alef=False, alef_maksura=False, teh_marbuta=False)``);
``ArabicPreprocessor`` does this. Every backend returns fully normalised output.

Analyzers are picklable: only their parameters are pickled; heavy resources are rebuilt on first use.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from arabic_news.text.clitics import is_arabic_word
from arabic_news.text.normalize import normalize_text
from arabic_news.text.stemming import light_stem

logger = logging.getLogger(__name__)

__all__ = ["BaseAnalyzer", "IdentityAnalyzer", "LightStemAnalyzer", "QalsadiLemmaAnalyzer", "CamelAnalyzer",
           "get_analyzer", "available_analyzers", "ANALYZERS"]


class BaseAnalyzer:
    """Interface: ``analyze(word) -> str`` with a per-type cache, ``analyze_types(words) -> dict``.

    Backends with ``persistent = True`` accept ``cache_dir=``: ``analyze_types`` then also reads and writes a
    SQLite table of analyses there (:mod:`arabic_news.text.analysis_cache`), shared across runs.
    """

    name = "base"
    needs_letters = False
    persistent = False

    def __init__(self, *, cache_dir=None, **params):
        self.params = dict(params)
        if cache_dir is not None:
            self.params["cache_dir"] = str(cache_dir)
        self.cache_dir = cache_dir
        self._cache: dict[str, str] = {}
        self._store = None

    # -- to implement
    def _analyze(self, word: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def signature(self) -> dict:
        """What the analyses depend on (backend parameters and resource versions), for the disk cache."""
        return {k: v for k, v in self.params.items() if k != "cache_dir"}

    # -- caches
    def _disk(self):
        if self.cache_dir is None or not self.persistent:
            return None
        if self._store is None:
            from arabic_news.text.analysis_cache import AnalysisCache, cache_file

            self._store = AnalysisCache(cache_file(self.cache_dir, self.name, self.signature()))
        return self._store

    def cached(self, words: Iterable[str]) -> dict[str, str]:
        """The analyses of *words* already known (memory, then the disk cache); nothing is computed."""
        words = list(dict.fromkeys(words))
        out = {w: self._cache[w] for w in words if w in self._cache}
        store = self._disk()
        if store is not None and len(out) < len(words):
            found = store.get_many([w for w in words if w not in out])
            self._cache.update(found)
            out.update(found)
        return out

    def remember(self, analyses: Mapping[str, str]) -> None:
        """Add analyses computed elsewhere (e.g. in worker processes) to the memory and disk caches."""
        self._cache.update(analyses)
        store = self._disk()
        if store is not None:
            store.put_many(analyses)

    # -- public
    def analyze(self, word: str) -> str:
        """The normalised stem/lemma of *word* (cached per type in memory)."""
        try:
            return self._cache[word]
        except KeyError:
            out = self._analyze(word)
            self._cache[word] = out
            return out

    __call__ = analyze

    def analyze_types(self, words: Iterable[str]) -> dict[str, str]:
        """``{type: analysis}`` for the distinct types in *words*, each analysed once (and at most once ever
        per cache directory for the persistent backends)."""
        words = list(dict.fromkeys(words))
        known = self.cached(words)
        new = {w: self._analyze(w) for w in words if w not in known}
        if new:
            self.remember(new)
            known.update(new)
        return {w: known[w] for w in words}

    @property
    def cache_size(self) -> int:
        return len(self._cache)

    def __getstate__(self):
        return {"params": self.params}

    def __setstate__(self, state):
        self.__init__(**state["params"])

    def __repr__(self) -> str:
        shown = {k: (f"<{len(v)} items>" if isinstance(v, Mapping) else v) for k, v in self.params.items()}
        args = ", ".join(f"{k}={v!r}" for k, v in shown.items())
        return f"{type(self).__name__}({args})"


class IdentityAnalyzer(BaseAnalyzer):
    """``none``: the normalised surface form."""

    name = "none"

    def _analyze(self, word: str) -> str:
        return normalize_text(word)


class LightStemAnalyzer(BaseAnalyzer):
    """``light``: our clitic-aware light stemmer; optional ``word_counts`` (normalised type -> count)."""

    name = "light"
    needs_letters = True  # to tell the feminine ة from the pronoun ه

    def __init__(self, *, word_counts: Mapping[str, int] | None = None):
        super().__init__(word_counts=word_counts)
        self.word_counts = word_counts

    def _analyze(self, word: str) -> str:
        return light_stem(normalize_text(word, teh_marbuta=False), word_counts=self.word_counts, marbuta=True)


class QalsadiLemmaAnalyzer(BaseAnalyzer):
    """``lemma``: qalsadi's analyses, lemma ranked by stem length and arramooz frequency (module docstring)."""

    name = "lemma"
    needs_letters = True
    persistent = True

    def __init__(self, *, cache_dir=None):
        super().__init__(cache_dir=cache_dir)
        self._analex = None

    def signature(self) -> dict:
        import qalsadi

        try:
            from importlib.metadata import version

            arramooz = version("arramooz-pysqlite")
        except Exception:  # pragma: no cover - metadata missing
            arramooz = "?"
        return {"qalsadi": getattr(qalsadi, "__version__", "?"), "arramooz": arramooz, "ranking": 2}

    def _ensure(self):
        if self._analex is None:
            import qalsadi.analex

            self._analex = qalsadi.analex.Analex()
        return self._analex

    def candidates(self, word: str) -> list[tuple[str, int, int, int]]:
        """``(lemma, longest stem, best arramooz frequency, number of analyses)`` for *word*, best first.

        Ranking key: stem length + 1 if the lemma has a non-zero arramooz frequency (the analysis that reads the
        fewest letters as affixes, with one letter of credit for an attested lemma), then frequency, then the
        number of analyses: وزير -> وزير (not زار), لليمن -> يمن (not ليمن), أهمية -> أهمية (not همة),
        العراقية -> عراق (not عرقان).
        """
        scores: dict[str, list[int]] = {}
        for analysis in self._ensure().check_word(word):
            lemma = getattr(analysis, "lemma", "") or ""
            if not lemma:
                continue
            try:
                freq = int(getattr(analysis, "freq", 0) or 0)
            except (TypeError, ValueError):
                freq = 0
            stem_len = len(getattr(analysis, "stem", "") or "")
            s = scores.setdefault(lemma, [0, 0, 0])
            s[0] = max(s[0], stem_len)
            s[1] = max(s[1], freq)
            s[2] += 1
        ranked = sorted(scores.items(),
                        key=lambda kv: (-(kv[1][0] + (kv[1][1] > 0)), -kv[1][1], -kv[1][2], kv[0]))
        return [(lemma, n_stem, f, n) for lemma, (n_stem, f, n) in ranked]

    def _analyze(self, word: str) -> str:
        if not is_arabic_word(word):
            return normalize_text(word)
        ranked = self.candidates(word)
        if not ranked:
            return normalize_text(word)
        return normalize_text(ranked[0][0])


class CamelAnalyzer(BaseAnalyzer):
    """``camel``: camel-tools morphology (needs its data; raises CamelDataNotFound with the fix otherwise)."""

    name = "camel"
    needs_letters = True
    persistent = True

    def __init__(self, *, db_name: str | None = None, feature: str = "lex", cache_dir=None):
        super().__init__(db_name=db_name, feature=feature, cache_dir=cache_dir)
        self.db_name = db_name
        self.feature = feature
        self._disambiguator = None
        self.data = None

    def _ensure(self):
        if self._disambiguator is None:
            from arabic_news.text.camel_data import find_camel_data

            data = find_camel_data(self.db_name)  # raises CamelDataNotFound before any camel_tools.data import
            # Safe now: camel_tools.data finds <data dir>/catalogue.json and does not try to download it.
            from camel_tools.disambig.mle import MLEDisambiguator
            from camel_tools.morphology.analyzer import Analyzer
            from camel_tools.morphology.database import MorphologyDB

            db = MorphologyDB(str(data.db_path), "a")
            analyzer = Analyzer(db, backoff="NOAN_PROP")
            self._disambiguator = MLEDisambiguator(
                analyzer, str(data.mle_path) if data.mle_path else None, top=1, cache_size=0)
            self.data = data
            logger.info("camel-tools morphology: db %s, MLE model %s", data.db_path, data.mle_path)
        return self._disambiguator

    def signature(self) -> dict:
        self._ensure()
        files = [p for p in (self.data.db_path, self.data.mle_path) if p is not None]
        return {"db_name": self.data.db_name, "feature": self.feature,
                "files": [(str(p), p.stat().st_size, int(p.stat().st_mtime)) for p in files]}

    def analysis(self, word: str) -> dict | None:
        """camel-tools' top-ranked analysis of *word* (a feature dict), or None."""
        scored = self._ensure().disambiguate([word])[0].analyses
        return scored[0].analysis if scored else None

    def _analyze(self, word: str) -> str:
        if not is_arabic_word(word):
            return normalize_text(word)
        best = self.analysis(word)
        if best is None:
            return normalize_text(word)
        value = best.get(self.feature) or word
        return normalize_text(value)


ANALYZERS: dict[str, type[BaseAnalyzer]] = {
    "none": IdentityAnalyzer,
    "light": LightStemAnalyzer,
    "lemma": QalsadiLemmaAnalyzer,
    "camel": CamelAnalyzer,
}


def get_analyzer(name: str, **params) -> BaseAnalyzer:
    """A new analyzer *name* ('none', 'light', 'lemma', 'camel') with backend *params*.

    'lemma' and 'camel' accept ``cache_dir=`` (persistent SQLite cache of analyses, reused across runs);
    'light' accepts ``word_counts=``; 'camel' ``db_name=`` and ``feature=``.

    >>> get_analyzer("light").analyze("والوزراء")
    'وزراء'
    """
    try:
        cls = ANALYZERS[name]
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; choose one of {', '.join(ANALYZERS)}") from None
    return cls(**params)


def available_analyzers() -> dict[str, bool]:
    """Which backends can run here (``camel`` needs camel-tools' data installed)."""
    from arabic_news.text.camel_data import camel_data_available

    out = {name: True for name in ANALYZERS}
    try:
        import qalsadi  # noqa: F401
    except ImportError:
        out["lemma"] = False
    out["camel"] = camel_data_available()
    return out
