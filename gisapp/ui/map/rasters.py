"""Raster layers on the canvas and in print: a snapshot the render thread turns into an image.

The UI thread only copies what the layer says (path, info, style, opacity). In the render
thread :func:`draw_raster` asks ``gisapp.io.raster.read_view`` for the view's pixels (warped
to the view's CRS by GDAL, from the overview level the view needs) and paints them as one
image. A file that cannot be read now (moved, truncated) is said once through ``problems``;
the rest of the map draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.raster_layer import RasterInfo, RasterLayer, RasterStyle
from gisapp.io.errors import GisIOError
from gisapp.io.raster import read_view

MAX_RASTER_PIXELS = 40_000_000  # a print page at 600 dpi is read in one piece up to this size


@dataclass
class RasterSnapshot:
    """What the render thread needs of one raster layer."""

    layer_id: str
    path: str
    info: RasterInfo
    style: RasterStyle
    opacity: float
    limits: tuple[float, float]
    problems: list[str] = field(default_factory=list)  # filled in the render thread
    overview_level: int | None = None  # the level the last draw read (for tests and the bench)

    @classmethod
    def of(cls, layer: RasterLayer) -> RasterSnapshot:
        return cls(layer.id, layer.path, layer.info, layer.style, layer.opacity, layer.limits())


def rgba_image(rgba: np.ndarray) -> QImage:
    """A QImage owning a copy of (h, w, 4) uint8 straight-alpha RGBA pixels."""
    height, width = rgba.shape[:2]
    data = np.ascontiguousarray(rgba)
    image = QImage(data.data, width, height, width * 4, QImage.Format_RGBA8888)
    return image.copy()  # the numpy buffer is freed after this call


def draw_raster(painter: QPainter, snapshot: RasterSnapshot, viewport: Viewport, scale: float = 1.0) -> None:
    """Paint the raster over the view; ``scale`` is device pixels per view pixel (HiDPI, print)."""
    width = max(1, round(viewport.width * scale))
    height = max(1, round(viewport.height * scale))
    if width * height > MAX_RASTER_PIXELS:
        shrink = (MAX_RASTER_PIXELS / (width * height)) ** 0.5
        width, height = max(1, int(width * shrink)), max(1, int(height * shrink))
    try:
        view = read_view(snapshot.path, snapshot.info, snapshot.style, viewport.extent, viewport.crs,
                         width, height, snapshot.limits)
    except GisIOError as exc:
        snapshot.problems.append(str(exc))
        return
    if view is None:
        return
    snapshot.overview_level = view.overview_level
    painter.save()
    painter.setOpacity(painter.opacity() * snapshot.opacity)
    painter.drawImage(QRectF(0, 0, viewport.width, viewport.height), rgba_image(view.rgba))
    painter.restore()
