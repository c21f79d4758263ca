"""Georeferencing an image from control points (no Qt): fits, residuals and RMS.

A control point joins an image position (``pixel_x`` columns from the left edge, ``pixel_y``
rows down from the top edge, as GDAL counts: the image's top-left corner is 0, 0) to a map
position in a CRS. Four kinds of transform, as in QGIS's georeferencer:

- ``affine``: GDAL's least-squares geotransform (``rasterio.transform.from_gcps``); the output
  keeps the image's pixels and only gains a geotransform (or a world file).
- ``poly1`` / ``poly2``: a polynomial of order 1 or 2, least squares, as GDAL's GCP polynomial
  transformer fits it (GDAL warps with the same order through ``MAX_GCP_ORDER``).
- ``tps``: GDAL's thin-plate spline, which passes through every point (residuals are zero).

Residuals are measured on the ground: the distance between where a point's map position is
and where the transform puts its pixel, geodesic on WGS 84 whatever the CRS, in metres.
They are also given in map units and in image pixels (what QGIS writes to ``.points``).

Examples
--------
>>> points = [ControlPoint(0, 0, 121.5, 39.0), ControlPoint(100, 0, 121.6, 39.0),
...           ControlPoint(0, 100, 121.5, 38.9), ControlPoint(100, 100, 121.6, 38.9)]
>>> fit = fit_points(points, "affine", "EPSG:4326")
>>> round(fit.rms_m, 6)
0.0
>>> [round(v, 6) for v in fit.apply([50.0], [50.0])[0] + fit.apply([50.0], [50.0])[1]]
[121.55, 38.95]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from pyproj import CRS

from gisapp.core.geo.geodesy import WGS84_GEOD, transformer

TRANSFORM_KINDS = ("affine", "poly1", "poly2", "tps")
# Enabled points each kind needs: a polynomial of order n has (n + 1)(n + 2) / 2 terms.
MIN_POINTS = {"affine": 3, "poly1": 3, "poly2": 6, "tps": 3}
_ORDER = {"poly1": 1, "poly2": 2}
# The output CRSs offered: WGS 84, Web Mercator, CGCS2000 and its 3-degree Gauss-Kruger zone
# CM 120 E (EPSG:4549).
OUTPUT_CRSS = ("EPSG:4326", "EPSG:3857", "EPSG:4490", "EPSG:4549")


class GeorefError(ValueError):
    """The points cannot make the transform asked for (too few, in a line, not finite)."""


@dataclass(frozen=True)
class ControlPoint:
    pixel_x: float  # columns from the image's left edge
    pixel_y: float  # rows from the top edge, growing downwards
    map_x: float  # in the fit's CRS
    map_y: float
    enabled: bool = True

    def with_map(self, x: float, y: float) -> ControlPoint:
        return replace(self, map_x=x, map_y=y)


@dataclass(frozen=True)
class Residual:
    """Where the transform puts a point's pixel, against the point's map position."""

    dx_map: float  # predicted minus given, map units
    dy_map: float
    dx_px: float  # the same error seen in the image, pixels (QGIS's dX, dY)
    dy_px: float
    metres: float  # on the ground, geodesic

    @property
    def px(self) -> float:
        return math.hypot(self.dx_px, self.dy_px)


@dataclass(frozen=True)
class Fit:
    kind: str
    crs: str
    points: tuple[ControlPoint, ...]
    residuals: tuple[Residual, ...]  # one per point, disabled ones included (not in the RMS)
    rms_m: float
    rms_px: float
    forward: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

    def apply(self, pixel_x: Sequence[float], pixel_y: Sequence[float]) -> tuple[list[float], list[float]]:
        """Map positions of image positions."""
        x, y = self.forward(np.asarray(pixel_x, dtype=float), np.asarray(pixel_y, dtype=float))
        return [float(v) for v in x], [float(v) for v in y]

    def affine_coefficients(self) -> tuple[float, float, float, float, float, float]:
        """(a, b, c, d, e, f) of an affine fit: x = a*col + b*row + c, y = d*col + e*row + f."""
        if self.kind != "affine":
            raise GeorefError(f"a {self.kind} transform has no affine coefficients")
        return _affine_coefficients(self.points)


def kind_problem(kind: str, enabled_count: int) -> str:
    """Why ``kind`` cannot be fitted on that many points ('' if it can)."""
    if kind not in TRANSFORM_KINDS:
        return f"unknown transform {kind!r}; expected one of {', '.join(TRANSFORM_KINDS)}"
    need = MIN_POINTS[kind]
    if enabled_count < need:
        return f"{kind} needs at least {need} enabled points, {enabled_count} given"
    return ""


def fit_points(points: Sequence[ControlPoint], kind: str, crs: str) -> Fit:
    """Fit ``kind`` on the enabled points; residuals for every point.

    Raises :class:`GeorefError` when the points cannot make the transform.
    """
    points = tuple(points)
    enabled = [p for p in points if p.enabled]
    problem = kind_problem(kind, len(enabled))
    if problem:
        raise GeorefError(problem)
    values = np.array([[p.pixel_x, p.pixel_y, p.map_x, p.map_y] for p in enabled], dtype=float)
    if not np.isfinite(values).all():
        raise GeorefError("a control point has a coordinate that is not a finite number")
    if len({(p.pixel_x, p.pixel_y) for p in enabled}) < len(enabled):
        raise GeorefError("two enabled points share the same image position")
    every = np.array([[p.pixel_x, p.pixel_y, p.map_x, p.map_y] for p in points], dtype=float)
    px, py, mx, my = every.T
    try:
        forward, inverse = _transformers(enabled, kind)
        fx, fy = forward(px, py)
        ix, iy = inverse(mx, my)
    except GeorefError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL's errors (CPLE_*) share no public base class
        raise GeorefError(f"GDAL could not make a {kind} transform from these points ({exc})") from exc
    if not (np.isfinite(fx).all() and np.isfinite(fy).all()):
        raise GeorefError(f"the {kind} transform of these points is not finite: spread them over the image")
    metres = _ground_distance(fx, fy, mx, my, crs)
    residuals = tuple(
        Residual(float(fx[i] - mx[i]), float(fy[i] - my[i]), float(px[i] - ix[i]),
                 float(py[i] - iy[i]), float(metres[i]))
        for i in range(len(points)))
    on = [r for r, p in zip(residuals, points, strict=True) if p.enabled]
    rms_m = math.sqrt(sum(r.metres ** 2 for r in on) / len(on))
    rms_px = math.sqrt(sum(r.px ** 2 for r in on) / len(on))
    return Fit(kind, crs, points, residuals, rms_m, rms_px, forward)


def _ground_distance(x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray,
                     crs: str) -> np.ndarray:
    to_lonlat = transformer(crs, "EPSG:4326")
    lon1, lat1 = to_lonlat.transform(x1, y1)
    lon2, lat2 = to_lonlat.transform(x2, y2)
    _az, _back, dist = WGS84_GEOD.inv(lon1, lat1, lon2, lat2)
    return np.abs(np.asarray(dist, dtype=float))


Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _transformers(points: Sequence[ControlPoint], kind: str) -> tuple[Transform, Transform]:
    """(pixel -> map, map -> pixel) for ``kind`` fitted on ``points``."""
    if kind == "affine":
        return _affine_transformers(points)
    if kind == "tps":
        return _tps_transformers(points)
    order = _ORDER[kind]
    px = np.array([p.pixel_x for p in points])
    py = np.array([p.pixel_y for p in points])
    mx = np.array([p.map_x for p in points])
    my = np.array([p.map_y for p in points])
    return _polynomial(px, py, mx, my, order), _polynomial(mx, my, px, py, order)


def _affine_coefficients(points: Sequence[ControlPoint]) -> tuple[float, float, float, float, float, float]:
    from rasterio.control import GroundControlPoint
    from rasterio.transform import from_gcps

    gcps = [GroundControlPoint(row=p.pixel_y, col=p.pixel_x, x=p.map_x, y=p.map_y, z=0.0)
            for p in points if p.enabled]
    t = from_gcps(gcps)
    return float(t.a), float(t.b), float(t.c), float(t.d), float(t.e), float(t.f)


def _affine_transformers(points: Sequence[ControlPoint]) -> tuple[Transform, Transform]:
    values = _affine_coefficients(points)
    a, b, c, d, e, f = values
    det = a * e - b * d
    scale = max(abs(v) for v in (a, b, d, e))
    if not all(math.isfinite(v) for v in values) or scale == 0 or abs(det) <= 1e-12 * scale * scale:
        raise GeorefError("the points lie on a line: an affine transform needs points spread in both directions")

    def forward(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return c + a * x + b * y, f + d * x + e * y

    def inverse(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u, v = x - c, y - f
        return (e * u - b * v) / det, (a * v - d * u) / det

    return forward, inverse


def _monomials(x: np.ndarray, y: np.ndarray, order: int) -> np.ndarray:
    columns = [np.ones_like(x)]
    for total in range(1, order + 1):
        for power_y in range(total + 1):
            columns.append(x ** (total - power_y) * y ** power_y)
    return np.column_stack(columns)


def _polynomial(sx: np.ndarray, sy: np.ndarray, tx: np.ndarray, ty: np.ndarray, order: int) -> Transform:
    """Least-squares polynomial from (sx, sy) to (tx, ty), on coordinates centred and scaled
    (as GDAL's CRS.C normalises them) so that degrees and millions of metres fit alike."""
    centre = np.array([sx.mean(), sy.mean()])
    spread = max(float(np.abs(sx - centre[0]).max()), float(np.abs(sy - centre[1]).max())) or 1.0
    design = _monomials((sx - centre[0]) / spread, (sy - centre[1]) / spread, order)
    coefficients, _res, rank, _sv = np.linalg.lstsq(design, np.column_stack([tx, ty]), rcond=None)
    if rank < design.shape[1]:
        raise GeorefError(f"the points do not fix a polynomial of order {order}: "
                          "spread them over the image, not along a line or a curve")

    def apply(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        out = _monomials((np.asarray(x, dtype=float) - centre[0]) / spread,
                         (np.asarray(y, dtype=float) - centre[1]) / spread, order) @ coefficients
        return out[:, 0], out[:, 1]

    return apply


def _tps_transformers(points: Sequence[ControlPoint]) -> tuple[Transform, Transform]:
    from rasterio.control import GroundControlPoint
    from rasterio.transform import GCPTransformer

    gcps = [GroundControlPoint(row=p.pixel_y, col=p.pixel_x, x=p.map_x, y=p.map_y, z=0.0) for p in points]
    _affine_transformers(points)  # a spline on points in a line is as undefined as a plane

    def forward(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with GCPTransformer(gcps, tps=True) as tps:
            xs, ys = tps.xy(list(y), list(x), offset="ul")
        return np.asarray(xs, dtype=float).reshape(-1), np.asarray(ys, dtype=float).reshape(-1)

    def inverse(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with GCPTransformer(gcps, tps=True) as tps:
            rows, cols = tps.rowcol(list(x), list(y), op=lambda v: v)
        return np.asarray(cols, dtype=float).reshape(-1), np.asarray(rows, dtype=float).reshape(-1)

    return forward, inverse


def reproject_points(points: Sequence[ControlPoint], source: str, target: str) -> list[ControlPoint]:
    """The same points with map positions in ``target``."""
    if source == target or CRS.from_user_input(source) == CRS.from_user_input(target):
        return list(points)
    to_target = transformer(source, target)
    out = []
    for p in points:
        x, y = to_target.transform(p.map_x, p.map_y)
        if not (math.isfinite(x) and math.isfinite(y)):
            raise GeorefError(f"the map position {p.map_x}, {p.map_y} has no place in {target}")
        out.append(p.with_map(x, y))
    return out
