"""The Dask path (two-worker LocalCluster) gives the same results as the in-memory path, and resumes."""
from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest

from arabic_news.corpus.partitioned import PartitionedDataset, write_partitioned
from arabic_news.model_files import ModelFileError
from arabic_news.scale import IncrementalTopicModel, ScaleRunError, run
from arabic_news.scale import runner as R
from arabic_news.scale import stages as S
from arabic_news.scale.topics import STATE_KIND, load_model_file, save_model_file

K = 5
TOPIC_KW = dict(k=K, sample_size=120, batch_size=64, seed=7, preprocessing="light")


@pytest.fixture(scope="module")
def client():
    """ONE two-worker LocalCluster (processes, 1 thread each) for the whole module."""
    with R.dask_client(n_workers=2, threads_per_worker=1, memory_limit="2GB") as c:
        yield c


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """~200 articles of the seed-layout SaudiNewsNet sample, 12 of them made undated, partitioned by month
    with at most 40 rows per file (several July parts, one August part, date=unknown)."""
    from arabic_news.corpus import DatasetNotAvailable, ensure_sample_corpus, load_articles

    try:
        corpus = ensure_sample_corpus(300)
    except DatasetNotAvailable as exc:
        pytest.skip(f"seed_format_saudinewsnet is not available: {exc}")
    df = load_articles(corpus).iloc[:200].reset_index(drop=True)
    df.loc[df.index[::17], "date"] = pd.NaT
    root = tmp_path_factory.mktemp("scale")
    ds = write_partitioned(df, root / "ds", partition_by="month", rows=40)
    return {"df": df, "ds": ds, "root": root}


@pytest.fixture(scope="module")
def dask_run(client, sample):
    out = sample["root"] / "run"
    summary = run(sample["ds"].path, out, client=client, stages=("normalize", "actors", "topics"), **TOPIC_KW)
    return {"out": out, "summary": summary}


def _in_memory(sample):
    """The in-memory frame in manifest order (the order partial_fit sees)."""
    return sample["ds"].to_pandas()


def test_dataset_has_several_partitions_and_an_unknown_date(sample):
    keys = [p.key for p in sample["ds"].partitions]
    assert "date=unknown" in keys and len(keys) >= 5 and sample["ds"].n_rows == 200


def test_token_stats_equal_in_memory_and_ingest(sample, dask_run):
    got = pd.read_parquet(dask_run["out"] / "normalize" / "token_stats").sort_values("doc_id", ignore_index=True)
    df = _in_memory(sample)
    want = S.token_stats(df).sort_values("doc_id", ignore_index=True)
    pd.testing.assert_frame_equal(got, want)
    # and n_tokens is what ingest stored
    ingest_n = df.set_index("doc_id")["n_tokens"].reindex(got["doc_id"]).to_numpy()
    assert np.array_equal(got["n_tokens"].to_numpy(), ingest_n)
    assert dask_run["summary"]["workers"] == 2


def test_actor_counts_equal_in_memory(sample, dask_run):
    from arabic_news.actors import extract as E

    df = _in_memory(sample)
    matcher = E.corpus_matcher()  # the runner matches with the notebooks' corpus matcher
    mentions = E.extract_mentions(df, matcher)
    assert mentions["affiliations"].str.len().gt(0).any()  # people's affiliations on the article's date
    gaz = matcher.gazetteer_
    out = dask_run["out"] / "actors"
    got_docs = pd.read_parquet(out / "doc_counts").sort_values(["doc_id", "actor_id"], ignore_index=True)
    want_docs = E.document_counts(mentions).sort_values(["doc_id", "actor_id"], ignore_index=True)
    assert len(want_docs) > 300
    pd.testing.assert_frame_equal(got_docs, want_docs, check_dtype=False)
    got_m = pd.read_parquet(out / "mentions").sort_values(["doc_id", "start"], ignore_index=True)
    want_m = mentions.sort_values(["doc_id", "start"], ignore_index=True)
    pd.testing.assert_frame_equal(got_m, want_m, check_dtype=False)
    for by in ("day", "week", "month"):
        got = pd.read_parquet(out / f"by_{by}.parquet")
        want = E.frequencies_by_period(mentions, df, by, gaz)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "by_outlet.parquet"),
                                  E.frequencies_by_outlet(mentions, df, gaz), check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "actors.parquet"),
                                  E.actor_frequencies(mentions, gaz, n_documents=len(df)), check_dtype=False)
    totals = json.loads((out / "summary.json").read_text())
    assert totals["n_articles"] == 200 and totals["n_undated"] == int(df["date"].isna().sum()) == 12


