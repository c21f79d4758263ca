"""Shared test set-up: Qt runs offscreen; the bundled project is loaded once per test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from gisapp.io.catalogue import load_catalogue  # noqa: E402


@pytest.fixture
def bundled_project():
    return load_catalogue()


@pytest.fixture(autouse=True)
def state_dir(tmp_path_factory, monkeypatch):
    """The user's state folder (crash log, recovery files) of every test and its child processes."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("GISAPP_STATE_DIR", str(folder))
    return folder


@pytest.fixture
def tile_server(tmp_path, monkeypatch):
    """Factory: a loopback tile server (``mode`` ok, 404, 500 or stall), stopped after the test;
    the tile cache goes to a folder of the test's own."""
    from tests.tile_server import serve

    monkeypatch.setenv("GISAPP_TILE_CACHE_DIR", str(tmp_path / "tile-cache"))
    servers = []

    def start(mode: str = "ok", delay_s: float = 0.0):
        server = serve(mode, delay_s)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
