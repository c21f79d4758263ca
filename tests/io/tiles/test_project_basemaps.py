"""Basemaps saved in the project: their source (never a key), an MBTiles path relative to the project."""

import pytest

from gisapp.core.geo.tiles import Tile
from gisapp.core.model.project import LayerGroup
from gisapp.core.model.tile_layer import TileLayer, TileSource
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project, save_project
from gisapp.io.tiles.mbtiles import write_mbtiles
from gisapp.io.tiles.sources import tianditu_pair
from tests.damaged_projects import read_meta, set_meta
from tests.io.test_project_gpkg import small_project
from tests.tile_server import tile_png


def project_with_basemaps(folder):
    project = small_project()
    (folder / "offline").mkdir()
    mbtiles = folder / "offline" / "area.mbtiles"
    write_mbtiles(mbtiles, {Tile(0, 0, 1): tile_png(1, 0, 0)}, "Area")
    project.groups.append(LayerGroup("basemaps", "底图服务", "Basemaps"))
    (_, labels), (_, imagery) = tianditu_pair("img", "zh", "GS(2024)0650号")
    project.add_layer(TileLayer("labels", "注记", "Labels", labels, group="basemaps"), index=len(project.layers))
    project.add_layer(TileLayer("imagery", "影像", "Imagery", imagery, group="basemaps", opacity=0.6, visible=False),
                      index=len(project.layers))
    project.add_layer(TileLayer("area", "离线", "Offline", TileSource("mbtiles", path=str(mbtiles)), group="plan"),
                      index=1)  # between two vector layers
    return project


def test_basemaps_survive_a_save_in_tree_order(tmp_path):
    project = project_with_basemaps(tmp_path)
    order = [layer.id for layer in project.layers]
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    entries = {entry["id"]: entry for entry in read_meta(path)["layers"]}
    assert entries["area"]["source"]["path"] == "offline/area.mbtiles"  # relative to the project
    assert "tk=" in entries["imagery"]["source"]["url"] and "{key}" in entries["imagery"]["source"]["url"]
    again = load_project(path)
    assert [layer.id for layer in again.layers] == order
    imagery = again.map_layer("imagery")
    assert isinstance(imagery, TileLayer) and imagery.source == project.map_layer("imagery").source
    assert (imagery.opacity, imagery.visible, imagery.group) == (0.6, False, "basemaps")
    assert again.map_layer("area").source.path == str(tmp_path / "offline" / "area.mbtiles")
    assert [layer.id for layer in again.vector_layers()] == ["points", "zones", "hidden"]
    with pytest.raises(KeyError, match="not a vector layer"):
        again.layer("imagery")


@pytest.mark.parametrize(("change", "problem"), [
    (lambda e: e.pop("source"), "layers[4].source: required key is missing"),
    (lambda e: e["source"].update(kind="wms"), "layers[4].source.kind: expected 'xyz' or 'mbtiles', got 'wms'"),
    (lambda e: e["source"].update(max_zoom=99), "layers[4].source.max_zoom: expected a zoom level from 0 to 24"),
    (lambda e: e["source"].pop("url"), "layers[4].source: expected a tile URL for an xyz source"),
    (lambda e: e.update(kind="wms"), "layers[4].kind: expected 'vector', 'tiles', 'raster' or 'postgis', got 'wms'"),
    (lambda e: e.update(kind="raster"), "layers[4].raster: required key is missing"),
])
def test_a_damaged_basemap_entry_says_where(tmp_path, change, problem):
    path = tmp_path / "plan.gpkg"
    save_project(project_with_basemaps(tmp_path), path)
    layers = read_meta(path)["layers"]
    labels = next(entry for entry in layers if entry["id"] == "labels")
    assert layers.index(labels) == 4
    change(labels)
    set_meta(path, "layers", layers)
    with pytest.raises(GisIOError) as caught:
        load_project(path)
    assert problem in str(caught.value)
