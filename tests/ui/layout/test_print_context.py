"""Rasters and basemaps in printed map frames: the raster's pixels where they lie, MBTiles tiles
at the zoom a screen would show, cached tiles of a server used without asking it, missing tiles
left blank and counted, and the basemap's credit in the frame."""

from __future__ import annotations

import time

from PySide6.QtGui import QColor, QImage, QPainter

from gisapp.core.geo.geodesy import transform_point
from gisapp.core.geo.tiles import tiles_for_extent
from gisapp.core.layout.items import Layout, LayoutItem, Page
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.raster_layer import RasterStyle
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.raster import open_raster
from gisapp.io.tiles.cache import DiskTileCache
from gisapp.io.tiles.mbtiles import write_mbtiles
from gisapp.ui.layout.export import ExportOptions, export_layout
from gisapp.ui.layout.paint import PageContext, paint_page
from tests.raster_files import quadrants
from tests.tile_server import tile_colour, tile_png

EXTENT = (121.40, 38.80, 121.70, 39.00)  # the quadrants raster, lon/lat
DPI = 96.0


def one_frame() -> Layout:
    return Layout("context", Page("A4", True, 0.0), [LayoutItem("map", "map", 0.0, 0.0, 297.0, 210.0, extent=EXTENT)])


def painted(project: Project, cache: DiskTileCache | None = None) -> tuple[QImage, PageContext]:
    ctx = PageContext(project, "en", DPI, "Noto Sans CJK SC", tile_cache=cache)
    layout = one_frame()
    width, height = (round(v * ctx.ppm) for v in layout.page.size_mm)
    image = QImage(width, height, QImage.Format_RGB32)
    painter = QPainter(image)
    try:
        paint_page(painter, layout, ctx)
    finally:
        painter.end()
    return image, ctx


def at(image: QImage, ctx: PageContext, lon: float, lat: float) -> tuple[int, int, int]:
    view = ctx.views["map"]
    px, py = view.map_to_pixel(*transform_point(lon, lat, "EPSG:4326", view.crs))
    colour = QColor(image.pixel(int(px), int(py)))  # the frame sits at the page's top-left
    return colour.red(), colour.green(), colour.blue()


def test_a_raster_prints_where_it_lies(tmp_path, qapp):
    layer = open_raster(quadrants(tmp_path / "q.tif"))
    layer.style, layer.group = RasterStyle(ramp="gray", vmin=10, vmax=30), "rasters"
    project = Project(groups=[LayerGroup("rasters", "栅格", "Rasters")], layers=[layer])
    image, ctx = painted(project, cache=None)
    assert at(image, ctx, 121.45, 38.97) == (0, 0, 0)
    assert at(image, ctx, 121.45, 38.83) == (255, 255, 255)
    assert at(image, ctx, 121.65, 38.83) == (0xAA, 0xD3, 0xDF)  # nodata: the frame's sea colour
    assert ctx.raster_problems == []


def test_mbtiles_and_cached_tiles_print_offline_and_missing_ones_are_counted(tmp_path, qapp):
    # The screen zoom of this frame at 96 dpi: the tiles it needs, all in the MBTiles file.
    project = Project(groups=[LayerGroup("basemaps", "底图", "Basemaps")])
    _, probe = painted(project)
    view = probe.views["map"]
    from gisapp.core.geo.tiles import zoom_for_resolution
    from gisapp.ui.map.tiles import mercator_view

    mercator = mercator_view(view)
    zoom = zoom_for_resolution(mercator.resolution, 0, 19)
    needed = list(tiles_for_extent(mercator.extent, zoom))
    mbtiles = tmp_path / "area.mbtiles"
    write_mbtiles(mbtiles, {tile: tile_png(tile.z, tile.x, tile.y) for tile in needed}, "Area")
    offline = TileLayer("area", "离线", "Offline", TileSource("mbtiles", path=str(mbtiles), attribution="© Area tiles"),
                        group="basemaps")
    project.add_layer(offline)
    image, ctx = painted(project)
    assert ctx.tiles_missing == 0
    import mercantile

    tile = needed[len(needed) // 2]  # a tile well inside the frame: its centre
    west, south, east, north = mercantile.bounds(tile.x, tile.y, tile.z)
    lon, lat = (west + east) / 2, (south + north) / 2
    assert at(image, ctx, lon, lat) == tile_colour(zoom, tile.x, tile.y)

    # A server that does not exist (nothing listens on port 9 of loopback): only the cache is used.
    cache = DiskTileCache(tmp_path / "cache")
    source = TileSource("xyz", url="http://127.0.0.1:9/{z}/{x}/{y}.png", attribution="© Loopback")
    key = DiskTileCache.source_key(source.url)
    cache.put(key, tile, tile_png(tile.z, tile.x, tile.y))
    project = Project(groups=[LayerGroup("basemaps", "底图", "Basemaps")],
                      layers=[TileLayer("srv", "服务", "Server", source, group="basemaps")])
    started = time.perf_counter()
    image, ctx = painted(project, cache)
    assert time.perf_counter() - started < 30  # never waited on the network (a generous bound)
    assert ctx.tiles_missing == len(needed) - 1
    assert at(image, ctx, lon, lat) == tile_colour(zoom, tile.x, tile.y)


def test_print_says_missing_tiles_and_credits_the_basemap(tmp_path, qapp):
    source = TileSource("xyz", url="http://127.0.0.1:9/{z}/{x}/{y}.png", attribution="© Loopback tiles")
    project = Project(groups=[LayerGroup("basemaps", "底图", "Basemaps")],
                      layers=[TileLayer("srv", "服务", "Server", source, group="basemaps")])
    notes: list[str] = []
    (pdf,) = export_layout(one_frame(), project, tmp_path / "map.pdf", ExportOptions("en", 72), notes)
    assert any("left blank" in note for note in notes)
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "© Loopback tiles" in text
