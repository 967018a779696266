"""Interrupted runs never leave a corpus that later steps accept.

Real ``arabic-news`` subprocesses are killed with SIGKILL in the middle of their work (once their first
chunk/partition is on disk); then the previous corpus must be intact and what later steps read, ``scale run``
must refuse an incomplete partitioned dataset with one line, and ``scale ingest`` must resume it to exactly
the result of an uninterrupted run.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from arabic_news.cli import main
from arabic_news.corpus import ingest, load_articles
from arabic_news.corpus.partitioned import MANIFEST_FILE, PartitionedDataset, PartitionedDatasetError

WORDS = ("قال وزير الخارجية إن المملكة تدعم الحل السياسي في اليمن وارتفعت أسعار النفط في الأسواق "
         "العالمية اليوم بعد قرار خفض الإنتاج وفاز الهلال على النصر في الدوري").split()
N_BIG = 3000  # three ingest chunks of 1,000 files: a kill after the first lands mid-run
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}


def write_corpus(folder: Path, n: int, seed: int, prefix: str) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    for i in range(n):
        body = " ".join(rng.choice(WORDS) for _ in range(40)) + f" {prefix} {i}"
        (folder / f"{i:05d}.txt").write_text(f"{prefix} {i} {rng.choice(WORDS)}\n\n{body}\n", encoding="utf-8")


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def start(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "arabic_news.cli", *argv], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_when(proc: subprocess.Popen, ready, timeout: float = 120.0) -> None:
    """SIGKILL *proc* as soon as ``ready()`` is true; fail if it exits first (the kill must land mid-run)."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the run ended (status {proc.returncode}) before it could be killed: {out} {err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run never reached the point where it is killed")
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL


def bigger_than(pattern_dir: Path, glob: str, size: int):
    def ready() -> bool:
        return any(p.stat().st_size > size for p in pattern_dir.glob(glob) if p.is_file())
    return ready


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources")
    write_corpus(root / "small", 3, seed=1, prefix="قديم")
    write_corpus(root / "big", N_BIG, seed=2, prefix="جديد")
    ingest(root / "big", root / "big_ingested", n_jobs=1, progress=False)
    return root


# ----------------------------------------------------------------------------------------------- ingest
def test_killed_ingest_leaves_the_previous_corpus_which_later_steps_read(sources, tmp_path, capsys):
    out = tmp_path / "corpus"
    ingest(sources / "small", out, n_jobs=1, progress=False)
    before = digest(out)
    old_ids = load_articles(out)["doc_id"].tolist()

    proc = start("ingest", str(sources / "big"), "--out", str(out), "--jobs", "1")
    work = tmp_path / f".corpus.tmp-{proc.pid}"
    kill_when(proc, bigger_than(work, ".ingest_report.csv.partial", 8192))  # the first chunk is on disk

    assert work.is_dir()  # what the killed run left beside the corpus ...
    assert digest(out) == before  # ... while the corpus itself is untouched, byte for byte
    assert load_articles(out)["doc_id"].tolist() == old_ids
    # the steps that read a corpus see the previous complete one
    assert main(["topics", "fit", str(out), "--k", "2", "--min-df", "1", "--max-df", "1.0",
                 "--preprocessing", "normalized", "--out", str(tmp_path / "topics"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["n_docs"] == len(old_ids) == 3

    # the next run replaces it with the new complete corpus and removes the killed run's folder
    summary = ingest(sources / "big", out, n_jobs=1, progress=False)
    assert summary.n_loaded == N_BIG and len(load_articles(out)) == N_BIG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "topics"]
    assert pq.read_metadata(out / "articles.parquet").num_rows == N_BIG


# ------------------------------------------------------------------------------------------ scale ingest
def run_scale_ingest(source: Path, out: Path, capsys, *extra: str) -> dict:
    assert main(["scale", "ingest", str(source), "--out", str(out), "--partition-by", "rows", "--rows", "20",
                 "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def partitions(out: Path) -> list[tuple[str, int]]:
    return [(p.id, p.rows) for p in PartitionedDataset(out).partitions]


def test_killed_scale_ingest_is_refused_by_readers_and_resumed_to_the_same_dataset(sources, tmp_path, capsys):
    corpus = sources / "big_ingested"
    reference = tmp_path / "reference"
    run_scale_ingest(corpus, reference, capsys)

    ds = tmp_path / "ds"
    proc = start("scale", "ingest", str(corpus), "--out", str(ds), "--partition-by", "rows", "--rows", "20")

    def five_partitions() -> bool:
        try:
            return json.loads((ds / MANIFEST_FILE).read_text(encoding="utf-8"))["n_partitions"] >= 5
        except (OSError, ValueError):
            return False

    kill_when(proc, five_partitions)
    manifest = json.loads((ds / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["complete"] is False and 5 <= manifest["n_partitions"] < N_BIG // 20

    # readers refuse it with one line that says how to resume
    with pytest.raises(PartitionedDatasetError, match="incomplete partitioned dataset"):
        PartitionedDataset(ds)
    assert main(["scale", "run", str(ds), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    assert err[0].startswith(f"arabic-news scale run: error: {ds}: incomplete partitioned dataset")
    assert f"arabic-news scale ingest {corpus} --out {ds} --partition-by rows --rows 20" in err[0]
    assert not (tmp_path / "run").exists()

    # scale ingest resumes it (no --overwrite needed) and ends with exactly the uninterrupted result
    res = run_scale_ingest(corpus, ds, capsys)
    assert res["n_rows"] == N_BIG
    assert res["resumed"]["partitions_kept"] == manifest["n_partitions"]  # finished partitions are not redone
    assert res["resumed"]["rows_skipped"] == 20 * manifest["n_partitions"]
    assert partitions(ds) == partitions(reference)
    assert PartitionedDataset(ds).to_pandas()["doc_id"].tolist() == \
        PartitionedDataset(reference).to_pandas()["doc_id"].tolist() == load_articles(corpus)["doc_id"].tolist()
    assert not list(ds.rglob("*.partial"))
    # a complete dataset is not resumed again
    assert main(["scale", "ingest", str(corpus), "--out", str(ds), "--partition-by", "rows", "--rows", "20"]) == 2
    assert "--overwrite" in capsys.readouterr().err


def test_scale_ingest_killed_while_ingesting_a_raw_source_resumes(sources, tmp_path, capsys):
    ds = tmp_path / "ds"
    proc = start("scale", "ingest", str(sources / "big"), "--out", str(ds), "--partition-by", "rows", "--rows", "20")
    work = ds / f"._ingest.tmp-{proc.pid}"
    kill_when(proc, bigger_than(work, ".ingest_report.csv.partial", 8192))

    assert json.loads((ds / MANIFEST_FILE).read_text(encoding="utf-8"))["complete"] is False
    assert main(["scale", "run", str(ds), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "incomplete partitioned dataset (0 partitions, 0 articles" in err[0]
    res = run_scale_ingest(sources / "big", ds, capsys)
    assert res["resumed"]["partitions_kept"] == 0 and res["n_rows"] == N_BIG and res["ingest"]["n_loaded"] == N_BIG
    assert PartitionedDataset(ds).to_pandas()["doc_id"].tolist() == \
        load_articles(sources / "big_ingested")["doc_id"].tolist()
    assert not work.exists() and not (ds / "_ingest" / "articles.parquet").exists()
