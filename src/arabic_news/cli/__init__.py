"""The ``arabic-news`` command line.

Each sub-command lives in its own module in this package and exposes ``register(subparsers)``; this
module only assembles them, sets up logging and turns expected errors into one clear line.

Errors (all on stderr, one line ``arabic-news CMD: error: ...``):

* a bad argument (wrong type, out of range, missing file, unwritable --out) is caught by the parser with the
  shared types of :mod:`arabic_news.cli.args`: exit status 2;
* a user error found while running (a bad input file, an unusable output folder, a dataset that is not there,
  a file system error such as permission denied or a full disk): exit status 2; the classes are listed in
  :data:`USER_ERRORS` (plus :class:`OSError`);
* anything else is a bug: one line naming the exception and asking to rerun with ``--debug`` (or with
  ``ARABIC_NEWS_DEBUG=1``), which shows the full traceback; exit status 1. Errors are never swallowed: they
  always end the command with a non-zero status.
"""
from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sys

from arabic_news import __version__
from arabic_news.cli.args import ArgumentParser, stderr_line

logger = logging.getLogger(__name__)

# module name -> sub-command(s) it registers
_COMMAND_MODULES = ("ingest", "data", "actors", "topics", "stance", "report", "scale", "explore")


class CLIError(Exception):
    """An expected failure: reported as one line on stderr, exit status 2."""


#: (module, class) of the exceptions that mean "bad input or environment", not a bug: one line, exit 2.
#: A module is only looked at when it has been imported (an exception cannot come from one that was not).
USER_ERRORS = (
    ("arabic_news.corpus.readers", "IngestError"),
    ("arabic_news.corpus.atomic", "OutputDirError"),
    ("arabic_news.corpus.partitioned", "PartitionedDatasetError"),
    ("arabic_news.corpus.fetch", "FetchError"),
    ("arabic_news.corpus.fetch", "DatasetNotAvailable"),
    ("arabic_news.corpus.decode", "DecodeError"),
    ("arabic_news.actors.gazetteer", "GazetteerError"),
    ("arabic_news.actors.extract", "ArticleFileError"),
    ("arabic_news.actors.ner", "ConllFormatError"),
    ("arabic_news.actors.ner", "ModelFileError"),
    ("arabic_news.stance.data", "StanceDataError"),
    ("arabic_news.stance.claims", "ClaimFileError"),
    ("arabic_news.stance.models", "ModelFileError"),
    ("arabic_news.stance.tone", "LexiconError"),
    ("arabic_news.reports.errors", "ReportError"),
    ("arabic_news.corpus.loading", "CorpusNotFoundError"),
    ("arabic_news.scale.runner", "ScaleRunError"),
    ("arabic_news.text.camel_data", "CamelDataNotFound"),
)


def _user_error_classes() -> tuple[type, ...]:
    classes: list[type] = [CLIError]
    for module, name in USER_ERRORS:
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            classes.append(cls)
    return tuple(classes)


def _os_error_line(exc: OSError) -> str:
    """``PATH: reason; fix`` for a file system error."""
    reason = exc.strerror or str(exc)
    path = exc.filename if exc.filename is not None else None
    fix = {
        "ENOSPC": "free some disk space or write elsewhere",
        "EDQUOT": "free some disk space or write elsewhere",
        "EACCES": "check the permissions or pass another path",
        "EPERM": "check the permissions or pass another path",
        "EROFS": "pass a path on a writable file system",
        "ENOENT": "check the path",
        "ENOTDIR": "check the path: a part of it is a file",
        "EISDIR": "pass a file, not a folder",
        "ELOOP": "check the path: it has a symbolic link loop",
        "ENAMETOOLONG": "pass a shorter path",
    }.get(errno.errorcode.get(exc.errno or 0, ""), "check the path and retry")
    where = f"{path}: " if path is not None else ""
    return f"{where}{reason}; {fix}"


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="arabic-news", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"arabic-news {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-v info, -vv debug)")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of an unexpected error (also: ARABIC_NEWS_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"arabic_news.cli.{name}")
        module.register(sub)
    return parser


def _command_name(args) -> str:
    """``ingest``, ``actors extract``, ... (for the error line's prefix: ``arabic-news CMD: error:``)."""
    command = getattr(args, "command", None) or ""
    sub = getattr(args, f"{command}_command", None)
    return f"{command} {sub}" if sub else command


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a bad argument (already printed as one line)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    prog = f"arabic-news {_command_name(args)}"
    debug = args.debug or os.environ.get("ARABIC_NEWS_DEBUG", "") not in ("", "0")
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        stderr_line(prog, exc)
        return 2
    except KeyboardInterrupt:
        print("arabic-news: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if isinstance(exc, _user_error_classes()):
            stderr_line(prog, exc)
            return 2
        if isinstance(exc, OSError):
            stderr_line(prog, _os_error_line(exc))
            return 2
        if isinstance(exc, MemoryError):
            stderr_line(prog, "out of memory; analyse a sample (see --help) or use `arabic-news scale`")
            return 1
        if debug:
            raise
        stderr_line(prog, f"unexpected error ({type(exc).__name__}: {exc}); this is a bug - rerun with "
                          "--debug (arabic-news --debug ...) to see the traceback, and report it")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
