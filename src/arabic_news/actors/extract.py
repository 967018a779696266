"""Actor extraction over a corpus: the mentions table, per-document counts, frequencies and time series.

The text an article is matched on is :func:`article_text` (title, a blank line, the body's paragraphs one per
line), so the ``start``/``end`` offsets of the mentions table index into that string and the title is sentence 0.
"""
from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import time
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd
from tqdm import tqdm

from arabic_news.actors.labels import actor_names, outlet_label
from arabic_news.actors.matcher import KINDS as MENTION_KINDS
from arabic_news.actors.matcher import ActorMatcher

logger = logging.getLogger(__name__)

MENTION_COLUMNS = (
    "doc_id", "actor_id", "kind", "start", "end", "token_start", "token_end", "sentence", "surface", "form",
    "proclitic", "candidates", "affiliations",
)
PERIODS = {"day": "D", "week": "W", "month": "M"}
#: below this many articles extraction stays in the calling process (worker start-up is not worth it)
PARALLEL_MIN_ARTICLES = 2000


def article_text(title: str | None, body: str | None) -> str:
    """The string an article is matched on: ``title + "\\n\\n" + body`` (just the body when there is no title)."""
    title = (title or "").strip()
    body = body or ""
    return f"{title}\n\n{body}" if title else body


class ArticleFileError(ValueError):
    """An article file cannot be read; the message names the file and the fix."""


def read_article(path: str | Path) -> tuple[str, str]:
    """``(title, body)`` of one article file in the seed layout (title line, blank line, body whose paragraphs
    are joined by ``., ``), read with the ingest step's decoder and seed-layout parser; the body's paragraphs
    are joined by newlines as in ``articles.parquet``. Raises :class:`ArticleFileError`."""
    from arabic_news.corpus.decode import DecodeError, decode_bytes
    from arabic_news.corpus.seed_layout import LayoutError, parse_seed_text

    path = Path(path)
    if not path.is_file():
        raise ArticleFileError(f"{path}: no such file; pass an article file (title line, blank line, body)")
    try:
        text = decode_bytes(path.read_bytes()).text
    except DecodeError as exc:
        raise ArticleFileError(f"{path}: {exc.reason}; save the article as UTF-8 text") from exc
    try:
        parsed = parse_seed_text(text)
    except LayoutError as exc:
        raise ArticleFileError(f"{path}: {exc.reason}; expected a title line, a blank line and the body") from exc
    return parsed.title, "\n".join(parsed.paragraphs)


def article_actors(title: str, body: str, matcher: ActorMatcher, date=None) -> list[dict]:
    """The actors of one article, most mentioned first: dicts with ``id``, ``name_en``, ``name_ar``, ``type``,
    ``mentions``, ``kinds`` (kind -> count), ``surfaces`` (as written), ``first_offset`` and, when the matcher
    resolves affiliations and *date* is given, ``affiliations`` (organisation ids on that date)."""
    text = article_text(title, body)
    gaz = matcher.gazetteer_
    out: dict[str, dict] = {}
    for m in matcher.find(text, date):
        actor = gaz.actors[m.actor_id]
        rec = out.setdefault(m.actor_id, {
            "id": actor.id, "name_en": actor.name_en, "name_ar": actor.name_ar, "type": actor.type,
            "mentions": 0, "kinds": {}, "surfaces": [], "first_offset": m.start,
        })
        rec["mentions"] += 1
        rec["kinds"][m.kind] = rec["kinds"].get(m.kind, 0) + 1
        if m.surface not in rec["surfaces"]:
            rec["surfaces"].append(m.surface)
        if m.affiliations:
            affs = rec.setdefault("affiliations", [])
            affs.extend(org for org in m.affiliations if org not in affs)
    return sorted(out.values(), key=lambda r: (-r["mentions"], r["first_offset"]))


