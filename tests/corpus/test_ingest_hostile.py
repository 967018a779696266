"""Hostile but realistic inputs: garbled encodings, special files, symlinks, unreadable folders, huge files.

Every path under SOURCE gets a report row with an exact status and reason; nothing hangs, nothing is read that
should not be (FIFOs, devices, files over the size limit, symlinks leaving SOURCE).
"""
from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import pytest
from corpus_samples import ARTICLES, seed_text

from arabic_news.corpus import ingest, load_articles, load_report
from arabic_news.corpus.readers import walk_entries

TITLE, PARAS = ARTICLES["oil"]
TEXT = seed_text(TITLE, PARAS)
T2, P2 = ARTICLES["rain"]
TEXT2 = seed_text(T2, P2)


@pytest.fixture
def alarm():
    """Fail instead of hanging forever (a FIFO opened for reading blocks until a writer appears)."""
    def on_alarm(signum, frame):
        raise TimeoutError("ingest hung")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _rows(out: Path) -> dict[str, tuple[str, str]]:
    return {r.path: (r.status, r.reason) for r in load_report(out).itertuples()}


# --------------------------------------------------------------------------------------------- decoding
def test_decoding_outcomes_in_the_report(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    utf8 = TEXT.rstrip("\n").encode("utf-8")
    (src / "cut.txt").write_bytes(utf8[:-2])                      # cut inside the final "ً" / "." pair
    t3, p3 = ARTICLES["school"]
    (src / "mixed.txt").write_bytes(seed_text(t3, p3[:1]).encode("utf-8") + p3[1].encode("cp1256"))
    mac = seed_text(*ARTICLES["culture"]).replace("ألف", "١٠٠٠")
    (src / "mac.txt").write_bytes(mac.encode("mac_arabic"))
    (src / "moji1256.txt").write_bytes(TEXT2.encode("utf-8").decode("cp1256").encode("utf-8"))
    (src / "mojilatin.txt").write_bytes(TEXT2.encode("utf-8").decode("latin-1").encode("utf-8"))
    ingest(src, tmp_path / "out", n_jobs=1)
    rows = _rows(tmp_path / "out")
    arts = load_articles(tmp_path / "out").set_index("path")

    assert rows["cut.txt"] == ("loaded", "file ends in the middle of a UTF-8 character: the incomplete last 1 "
                                         "byte dropped")
    assert arts.loc["cut.txt", "paragraphs"] == [PARAS[0], PARAS[1][:-2]]
    assert arts.loc["cut.txt", "encoding"] == "utf-8"

    n = len(p3[1].encode("cp1256"))
    at = len(seed_text(t3, p3[:1]).encode("utf-8"))
    assert rows["mixed.txt"] == ("loaded", f"mixed encodings: 1 segment ({n} bytes, first at byte {at}) decoded "
                                           f"as Windows-1256, the rest as UTF-8")
    assert arts.loc["mixed.txt", "encoding"] == "utf-8+cp1256"
    assert arts.loc["mixed.txt", "title"] == t3
    assert arts.loc["mixed.txt", "paragraphs"] == p3  # the UTF-8 part ends with "., ", the cp1256 part follows

    title, paras = ARTICLES["culture"]
    assert rows["mac.txt"] == ("loaded", "")
    assert arts.loc["mac.txt", "encoding"] == "mac-arabic"
    assert arts.loc["mac.txt", "title"] == title
    assert arts.loc["mac.txt", "paragraphs"] == [paras[0].replace("ألف", "١٠٠٠"), paras[1]]

    assert rows["moji1256.txt"] == ("rejected", "mojibake (UTF-8 text decoded as Windows-1256 upstream); "
                                                "re-save as UTF-8")
    assert rows["mojilatin.txt"] == ("rejected", "mojibake (UTF-8 text decoded as Latin-1/Windows-1252 "
                                                 "upstream); re-save as UTF-8")
    assert set(arts.index) == {"cut.txt", "mixed.txt", "mac.txt"}


def test_mojibake_records_are_rejected_too(tmp_path):
    import json

    path = tmp_path / "news.jsonl"
    recs = [{"title": T2, "text": "\n".join(P2)},
            {"title": T2.encode("utf-8").decode("cp1256"), "text": "\n".join(P2).encode("utf-8").decode("cp1256")}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    ingest(path, tmp_path / "out", n_jobs=1)
    assert _rows(tmp_path / "out") == {
        "news.jsonl#0": ("loaded", ""),
        "news.jsonl#1": ("rejected", "mojibake (UTF-8 text decoded as Windows-1256 upstream); re-save as UTF-8"),
    }


# ----------------------------------------------------------------------------------- special files
def test_fifo_and_device_are_rejected_without_being_opened(tmp_path, alarm):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(src / "x.txt")                       # opening it for reading would block forever
    (src / "zero.txt").symlink_to("/dev/zero")     # reading it would never end
    (src / "null.txt").symlink_to("/dev/null")
    ingest(src, tmp_path / "out", n_jobs=1, follow_symlinks=True)  # even when following symlinks
    assert _rows(tmp_path / "out") == {
        "a.txt": ("loaded", ""),
        "null.txt": ("rejected", "not a regular file (symlink to a character device (/dev/null)): not opened"),
        "x.txt": ("rejected", "not a regular file (a FIFO): not opened"),
        "zero.txt": ("rejected", "not a regular file (symlink to a character device (/dev/zero)): not opened"),
    }


def test_socket_is_rejected(tmp_path):
    import socket

    src = Path(tempfile.mkdtemp(prefix="an_sock_"))  # AF_UNIX paths must be short
    try:
        (src / "a.txt").write_text(TEXT, encoding="utf-8")
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(src / "s.txt"))
            ingest(src, tmp_path / "out", n_jobs=1)
        assert _rows(tmp_path / "out")["s.txt"] == ("rejected", "not a regular file (a socket): not opened")
    finally:
        import shutil

        shutil.rmtree(src)


def test_a_fifo_swapped_in_after_the_walk_is_not_read(tmp_path, alarm):
    from arabic_news.corpus.ingest import read_bounded

    os.mkfifo(tmp_path / "late.txt")
    with pytest.raises(ValueError, match=r"^not a regular file: not read$"):
        read_bounded(str(tmp_path / "late.txt"), 1000)


def test_reads_stop_at_the_limit_even_when_the_size_lies():
    from arabic_news.corpus.ingest import read_bounded

    # /proc files are regular files whose stat size is 0 but which hold data: a file "growing" while read
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(ValueError, match=r"^file grew beyond the 10 bytes limit while being read; raise "
                                         r"--max-file-size to read it$"):
        read_bounded("/proc/self/status", 10)


# ------------------------------------------------------------------------------------------- symlinks
@pytest.fixture
def linked(tmp_path):
    """SOURCE with symlinks of every kind, and a folder outside it."""
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "far.txt").write_text(TEXT2, encoding="utf-8")
    (outside / "deep" / "d.txt").write_text(seed_text(*ARTICLES["tech"]), encoding="utf-8")
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    (src / "in_link.txt").symlink_to("sub/a.txt")                 # a file inside SOURCE
    (src / "out_link.txt").symlink_to(outside / "far.txt")        # a file outside SOURCE
    (src / "dir_in").symlink_to("sub")                            # a folder inside SOURCE
    (src / "dir_out").symlink_to(outside / "deep")                # a folder outside SOURCE
    (src / "loop1.txt").symlink_to("loop2.txt")                   # a loop
    (src / "loop2.txt").symlink_to("loop1.txt")
    (src / "broken.txt").symlink_to("missing.txt")
    (outside / "deep" / "back").symlink_to(src)                   # leads back into SOURCE
    (outside / "deep" / "again").symlink_to(outside / "deep")     # a loop outside SOURCE: read once only
    return src, outside


