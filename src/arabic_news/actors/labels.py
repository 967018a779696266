"""Display labels for tables and figures: actors by their names (never their ids), types and outlets.

This module sits below :mod:`arabic_news.actors.extract` and :mod:`arabic_news.actors.network`, which both
label their tables with it (it imports nothing from the package).
"""
from __future__ import annotations

from typing import Iterable

#: actor types in the order reports show them, with their plural display names (English, Arabic)
TYPE_LABELS = {
    "person": ("People", "الأشخاص"),
    "organization": ("Organisations", "المنظمات"),
    "country": ("Countries", "الدول"),
    "place": ("Places", "الأماكن"),
    "armed_group": ("Armed groups", "الجماعات المسلحة"),
    "media": ("Media", "وسائل الإعلام"),
}


def actor_names(actor_ids: Iterable[str], gazetteer, column: str = "name_ar") -> list[str]:
    """Display names (``name_ar`` or ``name_en``) of actor ids; ids the gazetteer lacks are returned as they are."""
    if gazetteer is None:
        return [str(a) for a in actor_ids]
    return [getattr(gazetteer.actors.get(a), column, a) for a in actor_ids]


def actor_label(actor_id: str, gazetteer, *, english: bool = True) -> str:
    """``name_ar`` with the English name in parentheses when it adds something (``إيران (Iran)``)."""
    actor = gazetteer.actors.get(actor_id) if gazetteer is not None else None
    if actor is None:
        return str(actor_id)
    if english and actor.name_en and actor.name_en != actor.name_ar:
        return f"{actor.name_ar} ({actor.name_en})"
    return actor.name_ar


def outlet_label(slug) -> str:
    """The name an outlet is shown under (:func:`arabic_news.corpus.outlets.outlet_display_name`; empty for a
    missing outlet)."""
    from arabic_news.corpus.outlets import outlet_display_name

    if slug is None or slug != slug or str(slug) == "":  # None / NaN / empty
        return ""
    return outlet_display_name(slug)
