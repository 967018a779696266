"""The ``arabic-news`` command line.

Each sub-command lives in its own module in this package and exposes ``register(subparsers)``; this
module only assembles them, sets up logging and turns expected errors into one clear line.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from arabic_news import __version__

logger = logging.getLogger(__name__)

# module name -> sub-command(s) it registers
_COMMAND_MODULES = ("ingest", "data", "actors", "topics", "stance", "report", "scale", "explore")


class CLIError(Exception):
    """An expected failure: reported as one line on stderr, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arabic-news", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"arabic-news {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-v info, -vv debug)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"arabic_news.cli.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"arabic-news {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("arabic-news: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
