"""Spatial indicators on small constructed cases whose answers are known by hand.

Shapes are drawn in metres in an azimuthal equidistant projection centred in Dalian,
then handed over in lon/lat (or in UTM 51N, as a user's layer might be).
"""

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.core.analysis import spatial_indicators
from gisapp.core.analysis.spatial_indicators import (
    ANALYSIS_GROUP,
    FrameSnapshot,
    LayerInput,
    compute_spatial_indicators,
    green_standard,
    landuse_km2,
    put_result_layer,
    service_coverage,
    uncovered_layer,
)
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project

LOCAL = "+proj=aeqd +lat_0=38.9 +lon_0=121.6 +datum=WGS84 +units=m +no_defs"


def frame(geoms, **columns):
    """A lon/lat GeoDataFrame from geometries given in local metres."""
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs=LOCAL).to_crs(4326)


def box(x0, y0, x1, y1):
    return shapely.box(x0, y0, x1, y1)


# --- the green standard ----------------------------------------------------------------------
def test_500m_from_a_park_strip_covers_a_quarter_of_the_homes():
    # Homes: 2 km x 1 km. Park: a 10 m strip along the west edge. Within 500 m: the western
    # 500 m x 1 km = 0.5 km2, a quarter; the 1.5 km x 1 km east of it is uncovered.
    homes = frame([box(0, 0, 2000, 1000)], id=["homes"], name_zh=["住区"])
    park = frame([box(-10, 0, 0, 1000)], id=["park"])
    result = green_standard(homes, park, "park_500m")
    assert result.distance_m == 500
    assert result.total == pytest.approx(2.0, rel=1e-3)
    assert result.covered == pytest.approx(0.5, rel=1e-3)
    assert result.share == pytest.approx(0.25, rel=1e-3)
    assert len(result.uncovered) == 1
    uncovered = result.uncovered.to_crs(LOCAL).geometry.iloc[0]
    assert uncovered.area / 1e6 == pytest.approx(1.5, rel=1e-3)
    assert uncovered.bounds == pytest.approx((500, 0, 2000, 1000), abs=0.5)
    assert result.per_feature.loc[0, "covered_share"] == pytest.approx(0.25, rel=1e-3)


def test_a_park_point_covers_a_500m_circle():
    # A 2 km square with the park at its centre: pi * 0.5^2 = 0.785 km2 of 4 km2 (19.6 %).
    homes = frame([box(-1000, -1000, 1000, 1000)], id=["square"])
    park = frame([shapely.Point(0, 0)], id=["p"])
    result = service_coverage(homes, park, 500)
    assert result.covered == pytest.approx(math.pi * 0.25, rel=2e-3)
    assert result.share == pytest.approx(math.pi * 0.25 / 4, rel=2e-3)


def test_overlapping_homes_count_once_and_50m_green():
    # Two 1 km squares overlapping by half: 1.5 km2 in all. Green strip on the west edge:
    # within 50 m, 50 m x 1 km = 0.05 km2.
    homes = frame([box(0, 0, 1000, 1000), box(500, 0, 1500, 1000)], id=["a", "b"])
    green = frame([box(-5, 0, 0, 1000)], id=["g"])
    result = green_standard(homes, green, "green_50m")
    assert result.total == pytest.approx(1.5, rel=1e-3)
    assert result.covered == pytest.approx(0.05, rel=2e-3)
    assert list(result.per_feature["id"]) == ["a", "b"]
    assert result.per_feature.loc[1, "covered_share"] == pytest.approx(0.0, abs=1e-9)


def test_point_targets_are_counted():
    homes = frame([shapely.Point(100, 0), shapely.Point(0, 499), shapely.Point(800, 0)],
                  id=["near", "edge", "far"])
    park = frame([shapely.Point(0, 0)], id=["p"])
    result = service_coverage(homes, park, 500)
    assert (result.target_kind, result.total, result.covered) == ("points", 3, 2)
    assert list(result.uncovered["target_id"]) == ["far"]


