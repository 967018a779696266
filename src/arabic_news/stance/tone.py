"""Lexicon-based tone of actor mentions, in the spirit of GDELT's tone.

The polarity lexicons (NileULex v0.27 and MoArLex, ``dataset_path('sentiment_lexicons')``) are read at run
time — never copied into the project — and normalised like the text. A sentence's tone is
``(positive − negative) / words × 100`` over its lexicon hits (single words and multi-word phrases), weighted
by explicit rules for negation and its scope, intensifiers and contrast (see :class:`ToneScorer`). Outlet
differences adjusted for the beat are in :mod:`arabic_news.stance.outlet_effects`.

* :func:`load_lexicon` — ``{normalised term: +1 | -1}`` with provenance counts.
* :class:`ToneScorer` — scikit-learn style scorer: ``score(text)``, ``transform(texts)``.
* :func:`actor_tone` — tone of every mention's sentence (mentions table: ``doc_id, sentence, actor_id``).
* :func:`aggregate_tone` — per actor, outlet, month (or any columns), with the share of sentences carrying any
  lexicon word and a cluster-robust interval of the mean sentence tone.
* :func:`lexicon_coverage` — share of sentences and words the lexicon sees.
* :func:`validate_on_mawqif` — accuracy / macro-F1 of the scorer against Mawqif's sentiment labels.
"""
from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from arabic_news.stance.features import feature_tokens
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


# --------------------------------------------------------------------------------------------------
# Rule vocabularies (function words, written plainly and normalised like the text at import time).
#: negators that open a negation scope (ما is handled separately, see :meth:`ToneScorer._negator_at`)
TONE_NEGATORS_RAW = ("لم", "لن", "لا", "ليس", "ليست", "لست", "لسنا", "ليسوا", "ليسا", "لستم", "لسن", "غير", "عدم",
                     "دون", "بدون", "بلا", "مش")
#: nominal negators that may also carry the prepositions ب / ل / من (بعدم، لعدم، بغير، بدون ...)
_NOMINAL_NEGATORS_RAW = ("غير", "عدم", "دون")
#: intensifiers: multiply the adjacent lexicon hit
TONE_INTENSIFIERS_RAW = ("جدا", "للغاية", "بشدة", "كثيرا", "أكثر", "أشد", "بالغ", "بالغة", "شديد", "شديدة",
                         "تماما", "غاية", "بقوة", "أبلغ", "جدًا")
#: contrast markers (one token) -- لكن and its suffixed forms are recognised by prefix, see _contrast_at
_CONTRAST_PAIRS_RAW = (("بيد", "أن"), ("غير", "أن"), ("إلا", "أن"), ("إلا", "أنه"), ("غير", "أنه"),
                       ("بيد", "أنه"))
#: words that end a negation scope without being contrast markers
_SCOPE_BREAK_WORDS_RAW = ("بل", "إلا", "سوى", "لكن", "ولكن")
#: "ما زال / لا يزال / لم يزل ..." mean "still": the negator and the verb are neither negation nor polarity
_CONTINUATIVE_RAW = ("زال", "زالت", "زالوا", "يزال", "تزال", "يزالون", "نزال", "يزل", "تزل", "برح", "يبرح",
                     "تبرح", "انفك", "ينفك", "تنفك", "فتئ", "يفتأ", "تفتأ")
#: words after which ما is a relative / indefinite pronoun ("بعد ما", "كل ما"): never a negator there
_MA_RELATIVE_BEFORE_RAW = ("كل", "بعد", "قبل", "حسب", "مثل", "عند", "أكثر", "أهم", "أبرز", "أن", "إن", "من", "في",
                           "عن", "على", "إلى", "هذا", "وهو", "وهي", "هو", "هي", "بين", "أول", "آخر", "أشد", "حين",
                           "حيث", "منذ", "لا", "سرعان", "طالما", "قلما", "كثيرا", "ريث", "مع")
