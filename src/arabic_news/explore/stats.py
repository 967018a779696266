"""Keyness, collocations and multi-word expressions on the token index.

Counting unit (``unit``): ``clitics`` (default: the clitic-stripped form, so وللعراق, بالعراق and العراق count
as one word عراق), ``form`` (the normalised form) or ``stem`` (the light stem). Only word tokens count
(punctuation and bare numbers never do); stop words are counted in the sub-corpus sizes but left out of the
result lists unless ``keep_stopwords=True``.

Keyness (:func:`keyness`) compares a target sub-corpus with a reference (AntConc / quanteda
``textstat_keyness``): for a term with frequency *a* in the target (*c* tokens) and *b* in the reference (*d*
tokens), with ``E1 = c(a+b)/(c+d)`` and ``E2 = d(a+b)/(c+d)``:

* log-likelihood ``G2 = 2 (a ln(a/E1) + b ln(b/E2))`` (0 ln 0 = 0), signed: positive when the term is relatively
  more frequent in the target (``a/c > b/d``), negative when less;
* ``p`` from the chi-squared distribution with one degree of freedom (``G2 >= 10.83`` <=> ``p < 0.001``);
* Hardie's log ratio ``log2((a/c) / (b/d))``, the effect size, with 0.5 in place of a zero frequency.

Collocations (:func:`collocations`): the node's hits are the query's; its window is the ``window`` word tokens
on each side of every hit inside the same article (each window position counted once, the node's own tokens
left out). For a collocate with corpus frequency *C* (``unit`` counts over all *N* word tokens), observed count
*O* in the *R* window positions and expected ``E = R C / N``: ``MI = log2(O/E)``, ``t = (O - E) / sqrt(O)`` and
the log-likelihood of the 2x2 table (O, R-O; C-O, N-R-C+O).

Multi-word expressions (:func:`phrases`): pairs of adjacent word tokens on one line (no punctuation between),
ranked by quanteda's ``textstat_collocations`` lambda for two words (the log odds ratio of the 2x2 table of
first word x second word, 0.5 added to every cell) with its z statistic, and by their log-likelihood.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from arabic_news.explore.index import ExploreError, TokenIndex

__all__ = ["keyness", "collocations", "phrases", "g2_signed", "log_ratio", "UNITS"]

UNITS = {"clitics": "clitic", "form": "form", "stem": "stem"}
MEASURES = ("ll", "mi", "t", "frequency")
G2_CRITICAL = {0.05: 3.84, 0.01: 6.63, 0.001: 10.83, 0.0001: 15.13}


# ------------------------------------------------------------------------------------------------ formulas
def _xlogx_over(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """o * ln(o / e), 0 where o == 0."""
    o = np.asarray(o, dtype=float)
    e = np.asarray(e, dtype=float)
    out = np.zeros(np.broadcast(o, e).shape, dtype=float)
    pos = (o > 0) & (e > 0)
    np.divide(o, e, out=out, where=pos)
    np.log(out, out=out, where=pos)
    return np.where(pos, o * out, 0.0)


def g2_signed(a, b, c, d) -> np.ndarray:
    """Signed log-likelihood G2 of frequencies *a* (target, of *c* tokens) and *b* (reference, of *d*)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n = float(c) + float(d)
    e1 = c * (a + b) / n
    e2 = d * (a + b) / n
    g2 = 2.0 * (_xlogx_over(a, e1) + _xlogx_over(b, e2))
    sign = np.where(a * d >= b * c, 1.0, -1.0)
    return sign * g2


def log_ratio(a, b, c, d) -> np.ndarray:
    """Hardie's log ratio log2((a/c)/(b/d)), a zero frequency replaced by 0.5."""
    a = np.where(np.asarray(a, dtype=float) == 0, 0.5, np.asarray(a, dtype=float))
    b = np.where(np.asarray(b, dtype=float) == 0, 0.5, np.asarray(b, dtype=float))
    return np.log2((a / float(c)) / (b / float(d)))


def chi2_sf1(x) -> np.ndarray:
    """Upper tail of the chi-squared distribution with 1 degree of freedom."""
    from scipy.special import erfc

    return erfc(np.sqrt(np.maximum(np.asarray(x, dtype=float), 0.0) / 2.0))


