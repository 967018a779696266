"""The topic results of a corpus, computed once through its analysis store and reused by every rerun.

Each function takes the texts of the analysed articles with their ``doc_id`` (which articles, in order, is part
of every key) and an :class:`arabic_news.corpus.store.AnalysisStore` (or ``None``: just compute). Entries:

* ``topic_tokens`` -- the token lists of the chosen preprocessing and the readable surface form of each term
  (tokens are kept space-joined, one row per article, in parquet);
* ``topic_k_sweep`` -- the k sweep (coherence, diversity, stability per k);
* ``topic_model`` -- the fitted :class:`~arabic_news.topics.TopicModel` as a model file (JSON + arrays, read
  without executing anything: :mod:`arabic_news.model_files`), with its document-topic weights ``doc_topic_``;
* ``topic_metrics`` -- the chosen model's coherence and diversity on the coherence reference.

Keys hold every setting that changes a result (preprocessing, min_df, k, model, seeds, the articles) and a
fingerprint of the topic code, so a changed algorithm never serves an earlier result.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Sequence

from arabic_news.topics.metrics import evaluate, k_sweep
from arabic_news.topics.models import TopicModel, load_topic_model, save_topic_model, surface_forms

logger = logging.getLogger(__name__)

#: bumped when a stored topic result changes in a way the code fingerprint does not show
TOPICS_VERSION = 1
_TOPIC_CODE = ("arabic_news.topics.models", "arabic_news.topics.metrics", "arabic_news.topics.ctfidf",
               "arabic_news.text.preprocess", "arabic_news.text.stemming", "arabic_news.text.normalize",
               "arabic_news.text.stopwords", "arabic_news.text.tokenize")
_TOKEN_SETTINGS = ("preprocessing", "remove_stopwords", "arabic_only")


def _value(x):
    """*x*, or what it returns when it is a zero-argument callable (tokens read only when they are needed)."""
    return x() if callable(x) else x


def _code() -> str:
    from arabic_news.corpus.store import code_fingerprint

    return code_fingerprint(*_TOPIC_CODE)


def _docs(doc_ids: Sequence[str], texts: Sequence[str] | None = None) -> str:
    """Which articles, and their texts as given (callers may join title and body differently)."""
    from arabic_news.corpus.store import values_fingerprint

    ids = values_fingerprint(str(d) for d in doc_ids)
    return ids if texts is None else f"{ids}:{values_fingerprint(texts).split(':')[1]}"


def _model_settings(model: TopicModel) -> dict[str, Any]:
    return {k: v for k, v in model.get_params(deep=False).items()
            if k not in ("embedding_cache_dir", "use_embedding_cache")}


def topic_tokens(base: TopicModel, texts: Sequence[str], doc_ids: Sequence[str], *, store=None
                 ) -> tuple[list[list[str]], dict[str, str]]:
    """``(tokens, readable)``: ``base.preprocess(texts)`` and the most frequent written form of each term."""
    def compute() -> dict:
        tokens = base.preprocess(list(texts))
        return {"tokens": tokens, "readable": surface_forms(list(texts), base.preprocessor_)}

    if store is None:
        got = compute()
        return got["tokens"], got["readable"]
    import pandas as pd

    settings = {k: getattr(base, k) for k in _TOKEN_SETTINGS}
    params = {"articles": _docs(doc_ids, texts), **settings, "code": _code(), "version": TOPICS_VERSION}
    computed: dict = {}

    def compute_frame():
        computed.update(compute())
        return pd.DataFrame({"doc_id": [str(d) for d in doc_ids],
                             "tokens": [" ".join(t) for t in computed["tokens"]]})

    frame = store.frame("topic_tokens", params, compute_frame, desc=f"topic tokens of {len(texts):,} articles")
    readable = store.json("topic_surface_forms", params, lambda: computed.get("readable") or compute()["readable"],
                          desc="readable forms of the topic terms")
    if computed:
        return computed["tokens"], readable
    return [t.split() if t else [] for t in frame["tokens"].tolist()], readable


def _cores(cap: int = 2) -> int:
    """Worker processes for the k sweep: the available cores, at most *cap* (each worker holds the reference
    texts and tokens)."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cap, cores))


def stored_k_sweep(base: TopicModel, texts: Sequence[str], doc_ids: Sequence[str], ks: Sequence[int], *,
                   seeds: Sequence[int], tokens, store=None):
    """:func:`arabic_news.topics.k_sweep` of *base* over *ks* (one row per k), computed once per corpus."""
    def compute():
        # the runs are independent and seeded: fitted on every core, same table (n_jobs is not part of the key)
        return k_sweep(base, list(texts), list(ks), seeds=list(seeds), tokens=_value(tokens), n_jobs=_cores())

    if store is None:
        return compute()
    params = _sweep_params(base, texts, doc_ids, ks, seeds)
    return store.frame("topic_k_sweep", params, compute, desc=f"k sweep over k = {list(ks)}")


def _sweep_params(base: TopicModel, texts, doc_ids, ks, seeds) -> dict:
    return {"articles": _docs(doc_ids, texts), "ks": [int(k) for k in ks], "seeds": [int(s) for s in seeds],
            "model": _model_settings(base), "code": _code(), "version": TOPICS_VERSION}


