"""Dataset fetching against a real local HTTP server: download, checksum failure, resume, mirror, offline."""
from __future__ import annotations

import hashlib
import os

import pytest
from http_fixtures import LocalServer, closed_port_url, tiny_registry

from arabic_news import config
from arabic_news.corpus import fetch as fetch_mod
from arabic_news.corpus.fetch import ChecksumError, FetchError, dataset_path, fetch_dataset

A = "ملف نصي صغير للاختبار\n".encode("utf-8") * 50
B = bytes(range(256)) * 800  # 204,800 bytes: big enough to be cut in the middle
DERIVED = b'{"id": 1}\n'
FILES = {"a.txt": A, "sub/b.bin": B}


@pytest.fixture
def server():
    with LocalServer() as srv:
        srv.state.files.update(FILES)
        yield srv


@pytest.fixture(autouse=True)
def no_env_mirror(monkeypatch):
    monkeypatch.delenv("ARABIC_NEWS_MIRROR", raising=False)


def _fetch(registry, dest, **kw):
    kw.setdefault("backoff", 0.0)
    kw.setdefault("timeout", 5.0)
    return fetch_dataset("tiny", dest=dest, registry=registry, **kw)


def test_download_verifies_and_uses_the_mirror_layout(server, tmp_path):
    reg = tiny_registry(server.url, FILES, mirror_only={"derived.jsonl": DERIVED})
    res = _fetch(reg, tmp_path)
    assert (tmp_path / "tiny" / "a.txt").read_bytes() == A
    assert (tmp_path / "tiny" / "sub" / "b.bin").read_bytes() == B
    assert sorted(res.fetched) == ["a.txt", "sub/b.bin"]
    assert res.skipped_mirror_only == ["derived.jsonl"]
    assert "1 mirror-only files skipped" in res.line()
    assert not list((tmp_path / "tiny").rglob("*.part"))
    # a second run verifies and keeps what is there, without any request
    n = len(server.state.log)
    res2 = _fetch(reg, tmp_path)
    assert sorted(res2.present) == ["a.txt", "sub/b.bin"] and res2.fetched == []
    assert len(server.state.log) == n


def test_corrupted_download_is_deleted_and_reported(server, tmp_path):
    server.state.modes["sub/b.bin"] = "corrupt"
    reg = tiny_registry(server.url, FILES)
    with pytest.raises(ChecksumError, match=r"b\.bin: SHA-256 mismatch .*corrupted download was deleted"):
        _fetch(reg, tmp_path)
    assert not (tmp_path / "tiny" / "sub" / "b.bin").exists()
    assert not (tmp_path / "tiny" / "sub" / "b.bin.part").exists()


def test_interrupted_transfer_resumes_with_a_range_request(server, tmp_path):
    server.state.modes["sub/b.bin"] = "drop_once"
    reg = tiny_registry(server.url, FILES)
    res = _fetch(reg, tmp_path)
    assert (tmp_path / "tiny" / "sub" / "b.bin").read_bytes() == B
    assert res.resumed == ["sub/b.bin"]
    log = [(rng, status) for path, rng, status in server.state.log if path == "sub/b.bin"]
    assert log[0] == (None, 200)  # the dropped transfer
    rng, status = log[1]
    offset = int(rng.split("=")[1].rstrip("-"))
    assert status == 206 and 0 < offset < len(B)


def test_resume_from_a_stale_partial_file_restarts_when_the_checksum_fails(server, tmp_path):
    part = tmp_path / "tiny" / "sub" / "b.bin.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\x00" * 1000)  # wrong bytes from some earlier, different download
    res = _fetch(tiny_registry(server.url, FILES), tmp_path)
    assert (tmp_path / "tiny" / "sub" / "b.bin").read_bytes() == B
    statuses = [(rng, st) for p, rng, st in server.state.log if p == "sub/b.bin"]
    assert statuses == [("bytes=1000-", 206), (None, 200)]  # resumed, failed the checksum, fetched afresh
    assert "sub/b.bin" not in res.resumed


def test_server_ignoring_range_restarts_cleanly(server, tmp_path):
    server.state.modes["sub/b.bin"] = "ignore_range"
    part = tmp_path / "tiny" / "sub" / "b.bin.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(B[:5000])
    _fetch(tiny_registry(server.url, FILES), tmp_path)
    assert (tmp_path / "tiny" / "sub" / "b.bin").read_bytes() == B  # not B[:5000] + B
    assert [st for p, _, st in server.state.log if p == "sub/b.bin"] == [200]


def test_http_404_is_a_clear_error(server, tmp_path):
    server.state.modes["a.txt"] = "error404"
    with pytest.raises(FetchError, match=r"a\.txt: HTTP 404"):
        _fetch(tiny_registry(server.url, FILES), tmp_path)