def _ll_2x2(o11, o12, o21, o22) -> np.ndarray:
    o11, o12, o21, o22 = (np.asarray(x, dtype=float) for x in (o11, o12, o21, o22))
    n = o11 + o12 + o21 + o22
    r1, r2 = o11 + o12, o21 + o22
    c1, c2 = o11 + o21, o12 + o22
    with np.errstate(divide="ignore", invalid="ignore"):
        e11, e12, e21, e22 = r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n
    return 2.0 * (_xlogx_over(o11, e11) + _xlogx_over(o12, e12) + _xlogx_over(o21, e21) + _xlogx_over(o22, e22))


def _unit_col(unit: str) -> str:
    if unit not in UNITS:
        raise ExploreError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    return UNITS[unit]


def _listable(index: TokenIndex, keep_stopwords: bool) -> np.ndarray:
    """Per term: may it appear in a result list (a word, and not a stop word unless kept)."""
    ok = index.term_array("is_word").copy()
    if not keep_stopwords:
        ok &= ~index.term_array("is_stop")
    return ok


# ------------------------------------------------------------------------------------------------ keyness
def keyness(corpus, by: str = "source", target=None, reference=None, *, unit: str = "clitics",
            min_freq: int = 5, p: float = 0.001, bonferroni: bool = False, which: str = "both",
            keep_stopwords: bool = False, top: int | None = None) -> pd.DataFrame:
    """Keywords of a target sub-corpus against a reference (the rest of the corpus by default).

    Sub-corpora by any column (see :mod:`arabic_news.explore.subcorpus`): ``by='source', target='sabq'``,
    ``by='month', target='2015-08'``, ``by='actor', target='Q796'`` ... Columns of the result: ``term``,
    ``target_count``, ``reference_count``, ``target_per_10k``, ``reference_per_10k``, ``g2`` (signed),
    ``log_ratio``, ``p_value``; most over-used first, under-used (negative G2) last. Kept: terms with
    ``target_count + reference_count >= min_freq`` and ``p_value < p`` (``p`` divided by the number of terms
    tested with ``bonferroni=True``); ``which='target'`` keeps only over-used terms, ``'reference'`` only
    under-used ones. ``attrs['summary']`` holds ``target_tokens``, ``reference_tokens``, article counts, the
    number of terms tested and the G2 threshold.
    """
    from arabic_news.explore.partitioned import dispatch

    return dispatch(corpus, "keyness", by=by, target=target, reference=reference, unit=unit,
                    min_freq=min_freq, p=p, bonferroni=bonferroni, which=which, keep_stopwords=keep_stopwords,
                    top=top)


def _keyness_counts(index: TokenIndex, *, by, target, reference, unit, keep_stopwords, strict=True,
                    prefilter: int = 1, **_):
    """Per-term target and reference counts (Series indexed by term) and the sub-corpus sizes."""
    from arabic_news.explore.subcorpus import doc_masks

    col = _unit_col(unit)
    tgt_docs, ref_docs = doc_masks(index, by, target, reference, strict=strict)
    doc = index.col("doc")
    word = index.word_mask()
    units = index.col(col)
    n_terms = len(index.term_list)
    t_mask = tgt_docs[doc] & word
    r_mask = ref_docs[doc] & word
    a = np.bincount(units[t_mask], minlength=n_terms)
    b = np.bincount(units[r_mask], minlength=n_terms)
    # (one index: terms below the minimum frequency never need their strings)
    keep = ((a + b) >= max(prefilter, 1)) & _listable(index, keep_stopwords)
    ids = np.flatnonzero(keep)
    terms = index.term_list
    counts = pd.DataFrame({"target_count": a[ids], "reference_count": b[ids]},
                          index=pd.Index([terms[i] for i in ids.tolist()], name="term"))
    sizes = {"target_tokens": int(t_mask.sum()), "reference_tokens": int(r_mask.sum()),
             "target_articles": int(tgt_docs.sum()), "reference_articles": int(ref_docs.sum())}
    return counts, sizes


def _keyness_index(index: TokenIndex, **kw) -> pd.DataFrame:
    counts, sizes = _keyness_counts(index, **kw, prefilter=max(int(kw.get("min_freq", 1)), 1))
    return keyness_table(counts, sizes, **kw)


