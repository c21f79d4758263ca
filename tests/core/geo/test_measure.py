"""Geodesic measures of clicked points: the same ground gives the same metres in any canvas CRS."""

import math

import numpy as np
import pytest
from pyproj import Geod, Transformer

from gisapp.core.geo.measure import (
    ANGLE,
    AREA,
    DISTANCE,
    format_angle,
    format_area,
    format_length,
    measure_points,
)

GEOD = Geod(ellps="WGS84")
# A walk across the Dalian High-tech Zone, lon/lat (it straddles 121.5°E, a zone border).
WALK = [(121.45, 38.86), (121.52, 38.87), (121.55, 38.90), (121.48, 38.91)]


def _in(crs: str, points):
    to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return [to.transform(lon, lat) for lon, lat in points]


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857", "EPSG:4549", "EPSG:4550", "EPSG:4528"])
def test_distances_are_geodesic_whatever_the_canvas_crs(crs):
    result = measure_points(_in(crs, WALK), crs, DISTANCE)
    expected = [GEOD.inv(a[0], a[1], b[0], b[1])[2] for a, b in zip(WALK, WALK[1:], strict=False)]
    assert result.segments_m == pytest.approx(expected, rel=1e-9)
    assert result.total_m == pytest.approx(sum(expected), rel=1e-9)
    assert result.area_m2 is None


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857", "EPSG:4549"])
def test_areas_are_geodesic_and_close_the_ring(crs):
    result = measure_points(_in(crs, WALK), crs, AREA)
    lons, lats = zip(*WALK, strict=True)
    area, perimeter = GEOD.polygon_area_perimeter(lons, lats)
    assert result.area_m2 == pytest.approx(abs(area), rel=1e-9)
    assert result.perimeter_m == pytest.approx(perimeter, rel=1e-9)
    assert len(result.segments_m) == 4  # three drawn and the closing one
    assert result.segments_m[-1] == pytest.approx(GEOD.inv(*WALK[-1], *WALK[0])[2], rel=1e-9)


def test_web_mercator_metres_are_not_ground_metres():
    # 10 km of Web Mercator at 38.9°N are about 7.8 km on the ground: the measure says the latter.
    result = measure_points([(13_520_000, 4_705_000), (13_530_000, 4_705_000)], "EPSG:3857", DISTANCE)
    assert result.total_m == pytest.approx(10_000 * math.cos(math.radians(38.9)), rel=2e-3)


def test_one_degree_of_longitude_on_the_equator():
    result = measure_points([(0, 0), (1, 0)], "EPSG:4326", DISTANCE)
    assert result.total_m == pytest.approx(6378137 * math.pi / 180, rel=1e-9)


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:4550"])
def test_the_angle_at_the_middle_point(crs):
    vertex = (121.6, 38.9)
    east = GEOD.fwd(*vertex, 90, 500)[:2]
    north = GEOD.fwd(*vertex, 0, 500)[:2]
    north_west = GEOD.fwd(*vertex, -45, 800)[:2]
    assert measure_points(_in(crs, [east, vertex, north]), crs, ANGLE).angle_deg == pytest.approx(90, abs=1e-6)
    assert measure_points(_in(crs, [east, vertex, north_west]), crs, ANGLE).angle_deg == pytest.approx(135, abs=1e-6)
    assert measure_points(_in(crs, [east, vertex]), crs, ANGLE).angle_deg is None


def test_points_outside_the_crs_give_an_empty_result():
    assert measure_points([(np.inf, 0), (1, 1)], "EPSG:3857", DISTANCE).is_empty
    assert measure_points([(1, 1)], "EPSG:3857", DISTANCE).is_empty


def test_units():
    assert format_length(950.04) == "950.0 m" and format_length(12_345.6) == "12.346 km"
    assert format_length(12_345.6, "m") == "12,345.6 m" and format_length(950, "km") == "0.950 km"
    assert format_area(9_999) == "9,999 m²" and format_area(25_000) == "2.50 ha"
    assert format_area(3_456_789) == "3.457 km²" and format_area(3_456_789, "ha") == "345.68 ha"
    assert format_area(3_456_789, "m2") == "3,456,789 m²"
    assert format_angle(89.999) == "90.00°" and format_length(float("nan")) == "—"
