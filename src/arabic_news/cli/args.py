"""Argument types shared by every sub-command: bad values fail at parse time with one line and exit 2.

Each function here is an ``argparse`` ``type=``: it turns the text into a value or raises
:class:`argparse.ArgumentTypeError` with a message that says what was expected and what was given; the parser
(:class:`ArgumentParser`) prints it as one line naming the option::

    arabic-news ingest: error: --rows: expected a whole number of 1 or more, got '-5'

Paths are checked for what the command will do with them (read a file, read a folder, create a folder, write a
file), without creating anything. A folder counts as creatable when the nearest existing folder on its path
accepts a new entry (probed by creating and removing a temporary folder, so the check is also right for root,
read-only mounts and ``/proc``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
import sys
import tempfile
from pathlib import Path

MAX_SEED = 2**32 - 1


class ArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line on stderr (exit status 2), not usage + error.

    The line names the option and the fix, and points at ``--help`` for the full usage.
    """

    def error(self, message: str):  # noqa: D401 - argparse API
        message = _tidy(message)
        hint = f" (see `{self.prog} --help`)" if "--help" not in message else ""
        self.exit(2, f"{self.prog}: error: {message}{hint}\n")


def _tidy(message: str) -> str:
    """argparse's 'argument --rows: ...' -> '--rows: ...'; one line whatever the message holds."""
    message = re.sub(r"^argument ([^:]+): ", r"\1: ", message)
    message = re.sub(r"(?<![\w-])(\w+_)?command(?=:|,|$)", "COMMAND", message)  # the sub-command slot (dest actors_command ...)
    if message.startswith("the following arguments are required:"):
        message = message.replace("the following arguments are required:", "missing required argument(s):")
    return " ".join(message.split())


def _fail(expected: str, text: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")


# ------------------------------------------------------------------------------------------------- numbers
def _int(text: str, expected: str) -> int:
    try:
        return int(text.strip().replace("_", ""))
    except (ValueError, AttributeError):
        raise _fail(expected, text) from None


def positive_int(text: str) -> int:
    """A whole number >= 1 (counts, sizes, workers)."""
    value = _int(text, "a whole number of 1 or more")
    if value < 1:
        raise _fail("a whole number of 1 or more", text)
    return value


def non_negative_int(text: str) -> int:
    """A whole number >= 0 (0 usually meaning 'none' or 'all', as the option's help says)."""
    value = _int(text, "a whole number of 0 or more")
    if value < 0:
        raise _fail("a whole number of 0 or more", text)
    return value


def seed(text: str) -> int:
    """A random seed: a whole number from 0 to 2**32 - 1 (what NumPy accepts)."""
    value = _int(text, f"a seed from 0 to {MAX_SEED}")
    if not 0 <= value <= MAX_SEED:
        raise _fail(f"a seed from 0 to {MAX_SEED}", text)
    return value


def _float(text: str, expected: str) -> float:
    try:
        value = float(text)
    except (ValueError, TypeError):
        raise _fail(expected, text) from None
    if math.isnan(value) or math.isinf(value):
        raise _fail(expected, text)
    return value


def positive_float(text: str) -> float:
    """A finite number > 0."""
    value = _float(text, "a number greater than 0")
    if value <= 0:
        raise _fail("a number greater than 0", text)
    return value


def unit_interval(text: str) -> float:
    """A number from 0 to 1, both included (thresholds, probabilities)."""
    value = _float(text, "a number from 0 to 1")
    if not 0 <= value <= 1:
        raise _fail("a number from 0 to 1", text)
    return value


def open_fraction(text: str) -> float:
    """A share strictly between 0 and 1 (a dev split that leaves something on both sides)."""
    value = _float(text, "a number between 0 and 1 (both excluded)")
    if not 0 < value < 1:
        raise _fail("a number between 0 and 1 (both excluded)", text)
    return value


def half_open_fraction(text: str) -> float:
    """A share from 0 (included) to 1 (excluded)."""
    value = _float(text, "a number from 0 up to (not including) 1")
    if not 0 <= value < 1:
        raise _fail("a number from 0 up to (not including) 1", text)
    return value


def document_frequency(text: str) -> float:
    """A document-frequency bound: a share in (0, 1] or a document count >= 1 (as scikit-learn takes them)."""
    value = _float(text, "a share in (0, 1] or a whole number of documents >= 1")
    if value <= 0 or (value > 1 and not value.is_integer()):
        raise _fail("a share in (0, 1] or a whole number of documents >= 1", text)
    return value


def byte_size(text: str) -> str:
    """A memory size such as ``2GB``, ``512MiB`` or ``1e9`` (returned as given, checked here)."""
    if not re.fullmatch(r"\s*\d+(\.\d+)?(e\d+)?\s*([kKmMgGtT]i?)?[bB]?\s*", text or ""):
        raise _fail("a size such as 2GB or 512MiB", text)
    return text.strip()


# -------------------------------------------------------------------------------------------------- text
def non_empty(text: str) -> str:
    """Any text that is not empty or blank (names, columns, queries)."""
    if not text or not text.strip():
        raise _fail("a non-empty value", text)
    return text.strip()


def iso_date(text: str) -> str:
    """A calendar date written YYYY-MM-DD (returned as given)."""
    try:
        dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise _fail("a date written YYYY-MM-DD", text) from None
    return text.strip()


def comma_list(text: str) -> list[str]:
    """A comma-separated list with at least one non-blank item."""
    items = [t.strip() for t in (text or "").split(",") if t.strip()]
    if not items:
        raise _fail("a comma-separated list of one or more names", text)
    return items


# ------------------------------------------------------------------------------------------------- paths
def _path(text: str) -> Path:
    if not text or not text.strip():
        raise _fail("a path", text)
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"{text!r}: a path cannot hold a NUL character")
    return Path(text).expanduser()