def keyness_table(counts: pd.DataFrame, sizes: dict, *, min_freq: int = 5, p: float = 0.001,
                  bonferroni: bool = False, which: str = "both", top: int | None = None, by=None, target=None,
                  reference=None, unit: str = "clitics", **_) -> pd.DataFrame:
    """The keyness table from per-term counts (``target_count``, ``reference_count``) and sizes."""
    if which not in ("both", "target", "reference"):
        raise ExploreError(f"unknown which={which!r}; use both, target or reference")
    if not 0 < p <= 1:
        raise ExploreError(f"p must be in (0, 1], got {p!r}")
    c, d = sizes["target_tokens"], sizes["reference_tokens"]
    if c == 0 or d == 0:
        side = "target" if c == 0 else "reference"
        raise ExploreError(f"the {side} sub-corpus has no word tokens; choose another value")
    counts = counts[(counts["target_count"] + counts["reference_count"]) >= max(int(min_freq), 1)]
    a = counts["target_count"].to_numpy(dtype=float)
    b = counts["reference_count"].to_numpy(dtype=float)
    g2 = g2_signed(a, b, c, d)
    pv = chi2_sf1(np.abs(g2))
    n_tested = len(counts)
    alpha = p / max(n_tested, 1) if bonferroni else p
    out = pd.DataFrame({
        "term": pd.Series(counts.index.to_numpy(), dtype=object),
        "target_count": a.astype(np.int64), "reference_count": b.astype(np.int64),
        "target_per_10k": a / c * 10_000, "reference_per_10k": b / d * 10_000,
        "g2": g2, "log_ratio": log_ratio(a, b, c, d), "p_value": pv,
    })
    out = out[out["p_value"] < alpha]
    if which == "target":
        out = out[out["g2"] > 0]
    elif which == "reference":
        out = out[out["g2"] < 0]
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    if top is not None:
        if which == "both":
            pos, neg = out[out["g2"] > 0].head(int(top)), out[out["g2"] < 0].tail(int(top))
            out = pd.concat([pos, neg], ignore_index=True)
        else:
            out = out.head(int(top)) if which == "target" else out.tail(int(top)).reset_index(drop=True)
    threshold = _g2_threshold(alpha)
    out.attrs["summary"] = {
        "by": by if isinstance(by, str) else "series", "target": None if target is None else str(target),
        "reference": None if reference is None else str(reference), "unit": unit, **sizes,
        "terms_tested": int(n_tested), "alpha": alpha, "g2_threshold": round(threshold, 3),
        "bonferroni": bool(bonferroni), "keywords": int((out["g2"] > 0).sum()),
        "negative_keywords": int((out["g2"] < 0).sum()),
    }
    return out


def _g2_threshold(alpha: float) -> float:
    """The G2 above which p < alpha (1 degree of freedom)."""
    from scipy.special import erfcinv

    return float(2.0 * erfcinv(alpha) ** 2)


# ------------------------------------------------------------------------------------------------ collocations
def collocations(corpus, query: str, window: int = 5, measure: str = "ll", *, match: str = "clitics",
                 unit: str = "clitics", min_freq: int = 3, keep_stopwords: bool = False,
                 top: int | None = 50, allow_stopwords: bool = False) -> pd.DataFrame:
    """Collocates of *query* (a word, glob, phrase or ``actor:ID``) within *window* words on each side.

    Columns: ``collocate``, ``observed``, ``left``, ``right`` (observed to the left/right), ``expected``,
    ``collocate_freq`` (in the corpus), ``ll``, ``mi``, ``t_score``; sorted by *measure* (``ll``, ``mi``, ``t``
    or ``frequency``), collocates seen fewer than *min_freq* times left out. ``attrs['summary']``: node hits,
    window positions, corpus word tokens.
    """
    from arabic_news.explore.partitioned import dispatch

    return dispatch(corpus, "collocations", query=query, window=window, measure=measure, match=match, unit=unit,
                    min_freq=min_freq, keep_stopwords=keep_stopwords, top=top, allow_stopwords=allow_stopwords)


