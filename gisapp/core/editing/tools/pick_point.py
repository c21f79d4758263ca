"""Pick one map position, snapped to the vertices of visible layers (the georeferencer's map side).

Not an editing mode: it edits nothing. It reports the picked position in WGS 84 through
``on_pick``; a snapped vertex is given from its own layer's coordinates, so a control point
placed on a zone corner is that corner exactly.

>>> import geopandas as gpd, shapely
>>> from gisapp.core.model.layer import VectorLayer
>>> from gisapp.core.model.project import Project
>>> layer = VectorLayer("zones", "区", "Zones", gpd.GeoDataFrame(
...     {"id": ["a"]}, geometry=[shapely.box(121.5, 38.9, 121.6, 39.0)], crs="EPSG:4326"))
>>> picked = []
>>> tool = PickPointTool(Project(layers=[layer]), "EPSG:4326", on_pick=lambda x, y, s: picked.append((x, y, s)))
>>> _ = tool.handle(MapEvent("press", 121.5001, 38.9001, button="left", resolution=0.0001))
>>> picked
[(121.5, 38.9, True)]
"""

from __future__ import annotations

from collections.abc import Callable

from gisapp.core.editing.snapping import DEFAULT_TOLERANCE_PX, CanvasGeometries, Snapper, SnapResult
from gisapp.core.editing.tools.base import MapEvent, Overlay, snap_marker
from gisapp.core.geo.geodesy import STORAGE_CRS, transform_point
from gisapp.core.model.project import Project


class PickPointTool:
    cursor = "cross"

    def __init__(self, project: Project, crs: str, on_pick: Callable[[float, float, bool], None],
                 snapping: bool = True, tolerance_px: float = DEFAULT_TOLERANCE_PX) -> None:
        self.project = project
        self.crs = crs  # the canvas CRS of the events
        self.on_pick = on_pick  # (lon, lat, snapped to a vertex)
        self.snapping = snapping
        self.tolerance_px = tolerance_px
        self.geometries = CanvasGeometries()
        self.hover: SnapResult | None = None

    def _snap(self, event: MapEvent) -> SnapResult | None:
        if not self.snapping:
            return None
        snapper = Snapper(self.project, self.crs, self.tolerance_px, geometries=self.geometries)
        hit = snapper.snap(event.x, event.y, event.resolution)
        return hit if hit is not None and hit.kind == "vertex" else None

    def handle(self, event: MapEvent) -> bool:
        """True when the overlay changed."""
        if event.kind == "move":
            before = self.hover
            self.hover = self._snap(event)
            return before != self.hover or self.hover is not None
        if event.kind == "press" and event.button == "left":
            hit = self._snap(event)
            if hit is not None:
                lon, lat = hit.xy_in(STORAGE_CRS, lambda x, y: transform_point(x, y, self.crs, STORAGE_CRS))
            else:
                lon, lat = transform_point(event.x, event.y, self.crs, STORAGE_CRS)
            self.hover = None
            self.on_pick(float(lon), float(lat), hit is not None)
            return True
        if event.kind == "leave":
            self.hover = None
            return True
        return False

    def overlay(self) -> Overlay:
        overlay = Overlay()
        snap_marker(self.hover, overlay)
        return overlay
