"""A save killed at any moment leaves the previous project file intact and readable.

A child process loads the project, deletes a feature through the edit session (as the
UI does) and saves over the same path, either by the atomic rewrite or in place (the
session's row changes written in one SQLite transaction). It is SIGKILLed either by itself
at named points of the save (GISAPP_CRASH_AT, see gisapp.io.atomic) or by this test after
various delays. Each time the file must open with every layer and feature of one whole
version (old or new, never a mix or a broken file), and leftover temporary files must not
disturb the next save.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest
import shapely

from gisapp.io.catalogue import load_catalogue
from gisapp.io.project_gpkg import load_project, save_project

LAYER = "hitech_clusters"
CHILD = r"""
import sys
from gisapp.core.editing.session import EditSession
from gisapp.core.editing.edits import DeleteFeatures
from gisapp.io.project_gpkg import load_project, save_project

path, loops, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
project = load_project(path)
session = EditSession(project)
print("loaded", flush=True)
for _ in range(loops):
    session.apply(DeleteFeatures("hitech_clusters", [0]))
    done = save_project(project, path, session.row_changes() if how == "in_place" else None)
    assert done == how, done
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


def run_child(path, loops, env_extra=None, kill_after=None, how="rewrite"):
    env = {**os.environ, **(env_extra or {})}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(loops), how], env=env,
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


@pytest.mark.parametrize(("how", "delay"), [("rewrite", 0.05), ("rewrite", 0.45), ("rewrite", 1.0),
                                          ("in_place", 0.05), ("in_place", 0.2), ("in_place", 0.45)])
def test_killed_at_random_moments_during_repeated_saves(saved, how, delay):
    path, counts = saved
    code, out, err = run_child(path, 7, kill_after=delay, how=how)
    completed = [int(line.split()[1]) for line in out.splitlines() if line.startswith("saved")]
    if code == 0:
        pytest.skip("all saves finished before the kill on this machine")
    assert code == -signal.SIGKILL, err
    n = check_whole(path, counts)
    # The last save reported complete, or the one after it if the kill fell between its
    # os.replace and its report: always a whole version.
    k = len(completed)
    assert n in (counts[LAYER] - k, counts[LAYER] - k - 1), (n, completed)


