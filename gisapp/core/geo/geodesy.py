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


# Features at most this many degrees across get their area from an equal-area projection
# centred on their 1-degree cell (within 1e-6 of the geodesic area); larger ones are measured
# exactly, one by one.
_EQUAL_AREA_MAX_DEG = 0.5


def geodesic_areas_m2(geoms_lonlat: np.ndarray) -> np.ndarray:
    """Geodesic areas (m²) of many lon/lat geometries at once (0 for points, lines, missing).

    A per-feature Geod call costs about 50 µs; instead, features are projected in groups to
    PROJ's ellipsoidal Lambert azimuthal equal-area projection centred on their 1° cell, whose
    planar areas are areas on the ellipsoid (the edges differ from geodesics by less than 1e-6
    of the area for features of half a degree).
    """
    geoms = np.asarray(geoms_lonlat, dtype=object)
    out = np.zeros(len(geoms))
    present = np.flatnonzero(~shapely.is_missing(geoms))
    present = present[np.isin(shapely.get_type_id(geoms[present]), (3, 6))]  # Polygon, MultiPolygon
    present = present[~shapely.is_empty(geoms[present])]
    if not len(present):
        return out
    bounds = shapely.bounds(geoms[present])
    big = ((bounds[:, 2] - bounds[:, 0] > _EQUAL_AREA_MAX_DEG) | (bounds[:, 3] - bounds[:, 1] > _EQUAL_AREA_MAX_DEG)
           | (np.abs(bounds[:, 1]) > 85) | (np.abs(bounds[:, 3]) > 85) | ~np.isfinite(bounds).all(axis=1))
    for row in present[big].tolist():
        out[row] = geodesic_area_m2(geoms[row])
    small, boxes = present[~big], bounds[~big]
    lon_cell = np.floor((boxes[:, 0] + boxes[:, 2]) / 2).astype(np.int64)
    lat_cell = np.floor((boxes[:, 1] + boxes[:, 3]) / 2).astype(np.int64)
    keys, groups = np.unique((lon_cell + 360) * 1000 + (lat_cell + 90), return_inverse=True)
    order = np.argsort(groups, kind="stable")
    bounds_of_group = np.searchsorted(groups[order], np.arange(len(keys) + 1))
    for number, key in enumerate(keys.tolist()):
        rows = small[order[bounds_of_group[number]:bounds_of_group[number + 1]]]
        lon, lat = key // 1000 - 360, key % 1000 - 90
        laea = f"+proj=laea +lat_0={lat + 0.5} +lon_0={lon + 0.5} +ellps=WGS84 +units=m +no_defs"
        out[rows] = shapely.area(transform_geometries(geoms[rows], STORAGE_CRS, laea))
    return out


def geodesic_lengths_m(geoms_lonlat: np.ndarray) -> np.ndarray:
    """Geodesic lengths (m) of many lon/lat lines, or perimeters (exterior rings) of polygons, at
    once: one vectorised Geod call over all segments (0 for points and missing geometries)."""
    geoms = np.asarray(geoms_lonlat, dtype=object)
    out = np.zeros(len(geoms))
    present = np.flatnonzero(~shapely.is_missing(geoms))
    if not len(present):
        return out
    types = shapely.get_type_id(geoms[present])
    lines: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    polygonal = present[np.isin(types, (3, 6))]
    if len(polygonal):
        # The exterior rings, as pyproj's and QGIS's perimeters measure them (holes left out).
        parts, part_of = shapely.get_parts(geoms[polygonal], return_index=True)
        lines.append(shapely.get_exterior_ring(parts))
        owners.append(polygonal[part_of])
    linear = present[np.isin(types, (1, 2, 5))]
    if len(linear):
        parts, part_of = shapely.get_parts(geoms[linear], return_index=True)
        lines.append(parts)
        owners.append(linear[part_of])
    if not lines:
        return out
    all_lines, owner = np.concatenate(lines), np.concatenate(owners)
    coords, line_of = shapely.get_coordinates(all_lines, return_index=True)
    if len(coords) < 2:
        return out
    segments = np.asarray(WGS84_GEOD.line_lengths(coords[:, 0], coords[:, 1]), dtype=float)
    same = line_of[1:] == line_of[:-1]
    np.add.at(out, owner[line_of[1:][same]], segments[same])
    return out
