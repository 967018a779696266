"""The Dask runner: the pipeline's stages over every partition of a partitioned dataset, resumable.

``run(dataset_dir, out_dir, stages=('normalize', 'actors', 'topics'))`` on a ``distributed.LocalCluster``
(default: 2 worker processes x 1 thread) or any running cluster (``scheduler='tcp://host:8786'``).

Resumable: each stage writes, per partition, its outputs then a done-marker
``OUT/<stage>/_done/<partition>.json`` (input SHA-256 from the manifest + the stage's parameters). A rerun skips
every partition whose marker matches and only computes the rest; combined tables are rebuilt from the
per-partition outputs at the end of each stage (cheap). Workers read their partition themselves, so the memory a
task needs is bounded by the partition size, not the corpus size.

Relation to the analysis store (:mod:`arabic_news.corpus.store`): the notebooks, ``actors extract`` and
``topics fit`` keep whole-corpus results (``actor_mentions``, ``topic_model``, ...) in the corpus' store; this
runner computes the same things partition by partition on a dataset too large for one process, so its unit of
reuse is the partition, not the corpus: the done-markers above play the store's part (keyed by the partition's
SHA-256 and the stage's parameters, which for actors include the gazetteer's fingerprint, the matcher settings
and the matching code, exactly as the store's ``actor_mentions`` key does). Actor mentions are matched with the
same :func:`arabic_news.actors.extract.corpus_matcher`, so ``OUT/actors/mentions/*.parquet`` holds the rows
``corpus_mentions`` gives for the same articles. Topics differ by design (an incremental model fitted on a
seeded sample, then applied to every partition), so they are not the notebook's ``topic_model`` entry.

Layout of OUT::

    normalize/token_stats/<pid>.parquet            doc_id, n_tokens, n_types, n_title_tokens
    actors/{mentions,doc_counts}/<pid>.parquet     per-partition tables (read the folder as one dataset)
    actors/partial/<table>/<pid>.parquet           partial counts, combined into
    actors/{actors,by_day,by_week,by_month,by_outlet}.parquet (+ .csv), actors/summary.json
    topics/sample_ids.parquet, topics/model.zip, topics/topics.csv   (model files: JSON + arrays, never pickles)
    topics/dtm/<pid>.npz (+ <pid>.ids.parquet)     fixed-vocabulary document-term matrices (incremental mode)
    topics/doc_topics/<pid>.parquet                doc_id, topic, weight, t00..t{k-1}
    topics/prevalence_by_month.parquet (+ .csv)
    embed/<pid>.npy (+ <pid>.ids.parquet)          sentence embeddings (also in the shared embedding cache)
    run_summary.json
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from arabic_news import config
from arabic_news.corpus.partitioned import Partition, PartitionedDataset, read_partition_file
from arabic_news.scale import stages as _stages

logger = logging.getLogger(__name__)

STAGES = ("normalize", "actors", "topics", "embed")
DEFAULT_STAGES = ("normalize", "actors", "topics")
TOPIC_MODES = ("incremental", "sample")
TEXT_COLUMNS = ["doc_id", "title", "body", "date", "source"]


class ScaleRunError(RuntimeError):
    """Some partitions failed; finished ones are kept (rerun to resume)."""


class InjectedFailure(RuntimeError):
    """Raised on purpose for a partition listed in ``fail_on`` (testing the resume path)."""


@dataclass
class StageReport:
    stage: str
    partitions: int = 0
    computed: int = 0
    skipped: int = 0
    failed: list = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0


# ------------------------------------------------------------------------------------------------ cluster
@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int = 2, threads_per_worker: int = 1,
                memory_limit: str | int | None = "2GB", processes: bool = True):
    """A ``distributed.Client``: connected to *scheduler* when given, else on a new ``LocalCluster`` (its
    dashboard on a free port)."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=processes,
                           memory_limit=memory_limit, dashboard_address=":0")
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


# ----------------------------------------------------------------------------------------------- helpers
def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def params_key(params: dict) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:16]


def marker_path(out_dir: Path, stage: str, pid: str) -> Path:
    return out_dir / stage / "_done" / f"{pid}.json"