def test_symlinks_without_follow(linked, tmp_path):
    src, outside = linked
    ingest(src, tmp_path / "out", n_jobs=1)
    assert _rows(tmp_path / "out") == {
        "dir_in/": ("ignored", "symlink to a folder inside SOURCE (sub/), whose files are read there"),
        "dir_out/": ("rejected", f"symlink to a folder outside SOURCE ({outside / 'deep'}); pass --follow-symlinks "
                                 f"to read it"),
        "broken.txt": ("rejected", "broken symlink (target missing.txt does not exist)"),
        "in_link.txt": ("loaded", ""),
        "loop1.txt": ("rejected", "symlink loop (loop2.txt)"),
        "loop2.txt": ("rejected", "symlink loop (loop1.txt)"),
        "out_link.txt": ("rejected", f"symlink to a file outside SOURCE ({outside / 'far.txt'}); pass "
                                     f"--follow-symlinks to read it"),
        "sub/a.txt": ("duplicate", "exact duplicate of in_link.txt"),
    }


def test_symlinks_with_follow(linked, tmp_path):
    src, outside = linked
    ingest(src, tmp_path / "out", n_jobs=1, follow_symlinks=True)
    rows = _rows(tmp_path / "out")
    assert rows["out_link.txt"] == ("loaded", "")
    assert rows["dir_out/d.txt"] == ("loaded", "")
    assert rows["dir_out/back/"] == ("ignored", "symlink to a folder inside SOURCE (./), whose files are read there")
    assert rows["dir_out/again/"] == ("ignored", f"folder already read (symlink loop or second link to "
                                                 f"{outside / 'deep'})")
    assert rows["dir_in/"] == ("ignored", "symlink to a folder inside SOURCE (sub/), whose files are read there")
    assert rows["loop1.txt"][0] == rows["broken.txt"][0] == "rejected"
    assert sorted(load_articles(tmp_path / "out")["title"]) == sorted([TITLE, T2, ARTICLES["tech"][0]])


