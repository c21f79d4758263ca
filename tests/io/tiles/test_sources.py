"""Tile URLs, presets, and the sources gisapp refuses."""

import pytest

from gisapp.core.geo.tiles import Tile
from gisapp.core.model.tile_layer import TileSource
from gisapp.io.tiles.sources import (
    TIANDITU_KEY_SERVICE,
    preset,
    refusal,
    template_problem,
    tianditu_pair,
    tile_url,
    wmts_template,
)


def test_xyz_templates_fill_subdomains_hidpi_and_tms_rows():
    source = TileSource("xyz", url="https://{s}.tiles.example/{z}/{x}/{y}{r}.png?tms={-y}", subdomains="ab")
    assert tile_url(source, Tile(5, 3, 4)) == "https://a.tiles.example/4/5/3.png?tms=12"
    assert tile_url(source, Tile(6, 3, 4), hidpi=True) == "https://b.tiles.example/4/6/3@2x.png?tms=12"


def test_tianditu_keeps_the_key_out_of_the_source():
    annotation, base = tianditu_pair("img", "en", "GS(2024)0650号")
    assert (annotation[0], base[0]) == ("tianditu-eia", "tianditu-img")
    source = base[1]
    assert "{key}" in source.url and source.key_service == TIANDITU_KEY_SERVICE
    assert "secret" not in str(source.to_dict())
    url = tile_url(source, Tile(1706, 776, 11), key="secret")
    assert "LAYER=img" in url and "TILEMATRIX=11&TILEROW=776&TILECOL=1706" in url and url.endswith("tk=secret")
    assert source.attribution_text() == "© 天地图 Tianditu 审图号 GS(2024)0650号"
    assert "LAYER=cva" in tianditu_pair("vec", "zh")[0][1].url


def test_osm_has_its_attribution_and_no_key():
    osm = preset("osm")
    assert osm.attribution == "© OpenStreetMap contributors" and osm.max_zoom == 19
    assert refusal(osm) is None


def test_wmts_becomes_a_kvp_template():
    url = wmts_template("https://wmts.example/service", "ortho", "GoogleMapsCompatible")
    assert refusal(TileSource("xyz", url=url)) is None
    assert tile_url(TileSource("xyz", url=url), Tile(1, 2, 3)).endswith("TILEMATRIX=3&TILEROW=2&TILECOL=1")


@pytest.mark.parametrize("url", ["https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}",
                                 "https://wprd0{s}.amap.com/{z}/{x}/{y}", "https://rt1.map.qq.com/{z}/{x}/{y}"])
def test_gcj02_servers_are_refused(url):
    assert "GCJ-02" in refusal(TileSource("xyz", url=url))


@pytest.mark.parametrize(("url", "problem"), [
    ("", "no URL"), ("ftp://x/{z}/{x}/{y}", "http"), ("https://x/{z}/{x}", "needs {z}, {x} and {y}"),
    ("https://x/{z}/{x}/{y}/{q}", "unknown placeholder {q}"), ("https://x/{z/{x}/{y}", "unmatched"),
])
def test_broken_templates_say_why(url, problem):
    assert problem in template_problem(url)
