"""Corpus ingestion, the canonical article schema, and public datasets.

* :func:`ingest` / :func:`load_articles` / :func:`load_report`: build and read the canonical article table
  (see :mod:`arabic_news.corpus.schema`).
* :func:`dataset_path` / :func:`fetch_dataset` / :func:`list_datasets`: public datasets by pinned URL and
  checksum, or from a local mirror.
* :func:`ensure_sample_corpus` / :func:`ensure_corpus`: cached ingests for notebooks and the main job.
"""
from arabic_news.corpus.fetch import DatasetNotAvailable, dataset_path
from arabic_news.corpus.ingest import IngestSummary, NothingLoadedError, ingest
from arabic_news.corpus.readers import IngestError
from arabic_news.corpus.schema import ARTICLE_COLUMNS, load_articles, load_report

__all__ = [
    "ARTICLE_COLUMNS",
    "DatasetNotAvailable",
    "IngestError",
    "IngestSummary",
    "NothingLoadedError",
    "dataset_path",
    "ingest",
    "load_articles",
    "load_report",
]
