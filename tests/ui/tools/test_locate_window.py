"""Locate in the window: Ctrl+K, typing, the completion list with layers, Enter or a click zooms
to the feature and selects it; large layers are indexed in the background."""

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from gisapp.core.model.layer import VectorLayer

SCIENCE_CITY = "hitech_science_city"


def _type(qtbot, box, text):
    box.setFocus()
    box.clear()
    if text.isascii():
        qtbot.keyClicks(box, text)
    else:  # Chinese arrives from the input method as committed text
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(box, event)


def _shown(extent, bounds):
    return extent[0] <= bounds[0] and extent[1] <= bounds[1] and extent[2] >= bounds[2] and extent[3] >= bounds[3]


def test_ctrl_k_types_picks_and_zooms(make_window, qtbot):
    window = make_window()
    box = window.tools.locate_box
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key_K, Qt.ControlModifier)
    assert QApplication.focusWidget() is box
    window.canvas.zoom_by(0.2)
    _type(qtbot, box, "yingeshi SCI")
    popup = box.completer.popup()
    assert popup.isVisible()
    rows = box.hits_shown()
    assert rows[0][0] == "Yingeshi Science City"
    assert rows[0][1] == window.project.layer(SCIENCE_CITY).title("en")
    qtbot.keyClick(popup, Qt.Key_Down)
    qtbot.keyClick(popup, Qt.Key_Return)
    layer = window.project.layer(SCIENCE_CITY)
    assert list(layer.selection) == [0]
    assert window.panel.current == (SCIENCE_CITY, 0)
    bounds = layer.projected(window.canvas.viewport.crs).bounds_of([0])[0]
    assert _shown(window.canvas.viewport.extent, bounds)
    assert window.canvas.viewport.resolution < 60  # zoomed in from the whole zone


def test_chinese_substrings_and_enter_takes_the_best(make_window, qtbot):
    window = make_window("zh")
    box = window.tools.locate_box
    _type(qtbot, box, "黄泥川")
    rows = box.hits_shown()
    assert rows and all("黄泥川" in name or "黄泥川" in where for name, where in rows)
    box.completer.popup().hide()
    qtbot.keyClick(box, Qt.Key_Return)
    selected = [(layer.id, list(layer.selection)) for layer in window.project.vector_layers() if len(layer.selection)]
    assert len(selected) == 1
    layer_id, rows_selected = selected[0]
    assert "黄泥川" in window.project.layer(layer_id).feature_label(rows_selected[0], "zh")


def test_ids_and_no_match(make_window, qtbot):
    window = make_window()
    box = window.tools.locate_box
    feature_id = str(window.project.layer(SCIENCE_CITY).frame["id"].iloc[0])
    _type(qtbot, box, feature_id.upper())
    assert box.hits_shown()[0][0] == "Yingeshi Science City"
    _type(qtbot, box, "no such place xyz")
    assert box.hits_shown() == [("No feature matches “no such place xyz”", "")]


def test_a_large_layer_is_indexed_in_the_background(make_window, qtbot):
    n = 30_000
    frame = gpd.GeoDataFrame({"id": [f"parcel.{i}" for i in range(n)], "name_en": [f"Parcel {i}" for i in range(n)]},
                             geometry=shapely.points(121.5 + np.arange(n) * 1e-6, np.full(n, 38.9)), crs="EPSG:4326")
    window = make_window()
    window.project.add_layer(VectorLayer("parcels", "地块", "Parcels", frame))
    box = window.tools.locate_box
    _type(qtbot, box, "parcel 2999")
    assert ("Still indexing 1 large layer(s)…", "") in box.hits_shown()
    qtbot.waitUntil(lambda: box.hits_shown() and box.hits_shown()[0][0] == "Parcel 2999", timeout=60_000)
    assert box.hits_shown()[1][0].startswith("Parcel 2999")
