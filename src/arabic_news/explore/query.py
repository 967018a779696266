"""Queries: words, glob patterns, multi-word phrases and actor ids, matched on the token index.

A query is normalised and tokenised like the text (so أ/إ/آ, ى, ة, diacritics and tatweel do not matter) and
matched in one of three modes:

``exact``
    the token's normalised form equals the query word.
``clitics`` (default)
    a token matches when one of its readings with a proclitic chain removed (و ف ب ك ل, the article ال, the
    contraction لل, and their combinations, as :data:`arabic_news.text.clitics.PROCLITICS` lists them) equals
    the query word with only its article removed. Letters that may belong to the word stay: وزير finds
    الوزير, للوزير, ووزير, بالوزير, never زير; العراق finds عراق, والعراق, بالعراق, للعراق, وللعراق. A query word
    that is not an Arabic word (digits, Latin) is matched exactly.
``stem``
    the token's light stem equals the query word's light stem (with the corpus' counts, as in the index).

A word holding ``*`` (any letters) or ``?`` (one letter) is a glob pattern, matched in the same mode against
the forms (``exact``), the readings (``clitics``: ``عراق*`` finds العراقي, والعراقيين, بالعراق) or the stems
(``stem``). In a multi-word query the words must be consecutive tokens on one line of the article; proclitics
are allowed on the first word only (``حلف شمال الأطلسي`` also finds ``لحلف شمال الأطلسي``), the other words
match their form exactly (or their stem in ``stem`` mode).

``actor:ID`` (``actor:Q796``) concords the mentions the actor matcher finds for that gazetteer id (see
:mod:`arabic_news.explore.actors`).

Every lookup runs on the vocabulary first (a few hundred thousand strings at most), then one vectorised pass
over the integer token columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from arabic_news.explore.index import ExploreError, Hits, TokenIndex  # noqa: F401  (Hits: re-exported)

__all__ = ["MODES", "Query", "parse_query", "match_query", "Hits"]

MODES = ("clitics", "exact", "stem")
_GLOB_CHARS = ("*", "?")
_ACTOR_PREFIX = "actor:"


@dataclass(frozen=True)
class QueryWord:
    text: str          # normalised word (with ة for the stem lookup in `mtext`)
    mtext: str         # normalised, teh marbuta kept
    glob: bool


@dataclass(frozen=True)
class Query:
    """A parsed query: the normalised words (or an actor id) and the matching mode."""

    raw: str
    mode: str
    words: tuple[QueryWord, ...] = ()
    actor: str | None = None

    @property
    def label(self) -> str:
        return f"actor:{self.actor}" if self.actor else " ".join(w.text for w in self.words)


def _norm(text: str, *, marbuta: bool) -> str:
    from arabic_news.text.normalize import normalize_text

    return normalize_text(text, teh_marbuta=not marbuta)


def parse_query(query: str, match: str = "clitics", *, allow_stopwords: bool = False) -> Query:
    """Parse and validate a query (raises :class:`ExploreError` with the fix)."""
    if match not in MODES:
        raise ExploreError(f"unknown match mode {match!r}; use one of {', '.join(MODES)}")
    raw = "" if query is None else str(query)
    text = raw.strip()
    if not text:
        raise ExploreError("empty query; give a word, a phrase, a glob pattern (عراق*) or actor:ID")
    if text.lower().startswith(_ACTOR_PREFIX):
        actor = text[len(_ACTOR_PREFIX):].strip()
        if not actor:
            raise ExploreError("actor query without an id; write actor:ID with an id of the gazetteer (e.g. actor:Q796)")
        return Query(raw=raw, mode=match, actor=actor)
    from arabic_news.text.tokenize import tokenize_fast

    words: list[QueryWord] = []
    for piece in text.split():
        if any(c in piece for c in _GLOB_CHARS):
            pattern_m = _norm(piece, marbuta=True)
            words.append(QueryWord(pattern_m.replace("\u0629", "\u0647"), pattern_m, True))
            continue
        for tok in tokenize_fast(_norm(piece, marbuta=True)):
            words.append(QueryWord(tok.replace("\u0629", "\u0647"), tok, False))
    if not words:
        raise ExploreError(f"query {raw!r} holds no word after normalisation; give a word or a phrase")
    if not allow_stopwords:
        from arabic_news.text.stopwords import stopwords

        stop = stopwords()
        if all(not w.glob and (w.text in stop or not any(c.isalnum() for c in w.text)) for w in words):
            raise ExploreError(f"query {raw!r} is only stop words or punctuation; add a content word "
                               f"(or pass allow_stopwords=True)")
    if any(w.glob and not w.text.strip("*?") for w in words):
        raise ExploreError(f"query {raw!r}: a glob pattern needs at least one letter besides * and ?")
    return Query(raw=raw, mode=match, words=tuple(words))


# ------------------------------------------------------------------------------------------------ vocabulary
def _glob_regex(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


def _strip_article(word: str) -> str:
    """The query word with only its article removed (protected words such as الله keep it)."""
    from arabic_news.text.clitics import PROTECTED

    if word.startswith("ال") and len(word) >= 4 and word not in PROTECTED:
        return word[2:]
    return word


def _clitic_forms(word: str) -> list[str]:
    """Every form a token can take that has a reading equal to *word* (a proclitic chain in front of it)."""
    from arabic_news.text.clitics import PROCLITICS, is_arabic_word

    if not is_arabic_word(word) or len(word) < 2:
        return [word]
    return [word] + [p + word for p in PROCLITICS]


def _term_mask(index: TokenIndex, ids) -> np.ndarray:
    mask = np.zeros(len(index.term_list), dtype=bool)
    ids = [i for i in ids if i is not None]
    if ids:
        mask[np.asarray(ids, dtype=np.int64)] = True
    return mask


def _form_terms(index: TokenIndex) -> np.ndarray:
    """Ids of the terms that are token forms (``n_form > 0``)."""
    got = index._cache.get("form_terms")
    if got is None:
        got = index._cache["form_terms"] = np.flatnonzero(index.term_array("n_form") > 0)
    return got


def _stem_terms(index: TokenIndex) -> np.ndarray:
    got = index._cache.get("stem_terms")
    if got is None:
        got = index._cache["stem_terms"] = np.flatnonzero(index.term_array("n_stem") > 0)
    return got


def _literal(pattern: str) -> str:
    """The longest run of plain letters in a glob pattern (a cheap substring pre-filter)."""
    return max(re.split(r"[*?]", pattern), key=len)


def _regex_mask(index: TokenIndex, candidates: np.ndarray, pattern: str) -> np.ndarray:
    terms = index.term_list
    full = re.compile(_glob_regex(pattern)).fullmatch
    lit = _literal(pattern)
    hit = [i for i in candidates.tolist() if lit in terms[i] and full(terms[i])]
    return _term_mask(index, hit)


def _query_stem(index: TokenIndex, word: QueryWord) -> str:
    from arabic_news.text.stemming import light_stem

    counts = index._cache.get("form_counts_dict")
    if counts is None:
        n_form = index.term_array("n_form")
        ids = _form_terms(index)
        terms = index.term_list
        counts = index._cache["form_counts_dict"] = {terms[i]: int(n_form[i]) for i in ids.tolist()}
    return light_stem(word.mtext, word_counts=counts, marbuta=True)


def word_mask(index: TokenIndex, word: QueryWord, mode: str, *, first: bool) -> tuple[np.ndarray, str]:
    """A boolean mask over term ids and the token column it applies to (``form`` or ``stem``)."""
    if mode == "stem":
        if word.glob:
            return _regex_mask(index, _stem_terms(index), word.text), "stem"
        return _term_mask(index, [index.term_id(_query_stem(index, word))]), "stem"
    if mode == "exact" or not first:
        if word.glob:
            return _regex_mask(index, _form_terms(index), word.text), "form"
        return _term_mask(index, [index.term_id(word.text)]), "form"
    # clitics, first word
    from arabic_news.text.clitics import PROCLITICS

    target = _strip_article(word.text)
    if word.glob:
        body = _glob_regex(target)
        procs = "|".join(re.escape(p) for p in PROCLITICS)
        # a proclitic chain, then at least two letters that match the pattern (remainders are >= 2 letters)
        regex = re.compile(f"(?:(?:{procs})(?=[\u0621-\u064a]{{2}}))?(?:{body})")
        arabic = re.compile("[\u0621-\u064a\u0671-\u06d3]+")
        ids = _form_terms(index)
        terms = index.term_list
        hit = []
        plain = re.compile(body).fullmatch
        lit = _literal(target)
        for i in ids.tolist():
            t = terms[i]
            if lit in t and (plain(t) or (arabic.fullmatch(t) and regex.fullmatch(t))):
                hit.append(i)
        return _term_mask(index, hit), "form"
    return _term_mask(index, [index.term_id(f) for f in _clitic_forms(target)]), "form"


def match_query(index: TokenIndex, query: Query) -> Hits:
    """The hits of a parsed query in the index (text order)."""
    if query.actor is not None:
        from arabic_news.explore.actors import actor_hits

        return actor_hits(index, query.actor)
    masks = [word_mask(index, w, query.mode, first=(j == 0)) for j, w in enumerate(query.words)]
    mask0, col0 = masks[0]
    if not mask0.any():
        return Hits(np.zeros(0, np.int64), np.zeros(0, np.int64))
    cand = np.flatnonzero(mask0[index.col(col0)])
    k = len(masks)
    if k > 1 and len(cand):
        n = index.n_tokens
        doc, line = index.col("doc"), index.col("line")
        for j in range(1, k):
            mask_j, col_j = masks[j]
            if not len(cand):
                break
            nxt = cand + j
            ok = nxt < n
            cand, nxt = cand[ok], nxt[ok]
            ok = (doc[nxt] == doc[cand]) & (line[nxt] == line[cand]) & mask_j[index.col(col_j)[nxt]]
            cand = cand[ok]
    return Hits(cand.astype(np.int64), np.full(len(cand), k, dtype=np.int64))
