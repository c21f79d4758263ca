"""QGIS 3.22 opens the project gisapp stores with its basemaps and rasters: an XYZ basemap as
QGIS's own XYZ layer on the same URL, an MBTiles basemap, and a raster by relative path with
gisapp's colours, opacity and visibility, in gisapp's tree order."""

from __future__ import annotations

import pytest

from gisapp.core.geo.tiles import Tile
from gisapp.core.model.project import LayerGroup
from gisapp.core.model.raster_layer import RasterStyle
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.project_gpkg import save_project
from gisapp.io.qgis.context_layers import qgis_context_id
from gisapp.io.qgis.qgis_side import project_name
from gisapp.io.raster import open_raster
from gisapp.io.tiles.mbtiles import write_mbtiles
from gisapp.io.tiles.sources import tianditu_pair
from tests.io.test_project_gpkg import small_project
from tests.raster_files import quadrants, rgb_png
from tests.tile_server import tile_png

pytestmark = pytest.mark.xdist_group("pyqgis-context")

QGIS_LOOKS = """
from urllib.parse import quote, unquote
project = QgsProject.instance()
result["read"] = project.read(f"geopackage:{args['path']}?projectName={quote(args['name'])}")
layers = {}
for layer in project.mapLayers().values():
    found = {"valid": layer.isValid(), "provider": layer.providerType(), "source": layer.source(),
             "opacity": round(layer.opacity(), 4) if hasattr(layer, "opacity") else None, "name": layer.name()}
    if layer.type() == QgsMapLayerType.RasterLayer:
        renderer = layer.renderer()
        found["renderer"] = renderer.type()
        found["renderer_opacity"] = round(renderer.opacity(), 4)
        found["width"] = layer.width()
        if renderer.type() == "singlebandpseudocolor":
            shader = renderer.shader().rasterShaderFunction()
            items = shader.colorRampItemList()
            found["ramp"] = [[round(i.value, 4), i.color.name()] for i in items]
            found["limits"] = [renderer.classificationMin(), renderer.classificationMax()]
            # What QGIS draws at a pixel of the north-west quadrant (value 10).
            block = layer.dataProvider().block(1, layer.extent(), 6, 4)
            found["value_nw"] = block.value(0, 0)
    layers[layer.id()] = found
result["layers"] = layers
result["order"] = [layer.id() for layer in project.layerTreeRoot().layerOrder()]
result["visible"] = [node.layerId() for node in project.layerTreeRoot().findLayers() if node.isVisible()]
"""


def test_qgis_opens_the_basemaps_and_rasters_gisapp_saved(tmp_path, pyqgis):
    project = small_project()
    project.groups.append(LayerGroup("rasters", "影像与栅格", "Imagery and rasters"))
    project.groups.append(LayerGroup("basemaps", "底图服务", "Basemaps"))
    (tmp_path / "imagery").mkdir()
    dem = open_raster(quadrants(tmp_path / "imagery" / "dem.tif"))
    dem.style, dem.opacity, dem.group = RasterStyle(ramp="terrain", vmin=0.0, vmax=40.0), 0.6, "rasters"
    scan = open_raster(rgb_png(tmp_path / "imagery" / "scan.png"))
    scan.group, scan.visible = "rasters", False
    mbtiles = tmp_path / "offline.mbtiles"
    write_mbtiles(mbtiles, {Tile(0, 0, 1): tile_png(1, 0, 0)}, "Area")
    osm = TileLayer("osm", "开放街图", "OSM", TileSource("xyz", url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                                                     max_zoom=19, attribution="© OpenStreetMap"),
                    group="basemaps", opacity=0.8)
    offline = TileLayer("area", "离线", "Offline", TileSource("mbtiles", path=str(mbtiles)), group="basemaps")
    (_, _labels), (_, keyed) = tianditu_pair("img", "zh", "GS(2024)0650号")
    tianditu = TileLayer("tdt", "天地图", "Tianditu", keyed, group="basemaps")
    for layer in (dem, scan, osm, offline, tianditu):
        project.add_layer(layer, index=len(project.layers))
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    import sqlite3

    with sqlite3.connect(path) as con:
        name = project_name(con, project)
    found = pyqgis(QGIS_LOOKS, path=str(path), name=name)
    assert found["read"] is True
    layers = found["layers"]
    ids = {layer.id: qgis_context_id(layer) for layer in (dem, scan, osm, offline)}
    assert qgis_context_id(tianditu) not in layers  # its key stays in the keyring
    assert all(layers[qid]["valid"] for qid in ids.values()), layers
    assert layers[ids["osm"]]["provider"] == "wms" and "type=xyz" in layers[ids["osm"]]["source"]
    assert "tile.openstreetmap.org/%7Bz%7D/%7Bx%7D/%7By%7D.png" in layers[ids["osm"]]["source"] \
        or "tile.openstreetmap.org/{z}/{x}/{y}.png" in layers[ids["osm"]]["source"]
    assert layers[ids["osm"]]["renderer_opacity"] == 0.8
    assert layers[ids["area"]]["provider"] == "wms" and "mbtiles" in layers[ids["area"]]["source"]
    dem_found = layers[ids[dem.id]]
    assert dem_found["provider"] == "gdal" and dem_found["source"] == str(tmp_path / "imagery" / "dem.tif")
    assert dem_found["renderer"] == "singlebandpseudocolor" and dem_found["renderer_opacity"] == 0.6
    assert dem_found["limits"] == [0.0, 40.0] and dem_found["value_nw"] == 10.0
    assert dem_found["ramp"][0] == [0.0, "#333399"] and dem_found["ramp"][-1][0] == 40.0  # terrain starts dark blue
    assert layers[ids[scan.id]]["renderer"] == "multibandcolor" and layers[ids[scan.id]]["width"] == 100
    # Tree order: the plan's layers, then the rasters, then the basemaps; the hidden scan unchecked.
    order = found["order"]
    assert order.index(ids[dem.id]) < order.index(ids[scan.id]) < order.index(ids["osm"]) < order.index(ids["area"])
    assert ids[scan.id] not in found["visible"] and ids[dem.id] in found["visible"]
