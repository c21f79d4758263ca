"""Small pictures of symbols for legends and the layer tree."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from gisapp.core.model.style import Symbol
from gisapp.ui.map.render import marker_path, qcolor, symbol_brush, symbol_pen


def symbol_pixmap(symbol: Symbol, family: str, size: int = 16) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing, True)
    if family == "point":
        painter.setPen(symbol_pen(symbol))
        painter.setBrush(qcolor(symbol.fill, max(symbol.fill_opacity, 0.0)))
        painter.drawPath(marker_path(symbol, min(symbol.size, size - 3)).translated(size / 2, size / 2))
    elif family == "line":
        pen = symbol_pen(symbol)
        pen.setWidthF(min(pen.widthF(), 4.0))
        painter.setPen(pen)
        painter.drawLine(QPointF(2, size - 4), QPointF(size - 2, 4))
    else:
        painter.setPen(symbol_pen(symbol) if symbol.stroke_width > 0 else QColor(0, 0, 0, 0))
        brush = symbol_brush(symbol)
        if brush.style() == Qt.NoBrush:
            painter.setBrush(Qt.NoBrush)
        else:
            # A legend swatch shows the fill at least half-opaque so light fills stay visible.
            colour = QColor(symbol.fill)
            colour.setAlphaF(max(0.5, symbol.fill_opacity))
            painter.setBrush(colour)
        painter.drawRect(QRectF(1.5, 1.5, size - 3, size - 3))
    painter.end()
    return pixmap


def symbol_icon(symbol: Symbol, family: str) -> QIcon:
    return QIcon(symbol_pixmap(symbol, family))
