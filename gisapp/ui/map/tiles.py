"""Basemaps on the canvas: which tiles a view needs, what is held, and fetching the rest.

One :class:`TileLayerView` per tile layer keeps decoded tiles in memory (an LRU of QImages)
over the fetcher's disk cache (gisapp.io.tiles). For a view it plans what to draw: the tiles
of the view's zoom that are held, and for each missing one the part of a held parent tile
(up to four levels up) or its held children, scaled, so a zoom never shows holes while the
new level loads. The missing tiles are asked for; tiles that left the view are cancelled.
Decoding happens on the fetcher's threads; only a queued signal reaches the UI thread, which
then re-renders (the render thread draws the planned tiles under or between vector layers).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QImage, QPainter, QTransform

from gisapp.core.geo.geodesy import transformer
from gisapp.core.geo.tiles import (
    Tile,
    children,
    parent,
    tile_bounds,
    tiles_for_extent,
    zoom_for_resolution,
)
from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.tile_layer import TileLayer
from gisapp.io.tiles.cache import DiskTileCache
from gisapp.io.tiles.fetcher import TileFetcher
from gisapp.io.tiles.keys import load_key
from gisapp.io.tiles.sources import has_hidpi

WEB_MERCATOR = "EPSG:3857"
MEMORY_TILES = 768  # about 200 MB at 256x256 ARGB at most; a 4K view needs ~150
PARENT_LEVELS = 4


@dataclass(frozen=True)
class TileDraw:
    """One image to draw: ``image`` (or its ``source`` part in pixels) over ``tile``'s square.

    In another canvas CRS, ``corners`` holds where the tile's top-left, top-right and
    bottom-left corners fall in that CRS: the tile is drawn through the affine map of those
    three points, which is exact to well under a pixel for a tile of a city-sized view.
    """

    tile: Tile
    image: QImage
    source: QRectF | None = None
    corners: tuple[tuple[float, float], ...] | None = None

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return tile_bounds(self.tile)


@dataclass
class TileSnapshot:
    """What the render thread needs of one tile layer: the planned images, in drawing order."""

    layer_id: str
    opacity: float
    draws: list[TileDraw]


def draw_tiles(painter: QPainter, snapshot: TileSnapshot, viewport: Viewport) -> None:
    """Paint planned tiles; edges are snapped to whole pixels so neighbours never leave a seam."""
    xmin, _, _, ymax = viewport.extent
    resolution = viewport.resolution
    painter.save()
    painter.setOpacity(snapshot.opacity)
    painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
    for draw in snapshot.draws:
        if draw.corners is not None:
            _draw_warped(painter, draw, viewport)
            continue
        left = round((draw.bounds[0] - xmin) / resolution)
        right = round((draw.bounds[2] - xmin) / resolution)
        top = round((ymax - draw.bounds[3]) / resolution)
        bottom = round((ymax - draw.bounds[1]) / resolution)
        target = QRectF(left, top, right - left, bottom - top)
        if draw.source is None:
            painter.drawImage(target, draw.image)
        else:
            painter.drawImage(target, draw.image, draw.source)
    painter.restore()


def _draw_warped(painter: QPainter, draw: TileDraw, viewport: Viewport) -> None:
    (x0, y0), (x1, y1), (x2, y2) = (viewport.map_to_pixel(x, y) for x, y in draw.corners)
    part = draw.source or QRectF(0, 0, draw.image.width(), draw.image.height())
    width, height = part.width(), part.height()
    if not all(math.isfinite(v) and abs(v) < 1e7 for v in (x0, y0, x1, y1, x2, y2)):
        return
    painter.save()
    painter.setTransform(QTransform((x1 - x0) / width, (y1 - y0) / width, (x2 - x0) / height,
                                    (y2 - y0) / height, x0, y0), True)
    painter.drawImage(QRectF(0, 0, width, height), draw.image, part)
    painter.restore()


def _warp_corners(tiles: list[Tile], crs: str) -> list[tuple[tuple[float, float], ...]] | None:
    """Each tile's top-left, top-right and bottom-left corners in ``crs`` (None if PROJ cannot)."""
    bounds = np.array([tile_bounds(tile) for tile in tiles], dtype=float).reshape(-1, 4)
    xs = np.column_stack([bounds[:, 0], bounds[:, 2], bounds[:, 0]]).ravel()
    ys = np.column_stack([bounds[:, 3], bounds[:, 3], bounds[:, 1]]).ravel()
    try:
        tx, ty = transformer(WEB_MERCATOR, crs).transform(xs, ys)
    except Exception:  # a CRS PROJ cannot reach from Web Mercator
        return None
    tx, ty = np.asarray(tx).reshape(-1, 3), np.asarray(ty).reshape(-1, 3)
    if not (np.isfinite(tx).all() and np.isfinite(ty).all()):
        return None
    return [tuple(zip(row_x.tolist(), row_y.tolist(), strict=True)) for row_x, row_y in zip(tx, ty, strict=True)]


