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


def test_racy_files_are_hashed_and_the_fingerprint_stays_stable(tmp_path):
    import os

    from arabic_news.corpus.readers import walk_entries

    x = tmp_path / "x.txt"
    x.write_text("أ", encoding="utf-8")
    st = x.stat()
    f1 = samples_mod.fingerprint([x], tmp_path)
    h1 = samples_mod.racy_hashes(list(walk_entries(tmp_path)))
    x.write_text("ب", encoding="utf-8")  # same size; same mtime when within the file system's granularity
    os.utime(x, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert samples_mod.fingerprint([x], tmp_path) == f1        # size + mtime only: stable from run to run
    h2 = samples_mod.racy_hashes(list(walk_entries(tmp_path)))
    assert list(h1) == ["x.txt"] and h1 != h2                   # the content check catches the rewrite
    assert samples_mod.racy_hashes(list(walk_entries(tmp_path)), now_ns=st.st_mtime_ns + 60 * 10**9) == {}


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


def test_a_folder_ingested_right_after_writing_is_reused_later_and_rebuilt_after_a_same_size_rewrite(
        tmp_path, monkeypatch):
    """Racily clean files: hashed when the cache is built, so a later run (past the racy window) reuses the
    cache, while a same-size rewrite with the same mtime is still caught."""
    import os

    from arabic_news.corpus import samples

    monkeypatch.setattr("arabic_news.config.INTERIM_DIR", tmp_path / "interim")
    src = tmp_path / "src"
    src.mkdir()
    art = src / "a.txt"
    art.write_text("عنوان الخبر\n\nنص الخبر عن أسعار النفط في الأسواق العالمية.\n", encoding="utf-8")
    out = samples.ensure_corpus(src, n_jobs=1)
    built = (out / "articles.parquet").stat().st_mtime_ns
    saved = __import__("json").loads((out / "cache_key.json").read_text("utf-8"))
    assert list(saved["racy"]) == ["a.txt"]
    monkeypatch.setattr(samples, "RACY_SECONDS", 0)        # later: the file is no longer racy
    assert samples.ensure_corpus(src, n_jobs=1) == out
    assert (out / "articles.parquet").stat().st_mtime_ns == built   # reused, not re-ingested
    st = art.stat()
    art.write_text("عنوان الخبر\n\nنص الخبر عن أسعار الذهب في الأسواق العالمية.\n", encoding="utf-8")
    os.utime(art, ns=(st.st_atime_ns, st.st_mtime_ns))     # same size, same mtime
    assert art.stat().st_size == st.st_size
    samples.ensure_corpus(src, n_jobs=1)
    from arabic_news.corpus import load_articles

    assert "الذهب" in load_articles(out)["body"].iloc[0]
