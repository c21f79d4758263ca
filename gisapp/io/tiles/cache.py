"""A bounded disk cache of tiles in the state folder, evicting the least recently used.

Tiles live under ``<cache>/<source hash>/<z>/<x>/<y>``; a read touches the file's mtime, so
eviction (oldest mtime first) drops what was used least recently. The total size is kept in
memory and checked after each write. ``GISAPP_TILE_CACHE_DIR`` moves the cache (tests do).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from gisapp.core.geo.tiles import Tile
from gisapp.paths import state_dir

CACHE_ENV = "GISAPP_TILE_CACHE_DIR"
DEFAULT_LIMIT_BYTES = 256 * 1024 * 1024


def default_cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else state_dir() / "tiles"


class DiskTileCache:
    """Tiles of many sources in one folder, at most ``limit_bytes`` in all."""

    def __init__(self, folder: str | Path | None = None, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()
        self.limit_bytes = limit_bytes
        self._lock = threading.Lock()
        self._size: int | None = None  # counted on first write

    @staticmethod
    def source_key(url_or_path: str) -> str:
        return hashlib.sha1(url_or_path.encode("utf-8")).hexdigest()[:16]

    def _file(self, source_key: str, tile: Tile) -> Path:
        return self.folder / source_key / str(tile.z) / str(tile.x) / str(tile.y)

    def get(self, source_key: str, tile: Tile) -> bytes | None:
        path = self._file(source_key, tile)
        try:
            data = path.read_bytes()
            os.utime(path)  # most recently used
        except OSError:
            return None
        return data

    def put(self, source_key: str, tile: Tile, data: bytes) -> None:
        path = self._file(source_key, tile)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.{threading.get_ident()}.part")
            temp.write_bytes(data)
            old = path.stat().st_size if path.exists() else 0
            os.replace(temp, path)  # a reader never sees half a tile
        except OSError:
            return  # a full or read-only disk only costs the cache
        with self._lock:
            if self._size is None:
                self._size = self._count()
            else:
                self._size += len(data) - old
            if self._size > self.limit_bytes:
                self._evict()

    def size_bytes(self) -> int:
        with self._lock:
            if self._size is None:
                self._size = self._count()
            return self._size

    def _files(self) -> list[tuple[float, int, Path]]:
        found = []
        for root, _dirs, files in os.walk(self.folder):
            for name in files:
                path = Path(root) / name
                try:
                    info = path.stat()
                except OSError:
                    continue
                found.append((info.st_mtime, info.st_size, path))
        return found

    def _count(self) -> int:
        return sum(size for _, size, _ in self._files())

    def _evict(self) -> None:
        """Drop the least recently used tiles until the cache is at 90 % of its limit."""
        files = sorted(self._files())
        total = sum(size for _, size, _ in files)
        target = int(self.limit_bytes * 0.9)
        for _mtime, size, path in files:
            if total <= target:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass
        self._size = total
