"""QGIS 3.22 opens a project gisapp saved: each layer's default style, the stored project's layer
tree, titles and CRS equal gisapp's, and the GeoPackage opens without a version warning.

One PyQGIS run looks at the bundled project saved by gisapp (with a graduated layer and a
half-transparent one added) and reports; the tests compare its answers with the project.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from pyproj import CRS

from gisapp.core.model.style import CategorizedStyle, GraduatedStyle, SingleStyle, Symbol
from gisapp.io.catalogue import load_catalogue
from gisapp.io.project_gpkg import save_project
from gisapp.io.qgis.project_file import qgis_layer_id

QGIS_LOOKS = """
from urllib.parse import quote
from osgeo_utils.samples import validate_gpkg

# GDAL's own conformance script, as Debian's python3-gdal ships it (GDAL 3.6).
result["conformance_errors"] = validate_gpkg.check(args["path"], abort_at_first_error=False, warning_msg=False)

def color(c):
    return [c.name(), c.alpha()]

def describe(layer):
    renderer = layer.renderer()
    found = {"valid": layer.isValid(), "count": layer.featureCount(), "type": renderer.type(),
             "opacity": round(layer.opacity(), 6), "labels": layer.labelsEnabled(),
             "label_field": layer.labeling().settings().fieldName if layer.labeling() else ""}
    if renderer.type() == "categorizedSymbol":
        found["field"] = renderer.classAttribute()
        found["categories"] = [[c.value(), color(c.symbol().color())] for c in renderer.categories()]
    elif renderer.type() == "graduatedSymbol":
        found["field"] = renderer.classAttribute()
        found["ranges"] = [[r.lowerValue(), r.upperValue(), color(r.symbol().color())] for r in renderer.ranges()]
    else:
        found["color"] = color(renderer.symbol().color())
    return found

path = args["path"]
result["defaults"] = {table: describe(QgsVectorLayer(f"{path}|layername={table}", table, "ogr"))
                      for table in args["tables"]}
project = QgsProject.instance()
result["read"] = project.read(f"geopackage:{path}?projectName={quote(args['name'])}")
result["title"] = project.title()
result["crs"] = project.crs().authid()
root = project.layerTreeRoot()
result["tree"] = [[group.name(), [[node.layerId(), node.name(), node.isVisible()] for node in group.children()]]
                  for group in root.children()]
result["render_order"] = [layer.id() for layer in root.layerOrder()]
result["tree_layers"] = root.findLayerIds()
result["checked"] = [node.layerId() for node in root.findLayers() if node.isVisible()]
result["missing"] = [node.layerId() for node in root.findLayers() if node.layer() is None]
result["custom_order"] = root.hasCustomLayerOrder()
result["project_layers"] = {layer.id(): describe(layer) for layer in project.mapLayers().values()}
result["sources"] = sorted({layer.source().split("|")[0] for layer in project.mapLayers().values()})

result["sld"] = {}
for table, sld_path in args["sld"].items():
    layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    message, ok = layer.loadSldStyle(sld_path)
    renderer = layer.renderer()
    if renderer.type() == "RuleRenderer":
        rules = [[rule.filterExpression(), color(rule.symbol().color())] for rule in renderer.rootRule().children()
                 if rule.symbol() is not None]
    else:
        rules = [["", color(renderer.symbol().color())]]
    result["sld"][table] = {"ok": ok, "message": message, "type": renderer.type(), "rules": rules,
                            "labels": layer.labelsEnabled()}
