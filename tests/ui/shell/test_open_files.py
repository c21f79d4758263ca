"""Opening broken files in the window: it stays up, says what happened, and a refused file
changes nothing. Layer > Set layer CRS… fixes a CRS that was assumed or guessed."""

import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from gisapp.ui.panels.crs_dialog import CrsDialog, parse_crs_code
from tests import broken_files
from tests.broken_files import CASES


def load_report_box(window) -> QMessageBox:
    box = window.findChild(QMessageBox, "LoadReportBox")
    assert box is not None and box.isVisible()
    return box


def test_a_partly_broken_file_opens_and_lists_its_rejected_features(make_window, tmp_path):
    window = make_window("en")
    path = broken_files._unclosed_ring(tmp_path)
    assert window.open_paths([str(path)]).wait() == [str(path)]
    layer = window.project.layers[0]
    assert layer.title_en == "unclosed_ring" and len(layer) == 2
    box = load_report_box(window)
    assert box.windowTitle() == "Opened with problems"
    assert box.textFormat() == Qt.PlainText
    assert box.text() == "unclosed_ring.geojson: 1 of 3 features were rejected"
    assert box.detailedText() == "unclosed_ring.geojson: feature 2: a polygon ring is not closed"
    assert "Saving the project writes those layers without them" in box.informativeText()
    window.canvas.zoom_to_layer(layer.id)
    assert window.canvas.wait_for_render()


def test_the_report_speaks_chinese(make_window, tmp_path):
    window = make_window("zh")
    window.open_paths([str(broken_files._odd_features(tmp_path))]).wait()
    box = load_report_box(window)
    assert box.windowTitle() == "已打开，但有问题"
    assert "12 个要素中有 10 个被拒绝" in box.text()
    details = box.detailedText().splitlines()
    assert details[0] == "odd_features.geojson: 第 2 个要素: 不是 GeoJSON 要素（JSON 数字）"
    assert "odd_features.geojson: 第 10 个要素: 多边形环的点数太少" in details
    assert "odd_features.geojson: 第 5 个要素: 不支持的几何类型 'Circle'" in details


def test_markup_in_a_file_name_is_shown_as_text(make_window, tmp_path):
    window = make_window("en")
    source = broken_files._unclosed_ring(tmp_path)
    path = source.rename(tmp_path / "<b>zones<img src=x>.geojson")
    window.open_paths([str(path)]).wait()
    box = load_report_box(window)
    assert box.textFormat() == Qt.PlainText
    assert box.text().startswith("<b>zones<img src=x>.geojson: ")


@pytest.mark.parametrize("case", [case for case in CASES if case.refused], ids=str)
def test_a_refused_file_changes_nothing_and_says_why(make_window, tmp_path, case):
    window = make_window("en")
    path = case.make(tmp_path)
    errors = []
    window.show_error = lambda title, text: errors.append((title, text))
    layers_before = [layer.id for layer in window.project.layers]
    view_before = window.canvas.viewport
    assert window.open_paths([str(path)]).wait() == []
    [(title, text)] = errors
    assert title == "Some files could not be opened"
    assert case.refused in text
    assert text.split(": ")[0] in (path.name, path.with_suffix(".dbf").name)  # names the file
    assert [layer.id for layer in window.project.layers] == layers_before
    assert not window.project.modified and window.canvas.viewport == view_before


def test_refused_and_partly_broken_files_share_one_message(make_window, tmp_path):
    window = make_window("en")
    fifo = broken_files._fifo(tmp_path)
    good = broken_files._huge_longitude(tmp_path)
    assert window.open_paths([str(fifo), str(good)]).wait() == [str(good)]
    box = load_report_box(window)
    assert box.windowTitle() == "Some files could not be opened"
    assert box.text().splitlines() == [
        "pipe.geojson: this is a named pipe (FIFO), not a file; reading it could wait forever",
        "huge_longitude.geojson: 1 of 3 features were rejected"]
    assert box.detailedText() == ("huge_longitude.geojson: feature 3: coordinates outside the valid range "
                                  "of EPSG:4326 (x=1e+308, y=38.9)")