def outlet_share_table(by_outlet: pd.DataFrame, actor_ids: Sequence[str], gazetteer=None,
                       value: str = "doc_share") -> pd.DataFrame:
    """Actors (rows, in the given order, labelled with their Arabic names) x outlets (columns, by
    :func:`arabic_news.actors.labels.outlet_label`) table of *value* from :func:`frequencies_by_outlet` (0 where
    an outlet never names the actor)."""
    table = (by_outlet[by_outlet["actor_id"].isin(list(actor_ids))]
             .pivot_table(index="actor_id", columns="source", values=value, fill_value=0.0)
             .reindex(list(actor_ids)).fillna(0.0))
    table.index = actor_names(table.index, gazetteer)
    table.columns = [outlet_label(c) for c in table.columns]
    table.index.name = None
    table.columns.name = None
    return table


# -- mentions -----------------------------------------------------------------------------------------------------
_WORKER_MATCHER: ActorMatcher | None = None
#: (doc_ids, texts, dates) of the whole corpus, inherited by forked workers (copy-on-write): tasks are then just
#: (start, stop) ranges instead of pickled texts
_FORK_DATA: tuple | None = None


def _init_worker(matcher: ActorMatcher) -> None:
    global _WORKER_MATCHER
    _WORKER_MATCHER = matcher


def _match_range(bounds: tuple[int, int]) -> dict:
    doc_ids, texts, dates = _FORK_DATA
    start, stop = bounds
    return _match_chunk((doc_ids[start:stop], texts[start:stop], None if dates is None else dates[start:stop]))


def _match_chunk(chunk: tuple[list[str], list[str], list | None], matcher: ActorMatcher | None = None) -> dict:
    """Columns (dict of lists) of the mentions in one chunk of (doc_ids, texts, dates)."""
    matcher = matcher or _WORKER_MATCHER
    doc_ids, texts, dates = chunk
    cols: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
    for i, (doc_id, text) in enumerate(zip(doc_ids, texts)):
        for m in matcher.find(text, None if dates is None else dates[i]):
            cols["doc_id"].append(doc_id)
            cols["actor_id"].append(m.actor_id)
            cols["kind"].append(m.kind)
            cols["start"].append(m.start)
            cols["end"].append(m.end)
            cols["token_start"].append(m.token_start)
            cols["token_end"].append(m.token_end)
            cols["sentence"].append(m.sentence)
            cols["surface"].append(m.surface)
            cols["form"].append(m.form)
            cols["proclitic"].append(m.proclitic)
            cols["candidates"].append(";".join(m.candidates))
            cols["affiliations"].append(";".join(m.affiliations))
    return cols


def _empty_mentions() -> pd.DataFrame:
    return _mentions_frame({c: [] for c in MENTION_COLUMNS})


def _mentions_frame(cols: dict[str, list]) -> pd.DataFrame:
    df = pd.DataFrame(cols, columns=list(MENTION_COLUMNS))
    for c in ("start", "end", "token_start", "token_end", "sentence"):
        df[c] = df[c].astype("int32")
    for c in ("doc_id", "actor_id", "kind", "surface", "form", "proclitic", "candidates", "affiliations"):
        df[c] = df[c].astype(object)  # plain str objects (an empty table gets object columns too)
    return df


