"""The web map with names that look like HTML and features it cannot place.

Layer, group, field and indicator names go into the page as data and are shown as text;
features whose coordinates are no longitudes and latitudes are left out with a warning,
never an exception or a NaN in the page's JSON.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import shapely

from gisapp.core.model.layer import VectorLayer
from gisapp.export.web.webdata import SkippedFeaturesWarning, drawable_lonlat, skipped_features
from gisapp.export.web.webmap import WebMapOptions, build_html, export_web_map

NAN, INF = float("nan"), float("inf")


def hostile_names(project, markup: str) -> None:
    zones = project.layer("zones")
    zones.title_en = zones.title_zh = markup
    project.group("plan").title_en = project.group("plan").title_zh = markup
    zones.frame = zones.frame.rename(columns={"kind": markup})
    indicator = project.indicators.get("ind.rd")
    indicator.name_en = indicator.name_zh = markup


def data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="gisapp-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_names_that_look_like_html_stay_data(small_project, xss_name):
    hostile_names(small_project, xss_name)
    page = build_html(small_project, WebMapOptions(lang="en"))
    assert xss_name not in page and "<img src=x" not in page
    data = data_block(page)
    zones = next(layer for layer in data["layers"] if layer["id"] == "zones")
    assert zones["title"] == xss_name and xss_name in zones["columns"]
    assert xss_name in [group["title"] for group in data["groups"]]
    assert xss_name in [indicator["name"] for indicator in data["indicators"]]


@pytest.mark.browser
def test_names_that_look_like_html_show_as_text_in_the_browser(small_project, xss_name, tmp_path, open_map):
    hostile_names(small_project, xss_name)
    opened = open_map(export_web_map(small_project, tmp_path / "map.html", WebMapOptions(lang="en")))
    titles = opened.eval("[...document.querySelectorAll('.gis-layer-title, .gis-group-title')]"
                         ".map(node => node.textContent)")
    assert xss_name in titles and titles.count(xss_name) == 2  # the group and the layer
    assert opened.eval("document.querySelectorAll('.gis-layertree img').length") == 0
    assert opened.eval("window.__xss") is None


def test_drawable_lonlat():
    geoms = np.array([shapely.Point(121.5, 38.9), shapely.Point(NAN, 1), shapely.Point(INF, 1),
                      shapely.LineString([(121, 38), (NAN, 39), (122, 38)]),
                      shapely.Polygon([(121, 38), (1e308, 38), (121, 39)]),
                      shapely.Point(41_543_210, 4_301_234), shapely.Point(121, 91),
                      shapely.MultiPoint([(121, 38), (NAN, 1)]), shapely.box(-181, -89, 181, 89)], dtype=object)
    assert drawable_lonlat(geoms).tolist() == [True, False, False, False, False, False, False, False, True]


def test_features_the_page_cannot_place_are_left_out_with_a_warning(small_project, tmp_path):
    zones = small_project.layer("zones")
    frame = zones.frame.copy()
    frame.loc[1, "geometry"] = shapely.Polygon([(121.5, 38.84), (INF, 38.84), (121.5, 38.89)])
    frame.loc[2, "geometry"] = shapely.Polygon([(121.58, 38.84), (NAN, 38.84), (121.64, 38.89), (121.58, 38.89)])
    zones.set_frame(frame)
    small_project.add_layer(VectorLayer("far", "远", "Far", small_project.layer("sites").frame.assign(
        geometry=[shapely.Point(41_543_210, 4_301_234), shapely.Point(121.51, 38.9)]), group="plan"))
    with skipped_features() as skipped:
        path = export_web_map(small_project, tmp_path / "map.html", WebMapOptions(lang="en"))
    found = {item.layer_id: item for item in skipped}
    assert {layer_id: item.rows for layer_id, item in found.items()} == {"far": [0], "zones": [1, 2]}
    assert all(isinstance(item, SkippedFeaturesWarning) for item in skipped)
    assert "Zones: 2 feature(s) left out of the web map" in str(found["zones"])
    assert "(feature 2, 3)" in str(found["zones"])
    data = data_block(path.read_text(encoding="utf-8"))
    placed = next(layer for layer in data["layers"] if layer["id"] == "zones")
    assert placed["n"] == 1 and all(math.isfinite(v) for v in placed["bounds"])
    assert all(-180 <= v <= 180 for v in data["bounds"])
