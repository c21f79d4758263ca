"""Deciding the CRS of coordinates a file brings, and what no CRS can place."""

import numpy as np
import pytest
from pyproj import Transformer

from gisapp.core.geo.crs_checks import (
    area_of_use_excess,
    decide_crs,
    far_rows,
    guess_projected_crs,
    outside_valid_range,
)
from gisapp.core.geo.geometry_checks import screen_geometries, wkb_type_name

DALIAN = [(121.52, 38.86), (121.55, 38.88), (121.58, 38.87), (121.50, 38.84), (121.60, 38.90)]


def points_in(epsg: int, lonlat=DALIAN) -> np.ndarray:
    to = Transformer.from_crs(4326, epsg, always_xy=True)
    xy = np.array([to.transform(lon, lat) for lon, lat in lonlat])
    return np.column_stack([xy, xy])


@pytest.mark.parametrize("epsg, alternatives", [
    (4529, []),  # CGCS2000 3-degree GK zone 41, zone prefix 41 in the easting
    (4528, []),  # zone 40
    (4499, []),  # CGCS2000 6-degree GK zone 21
    (4549, []),  # 3-degree CM 120E, no prefix: Dalian lies 130 km east of its meridian
    (32651, ["EPSG:4550"]),  # UTM 51N and GK CM 123E give nearly the same numbers here
    (3857, []),
])
def test_dalian_coordinates_without_crs_get_the_crs_they_were_made_in(epsg, alternatives):
    decision = decide_crs("EPSG:4326", "standard", points_in(epsg))
    assert (decision.crs, decision.how, decision.alternatives) == (f"EPSG:{epsg}", "guessed", alternatives)
    assert decision.rejected_rows.tolist() == []


def test_degrees_keep_their_crs():
    decision = decide_crs("EPSG:4326", "standard", points_in(4326))
    assert (decision.crs, decision.how) == ("EPSG:4326", "standard")


def test_projected_numbers_no_guess_places_in_china_cannot_be_placed():
    munich_laea = points_in(3035, [(11.57, 48.14)] * 3)
    decision = decide_crs("EPSG:4326", "assumed", munich_laea)
    assert decision.crs is None and decision.example[0] == pytest.approx(munich_laea[0, 0])
    assert guess_projected_crs(munich_laea) == []


def test_a_declared_crs_the_numbers_contradict_is_named():
    decision = decide_crs("EPSG:4326", "declared", points_in(4529))
    assert (decision.crs, decision.contradicted) == ("EPSG:4529", "EPSG:4326")


def test_single_impossible_features_are_rejected_and_the_rest_keep_the_crs():
    bounds = np.vstack([points_in(4326), [[1e308, 38.9, 1e308, 38.9]], [[121.5, 95.0, 121.5, 95.0]]])
    decision = decide_crs("EPSG:4326", "declared", bounds)
    assert decision.crs == "EPSG:4326" and decision.rejected_rows.tolist() == [5, 6]


def test_web_mercator_eastings_beyond_the_world_are_outside_its_range():
    # PROJ wraps x = 4e7 to a longitude; the round trip shows it is no place.
    bounds = np.array([[4e7, 4.7e6, 4e7, 4.7e6], [13.5e6, 4.7e6, 13.5e6, 4.7e6], [np.inf, 0, np.inf, 0]])
    assert outside_valid_range(bounds, "EPSG:3857").tolist() == [True, False, True]


def test_area_of_use():
    assert area_of_use_excess(points_in(32651), "EPSG:32651") == ""
    assert area_of_use_excess(points_in(32651, [(10.0, 50.0)]), "EPSG:32651") == "120°E–126°E, 0°N–84°N"


def test_far_rows_name_a_lone_point_but_not_two_cities():
    lone = np.vstack([points_in(4326), [[0, 0, 0, 0]]])
    assert far_rows(lone, "EPSG:4326").tolist() == [5]
    beijing = points_in(4326, [(116.4, 39.9)] * 5)
    assert far_rows(np.vstack([points_in(4326), beijing]), "EPSG:4326").tolist() == []


def test_screening_names_every_kind_of_bad_geometry():
    import shapely

    geoms = np.array([shapely.Point(1, 2), None, shapely.Point(np.inf, 2), shapely.from_wkt("POLYGON EMPTY"),
                      shapely.from_wkt("GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))"),
                      shapely.from_wkt("GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0)), MULTIPOLYGON (((2 2, 3 2, 3 3, 2 2))))")],
                     dtype=object)
    screened = screen_geometries(geoms)
    assert screened.problems == [(1, "no_geometry", ""), (2, "non_finite", ""), (3, "empty_geometry", ""),
                                 (4, "mixed_collection", "")]
    assert screened.geometries[5].geom_type == "MultiPolygon" and screened.converted == 1
    assert wkb_type_name(bytes.fromhex("0110000000")) == "TIN"