def extract_mentions(
    articles: pd.DataFrame,
    matcher: ActorMatcher | None = None,
    *,
    n_jobs: int = 1,
    chunksize: int = 250,
    progress: bool | None = None,
    start_method: str | None = None,
) -> pd.DataFrame:
    """The mentions table of *articles* (a ``load_articles`` frame: ``doc_id``, ``title``, ``body``, ``date``).

    Columns: :data:`MENTION_COLUMNS` (offsets index into :func:`article_text`; ``candidates`` and
    ``affiliations`` are ``;``-joined actor ids, empty when none). *n_jobs* > 1 matches chunks of *chunksize*
    articles in that many worker processes (the fitted matcher is pickled once per worker); corpora smaller than
    :data:`PARALLEL_MIN_ARTICLES` are matched in-process. *start_method* is the multiprocessing start method
    (default ``fork`` where available, else the platform default).
    """
    missing = [c for c in ("doc_id", "body") if c not in articles.columns]
    if missing:
        raise ValueError(f"articles table lacks column(s) {', '.join(missing)}")
    if matcher is None:
        matcher = ActorMatcher()
    if not hasattr(matcher, "automaton_"):
        matcher.fit()
    doc_ids = articles["doc_id"].astype(str).tolist()
    titles = articles["title"].fillna("").tolist() if "title" in articles.columns else [""] * len(doc_ids)
    texts = [article_text(t, b) for t, b in zip(titles, articles["body"].fillna("").tolist())]
    dates = None
    if matcher.resolve_affiliations and "date" in articles.columns:
        dates = [None if pd.isna(d) else pd.Timestamp(d).date() for d in articles["date"]]
    chunks = [
        (doc_ids[i:i + chunksize], texts[i:i + chunksize], None if dates is None else dates[i:i + chunksize])
        for i in range(0, len(texts), chunksize)
    ]
    if progress is None:
        progress = False
    bar = tqdm(total=len(texts), desc="actors", unit="doc", disable=not progress)
    parts: list[dict] = []
    n_jobs = max(1, int(n_jobs or 1))
    if n_jobs > 1 and len(texts) >= PARALLEL_MIN_ARTICLES:
        # fork (where available): workers start at once and share the parent's pages copy-on-write; measured
        # faster than forkserver and no more memory in total (PSS) on SaudiNewsNet
        global _FORK_DATA
        methods = mp.get_all_start_methods()
        ctx = mp.get_context(start_method or ("fork" if "fork" in methods else None))
        forked = ctx.get_start_method() == "fork"
        bounds = [(i, min(i + chunksize, len(texts))) for i in range(0, len(texts), chunksize)]
        try:
            if forked:
                _FORK_DATA = (doc_ids, texts, dates)
            with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(matcher,)) as pool:
                results = pool.imap(_match_range, bounds) if forked else pool.imap(_match_chunk, chunks)
                for (start, stop), cols in zip(bounds, results):
                    parts.append(cols)
                    bar.update(stop - start)
        finally:
            _FORK_DATA = None
    else:
        for chunk in chunks:
            parts.append(_match_chunk(chunk, matcher))
            bar.update(len(chunk[0]))
    bar.close()
    if not parts:
        return _empty_mentions()
    merged = {c: [v for p in parts for v in p[c]] for c in MENTION_COLUMNS}
    return _mentions_frame(merged)


#: bumped when the mentions table changes in a way the code fingerprint of the matcher does not show
MENTIONS_VERSION = 1
#: the modules whose source makes the mentions what they are (part of the store key)
_MENTION_CODE = ("arabic_news.actors.matcher", "arabic_news.actors.gazetteer", "arabic_news.text.normalize",
                 "arabic_news.text.tokenize", "arabic_news.text.clitics")


def corpus_matcher(gazetteer=None, *, fit: bool = True) -> ActorMatcher:
    """The matcher every notebook and command uses on a corpus: the project's gazetteer (with the user's
    ``ARABIC_NEWS_GAZETTEER`` files), affiliations resolved on the article's date; fitted unless *fit* is False
    (building the automaton takes seconds: a rerun that reads the mentions from the store does not need it)."""
    if gazetteer is None:
        from arabic_news.actors.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    matcher = ActorMatcher(gazetteer=gazetteer, resolve_affiliations=True)
    return matcher.fit() if fit else matcher


def mentions_params(articles: pd.DataFrame, matcher: ActorMatcher) -> dict:
    """What the mentions of *articles* depend on: which articles (their ``doc_id`` in order), the gazetteer's
    content, the matcher's settings and the matching code (the key of the ``actor_mentions`` store entry)."""
    from arabic_news.actors.gazetteer import gazetteer_fingerprint, load_gazetteer
    from arabic_news.corpus.store import code_fingerprint, values_fingerprint

    gaz = getattr(matcher, "gazetteer_", None) or matcher.gazetteer or load_gazetteer()
    settings = {k: v for k, v in matcher.get_params(deep=False).items() if k != "gazetteer"}
    return {"articles": values_fingerprint(articles["doc_id"].astype(str)),
            "gazetteer": gazetteer_fingerprint(gaz), "matcher": settings,
            "code": code_fingerprint(*_MENTION_CODE), "version": MENTIONS_VERSION}


