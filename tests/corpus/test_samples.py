"""ensure_sample_corpus / ensure_corpus: seeded, cached, keyed by the inputs."""
from __future__ import annotations

import pytest

from arabic_news import config
from arabic_news.corpus import DatasetNotAvailable, IngestError, ensure_corpus, ensure_sample_corpus, load_articles
from arabic_news.corpus import samples as samples_mod


@pytest.fixture
def interim(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INTERIM_DIR", tmp_path / "interim")
    return tmp_path / "interim"


def test_sample_corpus_is_seeded_and_cached(interim):
    try:
        out = ensure_sample_corpus(n=15, seed=7)
    except DatasetNotAvailable as exc:
        pytest.skip(str(exc))
    assert out == interim / "sample_15_7"
    arts = load_articles(out)
    assert 13 <= len(arts) <= 15  # duplicates/rejects among the 15 files would be reported, not loaded
    assert arts["source"].notna().all()  # metadata.csv joined
    mtime = (out / "articles.parquet").stat().st_mtime_ns
    assert ensure_sample_corpus(n=15, seed=7) == out
    assert (out / "articles.parquet").stat().st_mtime_ns == mtime  # cached, not rebuilt
    other = load_articles(ensure_sample_corpus(n=15, seed=8))
    assert set(other["path"]) != set(arts["path"])


def test_ensure_corpus_on_a_folder_rebuilds_when_inputs_change(interim, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("عنوان الخبر الأول\n\nنص الخبر الأول عن الاقتصاد., فقرة ثانية عن النفط.",
                               encoding="utf-8")
    out = ensure_corpus(src, n_jobs=1)
    assert len(load_articles(out)) == 1
    assert ensure_corpus(src, n_jobs=1) == out
    (src / "b.txt").write_text("عنوان الخبر الثاني\n\nنص الخبر الثاني عن الرياضة., فقرة عن المباراة.",
                               encoding="utf-8")
    assert len(load_articles(ensure_corpus(src, n_jobs=1))) == 2
    assert not [p for p in interim.iterdir() if p.name.startswith(".")]  # no temporary folders left


def test_ensure_corpus_unknown_name(interim):
    with pytest.raises(IngestError, match="neither an existing file/folder nor a registered dataset"):
        ensure_corpus("no_such_corpus_name")


def test_fingerprint_uses_size_and_mtime_without_reading(tmp_path, monkeypatch):
    import os

    x = tmp_path / "x.txt"
    x.write_text("أ", encoding="utf-8")
    old = 1_600_000_000 * 10**9  # long ago: not "racy", so never read
    os.utime(x, ns=(old, old))
    monkeypatch.setattr(samples_mod, "read_bounded", lambda *a: pytest.fail("the fingerprint read a file"))
    f1 = samples_mod.fingerprint([x], tmp_path)
    assert samples_mod.fingerprint([x], tmp_path) == f1
    os.utime(x, ns=(old, old + 1))  # a newer mtime
    assert samples_mod.fingerprint([x], tmp_path) != f1
    x.write_text("أب", encoding="utf-8")
    os.utime(x, ns=(old, old))  # a new size, same mtime
    assert samples_mod.fingerprint([x], tmp_path) != f1


def test_fingerprint_hashes_files_modified_just_now(tmp_path):
    import os

    x = tmp_path / "x.txt"
    x.write_text("أ", encoding="utf-8")
    st = x.stat()
    f1 = samples_mod.fingerprint([x], tmp_path)
    x.write_text("ب", encoding="utf-8")  # same size; same mtime when within the file system's granularity
    os.utime(x, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert samples_mod.fingerprint([x], tmp_path) != f1


def test_ensure_corpus_survives_loops_fifos_and_broken_links(interim, tmp_path):
    import os
    import signal

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("عنوان الخبر الأول\n\nنص الخبر الأول عن الاقتصاد., فقرة ثانية عن النفط.",
                               encoding="utf-8")
    (src / "loop1.txt").symlink_to("loop2.txt")
    (src / "loop2.txt").symlink_to("loop1.txt")
    (src / "gone.txt").symlink_to("nowhere.txt")
    (src / "self").symlink_to(".")
    os.mkfifo(src / "pipe.txt")
    signal.alarm(20)  # a FIFO read would hang: fail instead
    try:
        out = ensure_corpus(src, n_jobs=1)
        assert ensure_corpus(src, n_jobs=1) == out  # cached: same fingerprint
    finally:
        signal.alarm(0)
    from arabic_news.corpus import load_report

    report = load_report(out).set_index("path")
    assert report["status"].to_dict() == {"self/": "ignored", "a.txt": "loaded", "gone.txt": "rejected",
                                          "loop1.txt": "rejected", "loop2.txt": "rejected", "pipe.txt": "rejected"}