#: words after ما that make it a question or relative ("ما الذي", "ما هو", "ما هي")
_MA_RELATIVE_AFTER_RAW = ("الذي", "التي", "الذين", "هو", "هي", "هم", "إذا", "إن", "بين", "لم", "لا", "زال", "دام",
                          "يزال", "زالت", "تزال")
#: perfect verbs commonly negated by ما in news prose
_MA_PERFECT_VERBS_RAW = ("كان", "كانت", "كانوا", "كنا", "كنت", "عاد", "عادت", "عادوا", "تمكن", "تمكنت", "تمكنوا",
                         "استطاع", "استطاعت", "استطاعوا")

_SENTENCE_END = set(".!?؟\n")
_CLAUSE_BREAK = set("،,؛;:") | _SENTENCE_END


def _normset(words) -> frozenset[str]:
    return frozenset(normalize_text(w) for w in words)


TONE_NEGATORS = _normset(TONE_NEGATORS_RAW)
TONE_INTENSIFIERS = _normset(TONE_INTENSIFIERS_RAW)
_NOMINAL_NEGATORS = _normset(_NOMINAL_NEGATORS_RAW)
_NOMINAL_ONLY = _normset(("بدون", "بلا"))
_CONTRAST_PAIRS = frozenset((normalize_text(a), normalize_text(b)) for a, b in _CONTRAST_PAIRS_RAW)
_SCOPE_BREAK_WORDS = _normset(_SCOPE_BREAK_WORDS_RAW)
_CONTINUATIVE = _normset(_CONTINUATIVE_RAW)
_MA_RELATIVE_BEFORE = _normset(_MA_RELATIVE_BEFORE_RAW)
_MA_RELATIVE_AFTER = _normset(_MA_RELATIVE_AFTER_RAW)
_MA_PERFECT_VERBS = _normset(_MA_PERFECT_VERBS_RAW)
_MA = normalize_text("ما")
_LA_SIYYAMA = (normalize_text("لا"), normalize_text("سيما"))  # "لا سيما": especially, not a negation
_WORDISH_RE = re.compile(r"\w", re.UNICODE)
SCORE_COLUMNS = ["pos", "neg", "n_tokens", "n_hits", "n_negated", "n_intensified", "tone"]


def _strip_conj(tok: str) -> str:
    """*tok* without a leading و / ف (when something of 2+ letters remains)."""
    return tok[1:] if len(tok) > 2 and tok[0] in "وف" else tok


@lru_cache(maxsize=1 << 18)
def _token_forms(tok: str, strip_clitics: bool) -> tuple[str, ...]:
    """The forms a token is looked up as when it is not a lexicon entry itself: without its proclitics (when
    *strip_clitics*) and without the accusative tanween alef (فشلا -> فشل). Cached: news repeats its words."""
    forms = [stem for _, stem in clitic_candidates(tok)[1:]] if strip_clitics else []
    if tok.endswith("ا") and len(tok) > 3:
        forms += [tok[:-1]] + ([s[:-1] for s in forms if s.endswith("ا") and len(s) > 3])
    return tuple(forms)