def mercator_view(viewport: Viewport) -> Viewport | None:
    """The Web Mercator view that covers ``viewport`` (another CRS) at about its resolution."""
    if viewport.crs == WEB_MERCATOR:
        return viewport
    xmin, ymin, xmax, ymax = viewport.extent
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, 5), np.linspace(ymin, ymax, 5))
    try:
        mx, my = transformer(viewport.crs, WEB_MERCATOR).transform(gx.ravel(), gy.ravel())
    except Exception:
        return None
    mx, my = np.asarray(mx), np.asarray(my)
    if not (np.isfinite(mx).all() and np.isfinite(my).all()):
        return None
    width, height = float(mx.max() - mx.min()), float(my.max() - my.min())
    resolution = max(width / viewport.width, height / viewport.height)
    if not resolution > 0:
        return None
    return Viewport((mx.max() + mx.min()) / 2, (my.max() + my.min()) / 2, resolution,
                    max(1, round(width / resolution)), max(1, round(height / resolution)))


class TileLayerView(QObject):
    """Tiles of one basemap for the canvas."""

    tileArrived = Signal()
    failed = Signal(str)  # a kind of failure: "offline", "timeout", "HTTP 404", "no key", ...

    def __init__(self, layer: TileLayer, cache: DiskTileCache | None, hidpi: bool = False,
                 timeout_s: float | None = None, parent_object: QObject | None = None) -> None:
        super().__init__(parent_object)
        self.layer = layer
        self.source = layer.source
        self.hidpi = hidpi and has_hidpi(layer.source)
        self._images: OrderedDict[Tile, QImage] = OrderedDict()
        self._lock = threading.Lock()
        self.missing: set[Tile] = set()
        self._unplanned = threading.Event()  # a tile arrived that no plan has used yet
        extra = {} if timeout_s is None else {"timeout_s": timeout_s}
        service = layer.source.key_service
        self.fetcher = TileFetcher(layer.source, self._on_tile, cache=cache if layer.source.kind == "xyz" else None,
                                   key=lambda: load_key(service), hidpi=self.hidpi,
                                   on_failure=self._on_failure, **extra)

    # --- pool threads ---------------------------------------------------------------------------
    def _on_tile(self, tile: Tile, data: bytes) -> None:
        image = QImage.fromData(data)
        if image.isNull():
            self._on_failure("not an image")
            return
        if image.format() != QImage.Format_ARGB32_Premultiplied:
            image = image.convertToFormat(QImage.Format_ARGB32_Premultiplied)
        with self._lock:
            self._images[tile] = image
            self._images.move_to_end(tile)
            while len(self._images) > MEMORY_TILES:
                self._images.popitem(last=False)
        self._unplanned.set()  # before the fetcher drops it from its pending tiles
        try:
            self.tileArrived.emit()
        except RuntimeError:  # the canvas is gone
            pass

    def _on_failure(self, kind: str) -> None:
        try:
            self.failed.emit(kind)
        except RuntimeError:
            pass

    # --- UI thread ------------------------------------------------------------------------------
    def held(self, tile: Tile) -> QImage | None:
        with self._lock:
            image = self._images.get(tile)
            if image is not None:
                self._images.move_to_end(tile)
            return image

    def zoom_for(self, viewport: Viewport) -> int:
        return zoom_for_resolution(viewport.resolution, self.source.min_zoom, self.source.max_zoom)

    def plan(self, viewport: Viewport) -> TileSnapshot | None:
        """The images to draw for ``viewport`` now, and a request for the missing tiles; None
        when the view cannot be reached from Web Mercator (the canvas says so)."""
        self._unplanned.clear()
        mercator = mercator_view(viewport)
        if mercator is None:
            self.missing = set()
            return None
        zoom = self.zoom_for(mercator)
        exact, fallback_parents, fallback_children = [], {}, []
        self.missing = set()
        for tile in tiles_for_extent(mercator.extent, zoom):
            image = self.held(tile)
            if image is not None:
                exact.append(TileDraw(tile, image))
                continue
            self.missing.add(tile)
            found = self._from_children(tile) or self._from_parent(tile)
            if found is not None:
                if isinstance(found, list):
                    fallback_children += found
                else:
                    fallback_parents[tile] = found
        self.fetcher.want(self.missing)
        draws = list(fallback_parents.values()) + fallback_children + exact
        if viewport.crs != WEB_MERCATOR and draws:
            corners = _warp_corners([draw.tile for draw in draws], viewport.crs)
            if corners is None:
                return None
            draws = [replace(draw, corners=corner) for draw, corner in zip(draws, corners, strict=True)]
        return TileSnapshot(self.layer.id, self.layer.opacity, draws)

    def _from_parent(self, tile: Tile) -> TileDraw | None:
        for levels in range(1, PARENT_LEVELS + 1):
            above = parent(tile, levels)
            if above is None:
                return None
            image = self.held(above)
            if image is None:
                continue
            span = 2 ** levels
            size_x, size_y = image.width() / span, image.height() / span
            col, row = tile.x - above.x * span, tile.y - above.y * span
            return TileDraw(tile, image, QRectF(col * size_x, row * size_y, size_x, size_y))
        return None

    def _from_children(self, tile: Tile) -> list[TileDraw] | None:
        held = [(child, self.held(child)) for child in children(tile)]
        draws = [TileDraw(child, image) for child, image in held if image is not None]
        return draws or None

    def loading(self) -> bool:
        """Whether tiles of the last planned view are on their way, or arrived and not yet drawn."""
        return self.fetcher.pending() > 0 or self._unplanned.is_set()

    def close(self) -> None:
        self.fetcher.close()




