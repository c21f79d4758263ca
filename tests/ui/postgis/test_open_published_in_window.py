"""`gisapp --project postgresql://USER@HOST:PORT/DB?schema=NAME`: the window shows at once and
reads the published project on the open thread, as it reads a project file."""

from __future__ import annotations

from dataclasses import replace

from gisapp.io.postgis.project import PUBLISHED_KEY, publish_project
from gisapp.io.postgis.source import table_ref
from gisapp.ui.shell.app import start_window
from tests.io.test_project_gpkg import small_project


def _started(qtbot, *args):
    window = start_window(*args)
    qtbot.addWidget(window, before_close_func=lambda w: w.project.set_modified(False))
    return window


def test_a_published_project_opens_in_the_background(qtbot, monkeypatch, postgis_db, tmp_path):
    monkeypatch.setenv("PGPASSWORD", postgis_db.password)  # libpq's own: the URL has none
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    project = small_project()
    publish_project(project, postgis_db, "plan")
    url = replace(postgis_db, schema="plan").url()
    window = _started(qtbot, url, "en")
    assert window.isVisible() and window.opener.busy()  # shown; the server is asked on the open thread
    # The outline first (layers empty, titles in the tree), as for a project file.
    qtbot.waitUntil(lambda: window.project.title_en == "Test" or not window.opener.busy(), timeout=60_000)
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    assert [layer.id for layer in window.project.layers] == [layer.id for layer in project.layers]
    assert window.project.title_en == "Test" and not window.project.modified
    assert window.project.metadata[PUBLISHED_KEY]["schema"] == "plan"
    zones = window.project.layer("zones")
    assert table_ref(zones).table == "zones" and len(zones.frame) == 2
    # The primary keys stay the layer's stored ids in the frame it shows (its edits go to these rows).
    assert zones.stored is not None and zones.stored.frame is zones.frame and zones.stored.fids.tolist() == [1, 2]
    assert window.canvas.wait_for_render()


def test_a_server_that_is_down_is_named_and_the_window_stays(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    shown = []
    monkeypatch.setattr("gisapp.ui.shell.main_window.MainWindow.show_error",
                        lambda self, title, text: shown.append((title, text)))
    window = _started(qtbot, "postgresql://planner@127.0.0.1:1/plan?schema=team&sslmode=disable", "en")
    qtbot.waitUntil(lambda: not window.opener.busy(), timeout=60_000)
    assert len(shown) == 1 and "127.0.0.1:1/plan" in shown[0][1] and "no server answers" in shown[0][1]
    assert window.isVisible() and not window.project.vector_layers()
