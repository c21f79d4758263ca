"""A default style a QGIS user saved into a GeoPackage (``saveStyleToDatabase``) is applied when
gisapp opens the file, as a plain GeoPackage or as a gisapp project."""

import sqlite3
from contextlib import closing

import geopandas as gpd
import pytest
import shapely

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import CategorizedStyle, GraduatedStyle, SingleStyle, Symbol
from gisapp.io.project_gpkg import load_project, save_project
from gisapp.io.vector import open_vector_file
from tests.io.qgis.conftest import run_pyqgis

QGIS_SAVES_DEFAULT_STYLES = """
def fill(color, outline="#333333"):
    return QgsFillSymbol.createSimple({"color": color, "outline_color": outline, "outline_width": "0.5",
                                       "outline_width_unit": "MM"})

for source in args["categorized"]:
    layer = QgsVectorLayer(source, "plots", "ogr")
    assert layer.isValid(), source
    categories = [QgsRendererCategory(v, fill(c), v + "用地")
                  for v, c in [("居住", "#e41a1c"), ("绿地", "#4daf4a")]]
    layer.setRenderer(QgsCategorizedSymbolRenderer("用地类型", categories))
    layer.setOpacity(0.8)
    settings = QgsPalLayerSettings()
    settings.fieldName = "名称"
    text = QgsTextFormat()
    text.setSize(11)
    text.setColor(QColor("#112233"))
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    message = layer.saveStyleToDatabase("同事的样式", "", True, "")
    assert not message, message

layer = QgsVectorLayer(args["graduated"], "far", "ogr")
ranges = [QgsRendererRange(0, 1.5, fill("#fee5d9"), "低"), QgsRendererRange(1.5, 3, fill("#de2d26"), "高")]
layer.setRenderer(QgsGraduatedSymbolRenderer("容积率", ranges))
layer.saveStyleToDatabase("容积率", "", True, "")

layer = QgsVectorLayer(args["rule_based"], "rules", "ogr")
renderer = QgsRuleBasedRenderer.convertFromRenderer(QgsCategorizedSymbolRenderer(
    "用地类型", [QgsRendererCategory("居住", fill("#e41a1c"), "居住")]))
root = renderer.rootRule()
root.appendChild(QgsRuleBasedRenderer.Rule(fill("#0000ff"), 0, 0, '"容积率" > 2 OR "名称" LIKE \\'%园%\\''))
layer.setRenderer(renderer)
layer.saveStyleToDatabase("规则", "", True, "")
"""


def _plots(path, layer="plots"):
    frame = gpd.GeoDataFrame({"用地类型": ["居住", "绿地"], "容积率": [2.0, 0.5], "名称": ["一号地块", "二号地块"]},
                             geometry=[shapely.box(121.5, 38.8, 121.6, 38.9), shapely.box(121.6, 38.8, 121.7, 38.9)],
                             crs="EPSG:4326")
    frame.to_file(path, layer=layer, driver="GPKG")
    return f"{path}|layername={layer}"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qgis_styles")
    plain = folder / "colleague.gpkg"
    _plots(plain)
    _plots(plain, "far")
    _plots(plain, "rules")
    project_path = folder / "project.gpkg"
    layers = [VectorLayer(id=name, title_zh=name, title_en=name, frame=gpd.read_file(plain, layer="plots"),
                          style=SingleStyle(Symbol(fill="#000000")), label_field="")
              for name in ("plots", "kept")]
    save_project(Project(layers=layers), project_path)
    # A colleague's row that was already in the file when gisapp last saved it.
    run_pyqgis(QGIS_SAVES_DEFAULT_STYLES, folder, categorized=[f"{plain}|layername=plots",
                                                               f"{project_path}|layername=plots",
                                                               f"{project_path}|layername=kept"],
               graduated=f"{plain}|layername=far", rule_based=f"{plain}|layername=rules")
    with closing(sqlite3.connect(project_path)) as connection, connection:
        connection.execute("UPDATE layer_styles SET update_time = '2020-01-01T00:00:00.000Z' "
                           "WHERE f_table_name = 'kept'")
    return {"plain": plain, "project": project_path}


