"""Coordinates in the window: a click captured in every listed CRS (DD and DMS), copy, any EPSG
code added, and Go to coordinate with its marker and its refusals."""

import pytest
from pyproj import Transformer
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gisapp.core.editing.tools import Mode
from gisapp.core.geo.coordinates import format_dms
from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point
from tests.ui.tools.tools_helpers import click, lonlat_of, pixel_of


def _rows(panel):
    """CRS code -> (decimal, DMS) as the table shows them (two lines per cell)."""
    rows = {}
    for r in range(panel.table.rowCount()):
        code = panel.table.item(r, 0).text().split("\n")[0]
        decimal, _newline, dms = panel.table.item(r, 1).text().partition("\n")
        rows[code] = (decimal, dms)
    return rows


def test_a_click_in_every_crs(make_window, qtbot):
    window = make_window()
    window.editing.tools.set_snapping(False)
    window.tools.tool_actions[Mode.CAPTURE_POINT].trigger()
    panel = window.tools.coordinates_panel
    assert window.tools.coordinates_dock.isVisible()
    target = pixel_of(window, 121.55, 38.89)
    click(qtbot, window, target)
    lon, lat = lonlat_of(window, target)
    rows = _rows(panel)
    assert list(rows)[:1] == ["EPSG:3857"]  # the map CRS first
    assert rows["EPSG:4326"] == (f"{lon:.6f}, {lat:.6f}", format_dms(lon, lat))
    assert rows["EPSG:4490"][1] == format_dms(lon, lat)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4550", always_xy=True).transform(lon, lat)
    assert rows["EPSG:4550"] == (f"{x:.3f}, {y:.3f}", "")
    x40, _ = Transformer.from_crs("EPSG:4326", "EPSG:4528", always_xy=True).transform(lon, lat)
    assert rows["EPSG:4528"][0].startswith("40") and float(rows["EPSG:4528"][0].split(",")[0]) == pytest.approx(x40, abs=1e-3)
    assert "zone 41" in panel.zone_label.text()

    qtbot.mouseClick(panel.copy_button, Qt.LeftButton)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert len(copied) == panel.table.rowCount() and copied[1].startswith("EPSG:4326 WGS 84\t")
    panel.table.selectRow(3)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key_C, Qt.ControlModifier)
    code, name = panel.table.item(3, 0).text().split("\n")
    assert QGuiApplication.clipboard().text() == "\t".join(p for p in (f"{code} {name}", *rows[code]) if p)

    panel.add_crs_edit.setText("32651")
    qtbot.keyClick(panel.add_crs_edit, Qt.Key_Return)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:32651", always_xy=True).transform(lon, lat)
    assert _rows(panel)["EPSG:32651"][0] == f"{x:.3f}, {y:.3f}"
    panel.add_crs_edit.setText("99999")
    qtbot.keyClick(panel.add_crs_edit, Qt.Key_Return)
    assert panel.message.text() == "Unknown CRS “99999”: type an EPSG code, e.g. 4549"
    assert panel.message.textFormat() == Qt.PlainText


def test_go_to_coordinate_centres_with_a_marker(make_window, qtbot):
    window = make_window()
    panel = window.tools.coordinates_panel
    window.tools.act_go_to.trigger()
    assert window.tools.coordinates_dock.isVisible()
    panel.goto_crs.setCurrentIndex(panel.goto_crs.findData("EPSG:4550"))
    panel.goto_edit.setText("378549.9, 4308334.4")
    qtbot.mouseClick(panel.goto_button, Qt.LeftButton)
    viewport = window.canvas.viewport
    centre = transform_point(viewport.center_x, viewport.center_y, viewport.crs, STORAGE_CRS)
    assert centre == pytest.approx((121.6, 38.9), abs=1e-6)
    assert window.canvas.marker_lonlat == pytest.approx((121.6, 38.9), abs=1e-6)
    assert panel.goto_message.text().startswith("Centred on 121.600000, 38.900000")


@pytest.mark.parametrize(("crs", "text", "said"), [
    ("EPSG:4326", "38.9, 121.6", "Latitude 121.6 is beyond ±90°"),
    ("EPSG:4529", "378549.9, 4308334.4", "EPSG:4529 eastings carry the zone number in front: they start with 41"),
    ("EPSG:4326", "121.6", "Two numbers are needed (x, y); got 1"),
])
def test_go_to_refuses_and_says_why(make_window, qtbot, crs, text, said):
    window = make_window()
    panel = window.tools.coordinates_panel
    before = window.canvas.viewport
    panel.goto_crs.setCurrentIndex(panel.goto_crs.findData(crs))
    panel.goto_edit.setText(text)
    qtbot.keyClick(panel.goto_edit, Qt.Key_Return)
    assert panel.goto_message.text().startswith(said)
    assert window.canvas.viewport == before and window.canvas.marker_lonlat is None


def test_chinese(make_window, qtbot):
    window = make_window("zh")
    panel = window.tools.coordinates_panel
    panel.goto_crs.setCurrentIndex(panel.goto_crs.findData("EPSG:4326"))
    panel.goto_edit.setText("38.9, 121.6")
    qtbot.keyClick(panel.goto_edit, Qt.Key_Return)
    assert panel.goto_message.text().startswith("纬度 121.6 超出 ±90°")
    assert window.tools.coordinates_dock.windowTitle() == "坐标"
    assert panel.goto_box.title() == "转到坐标"
