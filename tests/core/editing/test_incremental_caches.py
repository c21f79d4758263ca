"""Edits update a layer's caches for the changed rows only, and the result equals a rebuild.

After random sequences of edits, undos and redos (hypothesis), the projected cache and the
symbol index the layer patched must be what building them from scratch gives: the same
bounds, the same vertices per row, the same rows found by box queries and identify, the
same symbol per row; and no cache of the whole layer was built on the way.
"""

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gisapp.core.editing.edits import (
    AddFeatures,
    DeleteFeatures,
    SetAttribute,
    SetGeometries,
    new_rows,
)
from gisapp.core.editing.session import EditSession
from gisapp.core.geo import flatgeom
from gisapp.core.geo.flatgeom import PatchedFlat, ProjectedCache, RowChange, build_flat
from gisapp.core.geo.geodesy import transform_geometries
from gisapp.core.model.identify import features_at
from gisapp.core.model.layer import VectorLayer
from gisapp.core.model.project import Project
from gisapp.core.model.style import CategorizedStyle, Category, Symbol

CANVAS = "EPSG:3857"
USES = ["R", "M", "G"]


def _parcel(i: int, size: float = 0.004, hole: bool = False):
    x, y = 121.50 + (i % 10) * 0.005, 38.85 + (i // 10) * 0.005
    shell = shapely.box(x, y, x + size, y + size * 0.8, ccw=False)
    if hole:
        shell = shell.difference(shapely.box(x + size * 0.3, y + size * 0.2, x + size * 0.6, y + size * 0.5))
    return shell


def _layer(n: int = 40) -> VectorLayer:
    geoms = [_parcel(i, hole=(i % 7 == 0)) for i in range(n)]
    geoms[5] = shapely.Polygon()  # an empty one: no bounds, never found
    frame = gpd.GeoDataFrame({"id": [f"p{i}" for i in range(n)], "use": [USES[i % 3] for i in range(n)]},
                             geometry=geoms, crs="EPSG:4326")
    layer = VectorLayer("parcels", "地块", "Parcels", frame)
    layer.set_style(CategorizedStyle("use", [Category(u, u, u, Symbol(fill=c)) for u, c in
                                             zip(USES, ["#ff0000", "#00ff00", "#0000ff"], strict=True)]))
    return layer


def _row_vertices(flat, rows: np.ndarray) -> dict[int, bytes]:
    """Each drawable row's vertices (x, y, part starts) as bytes, whatever its stored position."""
    positions = flat.positions_in(-1e300, -1e300, 1e300, 1e300)
    out = {}
    for position, row in zip(positions.tolist(), flat.rows_at(positions).tolist(), strict=True):
        x, y, starts, _ = flat.gather(np.array([position]))
        out[row] = np.round(x, 6).tobytes() + np.round(y, 6).tobytes() + starts.tobytes()
    assert sorted(out) == sorted(rows.tolist())
    return out


def assert_caches_equal_rebuilt(layer: VectorLayer, seed: int) -> None:
    cache = layer.projected_if_ready(CANVAS)
    assert cache is not None, "the edit dropped the cache instead of patching it"
    geoms = layer.frame.geometry.array
    # Built as a layer builds one, but not counted as a rebuild of the layer's cache.
    fresh = ProjectedCache(CANVAS, geoms, layer.crs, layer.geometry_family,
                           flat=build_flat(np.asarray(geoms, dtype=object), layer.geometry_family, layer.crs, CANVAS))
    np.testing.assert_allclose(cache.bounds, fresh.bounds, rtol=0, atol=1e-6)
    drawable = np.flatnonzero(~np.isnan(fresh.bounds).any(axis=1))
    assert _row_vertices(cache.flat, drawable) == _row_vertices(fresh.flat, drawable)
    np.testing.assert_array_equal(layer.symbol_index(), layer.style.assign(layer.frame))
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = np.nanmin(fresh.bounds[:, 0]), np.nanmin(fresh.bounds[:, 1]), \
        np.nanmax(fresh.bounds[:, 2]), np.nanmax(fresh.bounds[:, 3])
    reference = Project(layers=[VectorLayer("parcels", "地块", "Parcels", layer.frame)])
    project = Project(layers=[layer])
    for _ in range(6):
        cx, cy, w = rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(10, 600)
        box = (cx - w, cy - w, cx + w, cy + w)
        assert cache.rows_in(*box).tolist() == fresh.rows_in(*box).tolist()
        assert features_at(project, CANVAS, cx, cy, 5.0) == features_at(reference, CANVAS, cx, cy, 5.0)
    np.testing.assert_array_equal(shapely.get_coordinates(cache.take(drawable)),
                                  shapely.get_coordinates(fresh.take(drawable)))


# One step: (kind, a number to pick rows, a number to pick a shape or value).
steps = st.lists(st.tuples(st.sampled_from(["move", "attribute", "add", "delete", "undo", "redo"]),
                           st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None)
@given(steps)
def test_random_edits_undo_and_redo_patch_caches_like_a_rebuild(sequence):
    layer = _layer()
    session = EditSession(Project(layers=[layer]))
    layer.projected(CANVAS)
    layer.symbol_index()
    done, undone = [], []
    for kind, pick, shape in sequence:
        builds = ProjectedCache.full_builds
        n = len(layer)
        edit = None
        if kind == "move" and n:
            rows = sorted({pick % n, (pick * 7) % n})
            geoms = [shapely.affinity.translate(_parcel(shape % 60, size=0.002 + (shape % 5) * 0.001),
                                                0.0001 * (shape % 3)) for _ in rows]
            edit = SetGeometries(layer.id, rows, geoms, project=session.project, kind="move_feature")
        elif kind == "attribute" and n:
            edit = SetAttribute(layer.id, pick % n, "use", USES[shape % 3], project=session.project)
        elif kind == "add":
            geoms = [_parcel(shape % 80, hole=bool(shape % 2))] * (1 + pick % 2)
            edit = AddFeatures(layer.id, new_rows(layer, geoms, [{"id": "new", "use": USES[pick % 3]}] * len(geoms)))
        elif kind == "delete" and n > 1:
            edit = DeleteFeatures(layer.id, sorted({pick % n, (pick * 3 + shape) % n}))
        elif kind == "undo" and done:
            edit = done.pop()
            session.undo(edit)
            undone.append(edit)
            edit = None
        elif kind == "redo" and undone:
            edit = undone.pop()
            session.apply(edit)
            done.append(edit)
            edit = None
        if edit is not None:
            session.apply(edit)
            done.append(edit)
            undone.clear()
        assert ProjectedCache.full_builds == builds, "an edit rebuilt the whole cache"
        assert_caches_equal_rebuilt(layer, pick)


def test_a_vertex_move_keeps_the_base_arrays_and_an_attribute_edit_keeps_the_cache():
    layer = _layer()
    session = EditSession(Project(layers=[layer]))
    base = layer.projected(CANVAS).flat
    index = layer.symbol_index()
    session.apply(SetGeometries(layer.id, [3], [_parcel(33)], project=session.project))
    patched = layer.projected_if_ready(CANVAS).flat
    assert isinstance(patched, PatchedFlat) and patched.base is base
    assert patched.extra_rows.tolist() == [3]
    assert layer.symbol_index() is index  # geometry only: the symbols stay
    cache = layer.projected_if_ready(CANVAS)
    session.apply(SetAttribute(layer.id, 4, "id", "renamed", project=session.project))
    assert layer.projected_if_ready(CANVAS).flat is cache.flat  # no geometry touched
    assert layer.symbol_index() is index  # not the style's field
    session.apply(SetAttribute(layer.id, 4, "use", "G", project=session.project))
    assert layer.symbol_index()[4] == USES.index("G") and layer.symbol_index() is not index


def test_a_change_past_the_side_index_limit_rebuilds_in_the_background(monkeypatch):
    monkeypatch.setattr(flatgeom, "MAX_PATCH_ROWS", 3)
    layer = _layer()
    session = EditSession(Project(layers=[layer]))
    layer.projected(CANVAS)
    session.apply(SetGeometries(layer.id, [1, 2, 3, 4], [_parcel(i + 50) for i in range(4)],
                                project=session.project))
    assert layer.projected_if_ready(CANVAS) is None  # the render thread builds it anew
    builds = ProjectedCache.full_builds
    expected = transform_geometries(np.array([_parcel(50)]), "EPSG:4326", CANVAS)[0]
    np.testing.assert_allclose(layer.projected(CANVAS).bounds[1], shapely.bounds(expected), atol=1e-6)
    assert ProjectedCache.full_builds == builds + 1


def test_row_change_maps_old_rows_to_new_ones():
    assert RowChange("remove", [1, 3]).row_map(5).tolist() == [0, -1, 1, -1, 2]
    assert RowChange("insert", [0, 3]).row_map(3).tolist() == [1, 2, 4]
    assert RowChange("geometry", [2]).row_map(3) is None


def test_points_and_lines_patch_like_polygons():
    for make in (lambda i: _parcel(i).centroid, lambda i: _parcel(i).exterior):
        frame = gpd.GeoDataFrame({"id": [f"f{i}" for i in range(30)], "use": [USES[i % 3] for i in range(30)]},
                                 geometry=[make(i) for i in range(30)], crs="EPSG:4326")
        layer = VectorLayer("features", "要素", "Features", frame)
        session = EditSession(Project(layers=[layer]))
        layer.projected(CANVAS)
        edits = [SetGeometries(layer.id, [4, 9], [make(50), make(51)], project=session.project),
                 AddFeatures(layer.id, new_rows(layer, [make(60)], [{"id": "new", "use": "R"}])),
                 DeleteFeatures(layer.id, [0, 12])]
        steps = [(session.apply, edit) for edit in edits] + [(session.undo, edit) for edit in reversed(edits)]
        for step, edit in steps:
            builds = ProjectedCache.full_builds
            step(edit)
            assert ProjectedCache.full_builds == builds
            assert_caches_equal_rebuilt(layer, builds)
