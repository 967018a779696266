"""The positional token index of a corpus: every token of the text pipeline, integer-coded, with its span.

One row per token of ``normalize_tokens(article_text(title, body))`` (the same text the actor mention offsets
index: title, blank line, body), in document order::

    column  type   meaning
    doc     int32  row of the article in articles.parquet (= row of the index's docs table)
    pos     int32  token position in the article (0-based)
    line    int32  line of the article text the token is on (title 0, blank line 1, paragraphs from 2)
    start   int32  character span in the article text: text[start:end] is the token as written
    end     int32  (diacritics, tatweel and letter variants included; see arabic_news.explore.spans)
    form    int32  the normalised form (term id)              e.g. وللعراق
    clitic  int32  the clitic-stripped form (term id)        e.g. عراق
    stem    int32  the light stem (term id)                   e.g. عراق

Term ids point into one table of strings (``terms``: every form, clitic-stripped form and stem) with per-term
flags ``is_word`` (holds a letter: not punctuation, not a bare number) and ``is_stop`` (a stop word of
:func:`arabic_news.text.stopwords`). The clitic-stripped form is :func:`arabic_news.text.strip_clitics`'
conservative decision (sequences holding the article: وال، بال، لل ...), else a bare و ف ب ل ك removed when the
corpus says the rest is a word at least as frequent (the light stemmer's rule); the light stem is
``light_stem(token, word_counts=corpus counts, marbuta=True)`` on the token with its ة, exactly what
``ArabicPreprocessor(stemmer='light')`` fitted on the corpus gives.

Storage: ``tokens.parquet``, ``terms.parquet``, ``docs.parquet`` (doc_id, first token, token and word counts,
title, source, date, label, url and any other scalar column of the corpus) and ``meta.json``, in
``CORPUS/explore_index/<checksum>-v<INDEX_VERSION>/`` (checksum: SHA-256 of articles.parquet, as in the
reports' index page), or under ``config.CACHE_DIR / "explore_index"`` when the corpus folder is read-only. A
changed corpus gets a new index; the index is built once and its columns are read lazily, one at a time.
"""
from __future__ import annotations

from dataclasses import dataclass

import json
import logging
import multiprocessing as mp
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd

from arabic_news import config

logger = logging.getLogger(__name__)

__all__ = ["TokenIndex", "build_index", "open_index", "index_dir_for", "corpus_checksum", "ExploreError",
           "TOKEN_COLUMNS", "INDEX_VERSION"]

#: bump when the index layout or the build logic changes (old indexes are then rebuilt)
INDEX_VERSION = 1
INDEX_DIRNAME = "explore_index"
TOKEN_COLUMNS = ("doc", "pos", "line", "start", "end", "form", "clitic", "stem")
#: scalar article columns copied into the docs table (plus any other non-text column of a DataFrame corpus)
META_COLUMNS = ("doc_id", "title", "date", "source", "label", "url")
_TEXT_COLUMNS = frozenset({"body", "paragraphs", "text"})
#: below this many articles the index is built in the calling process
PARALLEL_MIN_ARTICLES = 2000
CHUNK_ARTICLES = 400


class ExploreError(ValueError):
    """Bad input to an exploration function (unknown column or value, empty query ...); the message says what
    to change."""


# ------------------------------------------------------------------------------------------------ building
_FORK_TEXTS: list[str] | None = None  # the corpus texts, inherited by forked workers (copy-on-write)


def _chunk_columns(texts: list[str]) -> dict:
    """Token columns of one chunk of article texts (doc = index within the chunk) with chunk-local type codes."""
    from arabic_news.explore.spans import chunk_token_spans

    spans, doc, text_start = chunk_token_spans(texts)
    n = len(spans)
    if n:
        joined = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
        newlines = np.flatnonzero(joined == 10)  # the separators between texts count on both sides
        line = (np.searchsorted(newlines, text_start[doc] + spans.start)
                - np.searchsorted(newlines, text_start[doc]))
        codes, uniques = pd.factorize(np.array(spans.tokens, dtype=object))
    else:
        line = np.zeros(0, np.int64)
        codes, uniques = np.zeros(0, np.int64), []
    return {"doc": doc.astype(np.int32), "start": spans.start.astype(np.int32), "end": spans.end.astype(np.int32),
            "line": np.asarray(line, dtype=np.int32), "codes": np.asarray(codes, dtype=np.int32),
            "uniques": list(uniques)}


