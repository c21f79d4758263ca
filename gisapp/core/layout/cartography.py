"""Map scale on paper, scale bars with round lengths, and true north in any CRS (no Qt).

The scale is the ground distance at the map centre, measured on the WGS 84 ellipsoid
(pyproj.Geod) across the frame's centre, as the canvas does: in Web Mercator at 39°N a
map unit is only 0.78 m on the ground, and the scale bar says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gisapp.core.geo.geodesy import STORAGE_CRS, WGS84_GEOD, transform_point
from gisapp.core.geo.viewport import Viewport

MM_PER_INCH = 25.4
SCALE_BAR_UNITS = ("m", "km")


def ground_metres_per_unit(crs: str, x: float, y: float) -> float:
    """Geodesic metres on the ground per CRS unit, east-west across (x, y) in ``crs``."""
    return Viewport(center_x=x, center_y=y, resolution=1.0, crs=crs).ground_metres_per_pixel()


def units_per_mm_for_scale(scale: float, crs: str, x: float, y: float) -> float:
    """CRS units per millimetre of paper at 1:``scale``, centred on (x, y).

    >>> round(units_per_mm_for_scale(50000, "EPSG:32651", 500000, 4300000), 2)  # UTM's k0 = 0.9996
    49.98
    """
    return (scale / 1000.0) / ground_metres_per_unit(crs, x, y)


def scale_denominator(units_per_mm: float, crs: str, x: float, y: float) -> float:
    """The scale (denominator) of a map drawn at ``units_per_mm`` around (x, y)."""
    return units_per_mm * ground_metres_per_unit(crs, x, y) * 1000.0


def round_scale(scale: float) -> float:
    """The round scale just below or at ``scale`` (1, 2, 2.5 or 5 times a power of ten), so a
    map fitted to an extent prints at 1:50,000 rather than 1:47,312.

    >>> round_scale(47312), round_scale(123000), round_scale(9999)
    (50000.0, 125000.0, 10000.0)
    """
    if not math.isfinite(scale) or scale <= 0:
        return scale
    magnitude = 10 ** math.floor(math.log10(scale))
    for step in (1, 1.25, 2, 2.5, 5, 10):
        if step * magnitude >= scale * 0.999:
            return float(step * magnitude)
    return float(10 * magnitude)


def scale_text(scale: float) -> str:
    """``1:50,000``.

    >>> scale_text(50000.4)
    '1:50,000'
    """
    return f"1:{round(scale):,}"


@dataclass(frozen=True)
class ScaleBar:
    """A bar of ``segments`` equal parts, ``length_mm`` long on paper for ``metres`` on the ground."""

    metres: float
    length_mm: float
    segments: int
    unit: str  # "km" or "m"

    def tick_labels(self) -> list[str]:
        """Labels at each segment boundary, in the bar's unit (``0 0.5 1 1.5 2``)."""
        divisor = 1000.0 if self.unit == "km" else 1.0
        return [f"{self.metres * i / self.segments / divisor:g}" for i in range(self.segments + 1)]


def scale_bar(ground_metres_per_mm: float, max_length_mm: float, unit: str = "", segments: int = 0
              ) -> ScaleBar | None:
    """The longest round bar (1, 2 or 5 times a power of ten, in m or km) up to ``max_length_mm``.

    ``unit`` ("m" or "km"; "" chooses km from 1 km up) and ``segments`` (0 chooses 4 or 5)
    are the scale bar item's settings.

    >>> bar = scale_bar(50.0, 60.0)  # 1:50,000, at most 60 mm: 2 km is 40 mm
    >>> bar.metres, bar.length_mm, bar.unit, bar.tick_labels()
    (2000.0, 40.0, 'km', ['0', '0.5', '1', '1.5', '2'])
    >>> scale_bar(50.0, 60.0, unit="m", segments=2).tick_labels()
    ['0', '1000', '2000']
    """
    if not math.isfinite(ground_metres_per_mm) or ground_metres_per_mm <= 0 or max_length_mm <= 0:
        return None
    longest = ground_metres_per_mm * max_length_mm
    magnitude = 10 ** math.floor(math.log10(longest))
    metres = next(step * magnitude for step in (5, 2, 1) if step * magnitude <= longest)
    chosen = segments or {1: 5, 2: 4, 5: 5}[round(metres / magnitude)]
    shown_unit = unit if unit in SCALE_BAR_UNITS else "km" if metres >= 1000 else "m"
    return ScaleBar(float(metres), metres / ground_metres_per_mm, chosen, shown_unit)


def true_north_degrees(crs: str, x: float, y: float) -> float:
    """Clockwise angle (degrees) from grid up to true north at (x, y) in ``crs``: 0 in Web
    Mercator and lon/lat, the grid convergence in Gauss-Krüger and UTM (negative west of
    the central meridian in the northern hemisphere: meridians lean towards the central one
    as they go north). It is minus pyproj's ``meridian_convergence``.

    >>> abs(round(true_north_degrees("EPSG:3857", 1.35e7, 4.7e6), 6))
    0.0
    >>> round(true_north_degrees("EPSG:32651", 370000, 4310000), 2)  # 121.5°E, UTM 51N (123°E)
    0.94
    """
    lon, lat = transform_point(x, y, crs, STORAGE_CRS)
    north_lon, north_lat, _ = WGS84_GEOD.fwd(lon, lat, 0.0, 1000.0)
    nx, ny = transform_point(north_lon, north_lat, STORAGE_CRS, crs)
    return math.degrees(math.atan2(nx - x, ny - y))


def px_per_mm(dpi: float) -> float:
    return dpi / MM_PER_INCH
