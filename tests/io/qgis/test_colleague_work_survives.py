"""What a QGIS colleague puts into a file survives a gisapp open-edit-save, and QGIS still finds it.

QGIS 3.22 (and its GDAL) write the colleague's work for real: a categorized default style
(``saveStyleToDatabase``), a second style, a project stored in the GeoPackage, an attribute
table, dataset metadata and a relationship. Two files: a gisapp project, and a plain
GeoPackage made by QGIS that gisapp opens and saves as a project onto the same path.
"""

import pytest
from damaged_projects import saved_project

from gisapp.io.project_gpkg import load_project, save_project

RELATED_TABLES = """
CREATE TABLE gpkgext_relations (id INTEGER PRIMARY KEY AUTOINCREMENT, base_table_name TEXT NOT NULL,
  base_primary_column TEXT NOT NULL DEFAULT 'id', related_table_name TEXT NOT NULL,
  related_primary_column TEXT NOT NULL DEFAULT 'id', relation_name TEXT NOT NULL,
  mapping_table_name TEXT NOT NULL UNIQUE);
CREATE TABLE zone_notes_map (base_id INTEGER NOT NULL, related_id INTEGER NOT NULL);
INSERT INTO zone_notes_map VALUES (1, 1);
INSERT INTO gpkgext_relations (base_table_name, base_primary_column, related_table_name, related_primary_column,
  relation_name, mapping_table_name) VALUES ('BASE', 'fid', 'survey_notes', 'fid', 'attributes', 'zone_notes_map');
INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('zone_notes_map', 'attributes', 'zone_notes_map');
INSERT INTO gpkg_extensions VALUES ('gpkgext_relations', NULL, 'gpkg_related_tables',
  'http://www.geopackage.org/18-000.html', 'read-write');
INSERT INTO gpkg_extensions VALUES ('zone_notes_map', NULL, 'gpkg_related_tables',
  'http://www.geopackage.org/18-000.html', 'read-write');
"""

COLLEAGUE_WRITES = f"RELATED_TABLES = {RELATED_TABLES!r}\n" + """
import sqlite3
from osgeo import gdal
from qgis.PyQt.QtCore import QDate, QDateTime

def colleague_work(path, table):
    layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    assert layer.isValid(), path
    categories = []
    for value, fill in args["categories"]:
        categories.append(QgsRendererCategory(value, QgsFillSymbol.createSimple({"color": fill}), value))
    layer.setRenderer(QgsCategorizedSymbolRenderer(args["field"], categories))
    layer.setOpacity(0.8)
    assert layer.saveStyleToDatabase("colleague", "李工的分类", True, "") == ""
    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"color": "#123456"})))
    assert layer.saveStyleToDatabase("draft", "", False, "") == ""

    notes = QgsVectorLayer("None?field=zone:string&field=note:string&field=checked:date", "notes", "memory")
    feature = QgsFeature(notes.fields())
    feature.setAttributes(["z.a", "东侧边界待核实", QDate(2026, 11, 30)])
    notes.dataProvider().addFeatures([feature])
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = "survey_notes"
    options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    error = QgsVectorFileWriter.writeAsVectorFormatV3(notes, path, QgsCoordinateTransformContext(), options)
    assert error[0] == QgsVectorFileWriter.NoError, error

    project = QgsProject()
    project.addMapLayer(QgsVectorLayer(f"{path}|layername={table}", "同事的图层", "ogr"))
    assert project.write(f"geopackage:{path}?projectName=同事的项目")

    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    dataset.SetMetadataItem("REVIEWER", "李工")
    dataset = None
    # GDAL 3.6 reads the related-tables extension but cannot write it: the rows a tool writes.
    with sqlite3.connect(path) as db:
        db.executescript(RELATED_TABLES.replace("BASE", table))

for path, table in args["files"]:
    colleague_work(path, table)

if args.get("plain"):
    writer_layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=用地类型:string&field=批准日期:date&field=核实:boolean"
                                  "&field=层数:integer&field=户数:int8&field=更新:datetime", "地块", "memory")
    features = []
    for number, values in enumerate([["居住", QDate(2021, 3, 1), True, 5, 3000000000, QDateTime(2021, 3, 1, 8, 30)],
                                     ["工业", None, None, None, None, None]]):
        feature = QgsFeature(writer_layer.fields())
        feature.setAttributes(values)
        x = 121.5 + number * 0.1
        feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x} 38.8, {x + 0.1} 38.8, {x + 0.1} 38.9, {x} 38.8))"))
        features.append(feature)
    writer_layer.dataProvider().addFeatures(features)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.layerName = "地块"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(writer_layer, args["plain"], QgsCoordinateTransformContext(),
                                                      options)
    assert error[0] == QgsVectorFileWriter.NoError, error
    colleague_work(args["plain"], "地块")
"""

