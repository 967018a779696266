"""`arabic-news data list` and `arabic-news data fetch NAME`: public datasets by pinned URL and checksum."""
from __future__ import annotations

import json
import logging

from arabic_news.cli import CLIError
from arabic_news.cli import args as A

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
                                    "SHA-256 verified), rebuilding the files the mirror derived from their "
                                    "downloaded upstream originals, or copy it from a local mirror.")
    pf.add_argument("name", metavar="NAME", type=A.non_empty, help="dataset name (see `arabic-news data list`)")
    pf.add_argument("--mirror", metavar="DIR", type=A.existing_dir,
                    help="copy from this local mirror (holding NAME/...) instead of downloading "
                         "(default: $ARABIC_NEWS_MIRROR when set)")
    pf.add_argument("--dest", metavar="DIR", type=A.writable_dir, help="destination root (default: data/raw)")
    pf.add_argument("--force", action="store_true", help="fetch again even when verified files are present")
    pf.add_argument("--retries", type=A.non_negative_int, default=4, help="retries per file (default 4)")
    pf.add_argument("--workers", type=A.positive_int, default=6, help="concurrent downloads (default 6)")
    pf.add_argument("--json", action="store_true", help="print the result as JSON (last line of stdout)")
    pf.set_defaults(func=run_fetch)


def run_list(args) -> int:
    from arabic_news.corpus import list_datasets

    rows = list_datasets()
    width = max(len(r["name"]) for r in rows)
    print(f"{'name':<{width}}  files  mirror-only  size_MB  local copy")
    for r in rows:
        print(f"{r['name']:<{width}}  {r['files']:>5}  {r['mirror_only']:>11}  {r['size_mb']:>7}  {r['local'] or '-'}")
        print(f"{'':<{width}}  licence: {r['license'] or 'not stated'}")
        if r["rebuilt_locally"]:
            if r["upstream_files"]:
                src = f"from {r['upstream_files']:,} upstream originals, {r['upstream_mb']} MB"
                if r["archive"]:
                    src += ", via the repository archive"
            else:
                src = "from the files downloaded with it"
            rebuilt = r["rebuilt_locally"]
            shown = ", ".join(rebuilt[:3]) + (f" and {len(rebuilt) - 3} more" if len(rebuilt) > 3 else "")
            print(f"{'':<{width}}  rebuilt locally without a mirror ({src}): {shown}")
        if r["mirror_only_not_rebuilt"]:
            skipped = r["mirror_only_not_rebuilt"]
            shown = ", ".join(skipped[:3]) + (f" and {len(skipped) - 3} more" if len(skipped) > 3 else "")
            print(f"{'':<{width}}  only with --mirror: {shown}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    return 0


def run_fetch(args) -> int:
    from arabic_news.corpus import FetchError, fetch_dataset

    try:
        if args.workers < 1:
            raise CLIError(f"--workers {args.workers}: must be at least 1")
        result = fetch_dataset(args.name, dest=args.dest, mirror=args.mirror, force=args.force, retries=args.retries,
                               workers=args.workers)
    except FetchError as exc:
        raise CLIError(str(exc)) from exc
    print(result.line())
    if args.json:
        print(json.dumps({"name": result.name, "dest": str(result.dest), "method": result.method,
                          "fetched": result.fetched, "resumed": result.resumed, "present": result.present,
                          "skipped_mirror_only": result.skipped_mirror_only, "bytes": result.bytes,
                          "derived": result.derived, "derived_content_only": result.derived_content_only,
                          "upstream_fetched": result.upstream_fetched,
                          "upstream_from_archive": result.upstream_from_archive,
                          "upstream_present": result.upstream_present}))
    return 0
