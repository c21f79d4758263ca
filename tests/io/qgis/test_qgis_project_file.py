"""A QGIS project (.qgz, .qgs) that PyQGIS made opens in gisapp with the same layers, groups,
order, visibility, opacity and colours; what gisapp cannot take over is listed."""

import zipfile

import geopandas as gpd
import pytest
import shapely

from gisapp.core.model.style import CategorizedStyle, SingleStyle
from gisapp.io.errors import GisIOError
from gisapp.io.qgis.project_reader import read_qgis_project
from tests.io.qgis.conftest import run_pyqgis

QGIS_MAKES_PROJECTS = """
import os
folder = args["folder"]
project = QgsProject.instance()
project.setCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
project.setTitle("高新区规划")

def vector(uri, name):
    layer = QgsVectorLayer(uri, name, "ogr")
    assert layer.isValid(), uri
    project.addMapLayer(layer, False)
    return layer

plots = vector(folder + "/data/plan.gpkg|layername=plots", "地块")
plots.setRenderer(QgsCategorizedSymbolRenderer("用地类型", [
    QgsRendererCategory("居住", QgsFillSymbol.createSimple({"color": "#e41a1c"}), "居住用地"),
    QgsRendererCategory("绿地", QgsFillSymbol.createSimple({"color": "#4daf4a"}), "绿地")]))
roads = vector(folder + "/data/roads.shp", "道路")
roads.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple({"line_color": "#ff7f00", "line_width": "0.8"})))
roads.setOpacity(0.5)
sites = vector(folder + "/data/sites.geojson", "项目点")
sites.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple({"color": "#984ea3", "size": "3"})))
zones = vector(folder + "/data/plan.gpkg|layername=zones", "分区")
gone = vector(folder + "/data/gone.geojson", "已删除")
memory = QgsVectorLayer("Point?crs=EPSG:4326", "临时点", "memory")
project.addMapLayer(memory, False)
tiles = QgsRasterLayer("type=xyz&url=https://tile.openstreetmap.org/{z}/{x}/{y}.png&zmax=19&zmin=0", "OSM", "wms")
project.addMapLayer(tiles, False)

root = project.layerTreeRoot()
plan = root.addGroup("规划")
plan.addLayer(plots)
inner = plan.addGroup("分区图")
inner.addLayer(zones)
traffic = root.addGroup("交通")
traffic.addLayer(roads)
traffic.addLayer(sites).setItemVisibilityChecked(False)
traffic.addLayer(gone)
root.addLayer(memory)
root.addLayer(tiles)

layout = QgsPrintLayout(project)
layout.initializeDefaults()
layout.setName("A3 规划图")
project.layoutManager().addLayout(layout)
project.writeEntry("qgis2web", "/Options", "x")

assert project.write(folder + "/plan.qgz")
project.writeEntryBool("Paths", "/Absolute", True)
assert project.write(folder + "/plan_absolute.qgs")
result["tiles_valid"] = tiles.isValid()
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qgis_project")
    data = folder / "data"
    data.mkdir()
    box = shapely.box(121.5, 38.8, 121.6, 38.9)
    gpd.GeoDataFrame({"用地类型": ["居住", "绿地"], "名称": ["一号", "二号"]}, geometry=[box, box.buffer(-0.01)],
                     crs="EPSG:4326").to_file(data / "plan.gpkg", layer="plots")
    gpd.GeoDataFrame({"名称": ["A"]}, geometry=[box.buffer(0.05)], crs="EPSG:4326").to_file(data / "plan.gpkg",
                                                                                          layer="zones")
    gpd.GeoDataFrame({"name": ["黄浦路"]}, geometry=[shapely.LineString([(121.5, 38.8), (121.6, 38.9)])],
                     crs="EPSG:4326").to_file(data / "roads.shp", encoding="UTF-8")
    for name in ("sites", "gone"):
        gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.Point(121.55, 38.85)], crs="EPSG:4326").to_file(
            data / f"{name}.geojson", driver="GeoJSON")
    result = run_pyqgis(QGIS_MAKES_PROJECTS, folder, folder=str(folder))
    (data / "gone.geojson").unlink()
    return folder, result


@pytest.mark.parametrize("name", ["plan.qgz", "plan_absolute.qgs"])
def test_qgis_project_opens_with_its_layers_groups_order_visibility_opacity_and_colours(made, name):
    folder, _ = made
    imported = read_qgis_project(folder / name)
    project = imported.project
    assert project.title_zh == "高新区规划" and project.canvas_crs == "EPSG:4490"
    assert [(g.title_zh, [layer.title_zh for layer in project.layers_in_group(g.id)]) for g in project.groups] == [
        ("规划", ["地块"]), ("规划 / 分区图", ["分区"]), ("交通", ["道路", "项目点"])]
    assert [layer.title_zh for layer in project.layers] == ["地块", "分区", "道路", "项目点"]
    layers = {layer.title_zh: layer for layer in project.layers}
    assert [layer.visible for layer in project.layers] == [True, True, True, False]
    assert layers["道路"].opacity == 0.5 and layers["地块"].opacity == 1.0
    plots = layers["地块"].style
    assert isinstance(plots, CategorizedStyle) and plots.field == "用地类型"
    assert [(c.value, c.label_zh, c.symbol.fill) for c in plots.categories] == [
        ("居住", "居住用地", "#e41a1c"), ("绿地", "绿地", "#4daf4a")]
    roads = layers["道路"].style
    assert isinstance(roads, SingleStyle) and roads.symbol.stroke == "#ff7f00"
    assert roads.symbol.stroke_width == pytest.approx(0.8 * 96 / 25.4, abs=0.01)
    assert layers["项目点"].style.symbol.fill == "#984ea3" and len(layers["分区"].frame) == 1
    assert len(layers["地块"].frame) == 2 and layers["道路"].frame["name"].tolist() == ["黄浦路"]

    codes = [note.code for note in imported.notes]
    messages = "\n".join(note.message for note in imported.notes)
    assert {"nested_groups", "missing", "provider", "layouts", "plugins"} <= set(codes), messages
    assert "gone.geojson" in messages and "临时点" in messages and "OSM" in messages
    assert "1 print layout" in messages and "qgis2web" in messages
    assert all(note.message_in("zh") for note in imported.notes)


def test_a_qgz_that_is_no_project_or_hostile_is_refused_with_the_file_named(tmp_path):
    cases = {
        "empty.qgz": b"",
        "text.qgs": b"not xml at all",
        "bomb.qgs": b'<!DOCTYPE qgis [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><qgis>&b;</qgis>',
        "html.qgs": b"<html/>",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    with zipfile.ZipFile(tmp_path / "nothing.qgz", "w") as archive:
        archive.writestr("readme.txt", "no project here")
    with zipfile.ZipFile(tmp_path / "escape.qgz", "w") as archive:
        archive.writestr("../evil.qgs", "<qgis/>")
    problems = {}
    for name in [*cases, "nothing.qgz", "escape.qgz"]:
        with pytest.raises(GisIOError) as raised:
            read_qgis_project(tmp_path / name)
        assert str(raised.value).startswith(name + ": ")
        problems[name] = raised.value.problem
    assert "not a readable .qgz" in problems["empty.qgz"]
    assert "not valid XML" in problems["text.qgs"] and "entities" in problems["bomb.qgs"]
    assert "not a QGIS project" in problems["html.qgs"]
    assert "no .qgs project" in problems["nothing.qgz"] and "no .qgs project" in problems["escape.qgz"]


def test_huge_projects_and_archives_that_lie_about_their_size_are_refused(tmp_path):
    huge = tmp_path / "huge.qgs"
    with open(huge, "wb") as handle:
        handle.truncate(100 * 2**20)  # sparse: no disk used
    with pytest.raises(GisIOError, match="huge.qgs: the project file is too large"):
        read_qgis_project(huge)
    # A compression bomb's directory says what it unpacks to (3 GB here): refused before unpacking.
    bomb = tmp_path / "bomb.qgz"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.qgs", "<qgis/>")
    data = bytearray(bomb.read_bytes())
    entry = data.rindex(b"PK\x01\x02")
    data[entry + 24:entry + 28] = (3 * 2**30).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    with pytest.raises(GisIOError, match="bomb.qgz: the project inside the archive is too large"):
        read_qgis_project(bomb)


def test_a_layer_whose_file_is_a_pipe_is_listed_not_opened(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.geojson")
    (tmp_path / "pipe.qgs").write_text(
        "<qgis><layer-tree-group><layer-tree-layer id='p' name='管道' checked='Qt::Checked'/></layer-tree-group>"
        "<projectlayers><maplayer type='vector'><id>p</id><datasource>./pipe.geojson</datasource>"
        "<provider>ogr</provider></maplayer></projectlayers></qgis>", encoding="utf-8")
    imported = read_qgis_project(tmp_path / "pipe.qgs")
    assert imported.project.layers == []
    (note,) = imported.notes
    assert note.code == "unreadable" and "pipe.geojson" in note.message and "管道" in note.message