def test_absurd_coordinates_never_reach_the_canvas(make_window, tmp_path):
    window = make_window("en")
    paths = [broken_files._huge_longitude(tmp_path), broken_files._infinity_token(tmp_path),
             broken_files._far_point(tmp_path), broken_files._latitude_95(tmp_path)]
    assert len(window.open_paths([str(p) for p in paths]).wait()) == 4
    window.canvas.zoom_full()
    assert window.canvas.wait_for_render()
    viewport = window.canvas.viewport
    assert np.isfinite([viewport.center_x, viewport.center_y, viewport.resolution]).all()
    for layer in window.project.layers[:4]:
        window.canvas.zoom_to_layer(layer.id)
        assert window.canvas.wait_for_render()
    window.resize(900, 700)
    assert window.canvas.wait_for_render()


def test_an_assumed_crs_is_set_from_the_message(make_window, tmp_path):
    window = make_window("en")
    window.open_paths([str(broken_files._no_prj(tmp_path))]).wait()
    layer = window.project.layers[0]
    before = shapely.get_coordinates(layer.frame.geometry.array)
    box = load_report_box(window)
    assert box.text() == "no_prj.shp: no .prj: assumed WGS 84 (EPSG:4326)"
    assert "Layer > Set layer CRS…" in box.informativeText()
    asked = []
    window.ask_crs = lambda title, current: asked.append((title, current)) or "EPSG:4490"
    box.findChild(type(box.buttons()[0]), "SetLayerCrsButton").click()
    assert asked == [("no_prj", "EPSG:4326")]
    assert layer.crs == "EPSG:4490"
    assert (layer.load_report.crs_how, layer.metadata["crs_decision"]) == ("set", "set")
    assert np.array_equal(shapely.get_coordinates(layer.frame.geometry.array), before)
    assert window.project.modified
    assert "is now read in EPSG:4490" in window.statusBar().currentMessage()


def test_set_layer_crs_from_the_layer_menu_refuses_a_crs_that_cannot_place_the_layer(make_window, tmp_path):
    window = make_window("en")
    window.open_paths([str(broken_files._gk_shapefile_no_prj(tmp_path))]).wait()
    layer = window.project.layers[0]
    assert layer.crs == "EPSG:4529"
    errors = []
    window.show_error = lambda title, text: errors.append((title, text))
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(layer.id))
    window.ask_crs = lambda title, current: "EPSG:4326"
    window.act_set_crs.trigger()
    [(title, text)] = errors
    assert title == "The layer CRS was not changed"
    assert text.startswith("gauss_kruger_no_prj: 3 feature(s) lie outside the valid range of EPSG:4326")
    assert layer.crs == "EPSG:4529"
    window.ask_crs = lambda title, current: "EPSG:4528"
    window.act_set_crs.trigger()
    assert layer.crs == "EPSG:4528" and len(errors) == 1


def test_set_layer_crs_waits_until_editing_stops(make_window, tmp_path):
    window = make_window("en")
    window.open_paths([str(broken_files._no_prj(tmp_path))]).wait()
    layer = window.project.layers[0]
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(layer.id))
    window.editing.operations.set_editing(True)
    errors = []
    window.show_error = lambda title, text: errors.append(text)
    assert not window.set_layer_crs(layer.id, "EPSG:4490")
    assert errors == ["no_prj is being edited: stop editing first."] and layer.crs == "EPSG:4326"
    window.editing.operations.set_editing(False)


def test_the_crs_dialog_checks_the_code_as_it_is_typed(qtbot):
    dialog = CrsDialog("zones", "EPSG:4326")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert ok.isEnabled() and dialog.name_label.text() == "WGS 84"
    dialog.code_edit.setText("999999")
    assert not ok.isEnabled() and dialog.name_label.text() == "Unknown CRS code" and dialog.crs() is None
    dialog.code_edit.setText("4529")
    assert ok.isEnabled() and dialog.crs() == "EPSG:4529"
    assert dialog.name_label.text() == "CGCS2000 / 3-degree Gauss-Kruger zone 41"
    dialog.common.activated.emit(dialog.common.findData("EPSG:32651"))
    assert dialog.code_edit.text() == "EPSG:32651" and dialog.crs() == "EPSG:32651"
    dialog.code_edit.setText("<b>4326</b>")
    assert dialog.name_label.textFormat() == Qt.PlainText and not ok.isEnabled()
    assert parse_crs_code("ESRI:102100") == ("ESRI:102100", "WGS_1984_Web_Mercator_Auxiliary_Sphere")
