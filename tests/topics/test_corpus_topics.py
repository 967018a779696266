"""The topic model of a corpus as the topics page chooses it, computed once through the analysis store."""
import pandas as pd

from arabic_news.corpus.store import AnalysisStore
from arabic_news.topics.stored import corpus_topics

from topic_toy_corpus import DOCS


def _corpus(n: int):
    docs = [DOCS[i % len(DOCS)] + f" رقم{i}" for i in range(n)]
    return docs, [f"d{i}" for i in range(n)]


def test_the_second_caller_reads_what_the_first_computed(tmp_path):
    texts, ids = _corpus(40)
    (tmp_path / "corpus").mkdir()
    pd.DataFrame({"doc_id": ids, "title": [""] * len(ids), "body": texts}).to_parquet(
        tmp_path / "corpus" / "articles.parquet")
    store = AnalysisStore(tmp_path / "corpus", root=tmp_path / "store")
    first = corpus_topics(texts, ids, store=store, seed=1)
    n_events = len(store.events())
    computed = {e["name"] for e in store.events() if e["event"] == "computed"}
    assert {"topic_tokens", "topic_k_sweep", "topic_model"} <= computed
    second = corpus_topics(texts, ids, store=store, seed=1)
    later = store.events()[n_events:]
    assert later and all(e["event"] == "reused" for e in later)
    assert first.k == second.k == first.model.n_topics_ and first.chosen
    assert (first.model.doc_topic_ == second.model.doc_topic_).all()
    assert list(first.sweep["k"]) == first.ks and "score" in first.sweep


def test_a_fixed_k_and_a_corpus_too_small_for_topics(tmp_path):
    texts, ids = _corpus(40)
    fixed = corpus_topics(texts, ids, seed=1, n_topics=3)
    assert fixed.k == 3 and fixed.model.n_topics_ == 3 and not fixed.chosen
    small = corpus_topics(texts[:3], ids[:3])
    assert small.model is None and small.too_few == "Topics need at least 20 articles; this corpus has 3."
