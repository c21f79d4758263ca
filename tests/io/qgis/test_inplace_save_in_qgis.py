"""QGIS 3.22 reads a project GeoPackage after gisapp saved edits into it in place, finds the
moved feature through the R-tree, and commits its own edit on top; gisapp reads that back."""

import sqlite3

import geopandas as gpd
import shapely

from gisapp.core.editing.edits import DeleteFeatures, SetAttribute, SetGeometries
from gisapp.core.editing.session import EditSession
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.io.project_gpkg import load_project, save_project

IN_QGIS = """
layer = QgsVectorLayer(args["source"], "parcels", "ogr")
assert layer.isValid(), args["source"]
result["count"] = layer.featureCount()
x, y = args["point"]
request = QgsFeatureRequest().setFilterRect(QgsRectangle(x - 0.001, y - 0.001, x + 0.001, y + 0.001))
result["found"] = [f["id"] for f in layer.getFeatures(request)]
result["name"] = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("id = 'p7'")))["name_en"]
layer.startEditing()
fid = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("id = 'p3'"))).id()
layer.changeAttributeValue(fid, layer.fields().indexOf("name_en"), "edited in QGIS")
result["committed"] = layer.commitChanges()
"""


def test_qgis_reads_and_edits_a_file_saved_in_place(tmp_path, pyqgis):
    frame = gpd.GeoDataFrame({"id": [f"p{i}" for i in range(40)], "name_en": [f"Parcel {i}" for i in range(40)]},
                             geometry=[shapely.box(121.3 + i * 0.01, 38.8, 121.308 + i * 0.01, 38.808)
                                       for i in range(40)], crs="EPSG:4326")
    path = tmp_path / "plan.gpkg"
    save_project(Project(layers=[VectorLayer("parcels", "地块", "Parcels", frame)]), path)
    project = load_project(path)
    session = EditSession(project)
    layer = project.layer("parcels")
    moved = shapely.affinity.translate(layer.frame.geometry.iloc[5], 0.2, 0.3)
    session.apply(SetGeometries("parcels", [5], [moved], project=project))
    session.apply(SetAttribute("parcels", 7, "name_en", "Renamed", project=project))
    session.apply(DeleteFeatures("parcels", [0]))
    assert save_project(project, path, session.row_changes()) == "in_place"
    with sqlite3.connect(path) as db:
        table = db.execute("SELECT table_name FROM gpkg_geometry_columns").fetchone()[0]
    point = moved.centroid
    result = pyqgis(IN_QGIS, source=f"{path}|layername={table}", point=[point.x, point.y])
    assert {key: result[key] for key in ("count", "found", "name", "committed")} == {
        "count": 39, "found": ["p5"], "name": "Renamed", "committed": True}
    reopened = load_project(path).layer("parcels").frame
    assert reopened.loc[reopened["id"] == "p3", "name_en"].item() == "edited in QGIS"
    assert len(reopened) == 39
