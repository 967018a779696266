"""Corpus ingestion, the canonical article schema, and public datasets."""
from arabic_news.corpus.fetch import DatasetNotAvailable, dataset_path

__all__ = ["DatasetNotAvailable", "dataset_path"]