def test_every_path_under_source_has_a_row(linked, tmp_path):
    src, _ = linked
    os.mkfifo(src / "sub" / "pipe.txt")
    (src / ".cache").mkdir()
    (src / ".cache" / "x.txt").write_text("x", encoding="utf-8")
    ingest(src, tmp_path / "out", n_jobs=1)
    report = set(load_report(tmp_path / "out").path)
    expected = set()
    for dirpath, dirnames, filenames in os.walk(src):  # (os.walk lists symlinked folders as folders)
        rel = Path(dirpath).relative_to(src).as_posix()
        prefix = "" if rel == "." else rel + "/"
        if prefix.startswith(".cache"):
            continue
        expected |= {prefix + f for f in filenames}
        expected |= {prefix + d + "/" for d in dirnames if (Path(dirpath) / d).is_symlink() or d.startswith(".")}
    assert report == expected


# ------------------------------------------------------------------------------------- unreadable folder
def _walk_as_nobody(src: Path) -> list[tuple[str, str, str]]:
    """walk_entries(src) in a forked child running as user 'nobody' (root reads every folder)."""
    import pickle

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(r)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            rows = [(e.rel, e.status, e.reason) for e in walk_entries(src)]
            os.write(w, pickle.dumps(rows))
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    data = b""
    while chunk := os.read(r, 1 << 16):
        data += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    assert status == 0
    return pickle.loads(data)


def test_an_unreadable_folder_gets_a_rejected_row():
    base = Path(tempfile.mkdtemp(prefix="an_unreadable_"))  # outside pytest's private (0700) tmp folders
    try:
        base.chmod(0o755)
        src = base / "src"
        (src / "locked").mkdir(parents=True)
        (src / "locked" / "hidden_inside.txt").write_text(TEXT, encoding="utf-8")
        (src / "a.txt").write_text(TEXT, encoding="utf-8")
        src.chmod(0o755)
        (src / "a.txt").chmod(0o644)
        (src / "locked").chmod(0o000)
        # as root permissions do not apply, so the walk runs as 'nobody' (a real permission error either way)
        rows = _walk_as_nobody(src) if os.geteuid() == 0 else [(e.rel, e.status, e.reason) for e in walk_entries(src)]
        assert rows == [
            ("a.txt", "file", ""),
            ("locked/", "rejected", "unreadable folder (Permission denied); its files were not read"),
        ]
    finally:
        (base / "src" / "locked").chmod(0o755)
        import shutil

        shutil.rmtree(base)


