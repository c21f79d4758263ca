"""Opening files users bring: formats, GBK shapefiles, and clear errors for bad input."""

import os
import sqlite3

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from gisapp.io.errors import GisIOError
from gisapp.io.vector import detect_dbf_encoding, open_vector_file
from tests import broken_files
from tests.broken_files import CASES

NAMES = ["黄泥川新兴产业组团", "英歌石科学城", "七贤岭"]


def _chinese_frame():
    return gpd.GeoDataFrame(
        {"名称": NAMES, "面积": [1.5, 30.25, 2.0]},
        geometry=[shapely.box(121.4 + i / 10, 38.8, 121.45 + i / 10, 38.85) for i in range(3)],
        crs="EPSG:4326")


def _write_gbk_shapefile(folder, ldid: int | None):
    path = folder / "zones.shp"
    pyogrio.write_dataframe(_chinese_frame(), path, encoding="cp936")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if ldid is not None:
        dbf = path.with_suffix(".dbf")
        raw = bytearray(dbf.read_bytes())
        raw[29] = ldid
        dbf.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("ldid", [0x00, 0x4D], ids=["no-language-driver", "cp936-language-driver"])
def test_gbk_shapefile_without_cpg_reads_chinese_correctly(tmp_path, ldid):
    path = _write_gbk_shapefile(tmp_path, ldid)
    assert not path.with_suffix(".cpg").exists()
    # The bytes on disk really are GBK, not UTF-8.
    assert "黄泥川".encode("gbk") in path.with_suffix(".dbf").read_bytes()
    assert detect_dbf_encoding(path) == "cp936"
    [layer] = open_vector_file(path)
    assert layer.frame["名称"].tolist() == NAMES
    assert layer.label_field == "名称"
    assert layer.frame["面积"].tolist() == [1.5, 30.25, 2.0]


def test_utf8_shapefile_with_cpg(tmp_path):
    path = tmp_path / "utf8.shp"
    pyogrio.write_dataframe(_chinese_frame(), path, encoding="UTF-8")
    [layer] = open_vector_file(path)
    assert layer.frame["名称"].tolist() == NAMES


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_geojson_and_geopackage_open_with_crs(tmp_path, suffix):
    path = tmp_path / f"zones{suffix}"
    _chinese_frame().to_crs("EPSG:32651").to_file(path)
    [layer] = open_vector_file(path)
    assert len(layer) == 3
    assert layer.crs in ("EPSG:32651",) or "32651" in layer.crs or "UTM zone 51N" in layer.frame.crs.name
    assert layer.geometry_family == "polygon"


def test_multi_layer_geopackage_opens_every_layer(tmp_path):
    path = tmp_path / "multi.gpkg"
    frame = _chinese_frame()
    frame.to_file(path, layer="zones")
    frame.set_geometry(frame.representative_point()).to_file(path, layer="points")
    layers = open_vector_file(path)
    assert sorted(layer.title_en for layer in layers) == ["points", "zones"]


@pytest.mark.parametrize("name, content, message", [
    ("missing.geojson", None, "does not exist"),
    ("notes.txt", b"hello", "unsupported file type"),
    ("broken.geojson", b'{"type": "FeatureCollection", "features": [', "the file ends early (truncated?)"),
    ("random.gpkg", b"\x00garbage" * 100, "not a GeoPackage"),
    ("empty.geojson", b"", "the file is empty"),
])
def test_bad_files_raise_a_message_naming_file_and_problem(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GisIOError) as info:
        open_vector_file(path)
    assert name in str(info.value)
    assert message in str(info.value)


def test_shapefile_without_dbf_opens_with_geometry_only_and_a_warning(tmp_path):
    path = _write_gbk_shapefile(tmp_path, None)
    path.with_suffix(".dbf").unlink()
    [layer] = open_vector_file(path)
    assert len(layer) == 3 and layer.attribute_columns() == []
    assert [w.code for w in layer.load_report.warnings] == ["no_dbf"]
    assert "no .dbf" in layer.load_report.warnings[0].message


# --- the hostile corpus (tests/broken_files.py): every class of broken file --------------------
@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_broken_file_is_refused_with_its_reason_or_loads_what_is_good(tmp_path, case):
    path = case.make(tmp_path)
    if case.refused:
        with pytest.raises(GisIOError) as info:
            open_vector_file(path)
        assert case.refused in str(info.value)
        assert str(info.value).startswith(info.value.path.name + ": ")
        return
    layers = open_vector_file(path)
    report = layers[0].load_report
    assert len(layers) == case.layers
    assert sum(len(layer) for layer in layers) == case.features
    assert [(r.number, r.code) for r in report.rejected] == list(case.rejected)
    assert set(case.warnings) <= {w.code for w in report.warnings}
    if case.crs:
        assert (report.crs, report.crs_how) == (case.crs, case.crs_how)
    for layer in layers:  # what reaches the model: finite coordinates, a finite extent
        coords = shapely.get_coordinates(layer.frame.geometry.array)
        assert np.isfinite(coords).all()
        assert layer.bounds_in("EPSG:3857") is None or np.isfinite(layer.bounds_in("EPSG:3857")).all()
        assert layer.metadata["crs_decision"] == report.crs_how


