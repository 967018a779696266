"""Rebuild the files a dataset mirror derived or packed itself, from the upstream originals.

A network fetch (:func:`arabic_news.corpus.fetch.fetch_dataset` without a mirror) downloads the *original*
upstream files (pinned-commit URLs, SHA-256 checked, listed under ``upstream`` in the registry) into
``data/raw/<name>/.upstream/`` and then runs the recipe named by each derived file's ``derive`` entry, so that
``data/raw/<name>/`` ends up with the same files, under the same names, as the mirror
(``../shared/corpora/<name>/``). The recipes follow each mirror folder's ``PROVENANCE.md``:

=====================  ================================================================================
recipe                 what it writes
=====================  ================================================================================
``ant_jsonl``          ANT corpus v1.1: one JSON object per article file (``<category>/JA-….txt``), keys
                       ``id, category, category_tag, title, date, time_raw, source, url, author, abstract,
                       text, path``; ``date`` = ``<TIME>`` normalised to ``YYYY-MM-DD`` (ISO, ``dd/mm/yyyy``,
                       ``YYYY-MM-DDThhmmss``), else the date at the end of ``DOCNO``; gzip.
``unifiedfc_pairs``    UnifiedFC: one JSON object per claim–article pair, keys ``pair_id, claim_id, fold,
                       claim, claim_factuality, article, url, stance, rationale`` (``fold`` from
                       ``train_test_splits.txt``); gzip.
``tar``                pack the originals unchanged into a ``.tar.gz`` under a prefix (what the mirror did
                       for the 10,161 ANT files and the 424 UnifiedFC files), PAX format, sorted members,
                       fixed mtime/owner, so the result is reproducible.
``nileulex_csv``       NileULex: the first sheet of the ``.xlsx`` (needs openpyxl) to CSV
                       ``term, polarity, egyptian, msa`` (notice/header rows dropped).
``countries_tsv``      mledoze ``countries.json`` to the TSV ``cca2 … demonym_en_m`` with the Arabic names.
``gzip``               gzip a file unchanged (linuxscout ``stopwordsallforms.csv``).
``seed_layout``        the 2,000-article SaudiNewsNet sample in the seed article's layout: each
                       ``NNN_<16 hex>.txt`` is the article whose URL's SHA-256 starts with those digits
                       (title, blank line, paragraphs ending in ``.!?؟:`` — else a full stop is added —
                       joined with ``", "``), plus ``metadata.csv`` (``file,source,url,date``).
=====================  ================================================================================

Every recipe is deterministic. Gzip output uses the file name and mtime the mirror's gzip header holds (passed
as ``gzip_name``/``gzip_mtime`` parameters from the registry), so a rebuilt file is byte-identical to the mirror's
when the compressor is the same (CPython's zlib at level 9); otherwise the fetcher accepts it when its
*decompressed* SHA-256 (``content_sha256`` in the registry) matches — see :func:`verify_derived`.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import logging
import os
import re
import tarfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

logger = logging.getLogger(__name__)


class DeriveError(RuntimeError):
    """An upstream original is missing or not in the expected format (message: one line, file + fix)."""


# ------------------------------------------------------------------------------------------ helpers
def _write_gzip(target: Path, data_chunks: Iterable[bytes | str], *, gzip_name: str | None = None,
                gzip_mtime: int = 0) -> None:
    """Write *data_chunks* gzip-compressed (level 9, header name/mtime as given) via ``target.part``.

    ``str`` chunks go through a UTF-8 text layer (``gzip.open(..., 'wt')``'s buffering), which is what makes
    the mirror's JSONL files come out byte-identical; ``bytes`` chunks are written as they are.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    name = gzip_name if gzip_name is not None else target.name.removesuffix(".gz")
    with open(part, "wb") as raw, gzip.GzipFile(filename=name, mode="wb", compresslevel=9, fileobj=raw,
                                                mtime=int(gzip_mtime)) as gz:
        text = None
        for chunk in data_chunks:
            if isinstance(chunk, str):
                text = text or io.TextIOWrapper(gz, encoding="utf-8", newline="")
                text.write(chunk)
            else:
                gz.write(chunk)
        if text is not None:
            text.flush()
            text.detach()
    os.replace(part, target)


def _write_text(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(text.encode("utf-8"))
    os.replace(part, target)


def decompressed_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, decompressed first when it is a ``.gz``."""
    h = hashlib.sha256()
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _need(path: Path) -> Path:
    if not path.is_file():
        raise DeriveError(f"{path}: upstream original missing; re-run `arabic-news data fetch` to download it")
    return path


# ------------------------------------------------------------------------------------------ ANT corpus
_ANT_TAGS = ("DOCNO", "URL", "SRC", "CAT", "TITLE", "TIME", "AUTHOR", "ABSTRACT", "TEXT")
_ANT_TAG_RES = {t: re.compile(rf"<{t}>(.*?)</{t}>", re.S) for t in _ANT_TAGS}
_ANT_DEFAULT_SOURCE = "Jawhara FM"


def _ant_date(time_raw: str, docno: str) -> str | None:
    """``YYYY-MM-DD`` from ``<TIME>`` (ISO, ``dd/mm/yyyy``, ``YYYY-MM-DDThhmmss``), else from the DOCNO date."""
    t = time_raw.strip()
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})T", t):
        return f"{m[1]}-{m[2]}-{m[3]}"
    if m := re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", t):
        return f"{m[3]}-{m[2]}-{m[1]}"
    if m := re.search(r"(\d{8})$", docno.strip()):
        d = m[1]
        for y, mo, da in ((d[:4], d[4:6], d[6:]), (d[4:], d[2:4], d[:2])):  # YYYYMMDD, then DDMMYYYY
            if 1990 <= int(y) <= 2030 and 1 <= int(mo) <= 12 and 1 <= int(da) <= 31:
                return f"{y}-{mo}-{da}"
    return None


def ant_record(text: str, rel_path: str) -> dict:
    """One ANT article file's text (TREC-like tags, not strict XML) as the mirror's JSONL record."""
    tags: dict[str, str | None] = {}
    for tag, rx in _ANT_TAG_RES.items():
        m = rx.search(text)
        tags[tag] = m.group(1).strip() if m else None
    docno = tags["DOCNO"] or ""
    time_raw = tags["TIME"] or ""
    return {
        "id": docno,
        "category": rel_path.split("/", 1)[0],
        "category_tag": tags["CAT"],
        "title": tags["TITLE"] or "",
        "date": _ant_date(time_raw, docno),
        "time_raw": time_raw,
        "source": tags["SRC"] or _ANT_DEFAULT_SOURCE,
        "url": tags["URL"] or "",
        "author": tags["AUTHOR"] or "",
        "abstract": tags["ABSTRACT"] or "",
        "text": tags["TEXT"] or "",
        "path": rel_path,
    }


def ant_records(root: Path) -> Iterator[dict]:
    """Records of every ``<category>/JA-*.txt`` under *root* (the repo checkout), in sorted path order."""
    paths = sorted((p for p in root.glob("*/*.txt")), key=lambda p: p.relative_to(root).as_posix())
    if not paths:
        raise DeriveError(f"{root}: no ANT article files (<category>/JA-*.txt); re-run `arabic-news data fetch antcorpus`")
    for p in paths:
        yield ant_record(p.read_bytes().decode("utf-8"), p.relative_to(root).as_posix())


def _jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    for rec in records:
        yield json.dumps(rec, ensure_ascii=False) + "\n"


def derive_ant_jsonl(src: Path, target: Path, **gz) -> Path:
    _write_gzip(target, _jsonl_lines(ant_records(src)), **gz)
    return target


# ------------------------------------------------------------------------------------------ UnifiedFC
def unifiedfc_folds(splits_text: str) -> dict[str, str]:
    """``{claim_id: 'Fold_k'}`` from ``train_test_splits.txt`` (lines ``Fold_k: R-1 V-2 …``)."""
    folds = {}
    for line in splits_text.splitlines():
        if ":" not in line:
            continue
        fold, ids = line.split(":", 1)
        for cid in ids.split():
            folds[cid] = fold.strip()
    return folds


def _claim_sort_key(p: Path) -> tuple:
    m = re.fullmatch(r"([A-Za-z]+)-(\d+)", p.stem)
    return (m[1], int(m[2])) if m else (p.stem, -1)


def unifiedfc_pairs(root: Path) -> Iterator[dict]:
    """Claim–article pair records from ``root/dataset/*.json`` + ``root/train_test_splits.txt``."""
    folds = unifiedfc_folds(_need(root / "train_test_splits.txt").read_text(encoding="utf-8"))
    files = sorted((root / "dataset").glob("*.json"), key=lambda p: p.name)
    if not files:
        raise DeriveError(f"{root / 'dataset'}: no claim files; re-run `arabic-news data fetch unifiedfc_stance`")
    for p in files:
        d = json.loads(p.read_text(encoding="utf-8"))
        lists = [d["article"], d["url"], d["stance"], d["rationale"]]
        if len({len(x) for x in lists}) != 1:
            raise DeriveError(f"{p}: article/url/stance/rationale lists differ in length; the file is corrupt")
        cid = d["id"]
        for i, (art, url, stance, rat) in enumerate(zip(*lists)):
            yield {"pair_id": f"{cid}_{i}", "claim_id": cid, "fold": folds.get(cid), "claim": d["claim"],
                   "claim_factuality": d["fact"], "article": art, "url": url, "stance": stance, "rationale": rat}


def derive_unifiedfc_pairs(src: Path, target: Path, **gz) -> Path:
    _write_gzip(target, _jsonl_lines(unifiedfc_pairs(src)), **gz)
    return target


# ------------------------------------------------------------------------------------------ tarballs
def derive_tar(src: Path, target: Path, *, prefix: str, members: list[str], mtime: float, **gz) -> Path:
    """Pack ``src/<member>`` for each of *members* (in the given order) as ``<prefix>/<member>`` into a gzipped
    PAX tar (mode 0664, root:root, every member's mtime = *mtime*, a float as the mirror wrote it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    name = gz.get("gzip_name") or target.name.removesuffix(".gz")
    with open(part, "wb") as raw, gzip.GzipFile(filename=name, mode="wb", compresslevel=9, fileobj=raw,
                                                mtime=int(gz.get("gzip_mtime", 0))) as gzf, \
            tarfile.open(fileobj=gzf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in members:
            data = _need(src / rel).read_bytes()
            info = tarfile.TarInfo(f"{prefix}/{rel}")
            info.size, info.mtime, info.mode = len(data), float(mtime), 0o664
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data))
    os.replace(part, target)
    return target


# ------------------------------------------------------------------------------------------ lexicons
def nileulex_rows(xlsx: Path) -> list[tuple[str, str, str, str]]:
    """``(term, polarity, egyptian, msa)`` rows from the first sheet of the NileULex workbook."""
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a declared dependency
        raise DeriveError("openpyxl is needed to read NileULex_v0.27.xlsx; run `pip install openpyxl`") from exc
    wb = openpyxl.load_workbook(_need(xlsx), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        rows, header_seen = [], False
        for row in ws.iter_rows(values_only=True):
            cells = ["" if c is None else str(c) for c in row[:4]] + [""] * 4
            term, pol, egy, msa = cells[:4]
            if not header_seen:  # notice rows precede the header row ('Term', 'Polarity', …)
                header_seen = term.strip().lower() == "term"
                continue
            if not term.strip() or not pol.strip():
                continue
            rows.append((term, pol, _flag(egy), _flag(msa)))
    finally:
        wb.close()
    if not rows:
        raise DeriveError(f"{xlsx}: no header row 'Term' found in the first sheet; not the NileULex v0.27 workbook?")
    return rows


def _flag(v: str) -> str:
    try:
        return str(int(float(v)))
    except ValueError:
        return v


def derive_nileulex_csv(src: Path, target: Path, *, file: str = "NileULex_v0.27.xlsx") -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)  # csv's default dialect (CRLF), as in the mirror's file
    w.writerow(["term", "polarity", "egyptian", "msa"])
    w.writerows(nileulex_rows(src / file))
    _write_text(target, buf.getvalue())
    return target


COUNTRY_COLUMNS = ("cca2", "cca3", "name_en_common", "name_en_official", "name_ar_common", "name_ar_official",
                   "region", "subregion", "capital_en", "demonym_en_m")


def country_row(c: dict) -> list[str]:
    ara = c.get("translations", {}).get("ara", {})
    return [c.get("cca2", ""), c.get("cca3", ""), c["name"]["common"], c["name"]["official"],
            ara.get("common", ""), ara.get("official", ""), c.get("region", ""), c.get("subregion", ""),
            "|".join(c.get("capital") or []), c.get("demonyms", {}).get("eng", {}).get("m", "")]


def derive_countries_tsv(src: Path, target: Path, *, file: str = "countries.json") -> Path:
    countries = json.loads(_need(src / file).read_text(encoding="utf-8"))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter="\t")  # CRLF line ends, as in the mirror's file
    w.writerow(COUNTRY_COLUMNS)
    w.writerows(country_row(c) for c in countries)
    _write_text(target, buf.getvalue())
    return target


def derive_gzip(src: Path, target: Path, *, file: str, **gz) -> Path:
    path = _need(src / file)

    def chunks():
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                yield block

    _write_gzip(target, chunks(), **gz)
    return target


# ------------------------------------------------------------------------------------------ seed layout
#: a paragraph that does not end with one of these gets a full stop (the seed article's ``., `` joins)
SEED_END_PUNCT = (".", "!", "?", "؟", ":")
_SEED_NAME = re.compile(r"^\d+_([0-9a-f]{16})\.txt$")


def seed_layout_text(title: str, content: str) -> str:
    """An article in the seed layout: title line, blank line, paragraphs (each ending in punctuation) joined
    with ``", "``, final newline."""
    paras = [p.strip() for p in content.split("\n") if p.strip()]
    body = ", ".join(p if p.endswith(SEED_END_PUNCT) else p + "." for p in paras)
    return f"{title.strip()}\n\n{body}\n"


def url_key(url: str) -> str:
    """The 16 hex digits of a seed-layout file name: the start of the SHA-256 of the article URL."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def derive_seed_layout(src: Path, target_dir: Path, *, files: list[str]) -> Path:
    """Write the seed-layout sample of SaudiNewsNet into *target_dir*: every ``NNN_<key>.txt`` of *files* (the
    article whose URL hashes to ``<key>``, read from the day archives ``src/*.zip``) and, when listed,
    ``metadata.csv`` (``file,source,url,date``, date = crawl day)."""
    import zipfile

    wanted = {m[1]: name for name in files if (m := _SEED_NAME.match(name))}
    found: dict[str, dict] = {}
    zips = sorted(src.glob("*.zip"))
    if not zips:
        raise DeriveError(f"{src}: no SaudiNewsNet day archives (*.zip); re-run `arabic-news data fetch "
                          f"seed_format_saudinewsnet`")
    for z in zips:
        with zipfile.ZipFile(z) as zf:
            for member in zf.namelist():
                for art in json.loads(zf.read(member)):
                    key = url_key(art["url"])
                    if key in wanted and key not in found:
                        found[key] = art
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise DeriveError(f"{src}: {len(missing)} sampled articles not in the archives (e.g. {wanted[missing[0]]}); "
                          f"the archives are not SaudiNewsNet@4e392399")
    for key, name in wanted.items():
        art = found[key]
        _write_text(target_dir / name, seed_layout_text(art["title"], art["content"]))
    if "metadata.csv" in files:
        order = sorted(wanted.items(), key=lambda kv: int(kv[1].split("_", 1)[0]))
        lines = ["file,source,url,date"] + [
            f'{name},{found[key]["source"]},"{found[key]["url"]}",{found[key]["date_extracted"][:10]}'
            for key, name in order]
        _write_text(target_dir / "metadata.csv", "\n".join(lines) + "\n")
    return target_dir


#: recipes that write several files of the dataset at once (called once with ``files=[…]`` and the dataset root)
MULTI_FILE_RECIPES = frozenset({"seed_layout"})

RECIPES: dict[str, Callable[..., Path]] = {
    "seed_layout": derive_seed_layout,
    "ant_jsonl": derive_ant_jsonl,
    "unifiedfc_pairs": derive_unifiedfc_pairs,
    "tar": derive_tar,
    "nileulex_csv": derive_nileulex_csv,
    "countries_tsv": derive_countries_tsv,
    "gzip": derive_gzip,
}


def derive(recipe: str, src: str | Path, target: str | Path, **params) -> Path:
    """Run *recipe* on the upstream checkout *src* (repo-relative paths) writing *target*; returns *target*."""
    if recipe not in RECIPES:
        raise DeriveError(f"unknown derive recipe {recipe!r}; known: {', '.join(sorted(RECIPES))}")
    logger.info("deriving %s with %s from %s", target, recipe, src)
    return RECIPES[recipe](Path(src), Path(target), **params)


def verify_derived(path: Path, *, sha256: str, content_sha256: str | None = None) -> str | None:
    """'exact' when *path* has the mirror's SHA-256, 'content' when only its decompressed content matches."""
    from arabic_news.corpus.registry import sha256_file

    if sha256_file(path) == sha256:
        return "exact"
    if content_sha256 is not None and decompressed_sha256(path) == content_sha256:
        return "content"
    return None