# --- the in-place save: one SQLite transaction ------------------------------------------------------
def table_state(path):
    """Every row of every table (an R-tree by its entries), as SQLite stores them."""
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'rtree_%\\_node' ESCAPE '\\' "
                                              "AND name NOT LIKE 'rtree_%\\_rowid' ESCAPE '\\' "
                                              "AND name NOT LIKE 'rtree_%\\_parent' ESCAPE '\\'")]
        state = {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
        # When a table last changed is the one value two saves of the same edit differ in.
        state["gpkg_contents"] = sorted(db.execute("SELECT table_name, min_x, min_y, max_x, max_y "
                                                   "FROM gpkg_contents").fetchall())
        # QGIS's project and style rows carry the time they were written: compared without it.
        if "qgis_projects" in state:
            state["qgis_projects"] = sorted(db.execute("SELECT name FROM qgis_projects").fetchall())
        if "layer_styles" in state:
            state["layer_styles"] = sorted(db.execute("SELECT f_table_name, styleName, styleQML FROM layer_styles"
                                                      ).fetchall())
        # The metadata names the file it was saved as (the reference is a copy elsewhere).
        state["gisapp_project"] = sorted((key, value.replace(str(path), "PATH")) for key, value in
                                         db.execute("SELECT key, value FROM gisapp_project"))
    return state


def check_tree_and_counts(path):
    with sqlite3.connect(path) as db:
        for (table,) in db.execute("SELECT table_name FROM gpkg_geometry_columns").fetchall():
            rows = {fid: shapely.from_wkb(blob[40:] if blob[3] & 0x0E else blob[8:]).bounds
                    for fid, blob in db.execute(f'SELECT fid, geom FROM "{table}" WHERE geom IS NOT NULL')}
            tree = {row[0]: row[1:] for row in db.execute(f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{table}_geom"')}
            assert set(tree) == set(rows), table
            for fid, (xmin, ymin, xmax, ymax) in rows.items():
                assert tree[fid][0] <= xmin and tree[fid][1] >= xmax and tree[fid][2] <= ymin and tree[fid][3] >= ymax
            count = db.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?", (table,)).fetchone()
            assert count[0] == db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0], table


def hot_journal(path):
    """Whether SQLite would play the journal back: it exists and its header is not zeroed
    (a journal killed before its header reached the disk starts with zeros and is ignored)."""
    journal = Path(f"{path}-journal")
    return journal.exists() and journal.read_bytes()[:1] not in (b"", b"\0")


@pytest.fixture
def states(saved, tmp_path_factory):
    """The old state of the file and the new one an uninterrupted in-place save writes."""
    path, counts = saved
    old = table_state(path)
    reference = tmp_path_factory.mktemp("reference") / "plan.gpkg"
    shutil.copy(path, reference)
    code, _out, err = run_child(reference, 1, how="in_place")
    assert code == 0, err
    return path, counts, old, table_state(reference)


@pytest.mark.parametrize("point", ["inplace_rows_half", "inplace_after_rows", "inplace_before_commit"])
def test_killed_inside_the_in_place_transaction_keeps_the_old_state(states, point):
    path, counts, old, new = states
    assert old != new
    code, _out, err = run_child(path, 1, {"GISAPP_CRASH_AT": point}, how="in_place")
    assert code == -signal.SIGKILL, err
    assert Path(f"{path}-journal").exists(), "killed with the transaction open: SQLite's journal is there"
    # gisapp opens it (its first read-write connection plays the journal back: a read-only
    # reader such as GDAL's cannot, once the commit had begun writing the file).
    assert check_whole(path, counts) == counts[LAYER]
    assert not hot_journal(path)
    assert len(pyogrio.read_dataframe(path, layer=LAYER)) == counts[LAYER]
    assert table_state(path) == old
    check_tree_and_counts(path)
    # The next save (in place again) completes.
    code, _out, err = run_child(path, 1, how="in_place")
    assert code == 0, err
    assert table_state(path) == new


def test_killed_during_the_commit_has_the_old_or_the_new_state(states, tmp_path):
    """Killed while SQLite writes the committed pages into the file (the journal still there).
    The watcher thread must see the file change before the commit ends, which a busy machine
    may not schedule in time: then the save completes, and the file must be the new state."""
    path, counts, old, new = states
    original = tmp_path / "original.gpkg"
    shutil.copy(path, original)
    kills = 0
    for _attempt in range(6):
        code, _out, err = run_child(path, 1, {"GISAPP_CRASH_AT": "inplace_during_commit"}, how="in_place")
        assert code in (0, -signal.SIGKILL), err
        if code == -signal.SIGKILL:
            kills += 1
            assert hot_journal(path), "killed between the first page written and the journal deleted"
            assert check_whole(path, counts) == counts[LAYER]
            assert table_state(path) == old
        else:
            assert table_state(path) == new
        check_tree_and_counts(path)
        if kills:
            break
        shutil.copy(original, path)
    assert kills, "no kill landed inside the commit in 6 tries"


def test_killed_right_after_the_commit_has_the_new_state(states):
    path, counts, _old, new = states
    code, _out, err = run_child(path, 1, {"GISAPP_CRASH_AT": "inplace_after_commit"}, how="in_place")
    assert code == -signal.SIGKILL, err
    assert table_state(path) == new
    check_tree_and_counts(path)
    assert check_whole(path, counts) == counts[LAYER] - 1


def test_a_rewrite_after_a_killed_in_place_save_is_not_spoiled_by_the_old_journal(states):
    path, counts, _old, _new = states
    code, _out, err = run_child(path, 1, {"GISAPP_CRASH_AT": "inplace_before_commit"}, how="in_place")
    assert code == -signal.SIGKILL, err
    code, _out, err = run_child(path, 1, how="rewrite")
    assert code == 0, err
    assert not hot_journal(path)
    check_tree_and_counts(path)
    assert check_whole(path, counts) == counts[LAYER] - 1
