"""CRS helpers and geodesic measures (never in degrees)."""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry.base import BaseGeometry

STORAGE_CRS = "EPSG:4326"
DEFAULT_CANVAS_CRS = "EPSG:3857"
WGS84_GEOD = Geod(ellps="WGS84")


_per_thread = threading.local()


def transformer(source: str, target: str) -> Transformer:
    """An always_xy transformer (lon/lat order whatever the CRS axis order), cached per
    thread: pyproj objects are not thread-safe, so threads must not share them."""
    cache = getattr(_per_thread, "transformers", None)
    if cache is None:
        cache = _per_thread.transformers = {}
    key = (source, target)
    if key not in cache:
        cache[key] = Transformer.from_crs(source, target, always_xy=True)
    return cache[key]


@lru_cache(maxsize=256)
def same_crs(source: str, target: str) -> bool:
    """Whether two CRS strings name the same CRS (cached: parsing a CRS is slow, and the
    editing tools ask on every mouse move)."""
    return source == target or CRS.from_user_input(source) == CRS.from_user_input(target)


def transform_geometries(geoms: np.ndarray, source: str, target: str) -> np.ndarray:
    """Reproject an array of shapely geometries, vectorised over all coordinates."""
    if same_crs(source, target):
        return geoms
    trans = transformer(source, target)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = trans.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, project)


def transform_point(x: float, y: float, source: str, target: str) -> tuple[float, float]:
    return transformer(source, target).transform(x, y)


def geodesic_area_m2(geom_lonlat: BaseGeometry | None) -> float:
    """Geodesic area in m² of a lon/lat geometry (0 for points and lines)."""
    if geom_lonlat is None or geom_lonlat.is_empty:
        return 0.0
    area, _perimeter = WGS84_GEOD.geometry_area_perimeter(geom_lonlat)
    return abs(area)


def geodesic_length_m(geom_lonlat: BaseGeometry | None) -> float:
    """Geodesic length in metres of lines, or perimeter of polygons."""
    if geom_lonlat is None or geom_lonlat.is_empty:
        return 0.0
    if geom_lonlat.geom_type in ("Polygon", "MultiPolygon"):
        return WGS84_GEOD.geometry_area_perimeter(geom_lonlat)[1]
    return WGS84_GEOD.geometry_length(geom_lonlat)


def crs_label(crs: str) -> str:
    """Short human label such as 'EPSG:3857 WGS 84 / Pseudo-Mercator'."""
    parsed = CRS.from_user_input(crs)
    code = parsed.to_authority()
    prefix = f"{code[0]}:{code[1]} " if code else ""
    return f"{prefix}{parsed.name}"
