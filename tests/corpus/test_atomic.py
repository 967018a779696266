"""Output folders that appear complete or not at all: swap, carry-over, refusals, repair after a kill."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from arabic_news.corpus import atomic
from arabic_news.corpus.atomic import OutputDir, OutputDirError, clean_stale, interrupted_runs, replace_file


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write_output(out: Path, **files: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


OWNED = ("result.csv", "summary.json", "by_*.csv")


def test_new_folder_appears_complete_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "out"
    with OutputDir(out, owned=OWNED, marker=("summary.json",)) as work:
        assert work == tmp_path / f".out.tmp-{os.getpid()}" and not out.exists()
        write_output(work, **{"result.csv": "a,b\n", "summary.json": "{}"})
        assert not out.exists()  # nothing visible until the end
    assert tree(out) == {"result.csv": "a,b\n", "summary.json": "{}"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_replacing_keeps_foreign_entries_drops_stale_owned_ones_and_keeps_the_mode(tmp_path):
    out = tmp_path / "out"
    write_output(out, **{"result.csv": "old\n", "summary.json": "{\"old\": 1}", "by_day.csv": "old day\n",
                         "notes.txt": "mine"})
    (out / "sub").mkdir()
    (out / "sub" / "x.txt").write_text("kept", encoding="utf-8")
    out.chmod(0o750)
    with OutputDir(out, owned=OWNED, marker=("summary.json",)) as work:
        write_output(work, **{"result.csv": "new\n", "summary.json": "{}", "by_week.csv": "new week\n"})
        assert tree(out)["result.csv"] == "old\n"  # readers still see the old output
    assert tree(out) == {"by_week.csv": "new week\n", "notes.txt": "mine", "result.csv": "new\n",
                         "sub/x.txt": "kept", "summary.json": "{}"}  # by_day.csv was stale: dropped
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_both_swap_methods_give_the_same_result(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_output(out, **{"summary.json": "old"})
    with OutputDir(out, owned=OWNED, marker=("summary.json",)) as work:
        write_output(work, **{"summary.json": "new"})
    assert tree(out) == {"summary.json": "new"} and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_error_leaves_the_previous_output_untouched(tmp_path):
    out = tmp_path / "out"
    write_output(out, **{"summary.json": "old", "result.csv": "old\n"})
    with pytest.raises(RuntimeError, match="boom"):
        with OutputDir(out, owned=OWNED, marker=("summary.json",)) as work:
            write_output(work, **{"summary.json": "half"})
            raise RuntimeError("boom")
    assert tree(out) == {"result.csv": "old\n", "summary.json": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_holding_other_files_is_refused(tmp_path):
    home = tmp_path / "home"
    write_output(home, **{"thesis.tex": "x", "photo.jpg": "y", "a.txt": "z", "b.txt": "w"})
    with pytest.raises(OutputDirError) as err:
        OutputDir(home, owned=OWNED, marker=("summary.json",), what="actors output").begin()
    assert str(err.value) == (f"{home}: already holds other files (a.txt, b.txt, photo.jpg and 1 more) and no earlier "
                              "actors output; pass a new or empty folder as --out")
    assert tree(home) == {"a.txt": "z", "b.txt": "w", "photo.jpg": "y", "thesis.tex": "x"}
    empty = tmp_path / "empty"
    empty.mkdir()
    with OutputDir(empty, owned=OWNED, marker=("summary.json",)) as work:  # an empty folder is fine
        write_output(work, **{"summary.json": "{}"})
    assert tree(empty) == {"summary.json": "{}"}


def test_unusable_targets_are_refused_with_the_fix(tmp_path, monkeypatch):
    a_file = tmp_path / "f.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(OutputDirError, match="is a file, not a folder; pass a new or existing folder"):
        OutputDir(a_file).begin()
    with pytest.raises(OutputDirError, match="cannot create the folder"):
        OutputDir(a_file / "sub" / "out").begin()
    with pytest.raises(OutputDirError, match="cannot create"):
        OutputDir("/proc/arabic-news-test/out").begin()
    out = tmp_path / "out"
    write_output(out / "inner", **{"x": "y"})
    monkeypatch.chdir(out / "inner")
    with pytest.raises(OutputDirError, match="is the current folder or holds it"):
        OutputDir(out).begin()


def test_a_symlinked_output_folder_swaps_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real"
    write_output(target, **{"summary.json": "old"})
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    with OutputDir(link, owned=OWNED, marker=("summary.json",)) as work:
        write_output(work, **{"summary.json": "new"})
    assert link.is_symlink() and tree(target) == {"summary.json": "new"}


def test_leftovers_of_killed_runs_are_removed_but_a_live_runs_are_not(tmp_path):
    out = tmp_path / "out"
    write_output(out, **{"summary.json": "current"})
    pid = dead_pid()
    write_output(tmp_path / f".out.tmp-{pid}", **{"summary.json": "half-written"})
    write_output(tmp_path / f"..out.tmp-{pid}.tmp-{pid}", **{"x": "nested"})  # an ingest inside a cache build
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        write_output(tmp_path / f".out.tmp-{live.pid}", **{"summary.json": "in progress"})
        assert interrupted_runs(out) == [tmp_path / f".out.tmp-{pid}"]
        with OutputDir(out, owned=OWNED, marker=("summary.json",)) as work:
            write_output(work, **{"summary.json": "new"})
        assert sorted(p.name for p in tmp_path.iterdir()) == [f".out.tmp-{live.pid}", "out"]
    finally:
        live.kill()
        live.wait()
    assert tree(out) == {"summary.json": "new"}


def test_a_swap_cut_between_its_two_renames_is_finished_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    pid = dead_pid()
    write_output(tmp_path / f".out.old-{pid}", **{"summary.json": "old"})
    write_output(tmp_path / f".out.tmp-{pid}", **{"summary.json": "new"})  # complete: the swap had begun
    assert clean_stale(out)
    assert tree(out) == {"summary.json": "new"} and sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # killed after the first rename but with no new folder: the old one comes back
    out2 = tmp_path / "out2"
    write_output(tmp_path / f".out2.old-{pid}", **{"summary.json": "old"})
    clean_stale(out2)
    assert tree(out2) == {"summary.json": "old"}


def test_replace_file_never_leaves_a_half_written_file(tmp_path):
    path = tmp_path / "sub" / "table.csv"
    replace_file(path, lambda tmp: tmp.write_text("v1\n", encoding="utf-8"))

    def failing(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        replace_file(path, failing)
    assert path.read_text(encoding="utf-8") == "v1\n" and sorted(p.name for p in path.parent.iterdir()) == ["table.csv"]