def is_done(out_dir: Path, stage: str, part: Partition, key: str) -> bool:
    path = marker_path(out_dir, stage, part.id)
    if not path.is_file():
        return False
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return meta.get("input_sha256") == part.sha256 and meta.get("params_key") == key


def _mark_done(out_dir: Path, stage: str, part: Partition, key: str, rows: int, seconds: float) -> dict:
    meta = {"partition": part.id, "input_sha256": part.sha256, "params_key": key, "rows": rows,
            "seconds": round(seconds, 4), "worker_pid": os.getpid(), "finished_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    _atomic_write_bytes(marker_path(out_dir, stage, part.id), json.dumps(meta).encode())
    return meta


# ------------------------------------------------------------------------------------- worker-side caches
_MATCHER = None
_MODELS: dict = {}


def _matcher():
    """The corpus matcher (:func:`arabic_news.actors.extract.corpus_matcher`), built once per worker process."""
    global _MATCHER
    if _MATCHER is None:
        from arabic_news.actors.extract import corpus_matcher

        _MATCHER = corpus_matcher()  # the notebooks' and `actors extract`'s settings: the same mentions
    return _MATCHER


def _mentions_key() -> dict:
    """What the mentions depend on besides the articles (gazetteer content incl. the user's
    ``ARABIC_NEWS_GAZETTEER`` files, matcher settings, matching code): part of the actors stage's parameters, so
    a changed gazetteer re-runs every partition instead of reusing its done-marker."""
    from arabic_news.actors.extract import corpus_matcher, mentions_params

    params = mentions_params(pd.DataFrame({"doc_id": []}), corpus_matcher(fit=False))
    params.pop("articles")
    return params


def _load_model(path: str):
    stat = os.stat(path)
    key = (path, stat.st_mtime_ns, stat.st_size)
    model = _MODELS.get(key)
    if model is None:
        from arabic_news.scale.topics import load_model_file

        model = load_model_file(path)
        _MODELS.clear()
        _MODELS[key] = model
    return model


# --------------------------------------------------------------------------------- per-partition tasks
def _task_normalize(part_path: str, out_dir: Path, pid: str, params: dict) -> int:
    articles = read_partition_file(part_path, ["doc_id", "title", "body"])
    _write_parquet(_stages.token_stats(articles), out_dir / "normalize" / "token_stats" / f"{pid}.parquet")
    return len(articles)


def _task_actors(part_path: str, out_dir: Path, pid: str, params: dict) -> int:
    articles = read_partition_file(part_path, TEXT_COLUMNS)
    tables = _stages.actor_partials(articles, _matcher(), periods=params["periods"],
                                    keep_mentions=params["keep_mentions"])
    base = out_dir / "actors"
    for name, df in tables.items():
        if name in ("mentions", "doc_counts"):
            _write_parquet(df, base / name / f"{pid}.parquet")
        else:
            _write_parquet(df, base / "partial" / name / f"{pid}.parquet")
    return len(articles)


def _texts(articles: pd.DataFrame) -> list[str]:
    from arabic_news.actors.extract import article_text

    return [article_text(t, b) for t, b in zip(articles["title"].fillna("").tolist(), articles["body"].fillna("").tolist())]


def _task_dtm(part_path: str, out_dir: Path, pid: str, params: dict) -> int:
    import scipy.sparse as sp

    model = _load_model(params["vocab_path"])
    articles = read_partition_file(part_path, ["doc_id", "title", "body"])
    dtm = model.vectorize(_texts(articles))
    base = out_dir / "topics" / "dtm"
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{pid}.{os.getpid()}.npz"
    sp.save_npz(tmp, dtm, compressed=False)
    os.replace(tmp, base / f"{pid}.npz")
    _write_parquet(articles[["doc_id"]], base / f"{pid}.ids.parquet")
    return len(articles)


def _task_topics(part_path: str, out_dir: Path, pid: str, params: dict) -> int:
    model = _load_model(params["model_path"])
    articles = read_partition_file(part_path, ["doc_id", "title", "body", "date"])
    if params["mode"] == "incremental":
        import scipy.sparse as sp

        dtm = sp.load_npz(out_dir / "topics" / "dtm" / f"{pid}.npz")
        doc_topic = model.transform_matrix(dtm)
    else:
        doc_topic = model.transform(_texts(articles))
    frame = _stages.topic_frame(articles["doc_id"], doc_topic)
    _write_parquet(frame, out_dir / "topics" / "doc_topics" / f"{pid}.parquet")
    prev = _stages.topic_prevalence_partial(frame, articles["date"], "month")
    _write_parquet(prev, out_dir / "topics" / "partial" / "prevalence_month" / f"{pid}.parquet")
    return len(articles)


def _task_embed(part_path: str, out_dir: Path, pid: str, params: dict) -> int:
    from arabic_news.topics.embeddings import SentenceEmbedder, truncate_words

    articles = read_partition_file(part_path, ["doc_id", "title", "body"])
    embedder = SentenceEmbedder(cache_dir=params["cache_dir"], threads=1, show_progress=False)
    emb = embedder.encode([truncate_words(t, params["max_words"]) for t in _texts(articles)])
    base = out_dir / "embed"
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{pid}.{os.getpid()}.npy"
    with open(tmp, "wb") as fh:
        np.save(fh, emb)
    os.replace(tmp, base / f"{pid}.npy")
    _write_parquet(articles[["doc_id"]], base / f"{pid}.ids.parquet")
    return len(articles)


_TASKS: dict[str, Callable] = {"normalize": _task_normalize, "actors": _task_actors, "topics_dtm": _task_dtm,
                               "topics": _task_topics, "embed": _task_embed}


def run_partition(stage: str, part: Partition, dataset_path: str, out_dir: str, params: dict, key: str,
                  fail_on: Sequence[str] = ()) -> dict:
    """Compute one stage on one partition (on a worker): outputs, then the done-marker. Returns the marker."""
    t0 = time.perf_counter()
    if part.id in set(fail_on or ()):
        raise InjectedFailure(f"injected failure on partition {part.id} (stage {stage})")
    out = Path(out_dir)
    rows = _TASKS[stage](str(Path(dataset_path) / part.file), out, part.id, params)
    return _mark_done(out, stage, part, key, rows, time.perf_counter() - t0)


# ------------------------------------------------------------------------------------------- the stages
def map_stage(client, dataset: PartitionedDataset, out_dir: Path, stage: str, params: dict, *,
              fail_on: Sequence[str] = (), progress: bool | None = None) -> StageReport:
    """Run *stage* on every partition without a matching done-marker, on the cluster (or in-process when
    *client* is None). Failed partitions are reported, not fatal to the others."""
    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    key = params_key({"stage": stage, **params})
    report = StageReport(stage=stage, partitions=len(dataset.partitions))
    todo = []
    for part in dataset.partitions:
        if is_done(out_dir, stage, part, key):
            report.skipped += 1
        else:
            todo.append(part)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(todo), desc=f"scale {stage}", unit="part", disable=not show)
    args = (str(dataset.path), str(out_dir), params, key, tuple(fail_on or ()))
    if client is None:
        for part in todo:
            try:
                meta = run_partition(stage, part, *args)
                report.computed += 1
                report.rows += meta["rows"]
            except Exception as exc:  # noqa: BLE001 - reported and re-raised after the stage
                report.failed.append({"partition": part.id, "error": f"{type(exc).__name__}: {exc}"})
            bar.update(1)
    else:
        from distributed import as_completed

        futures = {client.submit(run_partition, stage, part, *args, key=f"{stage}-{part.id}-{key}", pure=False): part
                   for part in todo}
        for fut in as_completed(futures):
            part = futures[fut]
            try:
                meta = fut.result()
                report.computed += 1
                report.rows += meta["rows"]
            except Exception as exc:  # noqa: BLE001
                report.failed.append({"partition": part.id, "error": f"{type(exc).__name__}: {exc}"})
            fut.release()
            bar.update(1)
    bar.close()
    report.seconds = time.perf_counter() - t0
    logger.info("stage %s: %d computed, %d skipped, %d failed (%.1fs)", stage, report.computed, report.skipped,
                len(report.failed), report.seconds)
    return report


