"""User dictionaries: categories of word patterns counted per article, like quanteda's ``dictionary``.

A dictionary is a YAML file (read with ``yaml.safe_load``: data, never code)::

    name: news-themes            # optional
    description: ...             # optional
    match: clitics               # optional default matching mode: clitics, exact or stem
    categories:
      economy:
        - اقتصاد*                # a glob pattern
        - البنك المركزي          # a phrase (consecutive words)
        - نفط
      security: [...]

Every pattern is a query of :mod:`arabic_news.explore.query` (words, globs, phrases, clitic-aware by default).
A token sequence counts once per category even when several of the category's patterns match it (the longest
match wins; a shorter match inside it is not counted again). :func:`dictionary_counts` gives per article the
hits of each category and their share of the article's word tokens; :func:`dictionary_summary` sums them by
a column (outlet, month ...); :func:`dictionary_patterns` lists the hits of every pattern, to read behind a
category's count. The project ships one small example written for it: ``data/dictionaries/news_themes.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from arabic_news import config
from arabic_news.explore.index import ExploreError, TokenIndex
from arabic_news.explore.query import MODES, match_query, parse_query

__all__ = ["Dictionary", "load_dictionary", "dictionary_counts", "dictionary_summary", "dictionary_patterns",
           "EXAMPLE_DICTIONARY"]

EXAMPLE_DICTIONARY = Path(config.DATA_DIR) / "dictionaries" / "news_themes.yaml"


@dataclass(frozen=True)
class Dictionary:
    """Categories of patterns (category -> tuple of query strings), in file order."""

    categories: dict = field(default_factory=dict)
    name: str = ""
    description: str = ""
    match: str = "clitics"

    def __len__(self) -> int:
        return len(self.categories)


def load_dictionary(path: str | Path) -> Dictionary:
    """Read and validate a dictionary YAML file; :class:`ExploreError` names the file, the problem and the fix."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ExploreError(f"{path}: no such dictionary file; pass a YAML file of categories "
                           f"(example: {EXAMPLE_DICTIONARY})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ExploreError(f"{path}: not UTF-8 text; save the dictionary as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ExploreError(f"{path}: not valid YAML{where}; check the indentation and quoting") from None
    return dictionary_from_dict(data, where=str(path))


def dictionary_from_dict(data, *, where: str = "dictionary") -> Dictionary:
    """A :class:`Dictionary` from parsed YAML (a mapping with ``categories``, or a plain category mapping)."""
    if not isinstance(data, dict):
        raise ExploreError(f"{where}: expected a mapping with a 'categories' key (category: [patterns])")
    cats = data.get("categories", None) if "categories" in data else {
        k: v for k, v in data.items() if k not in ("name", "description", "match")}
    if not isinstance(cats, dict) or not cats:
        raise ExploreError(f"{where}: 'categories' must map each category name to a list of patterns")
    match = data.get("match", "clitics") if "categories" in data else "clitics"
    if match not in MODES:
        raise ExploreError(f"{where}: match {match!r} is not one of {', '.join(MODES)}")
    out: dict[str, tuple[str, ...]] = {}
    for name, patterns in cats.items():
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not patterns:
            raise ExploreError(f"{where}: category {name!r} must hold a non-empty list of patterns")
        clean = []
        for p in patterns:
            if not isinstance(p, (str, int)) or not str(p).strip():
                raise ExploreError(f"{where}: category {name!r} holds an empty or non-text pattern {p!r}")
            try:
                parse_query(str(p), match, allow_stopwords=True)
            except ExploreError as exc:
                raise ExploreError(f"{where}: category {name!r}, pattern {p!r}: {exc}") from None
            clean.append(str(p).strip())
        out[str(name)] = tuple(clean)
    return Dictionary(categories=out, name=str(data.get("name", "") or ""),
                      description=str(data.get("description", "") or ""), match=match)


def _as_dictionary(dictionary) -> Dictionary:
    if isinstance(dictionary, Dictionary):
        return dictionary
    if isinstance(dictionary, dict):
        return dictionary_from_dict(dictionary)
    if dictionary is None:
        return load_dictionary(EXAMPLE_DICTIONARY)
    return load_dictionary(dictionary)


