"""Shared test set-up: Qt runs offscreen; the bundled project is loaded once per test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

from gisapp.io.catalogue import load_catalogue  # noqa: E402


@pytest.fixture
def bundled_project():
    return load_catalogue()


@pytest.fixture(scope="session", autouse=True)
def config_dir(tmp_path_factory):
    """Qt settings (the stored language, export choices) per test process, never the user's:
    parallel workers would otherwise read each other's choices from ~/.config."""
    folder = tmp_path_factory.mktemp("config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(folder))
        yield folder


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


def pytest_collection_modifyitems(config, items):
    """Under xdist, a module's tests share a worker, so a module fixture (a QGIS run, a browser,
    a built catalogue) is made once; the hostile-file cases, independent and the longest part of
    the suite, spread over all workers."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None and not item.nodeid.startswith("tests/reliability/"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session")
def postgis_server():
    """A throw-away PostgreSQL/PostGIS cluster on loopback for this test process (tests/postgis_server.py)."""
    from tests.postgis_server import PostgisServer

    server = PostgisServer.start_new()
    yield server
    server.destroy()


@pytest.fixture
def postgis_db(postgis_server):
    """The superuser's ConnectionSpec of a fresh database with the postgis extension."""
    return postgis_server.new_database()


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process (the test machine has no Secret Service)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch):
    """An in-process keyring for the test (passwords and keys typed in an earlier test are gone)."""
    import keyring

    from gisapp.io.tiles import keys

    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    monkeypatch.setattr(keys, "_session_keys", {})  # passwords typed in an earlier test are gone
    yield store
    keyring.set_keyring(previous)