"""


SLD_TABLES = ["hitech_clusters", "hitech_core_zones", "hitech_city_platforms", "base_coastline"]


pytestmark = pytest.mark.xdist_group("qgis_opens_saved_project")  # one worker builds the module fixture once


@pytest.fixture(scope="module")
def saved(tmp_path_factory, module_pyqgis):
    project = load_catalogue()
    zones = project.layer("hitech_core_zones")
    zones.frame["score"] = [float(n) for n in range(len(zones.frame))]
    zones.set_style(GraduatedStyle("score", [1.0, 3.0, 10.0],
                                   [Symbol(fill="#fee5d9"), Symbol(fill="#fc9272"), Symbol(fill="#de2d26")]))
    project.layer("hitech_clusters").set_opacity(0.6)
    path = tmp_path_factory.mktemp("saved") / "dalian plan.gpkg"
    save_project(project, path)
    with closing(sqlite3.connect(path)) as connection:
        tables = dict(connection.execute("SELECT f_table_name, f_table_name FROM layer_styles"))
        contents = {row[0]: row[1:] for row in connection.execute(
            "SELECT table_name, identifier, description FROM gpkg_contents")}
        versions = (connection.execute("PRAGMA application_id").fetchone()[0],
                    connection.execute("PRAGMA user_version").fetchone()[0])
        sld = {}
        for table in SLD_TABLES:
            sld[table] = str(path.parent / f"{table}.sld")
            Path(sld[table]).write_text(connection.execute(
                "SELECT styleSLD FROM layer_styles WHERE f_table_name = ?", (table,)).fetchone()[0], encoding="utf-8")
    seen = module_pyqgis(QGIS_LOOKS, path=str(path), tables=sorted(tables), name=project.title_zh, sld=sld)
    return {"project": project, "path": path, "seen": seen, "contents": contents, "versions": versions}


def _family_color(symbol: Symbol, family: str) -> list:
    if family == "line":
        return [symbol.stroke, 255]
    return [symbol.fill, round(symbol.fill_opacity * 255)]


def _expected(layer) -> dict:
    family, style = layer.geometry_family, layer.style
    expected = {"valid": True, "count": len(layer.frame), "opacity": layer.opacity,
                "labels": bool(layer.label_field), "label_field": layer.label_column("zh") or ""}
    if isinstance(style, CategorizedStyle):
        expected.update(type="categorizedSymbol", field=style.field, categories=[
            [c.value, _family_color(c.symbol, family)] for c in style.categories] + [
            ["", _family_color(style.default, family)]])
    elif isinstance(style, GraduatedStyle):
        expected.update(type="graduatedSymbol", field=style.field)
    else:
        expected.update(type="singleSymbol", color=_family_color(style.symbol, family))
    return expected


def _without_ranges(found: dict) -> dict:
    return {key: value for key, value in found.items() if key != "ranges"}


def test_every_layer_opens_in_qgis_with_gisapps_style_as_its_default(saved):
    project, defaults = saved["project"], saved["seen"]["defaults"]
    assert len(defaults) == len(project.layers)
    for layer in project.layers:
        table = layer.id  # the bundled ids are valid table names
        assert _without_ranges(defaults[table]) == _expected(layer), layer.id
    ranges = defaults["hitech_core_zones"]["ranges"]
    assert [upper for _, upper, _ in ranges] == [1.0, 3.0, 10.0]
    assert [lower for lower, _, _ in ranges][1:] == [1.0, 3.0]
    style = project.layer("hitech_core_zones").style
    assert [c for _, _, c in ranges] == [_family_color(symbol, "polygon") for symbol in style.symbols_]


def test_qgis_opens_the_project_stored_in_the_geopackage_with_the_same_tree(saved):
    project, seen = saved["project"], saved["seen"]
    assert seen["read"] is True and seen["title"] == project.title_zh
    assert seen["crs"] == project.canvas_crs
    expected_tree = [[group.title_zh, [[qgis_layer_id(layer.id), layer.title_zh, layer.visible] for layer in project.layers
                                       if layer.group == group.id]] for group in project.groups]
    assert seen["tree"] == expected_tree
    assert seen["tree_layers"] == [qgis_layer_id(layer.id) for layer in project.layers]
    # QGIS draws the checked layers in tree order (no custom order), as gisapp draws its visible ones.
    assert seen["missing"] == []
    assert seen["custom_order"] is False
    assert [i for i in seen["render_order"] if i in seen["checked"]] == [
        qgis_layer_id(layer.id) for layer in project.layers if layer.visible]
    # Every layer points at the GeoPackage itself, and carries the style of its default.
    assert seen["sources"] == [str(saved["path"])]
    for layer in project.layers:
        assert _without_ranges(seen["project_layers"][qgis_layer_id(layer.id)]) == _expected(layer), layer.id
    assert seen["project_layers"][qgis_layer_id("hitech_clusters")]["opacity"] == 0.6


def test_layer_titles_are_in_gpkg_contents(saved):
    contents = saved["contents"]
    for layer in saved["project"].layers:
        assert contents[layer.id] == (layer.title_zh, layer.title_en)


def test_the_crs_qgis_reads_is_the_canvas_crs(saved):
    assert CRS.from_user_input(saved["seen"]["crs"]) == CRS.from_user_input(saved["project"].canvas_crs)


def test_the_geopackage_is_version_1_2_and_conforms_without_warnings_in_qgis(saved):
    assert saved["versions"] == (0x47504B47, 10200)  # "GPKG", 1.2.0
    assert saved["seen"]["conformance_errors"] == []
    assert "partially supported" not in saved["seen"]["_stderr"]
    assert "Warning" not in saved["seen"]["_stderr"]


def test_qgis_reads_the_sld_beside_the_qml_with_the_same_colours(saved):
    project, sld = saved["project"], saved["seen"]["sld"]
    for table in SLD_TABLES:
        found, layer = sld[table], project.layer(table)
        # QGIS makes a rule-based renderer of the rules, or a single symbol of one rule without a filter.
        single = isinstance(layer.style, SingleStyle)
        assert found["ok"] and found["type"] == ("singleSymbol" if single else "RuleRenderer"), (table, found)
        assert found["labels"] is True, table
        style, family = layer.style, layer.geometry_family
        if isinstance(style, CategorizedStyle):
            expected = [_family_color(c.symbol, family) for c in style.categories] + [
                _family_color(style.default, family)]
        elif isinstance(style, GraduatedStyle):
            expected = [_family_color(symbol, family) for symbol in style.symbols_]
        else:
            expected = [_family_color(style.symbol, family)]
        got = [colour for _, colour in found["rules"]]
        assert [hex_colour for hex_colour, _ in got] == [hex_colour for hex_colour, _ in expected], table
        # QGIS truncates an SLD opacity of 0.5 to alpha 127 where the QML says 128.
        assert all(abs(a - b) <= 1 for (_, a), (_, b) in zip(got, expected, strict=True)), table
    clusters = saved["project"].layer("hitech_clusters").style
    assert [expression for expression, _ in sld["hitech_clusters"]["rules"]][0] == \
        f"{clusters.field} = '{clusters.categories[0].value}'"
