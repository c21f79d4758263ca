"""Map viewport: where the canvas looks, in canvas-CRS units, without Qt."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from pyproj import CRS
from pyproj.exceptions import CRSError

from gisapp.core.geo.geodesy import STORAGE_CRS, WGS84_GEOD, transform_point

METRES_PER_INCH = 0.0254
# No real map coordinate is beyond these (Web Mercator's world is 2e7 m either side of 0;
# 1000 degrees leaves room for views across the antimeridian).
MAX_PROJECTED_COORDINATE = 1e9
MAX_GEOGRAPHIC_COORDINATE = 1e3
# The smallest resolution relative to the coordinates' size: below it neighbouring pixels
# fall on the same float and clipping rectangles come out empty.
MIN_RELATIVE_RESOLUTION = 1e-12

NOT_FINITE, INVERTED, TOO_LARGE = "not_finite", "inverted", "too_large"


@lru_cache(maxsize=64)
def max_coordinate(crs: str) -> float:
    """The largest plausible coordinate (absolute) in ``crs``."""
    try:
        geographic = CRS.from_user_input(crs).is_geographic
    except CRSError:
        geographic = False
    return MAX_GEOGRAPHIC_COORDINATE if geographic else MAX_PROJECTED_COORDINATE


def extent_problem(bounds: Sequence[float], crs: str = "EPSG:3857") -> str | None:
    """Why ``bounds`` (xmin, ymin, xmax, ymax in ``crs``) cannot be shown, or None if it can:
    ``NOT_FINITE`` (NaN or infinity), ``INVERTED`` (max below min) or ``TOO_LARGE``
    (beyond any real coordinate, e.g. degrees read as metres or 1e308). A point (zero
    width and height) can be shown.

    >>> extent_problem((0, 0, 10, 10)), extent_problem((0, float("nan"), 1, 1))
    (None, 'not_finite')
    >>> extent_problem((121, 38, 4e7, 39), "EPSG:4326"), extent_problem((5, 0, 1, 1))
    ('too_large', 'inverted')
    """
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    except (TypeError, ValueError):
        return NOT_FINITE
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
        return NOT_FINITE
    if xmax < xmin or ymax < ymin:
        return INVERTED
    if max(abs(xmin), abs(ymin), abs(xmax), abs(ymax)) > max_coordinate(crs):
        return TOO_LARGE
    return None


def with_min_span(bounds: Sequence[float], crs: str = "EPSG:3857") -> tuple[float, float, float, float]:
    """``bounds`` grown about its centre to at least ~100 m across (a layer of one point
    would otherwise zoom in to the float limit).

    >>> with_min_span((10.0, 20.0, 10.0, 20.0))
    (-40.0, -30.0, 60.0, 70.0)
    """
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    span = 1e-3 if max_coordinate(crs) == MAX_GEOGRAPHIC_COORDINATE else 100.0
    if xmax - xmin < span and ymax - ymin < span:
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        xmin, ymin, xmax, ymax = cx - span / 2, cy - span / 2, cx + span / 2, cy + span / 2
    return xmin, ymin, xmax, ymax


@dataclass(frozen=True)
class Viewport:
    """Centre and resolution (map units per pixel) of a ``width`` x ``height`` pixel view."""

    center_x: float = 0.0
    center_y: float = 0.0
    resolution: float = 1.0
    width: int = 800
    height: int = 600
    crs: str = "EPSG:3857"

    @property
    def extent(self) -> tuple[float, float, float, float]:
        half_w = self.width * self.resolution / 2
        half_h = self.height * self.resolution / 2
        return (self.center_x - half_w, self.center_y - half_h,
                self.center_x + half_w, self.center_y + half_h)

    def is_usable(self) -> bool:
        """True when the view can be drawn: finite, inside the CRS's plausible range, and
        not zoomed in beyond float precision."""
        if not (math.isfinite(self.resolution) and self.resolution > 0):
            return False
        if extent_problem(self.extent, self.crs) is not None:
            return False
        return self.resolution >= self.min_resolution(self.center_x, self.center_y)

    @staticmethod
    def min_resolution(x: float, y: float) -> float:
        return MIN_RELATIVE_RESOLUTION * max(1.0, abs(x), abs(y))

    def map_to_pixel(self, x: float, y: float) -> tuple[float, float]:
        xmin, _, _, ymax = self.extent
        return (x - xmin) / self.resolution, (ymax - y) / self.resolution

    def pixel_to_map(self, px: float, py: float) -> tuple[float, float]:
        xmin, _, _, ymax = self.extent
        return xmin + px * self.resolution, ymax - py * self.resolution

    # --- navigation (each returns a new viewport) -----------------------------
    def resized(self, width: int, height: int) -> Viewport:
        return replace(self, width=max(1, width), height=max(1, height))

    def panned_pixels(self, dx: float, dy: float) -> Viewport:
        """Move the content by (dx, dy) pixels, as when the user drags the map (not past
        the CRS's plausible range)."""
        moved = replace(self, center_x=self.center_x - dx * self.resolution,
                        center_y=self.center_y + dy * self.resolution)
        return moved if moved.is_usable() or not self.is_usable() else self

    def zoomed(self, factor: float, anchor_px: tuple[float, float] | None = None) -> Viewport:
        """Zoom in by ``factor`` (>1 zooms in) keeping the map point under ``anchor_px`` fixed."""
        if anchor_px is None:
            anchor_px = (self.width / 2, self.height / 2)
        ax, ay = self.pixel_to_map(*anchor_px)
        resolution = self.resolution / factor
        # Keep (ax, ay) at the same pixel: solve for the new centre.
        center_x = ax - (anchor_px[0] - self.width / 2) * resolution
        center_y = ay + (anchor_px[1] - self.height / 2) * resolution
        zoomed = replace(self, center_x=center_x, center_y=center_y, resolution=resolution)
        # Past float precision or the CRS's range the view stays as it is.
        return zoomed if zoomed.is_usable() or not self.is_usable() else self

    def fitted(self, bounds: tuple[float, float, float, float], margin: float = 0.05) -> Viewport:
        """The view showing ``bounds``; raises ValueError (with the :func:`extent_problem`)
        for bounds that cannot be shown, so no caller draws NaN or 1e308."""
        problem = extent_problem(bounds, self.crs)
        if problem is not None:
            raise ValueError(problem)
        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
        center_x, center_y = (xmin + xmax) / 2, (ymin + ymax) / 2
        span_x = (xmax - xmin) * (1 + 2 * margin)
        span_y = (ymax - ymin) * (1 + 2 * margin)
        resolution = max(span_x / self.width, span_y / self.height, self.min_resolution(center_x, center_y))
        return replace(self, center_x=center_x, center_y=center_y, resolution=resolution)

    # --- scale ------------------------------------------------------------------
    def ground_metres_per_pixel(self) -> float:
        """Geodesic metres covered by one pixel across the view centre."""
        left = transform_point(self.center_x - self.resolution * 50, self.center_y, self.crs, STORAGE_CRS)
        right = transform_point(self.center_x + self.resolution * 50, self.center_y, self.crs, STORAGE_CRS)
        if not all(map(math.isfinite, left + right)):
            return float("nan")
        _, _, distance = WGS84_GEOD.inv(left[0], left[1], right[0], right[1])
        return distance / 100

    def scale_denominator(self, dpi: float = 96.0) -> float:
        return self.ground_metres_per_pixel() * dpi / METRES_PER_INCH


def nice_scale_bar(metres_per_pixel: float, max_pixels: float = 150) -> tuple[float, float, str]:
    """Round length for a scale bar: (metres, pixels, label) no longer than ``max_pixels``."""
    if not math.isfinite(metres_per_pixel) or metres_per_pixel <= 0:
        return 0.0, 0.0, ""
    target = metres_per_pixel * max_pixels
    magnitude = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * magnitude <= target:
            metres = step * magnitude
            break
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    return metres, metres / metres_per_pixel, label
