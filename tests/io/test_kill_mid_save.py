"""A save killed at any moment leaves the previous project file intact and readable.

A child process loads the project, deletes a feature through the edit session (as the
UI does) and saves over the same path. It is SIGKILLed either by itself at named points
of the save (GISAPP_CRASH_AT, see gisapp.io.atomic) or by this test after various
delays. Each time the file must open with every layer and feature of one whole version
(old or new, never a mix or a broken file), and leftover temporary files must not
disturb the next save.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from gisapp.io.catalogue import load_catalogue
from gisapp.io.project_gpkg import load_project, save_project

LAYER = "hitech_clusters"
CHILD = r"""
import sys
from gisapp.core.editing.session import EditSession
from gisapp.core.editing.edits import DeleteFeatures
from gisapp.io.project_gpkg import load_project, save_project

path, loops = sys.argv[1], int(sys.argv[2])
project = load_project(path)
session = EditSession(project)
print("loaded", flush=True)
for _ in range(loops):
    session.apply(DeleteFeatures("hitech_clusters", [0]))
    save_project(project, path)
    session.commit()
    print("saved", len(project.layer("hitech_clusters")), flush=True)
"""


@pytest.fixture
def saved(tmp_path):
    project = load_catalogue()
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    counts = {layer.id: len(layer) for layer in project.layers}
    return path, counts


def run_child(path, loops, env_extra=None, kill_after=None):
    env = {**os.environ, **(env_extra or {})}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(loops)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if kill_after is not None:
        # Wait for the project to be loaded, then let the saves run for a while.
        line = child.stdout.readline()
        assert line.strip() == "loaded", child.stderr.read()
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=120)
    return child.returncode, out, err


def check_whole(path, counts):
    """The file opens, passes SQLite's integrity check, and holds one whole version."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    project = load_project(path)
    for layer in project.layers:
        if layer.id != LAYER:
            assert len(layer) == counts[layer.id], layer.id
    assert project.indicators.indicators, "indicator tables are there too"
    return len(project.layer(LAYER))


@pytest.mark.parametrize("point", ["after_layer:1", "after_layer:9", "before_fsync", "before_replace"])
def test_killed_before_the_replace_keeps_the_old_file(saved, point):
    path, counts = saved
    code, _out, err = run_child(path, 1, {"GISAPP_CRASH_AT": point})
    assert code == -signal.SIGKILL, err
    assert check_whole(path, counts) == counts[LAYER], "the old version, complete"
    leftovers = list(path.parent.glob(".plan.*"))
    assert leftovers, "the killed save left its temporary file behind"
    # The next save is not confused by them, and clears them away.
    project = load_project(path)
    save_project(project, path)
    assert not list(path.parent.glob(".plan.*"))
    assert check_whole(path, counts) == counts[LAYER]


def test_killed_right_after_the_replace_has_the_new_file(saved):
    path, counts = saved
    code, _out, err = run_child(path, 1, {"GISAPP_CRASH_AT": "after_replace"})
    assert code == -signal.SIGKILL, err
    assert check_whole(path, counts) == counts[LAYER] - 1
    assert not list(path.parent.glob(".plan.*"))


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.45, 0.7, 1.0, 1.4])
def test_killed_at_random_moments_during_repeated_saves(saved, delay):
    path, counts = saved
    code, out, err = run_child(path, 7, kill_after=delay)
    completed = [int(line.split()[1]) for line in out.splitlines() if line.startswith("saved")]
    if code == 0:
        pytest.skip("all saves finished before the kill on this machine")
    assert code == -signal.SIGKILL, err
    n = check_whole(path, counts)
    # The last save reported complete, or the one after it if the kill fell between its
    # os.replace and its report: always a whole version.
    k = len(completed)
    assert n in (counts[LAYER] - k, counts[LAYER] - k - 1), (n, completed)
