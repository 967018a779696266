"""`arabic-news data list|fetch`: registry listing, fetching from a local server or mirror, clear errors."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from arabic_news.cli import main
from arabic_news.corpus import fetch as fetch_mod
from arabic_news.corpus.fetch import Dataset, DatasetFile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from http_fixtures import LocalServer, closed_port_url, tiny_registry  # noqa: E402

DATA = "بيانات صغيرة للاختبار\n".encode("utf-8") * 10


@pytest.fixture(autouse=True)
def no_env_mirror(monkeypatch):
    monkeypatch.delenv("ARABIC_NEWS_MIRROR", raising=False)


def test_list_shows_every_registered_dataset(capsys):
    assert main(["data", "list", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    rows = json.loads(lines[-1])
    names = {r["name"] for r in rows}
    assert {"saudinewsnet", "antcorpus", "cleananercorp", "mawqif", "stopwords", "seed_format_saudinewsnet"} <= names
    assert lines[0].split() == ["name", "files", "mirror-only", "size_MB", "local", "copy"]
    snn = next(r for r in rows if r["name"] == "saudinewsnet")
    assert snn["files"] >= 18 and snn["mirror_only"] == 1  # the zips are downloadable, PROVENANCE.md is not


def test_fetch_from_a_local_server(tmp_path, monkeypatch, capsys):
    with LocalServer() as srv:
        srv.state.files["d.txt"] = DATA
        monkeypatch.setattr(fetch_mod, "load_registry", lambda path=None: tiny_registry(srv.url, {"d.txt": DATA}))
        rc = main(["data", "fetch", "tiny", "--dest", str(tmp_path), "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 0 and (tmp_path / "tiny" / "d.txt").read_bytes() == DATA
    assert out[0].startswith("tiny: 1 files downloaded")
    assert json.loads(out[-1])["fetched"] == ["d.txt"]


def test_fetch_offline_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch_mod, "load_registry", lambda path=None: tiny_registry(closed_port_url(), {"d.txt": DATA}))
    rc = main(["data", "fetch", "tiny", "--dest", str(tmp_path), "--retries", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1
    assert err[0].startswith("arabic-news data fetch: error: http://127.0.0.1:")
    assert "offline? use --mirror DIR or set ARABIC_NEWS_MIRROR" in err[0]


def test_fetch_mirror_only_dataset_without_mirror(tmp_path, monkeypatch, capsys):
    reg = {"derived": Dataset("derived", files=(DatasetFile("x.jsonl", len(DATA), hashlib.sha256(DATA).hexdigest()),))}
    monkeypatch.setattr(fetch_mod, "load_registry", lambda path=None: reg)
    assert main(["data", "fetch", "derived", "--dest", str(tmp_path)]) == 2
    assert "only mirror-only files" in capsys.readouterr().err


def test_fetch_unknown_name(capsys):
    assert main(["data", "fetch", "no_such_dataset"]) == 2
    assert "unknown dataset 'no_such_dataset'" in capsys.readouterr().err


def test_fetch_real_small_dataset_from_the_mirror(tmp_path, capsys):
    from arabic_news import config

    mirror = config.mirror_dir()
    if mirror is None or not (mirror / "stopwords").is_dir():
        pytest.skip("no local mirror of the datasets (set ARABIC_NEWS_MIRROR)")
    assert main(["data", "fetch", "stopwords", "--mirror", str(mirror), "--dest", str(tmp_path)]) == 0
    assert (tmp_path / "stopwords" / "mohataher_list.txt").is_file()
    assert "copied from the mirror" in capsys.readouterr().out
