"""The registry of public datasets: per file, a pinned-commit URL, its SHA-256 and size.

The registry itself is data: ``arabic_news/resources/datasets.json.gz`` (shipped with the package). It is
generated from the mirror by :func:`build_manifest` using :data:`SOURCES` below, which says where each mirror
file comes from:

* files the mirror copied **unchanged** from a GitHub repository get
  ``https://raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>``; their SHA-256 and size are those of
  the mirror copy, so a download is verified against exactly what the mirror holds;
* files the mirror **derived or packed itself** (e.g. ``ant_corpus_v1.1.jsonl.gz`` derived from 10,161
  per-article files, ``antcorpus_v1.1_original.tar.gz`` packing them, gzip-recompressed lists, the 2,000-file
  seed-layout sample, every ``PROVENANCE.md``) have ``url: null`` and ``mirror_only: true`` (no URL of their
  own). Where the mirror *derived or packed* a file from downloadable originals, the entry also has ``derive``
  (a recipe of :mod:`arabic_news.corpus.derive` plus the parameters that reproduce the mirror's bytes) and, for
  ``.gz`` files, ``content_sha256`` (SHA-256 of the decompressed bytes); the dataset then lists its originals
  under ``upstream`` (repo path, size, SHA-256 computed from the mirror's unchanged copies in its tarballs or
  ``.gz``, pinned raw URL) with ``upstream_repo``/``upstream_commit`` and, for the 10k-file ANT repository,
  ``archive`` (GitHub's tarball of the repo at the commit). A network fetch downloads the originals and rebuilds
  the derived files; only files with neither a URL nor a recipe (``PROVENANCE.md``, the seed-layout sample)
  are skipped without a mirror.

Regenerate after the mirror changes (maintainers only)::

    python -m arabic_news.corpus.registry ../shared/corpora
"""
from __future__ import annotations

import fnmatch
import hashlib
import gzip
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from arabic_news import config

logger = logging.getLogger(__name__)

MANIFEST_PATH = config.RESOURCES_DIR / "datasets.json.gz"  # gzip (mtime 0): 10k+ file entries
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
ARCHIVE_URL = "https://codeload.github.com/{repo}/tar.gz/{commit}"
#: where a network fetch keeps the downloaded upstream originals, inside ``data/raw/<name>/``
UPSTREAM_DIR = ".upstream"


@dataclass(frozen=True)
class Origin:
    """A GitHub repository pinned at a commit."""

    repo: str
    commit: str


@dataclass(frozen=True)
class Rule:
    """Mirror files matching ``pattern`` come from ``origin`` at ``template`` (None = mirror-only).

    ``template`` may use ``{rel}`` (the mirror-relative path) and ``{name}`` (the file name).
    """

    pattern: str
    origin: Origin | None = None
    template: str | None = None
    note: str = ""
    #: for a file the mirror derived: ``{"recipe": <arabic_news.corpus.derive recipe>, "src": <folder relative to
    #: the dataset root holding the originals>, **params}``; a network fetch rebuilds the file with it.
    derive: dict | None = None


@dataclass(frozen=True)
class Upstream:
    """Original files of a dataset the mirror only holds packed or derived, listed from the mirror.

    ``origin``/``base``: the repository and the folder in it holding the originals; ``tarball`` (a mirror file
    whose members, minus their first path component, are the originals under ``base``) or ``gz`` (a mirror
    ``.gz`` that is one original, ``path`` in the repo, compressed). ``archive``: also register GitHub's archive of
    the repository at the commit (one download instead of thousands; see :mod:`arabic_news.corpus.fetch`).
    """

    origin: Origin
    base: str = ""
    tarball: str | None = None
    gz: str | None = None
    path: str | None = None
    archive: bool = False
    #: or: a glob of mirror files (relative to the mirror root, e.g. another dataset's files) that are the
    #: originals unchanged; their repo path is the part after ``copies_root``
    copies: str | None = None
    copies_root: str = ""


