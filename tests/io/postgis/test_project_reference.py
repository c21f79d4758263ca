"""A PostGIS layer in a project GeoPackage: saved by reference (no rows in the file), read
again from the server on opening; a server that is down leaves it in the project, said."""

import sqlite3

import geopandas as gpd
import pyogrio
import pytest
import shapely

from gisapp.core.model.project import Project
from gisapp.io.postgis.connection import connect
from gisapp.io.postgis.references import UNAVAILABLE, is_postgis_layer
from gisapp.io.postgis.source import open_postgis_layer, table_ref
from gisapp.io.postgis.tables import table_info, write_table
from gisapp.io.project_gpkg import load_project, save_project

HOSTILE_TABLE = "zones'); DROP TABLE plan.zones; --"


@pytest.fixture
def pgpass(postgis_server, tmp_path, monkeypatch):
    """libpq finds the password in a ~/.pgpass of the test's own (URLs in projects have none)."""
    path = tmp_path / "pgpass"
    path.write_text(f"127.0.0.1:{postgis_server.port}:*:postgres:{postgis_server.password}\n")
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


def _zones():
    return gpd.GeoDataFrame({"name_zh": ["北区", "南区"], "area_ha": [12.5, 3.0]},
                            geometry=[shapely.box(121.5, 38.8, 121.6, 38.9), shapely.box(121.6, 38.8, 121.7, 38.9)],
                            crs="EPSG:4326")


def _project_with_table(spec, table="zones"):
    with connect(spec) as con:
        write_table(con, "plan", table, _zones())
        con.commit()
        layer = open_postgis_layer(con, spec, table_info(con, "plan", table))
    project = Project(title_zh="团队", title_en="Team")
    project.add_layer(layer)
    return project, layer


def test_a_postgis_layer_is_saved_by_reference_and_read_again_from_the_server(postgis_db, pgpass, tmp_path):
    from gisapp.core.model.style import CategorizedStyle, Category, Symbol

    project, layer = _project_with_table(postgis_db, HOSTILE_TABLE)
    layer.style = CategorizedStyle("name_zh", [Category("北区", "北区", "North", Symbol(fill="#aa0000")),
                                               Category("南区", "南区", "South", Symbol(fill="#00aa00"))])
    layer.opacity, layer.title_zh = 0.6, "共享分区"
    layer.field_aliases = {"area_ha": {"zh": "面积（公顷）", "en": "Area (ha)"}}
    path = tmp_path / "team.gpkg"
    save_project(project, path)
    # The file holds no table of its rows, and no password anywhere.
    tables = {str(name) for name, _ in pyogrio.list_layers(path)}
    assert not any("zones" in name for name in tables), tables
    with sqlite3.connect(path) as con:
        blob = "\n".join(str(row) for row in con.execute("SELECT value FROM gisapp_project"))
    assert postgis_db.password not in blob and '"kind": "postgis"' in blob
    # Another editor changes the table meanwhile: the project opens what the server holds now.
    with connect(postgis_db) as con:
        con.execute('UPDATE plan."zones\'); DROP TABLE plan.zones; --" SET name_zh = %s WHERE gid = 2', ("新南区",))
        con.commit()
    notes: list[str] = []
    reopened = load_project(path, notes)
    back = reopened.layer(layer.id)
    assert is_postgis_layer(back) and table_ref(back) == table_ref(layer)
    assert back.frame["name_zh"].tolist() == ["北区", "新南区"]
    assert back.stored is not None and back.stored.frame is back.frame and back.stored.fids.tolist() == [1, 2]
    assert UNAVAILABLE not in back.metadata and not notes
    # Styled, titled and aliased as it was saved (the file's entry), its rows from the server.
    assert back.style.to_dict() == layer.style.to_dict() and back.opacity == 0.6 and back.title_zh == "共享分区"
    assert back.field_aliases == layer.field_aliases


def test_saving_edits_in_place_never_writes_the_server_layer_into_the_file(postgis_db, pgpass, tmp_path):
    from gisapp.io.vector import file_layer

    project, layer = _project_with_table(postgis_db)
    local = file_layer("本地", "local", _zones(), "polygon")
    project.add_layer(local)
    path = tmp_path / "team.gpkg"
    assert save_project(project, path) == "rewrite"
    reopened = load_project(path)
    reopened.layer(local.id).title_en = "renamed"
    reopened.set_modified(True)
    assert save_project(reopened, path) == "in_place"  # the PostGIS layer did not force a rewrite
    again = load_project(path)
    assert again.layer(local.id).title_en == "renamed" and len(again.layer(layer.id).frame) == 2


def test_a_server_that_is_down_leaves_the_layer_in_the_project_and_says_so(tmp_path, monkeypatch):
    from tests.postgis_server import PostgisServer

    server = PostgisServer.start_new()
    try:
        spec = server.new_database()
        pgpass = tmp_path / "pgpass"
        pgpass.write_text(f"127.0.0.1:{server.port}:*:postgres:{server.password}\n")
        pgpass.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(pgpass))
        project, layer = _project_with_table(spec)
        path = tmp_path / "team.gpkg"
        save_project(project, path)
        server.stop()
        notes: list[str] = []
        reopened = load_project(path, notes)
        back = reopened.layer(layer.id)
        assert len(back.frame) == 0 and "no server answers" in back.metadata[UNAVAILABLE]
        assert len(notes) == 1 and "zones" in notes[0] and f"127.0.0.1:{server.port}" in notes[0]
        # Saved again as it was: the reference survives the outage, and opens once the server is back.
        save_project(reopened, path)
        server.start()
        assert load_project(path).layer(layer.id).frame["name_zh"].tolist() == ["北区", "南区"]
    finally:
        server.destroy()
