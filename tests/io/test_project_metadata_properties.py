"""Property-based tests of the project-metadata entry point: whatever JSON a file holds, the
only exception is GisIOError, and metadata that passes builds a project whose styles,
CRS and opacities work."""

from __future__ import annotations

import copy
import json
import math

import geopandas as gpd
import pandas as pd
import shapely
from damaged_projects import read_meta, saved_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gisapp.core.geo.viewport import Viewport
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import build_project, check_project_metadata, metadata_from_rows

# No example database: the suite leaves no files behind, and every run draws afresh.
SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
    | st.sampled_from(["EPSG:3857", "EPSG:999999", "#ff0000", "single", "categorized", "graduated", "abc"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["id", "table", "title_zh", "title_en", "style", "type", "symbol", "fill", "opacity", "layers",
         "groups", "project", "indicators", "categories", "breaks", "symbols", "field"]), children, max_size=4),
    max_leaves=12)


class _AnyTable(dict):
    """Frames by table name: every table holds one small polygon layer."""

    def __missing__(self, key):
        return gpd.GeoDataFrame({"id": ["a"], "kind": ["core"], "value": [1.5]},
                                geometry=[shapely.box(121.4, 38.8, 121.5, 38.9)], crs="EPSG:4326")


def _open(meta) -> None:
    """The metadata step of load_project, then use what it built as the window would."""
    try:
        checked = check_project_metadata(meta, "plan.gpkg")
        project = build_project(checked, _AnyTable(), [], [], "plan.gpkg")
    except GisIOError as exc:
        assert str(exc).startswith("plan.gpkg: "), exc
        return
    Viewport(width=100, height=100, crs=project.canvas_crs).fitted((121.4, 38.8, 121.5, 38.9))
    for layer in project.layers:
        assert 0 <= layer.opacity <= 1 and isinstance(layer.visible, bool)
        symbols = layer.style.symbols()
        index = layer.style.assign(layer.frame)
        assert ((0 <= index) & (index < len(symbols))).all()
        for symbol in symbols:
            assert math.isfinite(symbol.stroke_width) and math.isfinite(symbol.size)
        layer.style.legend()


@SETTINGS
@given(json_values)
def test_any_json_metadata_gives_a_project_or_a_gis_io_error(meta):
    _open(meta)


def _paths(value, prefix=()):
    """Every place in a JSON tree (as key paths)."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for number, child in enumerate(value):
            yield from _paths(child, (*prefix, number))


_VALID: dict = {}


def valid_meta(tmp_path_factory) -> dict:
    if not _VALID:
        _VALID.update(read_meta(saved_project(tmp_path_factory.mktemp("valid"))))
    return copy.deepcopy(_VALID)


@SETTINGS
@given(data=st.data())
def test_one_damaged_part_of_valid_metadata_gives_a_project_or_a_gis_io_error(tmp_path_factory, data):
    meta = valid_meta(tmp_path_factory)
    places = [p for p in _paths(meta) if p]
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        place = data.draw(st.sampled_from(places))
        parent = meta
        try:
            for key in place[:-1]:
                parent = parent[key]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(place[-1], None)  # a missing key
            else:
                parent[place[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    _open(meta)


@SETTINGS
@given(st.lists(st.tuples(st.none() | st.text(max_size=10) | st.integers(),
                          st.none() | st.text(max_size=30) | st.floats() | json_values.map(json.dumps)),
                max_size=6))
def test_any_metadata_table_rows_give_metadata_or_a_gis_io_error(rows):
    frame = pd.DataFrame({"key": [key for key, _ in rows], "value": [value for _, value in rows]},
                         dtype=object)
    try:
        meta = metadata_from_rows(frame, "plan.gpkg")
    except GisIOError:
        return
    _open(meta)