QGIS_LOOKS = """
from osgeo import gdal
from qgis.PyQt.QtCore import QDate, QDateTime
from qgis.PyQt.QtXml import QDomDocument

def look(path, table):
    found = {}
    layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    found["features"] = [[str(v) if isinstance(v, (QDate, QDateTime)) else v for v in f.attributes()]
                         for f in layer.getFeatures()]
    found["types"] = {field.name(): field.typeName() for field in layer.fields()}
    count, ids, names, descriptions, error = layer.listStylesInDatabase()
    found["styles"] = sorted(names)
    colleague = ids[names.index("colleague")]
    qml, _error = layer.getStyleFromDatabase(colleague)
    document = QDomDocument()
    document.setContent(qml)
    layer.importNamedStyle(document)
    found["colleague_style"] = [layer.renderer().type(), layer.opacity(),
                                [[c.value(), c.symbol().color().name()] for c in layer.renderer().categories()]]
    project = QgsProject()
    found["project_read"] = project.read(f"geopackage:{path}?projectName=同事的项目")
    found["project_layers"] = [[l.name(), l.isValid(), l.featureCount()] for l in project.mapLayers().values()]
    notes = QgsVectorLayer(f"{path}|layername=survey_notes", "notes", "ogr")
    found["notes"] = [[f["note"], f["checked"].toString("yyyy-MM-dd"), notes.fields().field("checked").typeName()]
                      for f in notes.getFeatures()]
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR)
    found["metadata"] = dataset.GetMetadataItem("REVIEWER")
    found["relationships"] = list(dataset.GetRelationshipNames() or [])
    found["mapping"] = [f.GetField(0) for f in dataset.ExecuteSQL("SELECT related_id FROM zone_notes_map")]
    found["integrity"] = dataset.ExecuteSQL("PRAGMA integrity_check").GetNextFeature().GetField(0)
    return found

for path, table in args["files"]:
    result[path] = look(path, table)
"""

CATEGORIES = [["core", "#e41a1c"], ["cluster", "#4daf4a"]]


pytestmark = pytest.mark.xdist_group("qgis_colleague_work")  # one worker builds the module fixture once


@pytest.fixture(scope="module")
def colleague_files(tmp_path_factory, module_pyqgis):
    """A gisapp project and a QGIS GeoPackage, each with a colleague's work, opened, edited and
    saved by gisapp; then what QGIS sees in them."""
    folder = tmp_path_factory.mktemp("colleague")
    project_path = saved_project(folder)
    plain_path = folder / "qgis_plain.gpkg"
    module_pyqgis(COLLEAGUE_WRITES, files=[[str(project_path), "zones"]], field="kind",
               categories=CATEGORIES, plain=str(plain_path))

    project = load_project(project_path)
    project.layer("zones").frame.loc[0, "name_en"] = "edited in gisapp"
    save_project(project, project_path)
    plain = load_project(plain_path)
    plain.layers[0].frame.loc[0, "用地类型"] = "绿地"
    save_project(plain, plain_path)
    reopened = load_project(plain_path)
    seen = module_pyqgis(QGIS_LOOKS, files=[[str(project_path), "zones"], [str(plain_path), "地块"]])
    return {"project": seen[str(project_path)], "plain": seen[str(plain_path)], "reopened": reopened}


@pytest.mark.parametrize("kind", ["project", "plain"])
def test_qgis_still_finds_the_colleagues_styles_project_table_metadata_and_relation(colleague_files, kind):
    found = colleague_files[kind]
    assert {"colleague", "draft"} <= set(found["styles"])
    assert found["colleague_style"][0] == "categorizedSymbol"
    assert found["colleague_style"][1] == pytest.approx(0.8)
    assert found["colleague_style"][2] == CATEGORIES
    assert found["project_read"] is True
    [(name, valid, count)] = found["project_layers"]
    assert (name, valid) == ("同事的图层", True) and count == len(found["features"])
    assert found["notes"] == [["东侧边界待核实", "2026-11-30", "Date"]]
    assert found["metadata"] == "李工"
    assert len(found["relationships"]) == 1 and found["relationships"][0].endswith("_survey_notes_attributes")
    assert found["mapping"] == [1]
    assert found["integrity"] == "ok"


def test_gisapps_edits_are_in_the_file_qgis_reads(colleague_files):
    features = colleague_files["project"]["features"]
    assert ["edited in gisapp" in attributes for attributes in features] == [True, False]
    assert [attributes[1] for attributes in colleague_files["plain"]["features"]] == ["绿地", "工业"]


def test_dates_booleans_and_nullable_integers_keep_their_types_through_a_gisapp_save(colleague_files):
    plain = colleague_files["plain"]
    assert plain["types"] == {"fid": "Integer64", "用地类型": "String", "批准日期": "Date", "核实": "Boolean",
                              "层数": "Integer", "户数": "Integer64", "更新": "DateTime"}
    first, second = (attributes[2:] for attributes in plain["features"])
    assert first[:4] == ["PyQt5.QtCore.QDate(2021, 3, 1)", True, 5, 3000000000]
    assert first[4].startswith("PyQt5.QtCore.QDateTime(2021, 3, 1, 8, 30")
    assert all(value is None or value == "NULL" for value in second), second


def test_a_plain_geopackage_saved_onto_itself_keeps_its_table_name(colleague_files):
    reopened = colleague_files["reopened"]
    assert [layer.title_zh for layer in reopened.layers] == ["地块"]
    assert reopened.layers[0].frame["用地类型"].tolist() == ["绿地", "工业"]
