"""A tiny hand-written Arabic corpus in three obvious themes: football, oil prices, elections."""
from __future__ import annotations

import pytest

from topic_toy_corpus import DOCS, LABELS  # tests/topics is on sys.path (pytest rootdir import mode)


@pytest.fixture()
def toy_docs():
    return list(DOCS)


@pytest.fixture()
def toy_labels():
    return list(LABELS)


@pytest.fixture()
def embedding_cache(tmp_path):
    """A fresh embedding cache folder per test (the real cache is never touched)."""
    return tmp_path / "embeddings"
