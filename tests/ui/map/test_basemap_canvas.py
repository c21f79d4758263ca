"""Basemaps on the canvas, from a real tile server on loopback and from an MBTiles file."""

import geopandas as gpd
import pytest
import shapely
from PySide6.QtGui import QColor

from gisapp.core.geo.tiles import WORLD_HALF, Tile
from gisapp.core.geo.viewport import Viewport
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.tiles.mbtiles import write_mbtiles
from gisapp.ui.map.canvas import MapCanvas
from tests.tile_server import tile_colour, tile_png

Z3 = 2 * WORLD_HALF / 256 / 8  # metres per pixel of zoom 3
RED = "#ff0000"


def project_over(source: TileSource, with_zone: bool = False) -> Project:
    layers = []
    if with_zone:  # a red square in the top-left tile, above the basemap
        size = 2 * WORLD_HALF / 8
        frame = gpd.GeoDataFrame({"id": ["z"]}, geometry=[shapely.box(-size * 0.75, size * 0.25, -size * 0.25, size * 0.75)],
                                 crs="EPSG:3857")
        layers.append(VectorLayer("zone", "区", "Zone", frame, group="plan",
                                  style=SingleStyle(Symbol(fill=RED, fill_opacity=1.0, stroke=RED))))
    layers.append(TileLayer("tiles", "底图", "Tiles", source, group="basemaps"))
    return Project(groups=[LayerGroup("plan", "规划", "Plan"), LayerGroup("basemaps", "底图", "Basemaps")], layers=layers)


@pytest.fixture
def make_canvas(qtbot):
    made = []

    def factory(project: Project, width=512, height=512, resolution=Z3, center=(0.0, 0.0)) -> MapCanvas:
        canvas = MapCanvas()
        qtbot.addWidget(canvas)
        canvas.resize(width, height)
        canvas.show()
        qtbot.waitExposed(canvas)
        canvas.tile_timeout_s = 1.0
        canvas.set_project(project)
        canvas._set_viewport(Viewport(center[0], center[1], resolution, width, height))
        made.append(canvas)
        return canvas

    yield factory
    for canvas in made:
        canvas.shutdown()


def pixel(canvas: MapCanvas, x: int, y: int) -> tuple[int, int, int]:
    colour = QColor(canvas.grab().toImage().pixel(x, y))
    return colour.red(), colour.green(), colour.blue()


def test_tiles_land_in_place_under_the_plan_and_come_from_the_cache_next_time(tile_server, make_canvas):
    server = tile_server()
    source = TileSource("xyz", url=server.url, attribution="© loopback tiles")
    canvas = make_canvas(project_over(source, with_zone=True))
    assert canvas.wait_for_tiles()
    # The view is tiles x 3..4, y 3..4 of zoom 3, each 256 pixels, from the top-left corner.
    assert pixel(canvas, 40, 40) == tile_colour(3, 3, 3)
    assert pixel(canvas, 384, 128) == tile_colour(3, 4, 3)
    assert pixel(canvas, 128, 384) == tile_colour(3, 3, 4)
    assert pixel(canvas, 128, 128) == (255, 0, 0)  # the vector layer above the basemap
    assert canvas.tiles_missing() == 0 and len(set(server.requests)) == len(server.requests)  # each tile once
    assert "© loopback tiles" in canvas.attribution_text()
    asked = server.count()
    fresh = make_canvas(project_over(source))  # a new window: empty memory, same disk cache
    assert fresh.wait_for_tiles()
    assert pixel(fresh, 384, 384) == tile_colour(3, 4, 4)
    assert server.count() == asked


def test_an_mbtiles_basemap_draws_its_tiles(tmp_path, make_canvas):
    path = tmp_path / "offline.mbtiles"
    write_mbtiles(path, {Tile(x, y, 3): tile_png(3, x, y) for x in (3, 4) for y in (3, 4)}, "Offline")
    canvas = make_canvas(project_over(TileSource("mbtiles", path=str(path), min_zoom=3, max_zoom=3)))
    assert canvas.wait_for_tiles()
    assert pixel(canvas, 128, 128) == tile_colour(3, 3, 3)
    assert pixel(canvas, 384, 384) == tile_colour(3, 4, 4)


def test_while_a_level_loads_the_parent_tile_is_shown_scaled(tile_server, make_canvas):
    server = tile_server()
    canvas = make_canvas(project_over(TileSource("xyz", url=server.url)))
    assert canvas.wait_for_tiles()
    server.mode = "stall"  # zoom 4 never arrives
    canvas._set_viewport(Viewport(0.0, 0.0, Z3 / 2, 512, 512))
    assert canvas.wait_for_render()
    assert canvas.tiles_missing() == 4
    # Zoom 4 tiles 7..8 are parts of zoom 3 tiles 3..4: the parents, twice as large, fill the view.
    assert pixel(canvas, 100, 100) == tile_colour(3, 3, 3)
    assert pixel(canvas, 400, 400) == tile_colour(3, 4, 4)


