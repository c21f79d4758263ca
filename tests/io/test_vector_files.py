"""Opening files users bring: formats, GBK shapefiles, and clear errors for bad input."""

import geopandas as gpd
import pyogrio
import pytest
import shapely

from gisapp.io.errors import GisIOError
from gisapp.io.vector import detect_dbf_encoding, open_vector_file

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