class ToneScorer(BaseEstimator):
    """Polarity of texts from a term → signed-weight lexicon, with explicit rules for negation, intensifiers and
    contrast.

    Lexicon hits: the longest lexicon phrase starting at a word first (a phrase that holds its own negator, such
    as "غير مقبول", is one hit and opens no negation scope), then the word itself, its forms without
    proclitics (و ف ب ل ك ال, ``strip_clitics``), and without the accusative tanween alef (فشلا → فشل, ناجحا →
    ناجح). Negators, intensifiers and contrast markers never count as hits themselves (the lexicons list some:
    عدم، شديد، أشد), nor does the verb of the "still" construction (ما زال، لا يزال، لم يزل ...).

    Rules, applied to every hit (and documented in the stance page's methods):

    * **Negation with scope.** A negator (لم لن لا ليس and its forms, غير عدم دون بدون بلا, with و / ف; the nominal
      ones also with ب / ل / من: بعدم، لعدم، بغير، من دون) flips the hits that follow it, up to
      ``negation_window`` words, stopping at a scope boundary: punctuation (. ، ؛ : ! ? ,), a contrast marker
      (لكن and its forms, بيد أن، غير أن، إلا أن), بل، إلا، سوى. The nominal negators (غير، عدم، دون، بدون،
      بلا) govern one noun phrase: they flip only the first hit, and only within the next two words ("عدم
      الاستقرار خطير": استقرار is negated, خطير is not). A flipped hit is multiplied by
      ``negation_factor`` (−1: the opposite polarity). A hit is flipped once however many negators precede it
      (no double negation). ``negation_window = 0`` switches negation off.
    * **ما** is a negator only when it is the bare word ما (never مما، بما، فيما، عما، كما، لما، ربما، إنما),
      the previous word is not one that takes a relative ما (كل، بعد، قبل، حسب، مثل، عند، أكثر، من، في ...),
      and the next word is one of a short list of perfect verbs that news prose negates with ما (كان and its
      forms, عاد، تمكن، استطاع). Before any other verb ما is read as a relative pronoun: in news prose
      "ما يحدث" / "ما قاله" are "what happens / what he said" far more often than negations (MSA negates the
      imperfect with لا). The rule misses some negations ("ما قال شيئا") rather than inventing them.
    * **"Still" is not negation.** ما / لا / لم followed by زال، يزال، يزل، برح، انفك، فتئ ... is skipped as a
      whole: neither a negator nor a polarity word. So is لا سيما ("especially").
    * **Intensifiers** (جدا، للغاية، بشدة، كثيرا، أكثر، أشد، بالغ، شديد، تماما ...) multiply by
      ``intensifier_weight`` the hit right before them (post-modifier: "ناجح جدا") or, failing that, the hit
      right after (pre-modifier: "أشد خطورة"), within one word and the same clause. A hit is intensified once.
    * **Contrast** (لكن، ولكن، لكنه ...، بيد أن، غير أن، إلا أن): inside one sentence (up to . ! ? ؟), hits
      before a contrast marker weigh ``contrast_before`` (0.5) and hits after it ``contrast_after`` (1.5):
      what follows "but" is what the writer stresses. A hit between two markers gets both factors.

    tone = (Σ positive − Σ negative weights) / words × 100 (GDELT-like). ``fit`` indexes the lexicon
    (``lexicon_``, ``max_ngram_``, ``negators_``). ``negators`` replaces the default negator list (ما keeps its
    own rule).
    """

    def __init__(self, *, lexicon: dict[str, float] | None = None, negation_window: int = 5,
                 negation_factor: float = -1.0, intensifier_weight: float = 1.5, contrast_before: float = 0.5,
                 contrast_after: float = 1.5, negators: Iterable[str] | None = None, strip_clitics: bool = True):
        self.lexicon = lexicon
        self.negation_window = negation_window
        self.negation_factor = negation_factor
        self.intensifier_weight = intensifier_weight
        self.contrast_before = contrast_before
        self.contrast_after = contrast_after
        self.negators = negators
        self.strip_clitics = strip_clitics

    def fit(self, X=None, y=None):
        lex = load_lexicon() if self.lexicon is None else self.lexicon
        self.lexicon_ = {_norm_term(k): float(v) for k, v in lex.items() if _norm_term(k) and v}
        self.max_ngram_ = max((k.count(" ") + 1 for k in self.lexicon_), default=1)
        # first word of every multi-word entry -> its longest length: phrases are looked up only where one can start
        starts: dict[str, int] = {}
        for k in self.lexicon_:
            if " " in k:
                first, n = k.split(" ", 1)[0], k.count(" ") + 1
                starts[first] = max(starts.get(first, 1), n)
        self.phrase_starts_ = starts
        self.negators_ = (frozenset(normalize_text(w) for w in self.negators) if self.negators is not None
                          else TONE_NEGATORS)
        return self

    # ---- rule helpers (on normalised word tokens) -------------------------------------------------
    def _plain_negator(self, tok: str) -> bool:
        if tok in self.negators_ or _strip_conj(tok) in self.negators_:
            return True
        bare = _strip_conj(tok)
        for p in ("ب", "ل", "من"):
            if bare.startswith(p) and bare[len(p):] in _NOMINAL_NEGATORS:
                return True
        return False

    @staticmethod
    def _nominal_negator(tok: str) -> bool:
        bare = _strip_conj(tok)
        for p in ("", "ب", "ل", "من"):
            if bare.startswith(p) and bare[len(p):] in _NOMINAL_NEGATORS | _NOMINAL_ONLY:
                return True
        return False

    def _negator_at(self, words: list[str], i: int) -> bool:
        """Is ``words[i]`` a negator (see the class docstring for ما)?"""
        tok = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if _strip_conj(nxt) in _CONTINUATIVE or nxt in _CONTINUATIVE:
            return False  # ما زال / لا يزال: "still"
        if self._plain_negator(tok):
            return True
        if _strip_conj(tok) != _MA and tok != _MA:
            return False
        prev = words[i - 1] if i > 0 else ""
        if prev in _MA_RELATIVE_BEFORE or _strip_conj(prev) in _MA_RELATIVE_BEFORE:
            return False
        if not nxt or nxt in _MA_RELATIVE_AFTER:
            return False
        return nxt in _MA_PERFECT_VERBS

    @staticmethod
    def _contrast_len(words: list[str], i: int) -> int:
        """Number of words of the contrast marker starting at ``words[i]`` (0: none)."""
        bare = _strip_conj(words[i])
        if bare.startswith("لكن") and len(bare) <= 6:
            return 1
        if i + 1 < len(words) and (bare, words[i + 1]) in _CONTRAST_PAIRS:
            return 2
        return 0

    def _lookup(self, tokens: list[str], i: int) -> tuple[int, float] | None:
        n = len(tokens)
        for L in range(min(self.phrase_starts_.get(tokens[i], 1), n - i), 1, -1):  # longest phrase first
            value = self.lexicon_.get(" ".join(tokens[i:i + L]))
            if value is not None:
                return L, value
        value = self.lexicon_.get(tokens[i])
        if value is not None:
            return 1, value
        for form in _token_forms(tokens[i], bool(self.strip_clitics)):
            value = self.lexicon_.get(form)
            if value is not None:
                return 1, value
        return None

    def score_tokens(self, tokens: list[str]) -> dict[str, float]:
        """Counts for normalised *tokens* (punctuation tokens mark clause and sentence boundaries; they do not
        count as words): ``pos``, ``neg`` (weighted sums), ``n_tokens`` (words), ``n_hits``, ``n_negated``,
        ``n_intensified`` and ``tone``."""
        words: list[str] = []
        clause_break_before: list[bool] = []  # punctuation between word i-1 and word i
        sentence_end_before: list[bool] = []
        pending_clause = pending_sentence = False
        for t in tokens:
            if _WORDISH_RE.search(t):
                words.append(t)
                clause_break_before.append(pending_clause)
                sentence_end_before.append(pending_sentence)
                pending_clause = pending_sentence = False
            else:
                pending_clause = pending_clause or any(c in _CLAUSE_BREAK for c in t)
                pending_sentence = pending_sentence or any(c in _SENTENCE_END for c in t)
        n = len(words)
        # roles of the function words
        role = [""] * n  # 'neg', 'int', 'contrast', 'break', 'still' (ما of ما زال and the verb)
        i = 0
        while i < n:
            bare = _strip_conj(words[i])
            nxt = words[i + 1] if i + 1 < n else ""
            c = self._contrast_len(words, i)
            if c:
                for j in range(i, i + c):
                    role[j] = "contrast"
                i += c
                continue
            if ((bare in (_MA, *self.negators_) or self._plain_negator(words[i])) and
                    (nxt in _CONTINUATIVE or _strip_conj(nxt) in _CONTINUATIVE)) or (bare, nxt) == _LA_SIYYAMA:
                role[i] = role[i + 1] = "still"
                i += 2
                continue
            if self.negation_window > 0 and self._negator_at(words, i):
                role[i] = "neg"
            elif words[i] in TONE_INTENSIFIERS or bare in TONE_INTENSIFIERS:
                role[i] = "int"
            elif bare in _SCOPE_BREAK_WORDS or words[i] in _SCOPE_BREAK_WORDS:
                role[i] = "break"
            i += 1
        # lexicon hits (function words never are)
        hits: list[list] = []  # [start, length, value]
        i = 0
        while i < n:
            if role[i] == "neg":  # a lexicon phrase that holds its own negation ("غير مقبول") is one hit
                L = next((L for L in range(min(self.max_ngram_, n - i), 1, -1)
                          if " ".join(words[i:i + L]) in self.lexicon_), 0)
                if L:
                    hits.append([i, L, float(self.lexicon_[" ".join(words[i:i + L])])])
                    role[i] = ""
                    i += L
                    continue
            if role[i]:
                i += 1
                continue
            hit = self._lookup(words, i)
            if hit is None:
                i += 1
                continue
            L, value = hit
            hits.append([i, L, float(value)])
            i += L
        hit_at = {h[0]: k for k, h in enumerate(hits)}
        end_at = {h[0] + h[1] - 1: k for k, h in enumerate(hits)}
        negated = [False] * len(hits)
        intensified = [False] * len(hits)
        # negation scope
        if self.negation_window > 0:
            for i in range(n):
                if role[i] != "neg":
                    continue
                nominal = self._nominal_negator(words[i])
                reach = min(2, int(self.negation_window)) if nominal else int(self.negation_window)
                for j in range(i + 1, min(n, i + 1 + reach)):
                    if clause_break_before[j] or role[j] in ("contrast", "break"):
                        break
                    if j in hit_at:
                        negated[hit_at[j]] = True
                        if nominal:  # غير / عدم / دون / بلا govern one noun phrase
                            break
        # intensifiers: the hit ending right before, else the hit starting right after (same clause)
        for i in range(n):
            if role[i] != "int":
                continue
            k = end_at.get(i - 1) if i > 0 and not clause_break_before[i] else None
            if k is None and i + 1 < n and not clause_break_before[i + 1]:
                k = hit_at.get(i + 1)
            if k is not None:
                intensified[k] = True
        # contrast: per sentence
        sentence_id = np.cumsum([1 if b else 0 for b in sentence_end_before]) if n else np.zeros(0, int)
        markers = [i for i in range(n) if role[i] == "contrast" and (i == 0 or role[i - 1] != "contrast")]
        pos = neg = 0.0
        n_neg = n_int = 0
        for k, (start, _, value) in enumerate(hits):
            if negated[k]:
                value *= float(self.negation_factor)
                n_neg += 1
            if intensified[k]:
                value *= float(self.intensifier_weight)
                n_int += 1
            sid = sentence_id[start]
            if any(sentence_id[m] == sid and m > start for m in markers):
                value *= float(self.contrast_before)
            if any(sentence_id[m] == sid and m < start for m in markers):
                value *= float(self.contrast_after)
            if value > 0:
                pos += value
            else:
                neg -= value
        tone = (pos - neg) / n * 100.0 if n else 0.0
        return {"pos": float(pos), "neg": float(neg), "n_tokens": float(n), "n_hits": float(len(hits)),
                "n_negated": float(n_neg), "n_intensified": float(n_int), "tone": tone}

    def score(self, text: str) -> dict[str, float]:
        """Counts and tone of one text (normalised and tokenised like the features, punctuation kept as
        boundaries)."""
        if not hasattr(self, "lexicon_"):
            raise RuntimeError("ToneScorer is not fitted; call fit() first")
        return self.score_tokens(feature_tokens(text, keep_symbols=True))

    def score_many(self, texts: Iterable[str]) -> pd.DataFrame:
        return pd.DataFrame([self.score(str(t)) for t in texts], columns=SCORE_COLUMNS)

    def matched_terms(self, texts: Iterable[str]) -> Counter:
        """How often each lexicon entry is hit in *texts* (counts only, for coverage reports)."""
        counts: Counter = Counter()
        for text in texts:
            words = [t for t in feature_tokens(str(text)) if _WORDISH_RE.search(t)]
            i = 0
            while i < len(words):
                hit = self._lookup(words, i)
                if hit is None:
                    i += 1
                    continue
                counts[" ".join(words[i:i + hit[0]]) if hit[0] > 1 else words[i]] += 1
                i += hit[0]
        return counts

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