def test_offline_without_mirror_is_one_clear_line(tmp_path):
    reg = tiny_registry(closed_port_url(), FILES)
    with pytest.raises(FetchError) as exc:
        _fetch(reg, tmp_path, retries=1)
    msg = str(exc.value)
    assert "\n" not in msg
    assert "cannot connect to 127.0.0.1:" in msg and "(2 attempts); offline? use --mirror DIR" in msg


def test_mirror_copy_verifies_checksums(tmp_path):
    mirror = tmp_path / "mirror"
    for rel, data in {**FILES, "derived.jsonl": DERIVED}.items():
        (mirror / "tiny" / rel).parent.mkdir(parents=True, exist_ok=True)
        (mirror / "tiny" / rel).write_bytes(data)
    reg = tiny_registry(closed_port_url(), FILES, mirror_only={"derived.jsonl": DERIVED})
    res = _fetch(reg, tmp_path / "raw", mirror=mirror)
    assert res.method == "mirror" and sorted(res.fetched) == ["a.txt", "derived.jsonl", "sub/b.bin"]
    assert (tmp_path / "raw" / "tiny" / "derived.jsonl").read_bytes() == DERIVED
    # a corrupted mirror file is refused and nothing is left behind
    (mirror / "tiny" / "a.txt").write_bytes(A[:-1] + b"!")
    with pytest.raises(ChecksumError, match="mirror copy is corrupted"):
        _fetch(reg, tmp_path / "raw2", mirror=mirror)
    assert not (tmp_path / "raw2" / "tiny" / "a.txt").exists()
    assert not (tmp_path / "raw2" / "tiny" / "a.txt.part").exists()


def test_env_mirror_is_used(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "tiny").mkdir(parents=True)
    (mirror / "tiny" / "a.txt").write_bytes(A)
    reg = tiny_registry(closed_port_url(), {"a.txt": A})
    monkeypatch.setenv("ARABIC_NEWS_MIRROR", str(mirror))
    res = _fetch(reg, tmp_path / "raw")
    assert res.method == "mirror" and res.fetched == ["a.txt"]


def test_dataset_path_prefers_data_raw_then_mirror(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "raw")
    mirror = tmp_path / "mirror"
    (mirror / "tiny").mkdir(parents=True)
    monkeypatch.setenv("ARABIC_NEWS_MIRROR", str(mirror))
    assert dataset_path("tiny") == mirror.resolve() / "tiny"
    (tmp_path / "raw" / "tiny").mkdir(parents=True)
    (tmp_path / "raw" / "tiny" / "x.zip.part").write_bytes(b"")  # an unfinished download does not count
    assert dataset_path("tiny") == mirror.resolve() / "tiny"
    (tmp_path / "raw" / "tiny" / "x.zip").write_bytes(b"")
    assert dataset_path("tiny") == tmp_path / "raw" / "tiny"
    monkeypatch.setenv("ARABIC_NEWS_MIRROR", str(tmp_path / "nowhere"))
    with pytest.raises(fetch_mod.DatasetNotAvailable, match="arabic-news data fetch other"):
        dataset_path("other")


def test_registry_is_pinned_and_matches_the_mirror():
    reg = fetch_mod.load_registry()
    for name in ("saudinewsnet", "antcorpus", "cleananercorp", "mawqif", "ans_stance", "unifiedfc_stance",
                 "asnd_news_topics", "sentiment_lexicons", "actor_gazetteers", "stopwords",
                 "seed_format_saudinewsnet"):
        assert name in reg, name
    for ds in reg.values():
        for f in ds.files:
            assert len(f.sha256) == 64 and f.size is not None
            if f.url is not None:
                parts = f.url.split("/")
                assert f.url.startswith("https://raw.githubusercontent.com/") and len(parts[5]) == 40, f.url
    mirror = config.mirror_dir()
    if mirror is None or not (mirror / "stopwords").is_dir():
        pytest.skip("no local mirror of the datasets (set ARABIC_NEWS_MIRROR)")
    for name, ds in reg.items():  # the listing covers the mirror exactly
        root = mirror / name
        if root.is_dir():
            on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
            assert on_disk == {f.path for f in ds.files}, name
    for f in reg["stopwords"].files:  # and the checksums are those of the mirror copies
        data = (mirror / "stopwords" / f.path).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (f.size, f.sha256), f.path


def test_unknown_dataset(tmp_path):
    with pytest.raises(FetchError, match="unknown dataset 'nope'"):
        fetch_dataset("nope", dest=tmp_path, registry={})
    assert not os.listdir(tmp_path)
