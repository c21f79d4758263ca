"""Unit tests of the web-map layer encoding (no browser, no Qt)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from gisapp.core.geo.geodesy import geodesic_area_m2, geodesic_length_m
from gisapp.core.model.style import Symbol
from gisapp.export.web.webdata import (
    EncodeSettings,
    IndicatorIndex,
    encode_geometries,
    encode_layer,
    feature_names,
    geodesic_measures,
    indicator_json,
    precision_for_tolerance,
    quantise,
    simplify_lonlat,
    symbol_json,
)


def decode(encoded: dict, precision: int) -> list:
    """The page script's decoder, in Python: ragged arrays back to shapely geometries."""
    flat = np.asarray(encoded["c"], dtype=np.int64).reshape(-1, 2)
    coords = np.cumsum(flat, axis=0) / 10.0 ** precision
    kind = shapely.GeometryType(encoded["t"])
    offsets = tuple(np.asarray(o) for o in encoded["o"])
    if encoded.get("open"):  # close the rings again
        starts = offsets[0][:-1]
        coords = np.insert(coords, offsets[0][1:], coords[starts], axis=0)
        offsets = (offsets[0] + np.arange(len(offsets[0])), *offsets[1:])
    return list(shapely.from_ragged_array(kind, coords, offsets or None))


@pytest.mark.parametrize("geoms", [
    [box(121.5, 38.9, 121.6, 39.0), box(121.7, 38.9, 121.8, 39.0)],
    [MultiPolygon([box(121.5, 38.9, 121.6, 39.0), box(121.7, 38.9, 121.8, 39.0)]),
     Polygon(box(0, 0, 2, 2).exterior.coords, [box(0.5, 0.5, 1, 1).exterior.coords])],
    [LineString([(121.5, 38.9), (121.6, 38.95), (121.7, 38.9)])],
    [Point(121.5, 38.9), Point(121.123456789, 38.987654321)],
])
def test_ragged_encoding_round_trips_within_the_precision(geoms):
    geoms = np.array(geoms, dtype=object)
    encoded = encode_geometries(geoms, 6)
    decoded = decode(encoded, 6)
    assert len(decoded) == len(geoms)
    for original, back in zip(geoms, decoded, strict=True):
        assert shapely.equals_exact(original, back, tolerance=1e-6 + 1e-12) or \
            shapely.hausdorff_distance(original, back) <= 1e-6


def test_mixed_geometry_families_fall_back_to_geojson():
    encoded = encode_geometries(np.array([Point(1, 2), box(0, 0, 1, 1)], dtype=object), 6)
    assert encoded["t"] == -1 and len(encoded["g"]) == 2


def test_delta_encoding_keeps_numbers_small():
    coords = np.array([[121.523456, 38.912345], [121.523466, 38.912340]])
    assert quantise(coords, 6) == [121523456, 38912345, 10, -5]


def test_precision_follows_the_tolerance():
    assert precision_for_tolerance(0) == 7
    assert precision_for_tolerance(1.0) == 6
    assert precision_for_tolerance(10.0) == 5
    assert precision_for_tolerance(1000.0) == 5  # never coarser than ~1 m


def test_simplification_tolerance_is_in_metres():
    # A 2 km line with a 3 m bump in the middle (at 39°N).
    line = LineString([(121.5, 39.0), (121.5116, 39.0 + 3 / 111_320), (121.5232, 39.0)])
    kept = simplify_lonlat(np.array([line], dtype=object), 1.0)[0]
    flattened = simplify_lonlat(np.array([line], dtype=object), 5.0)[0]
    assert len(kept.coords) == 3
    assert len(flattened.coords) == 2


def test_feature_names_match_the_layer_labels(small_project):
    for lang in ("zh", "en"):
        for layer in small_project.layers:
            names = feature_names(layer, lang)
            assert names.tolist() == [layer.feature_label(row, lang) for row in range(len(layer))]


def test_feature_names_match_on_the_bundled_project(bundled):
    for layer in bundled.layers:
        for lang in ("zh", "en"):
            assert feature_names(layer, lang).tolist() == [layer.feature_label(r, lang) for r in range(len(layer))]


def test_geodesic_measures_agree_with_the_desktop_ones():
    polygon = box(121.5, 38.9, 121.6, 39.0)
    line = LineString([(121.5, 38.9), (121.6, 39.0), (121.7, 39.0)])
    poly_measures = geodesic_measures(np.array([polygon], dtype=object), "polygon")
    line_measures = geodesic_measures(np.array([line], dtype=object), "line")
    assert poly_measures["area_m2"][0] == pytest.approx(geodesic_area_m2(polygon), rel=1e-4)
    assert poly_measures["length_m"][0] == pytest.approx(geodesic_length_m(polygon), rel=1e-6)
    assert line_measures["length_m"][0] == pytest.approx(geodesic_length_m(line), rel=1e-9)