def test_incremental_topics_equal_the_same_partial_fit_sequence_in_memory(sample, dask_run):
    df = _in_memory(sample)
    sample_rows = R.seeded_sample(None, sample["ds"], TOPIC_KW["sample_size"], TOPIC_KW["seed"])
    ids = pd.read_parquet(dask_run["out"] / "topics" / "sample_ids.parquet")["doc_id"].tolist()
    assert ids == sample_rows["doc_id"].tolist() and 80 <= len(ids) <= 160
    model = IncrementalTopicModel(n_topics=K, batch_size=TOPIC_KW["batch_size"], seed=TOPIC_KW["seed"],
                                  preprocessing=TOPIC_KW["preprocessing"])
    model.fit_vocabulary(sample_rows["text"].tolist())
    texts = R._texts(df)
    model.partial_fit_matrix(model.vectorize(texts))  # mini-batches of 64 rows over the corpus in manifest order
    assert model.n_batches_ == int(np.ceil(200 / 64))
    assert not list((dask_run["out"] / "topics").glob("*.pkl"))  # model files are JSON + arrays, never pickles
    dask_model = load_model_file(dask_run["out"] / "topics" / "model.zip")
    np.testing.assert_array_equal(dask_model.components_, model.components_)
    assert dask_model.topic_terms_ == model.topic_terms_
    got = pd.read_parquet(dask_run["out"] / "topics" / "doc_topics")
    for part, frame in sample["ds"].iter_partitions(["doc_id", "title", "body"]):
        want = S.topic_frame(frame["doc_id"], model.transform(R._texts(frame)))
        mine = got.set_index("doc_id").loc[want["doc_id"]].reset_index()
        assert mine["topic"].tolist() == want["topic"].tolist()
        np.testing.assert_allclose(mine["weight"].to_numpy(), want["weight"].to_numpy(), rtol=0, atol=1e-12)
    assert got["topic"].nunique() >= 3
    prev = pd.read_parquet(dask_run["out"] / "topics" / "prevalence_by_month.parquet")
    dated = df["date"].notna()
    assert int(prev.groupby("period")["period_documents"].first().sum()) == int(dated.sum())
    assert int(prev["documents"].sum()) == int((got.set_index("doc_id").loc[df.loc[dated, "doc_id"], "topic"] >= 0).sum())


def test_sample_mode_uses_topic_model_and_equals_in_memory_transform(client, sample):
    from arabic_news.topics import TopicModel

    out = sample["root"] / "run_sample"
    run(sample["ds"].path, out, client=client, stages=("topics",), topic_mode="sample", **TOPIC_KW)
    sample_rows = R.seeded_sample(None, sample["ds"], TOPIC_KW["sample_size"], TOPIC_KW["seed"])
    model = TopicModel(model="nmf", n_topics=K, preprocessing="light", seed=TOPIC_KW["seed"])
    model.fit(sample_rows["text"].tolist(), titles=sample_rows["title"].tolist())
    got = pd.read_parquet(out / "topics" / "doc_topics").set_index("doc_id")
    for part, frame in sample["ds"].iter_partitions(["doc_id", "title", "body"]):
        want = S.topic_frame(frame["doc_id"], model.transform(R._texts(frame)))
        assert got.loc[want["doc_id"], "topic"].tolist() == want["topic"].tolist()


def test_killed_run_resumes_without_redoing_finished_partitions(client, sample):
    out = sample["root"] / "run_resume"
    parts = sample["ds"].partitions
    victim = parts[2].id
    with pytest.raises(ScaleRunError, match=victim):
        run(sample["ds"].path, out, client=client, stages=("normalize", "actors"), fail_on=(victim,))
    markers = {p.id: R.marker_path(out, "normalize", p.id) for p in parts}
    assert not markers[victim].exists()
    before = {pid: m.stat().st_mtime_ns for pid, m in markers.items() if pid != victim}
    assert len(before) == len(parts) - 1
    assert not (out / "actors").exists()  # the run stopped after the stage that failed
    summary = run(sample["ds"].path, out, client=client, stages=("normalize", "actors"))
    rep = summary["stages"]["normalize"]["reports"][0]
    assert (rep["computed"], rep["skipped"], rep["rows"]) == (1, len(parts) - 1, parts[2].rows)
    assert {pid: markers[pid].stat().st_mtime_ns for pid in before} == before
    act = summary["stages"]["actors"]["reports"][0]
    assert (act["computed"], act["skipped"]) == (len(parts), 0)
    # a third run does nothing at all
    again = run(sample["ds"].path, out, client=client, stages=("normalize", "actors"))
    assert [(r["computed"], r["skipped"]) for s in ("normalize", "actors")
            for r in again["stages"][s]["reports"]] == [(0, len(parts)), (0, len(parts))]
    stats = pd.read_parquet(out / "normalize" / "token_stats")
    assert sorted(stats["doc_id"]) == sorted(sample["df"]["doc_id"])


