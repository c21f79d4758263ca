"""No view or extent that Qt cannot draw comes out of the viewport or the flat arrays."""

import math

import numpy as np
import pytest
import shapely

from gisapp.core.geo.flatgeom import build_flat
from gisapp.core.geo.viewport import (
    INVERTED,
    NOT_FINITE,
    TOO_LARGE,
    Viewport,
    extent_problem,
    with_min_span,
)

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(("bounds", "crs", "problem"), [
    ((0, 0, 10, 10), "EPSG:3857", None),
    ((5, 5, 5, 5), "EPSG:3857", None),  # a point can be shown
    ((121, 38, 122, 39), "EPSG:4326", None),
    ((0, NAN, 1, 1), "EPSG:3857", NOT_FINITE),
    ((0, 0, INF, 1), "EPSG:3857", NOT_FINITE),
    ((0, 0, -INF, 1), "EPSG:4326", NOT_FINITE),
    ((None, 0, 1, 1), "EPSG:3857", NOT_FINITE),
    ((2, 0, 1, 1), "EPSG:3857", INVERTED),
    ((0, 0, 1e308, 1), "EPSG:3857", TOO_LARGE),
    ((121, 38, 41_543_210, 39), "EPSG:4326", TOO_LARGE),  # Gauss-Kruger metres read as degrees
    ((121, 38, 41_543_210, 39), "EPSG:4549", None),
])
def test_extent_problem(bounds, crs, problem):
    assert extent_problem(bounds, crs) == problem


def test_fitted_refuses_what_cannot_be_shown_and_pads_a_point():
    view = Viewport(width=800, height=600)
    for bad in ((0, 0, NAN, 1), (0, 0, 1e308, 1), (3, 3, 1, 1)):
        with pytest.raises(ValueError):
            view.fitted(bad)
    point = view.fitted((13_500_000.0, 4_700_000.0, 13_500_000.0, 4_700_000.0))
    assert point.is_usable() and point.resolution >= Viewport.min_resolution(13_500_000, 4_700_000)
    assert with_min_span((13_500_000, 4_700_000, 13_500_000, 4_700_000)) == (
        13_499_950.0, 4_699_950.0, 13_500_050.0, 4_700_050.0)
    assert with_min_span((121.5, 38.9, 121.5, 38.9), "EPSG:4326")[2] == pytest.approx(121.5005)


def test_zooming_and_panning_stop_where_the_view_would_break():
    view = Viewport(center_x=13_500_000, center_y=4_700_000, resolution=10, width=800, height=600)
    deep = view
    for _ in range(200):
        deep = deep.zoomed(10)
    assert deep.is_usable() and math.isfinite(deep.resolution) and deep.resolution > 0
    wide = view
    for _ in range(200):
        wide = wide.zoomed(0.1)
    assert wide.is_usable() and max(map(abs, wide.extent)) <= 1e9
    far = view
    for _ in range(100):
        far = far.panned_pixels(1e12, 0)
    assert far.is_usable()
    assert not Viewport(center_x=NAN).is_usable() and not Viewport(resolution=INF).is_usable()
    assert not Viewport(resolution=0.0).is_usable()


def test_features_with_non_finite_or_absurd_vertices_get_no_bounds():
    geoms = np.array([shapely.box(0, 0, 1, 1), shapely.LineString([(0, 0), (NAN, 1), (2, 2)]),
                      shapely.Point(INF, 0), shapely.Polygon([(0, 0), (1e308, 0), (0, 1)]),
                      shapely.Point(90.0, 0.0), None], dtype=object)
    flat = build_flat(geoms, "polygon", "EPSG:4326", "EPSG:4326")
    drawable = ~np.isnan(flat.bounds).any(axis=1)
    assert drawable.tolist() == [True, False, False, False, True, False]
    # Nothing without bounds is ever culled into a view, however large.
    assert sorted(flat.order[flat.positions_in(-1e9, -1e9, 1e9, 1e9)].tolist()) == [0, 4]
    # One absurd vertex leaves the other rings' orientation alone (fills use the winding rule).
    normal = build_flat(geoms[[0]], "polygon", "EPSG:4326", "EPSG:4326")
    box_position = np.flatnonzero(flat.order == 0)
    assert flat.gather(box_position)[0].tolist() == normal.x.tolist()
