"""Public datasets: where they live locally, and fetching them by pinned URL and checksum.

Every dataset has a short name (the folder name used by the local mirror, e.g. ``mawqif``) and is stored
under ``data/raw/<name>/`` with the same relative file layout as the mirror. The registry
(:mod:`arabic_news.corpus.registry`, ``resources/datasets.json.gz``) lists each file's pinned-commit URL,
SHA-256 and size.

:func:`fetch_dataset` either

* copies from a local mirror (``mirror=`` / ``--mirror DIR`` / env ``ARABIC_NEWS_MIRROR``), verifying every
  checksum, or
* downloads each file that has a URL: into ``<file>.part``, resuming with an HTTP ``Range`` request after an
  interrupted transfer (and restarting cleanly when the server ignores ``Range``), retrying with exponential
  back-off, then verifying size and SHA-256 before renaming into place. A corrupted download is deleted and
  reported (:class:`ChecksumError`). Downloads run on a few threads (``workers``), each with its own
  keep-alive connection, with a tqdm bar per batch when stderr is a terminal.

Files the mirror derived or packed itself (the ANT JSONL and tarball, the UnifiedFC pairs and tarball, the
NileULex CSV, the countries TSV, the gzipped linuxscout list) have no URL of their own; a network fetch
downloads their *upstream originals* (registry ``upstream``: pinned raw URLs, SHA-256 taken from the mirror's
unchanged copies) into ``data/raw/<name>/.upstream/`` and rebuilds them with :mod:`arabic_news.corpus.derive`,
then checks them against the mirror's SHA-256 (all are reproduced byte for byte except the GNU-gzip-compressed
linuxscout list, accepted on its decompressed SHA-256).

Why per-file URLs plus an optional repository archive: for the ANT corpus (10,163 small files in a repository
that holds essentially nothing else) the registry also lists GitHub's archive of the repository at the pinned commit
(``https://codeload.github.com/<owner>/<repo>/tar.gz/<commit>``): one ~5 MB download instead of 10k requests.
GitHub does not promise stable archive bytes (compression can change), so the archive itself is not
checksummed; each member is checked against its own registry SHA-256, and anything missing or different is
fetched per file from raw.githubusercontent.com. The UnifiedFC originals sit in a large repository of other
data, so they are fetched per file (424 requests). Only files with neither a URL nor a recipe (each
``PROVENANCE.md``, the 2,000-file seed-layout sample) need ``--mirror DIR``; they are listed as skipped.

Nothing here runs at import time or in tests against the internet.
"""
from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from arabic_news import config

logger = logging.getLogger(__name__)

MIRROR_ENV = "ARABIC_NEWS_MIRROR"
_CHUNK = 1 << 16


class DatasetNotAvailable(FileNotFoundError):
    """A dataset is neither fetched into data/raw nor available from a local mirror."""


class FetchError(RuntimeError):
    """A dataset could not be fetched; the message is one line naming the file and the fix."""


class ChecksumError(FetchError):
    """A downloaded or copied file does not have the registry's SHA-256 (the bad file was deleted)."""


class _Incomplete(Exception):
    """The connection ended before the expected number of bytes arrived (retryable)."""


@dataclass(frozen=True)
class DatasetFile:
    path: str
    size: int | None
    sha256: str
    url: str | None = None
    note: str = ""
    #: recipe that rebuilds this (mirror-derived) file from the dataset's upstream originals, see
    #: :mod:`arabic_news.corpus.derive`: ``{"recipe": …, "src": <folder under the dataset root>, **params}``
    derive: dict | None = field(default=None, hash=False)
    #: SHA-256 of the decompressed bytes (``.gz`` derived files): accepted when the recompressed bytes differ
    content_sha256: str | None = None

    @property
    def mirror_only(self) -> bool:
        """No URL of its own (it may still be rebuilt locally, see :attr:`rebuildable`)."""
        return self.url is None

    @property
    def rebuildable(self) -> bool:
        return self.url is None and self.derive is not None


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str = ""
    license: str = ""
    files: tuple[DatasetFile, ...] = ()
    #: the original files (repo paths, pinned URLs) the derived files are rebuilt from
    upstream: tuple[DatasetFile, ...] = ()
    #: GitHub's tarball of the upstream repository at the pinned commit (one download for many small files)
    archive: str | None = None

    @property
    def size(self) -> int:
        return sum(f.size or 0 for f in self.files)

    @property
    def upstream_size(self) -> int:
        return sum(f.size or 0 for f in self.upstream)


