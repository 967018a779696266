"""Output folders that appear complete or not at all.

A command that writes a folder later steps read (``ingest``, ``actors extract``, ``topics fit``, ``stance
track|tone``, the cached ingests of the reports) writes everything into a temporary sibling
``PARENT/.NAME.tmp-<pid>`` and swaps it into place at the end. A reader of ``PARENT/NAME`` therefore sees the
previous complete output or the new complete one, never a mix, and a run that is killed (even with SIGKILL)
leaves the previous output untouched.

The swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux file systems that support it (no moment without
``NAME``); elsewhere it is two renames (``NAME`` -> ``.NAME.old-<pid>``, the new folder -> ``NAME``), and a run
killed between them is repaired by the next run (the new folder, complete by then, is moved into place).
Temporary siblings whose process is gone are deleted by the next run into the same folder.

Files in an existing output folder that the command does not write (a note, a sub-folder of another command's
output) are carried over into the new folder, so nothing of the user's is lost; files the command owns but did
not write this time (e.g. ``by_day.csv`` when the new run asked only for weeks) are dropped as stale. A
non-empty folder that holds no earlier output of the command is refused: the swap replaces the folder as a
whole, so ``--out ~`` must not be taken for an output folder.
"""
from __future__ import annotations

import ctypes
import errno
import fnmatch
import logging
import os
import shutil
import stat
import sys
import weakref
from pathlib import Path
from typing import Iterable

logger = logging.getLogger(__name__)

TMP_TAG = ".tmp-"
OLD_TAG = ".old-"


class OutputDirError(ValueError):
    """An output folder cannot be used; the message names the folder and the fix."""


def temp_sibling(out: Path, tag: str = TMP_TAG, pid: int | None = None) -> Path:
    """``PARENT/.NAME<tag><pid>``: where a run writes before swapping its output into *out*."""
    return out.parent / f".{out.name}{tag}{os.getpid() if pid is None else pid}"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _siblings(out: Path) -> Iterable[tuple[Path, str, int]]:
    """(path, tag, pid) of the temporary and old siblings of *out* that runs into *out* leave."""
    prefix = f".{out.name}"
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix):
            continue
        for tag in (TMP_TAG, OLD_TAG):
            rest = name[len(prefix):]
            if rest.startswith(tag) and rest[len(tag):].isdigit():
                found.append((entry, tag, int(rest[len(tag):])))
    return found


def interrupted_runs(out: str | Path) -> list[Path]:
    """Temporary siblings of *out* left by runs whose process is gone (``*.tmp-<pid>``, ``*.old-<pid>``)."""
    out = Path(out)
    return [p for p, _tag, pid in _siblings(out) if pid != os.getpid() and not _pid_alive(pid)]


def clean_stale(out: str | Path) -> list[Path]:
    """Delete what killed runs into *out* left beside it; finish a swap that was cut between its two renames.

    Returns the paths removed (or moved into place). Siblings of live processes (a concurrent run) are left
    alone.
    """
    out = Path(out)
    handled = []
    stale = [(p, tag, pid) for p, tag, pid in _siblings(out) if pid != os.getpid() and not _pid_alive(pid)]
    if not os.path.lexists(out):
        # a swap that was cut between "NAME -> .NAME.old-PID" and ".NAME.tmp-PID -> NAME": the new folder is
        # complete (the swap only starts when it is), so it goes into place; else the old one comes back
        olds = {pid: p for p, tag, pid in stale if tag == OLD_TAG}
        tmps = {pid: p for p, tag, pid in stale if tag == TMP_TAG}
        for pid, old in olds.items():
            chosen = tmps.get(pid, old)
            try:
                os.replace(chosen, out)
            except OSError:
                continue
            logger.warning("%s: restored from %s (a run was killed while swapping its output in)", out, chosen.name)
            handled.append(chosen)
            break
    for path, _tag, _pid in stale:
        if path in handled or not os.path.lexists(path):
            continue
        clean_stale(path)  # a nested run (an ingest into a cache build's folder) leaves its own siblings
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            logger.info("removed %s (left by an interrupted run)", path)
            handled.append(path)
    return handled