@dataclass(frozen=True)
class Source:
    description: str
    license: str
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    upstream: Upstream | None = None


_SNN = Origin("parallelfold/SaudiNewsNet", "4e39239966c2ae8a3faa591201acb9cd1f51199d")
_ANT = Origin("antcorpus/antcorpus.data", "06f6a10e80c7a0e7aee0bba2f0a6372c35c45c83")
_CLEAN = Origin("iwan-rg/CLEANANERCorp", "8dd850c17ad13f71d3844f9e979e07d82a9070ef")
_MAWQIF = Origin("NoraAlt/Mawqif-Arabic-Stance", "1310ffe31762dae33ccb33c6446875ded1c02391")
_ANS = Origin("latynt/ans", "9c5f313ab225880b9f60f4e795e6afb4da3352c8")
_UFC = Origin("Ali-Mhrez/Stance-Detection-MLLM", "00efc50db9da1c4f74b719fbd8746b282c597947")
_ASND = Origin("shammur/Arabic_news_text_classification_datasets", "277c753ac09993e7c1ac2ab8a4b9cd3b340bd5ae")
_NILE = Origin("NileTMRG/NileULex", "022450eed8121e750f15f201fc3529629e827d3a")
_MOAR = Origin("Mohabyoussef09/MoArLex", "e5852c18636652dff9c6bb18e19fa30b37e02b67")
_COUNTRIES = Origin("mledoze/countries", "5e9f370050f83ad2ba4cb885f75d66114badf72c")
_HKIRI = Origin("Hkiri-Emna/Named_Entities_Lexicon_Project", "d48ac6db825d6d4f5e9a1e05e64b606235f32433")
_TAHER = Origin("mohataher/arabic-stop-words", "767255429135eb8120818102cf97523b3c05c8bd")
_LINUXSCOUT = Origin("linuxscout/arabicstopwords", "f6018e22e02067022231d4dbda0e46b4b1b7e1e7")
_CARANER = Origin("kacst-ncdaai/caraner", "fbc9c9b7da323812f7a6e67a9fe67e6600d8a2ea")
_AQMAR = Origin("HussamHallak/AQMAR-Arabic-NERC-Dataset", "02afd80a2c645b52e66d00e162cc5d652cbe6ef5")
_WOJOOD = Origin("SinaLab/ArabicNER", "ef3a7f4e806a2d909b9107d757c5f65545ae83dc")

_PROVENANCE = Rule("PROVENANCE.md", note="written by the mirror (source, licence, counts, quirks)")

