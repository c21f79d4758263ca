"""The canvas draws a layer from float32 offsets (gisapp.core.geo.flatgeom): exact enough
at every zoom at which it draws from them."""

import numpy as np
import shapely

from gisapp.core.geo.flatgeom import build_flat
from gisapp.core.geo.viewport import Viewport
from gisapp.ui.map.render_flat import HUGE_FACTOR


def test_coordinates_keep_sub_pixel_precision_anywhere_at_the_closest_zoom():
    """Far from the CRS's origin (the edge of Web Mercator) and close to it, a parcel's
    vertices come back within a hundredth of a pixel at the closest zoom that still draws
    it from these arrays: the canvas's closest zoom, or where the parcel is HUGE_FACTOR
    views wide (wider ones are clipped from their shapely geometries), on a 4000 px canvas."""

    rng = np.random.default_rng(4)
    for cx, cy in ((2.0e7, 1.9e7), (1.35e7, 4.7e6), (10.0, -10.0)):
        x = cx + rng.uniform(-5e3, 5e3, 400)
        y = cy + rng.uniform(-5e3, 5e3, 400)
        size = rng.uniform(5, 300, 400)
        geoms = shapely.polygons([[(a, b), (a + s, b), (a + s, b + 0.7 * s), (a + 0.1 * s, b + 0.9 * s), (a, b)]
                                  for a, b, s in zip(x + 0.123456789, y + 0.987654321, size, strict=True)])
        flat = build_flat(geoms, "polygon", "EPSG:3857", "EPSG:3857")
        gx, gy, _starts, _offsets = flat.gather(np.arange(len(flat)))
        expected = shapely.get_coordinates(shapely.orient_polygons(geoms[flat.order]))
        b = flat.stored_bounds
        width = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
        pixel = np.repeat(np.maximum(Viewport.min_resolution(cx, cy), width / (HUGE_FACTOR * 4000)),
                          np.diff(_offsets))
        assert (np.abs(gx - expected[:, 0]) / pixel).max() < 1e-2
        assert (np.abs(gy - expected[:, 1]) / pixel).max() < 1e-2