def automaton_size(matcher: ActorMatcher, *, store=None) -> int:
    """The number of surface strings (forms with their proclitic variants) in *matcher*'s automaton; read from
    the store when the matcher was not fitted in this run (building the automaton takes seconds)."""
    if hasattr(matcher, "n_keys_") or store is None:
        return int(matcher.n_keys_ if hasattr(matcher, "n_keys_") else matcher.fit().n_keys_)
    params = {k: v for k, v in mentions_params(pd.DataFrame({"doc_id": []}), matcher).items() if k != "articles"}
    return int(store.json("actor_matcher_size", params,
                          lambda: {"n_keys": int(matcher.fit().n_keys_)})["n_keys"])


def _object_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as ``object`` (as :func:`extract_mentions` makes them), also after a parquet round trip."""
    cols = {c: object for c in df.columns if pd.api.types.is_string_dtype(df[c]) and df[c].dtype != object}
    return df.astype(cols) if cols else df


def corpus_mentions(articles: pd.DataFrame, *, corpus_dir=None, store=None, matcher: ActorMatcher | None = None,
                    n_jobs: int = 1, progress: bool | None = None) -> pd.DataFrame:
    """The actor mentions of *articles* (rows of the corpus in *corpus_dir*), computed once per corpus.

    The result is kept in the corpus' analysis store (:class:`arabic_news.corpus.store.AnalysisStore`, entry
    ``actor_mentions``), keyed by :func:`mentions_params`: every notebook (topics, actors, stance), command and
    rerun that asks for the mentions of the same articles with the same gazetteer and matcher settings reads
    them from there. Without *corpus_dir* and *store* the mentions are just extracted. *matcher*: default
    :func:`corpus_matcher` (fitted only when the mentions have to be computed).
    """
    matcher = matcher if matcher is not None else corpus_matcher(fit=False)

    def compute() -> pd.DataFrame:
        if not hasattr(matcher, "automaton_"):
            matcher.fit()
        return extract_mentions(articles, matcher, n_jobs=n_jobs, progress=progress)

    if store is None and corpus_dir is not None:
        from arabic_news.corpus.store import AnalysisStore

        store = AnalysisStore(corpus_dir)
    if store is None:
        return compute()
    return _object_strings(store.frame("actor_mentions", mentions_params(articles, matcher), compute,
                                       desc=f"actor mentions of {len(articles):,} articles"))


def affiliation_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per (person mention, organisation the person was affiliated with on the article's date), from a
    mentions table extracted with ``resolve_affiliations=True``: ``doc_id``, ``actor_id`` (the organisation),
    ``via`` (the person), ``sentence``, ``start``, ``end``. Counting these rows says how often an organisation is
    present through its office holders (e.g. NATO through its Secretary General)."""
    cols = ["doc_id", "actor_id", "via", "sentence", "start", "end"]
    if mentions.empty or "affiliations" not in mentions.columns:
        return pd.DataFrame(columns=cols)
    m = mentions[mentions["affiliations"].fillna("") != ""]
    out = m.assign(via=m["actor_id"], org=m["affiliations"].astype(str).str.split(";")).explode("org")
    out = out.drop(columns=["actor_id"]).rename(columns={"org": "actor_id"})
    return out[cols].reset_index(drop=True)