def _read_parts(folder: Path, pids: Sequence[str]) -> list[pd.DataFrame]:
    return [pd.read_parquet(folder / f"{pid}.parquet") for pid in pids if (folder / f"{pid}.parquet").is_file()]


def _reduce_parts(folder: Path, pids: Sequence[str], keys: list[str], *, max_rows: int = 1_000_000) -> list[pd.DataFrame]:
    """Per-partition partial count tables summed by *keys* as they are read: the driver holds at most about
    *max_rows* unreduced rows plus the running sum (the size of the result), never every partial at once."""
    acc: pd.DataFrame | None = None
    pending: list[pd.DataFrame] = []
    n_pending = 0
    for pid in pids:
        path = folder / f"{pid}.parquet"
        if not path.is_file():
            continue
        part = pd.read_parquet(path)
        if not len(part):
            continue
        pending.append(part)
        n_pending += len(part)
        if n_pending >= max_rows:
            frames = ([acc] if acc is not None else []) + pending
            acc = pd.concat(frames, ignore_index=True).groupby(keys, observed=True, sort=False).sum().reset_index()
            pending, n_pending = [], 0
    return ([acc] if acc is not None else []) + pending


def _write_table(df: pd.DataFrame, out: Path, stem: str) -> None:
    _write_parquet(df, out / f"{stem}.parquet")
    df.to_csv(out / f"{stem}.csv", index=False, encoding="utf-8")


