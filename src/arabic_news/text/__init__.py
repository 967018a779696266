"""The Arabic text pipeline: normalisation, tokenisation, stop words, clitics, stemming and lemmatisation.

- :func:`normalize_text` (camel-tools normalisation, fast path) and :func:`normalize_text_camel` (reference);
- :func:`tokenize` (camel-tools ``simple_word_tokenize``), :func:`tokenize_fast` (same tokens, faster) and
  :func:`normalize_tokens` (normalise then tokenise);
- :func:`stopwords` (the ``Arabic-Stopwords`` package, normalised like the text);
- :func:`strip_clitics` / :func:`clitic_candidates` (proclitics و ف ب ل ك ال and their combinations);
- :func:`get_analyzer` (pluggable stemming/lemmatisation backends: 'none', 'light', 'lemma', 'camel');
- :class:`ArabicPreprocessor` (scikit-learn transformer: texts -> token lists or joined strings).

The heavier pieces (analyzers, the preprocessor) are imported on first use, so that worker processes that only
normalise and tokenise stay light.
"""
from arabic_news.text.normalize import normalize_text, normalize_text_camel
from arabic_news.text.tokenize import normalize_tokens, tokenize, tokenize_fast

__all__ = [
    "normalize_text", "normalize_text_camel", "tokenize", "tokenize_fast", "normalize_tokens",
    "stopwords", "strip_clitics", "clitic_candidates", "light_stem", "get_analyzer", "available_analyzers",
    "CamelDataNotFound", "ArabicPreprocessor",
]

_LAZY = {
    "stopwords": "arabic_news.text.stopwords",
    "strip_clitics": "arabic_news.text.clitics",
    "clitic_candidates": "arabic_news.text.clitics",
    "light_stem": "arabic_news.text.stemming",
    "get_analyzer": "arabic_news.text.analyzers",
    "available_analyzers": "arabic_news.text.analyzers",
    "CamelDataNotFound": "arabic_news.text.camel_data",
    "ArabicPreprocessor": "arabic_news.text.preprocess",
}


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