def fitted_topic_model(model: TopicModel, texts: Sequence[str], doc_ids: Sequence[str], *, titles=None,
                       tokens=None, readable=None, store=None) -> TopicModel:
    """*model* fitted on *texts* (its ``doc_topic_``: the document-topic weights), or the fitted model stored by
    an earlier run with the same settings and articles (read from a model file: data, never code)."""
    def compute() -> TopicModel:
        return model.fit(list(texts), titles=titles, tokens=_value(tokens), surface_forms=_value(readable))

    if store is None:
        return compute()
    params = {"articles": _docs(doc_ids, texts), "model": _model_settings(model), "titles": titles is not None,
              "code": _code(), "version": TOPICS_VERSION}
    return store.file("topic_model", params, compute, save=lambda m, path: save_topic_model(m, path),
                      load=load_topic_model, suffix=".zip",
                      desc=f"{model.model} topic model (k = {model.n_topics}) on {len(texts):,} articles")


def topic_metrics(model: TopicModel, tokens, reference_ids: Sequence[str], *, store=None) -> dict[str, float]:
    """Coherence (NPMI, C_V) and diversity of a fitted *model* on the reference token lists *tokens*."""
    def compute() -> dict:
        return {k: float(v) for k, v in evaluate(model, _value(tokens)).items()}

    if store is None:
        return compute()
    params = {"reference": _docs(reference_ids), "model": _model_settings(model),
              "terms": [list(map(str, t)) for t in model.topic_terms_], "code": _code(), "version": TOPICS_VERSION}
    return store.json("topic_metrics", params, compute, desc="coherence of the chosen topics")


@dataclass
class CorpusTopics:
    """The topic model of a corpus as the topics page chose it (:func:`corpus_topics`).

    ``model`` is None, and ``too_few`` says in one sentence why, when the corpus is too small for topics.
    ``sweep`` is the k sweep (with each k's ``score``), ``k`` the number of topics used, ``chosen`` whether the
    sweep chose it (False: fixed by the user), ``reference_tokens`` (a zero-argument callable: the token lists are
    read from the store only when a coherence has to be computed) / ``reference_ids`` the coherence reference.
    """

    model: TopicModel | None
    too_few: str | None = None
    sweep: Any = None
    k: int = 0
    chosen: bool = True
    ks: list = field(default_factory=list)
    n_reference: int = 0
    reference_tokens: Any = list
    reference_ids: list = field(default_factory=list)


def corpus_topics(texts: Sequence[str], doc_ids: Sequence[str], *, titles=None, store=None, seed: int = 42,
                  n_topics: int = 0, model: str = "nmf", preprocessing: str = "light", sweep_ks: Sequence[int] = (),
                  reference_size: int = 1000) -> CorpusTopics:
    """The topics of a corpus, every step computed once through *store*: tokens of the chosen *preprocessing*,
    the NMF k sweep on a seeded reference sample of *reference_size* articles (three runs per k), k chosen by
    :func:`~arabic_news.topics.choose_k` unless *n_topics* fixes it, and the *model* fitted on every article.

    The topics page and the stance page (outlets compared within topics) both call it with the same settings,
    so the second reads what the first computed.
    """
    from arabic_news.corpus.loading import sample_positions
    from arabic_news.topics.analysis import MIN_TOPIC_ARTICLES, default_sweep_ks, requirement
    from arabic_news.topics.metrics import choose_k

    texts, doc_ids = list(texts), [str(d) for d in doc_ids]
    too_few = requirement("topics", need=MIN_TOPIC_ARTICLES, have=len(texts))
    if too_few:
        return CorpusTopics(model=None, too_few=too_few)
    min_df = 2 if len(texts) < 2000 else 5
    base = TopicModel(model="nmf", preprocessing=preprocessing, min_df=min_df)
    reference = sample_positions(len(texts), reference_size, seed=seed)
    ref_texts, ref_ids = [texts[i] for i in reference], [doc_ids[i] for i in reference]
    ks = [int(k) for k in sweep_ks] or default_sweep_ks(len(reference))
    seeds = [seed, seed + 1, seed + 2]
    loaded: dict = {}

    def tokens_and_forms():
        # the token lists of every article (millions of strings on a large corpus): read only when a result has to
        # be computed; a rerun that finds the sweep and the model in the store never needs them
        if "tokens" not in loaded:
            loaded["tokens"], loaded["readable"] = topic_tokens(base, texts, doc_ids, store=store)
        return loaded["tokens"], loaded["readable"]

    if store is None or not store.has("topic_k_sweep", _sweep_params(base, ref_texts, ref_ids, ks, seeds)):
        tokens, _ = tokens_and_forms()
        too_few = requirement("topics", need=MIN_TOPIC_ARTICLES, have=sum(1 for t in tokens if t),
                              unit="articles with Arabic words")
        if too_few:
            return CorpusTopics(model=None, too_few=too_few)

    def ref_tokens():
        tokens, _ = tokens_and_forms()
        return [tokens[i] for i in reference]

    sweep = stored_k_sweep(base, ref_texts, ref_ids, ks, seeds=seeds, tokens=ref_tokens, store=store)
    best_k, scores = choose_k(sweep)
    sweep["score"] = sweep["k"].map(scores)
    k = int(n_topics) if n_topics else int(best_k)
    fitted = fitted_topic_model(TopicModel(model=model, n_topics=k, preprocessing=preprocessing, seed=seed,
                                           min_df=min_df),
                                texts, doc_ids, titles=titles, tokens=lambda: tokens_and_forms()[0],
                                readable=lambda: tokens_and_forms()[1], store=store)
    return CorpusTopics(model=fitted, sweep=sweep, k=k, chosen=not n_topics, ks=ks, n_reference=len(reference),
                        reference_tokens=ref_tokens, reference_ids=ref_ids)
