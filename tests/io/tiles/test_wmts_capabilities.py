"""WMTS GetCapabilities from a real HTTP server on loopback: layers, usable Web Mercator matrix
sets, the others said with their reason, the GetTile template fetching the right tiles."""

from __future__ import annotations

import pytest

from gisapp.core.geo.tiles import Tile
from gisapp.core.model.tile_layer import TileSource
from gisapp.io.errors import GisIOError
from gisapp.io.tiles.sources import tile_url
from gisapp.io.tiles.wmts import capabilities_url, fetch_capabilities, parse_capabilities
from tests.io.tiles.wmts_documents import capabilities
from tests.tile_server import tile_colour


def test_the_layers_and_their_web_mercator_sets_are_read_from_the_server(tile_server):
    server = tile_server()
    server.capabilities = capabilities(server.wmts_url)
    caps = fetch_capabilities(server.wmts_url)
    assert "REQUEST=GetCapabilities" in server.requests[-1]
    assert caps.title == "Loopback WMTS 测试"
    roads, lonlat = caps.layers
    assert (roads.identifier, roads.title) == ("plan_roads", "规划道路 Plan roads")
    assert [s.identifier for s in roads.usable] == ["GoogleMapsCompatible"]
    assert roads.zoom_range(roads.usable[0]) == (0, 18) and roads.usable[0].prefix == "EPSG:3857:"
    assert roads.refused == [("CGCS2000", "its CRS is EPSG:4490, not Web Mercator (EPSG:3857)")]
    assert lonlat.usable == [] and "not Web Mercator" in lonlat.refused[0][1]
    assert roads.image_format == "image/png"


def test_the_get_tile_template_fetches_the_tile_of_that_zoom_row_and_column(tile_server):
    server = tile_server()
    server.capabilities = capabilities(server.wmts_url)
    roads = fetch_capabilities(server.wmts_url).layers[0]
    template = roads.template(roads.usable[0])
    assert "TILEMATRIX=EPSG:3857:{z}" in template and "LAYER=plan_roads" in template
    import io
    import urllib.request

    from PIL import Image

    url = tile_url(TileSource("xyz", url=template), Tile(3, 2, 2))
    with urllib.request.urlopen(url, timeout=10) as answer:
        image = Image.open(io.BytesIO(answer.read())).convert("RGB")
    assert image.getpixel((5, 5)) == tile_colour(2, 3, 2)


@pytest.mark.parametrize(("body", "problem"), [
    (b"<html><body>Not here</body></html>", "not a WMTS capabilities document"),
    (b"<Capabilities xmlns='http://www.opengis.net/wmts/1.0'/>", "no <Contents>"),
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><Capabilities>&a;</Capabilities>", "entities"),
    (b"not xml at all", "not valid XML"),
])
def test_a_broken_document_is_refused_with_what_is_wrong(body, problem):
    with pytest.raises(GisIOError, match=problem):
        parse_capabilities(body, "http://127.0.0.1/wmts")


def test_a_failing_or_absent_server_is_said_not_hung(tile_server):
    server = tile_server("500")
    with pytest.raises(GisIOError, match="HTTP 500"):
        fetch_capabilities(server.wmts_url)
    with pytest.raises(GisIOError, match="could not be reached"):
        fetch_capabilities("http://127.0.0.1:9/wmts", timeout_s=2)
    with pytest.raises(GisIOError, match="http"):
        fetch_capabilities("file:///etc/passwd")


def test_a_capabilities_url_is_asked_for_once():
    assert capabilities_url("http://a/wmts") == "http://a/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0"
    assert capabilities_url("http://a/wmts?REQUEST=GetCapabilities") == "http://a/wmts?REQUEST=GetCapabilities"


def test_a_restful_resource_url_becomes_the_template():
    document = capabilities("http://127.0.0.1/wmts").replace(
        b"<Format>image/jpeg</Format>",
        b'<Format>image/jpeg</Format><ResourceURL format="image/png" resourceType="tile" '
        b'template="http://127.0.0.1/rest/plan_roads/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png"/>')
    roads = parse_capabilities(document, "http://127.0.0.1/wmts").layers[0]
    assert roads.template(roads.usable[0]) == \
        "http://127.0.0.1/rest/plan_roads/default/GoogleMapsCompatible/EPSG:3857:{z}/{y}/{x}.png"
