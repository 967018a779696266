"""A trained Arabic NER tagger (CRF) for the names the gazetteer lacks.

- :func:`read_conll` reads ``token tag`` files (blank line between sentences).
- :class:`NERTagger` is a scikit-learn style CRF tagger (sklearn-crfsuite) over the features of
  :mod:`arabic_news.actors.ner_features` (word, affixes, clitics, shape, context, trigger words, name lists,
  distributional word clusters learned from SaudiNewsNet).
- :func:`train_ner` trains on CLEANANERCorp's training file minus a seeded development split of sentence blocks,
  scores the development split and saves the model; :func:`evaluate_ner` scores a model on any CoNLL file
  (entity level, seqeval's definition).
- :func:`discover_candidates` lists the names a tagger finds in a corpus that the gazetteer does not know.
"""
from __future__ import annotations

import json
import logging
import math
import re
import struct
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from arabic_news import config
from arabic_news.actors.ner_features import (
    FEATURE_GROUPS,
    add_document_features,
    build_word_clusters,
    load_name_lists,
    normalize_token,
    proclitic_variants,
    sentence_features,
    split_proclitic,
    strip_conjunction_preposition,
)

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "ner_crf.model.zip"
TRAIN_FILE = "cleananercorp_TRAIN.txt"
ENTITY_TYPES = ("PERS", "ORG", "LOC", "MISC")
_TAG_RE = re.compile(r"^(O|[BI]-[A-Za-z][A-Za-z0-9_]*)$")


class ConllFormatError(ValueError):
    """A CoNLL file has a line that is not ``token tag``."""


def default_model_path() -> Path:
    """Where the trained tagger is saved: ``config.MODELS_DIR / 'ner_crf.model.zip'``."""
    return config.MODELS_DIR / DEFAULT_MODEL_NAME


def default_train_path() -> Path:
    """CLEANANERCorp's training file (through :func:`arabic_news.corpus.dataset_path`)."""
    from arabic_news.corpus import dataset_path

    return dataset_path("cleananercorp") / TRAIN_FILE


# --------------------------------------------------------------------------------------------------------------
# Reading CoNLL
# --------------------------------------------------------------------------------------------------------------

