"""Fetching from a real tile server on loopback: caching, failures said once, cancelling."""

import socket
import threading
import time

from gisapp.core.geo.tiles import Tile
from gisapp.core.model.tile_layer import TileSource
from gisapp.io.tiles.cache import DiskTileCache
from gisapp.io.tiles.fetcher import TileFetcher
from gisapp.io.tiles.sources import USER_AGENT
from tests.tile_server import tile_png


class Received:
    def __init__(self):
        self.tiles, self.failures = {}, []
        self.event = threading.Condition()

    def tile(self, tile, data):
        with self.event:
            self.tiles[tile] = data
            self.event.notify_all()

    def failure(self, kind):
        with self.event:
            self.failures.append(kind)
            self.event.notify_all()

    def wait(self, done, timeout=10):
        with self.event:
            return self.event.wait_for(done, timeout)


def fetcher_for(url, tmp_path, received, **kwargs):
    return TileFetcher(TileSource("xyz", url=url), received.tile, cache=DiskTileCache(tmp_path / "cache"),
                       on_failure=received.failure, **kwargs)


def test_tiles_come_once_then_from_the_disk_cache(tile_server, tmp_path):
    server = tile_server()
    received = Received()
    wanted = [Tile(x, y, 4) for x in range(3) for y in range(2)]
    fetcher = fetcher_for(server.url, tmp_path, received)
    fetcher.want(wanted)
    assert received.wait(lambda: len(received.tiles) == 6)
    assert received.tiles[Tile(2, 1, 4)] == tile_png(4, 2, 1)
    assert server.count() == 6 and set(server.user_agents) == {USER_AGENT}
    fetcher.close()
    again = Received()
    second = fetcher_for(server.url, tmp_path, again)
    second.want(wanted)
    assert again.wait(lambda: len(again.tiles) == 6)
    assert server.count() == 6  # all from the disk cache
    second.close()


def test_http_errors_are_counted_by_kind_and_not_asked_again(tile_server, tmp_path):
    for mode, kind in (("404", "HTTP 404"), ("500", "HTTP 500")):
        server = tile_server(mode)
        received = Received()
        fetcher = fetcher_for(server.url, tmp_path, received)
        tiles = [Tile(x, 0, 3) for x in range(4)]
        fetcher.want(tiles)
        assert received.wait(lambda received=received: len(received.failures) == 4)
        assert set(received.failures) == {kind} and fetcher.failures == {kind: 4}
        fetcher.want(tiles)  # the next view of the same place: failed tiles wait before a retry
        time.sleep(0.2)
        assert server.count() == 4
        fetcher.close()


def test_a_server_that_is_gone_is_offline(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    received = Received()
    fetcher = fetcher_for(f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", tmp_path, received)
    fetcher.want([Tile(0, 0, 1), Tile(1, 0, 1)])
    assert received.wait(lambda: len(received.failures) == 2)
    assert set(received.failures) == {"offline"}
    fetcher.close()


def test_a_stalled_server_times_out_and_stale_requests_are_cancelled(tile_server, tmp_path):
    server = tile_server("stall")
    received = Received()
    fetcher = fetcher_for(server.url, tmp_path, received, timeout_s=0.5, threads=2)
    first_view = [Tile(x, 0, 5) for x in range(10)]
    fetcher.want(first_view)
    time.sleep(0.1)  # two requests hang on the server, eight wait for a thread
    second_view = [Tile(x, 20, 5) for x in range(2)]
    fetcher.want(second_view)  # the view moved: the eight waiting requests never go out
    assert received.wait(lambda: len(received.failures) >= 4, timeout=5)
    assert set(received.failures) == {"timeout"}
    asked = {path.split(".")[0] for path in server.requests}
    assert len(asked) == 4 and {"/5/0/20", "/5/1/20"} <= asked
    assert fetcher.cancelled == 8
    fetcher.close()
