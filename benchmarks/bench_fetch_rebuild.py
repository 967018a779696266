"""Full-scale check of the network-fetch rebuild, offline: every derived file of every dataset rebuilt from ALL
its upstream originals and verified against the registry (= the mirror's SHA-256).

The originals are staged from the mirror's own unchanged copies (tarball members, the gunzipped linuxscout list,
the SaudiNewsNet zips) into ``<tmp>/<name>/.upstream/``, the directly downloadable files are copied, and then
:func:`arabic_news.corpus.fetch.fetch_dataset` runs without a mirror — it finds every download present and
verified, so it makes no request and only rebuilds. Writes ``benchmarks/results/fetch_rebuild.json``.

    nice -n 10 .venv/bin/python benchmarks/bench_fetch_rebuild.py [MIRROR_DIR]
"""
from __future__ import annotations

import gzip
import json
import shutil
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from arabic_news import config
from arabic_news.corpus.fetch import fetch_dataset, load_registry
from arabic_news.corpus.registry import UPSTREAM_DIR

DATASETS = ("antcorpus", "unifiedfc_stance", "stopwords", "sentiment_lexicons", "actor_gazetteers",
            "seed_format_saudinewsnet")


def stage(mirror: Path, name: str, root: Path) -> None:
    ds = load_registry()[name]
    for f in ds.files:
        if f.url:
            (root / f.path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mirror / name / f.path, root / f.path)
    up = {u.path for u in ds.upstream}
    for f in ds.files:
        if f.derive and f.derive["recipe"] == "tar":
            base = f.derive["src"].removeprefix(UPSTREAM_DIR).strip("/")
            with tarfile.open(mirror / name / f.path) as tar:
                for m in tar:
                    rel = m.name.split("/", 1)[1]
                    repo_path = f"{base}/{rel}" if base else rel
                    assert repo_path in up, repo_path
                    out = root / UPSTREAM_DIR / repo_path
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(tar.extractfile(m).read())
    if name == "stopwords":
        out = root / UPSTREAM_DIR / "releases/latest/csv/stopwordsallforms.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(gzip.decompress((mirror / name / "linuxscout_stopwordsallforms.csv.gz").read_bytes()))
    if name == "seed_format_saudinewsnet":
        shutil.copytree(mirror / "saudinewsnet" / "dataset", root / UPSTREAM_DIR / "dataset")


def main(argv: list[str]) -> int:
    mirror = Path(argv[0]) if argv else config.mirror_dir()
    if mirror is None:
        print("usage: bench_fetch_rebuild.py MIRROR_DIR (or set ARABIC_NEWS_MIRROR)", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in DATASETS:
            stage(mirror, name, Path(tmp) / name)
            t0 = time.perf_counter()
            res = fetch_dataset(name, dest=tmp, use_env_mirror=False)
            secs = time.perf_counter() - t0
            rows.append({"name": name, "seconds": round(secs, 2), "derived": len(res.derived),
                         "content_only": res.derived_content_only, "upstream_verified": res.upstream_present,
                         "requests_needed": res.upstream_fetched + len(res.fetched), "line": res.line()})
            print(f"{name}: {secs:.1f} s; {res.line()}")
    out = Path(__file__).resolve().parent / "results" / "fetch_rebuild.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
