"""Display names of news outlets: ``outlet_display_name("aawsat")`` -> ``"Asharq Al-Awsat (الشرق الأوسط)"``.

Corpora identify outlets by short ids (the ``source`` column: ``aawsat``, ``sabq``, ``alriyadh`` ...). Reports
show the outlets' real names instead, from a table of known outlets, ``resources/outlets.yaml`` (one entry per
id: ``name_en`` and ``name_ar``). An id missing from the table is shown as it is, so nothing is hidden.

A user can name the outlets of her own corpus in a YAML file of the same shape, set by the environment
variable ``ARABIC_NEWS_OUTLETS`` (its entries win over the packaged ones) or passed to
:func:`load_outlet_names`. The file is read as data (``yaml.safe_load``).
"""
from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from arabic_news import config

logger = logging.getLogger(__name__)

#: The packaged table of known outlets.
OUTLETS_FILE = config.RESOURCES_DIR / "outlets.yaml"
#: Environment variable naming a user's own outlets YAML (same shape), read after the packaged table.
OUTLETS_ENV = "ARABIC_NEWS_OUTLETS"
#: How :func:`outlet_display_name` writes a name: both languages, English only or Arabic only.
STYLES = ("both", "en", "ar")


def load_outlet_names(path: str | Path) -> dict[str, dict[str, str]]:
    """``{id: {"name_en": ..., "name_ar": ...}}`` from a YAML mapping of outlet ids to names.

    An entry may also be a plain string (one name for both languages). Raises ValueError naming the file and
    the fix when the file is not such a mapping.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the outlet names ({exc}); write a YAML mapping "
                         f"`id: {{name_en: ..., name_ar: ...}}`") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: expected a YAML mapping `id: {{name_en: ..., name_ar: ...}}`, "
                         f"got {type(data).__name__}")
    out: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = {"name_en": value, "name_ar": value}
        if not isinstance(value, Mapping):
            raise ValueError(f"{path}: entry {key!r} must be a name or a mapping with name_en / name_ar")
        names = {k: str(value[k]).strip() for k in ("name_en", "name_ar") if value.get(k)}
        if names:
            out[str(key)] = names
    return out


@functools.lru_cache(maxsize=4)
def _table(user_file: str) -> dict[str, dict[str, str]]:
    table = load_outlet_names(OUTLETS_FILE)
    if user_file:
        table.update(load_outlet_names(user_file))
    return table


def outlet_names() -> dict[str, dict[str, str]]:
    """The table in use: the packaged outlets, then those of ``$ARABIC_NEWS_OUTLETS`` (cached per file)."""
    return dict(_table(os.environ.get(OUTLETS_ENV, "")))


def outlet_display_name(slug, style: str = "both") -> str:
    """The real name of the outlet with id *slug*; the id itself when the outlet is unknown.

    ``style="both"``: ``"Asharq Al-Awsat (الشرق الأوسط)"``; ``"en"``: ``"Asharq Al-Awsat"``; ``"ar"``:
    ``"الشرق الأوسط"`` (each falls back to the other language when one is missing). A missing id (None, NaN,
    empty) gives ``"(unknown)"``.

    >>> outlet_display_name("aawsat")
    'Asharq Al-Awsat (الشرق الأوسط)'
    >>> outlet_display_name("aawsat", "ar"), outlet_display_name("my_blog")
    ('الشرق الأوسط', 'my_blog')
    """
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, got {style!r}")
    if slug is None or (isinstance(slug, float) and slug != slug) or not str(slug).strip():
        return "(unknown)"
    slug = str(slug)
    table = _table(os.environ.get(OUTLETS_ENV, ""))
    entry = table.get(slug) or table.get(slug.strip().lower())
    if not entry:
        return slug
    en, ar = entry.get("name_en"), entry.get("name_ar")
    if style == "en":
        return en or ar
    if style == "ar":
        return ar or en
    if en and ar and en != ar:
        return f"{en} ({ar})"
    return en or ar


def outlet_display_names(slugs: Iterable, style: str = "both") -> list[str]:
    """:func:`outlet_display_name` of each id (keeps order; e.g. for an index or the columns of a table).

    Two ids with the same display name (e.g. a spelling variant of one outlet) keep distinct labels: the
    later ones get their id appended, ``"Arriyadiyah (الرياضية) [arreyadiyah]"``.
    """
    out: list[str] = []
    seen: set[str] = set()
    for slug in slugs:
        name = outlet_display_name(slug, style)
        if name in seen:
            name = f"{name} [{slug}]"
        seen.add(name)
        out.append(name)
    return out


__all__ = ["OUTLETS_ENV", "OUTLETS_FILE", "load_outlet_names", "outlet_display_name", "outlet_display_names",
           "outlet_names"]