def test_the_corpus_covers_every_class_with_forty_files():
    assert len(CASES) >= 40
    assert {case.kind for case in CASES} >= {"non-finite", "partial", "crs", "hang", "no-attributes", "encoding"}


def test_non_finite_and_absurd_features_are_rejected_by_number_and_the_rest_load(tmp_path):
    path = tmp_path / "points.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ['
                    '{"type": "Feature", "properties": {"n": 1}, "geometry": {"type": "Point", "coordinates": [121.5, 38.9]}},'
                    '{"type": "Feature", "properties": {"n": 2}, "geometry": {"type": "Point", "coordinates": [NaN, 38.9]}},'
                    '{"type": "Feature", "properties": {"n": 3}, "geometry": {"type": "Point", "coordinates": [1e308, 38.9]}},'
                    '{"type": "Feature", "properties": {"n": 4}, "geometry": {"type": "Point", "coordinates": [121.6, 38.8]}}]}')
    [layer] = open_vector_file(path)
    assert layer.frame["n"].tolist() == [1, 4]
    assert [r.message for r in layer.load_report.rejected] == [
        "feature 2: non-finite coordinate (NaN or infinity)",
        "feature 3: coordinates outside the valid range of EPSG:4326 (x=1e+308, y=38.9)"]
    assert layer.bounds_in("EPSG:4326") == pytest.approx((121.5, 38.8, 121.6, 38.9))


def test_a_far_but_real_place_is_kept_and_named_in_a_warning(tmp_path):
    [layer] = open_vector_file(broken_files._far_point(tmp_path))
    assert len(layer) == 7
    [warning] = [w for w in layer.load_report.warnings if w.code == "far_features"]
    assert warning.message == "1 feature(s) lie far from all the others (7); check them"


def test_a_geopackage_with_one_undecodable_blob_loads_the_others_and_names_it(tmp_path):
    [layer] = open_vector_file(broken_files._undecodable_blob(tmp_path))
    assert layer.frame["name"].tolist() == ["zone 0", "zone 2"]
    [rejected] = layer.load_report.rejected
    assert (rejected.number, rejected.fid, rejected.code) == (2, 2, "undecodable")
    assert rejected.message == "feature 2: the geometry is stored in a form that cannot be decoded"


def test_one_unclosed_ring_costs_only_its_feature(tmp_path):
    [layer] = open_vector_file(broken_files._unclosed_ring(tmp_path))
    assert layer.frame["name"].tolist() == ["a", "c"]
    assert [r.message for r in layer.load_report.rejected] == ["feature 2: a polygon ring is not closed"]


def test_geojson_gdal_cannot_parse_is_read_feature_by_feature(tmp_path):
    [layer] = open_vector_file(broken_files._features_without_type(tmp_path))
    assert len(layer) == 2
    [warning] = layer.load_report.warnings
    assert warning.message == "GDAL could not read the file (Failed to read GeoJSON data); it was read feature by feature"


def test_gbk_geojson_reads_its_chinese_names(tmp_path):
    [layer] = open_vector_file(broken_files._gbk(tmp_path))
    assert layer.frame["name"].tolist() == ["英歌石科学城", "七贤岭"]
    assert layer.load_report.warnings[0].message == "the file is not UTF-8: its text was read as GBK (GB18030)"


def test_a_file_mixing_points_lines_and_polygons_becomes_one_layer_per_type(tmp_path):
    layers = open_vector_file(broken_files._mixed_types(tmp_path))
    assert [(layer.title_en, layer.geometry_family, len(layer)) for layer in layers] == [
        ("mixed_types (polygons)", "polygon", 1), ("mixed_types (lines)", "line", 1),
        ("mixed_types (points)", "point", 1)]
    assert layers[0].title_zh == "mixed_types（面）"


def test_a_shapefile_without_prj_says_it_assumed_wgs84(tmp_path):
    [layer] = open_vector_file(broken_files._no_prj(tmp_path))
    report = layer.load_report
    assert (report.crs, report.crs_how, report.crs_trusted) == ("EPSG:4326", "assumed", False)
    assert [w.message for w in report.warnings] == ["no .prj: assumed WGS 84 (EPSG:4326)"]


def test_gauss_kruger_numbers_without_crs_are_never_drawn_at_longitude_4e7(tmp_path):
    [layer] = open_vector_file(broken_files._gk_geojson(tmp_path))
    assert layer.crs == "EPSG:4529" and layer.load_report.crs_how == "guessed"
    assert layer.load_report.warnings[0].message.startswith(
        "coordinates look like CGCS2000 / 3-degree Gauss-Kruger zone 41 (EPSG:4529); assumed")
    west, south, east, north = layer.bounds_in("EPSG:4326")
    assert 123.4 < west < east < 123.6 and 38.8 < south < north < 38.9  # near Zhuanghe, not at 4e7
    assert layer.frame.geometry.iloc[0].x == 41543210.0  # the coordinates stay as they were


