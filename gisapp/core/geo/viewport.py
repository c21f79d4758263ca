"""Map viewport: where the canvas looks, in canvas-CRS units, without Qt."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from gisapp.core.geo.geodesy import STORAGE_CRS, WGS84_GEOD, transform_point

METRES_PER_INCH = 0.0254


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
        """Move the content by (dx, dy) pixels, as when the user drags the map."""
        return replace(self, center_x=self.center_x - dx * self.resolution,
                       center_y=self.center_y + dy * self.resolution)

    def zoomed(self, factor: float, anchor_px: tuple[float, float] | None = None) -> Viewport:
        """Zoom in by ``factor`` (>1 zooms in) keeping the map point under ``anchor_px`` fixed."""
        if anchor_px is None:
            anchor_px = (self.width / 2, self.height / 2)
        ax, ay = self.pixel_to_map(*anchor_px)
        resolution = self.resolution / factor
        # Keep (ax, ay) at the same pixel: solve for the new centre.
        center_x = ax - (anchor_px[0] - self.width / 2) * resolution
        center_y = ay + (anchor_px[1] - self.height / 2) * resolution
        return replace(self, center_x=center_x, center_y=center_y, resolution=resolution)

    def fitted(self, bounds: tuple[float, float, float, float], margin: float = 0.05) -> Viewport:
        xmin, ymin, xmax, ymax = bounds
        span_x = max(xmax - xmin, 1e-9) * (1 + 2 * margin)
        span_y = max(ymax - ymin, 1e-9) * (1 + 2 * margin)
        resolution = max(span_x / self.width, span_y / self.height)
        return replace(self, center_x=(xmin + xmax) / 2, center_y=(ymin + ymax) / 2,
                       resolution=resolution)

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