@dataclass
class FetchResult:
    """What :func:`fetch_dataset` did, per file path."""

    name: str
    dest: Path
    method: str  # 'download' or 'mirror'
    fetched: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped_mirror_only: list[str] = field(default_factory=list)
    bytes: int = 0
    #: derived files rebuilt locally from the upstream originals (network fetch)
    derived: list[str] = field(default_factory=list)
    #: of those, the ones whose bytes differ from the mirror's but whose decompressed content is identical
    derived_content_only: list[str] = field(default_factory=list)
    #: upstream originals downloaded (per file or extracted from the repository archive) / already present
    upstream_fetched: int = 0
    upstream_from_archive: int = 0
    upstream_present: int = 0

    def line(self) -> str:
        parts = [f"{self.name}: {len(self.fetched)} files {'copied from the mirror' if self.method == 'mirror' else 'downloaded'}"
                 f" ({self.bytes / 1e6:.1f} MB)"]
        if self.resumed:
            parts.append(f"{len(self.resumed)} resumed")
        if self.upstream_fetched:
            how = f", {self.upstream_from_archive} from the repository archive" if self.upstream_from_archive else ""
            parts.append(f"{self.upstream_fetched} upstream originals downloaded{how}")
        if self.derived:
            extra = (f" ({len(self.derived_content_only)} identical in content, not in compressed bytes)"
                     if self.derived_content_only else "")
            parts.append(f"{len(self.derived)} derived files rebuilt locally and verified{extra}")
        if self.present:
            parts.append(f"{len(self.present)} already present and verified")
        if self.skipped_mirror_only:
            parts.append(f"{len(self.skipped_mirror_only)} mirror-only files skipped (use --mirror DIR to get them)")
        return ", ".join(parts) + f" -> {self.dest}"


# ------------------------------------------------------------------------------------------ registry
def load_registry(path: str | Path | None = None) -> dict[str, Dataset]:
    """The dataset registry (``resources/datasets.json.gz`` by default; plain or gzipped JSON) as ``{name: Dataset}``."""
    from arabic_news.corpus.registry import MANIFEST_PATH

    path = Path(path) if path is not None else MANIFEST_PATH
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip magic
        raw = gzip.decompress(raw)
    data = json.loads(raw.decode("utf-8"))
    out = {}
    for name, d in data["datasets"].items():
        files = tuple(DatasetFile(path=f["path"], size=f.get("size"), sha256=f["sha256"], url=f.get("url"),
                                  note=f.get("note", ""), derive=f.get("derive"),
                                  content_sha256=f.get("content_sha256")) for f in d["files"])
        upstream = tuple(DatasetFile(path=f["path"], size=f.get("size"), sha256=f["sha256"], url=f.get("url"))
                         for f in d.get("upstream", ()))
        out[name] = Dataset(name=name, description=d.get("description", ""), license=d.get("license", ""), files=files,
                            upstream=upstream, archive=d.get("archive"))
    return out


def list_datasets(registry: dict[str, Dataset] | None = None) -> list[dict]:
    """One summary dict per registered dataset, with where it is available locally."""
    registry = registry if registry is not None else load_registry()
    rows = []
    for name, ds in registry.items():
        try:
            where = str(dataset_path(name))
        except DatasetNotAvailable:
            where = None
        rebuilt = [f.path for f in ds.files if f.rebuildable]
        rows.append({"name": name, "files": len(ds.files), "mirror_only": sum(f.mirror_only for f in ds.files),
                     "size_mb": round(ds.size / 1e6, 1), "license": ds.license, "description": ds.description,
                     "local": where, "rebuilt_locally": rebuilt,
                     "mirror_only_not_rebuilt": [f.path for f in ds.files if f.mirror_only and not f.rebuildable],
                     "upstream_files": len(ds.upstream), "upstream_mb": round(ds.upstream_size / 1e6, 1),
                     "archive": ds.archive})
    return rows


# ------------------------------------------------------------------------------------------ local paths
def dataset_path(name: str) -> Path:
    """The local folder holding dataset *name* (``data/raw/<name>`` or the mirror's copy).

    Raises DatasetNotAvailable with the command that fixes it.
    """
    local = config.RAW_DIR / name
    if local.is_dir() and any(p for p in local.iterdir() if not p.name.endswith(".part") and not p.name.startswith(".")):
        return local
    mirror = config.mirror_dir()
    if mirror is not None and (mirror / name).is_dir():
        return mirror / name
    raise DatasetNotAvailable(
        f"dataset {name!r} not found in {local} nor in a mirror; run `arabic-news data fetch {name}` "
        f"(or set {MIRROR_ENV} to a local copy)"
    )


