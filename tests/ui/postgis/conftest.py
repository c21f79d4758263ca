"""Shared by the window's PostGIS tests: an in-process keyring and a ~/.pgpass of the test's own."""

import keyring
import pytest
from keyring.backend import KeyringBackend

from gisapp.io.tiles import keys


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
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    monkeypatch.setattr(keys, "_session_keys", {})  # passwords typed in an earlier test are gone
    yield store
    keyring.set_keyring(previous)


@pytest.fixture
def pgpass(postgis_server, tmp_path, monkeypatch):
    """libpq finds the superuser's password here (saved connections and projects keep none)."""
    path = tmp_path / "pgpass"
    path.write_text(f"127.0.0.1:{postgis_server.port}:*:postgres:{postgis_server.password}\n")
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


@pytest.fixture(autouse=True)
def no_saved_connections():
    """Each test starts without saved connections (the settings live per test process)."""
    from PySide6.QtCore import QSettings

    from gisapp.ui.postgis.connections import SETTINGS_KEY

    QSettings().remove(SETTINGS_KEY)
    yield
    QSettings().remove(SETTINGS_KEY)