# ------------------------------------------------------------------------------------------------ swapping
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two existing paths (Linux ``renameat2``); False where that is not supported."""
    global _renameat2
    if not sys.platform.startswith("linux"):
        return False
    if _renameat2 is None:
        try:
            fn = ctypes.CDLL(None, use_errno=True).renameat2
        except (OSError, AttributeError):
            _renameat2 = False
            return False
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
        _renameat2 = fn
    if _renameat2 is False:
        return False
    rc = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pat) for pat in patterns)


class OutputDir:
    """Write a folder under a temporary name and swap it into place on :meth:`commit`.

    Parameters
    ----------
    out : the final folder.
    owned : names or glob patterns of the entries the command writes; an entry of the old folder that matches
        and that the new run did not write is dropped (stale), any other entry is carried over.
    marker : names of which at least one must be present when *out* is a non-empty folder (it then holds an
        earlier output of the command); a non-empty folder without any is refused. Empty: no check.
    what : what the folder holds, for messages (``'ingest output'``).

    Use ``with OutputDir(out, ...) as work:`` (commit on success, abort on error), or call :meth:`begin`,
    :meth:`commit` and :meth:`abort` yourself. The temporary folder is also removed if the object is
    garbage-collected without a commit.
    """

    def __init__(self, out: str | Path, *, owned: Iterable[str] = (), marker: Iterable[str] = (),
                 what: str = "output"):
        self.out = Path(out).expanduser()
        self.owned = tuple(owned)
        self.marker = tuple(marker)
        self.what = what
        self.path: Path | None = None
        self._finalizer = None

    # ------------------------------------------------------------------------------------------- checks
    def _target(self) -> Path:
        out = self.out
        if out.is_symlink() and out.is_dir():
            out = out.resolve()  # swap the folder the link points at, keep the link
        absolute = Path(os.path.abspath(out))
        if os.path.lexists(out) and not out.is_dir():
            raise OutputDirError(f"{self.out}: is a file, not a folder; pass a new or existing folder as --out")
        try:
            cwd = Path.cwd().resolve()
        except OSError:
            cwd = None
        if cwd is not None and out.is_dir() and (cwd == out.resolve() or out.resolve() in cwd.parents):
            raise OutputDirError(f"{self.out}: is the current folder or holds it, and the output folder is "
                                 "replaced as a whole at the end; run the command from another folder")
        if out.is_dir() and os.path.ismount(out):
            raise OutputDirError(f"{self.out}: is a mount point, which cannot be replaced; pass a folder inside it")
        if absolute.parent == absolute:
            raise OutputDirError(f"{self.out}: the root folder cannot be an output folder; pass a folder inside it")
        return out

    def _check_existing(self, out: Path) -> None:
        if not out.is_dir() or not self.marker:
            return
        try:
            names = sorted(p.name for p in out.iterdir())
        except OSError as exc:
            raise OutputDirError(f"{self.out}: cannot list it ({exc.strerror}); pass a folder you can read "
                                 "and write as --out") from None
        if names and not any(m in names for m in self.marker):
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            raise OutputDirError(f"{self.out}: already holds other files ({shown}) and no earlier {self.what}; "
                                 "pass a new or empty folder as --out")

    # ---------------------------------------------------------------------------------------- lifecycle
    def begin(self) -> Path:
        """Check *out*, clean what killed runs left, create and return the temporary folder."""
        out = self._target()
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputDirError(f"{self.out}: cannot create the folder {out.parent} ({exc.strerror}); pass an "
                                 "--out in a writable location") from None
        clean_stale(out)
        self._check_existing(out)
        tmp = temp_sibling(out)
        if os.path.lexists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        try:
            tmp.mkdir()
        except OSError as exc:
            raise OutputDirError(f"{self.out}: cannot create a temporary folder beside it in {out.parent} "
                                 f"({exc.strerror}); pass an --out inside a writable folder") from None
        self._final = out
        self.path = tmp
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(tmp), True)
        return tmp

    def commit(self) -> Path:
        """Swap the temporary folder into place; returns the final folder."""
        tmp, out = self.path, self._final
        if tmp is None:
            raise RuntimeError("OutputDir.commit() before begin()")
        try:
            self._swap(tmp, out)
        except OSError as exc:
            raise OutputDirError(f"{self.out}: cannot move the finished {self.what} into place ({exc.strerror}); "
                                 f"it is in {tmp}") from None
        if self._finalizer is not None:
            self._finalizer.detach()
        self.path = None
        return out

    def abort(self) -> None:
        """Remove the temporary folder (the previous output, if any, stays as it was)."""
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            if self._finalizer is not None:
                self._finalizer.detach()
            self.path = None

    def __enter__(self) -> Path:
        return self.begin()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()

    # --------------------------------------------------------------------------------------------- swap
    def _carry_over(self, tmp: Path, out: Path) -> None:
        new = {p.name for p in tmp.iterdir()}
        moved: list[str] = []
        for entry in sorted(out.iterdir(), key=lambda p: p.name):
            name = entry.name
            if name in new or _matches(name, self.owned):
                continue
            try:
                os.replace(entry, tmp / name)
            except OSError:
                for back in moved:  # put back what was moved; the swap does not happen
                    os.replace(tmp / back, out / back)
                raise
            moved.append(name)
        if moved:
            logger.info("%s: kept %s from the previous folder", out, ", ".join(moved[:5]))

    def _swap(self, tmp: Path, out: Path) -> None:
        if not out.is_dir():
            os.replace(tmp, out)
            return
        try:
            os.chmod(tmp, stat.S_IMODE(out.stat().st_mode))
        except OSError:
            pass
        self._carry_over(tmp, out)
        if _exchange(tmp, out):
            shutil.rmtree(tmp, ignore_errors=True)  # now holds the previous output
            return
        old = temp_sibling(out, OLD_TAG)
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)


def replace_file(path: str | Path, write) -> Path:
    """Write a single file atomically: ``write(tmp_path)`` then rename over *path*."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TMP_TAG}{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
