"""Web-mercator tile maths for basemaps (mercantile does the sums; this picks what a view needs).

A view in EPSG:3857 at some resolution (metres per pixel) needs the tiles of one zoom level
that cover it: the level whose native resolution is closest to the view's, clamped to the
source's own zoom range.

>>> zoom_for_resolution(156543.03392804097), zoom_for_resolution(40.0)
(0, 12)
>>> [t for t in tiles_for_extent((-1.0, -1.0, 1.0, 1.0), 1)]
[Tile(x=0, y=0, z=1), Tile(x=0, y=1, z=1), Tile(x=1, y=0, z=1), Tile(x=1, y=1, z=1)]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import mercantile
from mercantile import Tile

__all__ = ["Tile", "WORLD_HALF", "tile_bounds", "tiles_for_extent", "zoom_for_resolution",
           "parent", "children", "lonlat_bounds_tiles", "TILE_SIZE"]

TILE_SIZE = 256
# Half the width of the Web Mercator world, in metres.
WORLD_HALF = math.pi * 6378137.0
_ZERO_RESOLUTION = 2 * WORLD_HALF / TILE_SIZE
MAX_ZOOM = 24
# The most tiles one view may ask for (a 4K screen at 1x needs about 150).
MAX_TILES_PER_VIEW = 600


def zoom_for_resolution(metres_per_pixel: float, min_zoom: int = 0, max_zoom: int = MAX_ZOOM) -> int:
    """The zoom whose native resolution is closest to ``metres_per_pixel`` (as QGIS and
    Leaflet pick it: tiles drawn at 0.7 to 1.4 times their size), within the source's range."""
    if not math.isfinite(metres_per_pixel) or metres_per_pixel <= 0:
        return min_zoom
    zoom = round(math.log2(_ZERO_RESOLUTION / metres_per_pixel))
    return max(min_zoom, min(max_zoom, zoom))


def tile_bounds(tile: Tile) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of a tile in EPSG:3857 metres."""
    b = mercantile.xy_bounds(tile)
    return b.left, b.bottom, b.right, b.top


def tiles_for_extent(extent: Sequence[float], zoom: int) -> Iterator[Tile]:
    """The tiles of ``zoom`` that cover ``extent`` (EPSG:3857), clipped to the world, from
    the top-left corner column by column (at most MAX_TILES_PER_VIEW)."""
    xmin, ymin, xmax, ymax = (max(-WORLD_HALF, min(WORLD_HALF, float(v))) for v in extent)
    if not (xmax > xmin and ymax > ymin):
        return
    count = 2 ** zoom
    size = 2 * WORLD_HALF / count
    # In tile units, with a tolerance: a view edge on a tile edge must not pull in the neighbour.
    first_x = max(0, math.floor((xmin + WORLD_HALF) / size + 1e-9))
    last_x = min(count - 1, math.ceil((xmax + WORLD_HALF) / size - 1e-9) - 1)
    first_y = max(0, math.floor((WORLD_HALF - ymax) / size + 1e-9))
    last_y = min(count - 1, math.ceil((WORLD_HALF - ymin) / size - 1e-9) - 1)
    if (last_x - first_x + 1) * (last_y - first_y + 1) > MAX_TILES_PER_VIEW:
        return
    for x in range(first_x, last_x + 1):
        for y in range(first_y, last_y + 1):
            yield Tile(x, y, zoom)


def parent(tile: Tile, levels: int = 1) -> Tile | None:
    """The tile ``levels`` above, or None above zoom 0."""
    if tile.z - levels < 0:
        return None
    return Tile(tile.x >> levels, tile.y >> levels, tile.z - levels)


def children(tile: Tile) -> list[Tile]:
    return list(mercantile.children(tile))


def lonlat_bounds_tiles(bounds: Sequence[float], zooms: Sequence[int]) -> list[Tile]:
    """Every tile of ``zooms`` that covers ``bounds`` (west, south, east, north in degrees)."""
    west, south, east, north = (float(v) for v in bounds)
    return list(mercantile.tiles(west, south, east, north, list(zooms)))


def lonlat_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    return mercantile.xy(lon, lat)
