"""The flat coordinate arrays behind fast drawing, culling and identify agree with shapely."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.core.geo.flatgeom import build_flat, concatenate_flat, project_xy, ranges_index
from gisapp.core.geo.geodesy import transform_geometries, transformer
from gisapp.core.model.identify import features_at
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project


def _polygons(n=300, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(121.3, 121.6, n)
    y = rng.uniform(38.78, 38.92, n)
    size = rng.uniform(0.0005, 0.01, n)
    geoms = shapely.box(x, y, x + size, y + size * 0.7, ccw=False)  # clockwise shells
    # Some with holes (counter-clockwise), some multi-part, one empty, one missing.
    holes = shapely.box(x + size * 0.3, y + size * 0.2, x + size * 0.6, y + size * 0.4)
    geoms[::7] = shapely.difference(geoms[::7], holes[::7])
    geoms[5::11] = [shapely.MultiPolygon([g, shapely.box(g.bounds[0] - 0.01, g.bounds[1], g.bounds[0] - 0.005,
                                                            g.bounds[1] + 0.004)]) for g in geoms[5::11]]
    geoms[13] = shapely.Polygon()
    geoms[17] = None
    return geoms


def test_polygons_match_shapely_oriented_and_projected():
    geoms = _polygons()
    flat = build_flat(geoms, "polygon", "EPSG:4326", "EPSG:3857")
    present = ~shapely.is_missing(geoms)
    expected = np.empty(len(geoms), dtype=object)
    expected[present] = shapely.orient_polygons(transform_geometries(geoms[present], "EPSG:4326", "EPSG:3857"))
    expected[~present] = shapely.Polygon()
    # Vertices in stored (spatial) order, every ring oriented like shapely.orient_polygons.
    coords = shapely.get_coordinates(expected[flat.order])
    x, y, _starts, offsets = flat.gather(np.arange(len(flat)))
    assert x.dtype == y.dtype == np.float64
    # Stored as float32 offsets from each feature's corner: within 1e-7 of the feature's size.
    sizes = np.repeat(np.nan_to_num(np.maximum(flat.stored_bounds[:, 2] - flat.stored_bounds[:, 0],
                                               flat.stored_bounds[:, 3] - flat.stored_bounds[:, 1])), np.diff(offsets))
    assert (np.abs(x - coords[:, 0]) <= 1e-7 * sizes + 1e-9).all()
    assert (np.abs(y - coords[:, 1]) <= 1e-7 * sizes + 1e-9).all()
    np.testing.assert_allclose(flat.bounds, shapely.bounds(expected), rtol=0, atol=1e-6)
    # One part per ring: rings of the stored features, in order (an empty polygon may
    # leave an empty part).
    rings = shapely.get_rings(shapely.get_parts(expected[flat.order]))
    counts = np.diff(flat.part_offsets)
    np.testing.assert_array_equal(counts[counts > 0], shapely.get_num_coordinates(rings))
    assert sorted(flat.order.tolist()) == list(range(len(geoms)))


def test_lines_and_points():
    lines = np.array([shapely.LineString([(0, 0), (1, 1), (2, 0)]),
                      shapely.MultiLineString([[(5, 5), (6, 6)], [(7, 7), (8, 9)]]), None], dtype=object)
    flat = build_flat(lines, "line", "EPSG:3857", "EPSG:3857")
    parts_per_row = [1, 2, 0]
    assert np.diff(flat.feature_parts).tolist() == [parts_per_row[row] for row in flat.order]
    np.testing.assert_allclose(flat.bounds[1], [5, 5, 8, 9])
    assert np.isnan(flat.bounds[2]).all()
    points = shapely.points(np.arange(10.0), np.arange(10.0))
    flat = build_flat(points, "point", "EPSG:3857", "EPSG:3857")
    np.testing.assert_array_equal(flat.bounds[:, 0], np.arange(10.0))
    assert flat.rows_in(2.5, 2.5, 5.5, 5.5).tolist() == [3, 4, 5]


def test_box_queries_find_what_an_strtree_finds():
    geoms = _polygons(2000, seed=5)
    flat = build_flat(geoms, "polygon", "EPSG:4326", "EPSG:3857")
    projected = transform_geometries(np.where(shapely.is_missing(geoms), shapely.Polygon(), geoms),
                                     "EPSG:4326", "EPSG:3857")
    tree = shapely.STRtree(projected)
    rng = np.random.default_rng(0)
    x0, y0, x1, y1 = np.nanmin(flat.bounds[:, 0]), np.nanmin(flat.bounds[:, 1]), \
        np.nanmax(flat.bounds[:, 2]), np.nanmax(flat.bounds[:, 3])
    for _ in range(50):
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        w = rng.uniform(10, (x1 - x0) / 2)
        box = (cx - w, cy - w / 2, cx + w, cy + w / 2)
        assert flat.rows_in(*box).tolist() == np.sort(tree.query(shapely.box(*box))).tolist()


def test_chunks_concatenated_draw_cull_and_bound_like_the_whole_layer():
    """A file read in chunks: each chunk's arrays built apart and appended (sizes that do not
    fall on block boundaries), against the arrays of the whole layer."""
    geoms = _polygons(1000, seed=7)
    whole = build_flat(geoms, "polygon", "EPSG:4326", "EPSG:3857")
    cuts = [0, 1, 130, 131, 700, 1000]
    flat = concatenate_flat([build_flat(geoms[a:b], "polygon", "EPSG:4326", "EPSG:3857")
                             for a, b in zip(cuts, cuts[1:], strict=False)])
    np.testing.assert_array_equal(flat.bounds, whole.bounds)
    assert np.array_equal(np.sort(flat.order), np.arange(len(geoms)))
    np.testing.assert_array_equal(flat.stored_bounds, flat.bounds[flat.order])
    for box in [(1.352e7, 4.69e6, 1.354e7, 4.70e6), (1.3500e7, 4.68e6, 1.3540e7, 4.71e6), (0, 0, 1, 1)]:
        assert flat.rows_in(*box).tolist() == whole.rows_in(*box).tolist()
    assert 0 < len(whole.rows_in(1.352e7, 4.69e6, 1.354e7, 4.70e6)) < len(geoms)
    for row in (0, 5, 13, 17, 131, 999):  # each feature has its own vertices, in ring order
        a, b = flat.vertex_ranges(np.flatnonzero(flat.order == row))
        c, d = whole.vertex_ranges(np.flatnonzero(whole.order == row))
        np.testing.assert_array_equal(flat.x[a[0]:b[0]], whole.x[c[0]:d[0]])
        np.testing.assert_array_equal(flat.part_start[a[0]:b[0]], whole.part_start[c[0]:d[0]])


def test_gather_returns_the_features_vertices():
    geoms = _polygons(500, seed=9)
    flat = build_flat(geoms, "polygon", "EPSG:4326", "EPSG:3857")
    positions = np.array([3, 4, 10, 200, 499])
    x, y, starts, offsets = flat.gather(positions)
    projected = transform_geometries(geoms[flat.order[positions]], "EPSG:4326", "EPSG:3857")
    for k, position in enumerate(positions):
        one = flat.gather(np.array([position]))
        np.testing.assert_array_equal(x[offsets[k]:offsets[k + 1]], one[0])
        np.testing.assert_array_equal(y[offsets[k]:offsets[k + 1]], one[1])
        expected = shapely.get_coordinates(shapely.orient_polygons(projected[k]))
        np.testing.assert_allclose(one[0], expected[:, 0], rtol=0, atol=1e-3)
        np.testing.assert_allclose(one[1], expected[:, 1], rtol=0, atol=1e-3)
    assert starts.sum() == sum(flat.feature_parts[p + 1] - flat.feature_parts[p] for p in positions)
    assert ranges_index(np.array([5, 0]), np.array([7, 3])).tolist() == [5, 6, 0, 1, 2]


def test_bytes_per_vertex_of_the_drawing_arrays():
    """The arrays a canvas keeps per layer: about 18 bytes per vertex for parcels of five to
    eight vertices (float32 offsets, no second copy of the bounds). float64 coordinates or
    per-row bounds kept beside the stored ones would cost 26 or more."""
    geoms = shapely.voronoi_polygons(shapely.multipoints(shapely.points(
        np.random.default_rng(2).uniform(0, 1e4, (20_000, 2)))), extend_to=shapely.box(0, 0, 1e4, 1e4))
    geoms = shapely.intersection(shapely.get_parts(geoms), shapely.box(0, 0, 1e4, 1e4))
    flat = build_flat(geoms, "polygon", "EPSG:3857", "EPSG:3857")
    flat.row_positions  # noqa: B018 - the projected cache makes it at once
    per_vertex = flat.nbytes / flat.vertex_total
    assert 5 < flat.vertex_total / len(flat) < 9
    assert per_vertex < 20, f"{per_vertex:.1f} bytes per vertex"
    assert "bounds" not in flat.__dict__  # culling, drawing and identify do without per-row bounds


def test_web_mercator_fast_path_equals_proj():
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(-180, 180, 10_000), rng.uniform(-85, 85, 10_000)
    fast = project_xy(lon, lat, "EPSG:4326", "EPSG:3857")
    proj = transformer("EPSG:4326", "EPSG:3857").transform(lon, lat)
    np.testing.assert_allclose(fast[0], proj[0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(fast[1], proj[1], rtol=0, atol=1e-6)


def _old_features_at(project, crs, x, y, tolerance):
    """The identify of the previous release: an STRtree over all projected geometries."""
    point = shapely.Point(x, y)
    probe = point.buffer(tolerance, quad_segs=2)
    hits = []
    for layer in project.layers:
        geoms = layer.projected(crs).geometries
        tree = shapely.STRtree(geoms)
        if layer.geometry_family == "polygon":
            rows = np.sort(tree.query(point, predicate="intersects"))
            rows = rows[np.argsort(shapely.area(geoms[rows]), kind="stable")]
        else:
            rows = np.sort(tree.query(probe, predicate="intersects"))
            rows = rows[np.argsort(shapely.distance(geoms[rows], point), kind="stable")]
        hits.extend((layer.id, int(r)) for r in rows)
    return hits


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:32651"])
def test_identify_returns_what_the_strtree_identify_returned(crs):
    geoms = _polygons(400, seed=11)
    geoms[17] = shapely.box(121.3, 38.8, 121.5, 38.9)  # a big zone over many small ones
    polygons = VectorLayer("p", "p", "p", gpd.GeoDataFrame({"v": range(400)}, geometry=geoms, crs=4326))
    rng = np.random.default_rng(2)
    pts = shapely.points(rng.uniform(121.3, 121.6, 300), rng.uniform(38.78, 38.92, 300))
    points = VectorLayer("q", "q", "q", gpd.GeoDataFrame({"v": range(300)}, geometry=pts, crs=4326))
    project = Project(layers=[points, polygons])
    cache = polygons.projected(crs)
    x0, y0, x1, y1 = np.nanmin(cache.bounds[:, 0]), np.nanmin(cache.bounds[:, 1]), \
        np.nanmax(cache.bounds[:, 2]), np.nanmax(cache.bounds[:, 3])
    tolerance = (x1 - x0) / 300
    for x, y in zip(rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200), strict=True):
        assert features_at(project, crs, x, y, tolerance) == _old_features_at(project, crs, x, y, tolerance)


def test_layer_cache_follows_frame_replacements_and_styles():
    geoms = _polygons(50, seed=4)
    layer = VectorLayer("p", "p", "p", gpd.GeoDataFrame({"v": range(50)}, geometry=geoms, crs=4326))
    assert layer.projected_if_ready("EPSG:3857") is None
    cache = layer.projected("EPSG:3857")
    assert layer.projected("EPSG:3857") is cache and layer.projected_if_ready("EPSG:3857") is cache
    # The lazy shapely side equals the old eager one.
    assert shapely.equals(cache.take(np.array([0, 3])), cache.geometries[[0, 3]]).all()
    assert len(cache.tree.query(shapely.box(*layer.bounds_in("EPSG:3857")))) == 48  # not the empty and the missing one
    frame = layer.frame.copy()
    frame = frame.set_geometry(frame.geometry.translate(0.01))
    layer.set_frame(frame)
    assert layer.projected_if_ready("EPSG:3857") is None
    moved = layer.projected("EPSG:3857")
    assert moved is not cache
    assert layer.geometry_family == "polygon"
