"""Word tokenisation (camel-tools' ``simple_word_tokenize`` is the reference)."""
from __future__ import annotations

from camel_tools.tokenizers.word import simple_word_tokenize


def tokenize(text: str) -> list[str]:
    """Split *text* into words and punctuation, exactly as camel-tools' ``simple_word_tokenize``."""
    return simple_word_tokenize(text)
