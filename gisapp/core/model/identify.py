"""Find the feature under a map position (Qt-free).

Candidates come from each layer's flat bounds index (gisapp.core.geo.flatgeom: block bounds,
then feature bounds), and only those few candidates are projected to shapely geometries
for the exact test, so a click on a million-parcel layer costs about a millisecond and
needs no projected copy of the whole layer.
"""

from __future__ import annotations

import numpy as np
import shapely

from gisapp.core.model.project import Project


def features_at(project: Project, crs: str, x: float, y: float, tolerance: float,
                visible_only: bool = True) -> list[tuple[str, int]]:
    """(layer id, row) of features at (x, y) in ``crs``, topmost layer first.

    Within a layer, smaller polygons come first so a sector is found before the
    science city that contains it. ``tolerance`` is in map units (a few pixels).
    """
    point = shapely.Point(x, y)
    probe = point.buffer(tolerance, quad_segs=2)
    hits: list[tuple[str, int]] = []
    for layer in project.vector_layers():
        if visible_only and not layer.visible:
            continue
        cache = layer.projected(crs)
        if layer.geometry_family == "polygon":
            rows = cache.rows_in(x, y, x, y)
            if len(rows):
                geoms = cache.take(rows)
                inside = shapely.intersects(geoms, point)
                rows, geoms = rows[inside], geoms[inside]
                rows = rows[np.argsort(shapely.area(geoms), kind="stable")]
        else:
            rows = cache.rows_in(x - tolerance, y - tolerance, x + tolerance, y + tolerance)
            if len(rows):
                geoms = cache.take(rows)
                near = shapely.intersects(geoms, probe)
                rows, geoms = rows[near], geoms[near]
                rows = rows[np.argsort(shapely.distance(geoms, point), kind="stable")]
        hits.extend((layer.id, int(row)) for row in rows)
    return hits