def read_conll(path: str | Path, *, tag_map: Callable[[str], str] | None = None) -> list[list[tuple[str, str]]]:
    """Read a ``token tag`` per line file with blank lines between sentences.

    Tolerates a BOM, CRLF line ends, tabs and trailing spaces. With more than two fields on a line, the first is
    the token and the last the tag (CoNLL-2003 style). *tag_map* rewrites each tag before it is checked (e.g. to
    map another corpus's labels). A line with a single field or a tag that is not ``O``/``B-X``/``I-X`` raises
    :class:`ConllFormatError` naming the file and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such CoNLL file; pass a file with one 'token tag' per line")
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with open(path, encoding="utf-8-sig", newline=None) as fh:
        for lineno, line in enumerate(fh, start=1):
            fields = line.split()
            if not fields:
                if current:
                    sentences.append(current)
                    current = []
                continue
            if len(fields) < 2:
                raise ConllFormatError(
                    f"{path}:{lineno}: expected 'token tag' but found {line.strip()!r}; "
                    "write one token and its BIO tag per line, separated by a space or a tab"
                )
            token, tag = fields[0], fields[-1]
            if tag_map is not None:
                tag = tag_map(tag)
            if not _TAG_RE.match(tag):
                raise ConllFormatError(
                    f"{path}:{lineno}: {tag!r} is not a BIO tag (O, B-TYPE or I-TYPE); fix the tag on this line"
                )
            current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def split_tokens_tags(sentences: Sequence[Sequence[tuple[str, str]]]) -> tuple[list[list[str]], list[list[str]]]:
    """``[[(token, tag), ...], ...]`` -> (token lists, tag lists)."""
    return [[t for t, _ in s] for s in sentences], [[g for _, g in s] for s in sentences]


def split_dev(sentences: Sequence, *, dev_fraction: float = 0.1, seed: int = config.DEFAULT_SEED,
              block_size: int = 20) -> tuple[list, list]:
    """Carve a development split: contiguous blocks of *block_size* sentences (about one news story; smaller for
    files under ``10 * block_size`` sentences), a seeded random choice of ``round(dev_fraction * n_blocks)``
    blocks goes to dev. Order is kept within each part."""
    if not 0 <= dev_fraction < 1:
        raise ValueError(f"dev_fraction must be in [0, 1), got {dev_fraction}")
    # small files: shrink the blocks so that there are at least 10 of them
    block_size = max(1, min(block_size, len(sentences) // 10))
    n_blocks = math.ceil(len(sentences) / block_size)
    n_dev = int(round(dev_fraction * n_blocks))
    if dev_fraction > 0 and n_blocks > 1:
        n_dev = max(1, min(n_dev, n_blocks - 1))
    rng = np.random.default_rng(seed)
    dev_blocks = set(rng.choice(n_blocks, size=n_dev, replace=False).tolist()) if n_dev else set()
    train, dev = [], []
    for i, s in enumerate(sentences):
        (dev if i // block_size in dev_blocks else train).append(s)
    return train, dev


# --------------------------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------------------------

def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Entity-level scores with seqeval's (default, conlleval-like) definition.

    Returns ``micro_f1``, ``precision``, ``recall``, ``support`` (gold entities), ``n_pred``, ``per_type``
    (type -> F1) and ``per_type_precision``/``per_type_recall``/``per_type_support``.
    """
    from seqeval.metrics import classification_report

    if len(gold) != len(pred) or any(len(g) != len(p) for g, p in zip(gold, pred)):
        raise ValueError("gold and predicted tag sequences differ in length")
    gold = [list(g) for g in gold]
    pred = [list(p) for p in pred]
    if not any(t != "O" for s in gold for t in s) and not any(t != "O" for s in pred for t in s):
        return {"micro_f1": 0.0, "precision": 0.0, "recall": 0.0, "support": 0, "n_pred": 0, "per_type": {},
                "per_type_precision": {}, "per_type_recall": {}, "per_type_support": {}}
    rep = classification_report(gold, pred, output_dict=True, zero_division=0)
    types = sorted(k for k in rep if k not in {"micro avg", "macro avg", "weighted avg"})
    micro = rep["micro avg"]
    from seqeval.metrics.sequence_labeling import get_entities

    n_pred = len(get_entities(pred))
    return {
        "micro_f1": round(float(micro["f1-score"]), 4),
        "precision": round(float(micro["precision"]), 4),
        "recall": round(float(micro["recall"]), 4),
        "support": int(micro["support"]),
        "n_pred": int(n_pred),
        "per_type": {t: round(float(rep[t]["f1-score"]), 4) for t in types},
        "per_type_precision": {t: round(float(rep[t]["precision"]), 4) for t in types},
        "per_type_recall": {t: round(float(rep[t]["recall"]), 4) for t in types},
        "per_type_support": {t: int(rep[t]["support"]) for t in types},
    }


def extract_entities(tokens: Sequence[str], tags: Sequence[str]) -> list[tuple[str, int, int, str]]:
    """Entity spans ``(type, start, end_exclusive, text)`` from BIO tags (seqeval's chunking)."""
    from seqeval.metrics.sequence_labeling import get_entities

    return [(typ, s, e + 1, " ".join(tokens[s:e + 1])) for typ, s, e in get_entities(list(tags))]


# --------------------------------------------------------------------------------------------------------------
# The tagger
# --------------------------------------------------------------------------------------------------------------

_WARNED_NAME_LISTS: set[int] = set()  # taggers already warned about name lists that changed since fit


