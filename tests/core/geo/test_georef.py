"""Fits, residuals and RMS of control points (core, no files)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer
from rasterio.control import GroundControlPoint
from rasterio.transform import GCPTransformer

from gisapp.core.geo.georef import (
    MIN_POINTS,
    ControlPoint,
    GeorefError,
    fit_points,
    kind_problem,
    reproject_points,
)

# A scan 2000 x 1500 pixels, 2 m a pixel, rotated by 5 degrees, in CGCS2000 GK CM 120E.
ANGLE = math.radians(5)
A, B = 2 * math.cos(ANGLE), 2 * math.sin(ANGLE)
ORIGIN = (540_000.0, 4_320_000.0)


def affine_truth(col, row):
    return ORIGIN[0] + A * col + B * row, ORIGIN[1] + B * col - A * row


def spread_pixels(n, seed=3):
    rng = np.random.default_rng(seed)
    return rng.uniform([50, 50], [1950, 1450], size=(n, 2))


def points_from(truth, pixels):
    return [ControlPoint(c, r, *truth(c, r)) for c, r in pixels]


@pytest.mark.parametrize("kind", ["affine", "poly1", "poly2", "tps"])
def test_an_exact_affine_is_recovered_by_every_kind(kind):
    points = points_from(affine_truth, spread_pixels(8))
    fit = fit_points(points, kind, "EPSG:4549")
    assert fit.rms_m < 1e-6 and fit.rms_px < 1e-6
    x, y = fit.apply([1000.0], [700.0])
    assert (x[0], y[0]) == pytest.approx(affine_truth(1000.0, 700.0), abs=1e-6)


def test_one_bad_point_has_the_largest_residual_and_rms_is_the_root_mean_square():
    points = points_from(affine_truth, spread_pixels(6))
    bad = points[2]
    points[2] = bad.with_map(bad.map_x + 30.0, bad.map_y - 40.0)  # 50 m off
    fit = fit_points(points, "affine", "EPSG:4549")
    metres = [r.metres for r in fit.residuals]
    assert max(metres) == metres[2]
    assert fit.rms_m == pytest.approx(math.sqrt(sum(m * m for m in metres) / len(metres)))
    # A planar 50 m error in a Gauss-Kruger CRS near its central meridian is about 50 m on the
    # ground; the least squares spreads it, so the bad point keeps most of it.
    assert 25 < metres[2] < 50
    # Pixel residuals agree with metres at 2 m a pixel (GK scale near 1).
    assert fit.residuals[2].px * 2 == pytest.approx(metres[2], rel=0.01)
    # Disabling the bad point leaves an exact fit, and its residual shows how far off it is.
    points[2] = points[2].__class__(bad.pixel_x, bad.pixel_y, bad.map_x + 30.0, bad.map_y - 40.0,
                                    enabled=False)
    clean = fit_points(points, "affine", "EPSG:4549")
    assert clean.rms_m < 1e-6
    assert clean.residuals[2].metres == pytest.approx(50.0, rel=0.01)


def test_residuals_in_a_geographic_crs_are_geodesic_metres():
    to_lonlat = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)
    pixels = spread_pixels(5)
    points = []
    for c, r in pixels:
        points.append(ControlPoint(c, r, *to_lonlat.transform(*affine_truth(c, r))))
    points[0] = points[0].with_map(points[0].map_x + 0.001, points[0].map_y)
    fit = fit_points(points, "poly1", "EPSG:4326")
    predicted = fit.apply([points[0].pixel_x], [points[0].pixel_y])
    _f, _b, expected = Geod(ellps="WGS84").inv(predicted[0][0], predicted[1][0],
                                               points[0].map_x, points[0].map_y)
    assert fit.residuals[0].metres == pytest.approx(abs(expected))
    assert 20 < fit.residuals[0].metres < 90  # 0.001 degree of longitude at 39 N is 86 m


def quadratic_truth(col, row):
    x, y = affine_truth(col, row)
    return x + 2e-4 * col * col - 1e-4 * col * row, y + 1.5e-4 * row * row


@pytest.mark.parametrize("count", [6, 7, 9])
def test_poly2_is_the_fit_gdal_makes(count):
    """GDAL's GCP transformer picks order 2 for 6 to 9 points: the same polynomial."""
    pixels = spread_pixels(count, seed=count)
    truth = [(*quadratic_truth(c, r),) for c, r in pixels]
    rng = np.random.default_rng(0)
    noisy = [(x + rng.normal(0, 3), y + rng.normal(0, 3)) for x, y in truth]
    points = [ControlPoint(c, r, x, y) for (c, r), (x, y) in zip(pixels, noisy, strict=True)]
    fit = fit_points(points, "poly2", "EPSG:4549")
    gcps = [GroundControlPoint(row=p.pixel_y, col=p.pixel_x, x=p.map_x, y=p.map_y, z=0.0) for p in points]
    probe_c, probe_r = [10.0, 1000.0, 1990.0], [10.0, 800.0, 1490.0]
    with GCPTransformer(gcps) as gdal:
        gx, gy = gdal.xy(probe_r, probe_c, offset="ul")
    ours = fit.apply(probe_c, probe_r)
    assert ours[0] == pytest.approx(list(gx), abs=1e-4)
    assert ours[1] == pytest.approx(list(gy), abs=1e-4)
    if count > 6:
        assert fit.rms_m > 0.1  # least squares, not interpolation
    assert fit_points(points, "poly2", "EPSG:4549").rms_m < fit_points(points, "poly1", "EPSG:4549").rms_m


