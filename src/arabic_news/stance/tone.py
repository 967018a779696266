"""Lexicon-based tone of actor mentions, in the spirit of GDELT's tone.

The polarity lexicons (NileULex v0.27 and MoArLex, ``dataset_path('sentiment_lexicons')``) are read at run
time — never copied into the project — and normalised like the text. A sentence's tone is
``(positive − negative) / tokens × 100`` where a lexicon hit (single words and multi-word phrases) is
flipped when a negator (لا، لم، لن، ليس، غير ...) occurs within the previous ``negation_window`` tokens.

* :func:`load_lexicon` — ``{normalised term: +1 | -1}`` with provenance counts.
* :class:`ToneScorer` — scikit-learn style scorer: ``score(text)``, ``transform(texts)``.
* :func:`actor_tone` — tone of every mention's sentence (mentions table: ``doc_id, sentence, actor_id``).
* :func:`aggregate_tone` — per actor, outlet, month (or any columns).
* :func:`validate_on_mawqif` — accuracy / macro-F1 of the scorer against Mawqif's sentiment labels.
"""
from __future__ import annotations

import csv
import logging
import re
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from arabic_news.stance.features import NEGATORS, feature_tokens
from arabic_news.text import clitic_candidates, normalize_text

logger = logging.getLogger(__name__)

NILEULEX_FILE = "NileULex_v0.27.csv"
MOARLEX_FILE = "MoArLexSecondIteration.csv"
_POLARITY = {"positive": 1, "compound_pos": 1, "strong positive": 1, "negative": -1, "compound_neg": -1,
             "strong negative": -1}


class LexiconError(ValueError):
    """A lexicon file that cannot be read (one line naming the file and the problem)."""


def _norm_term(term: str) -> str:
    return " ".join(feature_tokens(term))


def _read_rows(path: Path, term_col: str, pol_col: str) -> list[tuple[str, str]]:
    if not path.is_file():
        raise LexiconError(f"{path}: no such lexicon file")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        cols = reader.fieldnames or []
        for col in (term_col, pol_col):
            if col not in cols:
                raise LexiconError(f"{path}: missing column {col!r} (found {', '.join(cols)})")
        return [(r[term_col] or "", (r[pol_col] or "").strip().lower()) for r in reader]


DEFAULT_WEIGHTS = {"nileulex": 1.0, "moarlex": 0.5}


def load_lexicon(folder: str | Path | None = None, *, sources: Iterable[str] = ("nileulex", "moarlex"),
                 weights: dict[str, float] | None = None, stats: dict | None = None) -> dict[str, float]:
    """Read the lexicons from *folder* (default ``dataset_path('sentiment_lexicons')``) into
    ``{normalised term or phrase: +1/-1}``.

    NileULex (hand-built) wins over MoArLex (automatically expanded) when both list a term; a term listed with
    both polarities inside one lexicon is dropped. *weights* scales each source's hits; the default
    :data:`DEFAULT_WEIGHTS` gives the automatically expanded (noisier) MoArLex half the weight of the hand-built
    NileULex. Pass a dict as *stats* to receive the counts.
    """
    if folder is None:
        from arabic_news.corpus import dataset_path

        folder = dataset_path("sentiment_lexicons")
    folder = Path(folder)
    files = {"nileulex": (NILEULEX_FILE, "term", "polarity"), "moarlex": (MOARLEX_FILE, "Word", "Polarity")}
    lexicon: dict[str, int] = {}
    info: dict = {}
    for src in sources:
        if src not in files:
            raise ValueError(f"unknown lexicon source {src!r}; choose from {', '.join(files)}")
        name, tcol, pcol = files[src]
        own: dict[str, int] = {}
        conflicts: set[str] = set()
        unknown = 0
        for term, pol in _read_rows(folder / name, tcol, pcol):
            value = _POLARITY.get(pol)
            key = _norm_term(term)
            if value is None or not key:
                unknown += 1
                continue
            if key in own and own[key] != value:
                conflicts.add(key)
            own[key] = value
        for key in conflicts:
            own.pop(key, None)
        added = 0
        w = float((DEFAULT_WEIGHTS if weights is None else weights).get(src, 1.0))
        for key, value in own.items():
            if key not in lexicon:
                lexicon[key] = value * w
                added += 1
        info[src] = {"file": str(folder / name), "entries": len(own), "added": added,
                     "conflicting_dropped": len(conflicts), "unusable_rows": unknown}
    info["total"] = len(lexicon)
    if stats is not None:
        stats.update(info)
    logger.info("sentiment lexicon: %s", info)
    return lexicon