class NERTagger(BaseEstimator):
    """CRF sequence tagger for Arabic named entities (BIO tags), scikit-learn style.

    Parameters
    ----------
    feature_groups : feature groups of :mod:`arabic_news.actors.ner_features` to use.
    algorithm : crfsuite training algorithm (``'lbfgs'``, ``'ap'`` averaged perceptron, ``'l2sgd'``, ...).
    c1, c2 : L1 and L2 regularisation (``lbfgs`` only).
    max_iterations : training iterations.
    name_sources : name lists for the gazetteer features, read at run time in fit and predict
        (``'gazetteer'``: the project's actor gazetteer; ``'hkiri'``: the Hkiri NE lexicon).
    clusters : ``'auto'`` (SaudiNewsNet word clusters, built once and cached), ``None`` (no cluster features)
        or a ``word -> [cluster ids]`` mapping.
    cluster_seed : seed of the word2vec / k-means cluster build.
    window : context window (words each side).
    doc_window : sentences on either side that make up a token's "document" (``document`` features); the
        sentences given to fit/predict are taken to be in text order.
    """

    def __init__(self, *, feature_groups: Sequence[str] = FEATURE_GROUPS, algorithm: str = "lbfgs",
                 c1: float = 0.1, c2: float = 0.05, max_iterations: int = 100,
                 name_sources: Sequence[str] = ("gazetteer", "hkiri"), clusters="auto",
                 cluster_seed: int = config.DEFAULT_SEED, window: int = 2, doc_window: int = 10,
                 all_possible_transitions: bool = True):
        self.feature_groups = feature_groups
        self.algorithm = algorithm
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.name_sources = name_sources
        self.clusters = clusters
        self.cluster_seed = cluster_seed
        self.window = window
        self.doc_window = doc_window
        self.all_possible_transitions = all_possible_transitions

    # -- features -------------------------------------------------------------------------------------------
    def _name_lists(self):
        if "gazetteer" not in self.feature_groups or not self.name_sources:
            return {}
        return load_name_lists(tuple(self.name_sources))

    def _resolve_clusters(self):
        if "cluster" not in self.feature_groups or self.clusters is None:
            return None
        if isinstance(self.clusters, str):
            if self.clusters != "auto":
                raise ValueError(f"clusters must be 'auto', None or a mapping, got {self.clusters!r}")
            return build_word_clusters(seed=self.cluster_seed)
        return dict(self.clusters)

    def _features(self, X: Iterable[Sequence[str]], clusters, name_lists) -> list[list[dict]]:
        X = [list(s) for s in X]
        feats = [sentence_features(s, groups=self.feature_groups, clusters=clusters, name_lists=name_lists,
                                   window=self.window) for s in X]
        if "document" in self.feature_groups and self.doc_window > 0:
            add_document_features(X, feats, window=self.doc_window)
        return feats

    def transform(self, X: Iterable[Sequence[str]]) -> list[list[dict]]:
        """The crfsuite feature dicts of token sequences *X* (as used by fit/predict)."""
        self._check_fitted()
        return self._features(X, self.clusters_, self._name_lists())

    # -- fit / predict ----------------------------------------------------------------------------------------
    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str]]):
        """Train on token sequences *X* and their BIO tag sequences *y*."""
        import sklearn_crfsuite

        unknown = set(self.feature_groups) - set(FEATURE_GROUPS)
        if unknown:
            raise ValueError(f"unknown feature groups {sorted(unknown)}; choose from {FEATURE_GROUPS}")
        if len(X) != len(y) or any(len(a) != len(b) for a, b in zip(X, y)):
            raise ValueError("X and y differ in length (sentences or tokens)")
        t0 = time.perf_counter()
        self.clusters_ = self._resolve_clusters()
        name_lists = self._name_lists()
        self.name_list_sizes_ = {k: len(v) for k, v in name_lists.items()}
        feats = self._features(X, self.clusters_, name_lists)
        t1 = time.perf_counter()
        kwargs = dict(algorithm=self.algorithm, max_iterations=self.max_iterations,
                      all_possible_transitions=self.all_possible_transitions)
        if self.algorithm == "lbfgs":
            kwargs.update(c1=self.c1, c2=self.c2)
        crf = sklearn_crfsuite.CRF(**kwargs)
        crf.fit(feats, [list(t) for t in y])
        self.crf_ = crf
        self.classes_ = np.array(sorted(crf.classes_))
        self.n_features_ = len(crf.state_features_)
        self.fit_seconds_ = {"features": round(t1 - t0, 1), "crf": round(time.perf_counter() - t1, 1)}
        logger.info("NER tagger trained on %d sentences: %d state features, features %.0fs, CRF %.0fs",
                    len(X), self.n_features_, t1 - t0, time.perf_counter() - t1)
        return self

    def _check_fitted(self):
        if not hasattr(self, "crf_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this NERTagger is not fitted yet; call fit() or load a trained model")

    def predict(self, X: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tag sequences for token sequences *X*."""
        self._check_fitted()
        name_lists = self._name_lists()
        sizes = {k: len(v) for k, v in name_lists.items()}
        if sizes != getattr(self, "name_list_sizes_", sizes) and id(self) not in _WARNED_NAME_LISTS:
            _WARNED_NAME_LISTS.add(id(self))
            logger.warning("name lists differ from training (%s now, %s at fit): gazetteer features may shift",
                           sizes, self.name_list_sizes_)
        X = [list(s) for s in X]
        out: list[list[str]] = [[] for _ in X]
        idx = [i for i, s in enumerate(X) if s]
        if idx:
            preds = self.crf_.predict(self._features([X[i] for i in idx], self.clusters_, name_lists))
            for i, p in zip(idx, preds):
                out[i] = list(p)
        return out

    def score(self, X, y) -> float:
        """Entity-level micro-F1 on (*X*, *y*)."""
        return entity_scores(y, self.predict(X))["micro_f1"]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The CRF's attribute names (features that got a weight), sorted."""
        self._check_fitted()
        return np.array(sorted({attr for attr, _label in self.crf_.state_features_}), dtype=object)


# --------------------------------------------------------------------------------------------------------------
# Train / evaluate / load
# --------------------------------------------------------------------------------------------------------------

#: the ``kind`` of NER model files (see :mod:`arabic_news.model_files`)
MODEL_KIND = "ner"
#: the archive member holding the CRF in crfsuite's own binary model format
CRF_MEMBER = "model.crfsuite"
_CRF_HEADER = struct.Struct("<4sI4s9I")
_CRF_CHUNKS = (b"FEAT", b"CQDB", b"CQDB", b"LFRF", b"AFRF")
#: the model file names earlier versions wrote (pickles: never loaded, only pointed out)
LEGACY_MODEL_NAMES = ("ner_crf.joblib",)


def _retrain_hint(path: Path) -> str:
    return f"retrain it with `arabic-news actors train-ner --model {path}`"


def check_crfsuite_model(data: bytes) -> str | None:
    """Why *data* is not a well-formed crfsuite model file (header, size and the five chunk offsets), or None.

    crfsuite's C reader trusts the offsets in the header; checking them first turns a truncated or garbage
    file into a clear error instead of a read outside the buffer.
    """
    if len(data) < _CRF_HEADER.size:
        return f"its CRF is {len(data)} bytes, shorter than a crfsuite header"
    magic, size, mtype, version, _nf, n_labels, n_attrs, *offsets = _CRF_HEADER.unpack_from(data)
    if magic != b"lCRF" or mtype != b"FOMC":
        return "its CRF is not a crfsuite model (bad magic)"
    if size != len(data):
        return f"its CRF is truncated or padded ({len(data)} bytes, header says {size})"
    if version != 100:
        return f"its CRF has crfsuite format version {version}, not 100"
    if n_labels < 1 or n_attrs < 1:
        return "its CRF has no labels or no attributes"
    for offset, chunk in zip(offsets, _CRF_CHUNKS):
        if not _CRF_HEADER.size <= offset <= len(data) - 8 or data[offset:offset + 4] != chunk:
            return f"its CRF has a damaged {chunk.decode()} chunk"
        (chunk_size,) = struct.unpack_from("<I", data, offset + 4)
        if chunk_size < 8 or offset + chunk_size > len(data):
            return f"its CRF has a {chunk.decode()} chunk that runs past the end of the file"
    return None


def save_tagger(tagger: NERTagger, path: str | Path) -> Path:
    """Write a fitted tagger as a model file: its parameters and learned tables as JSON, the CRF as crfsuite's own
    binary model file (``model.crfsuite`` inside the archive; see :mod:`arabic_news.model_files`)."""
    import copy

    from arabic_news.model_files import write_model_file

    tagger._check_fitted()
    crf = tagger.crf_
    with open(crf.modelfile.name, "rb") as fh:
        crf_bytes = fh.read()
    shell = copy.copy(tagger)
    del shell.crf_
    crf_params = {k: v for k, v in crf.get_params().items() if k not in ("model_filename", "keep_tempfiles")}
    return write_model_file(path, shell, kind=MODEL_KIND, allowed=[NERTagger],
                            meta={"crf_params": crf_params, "labels": [str(c) for c in tagger.classes_]},
                            members={CRF_MEMBER: crf_bytes})


def load_tagger(path: str | Path | None = None) -> NERTagger:
    """Load a tagger saved by :func:`train_ner` / :func:`save_tagger` (default: :func:`default_model_path`).

    Nothing in the file is executed (no pickle); a missing file raises ``FileNotFoundError``, any other unusable
    file (an old joblib pickle, another kind of model, a damaged archive or CRF) :class:`ModelFileError` with one
    line naming the file and the fix.
    """
    import sklearn_crfsuite

    from arabic_news.model_files import ModelFileError, read_model_file

    path = Path(path) if path is not None else default_model_path()
    fix = _retrain_hint(path)
    if not path.is_file():
        legacy = [p for p in (path.with_name(n) for n in LEGACY_MODEL_NAMES) if p.is_file()]
        note = f" ({legacy[0].name} there is a pickle from an earlier version: it is not loaded)" if legacy else ""
        raise FileNotFoundError(f"{path}: no NER model{note}; run `arabic-news actors train-ner` to build it")
    tagger, manifest, members = read_model_file(path, kind=MODEL_KIND, allowed=[NERTagger], fix=fix,
                                                members=[CRF_MEMBER])

    def fail(why: str) -> ModelFileError:
        return ModelFileError(f"{path} is not a usable arabic-news ner model: {why}; {fix}")

    if not isinstance(tagger, NERTagger):
        raise fail(f"the file holds a {type(tagger).__name__}")
    data = members[CRF_MEMBER]
    problem = check_crfsuite_model(data)
    if problem:
        raise fail(problem)
    crf_params = (manifest.get("meta") or {}).get("crf_params")
    if not isinstance(crf_params, dict):
        raise fail("its manifest has no CRF parameters")
    try:
        crf = sklearn_crfsuite.CRF(**crf_params)
    except TypeError as exc:
        raise fail(f"its CRF parameters are not sklearn-crfsuite's ({exc})") from None
    crf.modelfile.refresh()  # a private temporary file, deleted with the CRF
    with open(crf.modelfile.name, "wb") as fh:
        fh.write(data)
    try:
        labels = set(crf.tagger_.labels())
    except Exception as exc:  # noqa: BLE001 - pycrfsuite raises plain ValueError/IOError on bad files
        raise fail(f"crfsuite cannot open its CRF ({exc})") from None
    if labels != {str(c) for c in getattr(tagger, "classes_", ())}:
        raise fail("its CRF labels differ from the tagger's classes")
    tagger.crf_ = crf
    return tagger


def train_ner(data_path: str | Path | None = None, model_path: str | Path | None = None, *,
              dev_fraction: float = 0.1, seed: int = config.DEFAULT_SEED, **params) -> dict:
    """Train the NER tagger on *data_path* minus a seeded dev split, score the dev split, save the model.

    *data_path* defaults to CLEANANERCorp's training file, *model_path* to :func:`default_model_path`;
    *params* go to :class:`NERTagger`. With ``dev_fraction=0`` everything is used for training (no dev scores).
    Returns the dev scores (see :func:`entity_scores`) with the split sizes, timings, model path and size;
    they are also written next to the model as ``<model>.metrics.json``.
    """
    data_path = Path(data_path) if data_path is not None else default_train_path()
    model_path = Path(model_path) if model_path is not None else default_model_path()
    sentences = read_conll(data_path)
    train, dev = split_dev(sentences, dev_fraction=dev_fraction, seed=seed)
    X_train, y_train = split_tokens_tags(train)
    params.setdefault("cluster_seed", seed)
    tagger = NERTagger(**params)
    logger.info("training NER on %d sentences of %s (dev: %d sentences)", len(train), data_path, len(dev))
    t0 = time.perf_counter()
    tagger.fit(X_train, y_train)
    train_seconds = time.perf_counter() - t0
    result: dict = {}
    if dev:
        X_dev, y_dev = split_tokens_tags(dev)
        t1 = time.perf_counter()
        result.update(entity_scores(y_dev, tagger.predict(X_dev)))
        result["predict_seconds"] = round(time.perf_counter() - t1, 1)
    save_tagger(tagger, model_path)
    result.update({
        "data": str(data_path), "model": str(model_path), "model_bytes": model_path.stat().st_size,
        "dev_fraction": dev_fraction, "seed": seed,
        "n_train_sentences": len(train), "n_dev_sentences": len(dev),
        "n_train_tokens": sum(map(len, train)), "n_dev_tokens": sum(map(len, dev)),
        "train_seconds": round(train_seconds, 1), "fit_seconds": tagger.fit_seconds_,
        "n_features": tagger.n_features_, "name_list_sizes": tagger.name_list_sizes_,
        "params": {k: (v if isinstance(v, (str, int, float, bool, type(None))) else
                       (list(v) if isinstance(v, (list, tuple)) else type(v).__name__))
                   for k, v in tagger.get_params().items()},
    })
    with open(model_path.with_name(model_path.name + ".metrics.json"), "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=2)
    return result


def evaluate_tagger(tagger: NERTagger, sentences: Sequence[Sequence[tuple[str, str]]]) -> dict:
    """Entity-level scores of *tagger* on gold *sentences* (``[(token, tag), ...]`` lists)."""
    X, y = split_tokens_tags(sentences)
    scores = entity_scores(y, tagger.predict(X))
    scores.update({"n_sentences": len(X), "n_tokens": sum(map(len, X))})
    return scores


def evaluate_ner(data_path: str | Path, model_path: str | Path | None = None, *,
                 tag_map: Callable[[str], str] | None = None) -> dict:
    """Score the saved tagger on a CoNLL file (entity level, seqeval's definition).

    When the model file does not exist it is trained first with :func:`train_ner`'s defaults (logged).
    Returns ``micro_f1``, ``precision``, ``recall``, ``support``, ``per_type`` (type -> F1) and the per-type
    precision/recall/support, plus ``data``, ``model``, ``n_sentences`` and ``n_tokens``.
    """
    data_path = Path(data_path)
    sentences = read_conll(data_path, tag_map=tag_map)  # fail fast on bad input, before any training
    model_path = Path(model_path) if model_path is not None else default_model_path()
    if not model_path.is_file():
        logger.warning("no NER model at %s: training it first (train-ner with default settings)", model_path)
        train_ner(model_path=model_path)
    tagger = load_tagger(model_path)
    result = evaluate_tagger(tagger, sentences)
    result.update({"data": str(data_path), "model": str(model_path)})
    return result


# --------------------------------------------------------------------------------------------------------------
# Discovery of names the gazetteer lacks
# --------------------------------------------------------------------------------------------------------------

_SENT_END = {".", "!", "?", "؟", "…"}
MAX_SENTENCE_TOKENS = 80


def _sentences_of(text: str) -> list[list[str]]:
    from arabic_news.text import tokenize

    out: list[list[str]] = []
    for para in str(text or "").split("\n"):
        cur: list[str] = []
        for tok in tokenize(para):
            cur.append(tok)
            if tok in _SENT_END or len(cur) >= MAX_SENTENCE_TOKENS:
                out.append(cur)
                cur = []
        if cur:
            out.append(cur)
    return out


def candidate_key(span_tokens: Sequence[str], counts: Mapping[str, int] | None = None) -> str:
    """The normalised form of a found name, punctuation dropped, its first token's proclitic removed.

    With *counts* (normalised token frequencies of the corpus), the first token becomes the least-stripped
    reading that is more frequent on its own than the token as written (``وبغداد`` -> ``بغداد``, ``للعراق`` ->
    ``العراق``, but ``وليد`` stays); without, only proclitics before the article are removed (``وبالعراق`` ->
    ``العراق``).
    """
    toks = [normalize_token(t) for t in span_tokens]
    toks = [t for t in toks if re.search(r"\w", t)]
    if not toks:
        return ""
    first = toks[0]
    if counts is None:
        if split_proclitic(first)[0][-2:] in ("ال", "لل"):
            toks[0] = strip_conjunction_preposition(first)
    else:
        own = counts.get(first, 0)
        for v in proclitic_variants(first)[1:]:
            if counts.get(v, 0) > own:
                toks[0] = v
                break
    return " ".join(toks)


def _is_known(key: str, known: set[str]) -> bool:
    toks = key.split(" ")
    for first in proclitic_variants(toks[0]):
        cand = " ".join([first] + toks[1:])
        alt = cand[2:] if cand.startswith("ال") else "ال" + cand
        if cand in known or alt in known:
            return True
    return False


def _known_aliases(gazetteer) -> set[str]:
    from arabic_news.actors.gazetteer import normalize_form

    if gazetteer is None:
        from arabic_news.actors.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    if hasattr(gazetteer, "alias_index"):
        keys = set(gazetteer.alias_index())
        if hasattr(gazetteer, "short_name_index"):
            keys |= set(gazetteer.short_name_index())
    elif isinstance(gazetteer, Mapping):
        keys = set(gazetteer)
    else:
        keys = set(gazetteer)
    return {normalize_form(k) for k in keys}


def discover_candidates(articles, gazetteer=None, *, model_path: str | Path | None = None, min_count: int = 2,
                        tagger: NERTagger | None = None, text_columns: Sequence[str] = ("title", "body"),
                        types: Sequence[str] | None = ("PERS", "ORG", "LOC"), max_examples: int = 3):
    """Names the NER tagger finds in *articles* that the gazetteer lacks, ranked by frequency.

    *articles* is an ingest DataFrame (``doc_id`` and text columns); *gazetteer* a
    :class:`arabic_news.actors.gazetteer.Gazetteer` (or any collection of aliases; None loads the project's).
    A name counts as known when its normalised form (proclitic و/ف/ب/ك/ل removed), with or without the article
    ال, is an alias or short name. Returns a DataFrame with ``name``, ``type`` (the most frequent predicted
    type), ``types`` (type -> count), ``count``, ``n_docs``, ``examples`` (up to *max_examples* sentences) and
    ``forms`` (surface forms seen), sorted by count then n_docs; names seen fewer than *min_count* times are
    dropped. Only mentions of *types* are kept (default PERS/ORG/LOC: ANERcorp's MISC is mostly nationality and
    religion adjectives, not actors; ``None`` keeps all); names with fewer than two letters are dropped.
    The DataFrame's ``attrs`` hold ``n_mentions`` (entity mentions of those types) and ``n_known`` (already in
    the gazetteer).
    """
    import pandas as pd
    from tqdm.auto import tqdm

    known = _known_aliases(gazetteer)
    tagger = tagger if tagger is not None else load_tagger(model_path)
    counts: Counter = Counter()
    type_counts: dict[str, Counter] = defaultdict(Counter)
    docs: dict[str, set] = defaultdict(set)
    examples: dict[str, list[str]] = defaultdict(list)
    forms: dict[str, Counter] = defaultdict(Counter)
    n_mentions = n_known = 0
    cols = [c for c in text_columns if c in articles.columns]
    if not cols:
        raise ValueError(f"articles have none of the text columns {list(text_columns)}")
    ids = articles["doc_id"] if "doc_id" in articles.columns else pd.Series(range(len(articles)))
    doc_sents: list[tuple[object, list[list[str]]]] = []
    token_counts: Counter = Counter()
    for doc_id, (_, row) in zip(ids, articles[cols].iterrows()):
        sents = []
        for c in cols:
            sents.extend(_sentences_of(row[c]))
        for snt in sents:
            token_counts.update(normalize_token(t) for t in snt)
        doc_sents.append((doc_id, sents))
    for doc_id, sents in tqdm(doc_sents, desc="NER discovery", disable=None):
        if not sents:
            continue
        for toks, tags in zip(sents, tagger.predict(sents)):
            for typ, s, e, _text in extract_entities(toks, tags):
                if types is not None and typ not in types:
                    continue
                key = candidate_key(toks[s:e], token_counts)
                if len(re.findall(r"[^\W\d_]", key)) < 2:
                    continue
                n_mentions += 1
                if _is_known(key, known):
                    n_known += 1
                    continue
                counts[key] += 1
                type_counts[key][typ] += 1
                docs[key].add(doc_id)
                forms[key][" ".join(toks[s:e])] += 1
                if len(examples[key]) < max_examples:
                    sent = " ".join(toks)
                    if sent not in examples[key]:
                        examples[key].append(sent)
    rows = [{"name": k, "type": type_counts[k].most_common(1)[0][0], "types": dict(type_counts[k]), "count": c,
             "n_docs": len(docs[k]), "examples": examples[k], "forms": [f for f, _ in forms[k].most_common(5)]}
            for k, c in counts.items() if c >= min_count]
    logger.info("NER discovery: %d entity mentions, %d already in the gazetteer, %d candidate names (>= %d)",
                n_mentions, n_known, len(rows), min_count)
    df = pd.DataFrame(rows, columns=["name", "type", "types", "count", "n_docs", "examples", "forms"])
    df = df.sort_values(["count", "n_docs", "name"], ascending=[False, False, True], ignore_index=True)
    df.attrs.update({"n_mentions": n_mentions, "n_known": n_known})
    return df