def _chunk_range(bounds: tuple[int, int]) -> dict:
    lo, hi = bounds
    return _chunk_columns(_FORK_TEXTS[lo:hi])


def article_text(title: str | None, body: str | None) -> str:
    """The article text the index (and the actor mention offsets) refer to: ``title + "\\n\\n" + body``, just the
    body without a title. The same as :func:`arabic_news.actors.extract.article_text` (tested), repeated here
    so that the exploration tools do not import the actor matcher (and scikit-learn) to read a text."""
    title = (title or "").strip()
    body = body or ""
    return f"{title}\n\n{body}" if title else body


def _article_texts(frame: pd.DataFrame) -> list[str]:
    titles = frame["title"].fillna("").tolist() if "title" in frame.columns else [""] * len(frame)
    bodies = frame["body"].fillna("").tolist() if "body" in frame.columns else [""] * len(frame)
    return [article_text(t, b) for t, b in zip(titles, bodies)]


def _tokenize_corpus(texts: list[str], n_jobs: int, progress: bool) -> tuple[dict, list[str]]:
    """All chunks, with the chunk-local type codes merged into one table of types (forms with ة kept)."""
    from tqdm import tqdm

    from arabic_news.explore.spans import _tables

    _tables()  # build the character tables once, before forking
    bounds = [(i, min(i + CHUNK_ARTICLES, len(texts))) for i in range(0, len(texts), CHUNK_ARTICLES)]
    parts = {k: [] for k in ("doc", "start", "end", "line", "codes", "uniques")}
    bar = tqdm(total=len(texts), desc="explore index", unit="doc", disable=not progress)

    def absorb(lo: int, cols: dict) -> None:
        parts["doc"].append(cols["doc"] + np.int32(lo))
        for k in ("start", "end", "line", "codes"):
            parts[k].append(cols[k])
        parts["uniques"].append(np.asarray(cols["uniques"], dtype=object))

    global _FORK_TEXTS
    if n_jobs > 1 and len(texts) >= PARALLEL_MIN_ARTICLES and "fork" in mp.get_all_start_methods():
        ctx = mp.get_context("fork")
        try:
            _FORK_TEXTS = texts
            with ctx.Pool(n_jobs) as pool:
                for (lo, hi), cols in zip(bounds, pool.imap(_chunk_range, bounds)):
                    absorb(lo, cols)
                    bar.update(hi - lo)
        finally:
            _FORK_TEXTS = None
    else:
        for lo, hi in bounds:
            absorb(lo, _chunk_columns(texts[lo:hi]))
            bar.update(hi - lo)
    bar.close()
    # one hash pass over every chunk's distinct tokens gives the corpus-wide type codes (first-seen order)
    uniques = parts.pop("uniques")
    sizes = np.fromiter(map(len, uniques), dtype=np.int64, count=len(uniques))
    if sizes.sum():
        global_codes, types = pd.factorize(np.concatenate(uniques))
        global_codes = global_codes.astype(np.int32)
    else:
        global_codes, types = np.zeros(0, np.int32), []
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    parts["type"] = [global_codes[offsets[i]:offsets[i + 1]][c] for i, c in enumerate(parts.pop("codes"))]
    cat = {k: (np.concatenate(v) if v else np.zeros(0, np.int32)) for k, v in parts.items()}
    return cat, list(types)


_FORK_TYPES: tuple | None = None  # (types with ة, forms, corpus form counts) for forked workers


def _stem_slice(bounds: tuple[int, int]) -> list[str]:
    from arabic_news.text.stemming import light_stem

    mtypes, _, counts = _FORK_TYPES
    return [light_stem(m, word_counts=counts, marbuta=True) for m in mtypes[bounds[0]:bounds[1]]]


def _clitic_slice(bounds: tuple[int, int]) -> list[str]:
    from arabic_news.text.clitics import is_arabic_word, strip_clitics
    from arabic_news.text.stemming import _strip_bare

    _, forms, counts = _FORK_TYPES
    out = []
    for form in forms[bounds[0]:bounds[1]]:
        if not is_arabic_word(form):
            out.append(form)
            continue
        proclitic, rest = strip_clitics(form)
        out.append(rest if proclitic else _strip_bare(form, counts))
    return out


