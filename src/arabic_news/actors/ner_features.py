"""Token features for the Arabic NER tagger (:mod:`arabic_news.actors.ner`).

Feature groups (each can be switched off for ablations):

``word``      normalised word form, prefixes and suffixes of length 1-4, begin/end of sentence (the plain
              baseline CRF uses only this group)
``clitic``    proclitic split (و ف ب ل ك ال and their combinations): the proclitic, the stem, the stem's affixes,
              whether the word carries the article ال
``shape``     digits, Latin letters, punctuation, length bucket, position in the sentence
``context``   the words at -2..+2 with their stems and suffixes, word bigrams around the token
``trigger``   hand-written trigger words (titles, speech verbs, organisation and place heads) around the token
``gazetteer`` longest-match membership of the token in name lists by type (the project's actor gazetteer and the
              Hkiri Arabic-English NE lexicon, both read at run time), with B-/I- position
``cluster``   distributional word clusters (k-means over word2vec vectors trained on SaudiNewsNet, at several
              granularities, like Brown-cluster prefixes) for the token and its neighbours
``document``  context aggregation over neighbouring sentences (the story): the trigger words seen just before
              other occurrences of the same word (e.g. a surname that follows الرئيس elsewhere in the story), and
              how often the word occurs there

Everything works on normalised text (``arabic_news.text.normalize_text``: diacritics, tatweel, alef, alef
maksura and teh marbuta folded).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np

from arabic_news import config
from arabic_news.text import normalize_text, tokenize

logger = logging.getLogger(__name__)

FEATURE_GROUPS = ("word", "clitic", "shape", "context", "trigger", "gazetteer", "cluster", "document")
BASELINE_GROUPS = ("word",)

# Proclitic strings (already normalised: أ/إ/آ -> ا), longest first. A proclitic is only split off when at least
# three letters remain, so that e.g. "بلد" is not cut (a word such as "وزير" is still over-split: the full
# word is always a feature too, and the CRF weighs both).
PROCLITICS = (
    "وبال", "وكال", "وفال", "فبال", "وللـ", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل",
    "وب", "وك", "ول", "فب", "فك", "فل", "ال", "و", "ف", "ب", "ك", "ل",
)
PROCLITICS = tuple(p for p in PROCLITICS if "ـ" not in p)

_ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_DIGIT_RE = re.compile(r"[0-9\u0660-\u0669\u06F0-\u06F9]")
_PUNCT_RE = re.compile(r"^[^\w]+$")

# Trigger words, written by us (normalised forms). Categories: title/role before a person, speech verb,
# organisation head noun, place head noun.
TRIGGERS: dict[str, str] = {}
for _w in (
    "الرئيس رئيس الملك الامير الشيخ السيد السيده الدكتور العاهل المتحدث الناطق مدير المدير امين الامين السفير "
    "النائب الجنرال العقيد اللواء الفريق المستشار الوزير وزير وزيره نائب زعيم الزعيم قائد القائد المبعوث "
    "المنسق البابا الاستاذ المهندس الكاتب الشاعر المدرب اللاعب الفنان المطرب الممثل المخرج الصحافي المراسل "
    "رئيسه ولي سمو فخامه معالي الحاكم حاكم المرشح مرشح السناتور النجم الملكه الاميره عضو"
).split():
    TRIGGERS[_w] = "T_PERS"
for _w in (
    "قال قالت اعلن اعلنت اكد اكدت اضاف اضافت صرح صرحت اوضح اوضحت ذكر ذكرت افاد افادت اشار اشارت اعتبر "
    "يقول تقول اعرب اعربت دعا دعت التقي استقبل"
).split():
    TRIGGERS[_w] = "T_SAY"
for _w in (
    "شركه الشركه وكاله منظمه حزب جامعه بنك البنك مجلس وزاره حركه جبهه صحيفه قناه اتحاد الاتحاد هيئه "
    "مؤسسه مركز جمعيه نادي فريق منتخب محكمه لجنه اللجنه جيش الجيش مجموعه مصرف صندوق برنامج معهد اكاديميه "
    "مجلس المجلس تنظيم جماعه حكومه الحكومه"
).split():
    TRIGGERS[_w] = "T_ORG"
for _w in (
    "مدينه المدينه العاصمه محافظه ولايه منطقه دوله جمهوريه مملكه نهر بحر جبل مطار مستشفي قريه بلده "
    "اقليم جزيره جزر شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي حي ميناء بحيره خليج قطاع مخيم شارع"
).split():
    TRIGGERS[_w] = "T_LOC"
for _w in "في الي من عن علي مع بين حتي منذ".split():
    TRIGGERS.setdefault(_w, "T_PREP")


@lru_cache(maxsize=500_000)
def normalize_token(token: str) -> str:
    """The normalised form of one token (see :func:`arabic_news.text.normalize_text`)."""
    return normalize_text(token)


@lru_cache(maxsize=500_000)
def split_proclitic(norm_token: str) -> tuple[str, str]:
    """Split a *normalised* token into ``(proclitic, stem)``; ``("", token)`` when nothing is split.

    >>> split_proclitic("وبالعراق")
    ('وبال', 'عراق')
    >>> split_proclitic("بلد")
    ('', 'بلد')
    """
    if not _ARABIC_RE.match(norm_token):
        return "", norm_token
    for p in PROCLITICS:
        if norm_token.startswith(p):
            rest = norm_token[len(p):]
            if len(rest) >= 3:
                return p, rest
    return "", norm_token


@lru_cache(maxsize=200_000)
def proclitic_variants(norm_token: str) -> tuple[str, ...]:
    """The token and every reading of it with a proclitic removed, least stripped first (the article is kept
    as ال): ``وبغداد`` -> ``('وبغداد', 'بغداد', 'غداد')``; ``للعراق`` -> ``('للعراق', 'العراق', 'عراق')``."""
    out = [norm_token]
    if _ARABIC_RE.match(norm_token):
        for p in sorted(PROCLITICS, key=len):
            if norm_token.startswith(p) and len(norm_token) - len(p) >= 3:
                rest = norm_token[len(p):]
                if p.endswith("ال") or p.endswith("لل"):
                    if p != "ال":
                        out.append("ال" + rest)
                out.append(rest)
    seen: dict[str, None] = {}
    for v in out:
        seen.setdefault(v, None)
    return tuple(seen)


def strip_conjunction_preposition(norm_token: str) -> str:
    """Remove و/ف/ب/ك/ل (and combinations) but keep the article: ``وبالعراق`` -> ``العراق``, ``لاوباما`` -> ``اوباما``."""
    p, stem = split_proclitic(norm_token)
    if not p:
        return norm_token
    if p.endswith("ال"):
        return "ال" + stem
    if p.endswith("لل"):  # لل = ل + ال
        return "ال" + stem
    return stem


def word_shape(token: str) -> str:
    """A coarse shape class: ``ar``, ``lat``, ``num``, ``punct``, ``mixed``."""
    if _PUNCT_RE.match(token):
        return "punct"
    has_ar = bool(_ARABIC_RE.search(token))
    has_lat = bool(_LATIN_RE.search(token))
    has_dig = bool(_DIGIT_RE.search(token))
    kinds = [k for k, v in (("ar", has_ar), ("lat", has_lat), ("num", has_dig)) if v]
    if len(kinds) == 1:
        return kinds[0]
    return "mixed" if kinds else "other"


# --------------------------------------------------------------------------------------------------------------
# Name lists (gazetteers) read at run time
# --------------------------------------------------------------------------------------------------------------

MAX_NAME_TOKENS = 4
_HKIRI_FILES = {"PERS": ("Pers-En-Ar", "Pers.Ar.txt"), "ORG": ("Org-En-Ar", "Org.Ar.txt"),
                "LOC": ("Loc-En-Ar", "Loc.Ar.txt")}
_HKIRI_LINE_RE = re.compile(r"^\s*(\d+)\s*(.*?)[\s,،.]*$")
# Leading honorifics in the machine-translated lexicon, dropped before matching.
_HONORIFICS = {"السيد", "السيده", "الدكتور", "السفير", "الرئيس", "الشيخ"}
# Very common words that must never be a one-word name on their own (normalised).
_FUNCTION_WORDS = set(
    "في من الي علي عن مع ان او ثم قد لا ما لم لن هذا هذه ذلك تلك التي الذي الذين كان كانت هو هي هم "
    "كل بعد قبل عند بين حتي منذ ايضا اما اذا كما غير حول خلال امس اليوم عام العام".split()
)


def _name_key(name: str) -> tuple[str, ...] | None:
    toks = [normalize_token(t) for t in tokenize(name)]
    toks = [t for t in toks if t and not _PUNCT_RE.match(t)]
    while toks and toks[0] in _HONORIFICS and len(toks) > 1:
        toks = toks[1:]
    if not toks or len(toks) > MAX_NAME_TOKENS:
        return None
    if len(toks) == 1 and (toks[0] in _FUNCTION_WORDS or len(toks[0]) < 3):
        return None
    return tuple(toks)


def read_hkiri_lexicon(folder: Path) -> dict[tuple[str, ...], frozenset[str]]:
    """Read the Arabic side of the Hkiri NE lexicon (``Pers/Org/Loc .Ar.txt``) as ``name tokens -> types``.

    Lines without a leading id (continuations of a name broken over two lines) and names longer than
    :data:`MAX_NAME_TOKENS` tokens are skipped (counted in the log).
    """
    out: dict[tuple[str, ...], set[str]] = {}
    skipped = 0
    for typ, (sub, fname) in _HKIRI_FILES.items():
        path = Path(folder) / sub / fname
        with open(path, encoding="utf-8-sig") as fh:
            for line in fh:
                m = _HKIRI_LINE_RE.match(line)
                key = _name_key(m.group(2)) if m else None
                if key is None:
                    skipped += 1
                    continue
                out.setdefault(key, set()).add(typ)
    logger.info("Hkiri lexicon %s: %d names (%d lines skipped)", folder, len(out), skipped)
    return {k: frozenset(v) for k, v in out.items()}


_GAZ_TYPE_MAP = {"person": "PERS", "organization": "ORG", "armed_group": "ORG", "media": "ORG",
                 "country": "LOC", "place": "LOC"}


def project_gazetteer_names() -> dict[tuple[str, ...], frozenset[str]]:
    """The project's actor gazetteer (``arabic_news.actors.gazetteer``) as ``name tokens -> NER types``.

    Names, aliases and short names map to PERS/ORG/LOC by the actor's type; adjectives and demonyms
    (العراقي ...) map to ``NAT``. Returns an empty mapping (with a warning) when the gazetteer is not available.
    """
    try:
        from arabic_news.actors.gazetteer import load_gazetteer

        gaz = load_gazetteer()
        types = _actor_types(gaz)
        forms = [(sf.key, sf.actor_id, sf.kind) for sf in gaz.surface_forms()]
    except Exception as exc:  # the gazetteer is optional for the tagger
        logger.warning("project gazetteer not available for NER features (%s: %s)", type(exc).__name__, exc)
        return {}
    out: dict[tuple[str, ...], set[str]] = {}
    for key_text, aid, kind in forms:
        key = _name_key(str(key_text))
        if key is None:
            continue
        t = "NAT" if kind == "adjective" else _GAZ_TYPE_MAP.get(str(types.get(aid, "")).lower())
        if t:
            out.setdefault(key, set()).add(t)
    logger.info("project gazetteer: %d names for NER features", len(out))
    return {k: frozenset(v) for k, v in out.items()}


def _actor_types(gaz) -> dict[str, str]:
    """``actor id -> type`` from a gazetteer object (a DataFrame-like ``actors``/``df`` or ``.types()``)."""
    for attr in ("actor_types", "types"):
        fn = getattr(gaz, attr, None)
        if callable(fn):
            return dict(fn())
    for attr in ("actors", "df", "table", "records"):
        obj = getattr(gaz, attr, None)
        if obj is None:
            continue
        obj = obj() if callable(obj) else obj
        if hasattr(obj, "columns") and {"id", "type"} <= set(obj.columns):
            return dict(zip(obj["id"], obj["type"]))
        if isinstance(obj, Mapping):
            return {k: (v.get("type") if isinstance(v, Mapping) else getattr(v, "type", "")) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return {(r["id"] if isinstance(r, Mapping) else r.id): (r["type"] if isinstance(r, Mapping) else r.type)
                    for r in obj}
    return {}


class NameList:
    """A name list for the gazetteer features: full names (token tuples -> types) and a token index
    (token -> ``TYPE:position`` tags, position = ``one``/``first``/``last``/``mid`` within a name)."""

    def __init__(self, names: Mapping[tuple[str, ...], frozenset[str]]):
        self.names = dict(names)
        tokens: dict[str, set[str]] = {}
        for key, types in self.names.items():
            n = len(key)
            for i, tok in enumerate(key):
                pos = "one" if n == 1 else ("first" if i == 0 else ("last" if i == n - 1 else "mid"))
                for t in types:
                    tokens.setdefault(tok, set()).add(f"{t}:{pos}")
        self.tokens = {k: tuple(sorted(v)) for k, v in tokens.items()}

    def __len__(self) -> int:
        return len(self.names)

    def __getstate__(self):  # not stored in models, but keep it small if it ever is
        return {"names": self.names}

    def __setstate__(self, state):
        self.__init__(state["names"])


@lru_cache(maxsize=4)
def load_name_lists(sources: tuple[str, ...] = ("gazetteer", "hkiri")) -> dict[str, NameList]:
    """Name lists by source, read at run time (``gazetteer``: the project's; ``hkiri``: the Hkiri lexicon).

    A missing source gives an empty list and a warning (the tagger then works without those features).
    """
    lists: dict[str, dict] = {}
    for src in sources:
        if src == "gazetteer":
            lists[src] = project_gazetteer_names()
        elif src == "hkiri":
            try:
                from arabic_news.corpus import dataset_path

                lists[src] = read_hkiri_lexicon(dataset_path("actor_gazetteers") / "hkiri_ne_lexicon")
            except Exception as exc:
                logger.warning("Hkiri lexicon not available for NER features (%s: %s)", type(exc).__name__, exc)
                lists[src] = {}
        else:
            raise ValueError(f"unknown name-list source {src!r}; use 'gazetteer' or 'hkiri'")
    return {k: NameList(v) for k, v in lists.items()}


def match_names(norm_tokens: Sequence[str], names: Mapping[tuple[str, ...], frozenset[str]]) -> list[list[str]]:
    """Longest-match lookup of *names* in a sentence; per token the tags ``B-TYPE``/``I-TYPE`` that cover it.

    The first token of a match may carry a proclitic (``وبغداد`` matches ``بغداد``; ``والعراق`` matches ``العراق``).
    """
    n = len(norm_tokens)
    out: list[list[str]] = [[] for _ in range(n)]
    if not names:
        return out
    i = 0
    while i < n:
        found = None
        for length in range(min(MAX_NAME_TOKENS, n - i), 0, -1):
            rest = tuple(norm_tokens[i + 1:i + length])
            for first in proclitic_variants(norm_tokens[i]):
                types = names.get((first,) + rest)
                if types:
                    found = (length, types)
                    break
            if found:
                break
        if found:
            length, types = found
            for t in sorted(types):
                out[i].append("B-" + t)
                for j in range(i + 1, i + length):
                    out[j].append("I-" + t)
            i += length
        else:
            i += 1
    return out


# --------------------------------------------------------------------------------------------------------------
# Distributional word clusters (unsupervised, SaudiNewsNet)
# --------------------------------------------------------------------------------------------------------------

CLUSTER_KS = (64, 256, 1024)


def news_sentences(max_articles: int | None = None) -> Iterator[list[str]]:
    """Normalised token lists (one per paragraph) from SaudiNewsNet, for training word vectors.

    Reads the dataset's day archives (``dataset_path('saudinewsnet')/dataset/*.zip``) in name order, skipping
    empty and exactly duplicated bodies, so that the result does not depend on any earlier ingest run.
    """
    texts = _news_texts(max_articles)
    for text in texts:
        for para in text.split("\n"):
            para = para.strip()
            if para:
                toks = [t for t in tokenize(normalize_text(para))]
                if len(toks) > 2:
                    yield toks


def _news_texts(max_articles: int | None) -> Iterator[str]:
    from arabic_news.corpus import dataset_path

    folder = dataset_path("saudinewsnet") / "dataset"
    logger.info("word vectors: reading SaudiNewsNet archives in %s", folder)
    seen: set[str] = set()
    count = 0
    for zpath in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            for member in sorted(zf.namelist()):
                for art in json.loads(zf.read(member).decode("utf-8")):
                    body = (art.get("content") or "").strip()
                    h = hashlib.md5(body.encode("utf-8")).hexdigest()
                    if not body or h in seen:  # empty and duplicate bodies skipped
                        continue
                    seen.add(h)
                    yield body
                    count += 1
                    if max_articles is not None and count >= max_articles:
                        return


def clusters_cache_path(*, seed: int, dim: int, ks: Sequence[int], min_count: int, epochs: int,
                        max_articles: int | None) -> Path:
    tag = f"s{seed}-d{dim}-k{'_'.join(map(str, ks))}-m{min_count}-e{epochs}-a{max_articles or 'all'}"
    return config.CACHE_DIR / "ner" / f"word_clusters-{tag}.json"


def build_word_clusters(*, seed: int = config.DEFAULT_SEED, dim: int = 100, ks: Sequence[int] = CLUSTER_KS,
                        min_count: int = 5, epochs: int = 3, max_articles: int | None = None,
                        sentences: Iterable[list[str]] | None = None, force: bool = False) -> dict[str, list[int]]:
    """Word -> cluster ids (one per k in *ks*), from word2vec (skip-gram, gensim, 1 worker, seeded) + k-means.

    The result is cached as JSON under ``config.CACHE_DIR/ner/``; a cached file is reused unless *force*.
    Deterministic for a given seed (one worker thread). *sentences* overrides the SaudiNewsNet reader (tests).
    """
    path = clusters_cache_path(seed=seed, dim=dim, ks=ks, min_count=min_count, epochs=epochs,
                               max_articles=max_articles)
    if sentences is None and path.is_file() and not force:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)["clusters"]
    from gensim.models import Word2Vec
    from sklearn.cluster import MiniBatchKMeans

    t0 = time.perf_counter()
    if sentences is None:
        logger.info("building word clusters for NER (once; cached in %s)", path)
        sents = list(news_sentences(max_articles))
    else:
        sents = [list(s) for s in sentences]
    t1 = time.perf_counter()
    model = Word2Vec(sentences=sents, vector_size=dim, window=5, min_count=min_count, sg=1, negative=5,
                     sample=1e-4, epochs=epochs, workers=1, seed=seed)
    t2 = time.perf_counter()
    words = list(model.wv.index_to_key)
    vecs = model.wv.vectors.astype(np.float64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
    labels = []
    for k in ks:
        k_eff = max(1, min(k, len(words)))
        km = MiniBatchKMeans(n_clusters=k_eff, random_state=seed, batch_size=4096, n_init=3)
        labels.append(km.fit_predict(vecs))
    clusters = {w: [int(lab[i]) for lab in labels] for i, w in enumerate(words)}
    t3 = time.perf_counter()
    logger.info("word clusters: %d sentences read in %.0fs, word2vec %.0fs, k-means %.0fs, vocabulary %d",
                len(sents), t1 - t0, t2 - t1, t3 - t2, len(words))
    if sentences is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"seed": seed, "dim": dim, "ks": list(ks), "min_count": min_count, "epochs": epochs,
                "n_sentences": len(sents), "vocabulary": len(words),
                "seconds": {"read": round(t1 - t0, 1), "word2vec": round(t2 - t1, 1), "kmeans": round(t3 - t2, 1)}}
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"meta": meta, "clusters": clusters}, fh, ensure_ascii=False)
        tmp.replace(path)
    return clusters


# --------------------------------------------------------------------------------------------------------------
# Sentence -> feature dicts
# --------------------------------------------------------------------------------------------------------------

def _affixes(prefix: str, w: str, feats: dict) -> None:
    for n in (1, 2, 3, 4):
        if len(w) > n:
            feats[f"{prefix}p{n}"] = w[:n]
            feats[f"{prefix}s{n}"] = w[-n:]


def _local(token: str, groups: frozenset[str], clusters: Mapping[str, Sequence[int]] | None) -> dict:
    """Features of one token that do not depend on its neighbours."""
    w = normalize_token(token)
    feats: dict = {"bias": 1.0}
    if "word" in groups:
        feats["w"] = w
        _affixes("", w, feats)
    if "clitic" in groups or "context" in groups or "cluster" in groups or "trigger" in groups:
        pro, stem = split_proclitic(w)
    if "clitic" in groups:
        feats["pro"] = pro or "-"
        feats["stem"] = stem
        feats["al"] = pro.endswith("ال") or pro.endswith("لل")
        _affixes("st", stem, feats)
    if "shape" in groups:
        feats["shape"] = word_shape(token)
        feats["len"] = min(len(w), 8)
        if _LATIN_RE.search(token):
            feats["latin"] = True
        if _DIGIT_RE.search(token):
            feats["digit"] = True
    if "trigger" in groups:
        trig = TRIGGERS.get(w) or TRIGGERS.get(stem) or TRIGGERS.get("ال" + stem)
        if trig:
            feats["trig"] = trig
    if "cluster" in groups and clusters is not None:
        cl = clusters.get(w)
        src = "w"
        if cl is None:
            cl = clusters.get(strip_conjunction_preposition(w)) or clusters.get(stem)
            src = "s"
        if cl is None:
            feats["cl"] = "oov"
        else:
            for i, c in enumerate(cl):
                feats[f"cl{i}"] = str(c)
            feats["clsrc"] = src
    return feats




def sentence_features(tokens: Sequence[str], *, groups: Sequence[str] = FEATURE_GROUPS,
                      clusters: Mapping[str, Sequence[int]] | None = None,
                      name_lists: Mapping[str, NameList | Mapping[tuple[str, ...], frozenset[str]]] | None = None,
                      window: int = 2) -> list[dict]:
    """crfsuite feature dicts for the tokens of one sentence."""
    gset = frozenset(groups)
    n = len(tokens)
    local = [_local(t, gset, clusters) for t in tokens]
    if "gazetteer" in gset and name_lists:
        norm = [normalize_token(t) for t in tokens]
        for src, nl in name_lists.items():
            if not isinstance(nl, NameList):
                nl = NameList(nl)
            for i, tags in enumerate(match_names(norm, nl.names)):
                for tag in tags:
                    local[i][f"gz_{src}_{tag}"] = True
                    local[i]["gz"] = tag  # source-independent, also used as a context feature
            for i, w in enumerate(norm):
                hits = next((nl.tokens[v] for v in proclitic_variants(w) if v in nl.tokens), None)
                if hits:
                    for h in hits:
                        local[i][f"gzt_{src}_{h}"] = True
    feats = []
    for i in range(n):
        f = dict(local[i])
        if "shape" in gset:
            f["pos"] = "first" if i == 0 else ("last" if i == n - 1 else "mid")
        if i == 0:
            f["BOS"] = True
        if i == n - 1:
            f["EOS"] = True
        if "context" in gset or "trigger" in gset or "cluster" in gset or "gazetteer" in gset:
            for d in range(-window, window + 1):
                if d == 0:
                    continue
                j = i + d
                if j < 0 or j >= n:
                    if "context" in gset:
                        f[f"{d:+d}:pad"] = True
                    continue
                other = local[j]
                if "context" in gset:
                    for key in ("w", "stem", "s2", "s3", "pro", "shape"):
                        if key in other:
                            f[f"{d:+d}:{key}"] = other[key]
                if "trigger" in gset and "trig" in other:
                    f[f"{d:+d}:trig"] = other["trig"]
                if "cluster" in gset and abs(d) == 1:
                    for key in ("cl1", "cl2", "cl"):
                        if key in other:
                            f[f"{d:+d}:{key}"] = other[key]
                if "gazetteer" in gset and abs(d) == 1 and "gz" in other:
                    f[f"{d:+d}:gz"] = other["gz"]
            if "context" in gset:
                wi = local[i].get("w", normalize_token(tokens[i]))
                if i > 0:
                    f["bi-1"] = local[i - 1].get("w", "") + "|" + wi
                if i < n - 1:
                    f["bi+1"] = wi + "|" + local[i + 1].get("w", "")
        feats.append(f)
    return feats


def _doc_stats(tokens: Sequence[str]) -> dict[str, set[str]]:
    """Per word (proclitic-stripped form): trigger categories seen just before it (``-1:T_PERS``...) in a sentence."""
    norm = [normalize_token(t) for t in tokens]
    keys = [strip_conjunction_preposition(w) for w in norm]
    trig = [TRIGGERS.get(w) or TRIGGERS.get(split_proclitic(w)[1]) for w in norm]
    out: dict[str, set[str]] = {}
    for i, k in enumerate(keys):
        if not _ARABIC_RE.match(k) or k in TRIGGERS or k in _FUNCTION_WORDS:
            continue
        tags = out.setdefault(k, set())
        tags.add("n")
        if i > 0 and trig[i - 1]:
            tags.add("-1" + trig[i - 1])
        if i > 1 and trig[i - 2]:
            tags.add("-2" + trig[i - 2])
        if i + 1 < len(keys) and trig[i + 1] == "T_SAY":
            tags.add("+1T_SAY")
    return out


def add_document_features(sentences: Sequence[Sequence[str]], feats: list[list[dict]], *, window: int = 10) -> None:
    """Add ``document`` features in place: for each token, what other occurrences of the same word within
    *window* sentences on either side look like (trigger before/after them, how many there are)."""
    stats = [_doc_stats(s) for s in sentences]
    for k, (toks, sfeats) in enumerate(zip(sentences, feats)):
        lo, hi = max(0, k - window), min(len(sentences), k + window + 1)
        for i, tok in enumerate(toks):
            key = strip_conjunction_preposition(normalize_token(tok))
            agg: set[str] = set()
            n = 0
            for j in range(lo, hi):
                tags = stats[j].get(key)
                if tags:
                    n += 1
                    agg |= tags
            if not n:
                continue
            sfeats[i]["doc_n"] = "1" if n == 1 else ("2-3" if n <= 3 else "4+")
            for t in agg:
                if t != "n":
                    sfeats[i]["doc" + t] = True
