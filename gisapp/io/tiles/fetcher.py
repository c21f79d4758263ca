"""Fetching tiles off the UI thread: a small thread pool, caches, cancelling, failures said once.

:class:`TileFetcher` serves one source. :meth:`TileFetcher.want` is given the tiles the view
needs now; requests for tiles that are no longer wanted are cancelled before they start
(and a running one is dropped when it ends), so panning never waits behind stale tiles.
Each tile is looked up in the disk cache first; remote tiles are fetched with ``urllib``
(an identifying User-Agent, a timeout), MBTiles tiles read from the file. Results go to
``on_tile(tile, data)`` on a pool thread; failures are counted by kind (``offline``,
``timeout``, ``HTTP 404``...) and a failed tile is not asked again for a while, so a dead
server is neither hammered nor reported tile by tile.

There is no prefetch beyond the view, as OSM's tile usage policy asks.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from gisapp.core.geo.tiles import Tile
from gisapp.core.model.tile_layer import TileSource
from gisapp.io.errors import GisIOError
from gisapp.io.tiles.cache import DiskTileCache
from gisapp.io.tiles.mbtiles import MBTilesReader
from gisapp.io.tiles.sources import USER_AGENT, needs_key, refusal, tile_url

FETCH_THREADS = 6  # as many connections per host as browsers and Qt open
TIMEOUT_S = 8.0
RETRY_AFTER_S = 30.0
MAX_TILE_BYTES = 8 * 1024 * 1024


class TileFetcher:
    """Tiles of one source, fetched on a small pool of threads."""

    def __init__(self, source: TileSource, on_tile: Callable[[Tile, bytes], None],
                 cache: DiskTileCache | None = None, key: Callable[[], str] = lambda: "",
                 hidpi: bool = False, timeout_s: float = TIMEOUT_S, threads: int = FETCH_THREADS,
                 on_failure: Callable[[str], None] | None = None) -> None:
        problem = refusal(source)
        if problem:
            raise ValueError(problem)
        self.source = source
        self.on_tile = on_tile
        self.on_failure = on_failure
        self.cache = cache
        self.key = key
        self.hidpi = hidpi
        self.timeout_s = timeout_s
        self.reader = MBTilesReader(source.path) if source.kind == "mbtiles" else None
        self.cache_key = DiskTileCache.source_key(source.url + ("@2x" if hidpi else ""))
        # Normal OS priority: these threads mostly wait on sockets, and a lowered one starved
        # them on a busy machine (first views took twice as long as QGIS's).
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="gisapp-tiles")
        self._lock = threading.Lock()
        self._wanted: set[Tile] = set()
        self._pending: dict[Tile, Future[None]] = {}
        self._failed: dict[Tile, float] = {}  # tile -> when it failed
        self.failures: dict[str, int] = {}  # kind -> count since the last success
        self.requests_sent = 0
        self.cancelled = 0
        self._closed = False

    # --- asking ---------------------------------------------------------------------------
    def want(self, tiles: Iterable[Tile]) -> None:
        """Fetch these tiles (those not pending); cancel pending ones not among them."""
        wanted = set(tiles)
        now = time.monotonic()
        with self._lock:
            if self._closed:
                return
            self._wanted = wanted
            for tile, future in list(self._pending.items()):
                if tile not in wanted and future.cancel():
                    del self._pending[tile]
                    self.cancelled += 1
            for tile in wanted:
                if tile in self._pending or now - self._failed.get(tile, -1e9) < RETRY_AFTER_S:
                    continue
                self._pending[tile] = self._pool.submit(self._fetch, tile)

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wanted = set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- on a pool thread -----------------------------------------------------------------------
    def _fetch(self, tile: Tile) -> None:
        try:
            with self._lock:
                if tile not in self._wanted:  # the view moved on before this started
                    self.cancelled += 1
                    return
            data = self._load(tile)
            with self._lock:
                if data is not None:
                    self.failures.clear()
                    self._failed.pop(tile, None)
            if data is not None:
                self.on_tile(tile, data)
        finally:
            with self._lock:
                self._pending.pop(tile, None)

    def _load(self, tile: Tile) -> bytes | None:
        if self.reader is not None:
            try:
                return self.reader.read(tile)
            except GisIOError:
                self._failure(tile, "damaged file")
                return None
        if self.cache is not None:
            cached = self.cache.get(self.cache_key, tile)
            if cached is not None:
                return cached
        key = self.key() if needs_key(self.source) else ""
        if needs_key(self.source) and not key:
            self._failure(tile, "no key")
            return None
        request = urllib.request.Request(tile_url(self.source, tile, key, self.hidpi),
                                         headers={"User-Agent": USER_AGENT})
        with self._lock:
            self.requests_sent += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                data = response.read(MAX_TILE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            self._failure(tile, f"HTTP {exc.code}")
            return None
        except TimeoutError:
            self._failure(tile, "timeout")
            return None
        except urllib.error.URLError as exc:
            self._failure(tile, "timeout" if isinstance(exc.reason, TimeoutError | socket.timeout) else "offline")
            return None
        except OSError:
            self._failure(tile, "offline")
            return None
        if not data or len(data) > MAX_TILE_BYTES:
            self._failure(tile, "not an image")
            return None
        if self.cache is not None:
            self.cache.put(self.cache_key, tile, data)
        return data

    def _failure(self, tile: Tile, kind: str) -> None:
        with self._lock:
            self._failed[tile] = time.monotonic()
            self.failures[kind] = self.failures.get(kind, 0) + 1
        if self.on_failure is not None:
            self.on_failure(kind)