def offline_snapshot(layer: TileLayer, viewport: Viewport, cache: DiskTileCache | None,
                     screen_scale: float = 1.0) -> tuple[TileSnapshot | None, int]:
    """The tiles of ``viewport`` that are held offline (the disk cache, or the MBTiles file),
    never asking the network: print and the command line must not wait on a server. The zoom
    is the one a screen would show (``screen_scale``: device pixels per screen pixel), so
    print matches the canvas. Returns the snapshot (None if nothing is held or the view cannot
    be reached from Web Mercator) and how many tiles of the view were missing."""
    from gisapp.io.errors import GisIOError
    from gisapp.io.tiles.mbtiles import MBTilesReader

    screen = replace(viewport, resolution=viewport.resolution * screen_scale,
                     width=max(1, round(viewport.width / screen_scale)),
                     height=max(1, round(viewport.height / screen_scale)))
    mercator = mercator_view(screen)
    if mercator is None:
        return None, 0
    source = layer.source
    zoom = zoom_for_resolution(mercator.resolution, source.min_zoom, source.max_zoom)
    tiles = list(tiles_for_extent(mercator.extent, zoom))
    try:
        if source.kind == "mbtiles":
            found = MBTilesReader(source.path).tiles_in(tiles)
        elif cache is not None:
            key = DiskTileCache.source_key(source.url)
            found = {tile: data for tile in tiles if (data := cache.get(key, tile)) is not None}
        else:
            found = {}
    except GisIOError:
        found = {}
    draws = []
    for tile, data in found.items():
        image = QImage.fromData(data)
        if not image.isNull():
            draws.append(TileDraw(tile, image))
    missing = len(tiles) - len(draws)
    if not draws:
        return None, missing
    if viewport.crs != WEB_MERCATOR:
        corners = _warp_corners([draw.tile for draw in draws], viewport.crs)
        if corners is None:
            return None, missing
        draws = [replace(draw, corners=corner) for draw, corner in zip(draws, corners, strict=True)]
    return TileSnapshot(layer.id, layer.opacity, draws), missing