def _analyse_types(mtypes: list[str], forms: list[str], counts: dict, n_jobs: int) -> tuple[list, list]:
    """Light stem of every type (with its ة) and clitic-stripped form of every form, in *n_jobs* processes."""
    global _FORK_TYPES
    size = 20_000
    stem_bounds = [(i, min(i + size, len(mtypes))) for i in range(0, len(mtypes), size)]
    clitic_bounds = [(i, min(i + size, len(forms))) for i in range(0, len(forms), size)]
    _FORK_TYPES = (mtypes, forms, counts)
    try:
        if n_jobs > 1 and len(mtypes) > 2 * size and "fork" in mp.get_all_start_methods():
            with mp.get_context("fork").Pool(n_jobs) as pool:
                stems = [x for part in pool.map(_stem_slice, stem_bounds) for x in part]
                clitics = [x for part in pool.map(_clitic_slice, clitic_bounds) for x in part]
        else:
            stems = [x for b in stem_bounds for x in _stem_slice(b)]
            clitics = [x for b in clitic_bounds for x in _clitic_slice(b)]
    finally:
        _FORK_TYPES = None
    return stems, clitics


def _is_word(term: str) -> bool:
    """A word holds a letter (str.isalpha: Unicode categories L*); punctuation and bare numbers do not."""
    return any(c.isalpha() for c in term)


def _is_word_array(terms: list[str]) -> np.ndarray:
    """:func:`_is_word` of every term, vectorised (RE2's \\pL is the same set of letters)."""
    if not terms:
        return np.zeros(0, dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(terms, type=pa.string())
    out = pc.match_substring_regex(arr, r"\pL").to_numpy(zero_copy_only=False).copy()
    # RE2's Unicode tables may be older than Python's for recent (astral) letters: ask Python about those
    astral = np.flatnonzero(pc.match_substring_regex(arr, r"[\x{10000}-\x{10FFFF}]").to_numpy(zero_copy_only=False))
    for i in astral.tolist():
        out[i] = _is_word(terms[i])
    return out


def _build_tables(articles: pd.DataFrame, *, n_jobs: int = 1, progress: bool = False) -> dict:
    """Tokens, terms and docs tables of an article frame (``doc_id``, ``title``, ``body`` and metadata)."""
    from arabic_news.text.stopwords import stopwords

    t0 = time.perf_counter()
    articles = articles.reset_index(drop=True)
    texts = _article_texts(articles)
    cols, mtypes = _tokenize_corpus(texts, n_jobs, progress)
    t_tok = time.perf_counter() - t0
    # terms: forms first (ة -> ه), then the stems and clitic-stripped forms that are not forms already
    # (pd.factorize: one hash pass in C; codes follow first appearance)
    form_of_type, form_uniques = pd.factorize(np.array([m.replace("\u0629", "\u0647") for m in mtypes],
                                                       dtype=object))
    form_of_type = form_of_type.astype(np.int32)
    form_col = form_of_type[cols["type"]] if len(cols["type"]) else np.zeros(0, np.int32)
    form_list = list(form_uniques)
    n_forms = len(form_list)
    form_counts = np.bincount(form_col, minlength=n_forms)
    word_counts = dict(zip(form_list, form_counts.tolist()))
    t1 = time.perf_counter()
    stems, clitics = _analyse_types(mtypes, form_list, word_counts, n_jobs)
    t_types = time.perf_counter() - t1
    # the forms are distinct and come first, so they keep their ids 0 .. n_forms - 1
    all_codes, all_terms = pd.factorize(np.array(form_list + stems + clitics, dtype=object))
    all_codes = all_codes.astype(np.int32)
    stem_of_type = all_codes[n_forms:n_forms + len(stems)]
    clitic_of_form = all_codes[n_forms + len(stems):]
    term_list = list(all_terms)
    stop = stopwords()
    tokens = pd.DataFrame({
        "doc": cols["doc"], "pos": np.zeros(len(form_col), np.int32), "line": cols["line"],
        "start": cols["start"], "end": cols["end"], "form": form_col,
        "clitic": clitic_of_form[form_col] if len(form_col) else np.zeros(0, np.int32),
        "stem": stem_of_type[cols["type"]] if len(form_col) else np.zeros(0, np.int32),
    })
    n_docs = len(articles)
    n_tok = np.bincount(cols["doc"], minlength=n_docs).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(n_tok)[:-1]]).astype(np.int64) if n_docs else np.zeros(0, np.int64)
    if len(form_col):
        tokens["pos"] = (np.arange(len(form_col), dtype=np.int64) - first[cols["doc"]]).astype(np.int32)
    is_word = _is_word_array(term_list)
    is_stop = np.fromiter((t in stop for t in term_list), dtype=bool, count=len(term_list))
    word_tok = is_word[form_col] if len(form_col) else np.zeros(0, bool)
    n_words = np.bincount(cols["doc"][word_tok], minlength=n_docs).astype(np.int64)
    terms_df = pd.DataFrame({
        "term": pd.Series(term_list, dtype=object), "is_word": is_word, "is_stop": is_stop,
        "n_form": np.bincount(form_col, minlength=len(term_list)).astype(np.int64),
        "n_clitic": np.bincount(tokens["clitic"].to_numpy(), minlength=len(term_list)).astype(np.int64),
        "n_stem": np.bincount(tokens["stem"].to_numpy(), minlength=len(term_list)).astype(np.int64),
    })
    docs = _docs_table(articles, first, n_tok, n_words, texts)
    seconds = time.perf_counter() - t0
    logger.info("explore index: %d tokens, %d terms, %d articles in %.1f s (tokenising %.1f s)",
                len(tokens), len(term_list), n_docs, seconds, t_tok)
    return {"tokens": tokens, "terms": terms_df, "docs": docs, "texts": texts,
            "meta": {"n_docs": n_docs, "n_tokens": int(len(tokens)), "n_words": int(word_tok.sum()),
                     "n_terms": len(term_list), "n_forms": n_forms, "build_seconds": round(seconds, 3),
                     "tokenize_seconds": round(t_tok, 3), "analyse_types_seconds": round(t_types, 3),
                     "n_types": len(mtypes), "n_jobs": n_jobs}}


