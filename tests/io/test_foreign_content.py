"""Tables and rows gisapp did not write survive into the file that replaces the old one."""

import sqlite3
import warnings
from contextlib import closing

import geopandas as gpd
import pyogrio
import pytest
import shapely
from damaged_projects import saved_project, small_project

from gisapp.core.model.layer import VectorLayer
from gisapp.io.errors import GisIOError
from gisapp.io.foreign_content import carry_over
from gisapp.io.project_gpkg import load_project, save_project
from gisapp.io.qgis.layer_styles import StoredStyle, default_style, write_default_styles


def _frame(n=2):
    return gpd.GeoDataFrame({"name": [f"f{i}" for i in range(n)]},
                            geometry=[shapely.box(i, 0, i + 1, 1) for i in range(n)], crs="EPSG:4326")


def _dump(path, table):
    with closing(sqlite3.connect(path)) as connection:
        columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
        select = ", ".join(f'typeof("{c}"), quote("{c}")' for c in columns)
        return connection.execute(f'SELECT {select} FROM "{table}" ORDER BY rowid').fetchall()


def _old_file(tmp_path):
    old = tmp_path / "old.gpkg"
    pyogrio.write_dataframe(_frame(), old, layer="plots", driver="GPKG")
    pyogrio.write_dataframe(_frame(3), old, layer="colleague_sketch", driver="GPKG")
    write_default_styles(old, [StoredStyle("colleague_sketch", "geom", "ignored", "<qgis/>")])
    with closing(sqlite3.connect(old)) as connection, connection:
        connection.execute("UPDATE layer_styles SET styleName = 'qgis', owner = 'li'")
        connection.execute('CREATE TABLE "survey_notes" (fid INTEGER PRIMARY KEY, note TEXT, score REAL, '
                           "raw BLOB, n INTEGER)")
        connection.execute("INSERT INTO survey_notes VALUES (1, '东侧 待核实', 2.5, x'00ff10', NULL), "
                           "(2, '', 1e300, x'', 7)")
        connection.execute("CREATE INDEX survey_notes_note ON survey_notes(note)")
        connection.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                           "VALUES ('survey_notes', 'attributes', '调查记录')")
        connection.execute("CREATE TABLE gpkg_metadata (id INTEGER PRIMARY KEY AUTOINCREMENT, md_scope TEXT, "
                           "md_standard_uri TEXT, mime_type TEXT, metadata TEXT)")
        connection.execute("INSERT INTO gpkg_metadata VALUES (1, 'dataset', 'http://x', 'text/xml', '<m/>')")
        connection.execute("INSERT INTO gpkg_extensions VALUES (NULL, NULL, 'x_global', 'http://x', 'write-only')")
    return old


def test_tables_gisapp_does_not_own_are_copied_exactly(tmp_path):
    old = _old_file(tmp_path)
    new = tmp_path / "new.gpkg"
    pyogrio.write_dataframe(_frame(5), new, layer="plots", driver="GPKG")

    carried = carry_over(old, new, owned={"plots"})

    assert set(carried) == {"colleague_sketch", "rtree_colleague_sketch_geom", "layer_styles", "survey_notes",
                            "gpkg_metadata"}
    for table in ("survey_notes", "gpkg_metadata", "layer_styles", "colleague_sketch"):
        assert _dump(new, table) == _dump(old, table), table
    assert len(pyogrio.read_dataframe(new, layer="plots")) == 5  # gisapp's new rows, not the old ones
    sketch = pyogrio.read_dataframe(new, layer="colleague_sketch")
    assert list(sketch["name"]) == ["f0", "f1", "f2"]
    # Spatial filtering goes through the copied R-tree.
    assert len(pyogrio.read_dataframe(new, layer="colleague_sketch", bbox=(2.2, 0.2, 2.8, 0.8))) == 1
    layers = dict(pyogrio.list_layers(new))
    assert {"plots", "colleague_sketch", "survey_notes", "layer_styles"} <= set(layers)
    with closing(sqlite3.connect(new)) as connection:
        assert connection.execute("SELECT identifier FROM gpkg_contents WHERE table_name = 'survey_notes'"
                                  ).fetchone() == ("调查记录",)
        assert connection.execute("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'x_global'"
                                  ).fetchone() == (1,)
        assert connection.execute("SELECT name FROM sqlite_master WHERE name = 'survey_notes_note'").fetchone()
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # GDAL's feature-count triggers came along and still work.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL: the made-up x_global extension is unknown
        pyogrio.write_dataframe(_frame(1), new, layer="colleague_sketch", driver="GPKG", append=True)
    assert pyogrio.read_info(new, layer="colleague_sketch")["features"] == 4