def combine_actors(dataset: PartitionedDataset, out_dir: Path, periods: Sequence[str]) -> dict:
    """Combine the per-partition actor partials into corpus-level tables (group-by sums)."""
    from arabic_news.actors.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    base = out_dir / "actors"
    pids = [p.id for p in dataset.partitions]
    counts = pd.concat(_read_parts(base / "partial" / "counts", pids), ignore_index=True)
    n_articles = int(counts["n_articles"].sum())
    part = base / "partial"
    _write_table(_stages.combine_actor_frequencies(_reduce_parts(part / "actors", pids, ["actor_id"]),
                                                   max(n_articles, 1), gaz), base, "actors")
    for by in periods:
        table = _stages.combine_group_frequencies(_reduce_parts(part / f"by_{by}", pids, ["period", "actor_id"]),
                                                  _reduce_parts(part / f"sizes_{by}", pids, ["period"]), "period", gaz)
        _write_table(table, base, f"by_{by}")
    table = _stages.combine_group_frequencies(_reduce_parts(part / "by_outlet", pids, ["source", "actor_id"]),
                                              _reduce_parts(part / "sizes_outlet", pids, ["source"]), "source", gaz)
    _write_table(table, base, "by_outlet")
    summary = {k: int(counts[k].sum()) for k in counts.columns}
    (base / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def _sample_rows(part_path: str, fraction: float, seed: int) -> pd.DataFrame:
    """The rows of one partition in the seeded sample: blake2b(seed, doc_id) < fraction (independent of the
    partitioning, so the same corpus always gives the same sample)."""
    articles = read_partition_file(part_path, ["doc_id", "title", "body"])
    if fraction >= 1:
        keep = np.ones(len(articles), dtype=bool)
    else:
        u = [int.from_bytes(hashlib.blake2b(f"{seed}\x1f{d}".encode(), digest_size=8).digest(), "big") / 2 ** 64
             for d in articles["doc_id"]]
        keep = np.asarray(u) < fraction
    sample = articles[keep]
    return pd.DataFrame({"doc_id": sample["doc_id"].to_numpy(), "title": sample["title"].to_numpy(),
                         "text": _texts(sample)})


def seeded_sample(client, dataset: PartitionedDataset, size: int, seed: int) -> pd.DataFrame:
    """About *size* articles (doc_id, title, text) drawn with a seeded hash of doc_id, in manifest order."""
    fraction = min(1.0, size / max(dataset.n_rows, 1))
    paths = [str(dataset.partition_path(p)) for p in dataset.partitions]
    if client is None:
        parts = [_sample_rows(p, fraction, seed) for p in paths]
    else:
        parts = client.gather(client.map(_sample_rows, paths, fraction=fraction, seed=seed, pure=False))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["doc_id", "title", "text"])