def test_panning_cancels_requests_for_tiles_that_left_the_view(tile_server, make_canvas):
    server = tile_server(delay_s=0.3)
    canvas = make_canvas(project_over(TileSource("xyz", url=server.url, max_zoom=12)),
                         width=1024, height=768, resolution=Z3 / 2 ** 9)  # zoom 12: 20 or more tiles
    assert canvas.wait_for_render()
    view = canvas.tile_view("tiles")
    first_view = set(view.missing)
    canvas._set_viewport(Viewport(5e6, 3e6, Z3 / 2 ** 9, 1024, 768))  # far away, before they arrive
    assert canvas.wait_for_tiles()
    asked = {tuple(int(v) for v in path.split(".")[0].split("/")[1:]) for path in server.requests}
    stale = {(t.z, t.x, t.y) for t in first_view} & asked
    assert view.fetcher.cancelled > 0 and len(stale) < len(first_view)
    assert canvas.tiles_missing() == 0


def test_offline_the_cached_tiles_still_show_and_the_problem_is_said_once(tile_server, make_canvas):
    server = tile_server()
    source = TileSource("xyz", url=server.url)
    canvas = make_canvas(project_over(source, with_zone=True))
    assert canvas.wait_for_tiles()
    server.stop()  # the network goes away
    messages = []
    canvas.message.connect(messages.append)
    for x, y in ((-1.5e7, 1.2e7), (-1.5e7, -1.2e7), (1.5e7, -1.2e7)):  # places never seen: every tile fails
        canvas._set_viewport(Viewport(x, y, Z3, 512, 512))
        assert canvas.wait_for_tiles()
        assert canvas.tiles_missing() > 0
    assert len(messages) == 1 and "Tiles: some tiles are missing: the server cannot be reached" in messages[0]
    canvas._set_viewport(Viewport(0.0, 0.0, Z3, 512, 512))  # back where the cache has tiles
    assert canvas.wait_for_tiles()
    assert pixel(canvas, 384, 384) == tile_colour(3, 4, 4)
    assert pixel(canvas, 128, 128) == (255, 0, 0)


def test_a_stalled_server_blocks_nothing(tile_server, make_canvas):
    server = tile_server("stall")
    canvas = make_canvas(project_over(TileSource("xyz", url=server.url), with_zone=True))
    assert canvas.wait_for_render()  # the map is drawn while every tile hangs
    assert pixel(canvas, 128, 128) == (255, 0, 0)
    assert canvas.tiles_loading() and canvas.tiles_missing() == 4


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32651"])
def test_in_another_map_crs_the_tiles_are_warped_into_place(tile_server, make_canvas, crs):
    import mercantile

    from gisapp.core.geo.geodesy import transform_point
    from gisapp.ui.map.tiles import mercator_view

    server = tile_server()
    canvas = make_canvas(project_over(TileSource("xyz", url=server.url)))
    canvas.set_crs(crs)
    centre = transform_point(121.6, 38.9, "EPSG:4326", crs)
    resolution = 0.002 if crs == "EPSG:4326" else 200.0
    canvas._set_viewport(Viewport(centre[0], centre[1], resolution, 512, 512, crs))
    assert canvas.wait_for_tiles() and canvas.tiles_missing() == 0 and canvas.basemap_note == ""
    zoom = canvas.tile_view("tiles").zoom_for(mercator_view(canvas.viewport))
    checked = 0
    for lon, lat in ((121.6, 38.9), (121.3, 39.1), (121.85, 38.75)):
        tile = mercantile.tile(lon, lat, zoom)
        west, south, east, north = mercantile.bounds(tile)
        middle = transform_point((west + east) / 2, (south + north) / 2, "EPSG:4326", crs)
        x, y = canvas.viewport.map_to_pixel(*middle)
        if 0 <= x < 512 and 0 <= y < 480:
            assert pixel(canvas, int(x), int(y)) == tile_colour(tile.z, tile.x, tile.y)
            checked += 1
    assert checked >= 2


def test_a_refused_source_is_said_and_the_rest_draws(make_canvas):
    messages = []
    canvas = make_canvas(project_over(TileSource("xyz", url="https://wprd01.amap.com/{z}/{x}/{y}"), with_zone=True))
    canvas.message.connect(messages.append)
    canvas.refresh()
    assert canvas.wait_for_render()
    assert pixel(canvas, 128, 128) == (255, 0, 0)
    assert any("GCJ-02" in text for text in messages)


def test_hidpi_screens_get_the_sources_2x_tiles(tile_server, qtbot, tmp_path):
    from gisapp.io.tiles.cache import DiskTileCache
    from gisapp.ui.map.tiles import TileLayerView

    server = tile_server()
    layer = TileLayer("tiles", "底图", "Tiles", TileSource("xyz", url=server.url))
    view = TileLayerView(layer, DiskTileCache(tmp_path / "cache"), hidpi=True)
    arrived = []
    view.tileArrived.connect(lambda: arrived.append(1))
    view.plan(Viewport(0.0, 0.0, Z3, 512, 512))
    qtbot.waitUntil(lambda: len(arrived) == 4)
    assert sorted(server.requests) == ["/3/3/3@2x.png", "/3/3/4@2x.png", "/3/4/3@2x.png", "/3/4/4@2x.png"]
    assert view.held(Tile(3, 3, 3)).width() == 512  # drawn into 256 logical pixels: sharp at 2x
    plain = TileLayerView(TileLayer("plain", "底图", "Plain", TileSource("xyz", url=server.url.replace("{r}", ""))),
                          None, hidpi=True)
    assert not plain.hidpi  # a source without {r} has no 2x tiles to ask for
    view.close()
    plain.close()