# -- counts and frequencies ---------------------------------------------------------------------------------------
def document_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per (doc_id, actor_id): ``mentions`` plus the split by kind (:data:`MENTION_KINDS`: ``name``,
    ``adjective``, ``short_name`` for people, ``reference`` for other actors) and the first sentence the actor
    appears in."""
    if mentions.empty:
        return pd.DataFrame(columns=["doc_id", "actor_id", "mentions", *MENTION_KINDS, "first_sentence"])
    by_kind = (mentions.groupby(["doc_id", "actor_id", "kind"], observed=True).size()
               .unstack("kind", fill_value=0))
    for kind in MENTION_KINDS:
        if kind not in by_kind.columns:
            by_kind[kind] = 0
    by_kind = by_kind[list(MENTION_KINDS)]
    out = by_kind.assign(mentions=by_kind.sum(axis=1))
    out["first_sentence"] = mentions.groupby(["doc_id", "actor_id"], observed=True)["sentence"].min()
    out = out.reset_index()[["doc_id", "actor_id", "mentions", *MENTION_KINDS, "first_sentence"]]
    out.columns.name = None
    return out.sort_values(["doc_id", "mentions", "actor_id"], ascending=[True, False, True],
                           ignore_index=True)


def _actor_info(gazetteer, actor_ids: Iterable[str]) -> pd.DataFrame:
    rows = []
    for a in actor_ids:
        actor = gazetteer.actors.get(a) if gazetteer is not None else None
        rows.append({"actor_id": a, "name_en": getattr(actor, "name_en", ""), "name_ar": getattr(actor, "name_ar", ""),
                     "type": getattr(actor, "type", "")})
    return pd.DataFrame(rows, columns=["actor_id", "name_en", "name_ar", "type"])


def actor_frequencies(mentions: pd.DataFrame, gazetteer=None, *, n_documents: int | None = None) -> pd.DataFrame:
    """Corpus-level frequency of each actor: ``mentions``, ``documents`` (articles naming it), ``doc_share``
    (documents / *n_documents*, default the number of articles with any mention), names and type; most
    frequent first."""
    cols = ["actor_id", "name_en", "name_ar", "type", "mentions", "documents", "doc_share"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    g = mentions.groupby("actor_id", observed=True)
    out = pd.DataFrame({"mentions": g.size(), "documents": g["doc_id"].nunique()}).reset_index()
    n_documents = n_documents or mentions["doc_id"].nunique()
    out["doc_share"] = out["documents"] / n_documents
    out = out.merge(_actor_info(gazetteer, out["actor_id"]), on="actor_id", how="left")
    out["actor_id"] = out["actor_id"].astype(str)
    return out[cols].sort_values(["mentions", "actor_id"], ascending=[False, True], ignore_index=True)


def actor_rankings(mentions: pd.DataFrame, gazetteer=None, *, n_documents: int | None = None,
                   top_n: int | None = None) -> pd.DataFrame:
    """One ranking per actor type: the actors most often named, by the number of articles that mention them.

    One row per actor: ``type``, ``rank`` (1 = most articles, within its type), ``actor_id``, ``name_ar``,
    ``name_en``, ``documents`` (articles mentioning it by any kind), ``doc_share`` (documents / *n_documents*,
    default the articles with a mention), ``mentions`` and its split by kind (:data:`MENTION_KINDS`: ``name``,
    ``adjective``, ``short_name``, ``reference``). Ties in documents are broken by name mentions, then by all
    mentions, then by id, so the order is reproducible. Types follow
    :data:`arabic_news.actors.labels.TYPE_LABELS`; *top_n* keeps the first *top_n* of each type.
    """
    from arabic_news.actors.labels import TYPE_LABELS

    cols = ["type", "rank", "actor_id", "name_ar", "name_en", "documents", "doc_share", "mentions",
            *MENTION_KINDS]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    m = mentions.astype({"actor_id": str})
    by_kind = m.groupby(["actor_id", "kind"], observed=True).size().unstack("kind", fill_value=0)
    by_kind = by_kind.reindex(columns=list(MENTION_KINDS), fill_value=0)
    out = by_kind.assign(mentions=by_kind.sum(axis=1), documents=m.groupby("actor_id")["doc_id"].nunique())
    out = out.reset_index()
    out.columns.name = None
    out = out.merge(_actor_info(gazetteer, out["actor_id"]), on="actor_id", how="left")
    out["doc_share"] = out["documents"] / (n_documents or m["doc_id"].nunique())
    order = {t: i for i, t in enumerate(TYPE_LABELS)}
    out["_type_order"] = out["type"].map(lambda t: order.get(t, len(order)))
    out = out.sort_values(["_type_order", "type", "documents", "name", "mentions", "actor_id"],
                          ascending=[True, True, False, False, False, True], ignore_index=True)
    out["rank"] = out.groupby("type", sort=False).cumcount() + 1
    if top_n is not None:
        out = out[out["rank"] <= top_n].reset_index(drop=True)
    for c in ("documents", "mentions", *MENTION_KINDS):
        out[c] = out[c].astype("int64")
    return out[cols]


def _with_meta(mentions: pd.DataFrame, articles: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    meta = articles[["doc_id", *columns]].copy()
    meta["doc_id"] = meta["doc_id"].astype(str)
    m = mentions[["doc_id", "actor_id"]].copy()
    m["doc_id"] = m["doc_id"].astype(str)
    return m.merge(meta, on="doc_id", how="left")


def _group_frequencies(mentions, articles, key: str, key_series: pd.Series, gazetteer) -> pd.DataFrame:
    """mentions/documents per (key, actor) with the group's article count and document share."""
    cols = [key, "actor_id", "name_en", "name_ar", "type", "mentions", "documents", "group_documents", "doc_share"]
    group_sizes = key_series.value_counts(dropna=True)
    if mentions.empty or group_sizes.empty:
        return pd.DataFrame(columns=cols)
    lookup = pd.DataFrame({"doc_id": articles["doc_id"].astype(str), key: key_series.to_numpy()})
    m = mentions[["doc_id", "actor_id"]].astype({"doc_id": str, "actor_id": str}).merge(lookup, on="doc_id")
    m = m.dropna(subset=[key])
    g = m.groupby([key, "actor_id"], observed=True)
    out = pd.DataFrame({"mentions": g.size(), "documents": g["doc_id"].nunique()}).reset_index()
    out["group_documents"] = out[key].map(group_sizes).astype("int64")
    out["doc_share"] = out["documents"] / out["group_documents"]
    out = out.merge(_actor_info(gazetteer, out["actor_id"].unique()), on="actor_id", how="left")
    return out[cols].sort_values([key, "mentions", "actor_id"], ascending=[True, False, True], ignore_index=True)