def _dump(obj, path: Path, *, kind: str | None = None) -> None:
    """Write a topic model (or a partial_fit checkpoint) as a model file: JSON + arrays, atomically."""
    from arabic_news.scale.topics import MODEL_KIND, save_model_file

    save_model_file(obj, path, kind=kind or MODEL_KIND)


def incremental_fit(model, dataset: PartitionedDataset, out_dir: Path, *, n_passes: int = 1,
                    checkpoint_seconds: float = 30.0, fail_after: int | None = None) -> dict:
    """``partial_fit`` over the partitions' document-term matrices in manifest order (*n_passes* times).

    The rows of consecutive partitions are streamed into mini-batches of exactly ``model.batch_size`` rows (the
    last one of each pass may be shorter), so the sequence of updates does not depend on how the corpus is
    partitioned: it equals ``model.partial_fit_matrix`` on the whole corpus's matrix in the same order (see
    :func:`partial_fit_stream`). Checkpoints (model, position, carried-over rows) are written at most every
    *checkpoint_seconds*; a rerun resumes from the last one. *fail_after* injects a failure after that many
    partitions (tests)."""
    import scipy.sparse as sp

    base = out_dir / "topics"
    from arabic_news.model_files import ModelFileError
    from arabic_news.scale.topics import STATE_KIND, load_model_file

    state_path = base / "fit_state.zip"
    vocab_sha = _sha(base / "vocabulary.zip")
    position, carry = 0, None
    state = None
    if state_path.is_file():
        try:
            state = load_model_file(state_path, kind=STATE_KIND)
        except ModelFileError as exc:  # a damaged checkpoint: start the pass again
            logger.warning("ignoring the partial_fit checkpoint: %s", exc)
    if isinstance(state, dict):
        if state.get("vocab_sha") == vocab_sha:
            model, position, carry = state["model"], state["position"], state["carry"]
            logger.info("resuming partial_fit at partition step %d", position)
    n_parts = len(dataset.partitions)
    order = [p.id for _ in range(n_passes) for p in dataset.partitions]
    last = time.perf_counter()
    t0 = time.perf_counter()
    done = 0
    for step in range(position, len(order)):
        if fail_after is not None and done >= fail_after:
            raise InjectedFailure(f"injected failure in partial_fit before partition step {step}")
        dtm = sp.load_npz(base / "dtm" / f"{order[step]}.npz").tocsr()
        end_of_pass = (step + 1) % n_parts == 0
        carry = partial_fit_stream(model, dtm, carry, flush=end_of_pass)
        done += 1
        if time.perf_counter() - last >= checkpoint_seconds or step == len(order) - 1:
            _dump({"model": model, "position": step + 1, "carry": carry, "vocab_sha": vocab_sha}, state_path,
                  kind=STATE_KIND)
            last = time.perf_counter()
    return {"model": model, "steps_computed": done, "steps_skipped": position,
            "seconds": time.perf_counter() - t0}


