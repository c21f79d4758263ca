"""Atomic file replacement: write beside the target, fsync, then os.replace."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Test hook: GISAPP_CRASH_AT=<point> makes the process SIGKILL itself at that point of
# a save ("after_layer:N", "before_fsync", "before_replace", "after_replace"), so tests
# can prove that a save killed anywhere leaves a readable file.
CRASH_ENV = "GISAPP_CRASH_AT"
_SIDECARS = ("", "-journal", "-wal", "-shm")


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


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


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target.

    Until ``os.replace`` the old file is untouched, so a crash at any point leaves
    either the old file or the complete new one, never a half-written file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.{os.getpid()}.", suffix=f".tmp{target.suffix}",
                                         dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    temp.unlink()  # writers such as GDAL want to create the file themselves
    try:
        yield temp
        crash_point("before_fsync")
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
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
