"""One place for paths and parameters.

Every path is anchored on the package's location (never the working directory). Environment variables
override the defaults so that a user or CI can point the project elsewhere without editing code.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]

DATA_DIR = Path(os.environ.get("ARABIC_NEWS_DATA_DIR", PROJECT_ROOT / "data"))
RAW_DIR = DATA_DIR / "raw"                # fetched datasets, never edited in place
INTERIM_DIR = DATA_DIR / "interim"        # ingest outputs and intermediate tables
PROCESSED_DIR = DATA_DIR / "processed"    # analysis outputs
CACHE_DIR = Path(os.environ.get("ARABIC_NEWS_CACHE_DIR", DATA_DIR / "cache"))  # embeddings, analyses
ACTORS_DIR = DATA_DIR / "actors"          # the curated actor gazetteer (written by us)
MODELS_DIR = Path(os.environ.get("ARABIC_NEWS_MODELS_DIR", DATA_DIR / "models"))  # trained models (NER, stance)
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
RESOURCES_DIR = PACKAGE_DIR / "resources"
#: where ``make bench`` (benchmarks/*.py) writes its JSON results, read by the methods appendix
BENCHMARK_RESULTS_DIR = Path(os.environ.get("ARABIC_NEWS_BENCH_RESULTS", PROJECT_ROOT / "benchmarks" / "results"))


def mirror_dir() -> Path | None:
    """The local read-only mirror of public datasets (e.g. ``../shared/corpora``), if any.

    ``ARABIC_NEWS_MIRROR`` wins; otherwise ``<project>/../shared/corpora`` is used when it exists.
    """
    env = os.environ.get("ARABIC_NEWS_MIRROR")
    if env:
        return Path(env).expanduser().resolve()
    default = PROJECT_ROOT.parent / "shared" / "corpora"
    return default if default.is_dir() else None


def extra_gazetteer_paths() -> list[Path]:
    """The user's own gazetteer files or folders, read after the curated one (``ACTORS_DIR``) by
    ``arabic_news.actors.load_gazetteer()`` and hence by every notebook and command that matches actors.

    Set ``ARABIC_NEWS_GAZETTEER`` to one or more YAML files or folders of YAML files (same record format as
    ``data/actors/``), separated by ``os.pathsep`` (``:`` on Linux); e.g.
    ``ARABIC_NEWS_GAZETTEER=~/my_actors.yaml arabic-news report my_articles``. Read at each call.
    """
    env = os.environ.get("ARABIC_NEWS_GAZETTEER", "")
    return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]


def seed_dir() -> Path | None:
    """The folder holding the seed article (``../shared/seed``), if present."""
    default = PROJECT_ROOT.parent / "shared" / "seed"
    return default if default.is_dir() else None


DEFAULT_SEED = 42

#: Largest article file (or record text) ingest reads, in bytes: a larger one is rejected from its size, before
#: any read (``arabic-news ingest --max-file-size``). News articles are kilobytes; 10 MB is generous.
MAX_FILE_SIZE = 10 * 1000 * 1000
