"""Corpus ingestion, the canonical article schema, and public datasets.

* :func:`ingest` / :func:`load_articles` / :func:`iter_articles` / :func:`load_report`: build and read the canonical article table
  (columns and doc_id rules: :mod:`arabic_news.corpus.schema`).
* :func:`dataset_path` / :func:`fetch_dataset` / :func:`list_datasets` / :func:`load_registry`: public
  datasets by pinned URL and checksum, or from a local mirror.
* :func:`ensure_sample_corpus` / :func:`ensure_corpus`: cached ingests for notebooks and the main job.
* :func:`load_corpus` / :func:`resolve_corpus` / :func:`sample_articles` / :func:`sample_positions`: the corpus a
  notebook or the main job works on (:mod:`arabic_news.corpus.loading`).
"""
from arabic_news.corpus.fetch import (
    ChecksumError,
    Dataset,
    DatasetFile,
    DatasetNotAvailable,
    FetchError,
    FetchResult,
    dataset_path,
    fetch_dataset,
    list_datasets,
    load_registry,
)
from arabic_news.corpus.ingest import IngestSummary, NothingLoadedError, ingest
from arabic_news.corpus.loading import (
    CorpusNotFoundError,
    load_corpus,
    resolve_corpus,
    sample_articles,
    sample_positions,
)
from arabic_news.corpus.readers import FORMATS, IngestError
from arabic_news.corpus.samples import ensure_corpus, ensure_sample_corpus
from arabic_news.corpus.schema import ARTICLE_COLUMNS, REPORT_COLUMNS, iter_articles, load_articles, load_report

__all__ = [
    "ARTICLE_COLUMNS",
    "FORMATS",
    "REPORT_COLUMNS",
    "ChecksumError",
    "CorpusNotFoundError",
    "Dataset",
    "DatasetFile",
    "DatasetNotAvailable",
    "FetchError",
    "FetchResult",
    "IngestError",
    "IngestSummary",
    "NothingLoadedError",
    "dataset_path",
    "ensure_corpus",
    "ensure_sample_corpus",
    "fetch_dataset",
    "ingest",
    "iter_articles",
    "list_datasets",
    "load_articles",
    "load_corpus",
    "load_registry",
    "load_report",
    "resolve_corpus",
    "sample_articles",
    "sample_positions",
]
