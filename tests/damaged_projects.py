"""Real project GeoPackages written by gisapp, then damaged with sqlite3 as a hand edit or a
broken tool would: shared by the io, window and command-line tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import shapely

from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import LayerGroup, Project
from gisapp.core.model.style import CategorizedStyle
from gisapp.core.plan.actuals import Actual
from gisapp.core.plan.indicators import Category, Indicator, IndicatorCatalog, IndicatorLink
from gisapp.io.project_gpkg import save_project


def small_project() -> Project:
    zones = gpd.GeoDataFrame(
        {"id": ["z.a", "z.b"], "name_zh": ["甲区", "乙区"], "name_en": ["A", "B"], "kind": ["core", "cluster"]},
        geometry=[shapely.box(121.4, 38.8, 121.5, 38.9), shapely.box(121.6, 38.8, 121.7, 38.9)],
        crs="EPSG:4326")
    points = gpd.GeoDataFrame({"id": ["p.1"], "name_en": ["P"]}, geometry=[shapely.Point(121.45, 38.85)],
                              crs="EPSG:4326")
    style = CategorizedStyle.from_dict({"type": "categorized", "field": "kind", "categories": [
        {"value": "core", "label_zh": "核心", "label_en": "Core", "symbol": {"fill": "#aa00aa"}}]})
    catalog = IndicatorCatalog(
        categories=[Category("innovation", "科技创新", "S&T innovation")],
        indicators=[Indicator(id="i.1", category="innovation", name_zh="有效发明专利", name_en="Patents",
                              baseline_year=2020, baseline_value="6726", target_year=2025,
                              target_value="10000", nature="expected")],
        links=[IndicatorLink("z.a", "i.1", "carries", "")])
    project = Project(title_zh="测试", title_en="Test",
                      groups=[LayerGroup("plan", "规划", "Plan")],
                      layers=[VectorLayer("points", "点", "Points", points, group="plan"),
                              VectorLayer("zones", "区", "Zones", zones, style=style, group="plan", opacity=0.7)],
                      indicators=catalog)
    project.indicators.actuals.replace_all([Actual("i.1", 2021, 7000.0)])
    return project


def saved_project(folder: Path, name: str = "plan.gpkg") -> Path:
    path = Path(folder) / name
    save_project(small_project(), path)
    return path


def read_meta(path: Path) -> dict:
    with sqlite3.connect(path) as db:
        return {key: json.loads(value) for key, value in db.execute("select key, value from gisapp_project")}


def set_meta(path: Path, key: str, value) -> None:
    """Store ``value`` (any JSON, or a raw string when ``value`` is RawJson) under ``key``."""
    text = value.text if isinstance(value, RawJson) else json.dumps(value, ensure_ascii=False)
    with sqlite3.connect(path) as db:
        if db.execute("update gisapp_project set value = ? where key = ?", (text, key)).rowcount == 0:
            db.execute("insert into gisapp_project (key, value) values (?, ?)", (key, text))


def delete_meta(path: Path, key: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute("delete from gisapp_project where key = ?", (key,))


class RawJson:
    def __init__(self, text: str) -> None:
        self.text = text


def _layers(path, change):
    layers = read_meta(path)["layers"]
    change(layers)
    set_meta(path, "layers", layers)


def _project(path, change):
    info = read_meta(path)["project"]
    change(info)
    set_meta(path, "project", info)


# name -> (damage(path), text the error must contain)
DAMAGES = {
    "invalid map CRS": (lambda p: _project(p, lambda i: i.update(canvas_crs="EPSG:999999")),
                        "damaged project metadata: project.canvas_crs: expected a map CRS such as EPSG:3857, "
                        "got 'EPSG:999999'"),
    "geocentric map CRS": (lambda p: _project(p, lambda i: i.update(canvas_crs="EPSG:4978")),
                           "project.canvas_crs: expected a map CRS such as EPSG:3857, got 'EPSG:4978' "
                           "(not a 2-D map CRS)"),
    "opacity as text": (lambda p: _layers(p, lambda ls: ls[1].update(opacity="abc")),
                        "damaged project metadata: layers[1].opacity: expected a number from 0 to 1, got 'abc'"),
    "opacity out of range": (lambda p: _layers(p, lambda ls: ls[0].update(opacity=7)),
                             "layers[0].opacity: expected a number from 0 to 1, got 7"),
    "opacity NaN": (lambda p: set_meta(p, "layers", RawJson(json.dumps(read_meta(p)["layers"]).replace(
                        '"opacity": 0.7', '"opacity": NaN'))),
                    "layers[1].opacity: expected a number from 0 to 1, got nan"),
    "visible as text": (lambda p: _layers(p, lambda ls: ls[0].update(visible="yes")),
                        "layers[0].visible: expected true or false, got 'yes'"),
    "list where an object belongs": (lambda p: set_meta(p, "project", ["Test"]),
                                     "damaged project metadata: project: expected an object, got ['Test']"),
    "layers as an object": (lambda p: set_meta(p, "layers", {"points": {}}),
                            "damaged project metadata: layers: expected a list"),
    "layer entry as a list": (lambda p: _layers(p, lambda ls: ls.__setitem__(0, ["points"])),
                              "layers[0]: expected an object, got ['points']"),
    "indicators as a string": (lambda p: set_meta(p, "indicators", "abc"),
                               "damaged project metadata: indicators: expected an object, got 'abc'"),
    "indicator year as text": (
        lambda p: set_meta(p, "indicators", {**read_meta(p)["indicators"], "indicators": [
            {**read_meta(p)["indicators"]["indicators"][0], "baseline_year": "2020"}]}),
        "indicators.indicators[0].baseline_year: expected a whole number or null, got '2020'"),
    "missing layer key": (lambda p: _layers(p, lambda ls: ls[0].pop("table")),
                          "damaged project metadata: layers[0].table: required key is missing"),
    "missing project key": (lambda p: delete_meta(p, "project"),
                            "damaged project metadata: project: required key is missing"),
    "group without title": (lambda p: set_meta(p, "groups", [{"id": "plan"}]),
                            "groups[0].title_zh: required key is missing (and 1 more problem)"),
    "bad colour": (lambda p: _layers(p, lambda ls: ls[1]["style"]["categories"][0]["symbol"].update(fill="purple!")),
                   "layers[1].style.categories[0].symbol.fill: expected a colour like #3182bd, got 'purple!'"),
    "bad stroke width": (lambda p: _layers(p, lambda ls: ls[0]["style"]["symbol"].update(stroke_width=1e300)),
                         "layers[0].style.symbol.stroke_width: expected a number from 0 to 100, got 1e+300"),
    "unknown style type": (lambda p: _layers(p, lambda ls: ls[0]["style"].update(type="heatmap")),
                           "layers[0].style.type: expected one of single, categorized, graduated, got 'heatmap'"),
    "table that is not there": (lambda p: _layers(p, lambda ls: ls[0].update(table="gone")),
                                "damaged project metadata: layers[0].table: no table 'gone' in the file"),
    "table that holds no layer": (lambda p: _layers(p, lambda ls: ls[0].update(table="gisapp_indicator_links")),
                                  "layers[0].table: 'gisapp_indicator_links' is not a layer table"),
    "same layer id twice": (lambda p: _layers(p, lambda ls: ls[1].update(id="points")),
                            "damaged project metadata: layers[1].id: 'points' is used twice"),
    "not JSON": (lambda p: set_meta(p, "layers", RawJson("{not json")),
                 "damaged project metadata: layers: not valid JSON"),
    "metadata value NULL": (lambda p: _null_value(p, "groups"),
                            "damaged project metadata: groups: expected JSON text, got an empty value"),
    "actual year not whole": (lambda p: _sql(p, "update gisapp_indicator_actuals set year = 2021.9"),
                              "damaged monitoring values: row 1: year: expected a year, got 2021.9"),
    "actual value infinite": (lambda p: _sql(p, "update gisapp_indicator_actuals set value = 1e999"),
                              "row 1: value: expected a finite number or empty, got 9.0e+999"),
    "actual value text": (lambda p: _sql(p, "update gisapp_indicator_actuals set value = 'lots'"),
                          "damaged monitoring values: row 1: value: expected a finite number or empty, got 'lots'"),
}


def _null_value(path, key):
    _sql(path, f"update gisapp_project set value = NULL where key = '{key}'")


def _sql(path, statement):
    with sqlite3.connect(path) as db:
        db.execute(statement)


def damaged_project(folder: Path, case: str) -> Path:
    path = saved_project(folder, f"{case.replace(' ', '_')}.gpkg")
    DAMAGES[case][0](path)
    return path
