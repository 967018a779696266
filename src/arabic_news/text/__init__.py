"""The Arabic text pipeline: normalisation, tokenisation, stop words, clitics, stemming and lemmatisation.

- :func:`normalize_text` (camel-tools normalisation, fast path) and :func:`normalize_text_camel` (reference);
- :func:`tokenize` (camel-tools ``simple_word_tokenize``), :func:`tokenize_fast` (same tokens, faster),
  :func:`tokenize_with_spans` (same tokens with character offsets) and :func:`normalize_tokens` (normalise then
  tokenise);
- :func:`stopwords` (the ``Arabic-Stopwords`` package, normalised like the text);
- :func:`strip_clitics` / :func:`clitic_candidates` (proclitics و ف ب ل ك ال and their combinations);
- :func:`get_analyzer` (pluggable stemming/lemmatisation backends: 'none', 'light', 'lemma', 'camel');
- :class:`ArabicPreprocessor` (scikit-learn transformer: texts -> token lists or joined strings).

The preprocessor (scikit-learn) is imported on first use; the backends' own libraries (qalsadi, camel-tools'
morphology) only when a backend first analyses a word.
"""
from arabic_news.text.analyzers import available_analyzers, get_analyzer
from arabic_news.text.camel_data import CamelDataNotFound
from arabic_news.text.clitics import clitic_candidates, strip_clitics
from arabic_news.text.normalize import normalize_text, normalize_text_camel
from arabic_news.text.stemming import light_stem
from arabic_news.text.stopwords import stopwords
from arabic_news.text.tokenize import normalize_tokens, tokenize, tokenize_fast, tokenize_with_spans

__all__ = [
    "normalize_text", "normalize_text_camel", "tokenize", "tokenize_fast", "tokenize_with_spans", "normalize_tokens",
    "stopwords", "strip_clitics", "clitic_candidates", "light_stem", "get_analyzer", "available_analyzers",
    "CamelDataNotFound", "ArabicPreprocessor",
]

_LAZY = {"ArabicPreprocessor": "arabic_news.text.preprocess"}  # imports scikit-learn


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'arabic_news.text' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