def frequencies_by_outlet(mentions: pd.DataFrame, articles: pd.DataFrame, gazetteer=None) -> pd.DataFrame:
    """Per outlet (``source``) and actor: mentions, documents, the outlet's article count and the share of its
    articles naming the actor. Articles without a source are grouped under ``"(unknown)"``."""
    source = articles["source"].fillna("(unknown)").astype(str) if "source" in articles.columns else \
        pd.Series(["(unknown)"] * len(articles))
    return _group_frequencies(mentions, articles, "source", source.reset_index(drop=True), gazetteer)


def period_start(dates: pd.Series, by: str) -> pd.Series:
    """The start of the day/week (Monday)/month each date falls in (NaT stays NaT)."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, got {by!r}")
    dates = pd.to_datetime(dates)
    if by == "day":
        return dates.dt.normalize()
    return dates.dt.to_period(PERIODS[by]).dt.start_time


def frequencies_by_period(mentions: pd.DataFrame, articles: pd.DataFrame, by: str = "day",
                          gazetteer=None) -> pd.DataFrame:
    """Per period (``by`` = day, week or month; column ``period`` = its first day) and actor: mentions,
    documents, the period's article count and document share. Undated articles are left out (count them with
    ``articles['date'].isna().sum()``)."""
    if "date" not in articles.columns:
        raise ValueError("articles table lacks a 'date' column")
    period = period_start(articles["date"], by).reset_index(drop=True)
    return _group_frequencies(mentions, articles.reset_index(drop=True), "period", period, gazetteer)


def time_series(frequencies: pd.DataFrame, *, value: str = "mentions", actors: Sequence[str] | None = None,
                top: int | None = 10, label: str = "actor_id", periods: Sequence | None = None,
                by: str | None = None) -> pd.DataFrame:
    """A wide period x actor table from :func:`frequencies_by_period` output (missing periods/actors = 0).

    ``actors`` picks the columns; otherwise the ``top`` actors by total *value*. ``label`` chooses the column
    names (``actor_id``, ``name_en`` or ``name_ar``). ``periods`` (the periods that have articles, e.g.
    ``period_start(articles["date"], by).dropna().unique()``) adds the periods whose articles name no actor, as 0;
    with ``by`` (day, week, month) every period between the first and the last is a row, and those without any
    article are NaN: a gap in a line chart, not a zero.
    """
    if frequencies.empty:
        return pd.DataFrame()
    wide = frequencies.pivot_table(index="period", columns="actor_id", values=value, aggfunc="sum", fill_value=0)
    if periods is not None:
        wide = wide.reindex(wide.index.union(pd.DatetimeIndex(list(periods))), fill_value=0)
    if actors is None:
        totals = wide.sum(axis=0)
        order = sorted(totals.index, key=lambda a: (-totals[a], str(a)))  # ties: by id, deterministic
        actors = order[:top] if top else order
    wide = wide.reindex(columns=list(actors), fill_value=0).sort_index()
    if by is not None and len(wide):
        if by not in PERIODS:
            raise ValueError(f"by must be one of {', '.join(PERIODS)}, got {by!r}")
        freq = {"day": "D", "week": "W-MON", "month": "MS"}[by]
        wide = wide.reindex(pd.date_range(wide.index.min(), wide.index.max(), freq=freq))
    if label != "actor_id":
        names = frequencies.drop_duplicates("actor_id").set_index("actor_id")[label]
        wide.columns = [names.get(a, a) for a in wide.columns]
    wide.columns.name = None
    return wide


# -- the whole extraction -----------------------------------------------------------------------------------------
def write_table(df: pd.DataFrame, out_dir: Path, stem: str) -> list[Path]:
    """Write *df* as ``stem.parquet`` and ``stem.csv`` (UTF-8) in *out_dir*."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pq_path, csv_path = out_dir / f"{stem}.parquet", out_dir / f"{stem}.csv"
    df.to_parquet(pq_path, index=False)
    df.to_csv(csv_path, index=False, encoding="utf-8")
    return [pq_path, csv_path]


