"""Shared by the window's PostGIS tests: a ~/.pgpass of the test's own (the in-process keyring
is tests/conftest.py's memory_keyring)."""

import pytest


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