def test_partial_fit_resumes_from_checkpoint_with_identical_model(client, sample, dask_run):
    out = sample["root"] / "run_fit_resume"
    n = len(sample["ds"].partitions)
    with pytest.raises(R.InjectedFailure):
        run(sample["ds"].path, out, client=client, stages=("topics",), checkpoint_seconds=0,
            fail_partial_fit_after=2, **TOPIC_KW)
    summary = run(sample["ds"].path, out, client=client, stages=("topics",), checkpoint_seconds=0, **TOPIC_KW)
    info = summary["stages"]["topics"]
    assert (info["partial_fit_steps_skipped"], info["partial_fit_steps_computed"]) == (2, n - 2)
    dtm_report = info["reports"][0]
    assert dtm_report["stage"] == "topics_dtm" and (dtm_report["computed"], dtm_report["skipped"]) == (0, n)
    resumed = load_model_file(out / "topics" / "model.zip")
    clean = load_model_file(dask_run["out"] / "topics" / "model.zip")
    np.testing.assert_array_equal(resumed.components_, clean.components_)


def test_cli_scale_ingest_and_run_on_an_existing_scheduler(client, sample, tmp_path, capsys):
    from arabic_news.cli import main
    from arabic_news.corpus import ensure_sample_corpus

    corpus = ensure_sample_corpus(300)
    assert main(["scale", "ingest", str(corpus), "--out", str(tmp_path / "ds"), "--partition-by", "rows",
                 "--rows", "100", "--json"]) == 0
    res = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (res["n_rows"], res["n_partitions"], res["partition_by"]) == (300, 3, "rows")
    ds = PartitionedDataset(tmp_path / "ds")
    assert [p.rows for p in ds.partitions] == [100, 100, 100]
    assert main(["scale", "run", str(tmp_path / "ds"), "--out", str(tmp_path / "out"), "--stages", "normalize",
                 "--scheduler", client.scheduler.address, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["scheduler"] == client.scheduler.address
    assert summary["stages"]["normalize"]["reports"][0]["rows"] == 300
    assert main(["scale", "run", str(tmp_path / "nope"), "--out", str(tmp_path / "o2")]) == 2
    assert "scale ingest" in capsys.readouterr().err


def test_embed_stage_equals_in_memory_and_reuses_the_cache(client, tmp_path):
    from arabic_news.topics.embeddings import EmbeddingCache, SentenceEmbedder, truncate_words

    rows = [{"doc_id": f"e{i}", "title": t, "body": b, "date": pd.Timestamp("2016-03-0%d" % (i + 1))}
            for i, (t, b) in enumerate([
                ("الرياض تستضيف قمة", "اجتمع القادة العرب في الرياض لبحث الأمن الإقليمي."),
                ("النفط يرتفع", "ارتفعت أسعار النفط بعد قرار أوبك خفض الإنتاج."),
                ("الهلال بطلا", "فاز الهلال بلقب الدوري بعد مباراة مثيرة."),
                ("أمطار على جدة", "هطلت أمطار غزيرة على جدة وأغلقت بعض الطرق."),
                ("مجلس الأمن", "ناقش مجلس الأمن الوضع في اليمن وسوريا."),
            ])]
    df = pd.DataFrame(rows)
    ds = write_partitioned(df, tmp_path / "ds", partition_by="rows", rows=3)
    cache = tmp_path / "cache"
    s1 = run(ds.path, tmp_path / "out", client=client, stages=("embed",), embedding_cache_dir=cache, max_words=16)
    assert s1["stages"]["embed"]["reports"][0]["computed"] == 2
    got = np.vstack([np.load(tmp_path / "out" / "embed" / f"{p.id}.npy") for p in ds.partitions])
    ids = pd.concat([pd.read_parquet(tmp_path / "out" / "embed" / f"{p.id}.ids.parquet") for p in ds.partitions])
    assert ids["doc_id"].tolist() == df["doc_id"].tolist()
    texts = [truncate_words(t, 16) for t in R._texts(df)]
    want = SentenceEmbedder(use_cache=False).encode(texts)
    assert got.shape == (5, 512)
    np.testing.assert_allclose(got, want, atol=1e-6)
    assert len(EmbeddingCache(cache)) == 5
    # a fresh output folder recomputes per-partition files, but every vector now comes from the shared cache
    embedder = SentenceEmbedder(cache_dir=cache)
    np.testing.assert_array_equal(embedder.encode(texts), got)
    assert (embedder.n_encoded_, embedder.n_cached_) == (0, 5)
    s2 = run(ds.path, tmp_path / "out", client=client, stages=("embed",), embedding_cache_dir=cache, max_words=16)
    assert (s2["stages"]["embed"]["reports"][0]["computed"], s2["stages"]["embed"]["reports"][0]["skipped"]) == (0, 2)


def test_incremental_topic_model_conventions_and_hashing_names(tmp_path):
    from sklearn.base import clone

    texts = ["ارتفعت أسعار النفط في الأسواق العالمية", "أسعار النفط تتراجع بعد قرار أوبك",
             "فاز الهلال على النصر في الدوري", "الهلال يتصدر الدوري السعودي",
             "النفط والغاز في الأسواق", "مباراة الدوري بين الهلال والاتحاد"] * 3
    model = IncrementalTopicModel(n_topics=2, vectorizer="hashing", n_features=2 ** 12, batch_size=6,
                                  preprocessing="normalized", min_df=1, seed=3)
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "vectorizer_")
    model.fit(texts)
    assert model.n_batches_ == 3 and model.n_documents_seen_ == 18
    names = set(model.get_feature_names_out()) - {""}
    assert {"النفط", "الهلال", "الدوري"} <= names
    flat = {t for terms in model.topic_terms_ for t in terms}
    assert "النفط" in flat and "الهلال" in flat
    doc_topic = model.transform(texts[:4])
    np.testing.assert_allclose(doc_topic.sum(axis=1), 1.0)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.transform(texts[:4]), doc_topic)
    save_model_file(model, tmp_path / "m.zip")  # the runner's model files: same predictions after the round trip
    np.testing.assert_array_equal(load_model_file(tmp_path / "m.zip").transform(texts[:4]), doc_topic)
    with pytest.raises(ModelFileError, match="not a scale-topics model"):
        save_model_file({"model": model, "position": 0}, tmp_path / "s.zip", kind=STATE_KIND)
        load_model_file(tmp_path / "s.zip")
    # oil texts and football texts land in different topics
    top = doc_topic.argmax(axis=1)
    assert top[0] == top[1] and top[2] == top[3] and top[0] != top[2]
    with pytest.raises(ValueError, match="fit_vocabulary"):
        IncrementalTopicModel().transform(["نص"])