def partial_fit_stream(model, dtm, carry=None, *, flush: bool = False):
    """Feed *dtm* (after the *carry* rows left from earlier calls) to ``model.partial_fit_matrix`` in whole
    mini-batches of ``model.batch_size`` rows; returns the rows left over (all fed when *flush*)."""
    import scipy.sparse as sp

    if carry is not None and carry.shape[0]:
        dtm = sp.vstack([carry, dtm], format="csr")
    step = int(model.batch_size)
    full = dtm.shape[0] if flush else (dtm.shape[0] // step) * step
    if full:
        model.partial_fit_matrix(dtm[:full])
    return dtm[full:] if full < dtm.shape[0] else None


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def run_topics(client, dataset: PartitionedDataset, out_dir: Path, *, k: int, mode: str, vectorizer: str,
               preprocessing: str, sample_size: int, seed: int, n_passes: int, batch_size: int,
               fail_on: Sequence[str] = (), fail_after: int | None = None, checkpoint_seconds: float = 30.0,
               progress: bool | None = None) -> dict:
    """Topics: vocabulary/model from a seeded sample, (incremental: per-partition DTMs, ``partial_fit`` in
    manifest order), then every partition transformed on the workers; prevalence by month combined."""
    from arabic_news.scale.topics import IncrementalTopicModel

    if mode not in TOPIC_MODES:
        raise ValueError(f"topic mode must be one of {TOPIC_MODES}, got {mode!r}")
    base = out_dir / "topics"
    base.mkdir(parents=True, exist_ok=True)
    info: dict = {"mode": mode, "k": k}
    t0 = time.perf_counter()
    settings = {"mode": mode, "k": k, "vectorizer": vectorizer, "preprocessing": preprocessing,
                "sample_size": sample_size, "seed": seed, "n_passes": n_passes, "batch_size": batch_size,
                "manifest": [p.sha256 for p in dataset.partitions]}
    settings_key = params_key(settings)
    model_path = base / "model.zip"
    vocab_path = base / "vocabulary.zip"
    state = base / "settings.json"
    for legacy in ("model.pkl", "vocabulary.pkl", "fit_state.pkl"):  # pickles of earlier versions: never read
        if (base / legacy).is_file():
            logger.info("removing %s (written by an earlier version; model files are no longer pickles)",
                        base / legacy)
            (base / legacy).unlink()
    if state.is_file() and json.loads(state.read_text()).get("key") != settings_key:
        for p in (model_path, vocab_path, base / "fit_state.zip"):
            p.unlink(missing_ok=True)  # other settings or data: refit (per-partition markers carry the key too)
    state.write_text(json.dumps({"key": settings_key, **{k_: v for k_, v in settings.items() if k_ != "manifest"}}))
    reports = []
    if not model_path.is_file():
        if not vocab_path.is_file():
            sample = seeded_sample(client, dataset, sample_size, seed)
            _write_parquet(sample[["doc_id"]], base / "sample_ids.parquet")
            info["sample_documents"] = int(len(sample))
            if mode == "incremental":
                model = IncrementalTopicModel(n_topics=k, vectorizer=vectorizer, preprocessing=preprocessing,
                                              batch_size=batch_size, seed=seed)
                model.fit_vocabulary(sample["text"].tolist())
            else:
                from arabic_news.topics import TopicModel

                from threadpoolctl import threadpool_limits

                model = TopicModel(model="nmf", n_topics=k, preprocessing=preprocessing, seed=seed)
                with threadpool_limits(limits=1, user_api="blas"):  # see IncrementalTopicModel.blas_threads
                    model.fit(sample["text"].tolist(), titles=sample["title"].tolist())
            _dump(model, vocab_path)
            del sample
        info["seconds_sample_fit"] = round(time.perf_counter() - t0, 3)
        if mode == "incremental":
            from arabic_news.scale.topics import load_model_file

            model = load_model_file(vocab_path)  # a fresh copy: partial_fit changes it (never the cached one)
            r = map_stage(client, dataset, out_dir, "topics_dtm",
                          {"vocab_path": str(vocab_path), "vocab_sha": _sha(vocab_path)},
                          fail_on=fail_on, progress=progress)
            reports.append(r)
            if r.failed:
                return {**info, "reports": reports}
            fit = incremental_fit(model, dataset, out_dir, n_passes=n_passes, fail_after=fail_after,
                                  checkpoint_seconds=checkpoint_seconds)
            info.update(partial_fit_steps_computed=fit["steps_computed"], partial_fit_steps_skipped=fit["steps_skipped"],
                        seconds_partial_fit=round(fit["seconds"], 3))
            _dump(fit["model"], model_path)
        else:
            _atomic_write_bytes(model_path, vocab_path.read_bytes())  # the sample-fitted TopicModel
    r = map_stage(client, dataset, out_dir, "topics", {"model_path": str(model_path), "model_sha": _sha(model_path),
                                                        "mode": mode}, fail_on=fail_on, progress=progress)
    reports.append(r)
    if not r.failed:
        model = _load_model(str(model_path))
        model.topics_table().to_csv(base / "topics.csv", index=False, encoding="utf-8")
        prev = _stages.combine_topic_prevalence(_reduce_parts(base / "partial" / "prevalence_month",
                                                              [p.id for p in dataset.partitions], ["period", "topic"]))
        _write_table(prev, base, "prevalence_by_month")
    info["reports"] = reports
    return info


# ---------------------------------------------------------------------------------------------- the run
def run(dataset_dir: str | Path, out_dir: str | Path, *, stages: Sequence[str] = DEFAULT_STAGES, client=None,
        scheduler: str | None = None, n_workers: int = 2, threads_per_worker: int = 1,
        memory_limit: str | int | None = "2GB", k: int = 20, topic_mode: str = "incremental",
        vectorizer: str = "vocabulary", preprocessing: str = "light", sample_size: int = 20_000,
        n_passes: int = 1, batch_size: int = 2048, seed: int = config.DEFAULT_SEED,
        periods: Sequence[str] = _stages.ACTOR_PERIODS, keep_mentions: bool = True, max_words: int = 128,
        embedding_cache_dir: str | Path | None = None, checkpoint_seconds: float = 30.0,
        progress: bool | None = None, fail_on: Sequence[str] = (), fail_partial_fit_after: int | None = None,
        local: bool = False) -> dict:
    """Run *stages* over the partitioned dataset at *dataset_dir*, writing to *out_dir* (see the module docstring).

    *client*: an existing ``distributed.Client``; else *scheduler* (address of a running cluster); else a new
    ``LocalCluster(n_workers, threads_per_worker, memory_limit)``. ``local=True`` runs in-process without Dask.
    *fail_on* (partition ids) and *fail_partial_fit_after* inject failures to exercise resuming.
    Returns the run summary (also written to ``out_dir/run_summary.json``); raises :class:`ScaleRunError`
    after the stage in which partitions failed (finished partitions keep their outputs).
    """
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    dataset = PartitionedDataset(dataset_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    summary: dict = {"dataset": str(dataset.path), "out": str(out), "n_rows": dataset.n_rows,
                     "n_partitions": len(dataset.partitions), "stages": {}}
    with contextlib.ExitStack() as stack:
        if client is None and not local:
            client = stack.enter_context(dask_client(scheduler, n_workers=n_workers,
                                                     threads_per_worker=threads_per_worker,
                                                     memory_limit=memory_limit))
        summary["scheduler"] = client.scheduler.address if client is not None else "in-process"
        summary["workers"] = len(client.scheduler_info()["workers"]) if client is not None else 0
        for stage in stages:
            t_stage = time.perf_counter()
            if stage == "normalize":
                r = map_stage(client, dataset, out, "normalize", {}, fail_on=fail_on, progress=progress)
                info = {"reports": [r]}
            elif stage == "actors":
                r = map_stage(client, dataset, out, "actors",
                              {"periods": list(periods), "keep_mentions": keep_mentions,
                               "mentions": _mentions_key()},
                              fail_on=fail_on, progress=progress)
                info = {"reports": [r]}
                if not r.failed:
                    info["totals"] = combine_actors(dataset, out, periods)
            elif stage == "topics":
                info = run_topics(client, dataset, out, k=k, mode=topic_mode, vectorizer=vectorizer,
                                  preprocessing=preprocessing, sample_size=sample_size, seed=seed,
                                  n_passes=n_passes, batch_size=batch_size, fail_on=fail_on,
                                  fail_after=fail_partial_fit_after, checkpoint_seconds=checkpoint_seconds,
                                  progress=progress)
            else:  # embed
                cache = str(embedding_cache_dir) if embedding_cache_dir else None
                r = map_stage(client, dataset, out, "embed", {"cache_dir": cache, "max_words": max_words},
                              fail_on=fail_on, progress=progress)
                info = {"reports": [r]}
            info["seconds"] = round(time.perf_counter() - t_stage, 3)
            info["reports"] = [asdict(r) for r in info["reports"]]
            summary["stages"][stage] = info
            failed = [f for r in info["reports"] for f in r["failed"]]
            if failed:
                summary["seconds"] = round(time.perf_counter() - t0, 3)
                _atomic_write_bytes(out / "run_summary.json", json.dumps(summary, indent=2, default=str).encode())
                raise ScaleRunError(
                    f"{len(failed)} partition(s) failed in stage {stage} (e.g. {failed[0]['partition']}: "
                    f"{failed[0]['error']}); finished partitions are kept - rerun the same command to resume")
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    _atomic_write_bytes(out / "run_summary.json", json.dumps(summary, indent=2, default=str).encode())
    return summary