def test_a_prj_that_contradicts_the_numbers_is_overruled_out_loud(tmp_path):
    [layer] = open_vector_file(broken_files._gk_wrong_prj(tmp_path))
    first = layer.load_report.warnings[0].message
    assert first.startswith("the file says EPSG:4326, but the coordinates (e.g. 4137") and "are not degrees" in first
    assert layer.crs == "EPSG:4529"


def test_plain_eastings_name_the_other_crs_that_fits(tmp_path):
    [layer] = open_vector_file(broken_files._utm51(tmp_path))
    [warning] = layer.load_report.warnings
    assert warning.params["alternatives"] == "EPSG:4550"
    assert "WGS 84 / UTM zone 51N (EPSG:32651); assumed, but EPSG:4550 fit as well" in warning.message


def test_projected_numbers_no_guess_places_in_china_are_refused(tmp_path):
    with pytest.raises(GisIOError) as info:
        open_vector_file(broken_files._europe_laea_no_prj(tmp_path))
    assert "the coordinates (e.g. 4" in str(info.value) and "name the CRS in the file" in str(info.value)


@pytest.mark.parametrize("make", [broken_files._no_properties, broken_files._geometry_only_gpkg, broken_files._no_dbf],
                         ids=["geojson", "geopackage", "shapefile-without-dbf"])
def test_a_layer_without_attribute_columns_loads_and_saves(tmp_path, make):
    from gisapp.core.model.project import Project
    from gisapp.io.project_gpkg import load_project, save_project

    [layer] = open_vector_file(make(tmp_path))
    assert layer.attribute_columns() == [] and len(layer) == 3 and layer.label_field == ""
    project = Project(title_zh="t", title_en="t")
    project.add_layer(layer)
    save_project(project, tmp_path / "saved.gpkg")
    [again] = load_project(tmp_path / "saved.gpkg").layers
    assert again.attribute_columns() == [] and len(again) == 3


def test_a_project_layer_with_a_damaged_blob_loads_the_rest_and_reports_it(tmp_path):
    from gisapp.io.catalogue import load_catalogue
    from gisapp.io.project_gpkg import load_project, save_project
    from gisapp.io.session import layer_warnings

    path = tmp_path / "plan.gpkg"
    save_project(load_catalogue(), path)
    with sqlite3.connect(path) as con:
        for trigger, in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            con.execute(f'DROP TRIGGER "{trigger}"')  # the R-tree triggers need SpatiaLite
        con.execute("UPDATE hitech_clusters SET geom = x'4750000100000000deadbeef' WHERE fid = 3")
    project = load_project(path)
    layer = project.layer("hitech_clusters")
    assert len(layer) == 7
    assert [(r.number, r.code) for r in layer.load_report.rejected] == [(3, "undecodable")]
    [line] = layer_warnings(project)
    assert "layer hitech_clusters: 1 of 8 features were rejected" in line


@pytest.mark.parametrize("kind", ["fifo", "loop", "folder"])
def test_a_project_path_that_is_no_regular_file_is_refused_before_sqlite_opens_it(tmp_path, kind):
    from gisapp.io.project_gpkg import is_project_file, load_project

    path = tmp_path / "plan.gpkg"
    {"fifo": lambda: os.mkfifo(path), "loop": lambda: path.symlink_to(path.name), "folder": path.mkdir}[kind]()
    assert not is_project_file(path)
    with pytest.raises(GisIOError, match="plan.gpkg: "):
        load_project(path)


def test_layer_with_crs_declares_a_new_crs_and_keeps_the_coordinates(tmp_path):
    from gisapp.io.vector import layer_with_crs

    [layer] = open_vector_file(broken_files._gk_shapefile_no_prj(tmp_path))
    before = shapely.get_coordinates(layer.frame.geometry.array)
    frame = layer_with_crs(layer, "EPSG:4528")
    assert frame.crs.to_string() == "EPSG:4528"
    assert np.array_equal(shapely.get_coordinates(frame.geometry.array), before)
    with pytest.raises(ValueError, match="outside the valid range of EPSG:4326"):
        layer_with_crs(layer, "EPSG:4326")
    with pytest.raises(ValueError, match="unknown CRS"):
        layer_with_crs(layer, "EPSG:999999")


def test_a_truncated_dbf_is_said_out_loud(tmp_path):
    import geopandas as gpd
    import shapely

    from gisapp.io.vector import open_vector_file

    path = tmp_path / "cut.shp"
    gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[shapely.box(121.5, 38.9, 121.51, 38.91)] * 2,
                     crs="EPSG:4326").to_file(path, engine="pyogrio")
    dbf = path.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes()[:20])
    [layer] = open_vector_file(path)
    assert any(w.code == "truncated" and ".dbf" in w.message for w in layer.load_report.warnings)
