"""`arabic-news report`: the ingest options it passes on are checked before anything runs."""
from __future__ import annotations

from arabic_news.cli import main


def test_bad_max_file_size_is_one_line_before_any_work(tmp_path, capsys):
    rc = main(["report", str(tmp_path), "--out", str(tmp_path / "out"), "--max-file-size", "huge"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert err == ["arabic-news report: error: --max-file-size: not a size: 'huge' (write e.g. 10MB, 500KB, 1GB "
                   "or a number of bytes)"]
    assert not (tmp_path / "out").exists()