def _collocation_counts(index: TokenIndex, *, query, window, match, unit, keep_stopwords, allow_stopwords, **_):
    from arabic_news.explore.query import match_query, parse_query

    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ExploreError(f"window must be at least 1 word, got {window!r}")
    col = _unit_col(unit)
    q = parse_query(query, match, allow_stopwords=allow_stopwords)
    hits = match_query(index, q)
    word = index.word_mask()
    units = index.col(col)
    doc = index.col("doc")
    n_terms = len(index.term_list)
    wpos = index._cache.get("word_positions")
    if wpos is None:
        wpos = index._cache["word_positions"] = np.flatnonzero(word)
    n_words = len(wpos)
    corpus_freq = np.bincount(units[wpos], minlength=n_terms)
    listable = _listable(index, keep_stopwords)
    empty = {"left": np.zeros(n_terms, np.int64), "right": np.zeros(n_terms, np.int64)}
    if len(hits) and n_words:
        # word ranks of each hit's first and last token (a hit may start or end on a non-word token)
        first_rank = np.searchsorted(wpos, hits.first, side="left")
        last_rank = np.searchsorted(wpos, hits.first + hits.length - 1, side="right") - 1
        node = np.zeros(n_words, dtype=bool)
        span = last_rank - first_rank + 1
        valid = span > 0
        if valid.any():
            starts = first_rank[valid]
            node_ranks = np.repeat(starts, span[valid]) + (np.arange(span[valid].sum())
                                                           - np.repeat(np.cumsum(span[valid]) - span[valid],
                                                                       span[valid]))
            node[node_ranks] = True
        offs = np.arange(1, window + 1)
        hit_doc = doc[hits.first]
        sides = {}
        for side, ranks in (("left", first_rank[:, None] - offs[None, :]),
                            ("right", last_rank[:, None] + offs[None, :])):
            r = ranks.ravel()
            hd = np.repeat(hit_doc, window)
            ok = (r >= 0) & (r < n_words)
            r, hd = r[ok], hd[ok]
            ok = doc[wpos[r]] == hd
            sides[side] = r[ok]
        left_set = np.unique(sides["left"])
        right_set = np.setdiff1d(np.unique(sides["right"]), left_set, assume_unique=True)
        left_set = left_set[~node[left_set]]
        right_set = right_set[~node[right_set]]
        counts = {"left": np.bincount(units[wpos[left_set]], minlength=n_terms),
                  "right": np.bincount(units[wpos[right_set]], minlength=n_terms)}
        window_positions = int(len(left_set) + len(right_set))
    else:
        counts, window_positions = empty, 0
    observed = counts["left"] + counts["right"]
    ids = np.flatnonzero((observed > 0) & listable)
    terms = index.term_list
    table = pd.DataFrame({"observed": observed[ids], "left": counts["left"][ids], "right": counts["right"][ids],
                          "collocate_freq": corpus_freq[ids]},
                         index=pd.Index([terms[i] for i in ids.tolist()], name="collocate"))
    sizes = {"query": q.label, "match": q.mode, "node_hits": int(len(hits)), "window_positions": window_positions,
             "corpus_words": int(n_words)}
    return table, sizes


def unit_frequencies(index: TokenIndex, unit: str, terms: list[str]) -> pd.DataFrame:
    """Word-token frequencies of the given unit strings (column ``freq``, indexed by term; absent ones left out)."""
    col = _unit_col(unit)
    ids = [index.term_id(t) for t in terms]
    pairs = [(t, i) for t, i in zip(terms, ids) if i is not None]
    freq = np.bincount(index.col(col)[index.word_mask()], minlength=len(index.term_list))
    return pd.DataFrame({"freq": [int(freq[i]) for _, i in pairs]}, index=pd.Index([t for t, _ in pairs]))


def _collocations_index(index: TokenIndex, **kw) -> pd.DataFrame:
    table, sizes = _collocation_counts(index, **kw)
    return collocation_table(table, sizes, **kw)


def collocation_table(table: pd.DataFrame, sizes: dict, *, measure: str = "ll", min_freq: int = 3,
                      top: int | None = 50, window: int = 5, unit: str = "clitics", **_) -> pd.DataFrame:
    if measure not in MEASURES:
        raise ExploreError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    table = table[table["observed"] >= max(int(min_freq), 1)]
    o = table["observed"].to_numpy(dtype=float)
    c = table["collocate_freq"].to_numpy(dtype=float)
    r = float(sizes["window_positions"])
    n = float(sizes["corpus_words"])
    e = r * c / n if n else np.zeros_like(o)
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = np.log2(o / e)
        t = (o - e) / np.sqrt(o)
    ll = _ll_2x2(o, r - o, c - o, n - r - c + o)
    out = pd.DataFrame({"collocate": pd.Series(table.index.to_numpy(), dtype=object), "observed": o.astype(np.int64),
                        "left": table["left"].to_numpy(), "right": table["right"].to_numpy(),
                        "expected": e, "collocate_freq": c.astype(np.int64), "ll": ll, "mi": mi, "t_score": t})
    key = {"ll": "ll", "mi": "mi", "t": "t_score", "frequency": "observed"}[measure]
    out = out.sort_values([key, "observed", "collocate"], ascending=[False, False, True], kind="stable")
    out = out.reset_index(drop=True)
    if top is not None:
        out = out.head(int(top))
    out.attrs["summary"] = {**sizes, "window": int(window), "unit": unit, "measure": measure,
                            "collocates": int(len(out))}
    return out


