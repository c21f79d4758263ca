"""The georeferencer in the window: clicks on the image and on the map, residuals, GeoTIFF, layer."""

from pathlib import Path

import numpy as np
import rasterio
import shapely
from PySide6.QtCore import QPoint, Qt

from gisapp.core.geo.geodesy import transform_point
from gisapp.core.model.raster_layer import RasterLayer
from gisapp.io.georef import points_path, read_points

WIDTH, HEIGHT = 600, 400


def science_city_corners(window):
    """Three well spread vertices of the science city polygon (WGS 84), and a fourth place."""
    geom = window.project.layer("hitech_science_city").frame.geometry.iloc[0]
    coords = shapely.get_coordinates(geom.exterior if geom.geom_type == "Polygon" else geom.geoms[0].exterior)
    west, east = coords[np.argmin(coords[:, 0])], coords[np.argmax(coords[:, 0])]
    south = coords[np.argmin(coords[:, 1])]
    return [tuple(map(float, c)) for c in (west, east, south)]


def make_figure(tmp_path, corners):
    """An image of the area whose pixels map linearly onto lon/lat (north up)."""
    lons, lats = [c[0] for c in corners], [c[1] for c in corners]
    lon0, lon1 = min(lons) - 0.01, max(lons) + 0.01
    lat0, lat1 = min(lats) - 0.01, max(lats) + 0.01

    def to_pixel(lon, lat):
        return (lon - lon0) / (lon1 - lon0) * WIDTH, (lat1 - lat) / (lat1 - lat0) * HEIGHT

    data = np.full((3, HEIGHT, WIDTH), 235, dtype=np.uint8)
    data[2, :, ::50] = 90  # a grid, so the figure is not blank
    data[2, ::50, :] = 90
    path = tmp_path / "layout-figure.png"
    with rasterio.open(path, "w", driver="PNG", width=WIDTH, height=HEIGHT, count=3, dtype="uint8") as dst:
        dst.write(data)
    return path, to_pixel


def click_image(qtbot, dialog, x, y):
    pos = dialog.view.view_position(x, y).toPoint()
    qtbot.mouseClick(dialog.view.viewport(), Qt.LeftButton, pos=pos)


def click_map(qtbot, window, lon, lat, offset=(3, -2)):
    canvas = window.canvas
    x, y = transform_point(lon, lat, "EPSG:4326", canvas.viewport.crs)
    canvas._set_viewport(canvas.viewport.fitted((x - 400, y - 400, x + 400, y + 400), margin=0))  # ~1 m a pixel
    px, py = canvas.viewport.map_to_pixel(x, y)
    qtbot.mouseMove(canvas, QPoint(round(px) + offset[0], round(py) + offset[1]))
    qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(round(px) + offset[0], round(py) + offset[1]))


def georef_action(window):
    action = window.georef.act_georef
    assert action in window.menu_layer.actions()
    return action


