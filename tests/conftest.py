"""Shared test set-up: Qt runs offscreen; the bundled project is loaded once per test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

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
