"""The corpus a notebook or the main job works on: resolve a source to an ingested folder, load it, sample it.

* :func:`resolve_corpus`: an ingested corpus folder (``articles.parquet``) for a source -- the default corpus, an
  ingested folder, a folder of articles in the seed layout or a dataset name (ingested and cached).
* :func:`load_corpus`: ``(folder, articles)`` given a notebook's ``corpus_dir`` / ``sample_size`` / ``seed``.
* :func:`sample_articles` / :func:`sample_positions`: deterministic seeded samples.
"""
from __future__ import annotations

from pathlib import Path

from arabic_news import config

#: The corpus of the main job when none is given.
DEFAULT_CORPUS = "saudinewsnet"
#: Articles in the development sample a notebook loads when it is given no corpus (nbval, ``make test``).
DEFAULT_SAMPLE_FOR_NOTEBOOKS = 300


class CorpusNotFoundError(RuntimeError):
    """A corpus folder or source that does not exist or holds no ingested corpus, with the fix in the message."""


def sample_articles(articles, n: int, *, seed: int):
    """A deterministic random sample of *n* articles (all of them if ``n <= 0`` or ``n >= len``), in doc_id order."""
    if n <= 0 or n >= len(articles):
        return articles.sort_values("doc_id", kind="stable").reset_index(drop=True)
    ordered = articles.sort_values("doc_id", kind="stable").reset_index(drop=True)
    return ordered.sample(n=n, random_state=seed).sort_values("doc_id", kind="stable").reset_index(drop=True)


def sample_positions(n: int, size: int, *, seed: int):
    """Sorted positions of a seeded random sample of *size* out of *n* items (all of them, ``0..n-1``, when
    ``size <= 0`` or ``size >= n``): e.g. the articles a costly step (a k sweep, a coherence reference) runs on,
    which leaves small corpora untouched."""
    import numpy as np

    if size <= 0 or size >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=int(size), replace=False))


def load_corpus(corpus_dir: str | Path | None = "", *, sample_size: int = 0, seed: int = config.DEFAULT_SEED,
                paragraphs: bool = True):
    """The corpus a notebook works on: ``(corpus folder, articles DataFrame)``.

    ``corpus_dir`` empty: the small fixed development sample (``arabic_news.corpus.ensure_sample_corpus``,
    ``sample_size`` articles, 300 if 0) -- what nbval and ``make test`` use. Otherwise the ingested folder
    ``corpus_dir`` (holding ``articles.parquet``); with ``sample_size > 0`` a deterministic sample of that
    many articles drawn with ``seed``. ``paragraphs=False`` leaves out the ``paragraphs`` column (the body
    split into a list per article: a second copy of every text, which the analyses other than the overview's
    paragraph counts never read); the rows and the sample are the same.
    """
    from arabic_news.corpus.samples import ensure_sample_corpus
    from arabic_news.corpus.schema import load_articles

    def read(path: Path):
        if paragraphs:
            return load_articles(path)
        import pyarrow.parquet as pq

        names = pq.read_schema(path / "articles.parquet").names
        return load_articles(path, columns=[c for c in names if c != "paragraphs"])

    if not corpus_dir:
        path = Path(ensure_sample_corpus(n=sample_size or DEFAULT_SAMPLE_FOR_NOTEBOOKS, seed=seed))
        return path, read(path)
    path = Path(corpus_dir)
    if not (path / "articles.parquet").is_file():
        raise CorpusNotFoundError(f"{path}: no articles.parquet; run `arabic-news ingest SOURCE --out {path}` first")
    articles = read(path)
    return path, sample_articles(articles, int(sample_size or 0), seed=seed)


def resolve_corpus(source: str | Path | None, **ingest_kwargs) -> Path:
    """An ingested corpus folder (holding ``articles.parquet``) for *source*.

    ``None``: the default corpus (SaudiNewsNet, fetched or read from the mirror, then ingested; cached).
    A folder that already holds ``articles.parquet``: used as it is. Anything else (a folder in the seed
    layout, a dataset name, a file): ingested by ``arabic_news.corpus.ensure_corpus`` (with *ingest_kwargs*,
    e.g. ``follow_symlinks``, ``max_file_size``). A path that does not exist raises
    :class:`CorpusNotFoundError`; ingestion errors (``IngestError``, ``DatasetNotAvailable``) pass through.
    """
    from arabic_news.corpus.samples import ensure_corpus

    if source is not None and str(source) != "":
        path = Path(source)
        if path.is_dir() and (path / "articles.parquet").is_file():
            return path
        looks_like_path = path.is_absolute() or "/" in str(source) or str(source).startswith(".")
        if not path.exists() and looks_like_path:
            raise CorpusNotFoundError(f"{path}: no such file or folder; pass a folder of articles (seed layout), "
                                      f"an ingested corpus folder or a dataset name")
    return Path(ensure_corpus(DEFAULT_CORPUS if source is None or str(source) == "" else source, **ingest_kwargs))


__all__ = ["DEFAULT_CORPUS", "DEFAULT_SAMPLE_FOR_NOTEBOOKS", "CorpusNotFoundError", "load_corpus",
           "resolve_corpus", "sample_articles", "sample_positions"]
