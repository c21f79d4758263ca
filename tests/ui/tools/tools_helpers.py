"""Helpers for the tools' window tests: pixels of lon/lat, clicks on the map."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point


def pixel_of(window, lon: float, lat: float) -> QPoint:
    viewport = window.canvas.viewport
    x, y = transform_point(lon, lat, STORAGE_CRS, viewport.crs)
    px, py = viewport.map_to_pixel(x, y)
    return QPoint(round(px), round(py))


def lonlat_of(window, point: QPoint) -> tuple[float, float]:
    viewport = window.canvas.viewport
    x, y = viewport.pixel_to_map(point.x(), point.y())
    return transform_point(x, y, viewport.crs, STORAGE_CRS)


def click(qtbot, window, point: QPoint, button=Qt.LeftButton) -> None:
    qtbot.mouseMove(window.canvas, point)
    qtbot.mouseClick(window.canvas, button, pos=point)


def key(qtbot, window, which, modifier=Qt.NoModifier) -> None:
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, which, modifier)