# ------------------------------------------------------------------------------------------------ phrases
def phrases(corpus, *, unit: str = "form", min_count: int = 10, keep_stopwords: bool = False,
            top: int | None = 50, sort: str = "z") -> pd.DataFrame:
    """Two-word expressions (names, set phrases): adjacent word pairs on one line, with ``count``, the counts of
    each word in first/second position, ``lambda`` and its ``z`` (quanteda's ``textstat_collocations`` for
    size 2) and ``ll``. Pairs with a stop word are left out unless ``keep_stopwords``; sorted by *sort*
    (``z``, as quanteda does, ``lambda``, ``ll`` or ``count``), pairs seen fewer than *min_count* times left out."""
    from arabic_news.explore.partitioned import dispatch

    return dispatch(corpus, "phrases", unit=unit, min_count=min_count, keep_stopwords=keep_stopwords, top=top,
                    sort=sort)


def _phrase_counts(index: TokenIndex, *, unit, keep_stopwords, prefilter: int = 1, **_):
    col = _unit_col(unit)
    units = index.col(col).astype(np.int64)
    doc, line = index.col("doc"), index.col("line")
    ok_term = _listable(index, keep_stopwords)
    word = index.word_mask()
    n_terms = len(index.term_list)
    valid = word[:-1] & word[1:] & (doc[:-1] == doc[1:]) & (line[:-1] == line[1:])
    i = np.flatnonzero(valid)
    w1, w2 = units[i], units[i + 1]
    n_pairs = len(i)
    first_counts = np.bincount(w1, minlength=n_terms)
    second_counts = np.bincount(w2, minlength=n_terms)
    keep = ok_term[w1] & ok_term[w2]
    codes = w1[keep] * n_terms + w2[keep]
    uniq, cnt = np.unique(codes, return_counts=True)
    if prefilter > 1:  # one index: pairs below the minimum count never need their strings
        sel = cnt >= prefilter
        uniq, cnt = uniq[sel], cnt[sel]
    a, b = uniq // n_terms, uniq % n_terms
    terms = index.term_list
    table = pd.DataFrame({"w1": [terms[x] for x in a.tolist()], "w2": [terms[x] for x in b.tolist()],
                          "count": cnt.astype(np.int64), "n1": first_counts[a], "n2": second_counts[b]})
    return table, {"pairs": int(n_pairs)}


def _phrases_index(index: TokenIndex, **kw) -> pd.DataFrame:
    table, sizes = _phrase_counts(index, **kw, prefilter=max(int(kw.get("min_count", 1)), 1))
    return phrase_table(table, sizes, **kw)


def phrase_table(table: pd.DataFrame, sizes: dict, *, min_count: int = 10, top: int | None = 50,
                 sort: str = "z", unit: str = "form", **_) -> pd.DataFrame:
    if sort not in ("lambda", "z", "ll", "count"):
        raise ExploreError(f"unknown sort {sort!r}; use lambda, z, ll or count")
    table = table[table["count"] >= max(int(min_count), 1)]
    n = float(sizes["pairs"])
    o11 = table["count"].to_numpy(dtype=float)
    o12 = table["n1"].to_numpy(dtype=float) - o11
    o21 = table["n2"].to_numpy(dtype=float) - o11
    o22 = n - o11 - o12 - o21
    cells = [x + 0.5 for x in (o11, o12, o21, o22)]
    lam = np.log(cells[0]) - np.log(cells[1]) - np.log(cells[2]) + np.log(cells[3])
    se = np.sqrt(sum(1.0 / x for x in cells))
    phrase = [f"{a} {b}" for a, b in zip(table["w1"].tolist(), table["w2"].tolist())]
    out = pd.DataFrame({"phrase": pd.Series(phrase, dtype=object), "count": o11.astype(np.int64),
                        "first_count": table["n1"].to_numpy(), "second_count": table["n2"].to_numpy(),
                        "lambda": lam, "z": lam / se, "ll": _ll_2x2(o11, o12, o21, o22)})
    out = out.sort_values([sort, "count", "phrase"], ascending=[False, False, True], kind="stable")
    out = out.reset_index(drop=True)
    if top is not None:
        out = out.head(int(top))
    out.attrs["summary"] = {**sizes, "unit": unit, "min_count": int(min_count), "sort": sort,
                            "phrases": int(len(out))}
    return out