def test_points_clicked_on_image_and_map_show_residuals_and_make_a_layer(make_window, qtbot, tmp_path):
    window = make_window("en")
    assert georef_action(window).text() == "&Georeference image…"
    georef_action(window).trigger()
    dialog = window.georef.dialog
    assert dialog.isVisible()
    corners = science_city_corners(window)
    image, to_pixel = make_figure(tmp_path, corners)
    assert dialog.open_image(image)
    assert dialog.wait() and dialog.image == image  # read on the worker thread
    editing_interaction = window.canvas.interaction

    for number, (lon, lat) in enumerate(corners, start=1):
        click_image(qtbot, dialog, *to_pixel(lon, lat))
        assert dialog.pending is not None and window.canvas.interaction is not editing_interaction
        click_map(qtbot, window, lon, lat)  # a few pixels off: snapping puts it on the vertex
        assert window.canvas.interaction is editing_interaction  # the map is given back
        assert dialog.table.rowCount() == number
        point = dialog.points[-1]
        assert (point.map_x, point.map_y) == (lon, lat)  # the vertex exactly
        if number < 3:
            assert dialog.table.item(number - 1, 8).text() == ""
            assert "needs at least 3 points" in dialog.rms.text()

    # Three points fix an affine transform: residuals are shown (about 0 here: the clicks on
    # the image are off by the screen's rounding only) and the RMS is given.
    assert dialog.fit is not None
    assert all(dialog.table.item(row, 8).text() for row in range(3))
    assert dialog.rms.text().startswith("RMS ") and " m (" in dialog.rms.text()
    first_rms = dialog.fit.rms_m
    assert first_rms < 30

    # Two more points typed: one right, one 0.005 degree east of where it is. Inside the
    # triangle, the wrong one cannot pull the fit to itself: its residual stands out.
    centre = np.mean(corners, axis=0)
    for lon, lat, error in ((centre[0] - 0.01, centre[1], 0.0), (centre[0] + 0.005, centre[1] + 0.002, 0.005)):
        click_image(qtbot, dialog, *to_pixel(lon, lat))
        dialog.lon.setValue(lon + error)
        dialog.lat.setValue(lat)
        qtbot.mouseClick(dialog.btn_add_typed, Qt.LeftButton)
    assert dialog.table.rowCount() == 5
    residuals = [float(dialog.table.item(row, 8).text().replace(",", "")) for row in range(5)]
    assert max(residuals) == residuals[4] and dialog.fit.rms_m > 100 > first_rms
    assert window.canvas.interaction is editing_interaction

    # Switching it off takes it out of the fit (its residual still shows how far off it is).
    dialog.table.item(4, 1).setCheckState(Qt.Unchecked)
    assert not dialog.points[4].enabled
    assert dialog.fit.rms_m < 40  # what is left: where the clicks on the image fell (screen pixels)
    assert float(dialog.table.item(4, 8).text().replace(",", "")) > 350  # 0.005 degree at 39 N: 430 m
    for row in (4, 3):
        dialog.table.selectRow(row)
        qtbot.mouseClick(dialog.btn_delete, Qt.LeftButton)
    assert dialog.table.rowCount() == 3 and len(dialog.points) == 3

    # Georeference: written on the worker thread, points saved beside the image, layer asked for.
    requested = []
    real_open = window.open_paths
    window.open_paths = lambda paths, **kw: requested.append(list(paths)) or real_open(paths, **kw)
    dialog.crs.setCurrentIndex(dialog.crs.findData("EPSG:3857"))
    with qtbot.waitSignal(dialog.layerWritten, timeout=60_000) as written:
        qtbot.mouseClick(dialog.btn_run, Qt.LeftButton)
    out = tmp_path / "layout-figure_georef.tif"
    assert written.args == [str(out)]
    with rasterio.open(out) as dst:
        assert dst.crs.to_epsg() == 3857
        x, y = transform_point(*corners[1], "EPSG:4326", "EPSG:3857")
        row, col = dst.index(x, y)
        assert 0 <= row < dst.height and 0 <= col < dst.width
    saved, crs = read_points(points_path(image))
    assert crs == "EPSG:4326" and [(p.map_x, p.map_y) for p in saved] == corners
    assert requested == [[str(out)]]
    batch = window.georef.last_open
    batch.wait()
    assert not batch.outcome.refused, batch.outcome.refused
    added = [layer for layer in window.project.layers
             if isinstance(layer, RasterLayer) and Path(layer.path).resolve() == out.resolve()]
    assert len(added) == 1 and added[0].visible, "the georeferenced figure is a raster layer on the map"


def test_points_saved_beside_the_image_come_back_and_a_broken_image_is_refused(make_window, tmp_path):
    window = make_window("en")
    dialog = window.georef.show_dialog()
    corners = science_city_corners(window)
    image, to_pixel = make_figure(tmp_path, corners)
    assert dialog.open_image(image) and dialog.wait()
    for lon, lat in corners:
        dialog.image_clicked(*to_pixel(lon, lat))
        dialog.map_picked(lon, lat, True)
    assert dialog.save_points() == points_path(image)
    dialog.close()

    again = window.georef.show_dialog()
    assert again.open_image(image) and again.wait()
    assert [(p.map_x, p.map_y) for p in again.points] == corners
    assert again.fit is not None and again.fit.rms_m < 1.0

    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    assert again.open_image(broken) and again.wait()
    assert "broken.png" in again.last_error
    assert again.image == image and len(again.points) == 3  # the open work is kept
    bad_points = tmp_path / "bad.points"
    bad_points.write_text("mapX,mapY,sourceX,sourceY\n1,2\n", encoding="utf-8")
    assert not again.load_points(bad_points)
    assert "bad.points: line 2" in again.last_error
    assert len(again.points) == 3


def test_the_dialog_speaks_chinese(make_window):
    window = make_window("zh")
    assert georef_action(window).text() != "&Georeference image…"
    dialog = window.georef.show_dialog()
    assert dialog.windowTitle() == "地理配准图像"
    assert dialog.btn_run.text() and dialog.btn_run.text() != "Georeference and add layer"