def _docs_table(articles: pd.DataFrame, first, n_tok, n_words, texts) -> pd.DataFrame:
    docs = pd.DataFrame({"doc_id": articles["doc_id"].astype(str).to_numpy() if "doc_id" in articles.columns
                         else np.array([str(i) for i in range(len(articles))], dtype=object)})
    docs["first"] = np.asarray(first, dtype=np.int64)
    docs["n_tokens"] = np.asarray(n_tok, dtype=np.int64)
    docs["n_words"] = np.asarray(n_words, dtype=np.int64)
    docs["text_len"] = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    for col in articles.columns:
        if col in docs.columns or col in _TEXT_COLUMNS:
            continue
        values = articles[col]
        if values.dtype == object and len(values) and not all(
                v is None or isinstance(v, (str, int, float, bool)) or pd.isna(v) for v in values.head(100)):
            continue  # lists and other nested values are not sub-corpus keys
        if pd.api.types.is_datetime64_any_dtype(values):
            values = pd.to_datetime(values).astype("datetime64[ns]")
        docs[col] = values.to_numpy()
    return docs


# ------------------------------------------------------------------------------------------------ location
def corpus_checksum(parquet: str | Path) -> str:
    """SHA-256 of ``articles.parquet`` (what the reports' index page shows), remembered per (size, mtime)."""
    from arabic_news.corpus.partitioned import file_sha256

    parquet = Path(parquet)
    st = parquet.stat()
    key = (str(parquet.resolve()), st.st_size, st.st_mtime_ns)
    hit = _CHECKSUMS.get(key)
    if hit is not None:
        return hit
    stamp_files = [parquet.parent / INDEX_DIRNAME / "checksum.json", _cache_root() / f"checksum-{_path_key(parquet)}.json"]
    for stamp in stamp_files:
        try:
            data = json.loads(stamp.read_text(encoding="utf-8"))
            if data.get("size") == st.st_size and data.get("mtime_ns") == st.st_mtime_ns and data.get("sha256"):
                _CHECKSUMS[key] = data["sha256"]
                return data["sha256"]
        except (OSError, ValueError):
            continue
    digest = file_sha256(parquet)
    _CHECKSUMS[key] = digest
    payload = json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}).encode()
    for stamp in stamp_files:
        try:
            _atomic_write(stamp, payload)
            break
        except OSError:
            continue
    return digest


