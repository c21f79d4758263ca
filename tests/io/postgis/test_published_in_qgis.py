"""QGIS (Debian's python3-qgis, headless) opens a table gisapp published and loads its style
from ``layer_styles``, as a QGIS user adding the table from the browser sees it."""

from dataclasses import replace

from gisapp.io.postgis.project import publish_project
from tests.io.qgis.conftest import run_pyqgis
from tests.io.test_project_gpkg import small_project

SCRIPT = """
uri = QgsDataSourceUri()
uri.setConnection(args["host"], str(args["port"]), args["dbname"], args["user"], args["password"],
                  QgsDataSourceUri.SslDisable)
for table in ("zones", "points"):
    uri.setDataSource(args["schema"], table, "geom", "", "fid")
    layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    renderer = layer.renderer()
    entry = {"valid": layer.isValid(), "count": layer.featureCount(),
             "wkb": QgsWkbTypes.displayString(layer.wkbType()),
             "renderer": renderer.type() if renderer else None,
             "opacity": layer.opacity(), "labels": layer.labelsEnabled(),
             "names": sorted(f["name_zh"] for f in layer.getFeatures()),
             "related_styles": layer.listStylesInDatabase()[0]}
    if renderer is not None and renderer.type() == "categorizedSymbol":
        entry["categories"] = [(c.value(), c.symbol().color().name()) for c in renderer.categories()]
        entry["field"] = renderer.classAttribute()
    result[table] = entry
# As the browser adds it: the URI names the geometry type.
uri.setDataSource(args["schema"], "zones", "geom", "", "fid")
uri.setWkbType(QgsWkbTypes.MultiPolygon)
typed = QgsVectorLayer(uri.uri(False), "zones", "postgres")
result["typed_renderer"] = typed.renderer().type() if typed.renderer() else None
"""


def test_qgis_opens_a_published_table_with_its_style_from_layer_styles(postgis_db, tmp_path):
    publish_project(small_project(), postgis_db, "plan")
    spec = replace(postgis_db, schema="plan")
    found = run_pyqgis(SCRIPT, tmp_path, host=spec.host, port=spec.port, dbname=spec.dbname, user=spec.user,
                       password=spec.password, schema="plan")
    zones, points = found["zones"], found["points"]
    assert zones["valid"] and zones["count"] == 2 and zones["names"] == ["乙区", "甲区"]
    assert zones["wkb"] == "MultiPolygon"  # a polygon and a multipolygon: one typed column, one layer
    # The categorized style gisapp published, not QGIS's default single symbol.
    assert zones["renderer"] == "categorizedSymbol" and zones["field"] == "kind"
    assert ["core", "#aa00aa"] in zones["categories"]
    assert abs(zones["opacity"] - 0.7) < 1e-6
    assert zones["related_styles"] == 1
    assert found["typed_renderer"] == "categorizedSymbol"
    assert points["valid"] and points["wkb"] == "Point" and points["labels"]  # labelled by name_zh
