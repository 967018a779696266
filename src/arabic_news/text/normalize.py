"""Arabic orthographic normalisation built on camel-tools' utilities."""
from __future__ import annotations

import re

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

TATWEEL = "\u0640"
_TATWEEL_RE = re.compile(TATWEEL + "+")


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
    """Normalise Arabic *text*: Unicode (NFKC-like, camel-tools), diacritics, tatweel, letter variants.

    >>> normalize_text("إِلَى الـــمَدْرَسَةِ")
    'الي المدرسه'
    """
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
