"""A feature's geodesic measures and its share of its parent zone, with unsaved previews (no Qt).

The attribute panel calls this on every mouse move while a vertex is dragged, with
the dragged geometries as ``preview``; it touches two geometries, so it stays cheap.
The share follows the same definition as :mod:`gisapp.core.analysis.spatial_indicators`:
the geodesic area of (feature ∩ parent) over the parent's geodesic area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gisapp.core.geo.geodesy import (
    STORAGE_CRS,
    geodesic_area_m2,
    geodesic_length_m,
    transform_geometries,
)
from gisapp.core.model.project import Project


@dataclass(frozen=True)
class FeatureMeasures:
    area_m2: float
    length_m: float  # perimeter for polygons
    parent_id: str | None = None
    parent_layer_id: str | None = None
    parent_row: int | None = None
    parent_share: float | None = None  # 0..1


def _lonlat(geom: BaseGeometry, crs: str) -> BaseGeometry:
    return transform_geometries(np.array([geom], dtype=object), crs, STORAGE_CRS)[0]


def feature_measures(project: Project, layer_id: str, row: int, preview: dict[tuple[str, int], BaseGeometry] | None = None
                     ) -> FeatureMeasures:
    """Measures of (layer_id, row); ``preview`` maps (layer id, row) -> geometry in that layer's CRS."""
    preview = preview or {}
    layer = project.layer(layer_id)
    geom = preview.get((layer_id, row), layer.frame.geometry.array[row])
    lonlat = _lonlat(geom, layer.crs)
    area, length = geodesic_area_m2(lonlat), geodesic_length_m(lonlat)
    parent_id = None
    if "parent_id" in layer.frame.columns:
        value = layer.frame["parent_id"].iat[row]
        parent_id = value if isinstance(value, str) and value.strip() else None
    if parent_id is None or layer.geometry_family != "polygon":
        return FeatureMeasures(area, length)
    found = project.find_feature(parent_id)
    if found is None:
        return FeatureMeasures(area, length, parent_id)
    parent_layer, parent_row = found
    parent = preview.get((parent_layer.id, parent_row), parent_layer.frame.geometry.array[parent_row])
    parent_lonlat = _lonlat(parent, parent_layer.crs)
    parent_area = geodesic_area_m2(parent_lonlat)
    share = None
    if parent_area > 0:
        # A shape broken mid-drag still gets a share: that of its repaired area.
        inside = shapely.intersection(shapely.make_valid(lonlat), shapely.make_valid(parent_lonlat))
        polys = [p for p in shapely.get_parts(inside) if p.geom_type == "Polygon"]
        share = sum(geodesic_area_m2(p) for p in polys) / parent_area
    return FeatureMeasures(area, length, parent_id, parent_layer.id, parent_row, share)
