"""The select tool: click, shift-click and box selection of features."""

from __future__ import annotations

import math

import numpy as np
import shapely

from gisapp.core.editing.snapping import rows_in_box
from gisapp.core.editing.tools.base import (
    CLICK_SLOP_PX,
    HIT_TOLERANCE_PX,
    MapEvent,
    Mode,
    Overlay,
    Tool,
    ToolContext,
)
from gisapp.core.geo.geodesy import transform_geometries
from gisapp.core.model.identify import features_at
from gisapp.core.model.layer import VectorLayer


class SelectTool(Tool):
    """Click selects the feature under the cursor, shift-click adds, dragging a box selects inside."""

    mode = Mode.SELECT
    cursor = "pointing"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self._press: MapEvent | None = None
        self._box: tuple[float, float, float, float] | None = None

    def _layers(self) -> list[VectorLayer]:
        if self.ctx.active_layer_id:
            try:
                return [self.ctx.project.layer(self.ctx.active_layer_id)]
            except KeyError:
                pass
        return [layer for layer in self.ctx.project.layers if layer.visible and layer.group != "base"]

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "press" and event.button == "left":
            self._press = event
            self._box = None
            return False
        if event.kind == "move" and self._press is not None and "left" in event.buttons:
            if math.hypot(event.px - self._press.px, event.py - self._press.py) > CLICK_SLOP_PX:
                self._box = (min(self._press.x, event.x), min(self._press.y, event.y),
                             max(self._press.x, event.x), max(self._press.y, event.y))
                return True
            return False
        if event.kind == "release" and event.button == "left" and self._press is not None:
            press, box = self._press, self._box
            self._press, self._box = None, None
            if box is not None:
                self._select_box(box, event.shift)
            else:
                self._select_click(press, event.shift)
            return True
        if event.kind == "key" and event.key == "Escape":
            self._press, self._box = None, None
            return True
        return False

    def _select_box(self, box: tuple[float, float, float, float], add: bool) -> None:
        probe = shapely.segmentize(shapely.box(*box), (box[2] - box[0]) / 16 or 1.0)
        for layer in self._layers():
            rows = rows_in_box(layer, self.ctx.crs, box)
            if len(rows):
                # Exact test in the layer's own CRS (no per-feature reprojection).
                local = transform_geometries(np.array([probe], dtype=object), self.ctx.crs, layer.crs)[0]
                geoms = np.asarray(layer.geometry_array, dtype=object)[rows]
                rows = rows[shapely.intersects(geoms, local)]
            rows = rows.tolist()
            if rows or not add:
                self.ctx.select(layer.id, rows, add)

    def _select_click(self, event: MapEvent, add: bool) -> None:
        hits = features_at(self.ctx.project, self.ctx.crs, event.x, event.y,
                           HIT_TOLERANCE_PX * 0.6 * event.resolution)
        allowed = {layer.id for layer in self._layers()}
        hits = [hit for hit in hits if hit[0] in allowed]
        if not hits:
            if not add:
                for layer in self._layers():
                    self.ctx.select(layer.id, [], False)
            return
        layer_id, row = hits[0]
        layer = self.ctx.project.layer(layer_id)
        if add and row in layer.selection:
            self.ctx.select(layer_id, [r for r in layer.selection.tolist() if r != row], False)
        else:
            self.ctx.select(layer_id, [row], add)

    def overlay(self) -> Overlay:
        return Overlay(box=self._box)

    def cancel(self) -> None:
        self._press, self._box = None, None
