"""Drawing tools: add point, line or polygon, add a ring or a part, split with a drawn line."""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gisapp.core.editing.edits import Edit
from gisapp.core.editing.ops import (
    EditError,
    add_feature,
    add_part,
    add_ring,
    split_features,
)
from gisapp.core.editing.snapping import SnapResult
from gisapp.core.editing.tools.base import (
    CLICK_SLOP_PX,
    MapEvent,
    Measure,
    Mode,
    Overlay,
    Tool,
    ToolContext,
    geodesic_measure,
    snap_marker,
)
from gisapp.core.geo.geodesy import transform_point
from gisapp.core.geo.geometry_ops import GeometryEditError
from gisapp.core.model.layer import VectorLayer


class DrawTool(Tool):
    """Click vertices; Backspace removes the last, double-click/Enter/right-click finishes, Esc cancels."""

    cursor = "cross"

    def __init__(self, ctx: ToolContext, mode: Mode, family: str) -> None:
        super().__init__(ctx)
        self.mode = mode
        self.family = family  # what is drawn: point, line or polygon
        self.points: list[tuple[float, float]] = []
        self.snaps: list[SnapResult | None] = []
        self.cursor_xy: tuple[float, float] | None = None
        self.cursor_snap: SnapResult | None = None
        self._press: MapEvent | None = None

    @property
    def minimum(self) -> int:
        return {"point": 1, "line": 2, "polygon": 3}[self.family]

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "move":
            x, y, snap = self.ctx.snap(event)
            self.cursor_xy, self.cursor_snap = (x, y), snap
            return True
        if event.kind == "leave":
            self.cursor_xy = self.cursor_snap = None
            return True
        if event.kind == "press" and event.button in ("left", "right"):
            self._press = event
            return False
        if event.kind == "release" and self._press is not None:
            press, self._press = self._press, None
            if math.hypot(event.px - press.px, event.py - press.py) > CLICK_SLOP_PX:
                return False
            if event.button == "right":
                if self.points:
                    self.finish()
                return True
            if event.button == "left":
                self._add(event)
                if self.family == "point":
                    self.finish()
                return True
            return False
        if event.kind == "double" and event.button == "left":
            x, y, _snap = self.ctx.snap(event)
            if not self.points or math.hypot(*(np.subtract(self.points[-1], (x, y)))) > \
                    CLICK_SLOP_PX * event.resolution:
                self._add(event)
            self.finish()
            return True
        if event.kind == "key":
            if event.key == "Backspace":
                if self.points:
                    self.points.pop()
                    self.snaps.pop()
                return True
            if event.key in ("Enter", "Return"):
                self.finish()
                return True
            if event.key == "Escape":
                self.cancel()
                return True
        return False

    def _add(self, event: MapEvent) -> None:
        x, y, snap = self.ctx.snap(event)
        self.points.append((x, y))
        self.snaps.append(snap)
        self.cursor_xy, self.cursor_snap = (x, y), snap

    def cancel(self) -> None:
        self.points, self.snaps = [], []
        self._press = None

    def layer_coords(self, layer: VectorLayer) -> np.ndarray:
        """The drawn vertices in the layer's CRS (exact where snapped to a vertex)."""
        return np.array([self.ctx.to_layer_xy(layer, x, y, snap)
                         for (x, y), snap in zip(self.points, self.snaps, strict=True)], dtype=float)

    def finish(self) -> bool:
        if not self.points:
            return False
        layer = self._need_layer()
        if layer is None:
            self.cancel()
            return False
        if len(self.points) < self.minimum:
            self.ctx.message("too_few_vertices", minimum=self.minimum)
            return False
        coords = self.layer_coords(layer)
        try:
            edit = self.build(layer, coords)
        except (EditError, GeometryEditError) as exc:
            self.ctx.message(exc.key, **getattr(exc, "params", {}))
            self.cancel()
            return False
        self.cancel()
        if edit is not None:
            self._apply(edit)
        return True

    def geometry(self, coords: np.ndarray) -> BaseGeometry:
        if self.family == "point":
            return shapely.Point(coords[0])
        if self.family == "line":
            return shapely.LineString(coords)
        return shapely.Polygon(coords)

    def build(self, layer: VectorLayer, coords: np.ndarray) -> Edit | None:
        if layer.geometry_family != self.family and len(layer):
            raise EditError("wrong_family", "the layer holds another geometry type",
                            family=layer.geometry_family)
        return add_feature(layer, self.geometry(coords))

    def overlay(self) -> Overlay:
        overlay = Overlay()
        pts = list(self.points)
        if self.cursor_xy is not None and self.family != "point":
            pts.append(self.cursor_xy)
        if len(pts) >= 2:
            coords = np.array(pts)
            if self.family == "polygon" and len(pts) >= 3:
                overlay.polygons.append((coords, "rubber"))
            else:
                overlay.lines.append((coords, "rubber"))
            length, area = geodesic_measure(coords, self.ctx.crs, self.family == "polygon")
            last = pts[-1]
            overlay.measure = Measure(last[0], last[1], length_m=length,
                                      area_m2=area if self.family == "polygon" and len(pts) >= 3 else None)
        for x, y in self.points:
            overlay.markers.append((x, y, "new_vertex"))
        snap_marker(self.cursor_snap, overlay)
        return overlay


class AddRingTool(DrawTool):
    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx, Mode.ADD_RING, "polygon")

    def build(self, layer: VectorLayer, coords: np.ndarray) -> Edit | None:
        return add_ring(layer, coords, preferred_rows=layer.selection.tolist())


class AddPartTool(DrawTool):
    def __init__(self, ctx: ToolContext) -> None:
        layer = ctx.active_layer()
        super().__init__(ctx, Mode.ADD_PART, layer.geometry_family if layer else "polygon")

    def build(self, layer: VectorLayer, coords: np.ndarray) -> Edit | None:
        if len(layer.selection) != 1:
            raise EditError("select_one", "select exactly one feature to add a part to")
        return add_part(layer, int(layer.selection[0]), self.geometry(coords))


class SplitTool(DrawTool):
    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx, Mode.SPLIT, "line")
        self._extend_px = 2.0
        self._resolution = 1.0

    def handle(self, event: MapEvent) -> bool:
        self._resolution = event.resolution or self._resolution
        return super().handle(event)

    def build(self, layer: VectorLayer, coords: np.ndarray) -> Edit | None:
        line = shapely.LineString(coords)
        # Lengthen the cut by a couple of pixels (in layer units) so a line that ends
        # exactly on a boundary, as it does when snapped, still cuts through it.
        cx, cy = self.points[0]
        ax, ay = transform_point(cx, cy, self.ctx.crs, layer.crs)
        bx, by = transform_point(cx + self._extend_px * self._resolution, cy, self.ctx.crs, layer.crs)
        extend = math.hypot(bx - ax, by - ay)
        rows = layer.selection.tolist() or None
        return split_features(layer, line, rows=rows, extend=extend)
