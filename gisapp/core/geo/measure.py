"""Geodesic measures of clicked points: segment lengths, totals, areas and angles (no Qt).

The points come in the canvas CRS, whatever it is (Web Mercator, a Gauss-Krüger zone,
lon/lat); they are taken to lon/lat and measured on the WGS84 ellipsoid with
``pyproj.Geod``, so the same clicks on the ground give the same metres in every CRS.

>>> m = measure_points([(121.5, 38.9), (121.6, 38.9)], "EPSG:4326", "distance")
>>> round(m.total_m)
8675
>>> format_length(m.total_m, "auto"), format_length(m.total_m, "m")
('8.675 km', '8,674.8 m')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from gisapp.core.geo.geodesy import STORAGE_CRS, WGS84_GEOD, transformer

DISTANCE, AREA, ANGLE = "distance", "area", "angle"
LENGTH_UNITS = ("auto", "m", "km")
AREA_UNITS = ("auto", "m2", "ha", "km2")
AREA_SYMBOLS = {"m2": "m²", "ha": "ha", "km2": "km²"}


@dataclass(frozen=True)
class MeasureResult:
    """What a measure of ``kind`` found: geodesic metres, square metres and degrees."""

    kind: str
    segments_m: list[float] = field(default_factory=list)
    total_m: float = 0.0
    area_m2: float | None = None  # area measures with three points or more
    perimeter_m: float | None = None
    angle_deg: float | None = None  # angle measures with three points

    @property
    def is_empty(self) -> bool:
        return not self.segments_m


def lonlat_points(points: Sequence[tuple[float, float]], crs: str) -> np.ndarray:
    """``points`` (canvas CRS) as an n x 2 array of lon/lat."""
    coords = np.asarray(points, dtype=float).reshape(-1, 2)
    if not len(coords):
        return coords
    lon, lat = transformer(crs, STORAGE_CRS).transform(coords[:, 0], coords[:, 1])
    return np.column_stack([np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)])


def measure_points(points: Sequence[tuple[float, float]], crs: str, kind: str) -> MeasureResult:
    """The geodesic measure of clicked ``points`` in ``crs``.

    ``distance``: each segment and the total. ``area``: the polygon the points close
    (its area and perimeter, with the closing segment listed last). ``angle``: the angle at
    the second of three points between the lines to the first and the third, 0-180°.
    Points that do not reach lon/lat (outside the CRS) give an empty result.
    """
    lonlat = lonlat_points(points, crs)
    if len(lonlat) < 2 or not np.all(np.isfinite(lonlat)):
        return MeasureResult(kind)
    ring = np.vstack([lonlat, lonlat[:1]]) if kind == AREA and len(lonlat) >= 3 else lonlat
    segments = WGS84_GEOD.line_lengths(ring[:, 0], ring[:, 1])
    segments_m = [float(s) for s in np.atleast_1d(segments)]
    result = MeasureResult(kind, segments_m, float(sum(segments_m)))
    if kind == AREA and len(lonlat) >= 3:
        area, perimeter = WGS84_GEOD.polygon_area_perimeter(lonlat[:, 0], lonlat[:, 1])
        return MeasureResult(kind, segments_m, float(sum(segments_m)), abs(float(area)), float(perimeter))
    if kind == ANGLE and len(lonlat) >= 3:
        return MeasureResult(kind, segments_m[:2], float(sum(segments_m[:2])), angle_deg=angle_at(lonlat[:3]))
    return result


def angle_at(lonlat: np.ndarray) -> float:
    """The angle in degrees (0-180) at the middle of three lon/lat points, from the
    geodesic azimuths towards the other two."""
    (ax, ay), (bx, by), (cx, cy) = lonlat[:3]
    to_a, _back, _d = WGS84_GEOD.inv(bx, by, ax, ay)
    to_c, _back, _d = WGS84_GEOD.inv(bx, by, cx, cy)
    turn = abs(float(to_a) - float(to_c)) % 360.0
    return 360.0 - turn if turn > 180.0 else turn


def format_length(metres: float, unit: str = "auto") -> str:
    """``metres`` as text in ``unit`` (``auto``: km from 1 km up)."""
    if not math.isfinite(metres):
        return "—"
    if unit == "km" or (unit == "auto" and metres >= 1000):
        return f"{metres / 1000:,.3f} km"
    return f"{metres:,.1f} m"


def format_area(square_metres: float, unit: str = "auto") -> str:
    """``square_metres`` as text in ``unit`` (``auto``: m² below 1 ha, ha below 1 km², then km²)."""
    if not math.isfinite(square_metres):
        return "—"
    if unit == "auto":
        unit = "m2" if square_metres < 1e4 else "ha" if square_metres < 1e6 else "km2"
    if unit == "km2":
        return f"{square_metres / 1e6:,.3f} km²"  # as the map label writes it
    if unit == "ha":
        return f"{square_metres / 1e4:,.2f} ha"
    return f"{square_metres:,.0f} m²"


def format_angle(degrees: float) -> str:
    return f"{degrees:.2f}°" if math.isfinite(degrees) else "—"
