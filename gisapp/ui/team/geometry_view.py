"""A small map of a few geometries of one feature (mine, theirs, an old version), each with its
own symbol and a legend, fitted to their joint bounds. Used by the conflict dialog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.style import Symbol
from gisapp.ui.map.render import draw_features

MINE_SYMBOL = Symbol(fill="#ff7f00", fill_opacity=0.25, stroke="#d95f02", stroke_width=2.5, size=11)
THEIRS_SYMBOL = Symbol(fill="#1f78b4", fill_opacity=0.18, stroke="#1f78b4", stroke_width=2.0,
                       stroke_style="dash", size=11)
BASE_SYMBOL = Symbol(fill="#999999", fill_opacity=0.0, stroke="#777777", stroke_width=1.2,
                     stroke_style="dot", size=9)


@dataclass(frozen=True)
class Shape:
    geometry: Any  # shapely geometry in a projected (metric) CRS, or None when there is none
    symbol: Symbol
    label: str  # legend text (plain text, drawn with QPainter)


def family_of(geometry: Any) -> str:
    kind = shapely.get_type_id(geometry)
    if kind in (0, 4):
        return "point"
    if kind in (1, 2, 5):
        return "line"
    return "polygon"


class GeometryView(QWidget):
    """Paints ``shapes`` fitted to the widget; ``set_shapes`` replaces them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shapes: list[Shape] = []
        self.note = ""  # shown when nothing can be drawn (a deleted feature on both sides)
        self.setMinimumSize(220, 180)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_shapes(self, shapes: list[Shape], note: str = "") -> None:
        self.shapes = list(shapes)
        self.note = note
        self.update()

    def drawn(self) -> list[Shape]:
        """The shapes with a geometry that can be drawn (tests ask what a person sees)."""
        return [s for s in self.shapes if s.geometry is not None and not shapely.is_empty(s.geometry)]

    def _viewport(self, legend_height: float) -> Viewport | None:
        drawn = self.drawn()
        if not drawn:
            return None
        bounds = np.array([shapely.bounds(s.geometry) for s in drawn])
        xmin, ymin = float(np.nanmin(bounds[:, 0])), float(np.nanmin(bounds[:, 1]))
        xmax, ymax = float(np.nanmax(bounds[:, 2])), float(np.nanmax(bounds[:, 3]))
        if not all(np.isfinite([xmin, ymin, xmax, ymax])):
            return None
        pad = max(xmax - xmin, ymax - ymin, 1.0) * 0.02  # a point alone still gets a view
        height = max(1, int(self.height() - legend_height))
        view = Viewport(width=max(1, self.width()), height=height, crs="EPSG:3857")
        try:
            return view.fitted((xmin - pad, ymin - pad, xmax + pad, ymax + pad), margin=0.08)
        except ValueError:
            return None

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#fbfbf8"))
        painter.setPen(QPen(QColor("#c8c8c8"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        metrics = QFontMetricsF(painter.font())
        legend_height = metrics.height() + 10
        view = self._viewport(legend_height)
        painter.setRenderHint(QPainter.Antialiasing, True)
        if view is None:
            painter.setPen(QColor("#666666"))
            painter.drawText(QRectF(self.rect()), Qt.AlignCenter | Qt.TextWordWrap, self.note)
        else:
            for shape in self.drawn():
                draw_features(painter, np.array([shape.geometry], dtype=object), family_of(shape.geometry),
                              shape.symbol, view)
        x = 8.0
        y = self.height() - legend_height / 2
        for shape in self.shapes:
            pen = QPen(QColor(shape.symbol.stroke), max(1.5, shape.symbol.stroke_width))
            if shape.symbol.stroke_style == "dash":
                pen.setStyle(Qt.DashLine)
            elif shape.symbol.stroke_style == "dot":
                pen.setStyle(Qt.DotLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 22, y))
            painter.setPen(QColor("#222222"))
            painter.drawText(QPointF(x + 28, y + metrics.ascent() / 2 - 1), shape.label)
            x += 28 + metrics.horizontalAdvance(shape.label) + 16
        painter.end()