def _check_file(path: Path, f: DatasetFile) -> bool:
    from arabic_news.corpus.registry import sha256_file

    if not path.is_file():
        return False
    if f.size is not None and path.stat().st_size != f.size:
        return False
    return sha256_file(path) == f.sha256


def _safe_target(dest: Path, rel: str) -> Path:
    target = (dest / rel).resolve()
    if not str(target).startswith(str(dest.resolve()) + os.sep):
        raise FetchError(f"registry path {rel!r} escapes {dest}; the registry is corrupt")
    return target


# ------------------------------------------------------------------------------------------ download
def download_file(url: str, target: Path, *, sha256: str | None, size: int | None = None, retries: int = 4,
                  backoff: float = 0.5, timeout: float = 30.0, session=None, progress: bool = True) -> str:
    """Download *url* to *target* via ``target.part`` with resume, retries and SHA-256 verification.

    Returns 'downloaded' or 'resumed'. ``sha256=None`` skips the checksum (only for GitHub's repository
    archives, whose bytes GitHub does not guarantee; their members are verified one by one instead).
    Raises FetchError (network/HTTP failure after the retries) or
    ChecksumError (the bytes are not the expected ones; the partial file is deleted). When a resumed download
    fails the checksum, it is restarted once from scratch before giving up (the old partial file may have
    come from another version of the file).
    """
    import requests
    from tqdm.auto import tqdm

    from arabic_news.corpus.registry import sha256_file

    session = session or requests.Session()
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    fresh_retry_done = False
    resumed = False
    while True:
        last_exc: Exception | None = None
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(backoff * 2 ** (attempt - 1))
            offset = part.stat().st_size if part.exists() else 0
            if size is not None and offset > size:
                part.unlink()
                offset = 0
            if size is not None and offset == size:
                break  # complete from an earlier run
            headers = {"Range": f"bytes={offset}-"} if offset else {}
            try:
                with session.get(url, headers=headers, stream=True, timeout=timeout) as r:
                    if r.status_code == 416:  # range not satisfiable: the partial file is unusable
                        part.unlink(missing_ok=True)
                        last_exc = _Incomplete("server refused the resume range")
                        continue
                    if r.status_code >= 500 or r.status_code == 429:
                        last_exc = FetchError(f"HTTP {r.status_code} for {url}")
                        continue
                    if r.status_code >= 400:
                        raise FetchError(f"{url}: HTTP {r.status_code} {r.reason}; the pinned URL is not available")
                    if offset and r.status_code == 206 and r.headers.get("Content-Range", "").startswith(f"bytes {offset}-"):
                        mode, resumed = "ab", True
                    else:  # the server ignored Range (200): restart cleanly
                        if offset:
                            logger.info("%s: server ignored the Range request; restarting from 0", url)
                        mode = "wb"
                    total = size if size is not None else None
                    with open(part, mode) as fh, tqdm(total=total, initial=offset if mode == "ab" else 0, unit="B",
                                                      unit_scale=True, desc=target.name, leave=False,
                                                      disable=not (progress and sys.stderr.isatty())) as bar:
                        for block in r.iter_content(_CHUNK):
                            fh.write(block)
                            bar.update(len(block))
                got = part.stat().st_size
                if size is not None and got < size:
                    raise _Incomplete(f"got {got} of {size} bytes")
                last_exc = None
                break
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                    _Incomplete) as exc:
                logger.info("%s: attempt %d failed (%s)", url, attempt + 1, exc)
                last_exc = exc
        if last_exc is not None:
            attempts = f"{retries + 1} attempt{'s' if retries else ''}"
            if isinstance(last_exc, requests.ConnectionError) and not part.exists():
                host = urlsplit(url).netloc
                raise FetchError(f"{url}: cannot connect to {host} ({attempts}); offline? use --mirror DIR or set "
                                 f"{MIRROR_ENV}")
            detail = str(last_exc).splitlines()[0][:160] if str(last_exc) else ""
            raise FetchError(f"{url}: download failed after {attempts} ({type(last_exc).__name__}"
                             f"{': ' + detail if detail else ''}); re-run the same command to resume")
        got_sha = sha256_file(part) if sha256 is not None else None
        if got_sha == sha256 and (size is None or part.stat().st_size == size):
            os.replace(part, target)
            return "resumed" if resumed else "downloaded"
        part.unlink(missing_ok=True)
        if resumed and not fresh_retry_done:
            logger.warning("%s: checksum mismatch after resuming; downloading again from scratch", url)
            fresh_retry_done, resumed = True, False
            continue
        raise ChecksumError(f"{target.name}: SHA-256 mismatch for {url} (expected {sha256[:12]}…, got "
                            f"{(got_sha or '')[:12]}…); the corrupted download was deleted — re-run to retry, or use --mirror DIR")


