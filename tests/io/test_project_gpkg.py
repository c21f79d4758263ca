"""Saving and reopening whole projects as one GeoPackage, atomically."""

import sqlite3

import geopandas as gpd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import CategorizedStyle, SingleStyle, Symbol
from gisapp.core.plan.indicators import Category, Indicator, IndicatorCatalog, IndicatorLink
from gisapp.io import project_gpkg
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import load_project, save_project


def small_project() -> Project:
    zones = gpd.GeoDataFrame(
        {"id": ["z.a", "z.b"], "name_zh": ["甲区", "乙区"], "name_en": ["A", "B"], "kind": ["core", "cluster"],
         "score": [1.5, 2.0]},
        geometry=[shapely.box(121.4, 38.8, 121.5, 38.9),
                  shapely.MultiPolygon([shapely.box(121.6, 38.8, 121.7, 38.9)])], crs="EPSG:4326")
    points = gpd.GeoDataFrame({"id": ["p.1"], "name_zh": ["点"], "name_en": ["P"]},
                              geometry=[shapely.Point(121.45, 38.85)], crs="EPSG:4326")
    style = CategorizedStyle.from_dict({"type": "categorized", "field": "kind", "categories": [
        {"value": "core", "label_zh": "核心", "label_en": "Core", "symbol": {"fill": "#aa00aa"}}]})
    catalog = IndicatorCatalog(
        categories=[Category("innovation", "科技创新", "S&T innovation")],
        indicators=[Indicator(id="i.1", category="innovation", name_zh="有效发明专利", name_en="Patents",
                              unit="件", baseline_year=2020, baseline_value="6726", target_year=2025,
                              target_value="10000", nature="expected", source="表2")],
        links=[IndicatorLink("z.a", "i.1", "carries", "")])
    return Project(title_zh="测试", title_en="Test",
                   groups=[LayerGroup("plan", "规划", "Plan"), LayerGroup("base", "底图", "Base")],
                   layers=[VectorLayer("points", "点", "Points", points, group="plan", label_field="name"),
                           VectorLayer("zones", "区", "Zones", zones, style=style, group="plan", opacity=0.7),
                           VectorLayer("hidden", "隐", "Hidden", zones.iloc[:1], group="base", visible=False,
                                       style=SingleStyle(Symbol(fill="#000000")))],
                   indicators=catalog, attribution="© OpenStreetMap contributors")


def assert_projects_equal(a: Project, b: Project) -> None:
    assert (a.title_zh, a.title_en, a.attribution, a.canvas_crs) == (b.title_zh, b.title_en, b.attribution, b.canvas_crs)
    assert [vars(g) for g in a.groups] == [vars(g) for g in b.groups]
    assert [layer.id for layer in a.layers] == [layer.id for layer in b.layers]
    for left, right in zip(a.layers, b.layers, strict=True):
        assert (left.title_zh, left.title_en, left.group, left.visible, left.opacity, left.label_field) == \
               (right.title_zh, right.title_en, right.group, right.visible, right.opacity, right.label_field)
        assert left.style.to_dict() == right.style.to_dict()
        assert_geodataframe_equal(left.frame, right.frame, check_dtype=False, check_less_precise=False)
    assert a.indicators.to_json_dict() == b.indicators.to_json_dict()
    assert [vars(x) for x in a.indicators.links] == [vars(x) for x in b.indicators.links]


def test_project_round_trip_is_identical(tmp_path):
    project = small_project()
    path = tmp_path / "plan.gpkg"
    save_project(project, path)
    reopened = load_project(path)
    assert_projects_equal(project, reopened)
    assert not reopened.modified
    # Single and multi polygons keep their own types.
    assert reopened.layer("zones").frame.geom_type.tolist() == ["Polygon", "MultiPolygon"]


def test_project_file_is_a_standard_geopackage(tmp_path):
    path = tmp_path / "plan.gpkg"
    save_project(small_project(), path)
    with sqlite3.connect(path) as db:
        contents = dict(db.execute("select table_name, data_type from gpkg_contents").fetchall())
    assert contents["zones"] == "features" and contents["points"] == "features"
    assert contents["gisapp_project"] == "attributes"


def test_bundled_project_round_trip(tmp_path, bundled_project):
    path = tmp_path / "dalian.gpkg"
    save_project(bundled_project, path)
    assert_projects_equal(bundled_project, load_project(path))


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.gpkg"
    project = small_project()
    save_project(project, path)
    before = path.read_bytes()
    real_write = pyogrio.write_dataframe
    calls = {"n": 0}

    def failing_write(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(project_gpkg.pyogrio, "write_dataframe", failing_write)
    zones = project.layer("zones")
    zones.set_frame(zones.frame.assign(name_en=["changed", *zones.frame["name_en"].iloc[1:]]))
    with pytest.raises(GisIOError, match="disk full"):
        save_project(project, path)
    assert path.read_bytes() == before
    assert load_project(path).layer("zones").frame["name_en"].tolist() == ["A", "B"]
    assert [p.name for p in tmp_path.iterdir()] == ["plan.gpkg"]  # no temporary files left


def test_save_requires_gpkg_extension(tmp_path):
    with pytest.raises(GisIOError, match=".gpkg"):
        save_project(small_project(), tmp_path / "plan.shp")


def test_damaged_project_file_is_reported(tmp_path):
    path = tmp_path / "plan.gpkg"
    save_project(small_project(), path)
    with sqlite3.connect(path) as db:
        db.execute("update gisapp_project set value = '{not json' where key = 'layers'")
    with pytest.raises(GisIOError, match="damaged"):
        load_project(path)


def test_plain_geopackage_opens_as_a_project(tmp_path):
    path = tmp_path / "plain.gpkg"
    small_project().layer("zones").frame.to_file(path, layer="zones")
    project = load_project(path)
    assert [layer.title_en for layer in project.layers] == ["zones"]
