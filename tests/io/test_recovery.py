"""Recovery files: written atomically, read back exactly, offered only when their writer is gone."""

import json
import os
import subprocess
import sys

import pyogrio
import shapely

from gisapp.core.editing.edits import SetAttribute, SetGeometries
from gisapp.core.editing.session import EditSession
from gisapp.io import recovery
from gisapp.io.catalogue import load_catalogue


def test_recovery_file_round_trips_edited_tables_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv(recovery.RECOVERY_ENV, str(tmp_path))
    project = load_catalogue()
    session = EditSession(project)
    layer = project.layer("hitech_city_sectors")
    moved = shapely.transform(layer.frame.geometry.iloc[1], lambda c: c + 1e-7 / 3)
    session.apply(SetGeometries(layer.id, [1], [moved], project=project))
    session.apply(SetAttribute(layer.id, 2, "name_zh", "数字经济区", project=project))
    path = recovery.write_recovery(project, session.dirty_layers())
    assert path.parent == tmp_path and path == recovery.recovery_path(project)
    assert recovery.find_recoveries() == [], "our own live file is not offered to us"
    infos = recovery.find_recoveries(include_live=True)
    assert [entry["id"] for entry in infos[0].layers] == ["hitech_city_sectors"]
    frames = recovery.read_layers(infos[0])
    frame = frames["hitech_city_sectors"]
    assert frame.geometry.iloc[1].equals_exact(moved, 0)
    assert shapely.get_coordinates(frame.geometry.iloc[1]).tobytes() == shapely.get_coordinates(moved).tobytes()
    assert frame["name_zh"].iloc[2] == "数字经济区"
    recovery.delete_recovery(path)
    assert not path.exists()


def test_a_file_left_by_a_dead_process_is_offered(tmp_path, monkeypatch):
    monkeypatch.setenv(recovery.RECOVERY_ENV, str(tmp_path))
    project = load_catalogue()
    path = recovery.write_recovery(project, ["hitech_clusters"])
    # Rewrite the writer's pid to one that has exited.
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(done.stdout)
    rows = pyogrio.read_dataframe(path, layer=recovery.META_TABLE)
    rows.loc[rows["key"] == "pid", "value"] = json.dumps(dead_pid)
    pyogrio.write_dataframe(rows, path, layer=recovery.META_TABLE, driver="GPKG")
    found = recovery.find_recoveries()
    assert len(found) == 1 and found[0].pid == dead_pid and found[0].project_path is None
    assert found[0].title("en") == project.title_en
    # A file whose writer still runs (another window) is left alone.
    rows.loc[rows["key"] == "pid", "value"] = json.dumps(os.getppid())
    pyogrio.write_dataframe(rows, path, layer=recovery.META_TABLE, driver="GPKG")
    assert recovery.find_recoveries() == []