#: Where each dataset's mirror files come from (first matching rule wins).
SOURCES: dict[str, Source] = {
    "saudinewsnet": Source(
        "SaudiNewsNet: 31,030 articles from 14 Saudi outlets, 2015-07-21..2015-08-11 (one zip of JSON per crawl day)",
        "CC BY-NC-SA 4.0 (research only)",
        (_PROVENANCE, Rule("dataset/*.zip", _SNN, "{rel}")),
    ),
    "antcorpus": Source(
        "ANT corpus v1.1: 10,161 Jawhara FM articles with 9 section labels (2013-2017)",
        "Apache-2.0 + citation request",
        (_PROVENANCE, Rule("LICENSE", _ANT, "LICENSE"),
         Rule("ant_corpus_v1.1.jsonl.gz", note="derived by the mirror from the per-article files of "
              "antcorpus/antcorpus.data@06f6a10e (one JSON object per article); rebuilt locally by a network fetch",
              derive={"recipe": "ant_jsonl", "src": UPSTREAM_DIR}),
         Rule("antcorpus_v1.1_original.tar.gz", note="packed by the mirror: the 10,161 original files, unchanged; "
              "re-packed locally by a network fetch",
              derive={"recipe": "tar", "src": UPSTREAM_DIR, "prefix": "antcorpus.data"})),
        Upstream(_ANT, tarball="antcorpus_v1.1_original.tar.gz", archive=True),
    ),
    "cleananercorp": Source(
        "CLEANANERCorp: label-corrected ANERcorp news NER (train split only)", "GPL-3.0",
        (_PROVENANCE, Rule("cleananercorp_TRAIN.txt", _CLEAN, "{rel}"), Rule("LICENSE", _CLEAN, "LICENSE")),
    ),
    "mawqif": Source(
        "Mawqif: target-specific stance on tweets (train split only)", "none stated",
        (_PROVENANCE, Rule("Mawqif_AllTargets_Train.csv", _MAWQIF, "Data/{rel}")),
    ),
    "ans_stance": Source(
        "ANS: Arabic news-headline stance and claim verification", "Apache-2.0 (README badge)",
        (_PROVENANCE, Rule("claim/*.csv", _ANS, "data/{rel}"), Rule("stance/*.csv", _ANS, "data/{rel}")),
    ),
    "unifiedfc_stance": Source(
        "UnifiedFC (Baly et al. 2018): claim-article stance on Arabic news", "none stated (cite the paper)",
        (_PROVENANCE,
         Rule("unifiedfc_original.tar.gz", note="packed by the mirror from Ali-Mhrez/Stance-Detection-MLLM@00efc50d "
              "raw_data/unifiedfc-main/ (422 JSON files, unchanged); re-packed locally by a network fetch",
              derive={"recipe": "tar", "src": f"{UPSTREAM_DIR}/raw_data/unifiedfc-main", "prefix": "unifiedfc"}),
         Rule("unifiedfc_pairs.jsonl.gz", note="derived by the mirror: one JSON object per claim-article pair; "
              "rebuilt locally by a network fetch",
              derive={"recipe": "unifiedfc_pairs", "src": f"{UPSTREAM_DIR}/raw_data/unifiedfc-main"})),
        Upstream(_UFC, base="raw_data/unifiedfc-main", tarball="unifiedfc_original.tar.gz"),
    ),
    "asnd_news_topics": Source(
        "ASND: topic labels on news posts from social media (train + dev)", "none stated",
        (_PROVENANCE, Rule("*.csv", _ASND, "Arabic_Social_Media_News_Dataset_ASND/{rel}")),
    ),
    "sentiment_lexicons": Source(
        "NileULex v0.27 and MoArLex sentiment lexicons", "research only (author terms)",
        (_PROVENANCE, Rule("NileULex_v0.27.xlsx", _NILE, "{rel}"),
         Rule("NileULex_v0.27.csv", note="derived by the mirror from the first sheet of NileULex_v0.27.xlsx; "
              "rebuilt locally by a network fetch (openpyxl)", derive={"recipe": "nileulex_csv", "src": ""}),
         Rule("MoArLex*.csv", _MOAR, "{rel}")),
    ),
    "actor_gazetteers": Source(
        "Countries with Arabic names (mledoze) and the Hkiri Arabic-English named-entity lexicon",
        "ODbL-1.0 / none stated",
        (_PROVENANCE,
         Rule("mledoze_countries/countries.json", _COUNTRIES, "countries.json"),
         Rule("mledoze_countries/LICENSE", _COUNTRIES, "LICENSE"),
         Rule("mledoze_countries/countries_ar_en.tsv", note="derived by the mirror from countries.json; rebuilt "
              "locally by a network fetch", derive={"recipe": "countries_tsv", "src": "mledoze_countries"}),
         Rule("hkiri_ne_lexicon/*", _HKIRI, "{sub}")),
    ),
    "stopwords": Source(
        "Arabic stop-word lists (mohataher, linuxscout)", "MIT / GPL",
        (_PROVENANCE,
         Rule("mohataher_list.txt", _TAHER, "list.txt"),
         Rule("LICENSE.mohataher", _TAHER, "LICENSE"),
         Rule("LICENSE.linuxscout", _LINUXSCOUT, "LICENSE"),
         Rule("linuxscout_stopwords_classified.csv", _LINUXSCOUT, "releases/latest/csv/stopwords_classified.csv"),
         Rule("linuxscout_wiki_stopwords_frequency.csv", _LINUXSCOUT, "releases/latest/corpus/wiki_stopwords_frequency.csv"),
         Rule("linuxscout_tashkeela_stopwords_frequency.csv", _LINUXSCOUT,
              "releases/latest/corpus/tashkeela_stopwords_frequency.csv"),
         Rule("linuxscout_stopwordsallforms.csv.gz", note="gzip of linuxscout/arabicstopwords@f6018e22 "
              "releases/latest/csv/stopwordsallforms.csv, compressed by the mirror; re-compressed locally by a "
              "network fetch (same content, verified by its decompressed SHA-256)",
              derive={"recipe": "gzip", "src": f"{UPSTREAM_DIR}/releases/latest/csv", "file": "stopwordsallforms.csv"})),
        Upstream(_LINUXSCOUT, gz="linuxscout_stopwordsallforms.csv.gz", path="releases/latest/csv/stopwordsallforms.csv"),
    ),
    "caraner": Source(
        "CAraNER: COVID-19-period Arabic news NER sentences", "none stated",
        (_PROVENANCE, Rule("CAraNER.csv", _CARANER, "{rel}")),
    ),
    "aqmar": Source(
        "AQMAR: Arabic Wikipedia NER (28 articles)", "none stated in the copy (original CC BY-SA 3.0)",
        (_PROVENANCE, Rule("articles/*", _AQMAR, "aqmar/{rel}")),
    ),
    "wojood_sample": Source(
        "Wojood public sample: nested Arabic NER", "MIT",
        (_PROVENANCE, Rule("LICENSE", _WOJOOD, "LICENSE"), Rule("*.txt", _WOJOOD, "data/{rel}")),
    ),
    "seed_format_saudinewsnet": Source(
        "2,000 SaudiNewsNet articles written in the seed article's layout, with metadata.csv",
        "CC BY-NC-SA 4.0 (as SaudiNewsNet)",
        (_PROVENANCE, Rule("*", note="derived by the mirror from saudinewsnet (random sample, seed layout); "
                           "rebuilt locally by a network fetch from the SaudiNewsNet day archives",
                           derive={"recipe": "seed_layout", "src": f"{UPSTREAM_DIR}/dataset"})),
        Upstream(_SNN, copies="saudinewsnet/dataset/*.zip", copies_root="saudinewsnet"),
    ),
}


