"""Property-based: whatever GeoJSON text arrives, gisapp refuses it with GisIOError or loads
layers whose every coordinate is finite, and accounts for every feature it read."""

import json
import math

import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gisapp.io.errors import GisIOError
from gisapp.io.vector import open_vector_file

numbers = st.one_of(
    st.floats(min_value=73, max_value=135), st.floats(min_value=18, max_value=54),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e308, 41543210.0, 4301234.0, 0.0]),
    st.integers(min_value=-10**20, max_value=10**20))
position = st.lists(numbers, min_size=0, max_size=4)


def nested(depth: int):
    return position if depth == 0 else st.lists(nested(depth - 1), min_size=0, max_size=5)


def closed_rings(rings):
    return [ring + ring[:1] if ring else ring for ring in rings]


dalian_point = st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]},
                         st.floats(min_value=121.3, max_value=121.9), st.floats(min_value=38.7, max_value=39.1))
geometry = st.one_of(
    dalian_point, dalian_point, st.none(), st.text(max_size=5), st.integers(),
    st.builds(lambda c: {"type": "Point", "coordinates": c}, position),
    st.builds(lambda c: {"type": "LineString", "coordinates": c}, nested(1)),
    st.builds(lambda c: {"type": "MultiPoint", "coordinates": c}, nested(1)),
    st.builds(lambda c: {"type": "Polygon", "coordinates": c}, nested(2)),
    st.builds(lambda c: {"type": "Polygon", "coordinates": closed_rings(c)}, nested(2)),
    st.builds(lambda c: {"type": "MultiPolygon", "coordinates": c}, nested(3)),
    st.builds(lambda t, c: {"type": t, "coordinates": c}, st.sampled_from(["Circle", "", "point", "Feature"]), nested(1)),
    st.builds(lambda c: {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": p} for p in c]},
              st.lists(position, max_size=3)),
)
value = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
                     lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
                     max_leaves=6)
feature = st.one_of(
    st.builds(lambda g, p: {"type": "Feature", "properties": p, "geometry": g}, geometry,
              st.dictionaries(st.text(min_size=1, max_size=6), value, max_size=4)),
    value)
document = st.builds(lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(feature, max_size=8))


def _check(path):
    try:
        layers = open_vector_file(path)
    except GisIOError as exc:
        assert str(exc).startswith(path.name + ": ")
        return
    reports = {id(layer.load_report): layer.load_report for layer in layers}
    loaded = sum(len(layer) for layer in layers)
    assert loaded + sum(len(r.rejected) for r in reports.values()) == sum(r.features_read for r in reports.values())
    for layer in layers:
        assert np.isfinite(shapely.get_coordinates(layer.frame.geometry.array)).all()
        bounds = layer.bounds_in("EPSG:4326")
        assert bounds is None or all(math.isfinite(v) for v in bounds)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=document)
def test_any_feature_collection_is_refused_or_loaded_with_finite_coordinates(tmp_path, data):
    path = tmp_path / "random.geojson"
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
    _check(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=document, cut=st.floats(min_value=0, max_value=1), junk=st.binary(max_size=12))
def test_cut_or_garbled_text_is_refused_or_loaded_with_finite_coordinates(tmp_path, data, cut, junk):
    raw = json.dumps(data, allow_nan=True).encode()
    at = int(len(raw) * cut)
    path = tmp_path / "garbled.geojson"
    path.write_bytes(raw[:at] + junk + raw[at + len(junk):])
    _check(path)