_CHECKSUMS: dict = {}


def _path_key(path: Path) -> str:
    import hashlib

    return hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:12]


def _cache_root() -> Path:
    return Path(config.CACHE_DIR) / INDEX_DIRNAME


def _modes() -> tuple[int, int]:
    """File and folder permissions the process' umask gives (mkstemp/mkdtemp would create 0600/0700)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask, 0o777 & ~mask


_FILE_MODE, _DIR_MODE = _modes()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _FILE_MODE)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _articles_parquet(corpus: str | Path) -> Path:
    path = Path(corpus)
    if path.is_dir():
        path = path / "articles.parquet"
    if not path.is_file():
        raise ExploreError(f"{path}: no ingested corpus here; run `arabic-news ingest SOURCE --out "
                           f"{path.parent}` first")
    return path


def index_dir_for(corpus: str | Path, checksum: str | None = None) -> list[Path]:
    """Candidate index folders of an ingested corpus, preferred first: beside the corpus, then in the cache."""
    parquet = _articles_parquet(corpus)
    checksum = checksum or corpus_checksum(parquet)
    name = f"{checksum[:16]}-v{INDEX_VERSION}"
    return [parquet.parent / INDEX_DIRNAME / name, _cache_root() / _path_key(parquet) / name]


def _is_complete(path: Path) -> bool:
    return ((path / "meta.json").is_file() and (path / "texts.feather").is_file()
            and all((path / f"{t}.parquet").is_file() for t in ("tokens", "terms", "docs")))


def _write_index(tables: dict, target: Path, *, stale_prefix: str = "") -> Path:
    """Write the tables into a temporary sibling folder, then move it into place (readers never see half).
    Sibling index folders whose name starts with *stale_prefix* (other versions of the same corpus or
    partition) are removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial"))
    try:
        os.chmod(tmp, _DIR_MODE)  # mkdtemp creates 0700
        import pyarrow as pa
        import pyarrow.feather as feather
        import pyarrow.parquet as pq

        tokens = pa.Table.from_pandas(tables["tokens"], preserve_index=False)
        # one row group and lz4: a column loads in a few hundredths of a second
        pq.write_table(tokens, tmp / "tokens.parquet", compression="lz4", row_group_size=max(len(tokens), 1))
        tables["terms"].to_parquet(tmp / "terms.parquet", index=False, compression="zstd")
        tables["docs"].to_parquet(tmp / "docs.parquet", index=False, compression="zstd")
        # the article texts the offsets index, so that contexts never need the corpus file
        feather.write_feather(pa.table({"text": pa.array(tables["texts"], type=pa.large_string())}),
                              tmp / "texts.feather", compression="zstd")
        (tmp / "meta.json").write_text(json.dumps(tables["meta"], ensure_ascii=False, indent=2), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # indexes of earlier versions of this corpus are stale now
    for sibling in target.parent.iterdir():
        if (sibling.is_dir() and sibling != target and not sibling.name.startswith(".") and "-v" in sibling.name
                and sibling.name.startswith(stale_prefix)):
            shutil.rmtree(sibling, ignore_errors=True)
    return target


# ------------------------------------------------------------------------------------------------ the index
class TokenIndex:
    """A loaded token index (see the module docstring). Columns are read lazily with :meth:`col`.

    Build or open one with :func:`open_index` (cached on disk for a corpus folder) or
    :meth:`TokenIndex.from_frame` (in memory, for a DataFrame of articles).
    """

    def __init__(self, *, path: Path | None = None, tables: dict | None = None, corpus: Path | None = None,
                 frame: pd.DataFrame | None = None, checksum: str | None = None):
        self.path = path
        self.corpus = corpus          # the articles.parquet the texts come from (folder corpora)
        self._frame = frame           # or the DataFrame itself
        self.checksum = checksum
        self._cols: dict[str, np.ndarray] = {}
        self._terms: pd.DataFrame | None = None
        self._docs: pd.DataFrame | None = None
        self._term_ids: pd.Index | None = None
        self._texts: dict[int, str] = {}
        self._cache: dict = {}        # derived arrays (word masks, cumulative counts, mentions ...)
        self._tables_texts = None
        if tables is not None:
            self._tables_texts = tables.get("texts")
            tok = tables["tokens"]
            self._cols = {c: tok[c].to_numpy() for c in tok.columns}
            self._terms = tables["terms"]
            self._docs = tables["docs"]
            self.meta = dict(tables["meta"])
        else:
            self.meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))

    # -- construction
    @classmethod
    def from_frame(cls, articles: pd.DataFrame, *, n_jobs: int = 1, progress: bool = False) -> "TokenIndex":
        """Build an index in memory for a DataFrame of articles (``doc_id``, ``title``, ``body``, metadata)."""
        missing = [c for c in ("body",) if c not in articles.columns]
        if missing:
            raise ExploreError(f"the articles table lacks column(s) {', '.join(missing)}")
        frame = articles.reset_index(drop=True)
        return cls(tables=_build_tables(frame, n_jobs=n_jobs, progress=progress), frame=frame)

    # -- tables
    @property
    def n_tokens(self) -> int:
        return int(self.meta["n_tokens"])

    @property
    def n_docs(self) -> int:
        return int(self.meta["n_docs"])

    def col(self, name: str) -> np.ndarray:
        """One token column as a numpy array (read from disk on first use)."""
        arr = self._cols.get(name)
        if arr is None:
            if name not in TOKEN_COLUMNS:
                raise KeyError(name)
            import pyarrow.parquet as pq

            arr = pq.read_table(self.path / "tokens.parquet", columns=[name]).column(0).to_numpy()
            self._cols[name] = arr
        return arr

    @property
    def terms(self) -> pd.DataFrame:
        """Term table: ``term``, ``is_word``, ``is_stop``, ``n_form``, ``n_clitic``, ``n_stem`` (row = term id)."""
        if self._terms is None:
            self._terms = pd.read_parquet(self.path / "terms.parquet")
        return self._terms

    @property
    def term_list(self) -> list[str]:
        got = self._cache.get("term_list")
        if got is None:
            got = self._cache["term_list"] = self.terms["term"].tolist()
        return got

    def term_id(self, term: str) -> int | None:
        """The id of a term string (None when the corpus never has it)."""
        ids = self.term_ids([term])
        return None if ids[0] < 0 else int(ids[0])

    def term_ids(self, terms) -> np.ndarray:
        """Ids of several term strings (-1 for those the corpus never has)."""
        if self._term_ids is None:
            self._term_ids = pd.Index(self.terms["term"].to_numpy())
        return self._term_ids.get_indexer(list(terms))

    def term_array(self, name: str) -> np.ndarray:
        """A per-term column as a numpy array (``is_word``, ``is_stop``, ``n_form`` ...)."""
        key = ("term", name)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = self.terms[name].to_numpy()
        return got

    @property
    def docs(self) -> pd.DataFrame:
        """One row per article (row = ``doc``): ``doc_id``, ``first`` token, ``n_tokens``, ``n_words``,
        ``text_len`` and the article's metadata (title, date, source, label, url, ...)."""
        if self._docs is None:
            self._docs = pd.read_parquet(self.path / "docs.parquet")
        return self._docs

    def word_mask(self) -> np.ndarray:
        """Per token: True for words (not punctuation, not bare numbers)."""
        got = self._cache.get("word_mask")
        if got is None:
            got = self._cache["word_mask"] = self.term_array("is_word")[self.col("form")]
        return got

    # -- texts
    def texts(self, docs) -> dict[int, str]:
        """The article texts (title, blank line, body) of the given doc rows."""
        docs = [int(d) for d in dict.fromkeys(int(d) for d in docs)]
        todo = [d for d in docs if d not in self._texts]
        if todo:
            if self._tables_texts is not None:
                for d in todo:
                    self._texts[d] = self._tables_texts[d]
            else:
                import pyarrow as pa

                rows = self._text_table().take(pa.array(todo, type=pa.int64())).column(0).to_pylist()
                for d, text in zip(todo, rows):
                    self._texts[d] = text
        return {d: self._texts[d] for d in docs}

    def _text_table(self):
        table = self._cache.get("text_table")
        if table is None:
            import pyarrow.feather as feather

            table = self._cache["text_table"] = feather.read_table(self.path / "texts.feather")
        return table

    def __repr__(self) -> str:
        where = self.path or "memory"
        return f"TokenIndex({self.n_docs:,} articles, {self.n_tokens:,} tokens, {where})"


