"""Autosave writes the recovery file on its worker thread: the window keeps running."""

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QTimer

from gisapp.core.editing.edits import SetAttribute
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.io import recovery

N = 20_000


def big_project() -> Project:
    x = np.arange(N) % 300 * 0.001 + 121.3
    y = np.arange(N) // 300 * 0.001 + 38.8
    frame = gpd.GeoDataFrame({"id": [f"p{i}" for i in range(N)], "jobs": np.arange(N)},
                             geometry=shapely.box(x, y, x + 0.0009, y + 0.0009), crs="EPSG:4326")
    return Project(title_zh="大", title_en="Big", layers=[VectorLayer("parcels", "地块", "Parcels", frame)])


def test_the_event_loop_runs_while_a_big_recovery_file_is_written(make_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(recovery.RECOVERY_ENV, str(tmp_path))
    window = make_window("en", project=big_project())
    editing = window.editing
    editing.push(SetAttribute("parcels", 5, "jobs", 7, project=window.project))
    window.ask = lambda *_args, **_kwargs: "discard"  # closing the window at the end asks about the edit
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(editing.recovery.writer.busy()))
    timer.start()
    assert editing.recovery.autosave()
    assert editing.recovery.writer.busy() and not recovery.recovery_path(window.project).exists(), \
        "autosave returned before the file was written"
    qtbot.waitUntil(lambda: editing.recovery.recovery_file is not None, timeout=120_000)
    timer.stop()
    assert sum(ticks) >= 1, "the UI thread's timer ran while the worker wrote the file"
    frames = recovery.read_layers(recovery.find_recoveries(include_live=True)[0])
    assert len(frames["parcels"]) == N and frames["parcels"]["jobs"].iloc[5] == 7


def test_a_save_during_the_write_drops_the_recovery_file(make_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv(recovery.RECOVERY_ENV, str(tmp_path))
    window = make_window("en", project=big_project())
    editing = window.editing
    editing.push(SetAttribute("parcels", 5, "jobs", 7, project=window.project))
    window.ask = lambda *_args, **_kwargs: "discard"  # closing the window at the end asks about the edit
    assert editing.recovery.autosave()
    editing.recovery.delete_file()  # what a save or a discard does
    qtbot.waitUntil(lambda: not editing.recovery.writer.busy(), timeout=120_000)
    assert editing.recovery.recovery_file is None
    assert not recovery.recovery_path(window.project).exists()
