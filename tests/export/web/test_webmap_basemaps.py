"""The web export takes the desktop's basemap: a user's XYZ source, or an MBTiles file embedded."""

from __future__ import annotations

import pytest

from gisapp.core.geo.tiles import Tile, lonlat_bounds_tiles
from gisapp.core.model.tile_layer import TileSource
from gisapp.export.web.webmap import (
    WebMapOptions,
    build_payload,
    data_url,
    embed_bounds,
    export_bounds,
    export_web_map,
    mbtiles_embed_size,
)
from gisapp.io.tiles.mbtiles import write_mbtiles
from tests.tile_server import tile_colour, tile_png

AREA = (121.40, 38.75, 121.75, 39.00)  # around the small project, and beyond it


@pytest.fixture
def area_mbtiles(tmp_path):
    path = tmp_path / "area.mbtiles"
    tiles = {t: tile_png(t.z, t.x, t.y) for t in lonlat_bounds_tiles(AREA, range(9, 14))}
    write_mbtiles(path, tiles, "Area test", bounds=AREA, attribution="© generated <tiles>")
    return path, tiles


def test_a_users_xyz_source_goes_into_the_page_and_its_policy(small_project, tmp_path):
    source = TileSource("xyz", url="https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png", subdomains="ab",
                        max_zoom=17, attribution="© Example <b>tiles</b>")
    options = WebMapOptions(basemap="xyz", basemap_source=source)
    tile = build_payload(small_project, options)["basemap"]["tiles"][0]
    assert tile["url"] == "https://{s}.tiles.example.org/{z}/{x}/{y}.png" and tile["maxZoom"] == 17
    assert tile["attribution"] == "© Example &lt;b&gt;tiles&lt;/b&gt;"
    html = export_web_map(small_project, tmp_path / "xyz.html", options).read_text(encoding="utf-8")
    assert "img-src data: blob: https://*.tiles.example.org;" in html


@pytest.mark.parametrize(("url", "problem"), [
    ("https://wprd01.amap.com/{z}/{x}/{y}", "GCJ-02"),
    ("https://t0.tianditu.gov.cn/x?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}", "the key would be in the page"),
])
def test_sources_the_page_must_not_use_are_refused(url, problem):
    with pytest.raises(ValueError, match=problem):
        WebMapOptions(basemap="xyz", basemap_source=TileSource("xyz", url=url)).validate()


def test_an_mbtiles_basemap_embeds_the_exported_extent_at_the_chosen_zooms(small_project, area_mbtiles, tmp_path):
    path, tiles = area_mbtiles
    options = WebMapOptions(basemap="mbtiles", basemap_source=TileSource("mbtiles", path=str(path)),
                            mbtiles_zooms=(10, 12))
    bounds = export_bounds(small_project, options)
    embedded = build_payload(small_project, options)["basemap"]["tiles"][0]["embedded"]
    west, south, east, north = embed_bounds(bounds)  # the extent and half of it each side, within the file
    wanted = lonlat_bounds_tiles((max(west, AREA[0]), max(south, AREA[1]), min(east, AREA[2]), min(north, AREA[3])),
                                 range(10, 13))
    assert sorted(embedded) == sorted(f"{t.z}/{t.x}/{t.y}" for t in wanted)
    assert len(embedded) < sum(1 for t in tiles if 10 <= t.z <= 12)  # not the whole file
    assert embedded[f"{wanted[0].z}/{wanted[0].x}/{wanted[0].y}"] == data_url(tiles[wanted[0]], "png")
    # The size said before the export is what the page grows by.
    count, size = mbtiles_embed_size(str(path), bounds, (10, 12))
    plain = export_web_map(small_project, tmp_path / "plain.html", WebMapOptions()).stat().st_size
    with_tiles = export_web_map(small_project, tmp_path / "tiles.html", options).stat().st_size
    assert count == len(embedded) and abs((with_tiles - plain) - size) < 0.05 * size


@pytest.mark.browser
def test_the_offline_page_shows_the_mbtiles_pixels(small_project, area_mbtiles, tmp_path, open_map):
    path, tiles = area_mbtiles
    options = WebMapOptions(basemap="mbtiles", basemap_source=TileSource("mbtiles", path=str(path)),
                            mbtiles_zooms=(9, 13), lang="en")
    opened = open_map(export_web_map(small_project, tmp_path / "offline.html", options))
    assert opened.console_errors == [] and opened.blocked == []
    by_url = {data_url(data, "png"): tile for tile, data in tiles.items()}
    opened.page.wait_for_function("document.querySelectorAll('img.leaflet-tile-loaded').length >= 4")
    samples = opened.eval("""() => Array.from(document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded'))
        .filter(img => img.src.startsWith('data:image/png')).map(img => {
            const c = document.createElement('canvas'); c.width = c.height = 8;
            const g = c.getContext('2d'); g.drawImage(img, 0, 0, 8, 8);
            return [img.src, Array.from(g.getImageData(4, 4, 1, 1).data.slice(0, 3))];
        })""")
    assert len(samples) >= 4
    for src, rgb in samples:
        tile: Tile = by_url[src]
        assert tuple(rgb) == tile_colour(tile.z, tile.x, tile.y)
    assert "© generated &lt;tiles&gt;" in opened.page.inner_html(".leaflet-control-attribution")
    opened.page.screenshot(path=str(tmp_path / "offline.png"))
