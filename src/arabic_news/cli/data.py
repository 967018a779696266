"""`arabic-news data list` and `arabic-news data fetch NAME`: public datasets by pinned URL and checksum."""
from __future__ import annotations

import json
import logging

from arabic_news.cli import CLIError

logger = logging.getLogger(__name__)


def register(subparsers) -> None:
    """Add the `data` sub-command (with `list` and `fetch`) to *subparsers*."""
    p = subparsers.add_parser("data", help="list and fetch the public datasets",
                              description="Public datasets: pinned-commit URLs with SHA-256 checks, or a local mirror.")
    sub = p.add_subparsers(dest="data_command", required=True)

    pl = sub.add_parser("list", help="list the registered datasets and where they are available locally")
    pl.add_argument("--json", action="store_true", help="print JSON (last line of stdout)")
    pl.set_defaults(func=run_list)

    pf = sub.add_parser("fetch", help="download (or copy from a mirror) a dataset into data/raw/NAME/",
                        description="Download NAME from its pinned URLs into data/raw/NAME/ (resumable, "
                                    "SHA-256 verified), or copy it from a local mirror.")
    pf.add_argument("name", metavar="NAME", help="dataset name (see `arabic-news data list`)")
    pf.add_argument("--mirror", metavar="DIR",
                    help="copy from this local mirror (holding NAME/...) instead of downloading "
                         "(default: $ARABIC_NEWS_MIRROR when set)")
    pf.add_argument("--dest", metavar="DIR", help="destination root (default: data/raw)")
    pf.add_argument("--force", action="store_true", help="fetch again even when verified files are present")
    pf.add_argument("--retries", type=int, default=4, help="retries per file (default 4)")
    pf.add_argument("--json", action="store_true", help="print the result as JSON (last line of stdout)")
    pf.set_defaults(func=run_fetch)


def run_list(args) -> int:
    from arabic_news.corpus import list_datasets

    rows = list_datasets()
    width = max(len(r["name"]) for r in rows)
    print(f"{'name':<{width}}  files  mirror-only  size_MB  local copy")
    for r in rows:
        print(f"{r['name']:<{width}}  {r['files']:>5}  {r['mirror_only']:>11}  {r['size_mb']:>7}  {r['local'] or '-'}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    return 0


def run_fetch(args) -> int:
    from arabic_news.corpus import FetchError, fetch_dataset

    try:
        result = fetch_dataset(args.name, dest=args.dest, mirror=args.mirror, force=args.force, retries=args.retries)
    except FetchError as exc:
        raise CLIError(str(exc)) from exc
    print(result.line())
    if args.json:
        print(json.dumps({"name": result.name, "dest": str(result.dest), "method": result.method,
                          "fetched": result.fetched, "resumed": result.resumed, "present": result.present,
                          "skipped_mirror_only": result.skipped_mirror_only, "bytes": result.bytes}))
    return 0
