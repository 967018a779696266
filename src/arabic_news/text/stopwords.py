"""Arabic stop words from the maintained ``Arabic-Stopwords`` package (module ``arabicstopwords``).

No list is copied into this repository: the words are read from the installed package and normalised exactly
like the text (:func:`~arabic_news.text.normalize.normalize_text`), so a normalised token can be looked up
directly. The package ships two lists: about 500 base forms (classified by grammatical class) and about 13,000
"all forms" that include the clitic-attached variants (و، ف، ب، ل، ك، ال and pronoun suffixes: وفي، لهم،
بعدها ...). ``stopwords()`` returns the union by default.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from arabic_news.text.normalize import normalize_text

logger = logging.getLogger(__name__)

__all__ = ["stopwords"]


@lru_cache(maxsize=4)
def stopwords(*, with_clitics: bool = True) -> frozenset[str]:
    """The normalised stop words of the ``Arabic-Stopwords`` package (cached).

    *with_clitics*: include the package's clitic-attached forms (default) rather than only its base forms.

    >>> "في" in stopwords() and "وفي" in stopwords() and "وفي" not in stopwords(with_clitics=False)
    True
    """
    from arabicstopwords import arabicstopwords as asw

    words = set(asw.classed_stopwords_list())
    if with_clitics:
        words.update(asw.stopwords_list())
    out = frozenset(w for w in (normalize_text(x).strip() for x in words) if w)
    logger.debug("loaded %d stop words (with_clitics=%s)", len(out), with_clitics)
    return out