def test_indicator_progress_comes_from_monitoring(small_project):
    catalog = small_project.indicators
    rd = indicator_json(catalog.get("ind.rd"), catalog, "zh")
    # the plan's own actual (5.0 in 2023) on the straight line from 4.0 (2020) to 6.0 (2025)
    assert rd["progress"]["value"] == "5.0" and rd["progress"]["year"] == 2023
    assert rd["progress"]["share"] == pytest.approx(0.5)
    assert rd["progress"]["expectedShare"] == pytest.approx(0.6)
    assert rd["progress"]["status"] == "behind" and rd["progress"]["statusLabel"] == "滞后"
    assert rd["progress"]["reason"]
    # a monitored value entered on the desktop replaces the plan's
    catalog.actuals.set_value("ind.rd", 2024, 6.1)
    rd = indicator_json(catalog.get("ind.rd"), catalog, "en")
    assert (rd["progress"]["value"], rd["progress"]["year"], rd["progress"]["status"]) == ("6.1", 2024, "achieved")
    firms = indicator_json(catalog.get("ind.firms"), catalog, "en")
    assert firms["progress"]["status"] == "no_data" and "share" not in firms["progress"]


def test_features_with_their_own_values_get_their_own_progress(small_project):
    catalog = small_project.indicators
    catalog.actuals.set_value("ind.rd", 2023, 5.5, feature_id="t.zone.north")
    catalog.actuals.set_value("ind.rd", 2023, 4.5, feature_id="t.zone.south")  # not linked
    index = IndicatorIndex(catalog, "en")
    links = index.links_for(np.array(["t.zone.north", "t.zone.south", "t.zone.xss"], dtype=object))
    north_rd = links["0"][0]
    assert north_rd[:2] == [0, "carries"] and north_rd[2]["value"] == "5.5"
    assert north_rd[2]["share"] == pytest.approx(0.75)
    assert len(links["0"][1]) == 2  # ind.firms: no values of the zone's own
    assert links["1"] == [[0, "monitored", links["1"][0][2]]] and links["1"][0][2]["value"] == "4.5"
    assert len(links["2"][0]) == 2


def test_symbols_follow_the_desktop_pen():
    dashed = symbol_json(Symbol(stroke="#123456", stroke_width=2, stroke_style="dash"), "polygon")
    assert dashed["color"] == "#123456" and dashed["dashArray"] == "8 4"
    assert symbol_json(Symbol(stroke_style="none"), "polygon")["stroke"] is False
    assert symbol_json(Symbol(), "line")["fill"] is False
    point = symbol_json(Symbol(marker="star", size=12), "point")
    assert point["marker"] == "star" and point["size"] == 12


def test_encode_layer_is_compact_and_uses_the_style_model(small_project):
    zones = small_project.layer("zones")
    index = IndicatorIndex(small_project.indicators, "zh")
    out = encode_layer(zones, EncodeSettings(lang="zh"), index)
    assert out["n"] == 3  # the feature without geometry cannot be drawn
    # symbol indices straight from Style.assign, symbols from Style.symbols
    assert out["sym"] == zones.style.assign(zones.frame)[[0, 1, 2]].tolist() == [0, 1, 2]
    assert [s["fillColor"] for s in out["symbols"]] == ["#e41a1c", "#377eb8", "#999999"]
    # legend: the categories, plus 'other' because one feature falls outside them
    assert [e["label"] for e in out["legend"]] == ["核心", "园区", "其他"]
    # unused fields dropped: the empty column and the other language's role
    assert "empty_col" not in out["columns"] and "role_en" not in out["columns"]
    assert "role_zh" in out["columns"]
    # indicator links by exported position
    assert out["links"] == {"0": [[0, "carries"], [1, "contributes"]], "2": [[0, "carries"]]}
    assert [row["id"] for row in index.table()] == ["ind.rd", "ind.firms"]
    assert index.table()[0]["progress"]["share"] == pytest.approx(0.5)
    # labels for every named zone; the texts are the names, so they are not sent twice
    assert "rows" not in out["labels"] and "text" not in out["labels"]  # every row, by name
    assert out["names"][:2] == ["北区", "南区"] and "name_zh" not in out["columns"]
    assert "name_en" in out["columns"]  # shown under the name in the panel


def test_single_style_layers_send_one_symbol_index(small_project):
    out = encode_layer(small_project.layer("road"), EncodeSettings(lang="en"), None)
    assert out["sym"] == 0 and out["legend"] == [{"label": "", "s": 0}]
    assert out["length_m"][0] > 13_000  # ~0.16° of longitude at 38.9°N


def test_projected_layers_are_exported_in_lon_lat(small_project):
    zones = small_project.layer("zones")
    projected = zones.frame.to_crs("EPSG:3857")
    zones.set_frame(projected)
    out = encode_layer(zones, EncodeSettings(lang="en"), None)
    west, south, east, north = out["bounds"]
    assert 121.4 < west < east < 121.7 and 38.8 < south < north < 39.0


def test_info_panel_data_carries_aliases_value_labels_and_citations(bundled):
    layer, _row = bundled.find_feature("hitech.city.yingeshi")
    out = encode_layer(layer, EncodeSettings(lang="zh"), IndicatorIndex(bundled.indicators, "zh"))
    aliases = dict(zip(out["columns"], out["aliases"], strict=True))
    assert aliases["status"] == "建设状态" and aliases["geom_basis"] == "图形依据"
    assert out["valueLabels"]["status"]["planned"] == "规划"
    sources = out["values"][out["columns"].index("source")]
    assert any(s.startswith("《大连高新区国民经济和社会发展第十四个五年规划") for s in sources)
    assert not any("five-year-plan.zh.txt" in s for s in sources)
    cited = indicator_json(bundled.indicators.get("plan.t2.04"), bundled.indicators, "en")
    assert cited["source"].startswith("Outline of the 14th Five-Year Plan") and "Table 2" in cited["source"]