def _copy_verified(src: Path, target: Path, f: DatasetFile) -> None:
    from arabic_news.corpus.registry import sha256_file

    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    shutil.copyfile(src, part)
    got = sha256_file(part)
    if got != f.sha256:
        part.unlink(missing_ok=True)
        raise ChecksumError(f"{src}: SHA-256 mismatch (expected {f.sha256[:12]}…, got {got[:12]}…); the mirror copy "
                            f"is corrupted or a different version — nothing was copied")
    os.replace(part, target)


#: concurrent downloads (one keep-alive connection per worker thread)
DEFAULT_WORKERS = 6
#: use the repository archive when at least this many upstream originals are missing
ARCHIVE_MIN_FILES = 50


def _thread_session(local):
    """One requests.Session (keep-alive connection pool) per worker thread."""
    import requests

    sess = getattr(local, "session", None)
    if sess is None:
        sess = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=2)
        sess.mount("http://", adapter)
        sess.mount("https://", adapter)
        local.session = sess
    return sess


def _download_many(jobs: list[tuple[DatasetFile, Path]], *, workers: int, retries: int, backoff: float,
                   timeout: float, desc: str) -> dict[str, str]:
    """Download ``(file, target)`` jobs concurrently; returns ``{file.path: 'downloaded'|'resumed'}``.

    The first failure cancels the jobs not yet started and is re-raised once the running ones end (their
    ``.part`` files stay, so the next run resumes).
    """
    import threading
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    from tqdm.auto import tqdm

    if not jobs:
        return {}
    local = threading.local()

    def one(job):
        f, target = job
        return f.path, download_file(f.url, target, sha256=f.sha256, size=f.size, retries=retries, backoff=backoff,
                                     timeout=timeout, session=_thread_session(local), progress=len(jobs) == 1)

    out: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool, \
            tqdm(total=len(jobs), unit="file", desc=desc, leave=False, disable=not sys.stderr.isatty()) as bar:
        pending = {pool.submit(one, job) for job in jobs}
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in done:
                if fut.exception() is not None:
                    for other in pending:
                        other.cancel()
                    wait(pending)
                    raise fut.exception()
                path, how = fut.result()
                out[path] = how
                bar.update(1)
    return out


