"""The measure tools: distance along clicked points, the area they enclose, the angle at a vertex.

Clicks snap to vertices and segments of visible layers. Points are kept in lon/lat, so
a measure survives a change of the canvas CRS, and measured on the ellipsoid
(:mod:`gisapp.core.geo.measure`). While measuring, the point under the cursor is part of the
live result. Right-click, double-click or Enter finishes; a left click after that starts a
new measure; Backspace removes the last point; Esc finishes, and a second Esc clears.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gisapp.core.editing.snapping import SnapResult
from gisapp.core.editing.tools.base import (
    CLICK_SLOP_PX,
    MapEvent,
    Measure,
    Mode,
    Overlay,
    Tool,
    ToolContext,
    snap_marker,
)
from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point, transformer
from gisapp.core.geo.measure import ANGLE, AREA, DISTANCE, MeasureResult, measure_points

KINDS = {Mode.MEASURE_DISTANCE: DISTANCE, Mode.MEASURE_AREA: AREA, Mode.MEASURE_ANGLE: ANGLE}


class MeasureTool(Tool):
    cursor = "cross"

    def __init__(self, ctx: ToolContext, mode: Mode) -> None:
        super().__init__(ctx)
        self.mode = mode
        self.kind = KINDS[mode]
        self.points: list[tuple[float, float]] = []  # lon/lat
        self.finished = False
        self.hover: tuple[float, float] | None = None  # lon/lat of the cursor, snapped
        self.hover_snap: SnapResult | None = None
        self.on_change: Callable[[], None] | None = None  # the panel listens
        self._press: MapEvent | None = None

    # --- state ---------------------------------------------------------------------------------
    def live_points(self) -> list[tuple[float, float]]:
        """The clicked points, and the cursor while measuring."""
        if self.finished or self.hover is None or not self.points:
            return list(self.points)
        if self.kind == ANGLE and len(self.points) >= 3:
            return list(self.points)
        return [*self.points, self.hover]

    def result(self) -> MeasureResult:
        return measure_points(self.live_points(), STORAGE_CRS, self.kind)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def clear(self) -> None:
        self.points, self.finished, self._press = [], False, None
        self._changed()

    def cancel(self) -> None:
        self.points, self.finished, self._press = [], False, None
        self.hover = self.hover_snap = None

    def finish(self) -> None:
        if self.points:
            self.finished = True
            self._changed()

    # --- events --------------------------------------------------------------------------------
    def _lonlat(self, event: MapEvent) -> tuple[tuple[float, float], SnapResult | None]:
        x, y, snap = self.ctx.snap(event)
        lon, lat = transform_point(x, y, self.ctx.crs, STORAGE_CRS)
        return (float(lon), float(lat)), snap

    def _add(self, event: MapEvent) -> None:
        if self.finished:
            self.points, self.finished = [], False
        point, snap = self._lonlat(event)
        if not all(math.isfinite(v) for v in point):
            return
        self.points.append(point)
        self.hover, self.hover_snap = point, snap
        if self.kind == ANGLE and len(self.points) == 3:
            self.finished = True
        self._changed()

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "move":
            self.hover, self.hover_snap = self._lonlat(event)
            if self.points and not self.finished:
                self._changed()
            return True
        if event.kind == "leave":
            self.hover = self.hover_snap = None
            if self.points and not self.finished:
                self._changed()
            return True
        if event.kind == "press" and event.button in ("left", "right"):
            self._press = event
            return False
        if event.kind == "release" and self._press is not None:
            press, self._press = self._press, None
            if math.hypot(event.px - press.px, event.py - press.py) > CLICK_SLOP_PX:
                return False
            if event.button == "right":
                self.finish()
                return True
            if event.button == "left":
                self._add(event)
                return True
            return False
        if event.kind == "double" and event.button == "left":
            if not self.finished:
                self.finish()
            return True
        if event.kind == "key":
            if event.key in ("Backspace", "Delete") and self.points and not self.finished:
                self.points.pop()
                self._changed()
                return True
            if event.key == "Enter":
                self.finish()
                return True
            if event.key == "Escape":
                if self.points and not self.finished:
                    self.finish()
                else:
                    self.clear()
                return True
        return False

    # --- drawing -------------------------------------------------------------------------------
    def overlay(self) -> Overlay:
        overlay = Overlay()
        points = self.live_points()
        if points:
            coords = _to_canvas(points, self.ctx.crs)
            if self.kind == AREA and len(coords) >= 3:
                overlay.polygons.append((coords, "measure"))
            elif len(coords) >= 2:
                overlay.lines.append((coords, "measure"))
            for x, y in coords[: len(self.points)].tolist():
                overlay.markers.append((x, y, "new_vertex"))
            result = self.result()
            if not result.is_empty:
                x, y = coords[-1] if self.kind != ANGLE or len(coords) < 2 else coords[1]
                overlay.measure = Measure(
                    float(x), float(y),
                    length_m=result.perimeter_m if result.area_m2 is not None else
                    (result.total_m if self.kind == DISTANCE else None),
                    area_m2=result.area_m2, angle_deg=result.angle_deg)
        if not self.finished or not self.points:
            snap_marker(self.hover_snap, overlay)
        return overlay


def _to_canvas(points: list[tuple[float, float]], crs: str) -> np.ndarray:
    coords = np.asarray(points, dtype=float)
    x, y = transformer(STORAGE_CRS, crs).transform(coords[:, 0], coords[:, 1])
    return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