class ToneScorer(BaseEstimator):
    """Polarity of texts from a term → ±1 lexicon, with negation handling.

    Parameters: ``lexicon`` (dict of normalised terms/phrases → signed weight, ±1 or a source weight, e.g.
    :func:`load_lexicon`),
    ``negation_window`` (a negator within the previous 1..window tokens flips a hit), ``negators`` (None: the
    stance module's list). ``fit`` indexes the phrases (``max_ngram_``, ``lexicon_``).
    """

    def __init__(self, *, lexicon: dict[str, int] | None = None, negation_window: int = 3,
                 negators: Iterable[str] | None = None, strip_clitics: bool = True):
        self.lexicon = lexicon
        self.negation_window = negation_window
        self.negators = negators
        self.strip_clitics = strip_clitics

    def fit(self, X=None, y=None):
        lex = load_lexicon() if self.lexicon is None else self.lexicon
        self.lexicon_ = {_norm_term(k): float(v) for k, v in lex.items() if _norm_term(k) and v}
        self.max_ngram_ = max((k.count(" ") + 1 for k in self.lexicon_), default=1)
        self.negators_ = (frozenset(normalize_text(w) for w in self.negators) if self.negators is not None
                          else NEGATORS)
        return self

    def _is_negator(self, tok: str) -> bool:
        return tok in self.negators_ or (len(tok) > 2 and tok[0] in "وف" and tok[1:] in self.negators_)

    def score_tokens(self, tokens: list[str]) -> dict[str, float]:
        """Counts for normalised *tokens*: ``pos``, ``neg``, ``n_tokens``, ``n_negated`` and ``tone``."""
        pos = neg = negated = 0
        i, n = 0, len(tokens)
        while i < n:
            hit = None
            for L in range(min(self.max_ngram_, n - i), 0, -1):  # longest phrase first
                value = self.lexicon_.get(" ".join(tokens[i:i + L]))
                if value is not None:
                    hit = (L, value)
                    break
            if hit is None and self.strip_clitics:  # الهجوم / والهجوم / بالنجاح -> هجوم / نجاح
                for _, stem in clitic_candidates(tokens[i])[1:]:
                    value = self.lexicon_.get(stem)
                    if value is not None:
                        hit = (1, value)
                        break
            if hit is None:
                i += 1
                continue
            L, value = hit
            window = tokens[max(0, i - self.negation_window):i]
            if any(self._is_negator(t) for t in window):
                value = -value
                negated += 1
            if value > 0:
                pos += value
            else:
                neg -= value
            i += L
        tone = (pos - neg) / n * 100.0 if n else 0.0
        return {"pos": float(pos), "neg": float(neg), "n_tokens": float(n), "n_negated": float(negated),
                "tone": tone}

    def score(self, text: str) -> dict[str, float]:
        """Counts and tone of one text (normalised and tokenised like the features)."""
        if not hasattr(self, "lexicon_"):
            raise RuntimeError("ToneScorer is not fitted; call fit() first")
        return self.score_tokens(feature_tokens(text))

    def score_many(self, texts: Iterable[str]) -> pd.DataFrame:
        return pd.DataFrame([self.score(str(t)) for t in texts],
                            columns=["pos", "neg", "n_tokens", "n_negated", "tone"])

    def transform(self, texts) -> np.ndarray:
        """Tone of each text as an (n, 1) array."""
        return self.score_many(texts)[["tone"]].to_numpy()

    def get_feature_names_out(self, input_features=None):
        return np.asarray(["tone"], dtype=object)


# --------------------------------------------------------------------------------------------------
_FALLBACK_BREAK_RE = re.compile(r"[.!?؟؛\n]+\s*")


