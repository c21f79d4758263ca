"""Whole-feature tools: move and rotate the selected features."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gisapp.core.editing.edits import Edit, plural_kind
from gisapp.core.editing.snapping import SnapResult
from gisapp.core.editing.tools.base import (
    CLICK_SLOP_PX,
    HIT_TOLERANCE_PX,
    FeatureGeometries,
    MapEvent,
    Measure,
    Mode,
    Overlay,
    Tool,
    ToolContext,
    geometries_edit,
    snap_marker,
)
from gisapp.core.geo.geometry_ops import (
    rotate,
    translate,
)
from gisapp.core.model.identify import features_at
from gisapp.core.model.layer import VectorLayer


class _FeatureDragTool(Tool):
    """Press on a feature (or anywhere, with a selection) and drag; release applies."""

    cursor = "size_all"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self._press: MapEvent | None = None
        self._start: tuple[float, float] | None = None
        self.rows: list[int] = []
        self.layer: VectorLayer | None = None
        self.preview: FeatureGeometries = {}
        self.active = False
        self.snap: SnapResult | None = None
        self.shift = False

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "press" and event.button == "left":
            layer = self._need_layer()
            if layer is None:
                return False
            rows = layer.selection.tolist()
            if not rows:
                hits = [h for h in features_at(self.ctx.project, self.ctx.crs, event.x, event.y,
                                               HIT_TOLERANCE_PX * 0.6 * event.resolution)
                        if h[0] == layer.id]
                if not hits:
                    self.ctx.message("nothing_selected")
                    return False
                rows = [hits[0][1]]
                self.ctx.select(layer.id, rows, False)
            self.layer, self.rows, self._press = layer, rows, event
            exclude = frozenset((layer.id, r) for r in rows)
            x, y, _snap = self.ctx.snap(event, exclude_features=exclude)
            self._start = (x, y)
            self.active = False
            return False
        if event.kind == "move" and self._press is not None and "left" in event.buttons:
            if not self.active and math.hypot(event.px - self._press.px,
                                              event.py - self._press.py) <= CLICK_SLOP_PX:
                return False
            self.active = True
            self.shift = event.shift
            self._update(event)
            return True
        if event.kind == "release" and event.button == "left" and self._press is not None:
            if self.active:
                self.shift = event.shift
                self._update(event)
                edit = self._edit()
                if edit is not None:
                    self._apply(edit)
            self._reset()
            return True
        if event.kind == "key" and event.key == "Escape":
            self._reset()
            return True
        return False

    def _held(self) -> tuple[VectorLayer, tuple[float, float]]:
        """The layer and the start point of the drag; set by the press that began it."""
        if self.layer is None or self._start is None:
            raise RuntimeError("no feature drag in progress")
        return self.layer, self._start

    def _update(self, event: MapEvent) -> None:
        layer, _start = self._held()
        exclude = frozenset((layer.id, r) for r in self.rows)
        x, y, self.snap = self.ctx.snap(event, exclude_features=exclude)
        self.preview = {}
        for row in self.rows:
            canvas = self.ctx.canvas_geometry(layer, row)
            if canvas is None:
                continue  # a selected feature without a geometry has nothing to move
            self.preview[(layer.id, row)] = self.transform(canvas, (x, y))
        self.ctx.preview({key: self.ctx.to_layer(layer, g) for key, g in self.preview.items()})

    def transform(self, canvas_geom: BaseGeometry, target: tuple[float, float]) -> BaseGeometry:
        raise NotImplementedError

    def _edit(self) -> Edit | None:
        if not self.preview:
            return None
        layer, _start = self._held()
        new = {key: self.ctx.to_layer(layer, g) for key, g in self.preview.items()}
        return geometries_edit(self.ctx.project, new, *self.label())

    def label(self) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def _reset(self) -> None:
        self._press = None
        self.active = False
        self.preview = {}
        self.snap = None
        self.ctx.preview({})

    def cancel(self) -> None:
        self._reset()

    def overlay(self) -> Overlay:
        overlay = Overlay()
        if self.active and self.layer is not None:
            for geom in self.preview.values():
                overlay.geometries.append((geom, self.layer.geometry_family, "preview"))
            snap_marker(self.snap, overlay)
        return overlay


class MoveTool(_FeatureDragTool):
    mode = Mode.MOVE

    def transform(self, canvas_geom: BaseGeometry, target: tuple[float, float]) -> BaseGeometry:
        _layer, start = self._held()
        return translate(canvas_geom, target[0] - start[0], target[1] - start[1])

    def label(self) -> tuple[str, dict[str, Any]]:
        n = len(self.rows)
        return plural_kind("move_feature", "move_features", n), {"n": n}


class RotateTool(_FeatureDragTool):
    """Rotate about the centre of the selection's bounding box; Shift rounds to 15°."""

    mode = Mode.ROTATE
    cursor = "cross"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self.angle = 0.0
        self.centre: tuple[float, float] | None = None

    def transform(self, canvas_geom: BaseGeometry, target: tuple[float, float]) -> BaseGeometry:
        layer, start = self._held()
        if self.centre is None:
            geoms = np.array([self.ctx.canvas_geometry(layer, r) for r in self.rows], dtype=object)
            x0, y0, x1, y1 = shapely.total_bounds(geoms)
            self.centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        cx, cy = self.centre
        a0 = math.atan2(start[1] - cy, start[0] - cx)
        a1 = math.atan2(target[1] - cy, target[0] - cx)
        angle = math.degrees(a1 - a0)
        angle = (angle + 180.0) % 360.0 - 180.0
        if self.shift:
            angle = round(angle / 15.0) * 15.0
        self.angle = angle
        return rotate(canvas_geom, angle, self.centre)

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "press":
            self.centre = None
        return super().handle(event)

    def label(self) -> tuple[str, dict[str, Any]]:
        n = len(self.rows)
        return (plural_kind("rotate_feature", "rotate_features", n),
                {"n": n, "angle": f"{self.angle:.1f}"})

    def overlay(self) -> Overlay:
        overlay = super().overlay()
        if self.active and self.centre is not None:
            overlay.markers.append((*self.centre, "centre"))
            overlay.measure = Measure(self.centre[0], self.centre[1], angle_deg=self.angle)
        return overlay
