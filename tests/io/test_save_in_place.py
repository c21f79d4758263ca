"""Saving edits in place: only the changed rows are written, in one transaction, as GDAL
would write them (blobs, R-tree, feature count, extent); everything else falls back to the
atomic rewrite. Checked with SQLite, GDAL (pyogrio) and gisapp's own reader."""

import sqlite3

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from gisapp.core.editing import ops as edit_ops
from gisapp.core.editing.edits import (
    AddFeatures,
    DeleteFeatures,
    ReplaceFrame,
    SetAttribute,
    SetGeometries,
    new_rows,
)
from gisapp.core.editing.session import EditSession
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.io.gpkg_inplace import gpkg_blobs, register_gpkg_functions
from gisapp.io.project_gpkg import load_project, save_project

N = 300
TABLE = "parcels"


def parcels_project() -> Project:
    frame = gpd.GeoDataFrame({
        "id": [f"p{i}" for i in range(N)], "jobs": np.arange(N, dtype=np.int64),
        "far": np.linspace(0.5, 3.0, N), "built": np.arange(N) % 2 == 0,
        "name_zh": [f"地块{i}" for i in range(N)]},
        geometry=[shapely.box(121.3 + (i % 20) * 0.01, 38.8 + (i // 20) * 0.01,
                              121.308 + (i % 20) * 0.01, 38.808 + (i // 20) * 0.01) for i in range(N)],
        crs="EPSG:4326")
    return Project(title_zh="测试", title_en="Test", layers=[VectorLayer("parcels", "地块", "Parcels", frame)])


@pytest.fixture
def opened(tmp_path):
    """A saved project, reopened, with a table and a style row gisapp does not own."""
    path = tmp_path / "plan.gpkg"
    save_project(parcels_project(), path)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE survey_notes (id INTEGER PRIMARY KEY, note TEXT, photo BLOB)")
        db.execute("INSERT INTO survey_notes VALUES (1, '勘测 2021', x'00ff10')")
    project = load_project(path)
    return path, project, EditSession(project)


def table_rows(path, table=TABLE):
    with sqlite3.connect(path) as db:
        return {row[0]: row[1:] for row in db.execute(f"SELECT * FROM {table}")}


def check_file(path, table=TABLE):
    """Integrity, the R-tree against the rows, the feature count against the rows."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute(f"SELECT fid, geom FROM {table} WHERE geom IS NOT NULL").fetchall()
        tree = {row[0]: row[1:] for row in db.execute(f"SELECT id, minx, maxx, miny, maxy FROM rtree_{table}_geom")}
        count = db.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?", (table,)).fetchone()[0]
        assert count == db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    assert set(tree) == {fid for fid, _ in rows}
    for fid, blob in rows:
        xmin, ymin, xmax, ymax = shapely.from_wkb(blob[40:]).bounds
        # The R-tree keeps 32-bit floats, rounded outwards.
        assert np.allclose(tree[fid], (xmin, xmax, ymin, ymax), atol=1e-4), fid
        assert tree[fid][0] <= xmin and tree[fid][1] >= xmax


def test_an_edited_feature_is_written_in_place_and_nothing_else_changes(opened):
    path, project, session = opened
    layer = project.layer("parcels")
    before = table_rows(path)
    moved = shapely.affinity.translate(layer.frame.geometry.iloc[5], 0.5, 0.5)
    session.apply(SetGeometries("parcels", [5], [moved], project=project))
    session.apply(SetAttribute("parcels", 7, "name_zh", "新名字", project=project))
    assert save_project(project, path, session.row_changes()) == "in_place"
    session.commit()
    after = table_rows(path)
    changed = {fid for fid in before if before[fid] != after[fid]}
    assert changed == {6, 8}, "only the two edited rows (fids 6 and 8) differ"
    check_file(path)
    # GDAL finds the moved parcel through the R-tree at its new place, and not at the old one.
    x, y = moved.centroid.x, moved.centroid.y
    found = pyogrio.read_dataframe(path, layer=TABLE, bbox=(x - 0.001, y - 0.001, x + 0.001, y + 0.001))
    assert found["id"].tolist() == ["p5"]
    reopened = load_project(path).layer("parcels")
    assert reopened.frame.geometry.iloc[5].equals_exact(moved, 0)
    assert reopened.frame["name_zh"].iloc[7] == "新名字"
    assert reopened.frame["jobs"].dtype == layer.frame["jobs"].dtype
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT * FROM survey_notes").fetchall() == [(1, "勘测 2021", b"\x00\xff\x10")]


def test_added_split_and_deleted_features_are_inserted_and_deleted(opened):
    path, project, session = opened
    layer = project.layer("parcels")
    session.apply(DeleteFeatures("parcels", [0, 1]))
    session.apply(edit_ops.split_features(layer, shapely.LineString([(121.324, 38.79), (121.324, 38.82)]), [0]))
    far = shapely.box(121.9, 39.5, 122.0, 39.6)
    session.apply(AddFeatures("parcels", new_rows(layer, [far], [{"id": "new", "jobs": 3, "built": True}])))
    expected = layer.frame.copy()
    assert save_project(project, path, session.row_changes()) == "in_place"
    session.commit()
    check_file(path)
    reopened = load_project(path).layer("parcels").frame
    assert len(reopened) == len(expected) == N - 2 + 2
    assert sorted(reopened["id"]) == sorted(expected["id"])
    assert reopened.loc[reopened["id"] == "new", "jobs"].item() == 3
    with sqlite3.connect(path) as db:
        extent = db.execute("SELECT max_x, max_y FROM gpkg_contents WHERE table_name = ?", (TABLE,)).fetchone()
    assert extent == (122.0, 39.6), "the extent grew to take in the new parcel"
    assert pyogrio.read_info(path, layer=TABLE)["features"] == len(expected)


def test_undo_after_an_in_place_save_is_saved_in_place_too(opened):
    path, project, session = opened
    original = table_rows(path)
    delete = DeleteFeatures("parcels", [10])
    session.apply(delete)
    save_project(project, path, session.row_changes())
    session.commit()
    session.undo(delete)
    assert save_project(project, path, session.row_changes()) == "in_place"
    session.commit()
    assert table_rows(path) == original, "the row is back with its fid and its exact bytes"
    check_file(path)


def test_a_second_save_with_no_edits_writes_no_layer_rows(opened):
    path, project, session = opened
    before = table_rows(path)
    assert save_project(project, path, session.row_changes()) == "in_place"
    assert table_rows(path) == before


@pytest.mark.parametrize("change", ["field_added", "layer_added", "frame_replaced", "changed_elsewhere",
                                    "no_changes_given"])
def test_other_changes_fall_back_to_the_atomic_rewrite(opened, change):
    path, project, session = opened
    layer = project.layer("parcels")
    session.apply(SetAttribute("parcels", 1, "jobs", 99, project=project))
    changes = session.row_changes()
    if change == "field_added":
        layer.set_frame(layer.frame.assign(height=1.0))
    elif change == "layer_added":
        project.add_layer(VectorLayer("extra", "另", "Extra", layer.frame.iloc[:3].copy()))
    elif change == "frame_replaced":
        session.apply(ReplaceFrame("parcels", layer.frame.iloc[:5].copy()))
        changes = session.row_changes()
    elif change == "changed_elsewhere":
        with sqlite3.connect(path) as db:
            db.execute("INSERT INTO survey_notes VALUES (2, 'QGIS', NULL)")
    else:
        changes = None
    assert save_project(project, path, changes) == "rewrite"
    reopened = load_project(path)
    assert {lay.id: len(lay) for lay in reopened.layers} == {lay.id: len(lay) for lay in project.layers}
    assert reopened.layer("parcels").frame["jobs"].iloc[1] == layer.frame["jobs"].iloc[1]
    # The rewrite keeps the fids, so the next edit saves in place again.
    if change != "layer_added":
        session.commit()
        session.apply(SetAttribute("parcels", 2, "jobs", 98, project=project))
        assert save_project(project, path, session.row_changes()) == "in_place"
        assert load_project(path).layer("parcels").frame["jobs"].iloc[2] == 98


def test_save_as_writes_a_new_file_and_leaves_the_old_one(opened, tmp_path):
    path, project, session = opened
    before = path.read_bytes()
    session.apply(SetAttribute("parcels", 1, "jobs", 99, project=project))
    copy = tmp_path / "copy.gpkg"
    assert save_project(project, copy, session.row_changes()) == "rewrite"
    assert path.read_bytes() == before
    assert load_project(copy).layer("parcels").frame["jobs"].iloc[1] == 99


def test_rows_of_a_file_with_gaps_in_its_fids_are_found(tmp_path):
    """A table edited by another program (fids 1, 3, 5, ...) and with a rejected feature."""
    path = tmp_path / "plan.gpkg"
    save_project(parcels_project(), path)
    with sqlite3.connect(path) as db:
        register_gpkg_functions(db)  # GDAL's R-tree triggers call them
        db.execute(f"DELETE FROM {TABLE} WHERE fid % 2 = 0")
        db.execute(f"UPDATE {TABLE} SET geom = NULL WHERE fid = 7")  # rejected on load: no geometry
    project = load_project(path)
    layer = project.layer("parcels")
    assert layer.stored.fids[:4].tolist() == [1, 3, 5, 9]
    session = EditSession(project)
    session.apply(SetAttribute("parcels", 3, "name_zh", "第九", project=project))
    assert save_project(project, path, session.row_changes()) == "in_place"
    assert table_rows(path)[9][-1] == "第九"
    check_file(path)


def test_blobs_are_the_bytes_gdal_writes(tmp_path):
    geoms = [shapely.Point(1, 2), shapely.Point(1, 2, 3), shapely.box(0, 0, 1, 1),
             shapely.Polygon([(0, 0, 1), (1, 0, 2), (1, 1, 3), (0, 0, 1)]),
             shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
             shapely.LineString([(0, 0), (5, 6)]), shapely.MultiPoint([(1, 1), (2, 2)]), shapely.Polygon(), None]
    frame = gpd.GeoDataFrame({"n": range(len(geoms))}, geometry=geoms, crs="EPSG:4326")
    pyogrio.write_dataframe(frame, tmp_path / "g.gpkg", layer="t", driver="GPKG", geometry_type="Unknown",
                            promote_to_multi=False)
    with sqlite3.connect(tmp_path / "g.gpkg") as db:
        gdal = [row[0] for row in db.execute("SELECT geom FROM t ORDER BY fid")]
    assert gpkg_blobs(np.asarray(geoms, dtype=object), 4326) == gdal


def test_a_project_with_a_basemap_saves_edits_in_place_and_keeps_the_basemap(tmp_path):
    from gisapp.core.model.tile_layer import TileLayer, TileSource

    path = tmp_path / "plan.gpkg"
    project = parcels_project()
    basemap = TileLayer("osm", "底图", "Basemap", TileSource("xyz", url="http://127.0.0.1:9/{z}/{x}/{y}.png"),
                        opacity=0.5)
    project.layers.append(basemap)
    save_project(project, path)
    project = load_project(path)
    session = EditSession(project)
    moved = shapely.affinity.translate(project.layer("parcels").frame.geometry.iloc[3], 0.2, 0.0)
    session.apply(SetGeometries("parcels", [3], [moved], project=project))
    project.map_layer("osm").opacity = 0.25
    assert save_project(project, path, session.row_changes()) == "in_place"
    check_file(path)
    again = load_project(path)
    assert [layer.id for layer in again.layers] == ["parcels", "osm"]
    assert again.map_layer("osm").opacity == 0.25
    assert again.layer("parcels").frame.geometry.iloc[3].equals_exact(moved, 0)