def test_gisapp_style_rows_replace_only_gisapp_rows(tmp_path):
    old = _old_file(tmp_path)
    write_default_styles(old, [StoredStyle("plots", "geom", "", "<qgis>first</qgis>")])
    write_default_styles(old, [StoredStyle("plots", "geom", "", "<qgis>second</qgis>")])
    with closing(sqlite3.connect(old)) as connection:
        rows = connection.execute("SELECT f_table_name, styleName, owner, styleQML FROM layer_styles "
                                  "ORDER BY id").fetchall()
    assert rows == [("colleague_sketch", "qgis", "li", "<qgis/>"), ("plots", "gisapp", "gisapp",
                                                                     "<qgis>second</qgis>")]
    assert default_style(old, "plots").qml == "<qgis>second</qgis>"
    assert default_style(old, "plots").written_by_gisapp
    assert not default_style(old, "colleague_sketch").written_by_gisapp
    assert default_style(old, "nothing") is None


def _tables(path):
    with closing(sqlite3.connect(path)) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_project_save_keeps_foreign_tables_and_drops_only_its_own_removed_layers(tmp_path):
    path = saved_project(tmp_path)
    pyogrio.write_dataframe(_frame(3), path, layer="sketch", driver="GPKG")  # a colleague's layer
    project = load_project(path)
    project.remove_layer("points")
    # A layer from elsewhere whose id is the colleague's table name gets a table of its own.
    project.add_layer(VectorLayer("sketch", "草图", "Sketch", _frame(1)))
    save_project(project, path)

    tables = _tables(path)
    assert "points" not in tables  # gisapp's own table of the removed layer
    assert {"zones", "sketch", "sketch_2"} <= tables
    assert len(pyogrio.read_dataframe(path, layer="sketch")) == 3
    assert len(load_project(path).layer("sketch").frame) == 1


def test_an_unreadable_file_is_not_replaced(tmp_path):
    path = tmp_path / "plan.gpkg"
    path.write_bytes(b"not a database at all, but someone's bytes" * 100)
    before = path.read_bytes()

    with pytest.raises(GisIOError, match="cannot be read as a GeoPackage"):
        save_project(small_project(), path)
    assert path.read_bytes() == before


def test_system_rows_are_copied_by_the_columns_both_files_have(tmp_path):
    old = _old_file(tmp_path)
    with closing(sqlite3.connect(old)) as connection, connection:
        # GeoPackage 1.4's CRS WKT extension adds a column the new file does not have.
        connection.execute("ALTER TABLE gpkg_spatial_ref_sys ADD COLUMN definition_12_063 TEXT")
        connection.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('local grid', 990001, 'LOCAL', 990001, "
                           "'undefined', 'a bureau grid', 'GEOGCRS[...]')")
    new = tmp_path / "new.gpkg"
    pyogrio.write_dataframe(_frame(5), new, layer="plots", driver="GPKG", dataset_options={"VERSION": "1.2"})
    carry_over(old, new, owned={"plots"})
    with closing(sqlite3.connect(new)) as connection:
        assert connection.execute("SELECT srs_name FROM gpkg_spatial_ref_sys WHERE srs_id = 990001"
                                  ).fetchone() == ("local grid",)
