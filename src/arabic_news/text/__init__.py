"""The Arabic text pipeline: normalisation, tokenisation, stop words, stemming and lemmatisation."""
from arabic_news.text.normalize import normalize_text
from arabic_news.text.tokenize import tokenize

__all__ = ["normalize_text", "tokenize"]
