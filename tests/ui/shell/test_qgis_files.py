"""QGIS files in the window: Layer > Load style… and Save style as…, a style dropped onto a layer
of the tree, and a QGIS project opened as the project with what was not taken over listed."""

import geopandas as gpd
import shapely
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from gisapp.core.model.style import CategorizedStyle, Category, SingleStyle, Symbol
from gisapp.io.qgis import LabelSettings, style_to_qml
from gisapp.io.qgis.sld import style_to_sld
from gisapp.io.qgis.style_files import read_style_file

LAND_USE = CategorizedStyle("role", [Category("core", "核心", "core", Symbol(fill="#e41a1c"))],
                            default=Symbol(fill="#cccccc"))


def _visible_boxes(window, name):
    return [box for box in window.findChildren(QMessageBox, name) if box.isVisible()]


def _polygon_layer(window):
    return next(layer for layer in window.project.layers if layer.geometry_family == "polygon")


def _drop(window, paths, at):
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(at), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(event)


def test_load_style_from_the_layer_menu_applies_a_qml(make_window, tmp_path):
    window = make_window("en")
    layer = _polygon_layer(window)
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(layer.id))
    qml = tmp_path / "plan.qml"
    qml.write_text(style_to_qml(SingleStyle(Symbol(fill="#00ff00")), "polygon", LabelSettings(field="name_zh"),
                                0.4), encoding="utf-8")
    window.qgis_files.get_open_path = lambda title, start, filters: str(qml)
    assert window.qgis_files.act_load_style in window.menu_layer.actions()
    window.qgis_files.act_load_style.trigger()
    assert layer.style.symbol.fill == "#00ff00" and layer.opacity == 0.4 and layer.label_field == "name_zh"
    assert window.statusBar().currentMessage() == f"Style plan.qml applied to {layer.title('en')}"
    assert window.project.modified
    assert window.canvas.wait_for_render()


def test_a_style_dropped_onto_a_tree_row_applies_to_that_layer(make_window, tmp_path):
    window = make_window("zh")
    layers = [layer for layer in window.project.layers if layer.geometry_family == "polygon"]
    current, target = layers[0], layers[1]
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(current.id))
    before = current.style.to_dict()
    sld = tmp_path / "roles.sld"
    sld.write_text(style_to_sld(LAND_USE, "polygon", "roles"), encoding="utf-8")
    row = window.tree.visualRect(window.tree_model.index_for_layer(target.id)).center()
    _drop(window, [sld], window.tree.viewport().mapTo(window, row))
    assert isinstance(target.style, CategorizedStyle) and target.style.categories[0].symbol.fill == "#e41a1c"
    assert current.style.to_dict() == before
    # Dropped on the map instead: the current layer takes it.
    _drop(window, [sld], window.canvas.mapTo(window, window.canvas.rect().center()))
    assert isinstance(current.style, CategorizedStyle)


def test_a_hostile_style_is_refused_by_name_and_the_layer_is_unchanged(make_window, tmp_path):
    window = make_window("en")
    layer = _polygon_layer(window)
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(layer.id))
    before = (layer.style.to_dict(), layer.opacity)
    bomb = tmp_path / "bomb.qml"
    bomb.write_text('<!DOCTYPE qgis [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><qgis>&b;</qgis>', encoding="utf-8")
    lines = tmp_path / "lines.sld"
    lines.write_text(style_to_sld(SingleStyle(), "line", "x"), encoding="utf-8")
    window.open_paths([str(bomb), str(lines)])
    (box,) = _visible_boxes(window, "ErrorBox")
    assert box.text().splitlines()[0].startswith("bomb.qml: the XML declares entities")
    assert box.text().splitlines()[1] == "lines.sld: the style is for lines, but the layer holds polygons"
    assert (layer.style.to_dict(), layer.opacity) == before


def test_save_style_as_sld_writes_what_reads_back(make_window, tmp_path):
    window = make_window("en")
    layer = _polygon_layer(window)
    window.tree.setCurrentIndex(window.tree_model.index_for_layer(layer.id))
    target = tmp_path / "saved"
    window.get_save_path = lambda title, start, filters: str(target) + ".sld"
    assert window.qgis_files.save_style_dialog()
    found = read_style_file(str(target) + ".sld")
    assert [s.fill for s in found.style.symbols()] == [s.fill for s in layer.style.symbols()]


QGS = """<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis projectname="" version="3.22.16-Białowieża">
  <title>同事的项目</title>
  <projectCrs><spatialrefsys><authid>EPSG:4326</authid></spatialrefsys></projectCrs>
  <layer-tree-group>
    <layer-tree-group name="规划" checked="Qt::Checked">
      <layer-tree-layer id="plots_1" name="地块" checked="Qt::Unchecked" providerKey="ogr" source="./plots.gpkg|layername=plots"/>
    </layer-tree-group>
    <layer-tree-layer id="osm_2" name="OSM" checked="Qt::Checked" providerKey="wms" source="type=xyz"/>
  </layer-tree-group>
  <projectlayers>
    <maplayer type="vector" geometry="Polygon" labelsEnabled="0">
      <id>plots_1</id><datasource>./plots.gpkg|layername=plots</datasource><layername>地块</layername>
      <provider encoding="UTF-8">ogr</provider>
      <renderer-v2 type="singleSymbol"><symbols><symbol type="fill" name="0" alpha="1">
        <layer class="SimpleFill" enabled="1"><prop k="color" v="255,0,255,255"/></layer></symbol></symbols>
      </renderer-v2>
      <layerOpacity>0.5</layerOpacity>
    </maplayer>
    <maplayer type="raster"><id>osm_2</id><datasource>type=xyz</datasource><layername>OSM</layername>
      <provider>wms</provider></maplayer>
  </projectlayers>
</qgis>"""


def test_a_qgis_project_opens_as_the_project_and_lists_what_was_left(make_window, tmp_path):
    window = make_window("zh")
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.box(121.5, 38.8, 121.6, 38.9)],
                     crs="EPSG:4326").to_file(tmp_path / "plots.gpkg", layer="plots")
    path = tmp_path / "colleague.qgs"
    path.write_text(QGS, encoding="utf-8")
    assert window.open_paths([str(path)]).wait() == [str(path)]
    project = window.project
    assert project.title_zh == "同事的项目" and [layer.title_zh for layer in project.layers] == ["地块"]
    (plots,) = project.layers
    assert plots.style.symbol.fill == "#ff00ff" and plots.opacity == 0.5 and not plots.visible
    assert [g.title_zh for g in project.groups] == ["规划"]
    assert window.canvas.viewport.crs == "EPSG:4326"
    (box,) = _visible_boxes(window, "LoadReportBox")
    assert box.windowTitle() == "已打开，但有问题"
    assert box.text() == "colleague.qgs: 图层“OSM”不是矢量图层（类型 raster，type=xyz）：gisapp 只显示矢量图层，未载入"
