"""Shapefile and GeoJSON exports with Chinese field names, dates and booleans: QGIS 3.22 and
gisapp open them and see the same field names, types and values."""

import datetime

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gisapp.core.model.layer import VectorLayer
from gisapp.io.export_layer import export_layer
from gisapp.io.vector import open_vector_file
from tests.io.qgis.conftest import run_pyqgis

QGIS_READS_EXPORTS = """
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant
def plain(value):
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd")
    if isinstance(value, QDateTime):
        return value.toString("yyyy-MM-ddTHH:mm:ss")
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value
for name, path in args["files"].items():
    layer = QgsVectorLayer(path, name, "ogr")
    assert layer.isValid(), path
    result[name] = {"name": layer.dataProvider().subLayers()[0].split(QgsDataProvider.sublayerSeparator())[1]
                            if layer.dataProvider().subLayers() else "",
                    "fields": [[f.name(), f.typeName(), QVariant.typeToName(f.type())] for f in layer.fields()],
                    "values": [[plain(v) for v in feature.attributes()] for feature in layer.getFeatures()]}
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    frame = gpd.GeoDataFrame({
        "地块编号": ["A-01", "A-02"],
        "地块编码": ["x", "y"],  # cut to the same 9 bytes as 地块编号: made unique
        "用地面积": [1.5, 2.25],
        "批准日期": pd.to_datetime(["2021-05-01", "2023-11-30"]),  # a GeoPackage Date as gisapp reads it
        "更新时间": pd.to_datetime(["2021-05-01 08:30:00", "2023-11-30 17:05:10"]),
        "已审批": [True, False],
        "层数": pd.array([12, None], dtype="Int64"),
    }, geometry=[shapely.box(121.5, 38.8, 121.6, 38.9), shapely.box(121.6, 38.8, 121.7, 38.9)], crs="EPSG:4326")
    layer = VectorLayer(id="plots", title_zh="规划地块", title_en="Planned plots", frame=frame)
    files = {"shp": folder / "plots.shp", "geojson": folder / "plots.geojson"}
    warnings = {kind: export_layer(layer, path, "zh") for kind, path in files.items()}
    qgis = run_pyqgis(QGIS_READS_EXPORTS, folder, files={k: str(v) for k, v in files.items()})
    return files, warnings, qgis


def test_shapefile_names_are_cut_to_ten_bytes_on_characters_and_reported(exported):
    files, warnings, qgis = exported
    names = [name for name, _type, _variant in qgis["shp"]["fields"]]
    assert names == ["地块编", "地块_1", "用地面", "批准日", "更新时", "已审批", "层数"]
    assert all(len(name.encode("utf-8")) <= 10 for name in names)
    assert "字段 地块编号 在 Shapefile 中名为 地块编（字段名最多 10 个字节）" in warnings["shp"]
    assert "字段 地块编码 在 Shapefile 中名为 地块_1（字段名最多 10 个字节）" in warnings["shp"]
    assert any("更新时间" in w and "文本" in w for w in warnings["shp"])
    assert warnings["geojson"] == []


def test_qgis_sees_dates_booleans_and_integers_in_the_shapefile(exported):
    _, warnings, qgis = exported
    types = {name: variant for name, _type, variant in qgis["shp"]["fields"]}
    assert types["批准日"] == "QDate" and types["层数"] in ("int", "qlonglong")
    assert types["用地面"] == "double" and types["更新时"] == "QString"
    # A DBF logical: QGIS 3.22's GDAL (3.6) reads it as text; said in the export's warnings.
    assert types["已审批"] == "QString"
    assert any("已审批" in w and "QGIS 3.22 读作文本" in w for w in warnings["shp"])
    assert qgis["shp"]["values"] == [
        ["A-01", "x", 1.5, "2021-05-01", "2021-05-01T08:30:00", "T", 12],
        ["A-02", "y", 2.25, "2023-11-30", "2023-11-30T17:05:10", "F", None]]


def test_qgis_sees_the_geojson_title_names_and_types(exported):
    files, _, qgis = exported
    assert '"name": "规划地块"' in files["geojson"].read_text(encoding="utf-8")
    fields = {name: variant for name, _type, variant in qgis["geojson"]["fields"]}
    assert list(fields) == ["地块编号", "地块编码", "用地面积", "批准日期", "更新时间", "已审批", "层数"]
    assert fields["批准日期"] == "QDate" and fields["更新时间"] == "QDateTime" and fields["已审批"] == "bool"
    assert qgis["geojson"]["values"][0] == ["A-01", "x", 1.5, "2021-05-01", "2021-05-01T08:30:00", True, 12]
    assert qgis["geojson"]["values"][1][-1] is None


@pytest.mark.parametrize("kind", ["shp", "geojson"])
def test_gisapp_reopens_its_exports_with_the_names_and_values_qgis_sees(exported, kind):
    files, _, qgis = exported
    (layer,) = open_vector_file(files[kind])
    columns = [c for c in layer.frame.columns if c != layer.frame.geometry.name]
    assert columns == [name for name, _type, _variant in qgis[kind]["fields"]]
    frame = layer.frame
    date_column, flag_column = columns[3], columns[5]
    assert frame[date_column].tolist() == [pd.Timestamp("2021-05-01"), pd.Timestamp("2023-11-30")]
    assert frame[flag_column].tolist() == [True, False]
    assert frame[columns[0]].tolist() == ["A-01", "A-02"]
    count = frame[columns[6]]
    assert count.iloc[0] == 12 and pd.isna(count.iloc[1])
    if kind == "geojson":
        assert layer.title_zh == "plots"  # the file's name, as QGIS names the layer
        assert frame[columns[4]].iloc[0] == pd.Timestamp(datetime.datetime(2021, 5, 1, 8, 30))
