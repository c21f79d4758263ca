"""Snapping to vertices and segments of visible layers, within a pixel tolerance (no Qt).

Candidates come from each layer's STRtree (the projected cache), so a snap costs a
tree query and a look at the few features near the cursor, whatever the layer size.
A vertex within the tolerance always wins over a segment (predictable: the marker
shows a square for a vertex and a cross for a segment before the user clicks).

A vertex snap also carries the vertex's *exact* coordinates in its own layer's CRS,
so a vertex snapped onto a neighbour's vertex in the same CRS is bit-identical to
it, and the two zones share the boundary point exactly (no re-projection noise).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gisapp.core.geo.geodesy import transform_geometries
from gisapp.core.geo.geometry_ops import (
    nearest_segment,
    nearest_vertex,
    unique_vertex_indices,
    vertex_xy,
)
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project

DEFAULT_TOLERANCE_PX = 12.0


@dataclass(frozen=True)
class SnapResult:
    x: float  # canvas CRS
    y: float
    kind: str  # "vertex" or "segment"
    layer_id: str
    row: int
    index: int  # vertex flat index, or the segment's start vertex
    distance_px: float
    source_xy: tuple[float, float] | None = None  # exact vertex coordinates in the layer's CRS
    source_crs: str = ""

    def xy_in(self, crs: str, transform: Callable[[float, float], tuple[float, float]]) -> tuple[float, float]:
        """The snapped point in ``crs``: exact for vertex snaps in the same CRS."""
        if self.source_xy is not None and crs == self.source_crs:
            return self.source_xy
        return transform(self.x, self.y)


class CanvasGeometries:
    """Single features of a layer in the canvas CRS, vertex order kept (for hit tests).

    The projected cache orients polygons for rendering, which may reverse rings;
    editing needs vertex indices that match the layer's own geometry, so features
    near the cursor are transformed here on demand and cached by geometry object.
    """

    def __init__(self) -> None:
        # (layer id, row) -> (the layer's geometry object, crs, that geometry in crs)
        self._cache: dict[tuple[str, int], tuple[BaseGeometry | None, str, BaseGeometry | None]] = {}

    def get(self, layer: VectorLayer, row: int, crs: str, source: Any = None) -> BaseGeometry | None:
        """The feature at ``row`` in ``crs`` (``source``: the layer's geometry array, if at hand)."""
        geom = (layer.geometry_array if source is None else source)[row]
        key = (layer.id, row)
        hit = self._cache.get(key)
        if hit is not None and hit[0] is geom and hit[1] == crs:
            return hit[2]
        projected = transform_geometries(np.array([geom], dtype=object), layer.crs, crs)[0]
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = (geom, crs, projected)
        return projected

    def clear(self) -> None:
        self._cache.clear()


# Above this size the UI thread never builds a layer's projected cache itself: the render
# thread does, and hit tests find nothing in that layer until it is ready (a moment).
BUILD_ON_UI_THREAD_MAX = 50_000


def rows_in_box(layer: VectorLayer, crs: str, box: tuple[float, float, float, float]) -> np.ndarray:
    """Rows whose bounds (in ``crs``) meet ``box``, ascending, from the layer's spatial index."""
    if len(layer) == 0:
        return np.empty(0, dtype=np.int64)
    ready = getattr(layer, "projected_if_ready", None)
    cache = ready(crs) if ready is not None else None
    if cache is None:
        if ready is not None and len(layer) > BUILD_ON_UI_THREAD_MAX:
            return np.empty(0, dtype=np.int64)
        cache = layer.projected(crs)
    rows_in = getattr(cache, "rows_in", None)
    if rows_in is not None:
        return np.asarray(rows_in(*box), dtype=np.int64)
    return np.sort(cache.tree.query(shapely.box(*box)))


def candidate_rows(layer: VectorLayer, crs: str, x: float, y: float, radius: float) -> np.ndarray:
    return rows_in_box(layer, crs, (x - radius, y - radius, x + radius, y + radius))


class Snapper:
    """Snaps a canvas position to the nearest vertex, else segment, of visible layers."""

    def __init__(self, project: Project, crs: str, tolerance_px: float = DEFAULT_TOLERANCE_PX,
                 layer_ids: list[str] | None = None, geometries: CanvasGeometries | None = None) -> None:
        self.project = project
        self.crs = crs
        self.tolerance_px = tolerance_px
        self.layer_ids = layer_ids
        self.geometries = geometries or CanvasGeometries()

    def layers(self) -> list[VectorLayer]:
        if self.layer_ids is not None:
            return [self.project.layer(i) for i in self.layer_ids]
        return [layer for layer in self.project.layers if layer.visible]

    def snap(self, x: float, y: float, resolution: float,
             exclude: AbstractSet[tuple[str, int, int]] = frozenset(),
             exclude_features: AbstractSet[tuple[str, int]] = frozenset()) -> SnapResult | None:
        """Nearest vertex within the tolerance, else nearest segment, else None.

        ``exclude`` lists (layer id, row, vertex index) not to snap to (a vertex being
        dragged); ``exclude_features`` leaves whole features out (features being moved).
        """
        radius = self.tolerance_px * resolution
        best_vertex: SnapResult | None = None
        best_segment: SnapResult | None = None
        for layer in self.layers():
            rows = candidate_rows(layer, self.crs, x, y, radius)
            if not len(rows):
                continue
            source = layer.geometry_array
            for row in rows.tolist():
                if (layer.id, row) in exclude_features:
                    continue
                geom = self.geometries.get(layer, row, self.crs, source)
                if geom is None or geom.is_empty:
                    continue
                index, distance = self._nearest_vertex(geom, x, y, layer.id, row, exclude)
                if index >= 0 and distance <= radius and (best_vertex is None
                                                          or distance < best_vertex.distance_px * resolution):
                    vx, vy = vertex_xy(geom, index)
                    best_vertex = SnapResult(vx, vy, "vertex", layer.id, row, index, distance / resolution,
                                             vertex_xy(source[row], index), layer.crs)
                if best_vertex is None:
                    start, (sx, sy), distance = nearest_segment(geom, x, y)
                    if start >= 0 and distance <= radius and (
                            best_segment is None or distance < best_segment.distance_px * resolution):
                        if exclude and any((layer.id, row, i) in exclude for i in (start, start + 1)):
                            continue  # the segment moves with the dragged vertex
                        best_segment = SnapResult(sx, sy, "segment", layer.id, row, start,
                                                  distance / resolution)
        return best_vertex or best_segment

    @staticmethod
    def _nearest_vertex(geom: BaseGeometry, x: float, y: float, layer_id: str, row: int,
                        exclude: AbstractSet[tuple[str, int, int]]) -> tuple[int, float]:
        if not exclude:
            return nearest_vertex(geom, x, y)
        coords = shapely.get_coordinates(geom)
        idx = unique_vertex_indices(geom)
        excluded = [i for (layer, r, i) in exclude if layer == layer_id and r == row]
        if excluded:
            idx = idx[~np.isin(idx, excluded)]
        if not len(idx):
            return -1, float("inf")
        d = np.hypot(coords[idx, 0] - x, coords[idx, 1] - y)
        best = int(np.argmin(d))
        return int(idx[best]), float(d[best])