def _category_hits(index: TokenIndex, patterns, match: str) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """Docs of the category's counted hits (overlaps resolved longest first) and hits per pattern."""
    per_pattern = []
    found = []
    for p in patterns:
        hits = match_query(index, parse_query(p, match, allow_stopwords=True))
        per_pattern.append((p, len(hits)))
        if len(hits):
            found.append((hits.first, hits.length))
    if not found:
        return np.zeros(0, np.int64), per_pattern
    first = np.concatenate([f for f, _ in found])
    length = np.concatenate([n for _, n in found])
    order = np.lexsort((first, -length))  # longest first, then text order
    first, length = first[order], length[order]
    covered = np.zeros(index.n_tokens, dtype=bool)
    keep = np.zeros(len(first), dtype=bool)
    single = length == 1
    multi_idx = np.flatnonzero(~single)
    for i in multi_idx.tolist():  # phrases: few, checked one by one
        f, n = int(first[i]), int(length[i])
        if not covered[f:f + n].any():
            covered[f:f + n] = True
            keep[i] = True
    s_idx = np.flatnonzero(single)
    if len(s_idx):
        s_first = first[s_idx]
        uniq, pos = np.unique(s_first, return_index=True)
        ok = ~covered[uniq]
        keep[s_idx[pos[ok]]] = True
    return index.col("doc")[first[keep]].astype(np.int64), per_pattern


def dictionary_counts(corpus, dictionary=None, *, match: str | None = None) -> pd.DataFrame:
    """Per article: ``doc_id``, ``source``, ``date``, ``n_words`` and, per category, its hits (column = the
    category) and ``share_<category>`` (hits / word tokens). *dictionary*: a :class:`Dictionary`, a path to a
    YAML file, a mapping, or None for the shipped example."""
    from arabic_news.explore.partitioned import dispatch

    d = _as_dictionary(dictionary)
    return dispatch(corpus, "dictionary", dictionary=d, match=match or d.match)


def _dictionary_index(index: TokenIndex, *, dictionary: Dictionary, match: str, **_) -> pd.DataFrame:
    docs = index.docs
    out = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy()})
    for col in ("source", "date"):
        if col in docs.columns:
            out[col] = docs[col].to_numpy()
    out["n_words"] = docs["n_words"].to_numpy()
    pattern_rows = []
    for cat, patterns in dictionary.categories.items():
        hit_docs, per_pattern = _category_hits(index, patterns, match)
        out[cat] = np.bincount(hit_docs, minlength=index.n_docs).astype(np.int64)
        pattern_rows += [{"category": cat, "pattern": p, "hits": n} for p, n in per_pattern]
    with np.errstate(divide="ignore", invalid="ignore"):
        words = out["n_words"].to_numpy(dtype=float)
        for cat in dictionary.categories:
            out[f"share_{cat}"] = np.where(words > 0, out[cat].to_numpy() / words, 0.0)
    out.attrs["patterns"] = pattern_rows
    out.attrs["summary"] = {"dictionary": dictionary.name, "match": match, "articles": int(len(out)),
                            "categories": list(dictionary.categories),
                            "hits": {c: int(out[c].sum()) for c in dictionary.categories}}
    return out


def dictionary_patterns(counts: pd.DataFrame) -> pd.DataFrame:
    """Hits of every pattern (before overlaps within a category are resolved), from a :func:`dictionary_counts`
    frame."""
    rows = counts.attrs.get("patterns", [])
    frame = pd.DataFrame(rows, columns=["category", "pattern", "hits"])
    if len(frame):
        frame = frame.groupby(["category", "pattern"], sort=False, as_index=False)["hits"].sum()
    return frame


def dictionary_summary(counts: pd.DataFrame, by: str | None = "source") -> pd.DataFrame:
    """Category totals per group (*by*, e.g. ``source``; None for the whole corpus): ``articles``, ``words``,
    and per category ``<cat>`` (hits), ``<cat>_per_10k`` and ``<cat>_articles`` (share of articles with at least
    one hit)."""
    cats = [c for c in counts.attrs.get("summary", {}).get("categories", [])]
    if not cats:
        cats = [c[len("share_"):] for c in counts.columns if c.startswith("share_")]
    frame = counts.copy()
    if by is None:
        frame["_all"] = "all"
        by = "_all"
    if by not in frame.columns:
        raise ExploreError(f"unknown column {by!r}; use one of {', '.join(c for c in frame.columns)}")
    frame[by] = frame[by].fillna("(unknown)")
    g = frame.groupby(by, sort=True)
    out = pd.DataFrame({"articles": g.size(), "words": g["n_words"].sum()})
    for cat in cats:
        out[cat] = g[cat].sum()
        out[f"{cat}_per_10k"] = np.where(out["words"] > 0, out[cat] / out["words"] * 10_000, np.nan)
        out[f"{cat}_articles"] = g[cat].apply(lambda s: float((s > 0).mean()))
    out.index.name = None if by == "_all" else by
    return out
