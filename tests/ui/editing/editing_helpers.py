"""Helpers for editing tests: pixels of layer coordinates and a window ready to edit."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPoint

from gisapp.core.editing.snapping import Snapper
from gisapp.core.geo.geodesy import transform_point

SECTORS = "hitech_city_sectors"
SCIENCE_CITY_LAYER = "hitech_science_city"


def pixel(window, layer, xy) -> QPoint:
    """The canvas pixel nearest to a coordinate in the layer's CRS."""
    canvas = window.canvas
    x, y = transform_point(float(xy[0]), float(xy[1]), layer.crs, canvas.viewport.crs)
    px, py = canvas.viewport.map_to_pixel(x, y)
    return QPoint(round(px), round(py))


def layer_xy(window, layer, point: QPoint) -> tuple[float, float]:
    """Where a click on ``point`` lands in the layer's CRS (no snapping)."""
    canvas = window.canvas
    x, y = canvas.viewport.pixel_to_map(point.x(), point.y())
    return transform_point(x, y, canvas.viewport.crs, layer.crs)


def free_pixel(window, near: QPoint, step: int = 6) -> QPoint:
    """A pixel near ``near`` where snapping finds nothing (so the click lands as is)."""
    canvas = window.canvas
    snapper = Snapper(window.project, canvas.viewport.crs, window.editing.tools.tolerance_px)
    for radius in range(0, 400, step):
        for dx, dy in ((radius, 0), (0, radius), (-radius, 0), (0, -radius), (radius, radius),
                       (-radius, -radius), (radius, -radius), (-radius, radius)):
            candidate = QPoint(near.x() + dx, near.y() + dy)
            if not (30 < candidate.x() < canvas.width() - 30 and 30 < candidate.y() < canvas.height() - 30):
                continue
            x, y = canvas.viewport.pixel_to_map(candidate.x(), candidate.y())
            if snapper.snap(x, y, canvas.viewport.resolution) is None:
                return candidate
    raise AssertionError("no pixel free of snapping targets")


def coords(layer, row) -> np.ndarray:
    return shapely.get_coordinates(layer.frame.geometry.iloc[row])


def shared_vertices(layer, a: int, b: int) -> list[tuple[float, float]]:
    ca = {tuple(c) for c in coords(layer, a)}
    return [tuple(c) for c in coords(layer, b) if tuple(c) in ca]


def prepare(window, layer_id: str = SECTORS, zoom_to: tuple[str, int] | None = (SCIENCE_CITY_LAYER, 0)):
    """Make ``layer_id`` current and editable; answer questions from ``window.answers``."""
    window.asked = []
    window.answers = []
    window.choices = []

    def ask(title, text, buttons, default=None):
        window.asked.append((title, text, [key for key, _label in buttons]))
        return window.answers.pop(0) if window.answers else "discard"

    def choose(title, text, options):
        window.asked.append((title, text, options))
        return window.choices.pop(0) if window.choices else None

    window.ask = ask
    window.choose = choose
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(layer_id))
    if zoom_to is not None:
        window.canvas.zoom_to_feature(*zoom_to)
        window.canvas.zoom_by(1.6)
    assert window.canvas.wait_for_render()
    window.editing.operations.set_editing(True)
    return window.project.layer(layer_id)
