"""Detect camel-tools' downloadable data (morphology databases, MLE disambiguation models) WITHOUT importing it.

Why: importing ``camel_tools.data`` (which ``camel_tools.morphology.database`` and ``camel_tools.disambig.mle``
do at import time) runs ``Catalogue.load_catalogue()``, which DOWNLOADS the catalogue when
``<data dir>/catalogue.json`` is missing, and fails offline. So this module looks at the files itself, with
the same rules as ``camel_tools/data/catalogue.py`` (camel-tools 1.6.0):

- data dir: ``$CAMELTOOLS_DATA`` (``~`` expanded, made absolute) if set, else ``~/.camel_tools``;
- catalogue: ``<data dir>/catalogue.json``; its ``components.MorphologyDB.datasets.<name>.path`` and
  ``components.DisambigMLE.datasets.<name>.path`` are relative to ``<data dir>/data/``;
- files: ``morphology.db`` in the MorphologyDB dataset folder, ``model.json`` in the DisambigMLE one.

Only when those exist may camel-tools' morphology modules be imported (see
:class:`arabic_news.text.analyzers.CamelAnalyzer`).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CamelDataNotFound", "CamelData", "camel_data_dir", "find_camel_data", "camel_data_available"]

INSTALL_HINT = (
    "install it once on a machine with internet access: `camel_data -i morphology-db-msa-r13` and "
    "`camel_data -i disambig-mle-calima-msa-r13` (or `camel_data -i light` for all morphology data), or set "
    "CAMELTOOLS_DATA to a folder that already holds it; offline, use stemmer='lemma' (qalsadi) or 'light'"
)


class CamelDataNotFound(RuntimeError):
    """camel-tools' morphology data is not installed (or incomplete) where camel-tools would look for it."""


@dataclass(frozen=True)
class CamelData:
    """Resolved locations of an installed camel-tools morphology database (+ MLE model when installed)."""

    data_dir: Path
    catalogue: Path
    db_name: str
    db_path: Path
    mle_path: Path | None


def camel_data_dir() -> Path:
    """Where camel-tools reads its data: ``$CAMELTOOLS_DATA`` or ``~/.camel_tools`` (as camel-tools 1.6.0)."""
    env = os.environ.get("CAMELTOOLS_DATA")
    if env is not None:
        return Path(env).expanduser().absolute()
    return Path.home() / ".camel_tools"


def find_camel_data(db_name: str | None = None) -> CamelData:
    """Locate the morphology database *db_name* (default: the catalogue's default, ``calima-msa-r13``).

    Raises :class:`CamelDataNotFound` with the install command when anything is missing.
    """
    data_dir = camel_data_dir()
    catalogue = data_dir / "catalogue.json"
    if not catalogue.is_file():
        raise CamelDataNotFound(f"camel-tools data not found: no {catalogue}; {INSTALL_HINT}")
    try:
        components = json.loads(catalogue.read_text(encoding="utf-8"))["components"]
        morph = components["MorphologyDB"]
        name = db_name or morph["default"]
        db_rel = morph["datasets"][name]["path"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CamelDataNotFound(
            f"{catalogue}: not a camel-tools catalogue with a MorphologyDB dataset "
            f"{db_name or '(default)'!s} ({type(exc).__name__}: {exc}); {INSTALL_HINT}"
        ) from None
    db_path = data_dir / "data" / db_rel / "morphology.db"
    if not db_path.is_file():
        raise CamelDataNotFound(f"camel-tools morphology database {name!r} not installed: no {db_path}; "
                                f"{INSTALL_HINT}")
    mle_path = None
    mle = components.get("DisambigMLE", {}).get("datasets", {}).get(name)
    if isinstance(mle, dict) and "path" in mle:
        candidate = data_dir / "data" / mle["path"] / "model.json"
        if candidate.is_file():
            mle_path = candidate
    return CamelData(data_dir=data_dir, catalogue=catalogue, db_name=name, db_path=db_path, mle_path=mle_path)


def camel_data_available(db_name: str | None = None) -> bool:
    """True when :func:`find_camel_data` would succeed."""
    try:
        find_camel_data(db_name)
    except CamelDataNotFound:
        return False
    return True
