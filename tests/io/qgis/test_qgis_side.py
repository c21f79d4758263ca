"""gisapp's rows in ``qgis_projects`` and ``layer_styles`` are replaced on each save; a QGIS user's never."""

import json
import sqlite3
import zipfile
from contextlib import closing
from io import BytesIO

from damaged_projects import saved_project, small_project

from gisapp.io.project_gpkg import save_project


def _projects(path):
    with closing(sqlite3.connect(path)) as connection:
        return {name: (json.loads(metadata), content)
                for name, metadata, content in connection.execute("SELECT name, metadata, content FROM qgis_projects")}


def test_gisapp_replaces_its_own_stored_project_and_keeps_a_colleagues_of_the_same_name(tmp_path):
    path = saved_project(tmp_path)
    [(name, (metadata, content))] = _projects(path).items()
    assert name == "测试" and metadata["written_by"] == "gisapp"
    archive = zipfile.ZipFile(BytesIO(bytes.fromhex(content)))
    qgs = archive.read(archive.namelist()[0]).decode("utf-8")
    assert "./plan.gpkg|layername=zones" in qgs

    # A colleague saves the project back from QGIS under the same name: it is now theirs.
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE qgis_projects SET metadata = ?, content = 'cafe'",
                           (json.dumps({"last_modified_time": "2026-11-30T10:00:00", "last_modified_user": "li"}),))
    project = small_project()
    project.title_zh = "测试"
    save_project(project, path)
    save_project(project, path)  # gisapp's row is replaced, not added again
    stored = _projects(path)
    assert set(stored) == {"测试", "测试 (gisapp)"}
    assert stored["测试"] == ({"last_modified_time": "2026-11-30T10:00:00", "last_modified_user": "li"}, "cafe")
    assert stored["测试 (gisapp)"][0]["written_by"] == "gisapp"

    project.title_zh = "新标题"
    save_project(project, path)
    assert set(_projects(path)) == {"测试", "新标题"}


def test_a_removed_layer_loses_gisapps_style_row_but_not_a_colleagues(tmp_path):
    path = saved_project(tmp_path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, "
                           "useAsDefault, owner) VALUES ('points', 'geom', 'mine', '<qgis/>', 1, 'li')")
    project = small_project()
    project.remove_layer("points")
    save_project(project, path)
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT f_table_name, styleName, owner FROM layer_styles ORDER BY id").fetchall()
    assert sorted(rows) == [("points", "mine", "li"), ("zones", "gisapp", "gisapp")]