def existing_file(text: str) -> Path:
    """A file that exists and can be read."""
    path = _path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: is a folder; pass a file")
    if not path.is_file():
        what = "no such file" if not os.path.lexists(path) else "not a regular file"
        raise argparse.ArgumentTypeError(f"{text}: {what}; pass an existing file")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"{text}: not readable (permission denied); check its permissions")
    return path


def existing_dir(text: str) -> Path:
    """A folder that exists and can be listed."""
    path = _path(text)
    if path.is_file():
        raise argparse.ArgumentTypeError(f"{text}: is a file; pass a folder")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: no such folder; pass an existing folder")
    if not os.access(path, os.R_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"{text}: cannot be read (permission denied); check its permissions")
    return path


def existing_path(text: str) -> Path:
    """A file or a folder that exists."""
    path = _path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file or folder; pass an existing one")
    return path


def _nearest_existing(path: Path, text: str, *, leaf_is_file: bool = False) -> Path:
    """The nearest existing folder on *path* (itself or an ancestor), after checking that no ancestor is a file.

    *leaf_is_file*: *path* names a file to write, so it may exist as a file; its folder is what is returned.
    """
    probe = Path(os.path.abspath(path))
    candidates = [*probe.parents] if leaf_is_file else [probe, *probe.parents]
    for parent in candidates:
        if os.path.lexists(parent):
            if not parent.is_dir():
                if parent == probe:
                    raise argparse.ArgumentTypeError(f"{text}: is a file, not a folder; pass a folder")
                raise argparse.ArgumentTypeError(f"{text}: {parent} is a file, so nothing can be created "
                                                 "under it; pass another path")
            return parent
    return Path(probe.anchor)


def _writable(folder: Path) -> bool:
    try:
        tempfile.TemporaryDirectory(dir=folder, prefix=".arabic-news-probe-").cleanup()
    except OSError:
        return False
    return True


def writable_dir(text: str) -> Path:
    """An output folder: an existing writable folder, or one that can be created (nothing is created here)."""
    path = _path(text)
    base = _nearest_existing(path, text)
    if not _writable(base):
        where = "it" if base == Path(os.path.abspath(path)) else f"{base}"
        raise argparse.ArgumentTypeError(f"{text}: cannot write in {where} (read-only or permission denied); "
                                         "pass a folder you can write to")
    return path


def writable_file(text: str) -> Path:
    """An output file: not a folder, in a folder that exists and is writable or can be created."""
    path = _path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: is a folder; pass a file name")
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"{text}: ends with a slash; pass a file name")
    if os.path.lexists(path) and not path.is_file():
        raise argparse.ArgumentTypeError(f"{text}: exists and is not a regular file; pass another file name")
    base = _nearest_existing(path, text, leaf_is_file=True)
    if not _writable(base):
        raise argparse.ArgumentTypeError(f"{text}: cannot write in {base} (read-only or permission denied); "
                                         "pass a path you can write to")
    return path


def ingested_corpus(text: str) -> Path:
    """An ingest output: a folder holding a readable ``articles.parquet`` (or that file itself).

    Only the parquet footer is read (schema and row count), so this is cheap on any corpus size.
    """
    path = _path(text)
    parquet = path / "articles.parquet" if path.is_dir() or not path.exists() else path
    if not parquet.is_file():
        what = "no such folder" if not path.exists() else "no ingested corpus here"
        raise argparse.ArgumentTypeError(f"{text}: {what} ({parquet} not found); run "
                                         f"`arabic-news ingest SOURCE --out {text}` first")
    try:
        import pyarrow.parquet as pq

        names = pq.read_schema(parquet).names
    except Exception as exc:  # any pyarrow failure means: not a parquet file we can read
        reason = " ".join(str(exc).split())[:120]
        raise argparse.ArgumentTypeError(f"{parquet}: not a readable parquet file ({reason}); re-run "
                                         "`arabic-news ingest`") from None
    missing = sorted({"doc_id", "body"} - set(names))
    if missing:
        raise argparse.ArgumentTypeError(f"{parquet}: lacks column(s) {', '.join(missing)}, so it is not an "
                                         "ingest output; re-run `arabic-news ingest`")
    return path


def partitioned_dataset(text: str) -> Path:
    """A folder holding a partitioned dataset (``_manifest.json``, written by ``arabic-news scale ingest``).

    Whether it is complete is checked when it is opened (an incomplete one names the command that resumes it).
    """
    path = _path(text)
    if path.is_file():
        raise argparse.ArgumentTypeError(f"{text}: is a file; pass the --out folder of `arabic-news scale ingest`")
    if not (path / "_manifest.json").is_file():
        what = "no such folder" if not path.exists() else "no partitioned dataset here"
        raise argparse.ArgumentTypeError(f"{text}: {what} ({path / '_manifest.json'} not found); run "
                                         f"`arabic-news scale ingest SOURCE --out {text}` first")
    return path


def stderr_line(prog: str, message: str) -> None:
    """Print ``PROG: error: MESSAGE`` as one line on stderr."""
    print(f"{prog}: error: {' '.join(str(message).split())}", file=sys.stderr)
