"""Exploration toolkit: concordance, keyness, collocations, trends and dictionaries, Arabic-aware and fast.

Every function takes a corpus (an ingested corpus folder, a DataFrame of articles, a partitioned dataset or an
already opened index) and returns a DataFrame; the CLI (``arabic-news explore ...``) and the notebook
``05-explore`` only call them.

- :func:`kwic` -- concordance lines (``doc_id, title, source, date, left, match, right, start, end``) with
  clitic-aware, exact, stem, glob, phrase and ``actor:ID`` matching; :func:`kwic_html` renders them;
- :func:`keyness` -- signed log-likelihood G2, Hardie's log ratio and p of every term, target vs reference;
- :func:`collocations` -- collocates of a query (LL, MI, t-score); :func:`phrases` -- two-word expressions;
- :func:`trend` -- relative frequency per period (and outlet) with Wilson or Poisson intervals;
- :func:`load_dictionary`, :func:`dictionary_counts`, :func:`dictionary_summary` -- user dictionaries;
- :func:`open_index` / :func:`build_index` -- the positional token index (:mod:`arabic_news.explore.index`).
"""
from __future__ import annotations

from arabic_news.explore.dictionary import (
    EXAMPLE_DICTIONARY, Dictionary, dictionary_counts, dictionary_patterns, dictionary_summary, load_dictionary,
)
from arabic_news.explore.index import ExploreError, TokenIndex, build_index, open_index
from arabic_news.explore.kwic import kwic, kwic_html
from arabic_news.explore.partitioned import PartitionedIndex, open_corpus
from arabic_news.explore.query import MODES, parse_query
from arabic_news.explore.stats import collocations, g2_signed, keyness, log_ratio, phrases
from arabic_news.explore.trend import trend

__all__ = [
    "kwic", "kwic_html", "keyness", "collocations", "phrases", "trend", "load_dictionary", "dictionary_counts",
    "dictionary_summary", "dictionary_patterns", "Dictionary", "EXAMPLE_DICTIONARY", "open_index", "build_index",
    "open_corpus", "TokenIndex", "PartitionedIndex", "ExploreError", "parse_query", "MODES", "g2_signed",
    "log_ratio",
]
