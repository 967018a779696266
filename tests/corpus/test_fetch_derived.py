"""Network fetch of a dataset whose files the mirror derived: download the upstream originals from a real local
HTTP server (repository archive first, per-file fallback), rebuild the derived file, verify it."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

import pytest
from http_fixtures import LocalServer

from arabic_news.cli import main
from arabic_news.corpus import fetch as fetch_mod
from arabic_news.corpus.fetch import ChecksumError, Dataset, DatasetFile, fetch_dataset

LICENSE = b"Apache License 2.0 (test copy)\n"
ART1 = """<DOC>
<DOCNO>JA-culture-1-20170120</DOCNO>
<URL>http://example.org/a/1</URL>
<SRC>Jawhara FM</SRC>
<CAT>culture</CAT>
<TITLE>مهرجان السينما</TITLE>
<TIME>2017-01-20T21:43:00+01:00</TIME>
<ABSTRACT></ABSTRACT>
<TEXT>
افتتح المهرجان مساء الجمعة.
</TEXT>
</DOC>
""".encode("utf-8")
ART2 = """<DOC>
<DOCNO>JA-sport-2-02012016</DOCNO>
<URL>http://example.org/a/2</URL>
<SRC>Jawhara FM</SRC>
<CAT>sport</CAT>
<TITLE>فوز الترجي</TITLE>
<TIME></TIME>
<AUTHOR>مراسل</AUTHOR>
<ABSTRACT>ملخص</ABSTRACT>
<TEXT>فاز الفريق بهدفين.</TEXT>
</DOC>
""".encode("utf-8")
README = "# مستودع صغير\n".encode("utf-8") * 20_000  # big enough to be cut in the middle
UPSTREAM = {"LICENSE": LICENSE, "README.md": README, "culture/JA-culture-1-20170120.txt": ART1,
            "sport/JA-sport-2-02012016.txt": ART2}
#: what the derived JSONL must hold, written by hand
EXPECTED = [
    {"id": "JA-culture-1-20170120", "category": "culture", "category_tag": "culture", "title": "مهرجان السينما",
     "date": "2017-01-20", "time_raw": "2017-01-20T21:43:00+01:00", "source": "Jawhara FM",
     "url": "http://example.org/a/1", "author": "", "abstract": "", "text": "افتتح المهرجان مساء الجمعة.",
     "path": "culture/JA-culture-1-20170120.txt"},
    {"id": "JA-sport-2-02012016", "category": "sport", "category_tag": "sport", "title": "فوز الترجي",
     "date": "2016-01-02", "time_raw": "", "source": "Jawhara FM", "url": "http://example.org/a/2",
     "author": "مراسل", "abstract": "ملخص", "text": "فاز الفريق بهدفين.", "path": "sport/JA-sport-2-02012016.txt"},
]
JSONL = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in EXPECTED).encode("utf-8")


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _archive(files: dict[str, bytes]) -> bytes:
    """A GitHub-style repository tarball: every file under ``<repo>-<commit>/``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for rel, data in files.items():
            info = tarfile.TarInfo(f"tiny-0123abcd/{rel}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _registry(base: str, *, archive: bool = True, derived_sha: str | None = None) -> dict[str, Dataset]:
    files = (
        DatasetFile("LICENSE", len(LICENSE), _sha(LICENSE), url=f"{base}/raw/LICENSE"),
        DatasetFile("PROVENANCE.md", 10, "0" * 64, url=None, note="written by the mirror"),
        DatasetFile("ant.jsonl.gz", None, derived_sha or "f" * 64, url=None, note="derived",
                    derive={"recipe": "ant_jsonl", "src": ".upstream", "gzip_name": "ant.jsonl", "gzip_mtime": 0},
                    content_sha256=_sha(JSONL)),
    )
    upstream = tuple(DatasetFile(p, len(b), _sha(b), url=f"{base}/raw/{p}") for p, b in UPSTREAM.items())
    return {"tiny": Dataset("tiny", "test", "Apache-2.0", files=files, upstream=upstream,
                            archive=f"{base}/archive.tar.gz" if archive else None)}


@pytest.fixture
def server(monkeypatch):
    monkeypatch.delenv("ARABIC_NEWS_MIRROR", raising=False)
    monkeypatch.setattr(fetch_mod, "ARCHIVE_MIN_FILES", 1)
    with LocalServer() as srv:
        srv.state.files.update({f"raw/{p}": b for p, b in UPSTREAM.items()})
        yield srv


def _records(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_archive_then_per_file_fallback_then_derive(server, tmp_path):
    bad = dict(UPSTREAM, **{"sport/JA-sport-2-02012016.txt": ART2.replace("فاز".encode(), "خسر".encode())})
    server.state.files["archive.tar.gz"] = _archive(bad)  # one member differs from the registry
    res = fetch_dataset("tiny", dest=tmp_path, registry=_registry(server.url), backoff=0.0, timeout=5.0)
    out = tmp_path / "tiny"
    assert _records(out / "ant.jsonl.gz") == EXPECTED
    assert res.derived == ["ant.jsonl.gz"] and res.skipped_mirror_only == ["PROVENANCE.md"]
    assert (res.upstream_fetched, res.upstream_from_archive) == (4, 3)
    requested = [p for p, _, _ in server.state.log]
    assert requested.count("archive.tar.gz") == 1
    # per file: the direct LICENSE and only the upstream file the archive got wrong
    assert sorted(p for p in requested if p.startswith("raw/")) == ["raw/LICENSE", "raw/sport/JA-sport-2-02012016.txt"]
    assert (out / ".upstream" / "sport" / "JA-sport-2-02012016.txt").read_bytes() == ART2
    assert not (out / ".upstream" / ".repository-archive.tar.gz").exists()
    assert not list(out.rglob("*.part"))
    # a second run finds everything verified and asks the server for nothing
    n = len(server.state.log)
    res2 = fetch_dataset("tiny", dest=tmp_path, registry=_registry(server.url), backoff=0.0, timeout=5.0)
    assert sorted(res2.present) == ["LICENSE", "ant.jsonl.gz"] and res2.derived == [] and res2.upstream_fetched == 0
    assert len(server.state.log) == n


def test_without_archive_resumes_an_interrupted_original(server, tmp_path):
    server.state.modes["raw/README.md"] = "drop_once"
    res = fetch_dataset("tiny", dest=tmp_path, registry=_registry(server.url, archive=False), backoff=0.0,
                        timeout=5.0, workers=3)
    assert _records(tmp_path / "tiny" / "ant.jsonl.gz") == EXPECTED
    assert res.upstream_fetched == 4 and res.upstream_from_archive == 0
    log = [(rng, st) for p, rng, st in server.state.log if p == "raw/README.md"]
    assert log[0] == (None, 200) and log[1][1] == 206  # cut, then resumed with a Range request
    assert (tmp_path / "tiny" / ".upstream" / "README.md").read_bytes() == README


def test_unusable_archive_falls_back_to_per_file(server, tmp_path):
    server.state.files["archive.tar.gz"] = b"not a tarball"
    res = fetch_dataset("tiny", dest=tmp_path, registry=_registry(server.url), backoff=0.0, timeout=5.0)
    assert _records(tmp_path / "tiny" / "ant.jsonl.gz") == EXPECTED
    assert (res.upstream_fetched, res.upstream_from_archive) == (4, 0)


def test_corrupted_original_is_refused_and_nothing_is_derived(server, tmp_path):
    server.state.modes["raw/sport/JA-sport-2-02012016.txt"] = "corrupt"
    with pytest.raises(ChecksumError, match=r"JA-sport-2-02012016\.txt: SHA-256 mismatch"):
        fetch_dataset("tiny", dest=tmp_path, registry=_registry(server.url, archive=False), backoff=0.0, timeout=5.0)
    assert not (tmp_path / "tiny" / "ant.jsonl.gz").exists()


def test_rebuilt_file_that_does_not_match_is_deleted(server, tmp_path):
    reg = _registry(server.url, archive=False)
    f = reg["tiny"].files[2]
    bad = DatasetFile(f.path, None, "f" * 64, derive=f.derive, content_sha256="e" * 64)
    reg["tiny"] = Dataset("tiny", files=(reg["tiny"].files[0], bad), upstream=reg["tiny"].upstream)
    with pytest.raises(ChecksumError, match="ant.jsonl.gz: rebuilt from the upstream originals but it does not match"):
        fetch_dataset("tiny", dest=tmp_path, registry=reg, backoff=0.0, timeout=5.0)
    assert not (tmp_path / "tiny" / "ant.jsonl.gz").exists()


def test_cli_fetch_reports_the_rebuilt_files(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch_mod, "load_registry", lambda path=None: _registry(server.url))
    server.state.files["archive.tar.gz"] = _archive(UPSTREAM)
    assert main(["data", "fetch", "tiny", "--dest", str(tmp_path), "--json", "--workers", "2"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "4 upstream originals downloaded, 4 from the repository archive" in out[0]
    assert "1 derived files rebuilt locally and verified" in out[0]
    js = json.loads(out[-1])
    assert js["derived"] == ["ant.jsonl.gz"] and js["skipped_mirror_only"] == ["PROVENANCE.md"]


def test_cli_list_shows_licence_and_what_is_rebuilt(capsys):
    assert main(["data", "list", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    rows = {r["name"]: r for r in json.loads(lines[-1])}
    assert rows["antcorpus"]["rebuilt_locally"] == ["ant_corpus_v1.1.jsonl.gz", "antcorpus_v1.1_original.tar.gz"]
    assert rows["antcorpus"]["upstream_files"] == 10_163 and rows["antcorpus"]["archive"]
    assert rows["unifiedfc_stance"]["mirror_only_not_rebuilt"] == ["PROVENANCE.md"]
    assert rows["sentiment_lexicons"]["rebuilt_locally"] == ["NileULex_v0.27.csv"]
    assert len(rows["seed_format_saudinewsnet"]["rebuilt_locally"]) == 2001
    text = "\n".join(lines[:-1])
    assert "licence: Apache-2.0 + citation request" in text
    assert "rebuilt locally without a mirror (from 10,163 upstream originals" in text