_FORK_SCORER: ToneScorer | None = None  # the scorer, inherited by forked workers (copy-on-write)
#: below this many sentences scoring stays in the calling process
PARALLEL_MIN_SENTENCES = 5000


def _score_chunk(texts: list[str]) -> list[dict]:
    return [_FORK_SCORER.score(t) for t in texts]


def score_texts(scorer: ToneScorer, texts: list[str], *, n_jobs: int = 1) -> list[dict]:
    """``[scorer.score(t) for t in texts]``, in *n_jobs* forked processes for long lists (same results)."""
    import multiprocessing as mp

    global _FORK_SCORER
    if n_jobs <= 1 or len(texts) < PARALLEL_MIN_SENTENCES or "fork" not in mp.get_all_start_methods():
        return [scorer.score(t) for t in texts]
    size = max(1000, len(texts) // (n_jobs * 8))
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    try:
        _FORK_SCORER = scorer
        with mp.get_context("fork").Pool(n_jobs) as pool:
            parts = pool.map(_score_chunk, chunks)
    finally:
        _FORK_SCORER = None
    return [r for part in parts for r in part]


def actor_tone(mentions: pd.DataFrame, articles: pd.DataFrame, scorer: ToneScorer, *,
               sentence_splitter: Callable[[str, str], list[str]] | None = None, n_jobs: int = 1) -> pd.DataFrame:
    """Tone of the sentence of every mention.

    *mentions*: ``doc_id, sentence (0-based index), actor_id`` (+ any columns, kept). *articles*: a
    ``load_articles`` frame (``doc_id, title, body, source, date``). *sentence_splitter(title, body)*
    returns the article's sentences indexed like the mentions (default: the actors module's sentence
    breaks). Each (doc, sentence) is scored once (in *n_jobs* processes when there are many). Mentions whose
    document or sentence is missing get NaN tone and a ``status`` saying why (nothing is dropped silently).
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
    # every distinct (doc, sentence) scored once, all at once
    keys: dict[tuple[str, int], str] = {}
    for doc_id, sent in zip(mentions["doc_id"].astype(str), mentions["sentence"]):
        sents = sentences.get(doc_id)
        try:
            k = int(sent)
        except (TypeError, ValueError):
            continue
        if sents is not None and 0 <= k < len(sents):
            keys.setdefault((doc_id, k), sents[k])
    cache: dict[tuple[str, int], dict] = dict(zip(keys, score_texts(scorer, list(keys.values()), n_jobs=n_jobs)))
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
        out_rows.append({"status": "ok", "sentence_text": sents[k].strip(), **cache[(doc_id, k)]})
    scored = pd.DataFrame(out_rows, index=mentions.index)
    for col in SCORE_COLUMNS:
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


def aggregate_tone(scored: pd.DataFrame, *, by: str | list[str] = "actor", level: float = 0.95) -> pd.DataFrame:
    """Aggregate scored mentions. *by*: ``'actor'``, ``'outlet'``, ``'month'``, ``'actor_outlet'``,
    ``'actor_month'`` or column name(s).

    Each group's distinct sentences (``doc_id, sentence``) count once. Columns: ``n_mentions``, ``n_articles``,
    ``n_sentences``, ``share_with_lexicon`` (share of the sentences with at least one lexicon hit: a tone of 0
    mostly means "no lexicon word", read it with this share), ``mean_tone`` (mean sentence tone) with its
    *level* interval ``tone_lo`` / ``tone_hi`` (cluster-robust by article, CR1, t with articles − 1 df; NaN with
    a single article), ``tone`` (GDELT-like pooled: (Σpos − Σneg) / Σtokens × 100), ``share_positive`` /
    ``share_negative`` (sentences with tone > 0 / < 0), ``pos``, ``neg``, ``n_tokens``.
    """
    from arabic_news.stance.outlet_effects import clustered_mean_ci

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
    if "n_hits" in df.columns:
        df["_with_lexicon"] = df["n_hits"] > 0
    else:  # a table scored before n_hits existed
        df["_with_lexicon"] = (df["pos"] + df["neg"]) > 0
    sent = df.drop_duplicates([*keys, "doc_id", "sentence"])
    g = sent.groupby(keys, dropna=False)
    table = pd.DataFrame({
        "n_sentences": g.size(),
        "share_with_lexicon": g["_with_lexicon"].mean().astype(float),
        "pos": g["pos"].sum(),
        "neg": g["neg"].sum(),
        "n_tokens": g["n_tokens"].sum(),
        "share_positive": g["tone"].apply(lambda s: float((s > 0).mean())),
        "share_negative": g["tone"].apply(lambda s: float((s < 0).mean())),
    })
    ci = {key[0] if len(keys) == 1 and isinstance(key, tuple) else key:
          clustered_mean_ci(d["tone"], d["doc_id"].astype(str), level=level) for key, d in g}
    for j, col in enumerate(("mean_tone", "tone_lo", "tone_hi")):
        table[col] = [ci[key][j] if key in ci else np.nan for key in table.index]
    table["tone"] = (table["pos"] - table["neg"]) / table["n_tokens"].where(table["n_tokens"] > 0) * 100.0
    gm = df.groupby(keys, dropna=False)
    table["n_mentions"] = gm.size()
    table["n_articles"] = gm["doc_id"].nunique()
    cols = ["n_mentions", "n_articles", "n_sentences", "share_with_lexicon", "mean_tone", "tone_lo", "tone_hi",
            "tone", "share_positive", "share_negative", "pos", "neg", "n_tokens"]
    return table[cols].reset_index().sort_values("n_mentions", ascending=False, kind="stable").reset_index(drop=True)


def lexicon_coverage(scorer: ToneScorer, sentences: Iterable[str]) -> dict:
    """How much of a corpus the lexicon sees: ``n_sentences``, ``share_sentences_with_hit`` (sentences with at
    least one lexicon hit, after the scorer's rules), ``n_words``, ``share_words_in_hits`` (words inside a
    lexicon hit), ``n_terms_matched`` (distinct lexicon entries hit) and ``matched_counts`` (a Counter of hits
    per entry: counts for inspection at run time; do not write lexicon terms into the project)."""
    texts = [str(t) for t in sentences]
    scores = scorer.score_many(texts)
    counts = scorer.matched_terms(texts)
    n_words = float(scores["n_tokens"].sum())
    in_hits = sum(c * (term.count(" ") + 1) for term, c in counts.items())
    return {"n_sentences": len(texts),
            "share_sentences_with_hit": float((scores["n_hits"] > 0).mean()) if len(texts) else float("nan"),
            "n_words": int(n_words), "share_words_in_hits": in_hits / n_words if n_words else float("nan"),
            "n_terms_matched": len(counts), "matched_counts": counts}


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
