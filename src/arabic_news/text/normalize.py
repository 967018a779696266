"""Arabic orthographic normalisation built on camel-tools' utilities.

Two implementations of the same function:

* :func:`normalize_text_camel` is the reference: the literal composition of camel-tools'
  ``normalize_unicode``, ``dediac_ar``, tatweel removal, ``normalize_alef_ar``, ``normalize_alef_maksura_ar``
  and ``normalize_teh_marbuta_ar`` (in that order).
* :func:`normalize_text` (what the rest of the package uses) gives the same output faster: camel-tools'
  Unicode fix-up (``\\ufdfc`` and ``\\ufdfd``) done with ``str.replace`` instead of a per-character Python loop,
  then NFKC, then one regex deletion for diacritics and tatweel together, one regex for the alef variants and
  ``str.replace`` for alef maksura and teh marbuta (C loops only). Merging the diacritic and tatweel deletions
  is exact because every step is a one-character-to-at-most-one-character map whose outputs are never inputs
  of another step (diacritics and tatweel -> deleted; إأآٱ -> ا; ى -> ي; ة -> ه).
  ``tests/text/test_normalize.py`` checks the two agree on the whole seed-layout sample and on hand-written
  edge cases, for every option combination.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from camel_tools.utils.charsets import AR_DIAC_CHARSET
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

__all__ = ["normalize_text", "normalize_text_camel", "TATWEEL"]

TATWEEL = "\u0640"
_TATWEEL_RE = re.compile(TATWEEL + "+")

# camel-tools' normalize_unicode maps these two before NFKC (camel_tools.utils.normalize._UNICODE_CHAR_FIX)
_RIAL_SIGN = "\ufdfc"
_BISMILLAH = "\ufdfd"
_RIAL_FIX = "\u0631\u064a\u0627\u0644"  # ريال
_BISMILLAH_FIX = (
    "\u0628\u0633\u0645 \u0627\u0644\u0644\u0647 \u0627\u0644\u0631\u062d\u0645\u0646 "
    "\u0627\u0644\u0631\u062d\u064a\u0645"
)  # بسم الله الرحمن الرحيم

_ALEF_VARIANTS = "\u0625\u0623\u0671\u0622"  # إ أ ٱ آ  (camel_tools.utils.normalize._ALEF_NORMALIZE_AR_RE)
_ALEF = "\u0627"
_ALEF_MAKSURA, _YEH = "\u0649", "\u064a"
_TEH_MARBUTA, _HEH = "\u0629", "\u0647"


def normalize_text_camel(
    text: str,
    *,
    unicode: bool = True,
    dediacritize: bool = True,
    tatweel: bool = True,
    alef: bool = True,
    alef_maksura: bool = True,
    teh_marbuta: bool = True,
) -> str:
    """Reference implementation: camel-tools' functions applied one after the other."""
    if unicode:
        text = normalize_unicode(text)
    if dediacritize:
        text = dediac_ar(text)
    if tatweel:
        text = _TATWEEL_RE.sub("", text)
    if alef:
        text = normalize_alef_ar(text)
    if alef_maksura:
        text = normalize_alef_maksura_ar(text)
    if teh_marbuta:
        text = normalize_teh_marbuta_ar(text)
    return text


@lru_cache(maxsize=64)
def _plan(dediacritize: bool, tatweel: bool, alef: bool, alef_maksura: bool, teh_marbuta: bool):
    """Compiled steps for one option combination: (deletion regex or None, alef regex or None, replacements)."""
    delete = ""
    if dediacritize:
        delete += "".join(sorted(AR_DIAC_CHARSET))
    if tatweel:
        delete += TATWEEL
    delete_re = re.compile(f"[{re.escape(delete)}]+") if delete else None
    alef_re = re.compile(f"[{_ALEF_VARIANTS}]") if alef else None
    replacements = []
    if alef_maksura:
        replacements.append((_ALEF_MAKSURA, _YEH))
    if teh_marbuta:
        replacements.append((_TEH_MARBUTA, _HEH))
    return delete_re, alef_re, tuple(replacements)


def _normalize_unicode_fast(text: str) -> str:
    """Same as camel-tools' ``normalize_unicode(text)`` (compatibility=True)."""
    if _RIAL_SIGN in text:
        text = text.replace(_RIAL_SIGN, _RIAL_FIX)
    if _BISMILLAH in text:
        text = text.replace(_BISMILLAH, _BISMILLAH_FIX)
    return unicodedata.normalize("NFKC", text)


def normalize_text(
    text: str,
    *,
    unicode: bool = True,
    dediacritize: bool = True,
    tatweel: bool = True,
    alef: bool = True,
    alef_maksura: bool = True,
    teh_marbuta: bool = True,
) -> str:
    """Normalise Arabic *text*: Unicode (NFKC, camel-tools), diacritics, tatweel, letter variants.

    Output is identical to :func:`normalize_text_camel` with the same options (tested), only faster.

    >>> normalize_text("إِلَى الـــمَدْرَسَةِ")
    'الي المدرسه'
    """
    if unicode:
        text = _normalize_unicode_fast(text)
    delete_re, alef_re, replacements = _plan(dediacritize, tatweel, alef, alef_maksura, teh_marbuta)
    if delete_re is not None:
        text = delete_re.sub("", text)
    if alef_re is not None:
        text = alef_re.sub(_ALEF, text)
    for old, new in replacements:
        text = text.replace(old, new)
    return text