def test_user_layers_in_a_projected_crs_give_the_same_answer():
    homes = frame([box(0, 0, 2000, 1000)], id=["homes"]).to_crs(32651)
    park = frame([box(-10, 0, 0, 1000)], id=["park"]).to_crs(4549)  # CGCS2000 Gauss-Krüger
    result = service_coverage(homes, park, 500)
    assert result.share == pytest.approx(0.25, rel=1e-3)
    assert result.uncovered.crs.to_epsg() == 4326


def test_no_parks_and_line_targets():
    homes = frame([box(0, 0, 1000, 1000)], id=["h"])
    empty = frame([], id=[])
    result = service_coverage(homes, empty, 500)
    assert result.share == 0 and len(result.uncovered) == 1
    lines = frame([shapely.LineString([(0, 0), (100, 0)])], id=["l"])
    with pytest.raises(ValueError, match="lines"):
        service_coverage(lines, homes, 500)


def test_uncovered_areas_become_a_map_layer():
    homes = frame([box(0, 0, 2000, 1000)], id=["homes"])
    park = frame([box(-10, 0, 0, 1000)], id=["park"])
    result = service_coverage(homes, park, 500, target_layer="homes", source_layer="parks")
    project = Project(layers=[])
    layer = put_result_layer(project, uncovered_layer(result))
    assert layer.group == ANALYSIS_GROUP and project.group(ANALYSIS_GROUP) is not None
    # Recomputing refreshes the same layer instead of adding another.
    again = put_result_layer(project, uncovered_layer(service_coverage(homes, park, 1000)))
    assert len(project.layers) == 2 and again.id != layer.id
    refreshed = put_result_layer(project, uncovered_layer(result))
    assert refreshed is layer and len(project.layers) == 2


# --- areas, shares, points inside, land-use mix -------------------------------------------------
def zones_case():
    zones = frame([box(0, 0, 2000, 2000), box(0, 0, 1000, 2000)],
                  id=["zone", "zone.west"], parent_id=["", "zone"], name_zh=["片区", "西部"],
                  name_en=["Zone", "West"])
    points = frame([shapely.Point(200, 200), shapely.Point(800, 1500), shapely.Point(1500, 500),
                    shapely.Point(300, 300)],
                   id=["p1", "p2", "p3", "p4"], name_zh=["项目一", "项目二", "项目三", ""])
    landuse = frame([box(0, 0, 500, 2000), box(500, 0, 2000, 2000)], ydxz=["R", "M"])
    return [LayerInput("zones", "片区", "Zones", "plan", zones),
            LayerInput("points", "项目", "Projects", "plan", points),
            LayerInput("landuse", "用地", "Land use", "plan", landuse)]


def test_areas_parent_shares_points_and_landuse_mix():
    summary = compute_spatial_indicators(zones_case())
    assert summary.landuse_layer == "landuse"
    zone, west = summary.feature("zone"), summary.feature("zone.west")
    assert zone.area_km2 == pytest.approx(4.0, rel=1e-3)
    assert west.area_km2 == pytest.approx(2.0, rel=1e-3)
    assert west.parent_share == pytest.approx(0.5, rel=1e-3)
    assert zone.parent_share is None
    # Named points only: the unnamed p4 does not count.
    assert (zone.points_inside, west.points_inside) == (3, 2)
    assert west.point_names == ["项目一", "项目二"]
    # West half: R on 0-500 m, M on 500-1000 m -> 1 km2 each, evenly mixed.
    assert west.landuse_km2 == pytest.approx({"R": 1.0, "M": 1.0}, rel=1e-3)
    assert west.landuse_mix == pytest.approx(1.0, rel=1e-6)
    assert zone.landuse_shares() == pytest.approx({"R": 0.25, "M": 0.75}, rel=1e-3)
    group = summary.groups[0]
    assert (group.features, group.points_inside) == (2, 3)
    assert group.area_km2 == pytest.approx(4.0, rel=1e-3)  # the union: nested zones count once


