"""`gisapp --project FILE`: the window shows at once, and the project is read in the
background as File > Open reads it (progress, Cancel); actuals and files follow it."""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from PySide6.QtCore import Qt

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project, save_project
from gisapp.ui.shell.app import start_window
from gisapp.ui.shell.opening import OpenProjectJob

FEATURES, CHUNK = 400, 20


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    squares = [shapely.box(121.5 + (i % 20) * 0.004, 38.9 + (i // 20) * 0.004,
                           121.5 + (i % 20 + 0.9) * 0.004, 38.9 + (i // 20 + 0.9) * 0.004) for i in range(FEATURES)]
    frame = gpd.GeoDataFrame({"name": [f"p{i}" for i in range(FEATURES)], "far": np.arange(FEATURES) / 10},
                             geometry=squares, crs="EPSG:4326")
    project = Project(title_zh="测试", title_en="Start-up test", layers=[VectorLayer("grid", "网格", "Grid", frame)])
    path = tmp_path_factory.mktemp("start") / "plan.gpkg"
    save_project(project, path)
    return path


class HeldRead:
    """Holds the open thread after its first read until :meth:`release` (or a cancel)."""

    def __init__(self, monkeypatch) -> None:
        self.paused, self.go = threading.Event(), threading.Event()
        real = OpenProjectJob._heard

        def heard(job, read):
            real(job, read)
            self.paused.set()
            while not self.go.wait(0.01) and not job.is_cancelled():
                pass

        monkeypatch.setattr(OpenProjectJob, "_heard", heard)

    def release(self) -> None:
        self.go.set()


def started(qtbot, monkeypatch, *args, **kwargs):
    monkeypatch.setenv("GISAPP_OPEN_CHUNK", str(CHUNK))
    window = start_window(*args, **kwargs)
    qtbot.addWidget(window, before_close_func=lambda w: w.project.set_modified(False))
    return window


def test_the_window_shows_before_the_project_is_read(qtbot, monkeypatch, project_file):
    held = HeldRead(monkeypatch)
    window = started(qtbot, monkeypatch, str(project_file), "en")
    assert window.isVisible() and window.opener.busy()  # shown, the project still being read
    assert not window.project.vector_layers()
    qtbot.waitUntil(held.paused.is_set, timeout=60_000)
    assert window.opener.progress.isVisible()
    assert window.opener.progress.label.text() == "Opening plan.gpkg"
    held.release()
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    whole = load_project(project_file)
    assert window.project.title_en == "Start-up test" and window.project.metadata.get("path") == str(project_file)
    [layer] = window.project.vector_layers()
    assert_geodataframe_equal(layer.frame, whole.layers[0].frame)
    assert not window.project.modified and not window.opener.progress.isVisible()


def test_cancel_leaves_the_empty_window(qtbot, monkeypatch, project_file):
    held = HeldRead(monkeypatch)
    window = started(qtbot, monkeypatch, str(project_file), "en")
    qtbot.waitUntil(held.paused.is_set, timeout=60_000)
    qtbot.mouseClick(window.opener.progress.cancel_button, Qt.LeftButton)
    held.release()
    assert not window.opener.busy() and not window.project.vector_layers()
    assert window.project.title_en == Project().title_en and not window.project.modified
    assert window.isVisible() and window.canvas.wait_for_render()


def test_a_damaged_project_is_named_and_the_window_stays(qtbot, monkeypatch, tmp_path):
    damaged = tmp_path / "damaged.gpkg"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)  # a header, then nothing a database holds
    shown = []
    monkeypatch.setattr("gisapp.ui.shell.main_window.MainWindow.show_error",
                        lambda self, title, text: shown.append((title, text)))
    window = started(qtbot, monkeypatch, str(damaged), "en")
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    assert len(shown) == 1 and "damaged.gpkg" in shown[0][1]
    assert window.isVisible() and not window.project.vector_layers()


def test_a_missing_project_fails_before_any_window(qtbot, tmp_path):
    with pytest.raises(GisIOError, match="missing.gpkg"):
        start_window(str(tmp_path / "missing.gpkg"), "en")


def test_actuals_are_read_once_the_project_is_in(qtbot, monkeypatch, tmp_path, bundled_project):
    """The bundled project saved, started with an actuals CSV: its values are in the project read."""
    path = tmp_path / "dalian.gpkg"
    save_project(bundled_project, path)
    csv = tmp_path / "actuals.csv"
    csv.write_text("indicator_id,year,value,note\nplan.t2.04,2022,8120,\n", encoding="utf-8")
    window = started(qtbot, monkeypatch, str(path), "en", str(csv))
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=120_000)
    assert window.project.metadata.get("path") == str(path)
    assert window.project.indicators.actuals.get("plan.t2.04", 2022).value == 8120
    assert not window.project.modified
