"""Spatial bookmarks in the window: add from the view (Ctrl+B), rename, go to (in another CRS
too), delete, the View > Bookmarks menu, and saved with the project."""

import pytest
from PySide6.QtCore import Qt

from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point
from gisapp.io.project_gpkg import load_project


def _centre_lonlat(window):
    viewport = window.canvas.viewport
    return transform_point(viewport.center_x, viewport.center_y, viewport.crs, STORAGE_CRS)


def test_add_rename_go_to_and_delete(make_window, qtbot, tmp_path):
    window = make_window()
    window.canvas.zoom_by(4)
    window.canvas.pan_by(120, -40)
    view = window.canvas.viewport.extent
    centre = _centre_lonlat(window)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key_B, Qt.ControlModifier)
    project = window.project
    assert [b.name for b in project.bookmarks] == ["Bookmark 1"] and project.modified
    assert project.bookmarks[0].extent == pytest.approx(view) and project.bookmarks[0].crs == "EPSG:3857"
    panel = window.tools.bookmarks_panel
    assert window.tools.bookmarks_dock.isVisible()
    assert panel.table.state() == panel.table.State.EditingState  # the new name is ready to type over
    panel.table.closePersistentEditor(panel.table.item(0, 0))
    panel.table.item(0, 0).setText("科学城东侧 & <b>R&D</b>")
    assert project.bookmarks[0].name == "科学城东侧 & <b>R&D</b>"

    window.canvas.zoom_full()
    window.set_canvas_crs("EPSG:4549")
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.go_button, Qt.LeftButton)
    assert _centre_lonlat(window) == pytest.approx(centre, abs=1e-6)

    menu = window.tools.menu_bookmarks
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions() if a.text()][-1] == "科学城东侧 && <b>R&&D</b>"  # shown as typed
    assert window.tools.act_show_bookmarks in menu.actions()

    path = tmp_path / "plan.gpkg"
    assert window._save_to(str(path))
    assert [b.name for b in load_project(path).bookmarks] == ["科学城东侧 & <b>R&D</b>"]

    panel.table.selectRow(0)
    qtbot.mouseClick(panel.delete_button, Qt.LeftButton)
    assert project.bookmarks == [] and panel.empty_label.isVisible()


def test_an_empty_name_is_not_kept_and_opening_a_project_shows_its_bookmarks(make_window, qtbot, tmp_path):
    window = make_window()
    window.tools.add_bookmark()
    panel = window.tools.bookmarks_panel
    panel.table.closePersistentEditor(panel.table.item(0, 0))
    panel.table.item(0, 0).setText("   ")
    assert window.project.bookmarks[0].name == "Bookmark 1" and panel.table.item(0, 0).text() == "Bookmark 1"
    path = tmp_path / "plan.gpkg"
    assert window._save_to(str(path))
    window.set_project(load_project(path))
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "Bookmark 1"
