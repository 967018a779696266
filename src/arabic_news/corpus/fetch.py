"""Public datasets: where they live locally, and (to be completed) fetching them by pinned URL.

Every dataset has a short name (the folder name used by the local mirror, e.g. ``mawqif``) and is stored
under ``data/raw/<name>/`` with the same relative file layout as the mirror.
"""
from __future__ import annotations

import logging
from pathlib import Path

from arabic_news import config

logger = logging.getLogger(__name__)


class DatasetNotAvailable(FileNotFoundError):
    """A dataset is neither fetched into data/raw nor available from a local mirror."""


def dataset_path(name: str) -> Path:
    """The local folder holding dataset *name* (``data/raw/<name>`` or the mirror's copy).

    Raises DatasetNotAvailable with the command that fixes it.
    """
    local = config.RAW_DIR / name
    if local.is_dir() and any(local.iterdir()):
        return local
    mirror = config.mirror_dir()
    if mirror is not None and (mirror / name).is_dir():
        return mirror / name
    raise DatasetNotAvailable(
        f"dataset {name!r} not found in {local} nor in a mirror; run `arabic-news data fetch {name}` "
        f"(or set ARABIC_NEWS_MIRROR to a local copy)"
    )
