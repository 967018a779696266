"""Stance and tone on a corpus, computed once and kept in the corpus' analysis store.

:func:`cached_actor_tone` (the tone of every actor mention's sentence) and :func:`cached_claim_tracking` (the
articles retrieved for each claim, with the claim model's stance) read their result from
:class:`arabic_news.corpus.store.AnalysisStore` when an entry with the same key exists, and compute and store
it otherwise. The key holds everything that changes the result: the sample (size, seed), the fingerprints of the
tone lexicon and scorer settings, of the actor gazetteer, of the claim model file and the content hash of the
claims file, the claim model's reliability thresholds and retrieval cut-off, and the cap per claim. A
changed lexicon, gazetteer, model, thresholds or claims file is a new entry, never a stale one.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

logger = logging.getLogger(__name__)

#: bump when the computation behind a stored entry changes (part of every key)
ANALYSES_VERSION = 3  # 2: tone rules (negation scope, intensifiers, contrast); 3: claim reliability + cut-off


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's content (claims file, model file)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def tone_fingerprint(scorer) -> str:
    """A hash of a :class:`~arabic_news.stance.tone.ToneScorer`'s lexicon (terms and weights) and settings."""
    params = {k: v for k, v in scorer.get_params().items() if k != "lexicon"}
    payload = json.dumps({"lexicon": sorted((scorer.lexicon or {}).items()), "params": params},
                         ensure_ascii=False, sort_keys=True, default=str)
    return _sha256_bytes(payload.encode("utf-8"))[:16]


def _canonical(value):
    """*value* as plain JSON values, the same in every process (sets sorted, dataclasses as dicts)."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def gazetteer_fingerprint(gazetteer) -> str:
    """A hash of the actor gazetteer's records (every field of every actor) and of the matcher's code (its
    context rules live there): a changed gazetteer or matcher gives new mentions, hence a new store entry."""
    from arabic_news.actors import extract, matcher

    records = sorted(json.dumps(_canonical(actor), ensure_ascii=False, sort_keys=True) for actor in gazetteer)
    h = hashlib.sha256("\n".join(records).encode("utf-8"))
    for module in (matcher, extract):
        try:
            h.update(Path(module.__file__).read_bytes())
        except (OSError, TypeError):  # pragma: no cover - source not readable (zipped install)
            h.update(module.__name__.encode())
    return h.hexdigest()[:16]


def _plain_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain object columns, as when computed (a table read back from parquet may come with pandas'
    string dtype): the same frame on the first run and on a rerun."""
    text = [c for c in df.columns if isinstance(df[c].dtype, pd.StringDtype)]
    return df.astype({c: object for c in text}) if text else df


def cached_actor_tone(store, articles: pd.DataFrame, scorer, *, params: dict[str, Any],
                      gazetteer=None) -> pd.DataFrame:
    """The :func:`~arabic_news.stance.tone.actor_tone` table of *articles* (every actor mention with the tone of
    its sentence), from *store* when present. *params* must say which articles these are (e.g. sample size and
    seed); the tone and gazetteer fingerprints are added here."""
    from arabic_news.actors import extract
    from arabic_news.actors.gazetteer import load_gazetteer
    from arabic_news.stance.tone import actor_tone

    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    key = {**params, "version": ANALYSES_VERSION, "tone": tone_fingerprint(scorer),
           "gazetteer": gazetteer_fingerprint(gazetteer)}

    def compute() -> pd.DataFrame:
        # the corpus' actor mentions, as the topics and actors pages read them (computed once, in the store)
        mentions = extract.corpus_mentions(articles, store=store, matcher=extract.corpus_matcher(gazetteer, fit=False),
                                           n_jobs=2)
        return actor_tone(mentions, articles, scorer, n_jobs=2)

    return _plain_strings(store.frame("tone_sentences", key, compute))


#: sentences re-scored for the tone page's lexicon and rules summary (a seeded sample above this many)
SUMMARY_SENTENCES = 20_000


