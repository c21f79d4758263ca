"""Find the feature under a map position (Qt-free, uses each layer's STRtree)."""

from __future__ import annotations

import numpy as np
import shapely

from .project import Project


def features_at(project: Project, crs: str, x: float, y: float, tolerance: float,
                visible_only: bool = True) -> list[tuple[str, int]]:
    """(layer id, row) of features at (x, y) in ``crs``, topmost layer first.

    Within a layer, smaller polygons come first so a sector is found before the
    science city that contains it. ``tolerance`` is in map units (a few pixels).
    """
    point = shapely.Point(x, y)
    probe = point.buffer(tolerance, quad_segs=2)
    hits: list[tuple[str, int]] = []
    for layer in project.layers:
        if visible_only and not layer.visible:
            continue
        cache = layer.projected(crs)
        if layer.geometry_family == "polygon":
            rows = cache.tree.query(point, predicate="intersects")
            if len(rows):
                areas = shapely.area(cache.geometries[rows])
                rows = rows[np.argsort(areas, kind="stable")]
        else:
            rows = cache.tree.query(probe, predicate="intersects")
            if len(rows):
                distances = shapely.distance(cache.geometries[rows], point)
                rows = rows[np.argsort(distances, kind="stable")]
        hits.extend((layer.id, int(row)) for row in rows)
    return hits