def test_cli_scale_ingest_from_a_raw_seed_folder(tmp_path, capsys):
    from arabic_news.cli import main

    src = tmp_path / "src"
    src.mkdir()
    bodies = {"a.txt": ("قمة في الرياض", "اجتمع القادة العرب في الرياض., وبحثوا الأمن الإقليمي."),
              "b.txt": ("النفط يرتفع", "ارتفعت أسعار النفط اليوم., بعد قرار أوبك."),
              "c.txt": ("الهلال بطلا", "فاز الهلال بلقب الدوري السعودي."),
              "README.md": ("not an article", "")}
    for name, (title, body) in bodies.items():
        (src / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "ds"
    assert main(["scale", "ingest", str(src), "--out", str(out), "--partition-by", "month", "--json"]) == 0
    res = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert res["n_rows"] == 3 and res["ingest"]["n_ignored"] == 1
    ds = PartitionedDataset(out)
    assert [p.key for p in ds.partitions] == ["date=unknown"]  # no metadata: every article is undated
    assert (out / "_ingest" / "ingest_report.csv").is_file() and not (out / "_ingest" / "articles.parquet").exists()
    assert main(["scale", "ingest", str(src), "--out", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["scale", "ingest", str(src), "--out", str(out), "--partition-by", "rows", "--rows", "2",
                 "--overwrite"]) == 0
    ds = PartitionedDataset(out)
    assert [p.rows for p in ds.partitions] == [2, 1]
    assert not (out / "date=unknown").exists()


def test_ingest_cli_partition_by_writes_a_dataset_next_to_the_table(tmp_path, capsys):
    from arabic_news.cli import main
    from arabic_news.corpus import load_articles

    src = tmp_path / "src"
    src.mkdir()
    for i, (title, body) in enumerate([("قمة في الرياض", "اجتمع القادة العرب في الرياض."),
                                       ("النفط يرتفع", "ارتفعت أسعار النفط اليوم."),
                                       ("الهلال بطلا", "فاز الهلال بلقب الدوري السعودي.")]):
        (src / f"{i}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "corpus"
    assert main(["ingest", str(src), "--out", str(out), "--partition-by", "rows", "--rows", "2", "--json"]) == 0
    res = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert res["n_loaded"] == 3 and res["partitioned"]["n_partitions"] == 2
    ds = PartitionedDataset(out / "partitioned")
    assert sorted(ds.to_pandas()["doc_id"]) == sorted(load_articles(out)["doc_id"])