# ------------------------------------------------------------------------------------------------ opening
_OPEN: "OrderedDict[tuple, TokenIndex]" = OrderedDict()
_OPEN_MAX = 3


def build_index(corpus: str | Path, *, n_jobs: int | None = None, progress: bool | None = None,
                force: bool = False) -> Path:
    """Build (or find) the index of an ingested corpus folder; returns its folder."""
    parquet = _articles_parquet(corpus)
    checksum = corpus_checksum(parquet)
    candidates = index_dir_for(parquet.parent, checksum)
    if not force:
        for cand in candidates:
            if _is_complete(cand):
                return cand
    from arabic_news.corpus import load_articles

    t0 = time.perf_counter()
    columns = _available_columns(parquet)
    articles = load_articles(parquet, columns=columns)
    t_load = time.perf_counter() - t0
    n_jobs = n_jobs or min(2, os.cpu_count() or 1)
    tables = _build_tables(articles, n_jobs=n_jobs, progress=bool(progress))
    tables["meta"]["load_seconds"] = round(t_load, 3)
    tables["meta"].update({"index_version": INDEX_VERSION, "corpus_sha256": checksum, "corpus": str(parquet.resolve()),
                           "built_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    last_error: OSError | None = None
    for cand in candidates:
        try:
            return _write_index(tables, cand)
        except OSError as exc:  # read-only corpus folder: use the cache
            logger.info("cannot write the index to %s (%s); trying the next location", cand, exc)
            last_error = exc
    raise ExploreError(f"cannot write the explore index anywhere ({last_error}); make {candidates[0].parent} "
                       f"or {candidates[1].parent} writable")


def _available_columns(parquet: Path) -> list[str]:
    import pyarrow.parquet as pq

    names = pq.read_schema(parquet).names
    if "body" not in names:
        raise ExploreError(f"{parquet} lacks the column 'body'; re-run `arabic-news ingest`")
    return [c for c in names if c != "paragraphs"]


def open_index(corpus, *, n_jobs: int | None = None, progress: bool | None = None) -> TokenIndex:
    """The token index of *corpus*: an ingested corpus folder (or its ``articles.parquet``; built on first use
    and cached beside it), a DataFrame of articles (built in memory, remembered for this process) or a
    :class:`TokenIndex` (returned as it is)."""
    if isinstance(corpus, TokenIndex):
        return corpus
    if isinstance(corpus, pd.DataFrame):
        key = ("frame", _frame_fingerprint(corpus))
        hit = _OPEN.get(key)
        if hit is None:
            hit = TokenIndex.from_frame(corpus, n_jobs=n_jobs or 1, progress=bool(progress))
        _remember(key, hit)
        return hit
    if not isinstance(corpus, (str, Path)):
        raise ExploreError(f"expected a corpus folder, a DataFrame of articles or a TokenIndex, got "
                           f"{type(corpus).__name__}")
    parquet = _articles_parquet(corpus)
    checksum = corpus_checksum(parquet)
    key = ("path", str(parquet.resolve()), checksum)
    hit = _OPEN.get(key)
    if hit is None:
        path = build_index(parquet.parent, n_jobs=n_jobs, progress=progress)
        hit = TokenIndex(path=path, corpus=parquet, checksum=checksum)
    _remember(key, hit)
    return hit


def _remember(key, index: TokenIndex) -> None:
    _OPEN[key] = index
    _OPEN.move_to_end(key)
    while len(_OPEN) > _OPEN_MAX:
        _OPEN.popitem(last=False)


def _frame_fingerprint(frame: pd.DataFrame) -> str:
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    h.update(str(len(frame)).encode())
    h.update(",".join(map(str, frame.columns)).encode())
    for col in ("doc_id", "title", "body"):
        if col in frame.columns:
            h.update(pd.util.hash_pandas_object(frame[col].fillna(""), index=False).to_numpy().tobytes())
    return h.hexdigest()


@dataclass
class Hits:
    """Matches of a query: first token, token count (numpy arrays, text order) and, for actor queries, the
    matcher's character span when it differs from the tokens' (``char_start``/``char_end`` or None)."""

    first: np.ndarray
    length: np.ndarray
    char_start: np.ndarray | None = None
    char_end: np.ndarray | None = None
    doc: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.first)