def _default_sentences(title, body) -> list[str]:
    """The sentences of an article as the actors module indexes them (fallback: split on . ! ? ؟ ؛ newline)."""
    try:
        from arabic_news.actors.extract import article_text
        from arabic_news.actors.matcher import sentence_breaks
    except ImportError:  # pragma: no cover - actors module absent
        text = f"{title}\n\n{body}" if title else str(body)
        breaks = [m.end() for m in _FALLBACK_BREAK_RE.finditer(text)]
    else:
        text = article_text(title, body)
        breaks = sentence_breaks(text)
    bounds = [0] + breaks + [len(text)]
    return [text[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def actor_tone(mentions: pd.DataFrame, articles: pd.DataFrame, scorer: ToneScorer, *,
               sentence_splitter: Callable[[str, str], list[str]] | None = None) -> pd.DataFrame:
    """Tone of the sentence of every mention.

    *mentions*: ``doc_id, sentence (0-based index), actor_id`` (+ any columns, kept). *articles*: a
    ``load_articles`` frame (``doc_id, title, body, source, date``). *sentence_splitter(title, body)*
    returns the article's sentences indexed like the mentions (default: the actors module's sentence
    breaks). Each (doc, sentence) is scored once. Mentions whose document or sentence is missing get NaN
    tone and a ``status`` saying why (nothing is dropped silently).
    """
    missing = [c for c in ("doc_id", "sentence", "actor_id") if c not in mentions.columns]
    if missing:
        raise ValueError(f"mentions table lacks column(s) {', '.join(missing)} (expected doc_id, sentence, actor_id)")
    split = sentence_splitter or _default_sentences
    arts = articles.set_index(articles["doc_id"].astype(str))
    wanted = set(mentions["doc_id"].astype(str))
    sentences: dict[str, list[str]] = {}
    for doc_id in wanted:
        if doc_id in arts.index:
            row = arts.loc[doc_id]
            if isinstance(row, pd.DataFrame):
                row = row.iloc[0]
            sentences[doc_id] = split(str(row.get("title", "") or ""), str(row.get("body", "") or ""))
    cache: dict[tuple[str, int], dict] = {}
    out_rows = []
    for doc_id, sent in zip(mentions["doc_id"].astype(str), mentions["sentence"]):
        sents = sentences.get(doc_id)
        if sents is None:
            out_rows.append({"status": "unknown doc_id", "sentence_text": None})
            continue
        try:
            k = int(sent)
        except (TypeError, ValueError):
            out_rows.append({"status": "bad sentence index", "sentence_text": None})
            continue
        if not 0 <= k < len(sents):
            out_rows.append({"status": "sentence out of range", "sentence_text": None})
            continue
        key = (doc_id, k)
        if key not in cache:
            cache[key] = scorer.score(sents[k])
        out_rows.append({"status": "ok", "sentence_text": sents[k].strip(), **cache[key]})
    scored = pd.DataFrame(out_rows, index=mentions.index)
    for col in ("pos", "neg", "n_tokens", "n_negated", "tone"):
        if col not in scored.columns:
            scored[col] = np.nan
    result = pd.concat([mentions.reset_index(drop=True), scored.reset_index(drop=True)], axis=1)
    meta_cols = [c for c in ("source", "date") if c in articles.columns and c not in result.columns]
    if meta_cols:
        meta = articles[["doc_id", *meta_cols]].drop_duplicates("doc_id").assign(doc_id=lambda d: d["doc_id"].astype(str))
        result = result.assign(doc_id=result["doc_id"].astype(str)).merge(meta, on="doc_id", how="left")
    bad = int((result["status"] != "ok").sum())
    if bad:
        logger.warning("actor_tone: %d of %d mentions could not be scored (see the 'status' column)", bad, len(result))
    return result


def aggregate_tone(scored: pd.DataFrame, *, by: str | list[str] = "actor") -> pd.DataFrame:
    """Aggregate scored mentions. *by*: ``'actor'``, ``'outlet'``, ``'month'``, or column name(s).

    Columns: ``n_mentions``, ``n_documents``, ``tone`` (GDELT-like: (Σpos − Σneg) / Σtokens × 100 over the
    group's distinct sentences), ``mean_sentence_tone``, ``share_positive`` / ``share_negative`` (of sentences
    with tone > 0 / < 0).
    """
    alias = {"actor": ["actor_id"], "outlet": ["source"], "month": ["month"],
             "actor_outlet": ["actor_id", "source"], "actor_month": ["actor_id", "month"]}
    keys = alias.get(by, [by]) if isinstance(by, str) else list(by)
    df = scored[scored["status"] == "ok"].copy()
    if "month" in keys:
        df["month"] = pd.to_datetime(df["date"], errors="coerce").dt.to_period("M").astype(str)
        df = df[df["month"] != "NaT"]
    for k in keys:
        if k not in df.columns:
            raise ValueError(f"cannot aggregate tone by {k!r}: the scored table has no such column")
    sent = df.drop_duplicates([*keys, "doc_id", "sentence"])
    g = sent.groupby(keys, dropna=False)
    table = pd.DataFrame({
        "n_sentences": g.size(),
        "pos": g["pos"].sum(),
        "neg": g["neg"].sum(),
        "n_tokens": g["n_tokens"].sum(),
        "mean_sentence_tone": g["tone"].mean(),
        "share_positive": g["tone"].apply(lambda s: float((s > 0).mean())),
        "share_negative": g["tone"].apply(lambda s: float((s < 0).mean())),
    })
    table["tone"] = (table["pos"] - table["neg"]) / table["n_tokens"].where(table["n_tokens"] > 0) * 100.0
    gm = df.groupby(keys, dropna=False)
    table["n_mentions"] = gm.size()
    table["n_documents"] = gm["doc_id"].nunique()
    cols = ["n_mentions", "n_documents", "n_sentences", "tone", "mean_sentence_tone", "share_positive",
            "share_negative", "pos", "neg", "n_tokens"]
    return table[cols].reset_index().sort_values("n_mentions", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
SENTIMENT_LABELS = ("Positive", "Neutral", "Negative")


def tone_to_sentiment(tone, low: float, high: float) -> np.ndarray:
    """Map tone values to Negative (< low) / Neutral / Positive (> high)."""
    tone = np.asarray(tone, dtype=float)
    return np.where(tone > high, "Positive", np.where(tone < low, "Negative", "Neutral")).astype(object)


def validate_on_mawqif(scorer: ToneScorer, data: pd.DataFrame, *, tune_fraction: float = 0.2, seed: int = 42,
                       grid: Iterable[float] = (-5, -2, -1, -0.5, 0, 0.5, 1, 2, 5)) -> dict:
    """Accuracy and macro-F1 of the tone scorer against Mawqif's ``sentiment`` labels.

    Two thresholds (low, high) are tuned by macro-F1 on a seeded, label-stratified *tune_fraction* of
    *data* only, then applied to the rest (the reported figures). Also reports the untuned rule
    (low = high = 0) on the evaluation part, and the majority-class baseline.
    """
    from sklearn.metrics import accuracy_score, f1_score

    from arabic_news.stance.data import stratified_dev_split

    if "sentiment" not in data.columns:
        raise ValueError("data needs a 'sentiment' column (Mawqif: Positive / Neutral / Negative)")
    data = data[data["sentiment"].isin(SENTIMENT_LABELS)].reset_index(drop=True)
    evalpart, tune = stratified_dev_split(data, by=("sentiment",), dev_fraction=tune_fraction, seed=seed)
    t_tune = scorer.score_many(tune["text"])["tone"].to_numpy()
    best = None
    grid = sorted(set(float(g) for g in grid))
    for lo in grid:
        for hi in grid:
            if hi < lo:
                continue
            f = f1_score(tune["sentiment"], tone_to_sentiment(t_tune, lo, hi), labels=list(SENTIMENT_LABELS),
                         average="macro", zero_division=0)
            if best is None or f > best[0] + 1e-12:
                best = (f, lo, hi)
    _, lo, hi = best
    scores = scorer.score_many(evalpart["text"])
    y = evalpart["sentiment"].to_numpy()
    pred = tone_to_sentiment(scores["tone"], lo, hi)
    pred0 = tone_to_sentiment(scores["tone"], 0.0, 0.0)
    majority = pd.Series(tune["sentiment"]).mode().iloc[0]
    labels = list(SENTIMENT_LABELS)
    return {
        "n_tune": int(len(tune)), "n_eval": int(len(evalpart)), "threshold_low": lo, "threshold_high": hi,
        "accuracy": float(accuracy_score(y, pred)),
        "macro_f1": float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
        **{f"f1_{lab}": float(v) for lab, v in zip(labels, f1_score(y, pred, labels=labels, average=None, zero_division=0))},
        "untuned_accuracy": float(accuracy_score(y, pred0)),
        "untuned_macro_f1": float(f1_score(y, pred0, labels=labels, average="macro", zero_division=0)),
        "majority_class": str(majority),
        "majority_accuracy": float(np.mean(y == majority)),
        "coverage": float((scores["pos"] + scores["neg"] > 0).mean()),
    }


def plot_tone(table: pd.DataFrame, *, label: str = "source", value: str = "tone", title: str = "", ax=None):
    """Diverging horizontal bars of tone per group (negative red, positive green), most negative at the bottom."""
    import matplotlib.pyplot as plt

    data = table[[label, value]].dropna().sort_values(value, ascending=False, kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.32 * len(data) + 1.3), layout="constrained")
    y = np.arange(len(data))
    colors = np.where(data[value] >= 0, "#2a9d8f", "#e76f51")
    ax.barh(y, data[value], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, data[label].astype(str))
    ax.invert_yaxis()
    ax.set_xlabel("tone = (positive − negative) / tokens × 100")
    if title:
        ax.set_title(title, loc="right")
    return ax