def test_without_a_landuse_layer():
    summary = compute_spatial_indicators(zones_case()[:2])
    assert summary.landuse_layer is None
    assert summary.feature("zone").landuse_mix is None


def test_landuse_mix_cuts_parcels_at_zone_edges_in_chunks(monkeypatch):
    """Parcels straddling a zone edge count with the part inside; uses without a value
    count as "?"; the answer does not depend on how the parcels are chunked."""
    zones = frame([box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], id=["a", "b"])
    parcels = frame([box(500, 0, 1500, 1000), box(0, 0, 500, 500), box(1500, 0, 2000, 1000), box(0, 500, 500, 1000)],
                    ydxz=["R", "M", None, ""])
    lonlat = [g for g in zones.geometry.to_numpy()]
    expected = [{"R": 0.5, "M": 0.25, "?": 0.25}, {"R": 0.5, "?": 0.5}]
    for chunk in (1, 3, 500):
        monkeypatch.setattr(spatial_indicators, "GIL_CHUNK", chunk)
        mixes = landuse_km2(np.array(lonlat, dtype=object), parcels.geometry.to_numpy(),
                            parcels["ydxz"].to_numpy(dtype=object))
        assert mixes == [pytest.approx(e, rel=1e-4) for e in expected]


def test_frame_snapshot_shares_data_and_keeps_the_frame_as_taken():
    source = frame([box(0, 0, 10, 10), box(10, 0, 20, 10)], id=["a", "b"], name_zh=["甲", "乙"])
    snapshot = FrameSnapshot.take(source)
    detached, crs_text = snapshot.frame()
    assert detached.crs is None and "WGS 84" in crs_text
    assert np.shares_memory(np.asarray(detached.geometry.array), np.asarray(source.geometry.array))
    assert list(detached["name_zh"]) == ["甲", "乙"]
    # An edit swaps in a new frame (never in place): the snapshot keeps what was taken.
    edited = source.copy(deep=False)
    values = edited.geometry.array.copy()
    values[0] = box(0, 0, 1, 1)
    edited[edited.geometry.name] = gpd.GeoSeries(values, index=edited.index, crs=edited.crs)
    edited.iloc[1, edited.columns.get_loc("name_zh")] = "丙"
    assert detached.geometry.iloc[0].equals(source.geometry.iloc[0])
    assert list(detached["name_zh"]) == ["甲", "乙"]
    # Writing to the detached frame leaves the layer's frame alone (copy on write).
    detached.iloc[0, detached.columns.get_loc("name_zh")] = "丁"
    assert source["name_zh"].iloc[0] == "甲"


def test_bundled_catalogue(bundled_project):
    summary = compute_spatial_indicators(
        [LayerInput.from_layer(layer) for layer in bundled_project.layers], bundled_project.groups)
    sectors = [f for f in summary.features if f.parent_id == "hitech.city.yingeshi" and ".sector." in f.feature_id]
    assert sum(f.parent_share for f in sectors) == pytest.approx(1.0, abs=0.01)
    assert summary.feature("hitech.cluster.huangnichuan").points_inside == 4  # the four projects
    frontier = summary.feature("hitech.city.yingeshi.sector.frontier_rd")
    assert frontier.points_inside == 4 and "国科大能源学院" in frontier.point_names  # three platforms and the school
    assert summary.feature("hitech.city.yingeshi.sector.eco_community").point_names == ["英歌石顶尖人才创新基地"]
    assert summary.feature("hitech.city.yingeshi").area_km2 == pytest.approx(
        bundled_project.layer("hitech_science_city").geodesic_measures(0)["area_m2"] / 1e6)
    assert not any(f.group == "base" for f in summary.features)


def test_layer_input_is_a_copy():
    layer = VectorLayer("x", "x", "x", frame([box(0, 0, 10, 10)], id=["a"]))
    snapshot = LayerInput.from_layer(layer)
    layer.frame.loc[0, "id"] = "changed"
    assert snapshot.frame.loc[0, "id"] == "a"
