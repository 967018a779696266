"""Every sub-command, fed bad arguments: one line naming the problem and the fix, exit status 2, no traceback.

The table runs the real CLI in-process (``main(argv)``, stderr captured); a few rows also run as a real
subprocess (``python -m arabic_news.cli``). Placeholders in the argv: ``{corpus}`` a small ingested corpus,
``{src}`` a seed-layout folder, ``{file}`` a regular text file, ``{dir}`` an empty folder, ``{foreign}`` a folder
holding unrelated files, ``{garbage}`` a folder whose articles.parquet is not parquet, ``{missing}`` a path that
does not exist, ``{out}`` a fresh output path. The tests run as root, so "unwritable" means a path under a
regular file or under /proc, not a chmod.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from arabic_news.cli import build_parser, main

PROC = "/proc/arabic-news-test/out"

CASES = [
    # ---- top level
    ([], "missing required argument(s): COMMAND"),
    (["bogus"], "COMMAND: invalid choice: 'bogus'"),
    (["--verbose=x", "data", "list"], "--verbose"),
    # ---- explore
    (["explore", "index", "{missing}"], "{missing}"),
    (["explore", "kwic", "{corpus}", ""], "empty query"),
    (["explore", "kwic", "{missing}", "وزير"], "{missing}"),
    (["explore", "kwic", "{corpus}", "وزير", "--window", "-1"], "--window"),
    (["explore", "keyness", "{corpus}", "--by", "colour", "--target", "x"], "unknown column 'colour'"),
    (["explore", "collocations", "{corpus}", "في"], "only stop words or punctuation"),
    (["explore", "trend", "{corpus}", ""], "empty query"),
    (["explore", "dictionary", "{corpus}", "{missing}"], "{missing}"),
    # ---- ingest
    (["ingest", "{missing}", "--out", "{out}"], "SOURCE: {missing}: no such file or folder"),
    (["ingest", "{src}"], "missing required argument(s): --out"),
    (["ingest", "{src}", "--out", "{file}"], "--out: {file}: is a file, not a folder"),
    (["ingest", "{src}", "--out", "{file}/sub"], "{file} is a file, so nothing can be created under it"),
    (["ingest", "{src}", "--out", PROC], "cannot write in /proc"),
    (["ingest", "{src}", "--out", ""], "--out: expected a path, got ''"),
    (["ingest", "{src}", "--out", "{foreign}"], "already holds other files (notes.txt) and no earlier ingest output"),
    (["ingest", "{src}", "--out", "{out}", "--rows", "-5"], "--rows: expected a whole number of 1 or more, got '-5'"),
    (["ingest", "{src}", "--out", "{out}", "--rows", "x"], "--rows: expected a whole number of 1 or more, got 'x'"),
    (["ingest", "{src}", "--out", "{out}", "--rows", "5"], "--rows 5 applies to --partition-by only"),
    (["ingest", "{src}", "--out", "{out}", "--near-duplicate-threshold", "5"],
     "--near-duplicate-threshold: expected a number from 0 to 1, got '5'"),
    (["ingest", "{src}", "--out", "{out}", "--near-duplicate-threshold", "nan"],
     "--near-duplicate-threshold: expected a number from 0 to 1, got 'nan'"),
    (["ingest", "{src}", "--out", "{out}", "--jobs", "0"], "--jobs: expected a whole number of 1 or more, got '0'"),
    (["ingest", "{src}", "--out", "{out}", "--metadata", "{missing}"], "--metadata: {missing}: no such file"),
    (["ingest", "{src}", "--out", "{out}", "--metadata", "{dir}"], "--metadata: {dir}: is a folder; pass a file"),
    (["ingest", "{src}", "--out", "{out}", "--format", "word"], "--format: invalid choice: 'word'"),
    (["ingest", "{src}", "--out", "{out}", "--text-column", " "], "--text-column: expected a non-empty value"),
    (["ingest", "{src}", "--out", "{out}", "--partition-by", "week"], "--partition-by: invalid choice: 'week'"),
    (["ingest", "{src}", "--out", "{out}", "--bogus"], "unrecognized arguments: --bogus"),
    # ---- data
    (["data"], "missing required argument(s): COMMAND"),
    (["data", "list", "--bogus"], "unrecognized arguments: --bogus"),
    (["data", "fetch", "no_such_dataset"], "unknown dataset 'no_such_dataset'"),
    (["data", "fetch", ""], "NAME: expected a non-empty value"),
    (["data", "fetch", "saudinewsnet", "--workers", "0"], "--workers: expected a whole number of 1 or more"),
    (["data", "fetch", "saudinewsnet", "--retries", "-1"], "--retries: expected a whole number of 0 or more"),
    (["data", "fetch", "saudinewsnet", "--mirror", "{missing}"], "--mirror: {missing}: no such folder"),
    (["data", "fetch", "saudinewsnet", "--mirror", "{file}"], "--mirror: {file}: is a file; pass a folder"),
    (["data", "fetch", "saudinewsnet", "--dest", "{file}/x"], "{file} is a file, so nothing can be created"),
    # ---- actors
    (["actors"], "missing required argument(s): COMMAND"),
    (["actors", "extract", "{missing}", "--out", "{out}"], "articles.parquet not found); run `arabic-news ingest"),
    (["actors", "extract", "{dir}", "--out", "{out}"], "{dir}: no ingested corpus here"),
    (["actors", "extract", "{garbage}", "--out", "{out}"], "articles.parquet: not a readable parquet file"),
    (["actors", "extract", "{corpus}", "--out", "{file}"], "--out: {file}: is a file, not a folder"),
    (["actors", "extract", "{corpus}", "--out", PROC], "cannot write in /proc"),
    (["actors", "extract", "{corpus}", "--out", "{foreign}"], "no earlier actors output; pass a new or empty folder"),
    (["actors", "extract", "{corpus}", "--out", "{out}", "--jobs", "-2"], "--jobs: expected a whole number of 1"),
    (["actors", "extract", "{corpus}", "--out", "{out}", "--min-edge-count", "0"], "--min-edge-count: expected"),
    (["actors", "extract", "{corpus}", "--out", "{out}", "--by", "year"], "--by: invalid choice: 'year'"),
    (["actors", "extract", "{corpus}", "--out", "{out}", "--gazetteer", "{missing}"],
     "--gazetteer: {missing}: no such file or folder"),
    (["actors", "show", "{missing}"], "article_file: {missing}: no such file"),
    (["actors", "show", "{dir}"], "article_file: {dir}: is a folder; pass a file"),
    (["actors", "show", "{file}", "--date", "2020-13-45"], "--date: expected a date written YYYY-MM-DD"),
    (["actors", "show", "{file}", "--date", ""], "--date: expected a date written YYYY-MM-DD"),
    (["actors", "train-ner", "--data", "{missing}"], "--data: {missing}: no such file"),
    (["actors", "train-ner", "--dev-fraction", "1"], "--dev-fraction: expected a number from 0 up to (not including) 1"),
    (["actors", "train-ner", "--dev-fraction", "-0.1"], "--dev-fraction: expected a number from 0 up to"),
    (["actors", "train-ner", "--max-iterations", "0"], "--max-iterations: expected a whole number of 1 or more"),
    (["actors", "train-ner", "--seed", "-1"], "--seed: expected a seed from 0 to 4294967295"),
    (["actors", "train-ner", "--model", "{dir}"], "--model: {dir}: is a folder; pass a file name"),
    (["actors", "train-ner", "--features", "nope"], "--features: unknown group(s) nope"),
    (["actors", "train-ner", "--features", ""], "--features: expected a non-empty value"),
    (["actors", "eval-ner", "--data", "{missing}"], "--data: {missing}: no such file"),
    (["actors", "eval-ner", "--data", "{dir}"], "--data: {dir}: is a folder"),
    (["actors", "eval-ner", "--data", "{conll}", "--model", "{missing}"], "--model: {missing}: no such file"),
    pytest.param(["actors", "eval-ner", "--data", "{conll}", "--model", "{file}"], "{file}",
                 id="eval-ner-text-model"),
    (["actors", "discover", "{missing}"], "articles.parquet not found"),
    (["actors", "discover", "{corpus}", "--model", "{missing}"], "--model: {missing}: no such file"),
    pytest.param(["actors", "discover", "{corpus}", "--model", "{file}"], "{file}",
                 id="discover-text-model"),
    (["actors", "discover", "{corpus}", "--min-count", "0"], "--min-count: expected a whole number of 1 or more"),
    (["actors", "discover", "{corpus}", "--limit", "-1"], "--limit: expected a whole number of 1 or more"),
    (["actors", "discover", "{corpus}", "--top", "-1"], "--top: expected a whole number of 0 or more"),
    (["actors", "discover", "{corpus}", "--out", "{dir}"], "--out: {dir}: is a folder; pass a file name"),
    (["actors", "discover", "{corpus}", "--out", "{file}/c.csv"], "{file} is a file, so nothing can be created"),
    # ---- topics
    (["topics"], "missing required argument(s): COMMAND"),
    (["topics", "fit", "{missing}", "--out", "{out}"], "articles.parquet not found"),
    (["topics", "fit", "{garbage}", "--out", "{out}"], "not a readable parquet file"),
    (["topics", "fit", "{corpus}", "--out", "{file}"], "--out: {file}: is a file, not a folder"),
    (["topics", "fit", "{corpus}", "--out", "{file}/sub"], "{file} is a file, so nothing can be created"),
    (["topics", "fit", "{corpus}", "--out", PROC], "cannot write in /proc"),
    (["topics", "fit", "{corpus}", "--out", "{foreign}"], "no earlier topics output; pass a new or empty folder"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--k", "0"], "--k: expected a whole number of 1 or more"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--k", "-3"], "--k: expected a whole number of 1 or more"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--min-df", "0"], "--min-df: expected a share in (0, 1]"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--max-df", "1.5"], "--max-df: expected a share in (0, 1]"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--max-features", "0"], "--max-features: expected"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--seed", "-1"], "--seed: expected a seed"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--model", "bert"], "--model: invalid choice: 'bert'"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--seed-words", "{missing}"], "--seed-words: {missing}"),
    (["topics", "fit", "{corpus}", "--out", "{out}", "--embedding-cache", "{file}"], "--embedding-cache: {file}"),
    (["topics", "eval", "{corpus}", "--label-column", ""], "--label-column: expected a non-empty value"),
    (["topics", "eval", "{corpus}", "--label-column", "section"], "has no column 'section'"),
    (["topics", "eval", "{dir}"], "no ingested corpus here"),
    # ---- stance
    (["stance"], "missing required argument(s): COMMAND"),
    (["stance", "split", "--task", "nope", "--data", "{file}", "--out-dir", "{out}"], "--task: invalid choice"),
    (["stance", "split", "--task", "target", "--data", "{missing}", "--out-dir", "{out}"], "--data: {missing}"),
    (["stance", "split", "--task", "target", "--data", "{file}", "--out-dir", "{file}"], "--out-dir: {file}: is a file"),
    (["stance", "split", "--task", "target", "--data", "{file}", "--out-dir", "{out}", "--dev-fraction", "1"],
     "--dev-fraction: expected a number between 0 and 1 (both excluded)"),
    (["stance", "train", "--task", "target", "--data", "{missing}", "--out", "{out}/m.pkl"], "--data: {missing}"),
    (["stance", "train", "--task", "target", "--data", "{file}", "--out", "{dir}"], "--out: {dir}: is a folder"),
    (["stance", "train", "--task", "target", "--data", "{file}", "--out", "{file}/m.pkl"], "{file} is a file, so nothing can be created"),
    (["stance", "train", "--task", "target", "--data", "{file}", "--out", "{out}/m.pkl", "--C", "0"],
     "--C: expected a number greater than 0"),
    (["stance", "train", "--task", "target", "--data", "{file}", "--out", "{out}/m.pkl", "--max-rows", "0"],
     "--max-rows: expected a whole number of 1 or more"),
    (["stance", "train", "--task", "target", "--data", "{file}", "--out", "{out}/m.pkl", "--classifier", "bert"],
     "--classifier: invalid choice"),
    (["stance", "eval", "--task", "target", "--model", "{missing}", "--data", "{file}"], "no such model file"),
    (["stance", "eval", "--task", "target", "--model", "{file}", "--data", "{missing}"], "--data: {missing}"),
    (["stance", "eval", "--task", "target", "--model", "{file}", "--data", "{file}", "--n-resamples", "-1"],
     "--n-resamples: expected a whole number of 0 or more"),
    (["stance", "eval", "--task", "target", "--model", "{file}", "--data", "{file}", "--predictions", "{dir}"],
     "--predictions: {dir}: is a folder"),
    (["stance", "track", "{missing}", "--claims", "{file}", "--model", "{file}", "--out", "{out}"],
     "articles.parquet not found"),
    (["stance", "track", "{corpus}", "--claims", "{missing}", "--model", "{file}", "--out", "{out}"],
     "--claims: {missing}: no such file"),
    (["stance", "track", "{corpus}", "--claims", "{file}", "--model", "{file}", "--out", "{file}"],
     "--out: {file}: is a file"),
    (["stance", "track", "{corpus}", "--claims", "{file}", "--model", "{file}", "--out", "{out}"],
     "{file}: claims must be a YAML (.yaml/.yml), CSV (.csv) or JSON Lines (.jsonl) file"),
    (["stance", "track", "{corpus}", "--claims", "{badjsonl}", "--model", "{file}", "--out", "{out}"],
     "{badjsonl}: line 2 is not valid JSON"),
    (["stance", "track", "{corpus}", "--claims", "{claimsjsonl}", "--model", "{file}", "--out", "{out}"],
     "{file} is not a usable arabic-news stance model"),
    (["stance", "track", "{corpus}", "--claims", "{claimsjsonl}", "--model", "{file}", "--out", "{out}",
      "--precision", "1.5"], "--precision: expected a number"),
    (["stance", "track", "{corpus}", "--claims", "{claimsjsonl}", "--model", "{file}", "--out", "{out}",
      "--min-support", "0"], "--min-support: expected a whole number of 1 or more"),
    (["stance", "track", "{corpus}", "--claims", "{claimsjsonl}", "--model", "{file}", "--out", "{out}",
      "--recall", "0"], "--recall: expected a number"),
    (["stance", "track", "{corpus}", "--claims", "{claimsjsonl}", "--model", "{file}", "--out", "{out}",
      "--max-per-claim", "0"], "--max-per-claim: expected a whole number of 1 or more"),
    (["stance", "track", "{corpus}", "--claims", "{claimsjsonl}", "--model", "{file}", "--out", "{out}",
      "--calibration-data", "{missing}"], "--calibration-data: {missing}: no such file"),
    (["stance", "tone", "{missing}", "--out", "{out}"], "articles.parquet not found"),
    (["stance", "tone", "{corpus}", "--out", PROC], "cannot write in /proc"),
    (["stance", "tone", "{corpus}", "--out", "{out}", "--mentions", "{missing}"], "--mentions: {missing}"),
    (["stance", "tone", "{corpus}", "--out", "{out}", "--mentions", "{garbage}/articles.parquet"],
     "cannot read it as a parquet table"),
    # ---- report
    (["report", "", "--out", "{out}"], "CORPUS_DIR_OR_SOURCE: expected a non-empty value"),
    (["report", "no_such_dataset", "--out", "{out}"], "neither an existing file/folder nor a registered dataset"),
    (["report", "{corpus}", "--out", "{file}"], "--out: {file}: is a file, not a folder"),
    (["report", "{corpus}", "--out", PROC], "cannot write in /proc"),
    (["report", "{corpus}", "--out", "{out}", "--sample", "-1"], "--sample: expected a whole number of 0 or more"),
    (["report", "{corpus}", "--out", "{out}", "--sample", "ten"], "--sample: expected a whole number of 0 or more"),
    (["report", "{corpus}", "--out", "{out}", "--k", "0"], "--k/--topics: expected a whole number of 1 or more"),
    (["report", "{corpus}", "--out", "{out}", "--cell-timeout", "0"], "--cell-timeout: expected a whole number"),
    (["report", "{corpus}", "--out", "{out}", "--seed", "x"], "--seed: expected a seed"),
    (["report", "{corpus}", "--out", "{out}", "--notebooks", ","], "--notebooks: expected a comma-separated list"),
    (["report", "{corpus}", "--out", "{out}", "--notebooks", "99"], "no notebook starts with 99"),
    # ---- scale
    (["scale"], "missing required argument(s): COMMAND"),
    (["scale", "ingest", "{missing}", "--out", "{out}"], "SOURCE: {missing}: no such file or folder"),
    (["scale", "ingest", "{corpus}", "--out", "{file}"], "--out: {file}: is a file, not a folder"),
    (["scale", "ingest", "{corpus}", "--out", PROC], "cannot write in /proc"),
    (["scale", "ingest", "{corpus}", "--out", "{out}", "--rows", "0"], "--rows: expected a whole number of 1"),
    (["scale", "ingest", "{corpus}", "--out", "{out}", "--partition-by", "week"], "--partition-by: invalid choice"),
    (["scale", "ingest", "{corpus}", "--out", "{out}", "--format", "pdf"], "--format: invalid choice: 'pdf'"),
    (["scale", "run", "{missing}", "--out", "{out}"], "DATASET_DIR: {missing}: no such folder"),
    (["scale", "run", "{file}", "--out", "{out}"], "DATASET_DIR: {file}: is a file; pass the --out folder of"),
    (["scale", "run", "{dir}", "--out", "{out}"], "no partitioned dataset here ({dir}/_manifest.json not found); "
                                                  "run `arabic-news scale ingest SOURCE --out {dir}` first"),
    (["scale", "run", "{ds}", "--out", "{out}"], "incomplete partitioned dataset (0 partitions, 0 articles"),
    (["scale", "run", "{ds}", "--out", "{file}"], "--out: {file}: is a file, not a folder"),
    (["scale", "run", "{ds}", "--out", "{out}", "--stages", ","], "--stages: expected a comma-separated list"),
    (["scale", "run", "{ds}", "--out", "{out}", "--stages", "normalize,dance"], "unknown stage(s) dance"),
    (["scale", "run", "{ds}", "--out", "{out}", "--workers", "0"], "--workers: expected a whole number of 1"),
    (["scale", "run", "{ds}", "--out", "{out}", "--memory-limit", "lots"], "--memory-limit: expected a size"),
    (["scale", "run", "{ds}", "--out", "{out}", "--k", "0"], "--k: expected a whole number of 1 or more"),
    (["scale", "run", "{ds}", "--out", "{out}", "--passes", "0"], "--passes: expected a whole number of 1"),
    (["scale", "run", "{ds}", "--out", "{out}", "--sample-size", "-5"], "--sample-size: expected a whole number"),
    (["scale", "run", "{ds}", "--out", "{out}", "--seed", "-1"], "--seed: expected a seed"),
    (["scale", "run", "{ds}", "--out", "{out}", "--topic-mode", "all"], "--topic-mode: invalid choice"),
]


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    from arabic_news.corpus import ingest

    root = tmp_path_factory.mktemp("bad_args")
    src = root / "src"
    src.mkdir()
    for i, (title, body) in enumerate([("قمة في الرياض", "اجتمع القادة العرب في الرياض وبحثوا الأمن الإقليمي."),
                                       ("النفط يرتفع", "ارتفعت أسعار النفط اليوم بعد قرار أوبك خفض الإنتاج."),
                                       ("الهلال بطلا", "فاز الهلال بلقب الدوري السعودي بعد مباراة صعبة.")]):
        (src / f"{i}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    corpus = root / "corpus"
    ingest(src, corpus, n_jobs=1, progress=False)
    a_file = root / "plain.txt"
    a_file.write_text("just some text\n", encoding="utf-8")
    conll = root / "tiny.conll"
    conll.write_text("الرياض\tB-LOC\n\n", encoding="utf-8")
    empty = root / "empty"
    empty.mkdir()
    foreign = root / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    garbage = root / "garbage"
    garbage.mkdir()
    (garbage / "articles.parquet").write_bytes(b"PAR1 this is not parquet at all PAR1")
    from arabic_news.corpus.partitioned import PartitionedWriter

    ds = root / "ds"
    PartitionedWriter(ds, partition_by="rows", rows=2, source=str(corpus))  # an interrupted dataset: no partition yet
    badjsonl = root / "claims_bad.jsonl"
    badjsonl.write_text('{"id": "a", "claim": "إيران توقع الاتفاق"}\n{"id": "b", "claim": \n', encoding="utf-8")
    claimsjsonl = root / "claims.jsonl"
    claimsjsonl.write_text('{"id": "a", "claim": "إيران توقع الاتفاق"}\n', encoding="utf-8")
    return {"badjsonl": badjsonl, "claimsjsonl": claimsjsonl, "corpus": corpus, "ds": ds, "src": src, "file": a_file, "conll": conll, "dir": empty, "foreign": foreign,
            "garbage": garbage, "missing": root / "does-not-exist", "root": root}


def fill(argv: list[str], places: dict, out: Path) -> list[str]:
    values = {k: str(v) for k, v in places.items()}
    values["out"] = str(out)
    return [a.format(**values) for a in argv]


def _id(case) -> str:
    argv = case[0]
    return " ".join(argv[:4]) + (f" .. {argv[-2]} {argv[-1]}" if len(argv) > 4 else "") or "(none)"


@pytest.mark.parametrize("argv, expected", CASES, ids=[None if hasattr(c, "marks") else _id(c) for c in CASES])
def test_bad_arguments_give_one_line_and_exit_2(argv, expected, places, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ARABIC_NEWS_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    argv = fill(argv, places, tmp_path / "out")
    before = sorted(p.name for p in places["foreign"].iterdir())
    rc = main(argv)
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert rc == 2, captured.err
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    assert lines[0].startswith("arabic-news"), lines[0]
    assert ": error: " in lines[0]
    assert expected.format(**{k: str(v) for k, v in places.items()}) in lines[0]
    # a refused run leaves nothing behind: no output folder, no temporary sibling, the foreign folder untouched
    out = tmp_path / "out"
    assert not out.exists() or (out.is_dir() and not any(out.iterdir()))  # `report` makes the folder first
    assert not list(tmp_path.glob(".out.*")) and not list(places["root"].glob(".foreign.*"))
    assert sorted(p.name for p in places["foreign"].iterdir()) == before


def test_every_sub_command_is_in_the_table():
    parser = build_parser()
    commands = set()
    for action in parser._subparsers._group_actions:  # the sub-command registry argparse keeps
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
            if nested:
                commands |= {f"{name} {n}" for n in nested[0].choices}
            else:
                commands.add(name)
    covered = set()
    for case in CASES:
        argv = case.values[0] if hasattr(case, "marks") else case[0]
        if argv and argv[0] in {"data", "actors", "topics", "stance", "scale", "explore"} and len(argv) > 1:
            covered.add(f"{argv[0]} {argv[1]}")
        elif argv:
            covered.add(argv[0])
    assert commands - covered == set()
    assert len(commands) >= 18


@pytest.mark.parametrize("argv, expected", [
    (["ingest", "{src}", "--out", "{out}", "--rows", "-5"],
     "arabic-news ingest: error: --rows: expected a whole number of 1 or more, got '-5'"),
    (["topics", "fit", "{corpus}", "--out", "{file}/sub"], "is a file, so nothing can be created under it"),
    (["report", "{corpus}", "--out", "{out}", "--sample", "-1"], "--sample: expected a whole number of 0 or more"),
    (["scale", "run", "{dir}", "--out", "{out}"], "no partitioned dataset here"),
    (["ingest", "{src}", "--out", "{foreign}"], "already holds other files"),
])
def test_console_entry_point_gives_one_line_and_exit_2(argv, expected, places, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    env.pop("ARABIC_NEWS_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "arabic_news.cli", *fill(argv, places, tmp_path / "out")],
                          capture_output=True, text=True, timeout=300, env=env)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert expected.format(**{k: str(v) for k, v in places.items()}) in lines[0]
    assert "Traceback" not in proc.stderr


def test_an_unexpected_error_is_one_line_exit_1_and_debug_shows_the_traceback(places, tmp_path, capsys, monkeypatch):
    """A bug is not dressed up as a user error: exit 1, the exception named, --debug for the traceback."""
    import arabic_news.cli.topics as topics_cli

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(topics_cli, "_fit", broken)
    argv = ["topics", "fit", str(places["corpus"]), "--out", str(tmp_path / "t")]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["arabic-news topics fit: error: unexpected error (ZeroDivisionError: division by zero); this is "
                   "a bug - rerun with --debug (arabic-news --debug ...) to see the traceback, and report it"]
    with pytest.raises(ZeroDivisionError):
        main(["--debug", *argv])
    assert not (tmp_path / "t").exists() and not list(tmp_path.glob(".t.*"))


def test_file_system_errors_while_running_are_one_line_exit_2(places, tmp_path, capsys, monkeypatch):
    import arabic_news.cli.topics as topics_cli

    def full_disk(args):
        raise OSError(28, "No space left on device", str(tmp_path / "t" / "model.pkl"))

    monkeypatch.setattr(topics_cli, "_fit", full_disk)
    assert main(["topics", "fit", str(places["corpus"]), "--out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"arabic-news topics fit: error: {tmp_path / 't' / 'model.pkl'}: No space left on device; free "
                   "some disk space or write elsewhere"]