def test_tps_passes_through_every_point():
    points = points_from(quadratic_truth, spread_pixels(5))
    fit = fit_points(points, "tps", "EPSG:4549")
    assert fit.rms_m < 1e-6
    assert fit_points(points, "affine", "EPSG:4549").rms_m > 1.0


def test_too_few_collinear_or_duplicate_points_are_refused():
    points = points_from(affine_truth, spread_pixels(5))
    with pytest.raises(GeorefError, match="poly2 needs at least 6"):
        fit_points(points, "poly2", "EPSG:4549")
    with pytest.raises(GeorefError, match="at least 3"):
        fit_points(points[:2], "affine", "EPSG:4549")
    line = [ControlPoint(i * 10.0, i * 10.0, *affine_truth(i * 10.0, i * 10.0)) for i in range(4)]
    for kind in ("affine", "poly1", "tps"):
        with pytest.raises(GeorefError, match="line"):
            fit_points(line, kind, "EPSG:4549")
    twice = points[:3] + [points[0].with_map(1.0, 2.0)]
    with pytest.raises(GeorefError, match="same image position"):
        fit_points(twice, "affine", "EPSG:4549")
    nan = points[:3] + [ControlPoint(5.0, 5.0, math.nan, 1.0)]
    with pytest.raises(GeorefError, match="finite"):
        fit_points(nan, "affine", "EPSG:4549")
    assert kind_problem("spline", 10).startswith("unknown transform")
    assert MIN_POINTS["poly2"] == 6


def test_points_move_to_the_output_crs():
    points = [ControlPoint(0, 0, 121.6, 38.9), ControlPoint(10, 0, 121.7, 38.9)]
    moved = reproject_points(points, "EPSG:4326", "EPSG:3857")
    assert moved[0].map_x == pytest.approx(6_378_137 * math.radians(121.6))
    assert (moved[0].pixel_x, moved[0].pixel_y) == (0, 0)
    with pytest.raises(GeorefError, match="no place"):
        reproject_points([ControlPoint(0, 0, 0.0, 95.0)], "EPSG:4326", "EPSG:3857")


coordinate = st.floats(-1e7, 1e7, allow_nan=False) | st.sampled_from([0.0, 1.0, 1e-9, 5e6])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate, coordinate, coordinate, st.booleans()), min_size=0, max_size=9),
       st.sampled_from(["affine", "poly1", "poly2", "tps"]))
def test_any_points_fit_or_say_why(values, kind):
    """Whatever the points (repeated, in a line, huge), a fit comes back or GeorefError says why."""
    points = [ControlPoint(a, b, c, d, on) for a, b, c, d, on in values]
    try:
        fit = fit_points(points, kind, "EPSG:3857")
    except GeorefError as exc:
        assert str(exc)
        return
    assert len(fit.residuals) == len(points)
    assert math.isfinite(fit.rms_px) or fit.rms_px == math.inf