def _extract_archive(archive: Path, wanted: dict[str, tuple[DatasetFile, Path]]) -> list[str]:
    """Write the members of a GitHub repository tarball that are in *wanted* (repo path -> (file, target)) and
    have the registry's SHA-256; returns their paths. Others (e.g. converted line ends) are left to per-file
    download."""
    import hashlib
    import tarfile

    got = []
    with tarfile.open(archive, mode="r|gz") as tar:
        for m in tar:
            if not m.isfile() or "/" not in m.name:
                continue
            rel = m.name.split("/", 1)[1]  # strip "<repo>-<commit>/"
            if rel not in wanted:
                continue
            f, target = wanted[rel]
            data = tar.extractfile(m).read()
            if (f.size is not None and len(data) != f.size) or hashlib.sha256(data).hexdigest() != f.sha256:
                logger.warning("%s: archive member differs from the registry; downloading it separately", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            part.write_bytes(data)
            os.replace(part, target)
            got.append(rel)
    return got


def _fetch_upstream(ds: Dataset, out: Path, result: FetchResult, *, force: bool, workers: int, retries: int,
                    backoff: float, timeout: float) -> None:
    """Make every upstream original of *ds* present and verified under ``out/.upstream/``."""
    import tarfile

    from arabic_news.corpus.registry import UPSTREAM_DIR

    root = out / UPSTREAM_DIR
    missing: dict[str, tuple[DatasetFile, Path]] = {}
    for u in ds.upstream:
        target = _safe_target(out, f"{UPSTREAM_DIR}/{u.path}")
        if not force and _check_file(target, u):
            result.upstream_present += 1
        else:
            missing[u.path] = (u, target)
    if missing and ds.archive and len(missing) >= ARCHIVE_MIN_FILES:
        archive = root / ".repository-archive.tar.gz"
        try:
            download_file(ds.archive, archive, sha256=None, retries=retries, backoff=backoff, timeout=timeout)
            got = _extract_archive(archive, missing)
        except (FetchError, OSError, EOFError, tarfile.TarError) as exc:
            logger.warning("%s: repository archive unusable (%s); downloading the %d files one by one",
                           ds.archive, str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__, len(missing))
            got = []
        else:
            result.bytes += archive.stat().st_size
        archive.unlink(missing_ok=True)
        archive.with_name(archive.name + ".part").unlink(missing_ok=True)
        for rel in got:
            del missing[rel]
        result.upstream_fetched += len(got)
        result.upstream_from_archive += len(got)
    if force:
        for _, target in missing.values():
            target.with_name(target.name + ".part").unlink(missing_ok=True)
    hows = _download_many(list(missing.values()), workers=workers, retries=retries, backoff=backoff,
                          timeout=timeout, desc=f"{ds.name} originals")
    result.upstream_fetched += len(hows)
    result.bytes += sum(missing[p][0].size or 0 for p in hows)


def _rebuild(ds: Dataset, f: DatasetFile, out: Path, target: Path) -> str:
    """Run *f*'s derive recipe into *target* and verify it; 'exact' or 'content'. Raises ChecksumError."""
    from arabic_news.corpus import derive as derive_mod
    from arabic_news.corpus.registry import UPSTREAM_DIR

    params = dict(f.derive)
    recipe, src_rel = params.pop("recipe"), params.pop("src", "")
    src = out / src_rel if src_rel else out
    if recipe == "tar":  # the members are the upstream originals under src, in registry order
        base = src_rel.removeprefix(UPSTREAM_DIR).strip("/")
        params["members"] = [u.path[len(base) + 1:] if base else u.path for u in ds.upstream
                             if not base or u.path.startswith(base + "/")]
    try:
        derive_mod.derive(recipe, src, target, **params)
    except derive_mod.DeriveError as exc:
        raise FetchError(str(exc)) from exc
    how = derive_mod.verify_derived(target, sha256=f.sha256, content_sha256=f.content_sha256)
    if how is None:
        target.unlink(missing_ok=True)
        raise ChecksumError(f"{ds.name}/{f.path}: rebuilt from the upstream originals but it does not match the "
                            f"registry's SHA-256 (deleted); use --mirror DIR, or report it with your Python/zlib version")
    return how


def _rebuild_many(ds: Dataset, items: list[tuple[DatasetFile, Path]], out: Path) -> list[tuple[DatasetFile, str]]:
    """Run a multi-file recipe once per distinct spec for all its files, then verify each file."""
    from arabic_news.corpus import derive as derive_mod

    groups: dict[str, list[tuple[DatasetFile, Path]]] = {}
    for f, target in items:
        groups.setdefault(json.dumps(f.derive, sort_keys=True), []).append((f, target))
    done = []
    for spec, group in groups.items():
        params = json.loads(spec)
        recipe, src_rel = params.pop("recipe"), params.pop("src", "")
        try:
            derive_mod.derive(recipe, out / src_rel if src_rel else out, out, files=[f.path for f, _ in group],
                              **params)
        except derive_mod.DeriveError as exc:
            raise FetchError(str(exc)) from exc
        bad = []
        for f, target in group:
            how = derive_mod.verify_derived(target, sha256=f.sha256, content_sha256=f.content_sha256) \
                if target.is_file() else None
            if how is None:
                bad.append(f.path)
                target.unlink(missing_ok=True)
            else:
                done.append((f, how))
        if bad:
            raise ChecksumError(f"{ds.name}: {len(bad)} of {len(group)} files rebuilt with {recipe!r} do not match "
                                f"the registry's SHA-256 (e.g. {bad[0]}; deleted); use --mirror DIR")
    return done


def fetch_dataset(name: str, *, dest: str | Path | None = None, mirror: str | Path | None = None,
                  force: bool = False, registry: dict[str, Dataset] | None = None, retries: int = 4,
                  backoff: float = 0.5, timeout: float = 30.0, use_env_mirror: bool = True,
                  workers: int = DEFAULT_WORKERS) -> FetchResult:
    """Fetch dataset *name* into ``dest/<name>/`` (default ``data/raw/<name>/``) with the mirror's layout.

    *mirror* (or env ``ARABIC_NEWS_MIRROR`` when *use_env_mirror*): a folder holding ``<name>/…`` to copy
    from instead of downloading. Files already present with the right checksum are kept unless *force*.

    Without a mirror: files with a URL are downloaded (*workers* threads, one keep-alive connection each,
    resumable ``.part`` files, SHA-256 verified); files the mirror derived are rebuilt locally
    (:mod:`arabic_news.corpus.derive`) from the dataset's upstream originals, which are first downloaded into
    ``<name>/.upstream/`` (from GitHub's repository archive when the registry lists one and many files are
    missing — each member checked against its own SHA-256, the archive's bytes are not trusted — and per file
    otherwise or for whatever the archive did not provide). Each rebuilt file must have the mirror's SHA-256
    (or, for a ``.gz``, the mirror's decompressed SHA-256). Only files with neither a URL nor a recipe are
    skipped (``skipped_mirror_only``).
    """
    registry = registry if registry is not None else load_registry()
    if name not in registry:
        raise FetchError(f"unknown dataset {name!r}; known: {', '.join(sorted(registry))} (see `arabic-news data list`)")
    ds = registry[name]
    root = Path(dest) if dest is not None else config.RAW_DIR
    out = root / name
    if mirror is None and use_env_mirror and os.environ.get(MIRROR_ENV):
        mirror = os.environ[MIRROR_ENV]
    result = FetchResult(name=name, dest=out, method="mirror" if mirror is not None else "download")
    if mirror is not None:
        mroot = Path(mirror).expanduser() / name
        if not mroot.is_dir():
            raise FetchError(f"{mroot}: dataset {name!r} is not in the mirror {mirror}; check --mirror / {MIRROR_ENV}")
        for f in ds.files:
            target = _safe_target(out, f.path)
            if not force and _check_file(target, f):
                result.present.append(f.path)
                continue
            src = Path(mirror).expanduser() / name / f.path
            if not src.is_file():
                raise FetchError(f"{src}: missing from the mirror; the mirror is incomplete")
            _copy_verified(src, target, f)
            result.fetched.append(f.path)
            result.bytes += f.size or target.stat().st_size
        logger.info(result.line())
        return result

    if not any(f.url is not None or f.rebuildable for f in ds.files):
        raise FetchError(f"dataset {name!r} has only mirror-only files (derived by the mirror); "
                         f"use --mirror DIR or set {MIRROR_ENV}")
    jobs, rebuild = [], []
    for f in ds.files:
        target = _safe_target(out, f.path)
        if not force and _check_file(target, f):
            result.present.append(f.path)
        elif f.url is not None:
            if force:
                target.with_name(target.name + ".part").unlink(missing_ok=True)
            jobs.append((f, target))
        elif f.rebuildable:
            if not force and target.is_file() and f.content_sha256 is not None:
                from arabic_news.corpus.derive import verify_derived

                if verify_derived(target, sha256=f.sha256, content_sha256=f.content_sha256):
                    result.present.append(f.path)
                    continue
            rebuild.append((f, target))
        else:
            result.skipped_mirror_only.append(f.path)
    hows = _download_many(jobs, workers=workers, retries=retries, backoff=backoff, timeout=timeout, desc=name)
    for f, _ in jobs:  # registry order
        result.fetched.append(f.path)
        if hows[f.path] == "resumed":
            result.resumed.append(f.path)
        result.bytes += f.size or 0
    if rebuild:
        _fetch_upstream(ds, out, result, force=force, workers=workers, retries=retries, backoff=backoff,
                        timeout=timeout)
        from arabic_news.corpus.derive import MULTI_FILE_RECIPES

        multi = [(f, t) for f, t in rebuild if f.derive["recipe"] in MULTI_FILE_RECIPES]
        for f, target in rebuild:
            if (f, target) in multi:
                continue
            how = _rebuild(ds, f, out, target)
            result.derived.append(f.path)
            if how == "content":
                result.derived_content_only.append(f.path)
        if multi:
            for f, how in _rebuild_many(ds, multi, out):
                result.derived.append(f.path)
                if how == "content":
                    result.derived_content_only.append(f.path)
    logger.info(result.line())
    return result