# ------------------------------------------------------------------------------------------- size limit
def test_files_over_the_size_limit_are_rejected_from_their_size(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    small = TEXT.encode("utf-8")
    (src / "ok.txt").write_bytes(small)
    (src / "big.txt").write_bytes(small + TEXT2.encode("utf-8"))
    limit = len(small)  # exactly at the limit is accepted
    summary = ingest(src, tmp_path / "out", n_jobs=1, max_file_size=limit)
    size = len(small) + len(TEXT2.encode("utf-8"))
    assert _rows(tmp_path / "out") == {
        "ok.txt": ("loaded", ""),
        "big.txt": ("rejected", f"file too large ({size} bytes, over the {limit} bytes limit); raise "
                                f"--max-file-size to read it"),
    }
    assert summary.rejected_reasons == {"file too large": 1}


def test_record_texts_over_the_limit_are_rejected(tmp_path):
    import json

    path = tmp_path / "n.jsonl"
    long_text = "\n".join(P2 * 20)
    path.write_text(json.dumps({"title": T2, "text": "\n".join(P2)}, ensure_ascii=False) + "\n"
                    + json.dumps({"title": T2, "text": long_text}, ensure_ascii=False) + "\n", encoding="utf-8")
    ingest(path, tmp_path / "out", n_jobs=1, max_file_size=1000)
    size = len(long_text.encode("utf-8"))
    assert _rows(tmp_path / "out") == {
        "n.jsonl#0": ("loaded", ""),
        "n.jsonl#1": ("rejected", f"article text too large ({size / 1000:.1f} KB, over the 1 KB limit); raise "
                                  f"--max-file-size to read it"),
    }


def test_archive_members_over_25_times_the_limit_are_rejected(tmp_path):
    import json
    import zipfile

    src = tmp_path / "snn"
    src.mkdir()
    rec = {"source": "okaz", "url": "http://x/1", "date_extracted": "2015-07-21", "title": T2,
           "content": "\n".join(P2)}
    with zipfile.ZipFile(src / "2015-07-21.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2015-07-21/small.json", json.dumps([rec], ensure_ascii=False))
        zf.writestr("2015-07-21/big.json", json.dumps([rec] * 30, ensure_ascii=False))
    small = len(json.dumps([rec], ensure_ascii=False).encode())
    big = len(json.dumps([rec] * 30, ensure_ascii=False).encode())
    limit = max(len(rec["content"].encode()), small // 25 + 1)  # the small member fits 25 x limit
    assert big > 25 * limit  # the big one does not
    ingest(src, tmp_path / "out", n_jobs=1, max_file_size=limit)
    rows = _rows(tmp_path / "out")
    assert rows["2015-07-21.zip:2015-07-21/small.json#0"] == ("loaded", "")
    from arabic_news.corpus.readers import format_size

    assert rows["2015-07-21.zip:2015-07-21/big.json"] == (
        "rejected", f"archive member too large ({format_size(big)}, over the {format_size(25 * limit)} limit for a "
                    f"member, 25 x --max-file-size); raise --max-file-size to read it")


def test_long_json_lines_are_skipped_without_being_held(tmp_path):
    import json

    path = tmp_path / "n.jsonl"
    ok = json.dumps({"title": T2, "text": "\n".join(P2)}, ensure_ascii=False)
    limit = 400
    assert len("\n".join(P2).encode()) < limit
    path.write_text(ok + "\n" + json.dumps({"title": "x", "text": "ب" * 12_000}) + "\n"
                    + ok.replace("جدة", "مكة") + "\n", encoding="utf-8")
    ingest(path, tmp_path / "out", n_jobs=1, max_file_size=limit)  # lines up to 25 x 400 characters
    rows = _rows(tmp_path / "out")
    assert rows == {
        "n.jsonl#0": ("loaded", ""),
        "n.jsonl#1": ("rejected", "JSON line too long (over 10 KB, 25 x --max-file-size); raise --max-file-size "
                                  "to read it"),
        "n.jsonl#2": ("loaded", ""),
    }


def test_max_file_size_must_be_positive(tmp_path):
    from arabic_news.corpus import IngestError

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(IngestError, match=r"^max_file_size must be more than 0 bytes \(got 0\)$"):
        ingest(tmp_path / "a.txt", tmp_path / "out", max_file_size=0)


# ------------------------------------------------------------------------------------- bounded work
def test_tokens_of_a_long_body_are_built_in_groups(monkeypatch):
    import sys

    from arabic_news.text import normalize_tokens

    ing = sys.modules["arabic_news.corpus.ingest"]
    paragraphs = [p for _, ps in ARTICLES.values() for p in ps] * 3
    want = " ".join(normalize_tokens("\n".join(paragraphs))).encode("utf-8")
    monkeypatch.setattr(ing, "_TOKENIZE_GROUP_CHARS", 200)  # many groups
    got, n = ing._joined_tokens(paragraphs)
    assert got == want and n == len(normalize_tokens("\n".join(paragraphs)))


def test_chunks_are_bounded_by_bytes():
    import sys

    from arabic_news.corpus.readers import RawItem

    ing = sys.modules["arabic_news.corpus.ingest"]
    items = [RawItem(f"{i}.txt", "seed", file="x", size=s) for i, s in enumerate([40, 40, 30, 100, 10, 10])]
    chunks = list(ing._chunked(items, size=1000, max_bytes=100))
    assert [[it.size for it in c] for c in chunks] == [[40, 40], [30], [100], [10, 10]]
    assert [len(c) for c in ing._chunked(items, size=4, max_bytes=10**9)] == [4, 2]
