import math

import pytest
import shapely

from gisapp.core.geo.geodesy import geodesic_area_m2, geodesic_length_m, transform_point
from gisapp.core.geo.viewport import Viewport, nice_scale_bar


def test_geodesic_area_of_one_degree_cell_at_equator():
    # 1° x 1° at the equator is about 12,308 km² on WGS84 (110.57 km x 111.32 km).
    area_km2 = geodesic_area_m2(shapely.box(0, 0, 1, 1)) / 1e6
    assert area_km2 == pytest.approx(12_308, rel=0.002)


def test_geodesic_length_is_metres_not_degrees():
    # One degree of longitude along the 39th parallel (Dalian) is about 86.7 km.
    length = geodesic_length_m(shapely.LineString([(121, 39), (122, 39)]))
    assert length == pytest.approx(86_700, rel=0.005)


def test_zoom_keeps_the_point_under_the_cursor_fixed():
    view = Viewport(center_x=1000, center_y=2000, resolution=10, width=800, height=600)
    anchor = (123.0, 456.0)
    before = view.pixel_to_map(*anchor)
    zoomed = view.zoomed(2.0, anchor)
    assert zoomed.resolution == 5
    assert zoomed.pixel_to_map(*anchor) == pytest.approx(before)


def test_pan_moves_content_with_the_mouse():
    view = Viewport(center_x=0, center_y=0, resolution=2, width=100, height=100)
    point = view.pixel_to_map(10, 10)
    moved = view.panned_pixels(30, -20)
    assert moved.map_to_pixel(*point) == pytest.approx((40, -10))


def test_fitted_view_contains_bounds():
    bounds = (100.0, 200.0, 500.0, 260.0)
    view = Viewport(width=400, height=400).fitted(bounds)
    xmin, ymin, xmax, ymax = view.extent
    assert xmin <= 100 and ymin <= 200 and xmax >= 500 and ymax >= 260


def test_scale_uses_ground_distance_in_web_mercator():
    # At 39°N a Web Mercator metre is cos(39°) ground metres.
    x, y = transform_point(121.5, 39.0, "EPSG:4326", "EPSG:3857")
    view = Viewport(center_x=x, center_y=y, resolution=10, crs="EPSG:3857")
    assert view.ground_metres_per_pixel() == pytest.approx(10 * math.cos(math.radians(39)), rel=0.01)


def test_scale_bar_picks_round_lengths():
    metres, pixels, label = nice_scale_bar(37.0, max_pixels=150)
    assert label == "5 km" and metres == 5000 and pixels <= 150
