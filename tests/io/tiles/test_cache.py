"""The disk tile cache keeps to its size by dropping the least recently used tiles."""

import os
import time

from gisapp.core.geo.tiles import Tile
from gisapp.io.tiles.cache import DiskTileCache


def test_the_cache_is_bounded_and_drops_the_least_recently_used(tmp_path):
    cache = DiskTileCache(tmp_path / "tiles", limit_bytes=10_000)
    for x in range(4):
        cache.put("src", Tile(x, 0, 5), bytes(2_000))
    old = time.time() - 100
    for x in range(4):  # tile 0 oldest ... tile 3 newest
        os.utime(tmp_path / "tiles" / "src" / "5" / str(x) / "0", (old + x, old + x))
    assert cache.get("src", Tile(0, 0, 5)) == bytes(2_000)  # a read makes tile 0 the most recent
    cache.put("src", Tile(9, 0, 5), bytes(3_000))  # 11,000 bytes: over the limit
    assert cache.size_bytes() <= 9_000
    assert cache.get("src", Tile(1, 0, 5)) is None  # the least recently used went first
    assert cache.get("src", Tile(0, 0, 5)) is not None and cache.get("src", Tile(9, 0, 5)) is not None


def test_a_cache_that_cannot_be_written_only_costs_the_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = DiskTileCache(blocker / "tiles")  # its folder cannot be made
    cache.put("src", Tile(0, 0, 0), b"png")
    assert cache.get("src", Tile(0, 0, 0)) is None
