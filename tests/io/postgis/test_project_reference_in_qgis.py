"""QGIS 3.22 opens a project GeoPackage that holds a PostGIS layer by reference: the stored
project points its postgres provider at the same table (no password in it), with gisapp's style."""


from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.io.project_gpkg import save_project
from tests.io.postgis.test_project_reference import _project_with_table
from tests.io.qgis.conftest import run_pyqgis

HOSTILE = "zones \"quoted\" 'and' \\\\back"

QGIS_READS = """
from urllib.parse import quote
project = QgsProject.instance()
result["read"] = project.read(f"geopackage:{args['path']}?projectName={quote(args['name'])}")
layers = [layer for layer in project.mapLayers().values() if layer.providerType() == "postgres"]
result["postgres"] = [{"valid": layer.isValid(), "count": layer.featureCount(), "name": layer.name(),
                       "names": sorted(f["name_zh"] for f in layer.getFeatures()),
                       "colour": layer.renderer().symbol().color().name(),
                       "source": layer.source()} for layer in layers]
"""


def test_qgis_opens_the_postgis_layer_of_a_saved_project_from_its_server(postgis_db, tmp_path, monkeypatch):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{postgis_db.port}:*:postgres:{postgis_db.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))  # QGIS's libpq reads it too
    project, layer = _project_with_table(postgis_db, HOSTILE)
    layer.title_zh = "共享分区"
    layer.style = SingleStyle(Symbol(fill="#12ab34", stroke="#000000"))
    path = tmp_path / "team.gpkg"
    save_project(project, path)
    found = run_pyqgis(QGIS_READS, tmp_path, path=str(path), name=project.title_zh)
    assert found["read"] is True
    [seen] = found["postgres"]
    assert seen["valid"] and seen["count"] == 2 and seen["names"] == ["北区", "南区"], found
    assert seen["name"] == "共享分区" and seen["colour"] == "#12ab34"
    assert postgis_db.password not in seen["source"]
