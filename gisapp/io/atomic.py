"""Atomic file replacement: write beside the target, fsync, then os.replace.

Before anything is written, a target that is read-only (no write permission bit, or not
writable by this user) or a read-only folder is refused with :class:`ReadOnlyError`:
the file is never silently replaced. The replacement keeps the target's permission bits
(a 0600 file stays 0600) and, where allowed, its owner; a new file gets the umask default.
When the disk (or a quota, or the process's file-size limit) is full, the save raises
:class:`DiskFullError` and the previous file is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from gisapp.io.errors import GisIOError

# ENOSPC: no space on the device; EDQUOT: the user's quota; EFBIG: a file larger than the
# file system or the process's RLIMIT_FSIZE allows. To the user they are all "disk full".
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_NO_SPACE_TEXTS = ("disk is full", "no space left", "file too large", "quota exceeded")
_PROBE_MAX = 64 * 1024 * 1024


class ReadOnlyError(GisIOError):
    """The target (or its folder) may not be written: the window offers *Save As*."""


class DiskFullError(GisIOError):
    """No space was left while writing; the previous file is unchanged."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "disk full: the file could not be written; the previous version is "
                               "unchanged. Free some space or save to another disk")

# Test hook: GISAPP_CRASH_AT=<point> makes the process SIGKILL itself at that point of
# a save ("after_layer:N", "before_fsync", "before_replace", "after_replace"; in place:
# "inplace_rows_half", "inplace_after_rows", "inplace_before_commit", "inplace_during_commit"
# (see crash_watcher), "inplace_after_commit"), so tests can prove that a save killed
# anywhere leaves a readable file.
CRASH_ENV = "GISAPP_CRASH_AT"
_SIDECARS = ("", "-journal", "-wal", "-shm")


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def crash_watcher(database: Path, name: str) -> threading.Thread | None:
    """Test hook for a kill *during* an SQLite commit: with GISAPP_CRASH_AT=<name>, a thread
    SIGKILLs the process as soon as the database file changes while its rollback journal
    still exists (SQLite writes the pages, then deletes the journal). Start it just before
    COMMIT; the commit runs without the GIL, so the thread sees the file change."""
    if os.environ.get(CRASH_ENV) != name:
        return None
    journal = Path(f"{database}-journal")
    before = database.stat()

    def watch() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                now = database.stat()
            except FileNotFoundError:
                continue
            if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
                if journal.exists():
                    os.kill(os.getpid(), signal.SIGKILL)
                return  # the commit finished before the watcher saw it: no kill

    thread = threading.Thread(target=watch, name="crash-watcher", daemon=True)
    thread.start()
    return thread


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete temporary files left by saves of ``target`` whose process is gone."""
    removed = []
    for temp in target.parent.glob(f".{target.stem}.*.tmp{target.suffix}*"):
        parts = temp.name[len(target.stem) + 2:].split(".")
        if not parts or not parts[0].isdigit():
            continue
        pid = int(parts[0])
        if pid == os.getpid() or _pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            temp.unlink()
            removed.append(temp)
    return removed


def check_writable(target: Path) -> os.stat_result | None:
    """Refuse a target that must not be replaced; returns its stat, or None for a new file."""
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise GisIOError(target, f"the file cannot be written ({exc.strerror or exc})") from exc
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise GisIOError(target, "this name belongs to a folder or device, not a file; choose another name")
        # Root may write anything, so the permission bits are asked as well: a file
        # someone made read-only (chmod 444) stays read-only for every user.
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise ReadOnlyError(target, f"the file is read-only ({stat.filemode(info.st_mode)}) and was not "
                                        "changed; save under another name")
    folder = _existing_folder(target.parent)
    folder_mode = folder.stat().st_mode
    if not folder_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyError(target, f"the folder {folder} is read-only; save in another folder")
    return info


def _existing_folder(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _real_target(target: Path) -> Path:
    """Saving through a symbolic link replaces the file it points to, not the link."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def is_no_space(exc: BaseException) -> bool:
    """Whether ``exc`` (or its cause) says the disk, a quota or the file-size limit is full."""
    current: BaseException | None = exc
    for _ in range(10):
        if current is None:
            return False
        if isinstance(current, OSError) and current.errno in NO_SPACE_ERRNOS:
            return True
        if any(text in str(current).lower() for text in _NO_SPACE_TEXTS):
            return True
        current = current.__cause__ or current.__context__
    return False


def folder_is_full(folder: Path, wanted: int) -> bool:
    """Whether ``folder`` cannot take ``wanted`` more bytes now (tried, then removed).

    GDAL and SQLite often report a full disk as something else ("Failed to commit
    transaction", "no such table: gpkg_contents" when the file's first pages were never
    written), so after a failed write the folder is asked directly.
    """
    wanted = max(1024 * 1024, min(wanted, _PROBE_MAX))
    fd, name = tempfile.mkstemp(prefix=".gisapp-space.", dir=folder)
    try:
        chunk = b"\0" * (64 * 1024)
        written = 0
        while written < wanted:
            written += os.write(fd, chunk)
        os.fsync(fd)
    except OSError as exc:
        return exc.errno in NO_SPACE_ERRNOS
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
    return False


def _written_size(temp: Path) -> int:
    total = 0
    for part in (Path(f"{temp}{sidecar}") for sidecar in _SIDECARS):
        with contextlib.suppress(OSError):
            total += part.stat().st_size
    return total


def raise_if_no_space(target: Path, exc: BaseException, written: Path | None = None) -> None:
    """Raise DiskFullError for ``target`` if the failure ``exc`` came from a full disk."""
    if isinstance(exc, GisIOError):
        return
    size = _written_size(written) if written is not None else 0
    with contextlib.suppress(OSError):
        if is_no_space(exc) or folder_is_full(_existing_folder(target.parent), size + 64 * 1024):
            raise DiskFullError(target) from exc


def keep_mode(temp: Path, previous: os.stat_result | None) -> None:
    """Give the replacement the permission bits (and, where allowed, the owner) of the old file."""
    if previous is None:
        return
    os.chmod(temp, stat.S_IMODE(previous.st_mode))
    current = temp.stat()
    if (current.st_uid, current.st_gid) != (previous.st_uid, previous.st_gid):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(temp, previous.st_uid, previous.st_gid)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target.

    Until ``os.replace`` the old file is untouched, so a crash at any point leaves
    either the old file or the complete new one, never a half-written file.
    Raises ReadOnlyError before writing anything, DiskFullError when space runs out.
    """
    target = _real_target(Path(target))
    previous = check_writable(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.{os.getpid()}.",
                                             suffix=f".tmp{target.suffix}", dir=target.parent)
    except OSError as exc:
        raise_if_no_space(target, exc)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise ReadOnlyError(target, f"the folder cannot be written ({exc.strerror}); "
                                        "save in another folder") from exc
        raise
    os.close(handle)
    temp = Path(temp_name)
    temp.unlink()  # writers such as GDAL want to create the file themselves
    try:
        try:
            yield temp
            crash_point("before_fsync")
            with open(temp, "rb+") as written:
                os.fsync(written.fileno())
            keep_mode(temp, previous)
        except Exception as exc:
            raise_if_no_space(target, exc, temp)
            raise
        crash_point("before_replace")
        os.replace(temp, target)
        _fsync_dir(target.parent)
        crash_point("after_replace")
    finally:
        for leftover in (Path(f"{temp}{sidecar}") for sidecar in _SIDECARS):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
