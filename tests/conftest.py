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
