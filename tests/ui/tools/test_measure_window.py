"""Measure in the window: clicks on the map, the panel's segments and totals, units, copy, keys,
snapping, and the same metres whatever the map CRS."""

import pytest
from pyproj import Geod
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gisapp.core.editing.tools import MeasureTool, Mode
from gisapp.core.geo.measure import format_area, format_length
from tests.ui.tools.tools_helpers import click, key, lonlat_of, pixel_of

GEOD = Geod(ellps="WGS84")
# Three places around the science city (lon/lat).
TRIANGLE = [(121.50, 38.86), (121.56, 38.86), (121.56, 38.90)]


def _start(window, mode):
    window.editing.tools.set_snapping(False)
    window.tools.tool_actions[mode].trigger()
    assert isinstance(window.editing.tools.tool, MeasureTool)
    return window.tools.measure_panel


def _clicked_lonlat(qtbot, window, places):
    points = [pixel_of(window, *place) for place in places]
    for point in points:
        click(qtbot, window, point)
    return [lonlat_of(window, point) for point in points]


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:4549"])
def test_area_with_its_segments_in_the_panel(make_window, qtbot, crs):
    window = make_window()
    window.set_canvas_crs(crs)
    panel = _start(window, Mode.MEASURE_AREA)
    assert window.tools.measure_dock.isVisible()
    clicked = _clicked_lonlat(qtbot, window, TRIANGLE)
    key(qtbot, window, Qt.Key_Return)
    lons, lats = zip(*clicked, strict=True)
    area, perimeter = GEOD.polygon_area_perimeter(lons, lats)
    ring = [*clicked, clicked[0]]
    segments = [GEOD.inv(*a, *b)[2] for a, b in zip(ring, ring[1:], strict=False)]
    assert panel.table.rowCount() == 3
    assert [panel.table.item(r, 1).text() for r in range(3)] == [format_length(s) for s in segments]
    assert panel.total_label.text() == f"Perimeter: {format_length(perimeter)}"
    assert panel.extra_label.text() == f"Area: {format_area(abs(area))}"
    # The triangle is about 14 km²: the same on the ground in Web Mercator and Gauss-Krüger.
    assert abs(area) == pytest.approx(0.5 * 5_195 * 4_448, rel=0.02)

    panel.area_unit.setCurrentIndex(panel.area_unit.findData("ha"))
    assert panel.extra_label.text() == f"Area: {format_area(abs(area), 'ha')}"
    qtbot.mouseClick(panel.copy_button, Qt.LeftButton)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == f"Segment 1\t{format_length(segments[0])}" and copied[-1] == f"Area\t{format_area(abs(area), 'ha')}"


def test_distance_keys_copy_and_right_click(make_window, qtbot):
    window = make_window()
    panel = _start(window, Mode.MEASURE_DISTANCE)
    clicked = _clicked_lonlat(qtbot, window, TRIANGLE[:2])
    qtbot.mouseMove(window.canvas, pixel_of(window, *TRIANGLE[2]))
    assert panel.table.rowCount() == 2, "the leg to the cursor is measured live"
    click(qtbot, window, pixel_of(window, *TRIANGLE[2]), Qt.RightButton)
    tool = window.editing.tools.tool
    assert tool.finished and panel.table.rowCount() == 1
    expected = GEOD.inv(*clicked[0], *clicked[1])[2]
    assert panel.total_label.text() == f"Total: {format_length(expected)}"
    QGuiApplication.clipboard().setText("")
    key(qtbot, window, Qt.Key_C, Qt.ControlModifier)  # Ctrl+C on the map copies the measure
    assert QGuiApplication.clipboard().text() == f"Segment 1\t{format_length(expected)}\nTotal\t{format_length(expected)}"
    panel.length_unit.setCurrentIndex(panel.length_unit.findData("m"))
    assert panel.total_label.text() == f"Total: {format_length(expected, 'm')}"
    key(qtbot, window, Qt.Key_Escape)
    assert panel.total_label.text() == "No measurement yet" and not tool.points
    assert not window.tools.act_copy_measure.isEnabled()


def test_metres_do_not_depend_on_the_map_crs(make_window, qtbot):
    window = make_window()
    totals, pixel_m = {}, 0.0
    for crs in ("EPSG:3857", "EPSG:4549", "EPSG:4326"):
        window.set_canvas_crs(crs)
        window.canvas.wait_for_render()
        panel = _start(window, Mode.MEASURE_DISTANCE)
        clicked = _clicked_lonlat(qtbot, window, TRIANGLE)
        key(qtbot, window, Qt.Key_Return)
        totals[crs] = window.editing.tools.tool.result().total_m
        # Geodesic from where the clicks landed, whatever the CRS.
        assert totals[crs] == pytest.approx(sum(GEOD.inv(*a, *b)[2] for a, b in zip(clicked, clicked[1:],
                                                                                   strict=False)), rel=1e-9)
        pixel_m = max(pixel_m, window.canvas.viewport.ground_metres_per_pixel())
        key(qtbot, window, Qt.Key_Escape)
        assert panel.table.rowCount() == 0
    expected = sum(GEOD.inv(*a, *b)[2] for a, b in zip(TRIANGLE, TRIANGLE[1:], strict=False))
    for crs, total in totals.items():
        assert total == pytest.approx(expected, abs=4 * pixel_m), crs  # clicks land on whole pixels


def test_clicks_snap_to_a_vertex_of_a_visible_layer(make_window, qtbot):
    window = make_window()
    window.tools.tool_actions[Mode.MEASURE_DISTANCE].trigger()
    window.editing.tools.set_snapping(True)
    layer = window.project.layer("hitech_science_city")
    import shapely
    vertex = shapely.get_coordinates(layer.frame.geometry.iloc[0])[0]
    near = pixel_of(window, *vertex)
    near.setX(near.x() + 4)
    click(qtbot, window, near)
    assert window.editing.tools.tool.points[0] == pytest.approx(tuple(vertex), abs=1e-9)


def test_angle_and_chinese(make_window, qtbot):
    window = make_window("zh")
    panel = _start(window, Mode.MEASURE_ANGLE)
    _clicked_lonlat(qtbot, window, [TRIANGLE[0], TRIANGLE[1], TRIANGLE[2]])
    assert window.editing.tools.tool.finished
    assert panel.total_label.text().startswith("角度: ") and panel.total_label.text().endswith("°")
    angle = window.editing.tools.tool.result().angle_deg
    assert angle == pytest.approx(90, abs=1.5)
    assert window.tools.measure_dock.windowTitle() == "测量"
    assert panel.table.horizontalHeaderItem(1).text() == "长度"