def file_url(origin: Origin, path: str) -> str:
    """The pinned raw.githubusercontent.com URL of *path* in *origin* (path segments URL-quoted)."""
    return RAW_URL.format(repo=origin.repo, commit=origin.commit, path=quote(path))


def sha256_file(path: Path, *, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _match(rules: tuple[Rule, ...], rel: str) -> Rule:
    for rule in rules:
        if fnmatch.fnmatchcase(rel, rule.pattern):
            return rule
    raise KeyError(rel)


def build_manifest(mirror: Path) -> dict:
    """Registry entries for every dataset of :data:`SOURCES` found in *mirror* (hashes computed here)."""
    datasets = {}
    for name, src in SOURCES.items():
        root = mirror / name
        if not root.is_dir():
            logger.warning("%s: not in the mirror %s; skipped", name, mirror)
            continue
        files = []
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            try:
                rule = _match(src.rules, rel)
            except KeyError:
                raise SystemExit(f"{name}/{rel}: no rule in registry.SOURCES says where it comes from") from None
            url = None
            if rule.origin is not None:
                sub = rel.split("/", 1)[1] if "/" in rel else rel
                url = file_url(rule.origin, rule.template.format(rel=rel, name=path.name, sub=sub))
            entry = {"path": rel, "size": path.stat().st_size, "sha256": sha256_file(path), "url": url,
                     "mirror_only": url is None, **({"note": rule.note} if rule.note else {})}
            if rule.derive is not None:
                entry["derive"] = _derive_spec(path, rule.derive)
                if path.name.endswith(".gz"):
                    entry["content_sha256"] = _gunzip_sha256(path)
            files.append(entry)
        datasets[name] = {"description": src.description, "license": src.license, "files": files}
        if src.upstream is not None:
            datasets[name].update(_upstream_entries(root, src.upstream))
    return {"version": 2, "datasets": datasets}


def _gzip_header(path: Path) -> tuple[str | None, int]:
    """(file name, mtime) stored in a gzip header."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    flags, mtime = head[3], int.from_bytes(head[4:8], "little")
    name = None
    if flags & 0x08:  # FNAME (no FEXTRA in the mirror's files)
        end = head.index(b"\0", 10)
        name = head[10:end].decode("latin-1")
    return name, mtime


def _gunzip_sha256(path: Path) -> str:
    import gzip

    h = hashlib.sha256()
    with gzip.open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _derive_spec(path: Path, spec: dict) -> dict:
    """The rule's derive spec plus what reproduces the mirror's bytes (gzip header, tar member mtime)."""
    out = dict(spec)
    if path.name.endswith(".gz"):
        out["gzip_name"], out["gzip_mtime"] = _gzip_header(path)
    if spec["recipe"] == "tar":
        import tarfile

        with tarfile.open(path) as tar:
            first = tar.next()
            out["mtime"] = first.mtime
    return out


def _upstream_entries(root: Path, up: Upstream) -> dict:
    """``upstream`` (the original files: repo path, size, SHA-256, pinned URL) and ``archive`` for a dataset."""
    import gzip
    import tarfile

    files = []
    if up.tarball is not None:
        with tarfile.open(root / up.tarball) as tar:
            for m in tar:
                if not m.isfile():
                    continue
                data = tar.extractfile(m).read()
                rel = m.name.split("/", 1)[1]
                repo_path = f"{up.base}/{rel}" if up.base else rel
                files.append({"path": repo_path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                              "url": file_url(up.origin, repo_path)})
    if up.copies is not None:
        mirror = root.parent
        for path in sorted(mirror.glob(up.copies)):
            repo_path = path.relative_to(mirror / up.copies_root).as_posix()
            files.append({"path": repo_path, "size": path.stat().st_size, "sha256": sha256_file(path),
                          "url": file_url(up.origin, repo_path)})
    if up.gz is not None:
        data = gzip.decompress((root / up.gz).read_bytes())
        files.append({"path": up.path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                      "url": file_url(up.origin, up.path)})
    out = {"upstream_repo": up.origin.repo, "upstream_commit": up.origin.commit, "upstream": files}
    if up.archive:
        out["archive"] = ARCHIVE_URL.format(repo=up.origin.repo, commit=up.origin.commit)
    return out


def dump_manifest(manifest: dict) -> str:
    """JSON text with one line per file (small, diff-friendly)."""
    lines = ['{"version": %d, "datasets": {' % manifest["version"]]
    items = list(manifest["datasets"].items())
    for i, (name, d) in enumerate(items):
        head = {k: v for k, v in d.items() if k not in ("files", "upstream")}
        lines.append(f"{json.dumps(name)}: {json.dumps(head, ensure_ascii=False)[:-1]}, \"files\": [")
        files = [json.dumps(f, ensure_ascii=False) for f in d["files"]]
        lines.append(",\n".join(files))
        if "upstream" in d:
            lines.append('], "upstream": [')
            lines.append(",\n".join(json.dumps(f, ensure_ascii=False) for f in d["upstream"]))
        lines.append("]}" + ("," if i < len(items) - 1 else ""))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - maintainer tool
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m arabic_news.corpus.registry MIRROR_DIR", file=sys.stderr)
        return 2
    manifest = build_manifest(Path(argv[0]))
    MANIFEST_PATH.parent.mkdir(parents=True, exist_ok=True)
    MANIFEST_PATH.write_bytes(gzip.compress(dump_manifest(manifest).encode("utf-8"), compresslevel=9, mtime=0))
    n = sum(len(d["files"]) for d in manifest["datasets"].values())
    print(f"wrote {MANIFEST_PATH}: {len(manifest['datasets'])} datasets, {n} files", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
