"""Glue between the canvas and the Qt-free map tools: event conversion and overlay painting.

Overlays are painted on the UI thread on top of the last rendered map image, so they
are kept small: rubber bands, the dragged features, vertex markers of the features
being edited (capped), the snap marker, problem markers and short texts.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from gisapp.core.editing.tools import MapEvent, Overlay
from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.style import Symbol
from gisapp.ui.map.render import draw_features

PREVIEW_SYMBOL = Symbol(fill="#ff7f00", fill_opacity=0.22, stroke="#d7301f", stroke_width=2.0, size=11)
# An old version of a feature (the history panel) and others' changes shown live.
GHOST_SYMBOL = Symbol(fill="#6a3d9a", fill_opacity=0.12, stroke="#6a3d9a", stroke_width=2.0,
                      stroke_style="dash", size=11)
REMOTE_SYMBOL = Symbol(fill="#1f78b4", fill_opacity=0.0, stroke="#1f78b4", stroke_width=3.0, size=13)
CONFLICT_SYMBOL = Symbol(fill="#e31a1c", fill_opacity=0.10, stroke="#e31a1c", stroke_width=3.0,
                         stroke_style="dash", size=13)
OVERLAY_SYMBOLS = {"ghost": GHOST_SYMBOL, "remote": REMOTE_SYMBOL, "remote_conflict": CONFLICT_SYMBOL}
RUBBER = QColor("#d7301f")
SNAP = QColor("#e7298a")
SELECTED_VERTEX = QColor("#2166ac")
PROBLEM = QColor("#c00000")

_BUTTONS = {Qt.LeftButton: "left", Qt.RightButton: "right", Qt.MiddleButton: "middle"}
_KEYS = {Qt.Key_Backspace: "Backspace", Qt.Key_Return: "Enter", Qt.Key_Enter: "Enter",
         Qt.Key_Escape: "Escape", Qt.Key_Delete: "Delete"}
TOOL_KEYS = set(_KEYS)


def mouse_event(kind: str, event, viewport: Viewport) -> MapEvent:
    pos = event.position()
    x, y = viewport.pixel_to_map(pos.x(), pos.y())
    buttons = frozenset(name for button, name in _BUTTONS.items() if event.buttons() & button)
    return MapEvent(kind, x, y, pos.x(), pos.y(), _BUTTONS.get(event.button()), buttons,
                    _modifiers(event.modifiers()), None, viewport.resolution)


def key_event(event, viewport: Viewport, cursor: tuple[float, float] | None = None) -> MapEvent | None:
    key = _KEYS.get(event.key())
    if key is None:
        return None
    px, py = cursor if cursor is not None else (viewport.width / 2, viewport.height / 2)
    x, y = viewport.pixel_to_map(px, py)
    return MapEvent("key", x, y, px, py, None, frozenset(), _modifiers(event.modifiers()), key,
                    viewport.resolution)


def _modifiers(mods) -> frozenset:
    out = set()
    if mods & Qt.ShiftModifier:
        out.add("shift")
    if mods & Qt.ControlModifier:
        out.add("ctrl")
    if mods & Qt.AltModifier:
        out.add("alt")
    return frozenset(out)


def _pixels(coords: np.ndarray, viewport: Viewport) -> QPolygonF:
    xmin, _, _, ymax = viewport.extent
    px = (coords[:, 0] - xmin) / viewport.resolution
    py = (ymax - coords[:, 1]) / viewport.resolution
    return QPolygonF([QPointF(a, b) for a, b in zip(px.tolist(), py.tolist(), strict=True)])


def paint_overlay(painter: QPainter, overlay: Overlay | None, viewport: Viewport) -> None:
    if overlay is None:
        return
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing, True)
    for geom, family, style in overlay.geometries:
        draw_features(painter, np.array([geom], dtype=object), family, OVERLAY_SYMBOLS.get(style, PREVIEW_SYMBOL),
                      viewport)
    for coords, _style in overlay.polygons:
        painter.setPen(QPen(RUBBER, 2.0))
        fill = QColor(RUBBER)
        fill.setAlphaF(0.18)
        painter.setBrush(QBrush(fill))
        painter.drawPolygon(_pixels(coords, viewport))
    for coords, _style in overlay.lines:
        painter.setPen(QPen(RUBBER, 2.0))
        painter.setBrush(Qt.NoBrush)
        painter.drawPolyline(_pixels(coords, viewport))
    if overlay.box is not None:
        x0, y0, x1, y1 = overlay.box
        left, top = viewport.map_to_pixel(x0, y1)
        right, bottom = viewport.map_to_pixel(x1, y0)
        pen = QPen(SELECTED_VERTEX, 1.0, Qt.DashLine)
        painter.setPen(pen)
        fill = QColor(SELECTED_VERTEX)
        fill.setAlphaF(0.12)
        painter.setBrush(QBrush(fill))
        painter.drawRect(QRectF(QPointF(left, top), QPointF(right, bottom)))
    for x, y, style in overlay.markers:
        px, py = viewport.map_to_pixel(x, y)
        _marker(painter, QPointF(px, py), style)
    for x, y, text, style in overlay.texts:
        px, py = viewport.map_to_pixel(x, y)
        _label(painter, QPointF(px, py), text, style)
    painter.restore()


def _marker(painter: QPainter, p: QPointF, style: str) -> None:
    if style == "vertex":
        painter.setPen(QPen(QColor(40, 40, 40), 1.0))
        painter.setBrush(QBrush(QColor(255, 255, 255)))
        painter.drawRect(QRectF(p.x() - 3.5, p.y() - 3.5, 7, 7))
    elif style == "vertex_selected":
        painter.setPen(QPen(QColor(255, 255, 255), 1.0))
        painter.setBrush(QBrush(SELECTED_VERTEX))
        painter.drawRect(QRectF(p.x() - 5, p.y() - 5, 10, 10))
    elif style == "vertex_hover":
        painter.setPen(QPen(RUBBER, 2.0))
        painter.setBrush(Qt.NoBrush)
        painter.drawEllipse(p, 8, 8)
    elif style == "segment_hover":
        painter.setPen(QPen(RUBBER, 2.0))
        painter.setBrush(QBrush(QColor(255, 255, 255)))
        painter.drawEllipse(p, 4, 4)
    elif style == "new_vertex":
        painter.setPen(QPen(QColor(255, 255, 255), 1.0))
        painter.setBrush(QBrush(RUBBER))
        painter.drawEllipse(p, 4, 4)
    elif style == "snap_vertex":
        painter.setPen(QPen(SNAP, 2.5))
        painter.setBrush(Qt.NoBrush)
        painter.drawRect(QRectF(p.x() - 8, p.y() - 8, 16, 16))
    elif style == "snap_segment":
        painter.setPen(QPen(SNAP, 2.5))
        painter.setBrush(Qt.NoBrush)
        painter.drawLine(QPointF(p.x() - 7, p.y() - 7), QPointF(p.x() + 7, p.y() + 7))
        painter.drawLine(QPointF(p.x() - 7, p.y() + 7), QPointF(p.x() + 7, p.y() - 7))
    elif style == "centre":
        painter.setPen(QPen(RUBBER, 2.0))
        painter.drawLine(QPointF(p.x() - 8, p.y()), QPointF(p.x() + 8, p.y()))
        painter.drawLine(QPointF(p.x(), p.y() - 8), QPointF(p.x(), p.y() + 8))
    elif style == "target":  # a point the user asked to go to
        painter.setPen(QPen(QColor(255, 255, 255), 5.0))
        painter.setBrush(Qt.NoBrush)
        painter.drawEllipse(p, 11, 11)
        painter.setPen(QPen(RUBBER, 2.5))
        painter.drawEllipse(p, 11, 11)
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            painter.drawLine(QPointF(p.x() + 6 * dx, p.y() + 6 * dy), QPointF(p.x() + 18 * dx, p.y() + 18 * dy))
    elif style == "problem":
        painter.setPen(QPen(QColor(255, 255, 255), 2.0))
        painter.setBrush(QBrush(PROBLEM))
        painter.drawEllipse(p, 10, 10)
        painter.setPen(QPen(QColor(255, 255, 255), 3.0))
        painter.drawLine(QPointF(p.x(), p.y() - 5), QPointF(p.x(), p.y() + 1.5))
        painter.drawPoint(QPointF(p.x(), p.y() + 5))


def _label(painter: QPainter, p: QPointF, text: str, style: str) -> None:
    metrics = QFontMetricsF(painter.font())
    lines = text.split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines) + 12
    height = metrics.height() * len(lines) + 8
    rect = QRectF(p.x() + 14, p.y() + 10, width, height)
    if style == "problem":
        rect.moveTopLeft(QPointF(p.x() + 14, p.y() - height / 2))
    view = painter.viewport()
    if rect.right() > view.width() - 4:
        rect.moveRight(p.x() - 14)
    if rect.bottom() > view.height() - 4:
        rect.moveBottom(p.y() - 10)
    path = QPainterPath()
    path.addRoundedRect(rect, 4, 4)
    border = PROBLEM if style == "problem" else QColor(90, 90, 90)
    painter.setPen(QPen(border, 1.5 if style == "problem" else 1.0))
    painter.setBrush(QBrush(QColor(255, 255, 255, 235)))
    painter.drawPath(path)
    painter.setPen(PROBLEM if style == "problem" else QColor(30, 30, 30))
    for i, line in enumerate(lines):
        painter.drawText(QPointF(rect.left() + 6, rect.top() + 4 + metrics.ascent() + i * metrics.height()), line)


def mouse_event_leave(viewport: Viewport) -> MapEvent:
    return MapEvent("leave", resolution=viewport.resolution)