def cached_tone_summary(store, sentences: pd.DataFrame, scorer, *, params: dict[str, Any], seed: int = 42,
                        max_sentences: int = SUMMARY_SENTENCES) -> dict:
    """What the tone page says about the lexicon and the rules, for the distinct actor sentences *sentences*
    (rows of :func:`cached_actor_tone` with ``sentence_text``, ``tone``, ``n_hits`` and ``n_negated``), from
    *store* when present: ``coverage`` (:func:`~arabic_news.stance.tone.lexicon_coverage` without the per-term
    counts; the share of sentences with a lexicon word counted on every sentence) and ``rules`` (the share of
    sentences with a negated lexicon word, and the share whose sign differs from a plain lexicon count without the
    negation, intensifier and contrast rules). Re-scoring is needed only for the share of words inside hits, the
    number of entries matched and the plain count: above *max_sentences* sentences it runs on a seeded sample of
    that many (``coverage["n_rescored"]`` says how many)."""
    import numpy as np

    from arabic_news.stance.tone import ToneScorer, lexicon_coverage

    key = {**params, "version": ANALYSES_VERSION, "tone": tone_fingerprint(scorer), "n": int(len(sentences)),
           "max_sentences": int(max_sentences), "seed": int(seed)}

    def compute() -> dict:
        n = len(sentences)
        rows = sentences
        if n > max_sentences:
            rows = sentences.iloc[np.sort(np.random.default_rng(seed).choice(n, size=max_sentences, replace=False))]
        texts = rows["sentence_text"].astype(str).tolist()
        coverage = {k: v for k, v in lexicon_coverage(scorer, texts).items() if k != "matched_counts"}
        coverage["n_rescored"] = len(texts)
        coverage["n_sentences"] = n
        if "n_hits" in sentences.columns and n:
            coverage["share_sentences_with_hit"] = float((sentences["n_hits"] > 0).mean())
        plain = ToneScorer(lexicon=scorer.lexicon_, negation_window=0, intensifier_weight=1.0, contrast_before=1.0,
                           contrast_after=1.0).fit().score_many(texts)["tone"].to_numpy()
        rules = {"negated": float((sentences["n_negated"] > 0).mean()) if n else 0.0,
                 "sign_changed": float((np.sign(plain) != np.sign(rows["tone"].to_numpy())).mean()) if len(rows)
                 else 0.0}
        return {"coverage": coverage, "rules": rules}

    if store is None:
        return compute()
    return store.json("tone_summary", key, compute, desc=f"lexicon coverage of {len(sentences):,} sentences")


def cached_claim_tracking(store, claims: pd.DataFrame, articles: pd.DataFrame, model, *, params: dict[str, Any],
                          claims_hash: str, model_hash: str, reliability, max_per_claim: int,
                          retriever=None, progress: bool = False):
    """The :func:`~arabic_news.stance.claims.track_claims` result, its ``matches`` table from *store* when
    present (the counts per claim, outlet and day are derived from it). *claims_hash* is the content hash of
    the claims file, *model_hash* that of the claim model file (:func:`file_hash`), *reliability* the model's
    :class:`~arabic_news.stance.calibration.ClaimReliability` (thresholds and retrieval cut-off, both in the key)."""
    from arabic_news.stance.claims import track_claims, tracking_from_matches

    key = {**params, "version": ANALYSES_VERSION, "claims": claims_hash, "model": model_hash,
           "reliability": reliability.fingerprint(), "cutoff": round(reliability.retrieval_cutoff, 6),
           "thresholds": {lab: reliability.thresholds.threshold(lab)
                          for lab in ("related", "agree", "disagree", "discuss")},
           "max_per_claim": int(max_per_claim)}

    def compute() -> pd.DataFrame:
        return track_claims(claims, articles, model, reliability.thresholds, cutoff=reliability.retrieval_cutoff,
                            max_per_claim=max_per_claim, retriever=retriever, progress=progress).matches

    matches = _plain_strings(store.frame("claim_matches", key, compute))
    return tracking_from_matches(matches, claims, articles, max_per_claim=max_per_claim)
