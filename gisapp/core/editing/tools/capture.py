"""The coordinate capture tool: a click (snapped to vertices and segments) gives a point.

The point is handed to ``on_capture`` in the canvas CRS with that CRS; the panel shows it
in every CRS it lists. The last captured point stays marked on the map.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from gisapp.core.editing.snapping import SnapResult
from gisapp.core.editing.tools.base import (
    CLICK_SLOP_PX,
    MapEvent,
    Mode,
    Overlay,
    Tool,
    ToolContext,
    snap_marker,
)
from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point


class CaptureTool(Tool):
    mode = Mode.CAPTURE_POINT
    cursor = "cross"

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__(ctx)
        self.captured: tuple[float, float] | None = None  # lon/lat, so a CRS switch keeps it
        self.hover_snap: SnapResult | None = None
        self.on_capture: Callable[[float, float, str], None] | None = None  # x, y, canvas CRS
        self._press: MapEvent | None = None

    def handle(self, event: MapEvent) -> bool:
        if event.kind == "move":
            _x, _y, self.hover_snap = self.ctx.snap(event)
            return True
        if event.kind == "leave":
            self.hover_snap = None
            return True
        if event.kind == "press" and event.button == "left":
            self._press = event
            return False
        if event.kind == "release" and event.button == "left" and self._press is not None:
            press, self._press = self._press, None
            if math.hypot(event.px - press.px, event.py - press.py) > CLICK_SLOP_PX:
                return False
            x, y, _snap = self.ctx.snap(event)
            lon, lat = transform_point(x, y, self.ctx.crs, STORAGE_CRS)
            if not (math.isfinite(lon) and math.isfinite(lat)):
                return False
            self.captured = (float(lon), float(lat))
            if self.on_capture is not None:
                self.on_capture(x, y, self.ctx.crs)
            return True
        if event.kind == "key" and event.key == "Escape":
            self.captured = None
            return True
        return False

    def cancel(self) -> None:
        self._press = None

    def overlay(self) -> Overlay:
        overlay = Overlay()
        if self.captured is not None:
            x, y = transform_point(*self.captured, STORAGE_CRS, self.ctx.crs)
            overlay.markers.append((x, y, "centre"))
        snap_marker(self.hover_snap, overlay)
        return overlay