#: the article columns extraction reads (``paragraphs`` is not needed: ``body`` holds the same text)
EXTRACT_COLUMNS = ("doc_id", "title", "body", "date", "source")


def load_for_extraction(corpus_dir) -> pd.DataFrame:
    """``load_articles`` restricted to :data:`EXTRACT_COLUMNS` (10x faster and half the memory on big corpora)."""
    import pyarrow.parquet as pq

    from arabic_news.corpus import load_articles

    path = Path(corpus_dir)
    parquet = path / "articles.parquet" if path.is_dir() else path
    available = set(pq.read_schema(parquet).names) if parquet.is_file() else set(EXTRACT_COLUMNS)
    columns = [c for c in EXTRACT_COLUMNS if c in available]
    return load_articles(corpus_dir, columns=columns).reset_index(drop=True)


def run_extraction(
    corpus_dir: str | Path,
    out_dir: str | Path,
    *,
    by: Sequence[str] = ("day", "week", "month"),
    matcher: ActorMatcher | None = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
    network: bool = True,
    min_edge_count: int = 1,
) -> dict:
    """Extract actors from an ingested corpus and write every table (parquet + CSV) to *out_dir*.

    Tables: ``mentions``, ``doc_counts``, ``actors`` (overall frequencies), ``by_outlet`` and ``by_<period>`` for
    each period in *by*; plus ``summary.json`` (counts, timing, articles without any mention, undated
    articles). With *network*, also the document-level co-occurrence network (``actor_network.gexf`` for Gephi,
    ``actor_network_nodes.csv``, ``actor_network_edges.csv``; PMI with N = all articles) and the sentence-level
    dyads (``sentence_dyads``), dropping pairs seen fewer than *min_edge_count* times. Returns the summary.
    ``n_jobs`` defaults to ``min(2, cpu count)``.

    The tables are written into a temporary folder beside *out_dir* and swapped into place at the end
    (:class:`arabic_news.corpus.atomic.OutputDir`): an interrupted run leaves the previous tables as they were.
    """
    from arabic_news.corpus.atomic import OutputDir

    output = OutputDir(out_dir, owned=OUTPUT_ENTRIES, marker=("summary.json",), what="actors output")
    out_dir = output.begin()
    try:
        summary = _run_extraction(corpus_dir, out_dir, by=by, matcher=matcher, n_jobs=n_jobs, progress=progress,
                                  network=network, min_edge_count=min_edge_count)
    except BaseException:
        output.abort()
        raise
    output.commit()
    return summary


