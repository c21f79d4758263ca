"""Validity of edited geometries, and the layer check (Check geometry and topology).

:class:`Validity` checks the touched geometries after every edit: a problem is marked on the
map with its reason and a :class:`ValidityBar` offers Repair / Undo / Zoom.
:class:`LayerCheck` checks a whole layer for invalid shapes, overlaps and gaps, lists them in
the Geometry check dock and highlights the chosen one on the map.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.core.editing import ops as edit_ops
from gisapp.core.editing.edits import CompoundEdit, Edit
from gisapp.core.editing.tools import Overlay
from gisapp.core.editing.validation import Problem, check_layer_topology, check_rows
from gisapp.core.geo.geodesy import STORAGE_CRS, transform_geometries, transform_point
from gisapp.ui.editing.units import format_area
from gisapp.ui.plain import plain_label


class ValidityBar(QFrame):
    """A non-modal bar over the map: what is wrong, with Repair, Undo and Zoom buttons."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("ValidityBar")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#ValidityBar { background: #fff4f2; border: 1px solid #c00000; border-radius: 4px; }"
                           "#ValidityBar QLabel { color: #7a0000; }")
        self.label = plain_label(parent=self)  # names the feature
        self.label.setWordWrap(True)
        self.repair_button = QPushButton(self)
        self.undo_button = QPushButton(self)
        self.zoom_button = QPushButton(self)
        self.close_button = QPushButton("×", self)
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        for button in (self.repair_button, self.undo_button, self.zoom_button, self.close_button):
            layout.addWidget(button)
        self.hide()

    def retranslate(self) -> None:
        self.repair_button.setText(self.tr("Repair"))
        self.undo_button.setText(self.tr("Undo"))
        self.zoom_button.setText(self.tr("Zoom to"))

    def place(self) -> None:
        parent = self.parentWidget()
        width = min(parent.width() - 24, 900)
        self.setFixedWidth(max(200, width))
        self.adjustSize()
        self.move((parent.width() - self.width()) // 2, 10)


class Validity(QObject):
    """Problems of the geometries edits touched, on the map and in the :class:`ValidityBar`."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.problems: list[Problem] = []
        self._flagged: dict[str, set[int]] = {}
        self.bar = ValidityBar(self.window.canvas)
        self.bar.repair_button.clicked.connect(self.repair_problems)
        self.bar.undo_button.clicked.connect(controller.stack.undo)
        self.bar.zoom_button.clicked.connect(self.zoom_to_problem)
        self.bar.close_button.clicked.connect(self.bar.hide)
        self.window.canvas.installEventFilter(self)

    @property
    def project(self):
        return self.controller.project

    def reset(self) -> None:
        """A project was opened: no problems."""
        self.problems, self._flagged = [], {}
        self.bar.hide()

    def revalidate(self, edit: Edit) -> None:
        touched = edit.touched_rows()
        if isinstance(edit, CompoundEdit):
            touched = edit.touched_rows()
        for layer_id in edit.layer_ids():
            layer = self.project.layer(layer_id)
            rows = set(self._flagged.get(layer_id, set())) | set(touched.get(layer_id, []))
            rows = {r for r in rows if r < len(layer)}
            problems = check_rows(layer, rows)
            self._flagged[layer_id] = {p.row for p in problems}
        self.problems = []
        for layer_id, rows in self._flagged.items():
            try:
                layer = self.project.layer(layer_id)
            except KeyError:
                continue
            self.problems.extend(check_rows(layer, rows))
        self.show_problems()

    def show_problems(self) -> None:
        if not self.problems:
            self.bar.hide()
            return
        first = self.problems[0]
        layer = self.project.layer(first.layer_id)
        name = layer.feature_label(first.row, self.window.lang) if first.row < len(layer) else ""
        lon, lat = transform_point(first.x, first.y, layer.crs, STORAGE_CRS)
        text = self.tr("{feature} — {problem} (at {lon:.5f}°E, {lat:.5f}°N).").format(
            feature=name, problem=self.controller.texts.problem(first), lon=lon, lat=lat)
        more = len(self.problems) - 1
        if more:
            text += " " + self.tr("{n} more problem(s) are marked on the map.").format(n=more)
        text += " " + self.tr("Undo the edit or repair the shape before saving.")
        self.bar.label.setText(text)
        self.bar.undo_button.setEnabled(self.controller.stack.canUndo())
        self.bar.show()
        self.bar.raise_()
        self.bar.place()

    def forget(self, layer_id: str) -> None:
        self._flagged.pop(layer_id, None)
        self.problems = [p for p in self.problems if p.layer_id != layer_id]
        self.show_problems()
        self.window.canvas.update()

    def can_repair(self) -> bool:
        return any(p.severity == "error" or p.key == "orientation" for p in self.problems)

    def repair_problems(self) -> None:
        by_layer: dict[str, set[int]] = {}
        for problem in self.problems:
            by_layer.setdefault(problem.layer_id, set()).add(problem.row)
        edits = [edit_ops.repair_features(self.project.layer(layer_id), rows)
                 for layer_id, rows in by_layer.items()]
        if not edits:
            return
        self.controller.push(edits[0] if len(edits) == 1 else CompoundEdit(edits, kind="repair_many",
                                                                           params={"n": len(self.problems)}))

    def zoom_to_problem(self) -> None:
        if self.problems:
            problem = self.problems[0]
            self.window.canvas.zoom_to_feature(problem.layer_id, problem.row)

    def add_to_overlay(self, overlay: Overlay, crs) -> None:
        """Mark the first problems on the map, each with its reason."""
        for problem in self.problems[:20]:
            try:
                layer = self.project.layer(problem.layer_id)
            except KeyError:
                continue
            if not np.isfinite(problem.x):
                continue
            x, y = transform_point(problem.x, problem.y, layer.crs, crs)
            overlay.markers.append((x, y, "problem"))
            overlay.texts.append((x, y, self.controller.texts.problem(problem), "problem"))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.window.canvas and event.type() == QEvent.Resize and self.bar.isVisible():
            self.bar.place()
        return False


class LayerCheck(QObject):
    """Check geometry and topology of a layer; the findings in a dock, the chosen one on the map."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.check_items: list[tuple[str, object]] = []  # (layer id, geometry in layer CRS) to highlight
        self.highlight: tuple[str, object] | None = None
        self.check_list = QListWidget()
        self.check_list.setObjectName("GeometryCheckList")
        self.check_list.currentRowChanged.connect(self._on_check_row)
        self.check_summary = plain_label()  # names the layer
        self.check_summary.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.check_summary)
        layout.addWidget(self.check_list)
        self.check_dock = QDockWidget(self.window)  # placed in the window with the other docks
        self.check_dock.setObjectName("GeometryCheckDock")
        self.check_dock.setWidget(box)

    def reset(self) -> None:
        """A project was opened: nothing checked, nothing highlighted."""
        self.highlight = None
        self.check_list.clear()

    def check_layer(self) -> None:
        layer = self.controller.active_layer()
        if layer is None:
            return
        report = check_layer_topology(layer)
        lang = self.window.lang
        texts = self.controller.texts
        self.check_list.clear()
        self.check_items = []
        for problem in report.invalid:
            text = self.tr("Invalid: {feature} — {problem}").format(
                feature=layer.feature_label(problem.row, lang), problem=texts.problem(problem))
            self._add_check_item(text, layer.id, shapely.Point(problem.x, problem.y).buffer(1e-4))
        for overlap in report.overlaps:
            text = self.tr("Overlap: {a} and {b} — {area}").format(
                a=layer.feature_label(overlap.row_a, lang), b=layer.feature_label(overlap.row_b, lang),
                area=format_area(overlap.area_m2))
            self._add_check_item(text, layer.id, overlap.geometry)
        for gap in report.gaps:
            self._add_check_item(self.tr("Gap — {area}").format(area=format_area(gap.area_m2)), layer.id,
                                 gap.geometry)
        self.check_summary.setText(self.tr("{layer}: {invalid} invalid, {overlaps} overlaps, {gaps} gaps. "
                                           "Click a line to show it on the map.").format(
            layer=layer.title(lang), invalid=len(report.invalid), overlaps=len(report.overlaps),
            gaps=len(report.gaps)))
        self.check_dock.show()
        self.check_dock.raise_()
        self.last_report = report

    def _add_check_item(self, text: str, layer_id: str, geom) -> None:
        self.check_items.append((layer_id, geom))
        QListWidgetItem(text, self.check_list)

    def _on_check_row(self, row: int) -> None:
        if 0 <= row < len(self.check_items):
            self.highlight = self.check_items[row]
            layer_id, geom = self.highlight
            layer = self.controller.project.layer(layer_id)
            crs = self.window.canvas.viewport.crs
            canvas_geom = transform_geometries(np.array([geom], dtype=object), layer.crs, crs)[0]
            x0, y0, x1, y1 = canvas_geom.bounds
            pad = max(x1 - x0, y1 - y0, self.window.canvas.viewport.resolution * 200)
            canvas = self.window.canvas
            canvas._set_viewport(canvas.viewport.fitted((x0 - pad, y0 - pad, x1 + pad, y1 + pad), margin=0))

    def add_to_overlay(self, overlay: Overlay, crs) -> None:
        """Outline the chosen finding on the map."""
        if self.highlight is not None:
            layer_id, geom = self.highlight
            try:
                layer = self.controller.project.layer(layer_id)
                canvas_geom = transform_geometries(np.array([geom], dtype=object), layer.crs, crs)[0]
                overlay.geometries.append((canvas_geom, "polygon" if geom.geom_type.endswith("Polygon")
                                           else "line", "check"))
            except KeyError:
                self.highlight = None