def _by_title(layers):
    return {layer.title_en: layer for layer in layers}


def test_plain_geopackage_opens_with_the_qgis_default_styles(files):
    layers = _by_title(open_vector_file(files["plain"]))
    plots = layers["plots"]
    assert isinstance(plots.style, CategorizedStyle) and plots.style.field == "用地类型"
    assert [(c.value, c.label_zh, c.symbol.fill, c.symbol.stroke) for c in plots.style.categories] == [
        ("居住", "居住用地", "#e41a1c", "#333333"), ("绿地", "绿地用地", "#4daf4a", "#333333")]
    assert plots.style.categories[0].symbol.stroke_width == pytest.approx(0.5 * 96 / 25.4, abs=0.01)
    assert plots.opacity == pytest.approx(0.8) and plots.label_field == "名称"
    assert plots.metadata["qgis_style"] == "同事的样式"
    # QGIS leaves other values undrawn, gisapp draws them: said in the report.
    assert [w.code for w in plots.load_report.warnings] == ["qgis_style_simplified"]

    far = layers["far"]
    assert isinstance(far.style, GraduatedStyle) and far.style.field == "容积率"
    assert far.style.breaks == [1.5, 3.0] and [s.fill for s in far.style.symbols_] == ["#fee5d9", "#de2d26"]


def test_rule_based_style_is_simplified_with_a_message_naming_what(files):
    rules = _by_title(open_vector_file(files["plain"]))["rules"]
    assert isinstance(rules.style, SingleStyle)
    assert rules.style.symbol.fill == "#e41a1c"
    (warning,) = rules.load_report.warnings
    assert "filters gisapp cannot express" in warning.message and "规则" in warning.message
    assert "已应用 QGIS 样式“规则”" in warning.message_in("zh")


def test_project_takes_a_newer_qgis_style_and_keeps_its_own_over_an_older_one(files):
    project = load_project(files["project"])
    plots, kept = project.layer("plots"), project.layer("kept")
    # Saved by QGIS after gisapp's save: QGIS's categories win.
    assert isinstance(plots.style, CategorizedStyle)
    assert [c.symbol.fill for c in plots.style.categories] == ["#e41a1c", "#4daf4a"]
    assert plots.opacity == pytest.approx(0.8) and plots.label_field == "名称"
    # In the file before gisapp's last save: gisapp's own style is the newer word.
    assert isinstance(kept.style, SingleStyle) and kept.style.symbol.fill == "#000000"
    assert kept.label_field == "" and kept.opacity == 1.0
    assert not project.modified


def test_a_broken_style_row_leaves_gisapps_style_and_says_why(tmp_path):
    path = tmp_path / "broken.gpkg"
    _plots(path)
    from gisapp.io.qgis.layer_styles import StoredStyle, write_default_styles

    bomb = ('<?xml version="1.0"?><!DOCTYPE qgis [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            "<qgis>&b;</qgis>")
    write_default_styles(path, [StoredStyle("plots", "geom", "x", bomb)])
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE layer_styles SET owner = 'li', styleName = 'bomb'")
    (layer,) = open_vector_file(path)
    assert isinstance(layer.style, SingleStyle) and layer.style.symbol.fill == "#74a9cf"
    (warning,) = layer.load_report.warnings
    assert warning.code == "qgis_style_unreadable" and "entities" in warning.message and "bomb" in warning.message


def test_a_file_name_with_uri_characters_still_finds_its_style(tmp_path):
    path = tmp_path / "地块 #1?%.gpkg"
    _plots(path)
    from gisapp.io.qgis import style_to_qml
    from gisapp.io.qgis.layer_styles import StoredStyle, write_default_styles

    write_default_styles(path, [StoredStyle("plots", "geom", "x", style_to_qml(SingleStyle(Symbol(fill="#abcdef")),
                                                                               "polygon"))])
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE layer_styles SET owner = 'li'")
    (layer,) = open_vector_file(path)
    assert layer.style.symbol.fill == "#abcdef" and layer.load_report.warnings == []
