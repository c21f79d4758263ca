"""Small painted icons for editing state (no font dependency, crisp at any DPI)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF


@lru_cache(maxsize=4)
def pencil_icon(dirty: bool = False, size: int = 16) -> QIcon:
    """A pencil; with a red dot when there are unsaved edits."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing, True)
    s = size / 16.0
    body = QPolygonF([QPointF(3 * s, 11 * s), QPointF(10.5 * s, 3.5 * s), QPointF(12.5 * s, 5.5 * s),
                      QPointF(5 * s, 13 * s)])
    painter.setPen(QPen(QColor("#5a4500"), 1.0 * s))
    painter.setBrush(QColor("#f2b705"))
    painter.drawPolygon(body)
    tip = QPolygonF([QPointF(3 * s, 11 * s), QPointF(5 * s, 13 * s), QPointF(2 * s, 14 * s)])
    painter.setBrush(QColor("#3c3c3c"))
    painter.drawPolygon(tip)
    if dirty:
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor("#d7301f"))
        painter.drawEllipse(QPointF(12.5 * s, 12.5 * s), 3.0 * s, 3.0 * s)
    painter.end()
    return QIcon(pixmap)


@lru_cache(maxsize=2)
def raster_icon(size: int = 16) -> QIcon:
    """A small grid of shaded pixels: a raster layer in the layer tree."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    s = size / 16.0
    shades = ("#440154", "#31688e", "#35b779", "#fde725")
    for col in range(3):
        for row in range(3):
            painter.fillRect(int((2 + col * 4) * s), int((2 + row * 4) * s), int(4 * s), int(4 * s),
                             QColor(shades[(col + row) % len(shades)]))
    painter.end()
    return QIcon(pixmap)


def tiles_icon(size: int = 16) -> QIcon:
    """A 2x2 grid of map tiles: a basemap in the layer tree."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    s = size / 16.0
    painter.setPen(QPen(QColor("#4a6a7a"), 1.0 * s))
    for col, row, colour in ((0, 0, "#cfe3c4"), (1, 0, "#aad3df"), (0, 1, "#f2efe9"), (1, 1, "#cfe3c4")):
        painter.setBrush(QColor(colour))
        painter.drawRect(int((2 + col * 6) * s), int((2 + row * 6) * s), int(6 * s), int(6 * s))
    painter.end()
    return QIcon(pixmap)
