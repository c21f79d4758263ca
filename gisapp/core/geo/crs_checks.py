"""Which CRS a layer's coordinates are in, and which coordinates no CRS can place.

A file may name no CRS (a shapefile without .prj, a GeoJSON without "crs", which RFC 7946
makes WGS 84) or name a wrong one. Drawn as longitudes, Gauss-Krüger eastings such as
41543210 land at longitude 4e7 and blow up the map. :func:`decide_crs` keeps the declared
CRS when the coordinates fit it; when they cannot be degrees, it guesses a projected CRS
from their form (the zone prefix Gauss-Krüger eastings carry, 6-digit eastings of UTM 51N or
the Gauss-Krüger zones around Dalian, Web Mercator) and applies the guess only where it
lands in China. Single features no CRS can place (1e308, or NaN caught before) are
rejected; features that are only far from the rest are reported by :func:`far_rows`.

>>> bounds = np.array([[41543210.0, 4301234.0, 41543210.0, 4301234.0]])
>>> decision = decide_crs("EPSG:4326", "standard", bounds)
>>> decision.crs, decision.how, decision.rejected_rows.tolist()
('EPSG:4529', 'guessed', [])
>>> crs_name(decision.crs)
'CGCS2000 / 3-degree Gauss-Kruger zone 41'
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np
from pyproj import CRS

from gisapp.core.geo.geodesy import STORAGE_CRS, WGS84_GEOD, transformer

ABSURD = 1e9  # no CRS in metres, feet or degrees has coordinates this large
HOME_LONLAT = (121.55, 38.88)  # the Dalian High-tech Zone: among equal guesses, the nearer wins
CHINA_LONLAT = (73.0, 17.5, 135.5, 54.0)  # where a guessed CRS must place the data
GUESS_BUCKET_KM = 50.0  # guesses this close to each other count as equally near
AREA_TOLERANCE_DEG = 1.0
WEB_MERCATOR_LIMIT = 20037508.342789244


_per_thread = threading.local()


def _crs(crs: str) -> CRS:
    """A parsed CRS, cached per thread (pyproj objects must not cross threads; see geodesy)."""
    cache = getattr(_per_thread, "crs", None)
    if cache is None:
        cache = _per_thread.crs = {}
    if crs not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[crs] = CRS.from_user_input(crs)
    return cache[crs]


def crs_name(crs: str) -> str:
    return _crs(crs).name


def is_geographic(crs: str) -> bool:
    return bool(_crs(crs).is_geographic)


def _lonlat(crs: str, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if is_geographic(crs):
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(all="ignore"):
        lon, lat = transformer(crs, STORAGE_CRS).transform(x, y)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _placeable(crs: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Whether each point is a real place in ``crs``: degrees within range, or projected
    coordinates that survive the round trip to lon/lat and back (Web Mercator wraps an
    easting of 4e7 to a longitude that projects back elsewhere)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    sane = np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= ABSURD) & (np.abs(y) <= ABSURD)
    if is_geographic(crs):
        return sane & (np.abs(x) <= 360.0) & (np.abs(y) <= 90.0 + 1e-9)
    lon, lat = _lonlat(crs, np.where(sane, x, 0.0), np.where(sane, y, 0.0))
    with np.errstate(all="ignore"):
        back_x, back_y = (np.asarray(v, dtype=float) for v in transformer(STORAGE_CRS, crs).transform(lon, lat))
        tolerance = np.maximum(1.0, 1e-7 * np.abs(x))
        return (sane & np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90.0 + 1e-9)
                & (np.abs(back_x - x) <= tolerance) & (np.abs(back_y - y) <= np.maximum(1.0, 1e-7 * np.abs(y))))


def outside_valid_range(bounds: np.ndarray, crs: str) -> np.ndarray:
    """Per feature (rows of xmin, ymin, xmax, ymax): True where no place in ``crs`` matches."""
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    if not len(bounds):
        return np.zeros(0, dtype=bool)
    with np.errstate(invalid="ignore"):
        total = np.array([np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1]),
                          np.nanmax(bounds[:, 2]), np.nanmax(bounds[:, 3])])
    if _placeable(crs, total[[0, 2, 0, 2]], total[[1, 3, 3, 1]]).all():
        return np.zeros(len(bounds), dtype=bool)  # the whole extent fits: every feature does
    low = _placeable(crs, bounds[:, 0], bounds[:, 1])
    high = _placeable(crs, bounds[:, 2], bounds[:, 3])
    return ~(low & high)


def _centres(bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):  # 1e308 + 1e308 is inf, which is what it should be
        return bounds[:, 0] / 2 + bounds[:, 2] / 2, bounds[:, 1] / 2 + bounds[:, 3] / 2


def _candidates(x: float, y: float) -> list[str]:
    """Projected CRSs whose coordinates look like (x, y), in order of preference."""
    found = []
    if 1e7 <= x < 1e8 and 0 < y < 1e7:
        zone = int(x // 1e6)  # Gauss-Krüger eastings carry the zone number before 500000
        if 25 <= zone <= 45:
            found.append(f"EPSG:{4513 + zone - 25}")  # CGCS2000 / 3-degree Gauss-Kruger zone N
        elif 13 <= zone <= 23:
            found.append(f"EPSG:{4491 + zone - 13}")  # CGCS2000 / Gauss-Kruger zone N (6-degree)
    if 1e5 <= x < 1e6 and 0 < y < 1e7:
        # No zone prefix: the central meridian is not in the numbers. Dalian lies in UTM 51N
        # and on the border of the 3-degree zones with central meridians 120E and 123E.
        found += ["EPSG:32651", "EPSG:4550", "EPSG:4549"]
    if abs(x) <= WEB_MERCATOR_LIMIT and abs(y) <= WEB_MERCATOR_LIMIT:
        found.append("EPSG:3857")
    return found


def _inside(lon: np.ndarray, lat: np.ndarray, box: tuple[float, float, float, float], tolerance: float = 0.0) -> bool:
    west, south, east, north = box
    return bool(np.all(np.isfinite(lon)) and np.all(np.isfinite(lat))
                and np.all(lon >= west - tolerance) and np.all(lon <= east + tolerance)
                and np.all(lat >= south - tolerance) and np.all(lat <= north + tolerance))


def guess_projected_crs(bounds: np.ndarray) -> list[tuple[str, int]]:
    """Projected CRSs that place these features in China, best first (empty if none does),
    each with its distance from Dalian in steps of GUESS_BUCKET_KM.

    The sample is the median feature centre and the corners of the middle 90% of centres;
    each must land inside China and inside the candidate's area of use.
    """
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    if not len(bounds):
        return []
    cx, cy = _centres(bounds)
    mx, my = float(np.median(cx)), float(np.median(cy))
    qx = np.quantile(cx, [0.05, 0.95])
    qy = np.quantile(cy, [0.05, 0.95])
    sample_x = np.array([mx, qx[0], qx[1], qx[0], qx[1]])
    sample_y = np.array([my, qy[0], qy[1], qy[1], qy[0]])
    ranked = []
    for preference, candidate in enumerate(_candidates(mx, my)):
        lon, lat = _lonlat(candidate, sample_x, sample_y)
        area = _crs(candidate).area_of_use
        if not _inside(lon, lat, CHINA_LONLAT):
            continue
        if area is not None and not _inside(lon, lat, (area.west, area.south, area.east, area.north),
                                            AREA_TOLERANCE_DEG):
            continue
        _az, _back, metres = WGS84_GEOD.inv(HOME_LONLAT[0], HOME_LONLAT[1], float(lon[0]), float(lat[0]))
        ranked.append((math.floor(metres / 1000.0 / GUESS_BUCKET_KM), preference, candidate))
    return [(candidate, bucket) for bucket, _preference, candidate in sorted(ranked)]


@dataclass
class CrsDecision:
    crs: str | None  # None: no CRS fits, the layer cannot be placed
    how: str  # 'declared', 'standard', 'assumed' or 'guessed' (see load_report)
    rejected_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    alternatives: list[str] = field(default_factory=list)
    contradicted: str = ""  # the declared CRS the coordinates showed to be wrong
    example: tuple[float, float] = (math.nan, math.nan)  # a typical coordinate, for messages

    @property
    def guessed(self) -> bool:
        return self.how == "guessed"


def example_coordinate(bounds: np.ndarray) -> tuple[float, float]:
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    if not len(bounds):
        return (math.nan, math.nan)
    cx, cy = _centres(bounds)
    row = int(np.argsort(cx, kind="stable")[len(cx) // 2])
    return (float(bounds[row, 0]), float(bounds[row, 1]))


def decide_crs(crs: str, how: str, bounds: np.ndarray) -> CrsDecision:
    """The CRS to read features with ``bounds`` in (see the module docstring).

    ``crs``/``how`` are what the file said ('declared', 'standard' or 'assumed'). Most
    features outside the valid range of a geographic CRS mean the coordinates are projected:
    a guess replaces the CRS, or the layer cannot be placed (``crs`` None). The same holds for
    a projected CRS most features do not fit. Otherwise the features outside the range are
    rejected one by one.
    """
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    outside = outside_valid_range(bounds, crs)
    example = example_coordinate(bounds[outside] if outside.any() else bounds)
    if len(bounds) and outside.mean() > 0.5:
        sane = bounds[np.all(np.isfinite(bounds) & (np.abs(bounds) <= ABSURD), axis=1)]
        guesses = [(guess, bucket) for guess, bucket in guess_projected_crs(sane) if guess != crs]
        if not guesses:
            return CrsDecision(None, how, example=example)
        best, best_bucket = guesses[0]
        equally_near = [guess for guess, bucket in guesses[1:] if bucket == best_bucket]
        return CrsDecision(best, "guessed", np.flatnonzero(outside_valid_range(bounds, best)),
                           alternatives=equally_near, contradicted=crs if how == "declared" else "",
                           example=example)
    return CrsDecision(crs, how, np.flatnonzero(outside), example=example)


def area_of_use_excess(bounds: np.ndarray, crs: str) -> str:
    """'' if the features lie inside the area of use of ``crs`` (within a degree); else the
    area's name and extent, for a warning."""
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    area = _crs(crs).area_of_use
    if not len(bounds) or area is None or area.west > area.east:
        return ""  # no area, or one across the antimeridian: nothing sensible to compare
    xmin, ymin = np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1])
    xmax, ymax = np.nanmax(bounds[:, 2]), np.nanmax(bounds[:, 3])
    lon, lat = _lonlat(crs, np.array([xmin, xmax, xmin, xmax]), np.array([ymin, ymax, ymax, ymin]))
    if _inside(lon, lat, (area.west, area.south, area.east, area.north), AREA_TOLERANCE_DEG):
        return ""
    return f"{_degrees(area.west, 'E', 'W')}–{_degrees(area.east, 'E', 'W')}, " \
           f"{_degrees(area.south, 'N', 'S')}–{_degrees(area.north, 'N', 'S')}"


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value >= 0 else negative}"


def far_rows(bounds: np.ndarray, crs: str, factor: float = 1000.0) -> np.ndarray:
    """Features whose centre lies more than ``factor`` times the typical spread away from the
    median centre (at least ten degrees or a thousand kilometres): a lone point at (0, 0)
    beside a city's parcels. Needs five features to say what 'the rest' is."""
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    if len(bounds) < 5:
        return np.empty(0, dtype=np.int64)
    cx, cy = _centres(bounds)
    distance = np.hypot(cx - np.median(cx), cy - np.median(cy))
    crs_object = _crs(crs)
    unit = 1.0 if crs_object.is_geographic else crs_object.axis_info[0].unit_conversion_factor or 1.0
    floor = 0.01 if crs_object.is_geographic else 1000.0 / unit
    spread = max(float(np.median(distance)), floor)
    return np.flatnonzero(distance > factor * spread)