#: what :func:`run_extraction` writes (a stale one left from an earlier run with other options is dropped)
OUTPUT_ENTRIES = ("summary.json", "mentions.*", "doc_counts.*", "actors.*", "by_*.parquet", "by_*.csv",
                  "affiliation_mentions.*", "actor_network*", "sentence_dyads.*")


def _corpus_store(corpus_dir):
    """The analysis store of *corpus_dir*, or None when it has none (e.g. a bare parquet file)."""
    from arabic_news.corpus.store import AnalysisStore, StoreError

    try:
        return AnalysisStore(corpus_dir) if Path(corpus_dir).is_dir() else None
    except (StoreError, OSError) as exc:
        logger.info("no analysis store for %s (%s): mentions computed, not stored", corpus_dir, exc)
        return None


def _run_extraction(corpus_dir, out_dir: Path, *, by, matcher, n_jobs, progress, network, min_edge_count) -> dict:
    t0 = time.perf_counter()
    articles = load_for_extraction(corpus_dir)
    t_load = time.perf_counter() - t0
    if matcher is None:
        matcher = ActorMatcher()
    if not hasattr(matcher, "automaton_"):
        matcher.fit()
    n_jobs = n_jobs or min(2, os.cpu_count() or 1)
    t1 = time.perf_counter()
    # the corpus' analysis store: the same entry the notebooks read (when the matcher settings are the same)
    mentions = corpus_mentions(articles, store=_corpus_store(corpus_dir), matcher=matcher, n_jobs=n_jobs,
                               progress=progress)
    t_match = time.perf_counter() - t1
    gaz = matcher.gazetteer_
    files: list[Path] = []
    files += write_table(mentions, out_dir, "mentions")
    files += write_table(document_counts(mentions), out_dir, "doc_counts")
    files += write_table(actor_frequencies(mentions, gaz, n_documents=len(articles)), out_dir, "actors")
    files += write_table(frequencies_by_outlet(mentions, articles, gaz), out_dir, "by_outlet")
    for period in by:
        files += write_table(frequencies_by_period(mentions, articles, period, gaz), out_dir, f"by_{period}")
    if matcher.resolve_affiliations:
        files += write_table(affiliation_mentions(mentions), out_dir, "affiliation_mentions")
    if network:
        from arabic_news.actors.network import build_network, export_network, sentence_dyads

        graph = build_network(mentions, gaz, level="document", n_units=max(len(articles), 1),
                              min_count=min_edge_count)
        files += export_network(graph, out_dir, "actor_network")
        files += write_table(sentence_dyads(mentions, min_count=min_edge_count), out_dir, "sentence_dyads")
    n_with = int(mentions["doc_id"].nunique()) if len(mentions) else 0
    summary = {
        "corpus_dir": str(corpus_dir),
        "n_articles": int(len(articles)),
        "n_articles_with_mentions": n_with,
        "n_articles_without_mentions": int(len(articles) - n_with),
        "n_undated_articles": int(articles["date"].isna().sum()) if "date" in articles.columns else int(len(articles)),
        "n_mentions": int(len(mentions)),
        "n_actors_found": int(mentions["actor_id"].nunique()) if len(mentions) else 0,
        "mentions_by_kind": {str(k): int(v) for k, v in mentions["kind"].value_counts().items()},
        "gazetteer_actors": int(len(gaz.actors)),
        "n_jobs": int(n_jobs),
        "seconds_load": round(t_load, 3),
        "seconds_match": round(t_match, 3),
        "articles_per_second": round(len(articles) / t_match, 1) if t_match > 0 else None,
        "periods": list(by),
        "files": sorted(str(p.name) for p in files),
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    logger.info("actors: %d mentions of %d actors in %d/%d articles (%.1f s)", summary["n_mentions"],
                summary["n_actors_found"], n_with, len(articles), t_match)
    return summary
